"""The fast engine gives bit-for-bit the results of the engine before the speed work (issue 16).

``_reference_run_block`` below is the block loop of ``workbench.simulate.engine`` and the touch
rule of ``workbench.simulate.touch`` exactly as they were at commit 3ac90ed (before the speed
work), except that "same day" is judged on the calendar since the same-day fix; kept here only
as the oracle: both paths run in the same process on the same machine, so the comparison is
exact (``array_equal``), with no stored hashes that a different CPU's ``exp`` could break.
Memory models and parameters are shared by both paths, so later changes to them keep this test
meaningful.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest
from scipy.special import expit, logit

from workbench._random import stream
from workbench.memory import FSRS6, MemoryModel, MemoryState
from workbench.model import Activity, Concept, Journey
from workbench.plans import ExpandingPlan
from workbench.simulate import LearnerPopulation, SimulationResult, TouchEffects, _block, engine, simulate
from workbench.simulate._block import BlockOutput
from workbench.templates import load_template
from workbench.vocabulary import MemoryEffect

_GOOD, _AGAIN = 3, 1


def _reference_apply_touch(
    model: MemoryModel,
    state: MemoryState,
    elapsed_days: np.ndarray,
    effect: str,
    *,
    gain: float,
    first_rating: int,
    draws: np.random.Generator,
    met: np.ndarray,
    reached: np.ndarray,
    calendar_days: np.ndarray,
) -> tuple[MemoryState, np.ndarray, np.ndarray]:
    shape = state.shape
    # same day on the calendar, not on the learner's memory clock (the same-day fix, after 3ac90ed)
    same_day = {"same_day": calendar_days < 1} if isinstance(model, FSRS6) else {}
    again = reached & met
    first = reached & ~met
    updated = state
    if first.any():
        updated = updated.select(first, model.initial_state(np.full(shape, first_rating)))
    nothing = np.zeros(shape, dtype=bool)
    if not again.any():
        return updated, nothing, nothing
    if effect == MemoryEffect.RETRIEVE.value:
        uniform = draws.random(shape)
        recalled = uniform < model.retrievability(state, elapsed_days)
        reviewed = model.review(state, elapsed_days, np.where(recalled, _GOOD, _AGAIN), 1.0, **same_day)
        return updated.select(again, reviewed), again, again & recalled
    reviewed = model.review(state, elapsed_days, np.full(shape, _GOOD), gain, **same_day)
    return updated.select(again, reviewed), nothing, nothing


def _take(state: MemoryState, cols: np.ndarray) -> MemoryState:
    return type(state)(**{name: array[:, cols] for name, array in state.as_dict().items()})


def _put(state: MemoryState, cols: np.ndarray, part: MemoryState) -> MemoryState:
    fields = {}
    for name, array in state.as_dict().items():
        updated = array.copy()
        updated[:, cols] = getattr(part, name)
        fields[name] = updated
    return type(state)(**fields)


def _reference_run_block(setup: Any, block: int, start: int, size: int) -> Any:
    model = setup.model
    n_concepts = len(setup.journey.concepts)
    population = setup.population
    learners = stream(setup.root, block, 0)
    shape = (size, n_concepts)
    rate = np.exp(learners.normal(0.0, population.memory_sigma, size))[:, None] * setup.concept_rate[None, :]
    propensity = learners.normal(0.0, population.engagement_sigma, size)
    knows = learners.random(shape) < setup.prior[None, :]
    state = model.initial_state(np.full(shape, _GOOD))
    encoded = knows.copy()
    last = np.where(knows, setup.first_day - population.prior_days_ago, 0.0)
    grid = setup.grid
    n_days = len(grid)
    sample = max(0, min(size, setup.sample_size - start))
    out = BlockOutput(
        mean_sum=np.zeros((n_days, n_concepts)),
        proficient=np.zeros((n_days, n_concepts)),
        sample=np.zeros((n_days, sample, n_concepts), dtype=np.float32) if sample else None,
        checkpoints=np.zeros((len(setup.checkpoint_days), size, n_concepts), dtype=np.float32),
        minutes=np.zeros(size),
        delivered=np.zeros(len(setup.touches)),
        attempts=np.zeros(len(setup.touches)),
        successes=np.zeros(len(setup.touches)),
        final_stability=np.zeros(shape),
    )
    checkpoint_row = {day: i for i, day in enumerate(setup.checkpoint_days)}

    def measure(day_indices: Sequence[int]) -> None:
        batch = 16 if all(a.ndim == 2 for a in state.as_dict().values()) else 1
        indices = list(day_indices)
        for begin in range(0, len(indices), batch):
            rows = indices[begin : begin + batch]
            days = grid[rows]
            elapsed = np.subtract(days[:, None, None], last[None])
            elapsed *= rate[None]
            raw = model.retrievability(state, elapsed[0])[None] if batch == 1 else model.retrievability(state, elapsed)
            recall = np.where(encoded[None], raw, 0.0)
            out.mean_sum[rows] = recall.sum(axis=1)
            out.proficient[rows] = np.count_nonzero(recall >= setup.threshold, axis=1)
            if out.sample is not None:
                out.sample[rows] = recall[:, :sample]
            for i, day in enumerate(days):
                if int(day) in checkpoint_row:
                    out.checkpoints[checkpoint_row[int(day)]] = recall[i]

    g = 0
    for t, touch in enumerate(setup.touches):
        first_pending = g
        while g < n_days and grid[g] <= touch.day:
            g += 1
        measure(range(first_pending, g))
        draws = stream(setup.root, block, 1 + engine._stream_key(touch.key))
        p = expit(logit(touch.base_probability) + propensity)
        engaged = draws.random(size) < p
        out.delivered[t] = np.count_nonzero(engaged)
        out.minutes += engaged * touch.duration_min
        for effect, cols, gain in touch.groups:
            part = _take(state, cols)
            known = encoded[:, cols]
            reached = engaged[:, None] & np.ones(len(cols), dtype=bool)
            calendar = np.where(known, np.maximum(touch.day - last[:, cols], 0.0), 0.0)
            elapsed = np.where(known, np.maximum(touch.day - last[:, cols], 0.0) * rate[:, cols], 0.0)
            new_part, attempted, recalled = _reference_apply_touch(
                model,
                part,
                elapsed,
                effect,
                gain=gain,
                first_rating=setup.first_ratings[effect],
                draws=draws,
                met=known,
                reached=reached,
                calendar_days=calendar,
            )
            out.attempts[t] += np.count_nonzero(attempted)
            out.successes[t] += np.count_nonzero(recalled)
            state = _put(state, cols, new_part)
            if setup.trace:
                who, which = np.nonzero(reached)
                outcome = (
                    recalled[who, which].astype(np.int8)
                    if effect == MemoryEffect.RETRIEVE.value
                    else np.full(who.shape, -1, dtype=np.int8)
                )
                out.trace.append((start + who, cols[which], t, engine._EFFECT_CODES[effect], outcome))
            last[:, cols] = np.where(reached, touch.day, last[:, cols])
            encoded[:, cols] |= reached
    measure(range(g, n_days))
    out.final_stability = np.where(encoded, np.asarray(state.stability, dtype=float).reshape(shape), np.nan)
    if out.sample is not None:  # handed over as (days x concepts x learners), the layout results read now
        out.sample = np.ascontiguousarray(out.sample.transpose(0, 2, 1))
    return out


def _assert_identical(new: SimulationResult, old: SimulationResult) -> None:
    # exact for every model: ACT-R sums its trace slots in a fixed order, so a cell's activation
    # does not depend on which other cells (the reached ones only, or all) it is computed with
    for name in ("mean", "proficient_share", "quantiles", "learner_minutes_each"):
        assert np.array_equal(getattr(new, name), getattr(old, name)), name
    assert np.array_equal(new.final_stability, old.final_stability, equal_nan=True)
    assert new.checkpoints.keys() == old.checkpoints.keys()
    for day, recall in new.checkpoints.items():
        assert np.array_equal(recall, old.checkpoints[day]), day
    assert new.touches == old.touches
    if old.trace is not None:
        assert new.trace is not None
        assert new.trace.equals(old.trace)


def _daily_quizzes(n_concepts: int) -> Journey:
    """Build a module, then two quizzes every third day on overlapping concepts (grid-day retrievals)."""
    concepts = [f"c{i}" for i in range(n_concepts)]
    journey = Journey.empty(f"daily{n_concepts}", "Two quizzes a day")
    for cid in concepts:
        journey = journey.add_concept(Concept(id=cid, name=cid))
    activities = [Activity.of_kind("elearning_module", id="module", title="Module", covers=concepts, schedule=0)]
    for day in range(1, 40, 3):
        activities.append(
            Activity.of_kind("spaced_recall_quiz", id=f"q{day}", title="Quiz", covers=concepts, schedule=day)
        )
        half = concepts[: max(1, n_concepts // 2)]
        activities.append(
            Activity.of_kind("spaced_recall_quiz", id=f"r{day}", title="Again", covers=half, schedule=day)
        )
    return journey.evolve(activities=activities)


# Templates x seeds x memory models, a spaced-retrieval plan (many retrievals, Again and Good),
# partial touch gains, several blocks of learners and the per-learner trace.
CASES = [
    pytest.param("post_training_retention", 7, None, None, 400, {}, id="fsrs-default"),
    pytest.param("flipped_classroom", 3, None, ExpandingPlan(), 300, {"trace": True}, id="fsrs-plan-trace"),
    pytest.param("compliance_follow_up", 11, None, None, 700, {"block_size": 256}, id="fsrs-three-blocks"),
    pytest.param("software_adoption", 19, "exponential", ExpandingPlan(), 300, {}, id="exponential"),
    pytest.param("manager_capability", 5, "hlr", None, 300, {}, id="hlr"),
    pytest.param("onboarding_continuation", 2, "actr", None, 120, {}, id="actr"),
    pytest.param(
        "sales_product_refresher",
        23,
        None,
        ExpandingPlan(),
        300,
        {"effects": TouchEffects(restudy_gain=0.35, apply_gain=0.6), "horizon_days": 120},
        id="fsrs-partial-gains",
    ),
    pytest.param(3, 4, None, None, 300, {"horizon_days": 60}, id="fsrs-same-day-retrievals"),
    pytest.param(1, 8, None, None, 300, {"horizon_days": 60}, id="fsrs-one-concept"),
    pytest.param(1, 8, "actr", None, 100, {"horizon_days": 30}, id="actr-one-concept"),
    # more than 8 traces per cell, and learners with fewer: the slot sums of cells computed with
    # different numbers of occupied slots (numpy's pairwise sum would group them differently)
    pytest.param(3, 4, "actr", None, 150, {"horizon_days": 40}, id="actr-many-traces"),
    # ACT-R's kernel measures several days at once: batches of 3 that split the runs of grid
    # days between touches unevenly, retrievals reusing them, two blocks
    pytest.param(
        "compliance_follow_up",
        13,
        "actr",
        ExpandingPlan(),
        200,
        {"days_per_batch": 3, "block_size": 128},
        id="actr-day-batches",
    ),
]


@pytest.mark.parametrize(("template", "seed", "model", "plan", "size", "extra"), CASES)
def test_results_are_bit_identical_to_the_engine_before_the_speed_work(
    monkeypatch: pytest.MonkeyPatch,
    template: str | int,
    seed: int,
    model: str | None,
    plan: Any,
    size: int,
    extra: dict[str, Any],
) -> None:
    extra = dict(extra)
    if "block_size" in extra:  # several blocks of learners without a big population
        monkeypatch.setattr(engine, "BLOCK_SIZE", extra.pop("block_size"))
    if "days_per_batch" in extra:  # grid days measured at once
        monkeypatch.setattr(_block, "DAYS_PER_BATCH", extra.pop("days_per_batch"))
    journey = load_template(template) if isinstance(template, str) else _daily_quizzes(template)
    population = LearnerPopulation(size=size)
    new = simulate(journey, plan, population=population, model=model, rng=seed, workers=1, **extra)
    monkeypatch.setattr(engine, "_run_block", _reference_run_block)
    old = simulate(journey, plan, population=population, model=model, rng=seed, workers=1, **extra)
    _assert_identical(new, old)


def _reference_fsrs_step(
    w: tuple[float, ...], s: np.ndarray, d: np.ndarray, t: np.ndarray, g: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """FSRS-6's stability and difficulty update as the one-line formulas written before the speed work."""
    factor = 0.9 ** (1 / -w[20]) - 1
    r = np.power(t / s * factor + 1, -w[20])  # the order fsrs_retrievability computes it in
    modifier = np.where(g == 2, w[15], 1.0) * np.where(g == 4, w[16], 1.0)
    growth = math.exp(w[8]) * (11 - d) * np.power(s, -w[9]) * (np.exp((1 - r) * w[10]) - 1)
    recall = np.maximum(s * (1 + growth * modifier), 0.001)
    long_term = w[11] * np.power(d, -w[12]) * (np.power(s + 1, w[13]) - 1) * np.exp((1 - r) * w[14])
    forget = np.maximum(np.minimum(long_term, s / math.exp(w[17] * w[18])), 0.001)
    increase = np.exp(w[17] * (g - 3 + w[18])) * np.power(s, -w[19])
    short = np.maximum(s * np.where(g >= 2, np.maximum(increase, 1.0), increase), 0.001)
    stability = np.where(t < 1, short, np.where(g == 1, forget, recall))
    d0_easy = w[4] - math.exp(w[5] * 3) + 1
    damped = d + (10.0 - d) * -(w[6] * (g - 3.0)) / 9.0
    return stability, np.clip(w[7] * d0_easy + (1 - w[7]) * damped, 1.0, 10.0)


