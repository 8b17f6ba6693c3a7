"""The tables of a strategy review, as :class:`~workbench._table.Table` values.

Each function reads one :class:`~workbench.report.StrategyReview` and returns what its
method of the same name returns (``review.plans_table()`` is ``plans_table(review)``): the
review holds the numbers, this module only words and formats them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from workbench._table import Table
from workbench.vocabulary import Layer

if TYPE_CHECKING:
    from workbench.plans import ReinforcementPlan
    from workbench.report.review import StrategyReview

__all__ = [
    "LAYER_ROLES",
    "FrontierPoint",
    "coverage_table",
    "describe_plan",
    "findings_table",
    "frontier_points",
    "frontier_table",
    "layers_table",
    "number_text",
    "percent_text",
    "plans_table",
    "plans_text",
    "schedule_table",
]

#: The role of each layer in the learning architecture (DESIGN.md).
LAYER_ROLES: Mapping[str, str] = {
    Layer.BEFORE.value: "priming, readiness, orientation",
    Layer.DURING.value: "chunking, recap, quick practice",
    Layer.AFTER.value: "reinforcement, recall, refreshers",
    Layer.WORK.value: "job support, reminders, decision help",
    Layer.CHANGE.value: "updates, launch communication",
}


def number_text(value: float, digits: int = 1) -> str:
    """Return a short number for tables.

    Examples
    --------
    >>> number_text(12.0), number_text(12.34), number_text(0.125, 2)
    ('12', '12.3', '0.12')
    """
    text = f"{value:.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def percent_text(value: float | None) -> str:
    """Return a share as a whole percentage (``–`` when missing).

    Examples
    --------
    >>> percent_text(0.834), percent_text(float("nan"))
    ('83%', '–')
    """
    return "–" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{100 * value:.0f}%"


def describe_plan(plan: ReinforcementPlan) -> str:
    """Describe what a plan adds, in words a learning leader reads (from its fields, not its string).

    Examples
    --------
    >>> from workbench.plans import parse_plan
    >>> describe_plan(parse_plan("fixed:7x4"))
    'a spaced recall quiz every 7 days, 4 times, after the teaching'
    >>> describe_plan(parse_plan("none"))
    'the journey as designed: no reinforcement added'
    """
    from workbench.plans import ReinforcementPlan

    if isinstance(plan, ReinforcementPlan):
        return plan.describe()  # each family describes itself
    return str(getattr(plan, "label", "plan"))


def _without_fix(message: str, fix: str) -> str:
    """Return a finding's message without the fix it ends with (the fix has its own column)."""
    if fix and message.endswith(fix) and len(message) > len(fix):
        return message[: -len(fix)].rstrip(" :;,-")
    return message


def _short_label(label: str) -> str:
    """Frontier labels: ``target:0.75:89`` -> ``target 75%`` (the rest as given)."""
    if label.startswith("target:"):
        parts = label.split(":")
        try:
            return f"target {100 * float(parts[1]):g}%"
        except (IndexError, ValueError):
            return label
    return label


def _summary_row(review: StrategyReview, label: str) -> dict[str, float]:
    """One plan's row of the comparison summary, as plain floats."""
    records: dict[Any, dict[Any, Any]] = review.comparison.summary.to_dict(orient="index")
    return {str(k): float(v) for k, v in records[label].items()}


def layers_table(review: StrategyReview) -> Table:
    """Activities and minutes per layer of the learning architecture."""
    summary = review.journey.summary()
    total = summary.layer_minutes or 1.0
    rows = tuple(
        (
            layer.capitalize(),
            LAYER_ROLES.get(layer, ""),
            str(load.activities),
            number_text(load.minutes),
            f"{100 * load.minutes / total:.0f}%",
        )
        for layer, load in summary.layers.items()
    )
    totals = ("All layers", "", str(summary.activities), number_text(summary.layer_minutes), "100%")
    return Table(
        headers=("Layer", "Role of microlearning", "Activities", "Minutes", "Share of minutes"),
        numeric=(False, False, True, True, True),
        rows=(*rows, totals),
        row_classes=("",) * len(rows) + ("total",),
        caption="Minutes of every activity, optional ones included, by layer.",
    )


