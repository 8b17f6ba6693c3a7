"""Plans that schedule from a memory model use the memory profile (or calibration) that is simulated."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
import pandas as pd
import pytest

from workbench.calibrate import Calibration, calibrate
from workbench.model import Activity, Concept, Journey
from workbench.plans import TargetRetentionPlan, compare, optimise
from workbench.simulate import DEFAULT_PROFILE, LearnerPopulation, MemoryProfile, get_profile, resolve_profile, simulate

UNTIL = 200.0


def bare() -> Journey:
    """One eLearning module teaching one concept on day 0, nothing else."""
    return Journey(
        id="bare",
        title="Bare",
        concepts=[Concept(id="c1", name="C1")],
        activities=[Activity.of_kind("elearning_module", id="module", title="Module", covers=["c1"], schedule=0.0)],
    )


@pytest.fixture(scope="module")
def steady_calibration() -> Calibration:
    """Calibrate the flashcards profile to a pilot that forgets slowly (a high initial stability)."""
    pilot = pd.DataFrame(
        {"history": ["0:encode"] * 3, "test_day": [1, 7, 30], "recalled": [0.99, 0.97, 0.9], "n": [200] * 3}
    )
    return calibrate(
        pilot,
        profile="flashcards",
        fit=["s0_encode_days"],
        intervals="wald",
        source="steady-pilot.csv",
        today=dt.date(2026, 12, 2),
    )


def expected_days(profile: MemoryProfile, target: float) -> list[float]:
    """Return the oracle: days on which ``profile``'s typical learner falls to ``target`` (reviewed Good each time)."""
    model = profile.memory_model()
    state = model.initial_state(np.array([profile.effects.first_rating("encode")]))
    last, days = 0.0, []
    while True:
        exact = float(np.ravel(model.interval_days(state, target, rounded=False))[0])  # type: ignore[call-arg]
        day = last + max(1.0, math.floor(exact + 1e-9))
        if day > UNTIL:
            return days
        state = model.review(state, np.array([day - last]), np.array([3]))
        days.append(day)
        last = day


def plan_days(profile: Any) -> list[float]:
    plan = TargetRetentionPlan(target=0.85, until_day=UNTIL, memory_sigma=0.0)
    return [t.day for t in plan.build(bare(), profile=profile).touches]


@pytest.mark.parametrize("which", ["workplace-spacing", "calibration"])
def test_target_plans_touch_when_the_chosen_profiles_learner_falls_to_the_target(
    which: str, steady_calibration: Calibration
) -> None:
    chosen: Any = steady_calibration if which == "calibration" else which
    profile = resolve_profile(chosen)
    if which == "calibration":  # the calibration's learners really do forget more slowly
        assert profile.value("s0_encode_days") > 3 * get_profile(DEFAULT_PROFILE).value("s0_encode_days")
    else:
        assert profile.model == "actr"
    days = plan_days(chosen)
    assert days == expected_days(profile, 0.85)
    assert days, "the oracle should schedule some touches within the horizon"
    default = plan_days(None)
    assert default == expected_days(get_profile(DEFAULT_PROFILE), 0.85)
    assert days != default


def test_simulate_compare_and_optimise_schedule_for_the_profile_they_simulate() -> None:
    journey, plan = bare(), TargetRetentionPlan(target=0.85, until_day=UNTIL)
    population = LearnerPopulation(size=100)
    spacing = plan.apply(journey, profile="workplace-spacing")
    assert spacing.activities != plan.apply(journey).activities  # the profiles disagree on the days
    by_plan = simulate(journey, plan=plan, population=population, profile="workplace-spacing", rng=3, horizon_days=90)
    applied = simulate(spacing, population=population, profile="workplace-spacing", rng=3, horizon_days=90)
    pd.testing.assert_series_equal(by_plan.curve(), applied.curve())
    compared = compare(
        journey, {"t": plan}, population=population, profile="workplace-spacing", rng=3, horizon_days=90, days=(30,)
    )
    pd.testing.assert_series_equal(compared.results["t"].curve(), applied.curve())
    found = optimise(journey, target=0.8, on_day=60, population=population, profile="workplace-spacing", rng=3)
    assert found.profile == "workplace-spacing"
    assert found.apply(journey).activities == found.plan.apply(journey, profile="workplace-spacing").activities
