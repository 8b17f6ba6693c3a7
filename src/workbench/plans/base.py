"""The plan base: what every reinforcement plan shares, the family registry and plan-string tokens.

A plan is a frozen :class:`ReinforcementPlan`; ``plan.build(journey)`` works out the
:class:`PlanSchedule` it adds and ``plan.apply(journey)`` returns the journey with it. Each
family (:mod:`workbench.plans.families`) registers itself by its ``family`` name with its
plan-string ``forms``, parses the part after ``family:`` (:meth:`ReinforcementPlan.from_argument`)
and describes itself in words (:meth:`ReinforcementPlan.describe`), so the grammar
(:mod:`workbench.plans.grammar`) needs no list of families.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, ClassVar

import pandas as pd
from pydantic import Field

from workbench._values import Id, Value
from workbench.catalog import ActivityKind
from workbench.errors import JourneyError, ParameterError, PlanAlreadyAppliedError
from workbench.model import Activity, Edge, Journey
from workbench.plans._context import ConceptInfo, JourneyContext
from workbench.plans.constraints import PlacedTouch, PlanConstraints, TouchRequest, place_touches
from workbench.vocabulary import Channel, EdgeKind, Layer

__all__ = [
    "PlanSchedule",
    "ReinforcementPlan",
    "argument_parts",
    "as_float",
    "as_int",
    "bad",
    "construct",
    "forms_hint",
    "number_text",
    "whole_as_float",
]


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
    #: Plan-string forms of the family, as error messages show them (registered families only).
    forms: ClassVar[tuple[str, ...]] = ()
    _registry: ClassVar[dict[str, type[ReinforcementPlan]]] = {}

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        """Register a family that names its plan-string forms (the grammar looks families up here)."""
        super().__pydantic_init_subclass__(**kwargs)
        if cls.forms and "family" in cls.__dict__:
            ReinforcementPlan._registry[cls.family] = cls

    @classmethod
    def registry(cls) -> dict[str, type[ReinforcementPlan]]:
        """Return the registered families by name, in registration order."""
        return dict(ReinforcementPlan._registry)

    @classmethod
    def from_argument(cls, text: str, argument: str | None, options: dict[str, Any]) -> ReinforcementPlan:
        """Build the plan from what follows ``family:`` in its plan string (None: nothing follows).

        ``text`` is the whole plan string (for messages); ``options`` are further fields.
        """
        if argument is not None:
            raise bad(text, f"'{cls.family}' without parameters")
        return construct(text, cls, options)

    def describe(self) -> str:
        """Say what the plan adds, in words a learning leader reads (from its fields, not its string)."""
        return self.label

    @property
    def _kind_words(self) -> str:
        return str(self.kind).replace("_", " ")

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

    def build(self, journey: Journey, *, profile: Any = None) -> PlanSchedule:
        """Work out the activities this plan adds to ``journey`` (without adding them).

        ``profile`` (a memory profile name, profile or calibration; None: the default profile)
        is who the journey is simulated for: plans that schedule from a memory model (target,
        cadence) use its model, so give the profile the simulation uses.

        Examples
        --------
        >>> from workbench.plans import ExpandingPlan
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
        context = JourneyContext.of(journey, profile)
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

    def apply(self, journey: Journey, *, profile: Any = None) -> Journey:
        """Return ``journey`` with this plan's touches added (a new, validated journey).

        ``profile``: the memory profile the plan schedules for (see :meth:`build`).

        Examples
        --------
        >>> from workbench.plans import MassedPlan
        >>> from workbench.templates import load_template
        >>> j = MassedPlan().apply(load_template("post_training_retention"))
        >>> j.day_of("plan-massed-workshop-1")
        0.0
        """
        schedule = self.build(journey, profile=profile)
        if not schedule.activities:
            return journey
        return journey.evolve(
            activities=(*journey.activities, *schedule.activities), edges=(*journey.edges, *schedule.edges)
        )

    def schedule(self, journey: Journey, *, profile: Any = None) -> pd.DataFrame:
        """Return the added activities as a frame (see :meth:`PlanSchedule.to_frame`)."""
        return self.build(journey, profile=profile).to_frame()


def _activity_id(prefix: str, anchor: str, number: int) -> str:
    text = f"{prefix}-{anchor}-{number}"
    if len(text) <= 80:
        return text
    digest = f"{zlib.crc32(anchor.encode()):08x}"
    room = 80 - len(prefix) - len(str(number)) - len(digest) - 3
    return f"{prefix}-{anchor[: max(room, 1)]}{digest}-{number}"


# ---- plan-string tokens (used by each family's parser) --------------------------------------


def forms_hint() -> str:
    """Return every accepted plan-string form, for error messages."""
    return "valid forms: " + "; ".join(form for cls in ReinforcementPlan.registry().values() for form in cls.forms)


def bad(text: str, expected: str) -> ParameterError:
    """Return the error for a malformed plan string (what was expected, and every valid form)."""
    return ParameterError(f"plan {text!r}: expected {expected}; {forms_hint()}")


def argument_parts(text: str, argument: str | None, expected: str, *, most: int) -> list[str]:
    """Split a required plan-string argument at ``:`` into at most ``most`` parts."""
    if argument is None:
        raise bad(text, expected)
    parts = argument.split(":")
    if len(parts) > most:
        raise bad(text, expected)
    return parts


def as_int(text: str, part: str, expected: str) -> int:
    """Read a whole number from a plan string's ``part``."""
    try:
        value = int(part)
    except ValueError:
        raise bad(text, expected) from None
    return value


def as_float(text: str, part: str, expected: str) -> float:
    """Read a finite number from a plan string's ``part``."""
    try:
        value = float(part)
    except ValueError:
        raise bad(text, expected) from None
    if not math.isfinite(value):
        raise bad(text, expected)
    return value


def number_text(value: float) -> str:
    """Write a number as plan strings and labels do (``7``, ``0.85``, ``2.5``)."""
    return f"{value:g}"


def whole_as_float(value: Any) -> Any:
    """Return a whole number (or each whole number of a list or tuple) as a float, anything else as is.

    Plan fields are strict floats; ``target=1`` or ``gaps=(2, 5)`` mean what they say, while a
    ``bool`` stays a ``bool`` so that validation refuses it.

    Examples
    --------
    >>> whole_as_float(2), whole_as_float([1, 2.5]), whole_as_float(True)
    (2.0, (1.0, 2.5), True)
    """
    if isinstance(value, list | tuple):
        return tuple(whole_as_float(v) for v in value)
    return float(value) if isinstance(value, int) and not isinstance(value, bool) else value


def construct(text: str, cls: type[ReinforcementPlan], values: dict[str, Any]) -> ReinforcementPlan:
    """Build a plan of ``cls``; a field out of range is reported against the plan string."""
    try:
        return cls(**values)
    except JourneyError as exc:
        raise ParameterError(f"plan {text!r}: " + "; ".join(exc.problems) + f"; {forms_hint()}") from None
