"""Journey values: invariants reported together, edits that re-validate, schedules, graphs."""

from __future__ import annotations

import networkx as nx
import pytest
from hypothesis import given, settings

from support.journeys import journeys
from workbench.catalog import default_catalog
from workbench.errors import CatalogError, JourneyError
from workbench.model import Activity, Concept, Journey, Layer, MemoryEffect, from_graph, to_graph


@pytest.fixture
def small() -> Journey:
    return (
        Journey.empty("demo", "Demo journey")
        .add_concept(Concept(id="c1", name="Concept one"))
        .add_concept(Concept(id="c2", name="Concept two"))
        .add_activity(
            Activity.of_kind(
                "ilt_workshop",
                id="ws",
                title="Workshop",
                covers=["c1", "c2"],
                schedule=0,
                facilitator="Trainer",
            )
        )
        .add_activity(
            Activity.of_kind(
                "spaced_recall_quiz",
                id="q1",
                title="Quiz",
                covers=["c1"],
                schedule={"after": "ws", "gap_days": 3},
            )
        )
        .add_activity(
            Activity.of_kind(
                "spaced_recall_quiz",
                id="q2",
                title="Quiz 2",
                covers=["c2"],
                schedule={"after": "q1", "gap_days": 7},
            )
        )
        .add_activity(
            Activity.of_kind("job_aid", id="aid", title="Checklist", covers=["c1"], schedule={"on_demand": True})
        )
        .connect("ws", "q1")
        .connect("q1", "q2")
    )


def test_of_kind_fills_defaults_from_catalog() -> None:
    quiz = Activity.of_kind("spaced_recall_quiz", id="q", title="Q", covers=["c"], schedule=2)
    kind = default_catalog()["spaced_recall_quiz"]
    assert (quiz.layer, quiz.channel, quiz.duration_min, quiz.purpose) == (
        kind.layer,
        kind.default_channel,
        kind.duration_min,
        kind.purpose,
    )
    assert quiz.effect_on("c") is MemoryEffect.RETRIEVE
    explicit = Activity.of_kind(
        "spaced_recall_quiz", id="q", title="Q", covers={"c": "restudy"}, schedule=2, duration_min=5.0
    )
    assert explicit.effect_on("c") is MemoryEffect.RESTUDY
    assert explicit.duration_min == 5.0


def test_resolved_schedule_follows_relative_chains(small: Journey) -> None:
    assert dict(small.days) == {"ws": 0.0, "q1": 3.0, "q2": 10.0, "aid": None}
    assert [a.id for a in small.timeline()] == ["ws", "q1", "q2", "aid"]


def test_edits_return_new_values_and_leave_the_original(small: Journey) -> None:
    longer = small.update_activity("q1", duration_min=6.0)
    assert longer.activity("q1").duration_min == 6.0
    assert small.activity("q1").duration_min == 3.0
    fewer = small.remove_activity("aid")
    assert "aid" not in {a.id for a in fewer.activities}
    assert len(small.activities) == 4
    unlinked = small.disconnect("q1", "q2")
    assert len(unlinked.edges) == 1
    assert len(small.edges) == 2


def test_edit_that_breaks_an_invariant_raises_and_names_it(small: Journey) -> None:
    with pytest.raises(JourneyError, match=r"duration_min: must be > 0 \(got -1.0\)"):
        small.update_activity("q1", duration_min=-1.0)
    with pytest.raises(JourneyError, match="'then' edges form a cycle"):
        small.connect("q2", "ws")
    with pytest.raises(JourneyError, match="q2 are scheduled after it"):
        small.remove_activity("q1")
    with pytest.raises(JourneyError, match="covered by ws, q1, aid"):
        small.remove_concept("c1")


def test_all_invariant_violations_are_reported_at_once() -> None:
    with pytest.raises(JourneyError) as info:
        Journey(
            id="x",
            title="X",
            concepts=[{"id": "c", "name": "C"}, {"id": "c", "name": "Again"}],
            activities=[
                {"id": "a", "title": "A", "kind": "job_aid", "covers": ["ghost"], "schedule": {"day": 0}},
                {"id": "a", "title": "B", "kind": "job_aid", "schedule": {"after": "nowhere"}},
            ],
            edges=[{"source": "a", "target": "zz"}],
        )
    problems = "\n".join(info.value.problems)
    for fragment in (
        "duplicate id 'c'",
        "duplicate id 'a'",
        "concept 'ghost' is not declared",
        "activity 'zz' does not exist",
        "activity 'nowhere' does not exist",
    ):
        assert fragment in problems
    assert len(info.value.problems) == 5


def test_unknown_kind_suggests_the_closest() -> None:
    with pytest.raises(JourneyError, match="did you mean job_aid"):
        Journey(
            id="x",
            title="X",
            activities=[{"id": "a", "title": "A", "kind": "jobaid", "schedule": {"day": 0}}],
        )
    with pytest.raises(CatalogError, match="unknown kind 'nope'"):
        default_catalog()["nope"]


