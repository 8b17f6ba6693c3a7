"""Plan families aimed at an outcome: touch when recall falls to a target, or space backwards from a deadline.

Like every family (:mod:`workbench.plans.families`), each parses its plan string and
describes itself through the registry of :class:`~workbench.plans.base.ReinforcementPlan`.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Annotated, Any, ClassVar

from pydantic import Field, field_validator

from workbench._values import StrictFloat
from workbench.catalog import ActivityKind
from workbench.model import Journey
from workbench.model.activity import MAX_DAY
from workbench.plans._context import ConceptInfo, JourneyContext, TypicalLearner, concept_rate
from workbench.plans.base import (
    PlanSchedule,
    ReinforcementPlan,
    argument_parts,
    as_float,
    as_int,
    construct,
    number_text,
    whole_as_float,
)
from workbench.plans.constraints import TouchRequest

__all__ = ["DeadlinePlan", "TargetRetentionPlan", "backward_days"]


class TargetRetentionPlan(ReinforcementPlan):
    """Adaptive to a target retention: touch each concept when predicted recall falls to ``target``.

    A truly adaptive plan schedules every learner on their own memory (the FSRS interval:
    ``model.interval_days(state, target)``) and needs a delivery system that does that
    (see :func:`workbench.plans.adaptive_schedule` for the per-learner schedule to export).
    A journey has one schedule, so ``apply`` uses the schedule of one learner: by default the
    median learner of the population (``quantile=0.5``); ``quantile=0.8`` schedules for a
    learner who forgets faster than 80% of the population, so most learners stay above the
    target. That learner does the journey's required dated touches, succeeds at retrievals
    when predicted recall is at least 0.5, and forgets a concept of difficulty ``d`` at
    ``2 ** ((d - 5) / difficulty_scale)`` times the neutral rate, as in the simulator.
    Touches stop at ``until_day`` (days from the journey start). The learner remembers as the
    memory profile given to ``build``/``apply`` says (the one simulated; ``model`` None: the
    profile's model; ``memory_sigma`` None: the profile's learner spread, which places the
    ``quantile`` learner).

    Examples
    --------
    >>> from workbench.templates import load_template
    >>> plan = TargetRetentionPlan(target=0.85)
    >>> plan.label
    'target:0.85'
    >>> days = [t.day for t in plan.build(load_template("post_training_retention")).touches]
    >>> days == sorted(days) and days[0] >= 1.0
    True
    """

    family: ClassVar[str] = "target"
    forms: ClassVar[tuple[str, ...]] = (
        "target:R (touch when predicted recall falls to R, e.g. target:0.85)",
        "target:R:UNTIL (... until day UNTIL)",
    )

    @classmethod
    def from_argument(cls, text: str, argument: str | None, options: dict[str, Any]) -> ReinforcementPlan:
        """Build ``target:R`` or ``target:R:UNTIL``."""
        expected = "target:R with R a recall probability in [0.5, 0.98], e.g. target:0.85 (or target:R:UNTIL)"
        parts = argument_parts(text, argument, expected, most=2)
        values = {"target": as_float(text, parts[0], expected)}
        if len(parts) == 2:
            values["until_day"] = as_float(text, parts[1], expected)
        return construct(text, cls, {**values, **options})

    def describe(self) -> str:
        """Say what the plan adds."""
        return (
            f"a {self._kind_words} whenever predicted recall falls to {self.target:.0%}, until day {self.until_day:.0f}"
        )

    target: Annotated[StrictFloat, Field(ge=0.5, le=0.98)] = 0.85
    until_day: Annotated[StrictFloat, Field(ge=1, le=MAX_DAY - 1)] = 180.0
    model: str | None = None  # None: the simulated memory profile's model (MemoryProfile.model_for)
    quantile: Annotated[StrictFloat, Field(gt=0, lt=1)] = 0.5
    # None: the simulated memory profile's learner spread (its source says where it comes from)
    memory_sigma: Annotated[StrictFloat, Field(ge=0, le=3)] | None = None
    difficulty_scale: Annotated[StrictFloat, Field(gt=0, le=100)] = 5.0
    max_touches_per_concept: Annotated[int, Field(ge=1, le=200)] = 30

    @field_validator("target", "until_day", "quantile", "memory_sigma", "difficulty_scale", mode="before")
    @classmethod
    def _float(cls, value: Any) -> Any:
        return whole_as_float(value)

    @property
    def label(self) -> str:
        """The plan string (see :attr:`ReinforcementPlan.label`)."""
        base = f"target:{number_text(self.target)}"
        return base if self.until_day == 180.0 else f"{base}:{number_text(self.until_day)}"

    def _upper_bound(self) -> float | None:
        return self.until_day

    def concept_days(self, context: JourneyContext, concept: ConceptInfo, kind: ActivityKind) -> list[float]:
        """Days of this plan's touches of one concept, before constraints are applied.

        The typical learner remembers as ``context.profile``'s learners do (the simulated profile).
        """
        journey = context.journey
        model = context.profile.model_for(self.model)
        rate = concept_rate(
            journey,
            concept.id,
            difficulty_scale=self.difficulty_scale,
            memory_sigma=self.memory_sigma if self.memory_sigma is not None else context.profile.memory_sigma,
            quantile=self.quantile,
        )
        learner = TypicalLearner(journey, concept.id, model, context.profile.effects, rate)
        anchor = float(concept.anchor_day or 0.0)
        learner.advance_to(anchor)
        days: list[float] = []
        while len(days) < self.max_touches_per_concept and learner.state is not None:
            interval = learner.interval(self.target)
            due = max(learner.last + max(1.0, math.floor(interval + 1e-9)), anchor + 1.0)
            upcoming = learner.next_event_day
            if upcoming <= due:
                learner.advance_to(upcoming)
                continue
            if due > self.until_day:
                break
            learner.touch(due, kind.memory_effect.value, kind.id)
            days.append(due)
        return days

    def _requests(self, context: JourneyContext, taught: list[ConceptInfo], kind: ActivityKind) -> list[TouchRequest]:
        return [TouchRequest(day=day, concepts=(c.id,)) for c in taught for day in self.concept_days(context, c, kind)]


class DeadlinePlan(ReinforcementPlan):
    """Deadline: as many learners as possible proficient on ``deadline_day`` (go-live, audit, exam).

    ``touches`` touches per concept land before the deadline with spacing that expands
    backwards from it: the last ``lead_days`` before the deadline, the one before that
    ``lead_days * ratio`` earlier, then ``lead_days * ratio**2`` earlier, and so on. When
    that does not fit between the day after the concept is taught and the deadline, the
    ratio is lowered (down to even spacing) until it does; with fewer free days than
    touches, there is one touch a day. With ``budget_min``, the plan keeps the most touches
    (at most ``touches``) whose minutes fit the budget. Constraints move touches *earlier*
    (a weekend touch to the Friday before, a full week's touch to the week before), never
    past the deadline and never before the concept is taught.

    Use :func:`workbench.plans.tune_deadline` to choose ``ratio`` by simulation.

    Examples
    --------
    >>> DeadlinePlan(deadline_day=90).label
    'deadline:90'
    >>> from workbench.templates import load_template
    >>> [t.day for t in DeadlinePlan(deadline_day=90).build(load_template("post_training_retention")).touches]
    [75.0, 83.0, 87.0, 89.0]
    """

    family: ClassVar[str] = "deadline"
    forms: ClassVar[tuple[str, ...]] = (
        "deadline:D (4 touches before day D, e.g. deadline:90)",
        "deadline:DxK (K touches before day D)",
        "deadline:DxK:RATIO (gaps growing by RATIO backwards from D)",
    )

    @classmethod
    def from_argument(cls, text: str, argument: str | None, options: dict[str, Any]) -> ReinforcementPlan:
        """Build ``deadline:D``, ``deadline:DxK`` or ``deadline:DxK:RATIO``."""
        expected = "deadline:D, deadline:DxK or deadline:DxK:RATIO, e.g. deadline:90 or deadline:90x6:2.5"
        parts = argument_parts(text, argument and argument.lower(), expected, most=2)
        day, sep, count = parts[0].partition("x")
        values: dict[str, Any] = {"deadline_day": as_int(text, day, expected)}
        if sep:
            values["touches"] = as_int(text, count, expected)
        if len(parts) == 2:
            values["ratio"] = as_float(text, parts[1], expected)
        return construct(text, cls, {**values, **options})

    def describe(self) -> str:
        """Say what the plan adds."""
        ratio = f"{self.ratio:.2f}".rstrip("0").rstrip(".")
        return (
            f"{self.touches} {self._kind_words} touches placed backwards from day {self.deadline_day} "
            f"(gaps growing x{ratio})"
        )

    deadline_day: Annotated[int, Field(ge=1, le=int(MAX_DAY) - 1)] = 90
    touches: Annotated[int, Field(ge=1, le=100)] = 4
    lead_days: Annotated[StrictFloat, Field(ge=1, le=365)] = 1.0
    ratio: Annotated[StrictFloat, Field(ge=1, le=10)] = 2.0
    budget_min: Annotated[StrictFloat, Field(gt=0)] | None = None

    places_backward: ClassVar[bool] = True

    @field_validator("lead_days", "ratio", "budget_min", mode="before")
    @classmethod
    def _float(cls, value: Any) -> Any:
        return whole_as_float(value)

    @property
    def label(self) -> str:
        """The plan string (see :attr:`ReinforcementPlan.label`)."""
        text = f"deadline:{self.deadline_day}"
        if self.touches != 4 or self.ratio != 2.0:
            text += f"x{self.touches}"
        if self.ratio != 2.0:
            text += f":{number_text(self.ratio)}"
        if self.lead_days != 1.0:
            text += f" (lead {number_text(self.lead_days)} d)"
        if self.budget_min is not None:
            text += f" (<= {number_text(self.budget_min)} min)"
        return text

    def _upper_bound(self) -> float | None:
        return float(self.deadline_day) - 1.0

    def _requests(self, context: JourneyContext, taught: list[ConceptInfo], kind: ActivityKind) -> list[TouchRequest]:
        return [
            TouchRequest(day=day, concepts=(c.id,))
            for c in taught
            for day in backward_days(
                float(c.anchor_day or 0.0), float(self.deadline_day), self.touches, self.lead_days, self.ratio
            )
        ]

    def build(self, journey: Journey, *, profile: Any = None) -> PlanSchedule:
        """Build the schedule; with ``budget_min``, the most touches (up to ``touches``) that fit it."""
        if self.budget_min is None:
            return super().build(journey, profile=profile)
        schedule = None
        for count in range(self.touches, 0, -1):
            trial = self._with(touches=count, budget_min=None)
            schedule = trial.build(journey, profile=profile)
            if schedule.minutes <= self.budget_min + 1e-9:
                return dataclasses.replace(schedule, label=self.label)
        assert schedule is not None
        return PlanSchedule(
            label=self.label,
            activities=(),
            touches=(),
            skipped=schedule.skipped,
            notes=(
                f"one touch takes {schedule.minutes:g} minutes, more than the budget of {number_text(self.budget_min)}",
            ),
        )

    def _with(self, **changes: Any) -> DeadlinePlan:
        return type(self).model_validate({**self.model_dump(), **changes})


def backward_days(anchor: float, deadline: float, touches: int, lead: float, ratio: float) -> list[float]:
    """Days of ``touches`` touches spaced backwards from ``deadline`` (see :class:`DeadlinePlan`).

    Examples
    --------
    >>> backward_days(0.0, 90.0, 4, 1.0, 2.0)
    [75.0, 83.0, 87.0, 89.0]
    >>> backward_days(0.0, 10.0, 12, 1.0, 2.0)  # one a day when days are short
    [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0]
    """
    earliest = anchor + 1.0
    latest = deadline - lead
    if latest < earliest:
        latest = deadline - 1.0
    if latest < earliest:
        return []
    span = latest - earliest
    n_gaps = touches - 1

    def total(r: float) -> float:
        return sum(lead * r**i for i in range(1, n_gaps + 1))

    if n_gaps == 0:
        gaps: list[float] = []
    elif total(ratio) <= span:
        gaps = [lead * ratio**i for i in range(1, n_gaps + 1)]
    elif total(1.0) <= span:
        low, high = 1.0, ratio
        for _ in range(60):
            mid = (low + high) / 2
            low, high = (mid, high) if total(mid) <= span else (low, mid)
        gaps = [lead * low**i for i in range(1, n_gaps + 1)]
    else:
        gaps = [span / n_gaps] * n_gaps if n_gaps else []
    days = [latest]
    for gap in gaps:
        days.append(days[-1] - gap)
    offsets = sorted({max(1.0, float(round(d - anchor))) for d in days if d - anchor >= 0.5})
    return [anchor + o for o in offsets if anchor + o <= deadline - 1.0]
