"""Optimiser, frontier, sensitivity and per-learner adaptive schedules."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbench.errors import ParameterError
from workbench.model import Activity, Concept, Journey
from workbench.plans import (
    DeadlinePlan,
    PlanConstraints,
    TargetRetentionPlan,
    adaptive_schedule,
    frontier,
    learner_rates,
    optimise,
    sensitivity,
    tune_deadline,
)
from workbench.simulate import Engagement, LearnerPopulation, get_profile, simulate
from workbench.templates import load_template

POP = LearnerPopulation(size=500)


@pytest.fixture(scope="module")
def onboarding() -> Journey:
    return load_template("onboarding_continuation")


def bare(day: float = 0.0) -> Journey:
    return Journey(
        id="bare",
        title="Bare",
        concepts=[Concept(id="c1", name="C1"), Concept(id="c2", name="C2")],
        activities=[
            Activity.of_kind("elearning_module", id="module", title="Module", covers=["c1", "c2"], schedule=day)
        ],
    )


def test_optimise_finds_the_least_learner_time_that_reaches_the_target(onboarding: Journey) -> None:
    result = optimise(onboarding, target=0.9, on_day=90, population=POP, rng=1)
    assert result.reachable
    assert result.achieved >= 0.9 > result.baseline
    assert result.simulations <= 30
    candidates = result.candidates
    assert candidates.columns.tolist()[:4] == ["label", "family", "touches", "plan_minutes"]
    meeting = candidates[candidates["meets_target"] & candidates["within_budget"]]
    assert result.learner_minutes == pytest.approx(meeting["learner_minutes"].min())
    assert result.plan.label in set(meeting["label"])
    assert "reach" in result.reason
    assert result.plan.label in result.reason
    # the chosen plan, applied and simulated again, gives the same figure (same seed)
    again = simulate(result.apply(onboarding), population=POP, rng=1, horizon_days=91, checkpoint_days=(90,))
    assert again.proficiency(90) == pytest.approx(result.achieved)
    assert result.to_dict()["plan"] == result.plan.label


def test_optimise_is_deterministic_for_a_seed(onboarding: Journey) -> None:
    first = optimise(onboarding, target=0.9, on_day=60, population=POP, rng=7)
    again = optimise(onboarding, target=0.9, on_day=60, population=POP, rng=7)
    assert first.plan == again.plan
    pd.testing.assert_frame_equal(first.candidates, again.candidates)


def test_no_plan_when_the_journey_already_reaches_the_target() -> None:
    journey = load_template("post_training_retention")
    result = optimise(journey, target=0.5, on_day=90, population=POP, rng=1)
    assert result.reachable
    assert result.plan.label == "none"
    assert result.plan_minutes == 0
    assert result.simulations == 1
    assert "no extra reinforcement" in result.reason


def test_an_unreachable_target_is_reported_not_silently_missed(onboarding: Journey) -> None:
    result = optimise(onboarding, target=0.995, on_day=90, population=POP, rng=1)
    assert not result.reachable
    assert result.achieved < 0.995
    assert result.reason.startswith("even 12 touches per concept")
    assert "reach only" in result.reason
    assert "lower the target, extend the time, or raise engagement" in result.reason
    assert not result.candidates["meets_target"].any()
    # low engagement caps what any plan can do
    disengaged = LearnerPopulation(size=500, engagement=Engagement(required=0.5, optional=0.2))
    result = optimise(onboarding, target=0.9, on_day=90, population=disengaged, rng=1, max_touches=6)
    assert not result.reachable
    assert "even 6 touches" in result.reason


def test_a_budget_limits_the_plans_and_is_reported(onboarding: Journey) -> None:
    # the workplace profile forgets faster than flashcards: 0.88 needs more than 12 minutes of plan
    free = optimise(onboarding, target=0.88, on_day=90, population=POP, rng=1)
    assert free.reachable
    assert free.plan_minutes > 12
    tight = optimise(onboarding, target=0.88, on_day=90, budget_min=12, population=POP, rng=1)
    assert not tight.reachable
    assert tight.plan_minutes <= 12
    assert "within the budget of 12 min" in tight.reason
    assert tight.candidates["plan_minutes"].max() <= 12
    roomy = optimise(onboarding, target=0.85, on_day=90, budget_min=40, population=POP, rng=1)
    assert roomy.reachable
    assert roomy.plan_minutes <= 40


def test_a_date_before_teaching_is_unreachable_with_the_reason() -> None:
    result = optimise(bare(day=50.0), target=0.8, on_day=30, population=POP, rng=1)
    assert not result.reachable
    assert "no plan could add a touch before day 30" in result.reason


def test_optimise_respects_constraints_and_retention_metric(onboarding: Journey) -> None:
    constraints = PlanConstraints(max_touches_per_week=2, workdays_only=True)
    result = optimise(
        onboarding, target=0.85, on_day=60, population=POP, rng=1, metric="retention", constraints=constraints
    )
    assert result.metric == "retention"
    assert result.plan.constraints == constraints
    assert result.reachable == (result.achieved >= 0.85)


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"target": 1.5}, "target: must be a share"),
        ({"on_day": 0}, "on_day: must be a whole day"),
        ({"budget_min": -5}, "budget_min: must be a positive"),
        ({"metric": "recall"}, "metric: must be one of"),
        ({"families": ["weekly"]}, "not searchable"),
    ],
)
def test_optimise_input_errors(onboarding: Journey, kwargs: dict[str, object], fragment: str) -> None:
    with pytest.raises(ParameterError, match=fragment):
        optimise(onboarding, population=POP, **kwargs)  # type: ignore[arg-type]


def test_tune_deadline_tries_each_spacing() -> None:
    plan, tried = tune_deadline(load_template("safety_reminders"), 60, 4, POP, rng=2, ratios=(1.5, 2.0, 3.0))
    assert isinstance(plan, DeadlinePlan)
    assert plan.ratio in (1.5, 2.0, 3.0)
    assert tried["ratio"].tolist() == [1.5, 2.0, 3.0]
    assert plan.label in set(tried["label"])
    assert tried.loc[tried["label"] == plan.label, "proficiency"].iloc[0] == tried["proficiency"].max()


def test_frontier_marks_dominated_plans() -> None:
    frame = frontier(load_template("compliance_follow_up"), on_day=90, population=POP, rng=1)
    assert frame.columns.tolist() == ["label", "learner_minutes", "retention", "dominated"]
    assert len(frame) >= 8
    assert frame["learner_minutes"].is_monotonic_increasing
    assert {"none", "deadline:90", "target:0.6:89", "target:0.95:89"} <= set(frame["label"])
    efficient = frame[~frame["dominated"]]
    assert len(efficient) >= 2
    # along the efficient points, more minutes buy more retention
    assert efficient["retention"].is_monotonic_increasing
    for row in frame[frame["dominated"]].itertuples():
        assert ((frame["learner_minutes"] <= row.learner_minutes) & (frame["retention"] >= row.retention)).sum() >= 2


def test_sensitivity_to_engagement_and_memory_spread() -> None:
    frame = sensitivity(load_template("compliance_follow_up"), "deadline:90", POP, rng=1, on_day=90)
    assert frame["scenario"].tolist()[0] == "as assumed"
    assert {"engagement x0.8", "memory_sigma x1.5"} <= set(frame["scenario"])
    assert frame.columns.tolist() == [
        "scenario",
        "engagement_factor",
        "memory_sigma",
        "retention",
        "proficiency",
        "learner_minutes",
        "delta_retention",
        "delta_proficiency",
    ]
    by = frame.set_index("scenario")
    assert by.loc["engagement x0.8", "proficiency"] < by.loc["as assumed", "proficiency"]
    assert by.loc["engagement x0.6", "proficiency"] < by.loc["engagement x0.8", "proficiency"]
    assert by.loc["engagement x0.8", "learner_minutes"] < by.loc["as assumed", "learner_minutes"]
    # the population leaves the spread to the memory profile: the scenario doubles the profile's
    assert by.loc["memory_sigma x2", "memory_sigma"] == pytest.approx(2 * get_profile("workplace").memory_sigma)
    # the shipped spread is the upper end of its fitted interval; the lower end (0) is a default row
    assert by.loc["memory_sigma x0 (identical learners)", "memory_sigma"] == 0.0
    assert by.loc["as assumed", "delta_proficiency"] == 0
    custom = sensitivity(bare(), None, POP, rng=1, on_day=30, scenarios={"half": (0.5, 1.0)})
    assert custom["scenario"].tolist() == ["half"]


def test_adaptive_schedule_per_learner() -> None:
    journey = load_template("post_training_retention")
    population = LearnerPopulation(size=400, memory_sigma=0.5)
    frame = adaptive_schedule(journey, population, target=0.85, rng=4, until_day=120)
    assert frame.columns.tolist() == ["learner_id", "concept", "day"]
    assert frame["day"].min() >= 1.0
    assert frame["day"].max() <= 120.0
    assert set(frame["concept"]) <= {c.id for c in journey.concepts}
    # after one module, a learner who forgets faster gets the first touch no later; the
    # median learner's first touch is the journey-level target plan's (same model)
    alone = adaptive_schedule(bare(), population, target=0.85, rng=4, until_day=120)
    rates = learner_rates(population, 4)
    first = alone.groupby("learner_id")["day"].min().reindex(range(400)).to_numpy()
    assert np.all(np.diff(first[np.argsort(rates)]) <= 0)
    typical = adaptive_schedule(bare(), LearnerPopulation(size=5, memory_sigma=0.0), target=0.85, rng=4)
    plan = TargetRetentionPlan(target=0.85, memory_sigma=0.0).build(bare())
    assert set(typical.groupby("learner_id")["day"].min()) == {plan.touches[0].day}
    assert (alone.groupby(["learner_id", "concept"])["day"].diff().dropna() >= 1).all()
    pd.testing.assert_frame_equal(frame, adaptive_schedule(journey, population, target=0.85, rng=4, until_day=120))
    higher = adaptive_schedule(journey, population, target=0.95, rng=4, until_day=120)
    assert len(higher) > len(frame)
    workdays = adaptive_schedule(
        journey, population, target=0.9, rng=4, constraints=PlanConstraints(workdays_only=True, start_weekday=2)
    )
    assert ((2 + np.floor(workdays["day"])) % 7 < 5).all()
    with pytest.raises(ParameterError, match="target"):
        adaptive_schedule(journey, population, target=0.2)


def test_learner_rates_are_the_simulators_learners() -> None:
    """Learner i of the adaptive schedule is learner i of a simulation with the same seed."""
    population = LearnerPopulation(size=300, memory_sigma=0.6, engagement=Engagement.perfect(), engagement_sigma=0.0)
    result = simulate(bare(), population=population, rng=9, horizon_days=30, checkpoint_days=(30,))
    recall = result.per_learner(30)["c1"].to_numpy()
    rates = learner_rates(population, 9)
    # one module, nothing else: recall on day 30 falls strictly with the learner's clock rate
    order = np.argsort(rates)
    assert np.all(np.diff(recall[order]) <= 1e-6)
