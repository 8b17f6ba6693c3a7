"""Dask runs (the session's real LocalCluster of 2 worker processes): same numbers as local runs."""

from __future__ import annotations

import contextlib
import socket
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from distributed import Client
from workbench.cli import main
from workbench.distributed import SWEEP_COLUMNS, connect, load_portfolio, run_tasks, sweep
from workbench.errors import ParameterError
from workbench.plans import parse_plan
from workbench.simulate import LearnerPopulation, engine, simulate
from workbench.templates import load_template


def test_simulate_on_the_cluster_equals_the_local_run(dask_client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "BLOCK_SIZE", 100)  # three blocks, so three tasks, reduced in block order
    journey = load_template("onboarding_continuation")
    population = LearnerPopulation(size=300)
    local = simulate(journey, parse_plan("expanding"), population=population, rng=4, horizon_days=90, trace=True)
    remote = simulate(
        journey,
        parse_plan("expanding"),
        population=population,
        rng=4,
        horizon_days=90,
        trace=True,
        scheduler=dask_client,
    )
    for name in ("mean", "proficient_share", "quantiles", "learner_minutes_each"):
        assert np.array_equal(getattr(remote, name), getattr(local, name)), name
    assert np.array_equal(remote.final_stability, local.final_stability, equal_nan=True)
    for day, recall in local.checkpoints.items():
        assert np.array_equal(remote.checkpoints[day], recall)
    assert remote.touches == local.touches
    assert remote.trace is not None
    assert remote.trace.equals(local.trace)


def test_scheduler_local_starts_its_own_cluster_beside_another(dask_client: Client) -> None:
    """``scheduler="local"`` (``--scheduler local``) works while another cluster runs on this machine.

    Another cluster (here: a socket holding Dask's default HTTP port 8787, as a user's own
    cluster does) must not stop it: a cluster that asked for that fixed port would find it taken
    and warn (an error under this suite's warning filter), so it takes a free port.
    """
    journey = load_template("compliance_follow_up")
    population = LearnerPopulation(size=200)
    local = simulate(journey, population=population, rng=2, horizon_days=60)
    with contextlib.ExitStack() as stack:
        holder = stack.enter_context(socket.socket())
        with contextlib.suppress(OSError):  # already held by something else: the case under test anyway
            holder.bind(("0.0.0.0", 8787))
            holder.listen()
        on_its_own_cluster = simulate(journey, population=population, rng=2, horizon_days=60, scheduler="local")
    assert np.array_equal(on_its_own_cluster.mean, local.mean)
    assert on_its_own_cluster.touches == local.touches


def test_tasks_stream_back_one_by_one_with_bounded_submission(dask_client: Client) -> None:
    seen: list[int] = []
    run_tasks(
        dask_client,
        _times,
        10,
        [(i,) for i in range(7)],
        lambda index, value: seen.append(value - 10 * index),
        in_flight=2,
    )
    assert sorted(seen) == [0] * 7
    assert len(seen) == 7


def _times(factor: int, index: int) -> int:
    return factor * index


def test_sweep_on_the_cluster_equals_the_local_sweep(dask_client: Client) -> None:
    journeys = [load_template("safety_reminders")]
    populations = {"small": LearnerPopulation(size=100), "slow": LearnerPopulation(size=100, memory_sigma=0.6)}
    arguments: dict[str, Any] = {"seeds": [1, 2], "checkpoint_days": [30, 90], "horizon_days": 90}
    local = sweep(journeys, ["none", "expanding"], populations, **arguments)
    remote = sweep(journeys, ["none", "expanding"], populations, scheduler=dask_client, **arguments)
    pd.testing.assert_frame_equal(remote, local)
    assert list(local.columns) == list(SWEEP_COLUMNS)
    assert len(local) == 1 * 2 * 2 * 2 * 2  # journeys x plans x populations x seeds x days
    # each row is the simulation it names
    row = local.iloc[-1]
    single = simulate(
        journeys[0],
        parse_plan("expanding"),
        population=populations["slow"],
        rng=2,
        checkpoint_days=[30, 90],
        horizon_days=90,
    )
    assert row["retention"] == single.retention(90)
    assert row["proficiency"] == single.proficiency(90)
    assert row["minutes"] == single.learner_minutes_until(90)


def test_cli_sweep_writes_parquet_through_a_scheduler_address(
    dask_client: Client, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    portfolio = tmp_path / "portfolio.yaml"
    portfolio.write_text(
        "journeys: [safety_reminders]\nplans: [none, 'fixed:7x4']\n"
        "populations: {team: {size: 120}}\nseeds: [3, 4]\ncheckpoint_days: [30]\n"
    )
    output = tmp_path / "out.parquet"
    code = main(["sweep", str(portfolio), "--scheduler", dask_client.scheduler.address, "-o", str(output)])
    assert code == 0
    frame = pd.read_parquet(output)
    expected = load_portfolio(portfolio).run(tmp_path)
    pd.testing.assert_frame_equal(frame, expected)
    assert "fixed:7x4" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("plans: [none]\n", "journeys"),
        ("journeys: [safety_reminders]\nseeds: [one]\n", "seeds.0"),
        ("journeys: [safety_reminders]\nlearners: 5\n", "learners"),
        ("journeys: [no_such_template]\n", "journeys[0]"),
        ("journeys: [safety_reminders]\npopulations: {big: {size: 0}}\n", "populations.big"),
    ],
)
def test_a_bad_portfolio_is_refused_naming_the_field_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, field: str
) -> None:
    portfolio = tmp_path / "portfolio.yaml"
    portfolio.write_text(text)
    output = tmp_path / "out.parquet"
    assert main(["sweep", str(portfolio), "-o", str(output)]) == 2
    error = capsys.readouterr().err
    assert field in error
    assert "Traceback" not in error
    assert not output.exists()


def test_an_unusable_scheduler_is_a_clear_error() -> None:
    with pytest.raises(ParameterError, match="scheduler"), connect(42):
        pass
