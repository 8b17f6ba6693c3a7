"""Realistic legacy sources built with the real libraries (python-pptx, python-docx, matplotlib).

Each builder writes a file a designer would really bring: a workshop deck with an agenda,
objectives, speaker and facilitator notes, a hidden slide, a break and Q&A; a handbook; a
recorded session's transcript with three speakers; a SCORM 1.2 course; a PDF; a web page.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

CONCEPT_SLIDES = [
    (
        "The one-page project charter",
        "A project charter is a one-page agreement on scope, goals and sponsor.",
        "charter",
    ),
    (
        "Stakeholder mapping",
        "A stakeholder map is a grid of influence and interest for everyone the project touches.",
        "map",
    ),
    ("Risk log basics", "A risk log is a list of risks with likelihood, impact, owner and response.", "risk"),
    (
        "RAG status reports",
        "A RAG status report is a weekly red-amber-green summary that surfaces problems early.",
        "status",
    ),
]


def build_deck(path: Path, *, slides: int = 30, title: str = "Project management essentials") -> Path:
    """Build a 30-slide ILT deck (or any size >= 14): leftovers, concepts, a table, a scenario, steps."""
    from pptx import Presentation
    from pptx.util import Inches

    deck = Presentation()
    deck.core_properties.title = title
    title_layout, content_layout, title_only = deck.slide_layouts[0], deck.slide_layouts[1], deck.slide_layouts[5]

    def content(heading: str, lines: list[str], notes: str = "", bold: str | None = None) -> None:
        slide = deck.slides.add_slide(content_layout)
        slide.shapes.title.text = heading
        frame = slide.placeholders[1].text_frame
        for index, line in enumerate(lines):
            paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            if bold and bold in line:
                before, after = line.split(bold, 1)
                for text, strong in ((before, False), (bold, True), (after, False)):
                    run = paragraph.add_run()
                    run.text = text
                    run.font.bold = strong
            else:
                paragraph.text = line
        if notes:
            slide.notes_slide.notes_text_frame.text = notes

    cover = deck.slides.add_slide(title_layout)
    cover.shapes.title.text = title
    cover.placeholders[1].text = "Two-day workshop for new project leads"
    content(
        "Agenda",
        ["Welcome and introductions", "Charter and stakeholders", "Risks and status", "Q&A"],
        notes="Facilitator: keep this to two minutes.",
    )
    content("Housekeeping", ["Fire exits are at the back", "Phones on silent please"])
    content(
        "Learning objectives",
        [
            "By the end you will be able to:",
            "Write a one-page project charter",
            "Build a stakeholder map",
            "Keep a risk log",
            "Write RAG status reports",
        ],
    )
    made = 4  # cover, agenda, housekeeping, objectives
    for heading, definition, key in CONCEPT_SLIDES:
        content(
            heading,
            [
                definition,
                f"Why it matters: the {key} is the first thing sponsors ask about",
                f"Common mistake: a {key} written once and never updated",
            ],
            notes=f"Say: share a story where the {key} saved a project. Ask the group for examples.",
            bold=definition.split(" is ")[0].removeprefix("A "),
        )
        content(
            f"{heading}: worked example",
            [f"Example {key} for the office move project", f"Walk through each part of the {key}"],
            notes=f"The {key} example comes from the 2024 office move; everyone knows it.",
        )
        made += 2
    table_slide = deck.slides.add_slide(title_only)
    table_slide.shapes.title.text = "Risk rating thresholds"
    table = table_slide.shapes.add_table(4, 3, Inches(1), Inches(2), Inches(8), Inches(2)).table
    for r, row in enumerate(
        [
            ("Rating", "Likelihood", "Action"),
            ("High", "> 50%", "Escalate to sponsor"),
            ("Medium", "20-50%", "Owner reviews weekly"),
            ("Low", "< 20%", "Log and watch"),
        ]
    ):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    content(
        "Scenario: the sponsor adds a feature in week 3",
        [
            "The sponsor asks for a new report format in week 3.",
            "What would you do with your risk log and status report?",
        ],
    )
    content(
        "How to raise a change request",
        [
            "1. Log the request in the change register",
            "2. Assess impact on scope, time and cost",
            "3. Update the risk log",
            "4. Decide with the sponsor and record the decision",
        ],
    )
    content("Coffee break", ["Back in 15 minutes"])
    hidden = deck.slides.add_slide(content_layout)
    hidden.shapes.title.text = "Old template (2019)"
    hidden.placeholders[1].text = "Superseded charter template"
    hidden._element.set("show", "0")
    made += 5
    filler = 0
    while made < slides - 3:
        filler += 1
        heading, definition, key = CONCEPT_SLIDES[filler % len(CONCEPT_SLIDES)]
        content(
            f"{heading}: practice {filler}",
            [f"Pairs review each other's {key}", f"Check the {key} against the checklist"],
            notes="Timing: 10 minutes. Hand out the printed checklist.",
        )
        made += 1
    content("Section 3", [])
    content("Any questions?", ["Questions from the room", "Questions from the chat"])
    content("Thank you", ["Thanks for attending", "Please fill in the feedback survey"])
    deck.save(str(path))
    return path


def build_handbook(path: Path) -> Path:
    """Build a process handbook: headings, a numbered procedure, a reference table, bold definitions."""
    import docx

    document = docx.Document()
    document.core_properties.title = "Incident handling handbook"
    document.add_heading("Incident handling handbook", level=0)
    document.add_heading("About this handbook", level=1)
    document.add_paragraph("This handbook is for service desk staff in their first month.")
    document.add_heading("Severity levels", level=1)
    paragraph = document.add_paragraph()
    paragraph.add_run("Severity level").bold = True
    paragraph.add_run(" is a rating from 1 to 4 of an incident's business impact.")
    document.add_paragraph("Severity 1 means a service is down for all customers.")
    document.add_heading("Escalation paths", level=1)
    document.add_paragraph("An escalation path is the chain of teams that take over an incident they can fix.")
    table = document.add_table(rows=3, cols=2)
    for r, (a, b) in enumerate(
        [("Severity", "Escalate to"), ("1", "Duty manager within 15 minutes"), ("2", "Team lead within 1 hour")]
    ):
        table.cell(r, 0).text, table.cell(r, 1).text = a, b
    document.add_heading("How to log an incident", level=1)
    for step in [
        "Open a ticket in the service desk tool",
        "Record the severity level",
        "Assign the owner team",
        "Tell the customer the ticket number",
    ]:
        document.add_paragraph(step, style="List Number")
    document.add_heading("Scenario: the payment outage", level=1)
    document.add_paragraph("Payments fail at month-end for one region. What would you do first, and whom do you call?")
    document.save(str(path))
    return path


def _say(start: float, speaker: str, text: str, length: float = 18.0) -> str:
    def stamp(t: float) -> str:
        return f"{int(t // 3600):02d}:{int(t % 3600 // 60):02d}:{t % 60:06.3f}"

    return f"{stamp(start)} --> {stamp(start + length)}\n<v {speaker}>{text}\n"


TRANSCRIPT_TOPICS = {
    "intro": [
        "Welcome everyone, can everyone hear me?",
        "Let's get started in a minute.",
        "Please mute your microphones.",
        "Welcome to the session, good morning all.",
        "Screen share is coming up now.",
    ],
    "risk": [
        "The risk register lists every risk with likelihood and impact.",
        "Each risk register entry needs an owner.",
        "Review the risk register every week with the owners.",
        "A risk register entry closes when the risk is gone.",
        "Likelihood and impact give the risk register its rating.",
    ],
    "status": [
        "The weekly status report uses red amber green ratings.",
        "A status report should surface problems early.",
        "Amber in the status report means the plan needs help.",
        "Write the status report for the sponsor.",
        "Red in a status report asks the sponsor to decide.",
    ],
    "scenario": [
        "Here is a scenario: the vendor is two weeks late.",
        "What would you do first in that case?",
        "I would update the plan and call the vendor.",
        "What should the project lead tell the sponsor?",
        "I think we decide whether to cut scope or move the date.",
    ],
    "close": [
        "Any questions before we finish?",
        "Questions from the chat: none so far.",
        "Thank you all for joining today.",
        "See you next week everyone.",
    ],
}


def build_transcript(path: Path, *, minutes: int = 60) -> Path:
    """Build a recorded VILT session: intro, two teaching topics, a scenario discussion, Q&A; three speakers."""
    plan = [("intro", 0.08), ("risk", 0.35), ("status", 0.3), ("scenario", 0.17), ("close", 0.1)]
    speakers = {
        "intro": ["Ana"],
        "risk": ["Ana"],
        "status": ["Ana", "Ben"],
        "scenario": ["Ben", "Chloe", "Ana"],
        "close": ["Ana", "Chloe"],
    }
    lines = ["WEBVTT", ""]
    t = 0.0
    total = minutes * 60.0
    for topic, share in plan:
        end = t + share * total
        i = 0
        while t < end:
            sentences = TRANSCRIPT_TOPICS[topic]
            who = speakers[topic][i % len(speakers[topic])]
            lines.append(_say(t, who, sentences[i % len(sentences)]))
            t += 20.0
            i += 1
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


MANIFEST_12 = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="course" version="1.0" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="org"><organization identifier="org"><title>Data protection basics</title>
    <item identifier="i1" identifierref="r1"><title>Welcome</title></item>
    <item identifier="i2" identifierref="r2"><title>Personal data</title></item>
    <item identifier="i3" identifierref="r3"><title>Lawful basis</title></item>
    <item identifier="i4" identifierref="r4"><title>Scenario: a customer asks for their data</title></item>
  </organization></organizations>
  <resources>
    <resource identifier="r1" type="webcontent" adlcp:scormtype="sco" href="sco1/index.html"/>
    <resource identifier="r2" type="webcontent" adlcp:scormtype="sco" href="sco2/index.html"/>
    <resource identifier="r3" type="webcontent" adlcp:scormtype="sco" href="sco3/index.html"/>
    <resource identifier="r4" type="webcontent" adlcp:scormtype="sco" href="sco4/index.html"/>
  </resources>
</manifest>
"""

