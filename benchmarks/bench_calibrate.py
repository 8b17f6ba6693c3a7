"""Benchmark calibration: 4 parameters on grouped rows and on per-learner events.

Run as a script (prints the times and their ratio to one ``simulate`` call in the same run)::

    python benchmarks/bench_calibrate.py [--rows 50] [--events 100000]

Nothing here asserts wall-clock times. What is timed (``time.perf_counter``, one run each):

* reference: one :func:`workbench.simulate.simulate` of the post_training_retention template
  (1,000 learners, 180 days, default profile);
* grouped: :func:`workbench.calibrate.calibrate` of ``s0_encode_days, decay,
  recall_gain_log, memory_sigma`` (Wald intervals) on ``--rows`` grouped outcomes
  (one- and two-session histories, test delays 1-120 days) made from a known profile;
* events: the same fit on about ``--events`` per-learner events of a simulated cohort
  (``simulate(..., trace=True)``: 8 concepts, a module then 3 quizzes per concept).
"""

from __future__ import annotations

import argparse
import datetime as dt
import time

import pandas as pd

from workbench.calibrate import calibrate, expected_recall, read_observations
from workbench.model import Activity, Concept, Journey
from workbench.simulate import Engagement, LearnerPopulation, get_profile, simulate
from workbench.templates import load_template

FIT = ["s0_encode_days", "decay", "recall_gain_log", "memory_sigma"]
TRUTH = {"s0_encode_days": 1.5, "decay": 0.5, "recall_gain_log": 1.5, "memory_sigma": 0.4}
TODAY = dt.date(2026, 12, 2)


def grouped_rows(rows: int) -> pd.DataFrame:
    """``rows`` grouped outcomes at their exact expected recall under TRUTH."""
    histories = []
    gaps = [None, 1, 2, 4, 7, 14]
    delays = [1, 3, 7, 14, 21, 30, 45, 60, 90, 120]
    for i in range(rows):
        gap, delay = gaps[i % len(gaps)], delays[(i // len(gaps)) % len(delays)]
        history = "0:encode" if gap is None else f"0:encode;{gap}:retrieve"
        histories.append((history, (gap or 0) + delay))
    frame = pd.DataFrame({"history": [h for h, _ in histories], "test_day": [t for _, t in histories], "n": 100})
    frame["recalled"] = 0.5
    truth = get_profile("flashcards").with_values(TRUTH)
    frame["recalled"] = expected_recall(truth, read_observations(frame))
    return frame


def events(target: int) -> pd.DataFrame:
    """About ``target`` per-learner events of a simulated cohort (4 rows per learner-concept)."""
    covers = [f"c{i}" for i in range(8)]
    activities = [Activity.of_kind("elearning_module", id="teach", title="Teach", covers=covers, schedule=0.0)]
    activities += [
        Activity.of_kind("spaced_recall_quiz", id=f"q{d}", title=f"Quiz {d}", covers=covers, schedule=float(d))
        for d in (3, 10, 30)
    ]
    journey = Journey(
        id="bench", title="Bench", concepts=[Concept(id=c, name=c) for c in covers], activities=activities
    )
    learners = max(1, target // (len(covers) * len(activities)))
    population = LearnerPopulation(size=learners, engagement=Engagement.perfect(), engagement_sigma=0.0)
    truth = get_profile("flashcards").with_values(TRUTH)
    trace = simulate(journey, population=population, profile=truth, rng=1, horizon_days=31, trace=True).trace
    assert trace is not None
    return trace[["learner", "concept", "day", "effect", "recalled"]].astype(
        {"recalled": "object", "concept": str, "effect": str}
    )


def timed(label: str, fn: object) -> float:
    start = time.perf_counter()
    fn()  # type: ignore[operator]
    seconds = time.perf_counter() - start
    print(f"  {label:<52}{seconds:>9.2f} s")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=50, help="grouped rows (default 50)")
    parser.add_argument("--events", type=int, default=100_000, help="per-learner events (default 100000)")
    args = parser.parse_args()
    journey = load_template("post_training_retention")
    reference = timed("one simulate (post_training_retention, 1000 learners)", lambda: simulate(journey, rng=0))
    rows = grouped_rows(args.rows)
    grouped = timed(
        f"calibrate 4 parameters, {len(rows)} grouped rows",
        lambda: calibrate(rows, profile="flashcards", fit=FIT, intervals="wald", today=TODAY),
    )
    data = events(args.events)
    per_learner = timed(
        f"calibrate 4 parameters, {len(data):,} per-learner events",
        lambda: calibrate(data, profile="flashcards", fit=FIT, intervals="wald", today=TODAY),
    )
    print(f"\n  ratio to one simulate: grouped {grouped / reference:.1f}x, events {per_learner / reference:.1f}x")


if __name__ == "__main__":
    main()
