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
