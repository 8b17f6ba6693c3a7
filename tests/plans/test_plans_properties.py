"""Every generator respects its constraints, on random journeys (hypothesis).

The oracles are written out here, independently of the plans' code: when a concept is first
taught, the weekly load already in the journey, weekdays and calendar weeks.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from typing import Any

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from support.journeys import journeys
from workbench.errors import ParameterError
from workbench.model import Activity, Journey
from workbench.plans import PlanConstraints, parse_plan
from workbench.vocabulary import Channel, Layer, MemoryEffect

PLAN_STRINGS = [
    "massed",
    "massed:2",
    "fixed:7x4",
    "fixed:3x6",
    "expanding",
    "expanding:2,5,12",
    "cadence",
    "cadence:2",
    "target:0.85",
    "target:0.95:120",
    "deadline:60",
    "deadline:90x6",
    "deadline:30x8:3",
]
KINDS = [
    "spaced_recall_quiz",
    "prompt_card",
    "scenario_practice",
    "decision_refresher",
    "manager_reinforcement_prompt",
    "job_aid",
]

constraints_strategy = st.builds(
    PlanConstraints,
    max_touches_per_week=st.none() | st.integers(1, 4),
    max_minutes_per_week=st.none() | st.sampled_from([4.0, 6.0, 10.0, 30.0]),
    channels=st.lists(st.sampled_from(list(Channel)), max_size=4, unique=True).map(tuple),
    workdays_only=st.booleans(),
    start_weekday=st.integers(0, 6),
)


@st.composite
def taught_journeys(draw: Any) -> Journey:
    """Return a random journey, plus (usually) a formal event that teaches every concept."""
    journey = draw(journeys(max_concepts=4, max_activities=8))
    if draw(st.integers(0, 4)) == 0:
        return journey
    kind = draw(st.sampled_from(["ilt_workshop", "vilt_session", "elearning_module"]))
    event = Activity.of_kind(
        kind,
        id="teach-all",
        title="Formal event",
        covers=[c.id for c in journey.concepts],
        schedule=float(draw(st.integers(-14, 60))),
    )
    return journey.add_activity(event)


def first_taught(journey: Journey) -> dict[str, float]:
    """Day each concept is first taught: a dated formal event or encode touch that covers it."""
    out: dict[str, float] = {}
    for activity in journey.activities:
        day = journey.days[activity.id]
        if day is None:
            continue
        for concept in activity.concept_ids:
            if journey.is_formal(activity) or activity.effect_on(concept) is MemoryEffect.ENCODE:
                out[concept] = min(out.get(concept, math.inf), day)
    return out


def week(day: float, start_weekday: int) -> int:
    return (math.floor(day) + start_weekday) // 7


def expected_error(journey: Journey, plan: Any, constraints: PlanConstraints) -> str | None:
    kind = journey.catalog[plan.kind]
    if constraints.channels and not any(c in constraints.channels for c in kind.channels):
        return "none of which is allowed"
    one_touch = plan._minutes(kind, 1)
    if constraints.max_minutes_per_week is not None and one_touch > constraints.max_minutes_per_week:
        return "more than max_minutes_per_week"
    return None


@settings(max_examples=200)
@given(
    journey=taught_journeys(),
    text=st.sampled_from(PLAN_STRINGS),
    kind=st.sampled_from(KINDS),
    constraints=constraints_strategy,
)
def test_every_generator_respects_its_constraints(
    journey: Journey, text: str, kind: str, constraints: PlanConstraints
) -> None:
    plan = parse_plan(text, kind=kind, constraints=constraints)
    problem = expected_error(journey, plan, constraints)
    event(f"expected error: {problem}")
    if problem is not None:
        with pytest.raises(ParameterError, match=problem):
            plan.build(journey)
        return
    schedule = plan.build(journey)
    applied = plan.apply(journey)
    event(f"adds touches: {bool(schedule.activities)}")
    taught = first_taught(journey)
    added = {a.id: a for a in applied.activities if a.id not in {b.id for b in journey.activities}}
    assert set(added) == {a.id for a in schedule.activities}

    plan_count: Counter[int] = Counter()
    plan_minutes: defaultdict[int, float] = defaultdict(float)
    for activity in schedule.activities:
        day = applied.day_of(activity.id)
        assert day is not None
        # nothing before the concept is first taught (and only taught concepts get touches)
        for concept in activity.concept_ids:
            assert concept in taught, (activity.id, concept, day)
            assert day >= taught[concept], (activity.id, concept, day)
        # real activities of the plan's kind, in the after layer, relative to a formal/teaching touch
        assert activity.kind == kind
        assert activity.layer is Layer.AFTER
        assert activity.schedule.after is not None
        assert activity.schedule.gap_days >= 0
        assert activity.id.startswith(f"plan-{plan.family}-")
        # allowed channels
        if constraints.channels:
            assert activity.channel in constraints.channels
        # workdays only
        if constraints.workdays_only:
            assert (constraints.start_weekday + math.floor(day)) % 7 < 5, (activity.id, day)
        plan_count[week(day, constraints.start_weekday)] += 1
        plan_minutes[week(day, constraints.start_weekday)] += activity.duration_min
        if plan.family == "deadline":
            assert day < plan.deadline_day
        if plan.family == "target":
            assert day <= plan.until_day

    # weekly caps, counting the journey's own non-formal dated activities
    existing_count: Counter[int] = Counter()
    existing_minutes: defaultdict[int, float] = defaultdict(float)
    for activity in journey.activities:
        day = journey.days[activity.id]
        if day is not None and not journey.is_formal(activity):
            existing_count[week(day, constraints.start_weekday)] += 1
            existing_minutes[week(day, constraints.start_weekday)] += activity.duration_min
    for w, count in plan_count.items():
        if (
            constraints.max_touches_per_week is not None
            and count + existing_count[w] == constraints.max_touches_per_week
        ):
            event("a weekly touch cap is reached")
        if constraints.max_touches_per_week is not None:
            assert count <= max(0, constraints.max_touches_per_week - existing_count[w]), w
        if constraints.max_minutes_per_week is not None:
            room = max(0.0, constraints.max_minutes_per_week - existing_minutes[w])
            assert plan_minutes[w] <= room + 1e-6, w


@settings(max_examples=40)
@given(journey=journeys(max_concepts=4, max_activities=8), text=st.sampled_from(PLAN_STRINGS))
def test_plans_only_touch_chosen_taught_concepts(journey: Journey, text: str) -> None:
    chosen = (journey.concepts[0].id,)
    schedule = parse_plan(text, concepts=chosen).build(journey)
    for activity in schedule.activities:
        assert activity.concept_ids == chosen
    taught = first_taught(journey)
    assert (chosen[0] in schedule.skipped) == (chosen[0] not in taught)
