"""Exported cmi5 packages run under a test LMS against a real LRS (ralph), in Chromium.

The LMS (``cmi5_lms.py``) creates a registration, writes ``LMS.LaunchData``, serves the fetch
URL and launches each AU with a correct launch URL; Playwright answers the items (one right,
one wrong). The statements are then read back from ralph and checked against cmi5's rules for
defined statements (section 9): order, one initialized and one terminated per session, the
context template in every AU statement, moveOn satisfied, the registration.
"""

from __future__ import annotations

import io
import uuid
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import requests
from playwright.sync_api import expect

from delivery.cmi5_lms import SESSION_ID, XAPI, Cmi5Lms
from delivery.support import quiz_journey
from workbench.analytics import statements_frame
from workbench.export import export
from workbench.export._common import course_iri_for, objective_iri
from workbench.export._vocab import CMI5_CATEGORY, item_iri
from workbench.export.validate import validate_xapi_statements
from workbench.model import Journey

pytestmark = [pytest.mark.browser, pytest.mark.lrs, pytest.mark.delivery]

PREVIEW = "Preview: open this page from your learning platform"


@pytest.fixture
def lms(lrs: Any, tmp_path: Path) -> Any:
    journey = quiz_journey()
    zipfile.ZipFile(io.BytesIO(export(journey, "cmi5"))).extractall(tmp_path / "pkg")
    test_lms = Cmi5Lms(tmp_path / "pkg", lrs.url, lrs.auth)
    test_lms.journey = journey
    yield test_lms
    test_lms.close()


def statements_of(lms: Cmi5Lms, registration: str) -> list[dict[str, Any]]:
    found = requests.get(
        f"{lms.lrs_url}/xAPI/statements",
        params={"registration": registration, "limit": "500", "ascending": "true"},
        headers=XAPI,
        auth=lms.lrs_auth,
        timeout=30,
    )
    assert found.status_code == 200, found.text
    return sorted(found.json()["statements"], key=lambda s: (s["timestamp"], s["stored"]))


def verb(statement: dict[str, Any]) -> str:
    return str(statement["verb"]["id"]).rsplit("/", 1)[-1]


def run_au(page: Any, lms: Cmi5Lms, journey: Journey, au_id: str, registration: str) -> None:
    activity = journey.activity(au_id.rsplit("/", 1)[1])
    page.goto(lms.launch(au_id, registration))
    expect(page.locator("#status")).to_have_text("Connected.")
    if activity.items:
        for number, item in enumerate(activity.items, 1):
            fieldset = page.locator(f"#item{number}")
            right = number == 1
            if item.type == "free_text":
                fieldset.locator("input").fill(item.accepted[0] if right else "no idea")
            else:
                wanted = (
                    item.correct_indices[0] if right else next(i for i, c in enumerate(item.choices) if not c.correct)
                )
                fieldset.locator("input").nth(wanted).check()
            fieldset.locator("button").click()
        page.locator("#leave").click()
    else:
        page.get_by_role("button", name="Mark as done").click()
    expect(page.locator("#status")).to_have_text("Recorded. You can close this window.")


def check_session(
    statements: list[dict[str, Any]], au_id: str, registration: str, moveon: str, mastery: float | None
) -> None:
    """cmi5 rules for one AU launch (the LMS's ``launched`` first)."""
    assert verb(statements[0]) == "launched"
    au = statements[1:]
    verbs = [verb(s) for s in au]
    sessions = {s["context"]["extensions"][SESSION_ID] for s in statements}
    assert len(sessions) == 1  # every statement of the launch carries its session id
    assert verbs[0] == "initialized"
    assert verbs[-1] == "terminated"
    assert Counter(verbs)["initialized"] == 1
    assert Counter(verbs)["terminated"] == 1
    for statement in au:
        context = statement["context"]
        assert context["registration"] == registration
        assert {"objectType": "Activity", "id": au_id} in context["contextActivities"]["grouping"]
        assert statement["actor"]["account"]["name"] == "learner-1"
        categories = {c["id"] for c in context["contextActivities"].get("category", [])}
        assert (CMI5_CATEGORY in categories) == (verb(statement) != "answered")  # answered: allowed, not defined
        if verb(statement) != "answered":
            assert statement["object"]["id"] == au_id
    for name in ("completed", "passed", "failed", "terminated"):
        for statement in (s for s in au if verb(s) == name):
            assert statement["result"]["duration"].startswith("PT")
    # moveOn satisfied (cmi5 10.2.2): what the AU's moveOn criterion needs was sent
    if moveon in ("Completed", "CompletedAndPassed", "CompletedOrPassed", "NotApplicable"):
        assert "completed" in verbs
    if moveon in ("Passed", "CompletedAndPassed"):
        assert "passed" in verbs
        passed = next(s for s in au if verb(s) == "passed")
        assert mastery is not None
        assert passed["result"]["score"]["scaled"] >= mastery
    assert (
        validate_xapi_statements([{k: v for k, v in s.items() if k not in ("stored", "authority")} for s in au]) == []
    )


