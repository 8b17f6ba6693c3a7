"""Plan generators: what each family adds, ids, schedules, plan strings and their errors."""

from __future__ import annotations

import math

import numpy as np
import pytest

from workbench.errors import JourneyError, ParameterError, UnknownNameError
from workbench.model import Activity, Concept, Journey
from workbench.plans import (
    PLAN_FORMS,
    CadencePlan,
    DeadlinePlan,
    ExpandingPlan,
    FixedPlan,
    MassedPlan,
    NoPlan,
    PlanConstraints,
    TargetRetentionPlan,
    backward_days,
    parse_plan,
    parse_plans,
)
from workbench.simulate import DEFAULT_PROFILE, get_profile
from workbench.spec import dumps, loads
from workbench.templates import list_templates, load_template


@pytest.fixture(scope="module")
def journey() -> Journey:
    return load_template("post_training_retention")


def bare(day: float = 0.0, concepts: int = 2, difficulty: float | None = None) -> Journey:
    """One eLearning module teaching a few concepts, nothing else."""
    ids = [f"c{i}" for i in range(1, concepts + 1)]
    return Journey(
        id="bare",
        title="Bare",
        concepts=[Concept(id=c, name=c.upper(), difficulty=difficulty) for c in ids],
        activities=[Activity.of_kind("elearning_module", id="module", title="Module", covers=ids, schedule=day)],
    )


# ---- plan strings ----------------------------------------------------------------------------

ROUND_TRIPS = [
    "none",
    "massed",
    "massed:3",
    "fixed:7x4",
    "expanding",
    "expanding:2,5,12,30",
    "cadence",
    "cadence:2",
    "target:0.85",
    "target:0.9:120",
    "deadline:90",
    "deadline:60x6",
    "deadline:60x6:2.5",
]


@pytest.mark.parametrize("text", ROUND_TRIPS)
def test_plan_strings_round_trip(text: str) -> None:
    plan = parse_plan(text)
    assert plan.label == text == str(plan)
    assert parse_plan(plan.label) == plan


def test_plan_strings_build_the_expected_plans() -> None:
    assert parse_plan("fixed:7x4") == FixedPlan(interval_days=7, touches=4)
    assert parse_plan("expanding") == ExpandingPlan()
    assert parse_plan("expanding:1-3-7").gaps == (1.0, 3.0, 7.0)
    assert parse_plan(" Deadline:90x6 ") == DeadlinePlan(deadline_day=90, touches=6)
    assert parse_plan("target:0.85") == TargetRetentionPlan(target=0.85)
    assert parse_plan("massed", kind="prompt_card").kind == "prompt_card"
    assert isinstance(parse_plan("none"), NoPlan)


def test_plan_lists_keep_custom_gaps_together() -> None:
    labels = [p.label for p in parse_plans("none, expanding:2,5,12,30 ,fixed:7x4,target:0.85")]
    assert labels == ["none", "expanding:2,5,12,30", "fixed:7x4", "target:0.85"]


def test_unknown_plan_names_list_the_valid_forms() -> None:
    with pytest.raises(UnknownNameError) as info:
        parse_plan("spaced")
    message = str(info.value)
    assert "unknown plan 'spaced'" in message
    for form in ("fixed:IxK", "expanding", "target:R", "deadline:D", "cadence", "massed", "none"):
        assert form in message
    with pytest.raises(UnknownNameError, match="did you mean fixed"):
        parse_plan("fixd:7x4")


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("fixed:7", "expected fixed:IxK"),
        ("fixed:7x", "expected fixed:IxK"),
        ("fixed:axb", "expected fixed:IxK"),
        ("fixed:0x4", "interval_days: must be >= 1"),
        ("expanding:2,,5", "expected expanding:G1,G2"),
        ("expanding:", "a parameter after 'expanding:'"),
        ("target", "expected target:R"),
        ("target:high", "expected target:R"),
        ("target:1.5", "target: must be <= 0.98"),
        ("target:0.8:90:1", "expected target:R"),
        ("deadline", "expected deadline:D"),
        ("deadline:soon", "expected deadline:D"),
        ("deadline:90x0", "touches: must be >= 1"),
        ("massed:two", "expected massed or massed:N"),
        ("none:3", "'none' without parameters"),
        ("cadence:0", "questions_per_day: must be >= 1"),
    ],
)
def test_malformed_plan_strings_say_what_is_expected(text: str, fragment: str) -> None:
    with pytest.raises(ParameterError) as info:
        parse_plan(text)
    assert fragment in str(info.value)
    assert "valid forms" in str(info.value)


