"""Per-learner adaptive schedules: each learner's next touch when *their* recall falls to a target.

The population simulator schedules touches per journey, so :class:`TargetRetentionPlan`
simulates the schedule of one typical learner. A delivery system that adapts per learner
(a spaced-repetition app, an LMS with adaptive rules) needs every learner's own schedule:
:func:`adaptive_schedule` computes it, vectorised over learners, for a per-learner CSV export.

What is modelled, per learner and concept:

* the learner's memory clock runs at their own rate, drawn exactly as
  :func:`workbench.simulate.simulate` draws it for the same seed and population (so learner
  ``i`` here is learner ``i`` of the simulation), times the concept's difficulty rate;
* the learner does the journey's required dated touches (retrievals succeed with the
  predicted recall probability, drawn at random) and every touch of this schedule;
* after the concept's anchor (its last formal touch), the next touch comes when predicted
  recall falls to ``target`` (the memory model's ``interval_days``, at least one day later);
  a retrieval missed at that touch is a lapse, so the next interval is short: repeat-after-miss
  follows from the model;
* ``workdays_only`` moves a touch due on a weekend to the Monday after; weekly caps are not
  applied per learner (a delivery system enforces them), and engagement is not modelled
  (the schedule is what to *offer* each learner).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from workbench._random import RandomLike, as_seed_sequence
from workbench.errors import ParameterError
from workbench.memory import MemoryModel, MemoryState
from workbench.model import Journey
from workbench.plans._checks import check_journey, check_population
from workbench.plans._context import JourneyContext
from workbench.plans.constraints import PlanConstraints
from workbench.simulate.engine import learner_memory_rates
from workbench.simulate.population import LearnerPopulation, TouchEffects
from workbench.simulate.profiles import resolve_profile
from workbench.simulate.touch import apply_touch

__all__ = ["adaptive_schedule", "learner_rates"]

_OUTCOME_STREAM = 2**31 - 1  # spawn key of the retrieval outcomes (apart from the engine's)


def learner_rates(population: LearnerPopulation, rng: RandomLike, profile: Any = None) -> np.ndarray:
    """Each learner's memory clock rate, as :func:`~workbench.simulate.simulate` draws it.

    Examples
    --------
    >>> rates = learner_rates(LearnerPopulation(size=5, memory_sigma=0.0), rng=1)
    >>> rates.tolist()
    [1.0, 1.0, 1.0, 1.0, 1.0]
    """
    return learner_memory_rates(population, rng, profile)


def _shift_weekend(days: np.ndarray, constraints: PlanConstraints | None) -> np.ndarray:
    if constraints is None or not constraints.workdays_only:
        return days
    weekday = (constraints.start_weekday + np.floor(days)) % 7
    return np.where(weekday >= 5, days + (7 - weekday), days)


def _touch(
    model: MemoryModel,
    state: MemoryState | None,
    elapsed: np.ndarray,
    effect: str,
    effects: TouchEffects,
    kind: str,
    uniform: np.ndarray | float,
    calendar: np.ndarray,
) -> MemoryState:
    """Return the state after a touch of a concept every learner has met, or its first touch (``state`` None).

    ``elapsed`` runs on each learner's memory clock, ``calendar`` on the calendar (it decides a
    same-day review).
    """
    return apply_touch(
        model,
        state,
        elapsed,
        effect,
        gain=effects.gain(effect, kind),
        first_rating=effects.first_rating(effect),
        draws=uniform,
        calendar_days=calendar,
    ).state


@dataclass(frozen=True)
class _Rules:
    """What every concept's schedule follows: the memory, the touch and when touches may come."""

    memory: MemoryModel
    effects: TouchEffects
    target: float
    until_day: float
    kind: str
    effect: str
    constraints: PlanConstraints | None
    max_touches: int


#: One journey touch of a concept: its day, memory effect and activity kind.
_Event = tuple[float, str, str]


