"""Settings of the report tests: small populations and three plans keep the module fast."""

from __future__ import annotations

from workbench.report import StrategyReview, review_journey
from workbench.simulate import LearnerPopulation
from workbench.templates import load_template

LEARNERS = 300
PLANS = "none,expanding,deadline:90"


def small_review(name: str, **options: object) -> StrategyReview:
    """Return the review of template ``name`` with the test settings (options override them)."""
    settings: dict[str, object] = {
        "plans": PLANS,
        "target": 0.8,
        "on_day": 90,
        "population": LearnerPopulation(size=LEARNERS),
        "rng": 0,
    }
    settings.update(options)
    return review_journey(load_template(name), **settings)  # type: ignore[arg-type]
