"""The Workbench app (tabs over one journey) and its Export panel."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from workbench.templates import load_template
from workbench.widgets import ExportPanel, PlanLab, Workbench


@pytest.fixture
def app(fake_plotter: Any, tmp_path: Path) -> Workbench:
    return Workbench.from_template(
        "post_training_retention", plotter=fake_plotter, graph=False, export_folder=str(tmp_path / "out")
    )


def test_tabs_and_the_current_journey(app: Workbench) -> None:
    assert [app.tabs.get_title(i) for i in range(4)] == ["Compose", "Plan", "Export", "Convert"]
    assert app.tabs.children[0] is app.composer
    assert isinstance(app.plan_panel, PlanLab)
    assert app.plan_panel is app.plan_lab
    assert app.plan_lab.journey == app.journey
    assert app.journey == load_template("post_training_retention")


def test_one_journey_shared_by_every_panel(app: Workbench) -> None:
    composer = app.composer
    composer.new_button.click()
    composer.fields["kind"].value = "prompt_card"
    composer.fields["id"].value = "card_1"
    composer.add_button.click()
    assert "card_1" in [a.id for a in app.journey.activities]
    if app.export_panel is not None:
        assert app.export_panel.journey is app.journey
    app.journey = load_template("compliance_follow_up")  # set on the app: every panel follows
    assert composer.journey == app.journey
    assert composer.status.value.startswith("compliance_follow_up:")
    composer.undo()
    assert "card_1" in [a.id for a in app.journey.activities]


def test_workbench_accepts_a_journey_a_template_name_or_nothing(fake_plotter: Any) -> None:
    journey = load_template("safety_reminders")
    assert Workbench(journey, plotter=fake_plotter, graph=False).journey is journey
    assert Workbench("safety_reminders", plotter=None, graph=False).journey == journey
    assert Workbench(plotter=None, graph=False).journey.activities == ()


def test_unknown_template_is_a_clear_error() -> None:
    from workbench.errors import UnknownNameError

    with pytest.raises(UnknownNameError, match="post_training_retention"):
        Workbench("post_training_retentoin", plotter=None, graph=False)


def test_export_panel_writes_and_validates_each_format(app: Workbench, tmp_path: Path) -> None:
    panel = app.export_panel
    assert isinstance(panel, ExportPanel)
    panel.formats.value = ("json", "ics", "csv", "cmi5")
    panel.start.value = date(2026, 3, 2)
    panel.tz.value = "Europe/Paris"
    panel.export_button.click()
    assert [r["format"] for r in panel.results] == ["json", "ics", "csv", "cmi5"]
    for row in panel.results:
        assert row["problems"] == [], row
        assert Path(row["path"]).is_file()
        assert Path(row["path"]).stat().st_size == row["bytes"] > 0
    assert Path(panel.results[1]["path"]).read_bytes().startswith(b"BEGIN:VCALENDAR")
    assert "4 of 4 files written and valid" in panel.status.value
    assert "valid" in panel.table.value


def test_export_panel_checks_scorm_without_the_shared_folder(
    app: Workbench, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a user has no ../shared: the SCORM schemas ship with workbench (issue 11)
    monkeypatch.setenv("WORKBENCH_SHARED", str(tmp_path / "empty"))
    panel = app.export_panel
    assert panel is not None
    panel.formats.value = ("scorm2004",)
    panel.export_button.click()
    (row,) = panel.results
    assert row["problems"] == [], row
    assert row["path"] is not None
    assert "1 of 1 files written and valid" in panel.status.value


def test_export_panel_shows_field_errors_and_writes_nothing(app: Workbench, tmp_path: Path) -> None:
    panel = app.export_panel
    assert panel is not None
    panel.tz.value = "Mars/Olympus_Mons"
    panel.export_button.click()
    assert "unknown time zone" in panel.field_errors["tz"].value
    assert panel.results == []
    assert not (tmp_path / "out").exists()
    panel.tz.value = "UTC"
    panel.formats.value = ()
    panel.export_button.click()
    assert panel.field_errors["formats"].value == "pick at least one format"
    assert panel.field_errors["tz"].value == ""


def test_export_errors_are_shown_per_format(app: Workbench) -> None:
    panel = app.export_panel
    assert panel is not None
    panel.formats.value = ("cmi5", "json")
    panel.course_iri.value = "not an iri"
    panel.export_button.click()
    cmi5, spec = panel.results
    assert cmi5["path"] is None
    assert cmi5["problems"][0].startswith("not written:")
    assert spec["problems"] == []
    assert spec["path"] is not None
    assert "1 of 2 files" in panel.status.value


def test_import_workbench_alone_pulls_no_widgets() -> None:
    code = "import sys, workbench; print('ipywidgets' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_export_panel_opens_on_the_given_cohort_start(tmp_path: Path) -> None:
    panel = ExportPanel("safety_reminders", folder=tmp_path, start=date(2026, 3, 2))
    assert panel.start.value == date(2026, 3, 2)
