"""The concept form of the composer: add, rename (carrying the id into covers) and remove concepts."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as widgets

from workbench.errors import WorkbenchError
from workbench.model import Concept, Journey
from workbench.widgets._activity_form import FIELD_LAYOUT, WIDE
from workbench.widgets._common import describe, error_html, error_lines, styled
from workbench.widgets._part import ComposerPart

__all__ = ["ConceptForm"]


class ConceptForm(ComposerPart):
    """Concept picker, id and name, the Add/Rename/Remove buttons, and the concept error."""

    def _build_concepts(self) -> None:
        self.concept_select = styled(
            widgets.Dropdown(options=[], value=None, description="Concept", style=WIDE, layout=FIELD_LAYOUT),
            "wb-concept",
        )
        self.concept_id = styled(
            widgets.Text(description="Concept id", style=WIDE, layout=FIELD_LAYOUT), "wb-concept-id"
        )
        self.concept_name = styled(widgets.Text(description="Name", style=WIDE, layout=FIELD_LAYOUT), "wb-concept-name")
        self.concept_add_button = styled(widgets.Button(description="Add concept", icon="plus"), "wb-concept-add")
        self.concept_rename_button = styled(widgets.Button(description="Rename", icon="pencil"), "wb-concept-rename")
        self.concept_remove_button = styled(widgets.Button(description="Remove", icon="trash"), "wb-concept-remove")
        self.concept_error = styled(widgets.HTML(), "wb-error", "wb-concept-error")
        self.concept_select.observe(self._concept_selected, names="value")
        self.concept_add_button.on_click(lambda _: self.add_concept_from_form())
        self.concept_rename_button.on_click(lambda _: self.rename_concept_from_form())
        self.concept_remove_button.on_click(lambda _: self.remove_concept_from_form())

    def _concept_selected(self, change: Mapping[str, Any]) -> None:
        if self._loading or change["new"] is None:
            return
        concept = self.journey.concept(change["new"])
        self.concept_id.value = concept.id
        self.concept_name.value = concept.name
        self.concept_error.value = ""

    def _concept_action(self, action: str, build: Callable[[], Journey], message: str) -> None:
        try:
            journey = build()
        except WorkbenchError as exc:
            self.concept_error.value = error_html(error_lines(exc))
            self._message = f"{action}: {describe(exc)}; journey unchanged"
            self._update_status()
            return
        self.concept_error.value = ""
        self._commit(journey, message)

    def add_concept_from_form(self) -> None:
        """Add the concept of the concept form (what Add concept does)."""
        concept_id, name = self.concept_id.value.strip(), self.concept_name.value.strip()

        def build() -> Journey:
            return self.journey.add_concept(Concept(id=concept_id, name=name or concept_id))

        self._concept_action("concept not added", build, f"added concept {concept_id!r}")
        if concept_id in [c.id for c in self.journey.concepts]:
            self.concept_select.value = concept_id

    def rename_concept_from_form(self) -> None:
        """Give the selected concept the id and name of the form (what Rename does).

        A new id is carried into every activity that covers the concept.
        """
        old = self.concept_select.value
        if old is None:
            self.concept_error.value = error_html(["pick the concept to rename"])
            return
        new_id, name = self.concept_id.value.strip(), self.concept_name.value.strip()
        self._concept_action(
            "concept not renamed",
            lambda: renamed_concept(self.journey, old, new_id, name),
            f"renamed concept {old!r}" + (f" to {new_id!r}" if new_id != old else ""),
        )
        if new_id in [c.id for c in self.journey.concepts]:
            self.concept_select.value = new_id

    def remove_concept_from_form(self) -> None:
        """Remove the selected concept (refused while activities cover it)."""
        concept_id = self.concept_select.value
        if concept_id is None:
            self.concept_error.value = error_html(["pick the concept to remove"])
            return
        self._concept_action(
            "concept not removed",
            lambda: self.journey.remove_concept(concept_id),
            f"removed concept {concept_id!r}",
        )


def renamed_concept(journey: Journey, old_id: str, new_id: str, name: str) -> Journey:
    """Return the journey with concept ``old_id`` renamed to ``new_id`` and given ``name`` (kept when empty)."""
    renamed = journey.rename_concept(old_id, new_id)
    if not name:
        return renamed
    return renamed.replace_concept(Concept.model_validate({**renamed.concept(new_id).model_dump(), "name": name}))
