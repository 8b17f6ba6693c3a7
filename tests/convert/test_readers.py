"""Readers: every format into the outline model, with provenance."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.convert import BlockKind, read_source
from workbench.errors import SourceError


def test_deck_keeps_slide_order_titles_notes_tables_and_hidden_slides(legacy: dict[str, Path]) -> None:
    outline = read_source(legacy["deck"])
    assert outline.format == "pptx"
    assert outline.title == "Project management essentials"
    assert len(outline.sections) == 30
    titles = [s.title for s in outline.sections]
    assert titles[:4] == ["Project management essentials", "Agenda", "Housekeeping", "Learning objectives"]
    assert [s.provenance.locator for s in outline.sections[:3]] == ["slide 1", "slide 2", "slide 3"]
    charter = outline.sections[4]
    assert charter.title == "The one-page project charter"
    assert "The one-page project charter" not in [b.text for b in charter.blocks]  # the title is not a block
    assert any(b.kind is BlockKind.NOTE and b.provenance.locator == "slide 5 notes" for b in charter.blocks)
    assert charter.blocks[0].emphasis == ("project charter",)  # the bold run
    table = next(s for s in outline.sections if s.title == "Risk rating thresholds")
    rows = [b.text for b in table.blocks if b.kind is BlockKind.TABLE]
    assert rows[0] == "Rating | Likelihood | Action"
    assert len(rows) == 4
    hidden = [s.title for s in outline.sections if s.hidden]
    assert hidden == ["Old template (2019)"]
    assert "1 hidden slide(s) read but not converted" in outline.notes
    assert outline.source_minutes == pytest.approx(3.0 * 29)  # visible slides at 3 minutes


def test_handbook_sections_lists_tables_and_bold_terms(legacy: dict[str, Path]) -> None:
    outline = read_source(legacy["handbook"])
    assert outline.title == "Incident handling handbook"
    titles = [s.title for s in outline.sections]
    assert titles == [
        "About this handbook",
        "Severity levels",
        "Escalation paths",
        "How to log an incident",
        "Scenario: the payment outage",
    ]
    severity = next(s for s in outline.sections if s.title == "Severity levels")
    assert "Severity level" in severity.blocks[0].emphasis
    steps = next(s for s in outline.sections if s.title == "How to log an incident")
    assert [b.text[:3] for b in steps.blocks] == ["1. ", "2. ", "3. ", "4. "]
    assert all(b.kind is BlockKind.BULLET for b in steps.blocks)
    paths = next(s for s in outline.sections if s.title == "Escalation paths")
    assert any(b.kind is BlockKind.TABLE and b.text == "1 | Duty manager within 15 minutes" for b in paths.blocks)
    assert "section" in paths.provenance.locator


def test_transcript_cues_speakers_and_times(legacy: dict[str, Path]) -> None:
    outline = read_source(legacy["transcript"])
    assert outline.format == "transcript"
    cues = [b for s in outline.sections for b in s.blocks]
    assert {c.speaker for c in cues} == {"Ana", "Ben", "Chloe"}
    assert cues[0].start_s == 0.0
    assert cues[0].text.startswith("Welcome everyone")
    assert cues[0].provenance.locator == "0:00:00-0:00:18"
    assert outline.source_minutes == pytest.approx(60.3, abs=0.5)
    # consecutive cues of one speaker form one turn
    assert all(len({b.speaker for b in s.blocks}) == 1 for s in outline.sections)


def test_srt_speaker_prefixes(tmp_path: Path) -> None:
    srt = tmp_path / "call.srt"
    srt.write_text(
        "1\n00:00:01,000 --> 00:00:04,000\nDana: The escalation path starts at the duty manager.\n\n"
        "2\n00:00:05,000 --> 00:00:08,000\nEli: And after 15 minutes?\n",
        encoding="utf-8",
    )
    cues = [b for s in read_source(srt).sections for b in s.blocks]
    assert [(c.speaker, c.text[:7]) for c in cues] == [("Dana", "The esc"), ("Eli", "And aft")]


def test_scorm_package_items_and_page_text(legacy: dict[str, Path]) -> None:
    outline = read_source(legacy["scorm"])
    assert outline.format == "scorm"
    assert outline.title == "Data protection basics"
    assert "read as SCORM 1.2" in outline.notes
    assert [s.title for s in outline.sections] == [
        "Welcome",
        "Personal data",
        "Lawful basis",
        "Scenario: a customer asks for their data",
    ]
    lawful = outline.sections[2]
    assert lawful.provenance.locator == "SCO 'i3' (sco3/index.html)"
    texts = " ".join(b.text for b in lawful.blocks)
    assert "legal reason" in texts
    assert "alert" not in texts


def test_cmi5_package(tmp_path: Path) -> None:
    import zipfile

    package = tmp_path / "course.zip"
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr(
            "cmi5.xml",
            '<?xml version="1.0"?><courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">'
            '<course id="https://example.org/c"><title><langstring lang="en">Fire safety</langstring></title>'
            "<description><langstring>d</langstring></description></course>"
            '<au id="https://example.org/au1"><title><langstring lang="en">Extinguisher types</langstring></title>'
            "<description><langstring>x</langstring></description><url>au1/index.html</url></au>"
            "</courseStructure>",
        )
        archive.writestr(
            "au1/index.html", "<html><body><p>A CO2 extinguisher is the one for electrical fires.</p></body></html>"
        )
    outline = read_source(package)
    assert outline.format == "cmi5"
    assert outline.title == "Fire safety"
    assert outline.sections[0].title == "Extinguisher types"
    assert "CO2 extinguisher" in outline.sections[0].blocks[0].text


def test_pdf_and_html(legacy: dict[str, Path]) -> None:
    pdf = read_source(legacy["pdf"])
    assert pdf.title == "Access control policy"
    assert "Least privilege" in [s.title for s in pdf.sections]
    assert {s.provenance.locator for s in pdf.sections} <= {"page 1", "page 2"}
    html = read_source(legacy["html"])
    assert html.title == "Expense claims"
    limits = next(s for s in html.sections if s.title == "Limits per night")
    assert [b.text for b in limits.blocks if b.kind is BlockKind.TABLE][1] == "London | GBP 180"
    assert all("document.write" not in b.text for s in html.sections for b in s.blocks)


def test_markdown_lists_tables_and_line_locators(tmp_path: Path) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text(
        "# Course\n\n## Steps\n\n1. Open the form\n2. Sign it\n\n"
        "## Codes\n\n| Code | Meaning |\n|---|---|\n| A1 | Approved |\n",
        encoding="utf-8",
    )
    outline = read_source(notes)
    title, steps, codes = outline.sections
    assert (title.title, title.blocks) == ("Course", ())
    assert [b.text for b in steps.blocks] == ["1. Open the form", "2. Sign it"]
    assert [b.text for b in codes.blocks] == ["Code | Meaning", "A1 | Approved"]
    assert steps.provenance.locator == "line 3"


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("deck.key", b"x", "unknown source type '.key'"),
        ("deck.pptm", b"x", "macro-enabled"),
        ("notes.md", "caf\u00e9".encode("latin-1"), "not UTF-8"),  # codespell:ignore
        ("deck.pptx", b"not a zip at all", "not a readable ZIP"),
        ("empty.docx", b"", "the file is empty"),
        ("course.zip", b"PK\x05\x06" + b"\x00" * 18, "neither imsmanifest.xml"),
    ],
)
def test_bad_sources_name_the_file_and_a_fix(tmp_path: Path, name: str, content: bytes, fragment: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(SourceError, match=fragment) as info:
        read_source(path)
    assert str(path) in str(info.value)