SCO_PAGES = {
    "sco1/index.html": "<html><head><title>Welcome</title></head><body><h1>Welcome</h1><p>Welcome to this course. "
    "Use the Next button to move on.</p></body></html>",
    "sco2/index.html": "<html><body><h1>Personal data</h1><p><b>Personal data</b> is any information that identifies "
    "a living person.</p><ul><li>Name and email</li><li>Customer number</li></ul></body></html>",
    "sco3/index.html": "<html><body><h1>Lawful basis</h1><p>A lawful basis is the legal reason for processing personal "
    "data.</p><p>Consent is one lawful basis; contract is another.</p><script>alert(1)</script></body></html>",
    "sco4/index.html": "<html><body><h1>Scenario</h1><p>A customer asks for a copy of their personal data. "
    "What would you do, and how fast?</p></body></html>",
}


def build_scorm12(path: Path, *, extra: dict[str, bytes] | None = None, manifest: str = MANIFEST_12) -> Path:
    """Build an old SCORM 1.2 course package with four SCOs."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("imsmanifest.xml", manifest)
        for name, html in SCO_PAGES.items():
            archive.writestr(name, html)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return path


def build_pdf(path: Path) -> Path:
    """Build a two-page PDF with headings and text (TrueType fonts so that the text is extractable)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure

    pages = [
        [
            "Access control policy",
            "",
            "Least privilege",
            "Least privilege means each account gets only the rights its",
            "work needs, and nothing more.",
            "Review rights every quarter.",
        ],
        [
            "Password rules",
            "A passphrase is a password of four or more random words.",
            "Use a passphrase for every",
            "system account.",
            "",
            "Quick reference: lockout after 5 failed attempts",
        ],
    ]
    with matplotlib.rc_context({"pdf.fonttype": 42}), PdfPages(path) as pdf:
        for lines in pages:
            figure = Figure(figsize=(8.27, 11.69))
            for i, line in enumerate(lines):
                figure.text(0.1, 0.9 - 0.04 * i, line, fontsize=12)
            pdf.savefig(figure)
    return path


def build_html(path: Path) -> Path:
    """Build a web page of an old intranet course."""
    path.write_text(
        "<!DOCTYPE html><html><head><title>Expense claims</title><style>p{}</style></head><body>"
        "<h1>Expense claims</h1><h2>Receipts</h2><p>A valid receipt is an itemised proof of payment with date and "
        "supplier.</p><h2>Limits per night</h2><table><tr><th>City</th><th>Limit</th></tr><tr><td>London</td>"
        "<td>GBP 180</td></tr><tr><td>Paris</td><td>EUR 170</td></tr></table>"
        "<script>document.write('x')</script></body></html>",
        encoding="utf-8",
    )
    return path
