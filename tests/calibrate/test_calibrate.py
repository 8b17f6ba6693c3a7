"""Calibration: data shapes and errors, recovery of known parameters, round trips, CLI."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from workbench.calibrate import (
    ParameterEstimate,
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
    rows += [(f"0:encode;{g}:retrieve", g + ri) for g in (4, 7, 14, 28) for ri in (7, 30)]  # see _design
    frame = pd.DataFrame({"history": [h for h, _ in rows], "test_day": [t for _, t in rows], "n": n})
    frame["recalled"] = 0.5
    truth = get_profile("flashcards").with_values(profile_values)
    frame["recalled"] = expected_recall(truth, read_observations(frame))
    return frame


def test_grouped_recovery_is_exact_at_the_expected_shares() -> None:
    # at exact expected shares the fit returns the truth; the spread needs a huge table to be identified
    calibration = calibrate(
        _grouped(TRUTH, 100_000), profile="flashcards", fit=list(TRUTH), intervals="wald", today=TODAY
    )
    for name, value in TRUTH.items():
        estimate = calibration.parameters[name]
        assert estimate.status == "fitted"
        assert estimate.value == pytest.approx(value, rel=0.05), name
        assert estimate.low is not None
        assert estimate.high is not None
        assert estimate.low <= value <= estimate.high
    # with 500 learners per row the spread's relative standard error is far above 0.25: not identified
    small = calibrate(_grouped(TRUTH, 500), profile="flashcards", fit=list(TRUTH), intervals="wald", today=TODAY)
    assert small.parameters["memory_sigma"].status == "no information"
    for name in ("s0_encode_days", "decay", "recall_gain_log"):
        assert small.parameters[name].value == pytest.approx(TRUTH[name], rel=0.10), name


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


_POPULATION = {"engagement": Engagement.perfect(), "engagement_sigma": 0.0}


def _trace(journey: Journey, learners: int, seed: int, cohort: str) -> pd.DataFrame:
    """Simulate ``learners`` on the known profile and return their trace (learner ids tagged by cohort)."""
    truth = get_profile("flashcards").with_values(TRUTH)
    horizon = int(max(a.schedule.day or 0.0 for a in journey.activities)) + 1
    population = LearnerPopulation(size=learners, **_POPULATION)
    trace = simulate(journey, population=population, profile=truth, rng=seed, horizon_days=horizon, trace=True).trace
    assert trace is not None
    trace = trace.assign(learner=f"{cohort}-" + trace["learner"].astype(str))
    return trace[["learner", "concept", "day", "effect", "recalled"]].astype(
        {"recalled": "object", "concept": str, "effect": str}
    )


def _cohorts(learners: int, seed: int) -> pd.DataFrame:
    """Per-learner events of four cohorts whose three quizzes come at different delays (24 concepts each)."""
    covers = [f"c{i}" for i in range(24)]  # a learner's concepts share one rate: what identifies the spread
    frames = []
    for cohort, first in enumerate((1, 4, 10, 25)):
        activities = [Activity.of_kind("elearning_module", id="teach", title="Teach", covers=covers, schedule=0.0)]
        activities += [
            Activity.of_kind("spaced_recall_quiz", id=f"q{d}", title=f"Quiz {d}", covers=covers, schedule=float(d))
            for d in (first, 3 * first, 6 * first)
        ]
        journey = Journey(
            id=f"cohort{cohort}",
            title="Cohort",
            concepts=[Concept(id=c, name=c) for c in covers],
            activities=activities,
        )
        frames.append(_trace(journey, learners // 4, seed + cohort, f"k{cohort}"))
    return pd.concat(frames, ignore_index=True)


#: Grouped design: one study session on day 0, then per concept either a final test after
#: ONE_SESSION_DAYS, or a reviewed retrieval after GAP_DAYS and a final test DELAY_DAYS later.
ONE_SESSION_DAYS = (1, 2, 4, 7, 14, 30, 60, 120)
GAP_DAYS = (4, 7, 10, 14, 21, 28)  # 4 days or more: see _design
DELAY_DAYS = (2, 7, 30, 90)


def _design() -> Journey:
    """Every learner meets 32 concepts, each under its own schedule (a within-learner design).

    Each concept ends in one final test, so every learner-concept gives one outcome to one
    row. Reviews come 4 or more days after study: below a (rate-scaled) day, FSRS-6 switches
    to its same-day rule, which makes the likelihood jump as quadrature nodes cross it.
    """
    conditions = [(None, d) for d in ONE_SESSION_DAYS] + [(g, d) for g in GAP_DAYS for d in DELAY_DAYS]
    concepts = [Concept(id=f"c{i:02d}", name=f"c{i:02d}") for i in range(len(conditions))]
    activities = [
        Activity.of_kind("elearning_module", id="teach", title="Teach", covers=[c.id for c in concepts], schedule=0.0)
    ]
    for concept, (gap, delay) in zip(concepts, conditions, strict=True):
        if gap is not None:
            activities.append(
                Activity.of_kind(
                    "spaced_recall_quiz", id=f"r_{concept.id}", title="Review", covers=[concept.id], schedule=float(gap)
                )
            )
        activities.append(
            Activity.of_kind(
                "spaced_recall_quiz",
                id=f"t_{concept.id}",
                title="Test",
                covers=[concept.id],
                schedule=float((gap or 0) + delay),
            )
        )
    return Journey(id="design", title="Design", concepts=concepts, activities=activities)


def _final_tests(events: pd.DataFrame) -> pd.DataFrame:
    """Group a trace as a study reports it: the share recalling at each concept's final test, by history."""
    events = events.sort_values(["learner", "concept", "day"], kind="stable", ignore_index=True)
    touch = events["day"].map("{:g}".format) + ":" + events["effect"]
    by_sequence = events.groupby(["learner", "concept"], sort=False)
    position, length = by_sequence.cumcount().to_numpy(), by_sequence["day"].transform("size").to_numpy()
    last = position == length - 1
    start = np.flatnonzero(position == 0)[np.cumsum(position == 0)[last] - 1]  # first row of each test's sequence
    history = touch.to_numpy()[start].astype(object)
    for k in range(1, int(length.max()) - 1):  # joined column by column: no Python loop over sequences
        more = length[last] - 1 > k
        history[more] = history[more] + ";" + touch.to_numpy()[start[more] + k]
    tests = events[last].assign(history=history)
    grouped: pd.DataFrame = tests.groupby(["history", "day"], as_index=False).agg(
        recalled=("recalled", "mean"), n=("recalled", "size")
    )
    return grouped.rename(columns={"day": "test_day"}).astype({"recalled": float})


