"""Retrieval items: validated with the activity, optional in spec v1, documented by the schema."""

from __future__ import annotations

from typing import Any

import pytest

from workbench.errors import JourneyError
from workbench.model import Activity, RetrievalItem
from workbench.rules import lint
from workbench.spec import dumps, json_schema, loads
from workbench.templates import list_templates, load_template


def choice_item(**fields: Any) -> dict[str, Any]:
    base = {
        "id": "q1",
        "concept": "c1",
        "stem": "Which one?",
        "choices": [{"text": "Right", "correct": True}, {"text": "Wrong"}],
    }
    return {**base, **fields}


def quiz(*items: dict[str, Any], covers: Any = ("c1", "c2"), kind: str = "spaced_recall_quiz") -> Activity:
    return Activity.of_kind(kind, id="quiz", title="Quiz", covers=list(covers), schedule=3, items=list(items))


def test_items_of_a_quiz_load() -> None:
    free = {"id": "q2", "concept": "c2", "stem": "Name it", "type": "free_text", "accepted": ["SBI", "S-B-I"]}
    activity = quiz(choice_item(), free)
    assert [i.id for i in activity.items] == ["q1", "q2"]
    assert activity.items[0].correct_indices == (0,)
    assert activity.items[1].accepts("  s-b-i ")
    assert not activity.items[1].accepts("SB")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"concept": "elsewhere"}, "items[0].concept: 'elsewhere' is not a concept this activity covers"),
        ({"choices": [{"text": "Only", "correct": True}]}, "needs at least two choices (got 1)"),
        ({"choices": [{"text": "A", "correct": True}, {"text": "B", "correct": True}]}, "exactly one correct"),
        ({"choices": [{"text": "A"}, {"text": "B"}]}, "exactly one correct choice (got 0)"),
        ({"type": "multiple_choice", "choices": [{"text": "A"}, {"text": "B"}]}, "at least one correct"),
        ({"type": "free_text", "choices": []}, "needs at least one accepted answer"),
        ({"accepted": ["x"]}, "only free_text items have accepted answers"),
        ({"choices": [{"text": "Same", "correct": True}, {"text": "same "}]}, "same text"),
        ({"type": "true_false"}, "type"),
    ],
)
def test_invalid_items_are_reported_with_their_path(fields: dict[str, Any], message: str) -> None:
    with pytest.raises(JourneyError, match="items\\[0\\]") as error:
        quiz(choice_item(**fields))
    assert message in str(error.value)


def test_item_ids_are_unique_within_the_activity() -> None:
    with pytest.raises(JourneyError, match="'q1' is used twice"):
        quiz(choice_item(), choice_item(concept="c2"))


def test_only_retrieval_activities_carry_items() -> None:
    with pytest.raises(JourneyError, match="only retrieval activities"):
        quiz(choice_item(), kind="concept_explainer_video")


def test_multiple_choice_allows_several_correct() -> None:
    item = RetrievalItem.model_validate(
        choice_item(type="multiple_choice", choices=[{"text": "A", "correct": True}, {"text": "B", "correct": True}])
    )
    assert item.correct_indices == (0, 1)


def test_specs_without_items_load_and_dump_unchanged() -> None:
    journey = load_template("post_training_retention").update_activity("quiz_1", items=())
    text = dumps(journey)
    assert "items" not in text.split("id: quiz_1", 1)[1].split("- id:", 1)[0]
    assert loads(text) == journey


def test_items_round_trip_through_the_spec() -> None:
    journey = load_template("post_training_retention")
    quiz_1 = journey.activity("quiz_1")
    changed = journey.update_activity(
        "quiz_1",
        items=[choice_item(concept=quiz_1.concept_ids[0], feedback="Because.")],
    )
    for format in ("yaml", "json"):
        assert loads(dumps(changed, format), format) == changed


def test_json_schema_documents_items() -> None:
    schema = json_schema()
    items = schema["$defs"]["Activity"]["properties"]["items"]
    assert "optional" in items["description"]
    item = schema["$defs"]["RetrievalItem"]
    assert set(item["properties"]) == {"id", "concept", "stem", "type", "choices", "accepted", "feedback"}
    assert item["properties"]["type"]["enum"] == ["single_choice", "multiple_choice", "free_text"]
    assert "items" not in schema["$defs"]["Activity"].get("required", [])


@pytest.mark.parametrize("name", list_templates())
def test_every_template_quiz_has_items_for_each_concept(name: str) -> None:
    journey = load_template(name)
    quizzes = [a for a in journey.activities if a.kind == "spaced_recall_quiz"]
    assert quizzes, name
    for quiz in quizzes:
        assert quiz.items, f"{name}: {quiz.id} has no items"
        assert {i.concept for i in quiz.items} == set(quiz.concept_ids), f"{name}: {quiz.id}"
    assert not [f for f in lint(journey) if f.code == "WB024"]
