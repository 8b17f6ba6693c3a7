"""What each format says about the journey, and that the validators catch what the XSDs miss."""

from __future__ import annotations

import csv
import io
import json
import posixpath
import re
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from icalendar import Calendar
from lxml import etree

from workbench.export import export, sample_statements, statement_templates, to_cmi5_xml, to_csv, to_ics
from workbench.export.cmi5 import CMI5_NAMESPACE
from workbench.export.validate import (
    validate_cmi5_package,
    validate_cmi5_xml,
    validate_ics,
    validate_scorm_manifest,
    validate_scorm_package,
    validate_xapi_statements,
)
from workbench.model import Journey

NS = {"c": CMI5_NAMESPACE}
COURSE = "https://workbench.example/courses/post_training_retention"


def _cmi5_root(journey: Journey, **options: Any) -> ET.Element:
    return ET.fromstring(to_cmi5_xml(journey, **options))


# ---- cmi5 --------------------------------------------------------------------------------------


def test_cmi5_structure(journey: Journey) -> None:
    root = _cmi5_root(journey)
    assert root.find("c:course", NS).get("id") == COURSE  # type: ignore[union-attr]
    blocks = [b.get("id") for b in root.findall("c:block", NS)]
    assert blocks == [f"{COURSE}/blocks/{layer}" for layer in ("before", "after", "work")]
    aus = {au.get("id", "").rsplit("/", 1)[-1]: au for au in root.iter(f"{{{CMI5_NAMESPACE}}}au")}
    # ILT workshop and manager prompt are not launchable: not AUs
    assert set(aus) == {"primer", "recap", "quiz_1", "scenario_1", "quiz_2", "refresher", "quiz_3", "job_aid"}
    assert aus["quiz_1"].get("moveOn") == "Completed"
    assert aus["job_aid"].get("moveOn") == "NotApplicable"  # optional: never blocks the course
    assert aus["quiz_1"].get("activityType") == "http://adlnet.gov/expapi/activities/assessment"
    refs = [o.get("idref") for o in aus["quiz_1"].findall("c:objectives/c:objective", NS)]
    assert refs == [f"{COURSE}/objectives/sbi_model", f"{COURSE}/objectives/ask_first"]
    assert aus["quiz_1"].findtext("c:url", namespaces=NS) == "au/quiz_1/index.html"


def test_cmi5_mastery_score_and_options(journey: Journey) -> None:
    journey = journey.update_activity("quiz_1", mastery_score=0.123456)
    root = _cmi5_root(
        journey,
        course_iri="https://lms.example.org/c/feedback/",
        assessed_move_on="CompletedOrPassed",
        launch_method="OwnWindow",
        launch_base="https://cdn.example.org/feedback",
    )
    quiz = next(a for a in root.iter(f"{{{CMI5_NAMESPACE}}}au") if a.get("id", "").endswith("/quiz_1"))
    assert quiz.get("id") == "https://lms.example.org/c/feedback/activities/quiz_1"
    assert quiz.get("masteryScore") == "0.1235"  # rounded to the 4 decimals cmi5 allows
    assert quiz.get("moveOn") == "CompletedOrPassed"
    assert quiz.get("launchMethod") == "OwnWindow"
    assert quiz.findtext("c:url", namespaces=NS) == "https://cdn.example.org/feedback/au/quiz_1/index.html"
    assert validate_cmi5_xml(to_cmi5_xml(journey, launch_base="https://cdn.example.org/f")) == []


def test_cmi5_au_with_url_launches_it_and_needs_no_page(journey: Journey) -> None:
    journey = journey.update_activity("quiz_1", url="https://content.example.org/quiz?x=1&y=2")
    package = export(journey, "cmi5")
    archive = zipfile.ZipFile(io.BytesIO(package))
    assert "au/quiz_1/index.html" not in archive.namelist()
    root = ET.fromstring(archive.read("cmi5.xml"))
    urls = [u.text for u in root.iterfind(".//c:au/c:url", NS)]
    assert "https://content.example.org/quiz?x=1&y=2" in urls
    assert validate_cmi5_package(package) == []


def test_cmi5_lxml_second_opinion(journey: Journey, standards: Path) -> None:
    schema = etree.XMLSchema(etree.parse(str(standards / "cmi5" / "CourseStructure.xsd")))
    assert schema.validate(etree.fromstring(to_cmi5_xml(journey))), schema.error_log