def test_custom_kinds_extend_the_catalog_for_that_journey() -> None:
    podcast = {
        "id": "podcast",
        "name": "Podcast",
        "category": "micro",
        "duration_min": 8,
        "layer": "after",
        "channels": ["mobile"],
        "purpose": "recap",
        "memory_effect": "restudy",
    }
    journey = Journey(
        id="x",
        title="X",
        kinds=[podcast],
        activities=[{"id": "p", "title": "Episode 1", "kind": "podcast", "schedule": {"day": 2}}],
    )
    assert journey.activity("p").duration_min == 8.0
    assert journey.kind_of("p").name == "Podcast"
    assert "podcast" not in default_catalog()


def test_values_are_frozen(small: Journey) -> None:
    with pytest.raises(Exception, match="frozen"):
        small.title = "changed"  # type: ignore[misc]


def test_graph_view_carries_values_and_round_trips(small: Journey) -> None:
    graph = to_graph(small)
    assert set(graph.nodes) == {"ws", "q1", "q2", "aid"}
    assert graph.nodes["q2"]["day"] == 10.0
    assert graph.nodes["ws"]["formal"] is True
    assert graph.edges["ws", "q1"]["kind"] == "then"
    assert from_graph(graph) == small


def test_from_a_graph_a_designer_drew() -> None:
    graph = nx.DiGraph(id="drawn", title="Drawn in networkx")
    graph.add_node("vilt", kind="vilt_session", title="Kick-off", covers=["c1"], schedule=0, facilitator="Ana")
    graph.add_node("recap", kind="post_session_recap", title="Recap", covers=["c1"], schedule=1)
    graph.add_edge("vilt", "recap")
    journey = from_graph(graph)
    assert journey.activity("recap").layer is Layer.AFTER
    assert journey.concepts == (Concept(id="c1", name="c1"),)
    with pytest.raises(JourneyError, match="DiGraph"):
        from_graph(nx.Graph())  # type: ignore[arg-type]


@settings(max_examples=60)
@given(journeys())
def test_graph_round_trip_on_random_journeys(journey: Journey) -> None:
    assert from_graph(to_graph(journey)) == journey
    days = journey.days
    for activity in journey.activities:
        if activity.schedule.after is not None:
            base = days[activity.schedule.after]
            assert base is not None
            assert days[activity.id] == base + activity.schedule.gap_days


def test_summary_counts_layers_minutes_and_coverage(small: Journey) -> None:
    summary = small.summary()
    assert summary.learner_minutes == pytest.approx(240 + 3 + 3 + 2)
    assert summary.layers["after"].activities == 2
    assert summary.coverage["c1"].effects == ("apply", "encode", "retrieve")
    assert summary.formal == 1
    assert summary.span_days == 10.0
    assert summary.uncovered == ()


def test_summary_is_a_frozen_value_with_plain_data_and_html(small: Journey) -> None:
    import dataclasses
    import json

    summary = small.summary()
    with pytest.raises(dataclasses.FrozenInstanceError):
        summary.activities = 0  # type: ignore[misc]
    with pytest.raises(TypeError):
        summary.layers["after"] = summary.layers["before"]  # type: ignore[index]
    data = summary.to_dict()
    assert json.loads(json.dumps(data)) == data  # plain JSON data
    effects = ["apply", "encode", "retrieve"]
    assert data["coverage"]["c1"] == {"name": "Concept one", "activities": 3, "effects": effects}
    assert data["layers"]["after"] == {"activities": 2, "minutes": 6.0}
    assert list(data) == [
        "id", "title", "version", "activities", "formal", "micro", "concepts", "learner_minutes", "span_days",
        "layers", "coverage",
    ]  # fmt: skip
    page = summary._repr_html_()
    assert "Demo journey" in page
    assert '<td class="num">2</td>' in page
    uncovered = small.add_concept(Concept(id="c3", name="Three")).summary()
    assert uncovered.uncovered == ("c3",)
    assert "NOT COVERED" in uncovered.to_text()


