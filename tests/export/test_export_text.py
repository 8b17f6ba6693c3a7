"""Titles and descriptions with markup characters, quotes and non-Latin scripts survive every format.

Each output is parsed back with the format's own parser and the text compared, so escaping
is checked where it matters: in what a receiving system reads.
"""

from __future__ import annotations

import csv
import html.parser
import io
import json
import zipfile
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from icalendar import Calendar

from workbench.export import export, read_json
from workbench.export.cmi5 import CMI5_NAMESPACE
from workbench.export.scorm import SCORM_NAMESPACES
from workbench.export.validate import validate
from workbench.model import Journey

TRICKY = {
    "markup": ("Q&A <script>alert(\"x\")</script> & 'quotes' ]]> &amp;", "a < b && c > d; \"q\" 'r'"),
    "japanese": ("フィードバックの「伝え方」", "日本語の説明：状況・行動・影響"),
    "arabic": ("محادثة التغذية الراجعة", "وصف باللغة العربية، مع علامات ترقيم؛ و«اقتباس»"),
    "greek": ("Ανατροφοδότηση & «συζήτηση»", "Περιγραφή: κατάσταση, συμπεριφορά, αντίκτυπος"),
    "mixed": ("Emoji 🎯 + math ∑ ≤ ∞ / back\\slash, comma; semi", "tab\tand new\nline, comma; semi: colon"),
}


def _tricky_journey(journey: Journey, title: str, description: str) -> Journey:
    journey = journey.evolve(title=title, description=description)
    for activity_id in ("quiz_1", "workshop", "job_aid"):
        journey = journey.update_activity(activity_id, title=f"{title} {activity_id}", description=description)
    return journey


class _TextOf(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.chunks: list[str] = []
        self._skip = False

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        self._skip = tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        self._skip = False

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.chunks.append(data)


def _html_text(page: bytes) -> str:
    parser = _TextOf()
    parser.feed(page.decode("utf-8"))
    return "".join(parser.chunks)


@pytest.mark.parametrize("case", sorted(TRICKY))
def test_text_survives_every_format(case: str, journey: Journey, options_for: Any) -> None:
    title, description = TRICKY[case]
    journey = _tricky_journey(journey, title, description)
    quiz_title = f"{title} quiz_1"

    # JSON
    data = export(journey, "json")
    assert read_json(data) == journey
    assert json.loads(data)["journey"]["title"] == title

    # cmi5: langstrings of course and AU, and the generated launch page
    package = export(journey, "cmi5")
    assert validate(package, "cmi5") == []
    archive = zipfile.ZipFile(io.BytesIO(package))
    root = ET.fromstring(archive.read("cmi5.xml"))
    ns = {"c": CMI5_NAMESPACE}
    assert root.findtext("c:course/c:title/c:langstring", namespaces=ns) == title
    assert root.findtext("c:course/c:description/c:langstring", namespaces=ns) == description
    au_titles = [e.text for e in root.iterfind(".//c:au/c:title/c:langstring", ns)]
    assert quiz_title in au_titles
    assert f"{title} workshop" not in au_titles  # an ILT workshop is not an AU
    page_text = _html_text(archive.read("au/quiz_1/index.html"))
    assert quiz_title in page_text
    assert description in page_text
    assert b"<script>alert" not in archive.read("au/quiz_1/index.html")

    # SCORM: item titles and launch page
    package = export(journey, "scorm2004")
    assert validate(package, "scorm2004") == []
    archive = zipfile.ZipFile(io.BytesIO(package))
    manifest = ET.fromstring(archive.read("imsmanifest.xml"))
    cp = {"cp": SCORM_NAMESPACES[""]}
    assert manifest.findtext("cp:organizations/cp:organization/cp:title", namespaces=cp) == title
    assert quiz_title in [e.text for e in manifest.iterfind(".//cp:item/cp:title", cp)]
    assert quiz_title in _html_text(archive.read("sco/quiz_1/index.html"))

    # xAPI: language maps
    statements = json.loads(export(journey, "xapi", **options_for("xapi")))
    assert validate(json.dumps(statements).encode(), "xapi") == []
    names = {s["object"]["definition"]["name"]["en"] for s in statements}
    assert quiz_title in names
    quiz = next(s for s in statements if s["object"]["id"].endswith("/quiz_1"))
    assert quiz["object"]["definition"]["description"]["en"] == description

    # iCalendar: SUMMARY and DESCRIPTION unescaped by the parser
    ics = export(journey, "ics", **options_for("ics"))
    assert validate(ics, "ics") == []
    events = {str(e["SUMMARY"]): str(e["DESCRIPTION"]) for e in Calendar.from_ical(ics).walk("VEVENT")}
    assert events[quiz_title] == description

    # CSV
    rows = list(csv.DictReader(io.StringIO(export(journey, "csv").decode("utf-8"), newline="")))
    assert next(r for r in rows if r["activity_id"] == "quiz_1")["title"] == quiz_title