def test_packaged_cmi5_xsd_is_the_official_one(standards: Path) -> None:
    packaged = Path(__file__).resolve().parents[2] / "src/workbench/export/schemas/cmi5/CourseStructure.xsd"
    assert packaged.read_bytes() == (standards / "cmi5" / "CourseStructure.xsd").read_bytes()


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("journey-valid.cmi5.xml", None),
        ("journey-invalid-xsd.cmi5.xml", "moveOn"),
        ("journey-xsd-valid-but-spec-invalid.cmi5.xml", "used 2 times"),
    ],
)
def test_cmi5_validator_on_shared_fixtures(fixture: str, expected: str | None, standards: Path) -> None:
    data = (standards / "cmi5" / "fixtures" / fixture).read_bytes()
    problems = validate_cmi5_xml(data, package_files=["au/intro/index.html", "au/quiz/index.html"])
    if expected is None:
        assert problems == []
    else:
        assert any(expected in p for p in problems), problems
    if fixture.startswith("journey-xsd-valid"):
        text = "\n".join(problems)
        assert "idref" in text
        assert "4 decimal" in text


def test_cmi5_standalone_needs_absolute_urls(journey: Journey) -> None:
    problems = validate_cmi5_xml(to_cmi5_xml(journey))
    assert problems
    assert all("relative" in p for p in problems)


# ---- SCORM -------------------------------------------------------------------------------------


XS = "{http://www.w3.org/2001/XMLSchema}"
SCORM_SHIPPED = Path(__file__).resolve().parents[2] / "src/workbench/export/schemas/scorm2004"


def _needed_by(name: str, data: bytes) -> list[str]:
    """List what a control document pulls in: schema includes/imports/redefines, quoted DTD names.

    Written apart from the exporter's own walk, so the test does not check the code with itself.
    An absolute location (the XML namespace from w3.org) must have its local copy beside it.
    """
    base = posixpath.dirname(name)
    locations = re.findall(rb"""["']([^"'\s]+\.dtd)["']""", data)
    found = [posixpath.normpath(posixpath.join(base, loc.decode())) for loc in locations]
    if name.endswith(".xsd"):
        tree = etree.fromstring(data, etree.XMLParser(no_network=True, load_dtd=False, resolve_entities=False))
        for child in tree:
            if child.tag in (f"{XS}include", f"{XS}import", f"{XS}redefine") and child.get("schemaLocation"):
                location = child.get("schemaLocation")
                local = location.rsplit("/", 1)[-1] if "://" in location else location
                found.append(posixpath.normpath(posixpath.join(base, local)))
    return found


def test_scorm_package_holds_every_control_document_its_manifest_references(journey: Journey) -> None:
    archive = zipfile.ZipFile(io.BytesIO(export(journey, "scorm2004")))
    names = set(archive.namelist())
    manifest = etree.fromstring(archive.read("imsmanifest.xml"))
    pairs = manifest.get("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation").split()
    todo = pairs[1::2]
    assert len(todo) == 5
    checked: set[str] = set()
    while todo:
        name = todo.pop()
        if name in checked:
            continue
        assert name in names, f"{name} is referenced but not in the package"
        checked.add(name)
        todo += _needed_by(name, archive.read(name))
    # the schemas, the sequencing includes, the XML namespace schema and the two DTDs it names
    assert {"imscp_v1p1.xsd", "imsss_v1p0util.xsd", "xml.xsd", "XMLSchema.dtd", "datatypes.dtd"} <= checked
    for name in checked:  # exact copies of the shipped set
        assert archive.read(name) == (SCORM_SHIPPED / name).read_bytes(), name


def test_shipped_scorm_set_is_the_official_one(standards: Path) -> None:
    official = standards / "scorm2004-4ed"
    expected = sorted(p.relative_to(official) for p in official.rglob("*") if p.suffix in (".xsd", ".dtd"))
    expected = [p for p in expected if p.parts[0] != "fixtures"]
    shipped = sorted(p.relative_to(SCORM_SHIPPED) for p in SCORM_SHIPPED.rglob("*") if p.suffix in (".xsd", ".dtd"))
    assert shipped == expected
    for relative in shipped:
        assert (SCORM_SHIPPED / relative).read_bytes() == (official / relative).read_bytes(), relative
    assert "Creative Commons" in (SCORM_SHIPPED / "NOTICE").read_text(encoding="utf-8")