def test_bad_plan_lists_are_reported() -> None:
    with pytest.raises(ParameterError, match="empty plan"):
        parse_plans("none,,expanding")
    with pytest.raises(UnknownNameError):
        parse_plans("none,weekly")
    assert len(PLAN_FORMS) >= 7


# ---- what plans add ---------------------------------------------------------------------------


def test_plan_touches_are_real_activities_after_the_last_formal_touch(journey: Journey) -> None:
    applied = FixedPlan(interval_days=7, touches=4).apply(journey)
    added = [a for a in applied.activities if a.id.startswith("plan-")]
    assert [a.id for a in added] == [f"plan-fixed-workshop-{k}" for k in (1, 2, 3, 4)]
    for k, activity in enumerate(added, start=1):
        assert activity.kind == "spaced_recall_quiz"
        assert activity.layer.value == "after"
        assert activity.schedule.after == "workshop"
        assert activity.schedule.gap_days == 7.0 * k
        assert set(activity.concept_ids) == {c.id for c in journey.concepts}  # every taught concept
        assert activity.duration_min == pytest.approx(3.0 * 4 / 3)  # 4 concepts, 3 per typical quiz
    assert ("plan-fixed-workshop-1", "workshop") in {(e.source, e.target) for e in applied.edges}
    assert loads(dumps(applied)) == applied  # a valid spec, round trip


def test_applying_returns_a_new_journey_and_refuses_to_apply_twice(journey: Journey) -> None:
    plan = ExpandingPlan()
    once = plan.apply(journey)
    assert once is not journey
    assert len(journey.activities) == 10
    with pytest.raises(ParameterError, match="already exists"):
        plan.apply(once)
    twice = ExpandingPlan(prefix="plan-second").apply(once)
    assert len(twice.activities) == len(once.activities) + 6


def test_expanding_gaps_are_between_successive_touches() -> None:
    days = [t.day for t in ExpandingPlan().build(bare(day=2.0)).touches]
    assert days == [3.0, 6.0, 13.0, 27.0, 57.0, 117.0]
    days = [t.day for t in parse_plan("expanding:2,5,12,30").build(bare()).touches]
    assert days == [2.0, 7.0, 19.0, 49.0]


def test_massed_reviews_land_on_the_event_day_as_separate_touches() -> None:
    schedule = MassedPlan(reviews=3).build(bare(day=5.0))
    assert [t.day for t in schedule.touches] == [5.0, 5.0, 5.0]
    assert len({a.id for a in schedule.activities}) == 3


def test_concepts_taught_on_different_days_get_their_own_anchor() -> None:
    base = bare(concepts=2)
    journey = base.add_concept(Concept(id="late", name="Late")).add_activity(
        Activity.of_kind("vilt_session", id="session2", title="Second", covers=["late", "c1"], schedule=10)
    )
    schedule = FixedPlan(interval_days=7, touches=2).build(journey)
    frame = schedule.to_frame()
    assert frame[["activity_id", "day", "concepts"]].values.tolist() == [
        ["plan-fixed-module-1", 7.0, "c2"],
        ["plan-fixed-module-2", 14.0, "c2"],
        ["plan-fixed-session2-1", 17.0, "c1, late"],  # c1's last formal touch is session2
        ["plan-fixed-session2-2", 24.0, "c1, late"],
    ]


def test_untaught_concepts_are_skipped_and_reported() -> None:
    journey = bare().add_concept(Concept(id="orphan", name="Orphan"))
    journey = journey.add_activity(
        Activity.of_kind("spaced_recall_quiz", id="quiz", title="Quiz", covers=["orphan"], schedule=3)
    )
    schedule = FixedPlan().build(journey)
    assert schedule.skipped == ("orphan",)
    assert all("orphan" not in t.concepts for t in schedule.touches)


