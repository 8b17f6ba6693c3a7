"""Plans on Dask (the session's real LocalCluster of 2 worker processes): the same numbers as here.

compare, optimise, tune_deadline, frontier and sensitivity hand their simulations to one task
runner; these tests pin that the cluster's answers equal the local ones to the last bit, that
simulating ahead changes no decision of the search, and that progress is opt-in.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from distributed import Client
from workbench.plans import compare, frontier, optimise, parse_plan, sensitivity, tune_deadline
from workbench.plans._simulations import Evaluator, RunSettings
from workbench.simulate import LearnerPopulation
from workbench.templates import load_template

POPULATION = LearnerPopulation(size=150)


def test_compare_on_the_cluster_equals_the_local_comparison(dask_client: Client) -> None:
    journey = load_template("safety_reminders")
    arguments: dict[str, Any] = {"population": POPULATION, "rng": 5, "days": (30, 60)}
    local = compare(journey, ["none", "expanding", "deadline:60"], **arguments)
    remote = compare(journey, ["none", "expanding", "deadline:60"], scheduler=dask_client, **arguments)
    pd.testing.assert_frame_equal(remote.summary, local.summary, check_exact=True)
    pd.testing.assert_frame_equal(remote.frame, local.frame, check_exact=True)
    for label, result in local.results.items():
        assert np.array_equal(remote.results[label].learner_minutes_each, result.learner_minutes_each)
        assert remote.schedules[label] == local.schedules[label]
    assert remote.highest_proficiency() == local.highest_proficiency()


def test_optimise_on_the_cluster_makes_the_same_search(dask_client: Client) -> None:
    journey = load_template("compliance_follow_up")
    arguments: dict[str, Any] = {"target": 0.85, "on_day": 60, "population": POPULATION, "rng": 2}
    local = optimise(journey, also=["expanding"], **arguments)
    remote = optimise(journey, also=["expanding"], scheduler=dask_client, **arguments)
    assert (remote.plan, remote.reason, remote.simulations) == (local.plan, local.reason, local.simulations)
    pd.testing.assert_frame_equal(remote.candidates, local.candidates, check_exact=True)
    # a search cut short by its budget of simulations stops at the same place
    short = optimise(journey, max_simulations=4, scheduler=dask_client, **arguments)
    assert short.simulations == 4
    pd.testing.assert_frame_equal(
        short.candidates, optimise(journey, max_simulations=4, **arguments).candidates, check_exact=True
    )


def test_frontier_sensitivity_and_tuning_on_the_cluster_equal_the_local_runs(dask_client: Client) -> None:
    journey = load_template("safety_reminders")
    common: dict[str, Any] = {"population": POPULATION, "rng": 1}
    pd.testing.assert_frame_equal(
        frontier(journey, 60, targets=(0.7, 0.8), scheduler=dask_client, **common),
        frontier(journey, 60, targets=(0.7, 0.8), **common),
        check_exact=True,
    )
    pd.testing.assert_frame_equal(
        sensitivity(journey, "deadline:60", on_day=60, scheduler=dask_client, **common),
        sensitivity(journey, "deadline:60", on_day=60, **common),
        check_exact=True,
    )
    here = tune_deadline(journey, 60, 3, ratios=(1.5, 3.0), **common)
    there = tune_deadline(journey, 60, 3, ratios=(1.5, 3.0), scheduler=dask_client, **common)
    assert there[0] == here[0]
    pd.testing.assert_frame_equal(there[1], here[1], check_exact=True)


def test_plans_simulated_ahead_count_only_once_asked_for() -> None:
    journey = load_template("safety_reminders")
    ahead = Evaluator(RunSettings.for_day(journey, 60, POPULATION, None, 3, threshold=0.8, profile=None), "proficiency")
    plans = [parse_plan(text) for text in ("expanding", "fixed:7x4", "deadline:60")]
    ahead.prefetch([(plan, None) for plan in plans])
    assert (ahead.simulations, ahead.rows) == (0, [])
    row = ahead(plans[1], "fixed")
    assert ahead.simulations == 1
    assert [r["label"] for r in ahead.rows] == ["fixed:7x4"]
    direct = Evaluator(
        RunSettings.for_day(journey, 60, POPULATION, None, 3, threshold=0.8, profile=None), "proficiency"
    )
    assert direct(plans[1], "fixed") == row


def test_progress_is_quiet_by_default_and_follows_the_simulations_when_asked(
    capsys: pytest.CaptureFixture[str],
) -> None:
    journey = load_template("safety_reminders")
    compare(journey, ["none", "expanding"], population=LearnerPopulation(size=50), days=(30,))
    assert capsys.readouterr().err == ""
    seen: list[int] = []
    compare(
        journey,
        ["none", "expanding", "fixed:7x4"],
        population=LearnerPopulation(size=50),
        days=(30,),
        progress=seen.append,
    )
    assert seen == [1, 2, 3]
    compare(journey, ["none", "expanding"], population=LearnerPopulation(size=50), days=(30,), progress=True)
    assert "2/2" in capsys.readouterr().err
    steps: list[int] = []
    result = optimise(journey, 0.85, 60, population=LearnerPopulation(size=50), progress=steps.append)
    assert steps == list(range(1, len(steps) + 1))
    assert len(steps) >= result.simulations
