"""The headline numbers of a strategy review, as one frozen value with its provenance.

:meth:`StrategyReview.key_figures` returns a :class:`KeyFigures`: the journey's size, its
design findings, the journey as designed and the recommended plan on the day that matters,
and the :class:`~workbench.report.Provenance` every simulated number here rests on. The
report's cards, ``review.text()`` and the dashboard's verdict box read it by attribute.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from workbench._table import Table
from workbench.report._provenance import Provenance

if TYPE_CHECKING:
    from workbench.report.review import StrategyReview

__all__ = ["FindingCounts", "KeyFigures", "PlanFigures"]


@dataclass(frozen=True)
class FindingCounts:
    """Design-rule findings by severity."""

    error: int
    warning: int
    info: int

    @property
    def total(self) -> int:
        """All findings."""
        return self.error + self.warning + self.info

    def text(self) -> str:
        """Return ``"1 errors, 2 warnings, 0 info"``."""
        return f"{self.error} errors, {self.warning} warnings, {self.info} info"


@dataclass(frozen=True)
class PlanFigures:
    """One plan's outcome on the day that matters (shares are 0 to 1, minutes per learner)."""

    label: str
    retention: float
    proficiency: float
    added_minutes: float
    learner_minutes: float

    @classmethod
    def of(cls, review: StrategyReview, label: str) -> PlanFigures:
        """Return the figures of one compared plan of ``review`` on its ``on_day``."""
        comparison, day = review.comparison, review.on_day
        return cls(
            label=label,
            retention=comparison.retention(label, day),
            proficiency=comparison.proficiency(label, day),
            added_minutes=comparison.plan_minutes(label),
            learner_minutes=comparison.learner_minutes(label),
        )


@dataclass(frozen=True)
class KeyFigures:
    """The headline numbers of a review: the report's cards and the first lines of ``text()``.

    Attributes
    ----------
    activities, formal, micro, concepts : int
        The journey's size.
    uncovered_concepts : tuple of str
        Ids of concepts no activity covers.
    learner_minutes : float
        Minutes of the required activities, as designed.
    span_days : float
        Days from the first to the last activity.
    findings : FindingCounts
        Design-rule findings by severity.
    on_day : int
        The day that matters.
    baseline : PlanFigures
        The journey as designed (plan ``none`` when compared) on ``on_day``.
    highest_proficiency_plan : str
        The compared plan that leaves the most learners proficient on ``on_day``.
    recommended : PlanFigures or None
        The chosen plan, when a target was given.
    target : float or None
        The target, on ``metric``.
    metric : str
        ``proficiency`` or ``retention``.
    reachable : bool or None
        Whether the target is reachable (None without a target).
    provenance : Provenance
        What every simulated number here rests on.

    Examples
    --------
    >>> from workbench.report import review_journey
    >>> from workbench.simulate import LearnerPopulation
    >>> from workbench.templates import load_template
    >>> review = review_journey(load_template("safety_reminders"), ["none", "expanding"], target=0.8,
    ...                         population=LearnerPopulation(size=100), rng=1, frontier=False)
    >>> key = review.key_figures()
    >>> key.activities, key.findings.error, key.recommended is not None
    (17, 0, True)
    >>> key.provenance.text()
    'memory profile workplace, 100 learners, model fsrs6, seed 1'
    >>> sorted(key.to_dict())[:3]
    ['activities', 'baseline', 'concepts']
    """

    activities: int
    formal: int
    micro: int
    concepts: int
    uncovered_concepts: tuple[str, ...]
    learner_minutes: float
    span_days: float
    findings: FindingCounts
    on_day: int
    baseline: PlanFigures
    highest_proficiency_plan: str
    recommended: PlanFigures | None
    target: float | None
    metric: str
    reachable: bool | None
    provenance: Provenance

    @classmethod
    def of(cls, review: StrategyReview) -> KeyFigures:
        """Return the key figures of ``review``."""
        summary = review.journey.summary()
        severities = [f.severity.value for f in review.findings]
        optimisation = review.optimisation
        return cls(
            activities=summary.activities,
            formal=summary.formal,
            micro=summary.micro,
            concepts=summary.concepts,
            uncovered_concepts=tuple(summary.uncovered),
            learner_minutes=float(summary.learner_minutes),
            span_days=float(summary.span_days),
            findings=FindingCounts(*(severities.count(s) for s in ("error", "warning", "info"))),
            on_day=review.on_day,
            baseline=PlanFigures.of(review, review.baseline),
            highest_proficiency_plan=review.comparison.highest_proficiency(review.on_day),
            recommended=None if review.recommended is None else PlanFigures.of(review, review.recommended),
            target=review.target,
            metric=review.metric,
            reachable=None if optimisation is None else bool(optimisation.reachable),
            provenance=review.provenance,
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the figures as plain, JSON-ready data (nested for findings, plans and provenance)."""
        data = asdict(self)
        data["uncovered_concepts"] = list(self.uncovered_concepts)
        data["provenance"] = self.provenance.to_dict()
        return data

    def table(self) -> Table:
        """Return the figures as a two-column table, captioned with their provenance."""
        rows = [
            ("activities", f"{self.activities} ({self.formal} formal, {self.micro} micro)"),
            ("concepts", f"{self.concepts}, {len(self.uncovered_concepts)} not covered"),
            ("learner minutes as designed", f"{self.learner_minutes:g} over {self.span_days:g} days"),
            ("design findings", self.findings.text()),
            *_plan_rows(f"as designed ({self.baseline.label})", self.baseline, self.on_day),
            ("most proficient plan", self.highest_proficiency_plan),
        ]
        if self.recommended is not None and self.target is not None:
            reachable = "reachable" if self.reachable else "not reachable"
            rows += [
                (f"target ({self.metric})", f"{self.target:g} on day {self.on_day}, {reachable}"),
                *_plan_rows(f"recommended ({self.recommended.label})", self.recommended, self.on_day),
            ]
        return Table.of(("figure", "value"), rows, caption=f"Simulated: {self.provenance.text()}.")

    def to_text(self) -> str:
        """Return the figures as aligned text, ending with their provenance."""
        table = self.table()
        return f"{table.to_text()}\n{table.caption}"

    def _repr_html_(self) -> str:
        return self.table().to_html()


def _plan_rows(name: str, plan: PlanFigures, day: int) -> list[tuple[str, str]]:
    return [
        (f"{name}: proficient day {day}", f"{plan.proficiency:.1%}"),
        (f"{name}: mean recall day {day}", f"{plan.retention:.1%}"),
        (f"{name}: minutes per learner", f"+{plan.added_minutes:g} added, {plan.learner_minutes:.1f} in all"),
    ]
