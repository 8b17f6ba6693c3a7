"""Memory profiles and the per-learner trace of simulate()."""

from __future__ import annotations

import numpy as np
import pytest

from workbench.errors import UnknownNameError
from workbench.simulate import (
    DEFAULT_PROFILE,
    PROFILES,
    LearnerPopulation,
    MemoryProfile,
    TouchEffects,
    fittable_parameters,
    get_profile,
    learner_memory_rates,
    simulate,
)
from workbench.templates import load_template


def test_every_profile_names_its_source_and_round_trips() -> None:
    assert DEFAULT_PROFILE in PROFILES
    for profile in PROFILES.values():
        assert profile.source
        assert profile.citations
        assert MemoryProfile.model_validate_json(profile.model_dump_json()) == profile
        assert profile.memory_model().name == profile.model


def test_fittable_parameters_get_and_set_round_trip() -> None:
    base = get_profile("flashcards")
    for name, spec in fittable_parameters(base.model).items():
        value = spec.low + 0.37 * (spec.high - spec.low)
        changed = base.with_values({name: value})
        assert changed.value(name) == pytest.approx(value)
        # nothing else moved
        others = {k: v for k, v in base.values().items() if k != name}
        assert {k: changed.value(k) for k in others} == others


def test_unknown_profile_and_parameter_name_the_known_ones() -> None:
    with pytest.raises(UnknownNameError, match="flashcards"):
        get_profile("nope")
    with pytest.raises(UnknownNameError, match="s0_encode_days"):
        get_profile("flashcards").value("nope")


def test_profile_changes_the_simulation_and_is_recorded() -> None:
    journey = load_template("post_training_retention")
    population = LearnerPopulation(size=300)
    base = get_profile("flashcards")
    faster = base.with_values({"s0_encode_days": 0.5, "decay": 0.5}, name="forgetful")
    a = simulate(journey, population=population, rng=3, profile=base)
    b = simulate(journey, population=population, rng=3, profile=faster)
    assert b.retention(30) < a.retention(30) - 0.02
    assert b.assumptions["memory_profile"]["name"] == "forgetful"
    assert b.assumptions["population"]["memory_sigma"] == faster.memory_sigma
    assert b.assumptions["model_parameters"][2] == pytest.approx(0.5)


def test_population_spread_overrides_the_profile_spread() -> None:
    profile = get_profile("flashcards").with_values({"memory_sigma": 0.9})
    rates = learner_memory_rates(LearnerPopulation(size=2000), rng=1, profile=profile)
    assert np.log(rates).std() == pytest.approx(0.9, rel=0.1)
    fixed = learner_memory_rates(LearnerPopulation(size=50, memory_sigma=0.0), rng=1, profile=profile)
    assert np.all(fixed == 1.0)


def test_explicit_model_and_effects_are_noted_as_overrides() -> None:
    result = simulate(
        load_template("safety_reminders"),
        population=LearnerPopulation(size=100),
        model="exponential",
        effects=TouchEffects(restudy_gain=0.1),
        rng=1,
    )
    note = result.assumptions["memory_profile"]
    assert "model_override" in note
    assert "effects_override" in note


def test_trace_holds_every_touch_and_retrieval_outcome() -> None:
    result = simulate(
        load_template("post_training_retention"), population=LearnerPopulation(size=400), rng=5, trace=True
    )
    trace = result.trace
    assert trace is not None
    assert list(trace.columns) == ["learner", "concept", "day", "effect", "activity_id", "recalled"]
    assert trace["learner"].between(0, 399).all()
    # the trace agrees with the aggregate touch records, touch by touch
    touches = result.touches_frame()
    per_activity = trace.groupby(["activity_id", "day"], observed=True)
    for record in touches.itertuples():
        rows = per_activity.get_group((record.activity_id, record.day))
        assert rows["learner"].nunique() == record.delivered
        known = rows[rows["recalled"].notna() & (rows["effect"] == "retrieve")]
        assert int(known["recalled"].sum()) == record.retrieval_successes
    assert trace.loc[trace["effect"] != "retrieve", "recalled"].isna().all()


def test_trace_is_off_by_default_and_does_not_change_results() -> None:
    journey = load_template("safety_reminders")
    population = LearnerPopulation(size=200)
    plain = simulate(journey, population=population, rng=9)
    traced = simulate(journey, population=population, rng=9, trace=True)
    assert plain.trace is None
    np.testing.assert_array_equal(plain.mean, traced.mean)
