"""Benchmarks of the population engine (run: ``python benchmarks/bench_simulate.py``).

Each figure is printed next to a reference measured in the same run, as a ratio, so numbers
from different machines can be compared:

1. engine throughput: learner x concept x touch updates per second on one core, against
   the machine's own limit: ``numpy.exp`` elements per second in the same process, measured
   after each run and sustained over as long as the run, so the cost of one update is stated
   in exp-equivalents (target <= 10; FSRS-6's update itself needs about ten), and against a
   plain per-learner Python loop doing the same FSRS updates;
2. a 1,000-learner simulation of every template: median wall time against the 50 ms target
   (sliders must feel live), and against one vectorised pass of FSRS recall over the same
   learners x concepts x days grid (the floor any engine pays);
3. 1,000,000 learners x 20 concepts x 365 days: wall time (target < 60 s) and peak memory
   (target < 4 GB), in a fresh process so the peak is this run's alone.

4. the ``workplace-spacing`` memory profile (ACT-R) against FSRS-6: a 1,000-learner simulation of
   a few templates with each, interleaved, as a ratio of CPU times (how much slower the profile
   recommended for gap decisions is; the README and docs/memory-profiles.md quote it).

``--quick`` skips the third (it takes about a minute); ``--actr-only`` runs only the fourth.

The machine may be shared: every figure is the *minimum* over repeats of the process's CPU
time (``time.process_time``), for the measured code and for its reference alike, so other
processes' load inflates neither side (wall time under load mostly measures waiting).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from collections.abc import Callable

import numpy as np

from workbench.memory import FSRS6
from workbench.model import Activity, Concept, Journey
from workbench.simulate import LearnerPopulation, simulate
from workbench.templates import list_templates, load_template


def twenty_concept_journey() -> Journey:
    """Return a module teaching 20 concepts, then 8 spaced quizzes over a year."""
    journey = Journey.empty("bench20", "Benchmark: 20 concepts over a year")
    for i in range(20):
        journey = journey.add_concept(Concept(id=f"c{i}", name=f"Concept {i}"))
    activities = [
        Activity.of_kind(
            "elearning_module", id="module", title="Module", covers=[f"c{i}" for i in range(20)], schedule=0
        )
    ]
    for k, day in enumerate([1, 3, 7, 14, 30, 60, 120, 240]):
        covered = [f"c{i}" for i in range(20) if (i + k) % 2 == 0]
        activities.append(
            Activity.of_kind("spaced_recall_quiz", id=f"q{k}", title=f"Quiz {k}", covers=covered, schedule=day)
        )
    return journey.evolve(activities=activities)


def dense_touch_journey() -> Journey:
    """20 concepts taught on day 0, then a quiz on all of them every day for 60 days.

    Touches dominate its cost, so it measures the update path rather than the daily grid.
    """
    journey = Journey.empty("dense", "Benchmark: daily retrieval of 20 concepts")
    concepts = [f"c{i}" for i in range(20)]
    for cid in concepts:
        journey = journey.add_concept(Concept(id=cid, name=cid))
    activities = [Activity.of_kind("elearning_module", id="module", title="Module", covers=concepts, schedule=0)]
    activities += [
        Activity.of_kind("spaced_recall_quiz", id=f"q{d}", title=f"Quiz {d}", covers=concepts, schedule=d)
        for d in range(1, 61)
    ]
    return journey.evolve(activities=activities)


def _updates(journey: Journey, learners: int) -> int:
    return learners * sum(len(a.covers) for a in journey.activities)


def python_loop_reference(journey: Journey, learners: int) -> float:
    """Measure updates per second of a per-learner Python loop over the same touches (FSRS, scalar)."""
    model = FSRS6()
    touches = sorted(
        ((journey.days[a.id] or 0.0, a) for a in journey.activities if journey.days[a.id] is not None),
        key=lambda t: t[0],
    )
    rng = np.random.default_rng(0)
    start = time.process_time()
    for _ in range(learners):
        state: dict[str, tuple[object, float]] = {}
        for day, activity in touches:
            for coverage in activity.covers:
                cid = coverage.concept
                if cid not in state:
                    state[cid] = (model.initial_state(np.array(3)), day)
                    continue
                memory, last = state[cid]
                recalled = rng.random() < float(model.retrievability(memory, day - last))  # type: ignore[arg-type]
                state[cid] = (model.review(memory, np.array(day - last), np.array(3 if recalled else 1)), day)  # type: ignore[arg-type]
    elapsed = time.process_time() - start
    return _updates(journey, learners) / elapsed


def cpu_seconds(run: Callable[[], object], repeats: int) -> float:
    """Return the least CPU time of the process over ``repeats`` calls of ``run``."""
    times = []
    for _ in range(repeats):
        start = time.process_time()
        run()
        times.append(time.process_time() - start)
    return min(times)


def engine_throughput(
    journey: Journey, learners: int, horizon_days: int, repeats: int = 2, *, exp_reference: bool = False
) -> tuple[float, float, float]:
    """Touch updates and cell-days of recall per CPU second of the engine on one thread (best repeat).

    With ``exp_reference``, also ``numpy.exp`` elements per CPU second (best repeat), measured
    right after each run and sustained over as much CPU time as that run took, so both sides
    see the same moments of a shared machine over the same span (else NaN).
    """
    population = LearnerPopulation(size=learners)
    simulate(journey, population=population.with_size(2000), horizon_days=horizon_days, rng=0, workers=1)
    elapsed, exp_rate = float("inf"), float("nan")
    for _ in range(repeats):
        run = cpu_seconds(
            lambda: simulate(
                journey, population=population, horizon_days=horizon_days, rng=0, workers=1, progress=False
            ),
            1,
        )
        elapsed = min(elapsed, run)
        if exp_reference:
            exp_rate = np.fmax(exp_rate, exp_elements_per_second(run))
    cell_days = learners * len(journey.concepts) * (horizon_days + 1)
    return _updates(journey, learners) / elapsed, cell_days / elapsed, float(exp_rate)


def exp_elements_per_second(seconds: float) -> float:
    """Measure ``numpy.exp`` elements per CPU second, sustained over about ``seconds`` of CPU time.

    Calls on a 1,000,000-element float array, back to back, until that much CPU time has passed.
    """
    x = np.random.default_rng(0).random(1_000_000)
    out = np.empty_like(x)
    calls, start = 0, time.process_time()
    while (spent := time.process_time() - start) < seconds or calls < 3:
        np.exp(x, out=out)
        calls += 1
    return calls * x.size / spent


def thousand_learners(repeats: int) -> list[tuple[str, float, float]]:
    rows = []
    population = LearnerPopulation(size=1000)
    model = FSRS6()
    for name in list_templates():
        journey = load_template(name)
        simulate(journey, population=population, rng=1)
        # reference: one vectorised pass of FSRS recall over learners x concepts x days
        grid = np.arange(181, dtype=float)[:, None, None] * np.ones((1, 1000, len(journey.concepts)))
        state = model.initial_state(np.full((1000, len(journey.concepts)), 3))
        # interleaved, so both sides see the same moments of a shared machine
        times, ref_times = [], []
        for _ in range(repeats):
            times.append(cpu_seconds(lambda journey=journey: simulate(journey, population=population, rng=1), 1))
            ref_times.append(
                cpu_seconds(lambda state=state, grid=grid: model.retrievability(state, grid).mean(axis=1), 1)
            )
        rows.append((name, min(times), min(ref_times)))
    return rows


#: templates of the ACT-R figure: few, many and mid-journey touches
ACTR_TEMPLATES = ("post_training_retention", "software_adoption", "flipped_classroom")


def actr_against_fsrs(templates: tuple[str, ...], repeats: int) -> list[tuple[str, float, float]]:
    """Least CPU seconds of a 1,000-learner run with the workplace-spacing profile (ACT-R) and with FSRS-6."""
    rows = []
    population = LearnerPopulation(size=1000)
    for name in templates:
        journey = load_template(name)
        simulate(journey, population=population, rng=1, profile="workplace-spacing")  # warm caches
        actr, fsrs = [], []
        for _ in range(repeats):  # interleaved, so both sides see the same moments of a shared machine
            actr.append(
                cpu_seconds(
                    lambda journey=journey: simulate(
                        journey, population=population, rng=1, profile="workplace-spacing"
                    ),
                    1,
                )
            )
            fsrs.append(
                cpu_seconds(lambda journey=journey: simulate(journey, population=population, rng=1, model="fsrs6"), 1)
            )
        rows.append((name, min(actr), min(fsrs)))
    return rows


def million_run() -> dict[str, float]:
    """Run the 1M x 20 x 365 simulation in this process; returns wall time and peak RSS."""
    journey = twenty_concept_journey()
    start = time.perf_counter()
    result = simulate(journey, population=LearnerPopulation(size=1_000_000), horizon_days=365, rng=0, progress=False)
    elapsed = time.perf_counter() - start
    peak_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2  # kB -> GB on Linux
    return {"seconds": elapsed, "peak_gb": peak_gb, "retention_365": result.retention(365)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="skip the 1,000,000-learner run")
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--learners", type=int, default=50_000, help="learners of the throughput runs")
    parser.add_argument("--engine-repeats", type=int, default=3, help="repeats of each throughput run")
    parser.add_argument("--actr-only", action="store_true", help="only the ACT-R against FSRS-6 figure")
    parser.add_argument("--million-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.million_child:
        print(json.dumps(million_run()))
        return
    if args.actr_only:
        print_actr(args.repeats)
        return

    dense = dense_touch_journey()
    reference = python_loop_reference(dense, 20)
    updates, _, exp_rate = engine_throughput(dense, args.learners, 60, args.engine_repeats, exp_reference=True)
    _, cell_days, _ = engine_throughput(twenty_concept_journey(), args.learners, 365, args.engine_repeats)
    print(f"1. engine throughput (one thread, {args.learners:,} learners, 20 concepts, a quiz a day, 60 days)")
    print(f"   {updates / 1e6:8.2f} M learner-concept-touch updates/s")
    print(
        f"   {exp_rate / 1e6:8.1f} M numpy.exp elements/s in this process: one update costs "
        f"{exp_rate / updates:.1f} exp-equivalents (target <= 10)"
    )
    print(
        f"   {reference / 1e6:8.3f} M updates/s for a per-learner Python loop: engine = {updates / reference:,.0f}x it"
    )
    print(f"   {cell_days / 1e6:8.1f} M learner-concept-days of recall per second (20 concepts, 365 days)")

    print("\n2. 1,000 learners, each template, horizon 180 days (least CPU time of repeats)")
    print(f"   {'template':<26} {'CPU ms':>10} {'target/CPU':>14} {'vs one recall pass':>19}")
    ratios = []
    for name, best, ref in thousand_learners(args.repeats):
        ratios.append(best / ref)
        print(f"   {name:<26} {best * 1000:10.1f} {0.050 / best:13.1f}x {best / ref:18.2f}x")
    print(f"   {'largest ratio':<26} {'':10} {'':14} {max(ratios):18.2f}x (target <= 3)")

    if not args.quick:
        print("\n3. 1,000,000 learners x 20 concepts x 365 days (fresh process)")
        child = subprocess.run(
            [sys.executable, __file__, "--million-child"], capture_output=True, text=True, check=True
        )
        figures = json.loads(child.stdout.strip().splitlines()[-1])
        print(
            f"   {figures['seconds']:.1f} s (target < 60 s: {60 / figures['seconds']:.2f}x headroom), "
            f"peak memory {figures['peak_gb']:.2f} GB (target < 4 GB: {4 / figures['peak_gb']:.2f}x headroom)"
        )
    print_actr(args.repeats)


def print_actr(repeats: int) -> None:
    print("\n4. workplace-spacing (ACT-R) against FSRS-6, 1,000 learners, horizon 180 days (least CPU time)")
    print(f"   {'template':<26} {'ACT-R ms':>10} {'FSRS-6 ms':>10} {'ACT-R / FSRS-6':>15}")
    for name, actr, fsrs in actr_against_fsrs(ACTR_TEMPLATES, repeats):
        print(f"   {name:<26} {actr * 1000:10.1f} {fsrs * 1000:10.1f} {actr / fsrs:14.1f}x")


if __name__ == "__main__":
    main()
