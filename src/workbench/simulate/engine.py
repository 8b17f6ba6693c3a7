"""Population Monte Carlo of a journey: who does which touch, and what each learner remembers.

The hot path is vectorised over learners x concepts. Learners are simulated in blocks of a
fixed size; every random draw comes from a stream keyed by (block, touch), where a touch is
keyed by its activity id. Hence:

* the same seed gives the same result, whatever the number of worker threads;
* two journeys that share activities share their random numbers for those activities
  (common random numbers), so comparing plans compares plans, not noise.
"""

from __future__ import annotations

import functools
import os
import zlib
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import pandas as pd
from scipy.special import logit

from workbench._random import RandomLike, as_seed_sequence, stream
from workbench.errors import ParameterError
from workbench.memory import MemoryModel
from workbench.model import Journey
from workbench.simulate._block import Block, BlockOutput, draw_memory_rates
from workbench.simulate.population import LearnerPopulation, TouchEffects
from workbench.simulate.profiles import MemoryProfile, resolve_profile
from workbench.simulate.result import SimulationResult
from workbench.vocabulary import Channel, Layer, MemoryEffect

__all__ = ["BLOCK_SIZE", "Plan", "learner_memory_rates", "simulate"]

#: Learners per block: the unit of random streams (so results do not depend on threads).
BLOCK_SIZE = 4096
#: Learners whose daily recall is kept to estimate quantile bands.
QUANTILE_SAMPLE = 2000
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
    groups: dict[str, tuple[_PlannedGroup, ...]] = {}  # by activity: its uses share them
    log_odds: dict[float, float] = {}
    planned = []
    for touch in touches:
        if touch.activity_id not in groups:
            groups[touch.activity_id] = tuple(
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
            )
        if touch.base_probability not in log_odds:
            log_odds[touch.base_probability] = float(logit(touch.base_probability))
        planned.append(
            _PlannedTouch(
                stream_key=1 + _stream_key(touch.key),
                log_odds=log_odds[touch.base_probability],
                duration_min=touch.duration_min,
                day=touch.day,
                groups=groups[touch.activity_id],
            )
        )
    return tuple(planned)


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
            draw_memory_rates(stream(root, block, 0), sigma, min(BLOCK_SIZE, n - start))
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

    @functools.cache  # every use of an on-demand asset shares its groups
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


def _run_block(setup: _Setup, block: int, start: int, size: int) -> BlockOutput:
    """Simulate one block of learners (run in a thread, or as a Dask task)."""
    return Block(setup, block, start, size).run()


def _check_plan_and_population(plan: Any, population: Any) -> None:
    """Refuse a plan or population of the wrong kind with the fix (both are positional)."""
    if isinstance(plan, LearnerPopulation):
        raise ParameterError("plan: got a LearnerPopulation; pass it by name: simulate(journey, population=...)")
    if isinstance(plan, str):
        raise ParameterError(
            f"plan: got the string {plan!r}; parse it first: simulate(journey, workbench.plans.parse_plan({plan!r}))"
        )
    if plan is not None and not callable(getattr(plan, "apply", None)):
        raise ParameterError(f"plan: expected a reinforcement plan (workbench.plans), got {type(plan).__name__}")
    if population is not None and not isinstance(population, LearnerPopulation):
        raise ParameterError(f"population: expected a LearnerPopulation, got {type(population).__name__}")


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
    _check_plan_and_population(plan, population)
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

    outputs: list[BlockOutput] = []
    bar: Any = None
    if show:
        from tqdm.auto import tqdm

        bar = tqdm(total=n, unit="learner", desc=f"simulating {journey.id}")
    try:
        if scheduler is not None:
            from workbench.distributed import connect, run_tasks

            by_block: dict[int, BlockOutput] = {}

            def collect(index: int, output: BlockOutput) -> None:
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


def _trace_frame(setup: _Setup, outputs: Sequence[BlockOutput]) -> pd.DataFrame:
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
