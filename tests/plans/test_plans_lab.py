"""The plan lab's evaluation, without widgets: settings in, outcome out, problems per control."""

from __future__ import annotations

import pytest

from support.calibrations import pilot_calibration
from workbench.model import Journey
from workbench.plans import LabSettings, evaluate_lab
from workbench.plans.lab import MAX_PLANS, horizon_for
from workbench.simulate import DEFAULT_PROFILE, get_profile
from workbench.templates import load_template
from workbench.widgets import PlanLab

TEMPLATE = "compliance_follow_up"  # misses 85% on day 90 as designed
LEARNERS = 300


@pytest.fixture(scope="module")
def journey() -> Journey:
    return load_template(TEMPLATE)


def test_the_widget_shows_what_the_evaluation_says(journey: Journey) -> None:
    lab = PlanLab(journey, learners=LEARNERS)
    assert lab.settings == LabSettings(learners=LEARNERS)  # the controls open on the default settings
    outcome = evaluate_lab(journey, lab.settings)
    assert outcome.status == lab.status.value
    assert outcome.status.startswith(f"plans=4 learners={LEARNERS} seed=0 target=0.85 deadline=90 best=")
    assert list(outcome.summary.index) == list(lab.summary.index) == ["none", "fixed:7x4", "expanding", "target:0.85"]
    assert outcome.choice is not None
    assert outcome.choice.label == lab.chosen.value
    assert outcome.summary["meets_target"].tolist() == lab.summary["meets_target"].tolist()
    assert not outcome.problems


def test_settings_name_the_plans_they_stand_for() -> None:
    settings = LabSettings(ticked=("deadline", "fixed", "none"), custom="expanding:2,5,12, fixed:14x3", spacing=10)
    # list order, then the custom plans; a digit after a comma continues the previous plan
    assert settings.plan_strings == ["none", "fixed:10x4", "deadline:90", "expanding:2,5,12", "fixed:14x3"]
    assert settings.horizon_days == horizon_for(90) == 120
    assert settings.report_days == [7, 30, 90]
    assert LabSettings(target=0.8500000001).target == 0.85  # a float slider's noise is dropped
    capped = LabSettings(budget=10).parse("fixed:7x4", LabSettings().population())
    assert capped.constraints.max_minutes_per_week == 10.0
    assert LabSettings(budget=10).search_key != LabSettings(budget=10, spacing=3).with_values(budget=0).search_key


def test_problems_are_shown_next_to_their_control_and_the_rest_is_still_compared(journey: Journey) -> None:
    base = LabSettings(ticked=("none",), learners=LEARNERS)
    bad_seed = evaluate_lab(journey, base.with_values(seed=-1))
    assert bad_seed.comparison is None
    assert bad_seed.status == "nothing simulated: fix seed"
    assert bad_seed.problems["seed"] == ["seed: must be a whole number from 0 on (got -1)"]

    typo = evaluate_lab(journey, base.with_values(custom="weekly, fixed:7x2"))
    assert list(typo.summary.index) == ["none", "fixed:7x2"]
    assert "unknown plan 'weekly'" in typo.problems["custom"][0]
    assert typo.status.endswith("| not simulated: see custom")

    late = evaluate_lab(journey, base.with_values(custom="deadline:200"))
    assert "deadline day 200 is after the last simulated day 120" in late.problems["custom"][0]

    many = evaluate_lab(journey, base.with_values(custom="massed, fixed:3x2, fixed:5x2, fixed:9x2"))
    assert many.comparison is None
    assert many.problems["plans"][0].startswith(f"pick at most {MAX_PLANS} plans (5 chosen")

    none = evaluate_lab(journey, base.with_values(ticked=()))
    assert none.problems == {"plans": ["pick at least one plan (e.g. none and expanding)"]}

    population = evaluate_lab(journey, base.with_values(variation=9.0))
    assert population.comparison is None
    assert list(population.problems) == ["variation"]


def test_an_empty_journey_is_said_and_the_display_cleared() -> None:
    outcome = evaluate_lab(Journey.empty("empty", "Empty"), LabSettings(learners=LEARNERS))
    assert outcome.empty_journey
    assert outcome.status == "nothing simulated: fix journey"
    assert "has no concepts" in outcome.problems["journey"][0]


def test_the_profile_or_calibration_is_what_is_simulated_and_named(journey: Journey) -> None:
    base = LabSettings(ticked=("none", "expanding"), learners=LEARNERS)
    workplace = evaluate_lab(journey, base)
    flashcards = evaluate_lab(journey, base.with_values(profile="flashcards"))
    assert flashcards.comparison is not None
    assert workplace.comparison is not None
    # the one resolution rule, passed to the simulation: the profile the result says it ran with
    for outcome, name in ((workplace, DEFAULT_PROFILE), (flashcards, "flashcards")):
        assert outcome.comparison is not None
        assert outcome.comparison.results["none"].assumptions["memory_profile"]["name"] == name
        assert outcome.provenance[0].startswith(f"Memory profile {name}: {get_profile(name).title}.")
        assert get_profile(name).source in outcome.provenance[0]
        spread = get_profile(name).memory_sigma
        assert outcome.provenance[1] == (
            f"Population: {LEARNERS} learners, memory variation {spread:.3g} (the profile's), "
            "does required 0.90, optional 0.45"
        )
        assert outcome.provenance[2] == "Seed: 0"
    assert not flashcards.summary["retention_day_90"].equals(workplace.summary["retention_day_90"])

    calibration = pilot_calibration()
    calibrated = evaluate_lab(journey, base.with_values(calibration=calibration, seed=4, variation=0.5))
    assert calibrated.comparison is not None
    ran = calibrated.comparison.results["none"]
    assert ran.assumptions["memory_profile"]["name"] == "calibration:pilot"
    assert (
        ran.assumptions["population"]["memory_sigma"] == 0.5
    )  # the slider, set explicitly, wins over the calibration's spread
    assert calibrated.provenance == (
        "Calibration calibration:pilot: from pilot.csv, 2026-12-02 (profile 'flashcards', fitted: s0_encode_days)",
        f"Population: {LEARNERS} learners, memory variation 0.5 (set in the lab), does required 0.90, optional 0.45",
        "Seed: 4",
    )
    assert LabSettings(profile="flashcards", calibration=calibration).memory_profile == calibration.profile
    assert LabSettings(calibration=calibration).memory_sigma == calibration.profile.memory_sigma
    assert base.search_key != base.with_values(profile="flashcards").search_key  # a search found is redone


def test_an_unknown_profile_is_a_problem_of_the_profile_control(journey: Journey) -> None:
    outcome = evaluate_lab(journey, LabSettings(ticked=("none",), learners=LEARNERS, profile="anki"))
    assert outcome.comparison is None
    assert outcome.status == "nothing simulated: fix profile"
    assert outcome.problems["profile"][0].startswith("unknown memory profile 'anki'; known profiles: workplace")
    assert outcome.provenance[0].startswith("Memory profile: unknown memory profile 'anki'")