def _anchor_state(
    rules: _Rules, before: list[_Event], rate: np.ndarray, outcomes: np.random.Generator
) -> tuple[MemoryState, np.ndarray]:
    """Return every learner's memory state and last touch day after the journey's touches up to the anchor."""
    n = len(rate)
    first_day, first_effect, first_kind = before[0]
    state = _touch(rules.memory, None, np.zeros(n), first_effect, rules.effects, first_kind, 0.0, np.zeros(n))
    last = np.full(n, first_day)
    for day, effect, kind in before[1:]:
        elapsed = (day - last) * rate
        state = _touch(rules.memory, state, elapsed, effect, rules.effects, kind, outcomes.random(n), day - last)
        last = np.full(n, day)
    return state, last


def _concept_touches(
    rules: _Rules,
    events: list[_Event],
    anchor: float,
    rate: np.ndarray,
    outcomes: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """Return (learner, day) of every adaptive touch of one concept, in the order they are due.

    Each step moves every learner to their next moment: the plan's touch when it is due
    before the journey's next touch of the concept, else that journey touch.
    """
    before = [e for e in events if e[0] <= anchor]
    after = [e for e in events if e[0] > anchor]
    if not before:
        return np.zeros(0, dtype=np.intp), np.zeros(0)
    memory, effects, n = rules.memory, rules.effects, len(rate)
    state, last = _anchor_state(rules, before, rate, outcomes)
    event_days = np.array([e[0] for e in after] + [math.inf])
    position = np.zeros(n, dtype=np.intp)
    count = np.zeros(n, dtype=np.intp)
    learners: list[np.ndarray] = []
    touch_days: list[np.ndarray] = []
    for _ in range(rules.max_touches + len(after) + 1):
        interval = np.asarray(memory.interval_days(state, rules.target, rounded=False), dtype=np.float64)  # type: ignore[call-arg]
        due = last + np.maximum(1.0, np.floor(interval / rate + 1e-9))
        due = _shift_weekend(np.maximum(due, anchor + 1.0), rules.constraints)
        upcoming = event_days[position]
        plan_now = (due < upcoming) & (due <= rules.until_day) & (count < rules.max_touches)
        event_now = ~plan_now & (upcoming <= rules.until_day) & np.isfinite(upcoming)
        if not (plan_now.any() or event_now.any()):
            break
        uniform = outcomes.random(n)
        when = np.where(plan_now, due, np.where(event_now, upcoming, last))
        elapsed = (when - last) * rate
        calendar = when - last
        updated = state
        if plan_now.any():
            learners.append(np.flatnonzero(plan_now))
            touch_days.append(due[plan_now])
            updated = updated.select(
                plan_now, _touch(memory, state, elapsed, rules.effect, effects, rules.kind, uniform, calendar)
            )
            count += plan_now
        for event in np.unique(position[event_now]):
            _, event_effect, event_kind = after[int(event)]
            cells = event_now & (position == event)
            reviewed = _touch(memory, state, elapsed, event_effect, effects, event_kind, uniform, calendar)
            updated = updated.select(cells, reviewed)
        state = updated
        last = np.where(plan_now | event_now, when, last)
        position += event_now
    if not learners:
        return np.zeros(0, dtype=np.intp), np.zeros(0)
    return np.concatenate(learners), np.concatenate(touch_days)


def adaptive_schedule(
    journey: Journey,
    population: LearnerPopulation | None = None,
    target: float = 0.85,
    *,
    model: str | MemoryModel | None = None,
    rng: RandomLike = 0,
    until_day: float = 180.0,
    concepts: tuple[str, ...] | None = None,
    kind: str = "spaced_recall_quiz",
    effects: TouchEffects | None = None,
    constraints: PlanConstraints | None = None,
    max_touches_per_concept: int = 30,
    profile: Any = None,
) -> pd.DataFrame:
    """Every learner's adaptive schedule: a touch whenever their predicted recall falls to ``target``.

    Parameters
    ----------
    journey : Journey
    population : LearnerPopulation, optional
        Who learns (default 1,000 learners); only memory variation matters here.
    target : float
        Recall probability at which a touch is due, in [0.5, 0.98].
    model : str or MemoryModel, optional
        Forgetting model (default: the memory profile's, with its parameters).
    rng : int, Generator, SeedSequence or None
        Seed; the same seed as a simulation gives the same learners.
    until_day : float
        No touch after this day.
    concepts : tuple of str, optional
        Concepts to schedule (default: every concept a dated activity teaches).
    kind : str
        Catalog kind of the touches (its memory effect applies).
    effects : TouchEffects, optional
        Strength of passive effects (default: the memory profile's).
    constraints : PlanConstraints, optional
        Only ``workdays_only`` and ``start_weekday`` apply.
    max_touches_per_concept : int
        Safety bound on touches per learner and concept.
    profile : str, MemoryProfile or Calibration, optional
        How learners remember (default: the default memory profile); the same profile as a
        simulation gives the same learners.

    Returns
    -------
    pandas.DataFrame
        Columns ``learner_id, concept, day``, sorted by learner, day and concept.

    Examples
    --------
    >>> from workbench.templates import load_template
    >>> frame = adaptive_schedule(load_template("post_training_retention"),
    ...                           LearnerPopulation(size=200), target=0.85, rng=1)
    >>> frame.columns.tolist()
    ['learner_id', 'concept', 'day']
    >>> bool(frame["day"].min() >= 1.0) and bool(frame["day"].max() <= 180.0)
    True
    """
    check_journey(journey)
    if not 0.5 <= float(target) <= 0.98:
        raise ParameterError(f"target: must be a recall probability in [0.5, 0.98] (got {target!r})")
    if max_touches_per_concept < 1:
        raise ParameterError(f"max_touches_per_concept: must be at least 1 (got {max_touches_per_concept})")
    population = check_population(population)
    memory_profile = resolve_profile(profile)
    if kind not in journey.catalog:
        raise ParameterError(f"kind: {journey.catalog.unknown_kind_message(kind)}")
    context = JourneyContext.of(journey, memory_profile)
    if concepts is not None:
        unknown = [c for c in concepts if c not in context.concepts]
        if unknown:
            raise ParameterError(
                f"concepts: {', '.join(map(repr, unknown))} not in journey {journey.id!r} "
                f"(concepts: {', '.join(context.concepts)})"
            )
    rules = _Rules(
        memory=memory_profile.model_for(model),
        effects=effects or memory_profile.effects,
        target=float(target),
        until_day=until_day,
        kind=kind,
        effect=journey.catalog[kind].memory_effect.value,
        constraints=constraints,
        max_touches=max_touches_per_concept,
    )
    root = as_seed_sequence(rng)
    rates = learner_rates(population, root, memory_profile)
    days = journey.days
    timeline = [a for a in journey.timeline() if days[a.id] is not None and a.required]
    frames = []
    for index, info in enumerate(context.taught(concepts)):
        rate = rates * float(population.concept_rate(journey.concept(info.id).difficulty or 5.0))
        events = [
            (float(days[a.id] or 0.0), effect.value, a.kind)
            for a in timeline
            if (effect := a.effect_on(info.id)) is not None
        ]
        outcomes = np.random.Generator(
            np.random.PCG64(np.random.SeedSequence(root.entropy, spawn_key=(*root.spawn_key, _OUTCOME_STREAM, index)))
        )
        ids, touch_days = _concept_touches(rules, events, float(info.anchor_day or 0.0), rate, outcomes)
        if len(ids):
            frames.append(
                pd.DataFrame(
                    {
                        "learner_id": ids.astype(np.int64),
                        "concept": np.full(len(ids), info.id, dtype=object),
                        "day": touch_days.astype(float),
                    }
                )
            )
    if not frames:
        return pd.DataFrame({"learner_id": pd.Series(dtype="int64"), "concept": [], "day": pd.Series(dtype=float)})
    frame = pd.concat(frames, ignore_index=True)
    return frame.sort_values(["learner_id", "day", "concept"], kind="stable").reset_index(drop=True)
