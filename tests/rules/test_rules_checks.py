"""Each design rule: a small journey that triggers it, and its fixed version that does not."""

from __future__ import annotations

from typing import Any

import pytest

from workbench.model import Activity, Concept, Journey
from workbench.rules import Finding, LintConfig, has_errors, lint
from workbench.templates import list_templates, load_template


def clean_journey() -> Journey:
    """Return a well-designed post-training journey: primed, spaced retrieval, no cliff."""
    return (
        Journey.empty("privacy", "Privacy basics")
        .add_concept(Concept(id="consent", name="Valid consent"))
        .add_concept(Concept(id="breach", name="Breach reporting"))
        .add_activity(act("pre_session_primer", "primer", -3, ["consent"], channel="email"))
        .add_activity(act("ilt_workshop", "workshop", 0, ["consent", "breach"], facilitator="Privacy trainer"))
        .add_activity(act("post_session_recap", "recap", {"after": "workshop", "gap_days": 1}, ["consent", "breach"]))
        .add_activity(act("spaced_recall_quiz", "quiz-1", 3, ["consent", "breach"], items=items("consent", "breach")))
        .add_activity(act("spaced_recall_quiz", "quiz-2", 10, ["consent", "breach"], items=items("consent", "breach")))
        .add_activity(act("manager_debrief", "debrief", 14, ["consent"], facilitator="Line manager"))
        .add_activity(act("scenario_practice", "scenario", 30, ["breach"], items=items("breach")))
        .add_activity(act("job_aid", "job-aid", "on_demand", ["breach"]))
        .connect("primer", "workshop", "prepares")
        .connect("workshop", "recap")
        .connect("recap", "quiz-1")
        .connect("quiz-1", "quiz-2")
        .connect("quiz-2", "debrief")
        .connect("debrief", "scenario")
        .connect("job-aid", "workshop", "supports")
    )


def items(*concepts: str) -> list[dict[str, Any]]:
    """One single-choice item per concept."""
    return [
        {
            "id": f"q-{concept}",
            "concept": concept,
            "stem": f"Which statement about {concept} is right?",
            "choices": [{"text": "The right one", "correct": True}, {"text": "A wrong one"}],
        }
        for concept in concepts
    ]


def act(kind: str, aid: str, schedule: Any, covers: Any = (), **fields: Any) -> Activity:
    title = fields.pop("title", aid.replace("-", " ").capitalize())
    return Activity.of_kind(kind, id=aid, title=title, schedule=schedule, covers=list(covers), **fields)


def minimal(*activities: Activity, concepts: tuple[str, ...] = ("consent",)) -> Journey:
    journey = Journey.empty("mini", "Mini")
    for cid in concepts:
        journey = journey.add_concept(Concept(id=cid, name=cid.capitalize()))
    for activity in activities:
        journey = journey.add_activity(activity)
    return journey


def found(journey: Journey, code: str, config: LintConfig | None = None) -> list[Finding]:
    return [f for f in lint(journey, config) if f.code == code]


def assert_one(
    journey: Journey,
    code: str,
    severity: str,
    activity_id: str | None,
    concept_id: str | None = None,
    config: LintConfig | None = None,
) -> Finding:
    hits = found(journey, code, config)
    assert len(hits) == 1, f"expected one {code}, got {lint(journey, config)}"
    finding = hits[0]
    assert finding.severity == severity
    assert finding.activity_id == activity_id
    assert finding.concept_id == concept_id
    assert finding.fix, "every finding names a fix"
    assert finding.message.endswith(finding.fix), "the message must end with the fix"
    for named in (activity_id, concept_id):
        if named is not None:
            assert repr(named) in finding.message, f"{named!r} not named in: {finding.message}"
    assert str(finding).startswith(f"{code} {finding.rule}: ")
    return finding


def test_clean_journey_has_no_findings() -> None:
    findings = lint(clean_journey())
    assert findings == ()
    assert not has_errors(findings)


def test_shipped_templates_have_no_errors() -> None:
    for name in list_templates():
        findings = lint(load_template(name))
        assert not has_errors(findings), f"{name}: {[str(f) for f in findings if f.severity == 'error']}"


