"""Comparing plans with common random numbers: determinism, tables, and deadline vs fixed."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from workbench.errors import ParameterError
from workbench.plans import DeadlinePlan, FixedPlan, compare, parse_plan
from workbench.simulate import LearnerPopulation, simulate
from workbench.templates import list_templates, load_template

SMALL = LearnerPopulation(size=300)


def test_comparison_tables() -> None:
    journey = load_template("post_training_retention")
    result = compare(
        journey, ["none", "expanding", "fixed:7x4", "target:0.85"], population=SMALL, rng=3, deadline_day=60
    )
    assert result.frame.columns.tolist() == ["plan", "concept", "day", "mean"]
    assert set(result.frame["plan"]) == {"none", "expanding", "fixed:7x4", "target:0.85"}
    assert set(result.frame["concept"]) == {c.id for c in journey.concepts} | {"__all__"}
    assert result.frame["day"].max() == 90  # the horizon: the latest day asked for
    summary = result.summary
    assert summary.index.tolist() == ["none", "expanding", "fixed:7x4", "target:0.85"]
    for column in (
        "touches",
        "plan_minutes",
        "learner_minutes",
        "retention_day_7",
        "retention_day_30",
        "retention_day_90",
        "proficiency_day_60",
        "proficiency_se",
        "retained_concept_days_per_learner_hour",
    ):
        assert column in summary.columns
    assert summary.loc["none", "touches"] == 0
    assert summary.loc["fixed:7x4", "touches"] == 4
    assert summary.loc["fixed:7x4", "learner_minutes"] > summary.loc["none", "learner_minutes"]
    assert result.highest_proficiency() in summary.index
    data = result.to_dict()
    assert data["deadline_day"] == 60
    assert len(data["plans"]) == 4


def test_the_frame_matches_a_plain_simulation_of_the_applied_journey() -> None:
    journey = load_template("safety_reminders")
    result = compare(journey, ["expanding"], population=SMALL, rng=5, days=(30,))
    alone = simulate(parse_plan("expanding").apply(journey), population=SMALL, rng=5, horizon_days=30)
    curve = result.frame.query("concept == '__all__'")["mean"].to_numpy()
    assert curve == pytest.approx(alone.curve().to_numpy(), abs=0)
    # a plan is what simulate(plan=...) expects
    direct = simulate(journey, plan=parse_plan("expanding"), population=SMALL, rng=5, horizon_days=30)
    assert direct.curve().to_numpy() == pytest.approx(alone.curve().to_numpy(), abs=0)


def test_comparison_with_common_random_numbers_is_deterministic_for_a_seed() -> None:
    journey = load_template("compliance_follow_up")
    plans = ["none", "fixed:7x4", "deadline:60"]
    first = compare(journey, plans, population=SMALL, rng=42, days=(7, 60))
    again = compare(journey, plans, population=SMALL, rng=42, days=(7, 60))
    pd.testing.assert_frame_equal(first.frame, again.frame)
    pd.testing.assert_frame_equal(first.summary, again.summary)
    other = compare(journey, plans, population=SMALL, rng=43, days=(7, 60))
    assert not first.summary.equals(other.summary)
    # common random numbers: every plan sees the same learners, so before any plan touch
    # (day 0) the curves of all plans coincide exactly
    day0 = first.frame.query("day == 0").groupby("plan")["mean"].apply(tuple)
    assert len(set(day0)) == 1


def test_a_generator_seed_is_drawn_once_for_every_plan() -> None:
    import numpy as np

    journey = load_template("safety_reminders")
    result = compare(journey, ["none", "massed"], population=SMALL, rng=np.random.default_rng(1), days=(7,))
    assert isinstance(result.seed, int)
    again = compare(journey, ["none", "massed"], population=SMALL, rng=result.seed, days=(7,))
    pd.testing.assert_frame_equal(result.summary, again.summary)


def test_comparison_input_errors() -> None:
    journey = load_template("safety_reminders")
    with pytest.raises(ParameterError, match="given twice"):
        compare(journey, ["none", "none"], population=SMALL)
    with pytest.raises(ParameterError, match="at least one plan"):
        compare(journey, [], population=SMALL)
    with pytest.raises(ParameterError, match="horizon_days=30 ends before day 90"):
        compare(journey, ["none"], population=SMALL, horizon_days=30)
    with pytest.raises(ParameterError, match="ReinforcementPlan or a plan string"):
        compare(journey, [42], population=SMALL)  # type: ignore[list-item]
    labelled = compare(journey, {"baseline": "none", "quiz weekly": FixedPlan()}, population=SMALL, days=(7,))
    assert labelled.summary.index.tolist() == ["baseline", "quiz weekly"]


N_LEARNERS = 2000


@pytest.mark.parametrize("name", list_templates())
def test_deadline_plans_beat_fixed_interval_plans_of_equal_minutes_on_the_deadline(name: str) -> None:
    """On each template, ``deadline:90`` (4 touches) against ``fixed:7x4`` (4 touches).

    Same seed (common random numbers), 2,000 learners. The deadline plan schedules no more
    minutes than the fixed plan (equal when every concept shares one anchor; fixed plans
    cannot share touches between concepts taught on different days). Tolerance: the
    deadline plan's proficiency on day 90 must exceed the fixed plan's by more than three
    standard errors of the difference, ``3 * sqrt(p1 (1 - p1) / n + p2 (1 - p2) / n)``
    (conservative: common random numbers make the difference less noisy than that).
    """
    journey = load_template(name)
    deadline = DeadlinePlan(deadline_day=90, touches=4)
    fixed = FixedPlan(interval_days=7, touches=4)
    result = compare(journey, [deadline, fixed], population=LearnerPopulation(size=N_LEARNERS), rng=11, days=(90,))
    summary = result.summary
    assert summary.loc["deadline:90", "plan_minutes"] <= summary.loc["fixed:7x4", "plan_minutes"]
    p_deadline = summary.loc["deadline:90", "proficiency_day_90"]
    p_fixed = summary.loc["fixed:7x4", "proficiency_day_90"]
    se = math.sqrt(p_deadline * (1 - p_deadline) / N_LEARNERS + p_fixed * (1 - p_fixed) / N_LEARNERS)
    assert p_deadline - p_fixed > 3 * se, (p_deadline, p_fixed, se)


def test_deadline_plans_beat_fixed_plans_spread_up_to_the_deadline_too() -> None:
    """Against ``fixed:22x4`` (4 touches spread to day 88) the edge is smaller.

    Pooled over the templates the deadline plans win by more than three pooled standard errors,
    and never lose.
    """
    diffs, variance = [], 0.0
    for name in list_templates():
        result = compare(
            load_template(name),
            ["deadline:90", "fixed:22x4"],
            population=LearnerPopulation(size=N_LEARNERS),
            rng=11,
            days=(90,),
        )
        p1, p2 = result.summary["proficiency_day_90"]
        diffs.append(p1 - p2)
        variance += p1 * (1 - p1) / N_LEARNERS + p2 * (1 - p2) / N_LEARNERS
    assert min(diffs) > 0
    assert sum(diffs) > 3 * math.sqrt(variance)


def test_comparison_plots_delegate_to_workbench_plot() -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    comparison = compare(
        load_template("post_training_retention"),
        ["none", "expanding"],
        population=LearnerPopulation(size=200),
        rng=1,
        days=(30, 90),
        deadline_day=90,
    )
    ax = comparison.plot(target=0.8)
    assert len(ax.get_lines()) >= 2
    assert "Recall" in ax.get_ylabel()
    bars = comparison.plot_summary(day=30)
    assert len(bars.patches) == 2
    plt.close("all")