def test_scorm_manifest_validates_with_lxml_against_the_package_own_copies(journey: Journey, tmp_path: Path) -> None:
    # a second validator, fed only what the package holds: the package is self-contained
    zipfile.ZipFile(io.BytesIO(export(journey, "scorm2004"))).extractall(tmp_path)
    pairs = [
        ("http://www.w3.org/XML/1998/namespace", "xml.xsd"),
        ("http://www.imsglobal.org/xsd/imscp_v1p1", "imscp_v1p1.xsd"),
        ("http://www.adlnet.org/xsd/adlcp_v1p3", "adlcp_v1p3.xsd"),
        ("http://www.adlnet.org/xsd/adlseq_v1p3", "adlseq_v1p3.xsd"),
        ("http://www.adlnet.org/xsd/adlnav_v1p3", "adlnav_v1p3.xsd"),
        ("http://www.imsglobal.org/xsd/imsss", "imsss_v1p0.xsd"),
    ]
    imports = "".join(f'<xs:import namespace="{ns}" schemaLocation="{(tmp_path / f).as_uri()}"/>' for ns, f in pairs)
    driver = (
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:x-driver">'
        + imports
        + "</xs:schema>"
    )
    schema = etree.XMLSchema(etree.fromstring(driver.encode(), etree.XMLParser(no_network=True)))
    manifest = (tmp_path / "imsmanifest.xml").read_bytes()
    assert schema.validate(etree.fromstring(manifest)), schema.error_log


def test_scorm_validator_catches_what_the_xsd_misses(journey: Journey) -> None:
    manifest = zipfile.ZipFile(io.BytesIO(export(journey, "scorm2004"))).read("imsmanifest.xml").decode()
    assert validate_scorm_manifest(manifest) == []
    broken = manifest.replace('identifierref="res.quiz_1"', 'identifierref="res.nowhere"')
    broken = broken.replace("<schemaversion>2004 4th Edition</schemaversion>", "")
    problems = validate_scorm_manifest(broken, package_files=["imsmanifest.xml"])
    text = "\n".join(problems)
    assert "schemaversion" in text
    assert "res.nowhere" in text
    assert "not in the package" in text
    assert "control document 'imsss_v1p0util.xsd' is not in the package" in text
    bad_type = manifest.replace('adlcp:scormType="sco"', 'adlcp:scormType="lesson"', 1)
    assert any("scormType" in p for p in validate_scorm_manifest(bad_type))


def test_scorm_package_without_its_control_documents_is_invalid(journey: Journey) -> None:
    archive = zipfile.ZipFile(io.BytesIO(export(journey, "scorm2004")))
    kept = [(n, archive.read(n)) for n in archive.namelist() if n != "xml.xsd"]
    stripped = io.BytesIO()
    with zipfile.ZipFile(stripped, "w") as out:
        for name, data in kept:
            out.writestr(name, data)
    assert validate_scorm_package(export(journey, "scorm2004")) == []
    assert validate_scorm_package(stripped.getvalue()) == [
        "imsmanifest.xml: control document 'xml.xsd' is not in the package; a SCORM package holds every "
        "XSD/DTD its manifest references (export with workbench to include them)"
    ]


def test_scorm_mastery_score_becomes_primary_objective(journey: Journey) -> None:
    journey = journey.update_activity("quiz_2", mastery_score=0.75)
    manifest = zipfile.ZipFile(io.BytesIO(export(journey, "scorm2004"))).read("imsmanifest.xml")
    assert b"<imsss:minNormalizedMeasure>0.75</imsss:minNormalizedMeasure>" in manifest


# ---- xAPI --------------------------------------------------------------------------------------


def test_statement_templates(journey: Journey) -> None:
    templates = {t["activity_id"]: t for t in statement_templates(journey)}
    assert templates["workshop"]["cmi5"] is False
    assert [v["id"] for v in templates["workshop"]["verbs"]] == ["http://adlnet.gov/expapi/verbs/attended"]
    recap = templates["recap"]
    assert recap["object"]["id"] == f"{COURSE}/activities/recap"
    assert recap["context"]["contextActivities"]["grouping"] == [
        {"objectType": "Activity", "id": f"{COURSE}/activities/recap"}
    ]


def test_verbs_come_from_the_cmi5_vocabulary(journey: Journey, standards: Path) -> None:
    vocabulary = json.loads((standards / "xapi" / "cmi5-vocabulary.json").read_text(encoding="utf-8"))
    cmi5_verbs = {v["id"] for v in vocabulary["verbs"].values()}
    journey = journey.update_activity("quiz_1", mastery_score=0.8)
    used = {v["id"] for t in statement_templates(journey) if t["cmi5"] for v in t["verbs"]}
    assert used <= cmi5_verbs
    assert vocabulary["contextActivities"]["categoryCmi5"]["id"] in json.dumps(statement_templates(journey))


