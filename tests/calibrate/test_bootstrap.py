"""Bootstrap draws of a calibration: resampling, agreement with the standard error, Dask, sweep, CLI."""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from workbench.calibrate import (
    CalibrationDraws,
    bootstrap_calibration,
    calibrate,
    expected_recall,
    load_calibration,
    load_calibration_file,
    read_observations,
)
from workbench.calibrate import bootstrap as bootstrap_module
from workbench.cli import main
from workbench.distributed import sweep
from workbench.errors import ParameterError
from workbench.simulate import LearnerPopulation, get_profile, simulate
from workbench.templates import load_template

TODAY = dt.date(2026, 12, 2)
TRUTH = {"s0_encode_days": 1.5, "decay": 0.5}


def _grouped(n: int, seed: int) -> pd.DataFrame:
    """One study session tested after 1-30 days: binomial shares around a known profile's expected recall."""
    days = [1, 3, 7, 14, 30]
    frame = pd.DataFrame({"history": ["0:encode"] * len(days), "test_day": days, "n": n, "recalled": 0.5})
    truth = get_profile("flashcards").with_values(TRUTH)
    expected = expected_recall(truth, read_observations(frame))
    frame["recalled"] = np.random.default_rng(seed).binomial(n, expected) / n
    return frame


def _events(learners: int, seed: int) -> pd.DataFrame:
    """Per-learner events: learners with one or two concepts, each taught on day 0 and quizzed twice."""
    rng = np.random.default_rng(seed)
    rows = []
    for k in range(learners):
        for concept in ("c1", "c2")[: 1 + k % 2]:  # learners differ in how many rows they have
            rows.append((f"l{k:03d}", concept, 0, "encode", ""))
            rows.append((f"l{k:03d}", concept, 2 + k % 3, "retrieve", int(rng.random() < 0.7)))
            rows.append((f"l{k:03d}", concept, 9 + k % 4, "retrieve", int(rng.random() < 0.5)))
    return pd.DataFrame(rows, columns=["learner", "concept", "day", "effect", "recalled"])


@pytest.fixture(scope="module")
def small() -> pd.DataFrame:
    return _grouped(200, seed=3)


def test_grouped_bootstrap_sd_agrees_with_the_standard_error() -> None:
    # the parametric bootstrap's SD of a well-identified parameter estimates its standard error;
    # an SD from N draws has a relative standard error of 1/sqrt(2(N-1)): allow 3 of them
    draws = 120
    data = _grouped(400, seed=0)
    base = calibrate(data, profile="flashcards", fit=["s0_encode_days"], today=TODAY)
    result = bootstrap_calibration(data, draws, rng=5, calibration=base)
    row = result.intervals().loc["s0_encode_days"]
    estimate = base.parameters["s0_encode_days"]
    assert estimate.standard_error is not None
    assert estimate.low is not None
    assert estimate.high is not None
    tolerance = 3 / math.sqrt(2 * (row["draws"] - 1))
    assert row["bootstrap_sd"] / estimate.standard_error == pytest.approx(1, abs=tolerance)
    # the percentile interval covers the estimate, and its width is the profile interval's within 3
    # standard errors of a 2.5-97.5% sample-quantile width from N normal draws: each quantile has
    # variance p(1-p) / (N phi(z)^2) (in SDs), the two nearly independent, over a width of 2z
    assert row["bootstrap_low"] < estimate.value < row["bootstrap_high"]
    width = (row["bootstrap_high"] - row["bootstrap_low"]) / (estimate.high - estimate.low)
    z, p = 1.959964, 0.025
    phi = math.exp(-z * z / 2) / math.sqrt(2 * math.pi)
    width_tolerance = 3 * math.sqrt(2 * p * (1 - p) / row["draws"]) / phi / (2 * z)
    assert width == pytest.approx(1, abs=width_tolerance)
    assert result.resampling == "grouped"
    assert "Binomial(n, observed share)" in result.method
    assert result.requested == draws == len(result.draws) + len(result.failed)


def test_grouped_resampling_draws_counts_of_the_same_rows(small: pd.DataFrame) -> None:
    observations = read_observations(small)
    shared = bootstrap_module._Shared(observations, get_profile("flashcards"), ("s0_encode_days",), ())
    copy = bootstrap_module._resampled(shared, np.random.default_rng(1))
    pd.testing.assert_frame_equal(copy.frame.drop(columns="recalled"), observations.frame.drop(columns="recalled"))
    counts = copy.frame["recalled"] * copy.frame["n"]
    assert np.allclose(counts, np.round(counts))  # whole learners recalled
    assert not np.allclose(copy.frame["recalled"], observations.frame["recalled"])


