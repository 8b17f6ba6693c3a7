"""Population Monte Carlo of a journey: who does which touch, and what each learner remembers.

The hot path is vectorised over learners x concepts. Learners are simulated in blocks of a
fixed size; every random draw comes from a stream keyed by (block, touch), where a touch is
keyed by its activity id. Hence:

* the same seed gives the same result, whatever the number of worker threads;
* two journeys that share activities share their random numbers for those activities
  (common random numbers), so comparing plans compares plans, not noise.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import pandas as pd
from scipy.special import expit, logit

from workbench._random import RandomLike, as_seed_sequence, stream
from workbench.errors import ParameterError
from workbench.memory import MemoryModel, MemoryState
from workbench.model import Journey
from workbench.simulate.population import LearnerPopulation, TouchEffects
from workbench.simulate.profiles import MemoryProfile, resolve_profile
from workbench.simulate.result import SimulationResult
from workbench.simulate.touch import GOOD, review_met
from workbench.vocabulary import Channel, Layer, MemoryEffect

__all__ = ["BLOCK_SIZE", "Plan", "learner_memory_rates", "simulate"]

#: Learners per block: the unit of random streams (so results do not depend on threads).
BLOCK_SIZE = 4096
#: Learners whose daily recall is kept to estimate quantile bands.
QUANTILE_SAMPLE = 2000
#: Grid days evaluated at once (bounds memory: days x block x concepts floats).
DAYS_PER_BATCH = 16
_EFFECT_NAMES = tuple(e.value for e in MemoryEffect)
_EFFECT_CODES = {name: code for code, name in enumerate(_EFFECT_NAMES)}
_LIVE_CHANNELS = (Channel.IN_PERSON, Channel.VIRTUAL_CLASSROOM)


class Plan(Protocol):
    """Anything that adds reinforcement to a journey (see :mod:`workbench.plans`)."""

    def apply(self, journey: Journey, *, profile: Any = None) -> Journey:  # pragma: no cover - protocol
        """Return the journey with this plan's reinforcement added, scheduled for ``profile``'s learners."""
        ...


@dataclass(frozen=True)
class _Touch:
    """One delivery of an activity to the whole population (an on-demand asset has many)."""

    key: str  # activity id, plus the use number for on-demand assets
    activity_id: str
    kind: str
    day: float
    duration_min: float
    base_probability: float
    groups: tuple[tuple[str, np.ndarray, float], ...]  # (effect, concept columns, gain)


def _stream_key(text: str) -> int:
    return zlib.crc32(text.encode("utf-8"))


@dataclass(frozen=True)
class _PlannedGroup:
    """One memory effect of a touch, with everything the block loop needs settled once."""

    effect: str
    code: int  # index in _EFFECT_NAMES (the trace's effect code)
    cols: np.ndarray  # concept columns, in the order the activity covers them
    span: slice | None  # the same columns as a slice, when they are adjacent and in order
    columns: frozenset[int]
    gain: float
    retrieve: bool
    first_state: dict[str, np.ndarray]  # one cell's memory after a first encounter, per field


@dataclass(frozen=True)
class _PlannedTouch:
    """A touch as the block loop runs it: its stream key and engagement log-odds precomputed."""

    stream_key: int
    log_odds: float  # logit of the touch's base probability (shared by its repeats)
    duration_min: float
    day: float
    groups: tuple[_PlannedGroup, ...]


def _as_span(cols: np.ndarray) -> slice | None:
    """Return ``cols`` as a slice if they are adjacent columns in ascending order, else None."""
    first = int(cols[0]) if len(cols) else 0
    return slice(first, first + len(cols)) if np.array_equal(cols, np.arange(first, first + len(cols))) else None


def _plan(touches: Sequence[_Touch], model: MemoryModel, first_ratings: dict[str, int]) -> tuple[_PlannedTouch, ...]:
    """Settle, once per simulation, what every block would otherwise recompute per touch."""
    first_states = {
        effect: {name: np.array(array[0]) for name, array in model.initial_state(np.full(1, rating)).as_dict().items()}
        for effect, rating in first_ratings.items()
    }
    return tuple(
        _PlannedTouch(
            stream_key=1 + _stream_key(touch.key),
            log_odds=float(logit(touch.base_probability)),
            duration_min=touch.duration_min,
            day=touch.day,
            groups=tuple(
                _PlannedGroup(
                    effect=effect,
                    code=_EFFECT_CODES[effect],
                    cols=cols,
                    span=_as_span(cols),
                    columns=frozenset(int(c) for c in cols),
                    gain=gain,
                    retrieve=effect == MemoryEffect.RETRIEVE.value,
                    first_state=first_states[effect],
                )
                for effect, cols, gain in touch.groups
            ),
        )
        for touch in touches
    )


def _draw_memory_rates(learners: np.random.Generator, memory_sigma: float, size: int) -> np.ndarray:
    """Return the first draw of a block's learner stream: each learner's memory clock rate."""
    return np.exp(learners.normal(0.0, memory_sigma, size))


def _with_profile_sigma(population: LearnerPopulation, profile: MemoryProfile) -> LearnerPopulation:
    """Return the population with its memory spread settled: its own if set, else the profile's."""
    if population.memory_sigma is not None:
        return population
    return population.model_copy(update={"memory_sigma": profile.memory_sigma})


