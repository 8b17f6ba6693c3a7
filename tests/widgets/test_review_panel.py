"""The strategy-review dashboard: a thin panel over one StrategyReview (no browser needed)."""

from __future__ import annotations

from typing import Any

import pytest

from workbench.errors import ParameterError
from workbench.report import StrategyReview, review_journey
from workbench.simulate import LearnerPopulation
from workbench.templates import load_template
from workbench.widgets import StrategyReviewPanel
from workbench.widgets.review_panel import REVIEW_FIGURES

PNG = b"\x89PNG\r\n\x1a\n"
CHOICES = ["none", "expanding", "fixed:7x4"]


@pytest.fixture(scope="module")
def reviews() -> dict[str, StrategyReview]:
    population = LearnerPopulation(size=150)
    return {
        name: review_journey(load_template(name), plans=["none", "expanding"], target=0.8, population=population)
        for name in ("post_training_retention", "safety_reminders")
    }


class Recorder:
    """A review function that records its calls and answers with precomputed reviews."""

    def __init__(self, reviews: dict[str, StrategyReview]) -> None:
        self.reviews = reviews
        self.calls: list[tuple[str, tuple[str, ...]]] = []

    def __call__(self, template: str, plans: tuple[str, ...]) -> StrategyReview:
        self.calls.append((template, plans))
        if template not in self.reviews:
            raise ParameterError(f"template {template!r}: not prepared")
        return self.reviews[template]


def panel(recorder: Recorder, **kwargs: Any) -> StrategyReviewPanel:
    return StrategyReviewPanel(
        CHOICES, plans=("none", "expanding"), review=recorder, templates=[*recorder.reviews, "compliance_follow_up"],
        **kwargs,
    )  # fmt: skip


def test_opens_on_the_review_of_the_first_choices(reviews: dict[str, StrategyReview]) -> None:
    recorder = Recorder(reviews)
    dashboard = panel(recorder)
    review = reviews["post_training_retention"]
    assert recorder.calls == [("post_training_retention", ("none", "expanding"))]
    assert dashboard.review is review
    assert f"post_training_retention: {len(review.plans)} plans compared" in dashboard.status.value
    assert review.journey.title in dashboard.summary.value
    assert review.verdict()[0] in dashboard.summary.value.replace("&#x27;", "'")
    assert f"simulated: {review.key_figures().provenance.text()}" in dashboard.summary.value
    assert "Plans compared" in dashboard.tables.value
    assert "expanding" in dashboard.tables.value
    for name in REVIEW_FIGURES:
        assert bytes(dashboard.images[name].value).startswith(PNG), name
    assert dashboard.images["timeline"].value == review.figure_png("timeline")
    for css, widget in (("sr-template", dashboard.template), ("sr-plans-select", dashboard.plans)):
        assert css in widget._dom_classes


def test_another_journey_or_other_plans_recompute(reviews: dict[str, StrategyReview]) -> None:
    recorder = Recorder(reviews)
    dashboard = panel(recorder)
    before = dashboard.images["timeline"].value
    dashboard.template.value = "safety_reminders"
    assert recorder.calls[-1] == ("safety_reminders", ("none", "expanding"))
    assert "safety_reminders:" in dashboard.status.value
    assert reviews["safety_reminders"].journey.title in dashboard.summary.value
    assert dashboard.images["timeline"].value != before
    dashboard.plans.value = ("fixed:7x4",)
    assert recorder.calls[-1] == ("safety_reminders", ("fixed:7x4",))


def test_problems_are_shown_not_raised(reviews: dict[str, StrategyReview]) -> None:
    recorder = Recorder(reviews)
    dashboard = panel(recorder)
    shown = dashboard.summary.value
    dashboard.plans.value = ()
    assert "Choose at least one plan" in dashboard.status.value
    dashboard.plans.value = ("none",)
    dashboard.template.value = "compliance_follow_up"  # the review function refuses it
    assert "not prepared" in dashboard.status.value
    assert dashboard.summary.value == shown  # the last good review stays on screen