def test_concept_choice_kind_and_channel() -> None:
    plan = FixedPlan(concepts=("c2",), kind="scenario_practice", channel="lms")
    activities = plan.build(bare()).activities
    assert {a.concept_ids for a in activities} == {("c2",)}
    assert {a.kind for a in activities} == {"scenario_practice"}
    assert {a.channel.value for a in activities} == {"lms"}
    prompt = FixedPlan(kind="manager_reinforcement_prompt").build(bare()).activities[0]
    assert prompt.facilitator == "Line manager"  # social kinds name who facilitates
    chat_only = FixedPlan(constraints=PlanConstraints(channels=("chat",))).build(bare()).activities[0]
    assert chat_only.channel.value == "chat"  # the kind's first allowed channel


def test_plan_errors_name_the_problem_and_the_fix() -> None:
    with pytest.raises(ParameterError, match="not in journey 'bare'"):
        FixedPlan(concepts=("nope",)).build(bare())
    with pytest.raises(ParameterError, match="unknown kind 'quizz'"):
        FixedPlan(kind="quizz").build(bare())
    with pytest.raises(ParameterError, match="formal event"):
        FixedPlan(kind="ilt_workshop").build(bare())
    with pytest.raises(ParameterError, match="none of which is allowed"):
        FixedPlan(kind="prompt_card", constraints=PlanConstraints(channels=("email",))).build(bare())
    with pytest.raises(ParameterError, match="not among the allowed channels"):
        FixedPlan(channel="email", constraints=PlanConstraints(channels=("chat",))).build(bare())
    with pytest.raises(ParameterError, match="more than max_minutes_per_week"):
        FixedPlan(kind="scenario_practice", constraints=PlanConstraints(max_minutes_per_week=5)).build(bare())
    with pytest.raises(JourneyError, match="max_touches_per_week"):
        PlanConstraints(max_touches_per_week=0)


def test_weekly_caps_and_workdays_move_touches_later() -> None:
    # day 0 is a Monday; fixed:2x6 wants days 2, 4, 6 (a Sunday), 8, 10, 12; at most 2 a week:
    # 6 -> Monday 7; 10 and 12 -> the next Monday, 14, and (14 being taken) Tuesday 15
    capped = PlanConstraints(max_touches_per_week=2, workdays_only=True)
    days = [t.day for t in FixedPlan(interval_days=2, touches=6).build(bare()).touches]
    assert days == [2.0, 4.0, 6.0, 8.0, 10.0, 12.0]
    days = [t.day for t in FixedPlan(interval_days=2, touches=6, constraints=capped).build(bare()).touches]
    assert days == [2.0, 4.0, 7.0, 8.0, 14.0, 15.0]
    # start on a Thursday: day 2 is a Saturday
    thursday = PlanConstraints(workdays_only=True, start_weekday=3)
    days = [t.day for t in FixedPlan(interval_days=2, touches=2, constraints=thursday).build(bare()).touches]
    assert days == [4.0, 5.0]  # Saturday -> Monday, where day 4's touch already is: the day after
    minutes = PlanConstraints(max_minutes_per_week=3.0)
    touches = FixedPlan(interval_days=1, touches=3).model_copy(update={"constraints": minutes}).build(bare(concepts=1))
    assert [t.day for t in touches.touches] == [1.0, 7.0, 14.0]


def test_cadence_asks_due_questions_on_workdays_and_retires_them(journey: Journey) -> None:
    schedule = CadencePlan().build(journey)
    days = [t.day for t in schedule.touches]
    assert all(len(t.concepts) == 1 and t.minutes == 1.0 for t in schedule.touches)  # one question a day
    assert all(day % 7 < 5 for day in days)  # workdays (day 0 is a Monday)
    per_concept = {c.id: sum(c.id in t.concepts for t in schedule.touches) for c in journey.concepts}
    assert set(per_concept.values()) == {2}  # answered right twice by the typical learner: retired
    first = {c: min(t.day for t in schedule.touches if c in t.concepts) for c in per_concept}
    second = {c: max(t.day for t in schedule.touches if c in t.concepts) for c in per_concept}
    assert all(second[c] - first[c] >= 8 for c in per_concept)  # right answers come back after 8 days
    two = CadencePlan(questions_per_day=2).build(journey)
    assert max(len(t.concepts) for t in two.touches) == 2