def learner_memory_rates(population: LearnerPopulation, rng: RandomLike, profile: Any = None) -> np.ndarray:
    """Each learner's memory clock rate exactly as :func:`simulate` draws it for ``rng``.

    Learner *i* here is learner *i* of a simulation with the same seed and memory profile
    (used by per-learner adaptive schedules, which must serve the same learners).

    Examples
    --------
    >>> learner_memory_rates(LearnerPopulation(size=3, memory_sigma=0.0), rng=1).tolist()
    [1.0, 1.0, 1.0]
    """
    root = as_seed_sequence(rng)
    n = population.size
    sigma = _with_profile_sigma(population, resolve_profile(profile)).memory_sigma
    assert sigma is not None
    return np.concatenate(
        [
            _draw_memory_rates(stream(root, block, 0), sigma, min(BLOCK_SIZE, n - start))
            for block, start in enumerate(range(0, n, BLOCK_SIZE))
        ]
    )


def _is_reinforcement(journey: Journey, activity_id: str) -> bool:
    activity = journey.activity(activity_id)
    return not journey.is_formal(activity) and activity.layer.value in (Layer.AFTER.value, Layer.WORK.value)


def _touches(journey: Journey, population: LearnerPopulation, effects: TouchEffects, horizon_days: int) -> list[_Touch]:
    """Return the schedule of touches, in the order they happen."""
    concept_index = {c.id: i for i, c in enumerate(journey.concepts)}
    engagement = population.engagement
    dated = [a for a in journey.timeline() if journey.days[a.id] is not None]
    formal_days = [day for a in dated if journey.is_formal(a) and (day := journey.days[a.id]) is not None]
    start_day = min(formal_days, default=0.0)

    def groups(activity_id: str) -> tuple[tuple[str, np.ndarray, float], ...]:
        activity = journey.activity(activity_id)
        by_effect: dict[str, list[int]] = {}
        for coverage in activity.covers:
            assert coverage.effect is not None
            by_effect.setdefault(coverage.effect.value, []).append(concept_index[coverage.concept])
        return tuple(
            (effect, np.array(cols, dtype=np.intp), effects.gain(effect, activity.kind))
            for effect, cols in by_effect.items()
        )

    touches: list[_Touch] = []
    series_position = 0
    for activity in dated:
        day = journey.days[activity.id]
        assert day is not None
        if day > horizon_days:
            continue
        p = engagement.required if activity.required else engagement.optional
        p *= engagement.channels.get(activity.channel, 1.0)
        if _is_reinforcement(journey, activity.id):
            p *= (1.0 - engagement.fatigue_per_touch) ** series_position
            series_position += 1
        if journey.is_formal(activity) and activity.channel in _LIVE_CHANNELS:
            p *= 1.0 - engagement.live_no_show
        touches.append(
            _Touch(activity.id, activity.id, activity.kind, day, activity.duration_min, p, groups(activity.id))
        )
    for activity in journey.activities:
        if journey.days[activity.id] is not None:
            continue
        p = engagement.on_demand_weekly_use * engagement.channels.get(activity.channel, 1.0)
        week = 1
        while start_day + 7 * week <= horizon_days:
            day = start_day + 7 * week - 0.5  # mid-week, between the weekly grid points
            touches.append(
                _Touch(
                    f"{activity.id}#{week}",
                    activity.id,
                    activity.kind,
                    day,
                    activity.duration_min,
                    p,
                    groups(activity.id),
                )
            )
            week += 1
    touches.sort(key=lambda t: t.day)  # stable: same-day touches keep journey order
    return touches