def test_kinds_from_a_user_catalog_file_travel_with_the_journey(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from workbench.catalog import load_catalog
    from workbench.spec import dumps, loads

    path = tmp_path / "kinds.yaml"
    path.write_text(
        "kinds:\n  - {id: podcast_episode, name: Podcast episode, category: micro, duration_min: 8,"
        " layer: after, channels: [mobile], purpose: recap, memory_effect: restudy}\n",
        "utf-8",
    )
    catalog = load_catalog(path)
    assert [k.id for k in catalog.custom_kinds] == ["podcast_episode"]
    journey = (
        Journey.empty("pod", "Podcast follow-up")
        .add_kinds(catalog.custom_kinds)
        .add_concept(Concept(id="c1", name="C1"))
        .add_activity(
            Activity.of_kind("podcast_episode", catalog=catalog, id="ep1", title="Episode 1", covers=["c1"], schedule=3)
        )
    )
    assert journey.activity("ep1").effect_on("c1") is MemoryEffect.RESTUDY
    assert loads(dumps(journey)) == journey
    bad = tmp_path / "bad.yaml"
    bad.write_text("kinds:\n  - {id: x, name: X}\n", "utf-8")
    with pytest.raises(CatalogError, match=r"kinds\[0\]\.category: is required"):
        load_catalog(bad)


def test_field_errors_and_broken_references_are_reported_together() -> None:
    with pytest.raises(JourneyError) as info:
        Journey(
            id="x",
            title="X",
            concepts=[{"id": "c", "name": "C"}],
            activities=[
                {
                    "id": "a",
                    "title": "A",
                    "kind": "job_aid",
                    "covers": ["ghost"],
                    "schedule": {"day": 0},
                    "duration_min": -5,
                },
                {"id": "b", "title": "B", "kind": "job_aid", "schedule": {"after": "nowhere"}},
            ],
            edges=[{"source": "a", "target": "zz"}],
        )
    problems = info.value.problems
    assert problems[0] == "activities[0].duration_min: must be > 0 (got -5)"
    assert any("concept 'ghost' is not declared" in p for p in problems)
    assert any("activity 'nowhere' does not exist" in p for p in problems)
    assert any("edges[0].target: activity 'zz' does not exist" in p for p in problems)
    assert len(problems) == 4


@pytest.mark.parametrize("name", ["post_training_retention", "software_adoption", "manager_capability"])
def test_formal_core_keeps_formal_and_preparing_activities_only(name: str) -> None:
    from workbench.templates import load_template

    journey = load_template(name)
    core = journey.formal_core()
    kept = {a.id for a in core.activities}
    for activity in journey.activities:
        reinforcement = not journey.is_formal(activity) and activity.layer in (Layer.AFTER, Layer.WORK)
        assert (activity.id in kept) != reinforcement
    assert all(e.source in kept and e.target in kept for e in core.edges)
    assert core.concepts == journey.concepts
    assert core.formal_core() == core


def test_formal_core_refuses_to_strand_an_activity(small: Journey) -> None:
    stranded = small.add_activity(
        Activity.of_kind(
            "ilt_workshop",
            id="ws2",
            title="Follow-up workshop",
            covers=["c2"],
            schedule={"after": "q1", "gap_days": 30},
            facilitator="Trainer",
        )
    )
    with pytest.raises(JourneyError, match="ws2 are scheduled after reinforcement assets"):
        stranded.formal_core()


def test_rename_activity_carries_the_id_into_schedules_and_edges(small: Journey) -> None:
    renamed = small.rename_activity("q1", "first_quiz")
    assert [a.id for a in renamed.activities] == ["ws", "first_quiz", "q2", "aid"]
    assert renamed.activity("q2").schedule.after == "first_quiz"
    assert {(e.source, e.target) for e in renamed.edges} == {("ws", "first_quiz"), ("first_quiz", "q2")}
    assert renamed.days == {("first_quiz" if k == "q1" else k): v for k, v in small.days.items()}
    assert small.activity("q1").id == "q1"  # the original is untouched
    assert small.rename_activity("q1", "q1") is small


def test_rename_activity_refuses_a_taken_or_bad_id(small: Journey) -> None:
    with pytest.raises(JourneyError, match="q2"):
        small.rename_activity("q1", "q2")
    with pytest.raises(JourneyError):
        small.rename_activity("q1", "no spaces allowed")
    with pytest.raises(JourneyError, match="nope"):
        small.rename_activity("nope", "x")


def test_rename_concept_carries_the_id_into_covers(small: Journey) -> None:
    renamed = small.rename_concept("c1", "feedback")
    assert [c.id for c in renamed.concepts] == ["feedback", "c2"]
    assert renamed.concept("feedback").name == "Concept one"
    assert renamed.activity("ws").concept_ids == ("feedback", "c2")
    assert renamed.activity("aid").concept_ids == ("feedback",)
    assert renamed.activity("q1").effect_on("feedback") is MemoryEffect.RETRIEVE
    with pytest.raises(JourneyError, match="c2"):
        small.rename_concept("c1", "c2")


def test_rename_concept_carries_the_id_into_retrieval_items() -> None:
    from workbench.templates import load_template

    journey = load_template("post_training_retention")
    quiz = next(a for a in journey.activities if any(i.concept == "sbi_model" for i in a.items))
    renamed = journey.rename_concept("sbi_model", "sbi")
    concepts = {i.concept for i in renamed.activity(quiz.id).items}
    assert "sbi" in concepts
    assert "sbi_model" not in concepts
