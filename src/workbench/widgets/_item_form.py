"""The item editor of the composer: the retrieval items of the selected quiz, scenario or prompt.

Choices are typed one per line; a line starting with ``*`` is a correct choice, and text after
`` | `` is that choice's feedback (``* Impact on the work | Right: it is observable``). Free-text
items take their accepted answers one per line. Every edit goes through the activity's
validation, so an item about a concept the activity does not cover, or a single-choice item
without exactly one correct choice, is refused with the reason next to the form.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets

from workbench.errors import JourneyError, WorkbenchError
from workbench.model import Choice, Journey, MemoryEffect, RetrievalItem
from workbench.widgets._common import describe, error_html, error_lines, styled
from workbench.widgets._part import ComposerPart

__all__ = ["ItemForm", "choices_text", "parse_choices"]

ITEM_TYPES = (
    ("Single choice", "single_choice"),
    ("Multiple choice", "multiple_choice"),
    ("Free text", "free_text"),
)
WIDE = {"description_width": "96px"}


def _area() -> widgets.Layout:
    return widgets.Layout(width="95%", height="80px")


def _field() -> widgets.Layout:
    return widgets.Layout(width="95%")


def parse_choices(text: str) -> list[dict[str, Any]]:
    """Read choices typed one per line: ``*`` marks a correct one, `` | `` starts its feedback.

    Examples
    --------
    >>> first, second = parse_choices(chr(10).join(["* Impact on the work | Observable", "How you feel"]))
    >>> first
    {'text': 'Impact on the work', 'correct': True, 'feedback': 'Observable'}
    >>> second["correct"]
    False
    """
    out = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        correct = line.startswith("*")
        body = line[1:].strip() if correct else line
        choice, _, feedback = body.partition(" | ")
        out.append({"text": choice.strip(), "correct": correct, "feedback": feedback.strip()})
    return out


def choices_text(choices: tuple[Choice, ...]) -> str:
    """Write choices in the form's one-per-line notation (the inverse of :func:`parse_choices`).

    Examples
    --------
    >>> choices_text((Choice(text="Yes", correct=True, feedback="Right"), Choice(text="No"))).splitlines()
    ['* Yes | Right', 'No']
    """
    lines = []
    for choice in choices:
        line = ("* " if choice.correct else "") + choice.text
        lines.append(line + (f" | {choice.feedback}" if choice.feedback else ""))
    return "\n".join(lines)


def item_from_fields(
    item_id: str, concept: str | None, kind: str, stem: str, choices: str, accepted: str, feedback: str
) -> RetrievalItem:
    """Build an item from the form's texts; JourneyError names each field that is wrong."""
    data: dict[str, Any] = {"id": item_id.strip(), "concept": concept or "", "type": kind, "stem": stem.strip()}
    if kind == "free_text":
        data["accepted"] = [a.strip() for a in accepted.splitlines() if a.strip()]
    else:
        data["choices"] = parse_choices(choices)
    if feedback.strip():
        data["feedback"] = feedback.strip()
    return RetrievalItem.model_validate(data)


