"""ACT-R's bucketed trace sums give the doubles of the plain sums over every occupied slot (issue 16).

``_ReferenceACTR`` keeps ACT-R's activation and half-life solve exactly as they were at commit
ab07e24 (before the traces were sorted into buckets by their number of occupied slots): every
cell summed all slots any cell occupied, empty ones adding 0.0 last. Both run in the same process,
so the comparison is exact (``array_equal``).
"""

from __future__ import annotations

import numpy as np
import pytest

from workbench.memory import ACTRModel, ACTRState
from workbench.memory.actr import _LOG_T_HIGH, _LOG_T_LOW, _NEWTON_MAX_STEPS, _NEWTON_TOLERANCE
from workbench.simulate import LearnerPopulation, simulate
from workbench.templates import load_template


class _ReferenceACTR(ACTRModel):
    """ACT-R with the activation and ``_time_to`` of commit ab07e24."""

    @staticmethod
    def _occupied(ages: np.ndarray, decays: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, ...]:
        empty = np.isnan(ages)
        column_empty = empty.reshape(-1, ages.shape[-1]).all(axis=0)
        first = int(np.argmin(column_empty)) if not column_empty.all() else ages.shape[-1]
        empty = empty[..., first:]
        return (
            np.where(empty, 0.0, ages[..., first:]),
            decays[..., first:],
            np.where(empty, 0.0, weights[..., first:]),
        )

    def _activation(self, ages: np.ndarray, decays: np.ndarray, weights: np.ndarray, t: np.ndarray) -> np.ndarray:
        p = self.parameters
        ages, decays, weights = self._occupied(ages, decays, weights)
        age_s = np.maximum((ages + t[..., None]) * p.seconds_per_day, 1.0)
        total = self._sum_slots(weights * np.power(age_s, -decays))
        with np.errstate(divide="ignore"):
            activation: np.ndarray = p.base_level_constant + np.log(total)
            return activation

    def _time_to(self, state: ACTRState, probability: np.ndarray) -> np.ndarray:
        p = self.parameters
        shape = state.shape
        ages, decays, weights = self._occupied(state.trace_age_days, state.trace_decay, state.trace_weight)
        slots = ages.shape[-1]
        ages, decays, weights = (a.reshape(-1, slots) for a in (ages, decays, weights))
        target = np.broadcast_to(p.threshold - p.noise * np.log(1 / probability - 1), shape).reshape(-1)
        h = p.seconds_per_day

        def excess_and_slope(log_days: np.ndarray, cells: np.ndarray | slice) -> tuple[np.ndarray, np.ndarray]:
            t = np.exp(log_days)[:, None]
            raw = (ages[cells] + t) * h
            age_s = np.maximum(raw, 1.0)
            d = decays[cells]
            terms = weights[cells] * np.power(age_s, -d)
            total = self._sum_slots(terms)
            slope_terms = np.where(raw > 1.0, -d * terms * (t * h / age_s), 0.0)
            with np.errstate(divide="ignore", invalid="ignore"):
                return p.base_level_constant + np.log(total) - target[cells], self._sum_slots(slope_terms) / total

        n = target.size
        low, high = np.full(n, _LOG_T_LOW), np.full(n, _LOG_T_HIGH)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            guess = (p.base_level_constant + np.log(weights[:, -1]) - target) / decays[:, -1] - np.log(h)
        x = np.where(np.isfinite(guess), np.clip(guess, _LOG_T_LOW, _LOG_T_HIGH), 0.5 * (low + high))
        start, _ = excess_and_slope(np.full(n, -np.inf), slice(None))
        cells = np.flatnonzero(start > 0)
        for _ in range(_NEWTON_MAX_STEPS):
            xc, lo, hi = x[cells], low[cells], high[cells]
            f, slope = excess_and_slope(xc, cells)
            above = f > 0
            lo, hi = np.where(above, xc, lo), np.where(above, hi, xc)
            with np.errstate(divide="ignore", invalid="ignore"):
                proposal = xc - np.where(slope < 0, f / slope, np.inf)
            inside = np.isfinite(proposal) & (proposal >= lo) & (proposal <= hi)
            new_x = np.where(inside, proposal, 0.5 * (lo + hi))
            x[cells], low[cells], high[cells] = new_x, lo, hi
            cells = cells[np.abs(new_x - xc) > _NEWTON_TOLERANCE]
            if cells.size == 0:
                break
        return np.where(start <= 0, 0.0, np.exp(x)).reshape(shape)