def test_every_au_runs_and_follows_cmi5(page: Any, lms: Cmi5Lms) -> None:
    journey: Journey = lms.journey  # type: ignore[attr-defined]
    registration = str(uuid.uuid4())
    course = course_iri_for(journey, None)
    runs = []
    for au_id, au in lms.aus.items():
        run_au(page, lms, journey, str(au_id), registration)
        runs.append((str(au_id), au.get("moveOn"), au.get("masteryScore")))
    statements = statements_of(lms, registration)
    for au_id, moveon, mastery in runs:
        own = [
            s
            for s in statements
            if {"objectType": "Activity", "id": au_id} in s["context"]["contextActivities"].get("grouping", [])
        ]
        check_session(own, au_id, registration, str(moveon), float(mastery) if mastery else None)

    # per item: one answered statement, its concept as the objective parent, right then wrong
    quiz = journey.activity("quiz_1")
    au_id = f"{course}/activities/quiz_1"
    answered = [s for s in statements if verb(s) == "answered" and s["object"]["id"].startswith(au_id + "/")]
    assert [s["object"]["id"] for s in answered] == [item_iri(au_id, item.id) for item in quiz.items]
    assert [s["result"]["success"] for s in answered] == [True, False]
    assert [s["context"]["contextActivities"]["parent"][0]["id"] for s in answered] == [
        objective_iri(course, item.concept) for item in quiz.items
    ]
    assert answered[0]["result"]["response"] == "a"
    passed = next(s for s in statements if verb(s) == "passed" and s["object"]["id"] == au_id)
    assert passed["result"]["score"]["scaled"] == 0.5
    # the analytics ingestion reads the whole run, LMS and AU statements, without a reject
    ingested = statements_frame(statements)
    assert dict(ingested.rejected) == {}
    assert ingested.kept == len(statements)
    # the learner has no cmi5LearnerPreferences document: 404 is the LRS's right answer
    assert [e for e in page.errors if "/xapi/agents/profile" not in e] == []


def test_review_mode_records_no_results(page: Any, lms: Cmi5Lms) -> None:
    journey: Journey = lms.journey  # type: ignore[attr-defined]
    registration = str(uuid.uuid4())
    au_id = f"{course_iri_for(journey, None)}/activities/quiz_1"
    page.goto(lms.launch(au_id, registration, mode="Review", return_url=f"{lms.base}/pkg/cmi5.xml"))
    expect(page.locator("#status")).to_contain_text("Review mode")
    page.locator("#item1 input").first.check()
    page.locator("#item1 button").click()
    page.locator("#item2 input").first.fill("7") if journey.activity("quiz_1").items[
        1
    ].type == "free_text" else page.locator("#item2 input").first.check()
    page.locator("#item2 button").click()
    page.locator("#leave").click()
    page.wait_for_url("**/cmi5.xml")  # returnURL honoured
    verbs = [verb(s) for s in statements_of(lms, registration)]
    assert verbs == ["launched", "initialized", "terminated"]


def test_au_without_launch_parameters_shows_a_preview(page: Any, lms: Cmi5Lms) -> None:
    page.goto(f"{lms.base}/pkg/au/quiz_1/index.html")
    expect(page.locator("#status")).to_contain_text(PREVIEW)
    page.locator("#item1 input").first.check()  # the quiz still works for a designer's review
    page.locator("#item1 button").click()
    expect(page.locator("#item1-feedback")).to_contain_text("Correct")
    assert page.errors == []