class ItemForm(ComposerPart):
    """Item picker, id, concept, type, stem, choices or accepted answers, feedback; Add/Update/Remove.

    A mixin of :class:`~workbench.widgets.JourneyComposer`: the items edited are those of the
    composer's selected activity.
    """

    def _build_items(self) -> None:
        self.item_select = styled(
            widgets.Dropdown(options=[], value=None, description="Item", style=WIDE, layout=_field()), "wb-item"
        )
        self.item_id = styled(
            widgets.Text(description="Item id", placeholder="e.g. q1", style=WIDE, layout=_field()), "wb-item-id"
        )
        self.item_concept = styled(
            widgets.Dropdown(options=[], description="Concept", style=WIDE, layout=_field()), "wb-item-concept"
        )
        self.item_type = styled(
            widgets.Dropdown(
                options=ITEM_TYPES, value="single_choice", description="Type", style=WIDE, layout=_field()
            ),
            "wb-item-type",
        )
        self.item_stem = styled(widgets.Textarea(description="Question", style=WIDE, layout=_area()), "wb-item-stem")
        self.item_choices = styled(
            widgets.Textarea(
                description="Choices",
                placeholder="one per line; * marks a correct one; text after ' | ' is its feedback",
                style=WIDE,
                layout=_area(),
            ),
            "wb-item-choices",
        )
        self.item_accepted = styled(
            widgets.Textarea(
                description="Accepted", placeholder="accepted answers, one per line", style=WIDE, layout=_area()
            ),
            "wb-item-accepted",
        )
        self.item_feedback = styled(
            widgets.Textarea(description="Feedback", placeholder="shown after answering", style=WIDE, layout=_area()),
            "wb-item-feedback",
        )
        self.item_add_button = styled(widgets.Button(description="Add item", icon="plus"), "wb-item-add")
        self.item_update_button = styled(widgets.Button(description="Update item", icon="check"), "wb-item-update")
        self.item_remove_button = styled(widgets.Button(description="Remove item", icon="trash"), "wb-item-remove")
        self.item_note = styled(widgets.HTML(), "wb-item-note")
        self.item_error = styled(widgets.HTML(), "wb-error", "wb-item-error")
        self.item_select.observe(self._item_selected, names="value")
        self.item_type.observe(lambda _: self._show_item_fields(), names="value")
        self.item_add_button.on_click(lambda _: self.add_item_from_form())
        self.item_update_button.on_click(lambda _: self.update_item_from_form())
        self.item_remove_button.on_click(lambda _: self.remove_item_from_form())
        self._show_item_fields()

    def _item_widgets(self) -> list[widgets.Widget]:
        """Return the editor's widgets in the order the composer shows them."""
        return [
            self.item_note,
            self.item_select,
            self.item_id,
            self.item_concept,
            self.item_type,
            self.item_stem,
            self.item_choices,
            self.item_accepted,
            self.item_feedback,
            widgets.HBox([self.item_add_button, self.item_update_button, self.item_remove_button]),
            self.item_error,
        ]

    def _show_item_fields(self) -> None:
        free = self.item_type.value == "free_text"
        self.item_choices.layout.display = "none" if free else None
        self.item_accepted.layout.display = None if free else "none"

    def _items_activity(self) -> str | None:
        return self._selected if self._selected in self._ids() else None

    def _refresh_items(self) -> None:
        """Show the items of the selected activity (called when the journey or the selection changes)."""
        activity_id = self._items_activity()
        activity = self.journey.activity(activity_id) if activity_id is not None else None
        retrieves = activity is not None and any(c.effect is MemoryEffect.RETRIEVE for c in activity.covers)
        loading, self._loading = self._loading, True
        try:
            current = self.item_select.value
            items = activity.items if activity is not None else ()
            self.item_select.options = [(f"{i.id}: {i.stem[:50]}", i.id) for i in items]
            self.item_select.value = current if current in [i.id for i in items] else None
            concepts = [c.concept for c in activity.covers] if activity is not None else []
            self.item_concept.options = concepts
            if self.item_concept.value not in concepts:
                self.item_concept.value = concepts[0] if concepts else None
        finally:
            self._loading = loading
        for button in (self.item_add_button, self.item_update_button, self.item_remove_button):
            button.disabled = not retrieves
        if activity is None:
            self.item_note.value = "<i>Select a quiz, scenario or decision prompt to edit its items.</i>"
        elif not retrieves:
            self.item_note.value = f"<i>{activity.id!r} does not retrieve any concept: items are for retrieval.</i>"
        else:
            asked = {i.concept for i in activity.items}
            missing = [
                c.concept for c in activity.covers if c.effect is MemoryEffect.RETRIEVE and c.concept not in asked
            ]
            gap = f"; no item yet for {', '.join(missing)}" if missing else ""
            self.item_note.value = f"{len(activity.items)} item(s) in {activity.id!r}{gap}."

    def _item_selected(self, change: Mapping[str, Any]) -> None:
        activity_id = self._items_activity()
        if self._loading or change["new"] is None or activity_id is None:
            return
        item = next(i for i in self.journey.activity(activity_id).items if i.id == change["new"])
        self.item_id.value = item.id
        self.item_concept.value = item.concept
        self.item_type.value = item.type
        self.item_stem.value = item.stem
        self.item_choices.value = choices_text(item.choices)
        self.item_accepted.value = "\n".join(item.accepted)
        self.item_feedback.value = item.feedback
        self.item_error.value = ""

    def _form_item(self) -> RetrievalItem:
        return item_from_fields(
            self.item_id.value,
            self.item_concept.value,
            self.item_type.value,
            self.item_stem.value,
            self.item_choices.value,
            self.item_accepted.value,
            self.item_feedback.value,
        )

    def _item_action(self, action: str, change: Any) -> None:
        activity_id = self._items_activity()
        if activity_id is None:
            self.item_error.value = error_html(["select the activity whose items you edit"])
            return
        try:
            items, message = change(list(self.journey.activity(activity_id).items))
            journey: Journey = self.journey.update_activity(activity_id, items=items)
        except WorkbenchError as exc:
            self.item_error.value = error_html(error_lines(exc))
            self._message = f"{action}: {describe(exc)}; journey unchanged"
            self._update_status()
            return
        self.item_error.value = ""
        self._commit(journey, message, select=activity_id)

    def add_item_from_form(self) -> None:
        """Add the item of the form to the selected activity (what Add item does)."""

        def change(items: list[RetrievalItem]) -> tuple[list[RetrievalItem], str]:
            item = self._form_item()
            return [*items, item], f"added item {item.id!r}"

        self._item_action("item not added", change)
        if self.item_id.value.strip() in [o[1] for o in self.item_select.options]:
            self.item_select.value = self.item_id.value.strip()

    def update_item_from_form(self) -> None:
        """Replace the selected item with the form's (what Update item does)."""
        old = self.item_select.value

        def change(items: list[RetrievalItem]) -> tuple[list[RetrievalItem], str]:
            if old is None:
                raise JourneyError("item: pick the item to update")
            item = self._form_item()
            return [item if i.id == old else i for i in items], f"updated item {old!r}"

        self._item_action("item not updated", change)

    def remove_item_from_form(self) -> None:
        """Remove the selected item (what Remove item does)."""
        old = self.item_select.value

        def change(items: list[RetrievalItem]) -> tuple[list[RetrievalItem], str]:
            if old is None:
                raise JourneyError("item: pick the item to remove")
            return [i for i in items if i.id != old], f"removed item {old!r}"

        self._item_action("item not removed", change)
