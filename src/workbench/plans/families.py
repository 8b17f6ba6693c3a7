"""The plan families: each parses its plan string and describes itself (see :mod:`workbench.plans.base`).

The families aimed at an outcome (target retention, deadline) are in :mod:`workbench.plans.targeted`.

Every plan is a :class:`ReinforcementPlan`. ``plan.apply(journey)`` returns a new journey
with the plan's touches added as real activities of a catalog kind (a spaced recall quiz by
default), in the ``after`` layer, each scheduled ``{"after": <anchor>, "gap_days": N}``
relative to the last formal touch of the concepts it covers (see
:mod:`workbench.plans._context`) and linked to it by a ``reinforces`` edge. Ids are
derived from the plan: ``plan-<family>-<anchor>-<n>`` (``plan-expanding-workshop-3``).

Families (and their plan strings, see :func:`parse_plan`):

========================  =========================  ========================================
plan string               class                      touches per concept
========================  =========================  ========================================
``none``                  :class:`NoPlan`            none
``massed[:N]``            :class:`MassedPlan`        N reviews on the day of the anchor
``fixed:IxK``             :class:`FixedPlan`         every I days, K times
``expanding[:g1,g2..]``   :class:`ExpandingPlan`     gaps 1, 3, 7, 14, 30, 60 days between touches
``cadence[:Q]``           :class:`CadencePlan`       Q questions a workday, then weekly, retiring
``target:R[:UNTIL]``      :class:`TargetRetentionPlan`  whenever predicted recall falls to R
``deadline:D[xK[:RATIO]]``  :class:`DeadlinePlan`    K touches spaced backwards from day D
========================  =========================  ========================================

Touches of several concepts due the same day share one activity; its duration is the
kind's typical duration for up to ``concepts_per_touch`` concepts (3: "a few retrieval
questions") and grows in proportion beyond. Every plan respects its
:class:`~workbench.plans.constraints.PlanConstraints`.

Examples
--------
>>> from workbench.plans import parse_plan
>>> from workbench.templates import load_template
>>> journey = load_template("post_training_retention")
>>> plan = parse_plan("fixed:7x4")
>>> richer = plan.apply(journey)
>>> len(richer.activities) - len(journey.activities)
4
>>> richer.activity("plan-fixed-workshop-2").schedule.gap_days
14.0
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, ClassVar

from pydantic import Field, field_validator

from workbench._values import StrictBool, StrictFloat
from workbench.catalog import ActivityKind
from workbench.plans._context import ConceptInfo, JourneyContext, TypicalLearner, concept_rate
from workbench.plans.base import ReinforcementPlan, as_float, as_int, bad, construct, number_text, whole_as_float
from workbench.plans.constraints import TouchRequest

__all__ = [
    "DEFAULT_GAPS",
    "CadencePlan",
    "ExpandingPlan",
    "FixedPlan",
    "MassedPlan",
    "NoPlan",
]

DEFAULT_GAPS = (1.0, 3.0, 7.0, 14.0, 30.0, 60.0)


class NoPlan(ReinforcementPlan):
    """No reinforcement: the journey as designed (the baseline of every comparison).

    Examples
    --------
    >>> from workbench.templates import load_template
    >>> j = load_template("safety_reminders")
    >>> NoPlan().apply(j) is j
    True
    """

    family: ClassVar[str] = "none"
    forms: ClassVar[tuple[str, ...]] = ("none",)

    def describe(self) -> str:
        """Say what the plan adds (nothing)."""
        return "the journey as designed: no reinforcement added"


class MassedPlan(ReinforcementPlan):
    """Massed review: ``reviews`` reviews on the day of the formal event, right after it.

    Examples
    --------
    >>> MassedPlan(reviews=3).label
    'massed:3'
    """

    family: ClassVar[str] = "massed"
    forms: ClassVar[tuple[str, ...]] = ("massed", "massed:N (N same-day reviews)")

    @classmethod
    def from_argument(cls, text: str, argument: str | None, options: dict[str, Any]) -> ReinforcementPlan:
        """Build ``massed`` or ``massed:N``."""
        values = {} if argument is None else {"reviews": as_int(text, argument, "massed or massed:N, e.g. massed:3")}
        return construct(text, cls, {**values, **options})

    def describe(self) -> str:
        """Say what the plan adds."""
        plural = "zes" if self._kind_words.endswith("quiz") and self.reviews > 1 else ""
        return f"{self.reviews} {self._kind_words}{plural} right after the teaching (massed)"

    reviews: Annotated[int, Field(ge=1, le=20)] = 1

    @property
    def label(self) -> str:
        """The plan string (see :attr:`ReinforcementPlan.label`)."""
        return "massed" if self.reviews == 1 else f"massed:{self.reviews}"

    def _requests(self, context: JourneyContext, taught: list[ConceptInfo], kind: ActivityKind) -> list[TouchRequest]:
        return [
            TouchRequest(day=float(c.anchor_day or 0.0), concepts=(c.id,), slot=k)
            for c in taught
            for k in range(self.reviews)
        ]


class FixedPlan(ReinforcementPlan):
    """Fixed interval: a touch every ``interval_days`` days after the event, ``touches`` times.

    Examples
    --------
    >>> FixedPlan(interval_days=7, touches=4).label
    'fixed:7x4'
    """

    family: ClassVar[str] = "fixed"
    forms: ClassVar[tuple[str, ...]] = ("fixed:IxK (every I days, K times, e.g. fixed:7x4)",)

    @classmethod
    def from_argument(cls, text: str, argument: str | None, options: dict[str, Any]) -> ReinforcementPlan:
        """Build ``fixed`` or ``fixed:IxK``."""
        if argument is None:
            return construct(text, cls, options)
        expected = "fixed:IxK (every I days, K times), e.g. fixed:7x4"
        interval, sep, count = argument.lower().partition("x")
        if not sep:
            raise bad(text, expected)
        values = {"interval_days": as_int(text, interval, expected), "touches": as_int(text, count, expected)}
        return construct(text, cls, {**values, **options})

    def describe(self) -> str:
        """Say what the plan adds."""
        if self.touches == 1:
            return f"one {self._kind_words}, {self.interval_days} days after the teaching"
        return f"a {self._kind_words} every {self.interval_days} days, {self.touches} times, after the teaching"

    interval_days: Annotated[int, Field(ge=1, le=365)] = 7
    touches: Annotated[int, Field(ge=1, le=100)] = 4

    @property
    def label(self) -> str:
        """The plan string (see :attr:`ReinforcementPlan.label`)."""
        return f"fixed:{self.interval_days}x{self.touches}"

    def _requests(self, context: JourneyContext, taught: list[ConceptInfo], kind: ActivityKind) -> list[TouchRequest]:
        return [
            TouchRequest(day=float(c.anchor_day or 0.0) + self.interval_days * k, concepts=(c.id,))
            for c in taught
            for k in range(1, self.touches + 1)
        ]


class ExpandingPlan(ReinforcementPlan):
    """Expanding intervals: the gaps *between* successive touches grow (default 1-3-7-14-30-60).

    The first touch comes ``gaps[0]`` days after the event, the next ``gaps[1]`` days later,
    and so on: by default on days 1, 4, 11, 25, 55 and 115 after it.

    Examples
    --------
    >>> ExpandingPlan(gaps=(2, 5, 12, 30)).label
    'expanding:2,5,12,30'
    >>> ExpandingPlan().offsets
    (1.0, 4.0, 11.0, 25.0, 55.0, 115.0)
    """

    family: ClassVar[str] = "expanding"
    forms: ClassVar[tuple[str, ...]] = (
        "expanding (gaps 1,3,7,14,30,60 days)",
        "expanding:G1,G2,... (custom gaps, e.g. expanding:2,5,12,30)",
    )

    @classmethod
    def from_argument(cls, text: str, argument: str | None, options: dict[str, Any]) -> ReinforcementPlan:
        """Build ``expanding`` or ``expanding:G1,G2,...``."""
        if argument is None:
            return construct(text, cls, options)
        expected = "expanding:G1,G2,... with gaps in days, e.g. expanding:2,5,12,30"
        parts = [p.strip() for p in argument.replace("-", ",").split(",")]
        gaps = tuple(as_float(text, p, expected) for p in parts)
        return construct(text, cls, {"gaps": gaps, **options})

    def describe(self) -> str:
        """Say what the plan adds."""
        gaps = ", ".join(f"{g:.0f}" for g in self.gaps)
        return f"a {self._kind_words} at growing gaps of {gaps} days after the teaching"

    gaps: Annotated[tuple[Annotated[StrictFloat, Field(ge=0, le=1000)], ...], Field(min_length=1, max_length=50)] = (
        DEFAULT_GAPS
    )

    @field_validator("gaps", mode="before")
    @classmethod
    def _floats(cls, value: Any) -> Any:
        return whole_as_float(value) if isinstance(value, list | tuple) else value

    @property
    def label(self) -> str:
        """The plan string (see :attr:`ReinforcementPlan.label`)."""
        if self.gaps == DEFAULT_GAPS:
            return "expanding"
        return "expanding:" + ",".join(number_text(g) for g in self.gaps)

    @property
    def offsets(self) -> tuple[float, ...]:
        """Days after the event of each touch (the running sum of the gaps)."""
        out, total = [], 0.0
        for gap in self.gaps:
            total += gap
            out.append(total)
        return tuple(out)

    def _requests(self, context: JourneyContext, taught: list[ConceptInfo], kind: ActivityKind) -> list[TouchRequest]:
        return [
            TouchRequest(day=float(c.anchor_day or 0.0) + offset, concepts=(c.id,))
            for c in taught
            for offset in self.offsets
        ]


def _share_below(probabilities: Sequence[float], successes: int) -> float:
    """P(fewer than ``successes`` successes) in independent trials (Poisson-binomial).

    Examples
    --------
    >>> round(_share_below([0.9, 0.9], 2), 2)
    0.19
    """
    dist = [1.0] + [0.0] * successes  # dist[k] = P(k successes), k capped at `successes`
    for p in probabilities:
        new = [0.0] * (successes + 1)
        for k, mass in enumerate(dist):
            if k == successes:
                new[k] += mass
            else:
                new[k] += mass * (1 - p)
                new[k + 1] += mass * p
        dist = new
    return float(sum(dist[:successes]))


class CadencePlan(ReinforcementPlan):
    """A vendor-style micro-quiz cadence, approximated for a journey-level simulator.

    What vendors do per learner: a question or two every (work)day; a question answered
    wrong comes back after a few days, one answered right after about a week; a question is
    retired once the learner has answered it right ``retire_after`` times.

    What is modelled (the simulator schedules touches for the whole population, not per
    learner), exactly:

    * question days: every workday (every day if ``workdays=False``) for ``daily_weeks``
      weeks after the first anchor, ``questions_per_day`` questions each; then one day a
      week with ``weekly_questions`` questions, until week ``weeks``;
    * each question day asks the concepts that are due, earliest due first; a concept is
      first due the day after it is taught;
    * the *typical* learner (median memory of the memory profile given to ``build``/``apply``,
      does the journey's required touches) answers:
      the predicted recall ``p`` at that moment is the chance of a right answer. The concept
      is due again ``repeat_after_miss_days`` later when ``p < 0.5`` (a likely miss), else
      ``repeat_after_correct_days`` later;
    * retirement thins the touches: after each appearance, the expected share of learners
      who still have the concept active is ``P(fewer than retire_after right answers)``
      (Poisson-binomial over the ``p`` so far); the concept stops being asked once that share
      falls below one half, i.e. when the median learner would have retired it.

    The questions of one day form one activity lasting ``minutes_per_question`` per question.

    Examples
    --------
    >>> CadencePlan(questions_per_day=2).label
    'cadence:2'
    """

    family: ClassVar[str] = "cadence"
    forms: ClassVar[tuple[str, ...]] = ("cadence", "cadence:Q (Q questions a day)")

    @classmethod
    def from_argument(cls, text: str, argument: str | None, options: dict[str, Any]) -> ReinforcementPlan:
        """Build ``cadence`` or ``cadence:Q``."""
        expected = "cadence or cadence:Q, e.g. cadence:2"
        values = {} if argument is None else {"questions_per_day": as_int(text, argument, expected)}
        return construct(text, cls, {**values, **options})

    def describe(self) -> str:
        """Say what the plan adds."""
        return f"{self.questions_per_day} short question(s) a day, spaced per concept"

    questions_per_day: Annotated[int, Field(ge=1, le=10)] = 1
    workdays: StrictBool = True
    daily_weeks: Annotated[int, Field(ge=0, le=52)] = 4
    weeks: Annotated[int, Field(ge=1, le=104)] = 12
    weekly_questions: Annotated[int, Field(ge=0, le=50)] = 3
    retire_after: Annotated[int, Field(ge=1, le=20)] = 2
    repeat_after_correct_days: Annotated[int, Field(ge=1, le=90)] = 8
    repeat_after_miss_days: Annotated[int, Field(ge=1, le=90)] = 3
    minutes_per_question: Annotated[StrictFloat, Field(gt=0, le=30)] = 1.0
    model: str | None = None  # None: the simulated memory profile's model (MemoryProfile.model_for)

    @property
    def label(self) -> str:
        """The plan string (see :attr:`ReinforcementPlan.label`)."""
        return "cadence" if self.questions_per_day == 1 else f"cadence:{self.questions_per_day}"

    def _minutes(self, kind: ActivityKind, n: int) -> float:
        return round(self.minutes_per_question * n, 2)

    def _question_days(self, start: float) -> list[tuple[float, int]]:
        days: list[tuple[float, int]] = []
        day = start + 1.0
        daily_end = start + 7.0 * self.daily_weeks
        while day <= daily_end:
            if not self.workdays or self.constraints.weekday(day) < 5:
                days.append((day, self.questions_per_day))
            day += 1.0
        weekly = daily_end + 7.0 if self.daily_weeks else start + 1.0
        while self.weekly_questions and weekly <= start + 7.0 * self.weeks:
            days.append((weekly, self.weekly_questions))
            weekly += 7.0
        return days

    def _requests(self, context: JourneyContext, taught: list[ConceptInfo], kind: ActivityKind) -> list[TouchRequest]:
        if not taught:
            return []
        journey = context.journey
        # the learners the journey is simulated for: the context's memory profile
        model = context.profile.model_for(self.model)
        effects = context.profile.effects
        start = min(float(c.anchor_day or 0.0) for c in taught)
        learners = {
            c.id: TypicalLearner(
                journey,
                c.id,
                model,
                effects,
                concept_rate(journey, c.id, difficulty_scale=5.0, memory_sigma=0.0, quantile=0.5),
            )
            for c in taught
        }
        due = {c.id: float(c.anchor_day or 0.0) + 1.0 for c in taught}
        order = {c.id: i for i, c in enumerate(taught)}
        history: dict[str, list[float]] = {c.id: [] for c in taught}
        retired: set[str] = set()
        requests = []
        for day, capacity in self._question_days(start):
            ready = sorted((c for c in due if c not in retired and due[c] <= day), key=lambda c: (due[c], order[c]))
            asked = tuple(ready[:capacity])
            for concept in asked:
                learner = learners[concept]
                learner.advance_to(day, inclusive=False)
                p = learner.recall(day)
                learner.touch(day, kind.memory_effect.value, kind.id)
                history[concept].append(p)
                if _share_below(history[concept], self.retire_after) < 0.5:
                    retired.add(concept)
                gap = self.repeat_after_miss_days if p < 0.5 else self.repeat_after_correct_days
                due[concept] = day + gap
            if asked:
                requests.append(TouchRequest(day=day, concepts=asked))
        return requests
