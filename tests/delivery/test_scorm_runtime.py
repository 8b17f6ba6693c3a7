"""Exported SCORM 2004 packages run in a real runtime: scorm-again (npm) as ``API_1484_11``.

A small LMS page (``lms.html``) creates one scorm-again ``Scorm2004API`` per launch and opens a
SCO of the exported package in an iframe; Playwright (Debian Chromium) answers the items, one
right and one wrong, and the test reads the runtime's CMI data model.
"""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from delivery.support import HERE, quiz_journey
from workbench.export import export
from workbench.model import Journey

pytestmark = [pytest.mark.browser, pytest.mark.delivery]


def unpack(journey: Journey, root: Path, runtime: Path) -> None:
    zipfile.ZipFile(io.BytesIO(export(journey, "scorm2004"))).extractall(root / "pkg")
    shutil.copy(HERE / "lms.html", root / "lms.html")
    shutil.copytree(runtime, root / "runtime")


def launch(page: Any, base: str, activity_id: str, passing: float | None, previous: Any = None) -> Any:
    page.goto(f"{base}/lms.html")
    page.evaluate(
        "([href, passing, previous]) => launch(href, passing, previous)",
        [f"pkg/sco/{activity_id}/index.html", passing, previous],
    )
    frame = page.frame_locator("#sco")
    frame.locator("h1").wait_for()
    return frame


def answer(frame: Any, number: int, *, right: bool, item: Any) -> None:
    fieldset = frame.locator(f"#item{number}")
    if item.type == "free_text":
        fieldset.locator("input[type=text]").fill(item.accepted[0] if right else "no idea")
    else:
        wanted = item.correct_indices[0] if right else next(i for i, c in enumerate(item.choices) if not c.correct)
        # keyboard, as a learner without a mouse would: focus the choice, select it with Space
        fieldset.locator("input").nth(wanted).focus()
        fieldset.locator("input").nth(wanted).press("Space")
    fieldset.locator("button").press("Enter")


def cmi_of(page: Any) -> dict[str, Any]:
    """Return what the LMS kept at Terminate; scorm-again's JSON has ``{"0": ...}`` for arrays: made lists."""
    page.wait_for_function("() => window.lms.terminated > 0")
    lms = dict(page.evaluate("() => window.lms"))
    interactions = lms["cmi"]["interactions"]
    lms["interactions"] = [interactions[k] for k in sorted(interactions, key=int)]
    return lms


def objective_and_pattern(interaction: dict[str, Any]) -> tuple[str, str]:
    return interaction["objectives"]["0"]["id"], interaction["correct_responses"]["0"]["pattern"]


def test_quiz_sco_records_interactions_score_and_success(
    browser: Any, page: Any, scorm_runtime: Path, serve_dir: Any, tmp_path: Path
) -> None:
    journey = quiz_journey()
    quiz = journey.activity("quiz_1")
    unpack(journey, tmp_path, scorm_runtime)
    base = serve_dir(tmp_path)

    frame = launch(page, base, "quiz_1", quiz.mastery_score)
    answer(frame, 1, right=True, item=quiz.items[0])
    answer(frame, 2, right=False, item=quiz.items[1])
    frame.locator("#leave").click()
    lms = cmi_of(page)
    cmi = lms["cmi"]

    assert lms["errors"] == []
    assert page.errors == []
    assert lms["terminated"] == 1
    interactions = lms["interactions"]
    assert [i["id"] for i in interactions] == [item.id for item in quiz.items]
    assert [i["result"] for i in interactions] == ["correct", "incorrect"]
    assert [objective_and_pattern(i)[0] for i in interactions] == [item.concept for item in quiz.items]
    assert [i["type"] for i in interactions] == ["choice", "choice"]
    assert interactions[0]["learner_response"] == objective_and_pattern(interactions[0])[1] == "a"
    assert interactions[1]["learner_response"] not in ("", objective_and_pattern(interactions[1])[1])
    assert all(i["timestamp"] for i in interactions)
    assert cmi["score"]["scaled"] == "0.5"
    assert cmi["score"]["raw"] == "1"
    assert cmi["score"]["max"] == "2"
    assert cmi["success_status"] == "passed"  # 0.5 >= mastery 0.5
    assert cmi["completion_status"] == "completed"
    assert cmi["exit"] == "normal"
    assert cmi["session_time"].startswith("PT")