# ---- WB001 / WB002: durations ------------------------------------------------------------


def test_wb001_micro_too_long() -> None:
    long = (
        clean_journey()
        .add_activity(act("key_point_video", "recap-video", 2, ["consent"], duration_min=18.0, channel="lms"))
        .connect("recap", "recap-video")
    )
    finding = assert_one(long, "WB001", "warning", "recap-video")
    assert finding.rule == "micro-too-long"
    assert "18 min" in finding.message
    assert "10 min" in finding.message
    assert "split it into 2 assets" in finding.fix
    fixed = long.update_activity("recap-video", duration_min=8.0)
    assert found(fixed, "WB001") == []


def test_wb001_threshold_comes_from_config() -> None:
    journey = clean_journey().update_activity("scenario", duration_min=9.0)
    assert found(journey, "WB001") == []
    assert_one(journey, "WB001", "warning", "scenario", config=LintConfig(max_micro_min=8))


def test_wb001_exempts_facilitated_conversations_and_formal_events() -> None:
    journey = clean_journey()
    assert journey.activity("debrief").duration_min > 10  # a 15-minute manager-led debrief
    assert journey.activity("workshop").duration_min > 10
    assert found(journey, "WB001") == []


def test_wb002_mobile_too_long() -> None:
    journey = clean_journey().update_activity("quiz-1", duration_min=7.0)
    assert journey.activity("quiz-1").channel == "mobile"
    finding = assert_one(journey, "WB002", "warning", "quiz-1")
    assert "5 min" in finding.message
    assert found(journey, "WB001") == []
    assert found(clean_journey().update_activity("quiz-1", duration_min=4.0), "WB002") == []
    assert found(journey.update_activity("quiz-1", channel="lms"), "WB002") == []


def test_wb002_defers_to_wb001_when_both_apply() -> None:
    journey = clean_journey().update_activity("quiz-1", duration_min=18.0)
    assert found(journey, "WB002") == []
    finding = assert_one(journey, "WB001", "warning", "quiz-1")
    assert "on mobile" in finding.message


# ---- WB003: one objective ----------------------------------------------------------------


def with_third_concept(journey: Journey) -> Journey:
    return journey.add_concept(Concept(id="rights", name="Data subject rights")).update_activity(
        "workshop", covers=["consent", "breach", "rights"]
    )


def test_wb003_too_many_concepts() -> None:
    journey = with_third_concept(clean_journey()).update_activity("quiz-2", covers=["consent", "breach", "rights"])
    finding = assert_one(journey, "WB003", "info", "quiz-2")
    assert "3 concepts" in finding.message
    assert "'rights'" in finding.message
    fixed = journey.update_activity("quiz-2", covers=["consent", "rights"], items=items("consent", "rights"))
    assert found(fixed, "WB003") == []


def test_wb003_exempts_recaps() -> None:
    journey = with_third_concept(clean_journey()).update_activity("recap", covers=["consent", "breach", "rights"])
    assert found(journey, "WB003") == []


# ---- WB004 / WB005: purpose and facilitator ----------------------------------------------


def test_wb004_missing_purpose() -> None:
    journey = clean_journey().update_activity("quiz-1", purpose=None)
    finding = assert_one(journey, "WB004", "error", "quiz-1")
    assert "'reinforcement'" in finding.fix  # the kind's purpose is suggested
    assert has_errors(lint(journey))
    assert found(journey.update_activity("quiz-1", purpose="practice"), "WB004") == []


def test_wb005_social_without_facilitator() -> None:
    journey = clean_journey().update_activity("debrief", facilitator=None)
    finding = assert_one(journey, "WB005", "error", "debrief")
    assert "facilitator" in finding.fix
    assert found(journey.update_activity("debrief", facilitator="Line manager"), "WB005") == []


def test_wb005_applies_to_live_sessions_too() -> None:
    journey = clean_journey().update_activity("workshop", facilitator=None)
    assert_one(journey, "WB005", "error", "workshop")


