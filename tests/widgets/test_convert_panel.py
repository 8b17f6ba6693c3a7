"""The Convert tab, headless: convert, untick proposals, open the draft in the composer."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from convert import sources
from support.calibrations import pilot_calibration
from workbench.calibrate import Calibration
from workbench.convert import convert
from workbench.model import Journey
from workbench.simulate import DEFAULT_PROFILE, PROFILES, resolve_profile
from workbench.widgets import Workbench
from workbench.widgets.convert_panel import ConvertPanel

NOTES = """# Incident reporting
## Severity levels
A severity level is a rating from 1 to 4 of an incident's business impact.
## Escalation path
An escalation path is the ordered list of people to call when an incident grows.
"""
#: a plan that schedules from the memory model: when the typical learner falls to 85% recall
PLAN = "target:0.85"


@pytest.fixture(scope="module")
def notes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("convert-notes") / "incidents.md"
    path.write_text(NOTES, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def calibration() -> Calibration:
    return pilot_calibration()


def _plan_days(journey: Journey) -> dict[str, float | None]:
    return {a.id: journey.days.get(a.id) for a in journey.activities if a.id.startswith("plan-")}


def _upload(name: str, content: bytes) -> dict[str, Any]:
    """Return what ipywidgets' FileUpload holds for one uploaded file."""
    return {
        "name": name,
        "type": "application/json",
        "size": len(content),
        "content": memoryview(content),
        "last_modified": dt.datetime(2026, 12, 2, tzinfo=dt.UTC),
    }