@dataclass
class _BlockOutput:
    mean_sum: np.ndarray  # (G, C) sum of recall over the block's learners
    proficient: np.ndarray  # (G, C) learners at or above the threshold
    sample: np.ndarray | None  # (G, C, s) recall of the block's quantile-sample learners
    checkpoints: np.ndarray  # (K, n, C) recall on the checkpoint days
    minutes: np.ndarray  # (n,) learner minutes
    delivered: np.ndarray  # (T,) learners who did each touch
    attempts: np.ndarray  # (T,) retrieval attempts (learner x concept)
    successes: np.ndarray  # (T,) successful retrievals
    final_stability: np.ndarray  # (n, C)
    trace: list[tuple[np.ndarray, np.ndarray, int, int, np.ndarray]] = field(default_factory=list)


@dataclass(frozen=True)
class _Setup:
    journey: Journey
    population: LearnerPopulation
    model: MemoryModel
    effects: TouchEffects
    touches: list[_Touch]
    grid: np.ndarray
    checkpoint_days: tuple[int, ...]
    threshold: float
    concept_rate: np.ndarray  # (C,)
    prior: np.ndarray  # (C,)
    first_day: float
    root: np.random.SeedSequence
    sample_size: int
    first_ratings: dict[str, int] = field(default_factory=dict)
    trace: bool = False
    plan: tuple[_PlannedTouch, ...] = ()


def _state_view(cls: type[MemoryState], fields: dict[str, np.ndarray]) -> MemoryState:
    """Wrap arrays in a state without copying them (read-only views).

    The block loop owns its arrays and updates them in place; a state built the usual way
    copies every field, twice per touch before this existed. A view is only lent to the
    model for one call and never kept, so its arrays changing later is harmless.
    """
    view = object.__new__(cls)
    for name, array in fields.items():
        frozen = array.view()
        frozen.setflags(write=False)
        object.__setattr__(view, name, frozen)
    return view


