"""Delivery constraints every plan respects, and the placement of touches under them.

A plan first says *when it would like* each concept to be touched (a list of touch
requests); :func:`place_touches` then moves those requests as little as possible so that

* nothing lands before the concept's anchor (its last formal touch, see
  :mod:`workbench.plans._context`), hence never before it is first taught;
* weekends are skipped when ``workdays_only`` (a Saturday or Sunday touch moves to Monday;
  for deadline plans, which place touches backwards from a date, to the Friday before);
* no calendar week (Monday to Sunday) holds more than ``max_touches_per_week`` touches or
  ``max_minutes_per_week`` minutes; a touch that does not fit moves to the next week (the
  previous one for deadline plans). Touches already in the journey that are not formal
  events (primers, recaps, quizzes, prompts: every non-formal dated activity) count towards
  these caps, because the learner receives them too; formal events (workshops, sessions,
  modules) do not.

Touches of several concepts due on the same day share one activity (one quiz that asks
about each), so that "touches" means what the learner receives.

Examples
--------
>>> PlanConstraints(max_touches_per_week=2, workdays_only=True).weekday(5)
5
>>> PlanConstraints(start_weekday=4).weekday(1)  # day 0 is a Friday: day 1 is a Saturday
5
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Annotated

from pydantic import Field

from workbench._values import StrictBool, StrictFloat, Value
from workbench.model.activity import MAX_DAY
from workbench.vocabulary import Channel

__all__ = ["PlacedTouch", "PlacementResult", "PlanConstraints", "TouchRequest", "place_touches"]

#: Plans never schedule beyond this day (the journey's own limit is MAX_DAY).
LAST_PLAN_DAY = MAX_DAY - 1.0
#: Nor before this day (the earliest day a schedule may name).
FIRST_PLAN_DAY = -365.0


class PlanConstraints(Value):
    """What a plan may ask of each learner.

    Parameters
    ----------
    max_touches_per_week : int, optional
        At most this many touches per learner per calendar week (Monday to Sunday), counting
        the journey's own non-formal activities too. None: no cap.
    max_minutes_per_week : float, optional
        At most this many learner minutes of touches per calendar week (same counting).
    channels : tuple of Channel
        Channels the plan may use; empty means any channel of the plan's kind.
    workdays_only : bool
        Move touches that fall on a Saturday or Sunday to the Monday after (deadline plans:
        to the Friday before).
    start_weekday : int
        Day of the week of day 0 of the journey, 0 = Monday ... 6 = Sunday.

    Examples
    --------
    >>> c = PlanConstraints(max_touches_per_week=3, channels=("mobile", "chat"))
    >>> [ch.value for ch in c.channels]
    ['mobile', 'chat']
    >>> c.week_of(6.0), c.week_of(7.0), c.week_start(1)
    (0, 1, 7.0)
    """

    max_touches_per_week: Annotated[int, Field(ge=1, le=100)] | None = None
    max_minutes_per_week: Annotated[StrictFloat, Field(gt=0, le=10_080)] | None = None
    channels: tuple[Channel, ...] = ()
    workdays_only: StrictBool = False
    start_weekday: Annotated[int, Field(ge=0, le=6)] = 0

    def weekday(self, day: float) -> int:
        """Day of the week of ``day`` (0 = Monday ... 6 = Sunday)."""
        return (self.start_weekday + math.floor(day)) % 7

    def week_of(self, day: float) -> int:
        """Index of the calendar week (Monday to Sunday) that holds ``day``."""
        return (math.floor(day) + self.start_weekday) // 7

    def week_start(self, week: int) -> float:
        """Day offset of the Monday that starts calendar week ``week``."""
        return float(7 * week - self.start_weekday)

    def allows(self, channel: Channel) -> bool:
        """Whether ``channel`` may be used."""
        return not self.channels or channel in self.channels

    @property
    def capped(self) -> bool:
        """Whether any weekly cap is set."""
        return self.max_touches_per_week is not None or self.max_minutes_per_week is not None


@dataclass(frozen=True)
class TouchRequest:
    """A wish: touch ``concepts`` on ``day``; ``slot`` separates same-day touches (massed)."""

    day: float
    concepts: tuple[str, ...]
    slot: int = 0


@dataclass(frozen=True)
class PlacedTouch:
    """A touch as placed: the day, its concepts and its minutes."""

    day: float
    concepts: tuple[str, ...]
    minutes: float
    slot: int = 0


@dataclass(frozen=True)
class PlacementResult:
    """Placed touches, in day order, and what could not be placed (with why)."""

    touches: tuple[PlacedTouch, ...]
    dropped: tuple[tuple[str, float, str], ...] = field(default=())  # (concept, wished day, why)


def _frac(day: float) -> float:
    return day - math.floor(day)


def place_touches(
    requests: Iterable[TouchRequest],
    constraints: PlanConstraints,
    *,
    minutes: Callable[[int], float],
    existing: Sequence[tuple[float, float]] = (),
    lower_bound: Callable[[str], float] | None = None,
    upper_bound: float | None = None,
    backward: bool = False,
) -> PlacementResult:
    """Place touch requests under the weekly caps and the workday rule.

    Parameters
    ----------
    requests : iterable of TouchRequest
        Wished touches. Requests on the same day and slot are merged into one touch.
    constraints : PlanConstraints
    minutes : callable
        Minutes of a touch that covers ``n`` concepts.
    existing : sequence of (day, minutes)
        Touches already in the journey that count towards the caps.
    lower_bound : callable, optional
        Earliest day each concept may be touched (backward placement never goes below it).
    upper_bound : float, optional
        Latest day a touch may land on (forward placement drops what would go beyond).
    backward : bool
        Move touches earlier instead of later (deadline plans), latest requests first.

    Returns
    -------
    PlacementResult

    Examples
    --------
    >>> c = PlanConstraints(max_touches_per_week=1, workdays_only=True)
    >>> r = place_touches([TouchRequest(5.0, ("a",)), TouchRequest(8.0, ("b",))], c, minutes=lambda n: 3.0)
    >>> [(t.day, t.concepts) for t in r.touches]
    [(7.0, ('a',)), (14.0, ('b',))]
    """
    placement = _Placement(constraints, minutes, existing, lower_bound, upper_bound, backward)
    for request in requests:
        if request.concepts:
            placement.push(request.day, request.slot, request.concepts)
    return placement.run()


class _Placement:
    """The state of one :func:`place_touches` run: a queue of wishes, the weeks' load, the touches placed.

    Wishes are taken in day order (latest first when ``backward``); a wish that does not fit
    its week is deferred to the next week (the previous one when ``backward``).
    """

    def __init__(
        self,
        constraints: PlanConstraints,
        minutes: Callable[[int], float],
        existing: Sequence[tuple[float, float]],
        lower_bound: Callable[[str], float] | None,
        upper_bound: float | None,
        backward: bool,
    ) -> None:
        self.constraints, self.minutes, self.backward = constraints, minutes, backward
        self.lower_bound = lower_bound
        self.sign = -1.0 if backward else 1.0
        self.last_day = min(LAST_PLAN_DAY, upper_bound) if upper_bound is not None else LAST_PLAN_DAY
        self.count: dict[int, int] = {}  # touches per week
        self.used: dict[int, float] = {}  # minutes per week
        for day, mins in existing:
            week = constraints.week_of(day)
            self.count[week] = self.count.get(week, 0) + 1
            self.used[week] = self.used.get(week, 0.0) + mins
        self.heap: list[tuple[float, int, int, tuple[str, ...]]] = []
        self.seq = 0  # ties keep the order of arrival
        self.placed: dict[tuple[float, int], list[str]] = {}
        self.dropped: list[tuple[str, float, str]] = []

    def push(self, day: float, slot: int, concepts: Sequence[str]) -> None:
        heapq.heappush(self.heap, (self.sign * day, slot, self.seq, tuple(concepts)))
        self.seq += 1

    def bound(self, concept: str) -> float:
        return self.lower_bound(concept) if self.lower_bound is not None else -math.inf

    def shift_workday(self, day: float) -> float:
        if not self.constraints.workdays_only:
            return day
        weekday = self.constraints.weekday(day)
        if weekday < 5:
            return day
        return day - (weekday - 4) if self.backward else day + (7 - weekday)

    def other_week(self, day: float) -> float:
        week = self.constraints.week_of(day)
        if self.backward:
            sunday = self.constraints.week_start(week) - 1.0
            return sunday + _frac(day)  # shift_workday moves it to Friday when needed
        return self.constraints.week_start(week + 1) + _frac(day)

    def defer(self, day: float, slot: int, concepts: Sequence[str]) -> None:
        if concepts:
            self.push(self.other_week(day), slot, concepts)

    def fitting(self, existing_n: int, new: Sequence[str], room: float) -> int:
        """How many of ``new`` fit in ``room`` minutes on top of a touch of ``existing_n``."""
        base = self.minutes(existing_n) if existing_n else 0.0
        fit = 0
        for m in range(1, len(new) + 1):
            if self.minutes(existing_n + m) - base <= room + 1e-9:
                fit = m
            else:
                break
        return fit

    def run(self) -> PlacementResult:
        while self.heap:
            signed_day, slot, _, concepts = heapq.heappop(self.heap)
            day = self.shift_workday(self.sign * signed_day)
            if self.backward:
                keep = tuple(c for c in concepts if day >= max(self.bound(c), FIRST_PLAN_DAY))
                self.dropped.extend((c, day, "no room before the deadline") for c in concepts if c not in keep)
                concepts = keep
                if not concepts:
                    continue
            elif day > self.last_day:
                self.dropped.extend((c, day, f"would land after day {self.last_day:g}") for c in concepts)
                continue
            if (day, slot) in self.placed:
                self.join(day, slot, concepts)
            else:
                self.open(day, slot, concepts)
        touches = tuple(
            PlacedTouch(day=day, concepts=tuple(group), minutes=self.minutes(len(group)), slot=slot)
            for (day, slot), group in sorted(self.placed.items())
        )
        return PlacementResult(touches=touches, dropped=tuple(self.dropped))

    def room(self, week: int) -> float:
        cap = self.constraints.max_minutes_per_week
        return math.inf if cap is None else cap - self.used.get(week, 0.0)

    def join(self, day: float, slot: int, concepts: tuple[str, ...]) -> None:
        """Add concepts to the touch already placed on ``day`` and ``slot``, as far as the minutes allow."""
        week = self.constraints.week_of(day)
        group = self.placed[(day, slot)]
        clash = tuple(c for c in concepts if c in group)
        if clash:  # already touched that day: keep the touch, one day later (earlier if backward)
            self.push(day + self.sign, slot, clash)
        new = [c for c in concepts if c not in group]
        fit = self.fitting(len(group), new, self.room(week))
        if fit:
            self.used[week] = self.used.get(week, 0.0) + self.minutes(len(group) + fit) - self.minutes(len(group))
            group.extend(new[:fit])
        self.defer(day, slot, new[fit:])

    def open(self, day: float, slot: int, concepts: tuple[str, ...]) -> None:
        """Place a new touch on ``day`` if its week has room for it (and for how many concepts)."""
        week = self.constraints.week_of(day)
        cap = self.constraints.max_touches_per_week
        if cap is not None and self.count.get(week, 0) >= cap:
            self.defer(day, slot, concepts)
            return
        fit = self.fitting(0, concepts, self.room(week))
        if fit:
            self.placed[(day, slot)] = list(concepts[:fit])
            self.count[week] = self.count.get(week, 0) + 1
            self.used[week] = self.used.get(week, 0.0) + self.minutes(fit)
        self.defer(day, slot, concepts[fit:])
