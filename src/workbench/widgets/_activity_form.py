"""The activity form of the composer: kind defaults, schedule, covers, and the add/update actions.

Every problem the journey's validation reports is put next to the field it is about
(:func:`~workbench.widgets._common.field_of_problem`); the journey stays as it was.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets

from workbench.catalog import ActivityKind
from workbench.errors import JourneyError, WorkbenchError
from workbench.model import Activity, Journey
from workbench.vocabulary import Channel, Layer, MemoryEffect, Purpose
from workbench.widgets._common import error_html, error_lines, field_of_problem, styled
from workbench.widgets._part import ComposerPart

__all__ = ["FORM_FIELDS", "ActivityForm"]

#: Keys of :attr:`JourneyComposer.fields` (and of its ``errors``), in form order.
FORM_FIELDS: tuple[str, ...] = (
    "kind",
    "id",
    "title",
    "layer",
    "channel",
    "purpose",
    "effect",
    "duration",
    "schedule",
    "day",
    "after",
    "gap",
    "covers",
    "required",
    "facilitator",
)

_INDEX = re.compile(r"^activities\[(\d+)\]")
WIDE = {"description_width": "96px"}
FIELD_LAYOUT = {"width": "340px"}
NO_PURPOSE = ""


def kind_label(kind: ActivityKind) -> str:
    """How a kind is listed in the kind dropdown."""
    return f"{kind.name} ({kind.category.value})"


class ActivityForm(ComposerPart):
    """The activity form: one field per :data:`FORM_FIELDS`, its errors, and the activity actions."""

    _loaded_covers: dict[str, MemoryEffect | None]
    _loaded_effect: str | None
    _suggested: tuple[str, str]
    _day_row: widgets.Box
    _after_row: widgets.Box
    edge_source: widgets.Dropdown

    def _build_form(self, journey: Journey) -> None:
        catalog = journey.catalog
        self.activity_select = styled(
            widgets.Dropdown(options=[], value=None, description="Activity", style=WIDE, layout=FIELD_LAYOUT),
            "wb-activity",
        )
        self.new_button = styled(widgets.Button(description="New", tooltip="Start a new activity"), "wb-new")
        self.new_button.layout.width = "70px"
        kinds = sorted(catalog.values(), key=lambda k: (not k.is_formal, k.name))
        f: dict[str, widgets.Widget] = {
            "kind": widgets.Dropdown(options=[(kind_label(k), k.id) for k in kinds], description="Kind"),
            "id": widgets.Text(description="Id", placeholder="letters, digits, _ - ."),
            "title": widgets.Text(description="Title"),
            "layer": widgets.Dropdown(options=[layer.value for layer in Layer], description="Layer"),
            "channel": widgets.Dropdown(options=[c.value for c in Channel], description="Channel"),
            "purpose": widgets.Dropdown(
                options=[("(none)", NO_PURPOSE), *[(p.value, p.value) for p in Purpose]],
                description="Purpose",
            ),
            "effect": widgets.Dropdown(options=[e.value for e in MemoryEffect], description="Memory effect"),
            "duration": widgets.FloatText(value=1.0, description="Minutes", step=1),
            "schedule": widgets.ToggleButtons(
                options=[("day", "day"), ("after", "after"), ("on demand", "on_demand")],
                description="Schedule",
                style={"description_width": "96px", "button_width": "84px"},
            ),
            "day": widgets.FloatText(value=0.0, description="Day", step=1),
            "after": widgets.Combobox(options=[], ensure_option=False, description="After", placeholder="activity id"),
            "gap": widgets.FloatText(value=0.0, description="Gap (days)", step=1),
            "covers": widgets.SelectMultiple(options=[], description="Covers", rows=4),
            "required": widgets.Checkbox(value=True, description="Required", indent=True),
            "facilitator": widgets.Text(description="Facilitator", placeholder="who runs it (social pieces)"),
        }
        css = {"duration": "wb-duration", "schedule": "wb-schedule-mode"}
        for name, control in f.items():
            styled(control, css.get(name, f"wb-{name}"), "wb-field")
            if name != "schedule":
                control.style = WIDE
            control.layout = widgets.Layout(**FIELD_LAYOUT) if name != "schedule" else widgets.Layout()
        self.fields = f
        self.errors = {name: styled(widgets.HTML(), "wb-error", f"wb-error-{name}") for name in FORM_FIELDS}
        self.form_error = styled(widgets.HTML(), "wb-error", "wb-form-error")

        self.add_button = styled(widgets.Button(description="Add", button_style="primary", icon="plus"), "wb-add")
        self.update_button = styled(widgets.Button(description="Update", icon="check"), "wb-update")
        self.duplicate_button = styled(widgets.Button(description="Duplicate", icon="copy"), "wb-duplicate")
        self.remove_button = styled(
            widgets.Button(description="Remove", button_style="danger", icon="trash"), "wb-remove"
        )
        for button in (self.add_button, self.update_button, self.duplicate_button, self.remove_button):
            button.layout.width = "100px"

        self.activity_select.observe(self._on_selection, names="value")
        f["kind"].observe(self._on_kind, names="value")
        f["schedule"].observe(lambda _: self._show_schedule_fields(), names="value")
        self.new_button.on_click(lambda _: self._new_form())
        self.add_button.on_click(lambda _: self.add_from_form())
        self.update_button.on_click(lambda _: self.update_from_form())
        self.duplicate_button.on_click(lambda _: self.duplicate_selected())
        self.remove_button.on_click(lambda _: self.remove_selected())
        self._show_schedule_fields()

    def select(self, activity_id: str | None) -> None:
        """Open the form of an activity (None: a new activity); what a graph click does."""
        if activity_id is not None and activity_id not in self._ids():
            self._message = f"no activity {activity_id!r}"
            self._update_status()
            return
        if activity_id is None:
            self._new_form()
        else:
            self.activity_select.value = activity_id

    @property
    def selected(self) -> str | None:
        """Id of the activity whose form is open, or None for a new activity."""
        return self._selected

    def _on_selection(self, change: Mapping[str, Any]) -> None:
        if self._loading:
            return
        activity_id = change["new"]
        if activity_id is None:
            self._selected = None
            return
        self._selected = activity_id
        self._load_form(self.journey.activity(activity_id))
        self._refresh_items()
        self.edge_source.value = activity_id
        self._message = f"editing {activity_id!r}"
        self._update_status()

    def _clear_errors(self) -> None:
        for widget in (*self.errors.values(), self.form_error):
            widget.value = ""

    def _load_form(self, activity: Activity) -> None:
        f = self.fields
        self._loading = True
        try:
            f["kind"].value = activity.kind
            f["id"].value = activity.id
            f["title"].value = activity.title
            f["layer"].value = activity.layer.value
            f["channel"].value = activity.channel.value
            f["purpose"].value = activity.purpose.value if activity.purpose is not None else NO_PURPOSE
            kind_effect = self.journey.catalog[activity.kind].memory_effect.value
            effect = activity.covers[0].effect.value if activity.covers and activity.covers[0].effect else kind_effect
            f["effect"].value = effect
            self._loaded_effect = effect
            self._loaded_covers = {c.concept: c.effect for c in activity.covers}
            f["duration"].value = activity.duration_min
            schedule = activity.schedule
            f["schedule"].value = schedule.mode.replace("absolute", "day").replace("relative", "after")
            f["day"].value = schedule.day if schedule.day is not None else 0.0
            f["after"].value = schedule.after or ""
            f["gap"].value = schedule.gap_days
            declared = {c.id for c in self.journey.concepts}
            f["covers"].value = tuple(c for c in activity.concept_ids if c in declared)
            f["required"].value = activity.required
            f["facilitator"].value = activity.facilitator or ""
        finally:
            self._loading = False
        self._show_schedule_fields()
        self._clear_errors()

    def _new_form(self) -> None:
        """Clear the form for a new activity of the current kind."""
        self._loading = True
        try:
            self.activity_select.value = None
        finally:
            self._loading = False
        self._selected = None
        self._loaded_covers = {}
        self._loaded_effect = None
        f = self.fields
        self._loading = True
        try:
            f["id"].value = ""
            f["title"].value = ""
        finally:
            self._loading = False
        f["covers"].value = ()
        f["schedule"].value = "day"
        f["day"].value = 0.0
        f["after"].value = ""
        f["gap"].value = 0.0
        f["facilitator"].value = ""
        f["required"].value = True
        self._fill_kind_defaults(new=True)
        self._clear_errors()
        self._refresh_items()
        self._message = "new activity: pick a kind, fill the form, then Add"
        self._update_status()

    def _on_kind(self, change: Mapping[str, Any]) -> None:
        if not self._loading:
            self._fill_kind_defaults(new=self._selected is None)

    def _fill_kind_defaults(self, *, new: bool) -> None:
        """Fill layer, channel, minutes, purpose and effect from the kind (via ``Activity.of_kind``)."""
        f = self.fields
        kind_id = f["kind"].value
        if kind_id is None:
            return
        catalog = self.journey.catalog
        kind = catalog[kind_id]
        template = Activity.of_kind(kind_id, catalog=catalog, id="draft", title=kind.name, schedule=0)
        self._loading = True
        try:
            f["layer"].value = template.layer.value
            f["channel"].value = template.channel.value
            f["duration"].value = template.duration_min
            f["purpose"].value = template.purpose.value if template.purpose is not None else NO_PURPOSE
            f["effect"].value = kind.memory_effect.value
            if new:
                old_id, old_title = self._suggested
                suggestion = (self._unique_id(kind_id), kind.name)
                if f["id"].value in ("", old_id) or f["id"].value in self._ids():
                    f["id"].value = suggestion[0]
                if f["title"].value in ("", old_title):
                    f["title"].value = suggestion[1]
                self._suggested = suggestion
        finally:
            self._loading = False

    def _unique_id(self, base: str) -> str:
        ids = set(self._ids())
        if base not in ids:
            return base
        n = 2
        while f"{base}_{n}" in ids:
            n += 1
        return f"{base}_{n}"

    def _show_schedule_fields(self) -> None:
        if not hasattr(self, "_day_row"):
            return
        mode = self.fields["schedule"].value
        self._day_row.layout.display = "flex" if mode == "day" else "none"
        self._after_row.layout.display = "flex" if mode == "after" else "none"

    def _schedule_from_form(self) -> dict[str, Any]:
        f = self.fields
        mode = f["schedule"].value
        if mode == "on_demand":
            return {"on_demand": True}
        if mode == "after":
            after = f["after"].value.strip()
            if not after:
                raise JourneyError("schedule.after: pick the activity this one follows", kind="Activity")
            return {"after": after, "gap_days": float(f["gap"].value)}
        return {"day": float(f["day"].value)}

    def activity_from_form(self, base: Activity | None = None) -> Activity:
        """Return the activity the form describes, built with :meth:`Activity.of_kind`.

        Fields the form does not show (url, mastery score, description) are kept from
        ``base``. A concept keeps its own memory effect unless the effect field was changed.

        Raises
        ------
        JourneyError
            The form holds invalid values (each problem names its field).
        """
        f = self.fields
        effect = f["effect"].value
        covers: dict[str, str] = {}
        for concept_id in f["covers"].value:
            previous = self._loaded_covers.get(concept_id)
            keep = previous is not None and effect == self._loaded_effect
            covers[concept_id] = previous.value if keep and previous is not None else effect
        fields: dict[str, Any] = {
            "id": f["id"].value.strip(),
            "title": f["title"].value.strip(),
            "layer": f["layer"].value,
            "channel": f["channel"].value,
            "duration_min": float(f["duration"].value),
            "purpose": f["purpose"].value or None,
            "covers": covers,
            "schedule": self._schedule_from_form(),
            "required": bool(f["required"].value),
        }
        facilitator = f["facilitator"].value.strip()
        if facilitator:
            fields["facilitator"] = facilitator
        if base is not None:
            for extra in ("url", "mastery_score", "description", "items"):
                value = getattr(base, extra)
                if value not in (None, ""):
                    fields[extra] = value
        return Activity.of_kind(f["kind"].value, catalog=self.journey.catalog, **fields)

    def _show_problems(self, exc: WorkbenchError | OSError, index: int | None, action: str) -> None:
        """Put each problem next to its field (or under the form); the journey is unchanged."""
        self._clear_errors()
        by_field: dict[str, list[str]] = {}
        general: list[str] = []
        for line in error_lines(exc):
            match = _INDEX.match(line)
            ours = match is None or index is None or int(match.group(1)) == index
            field = field_of_problem(line, self.fields) if ours else None
            (by_field.setdefault(field, []) if field else general).append(line)
        for field, lines in by_field.items():
            self.errors[field].value = error_html(lines)
        self.form_error.value = error_html(general)
        count = sum(map(len, by_field.values())) + len(general)
        where = ", ".join(by_field) or "the form"
        self._message = f"{action}: {count} problem{'s' if count != 1 else ''} ({where}); journey unchanged"
        self._update_status()

    def add_from_form(self) -> None:
        """Add the activity the form describes (what the Add button does)."""
        try:
            activity = self.activity_from_form()
            journey = self.journey.add_activity(activity)
        except WorkbenchError as exc:
            self._show_problems(exc, len(self.journey.activities), "not added")
            return
        self._clear_errors()
        self._commit(journey, f"added {activity.id!r}", select=activity.id)

    def update_from_form(self) -> None:
        """Apply the form to the selected activity (what the Update button does).

        A changed id renames the activity, and the edges and schedules that refer to it.
        """
        selected = self._selected
        if selected is None:
            self._show_problems(
                JourneyError("no activity selected: pick one to update, or Add this one as new"),
                None,
                "not updated",
            )
            return
        index = self._ids().index(selected)
        try:
            activity = self.activity_from_form(self.journey.activity(selected))
            journey = self.journey.rename_activity(selected, activity.id).replace_activity(activity)
        except WorkbenchError as exc:
            self._show_problems(exc, index, "not updated")
            return
        self._clear_errors()
        self._commit(journey, f"updated {activity.id!r}", select=activity.id)

    def duplicate_selected(self) -> None:
        """Add a copy of the selected activity under a new id (what Duplicate does)."""
        selected = self._selected
        if selected is None:
            self._show_problems(JourneyError("no activity selected: pick one to duplicate"), None, "not duplicated")
            return
        original = self.journey.activity(selected)
        new_id = self._unique_id(f"{selected}_copy")
        data = original.model_dump()
        data.update(id=new_id, title=f"{original.title} (copy)"[:300])
        try:
            journey = self.journey.add_activity(Activity.model_validate(data))
        except WorkbenchError as exc:
            self._show_problems(exc, None, "not duplicated")
            return
        self._clear_errors()
        self._commit(journey, f"duplicated {selected!r} as {new_id!r}", select=new_id)

    def remove_selected(self) -> None:
        """Remove the selected activity and its edges (what the Remove button does)."""
        selected = self._selected
        if selected is None:
            self._show_problems(JourneyError("no activity selected: pick one to remove"), None, "not removed")
            return
        try:
            journey = self.journey.remove_activity(selected)
        except WorkbenchError as exc:
            self._show_problems(exc, None, "not removed")
            return
        self._clear_errors()
        self._commit(journey, f"removed {selected!r}")