def _run_block(setup: _Setup, block: int, start: int, size: int) -> _BlockOutput:
    model = setup.model
    n_concepts = len(setup.journey.concepts)
    population = setup.population
    learners = stream(setup.root, block, 0)
    shape = (size, n_concepts)

    assert population.memory_sigma is not None  # settled by simulate
    rate = _draw_memory_rates(learners, population.memory_sigma, size)[:, None] * setup.concept_rate[None, :]
    propensity = learners.normal(0.0, population.engagement_sigma, size)
    knows = learners.random(shape) < setup.prior[None, :]

    initial = model.initial_state(np.full(shape, GOOD))
    state_cls = type(initial)
    # the block's memory, owned by this loop and updated in place, one array per field
    memory = {name: np.array(array) for name, array in initial.as_dict().items()}
    encoded = knows.copy()
    last = np.where(knows, setup.first_day - population.prior_days_ago, 0.0)
    # flat views of the same arrays (one row per learner-concept cell) for the touch updates
    flat_memory = {name: array.reshape(size * n_concepts, *array.shape[2:]) for name, array in memory.items()}
    flat_encoded, flat_last, flat_rate = encoded.reshape(-1), last.reshape(-1), rate.reshape(-1)

    grid = setup.grid
    n_days = len(grid)
    sample = max(0, min(size, setup.sample_size - start))
    out = _BlockOutput(
        mean_sum=np.zeros((n_days, n_concepts)),
        proficient=np.zeros((n_days, n_concepts)),
        sample=np.zeros((n_days, n_concepts, sample), dtype=np.float32) if sample else None,
        checkpoints=np.zeros((len(setup.checkpoint_days), size, n_concepts), dtype=np.float32),
        minutes=np.zeros(size),
        delivered=np.zeros(len(setup.touches)),
        attempts=np.zeros(len(setup.touches)),
        successes=np.zeros(len(setup.touches)),
        final_stability=np.zeros(shape),
    )
    checkpoint_row = {day: i for i, day in enumerate(setup.checkpoint_days)}
    # Models whose state is one number per cell broadcast over a batch of days at once, and
    # their recall of a cell does not depend on which other cells are computed with it, so a
    # retrieval on a grid day may reuse the recall just measured; models with per-cell traces
    # (ACT-R) are asked one day at a time and recompute it.
    per_cell = all(a.ndim == 2 for a in memory.values())
    batch = DAYS_PER_BATCH if per_cell else 1
    # recall of a batch of days, learners first: summing over learners then runs along whole
    # rows of (days x concepts), the same additions in the same order as learner by learner
    by_learner = np.empty((size, batch, n_concepts))

    def measure(begin: int, stop: int) -> tuple[np.ndarray, np.ndarray] | None:
        """Measure recall on grid days begin..stop-1; return the last day's elapsed days and raw recall."""
        elapsed = raw = None
        for first in range(begin, stop, batch):
            rows = slice(first, min(first + batch, stop))
            days = grid[rows]
            n_rows = len(days)
            # last <= day by construction: touches on a day are applied after it is measured
            elapsed = np.subtract(days[:, None, None], last[None])
            elapsed *= rate[None]
            state = _state_view(state_cls, memory)
            raw = model.retrievability(state, elapsed[0])[None] if batch == 1 else model.retrievability(state, elapsed)
            recall = raw if all_encoded else np.where(encoded[None], raw, 0.0)
            if n_concepts == 1:  # numpy sums a lone contiguous learner axis pairwise: keep doing so
                out.mean_sum[rows] = recall.sum(axis=1)
                out.proficient[rows] = np.count_nonzero(recall >= setup.threshold, axis=1)
            else:
                # one day is learners-first already; several are copied so
                learners_first = recall[0] if n_rows == 1 else by_learner[:, :n_rows]
                if n_rows > 1:
                    np.copyto(learners_first, recall.transpose(1, 0, 2))
                out.mean_sum[rows] = learners_first.sum(axis=0)
                out.proficient[rows] = np.add.reduce(learners_first >= setup.threshold, axis=0, dtype=np.intp)
            if out.sample is not None:
                out.sample[rows] = recall[:, :sample].transpose(0, 2, 1)
            for i, day in enumerate(days):
                if int(day) in checkpoint_row:
                    out.checkpoints[checkpoint_row[int(day)]] = recall[i]
        return None if elapsed is None or raw is None else (elapsed[-1], raw[-1])

    g = 0
    all_encoded = bool(encoded.all())
    # Each cell's elapsed days and recall at the start of known_day, as just measured: a touch
    # that day reuses them for cells whose concept no touch has changed since (same doubles).
    known_elapsed = known = np.empty(shape)
    known_day = -1.0
    changed: set[int] = set()  # concept columns touched since known_day was measured
    engagement: dict[float, np.ndarray] = {}  # probability of each learner doing a touch, by log-odds
    nothing = np.zeros(0, dtype=bool)
    for t, touch in enumerate(setup.plan):
        # recall on day d is measured at the start of the day, before that day's touches
        first_pending = g
        while g < n_days and grid[g] <= touch.day:
            g += 1
        if g > first_pending:
            measured = measure(first_pending, g)
            if measured is not None and grid[g - 1] == touch.day:  # the touch is on the day just measured
                (known_elapsed, known), known_day, changed = measured, touch.day, set()

        draws = stream(setup.root, block, touch.stream_key)
        p = engagement.get(touch.log_odds)
        if p is None:
            p = engagement[touch.log_odds] = expit(touch.log_odds + propensity)
        engaged = draws.random(size) < p
        out.delivered[t] = np.count_nonzero(engaged)
        np.add(out.minutes, touch.duration_min, out=out.minutes, where=engaged)
        engaged_rows = np.flatnonzero(engaged)
        for group in touch.groups:
            cols, span = group.cols, group.span
            fresh = known_day == touch.day and changed.isdisjoint(group.columns)
            recalled = nothing
            if span is not None and engaged_rows.size and np.take(encoded[:, span], engaged_rows, axis=0).all():
                # Adjacent concepts, every reached learner met them all: read and write
                # (reached learners x columns) blocks row by row, in the cells' row-major order.
                def rows(array: np.ndarray, span: slice = span, who: np.ndarray = engaged_rows) -> np.ndarray:
                    return np.take(array[:, span], who, axis=0)

                # "same day" is a calendar day; forgetting runs on the learner's clock
                calendar = np.subtract(touch.day, rows(last))
                np.maximum(calendar, 0.0, out=calendar)
                elapsed = rows(known_elapsed) if fresh else calendar * rows(rate)
                uniform: np.ndarray | float = 0.0
                recall = None
                if group.retrieve:
                    # a retrieval draws one number per cell of the group, whoever is reached
                    uniform = draws.random((size, len(cols)))[engaged_rows]
                    recall = rows(known) if fresh and per_cell else None
                reviewed, recalled = review_met(
                    model,
                    _state_view(state_cls, {name: rows(array) for name, array in memory.items()}),
                    elapsed,
                    group.effect,
                    gain=group.gain,
                    uniform=uniform,
                    recall=recall,
                    calendar_days=calendar,
                )
                for name, array in reviewed.as_dict().items():
                    memory[name][engaged_rows, span] = array
                last[engaged_rows, span] = touch.day
                met = np.ones(recalled.size, dtype=bool)
                recalled = recalled.reshape(-1)
                if group.retrieve:
                    out.attempts[t] += recalled.size
                    out.successes[t] += np.count_nonzero(recalled)
            else:
                # The reached cells, as flat indices into the (learners x concepts) arrays, in
                # row-major order: those met before take the touch rule, the others are encoded.
                # Only they change, so only they are read and written (no copies of the state).
                reached = (engaged_rows[:, None] * n_concepts + cols[None, :]).ravel()
                met = flat_encoded[reached]
                all_met = bool(met.all())
                cells = reached if all_met else reached[met]
                if cells.size:
                    calendar = np.subtract(touch.day, flat_last[cells])
                    np.maximum(calendar, 0.0, out=calendar)
                    elapsed = known_elapsed.reshape(-1)[cells] if fresh else calendar * flat_rate[cells]
                    uniform = 0.0
                    recall = None
                    if group.retrieve:
                        uniform = draws.random((size, len(cols)))[engaged_rows].reshape(-1)
                        if not all_met:
                            uniform = uniform[met]
                        recall = known.reshape(-1)[cells] if fresh and per_cell else None
                    reviewed, recalled = review_met(
                        model,
                        _state_view(state_cls, {name: array[cells] for name, array in flat_memory.items()}),
                        elapsed,
                        group.effect,
                        gain=group.gain,
                        uniform=uniform,
                        recall=recall,
                        calendar_days=calendar,
                    )
                    for name, array in reviewed.as_dict().items():
                        flat_memory[name][cells] = array
                    if group.retrieve:
                        out.attempts[t] += cells.size
                        out.successes[t] += np.count_nonzero(recalled)
                if not all_met:
                    first = reached[~met]
                    for name, value in group.first_state.items():
                        flat_memory[name][first] = value
                    flat_encoded[reached] = True
                    all_encoded = bool(encoded.all())
                flat_last[reached] = touch.day
            if setup.trace:
                who = np.repeat(engaged_rows, len(cols))
                if group.retrieve:
                    outcome = np.zeros(who.shape, dtype=np.int8)  # a first retrieval fails (rating Again)
                    outcome[met] = recalled
                else:
                    outcome = np.full(who.shape, -1, dtype=np.int8)
                out.trace.append((start + who, np.tile(cols, len(engaged_rows)), t, group.code, outcome))
            changed |= group.columns
    measure(g, n_days)
    # never taught: no memory, so no stability (NaN) rather than the placeholder state
    out.final_stability = np.where(encoded, np.asarray(memory["stability"], dtype=float).reshape(shape), np.nan)
    return out