def test_events_resampling_keeps_whole_learners() -> None:
    observations = read_observations(_events(30, seed=2))
    frame = observations.frame
    learners = sorted(frame["learner"].unique())
    starts = [int(np.flatnonzero(frame["learner"] == name)[0]) for name in learners]
    rows = tuple(np.arange(a, b) for a, b in zip(starts, [*starts[1:], len(frame)], strict=True))
    shared = bootstrap_module._Shared(observations, get_profile("flashcards"), ("s0_encode_days",), rows)
    copy = bootstrap_module._resampled(shared, np.random.default_rng(4)).frame
    new_ids = copy["learner"].unique()
    assert len(new_ids) == len(learners)  # as many learners as observed
    originals = [name.partition("|")[2] for name in new_ids]
    assert len(set(originals)) < len(originals)  # with replacement: some learner twice
    columns = ["concept", "day", "effect", "recalled"]
    for new in new_ids:
        mine = copy.loc[copy["learner"] == new, columns].reset_index(drop=True)
        theirs = frame.loc[frame["learner"] == new.partition("|")[2], columns].reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, theirs)  # every row of the learner, nothing else
    assert copy["learner"].is_monotonic_increasing  # the order the likelihood's index expects


def test_events_bootstrap_resamples_learners() -> None:
    result = bootstrap_calibration(_events(40, seed=1), 4, rng=2, fit=["s0_encode_days"], intervals="wald", today=TODAY)
    assert result.resampling == "events"
    assert "learners resampled with replacement" in result.method
    assert len(result.draws) == 4
    assert len({row["s0_encode_days"] for row in result.draws}) == 4


def test_draws_are_the_same_on_dask_and_depend_only_on_the_seed(dask_client: Any, small: pd.DataFrame) -> None:
    base = calibrate(small, profile="flashcards", fit=["s0_encode_days"], intervals="wald", today=TODAY)
    here = bootstrap_calibration(small, 6, rng=11, calibration=base)
    there = bootstrap_calibration(small, 6, rng=11, calibration=base, scheduler=dask_client)
    assert there == here  # every draw's values, bit for bit
    events = _events(30, seed=3)
    assert bootstrap_calibration(
        events, 3, rng=1, fit=["s0_encode_days"], intervals="wald", today=TODAY, scheduler=dask_client
    ) == bootstrap_calibration(events, 3, rng=1, fit=["s0_encode_days"], intervals="wald", today=TODAY)
    # draw i is child i of the seed: asking for more draws keeps the first ones
    fewer = bootstrap_calibration(small, 2, rng=11, calibration=base)
    assert fewer.draws == here.draws[:2]
    other = bootstrap_calibration(small, 2, rng=12, calibration=base)
    assert other.draws != fewer.draws


