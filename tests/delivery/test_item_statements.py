"""xAPI templates and synthetic statements speak the same item-level ``answered`` shape."""

from __future__ import annotations

import hashlib
from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from delivery.support import quiz_journey
from workbench.analytics import statements_frame
from workbench.export._common import course_iri_for, objective_iri
from workbench.export._pages import VENDORED_CMI5, cmi5_library
from workbench.export._vocab import item_iri
from workbench.export.validate import validate_xapi_statements
from workbench.export.xapi import RECALL_LEARNERS, sample_statements, statement_templates
from workbench.simulate import LearnerPopulation, simulate

pytestmark = pytest.mark.delivery
START = datetime(2026, 3, 2, 9, tzinfo=ZoneInfo("Europe/Paris"))


def test_templates_list_one_answered_shape_per_item() -> None:
    journey = quiz_journey()
    course = course_iri_for(journey, None)
    template = next(t for t in statement_templates(journey) if t["activity_id"] == "quiz_1")
    quiz = journey.activity("quiz_1")
    assert [i["object"]["id"] for i in template["items"]] == [
        item_iri(f"{course}/activities/quiz_1", item.id) for item in quiz.items
    ]
    assert {i["verb"]["id"] for i in template["items"]} == {"http://adlnet.gov/expapi/verbs/answered"}
    parents = [i["context"]["contextActivities"]["parent"][0]["id"] for i in template["items"]]
    assert parents == [objective_iri(course, item.concept) for item in quiz.items]


def test_synthetic_sessions_answer_every_item_then_score_on_them() -> None:
    journey = quiz_journey()
    statements = sample_statements(journey, 6, start=START, rng=4, completion_rate=1.0)
    assert validate_xapi_statements(statements) == []
    ingested = statements_frame(statements)
    assert dict(ingested.rejected) == {}
    quiz = journey.activity("quiz_1")
    for registration in {s["context"]["registration"] for s in statements}:
        own = [s for s in statements if s["context"]["registration"] == registration and "/quiz_1" in s["object"]["id"]]
        verbs = [s["verb"]["display"]["en-US"] for s in own]
        assert verbs[0] == "initialized"
        assert verbs[-1] == "terminated"
        answered = [s for s in own if s["verb"]["display"]["en-US"] == "answered"]
        assert len(answered) == len(quiz.items)
        right = sum(s["result"]["success"] for s in answered)
        scored = next(s for s in own if s["verb"]["display"]["en-US"] in ("passed", "failed"))
        assert scored["result"]["score"]["raw"] == right
        assert scored["result"]["success"] == (right / len(quiz.items) >= 0.5)


def test_synthetic_answers_follow_simulated_recall() -> None:
    journey = quiz_journey()
    learners = 80
    statements = sample_statements(journey, learners, start=START, rng=9, completion_rate=1.0)
    # the recall the sample draws from: the same simulation with another seed (200 learners)
    recall = simulate(journey, population=LearnerPopulation(size=RECALL_LEARNERS), horizon_days=80, rng=1)
    for quiz_id in ("quiz_1", "quiz_3"):
        quiz, day = journey.activity(quiz_id), int(journey.days[quiz_id])
        expected = float(np.mean([recall.retention(day, item.concept) for item in quiz.items]))
        answered = [s for s in statements if f"/{quiz_id}/test/" in s["object"]["id"]]
        share = sum(s["result"]["success"] for s in answered) / len(answered)
        # binomial noise of the sample plus Monte Carlo noise of two 200-learner means
        se = np.sqrt(expected * (1 - expected) / len(answered) + 2 * expected * (1 - expected) / RECALL_LEARNERS)
        assert abs(share - expected) < 4 * se, (quiz_id, share, expected)


def test_vendored_cmi5_client_is_the_pinned_release() -> None:
    assert hashlib.sha256(cmi5_library()).hexdigest() == VENDORED_CMI5["sha256"]