def test_sample_statements_follow_cmi5(journey: Journey) -> None:
    journey = journey.update_activity("quiz_1", mastery_score=0.8)
    start = datetime(2026, 3, 2, 9, tzinfo=ZoneInfo("America/New_York"))
    statements = sample_statements(journey, 6, start=start, rng=3, completion_rate=1.0)
    assert validate_xapi_statements(statements) == []
    registrations = {s["context"]["registration"] for s in statements}
    assert len(registrations) == 6
    verbs = {s["verb"]["display"]["en-US"] for s in statements}
    assert {"initialized", "completed", "terminated", "attended", "experienced"} <= verbs
    assert verbs & {"passed", "failed"}
    scored = [s for s in statements if s["verb"]["display"]["en-US"] in ("passed", "failed")]
    assert all(s["result"]["score"]["scaled"] >= 0.8 for s in scored if s["result"]["success"])
    workshop = next(s for s in statements if s["object"]["id"].endswith("/workshop"))
    moment = datetime.fromisoformat(workshop["timestamp"].replace("Z", "+00:00")).astimezone(start.tzinfo)
    assert moment.date() == date(2026, 3, 2)
    assert 9 <= moment.hour < 18
    assert statements == sample_statements(journey, 6, start=start, rng=3, completion_rate=1.0)


def test_statements_share_no_mutable_parts(journey: Journey) -> None:
    """Editing one generated statement (as an anonymiser would) must not change any other."""
    start = datetime(2026, 3, 2, 9, tzinfo=ZoneInfo("UTC"))
    statements = sample_statements(journey, 2, start=start, rng=3, completion_rate=1.0)
    before = json.dumps(statements[1:])
    first = statements[0]
    first["verb"]["display"]["en-US"] = "edited"
    first["object"]["definition"] = {}
    first["actor"]["account"]["name"] = "edited"
    for parents in first["context"]["contextActivities"].values():
        parents.clear()
    assert json.dumps(statements[1:]) == before
    assert statements[1:] == sample_statements(journey, 2, start=start, rng=3, completion_rate=1.0)[1:]


def test_xapi_validator_rejects_the_shared_invalid_fixtures(standards: Path) -> None:
    fixtures = json.loads((standards / "xapi" / "fixtures" / "invalid-statements.json").read_text())
    valid = json.loads((standards / "xapi" / "fixtures" / "journey-au-completed.statement.json").read_text())
    assert validate_xapi_statements([valid]) == []
    base = validate_xapi_statements([fixtures["valid_base"]])
    assert base == ["statement 0: actor must be an Agent identified by an account (cmi5 9.2)"]
    for case in fixtures["cases"]:
        problems = validate_xapi_statements([case["statement"]])
        assert any(p not in base for p in problems), case["name"]
        assert any("xAPI strict model" in p for p in problems), case["name"]


def test_xapi_validator_applies_cmi5_rules(journey: Journey) -> None:
    statements = sample_statements(journey, 1, start=datetime(2026, 3, 2, 9, tzinfo=ZoneInfo("UTC")), rng=0)
    completed = next(s for s in statements if s["verb"]["display"]["en-US"] == "completed")
    wrong = json.loads(json.dumps(completed))
    wrong["timestamp"] = "2026-03-02T10:00:00+02:00"
    wrong["result"]["score"] = {"scaled": 0.5}
    del wrong["result"]["duration"]
    text = "\n".join(validate_xapi_statements([wrong]))
    assert "UTC" in text
    assert "score" in text
    assert "duration" in text


# ---- iCalendar ---------------------------------------------------------------------------------