def test_target_plan_touches_when_the_typical_learner_falls_to_the_target() -> None:
    journey = bare(concepts=1)
    schedule = TargetRetentionPlan(target=0.9, until_day=200, memory_sigma=0.0).build(journey)
    days = [t.day for t in schedule.touches]
    # the oracle: the default profile's FSRS-6 from the module (first rating Good), a successful
    # review at each touch
    model = get_profile(DEFAULT_PROFILE).memory_model()
    state, last, expected = model.initial_state(np.array([3])), 0.0, []
    while True:
        day = last + max(1.0, math.floor(float(model.interval_days(state, 0.9, rounded=False)[0]) + 1e-9))
        if day > 200:
            break
        state = model.review(state, np.array([day - last]), np.array([3]))
        expected.append(day)
        last = day
    assert days == expected
    assert len(days) >= 3
    gaps = np.diff([0.0, *days])
    assert np.all(np.diff(gaps) >= 0)  # intervals expand


def test_target_plans_schedule_harder_concepts_and_higher_targets_more_often() -> None:
    easy = len(TargetRetentionPlan(target=0.85).build(bare(difficulty=3.0)).touches)
    hard = len(TargetRetentionPlan(target=0.85).build(bare(difficulty=8.0)).touches)
    assert hard > easy
    low = len(TargetRetentionPlan(target=0.7).build(bare()).touches)
    high = len(TargetRetentionPlan(target=0.95).build(bare()).touches)
    assert high > low
    # the slow-memory (90th percentile) learner is reviewed more often: every touch earlier, and
    # at least as many within the horizon (under `workplace` both fit 3 touches in 180 days)
    pessimistic = [t.day for t in TargetRetentionPlan(target=0.85, quantile=0.9).build(bare()).touches]
    typical = [t.day for t in TargetRetentionPlan(target=0.85).build(bare()).touches]
    assert len(pessimistic) >= len(typical)
    assert all(p < t for p, t in zip(pessimistic, typical, strict=False))


def test_target_plans_count_the_journeys_own_touches(journey: Journey) -> None:
    # the same concepts without the journey's own reinforcement need more plan touches
    alone = TargetRetentionPlan(target=0.85).build(journey.formal_core())
    with_journey = TargetRetentionPlan(target=0.85).build(journey)
    assert len(with_journey.touches) < len(alone.touches)


def test_deadline_touches_expand_backwards_from_the_deadline() -> None:
    assert backward_days(0.0, 90.0, 4, 1.0, 2.0) == [75.0, 83.0, 87.0, 89.0]
    assert backward_days(0.0, 90.0, 4, 1.0, 3.0) == [50.0, 77.0, 86.0, 89.0]
    squeezed = backward_days(0.0, 30.0, 8, 1.0, 2.0)  # 2**8 days do not fit: lower ratio
    assert len(squeezed) == 8
    assert squeezed[0] >= 1.0
    assert squeezed[-1] == 29.0
    assert np.all(np.diff(np.diff(squeezed)) <= 1.0)  # gaps shrink towards the deadline
    assert backward_days(0.0, 5.0, 10, 1.0, 2.0) == [1.0, 2.0, 3.0, 4.0]  # one a day at most
    assert backward_days(40.0, 30.0, 3, 1.0, 2.0) == []  # taught after the deadline
    schedule = DeadlinePlan(deadline_day=60, touches=3).build(bare(day=10.0))
    assert [t.day for t in schedule.touches] == [53.0, 57.0, 59.0]


def test_deadline_budget_keeps_the_most_touches_that_fit(journey: Journey) -> None:
    plan = DeadlinePlan(deadline_day=90, touches=10, budget_min=17.0)
    schedule = plan.build(journey)
    assert len(schedule.touches) == 4
    assert schedule.minutes == pytest.approx(4 * 4.0)
    assert DeadlinePlan(deadline_day=90, budget_min=1.0).build(journey).notes


def test_deadline_constraints_move_touches_earlier_never_past_the_deadline() -> None:
    # deadline on a Monday (day 63): the last touch, wished on Sunday 62, moves to Friday 60
    constraints = PlanConstraints(workdays_only=True)
    days = [t.day for t in DeadlinePlan(deadline_day=63, touches=3, constraints=constraints).build(bare()).touches]
    assert days == [56.0, 59.0, 60.0]
    assert all(d % 7 < 5 for d in days)


@pytest.mark.parametrize("name", list_templates())
def test_every_family_applies_to_every_template(name: str) -> None:
    journey = load_template(name)
    for text in ("massed", "fixed:7x4", "expanding", "cadence", "target:0.85", "deadline:90"):
        applied = parse_plan(text).apply(journey)
        assert len(applied.activities) > len(journey.activities), text
