"""The journey composer: forms over one immutable ``Journey`` trait, with undo and redo.

Every edit goes through the journey's own edit methods (``add_activity``, ``connect``...),
so the journey is validated again after each one; what the validation rejects is shown next
to the field it is about, and the journey stays as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Literal

import ipywidgets as widgets
import traitlets

from workbench.errors import WorkbenchError
from workbench.model import Journey
from workbench.rules import Finding, lint
from workbench.vocabulary import MemoryEffect
from workbench.widgets._activity_form import FIELD_LAYOUT, FORM_FIELDS, WIDE, ActivityForm, kind_label
from workbench.widgets._common import (
    STYLE,
    JourneySource,
    as_journey,
    describe,
    error_html,
    error_lines,
    html_table,
    render_png,
    styled,
)
from workbench.widgets._concept_form import ConceptForm
from workbench.widgets._edge_form import EdgeForm
from workbench.widgets._graph import JourneyGraph, cytoscape_available
from workbench.widgets._history import UndoHistory
from workbench.widgets._item_form import ItemForm

__all__ = ["FORM_FIELDS", "JourneyComposer"]

#: Size of the timeline figure in inches (16:9, like the plots made for slides).
TIMELINE_SIZE = (10.0, 5.625)


class JourneyComposer(ItemForm, ActivityForm, EdgeForm, ConceptForm, widgets.VBox):
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
        :func:`workbench.plot.plot_timeline`; None shows the schedule table only.
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
        self._plotter = _timeline_plotter() if plotter == "auto" else plotter
        self.history: UndoHistory[Journey] = UndoHistory(history_limit)
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

    # ---- building ------------------------------------------------------------------------------

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

    def _build_files(self, journey: Journey) -> None:
        self.save_path = styled(
            widgets.Text(value=f"{journey.id}.yaml", description="Spec file", style=WIDE, layout=FIELD_LAYOUT),
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

    # ---- history -------------------------------------------------------------------------------

    @property
    def can_undo(self) -> bool:
        """Whether there is an edit to undo."""
        return self.history.can_undo

    @property
    def can_redo(self) -> bool:
        """Whether there is an undone edit to redo."""
        return self.history.can_redo

    def undo(self) -> None:
        """Go back to the journey before the last edit (does nothing when there is none)."""
        if not self.history.can_undo:
            self._message = "nothing to undo"
            self._update_status()
            return
        self._replay(self.history.undo(self.journey), "undone")

    def redo(self) -> None:
        """Redo the last undone edit (does nothing when there is none)."""
        if not self.history.can_redo:
            self._message = "nothing to redo"
            self._update_status()
            return
        self._replay(self.history.redo(self.journey), "redone")

    def _replay(self, journey: Journey, message: str) -> None:
        self._message = message
        self._replaying = True
        try:
            self.journey = journey
        finally:
            self._replaying = False

    def _on_journey(self, change: Mapping[str, Any]) -> None:
        if not self._replaying:
            self.history.record(change["old"])
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

    # ---- refreshing ----------------------------------------------------------------------------

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
            options = [(kind_label(k), k.id) for k in kinds]
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
        self.undo_button.disabled = not self.history.can_undo
        self.redo_button.disabled = not self.history.can_redo

    @property
    def findings(self) -> tuple[Finding, ...]:
        """The design-rule findings of the current journey (as shown in the table)."""
        return self._findings

    # ---- files ---------------------------------------------------------------------------------

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


def _timeline_plotter() -> Callable[..., Any]:
    """Return the default timeline drawing (imported on first use: matplotlib loads only with a composer)."""
    from workbench.plot import plot_timeline

    return plot_timeline