# ---- WB006 - WB010: concepts and coverage --------------------------------------------------


def test_wb006_empty_journey() -> None:
    journey = Journey.empty("nothing", "Nothing yet")
    finding = assert_one(journey, "WB006", "error", None)
    assert "'nothing'" in finding.message
    assert found(clean_journey(), "WB006") == []


def test_wb007_no_concepts() -> None:
    journey = minimal(act("elearning_module", "course", 0), concepts=())
    finding = assert_one(journey, "WB007", "warning", None)
    assert "'mini'" in finding.message
    assert "add_concept" in finding.fix
    assert found(clean_journey(), "WB007") == []


def test_wb008_concept_not_covered() -> None:
    journey = clean_journey().add_concept(Concept(id="rights", name="Data subject rights"))
    finding = assert_one(journey, "WB008", "warning", None, "rights")
    assert "Data subject rights" in finding.message
    fixed = with_third_concept(clean_journey())
    assert found(fixed, "WB008") == []


def test_wb009_concept_never_encoded() -> None:
    journey = (
        clean_journey()
        .add_concept(Concept(id="rights", name="Rights"))
        .update_activity("quiz-2", covers=["consent", "rights"], items=items("consent", "rights"))
    )
    finding = assert_one(journey, "WB009", "error", "quiz-2", "rights")
    assert "retrieve" in finding.message
    assert "encode" in finding.fix
    fixed = journey.update_activity("workshop", covers=["consent", "breach", "rights"])
    assert found(fixed, "WB009") == []


def test_wb010_retrieval_before_encode() -> None:
    journey = clean_journey().add_activity(act("spaced_recall_quiz", "early-quiz", -1, ["breach"]))
    finding = assert_one(journey, "WB010", "error", "early-quiz", "breach")
    assert "'workshop'" in finding.message
    assert "day 0" in finding.message
    fixed = journey.update_activity("early-quiz", schedule={"day": 5.0})
    assert found(fixed, "WB010") == []


def test_wb010_counts_any_encode_such_as_a_primer() -> None:
    # 'consent' is first taught by the primer on day -3: a quiz on day -1 retrieves it legitimately
    journey = clean_journey().add_activity(act("spaced_recall_quiz", "early-quiz", -1, ["consent"]))
    assert found(journey, "WB010") == []


# ---- WB011 - WB017: timing and retention ---------------------------------------------------


def test_wb011_forgetting_cliff() -> None:
    journey = minimal(
        act("pre_session_primer", "primer", -3, ["consent"]),
        act("ilt_workshop", "workshop", 0, ["consent"], facilitator="Trainer"),
    )
    finding = assert_one(journey, "WB011", "error", "workshop")
    assert "day 0" in finding.message
    assert "spaced_recall_quiz" in finding.fix
    fixed = journey.add_activity(act("spaced_recall_quiz", "quiz", 7, ["consent"]))
    assert found(fixed, "WB011") == []


def test_wb011_looks_at_the_last_formal_event() -> None:
    journey = minimal(
        act("ilt_workshop", "day-1", 0, ["consent"], facilitator="Trainer"),
        act("post_session_recap", "recap", 1, ["consent"]),
        act("vilt_session", "day-2", 30, ["consent"], facilitator="Trainer"),
    )
    assert_one(journey, "WB011", "error", "day-2")
    fixed = journey.add_activity(act("job_aid", "aid", "on_demand", ["consent"]))
    assert found(fixed, "WB011") == []


def test_wb012_not_retrieved_after_training() -> None:
    journey = (
        clean_journey()
        .update_activity("quiz-1", covers=["breach"], items=items("breach"))
        .update_activity("quiz-2", covers=["breach"], items=items("breach"))
    )
    finding = assert_one(journey, "WB012", "warning", "workshop", "consent")
    assert "'recap'" in finding.message
    assert "weaker than retrieval" in finding.message
    assert "spaced_recall_quiz" in finding.fix
    assert found(clean_journey(), "WB012") == []


