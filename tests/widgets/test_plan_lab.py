"""The plan lab (Plan tab): live plan comparison, the recommendation, Apply, errors shown."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from support.calibrations import pilot_calibration
from workbench.plans import LabSettings, evaluate_lab
from workbench.plans.compare import compare
from workbench.simulate import DEFAULT_PROFILE, PROFILES, LearnerPopulation, get_profile
from workbench.templates import load_template
from workbench.widgets import PlanLab, Workbench
from workbench.widgets.plan_lab import PLAN_CONTROLS, horizon_for

PNG = b"\x89PNG\r\n\x1a\n"
# compliance_follow_up as designed misses 85% on day 90, so the plans make the difference
TEMPLATE = "compliance_follow_up"
LEARNERS = 200


@pytest.fixture
def lab() -> PlanLab:
    return PlanLab(TEMPLATE)


def test_opens_with_four_plans_a_plot_a_table_and_a_status(lab: PlanLab) -> None:
    assert list(lab.summary.index) == ["none", "fixed:7x4", "expanding", "target:0.85"]
    # the cheapest plan reaching 85% on day 90 (none misses it), as the one rule picks it
    reaching = lab.summary[lab.summary["meets_target"]]
    cheapest = reaching["plan_minutes"].idxmin()
    # on the workplace profile fitted with the calendar same-day rule 4 weekly touches reach 85%
    # (0.856); fitted with the old rule it took expanding; target:0.85 was the choice on flashcard numbers
    assert cheapest == "fixed:7x4"
    retention = lab.summary.loc[cheapest, "retention_day_90"]
    assert lab.status.value == (
        f"plans=4 learners=1000 seed=0 target=0.85 deadline=90 best={cheapest} retention@90={retention:.2f}"
    )
    assert not lab.summary.loc["none", "meets_target"]
    assert bytes(lab.plot.value).startswith(PNG)
    table = lab.table.value
    for text in ("expanding", "retention day 90", "proficient day 90", "reaches 85%", "fixed:7x4 ★"):
        assert text in table
    assert '<tr class="wb-plan-best-row"><td>fixed:7x4 ★' in table
    assert lab.chosen.value == cheapest
    assert lab.chosen.label == f"{cheapest} (recommended)"
    assert all(error.value == "" for error in lab.errors.values())
    # every control is findable by its class, and sliders sync on release (one update per drag)
    for name in PLAN_CONTROLS:
        control = lab.controls[name]
        assert any(c.startswith("wb-plan-") for c in control._dom_classes), name
        if hasattr(control, "readout"):
            assert control.continuous_update is False, name
    assert "wb-plan-target" in lab.controls["target"]._dom_classes
    assert lab.horizon_days == 120
    assert lab.results["none"].horizon_days == 120


def test_a_slider_move_redraws_and_moving_back_gives_the_same_bytes(lab: PlanLab) -> None:
    before, table = lab.plot.value, lab.table.value
    lab.controls["spacing"].value = 14
    assert "fixed:14x4" in lab.summary.index
    assert "fixed:7x4" not in lab.summary.index
    assert dict(lab.controls["plans"].options)["fixed:14x4"] == "fixed"  # the list shows the slider's plan
    assert set(lab.controls["plans"].value) == {"none", "fixed", "expanding", "target"}  # selection kept
    assert lab.plot.value != before
    assert bytes(lab.plot.value).startswith(PNG)
    assert lab.table.value != table
    assert "fixed:14x4" in lab.table.value
    lab.controls["spacing"].value = 7
    assert lab.plot.value == before
    assert lab.table.value == table


def test_same_seed_same_numbers_and_common_random_numbers(lab: PlanLab) -> None:
    direct = compare(
        load_template(TEMPLATE),
        ["none", "fixed:7x4"],
        population=LearnerPopulation(size=1000),
        horizon_days=120,
        rng=0,
        days=(7, 30, 90),
        deadline_day=90,
    ).summary
    pd.testing.assert_series_equal(lab.summary.loc["fixed:7x4", direct.columns], direct.loc["fixed:7x4"])
    # common random numbers: until a plan's first touch, its learners are the baseline's
    lab.select("none", "deadline")
    assert lab.summary.loc["deadline:90", "retention_day_30"] == lab.summary.loc["none", "retention_day_30"]
    first = lab.summary.loc["none", "retention_day_90"]
    lab.controls["seed"].value = 5
    assert "seed=5" in lab.status.value
    assert lab.summary.loc["none", "retention_day_90"] != first
    lab.controls["seed"].value = 0
    assert lab.summary.loc["none", "retention_day_90"] == first


def test_target_deadline_and_population_sliders(lab: PlanLab) -> None:
    lab.controls["target"].value = 0.98
    assert "target=0.98" in lab.status.value
    assert "(below target)" in lab.status.value
    assert "target:0.98" in lab.summary.index
    assert not lab.summary["meets_target"].any()
    lab.controls["target"].value = 0.85

    lab.controls["deadline"].value = 200
    assert lab.horizon_days == horizon_for(200) == 230
    assert lab.results["none"].horizon_days == 230
    assert "retention_day_200" in lab.summary.columns
    assert "deadline=200" in lab.status.value
    assert "retention@200=" in lab.status.value
    assert "deadline:200" in dict(lab.controls["plans"].options)
    lab.controls["deadline"].value = 90

    minutes = lab.summary.loc["none", "learner_minutes"]
    retention = lab.summary.loc["none", "retention_day_90"]
    lab.controls["required"].value = 0.5
    assert lab.summary.loc["none", "learner_minutes"] < minutes
    lab.controls["required"].value = 0.9
    lab.controls["variation"].value = 1.0
    assert lab.summary.loc["none", "retention_day_90"] != retention

    lab.controls["budget"].value = 5  # a weekly cap: plans keep to it
    weekly = lab.summary.loc["expanding", "plan_minutes"]
    assert lab.errors["budget"].value == ""
    assert weekly > 0


def test_apply_chosen_plan_adds_its_activities(lab: PlanLab) -> None:
    before = lab.journey
    lab.chosen.value = "expanding"
    lab.apply_button.click()
    added = [a.id for a in lab.journey.activities if a.id not in {b.id for b in before.activities}]
    assert len(added) == 6
    assert all(a.startswith("plan-expanding-") for a in added)
    assert "applied expanding: +6 activities" in lab.status.value
    # the lab now compares plans on the new journey; expanding is in it, which is said, not flagged
    assert "expanding" not in lab.summary.index
    assert lab.errors["plans"].value == ""
    assert "expanding already in the journey ('none' shows it as designed now)" in lab.status.value
    applied = lab.journey
    lab.chosen.value = "none"
    lab.apply_button.click()
    assert lab.journey is applied
    assert "none adds nothing: journey unchanged" in lab.status.value


def test_bad_values_are_shown_next_to_their_fields_not_raised(lab: PlanLab) -> None:
    lab.controls["custom"].value = "weekly"
    assert "unknown plan &#x27;weekly&#x27;" in lab.errors["custom"].value
    assert "valid forms" in lab.errors["custom"].value
    assert len(lab.summary) == 4
    assert lab.status.value.endswith("| not simulated: see custom")

    lab.controls["custom"].value = "deadline:400"  # beyond the horizon (deadline slider 90: day 120)
    assert "deadline day 400 is after the last simulated day 120" in lab.errors["custom"].value
    assert "move the Deadline slider to 370 or later" in lab.errors["custom"].value

    lab.controls["custom"].value = "massed"  # a fifth plan
    assert "pick at most 4 plans (5 chosen" in lab.errors["plans"].value
    assert lab.status.value == "nothing simulated: fix plans"
    lab.controls["custom"].value = ""
    lab.controls["plans"].value = ()
    assert "pick at least one plan" in lab.errors["plans"].value

    lab.select("none", "fixed")
    lab.controls["seed"].value = -1
    assert "seed: must be a whole number from 0 on" in lab.errors["seed"].value
    assert lab.status.value == "nothing simulated: fix seed"
    lab.controls["seed"].value = 0
    assert lab.errors["seed"].value == ""
    assert lab.status.value.startswith("plans=2 ")

    lab.controls["budget"].value = 2  # less than one 3-minute quiz a week
    assert "more than max_minutes_per_week=2" in lab.errors["budget"].value
    assert list(lab.summary.index) == ["none"]  # no plan caps nothing
    lab.select("expanding", "nonsense")
    assert "unknown plan family &#x27;nonsense&#x27;" in lab.errors["plans"].value


def test_an_empty_journey_says_what_is_missing() -> None:
    lab = PlanLab(None)
    assert "has no concepts" in lab.errors["journey"].value
    assert lab.status.value == "nothing simulated: fix journey"
    lab.apply_button.click()
    assert "nothing to apply" in lab.errors["apply"].value


def test_find_cheapest_plan_shows_it_next_to_the_plans_then_apply_it(lab: PlanLab) -> None:
    lab.optimise_button.click()
    assert lab.best.value.startswith(
        '<div class="wb-ok">Cheapest plan reaching 85% on day 90: <b>deadline:90x1</b> (adds 5 min per learner'
    )
    without = lab.summary.loc["none", "retention_day_90"]
    assert f"without a plan {without:.3f}" in lab.best.value  # optimise's reason
    # simulated again with the lab's horizon: the same learners give the same retention on day 90
    assert list(lab.summary.index) == ["none", "fixed:7x4", "expanding", "target:0.85", "deadline:90x1"]
    found = lab.summary.loc["deadline:90x1", "retention_day_90"]
    assert f"retention {100 * found:.1f}%" in lab.best.value
    assert found >= 0.85
    assert "deadline:90x1 (found) ★" in lab.table.value
    assert lab.chosen.value == "deadline:90x1"
    assert lab.chosen.label == "deadline:90x1 (cheapest found, recommended)"
    assert lab.status.value.startswith("plans=5 ")
    assert "best=deadline:90x1" in lab.status.value
    assert lab.status.value.endswith("| cheapest=deadline:90x1")
    # the spacing slider does not touch the search: the plan found stays
    lab.controls["spacing"].value = 10
    assert "deadline:90x1" in lab.summary.index
    n = len(lab.journey.activities)
    lab.apply_button.click()
    assert len(lab.journey.activities) == n + 1
    assert "applied deadline:90x1: +1 activities" in lab.status.value
    assert "deadline:90x1" not in lab.summary.index
    assert lab.best.value == ""


def test_a_finding_is_dropped_when_a_setting_it_depends_on_changes(lab: PlanLab) -> None:
    lab.controls["target"].value = 0.98
    found = lab.find_cheapest()
    assert found is not None
    assert found.startswith("deadline:90")
    assert found in lab.summary.index
    assert lab.best.value.startswith('<div class="wb-error">No plan reaches 98% on day 90; the closest')
    assert "lower the target" in lab.best.value
    assert lab.status.value.endswith(f"| closest={found}")
    lab.controls["target"].value = 0.9
    assert lab.best.value == ""
    assert found not in lab.summary.index
    assert "cheapest found" not in str(lab.chosen.options)
    lab.controls["seed"].value = -1
    assert lab.find_cheapest() is None
    assert "not searched" in lab.errors["optimise"].value
    empty = PlanLab(None)
    assert empty.find_cheapest() is None
    assert "has no concepts" in empty.errors["optimise"].value


def test_the_app_plan_tab_shares_the_journey_and_apply_is_undoable(fake_plotter: Any) -> None:
    app = Workbench.from_template(TEMPLATE, plotter=fake_plotter, graph=False)
    lab = app.plan_lab
    assert app.tabs.children[1] is lab
    assert app.plan_panel is lab
    assert lab.status.value == "not simulated yet"  # nothing runs until the tab is shown
    app.tabs.selected_index = 1
    assert lab.status.value.startswith("plans=4 learners=1000 seed=0")

    lab.chosen.value = "fixed:7x4"
    lab.apply_button.click()
    template = load_template(TEMPLATE)
    assert len(app.journey.activities) == len(template.activities) + 4
    assert app.composer.journey is app.journey is lab.journey
    if app.export_panel is not None:
        assert app.export_panel.journey is app.journey
    assert app.composer.can_undo  # the composer recorded the plan as an edit
    assert "| applied fixed:7x4: +4 activities" in lab.status.value
    app.composer.undo()
    assert app.journey == template
    assert lab.journey == template
    assert "applied" not in lab.status.value
    assert "fixed:7x4" in lab.summary.index  # re-simulated on the template again

    app.tabs.selected_index = 0  # hidden: edits only mark the lab stale
    app.composer.fields["kind"].value = "prompt_card"
    app.composer.fields["id"].value = "card_1"
    summary = lab.summary
    app.composer.add_button.click()
    assert lab.journey.activity("card_1")
    assert lab.summary is summary
    app.tabs.selected_index = 1
    assert lab.summary is not summary
    assert lab.status.value.startswith("plans=4 ")


def test_plans_added_to_the_formal_core_show_what_each_plan_does_on_its_own(lab: PlanLab) -> None:
    column = "retention_day_90"
    designed = lab.summary[column]
    if designed.max() - designed.min() < 0.02:  # the template's own reinforcement dominates
        assert "the plans look alike" in lab.status.value
    lab.controls["baseline"].value = "core"
    core = lab.summary[column]
    assert core["none"] < designed["none"] - 0.2  # without its reinforcement the journey forgets
    assert core["expanding"] > core["none"] + 0.2
    assert "the plans look alike" not in lab.status.value

    own = {a.id for a in lab.journey.activities} - {a.id for a in lab.journey.formal_core().activities}
    lab.chosen.value = "expanding"
    lab.apply_button.click()
    ids = {a.id for a in lab.journey.activities}
    assert not own & ids
    assert any(i.startswith("plan-expanding-") for i in ids)
    assert f"replacing the journey's own {len(own)} reinforcement assets" in lab.status.value


def test_the_profile_list_switches_what_is_simulated_and_the_note_names_it() -> None:
    lab = PlanLab(TEMPLATE, learners=LEARNERS, plans=("none", "expanding"))
    profile = lab.controls["profile"]
    assert [value for _, value in profile.options] == list(PROFILES)
    assert profile.value == DEFAULT_PROFILE
    assert f"Memory profile {DEFAULT_PROFILE}:" in lab.profile_note.value
    assert f"Population: {LEARNERS} learners" in lab.profile_note.value
    assert "Seed: 0" in lab.profile_note.value
    before = lab.summary.copy()

    profile.value = "flashcards"
    assert lab.settings.profile == "flashcards"
    assert lab.controls["variation"].value == get_profile("flashcards").memory_sigma  # the slider follows
    assert lab.settings.variation is None  # ... and means "the profile's spread"
    assert lab.results["none"].assumptions["memory_profile"]["name"] == "flashcards"
    assert "Memory profile flashcards: Flashcard reviews" in lab.profile_note.value
    assert not lab.summary["retention_day_90"].equals(before["retention_day_90"])
    expected = evaluate_lab(
        lab.journey, LabSettings(ticked=("none", "expanding"), learners=LEARNERS, profile="flashcards")
    )
    pd.testing.assert_frame_equal(lab.summary, expected.summary)

    profile.value = DEFAULT_PROFILE  # back: the cached numbers of the default profile, unchanged
    pd.testing.assert_frame_equal(lab.summary, before)


def test_a_calibration_is_used_named_and_a_bad_file_is_said(tmp_path: Path) -> None:
    calibration = pilot_calibration()
    lab = PlanLab(TEMPLATE, learners=LEARNERS, plans=("none",), calibration=calibration)
    assert lab.calibration == calibration
    assert lab.controls["profile"].value == "calibration"
    assert lab.controls["profile"].label == "calibration calibration:pilot (pilot.csv, 2026-12-02)"
    assert lab.settings.memory_profile == calibration.profile
    assert lab.results["none"].assumptions["memory_profile"]["name"] == "calibration:pilot"
    assert "Calibration calibration:pilot: from pilot.csv, 2026-12-02" in lab.profile_note.value
    assert "using calibration calibration:pilot" in lab.status.value

    bad = b'{"profile": {"name": "pilot", "title": "P", "source": "s", "memory_sigma": "wide"}}'
    assert lab.load_calibration_file("broken.json", bad) is False
    assert "calibration not loaded: broken.json: not a valid calibration" in lab.status.value
    assert "field profile.memory_sigma" in lab.errors["calibration"].value
    assert lab.calibration == calibration  # the lab keeps what it had
    assert lab.results["none"].assumptions["memory_profile"]["name"] == "calibration:pilot"
    lab.controls["seed"].value = 1  # the next change clears the message
    assert lab.errors["calibration"].value == ""

    # a file path (what `workbench calibrate -o` wrote), and the upload button
    path = calibration.save(tmp_path / "pilot.yaml")
    other = PlanLab(TEMPLATE, learners=LEARNERS, plans=("none",), calibration=str(path))
    assert other.calibration == calibration
    other.controls["profile"].value = "flashcards"  # a profile again; the calibration stays in the list
    assert other.settings.calibration is None
    assert other.results["none"].assumptions["memory_profile"]["name"] == "flashcards"
    content = calibration.to_json().encode()
    upload = {"name": "pilot.json", "type": "application/json", "size": len(content), "content": memoryview(content)}
    upload["last_modified"] = dt.datetime(2026, 12, 2, tzinfo=dt.UTC)
    other.calibration_upload.value = (upload,)
    assert other.controls["profile"].value == "calibration"
    assert other.results["none"].assumptions["memory_profile"]["name"] == "calibration:pilot"
    missing = PlanLab(TEMPLATE, learners=LEARNERS, plans=("none",), calibration=tmp_path / "none.json")
    assert missing.calibration is None
    assert "none.json: no such calibration file" in missing.status.value


def test_the_app_passes_profile_and_calibration_to_the_plan_tab(fake_plotter: Any) -> None:
    calibration = pilot_calibration()
    app = Workbench.from_template(TEMPLATE, plotter=fake_plotter, graph=False, calibration=calibration)
    assert app.plan_lab.calibration == calibration
    assert app.plan_lab.settings.memory_profile == calibration.profile
    flash = Workbench.from_template(TEMPLATE, plotter=fake_plotter, graph=False, profile="flashcards")
    assert flash.plan_lab.settings.profile == "flashcards"
