"""Calibration: data shapes and errors, recovery of known parameters, round trips, CLI."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from workbench.calibrate import (
    calibrate,
    expected_recall,
    load_calibration,
    load_published,
    read_observations,
    validate_calibration,
)
from workbench.cli import main
from workbench.errors import DataError
from workbench.model import Activity, Concept, Journey
from workbench.simulate import Engagement, LearnerPopulation, get_profile, simulate

TODAY = dt.date(2026, 12, 2)
TRUTH = {"s0_encode_days": 1.5, "decay": 0.5, "recall_gain_log": 1.5, "memory_sigma": 0.4}


def _grouped(profile_values: dict[str, float], n: int) -> pd.DataFrame:
    """Build grouped outcomes whose shares are the exact expected recall of a known profile."""
    rows = [("0:encode", d) for d in (1, 3, 7, 14, 30)]
    rows += [(f"0:encode;{g}:retrieve", g + ri) for g in (1, 3, 7, 14) for ri in (7, 30)]
    frame = pd.DataFrame({"history": [h for h, _ in rows], "test_day": [t for _, t in rows], "n": n})
    frame["recalled"] = 0.5
    truth = get_profile("flashcards").with_values(profile_values)
    frame["recalled"] = expected_recall(truth, read_observations(frame))
    return frame


def test_grouped_recovery_is_exact_at_the_expected_shares() -> None:
    calibration = calibrate(_grouped(TRUTH, 500), profile="flashcards", fit=list(TRUTH), intervals="wald", today=TODAY)
    for name, value in TRUTH.items():
        estimate = calibration.parameters[name]
        assert estimate.status == "fitted"
        assert estimate.value == pytest.approx(value, rel=0.05), name
        assert estimate.low is not None
        assert estimate.high is not None
        assert estimate.low <= value <= estimate.high


def _journey() -> Journey:
    covers = ["c0", "c1", "c2"]
    activities = [Activity.of_kind("elearning_module", id="teach", title="Teach", covers=covers, schedule=0.0)]
    activities += [
        Activity.of_kind("spaced_recall_quiz", id=f"quiz_{d}", title=f"Quiz {d}", covers=covers, schedule=float(d))
        for d in (2, 6, 14, 30, 60)
    ]
    return Journey(
        id="recovery", title="Recovery", concepts=[Concept(id=c, name=c) for c in covers], activities=activities
    )


def _cohorts(learners: int, seed: int) -> pd.DataFrame:
    """Simulate four cohorts whose quizzes come at different delays, and return their trace."""
    truth = get_profile("flashcards").with_values(TRUTH)
    per_cohort = learners // 4
    population = LearnerPopulation(size=per_cohort, engagement=Engagement.perfect(), engagement_sigma=0.0)
    # several concepts per learner: the learner's shared memory rate is what identifies memory_sigma
    covers = [f"c{i}" for i in range(8)]
    frames = []
    for cohort, first in enumerate((1, 4, 10, 25)):
        quizzes = [first, 3 * first, 6 * first]
        activities = [Activity.of_kind("elearning_module", id="teach", title="Teach", covers=covers, schedule=0.0)]
        activities += [
            Activity.of_kind("spaced_recall_quiz", id=f"q{d}", title=f"Quiz {d}", covers=covers, schedule=float(d))
            for d in quizzes
        ]
        journey = Journey(
            id=f"cohort{cohort}",
            title="Cohort",
            concepts=[Concept(id=c, name=c) for c in covers],
            activities=activities,
        )
        trace = simulate(
            journey, population=population, profile=truth, rng=seed + cohort, horizon_days=quizzes[-1] + 1, trace=True
        ).trace
        assert trace is not None
        trace = trace.assign(learner=f"k{cohort}-" + trace["learner"].astype(str))
        frames.append(trace[["learner", "concept", "day", "effect", "recalled"]])
    return pd.concat(frames, ignore_index=True).astype({"recalled": "object", "concept": str, "effect": str})


def _grouped_from(events: pd.DataFrame) -> pd.DataFrame:
    """Group a trace as a pilot would report it: share recalling at each quiz, by shared history."""
    rows = []
    for _, learner_concept in events.groupby(["learner", "concept"], sort=False):
        history: list[str] = []
        for day, effect, recalled in learner_concept[["day", "effect", "recalled"]].itertuples(index=False):
            if effect == "retrieve" and history:
                rows.append({"history": ";".join(history), "test_day": day, "recalled": float(recalled)})
            history.append(f"{day:g}:{effect}")
    frame = pd.DataFrame(rows)
    return frame.groupby(["history", "test_day"], as_index=False).agg(
        recalled=("recalled", "mean"), n=("recalled", "size")
    )


def test_simulated_cohort_recovers_every_parameter_from_events() -> None:
    events = _cohorts(2000, seed=11)
    from_events = calibrate(events, profile="flashcards", fit=list(TRUTH), intervals="wald", today=TODAY)
    for name, value in TRUTH.items():
        assert from_events.parameters[name].value == pytest.approx(value, rel=0.10), name
    # the same cohort as grouped outcomes still fits (12 rows: the curve, not the spread)
    grouped = calibrate(_grouped_from(events), profile=from_events, fit=["s0_encode_days"], today=TODAY)
    assert grouped.parameters["s0_encode_days"].value == pytest.approx(TRUTH["s0_encode_days"], rel=0.10)


def test_with_200_learners_the_intervals_cover_the_truth() -> None:
    calibration = calibrate(_cohorts(200, seed=5), profile="flashcards", fit=list(TRUTH), today=TODAY)
    for name, value in TRUTH.items():
        estimate = calibration.parameters[name]
        assert estimate.low is not None
        assert estimate.high is not None
        assert estimate.low <= value <= estimate.high, (name, estimate)


def test_calibration_round_trips_and_drives_simulate(tmp_path: Path) -> None:
    calibration = calibrate(_grouped(TRUTH, 200), profile="flashcards", fit=["s0_encode_days", "decay"], today=TODAY)
    for suffix in (".json", ".yaml"):
        path = calibration.save(tmp_path / f"c{suffix}")
        assert load_calibration(path) == calibration
    result = simulate(_journey(), population=LearnerPopulation(size=50), profile=calibration, rng=1)
    assert result.assumptions["memory_profile"]["name"] == calibration.profile.name
    assert calibration.parameters["recall_gain_log"].status in ("prior", "no information")


def test_parameters_without_information_stay_at_their_prior() -> None:
    one_session = _grouped(TRUTH, 200).iloc[:5]
    calibration = calibrate(one_session, profile="flashcards", fit=["s0_encode_days", "restudy_gain"], today=TODAY)
    gain = calibration.parameters["restudy_gain"]
    assert gain.status == "no information"
    assert gain.value == gain.prior == 0.4


def test_bad_rows_are_named_by_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("history,test_day,recalled,n\n0:encode,7,0.7,20\n0:teach,7,70,0\n")
    with pytest.raises(DataError) as caught:
        read_observations(path)
    message = str(caught.value)
    for column in ("history", "recalled", "n"):
        assert f"line 3, {column}" in message
    events = tmp_path / "events.csv"
    events.write_text("learner,concept,day,effect,recalled\na,x,0,encode,\na,x,3,retrieve,\n")
    with pytest.raises(DataError, match="line 3, recalled"):
        read_observations(events)
    with pytest.raises(DataError, match="cannot tell the shape"):
        read_observations(pd.DataFrame({"a": [1]}))


def test_holdout_validation_reports_mae_and_best_gaps() -> None:
    data = load_published("cepeda2008")
    validation = validate_calibration(
        data, {"delay_days": [350]}, profile="flashcards", fit=["s0_encode_days", "decay"], today=TODAY
    )
    assert validation.predicted_rows == 7
    assert 0 < validation.mae_points < 50
    assert [row["delay_days"] for row in validation.best_gaps] == [350.0]


def test_workplace_profile_reproduces_the_published_table() -> None:
    observations = read_observations(load_published("cepeda2008"))
    workplace = expected_recall(get_profile("workplace"), observations)
    flashcards = expected_recall(get_profile("flashcards"), observations)
    observed = observations.frame["recalled"].to_numpy()
    # the fitted profile is far closer to published first-exposure recall than flashcard defaults
    assert np.mean(np.abs(workplace - observed)) < 0.08 < np.mean(np.abs(flashcards - observed))


def test_cli_calibrates_and_simulates_with_the_calibration(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "pilot.csv"
    _grouped(TRUTH, 100).to_csv(data, index=False)
    out = tmp_path / "calibration.json"
    code = main(
        ["calibrate", str(data), "--fit", "s0_encode_days,decay", "--intervals", "wald", "--json", "-o", str(out)]
    )
    assert code == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["calibration"]["parameters"]["decay"]["status"] == "fitted"
    spec = tmp_path / "j.yaml"
    from workbench.spec import dump

    dump(_journey(), spec)
    assert main(["simulate", str(spec), "--learners", "50", "--calibration", str(out), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["memory_profile"]["name"] == "calibration:pilot"
    bad = tmp_path / "bad.csv"
    bad.write_text("history,test_day,recalled,n\nnonsense,7,0.5,3\n")
    assert main(["calibrate", str(bad)]) == 2
    assert "line 2, history" in capsys.readouterr().err