def _varied_state(model: ACTRModel, rng: np.random.Generator, shape: tuple[int, int]) -> ACTRState:
    """Cells with 1 to 16 traces: reviews skipped at random, lapses, massed and zero-gain touches."""
    state = model.initial_state(np.full(shape, 3))
    keen = rng.uniform(0.0, 1.0, shape)  # each cell's share of the reviews it takes
    for _ in range(18):
        gaps = np.where(rng.random(shape) < 0.2, rng.uniform(0.0, 0.0004, shape), rng.uniform(0.5, 30.0, shape))
        gain = np.where(rng.random(shape) < 0.1, 0.0, rng.uniform(0.3, 1.0, shape))
        reviewed = model.review(state, gaps, rng.choice([1, 3], shape, p=[0.2, 0.8]), gain)
        state = state.select(rng.random(shape) < keen, reviewed)
    return state


@pytest.mark.parametrize("seed", [1, 2])
def test_actr_bucketed_sums_are_bit_identical_to_the_plain_sums(seed: int) -> None:
    new, old = ACTRModel(), _ReferenceACTR()
    rng = np.random.default_rng(seed)
    state = _varied_state(new, rng, (60, 7))
    counts = np.count_nonzero(~np.isnan(state.trace_age_days), axis=-1)
    assert counts.min() == 1
    assert counts.max() == 16
    assert np.unique(counts).size >= 10
    elapsed = rng.uniform(0.0, 60.0, (60, 7))
    days = np.array([0.0, 0.0003, 1.0, 7.5, 200.0])[:, None, None] + elapsed[None]  # a leading days axis
    assert np.array_equal(new.retrievability(state, days), old.retrievability(state, days))
    assert np.array_equal(new.activation(state, elapsed), old.activation(state, elapsed))
    for retention in (0.5, 0.8, 0.97):
        assert np.array_equal(
            new.interval_days(state, retention, rounded=False), old.interval_days(state, retention, rounded=False)
        )
    ratings, gain = rng.choice([1, 3], (60, 7)), rng.uniform(0.0, 1.0, (60, 7))
    reviewed_new, reviewed_old = new.review(state, elapsed, ratings, gain), old.review(state, elapsed, ratings, gain)
    for name, array in reviewed_new.as_dict().items():
        assert np.array_equal(array, getattr(reviewed_old, name), equal_nan=True), name


def test_actr_odd_states_give_the_plain_sums() -> None:
    # states the engine never builds: a cell with no trace, an empty slot between two traces,
    # every cell full, and elapsed days that widen the cells (a (n, 1) state against (n, 3) days)
    new, old = ACTRModel(), _ReferenceACTR()
    state = new.review(new.review(new.initial_state(np.full(4, 3)), np.full(4, 2.0), 3), np.full(4, 5.0), 1)
    ages, decays, weights = (np.array(a) for a in (state.trace_age_days, state.trace_decay, state.trace_weight))
    ages[0] = np.nan  # no trace at all
    weights[0] = 0.0
    ages[1, -2] = np.nan  # a hole between the newest and the oldest trace
    full = ACTRState(stability=state.stability, trace_age_days=ages, trace_decay=decays, trace_weight=weights)
    elapsed = np.array([0.0, 1.0, 10.0, 100.0])
    assert np.array_equal(new.activation(full, elapsed), old.activation(full, elapsed))
    assert np.array_equal(new.interval_days(full, 0.7, rounded=False), old.interval_days(full, 0.7, rounded=False))
    column = ACTRState(**{name: np.asarray(a)[:, None] for name, a in full.as_dict().items()})
    wide = np.array([[0.5, 3.0, 40.0]])
    assert np.array_equal(new.retrievability(column, wide), old.retrievability(column, wide))
    packed = new.initial_state(np.full(3, 3))
    for _ in range(20):  # more reviews than slots: every slot holds a trace
        packed = new.review(packed, np.full(3, 4.0), 3)
    assert np.array_equal(new.interval_days(packed, 0.9, rounded=False), old.interval_days(packed, 0.9, rounded=False))


@pytest.mark.parametrize("template", ["post_training_retention", "flipped_classroom"])
def test_actr_simulation_is_bit_identical_to_the_plain_sums(template: str) -> None:
    # the engine's ACT-R kernel (bucketed traces, several days at once) against the generic
    # model path (one day at a time) with the plain sums: same doubles end to end
    journey = load_template(template)
    population = LearnerPopulation(size=150)
    new = simulate(journey, population=population, model="actr", rng=5, workers=1, trace=True)
    old = simulate(journey, population=population, model=_ReferenceACTR(), rng=5, workers=1, trace=True)
    for name in ("mean", "proficient_share", "quantiles", "learner_minutes_each"):
        assert np.array_equal(getattr(new, name), getattr(old, name)), name
    assert np.array_equal(new.final_stability, old.final_stability, equal_nan=True)
    for day, recall in new.checkpoints.items():
        assert np.array_equal(recall, old.checkpoints[day]), day
    assert new.touches == old.touches
    assert new.trace is not None
    assert new.trace.equals(old.trace)
