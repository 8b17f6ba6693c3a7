"""Purpose-aware analytics on small hand-made deliveries whose answers are known."""

from __future__ import annotations

import math
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd
import pytest

from workbench.analytics import (
    Thresholds,
    drop_off,
    findings,
    learner_events,
    map_to_journey,
    observe,
    repeat_access,
    retrieval_results,
    returns_after_programme,
    series_reach,
    statements_frame,
    use_vs_performance,
    verdicts,
    work_support_near_moments,
)
from workbench.analytics.purpose import reinforcement_series
from workbench.errors import ParameterError
from workbench.export._common import activity_iri, course_iri_for
from workbench.export.xapi import statement_templates
from workbench.model import Journey
from workbench.simulate.population import Engagement
from workbench.templates import load_template

START = datetime(2026, 3, 2, tzinfo=UTC)  # a Monday


@pytest.fixture(scope="module")
def journey() -> Journey:
    return load_template("post_training_retention")


def make(journey: Journey, rows: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    """Statements from ``(learner, activity, day[, success[, concept]])``, one session each, at 10:00 + day."""
    course = course_iri_for(journey, None)
    items = {
        (t["activity_id"], i["concept"]): i["object"]["id"]
        for t in statement_templates(journey)
        for i in t.get("items", ())
    }
    out = []
    for learner, activity, day, *rest in rows:
        success = rest[0] if rest else None
        concept = rest[1] if len(rest) > 1 else None
        statement: dict[str, Any] = {
            "id": str(uuid.uuid4()),
            "actor": {"account": {"homePage": "https://lms.example", "name": learner}},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced", "display": {"en-US": "experienced"}},
            "object": {"id": activity_iri(course, activity) if concept is None else items[activity, concept]},
            "timestamp": (START + timedelta(days=day, hours=10)).isoformat(),
        }
        if success is not None:
            statement["result"] = {"success": success}
        out.append(statement)
    return out


def delivered(journey: Journey, rows: list[tuple[Any, ...]], **options: Any) -> Any:
    return observe(statements_frame(make(journey, rows)), journey, start=START.date(), **options)


def key(name: str) -> str:
    return f"https://lms.example|{name}"


def test_statements_map_by_object_grouping_and_item_and_the_rest_are_listed(journey: Journey) -> None:
    course = course_iri_for(journey, None)
    statements = make(journey, [("a", "quiz_1", 3), ("a", "quiz_1", 3, True, "ask_first")])
    lms_generated = {**make(journey, [("b", "quiz_1", 3)])[0], "object": {"id": "https://lms.example/reg/42/au"}}
    lms_generated["context"] = {"contextActivities": {"grouping": [{"id": activity_iri(course, "quiz_1")}]}}
    foreign = {**make(journey, [("c", "quiz_1", 3)])[0], "object": {"id": "https://other.example/thing"}}
    frame = statements_frame([*statements, lms_generated, foreign]).frame
    mapped, unmatched = map_to_journey(frame, journey)
    by_id = mapped.set_index("statement_id")
    assert by_id.loc[statements[0]["id"], "activity_id"] == "quiz_1"
    assert by_id.loc[statements[1]["id"], "concept"] == "ask_first"
    assert by_id.loc[lms_generated["id"], "activity_id"] == "quiz_1"
    assert pd.isna(by_id.loc[foreign["id"], "activity_id"])
    assert len(mapped) == 4  # kept, not dropped
    assert unmatched["object_iri"].tolist() == ["https://other.example/thing"]
    assert unmatched["statements"].tolist() == [1]


def test_start_is_inferred_from_the_schedule_and_enrolled_learners_count(journey: Journey) -> None:
    rows = [("a", "workshop", 0), ("a", "quiz_1", 3), ("b", "quiz_1", 3), ("b", "quiz_2", 25)]
    delivery = observe(statements_frame(make(journey, rows)), journey, learners=[key("a"), key("b"), key("silent")])
    assert delivery.start == pd.Timestamp("2026-03-02", tz="UTC")
    assert delivery.start_inferred
    assert delivery.cohort_size == 3
    assert "inferred from the data" in delivery.caption()


def test_repeat_access_per_asset(journey: Journey) -> None:
    rows = [("a", "job_aid", 5), ("a", "job_aid", 9), ("a", "job_aid", 12), ("b", "job_aid", 6), ("b", "quiz_1", 3)]
    table = repeat_access(delivered(journey, rows)).set_index("activity_id")
    assert table.loc["job_aid", "learners"] == 2
    assert table.loc["job_aid", "accesses"] == 4
    assert table.loc["job_aid", "repeat_share"] == 0.5
    assert table.loc["job_aid", "se"] == pytest.approx(math.sqrt(0.25 / 2))
    assert table.loc["quiz_1", "repeat_share"] == 0
    assert table.loc["primer", "learners"] == 0


def test_returns_after_the_programme_are_unscheduled_or_repeated_uses(journey: Journey) -> None:
    rows = [("a", "quiz_1", 3), ("a", "quiz_1", 20), ("a", "job_aid", 10), ("b", "job_aid", 0.2), ("b", "recap", 1)]
    table = returns_after_programme(delivered(journey, rows))
    # the workshop (day 0) is the last formal event: returns start on day 1
    assert set(zip(table["week"], table["activity_id"], strict=True)) == {(1, "job_aid"), (2, "quiz_1")}
    assert table["returns"].sum() == 2


def test_work_support_near_moments_against_use_at_random(journey: Journey) -> None:
    rows = [("a", "job_aid", 29), ("b", "job_aid", 31), ("c", "job_aid", 61), ("c", "workshop", 0)]
    moments = pd.DataFrame({"date": [START.date() + timedelta(days=30)]})
    table = work_support_near_moments(delivered(journey, rows), moments, window_days=1).set_index("activity_id")
    assert table.loc["job_aid", "near_share"] == pytest.approx(2 / 3)
    # observed days 0..61 (62 days), of which 29, 30, 31 are near the moment
    assert table.loc["job_aid", "near_expected"] == pytest.approx(3 / 62)
    assert table.loc["job_aid", "lift"] == pytest.approx((2 / 3) / (3 / 62))
    # day 61 is a Saturday: two of the three uses are in working time (10:00 on a workday)
    assert table.loc["job_aid", "work_time_share"] == pytest.approx(2 / 3)


def test_series_reach_recovers_a_known_fatigue(journey: Journey) -> None:
    """Reach built as base x (1 - 0.1) ** k for 2,000 learners: the fit finds 0.1 within its interval."""
    n = 2000
    delivery_probe = delivered(journey, [("x", "workshop", 0)])
    series = reinforcement_series(delivery_probe)
    engagement = Engagement()
    rows: list[tuple[Any, ...]] = []
    for k, activity_id in enumerate(series):
        activity = journey.activity(activity_id)
        base = (engagement.required if activity.required else engagement.optional) * engagement.channels.get(
            activity.channel, 1.0
        )
        reached = round(n * base * 0.9**k)
        rows += [(f"l{i}", activity_id, journey.days[activity_id]) for i in range(reached)]
    learners = [key(f"l{i}") for i in range(n)]
    table = series_reach(delivered(journey, rows, learners=learners), engagement=engagement)
    fatigue = table.attrs["fatigue"]
    assert fatigue["low"] <= 0.1 <= fatigue["high"]
    assert fatigue["estimate"] == pytest.approx(0.1, abs=0.005)  # rounding of the counts only
    assert fatigue["assumed"] == engagement.fatigue_per_touch
    assert list(table["activity_id"]) == series


def test_use_vs_performance_correlation_with_interval_and_gap(journey: Journey) -> None:
    rows = []
    performance = []
    for i in range(40):
        uses = i % 8
        rows += [(f"l{i}", "job_aid", 10 + u) for u in range(uses)]
        performance += [(key(f"l{i}"), "sbi_model", 0.2 + 0.1 * uses), (key(f"l{i}"), "follow_up", 0.9)]
    table = use_vs_performance(
        delivered(journey, rows), pd.DataFrame(performance, columns=["learner", "concept", "value"])
    )
    sbi = table.set_index("concept").loc["sbi_model"]
    assert sbi["r"] == pytest.approx(1.0)
    assert sbi["r_low"] <= sbi["r"] <= sbi["r_high"]
    assert sbi["learners"] == 40
    follow = table.set_index("concept").loc["follow_up"]
    assert math.isnan(follow["r"])  # no spread in performance: no correlation claimed


def test_use_vs_performance_names_unknown_concepts(journey: Journey) -> None:
    from workbench.errors import DataError

    with pytest.raises(DataError, match="not in journey 'post_training_retention': nope"):
        use_vs_performance(
            delivered(journey, [("a", "job_aid", 3)]),
            pd.DataFrame({"learner": ["a"], "concept": ["nope"], "value": [1]}),
        )


def test_drop_off_and_skipped_required_assets(journey: Journey) -> None:
    rows = [
        ("a", "primer", -3),
        ("a", "workshop", 0),
        ("a", "quiz_1", 3),  # skipped the recap, then did a quiz
        ("b", "primer", -3),
        ("b", "workshop", 0),
        ("b", "recap", 1),  # stopped after the recap
    ]
    table = drop_off(delivered(journey, rows)).set_index("activity_id")
    assert table.loc["recap", "skipped_then_continued"] == 1
    assert table.loc["recap", "last_seen"] == 1
    assert table.loc["quiz_1", "last_seen"] == 1
    assert table.loc["primer", "skipped_then_continued"] == 0
    assert table.loc["workshop", "reach"] == 1.0


def test_verdicts_follow_purpose_and_overridable_thresholds(journey: Journey) -> None:
    rows = [
        ("a", "primer", -3),  # before the workshop it prepares
        ("b", "primer", 2),  # after: does not count as priming
        ("a", "recap", 1),
        ("b", "recap", 6),  # outside 2 days
        ("a", "quiz_1", 3, True),
        ("b", "quiz_1", 3, False),
    ]
    delivery = delivered(journey, rows)
    table = verdicts(delivery).set_index("activity_id")
    assert table.loc["primer", "value"] == 0.5
    assert table.loc["primer", "verdict"] == "below"  # 0.5 < 0.6
    assert table.loc["recap", "value"] == 0.5
    assert table.loc["quiz_1", "measure"] == "retrieval accuracy"
    assert table.loc["quiz_1", "value"] == 0.5
    assert table.loc["quiz_2", "verdict"] == "below"  # nobody reached it
    relaxed = verdicts(delivery, thresholds=Thresholds(priming_reach=0.5, recap_within_days=7.0)).set_index(
        "activity_id"
    )
    assert relaxed.loc["primer", "verdict"] == "meets"
    assert relaxed.loc["recap", "value"] == 1.0


def test_learner_events_have_the_trace_columns_and_recall_from_items(journey: Journey) -> None:
    rows = [
        ("a", "workshop", 0),
        ("a", "quiz_1", 3, True, "sbi_model"),
        ("a", "quiz_1", 3, False, "ask_first"),
    ]
    events = learner_events(delivered(journey, rows))
    assert list(events.columns) == ["learner", "concept", "day", "effect", "activity_id", "recalled"]
    quiz = events[events["activity_id"] == "quiz_1"].set_index("concept")
    assert quiz.loc["sbi_model", "recalled"] == 1
    assert quiz.loc["ask_first", "recalled"] == 0
    assert set(quiz["effect"]) == {"retrieve"}
    workshop = events[events["activity_id"] == "workshop"]
    assert len(workshop) == 4
    assert workshop["recalled"].isna().all()
    assert np.allclose(workshop["day"], 10 / 24)


def test_the_four_questions_each_get_an_answer_with_evidence(journey: Journey) -> None:
    from workbench.analytics.demo import demo_delivery, demo_performance

    delivery = demo_delivery()
    answers = findings(delivery, performance=demo_performance(delivery))
    assert [f.question for f in answers] == [
        "Is the flow-of-work support used?",
        "Which parts need stronger reinforcement?",
        "What works as reference rather than instruction?",
        "Which assets are worth replicating?",
    ]
    assert all(f.answer and not f.evidence.empty for f in answers)
    assert "Feedback conversation checklist" in answers[0].answer


@pytest.mark.parametrize(
    "question",
    [repeat_access, drop_off, series_reach, retrieval_results, learner_events, verdicts, findings],
    ids=lambda f: f.__name__,
)
def test_a_frame_instead_of_a_delivery_is_refused_with_what_to_pass(question: Any) -> None:
    # a statements frame is what users hold before observe(); it used to fail with an AttributeError
    with pytest.raises(ParameterError, match=r"expected a Delivery from workbench.analytics.observe \(got DataFrame\)"):
        question(pd.DataFrame())