def _within(estimate: ParameterEstimate, truth: float, rel: float) -> None:
    """Assert the estimate is within ``rel`` of the truth and within 3 standard errors of it."""
    assert estimate.status == "fitted", estimate
    assert estimate.standard_error is not None, estimate
    assert abs(estimate.value - truth) <= 3 * estimate.standard_error, estimate
    assert estimate.value == pytest.approx(truth, rel=rel), estimate


@pytest.fixture(scope="module")
def events_2000() -> pd.DataFrame:
    return _cohorts(2000, seed=11)


@pytest.fixture(scope="module")
def grouped_2000() -> pd.DataFrame:
    return _final_tests(_trace(_design(), 2000, seed=3, cohort="d"))


def test_simulated_cohort_recovers_every_parameter_from_events(events_2000: pd.DataFrame) -> None:
    calibration = calibrate(events_2000, profile="flashcards", fit=list(TRUTH), intervals="wald", today=TODAY)
    for name, value in TRUTH.items():
        estimate = calibration.parameters[name]
        _within(estimate, value, rel=0.10)
        assert estimate.standard_error is not None
        assert estimate.standard_error < 0.05 * value, name  # 10% is two standard errors or more: it can fail


def test_grouped_outcomes_recover_the_curve_and_report_the_spread_as_not_identified(
    grouped_2000: pd.DataFrame,
) -> None:
    """Grouped shares of 2,000 simulated learners recover the curve; the learner spread is not identified.

    The design carries the curve's information: 32 conditions per learner (one session
    tested after 1-120 days; a reviewed retrieval after 4-28 days, tested 2-90 days later),
    one final test per learner-concept, so each row is 2,000 independent outcomes. That pins
    initial stability and decay (the forgetting curve over two decades of delay) and the
    review gain (the gap x delay grid).

    ``memory_sigma`` is not in grouped shares in any usable amount. A share is an average
    over learners, ``E_r[recall(history, r)]`` with the learner's clock rate
    ``r = exp(N(0, sigma))``: the spread only smooths the curve along log time, a
    second-order effect that initial stability and decay nearly reproduce (for one session
    the early and late parts of the curve both just shift in log time). From this table the
    spread's relative standard error (expected information) is about 0.5: its 95% interval
    would run from near 0 to about twice the truth; forgetting-only, gap x delay and
    two-review designs give 0.4-0.8 at 16,000 outcomes, and 0.25 takes about 100,000 outcomes
    per row. So calibrate() reports it as "no information" and keeps the
    prior (the flashcards profile's spread, not the truth 0.4), and the curve is still within
    10%: the spread is what per-learner events identify (several concepts per learner
    share one rate), as the test above shows.
    """
    calibration = calibrate(grouped_2000, profile="flashcards", fit=list(TRUTH), intervals="wald", today=TODAY)
    assert len(grouped_2000) == 32
    assert set(grouped_2000["n"]) == {2000}
    for name in ("s0_encode_days", "decay", "recall_gain_log"):
        estimate = calibration.parameters[name]
        _within(estimate, TRUTH[name], rel=0.10)
        assert estimate.standard_error is not None
        assert estimate.standard_error < 0.05 * TRUTH[name], name
    spread = calibration.parameters["memory_sigma"]
    assert spread.status == "no information"
    assert spread.value == spread.prior == get_profile("flashcards").memory_sigma
    assert "per-learner events" in spread.description
    assert "memory_sigma: " in calibration.summary_text()  # the report says why


