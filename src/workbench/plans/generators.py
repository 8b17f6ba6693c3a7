"""Reinforcement plans: frozen values that add reinforcement touches to a journey.

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

import difflib
import math
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, ClassVar

import pandas as pd
from pydantic import Field, field_validator

from workbench._values import IDENTIFIER_PATTERN, StrictBool, StrictFloat, Value
from workbench.catalog import ActivityKind
from workbench.errors import ParameterError, PlanAlreadyAppliedError, UnknownNameError
from workbench.model import Activity, Edge, Journey
from workbench.model.activity import MAX_DAY
from workbench.plans._context import ConceptInfo, JourneyContext, TypicalLearner, concept_rate, resolve_model
from workbench.plans.constraints import PlacedTouch, PlanConstraints, TouchRequest, place_touches
from workbench.simulate.population import TouchEffects
from workbench.vocabulary import Channel, EdgeKind, Layer

__all__ = [
    "PLAN_FORMS",
    "CadencePlan",
    "DeadlinePlan",
    "ExpandingPlan",
    "FixedPlan",
    "MassedPlan",
    "NoPlan",
    "PlanSchedule",
    "ReinforcementPlan",
    "TargetRetentionPlan",
    "backward_days",
    "parse_plan",
    "parse_plans",
]

Id = Annotated[str, Field(pattern=IDENTIFIER_PATTERN)]
DEFAULT_GAPS = (1.0, 3.0, 7.0, 14.0, 30.0, 60.0)

#: Every accepted plan string, as shown in error messages.
PLAN_FORMS = (
    "none",
    "massed",
    "massed:N (N same-day reviews)",
    "fixed:IxK (every I days, K times, e.g. fixed:7x4)",
    "expanding (gaps 1,3,7,14,30,60 days)",
    "expanding:G1,G2,... (custom gaps, e.g. expanding:2,5,12,30)",
    "cadence",
    "cadence:Q (Q questions a day)",
    "target:R (touch when predicted recall falls to R, e.g. target:0.85)",
    "target:R:UNTIL (... until day UNTIL)",
    "deadline:D (4 touches before day D, e.g. deadline:90)",
    "deadline:DxK (K touches before day D)",
    "deadline:DxK:RATIO (gaps growing by RATIO backwards from D)",
)


def _num(value: float) -> str:
    return f"{value:g}"


@dataclass(frozen=True)
class PlanSchedule:
    """What a plan adds to one journey, and what it could not add.

    Attributes
    ----------
    label : str
        The plan string.
    activities : tuple of Activity
        The activities the plan adds.
    touches : tuple of PlacedTouch
        Day, concepts and minutes of each added activity (same order).
    minutes : float
        Minutes the plan asks of each learner (if they did every touch).
    skipped : tuple of str
        Chosen concepts that no dated activity teaches (no reinforcement for them).
    dropped : tuple
        ``(concept, wished day, why)`` of touches the constraints left no room for.
    notes : tuple of str
        Anything else the designer should know (e.g. a budget too small for one touch).
    """

    label: str
    activities: tuple[Activity, ...]
    touches: tuple[PlacedTouch, ...]
    skipped: tuple[str, ...] = ()
    dropped: tuple[tuple[str, float, str], ...] = ()
    notes: tuple[str, ...] = ()
    edges: tuple[Edge, ...] = field(default=(), repr=False)

    @property
    def minutes(self) -> float:
        """Minutes per learner the plan schedules."""
        return float(sum(t.minutes for t in self.touches))

    def to_frame(self) -> pd.DataFrame:
        """One row per added activity: id, day, gap after its anchor, concepts, minutes."""
        rows = [
            {
                "activity_id": a.id,
                "day": t.day,
                "after": a.schedule.after,
                "gap_days": a.schedule.gap_days,
                "concepts": ", ".join(t.concepts),
                "minutes": t.minutes,
                "channel": a.channel.value,
            }
            for a, t in zip(self.activities, self.touches, strict=True)
        ]
        columns = ["activity_id", "day", "after", "gap_days", "concepts", "minutes", "channel"]
        return pd.DataFrame(rows, columns=columns)


class ReinforcementPlan(Value):
    """Base of every plan: which concepts, which kind and channel, and the constraints.

    Parameters
    ----------
    concepts : tuple of str, optional
        Concepts to reinforce; default every concept the journey teaches.
    kind : str
        Catalog kind of the touches (a micro kind, e.g. ``spaced_recall_quiz``,
        ``scenario_practice``, ``decision_refresher``, ``prompt_card``,
        ``manager_reinforcement_prompt``, ``job_aid``).
    channel : Channel, optional
        Channel of the touches; default the kind's first channel that the constraints allow.
    constraints : PlanConstraints
        Weekly caps, allowed channels, workdays only.
    concepts_per_touch : int
        Concepts one touch of the kind's typical duration covers; a touch covering more
        lasts proportionally longer.
    prefix : str, optional
        Prefix of the added ids (default ``plan-<family>``), to apply two plans of one family.
    """

    family: ClassVar[str] = "plan"

    concepts: tuple[Id, ...] | None = None
    kind: Id = "spaced_recall_quiz"
    channel: Channel | None = None
    constraints: PlanConstraints = Field(default_factory=PlanConstraints)
    concepts_per_touch: Annotated[int, Field(ge=1, le=100)] = 3
    prefix: Id | None = None

    # ---- what subclasses provide ---------------------------------------------------------

    @property
    def label(self) -> str:
        """The plan string.

        ``parse_plan(plan.label)`` gives back a plan of the same family and parameters (with
        default options; a deadline plan's ``lead_days`` and ``budget_min`` are shown in
        parentheses and not parsed).
        """
        return self.family

    def _requests(self, context: JourneyContext, taught: list[ConceptInfo], kind: ActivityKind) -> list[TouchRequest]:
        return []

    places_backward: ClassVar[bool] = False

    def _upper_bound(self) -> float | None:
        return None

    def _minutes(self, kind: ActivityKind, n: int) -> float:
        return round(kind.duration_min * max(1.0, n / self.concepts_per_touch), 2)

    # ---- the common machinery ------------------------------------------------------------

    def __str__(self) -> str:
        return self.label

    def _kind(self, journey: Journey) -> ActivityKind:
        if self.kind not in journey.catalog:
            raise ParameterError(f"plan {self.label!r}: kind: {journey.catalog.unknown_kind_message(self.kind)}")
        kind = journey.catalog[self.kind]
        if kind.is_formal:
            micro = sorted(k for k, v in journey.catalog.items() if not v.is_formal)
            raise ParameterError(
                f"plan {self.label!r}: kind {self.kind!r} is a formal event; reinforcement uses micro "
                f"kinds: {', '.join(micro)}"
            )
        return kind

    def _channel(self, journey: Journey, kind: ActivityKind) -> Channel:
        allowed = self.constraints.channels
        if self.channel is not None:
            if not self.constraints.allows(self.channel):
                raise ParameterError(
                    f"plan {self.label!r}: channel {self.channel.value!r} is not among the allowed channels "
                    f"({', '.join(c.value for c in allowed)}); allow it or pick one of those"
                )
            return self.channel
        for channel in kind.channels:
            if self.constraints.allows(channel):
                return channel
        fitting = sorted(
            k.id for k in journey.catalog.values() if not k.is_formal and any(c in allowed for c in k.channels)
        )
        raise ParameterError(
            f"plan {self.label!r}: kind {kind.id!r} is delivered on {', '.join(c.value for c in kind.channels)}, "
            f"none of which is allowed (channels: {', '.join(c.value for c in allowed)}); allow one of them, "
            f"pass channel=..., or use a kind delivered on an allowed channel: {', '.join(fitting) or 'none'}"
        )

    def _check_concepts(self, journey: Journey) -> None:
        if self.concepts is None:
            return
        known = {c.id for c in journey.concepts}
        unknown = [c for c in self.concepts if c not in known]
        if unknown:
            raise ParameterError(
                f"plan {self.label!r}: concepts {', '.join(map(repr, unknown))} are not in journey "
                f"{journey.id!r} (concepts: {', '.join(sorted(known))})"
            )

    def build(self, journey: Journey) -> PlanSchedule:
        """Work out the activities this plan adds to ``journey`` (without adding them).

        Examples
        --------
        >>> from workbench.templates import load_template
        >>> schedule = ExpandingPlan().build(load_template("post_training_retention"))
        >>> [t.day for t in schedule.touches]
        [1.0, 4.0, 11.0, 25.0, 55.0, 115.0]
        """
        self._check_concepts(journey)
        kind = self._kind(journey)
        channel = self._channel(journey, kind)
        cap = self.constraints.max_minutes_per_week
        if cap is not None and self._minutes(kind, 1) > cap:
            raise ParameterError(
                f"plan {self.label!r}: one {kind.id} touch takes {self._minutes(kind, 1):g} minutes, more than "
                f"max_minutes_per_week={cap:g}; raise the cap or use a shorter kind (e.g. prompt_card, 1 min)"
            )
        context = JourneyContext.of(journey)
        chosen = self.concepts
        taught = context.taught(chosen)
        skipped = tuple(c for c in (chosen or tuple(c.id for c in journey.concepts)) if not context.concepts[c].taught)
        placement = place_touches(
            self._requests(context, taught, kind),
            self.constraints,
            minutes=lambda n: self._minutes(kind, n),
            existing=context.existing_load if self.constraints.capped else (),
            lower_bound=context.anchor_day,
            upper_bound=self._upper_bound(),
            backward=self.places_backward,
        )
        activities, edges = self._activities(journey, context, kind, channel, placement.touches)
        return PlanSchedule(
            label=self.label,
            activities=activities,
            touches=placement.touches,
            skipped=skipped,
            dropped=placement.dropped,
            edges=edges,
        )

    def _activities(
        self,
        journey: Journey,
        context: JourneyContext,
        kind: ActivityKind,
        channel: Channel,
        touches: Sequence[PlacedTouch],
    ) -> tuple[tuple[Activity, ...], tuple[Edge, ...]]:
        prefix = self.prefix or f"plan-{self.family}"
        order = {c.id: i for i, c in enumerate(journey.concepts)}
        names = {c.id: c.name for c in journey.concepts}
        existing = {a.id for a in journey.activities}
        numbers: dict[str, int] = {}
        activities: list[Activity] = []
        edges: list[Edge] = []
        for touch in touches:
            concepts = sorted(touch.concepts, key=order.__getitem__)
            anchor = max(concepts, key=lambda c: (context.anchor_day(c), -order[c]))
            info = context.concepts[anchor]
            assert info.anchor_id is not None
            assert info.anchor_day is not None
            numbers[info.anchor_id] = numbers.get(info.anchor_id, 0) + 1
            activity_id = _activity_id(prefix, info.anchor_id, numbers[info.anchor_id])
            if activity_id in existing:
                raise PlanAlreadyAppliedError(
                    f"plan {self.label!r}: activity id {activity_id!r} already exists in journey {journey.id!r} "
                    "(was this plan applied already?); pass prefix=... to tell the plans apart"
                )
            gap = round(touch.day - info.anchor_day, 6)
            title = f"{kind.name} {numbers[info.anchor_id]} ({self.label}): " + ", ".join(names[c] for c in concepts)
            fields: dict[str, Any] = {
                "id": activity_id,
                "title": title if len(title) <= 300 else title[:297] + "...",
                "layer": Layer.AFTER.value,
                "channel": channel.value,
                "duration_min": float(touch.minutes),
                "covers": concepts,
                "schedule": {"after": info.anchor_id, "gap_days": float(gap)},
                "description": f"Added by reinforcement plan {self.label!r}.",
            }
            if kind.social:
                fields["facilitator"] = "Line manager"
            activities.append(Activity.of_kind(kind.id, catalog=journey.catalog, **fields))
            edges.append(Edge(source=activity_id, target=info.anchor_id, kind=EdgeKind.REINFORCES))
        return tuple(activities), tuple(edges)

    def apply(self, journey: Journey) -> Journey:
        """Return ``journey`` with this plan's touches added (a new, validated journey).

        Examples
        --------
        >>> from workbench.templates import load_template
        >>> j = MassedPlan().apply(load_template("post_training_retention"))
        >>> j.day_of("plan-massed-workshop-1")
        0.0
        """
        schedule = self.build(journey)
        if not schedule.activities:
            return journey
        return journey.evolve(
            activities=(*journey.activities, *schedule.activities), edges=(*journey.edges, *schedule.edges)
        )

    def schedule(self, journey: Journey) -> pd.DataFrame:
        """Return the added activities as a frame (see :meth:`PlanSchedule.to_frame`)."""
        return self.build(journey).to_frame()


def _activity_id(prefix: str, anchor: str, number: int) -> str:
    text = f"{prefix}-{anchor}-{number}"
    if len(text) <= 80:
        return text
    digest = f"{zlib.crc32(anchor.encode()):08x}"
    room = 80 - len(prefix) - len(str(number)) - len(digest) - 3
    return f"{prefix}-{anchor[: max(room, 1)]}{digest}-{number}"


# ---- the families --------------------------------------------------------------------------


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


class MassedPlan(ReinforcementPlan):
    """Massed review: ``reviews`` reviews on the day of the formal event, right after it.

    Examples
    --------
    >>> MassedPlan(reviews=3).label
    'massed:3'
    """

    family: ClassVar[str] = "massed"
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
    gaps: Annotated[tuple[Annotated[StrictFloat, Field(ge=0, le=1000)], ...], Field(min_length=1, max_length=50)] = (
        DEFAULT_GAPS
    )

    @field_validator("gaps", mode="before")
    @classmethod
    def _floats(cls, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return tuple(float(v) if isinstance(v, int) and not isinstance(v, bool) else v for v in value)
        return value

    @property
    def label(self) -> str:
        """The plan string (see :attr:`ReinforcementPlan.label`)."""
        if self.gaps == DEFAULT_GAPS:
            return "expanding"
        return "expanding:" + ",".join(_num(g) for g in self.gaps)

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
    * the *typical* learner (median memory, does the journey's required touches) answers:
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
    questions_per_day: Annotated[int, Field(ge=1, le=10)] = 1
    workdays: StrictBool = True
    daily_weeks: Annotated[int, Field(ge=0, le=52)] = 4
    weeks: Annotated[int, Field(ge=1, le=104)] = 12
    weekly_questions: Annotated[int, Field(ge=0, le=50)] = 3
    retire_after: Annotated[int, Field(ge=1, le=20)] = 2
    repeat_after_correct_days: Annotated[int, Field(ge=1, le=90)] = 8
    repeat_after_miss_days: Annotated[int, Field(ge=1, le=90)] = 3
    minutes_per_question: Annotated[StrictFloat, Field(gt=0, le=30)] = 1.0
    model: str = "fsrs6"

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
        model = resolve_model(self.model)
        effects = TouchEffects()
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
    Touches stop at ``until_day`` (days from the journey start).

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
    target: Annotated[StrictFloat, Field(ge=0.5, le=0.98)] = 0.85
    until_day: Annotated[StrictFloat, Field(ge=1, le=MAX_DAY - 1)] = 180.0
    model: str = "fsrs6"
    quantile: Annotated[StrictFloat, Field(gt=0, lt=1)] = 0.5
    memory_sigma: Annotated[StrictFloat, Field(ge=0, le=3)] = 0.35
    difficulty_scale: Annotated[StrictFloat, Field(gt=0, le=100)] = 5.0
    max_touches_per_concept: Annotated[int, Field(ge=1, le=200)] = 30

    @field_validator("target", "until_day", "quantile", "memory_sigma", "difficulty_scale", mode="before")
    @classmethod
    def _float(cls, value: Any) -> Any:
        return float(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @property
    def label(self) -> str:
        """The plan string (see :attr:`ReinforcementPlan.label`)."""
        base = f"target:{_num(self.target)}"
        return base if self.until_day == 180.0 else f"{base}:{_num(self.until_day)}"

    def _upper_bound(self) -> float | None:
        return self.until_day

    def concept_days(self, journey: Journey, concept: ConceptInfo, kind: ActivityKind) -> list[float]:
        """Days of this plan's touches of one concept, before constraints are applied."""
        model = resolve_model(self.model)
        rate = concept_rate(
            journey,
            concept.id,
            difficulty_scale=self.difficulty_scale,
            memory_sigma=self.memory_sigma,
            quantile=self.quantile,
        )
        learner = TypicalLearner(journey, concept.id, model, TouchEffects(), rate)
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
        return [
            TouchRequest(day=day, concepts=(c.id,))
            for c in taught
            for day in self.concept_days(context.journey, c, kind)
        ]


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
    deadline_day: Annotated[int, Field(ge=1, le=int(MAX_DAY) - 1)] = 90
    touches: Annotated[int, Field(ge=1, le=100)] = 4
    lead_days: Annotated[StrictFloat, Field(ge=1, le=365)] = 1.0
    ratio: Annotated[StrictFloat, Field(ge=1, le=10)] = 2.0
    budget_min: Annotated[StrictFloat, Field(gt=0)] | None = None

    places_backward: ClassVar[bool] = True

    @field_validator("lead_days", "ratio", "budget_min", mode="before")
    @classmethod
    def _float(cls, value: Any) -> Any:
        return float(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @property
    def label(self) -> str:
        """The plan string (see :attr:`ReinforcementPlan.label`)."""
        text = f"deadline:{self.deadline_day}"
        if self.touches != 4 or self.ratio != 2.0:
            text += f"x{self.touches}"
        if self.ratio != 2.0:
            text += f":{_num(self.ratio)}"
        if self.lead_days != 1.0:
            text += f" (lead {_num(self.lead_days)} d)"
        if self.budget_min is not None:
            text += f" (<= {_num(self.budget_min)} min)"
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

    def build(self, journey: Journey) -> PlanSchedule:
        """Build the schedule; with ``budget_min``, the most touches (up to ``touches``) that fit it."""
        if self.budget_min is None:
            return super().build(journey)
        schedule = None
        for count in range(self.touches, 0, -1):
            trial = self._with(touches=count, budget_min=None)
            schedule = trial.build(journey)
            if schedule.minutes <= self.budget_min + 1e-9:
                return PlanSchedule(
                    label=self.label,
                    activities=schedule.activities,
                    touches=schedule.touches,
                    skipped=schedule.skipped,
                    dropped=schedule.dropped,
                    edges=schedule.edges,
                )
        assert schedule is not None
        return PlanSchedule(
            label=self.label,
            activities=(),
            touches=(),
            skipped=schedule.skipped,
            notes=(f"one touch takes {schedule.minutes:g} minutes, more than the budget of {_num(self.budget_min)}",),
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


# ---- plan strings ----------------------------------------------------------------------------


_FAMILIES = ("none", "massed", "fixed", "expanding", "cadence", "target", "deadline")


def _forms_hint() -> str:
    return "valid forms: " + "; ".join(PLAN_FORMS)


def _bad(text: str, expected: str) -> ParameterError:
    return ParameterError(f"plan {text!r}: expected {expected}; {_forms_hint()}")


def _int(text: str, part: str, expected: str) -> int:
    try:
        value = int(part)
    except ValueError:
        raise _bad(text, expected) from None
    return value


def _float(text: str, part: str, expected: str) -> float:
    try:
        value = float(part)
    except ValueError:
        raise _bad(text, expected) from None
    if not math.isfinite(value):
        raise _bad(text, expected)
    return value


def _build(text: str, cls: type[ReinforcementPlan], values: dict[str, Any]) -> ReinforcementPlan:
    from workbench.errors import JourneyError

    try:
        return cls(**values)
    except JourneyError as exc:
        raise ParameterError(f"plan {text!r}: " + "; ".join(exc.problems) + f"; {_forms_hint()}") from None


def parse_plan(text: str, **options: Any) -> ReinforcementPlan:
    """Build a plan from its string form (see :data:`PLAN_FORMS`).

    Parameters
    ----------
    text : str
        ``none``, ``massed``, ``fixed:7x4``, ``expanding``, ``expanding:2,5,12,30``,
        ``cadence``, ``target:0.85``, ``deadline:90``, ``deadline:90x6``...
    **options
        Further fields of the plan (``constraints=``, ``kind=``, ``concepts=``...).

    Raises
    ------
    UnknownNameError
        Unknown plan family (the message lists the valid forms).
    ParameterError
        Malformed or out-of-range parameters.

    Examples
    --------
    >>> parse_plan("fixed:7x4").interval_days
    7
    >>> parse_plan("deadline:60x6").touches
    6
    >>> parse_plan("weekly")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    workbench.errors.UnknownNameError: unknown plan 'weekly'; valid forms: none; massed; ...
    """
    values: dict[str, Any]
    if not isinstance(text, str):
        raise ParameterError(f"plan: expected a plan string, got {type(text).__name__}; {_forms_hint()}")
    raw = text.strip()
    name, _, argument = raw.partition(":")
    name = name.strip().lower()
    argument = argument.strip()
    has_argument = ":" in raw
    if name not in _FAMILIES:
        close = difflib.get_close_matches(name, _FAMILIES, n=2, cutoff=0.6)
        hint = f"did you mean {' or '.join(close)}? " if close else ""
        raise UnknownNameError(f"unknown plan {text!r}; {hint}{_forms_hint()}")
    if has_argument and not argument:
        raise _bad(text, f"a parameter after '{name}:'")
    if name == "none":
        if has_argument:
            raise _bad(text, "'none' without parameters")
        return _build(text, NoPlan, options)
    if name == "massed":
        values = {"reviews": _int(text, argument, "massed or massed:N, e.g. massed:3")} if has_argument else {}
        return _build(text, MassedPlan, {**values, **options})
    if name == "fixed":
        if not has_argument:
            return _build(text, FixedPlan, options)
        expected = "fixed:IxK (every I days, K times), e.g. fixed:7x4"
        interval, sep, count = argument.lower().partition("x")
        if not sep:
            raise _bad(text, expected)
        values = {"interval_days": _int(text, interval, expected), "touches": _int(text, count, expected)}
        return _build(text, FixedPlan, {**values, **options})
    if name == "expanding":
        if not has_argument:
            return _build(text, ExpandingPlan, options)
        expected = "expanding:G1,G2,... with gaps in days, e.g. expanding:2,5,12,30"
        parts = [p.strip() for p in argument.replace("-", ",").split(",")]
        gaps = tuple(_float(text, p, expected) for p in parts)
        return _build(text, ExpandingPlan, {"gaps": gaps, **options})
    if name == "cadence":
        values = (
            {"questions_per_day": _int(text, argument, "cadence or cadence:Q, e.g. cadence:2")} if has_argument else {}
        )
        return _build(text, CadencePlan, {**values, **options})
    if name == "target":
        expected = "target:R with R a recall probability in [0.5, 0.98], e.g. target:0.85 (or target:R:UNTIL)"
        if not has_argument:
            raise _bad(text, expected)
        parts = argument.split(":")
        if len(parts) > 2:
            raise _bad(text, expected)
        values = {"target": _float(text, parts[0], expected)}
        if len(parts) == 2:
            values["until_day"] = _float(text, parts[1], expected)
        return _build(text, TargetRetentionPlan, {**values, **options})
    expected = "deadline:D, deadline:DxK or deadline:DxK:RATIO, e.g. deadline:90 or deadline:90x6:2.5"
    if not has_argument:
        raise _bad(text, expected)
    parts = argument.lower().split(":")
    if len(parts) > 2:
        raise _bad(text, expected)
    day, sep, count = parts[0].partition("x")
    values = {"deadline_day": _int(text, day, expected)}
    if sep:
        values["touches"] = _int(text, count, expected)
    if len(parts) == 2:
        values["ratio"] = _float(text, parts[1], expected)
    return _build(text, DeadlinePlan, {**values, **options})


def parse_plans(text: str | Sequence[str], **options: Any) -> list[ReinforcementPlan]:
    """Parse a comma-separated list of plans (``"none,expanding:2,5,12,30,fixed:7x4"``).

    A comma followed by a number continues the previous plan's parameters, so custom
    expanding gaps need no quoting.

    Examples
    --------
    >>> [p.label for p in parse_plans("none,expanding:2,5,12,30,fixed:7x4")]
    ['none', 'expanding:2,5,12,30', 'fixed:7x4']
    """
    if isinstance(text, str):
        pieces: list[str] = []
        for token in text.split(","):
            token = token.strip()
            if pieces and token and not token[0].isalpha():
                pieces[-1] += "," + token
            else:
                pieces.append(token)
    else:
        pieces = [str(t).strip() for t in text]
    if not pieces or any(not p for p in pieces):
        raise ParameterError(
            f"plans: empty plan in {text!r}; give a comma-separated list, e.g. none,expanding,fixed:7x4"
        )
    return [parse_plan(p, **options) for p in pieces]