def test_wb013_massed_reinforcement() -> None:
    journey = clean_journey().add_activity(act("spaced_recall_quiz", "quiz-1b", 3.5, ["consent"]))
    finding = assert_one(journey, "WB013", "warning", "quiz-1b", "consent")
    assert "'quiz-1'" in finding.message
    assert "0.5 days" in finding.message
    assert "day 4" in finding.fix
    fixed = journey.update_activity("quiz-1b", schedule={"day": 5.0})
    assert found(fixed, "WB013") == []


def test_wb014_reinforcement_crammed() -> None:
    journey = minimal(
        act("ilt_workshop", "workshop", 0, ["consent"], facilitator="Trainer"),
        act("post_session_recap", "recap", 1, ["consent"]),
        act("spaced_recall_quiz", "quiz", 3, ["consent"]),
    )
    finding = assert_one(journey, "WB014", "warning", "workshop", "consent")
    assert "'recap', 'quiz'" in finding.message
    assert "3 days" in finding.message
    fixed = journey.update_activity("quiz", schedule={"day": 7.0})
    assert found(fixed, "WB014") == []


def test_wb015_weekly_budget_exceeded() -> None:
    config = LintConfig(weekly_budget_min=10)
    hits = found(clean_journey(), "WB015", config)
    assert [f.activity_id for f in hits] == ["primer", "quiz-2"]
    first = hits[0]
    assert first.severity == "warning"
    assert "day -3 to day 4" in first.message
    assert "12 min" in first.message
    assert "'primer', 'recap', 'quiz-1'" in first.message
    assert found(clean_journey(), "WB015") == []


def test_wb015_counts_required_micro_assets_only() -> None:
    heavy = clean_journey().add_activity(
        act("scenario_practice", "lab", 4, ["breach"], duration_min=60.0, channel="lms")
    )
    finding = assert_one(heavy, "WB015", "warning", "recap")  # window day 1 to day 8
    assert "'lab'" in finding.message
    assert found(heavy.update_activity("lab", required=False), "WB015") == []


def test_wb016_reinforcement_fatigue() -> None:
    journey = (
        clean_journey()
        .add_activity(act("spaced_recall_quiz", "quiz-1b", 4, ["consent"]))
        .add_activity(act("prompt_card", "card", 5, ["breach"]))
    )
    finding = assert_one(journey, "WB016", "warning", "recap")
    assert "4 required reinforcement touches" in finding.message
    assert "day 1 to day 8" in finding.message
    fixed = journey.update_activity("card", required=False)
    assert found(fixed, "WB016") == []


def test_wb017_layer_contradicts_schedule() -> None:
    late_primer = clean_journey().add_activity(act("pre_session_primer", "orientation", 5, ["consent"]))
    finding = assert_one(late_primer, "WB017", "warning", "orientation")
    assert "before layer" in finding.message
    early_recap = clean_journey().add_activity(act("post_session_recap", "early-recap", -1, ["consent"]))
    finding = assert_one(early_recap, "WB017", "warning", "early-recap")
    assert "after layer" in finding.message
    assert "'workshop'" in finding.message
    assert found(late_primer.update_activity("orientation", schedule={"day": -2.0}), "WB017") == []
    assert found(early_recap.update_activity("early-recap", schedule={"day": 2.0}), "WB017") == []


# ---- WB018 - WB021: the graph ------------------------------------------------------------


def test_wb018_then_edge_back_in_time() -> None:
    journey = clean_journey().add_activity(act("prompt_card", "card", 2, ["consent"])).connect("quiz-2", "card")
    finding = assert_one(journey, "WB018", "error", "card")
    assert "'quiz-2' -> 'card'" in finding.message
    assert "day 10" in finding.fix
    fixed = journey.update_activity("card", schedule={"day": 12.0})
    assert found(fixed, "WB018") == []


def test_wb018_prepares_and_reinforces_back_in_time() -> None:
    prepares = (
        clean_journey()
        .add_activity(act("pre_session_primer", "primer-2", 5, ["consent"]))
        .connect("primer-2", "workshop", "prepares")
    )
    assert_one(prepares, "WB018", "error", "primer-2")
    reinforces = (
        clean_journey()
        .add_activity(act("prompt_card", "card", -1, ["consent"]))
        .connect("card", "workshop", "reinforces")
    )
    assert_one(reinforces, "WB018", "error", "card")
    fixed = reinforces.update_activity("card", schedule={"day": 20.0})
    assert found(fixed, "WB018") == []