@pytest.fixture(scope="module")
def deck(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return sources.build_deck(tmp_path_factory.mktemp("convert-panel") / "workshop.pptx")


def test_panel_shows_proposals_and_decisions(deck: Path) -> None:
    panel = ConvertPanel()
    panel.convert_paths([deck])
    assert panel.report is not None
    assert panel.status.value.startswith("workshop.pptx: 6 concepts")
    assert len(panel.accepted) == len(panel.report.draft.proposals)
    core = next(p for p in panel.report.draft.proposals if p.kind == "ilt_workshop")
    assert panel.accepted[core.activity_id].disabled  # the core event cannot be dropped
    assert "Needs your decision" in panel.summary.value
    assert "leftover: title: agenda" in panel.segments.value
    assert not panel.open.disabled


def test_unticked_proposals_do_not_reach_the_composer(deck: Path) -> None:
    app = Workbench(None, plotter=None, graph=False)
    panel = app.convert_panel
    panel.convert_paths([deck])
    assert panel.report is not None
    job_aids = [p.activity_id for p in panel.report.draft.proposals if p.kind == "job_aid"]
    assert job_aids
    for proposal_id in job_aids:
        panel.accepted[proposal_id].value = False
    panel.open.click()
    journey = app.composer.journey
    assert journey.id == "project_management_essentials"
    ids = {a.id for a in journey.activities}
    assert not ids & set(job_aids)
    assert len(ids) == len(panel.accepted) - len(job_aids)
    assert f"{len(job_aids)} proposal(s) dropped" in panel.status.value


def test_errors_are_shown_not_raised(tmp_path: Path) -> None:
    panel = ConvertPanel()
    panel.paths.value = str(tmp_path / "missing.pptx")
    panel.run.click()
    assert panel.status.value.startswith("not converted:")
    assert "no such file" in panel.status.value
    assert panel.open.disabled
    panel.paths.value = ""
    panel.run.click()
    assert "choose files" in panel.status.value


def test_uploads_are_converted(deck: Path) -> None:
    panel = ConvertPanel()
    panel.convert_uploads([("workshop.pptx", deck.read_bytes())])
    assert panel.report is not None
    assert panel.report.draft.analysis.outlines[0].source == "workshop.pptx"


def test_the_profile_chosen_schedules_the_draft_and_the_tab_names_it(notes: Path) -> None:
    panel = ConvertPanel()
    select = panel.memory.select
    assert [value for _, value in select.options] == list(PROFILES)  # the Plan tab's list
    assert select.value == DEFAULT_PROFILE
    assert f"Drafts will be scheduled for: Memory profile {DEFAULT_PROFILE}:" in panel.profile_note.value
    panel.plan.value = PLAN

    select.value = "flashcards"
    assert "Drafts will be scheduled for: Memory profile flashcards: Flashcard reviews" in panel.profile_note.value
    panel.convert_paths([notes])
    assert panel.report is not None
    draft = panel.report.draft
    assert draft.profile.name == "flashcards"
    days = _plan_days(draft.journey)
    # the oracle: the API converting for the same profile; the default profile times the touches otherwise
    assert days == _plan_days(convert([notes], plan=PLAN, profile="flashcards").draft.journey)
    assert days != _plan_days(convert([notes], plan=PLAN).draft.journey)
    assert panel.scheduled_for.startswith("Memory profile flashcards: Flashcard reviews (FSRS-6 defaults).")
    assert "Draft scheduled for: Memory profile flashcards: Flashcard reviews" in panel.profile_note.value
    assert "Convert again" not in panel.profile_note.value
    assert "scheduled for memory profile flashcards" in panel.summary.value

    select.value = "workplace-spacing"  # the draft stays what it was; the note says what the next one would use
    assert panel.report.draft is draft
    assert "Draft scheduled for: Memory profile flashcards" in panel.profile_note.value
    assert "Convert again to schedule for: Memory profile workplace-spacing" in panel.profile_note.value

    select.value = "flashcards"
    journey = panel.open_draft()
    assert "reinforcement scheduled for memory profile 'flashcards'" in panel.status.value
    for activity_id in days:
        assert "scheduled for memory profile 'flashcards'" in journey.activity(activity_id).provenance


def test_a_calibration_upload_schedules_for_it_and_a_bad_file_keeps_what_the_tab_had(
    notes: Path, calibration: Calibration
) -> None:
    panel = ConvertPanel()
    panel.plan.value = PLAN
    panel.memory.upload.value = (_upload("pilot.json", calibration.to_json().encode()),)
    assert panel.memory.select.value == "calibration"
    assert panel.memory.select.label == "calibration calibration:pilot (pilot.csv, 2026-12-02)"
    panel.convert_paths([notes])
    assert panel.report is not None
    draft = panel.report.draft
    assert draft.profile == calibration.profile
    assert _plan_days(draft.journey) == _plan_days(convert([notes], plan=PLAN, profile=calibration).draft.journey)
    assert "Draft scheduled for: Calibration calibration:pilot: from pilot.csv, 2026-12-02" in panel.profile_note.value
    status, note = panel.status.value, panel.profile_note.value

    broken = json.loads(calibration.to_json())
    broken["profile"]["memory_sigma"] = "wide"  # one bad field in an otherwise whole calibration
    panel.memory.upload.value = (_upload("broken.json", json.dumps(broken).encode()),)
    problem = panel.memory.problem  # one message: the file, then the field with what is wrong
    assert problem[0].startswith("broken.json: not a valid calibration")
    assert [line.strip() for line in problem[1:]] == ["field profile.memory_sigma: must be a number (got 'wide')"]
    assert "field profile.memory_sigma: must be a number (got &#x27;wide&#x27;)" in panel.memory.error.value
    assert "wb-convert-error-calibration" in panel.memory.error._dom_classes
    # the tab keeps what it had: the calibration chosen, the draft, the status and the note
    assert panel.memory.select.value == "calibration"
    assert panel.memory.calibration == calibration
    assert panel.report.draft is draft
    assert (panel.status.value, panel.profile_note.value) == (status, note)

    panel.memory.select.value = "flashcards"  # another choice clears the message
    assert panel.memory.error.value == ""
    assert "Convert again to schedule for: Memory profile flashcards" in panel.profile_note.value


def test_the_app_opens_both_tabs_on_its_profile_or_calibration(calibration: Calibration, tmp_path: Path) -> None:
    flash = Workbench(None, plotter=None, graph=False, profile="flashcards")
    assert flash.convert_panel.memory.select.value == "flashcards"
    assert flash.convert_panel.memory.memory_profile() == flash.plan_lab.settings.memory_profile
    path = calibration.save(tmp_path / "pilot.yaml")
    app = Workbench(None, plotter=None, graph=False, calibration=str(path))
    assert app.convert_panel.memory.chosen_calibration == calibration
    assert app.plan_lab.settings.calibration == calibration
    missing = ConvertPanel(calibration=tmp_path / "none.json", profile="nope")
    assert missing.memory.select.value == DEFAULT_PROFILE
    assert "none.json: no such calibration file" in missing.memory.error.value
    assert resolve_profile(missing.memory.chosen).name == DEFAULT_PROFILE
