"""A draft's reinforcement is scheduled for the memory profile (or calibration) chosen, and names it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from support.calibrations import pilot_calibration
from workbench.calibrate import Calibration
from workbench.cli import main
from workbench.convert import convert, convert_text
from workbench.model import Journey
from workbench.plans import parse_plan
from workbench.simulate import DEFAULT_PROFILE, resolve_profile
from workbench.spec import load

SOURCE = """# Incident reporting
## Severity levels
A severity level is a rating from 1 to 4 of an incident's business impact.
## Escalation path
An escalation path is the ordered list of people to call when an incident grows.
"""
#: a plan that schedules from the memory model: when the typical learner falls to 85% recall
PLAN = "target:0.85"


@pytest.fixture(scope="module")
def calibration() -> Calibration:
    return pilot_calibration()


def _plan_days(journey: Journey) -> dict[str, float | None]:
    return {a.id: journey.days.get(a.id) for a in journey.activities if a.id.startswith("plan-")}


def _oracle(profile: Any) -> dict[str, float | None]:
    """Apply the plan on its own, for ``profile``, to the draft without reinforcement; return its days."""
    bare = convert_text(SOURCE, plan="none").draft.journey
    return _plan_days(parse_plan(PLAN).apply(bare, profile=profile))


@pytest.mark.parametrize("which", ["flashcards", "workplace-spacing", "calibration"])
def test_draft_is_scheduled_for_the_chosen_profile_and_names_it(which: str, calibration: Calibration) -> None:
    chosen: Any = calibration if which == "calibration" else which
    name = resolve_profile(chosen).name
    draft = convert_text(SOURCE, plan=PLAN, profile=chosen).draft
    days = _plan_days(draft.journey)
    assert days == _oracle(chosen)
    assert days != _plan_days(convert_text(SOURCE, plan=PLAN).draft.journey), "the profile should move the touches"
    assert draft.profile.name == name
    for activity_id in days:
        assert f"scheduled for memory profile {name!r}" in draft.journey.activity(activity_id).provenance
    assert f"memory profile {name!r}" in draft.journey.description
    assert f"<b>{name}</b> ({draft.profile.title})" in convert_text(SOURCE, plan=PLAN, profile=chosen).to_html()


def test_default_profile_is_named_too() -> None:
    draft = convert_text(SOURCE, plan=PLAN).draft
    assert draft.profile.name == DEFAULT_PROFILE
    assert _plan_days(draft.journey) == _oracle(None)
    assert all(
        f"scheduled for memory profile {DEFAULT_PROFILE!r}" in draft.journey.activity(a).provenance
        for a in _plan_days(draft.journey)
    )


def test_cli_schedules_for_the_calibration_and_reports_it(
    tmp_path: Path, calibration: Calibration, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "notes.md"
    source.write_text(SOURCE, encoding="utf-8")
    saved = calibration.save(tmp_path / "pilot.json")
    draft, report = tmp_path / "draft.yaml", tmp_path / "report.html"
    argv = ["convert", str(source), "-o", str(draft), "--report", str(report), "--plan", PLAN]
    assert main([*argv, "--calibration", str(saved), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["memory_profile"]["name"] == "calibration:pilot"
    assert summary["plan"] == PLAN
    assert _plan_days(load(draft)) == _plan_days(convert([source], plan=PLAN, profile=calibration).draft.journey)
    assert "calibration:pilot" in report.read_text(encoding="utf-8")

    assert main([*argv, "--profile", "flashcards", "--force"]) == 0
    assert "memory profile: flashcards" in capsys.readouterr().out
    assert _plan_days(load(draft)) == _oracle("flashcards")


def test_cli_bad_calibration_is_one_clear_error_and_writes_nothing(
    tmp_path: Path, calibration: Calibration, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "notes.md"
    source.write_text(SOURCE, encoding="utf-8")
    data = calibration.to_dict()
    data["profile"]["memory_sigma"] = -1.0
    bad = tmp_path / "broken.yaml"
    bad.write_text(yaml.safe_dump(data), encoding="utf-8")
    draft, report = tmp_path / "draft.yaml", tmp_path / "report.html"
    argv = ["convert", str(source), "-o", str(draft), "--report", str(report)]
    assert main([*argv, "--calibration", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"workbench: error: {bad}: not a valid calibration")
    assert "profile.memory_sigma" in err
    assert "Traceback" not in err
    assert not draft.exists()
    assert not report.exists()
    assert main([*argv, "--calibration", str(bad), "--profile", "flashcards"]) == 2
    assert "give one of them" in capsys.readouterr().err
    assert not draft.exists()
    assert not report.exists()
