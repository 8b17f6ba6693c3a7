"""Bad input gives clear errors; writers are atomic; the package stays light to import."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

import workbench.export as export_module
from workbench.errors import ExportError, UnknownNameError
from workbench.export import FORMATS, export, read_json, to_ics, write_export
from workbench.model import Activity, Journey


def _not_launchable() -> Journey:
    return (
        Journey.empty("ilt_only", "ILT only")
        .add_activity(Activity.of_kind("ilt_workshop", id="workshop", title="Workshop", schedule=0))
        .add_activity(Activity.of_kind("manager_debrief", id="debrief", title="Debrief", schedule=7))
    )


@pytest.mark.parametrize("format", ["cmi5", "cmi5-xml", "scorm2004"])
def test_no_launchable_activity(format: str) -> None:
    with pytest.raises(ExportError, match=r"no launchable activity .*ilt_workshop, manager_debrief"):
        export(_not_launchable(), format)


def test_not_launchable_journey_still_exports_to_calendar_and_csv() -> None:
    assert export(_not_launchable(), "ics", start=date(2026, 3, 2), tz="UTC").count(b"BEGIN:VEVENT") == 2
    assert len(export(_not_launchable(), "csv").splitlines()) == 3


def test_unknown_format_lists_formats(journey: Journey) -> None:
    with pytest.raises(UnknownNameError, match="Formats: json, cmi5") as info:
        export(journey, "scorm12")
    assert "Did you mean scorm2004" in str(info.value)


@pytest.mark.parametrize("format", ["ics", "csv", "xapi"])
def test_naive_datetime(format: str, journey: Journey) -> None:
    with pytest.raises(ExportError, match=r"start: .* naive datetime .*ZoneInfo"):
        export(journey, format, start=datetime(2026, 3, 2, 9))  # noqa: DTZ001 - the naive datetime under test


def test_naive_dtstamp(journey: Journey) -> None:
    with pytest.raises(ExportError, match=r"dtstamp: .* naive"):
        to_ics(journey, start=date(2026, 3, 2), tz="UTC", dtstamp=datetime(2026, 3, 1))  # noqa: DTZ001 - the naive datetime under test


@pytest.mark.parametrize("format", ["ics", "csv"])
def test_unknown_time_zone(format: str, journey: Journey) -> None:
    with pytest.raises(ExportError, match=r"tz: unknown time zone 'Europe/Pariss'; did you mean Europe/Paris"):
        export(journey, format, start=date(2026, 3, 2), tz="Europe/Pariss")


def test_date_without_zone_and_fixed_offset(journey: Journey) -> None:
    with pytest.raises(ExportError, match="tz="):
        export(journey, "ics", start=date(2026, 3, 2))
    with pytest.raises(ExportError, match="fixed UTC offset"):
        export(journey, "ics", start=datetime(2026, 3, 2, 9, tzinfo=timezone(timedelta(hours=2))))


@pytest.mark.parametrize(
    "iri",
    ["not an iri", "lms.example.org/courses", "https://x.example/c#frag", "https://x.example/c?q=1", ""],
)
@pytest.mark.parametrize("format", ["cmi5", "xapi-templates"])
def test_bad_course_iri(iri: str, format: str, journey: Journey) -> None:
    with pytest.raises(ExportError, match="course_iri: "):
        export(journey, format, course_iri=iri)


@pytest.mark.parametrize(
    ("options", "match"),
    [
        ({"assessed_move_on": "Completed"}, "assessed_move_on"),
        ({"launch_method": "Popup"}, "launch_method"),
        ({"block_titles": {"later": "x"}}, "block_titles: unknown layer 'later'"),
        ({"activity_types": {"job_aid": "file"}}, r"activity_types\['job_aid'\]"),
        ({"colour": "red"}, "unknown option"),
    ],
)
def test_bad_cmi5_options(options: dict[str, Any], match: str, journey: Journey) -> None:
    with pytest.raises(ExportError, match=match):
        export(journey, "cmi5", **options)


def test_relative_au_url(journey: Journey) -> None:
    with pytest.raises(ExportError, match=r"\('quiz_1'\)\.url: 'quiz/index.html' is not an absolute"):
        export(journey.update_activity("quiz_1", url="quiz/index.html"), "cmi5")


@pytest.mark.parametrize(
    ("options", "match"),
    [
        ({"learners": 0}, "learners: must be at least 1"),
        ({"learners": ["a", "a"]}, "unique"),
        ({"completion_rate": 1.5}, "completion_rate"),
        ({"home_page": "lms"}, "home_page"),
    ],
)
def test_bad_xapi_options(options: dict[str, Any], match: str, journey: Journey) -> None:
    start = datetime(2026, 3, 2, 9, tzinfo=ZoneInfo("UTC"))
    with pytest.raises(ExportError, match=match):
        export(journey, "xapi", start=start, **options)


def test_bad_learner_schedule(journey: Journey) -> None:
    import pandas as pd

    with pytest.raises(ExportError, match="missing column"):
        export(journey, "csv", learner_schedule=pd.DataFrame({"learner_id": ["a"]}))
    frame = pd.DataFrame({"learner_id": ["a"], "activity_id": ["nope"], "day": [1.0]})
    with pytest.raises(ExportError, match="activity 'nope' is not in journey"):
        export(journey, "csv", learner_schedule=frame)


def test_edited_resolved_schedule_is_rejected(journey: Journey) -> None:
    from workbench.errors import SpecError

    data = export(journey, "json").replace(b'"day": 75.0', b'"day": 76.0')
    with pytest.raises(SpecError, match="resolved_schedule does not match"):
        read_json(data)


# ---- atomic writes -----------------------------------------------------------------------------


@pytest.mark.parametrize("format", list(FORMATS))
def test_write_export(format: str, journey: Journey, tmp_path: Path, options_for: Any) -> None:
    target = tmp_path / f"out.{format}"
    assert write_export(journey, format, target, **options_for(format)) == target
    assert target.read_bytes() == export(journey, format, **options_for(format))


def test_failing_builder_leaves_no_file(journey: Journey, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(journey: Journey, **options: Any) -> bytes:
        raise ExportError("boom")

    monkeypatch.setitem(export_module.FORMATS, "json", broken)  # type: ignore[index]
    target = tmp_path / "journey.json"
    with pytest.raises(ExportError, match="boom"):
        write_export(journey, "json", target)
    assert list(tmp_path.iterdir()) == []


def test_failing_write_keeps_the_old_file(journey: Journey, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    target = tmp_path / "journey.ics"
    target.write_bytes(b"old")

    def failing_replace(src: Any, dst: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OSError, match="disk full"):
        write_export(journey, "ics", target, start=date(2026, 3, 2), tz="UTC")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["journey.ics"]


def test_import_is_light() -> None:
    code = (
        "import sys, workbench.export, workbench.export.validate;"
        "print(','.join(m for m in ('matplotlib', 'ipywidgets', 'ralph', 'xmlschema') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


@pytest.mark.parametrize("format", ["cmi5", "scorm2004"])
def test_text_xml_cannot_carry(format: str, journey: Journey) -> None:
    with pytest.raises(ExportError, match=r"\('quiz_1'\)\.title: contains the control character U\+0007"):
        export(journey.update_activity("quiz_1", title="Bell \x07 quiz"), format)


def test_bad_local_time(journey: Journey) -> None:
    with pytest.raises(ExportError, match="at: must be a local time like '09:00'"):
        export(journey, "ics", start=date(2026, 3, 2), tz="UTC", at="25:00")


def test_cohort_options_fit_each_builder_and_name_a_bad_zone() -> None:
    from datetime import date

    from workbench.errors import ExportError
    from workbench.export import FORMATS, cohort_options

    start = date(2026, 3, 2)
    for fmt in FORMATS:
        options = cohort_options(fmt, start=start, tz="Europe/Paris", course_iri="https://lms.example.org/c")
        if fmt in ("ics", "csv"):
            assert options["start"] == start
            assert options["tz"] == "Europe/Paris"
        if fmt == "xapi":
            assert options["start"].hour == 9
            assert str(options["start"].tzinfo) == "Europe/Paris"
    assert "course_iri" not in cohort_options("scorm2004", course_iri="https://lms.example.org/c")
    with pytest.raises(ExportError, match="tz: unknown time zone 'Mars/Olympus'"):
        cohort_options("ics", start=start, tz="Mars/Olympus")