def test_below_mastery_fails(browser: Any, page: Any, scorm_runtime: Path, serve_dir: Any, tmp_path: Path) -> None:
    journey = quiz_journey().update_activity("quiz_1", mastery_score=0.75)
    quiz = journey.activity("quiz_1")
    unpack(journey, tmp_path, scorm_runtime)
    frame = launch(page, serve_dir(tmp_path), "quiz_1", 0.75)
    answer(frame, 1, right=True, item=quiz.items[0])
    answer(frame, 2, right=False, item=quiz.items[1])
    frame.locator("#leave").click()
    cmi = cmi_of(page)["cmi"]
    assert cmi["success_status"] == "failed"
    assert cmi["completion_status"] == "completed"


def test_free_text_item_and_resume(
    browser: Any, page: Any, scorm_runtime: Path, serve_dir: Any, tmp_path: Path
) -> None:
    journey = quiz_journey()
    quiz = journey.activity("quiz_2")  # a choice item, then a free-text one
    unpack(journey, tmp_path, scorm_runtime)
    base = serve_dir(tmp_path)

    frame = launch(page, base, "quiz_2", None)
    answer(frame, 1, right=True, item=quiz.items[0])
    frame.locator("#item1-feedback").filter(has_text="Correct").wait_for()
    page.evaluate("() => { document.getElementById('sco').src = 'about:blank'; }")  # the learner leaves
    first = cmi_of(page)
    assert first["terminated"] == 1
    cmi = first["cmi"]
    assert cmi["exit"] == "suspend"
    assert cmi["location"] == quiz.items[1].id
    assert cmi["completion_status"] == "incomplete"

    frame = launch(page, base, "quiz_2", None, previous=cmi)
    expect(frame.locator("#item1 input").first).to_be_disabled()  # restored from cmi.suspend_data
    expect(frame.locator("#item1 input").first).to_be_checked()
    expect(frame.locator("#item1-feedback")).to_contain_text("Correct")
    answer(frame, 2, right=True, item=quiz.items[1])
    frame.locator("#leave").click()
    second = cmi_of(page)
    cmi = second["cmi"]
    assert second["terminated"] == 1
    assert second["errors"] == []
    interactions = second["interactions"]
    assert [i["id"] for i in interactions] == [item.id for item in quiz.items]
    assert interactions[1]["type"] == "fill-in"
    assert interactions[1]["result"] == "correct"
    assert cmi["score"]["scaled"] == "1"
    assert cmi["completion_status"] == "completed"
    assert cmi["success_status"] == "unknown"  # no mastery score: nothing to pass or fail


def test_non_quiz_sco_keeps_the_completion_page(
    browser: Any, page: Any, scorm_runtime: Path, serve_dir: Any, tmp_path: Path
) -> None:
    journey = quiz_journey()
    unpack(journey, tmp_path, scorm_runtime)
    frame = launch(page, serve_dir(tmp_path), "recap", None)
    frame.get_by_role("button", name="Mark as done").click()
    lms = cmi_of(page)
    assert lms["terminated"] == 1
    assert lms["cmi"]["completion_status"] == "completed"
    assert lms["interactions"] == []


def test_every_sco_of_the_package_runs(
    browser: Any, page: Any, scorm_runtime: Path, serve_dir: Any, tmp_path: Path
) -> None:
    journey = quiz_journey()
    unpack(journey, tmp_path, scorm_runtime)
    base = serve_dir(tmp_path)
    for sco in sorted((tmp_path / "pkg" / "sco").iterdir()):
        activity = journey.activity(sco.name)
        frame = launch(page, base, sco.name, activity.mastery_score)
        if activity.items:
            for number, item in enumerate(activity.items, 1):
                answer(frame, number, right=number == 1, item=item)
            frame.locator("#leave").click()
        else:
            frame.get_by_role("button", name="Mark as done").click()
        lms = cmi_of(page)
        assert lms["terminated"] == 1, sco.name
        assert lms["cmi"]["completion_status"] == "completed", sco.name
        assert len(lms["interactions"]) == len(activity.items), sco.name
    assert page.errors == []