@pytest.mark.parametrize("order", ["C", "F"])
@pytest.mark.parametrize("gain", [1.0, 0.37])
def test_fsrs_review_is_bit_identical_to_its_formulas(gain: float, order: str) -> None:
    # the in-place and subset evaluation of FSRS6.review must give the formulas' doubles exactly
    from workbench.memory import FSRS6, FSRSState

    rng = np.random.default_rng(11)
    n = 20_000
    s, d = np.exp(rng.normal(1.0, 2.0, n)), rng.uniform(1.0, 10.0, n)
    t = np.where(rng.random(n) < 0.2, rng.random(n), rng.exponential(10.0, n))
    g = rng.integers(1, 5, n)
    # a grid of cells in either memory order (fancy-indexed columns come out in Fortran order)
    s, d, t, g = (np.asarray(a.reshape(-1, 4), order=order) for a in (s, d, t, g))
    model = FSRS6()
    new = model.review(FSRSState(stability=s, difficulty=d), t, g, gain)
    s_full, d_full = _reference_fsrs_step(model.parameters.w, s, d, t, g)
    k = np.where(g == 1, 1.0, gain)
    assert np.array_equal(new.stability, s_full if gain == 1.0 else (1 - k) * s + k * s_full)
    assert np.array_equal(new.difficulty, d_full if gain == 1.0 else (1 - k) * d + k * d_full)


@pytest.mark.parametrize("same_day_share", [0.0, 0.2])
@pytest.mark.parametrize("gain", [1.0, 0.37])
def test_fsrs_review_arrays_with_one_good_rating_is_bit_identical_to_its_formulas(
    gain: float, same_day_share: float
) -> None:
    # the engine's path for a non-retrieval touch: the rating is one int (Good) for every cell
    from workbench.memory.fsrs import review_arrays

    rng = np.random.default_rng(12)
    n = 20_000
    s, d = np.exp(rng.normal(1.0, 2.0, n)), rng.uniform(1.0, 10.0, n)
    t = np.where(rng.random(n) < same_day_share, rng.random(n), 1.0 + rng.exponential(10.0, n))
    params = FSRS6().parameters
    s_new, d_new = review_arrays(params, s, d, t, _GOOD, gain)
    s_full, d_full = _reference_fsrs_step(params.w, s, d, t, np.full(n, _GOOD))
    assert np.array_equal(s_new, s_full if gain == 1.0 else (1 - gain) * s + gain * s_full)
    assert np.array_equal(d_new, d_full if gain == 1.0 else (1 - gain) * d + gain * d_full)