def coverage_table(review: StrategyReview) -> Table:
    """Which activities touch each concept, how, and what is left of it on the day."""
    summary = review.journey.summary()
    result = review.result()
    rows = []
    classes = []
    for concept in review.journey.concepts:
        row = summary.coverage[concept.id]
        rows.append(
            (
                concept.name,
                concept.id,
                number_text(float(concept.importance), 2),
                str(row.activities),
                ", ".join(row.effects) or "NOT COVERED",
                percent_text(result.retention(review.on_day, concept.id)),
            )
        )
        classes.append("" if row.covered else "bad")
    return Table(
        headers=(
            "Concept",
            "Id",
            "Importance",
            "Activities",
            "Memory effects",
            f"Recall day {review.on_day} ({review.baseline})",
        ),
        numeric=(False, False, True, True, False, True),
        rows=tuple(rows),
        row_classes=tuple(classes),
        caption=(
            f"Recall is the simulated mean over learners on day {review.on_day} for the plan "
            f"'{review.baseline}'; the weakest concepts are where reinforcement pays."
        ),
    )


def findings_table(review: StrategyReview) -> Table:
    """Every design-rule finding: severity, rule, where, what and how to fix it."""
    rows = tuple(
        (
            f.severity.value,
            f.code,
            f.rule,
            f.activity_id or f.concept_id or review.journey.id,
            _without_fix(f.message, f.fix or ""),
            f.fix or "",
        )
        for f in review.findings
    )
    return Table(
        headers=("Severity", "Code", "Rule", "Where", "Finding", "Fix"),
        numeric=(False,) * 6,
        rows=rows,
        row_classes=tuple(f"sev-{f.severity.value}" for f in review.findings),
    )


def plans_table(review: StrategyReview) -> Table:
    """Return the compared plans: what each adds, learner time, retention and proficiency."""
    from workbench.plans.choice import reaches

    day = review.on_day
    comparison = review.comparison
    rows = []
    classes = []
    notes: list[str] = []
    for label, plan in review.plans.items():
        row = _summary_row(review, label)
        mark = " (recommended)" if label == review.recommended else ""
        notes.append(describe_plan(plan))
        rows.append(
            (
                label + mark,
                str(int(row["touches"])),
                number_text(row["plan_minutes"]),
                number_text(row["learner_minutes"]),
                *(percent_text(comparison.retention(label, d)) for d in review.days),
                f"{comparison.proficiency(label, day):.0%} ± {100 * row['proficiency_se']:.0f}",
                number_text(row["retained_concept_days_per_learner_hour"], 0),
            )
        )
        meets = review.target is not None and reaches(comparison.outcome(label, day, review.metric), review.target)
        classes.append(" ".join(c for c in ("recommended" if mark else "", "meets" if meets else "") if c))
    return Table(
        headers=(
            "Plan (what it adds)",
            "Touches added",
            "Added minutes",
            "Learner minutes",
            *(f"Recall day {d}" for d in review.days),
            f"Proficient day {day}",
            "Concept-days per hour",
        ),
        numeric=(False, True, True, True, *(True for _ in review.days), True, True),
        rows=tuple(rows),
        row_classes=tuple(classes),
        notes=tuple(notes),
        caption=(
            "Added minutes: what the plan schedules per learner. Learner minutes: simulated mean time a "
            "learner spends on the whole journey. Recall: mean recall probability over learners at the start "
            f"of the day. Proficient: share of learners whose recall is at least {review.threshold:g} "
            "(± one standard error). Concept-days per hour: remembered concept-days per hour of learner time."
        ),
    )


