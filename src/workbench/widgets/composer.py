"""The journey composer: forms over one immutable ``Journey`` trait, with undo and redo.

Every edit goes through the journey's own edit methods (``add_activity``, ``connect``...),
so the journey is validated again after each one; what the validation rejects is shown next
to the field it is about, and the journey stays as it was.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Literal

import ipywidgets as widgets
import traitlets

from workbench.catalog import ActivityKind
from workbench.errors import JourneyError, WorkbenchError
from workbench.model import Activity, Concept, Journey
from workbench.rules import Finding, lint
from workbench.vocabulary import Channel, EdgeKind, Layer, MemoryEffect, Purpose
from workbench.widgets._common import (
    STYLE,
    JourneySource,
    as_journey,
    describe,
    error_html,
    error_lines,
    field_of_problem,
    find_plotter,
    html_table,
    render_png,
    styled,
)
from workbench.widgets._graph import JourneyGraph, cytoscape_available
from workbench.widgets._item_form import ItemForm

__all__ = ["FORM_FIELDS", "JourneyComposer"]

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

#: Size of the timeline figure in inches (16:9, like the plots made for slides).
TIMELINE_SIZE = (10.0, 5.625)
_INDEX = re.compile(r"^activities\[(\d+)\]")
_WIDE = {"description_width": "96px"}
_FIELD_LAYOUT = {"width": "340px"}
_NO_PURPOSE = ""


def _kind_label(kind: ActivityKind) -> str:
    return f"{kind.name} ({kind.category.value})"


class JourneyComposer(ItemForm, widgets.VBox):
    """Compose a journey in a notebook: activities, schedule, edges, concepts, files.

    The composer holds one immutable :class:`~workbench.model.Journey` in its ``journey``
    trait. Every edit builds a new journey with the journey's edit methods; undo and redo
    step through the journeys it held. The lint findings, the timeline and the schedule
    table (and the graph, when ipycytoscape is installed) are redrawn after every change.
    Problems are shown next to the fields they are about and echoed in the status line; no
    edit raises into the notebook.

    Parameters
    ----------
    journey : Journey, str, path or None
        What to open: a journey, the name of a packaged template, a spec file path, or None
        for an empty journey.
    plotter : callable, "auto" or None
        Draws the timeline as ``plotter(journey, ax=ax, findings=findings)``. ``"auto"`` uses
        :func:`workbench.plot.plot_timeline` when that package is importable; None shows the
        schedule table only.
    graph : bool, optional
        Show the clickable ipycytoscape graph; by default when ipycytoscape is installed.
        Without it a dropdown selects the activity to edit (it is always there).
    history_limit : int
        Most undo steps kept.
    **kwargs
        Passed to :class:`ipywidgets.VBox`.

    Attributes
    ----------
    journey : Journey
        The current journey (a trait: observe it, link it, or set it; setting it is undoable).
    fields : dict of str to Widget
        The activity form, keyed by :data:`FORM_FIELDS`.
    errors : dict of str to HTML
        The error shown next to each field (empty when fine).
    status : Label
        One line: the journey's size, its findings, and what the last action did.

    Raises
    ------
    UnknownNameError, SpecError
        ``journey`` names no template, or the spec file cannot be read.

    Examples
    --------
    >>> from workbench.widgets import JourneyComposer
    >>> composer = JourneyComposer("post_training_retention", plotter=None, graph=False)
    >>> composer.fields["kind"].value = "spaced_recall_quiz"
    >>> composer.fields["duration"].value
    3.0
    """

    journey = traitlets.Instance(Journey)

    def __init__(
        self,
        journey: JourneySource = None,
        *,
        plotter: Callable[..., Any] | Literal["auto"] | None = "auto",
        graph: bool | None = None,
        history_limit: int = 100,
        **kwargs: Any,
    ) -> None:
        initial = as_journey(journey)
        super().__init__(**kwargs)
        self.add_class("wb-composer")
        self._plotter = find_plotter() if plotter == "auto" else plotter
        self._history_limit = max(1, int(history_limit))
        self._past: list[Journey] = []
        self._future: list[Journey] = []
        self._replaying = False
        self._loading = False
        self._selected: str | None = None
        self._loaded_covers: dict[str, MemoryEffect | None] = {}
        self._loaded_effect: str | None = None
        self._suggested: tuple[str, str] = ("", "")
        self._message = "opened"
        self._findings: tuple[Finding, ...] = ()
        self.set_trait("journey", initial)

        self._build_status()
        self._build_form(initial)
        self._build_edges()
        self._build_concepts()
        self._build_items()
        self._build_files(initial)
        self._build_views(graph)
        self.children = self._layout()

        self.observe(self._on_journey, names="journey")
        self._refresh()
        first = initial.activities[0].id if initial.activities else None
        if first is None:
            self._new_form()
        else:
            self.activity_select.value = first

    # ---- building ------------------------------------------------------------------------

    def _build_status(self) -> None:
        self.status = styled(widgets.Label(), "wb-status")
        self.undo_button = styled(
            widgets.Button(description="Undo", icon="undo", tooltip="Undo the last edit"), "wb-undo"
        )
        self.redo_button = styled(widgets.Button(description="Redo", icon="repeat", tooltip="Redo"), "wb-redo")
        self.undo_button.layout.width = "90px"
        self.redo_button.layout.width = "90px"
        self.undo_button.on_click(lambda _: self.undo())
        self.redo_button.on_click(lambda _: self.redo())

    def _build_form(self, journey: Journey) -> None:
        catalog = journey.catalog
        self.activity_select = styled(
            widgets.Dropdown(options=[], value=None, description="Activity", style=_WIDE, layout=_FIELD_LAYOUT),
            "wb-activity",
        )
        self.new_button = styled(widgets.Button(description="New", tooltip="Start a new activity"), "wb-new")
        self.new_button.layout.width = "70px"
        kinds = sorted(catalog.values(), key=lambda k: (not k.is_formal, k.name))
        f: dict[str, widgets.Widget] = {
            "kind": widgets.Dropdown(options=[(_kind_label(k), k.id) for k in kinds], description="Kind"),
            "id": widgets.Text(description="Id", placeholder="letters, digits, _ - ."),
            "title": widgets.Text(description="Title"),
            "layer": widgets.Dropdown(options=[layer.value for layer in Layer], description="Layer"),
            "channel": widgets.Dropdown(options=[c.value for c in Channel], description="Channel"),
            "purpose": widgets.Dropdown(
                options=[("(none)", _NO_PURPOSE), *[(p.value, p.value) for p in Purpose]],
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
                control.style = _WIDE
            control.layout = widgets.Layout(**_FIELD_LAYOUT) if name != "schedule" else widgets.Layout()
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

    def _build_edges(self) -> None:
        self.edge_source = styled(widgets.Dropdown(options=[], description="From", style=_WIDE), "wb-edge-source")
        self.edge_kind = styled(
            widgets.Dropdown(options=[k.value for k in EdgeKind], description="Kind", style=_WIDE),
            "wb-edge-kind",
        )
        self.edge_target = styled(widgets.Dropdown(options=[], description="To", style=_WIDE), "wb-edge-target")
        for control in (self.edge_source, self.edge_kind, self.edge_target):
            control.layout = widgets.Layout(**_FIELD_LAYOUT)
        self.connect_button = styled(widgets.Button(description="Connect", icon="link"), "wb-connect")
        self.disconnect_button = styled(widgets.Button(description="Disconnect", icon="unlink"), "wb-disconnect")
        self.edge_error = styled(widgets.HTML(), "wb-error", "wb-edge-error")
        self.edge_table = styled(widgets.HTML(), "wb-edges")
        self.connect_button.on_click(lambda _: self.connect_from_form())
        self.disconnect_button.on_click(lambda _: self.disconnect_from_form())

    def _build_concepts(self) -> None:
        self.concept_select = styled(
            widgets.Dropdown(options=[], value=None, description="Concept", style=_WIDE, layout=_FIELD_LAYOUT),
            "wb-concept",
        )
        self.concept_id = styled(
            widgets.Text(description="Concept id", style=_WIDE, layout=_FIELD_LAYOUT), "wb-concept-id"
        )
        self.concept_name = styled(
            widgets.Text(description="Name", style=_WIDE, layout=_FIELD_LAYOUT), "wb-concept-name"
        )
        self.concept_add_button = styled(widgets.Button(description="Add concept", icon="plus"), "wb-concept-add")
        self.concept_rename_button = styled(widgets.Button(description="Rename", icon="pencil"), "wb-concept-rename")
        self.concept_remove_button = styled(widgets.Button(description="Remove", icon="trash"), "wb-concept-remove")
        self.concept_error = styled(widgets.HTML(), "wb-error", "wb-concept-error")
        self.concept_select.observe(self._concept_selected, names="value")
        self.concept_add_button.on_click(lambda _: self.add_concept_from_form())
        self.concept_rename_button.on_click(lambda _: self.rename_concept_from_form())
        self.concept_remove_button.on_click(lambda _: self.remove_concept_from_form())

    def _build_files(self, journey: Journey) -> None:
        self.save_path = styled(
            widgets.Text(value=f"{journey.id}.yaml", description="Spec file", style=_WIDE, layout=_FIELD_LAYOUT),
            "wb-save-path",
        )
        self.save_button = styled(widgets.Button(description="Save", icon="save"), "wb-save")
        self.load_button = styled(widgets.Button(description="Open", icon="folder-open"), "wb-open")
        self.file_message = styled(widgets.HTML(), "wb-file-message")
        self.save_button.on_click(lambda _: self.save_spec())
        self.load_button.on_click(lambda _: self.open_spec())

    def _build_views(self, graph: bool | None) -> None:
        self.timeline = styled(widgets.Image(format="png"), "wb-timeline")
        self.timeline.layout = widgets.Layout(max_width="100%", height="auto")
        if self._plotter is None:
            self.timeline.layout.display = "none"
        self.timeline_message = styled(widgets.HTML(), "wb-timeline-message")
        self.schedule_table = styled(widgets.HTML(), "wb-schedule")
        self.findings_table = styled(widgets.HTML(), "wb-findings")
        use_graph = cytoscape_available() if graph is None else graph
        self.graph_view: JourneyGraph | None = JourneyGraph(self.select) if use_graph else None

    def _layout(self) -> tuple[widgets.Widget, ...]:
        f = self.fields

        def row(name: str) -> widgets.HBox:
            return widgets.HBox([f[name], self.errors[name]], layout={"align_items": "center"})

        self._day_row = row("day")
        self._after_row = widgets.VBox([row("after"), row("gap")])
        self._show_schedule_fields()
        header = widgets.HTML
        form = widgets.VBox(
            [
                header('<div class="wb-section">Activity</div>'),
                widgets.HBox([self.activity_select, self.new_button]),
                *[row(name) for name in ("kind", "id", "title", "layer", "channel", "purpose", "effect", "duration")],
                row("schedule"),
                self._day_row,
                self._after_row,
                *[row(name) for name in ("covers", "required", "facilitator")],
                widgets.HBox([self.add_button, self.update_button, self.duplicate_button, self.remove_button]),
                self.form_error,
                header('<div class="wb-section">Retrieval items</div>'),
                *self._item_widgets(),
                header('<div class="wb-section">Edges</div>'),
                self.edge_source,
                self.edge_kind,
                self.edge_target,
                widgets.HBox([self.connect_button, self.disconnect_button]),
                self.edge_error,
                header('<div class="wb-section">Concepts</div>'),
                self.concept_select,
                self.concept_id,
                self.concept_name,
                widgets.HBox([self.concept_add_button, self.concept_rename_button, self.concept_remove_button]),
                self.concept_error,
                header('<div class="wb-section">File</div>'),
                self.save_path,
                widgets.HBox([self.save_button, self.load_button]),
                self.file_message,
            ],
            layout={"width": "46%", "min_width": "380px"},
        )
        views: list[widgets.Widget] = []
        if self.graph_view is not None:
            views += [
                header('<div class="wb-section">Graph (click a node to edit it)</div>'),
                self.graph_view.widget,
            ]
        views += [
            header('<div class="wb-section">Timeline</div>'),
            self.timeline,
            self.timeline_message,
            self.schedule_table,
            header('<div class="wb-section">Design rules</div>'),
            self.findings_table,
        ]
        right = widgets.VBox(views, layout={"width": "54%", "padding": "0 0 0 12px"})
        top = widgets.HBox([self.undo_button, self.redo_button, self.status], layout={"align_items": "center"})
        return (widgets.HTML(STYLE), top, widgets.HBox([form, right]))

    # ---- history ---------------------------------------------------------------------------

    @property
    def can_undo(self) -> bool:
        """Whether there is an edit to undo."""
        return bool(self._past)

    @property
    def can_redo(self) -> bool:
        """Whether there is an undone edit to redo."""
        return bool(self._future)

    def undo(self) -> None:
        """Go back to the journey before the last edit (does nothing when there is none)."""
        if not self._past:
            self._message = "nothing to undo"
            self._update_status()
            return
        self._future.append(self.journey)
        self._replay(self._past.pop(), "undone")

    def redo(self) -> None:
        """Redo the last undone edit (does nothing when there is none)."""
        if not self._future:
            self._message = "nothing to redo"
            self._update_status()
            return
        self._past.append(self.journey)
        self._replay(self._future.pop(), "redone")

    def _replay(self, journey: Journey, message: str) -> None:
        self._message = message
        self._replaying = True
        try:
            self.journey = journey
        finally:
            self._replaying = False

    def _on_journey(self, change: Mapping[str, Any]) -> None:
        if not self._replaying:
            self._past.append(change["old"])
            del self._past[: -self._history_limit]
            self._future.clear()
        had_selection = self._selected is not None
        self._refresh()
        ids = self._ids()
        if self._selected is None and had_selection and ids:
            self._selected = ids[0]  # the activity edited is gone: open the first one
            self._loading = True
            try:
                self.activity_select.value = ids[0]
            finally:
                self._loading = False
        if self._selected is not None:
            self._load_form(self.journey.activity(self._selected))

    def _commit(self, journey: Journey, message: str, select: str | None = None) -> None:
        """Make ``journey`` current (recorded for undo) and say what happened."""
        if select is not None:
            self._selected = select
        if journey == self.journey:
            self._message = f"{message} (no change)"
            self._update_status()
            return
        self._message = message
        self.journey = journey

    # ---- refreshing ------------------------------------------------------------------------

    def _ids(self) -> list[str]:
        return [a.id for a in self.journey.activities]

    def _refresh(self) -> None:
        journey = self.journey
        ids = self._ids()
        self._loading = True
        try:
            selected = self._selected if self._selected in ids else None
            self._selected = selected
            self.activity_select.options = [(f"{a.id}: {a.title}", a.id) for a in journey.activities]
            self.activity_select.value = selected
            self.fields["after"].options = ids
            covers = self.fields["covers"]
            kept = tuple(c for c in covers.value if c in {c.id for c in journey.concepts})
            covers.options = [(f"{c.id}: {c.name}", c.id) for c in journey.concepts]
            covers.value = kept
            kind = self.fields["kind"]
            kinds = sorted(journey.catalog.values(), key=lambda k: (not k.is_formal, k.name))
            options = [(_kind_label(k), k.id) for k in kinds]
            if list(kind.options) != options:
                current = kind.value
                kind.options = options
                kind.value = current if current in journey.catalog else options[0][1]
            for dropdown in (self.edge_source, self.edge_target):
                current = dropdown.value
                dropdown.options = ids
                dropdown.value = current if current in ids else (ids[0] if ids else None)
            concept_ids = [c.id for c in journey.concepts]
            current_concept = self.concept_select.value
            self.concept_select.options = [(f"{c.id}: {c.name}", c.id) for c in journey.concepts]
            self.concept_select.value = current_concept if current_concept in concept_ids else None
        finally:
            self._loading = False
        self.edge_table.value = html_table(
            ("from", "kind", "to"),
            [(e.source, e.kind.value, e.target) for e in journey.edges],
            empty="No edges yet.",
        )
        self._refresh_items()
        self._update_findings()
        self._update_timeline()
        if self.graph_view is not None:
            self.graph_view.show(journey)
        self._update_status()

    def _update_findings(self) -> None:
        try:
            self._findings = lint(self.journey)
        except WorkbenchError as exc:
            self._findings = ()
            self.findings_table.value = f'<div class="wb-error">{error_html(error_lines(exc))}</div>'
            return
        self.findings_table.value = html_table(
            ("severity", "code", "rule", "activity", "concept", "message"),
            [(f.severity.value, f.code, f.rule, f.activity_id, f.concept_id, f.message) for f in self._findings],
            row_classes=[f"wb-sev-{f.severity.value}" for f in self._findings],
            empty="No findings: the journey follows every design rule.",
        )

    def _update_timeline(self) -> None:
        journey = self.journey
        rows = []
        for activity in journey.timeline():
            day = journey.days.get(activity.id)
            rows.append(
                (
                    "on demand" if day is None else f"{day:g}",
                    activity.id,
                    activity.title,
                    activity.kind,
                    activity.layer.value,
                    activity.channel.value,
                    f"{activity.duration_min:g}",
                    ", ".join(activity.concept_ids),
                )
            )
        self.schedule_table.value = html_table(
            ("day", "id", "title", "kind", "layer", "channel", "min", "covers"),
            rows,
            empty="No activities yet.",
        )
        plotter = self._plotter
        if plotter is None:
            return
        findings = self._findings
        try:
            self.timeline.value = render_png(
                lambda ax: plotter(journey, ax=ax, findings=findings), figsize=TIMELINE_SIZE
            )
            self.timeline_message.value = ""
        except Exception as exc:  # the plot must never break the composer
            self.timeline_message.value = (
                f'<div class="wb-error">timeline not drawn: {error_html(error_lines(exc))}</div>'
            )

    def _update_status(self) -> None:
        j = self.journey
        counts = {s: sum(1 for f in self._findings if f.severity.value == s) for s in ("error", "warning", "info")}
        self.status.value = (
            f"{j.id}: {len(j.activities)} activities, {len(j.concepts)} concepts, {len(j.edges)} edges, "
            f"{j.learner_minutes:g} learner min; findings: {counts['error']} errors, "
            f"{counts['warning']} warnings, {counts['info']} infos | {self._message}"
        )
        self.undo_button.disabled = not self._past
        self.redo_button.disabled = not self._future

    @property
    def findings(self) -> tuple[Finding, ...]:
        """The design-rule findings of the current journey (as shown in the table)."""
        return self._findings

    # ---- the activity form -----------------------------------------------------------------

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
            f["purpose"].value = activity.purpose.value if activity.purpose is not None else _NO_PURPOSE
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
            f["purpose"].value = template.purpose.value if template.purpose is not None else _NO_PURPOSE
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

    # ---- edges -----------------------------------------------------------------------------

    def _edge_action(self, action: str, build: Callable[[], Journey], message: str) -> None:
        try:
            journey = build()
        except WorkbenchError as exc:
            self.edge_error.value = error_html(error_lines(exc))
            self._message = f"{action}: {describe(exc)}; journey unchanged"
            self._update_status()
            return
        self.edge_error.value = ""
        self._commit(journey, message)

    def connect_from_form(self) -> None:
        """Add the edge the edge form describes (what Connect does)."""
        source, target, kind = self.edge_source.value, self.edge_target.value, self.edge_kind.value
        if source is None or target is None:
            self.edge_error.value = error_html(["pick both activities to connect"])
            return
        self._edge_action(
            "not connected",
            lambda: self.journey.connect(source, target, kind),
            f"connected {source!r} -{kind}-> {target!r}",
        )

    def disconnect_from_form(self) -> None:
        """Remove the edge between the two activities of the edge form (what Disconnect does)."""
        source, target = self.edge_source.value, self.edge_target.value
        if source is None or target is None:
            self.edge_error.value = error_html(["pick both activities to disconnect"])
            return
        self._edge_action(
            "not disconnected",
            lambda: self.journey.disconnect(source, target),
            f"disconnected {source!r} -> {target!r}",
        )

    # ---- concepts --------------------------------------------------------------------------

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
            lambda: _renamed_concept(self.journey, old, new_id, name),
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

    # ---- files -----------------------------------------------------------------------------

    def save_spec(self, path: str | Path | None = None) -> Path | None:
        """Write the journey to a spec file (atomically); the path box by default.

        Returns the path written, or None when it failed (the reason is shown).
        """
        from workbench.spec import dump

        target = Path(path if path is not None else self.save_path.value.strip())
        try:
            written = dump(self.journey, target)
        except (WorkbenchError, OSError) as exc:
            self.file_message.value = f'<div class="wb-error">not saved: {error_html(error_lines(exc))}</div>'
            self._message = f"not saved: {describe(exc)}"
            self._update_status()
            return None
        self.file_message.value = f'<div class="wb-ok">saved to {error_html([str(written)])}</div>'
        self._message = f"saved to {written.name}"
        self._update_status()
        return written

    def open_spec(self, path: str | Path | None = None) -> None:
        """Replace the journey with the one in a spec file (undoable); the path box by default."""
        from workbench.spec import load

        target = Path(path if path is not None else self.save_path.value.strip())
        try:
            journey = load(target)
        except (WorkbenchError, OSError) as exc:
            self.file_message.value = f'<div class="wb-error">not opened: {error_html(error_lines(exc))}</div>'
            self._message = f"not opened: {describe(exc)}"
            self._update_status()
            return
        self.file_message.value = f'<div class="wb-ok">opened {error_html([str(target)])}</div>'
        first = journey.activities[0].id if journey.activities else None
        self._commit(journey, f"opened {target.name}", select=first)


def _renamed_concept(journey: Journey, old_id: str, new_id: str, name: str) -> Journey:
    """The journey with concept ``old_id`` renamed to ``new_id`` and given ``name`` (kept when empty)."""
    renamed = journey.rename_concept(old_id, new_id)
    if not name:
        return renamed
    return renamed.replace_concept(Concept.model_validate({**renamed.concept(new_id).model_dump(), "name": name}))