def test_failed_draws_are_counted_and_named(small: pd.DataFrame, monkeypatch: pytest.MonkeyPatch) -> None:
    base = calibrate(small, profile="flashcards", fit=["s0_encode_days"], intervals="wald", today=TODAY)
    real_fit = bootstrap_module._fit
    calls = {"n": 0}

    def flaky(*args: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 2:
            raise ValueError("the resampled data cannot be fitted")
        return real_fit(*args)

    monkeypatch.setattr(bootstrap_module, "_fit", flaky)
    result = bootstrap_calibration(small, 4, rng=1, calibration=base)
    assert [f.draw for f in result.failed] == [1]
    assert "cannot be fitted" in result.failed[0].reason
    assert result.numbers == (0, 2, 3)
    assert result.intervals().loc["s0_encode_days", "draws"] == 3
    assert "1 draws failed" in result.summary_text()


def test_draws_feed_a_sweep_and_simulate(small: pd.DataFrame) -> None:
    result = bootstrap_calibration(small, 3, rng=4, fit=list(TRUTH), profile="flashcards", intervals="wald")
    journey = load_template("safety_reminders")
    population = LearnerPopulation(size=60)
    frame = sweep(journey, "none", population, seeds=[1], calibrations=result, checkpoint_days=[30])
    assert sorted(frame["draw"]) == list(result.numbers)
    assert frame["profile"].str.contains("#draw").all()
    profiles = result.profiles()
    single = simulate(journey, population=population, rng=1, profile=profiles[2], horizon_days=180)
    assert frame.set_index("draw").loc[2, "retention"] == single.retention(30)
    assert frame["retention"].nunique() == 3  # the calibration's uncertainty reaches the outcome


def test_draws_round_trip_and_bad_values_are_refused(small: pd.DataFrame, tmp_path: Path) -> None:
    result = bootstrap_calibration(small, 2, rng=0, fit=["s0_encode_days"], profile="flashcards", intervals="wald")
    for name in ("draws.json", "draws.yaml"):
        written = result.save(tmp_path / name)
        assert load_calibration_file(written) == result
        assert load_calibration(written) == result.calibration  # --calibration FILE takes the point estimate
    with pytest.raises(ParameterError, match="draws"):
        bootstrap_calibration(small, 0)
    with pytest.raises(ParameterError, match="other data"):
        bootstrap_calibration(small.iloc[:3], 2, calibration=result.calibration)


def test_cli_bootstrap_writes_draws_that_a_portfolio_sweeps(
    small: pd.DataFrame, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "pilot.csv"
    small.to_csv(data, index=False)
    output = tmp_path / "pilot.json"
    argv = ["calibrate", str(data), "--profile", "flashcards", "--fit", "s0_encode_days", "--intervals", "wald"]
    assert main([*argv, "--bootstrap", "3", "--seed", "9", "-o", str(output), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    interval = payload["bootstrap"]["intervals"][0]
    assert interval["parameter"] == "s0_encode_days"
    assert interval["bootstrap_low"] <= interval["bootstrap_high"]
    assert payload["bootstrap"]["seed"] == 9
    draws = load_calibration_file(output)
    assert isinstance(draws, CalibrationDraws)
    assert draws.draws == bootstrap_calibration(data, 3, rng=9, calibration=draws.calibration).draws
    # the text output puts the bootstrap interval beside the calibration's own
    assert main([*argv, "--bootstrap", "2"]) == 0
    text = capsys.readouterr().out
    assert "bootstrap 95%" in text
    assert "95% interval" in text
    portfolio = tmp_path / "portfolio.yaml"
    portfolio.write_text(
        "journeys: [safety_reminders]\npopulations: {team: {size: 40}}\nprofiles: [pilot.json]\ncheckpoint_days: [30]\n"
    )
    sweep_output = tmp_path / "sweep.parquet"
    assert main(["sweep", str(portfolio), "-o", str(sweep_output), "--json"]) == 0
    assert sorted(pd.read_parquet(sweep_output)["draw"]) == [0, 1, 2]
    # a plain calibration file is one draw among profiles, by position
    assert main([*argv, "-o", str(tmp_path / "point.yaml"), "--json"]) == 0
    portfolio.write_text(
        "journeys: [safety_reminders]\npopulations: {team: {size: 40}}\n"
        "profiles: [flashcards, point.yaml]\ncheckpoint_days: [30]\n"
    )
    assert main(["sweep", str(portfolio), "-o", str(sweep_output), "--json"]) == 0
    profiles = pd.read_parquet(sweep_output).set_index("draw")["profile"]
    assert profiles.to_dict() == {0: "flashcards", 1: "calibration:pilot"}
    # a draws file is the sweep's draws: listed beside another profile it is refused
    portfolio.write_text("journeys: [safety_reminders]\nprofiles: [pilot.json, flashcards]\n")
    assert main(["sweep", str(portfolio), "-o", str(tmp_path / "mixed.parquet")]) == 2
    assert "list it alone" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--bootstrap", "0"], "--bootstrap"),
        (["--bootstrap", "many"], "--bootstrap"),
        (["--bootstrap", "2", "--seed", "-1"], "--seed"),
        (["--scheduler", "local"], "--scheduler"),
    ],
)
def test_cli_bad_bootstrap_values_exit_2_and_write_nothing(
    small: pd.DataFrame, tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    data = tmp_path / "pilot.csv"
    small.to_csv(data, index=False)
    output = tmp_path / "out.json"
    argv = ["calibrate", str(data), "--fit", "s0_encode_days", "--intervals", "wald", *extra, "-o", str(output)]
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse's own usage error (a value that is no number)
        code = int(exc.code or 0)
    assert code == 2
    error = capsys.readouterr().err
    assert message in error
    assert "Traceback" not in error
    assert not output.exists()