def test_ics_events(journey: Journey) -> None:
    stamp = datetime(2026, 2, 1, 12, tzinfo=ZoneInfo("UTC"))
    ics = to_ics(journey, start=date(2026, 3, 2), tz="Europe/Paris", at="08:30", dtstamp=stamp, reminder_min=10)
    assert validate_ics(ics) == []
    calendar = Calendar.from_ical(ics)
    assert [str(t["TZID"]) for t in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert "Feedback conversation checklist" not in events  # on demand: not an event
    workshop = events["Feedback conversations workshop"]
    assert workshop["DTSTART"].dt == datetime(2026, 3, 2, 8, 30, tzinfo=ZoneInfo("Europe/Paris"))
    assert workshop["DURATION"].dt == timedelta(minutes=300)
    assert workshop["DTSTAMP"].dt == stamp
    quiz_3 = events["Recall: the whole conversation"]  # day 75, after the switch to summer time
    assert quiz_3["DTSTART"].dt.utcoffset() == timedelta(hours=2)
    alarm = workshop.walk("VALARM")[0]
    assert alarm["TRIGGER"].dt == timedelta(minutes=-10)


def test_ics_workdays_only_moves_weekends_to_monday(journey: Journey) -> None:
    # 2026-03-06 is a Friday: recap (day 1) and quiz_1 (day 3) fall on Saturday and Monday
    plain = Calendar.from_ical(to_ics(journey, start=date(2026, 3, 6), tz="Europe/Paris"))
    moved = Calendar.from_ical(to_ics(journey, start=date(2026, 3, 6), tz="Europe/Paris", workdays_only=True))
    days = {str(e["SUMMARY"]): e["DTSTART"].dt.date() for e in plain.walk("VEVENT")}
    shifted = {str(e["SUMMARY"]): e["DTSTART"].dt.date() for e in moved.walk("VEVENT")}
    recap = "The four moves of a feedback conversation"
    assert days[recap] == date(2026, 3, 7)
    assert shifted[recap] == date(2026, 3, 9)
    assert all(d.weekday() < 5 for d in shifted.values())


def test_ics_uids_differ_per_cohort(journey: Journey) -> None:
    def uids(cohort: str) -> set[str]:
        ics = to_ics(journey, start=date(2026, 3, 2), tz="UTC", cohort=cohort)
        return {str(e["UID"]) for e in Calendar.from_ical(ics).walk("VEVENT")}

    assert uids("a") == uids("a")
    assert not uids("a") & uids("b")


def test_ics_validator_reports_missing_properties() -> None:
    text = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nSUMMARY:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    problems = validate_ics(text)
    assert "VCALENDAR: PRODID is required" in problems
    assert {"VEVENT 0: UID is required", "VEVENT 0: DTSTAMP is required"} <= set(problems)


# ---- CSV ---------------------------------------------------------------------------------------


def _rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def test_csv_rows_per_cohort(journey: Journey) -> None:
    data = to_csv(journey, cohorts={"march": date(2026, 3, 2), "april": date(2026, 4, 6)}, tz="Europe/Berlin")
    rows = _rows(data)
    assert data.endswith(b"\r\n")
    assert len(rows) == 2 * len(journey.activities)
    assert [r["cohort"] for r in rows[:1]] == ["march"]
    assert rows[-1]["cohort"] == "april"
    workshop = next(r for r in rows if r["activity_id"] == "workshop" and r["cohort"] == "april")
    assert (workshop["day"], workshop["date"], workshop["local_time"]) == ("0", "2026-04-06", "09:00")
    job_aid = next(r for r in rows if r["activity_id"] == "job_aid")
    assert (job_aid["day"], job_aid["date"]) == ("", "")


def test_csv_without_start_is_in_days(journey: Journey) -> None:
    rows = _rows(to_csv(journey, include_on_demand=False))
    assert [r["day"] for r in rows][:3] == ["-3", "0", "1"]
    assert all(r["date"] == "" for r in rows)


def test_csv_per_learner_schedule(journey: Journey) -> None:
    frame = pd.DataFrame(
        {
            "learner_id": ["b", "a", "a", "b"],
            "activity_id": ["quiz_1", "quiz_2", "quiz_1", "workshop"],
            "day": [5.0, 20.0, 3.0, 0.0],
        }
    )
    rows = _rows(to_csv(journey, start=date(2026, 3, 2), tz="UTC", learner_schedule=frame))
    assert [(r["learner_id"], r["activity_id"], r["date"]) for r in rows] == [
        ("a", "quiz_1", "2026-03-05"),
        ("a", "quiz_2", "2026-03-22"),
        ("b", "workshop", "2026-03-02"),
        ("b", "quiz_1", "2026-03-07"),
    ]


def test_csv_excel_safe(journey: Journey) -> None:
    journey = journey.update_activity("quiz_1", title="=HYPERLINK(1)")
    rows = _rows(to_csv(journey, excel_safe=True))
    assert next(r for r in rows if r["activity_id"] == "quiz_1")["title"] == "'=HYPERLINK(1)"