def test_the_published_grouped_table_does_not_identify_the_spread() -> None:
    # Cepeda et al. (2008): 37 rows, 52 participants each; the spread's information is nil
    calibration = calibrate(
        load_published("cepeda2008"), profile="workplace", fit=["s0_encode_days", "memory_sigma"],
        intervals="wald", today=TODAY,
    )  # fmt: skip
    spread = calibration.parameters["memory_sigma"]
    assert spread.status == "no information"
    assert spread.value == get_profile("workplace").memory_sigma
    assert calibration.fitted == ("s0_encode_days",)


def test_with_200_learners_the_intervals_cover_the_truth() -> None:
    # both interval methods: Wald on the events, profile likelihood (the default) on the grouped shares
    events = calibrate(_cohorts(200, seed=5), profile="flashcards", fit=list(TRUTH), intervals="wald", today=TODAY)
    grouped = calibrate(
        _final_tests(_trace(_design(), 200, seed=5, cohort="d")), profile="flashcards", fit=list(TRUTH), today=TODAY
    )
    assert set(events.fitted) == set(TRUTH)
    assert set(grouped.fitted) == set(TRUTH) - {"memory_sigma"}
    for calibration in (events, grouped):
        for name in calibration.fitted:
            estimate = calibration.parameters[name]
            assert estimate.low is not None
            assert estimate.high is not None
            assert estimate.low <= TRUTH[name] <= estimate.high, (name, estimate)


def test_calibration_round_trips_and_drives_simulate(tmp_path: Path) -> None:
    calibration = calibrate(
        _grouped(TRUTH, 200), profile="flashcards", fit=["s0_encode_days", "decay"], intervals="wald", today=TODAY
    )
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
