"""Benchmark FSRS-6 memory-state replay (workbench vs fsrs-rs-python vs py-fsrs) and ACT-R reviews.

Run as a script (prints a table and the speed ratios measured in this run)::

    python benchmarks/bench_memory.py [--histories 10000] [--reviews 20] [--pyfsrs-histories 200]
    python benchmarks/bench_memory.py --actr [--cells 10000] [--actr-reviews 8]

or with pytest-benchmark: ``pytest -p no:nbval benchmarks/bench_memory.py``. Nothing here
asserts wall-clock times.

What is timed (best of several repeats, ``time.perf_counter``):

* workbench: :func:`workbench.memory.replay` of n histories x k reviews (0-padded int
  ratings, whole elapsed days), final states only and full trajectories;
* fsrs-rs-python: ``FSRS.memory_state_batch(items)`` on the same histories (building the
  ``FSRSItem`` objects is timed separately and not counted);
* py-fsrs: ``Scheduler.review_card`` on a subset of histories, extrapolated per history.

Targets: workbench >= 1x fsrs-rs-python's batch call, >= 100x py-fsrs.

``--actr`` times :class:`workbench.memory.ACTRModel` reviews and recall look-ups on a grid of
cells against the previous formulation (kept below as :class:`LegacyACTR`: 22 bisection and 2
false-position steps over all trace slots), on the same inputs in the same run, and reports
the largest relative difference of the half-lives the two compute.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np

from workbench.memory import ACTRModel, ACTRState, replay

SEED = 20240601


def make_histories(n: int, k: int, seed: int = SEED) -> tuple[np.ndarray, np.ndarray]:
    """N histories of k reviews: ratings 1..4, whole elapsed days (25% same-day)."""
    rng = np.random.default_rng(seed)
    ratings = rng.choice([1, 2, 3, 4], p=[0.15, 0.15, 0.55, 0.15], size=(n, k))
    elapsed = np.where(rng.random((n, k)) < 0.25, 0, rng.integers(1, 120, size=(n, k))).astype(float)
    elapsed[:, 0] = 0
    return ratings, elapsed


def best_time(fn: Callable[[], Any], repeats: int) -> float:
    """Fastest of ``repeats`` runs, in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def run(n: int, k: int, n_py: int, repeats: int) -> dict[str, float]:
    ratings, elapsed = make_histories(n, k)
    results: dict[str, float] = {}
    results["workbench replay (final)"] = best_time(lambda: replay(ratings, elapsed, final_only=True), repeats)
    results["workbench replay (trajectories)"] = best_time(lambda: replay(ratings, elapsed), repeats)
    ours_s, _ = replay(ratings, elapsed, final_only=True)

    try:
        import fsrs_rs_python as rs
    except ImportError:
        rs = None
    if rs is not None:
        start = time.perf_counter()
        items = [
            rs.FSRSItem([rs.FSRSReview(int(g), int(t)) for g, t in zip(gr, tr, strict=True)])
            for gr, tr in zip(ratings, elapsed, strict=True)
        ]
        results["fsrs-rs build FSRSItems (not compared)"] = time.perf_counter() - start
        model = rs.FSRS(list(rs.DEFAULT_PARAMETERS))
        results["fsrs-rs memory_state_batch"] = best_time(lambda: model.memory_state_batch(items), repeats)
        theirs = np.array([m.stability for m in model.memory_state_batch(items)])
        results["max rel. stability diff vs fsrs-rs (float32)"] = float(np.max(np.abs(theirs - ours_s) / ours_s))

    try:
        import fsrs
    except ImportError:
        fsrs = None
    if fsrs is not None:
        scheduler = fsrs.Scheduler(enable_fuzzing=False)
        origin = datetime(2024, 1, 1, 9, 0, tzinfo=UTC)
        subset = min(n_py, n)

        def py_fsrs() -> None:
            for i in range(subset):
                card, now = fsrs.Card(), origin
                for j in range(k):
                    # same-day reviews 1 hour later; otherwise whole days later
                    now += timedelta(days=float(elapsed[i, j])) if elapsed[i, j] else timedelta(hours=1)
                    card, _ = scheduler.review_card(card, fsrs.Rating(int(ratings[i, j])), now)

        per_history = best_time(py_fsrs, max(1, repeats // 2)) / subset
        results[f"py-fsrs review_card, extrapolated from {subset}"] = per_history * n
    return results


# ------------------------------------------------------------------------------- ACT-R


class LegacyACTR(ACTRModel):
    """ACT-R as computed before the Newton solver: fixed bracketing over every trace slot."""

    def _activation(self, ages: np.ndarray, decays: np.ndarray, weights: np.ndarray, t: np.ndarray) -> np.ndarray:
        p = self.parameters
        age_s = np.maximum((ages + t[..., None]) * p.seconds_per_day, 1.0)
        with np.errstate(invalid="ignore"):
            terms = weights * np.power(age_s, -decays)
        total = np.where(np.isnan(ages), 0.0, terms).sum(axis=-1)
        with np.errstate(divide="ignore"):
            return p.base_level_constant + np.log(total)

    def _time_to(self, state: ACTRState, probability: np.ndarray) -> np.ndarray:
        p = self.parameters
        target = p.threshold - p.noise * np.log(1 / probability - 1)
        ages, decays, weights = state.trace_age_days, state.trace_decay, state.trace_weight
        shape = ages.shape[:-1]
        target = np.broadcast_to(target, shape)

        def excess(log_days: np.ndarray) -> np.ndarray:
            return self._activation(ages, decays, weights, np.exp(log_days)) - target

        low, high = np.full(shape, np.log(1e-7)), np.full(shape, np.log(1e6))
        f_low, f_high = excess(low), excess(high)
        for _ in range(22):
            mid = 0.5 * (low + high)
            f_mid = excess(mid)
            above = f_mid > 0
            low, f_low = np.where(above, mid, low), np.where(above, f_mid, f_low)
            high, f_high = np.where(above, high, mid), np.where(above, f_high, f_mid)
        root = 0.5 * (low + high)
        for _ in range(2):
            with np.errstate(invalid="ignore", divide="ignore"):
                guess = low - f_low * (high - low) / (f_high - f_low)
            ok = np.isfinite(guess) & (guess > low) & (guess < high)
            root = np.where(ok, guess, 0.5 * (low + high))
            f_root = excess(root)
            above = f_root > 0
            low, f_low = np.where(above, root, low), np.where(above, f_root, f_low)
            high, f_high = np.where(above, high, root), np.where(above, f_high, f_root)
        start = self._activation(ages, decays, weights, np.zeros(shape))
        return np.where(start <= target, 0.0, np.exp(root))


def run_actr(cells: int, reviews: int, repeats: int, seed: int = SEED) -> dict[str, float]:
    """Seconds per review and per recall look-up, new vs legacy, on the same states."""
    rng = np.random.default_rng(seed)
    gaps = np.where(
        rng.random((reviews, cells)) < 0.2, rng.uniform(0, 0.01, (reviews, cells)), rng.uniform(1, 60, (reviews, cells))
    )
    ratings = np.where(rng.random((reviews, cells)) < 0.15, 1, 3)
    results: dict[str, float] = {}
    worst = 0.0
    for label, model in (("new", ACTRModel()), ("legacy", LegacyACTR())):
        state = model.initial_state(np.full(cells, 3))
        review_s = recall_s = 0.0
        for i in range(reviews):
            review_s += best_time(lambda m=model, s=state, i=i: m.review(s, gaps[i], ratings[i]), repeats)
            recall_s += best_time(lambda m=model, s=state: m.retrievability(s, 7.0), repeats)
            state = model.review(state, gaps[i], ratings[i])
        results[f"{label}: ms per review ({cells:,} cells)"] = 1000 * review_s / reviews
        results[f"{label}: ms per recall look-up"] = 1000 * recall_s / reviews
        if label == "new":
            new_half_life = state.stability
        else:
            worst = float(np.max(np.abs(state.stability - new_half_life) / new_half_life))
    results["max rel. half-life diff, new vs legacy"] = worst
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--histories", type=int, default=10_000)
    parser.add_argument("--reviews", type=int, default=20)
    parser.add_argument("--pyfsrs-histories", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--actr", action="store_true", help="benchmark ACT-R reviews instead")
    parser.add_argument("--cells", type=int, default=10_000)
    parser.add_argument("--actr-reviews", type=int, default=8)
    args = parser.parse_args(argv)
    if args.actr:
        actr = run_actr(args.cells, args.actr_reviews, max(1, args.repeats // 2))
        print(f"ACT-R: {args.cells:,} cells x {args.actr_reviews} reviews (best of {max(1, args.repeats // 2)})")
        for name, value in actr.items():
            print(f"{name:<45} {value:>12.4g}")
        review_ratio = (
            actr[f"legacy: ms per review ({args.cells:,} cells)"] / actr[f"new: ms per review ({args.cells:,} cells)"]
        )
        recall_ratio = actr["legacy: ms per recall look-up"] / actr["new: ms per recall look-up"]
        print(f"speed-up per review     : {review_ratio:6.1f}x")
        print(f"speed-up per recall     : {recall_ratio:6.1f}x")
        return 0
    n, k = args.histories, args.reviews
    results = run(n, k, args.pyfsrs_histories, args.repeats)

    print(f"FSRS-6 memory-state replay: {n:,} histories x {k} reviews ({n * k:,} reviews)")
    print(f"{'method':<50} {'seconds':>12} {'reviews/s':>14}")
    for name, value in results.items():
        if name.startswith("max rel."):
            continue
        print(f"{name:<50} {value:>12.5f} {n * k / value:>14,.0f}")
    ours = results["workbench replay (final)"]
    print()
    if "fsrs-rs memory_state_batch" in results:
        ratio = results["fsrs-rs memory_state_batch"] / ours
        print(f"speed-up vs fsrs-rs-python batch : {ratio:8.2f}x (target >= 1x)")
        ratio_t = results["fsrs-rs memory_state_batch"] / results["workbench replay (trajectories)"]
        print(f"  (with full trajectories        : {ratio_t:8.2f}x)")
        print(
            f"  max relative stability difference vs fsrs-rs: "
            f"{results['max rel. stability diff vs fsrs-rs (float32)']:.2e}"
        )
    key = next((name for name in results if name.startswith("py-fsrs")), None)
    if key:
        print(f"speed-up vs py-fsrs (extrapolated): {results[key] / ours:8.1f}x (target >= 100x)")
    return 0


# ----------------------------------------------------------- optional pytest-benchmark


def test_bench_workbench_replay(benchmark: Any) -> None:
    ratings, elapsed = make_histories(10_000, 20)
    benchmark(replay, ratings, elapsed, final_only=True)


def test_bench_fsrs_rs_batch(benchmark: Any) -> None:
    import pytest

    rs = pytest.importorskip("fsrs_rs_python")
    ratings, elapsed = make_histories(10_000, 20)
    items = [
        rs.FSRSItem([rs.FSRSReview(int(g), int(t)) for g, t in zip(gr, tr, strict=True)])
        for gr, tr in zip(ratings, elapsed, strict=True)
    ]
    model = rs.FSRS(list(rs.DEFAULT_PARAMETERS))
    benchmark(model.memory_state_batch, items)


def test_bench_actr_review(benchmark: Any) -> None:
    model = ACTRModel()
    rng = np.random.default_rng(SEED)
    state = model.initial_state(np.full(10_000, 3))
    for _ in range(4):
        state = model.review(state, rng.uniform(1, 30, 10_000), np.full(10_000, 3))
    benchmark(model.review, state, rng.uniform(1, 30, 10_000), np.full(10_000, 3))


if __name__ == "__main__":
    sys.exit(main())