def test_wb019_orphan_activity() -> None:
    journey = clean_journey().add_activity(act("prompt_card", "card", 20, ["consent"]))
    finding = assert_one(journey, "WB019", "warning", "card")
    assert "journey.connect('debrief', 'card', 'then')" in finding.fix
    assert found(journey.connect("debrief", "card"), "WB019") == []


def test_wb019_needs_a_journey_with_edges() -> None:
    journey = minimal(
        act("elearning_module", "course", 0, ["consent"]),
        act("spaced_recall_quiz", "quiz", 7, ["consent"]),
    )
    assert found(journey, "WB019") == []


def test_wb020_unreachable_activity() -> None:
    journey = (
        clean_journey()
        .add_activity(act("concept_explainer_video", "extra-video", 20, ["breach"]))
        .add_activity(act("spaced_recall_quiz", "extra-quiz", 25, ["breach"]))
        .connect("extra-video", "extra-quiz")
    )
    hits = found(journey, "WB020")
    assert [f.activity_id for f in hits] == ["extra-quiz", "extra-video"]
    assert all(f.severity == "info" and "'primer'" in f.message for f in hits)
    assert found(journey, "WB019") == []
    fixed = journey.connect("quiz-2", "extra-video")
    assert found(fixed, "WB020") == []


def test_wb021_live_session_without_primer() -> None:
    journey = clean_journey().remove_activity("primer")
    finding = assert_one(journey, "WB021", "info", "workshop")
    assert "flipped-classroom" in finding.message
    assert "pre_session_primer" in finding.fix
    assert found(clean_journey(), "WB021") == []
    # a before-layer primer counts even without a 'prepares' edge
    primed = journey.add_activity(act("pre_session_primer", "primer", -2, ["consent"]))
    assert found(primed, "WB021") == []


def test_wb021_ignores_self_paced_formal_events() -> None:
    journey = minimal(
        act("elearning_module", "course", 0, ["consent"]),
        act("spaced_recall_quiz", "quiz", 7, ["consent"]),
    )
    assert found(journey, "WB021") == []


# ---- WB022: conversion leftovers ---------------------------------------------------------


@pytest.mark.parametrize("title", ["Agenda", "1. Welcome", "Q&A", "Introduction: consent", "Coffee break"])
def test_wb022_conversion_leftover(title: str) -> None:
    journey = (
        clean_journey()
        .add_activity(act("key_point_video", "part-1", 2, ["consent"], title=title))
        .connect("recap", "part-1")
    )
    finding = assert_one(journey, "WB022", "info", "part-1")
    assert title in finding.message


@pytest.mark.parametrize(
    "title", ["Agenda setting in 1:1s", "Introduction to consent", "Break-even", "Closing the loop"]
)
def test_wb022_leaves_real_content_alone(title: str) -> None:
    journey = (
        clean_journey()
        .add_activity(act("key_point_video", "part-1", 2, ["consent"], title=title))
        .connect("recap", "part-1")
    )
    assert found(journey, "WB022") == []


# ---- WB023 / WB024: retrieval items ------------------------------------------------------


def test_wb023_retrieval_without_items() -> None:
    journey = clean_journey().update_activity("quiz-2", items=())
    finding = assert_one(journey, "WB023", "info", "quiz-2")
    assert "consent, breach" in finding.fix


def test_wb023_leaves_quizzes_with_their_own_url_alone() -> None:
    journey = clean_journey().update_activity("quiz-2", items=(), url="https://quiz.example.org/2")
    assert found(journey, "WB023") == []


def test_wb024_item_gap_names_the_untested_concept() -> None:
    journey = clean_journey().update_activity("quiz-1", items=items("consent"))
    finding = assert_one(journey, "WB024", "warning", "quiz-1", "breach")
    assert "breach" in finding.fix
