"""Titles, stems, choices and feedback are text, never markup, in every exported page.

Every text field of a quiz and of a plain activity gets ``<script>`` and attribute-breaking
payloads; the exported SCORM and cmi5 pages must show them literally, run none of them, and
carry a Content-Security-Policy that allows no other script.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from workbench.export import export
from workbench.model import Journey
from workbench.templates import load_template

pytestmark = [pytest.mark.browser, pytest.mark.delivery]

SCRIPT = "<script>window.pwned=1</script>"
ATTRIBUTE = '"><img src=x onerror="window.pwned=2">'


def payload(field: str) -> str:
    return f"{field} {SCRIPT} {ATTRIBUTE} </script><!--"


def hostile_journey() -> Journey:
    journey = load_template("post_training_retention")
    quiz = journey.activity("quiz_2")
    items = [
        {
            "id": item.id,
            "concept": item.concept,
            "type": item.type,
            "stem": payload("stem"),
            "feedback": payload("feedback"),
            **(
                {"accepted": [payload("accepted")]}
                if item.type == "free_text"
                else {
                    "choices": [
                        {"text": payload(f"choice{i}"), "correct": c.correct, "feedback": payload(f"why{i}")}
                        for i, c in enumerate(item.choices)
                    ]
                }
            ),
        }
        for item in quiz.items
    ]
    return (
        journey.update_activity("quiz_2", title=payload("title"), description=payload("description"), items=items)
        .update_activity("recap", title=payload("recap title"), description=payload("recap description"))
        .evolve(title=payload("journey"))
    )


@pytest.mark.parametrize("format", ["scorm2004", "cmi5"])
def test_payloads_are_shown_as_text(format: str, page: Any, serve_dir: Any, tmp_path: Path) -> None:
    journey = hostile_journey()
    zipfile.ZipFile(io.BytesIO(export(journey, format))).extractall(tmp_path)
    folder = "sco" if format == "scorm2004" else "au"
    base = serve_dir(tmp_path)
    quiz = journey.activity("quiz_2")

    for activity_id in ("recap", "quiz_2"):  # the quiz last: its page stays open
        raw = (tmp_path / folder / activity_id / "index.html").read_text("utf-8")
        assert "<script>window.pwned" not in raw
        assert "<img" not in raw
        policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', raw)
        assert policy is not None
        assert "default-src 'none'" in policy.group(1)
        assert "unsafe-inline" not in policy.group(1)
        assert "unsafe-eval" not in policy.group(1)

        page.goto(f"{base}/{folder}/{activity_id}/index.html")
        title = payload("title" if activity_id == "quiz_2" else "recap title")
        expect(page.locator("h1")).to_have_text(title)
        assert page.title() == title
        expect(page.locator(".description")).to_contain_text(SCRIPT)

    # the quiz page: stems, choices and feedback, typed by the script, stay text too
    expect(page.locator("legend").first).to_contain_text(payload("stem"))
    expect(page.locator("#item1 label").first).to_have_text(payload("choice0"))
    page.locator("#item1 input").nth(quiz.items[0].correct_indices[0]).check()
    page.locator("#item1 button").click()
    expect(page.locator("#item1-feedback")).to_contain_text(payload("feedback"))
    assert page.evaluate("() => window.pwned") is None
    assert page.locator("img").count() == 0
    assert not [e for e in page.errors if "pwned" in e]
