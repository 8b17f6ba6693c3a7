"""Benchmark the plan optimiser: ``optimise`` on a 20-concept journey with 1,000 learners.

Run as a script (prints the figures and the ratio to a reference measured in this run)::

    python benchmarks/bench_plans.py [--learners 1000] [--concepts 20] [--repeats 3]

or with pytest-benchmark: ``pytest -p no:nbval benchmarks/bench_plans.py``. Nothing here
asserts wall-clock times.

What is timed (best of several repeats, ``time.perf_counter``):

* reference: one :func:`workbench.simulate.simulate` call of the journey as designed, with
  the optimiser's settings (``horizon_days = on_day + 1``, one checkpoint day);
* :func:`workbench.plans.optimise` for a proficiency target on day 90 (every simulation,
  plan building and journey validation included); its number of simulations is printed,
  so the ratio reads as "simulations' worth of time".

Target: ``optimise`` <= 2 s for 20 concepts and 1,000 learners (about 30 simulations at
most, each about 30 ms).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from typing import Any

from workbench.model import Activity, Concept, Journey
from workbench.plans import optimise
from workbench.simulate import LearnerPopulation, simulate

SEED = 20240601
ON_DAY = 90
TARGET = 0.9


def make_journey(n_concepts: int = 20) -> Journey:
    """Return a two-workshop programme: half the concepts on day 0, half on day 7, recap and two quizzes."""
    ids = [f"concept-{i:02d}" for i in range(n_concepts)]
    first, second = ids[: n_concepts // 2], ids[n_concepts // 2 :]
    concepts = [Concept(id=c, name=f"Concept {i}", difficulty=3.0 + (i % 5)) for i, c in enumerate(ids)]
    activities = [
        Activity.of_kind("ilt_workshop", id="workshop-1", title="Workshop 1", covers=first, schedule=0),
        Activity.of_kind("vilt_session", id="workshop-2", title="Workshop 2", covers=second, schedule=7),
        Activity.of_kind(
            "post_session_recap", id="recap", title="Recap", covers=ids, schedule={"after": "workshop-2", "gap_days": 1}
        ),
        Activity.of_kind(
            "spaced_recall_quiz",
            id="quiz-1",
            title="Quiz 1",
            covers=first,
            schedule={"after": "workshop-1", "gap_days": 3},
        ),
        Activity.of_kind(
            "spaced_recall_quiz",
            id="quiz-2",
            title="Quiz 2",
            covers=second,
            schedule={"after": "workshop-2", "gap_days": 3},
        ),
    ]
    return Journey(id="bench-20", title="Benchmark programme", concepts=concepts, activities=activities)


def best_time(fn: Callable[[], Any], repeats: int) -> float:
    """Fastest of ``repeats`` runs, in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def run(learners: int, concepts: int, repeats: int) -> dict[str, Any]:
    journey = make_journey(concepts)
    population = LearnerPopulation(size=learners)

    def reference() -> Any:
        return simulate(
            journey, population=population, horizon_days=ON_DAY + 1, rng=SEED, checkpoint_days=(ON_DAY,), progress=False
        )

    def search() -> Any:
        return optimise(journey, target=TARGET, on_day=ON_DAY, population=population, rng=SEED)

    result = search()
    return {
        "simulate (reference)": best_time(reference, repeats),
        "optimise": best_time(search, repeats),
        "result": result,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--learners", type=int, default=1000)
    parser.add_argument("--concepts", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    figures = run(args.learners, args.concepts, args.repeats)
    result = figures["result"]
    one, whole = figures["simulate (reference)"], figures["optimise"]
    print(f"plan optimiser: {args.concepts} concepts, {args.learners:,} learners, target {TARGET} on day {ON_DAY}")
    print(f"{'step':<34} {'seconds':>10}")
    print(f"{'simulate, one call (reference)':<34} {one:>10.4f}")
    print(f"{'optimise':<34} {whole:>10.4f}")
    print()
    print(f"optimise / simulate             : {whole / one:8.1f}x ({result.simulations} simulations)")
    print(f"time per simulation in optimise : {whole / result.simulations * 1000:8.1f} ms")
    print(f"target optimise <= 2 s          : {'met' if whole <= 2.0 else 'NOT met'} ({whole:.2f} s)")
    print(f"chosen: {result.plan.label} (reachable={result.reachable}, achieved {result.achieved:.3f})")
    return 0


# ----------------------------------------------------------- optional pytest-benchmark


def test_bench_optimise(benchmark: Any) -> None:
    journey = make_journey(20)
    population = LearnerPopulation(size=1000)
    benchmark(optimise, journey, target=TARGET, on_day=ON_DAY, population=population, rng=SEED)


def test_bench_simulate_reference(benchmark: Any) -> None:
    journey = make_journey(20)
    population = LearnerPopulation(size=1000)
    benchmark(
        simulate,
        journey,
        population=population,
        horizon_days=ON_DAY + 1,
        rng=SEED,
        checkpoint_days=(ON_DAY,),
        progress=False,
    )


if __name__ == "__main__":
    sys.exit(main())