def simulate(
    journey: Journey,
    plan: Plan | None = None,
    population: LearnerPopulation | None = None,
    model: str | MemoryModel | None = None,
    horizon_days: int = 180,
    rng: RandomLike = None,
    *,
    profile: MemoryProfile | str | Any = None,
    effects: TouchEffects | None = None,
    threshold: float = 0.8,
    checkpoint_days: Iterable[int] = (7, 30, 90),
    progress: bool | None = None,
    workers: int | None = None,
    trace: bool = False,
    scheduler: Any = None,
) -> SimulationResult:
    """Simulate what a learner population remembers of each concept, day by day.

    Parameters
    ----------
    journey : Journey
        The journey; each dated activity touches the concepts it covers with its memory
        effect; on-demand assets are used week by week.
    plan : Plan, optional
        Reinforcement applied to the journey first (``plan.apply(journey, profile=profile)``:
        plans that schedule from a memory model use this simulation's profile).
    population : LearnerPopulation, optional
        Who learns (default: 1,000 learners with the stated default variation). Its
        ``memory_sigma``, when None, is the memory profile's.
    model : str or MemoryModel, optional
        Forgetting model. None, or the name of the profile's model, runs the profile's model
        with the profile's parameters; another name (``"exponential"``, ``"hlr"``,
        ``"actr"``) runs that model with its own defaults; an instance runs as it is.
    horizon_days : int
        Last day simulated; recall is reported for days 0..horizon_days.
    rng : int, numpy Generator, SeedSequence or None
        Randomness; the seed actually used is kept in the result (``result.seed``).
    profile : str, MemoryProfile or Calibration, optional
        How learners remember (:mod:`workbench.simulate.profiles`): model parameters, learner
        spread and touch gains, with their source; a fitted calibration
        (:mod:`workbench.calibrate`) is accepted too. Default: the default profile.
    effects : TouchEffects, optional
        Strength of each memory effect (default: the profile's).
    threshold : float
        Recall probability at which a learner counts as proficient on a concept.
    checkpoint_days : iterable of int
        Days (besides the horizon) on which every learner's recall is kept, for
        proficiency at any threshold and per-learner analysis.
    progress : bool, optional
        Show a progress bar (default: for runs of more than 8 blocks of learners).
    workers : int, optional
        Threads (default: up to 2); the result does not depend on it.
    trace : bool
        Keep every touch each learner did and every retrieval outcome
        (``result.trace``: learner, concept, day, effect, activity_id, recalled); the
        per-learner events a delivered journey would log.
    scheduler : str or distributed.Client, optional
        Run the blocks of learners as Dask tasks (extra ``workbench[dask]``): ``"local"``,
        a scheduler address or a client (:func:`workbench.distributed.connect`). Each block's
        output comes back as soon as it is done; the result is identical to a local run.

    Returns
    -------
    SimulationResult

    Notes
    -----
    Recall on day *d* is measured at the start of that day, before the day's touches: a
    quiz on day 30 does not inflate "retention on day 30".

    Examples
    --------
    >>> from workbench.templates import load_template
    >>> result = simulate(load_template("post_training_retention"), rng=7)
    >>> 0.5 < result.retention(90) < 1.0
    True
    """
    if not isinstance(journey, Journey):
        raise ParameterError(f"journey: expected a Journey, got {type(journey).__name__}")
    memory_profile = resolve_profile(profile)
    if plan is not None:  # the plan schedules for the learners simulated here
        journey = plan.apply(journey, profile=memory_profile)
    population = _with_profile_sigma(population or LearnerPopulation(), memory_profile)
    effects_given = effects is not None
    effects = effects or memory_profile.effects
    if (
        not isinstance(horizon_days, int | np.integer)
        or isinstance(horizon_days, bool)
        or not (1 <= horizon_days <= 3650)
    ):
        raise ParameterError(f"horizon_days: must be a whole number of days from 1 to 3650 (got {horizon_days!r})")
    if not 0.0 < threshold <= 1.0:
        raise ParameterError(f"threshold: must be a recall probability in (0, 1] (got {threshold!r})")
    if not journey.concepts:
        raise ParameterError(f"journey {journey.id!r} has no concepts; there is nothing to remember")
    memory = memory_profile.model_for(model)
    horizon = int(horizon_days)
    days = sorted({int(d) for d in checkpoint_days if 0 <= int(d) <= horizon} | {horizon})
    root = as_seed_sequence(rng)

    difficulty = np.array([c.difficulty if c.difficulty is not None else 5.0 for c in journey.concepts])
    prior = np.array(
        [population.prior_knowledge.get(c.id, population.default_prior_knowledge) for c in journey.concepts]
    )
    unknown = sorted(set(population.prior_knowledge) - {c.id for c in journey.concepts})
    if unknown:
        raise ParameterError(
            f"population.prior_knowledge names concepts not in journey {journey.id!r}: {', '.join(unknown)}"
        )
    dated_days = [d for d in journey.days.values() if d is not None]
    touches = _touches(journey, population, effects, horizon)
    first_ratings = {e.value: effects.first_rating(e.value) for e in MemoryEffect}
    setup = _Setup(
        journey=journey,
        population=population,
        model=memory,
        effects=effects,
        touches=touches,
        grid=np.arange(horizon + 1, dtype=float),
        checkpoint_days=tuple(days),
        threshold=float(threshold),
        concept_rate=population.concept_rate(difficulty),
        prior=prior,
        first_day=min(dated_days, default=0.0),
        root=root,
        sample_size=QUANTILE_SAMPLE,
        first_ratings=first_ratings,
        trace=bool(trace),
        plan=_plan(touches, memory, first_ratings),
    )
    n = population.size
    blocks = [(b, start, min(BLOCK_SIZE, n - start)) for b, start in enumerate(range(0, n, BLOCK_SIZE))]
    n_workers = workers if workers is not None else min(2, os.cpu_count() or 1)
    if n_workers < 1:
        raise ParameterError(f"workers: must be at least 1 (got {n_workers})")
    show = progress if progress is not None else len(blocks) > 8

    outputs: list[_BlockOutput] = []
    bar: Any = None
    if show:
        from tqdm.auto import tqdm

        bar = tqdm(total=n, unit="learner", desc=f"simulating {journey.id}")
    try:
        if scheduler is not None:
            from workbench.distributed import connect, run_tasks

            by_block: dict[int, _BlockOutput] = {}

            def collect(index: int, output: _BlockOutput) -> None:
                by_block[index] = output
                if bar is not None:
                    bar.update(blocks[index][2])

            with connect(scheduler) as client:
                run_tasks(client, _run_block, setup, blocks, collect)
            outputs = [by_block[index] for index in range(len(blocks))]  # block order: stable sums
        elif n_workers == 1 or len(blocks) == 1:
            for b, start, size in blocks:
                outputs.append(_run_block(setup, b, start, size))
                if bar is not None:
                    bar.update(size)
        else:
            with ThreadPoolExecutor(max_workers=n_workers) as pool:
                futures = [pool.submit(_run_block, setup, b, start, size) for b, start, size in blocks]
                for (_, _, size), future in zip(blocks, futures, strict=True):
                    outputs.append(future.result())
                    if bar is not None:
                        bar.update(size)
    finally:
        if bar is not None:
            bar.close()
    return SimulationResult.from_blocks(
        setup,
        outputs,
        model_name=getattr(memory, "name", type(memory).__name__),
        profile=_profile_note(memory_profile, model, effects_given),
        trace=_trace_frame(setup, outputs) if trace else None,
    )