def plans_text(review: StrategyReview) -> str:
    """Return the compared plans as the indented text table of :meth:`StrategyReview.text`."""
    day = review.on_day
    comparison = review.comparison
    table = Table(
        headers=("plan", "touches", "+min", *(f"day {d}" for d in review.days), f"proficient d{day}"),
        numeric=(False, True, True, *(True for _ in review.days), True),
        rows=tuple(
            (
                label,
                str(int(_summary_row(review, label)["touches"])),
                number_text(comparison.plan_minutes(label)),
                *(f"{comparison.retention(label, d):.3f}" for d in review.days),
                f"{comparison.proficiency(label, day):.3f}",
            )
            for label in review.plans
        ),
    )
    return "\n".join("  " + line for line in table.to_text().splitlines())


@dataclass(frozen=True)
class FrontierPoint:
    """One point of the frontier figure: plans with the same outcome, merged.

    Attributes
    ----------
    label : str
        The plan shown (``none`` when it is among them; ``target 75%`` for ``target:0.75:89``).
    same : tuple of str
        The other plans with the same learner minutes and recall.
    learner_minutes : float
        Mean learner minutes of the whole journey under the plan.
    retention : float
        Mean recall on the day that matters (0 to 1).
    dominated : bool
        Another plan costs no more learner time and retains no less.
    """

    label: str
    same: tuple[str, ...]
    learner_minutes: float
    retention: float
    dominated: bool

    @property
    def shown_label(self) -> str:
        """The label with the count of merged plans (``none (+2 same)``), as the figure shows it."""
        return self.label + (f" (+{len(self.same)} same)" if self.same else "")


def frontier_points(review: StrategyReview) -> list[FrontierPoint]:
    """Frontier plans with the same outcome merged into one point (sorted by learner minutes).

    Target-retention plans whose target the journey already meets add nothing and land on
    the point of ``none``; one point with the other labels in ``same`` keeps the figure legible.
    """
    if review.frontier is None:
        return []
    groups: dict[tuple[float, float], list[dict[Any, Any]]] = {}
    records: list[dict[Any, Any]] = review.frontier.to_dict(orient="records")
    for record in records:
        key = (round(float(record["learner_minutes"]), 6), round(float(record["retention"]), 6))
        groups.setdefault(key, []).append(record)
    points = []
    for members in groups.values():
        labels = [_short_label(str(m["label"])) for m in members]
        head = "none" if "none" in labels else labels[0]
        points.append(
            FrontierPoint(
                label=head,
                same=tuple(label for label in labels if label != head),
                learner_minutes=float(members[0]["learner_minutes"]),
                retention=float(members[0]["retention"]),
                dominated=bool(members[0]["dominated"]),
            )
        )
    return points


def frontier_table(review: StrategyReview) -> Table | None:
    """Plans on and off the learner-time / retention frontier (same outcomes merged)."""
    if review.frontier is None:
        return None
    points = frontier_points(review)
    rows = tuple(
        (
            p.label,
            number_text(p.learner_minutes),
            percent_text(p.retention),
            "dominated" if p.dominated else "on the frontier",
        )
        for p in points
    )
    return Table(
        headers=("Plan", "Learner minutes", f"Recall day {review.on_day}", "Verdict"),
        numeric=(False, True, True, False),
        rows=rows,
        row_classes=tuple("muted" if p.dominated else "" for p in points),
        notes=tuple(f"same outcome: {', '.join(p.same)}" if p.same else "" for p in points),
        caption=(
            "Dominated: another plan costs no more learner time and retains no less. "
            "target N%: a touch whenever predicted recall falls to N%."
        ),
    )


def schedule_table(review: StrategyReview) -> Table | None:
    """Return the touches the recommended plan adds (day, concepts, minutes, channel)."""
    if review.recommended is None:
        return None
    schedule = review.comparison.schedules[review.recommended].to_frame()
    records: list[dict[Any, Any]] = schedule.to_dict(orient="records")
    rows = tuple(
        (
            str(r["activity_id"]),
            number_text(float(r["day"])),
            f"{number_text(float(r['gap_days']))} days after {r['after']}" if r["after"] else "",
            str(r["concepts"]),
            number_text(float(r["minutes"])),
            str(r["channel"]),
        )
        for r in records
    )
    return Table(
        headers=("Activity", "Day", "Scheduled", "Concepts", "Minutes", "Channel"),
        numeric=(False, True, False, False, True, False),
        rows=rows,
    )
