"""Retrieval items in the composer: the activity form keeps them, concept renames carry them."""

from __future__ import annotations

from workbench.widgets import JourneyComposer


def test_updating_a_quiz_in_the_form_keeps_its_items(composer: JourneyComposer) -> None:
    items = composer.journey.activity("quiz_1").items
    assert items
    composer.activity_select.value = "quiz_1"
    composer.fields["title"].value = "Recall: SBI and asking first (week 1)"
    composer.update_button.click()
    assert composer.journey.activity("quiz_1").title.endswith("(week 1)")
    assert composer.journey.activity("quiz_1").items == items


def test_item_editor_shows_adds_updates_and_removes_items(composer: JourneyComposer) -> None:
    composer.activity_select.value = "quiz_2"
    quiz = composer.journey.activity("quiz_2")
    assert [value for _, value in composer.item_select.options] == [i.id for i in quiz.items]
    assert list(composer.item_concept.options) == list(quiz.concept_ids)

    composer.item_select.value = quiz.items[0].id  # a single-choice item loads into the form
    assert composer.item_stem.value == quiz.items[0].stem
    assert composer.item_choices.value.splitlines()[0].startswith("* ")

    composer.item_select.value = None
    composer.item_id.value = "q_new"
    composer.item_concept.value = "follow_up"
    composer.item_type.value = "multiple_choice"
    composer.item_stem.value = "Which belong in a follow-up?"
    composer.item_choices.value = "* Ask how the step went | yes\n* Recognise progress\nRepeat the feedback | no"
    composer.item_add_button.click()
    added = composer.journey.activity("quiz_2").items[-1]
    assert added.id == "q_new"
    assert added.correct_indices == (0, 1)
    assert added.choices[2].feedback == "no"
    assert composer.item_select.value == "q_new"

    composer.item_type.value = "free_text"
    composer.item_accepted.value = "a week\n7 days"
    composer.item_update_button.click()
    assert composer.journey.activity("quiz_2").items[-1].accepted == ("a week", "7 days")

    composer.item_remove_button.click()
    assert [i.id for i in composer.journey.activity("quiz_2").items] == [i.id for i in quiz.items]
    composer.undo()
    assert composer.journey.activity("quiz_2").items[-1].id == "q_new"


def test_item_editor_refuses_invalid_items_with_the_reason(composer: JourneyComposer) -> None:
    composer.activity_select.value = "quiz_2"
    before = composer.journey
    composer.item_select.value = None
    composer.item_id.value = "q_bad"
    composer.item_type.value = "single_choice"
    composer.item_stem.value = "Pick one"
    composer.item_choices.value = "* One\n* Two"
    composer.item_add_button.click()
    assert composer.journey is before
    assert "exactly one correct choice" in composer.item_error.value
    assert "journey unchanged" in composer.status.value


def test_item_editor_is_off_for_activities_that_do_not_retrieve(composer: JourneyComposer) -> None:
    composer.activity_select.value = "workshop"
    assert composer.item_add_button.disabled
    assert "items are for retrieval" in composer.item_note.value