def _profile_note(profile: MemoryProfile, model: Any, effects_given: bool) -> dict[str, Any]:
    """Describe what ``result.assumptions["memory_profile"]`` says: the profile, and what overrode it."""
    note = profile.describe()
    if model is not None and model != profile.model:
        shown = model if isinstance(model, str) else getattr(model, "name", type(model).__name__)
        note["model_override"] = f"model {shown!r} given explicitly (not the profile's parameters)"
    if effects_given:
        note["effects_override"] = "touch effects given explicitly (not the profile's gains)"
    return note


def _trace_frame(setup: _Setup, outputs: Sequence[_BlockOutput]) -> pd.DataFrame:
    """Every learner's touches and retrieval outcomes, one row per (learner, concept, touch)."""
    parts = [part for output in outputs for part in output.trace]
    learner = np.concatenate([p[0] for p in parts]) if parts else np.zeros(0, dtype=np.intp)
    column = np.concatenate([p[1] for p in parts]) if parts else np.zeros(0, dtype=np.intp)
    touch = np.concatenate([np.full(len(p[0]), p[2]) for p in parts]) if parts else np.zeros(0, dtype=int)
    effect = np.concatenate([np.full(len(p[0]), p[3], dtype=np.int8) for p in parts]) if parts else np.zeros(0, int)
    outcome = np.concatenate([p[4] for p in parts]) if parts else np.zeros(0, dtype=np.int8)
    concepts = np.array([c.id for c in setup.journey.concepts], dtype=object)
    days = np.array([t.day for t in setup.touches], dtype=float)
    activities = np.array([t.activity_id for t in setup.touches], dtype=object)
    frame = pd.DataFrame(
        {
            "learner": learner.astype(np.int64),
            "concept": pd.Categorical(concepts[column], categories=list(concepts)),
            "day": days[touch],
            "effect": pd.Categorical(np.array(_EFFECT_NAMES, dtype=object)[effect], categories=list(_EFFECT_NAMES)),
            "activity_id": activities[touch],
            "recalled": pd.arrays.IntegerArray(outcome, mask=outcome < 0),
        }
    )
    return frame.sort_values(["learner", "day"], kind="stable").reset_index(drop=True)
