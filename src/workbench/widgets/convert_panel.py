"""The Convert tab: legacy sources in, proposals to accept or drop, a draft journey out.

A thin panel over :mod:`workbench.convert`: it reads files (uploaded or named by path),
shows what the converter found and why, lets the designer untick proposals, and only then
hands the draft to the composer (through the shared ``journey`` trait). The draft's
reinforcement is scheduled for the memory profile or calibration chosen in the same memory
choice as the Plan tab's (:class:`~workbench.widgets._memory.MemoryChoice`), and the tab says
which one it was. Errors are shown, never raised.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import traitlets

from workbench.convert import DEFAULT_PLAN, ConversionReport, convert
from workbench.convert.readers import FORMATS
from workbench.errors import WorkbenchError
from workbench.model import Journey
from workbench.simulate.profiles import DEFAULT_PROFILE, PROFILES, MemoryProfile
from workbench.widgets._common import STYLE, error_html, html_table, styled
from workbench.widgets._memory import CalibrationSource, MemoryChoice, profile_options, unknown_profile
from workbench.widgets._plan_view import provenance_html

__all__ = ["ConvertPanel"]

_CONVERT_STYLE = "<style>.wb-convert .wb-plan-hint { color: #555; font-size: 0.85em; }</style>"


class ConvertPanel(widgets.VBox):
    r"""Convert legacy training into a draft journey, one proposal at a time.

    Parameters
    ----------
    journey : Journey, optional
        The journey the panel starts with (the app's; replaced when a draft is opened).
    profile : str
        Memory profile the draft's reinforcement is first scheduled for (a name of
        :data:`workbench.simulate.PROFILES`).
    calibration : Calibration, str or path, optional
        A calibration (or the JSON/YAML file ``workbench calibrate`` wrote) to schedule for
        instead; it joins the profile list and is chosen. A file can also be uploaded in the panel.
    **kwargs
        Passed to :class:`ipywidgets.VBox`.

    Attributes
    ----------
    journey : Journey
        Set to the accepted draft by :meth:`open_draft` (linked to the composer in the app).
    report : ConversionReport or None
        The last conversion.
    accepted : dict of str to Checkbox
        One box per proposal (the core event cannot be unticked).
    memory : MemoryChoice
        The memory profile list, the calibration and its upload (the Plan tab's part).
    scheduled_for : str
        What the last draft's reinforcement was scheduled for: the memory profile (title,
        source) or the calibration (source, date); empty before a conversion.
    profile_note : HTML
        Says ``scheduled_for`` (and what the next conversion would use, when the choice changed).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> notes = pathlib.Path(tempfile.mkdtemp()) / "notes.md"
    >>> _ = notes.write_text("# Risk log\n\nA risk log is a list of risks with owners.\n")
    >>> panel = ConvertPanel()
    >>> panel.convert_paths([notes])
    >>> panel.status.value.startswith("notes.md: 1 concept")
    True
    >>> panel.open_draft().id
    'risk_log'
    >>> panel.scheduled_for.startswith("Memory profile workplace:")
    True
    """

    journey = traitlets.Instance(Journey)

    def __init__(
        self,
        journey: Journey | None = None,
        *,
        profile: str = DEFAULT_PROFILE,
        calibration: CalibrationSource = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.add_class("wb-convert")
        self.set_trait("journey", journey or Journey.empty("new_journey", "New journey"))
        self.report: ConversionReport | None = None
        self.accepted: dict[str, widgets.Checkbox] = {}
        self.scheduled_for = ""
        self._scheduled: MemoryProfile | None = None  # what the last draft was scheduled for
        accept = ",".join(sorted(FORMATS))
        self.upload = styled(
            widgets.FileUpload(accept=accept, multiple=True, description="Upload"), "wb-convert-upload"
        )
        self.paths = styled(
            widgets.Text(placeholder="or paths on this machine, comma-separated", layout={"width": "32em"}),
            "wb-convert-paths",
        )
        self.anchor = styled(
            widgets.ToggleButtons(
                options=[("Keep the event as a core", "keep"), ("Replace it by explainers", "replace")],
                value="keep",
                style={"button_width": "auto"},
            ),
            "wb-convert-anchor",
        )
        self.plan = styled(widgets.Text(value=DEFAULT_PLAN, description="Plan"), "wb-convert-plan")
        select = widgets.Dropdown(
            options=profile_options(),
            value=profile if profile in PROFILES else DEFAULT_PROFILE,
            description="Memory profile",
            style={"description_width": "initial"},
            layout={"width": "36em"},
        )
        self.memory = MemoryChoice(styled(select, "wb-convert-profile"), css="wb-convert", on_change=self._on_memory)
        self.profile_note = styled(widgets.HTML(), "wb-convert-profile-note")
        self.run = styled(widgets.Button(description="Convert", button_style="primary"), "wb-convert-run")
        self.open = styled(widgets.Button(description="Open in composer", disabled=True), "wb-convert-open")
        self.status = styled(widgets.Label(value="no source converted yet"), "wb-convert-status")
        self.summary = styled(widgets.HTML(), "wb-convert-summary")
        self.proposals = styled(widgets.VBox(), "wb-convert-proposals")
        self.segments = styled(widgets.HTML(), "wb-convert-segments")
        self.run.on_click(lambda _: self._convert_inputs())
        self.open.on_click(lambda _: self._open_clicked())
        self.children = (
            widgets.HTML(STYLE + _CONVERT_STYLE),
            widgets.HTML(
                "<p>Bring a deck, a document, a recording's transcript or an old course package. The converter "
                "proposes a redesigned journey; untick what you do not want, then open it in the composer.</p>"
            ),
            widgets.HBox([self.upload, self.paths]),
            widgets.HBox([self.anchor, self.plan]),
            widgets.HBox([self.memory.select, self.memory.upload_row()], layout={"align_items": "center"}),
            widgets.HTML(
                '<div class="wb-plan-hint">Target and cadence plans time their touches on this memory profile; '
                "or use a calibration (JSON/YAML from <code>workbench calibrate</code>): it joins this list.</div>"
            ),
            widgets.HBox([self.run, self.open]),
            self.status,
            self.profile_note,
            self.summary,
            self.proposals,
            self.segments,
        )
        if profile not in PROFILES:
            self.memory.error.value = error_html(unknown_profile(profile))
        if calibration is not None:
            self.memory.use_calibration(calibration)  # chosen, or says why not beside the upload
        self._show_memory()

    # ---- actions (also the API the tests use) -----------------------------------------------

    def convert_paths(self, paths: Sequence[str | Path]) -> None:
        """Convert files on this machine and show the proposals (errors go to the status line)."""
        try:
            memory = self.memory.chosen
            report = convert(
                paths, anchor=self.anchor.value, plan=self.plan.value.strip() or DEFAULT_PLAN, profile=memory
            )
        except (WorkbenchError, OSError) as exc:
            self._failed(str(exc))
            return
        self.scheduled_for, self._scheduled = self.memory.describe(), report.draft.profile
        self._show(report)
        self._show_memory()

    def convert_uploads(self, files: Sequence[tuple[str, bytes]]) -> None:
        """Convert uploaded files, given as ``(name, content)`` pairs."""
        import tempfile

        with tempfile.TemporaryDirectory(prefix="workbench-convert-") as folder:
            paths = []
            for name, content in files:
                target = Path(folder) / Path(name).name
                target.write_bytes(content)
                paths.append(target)
            self.convert_paths(paths)

    def open_draft(self) -> Journey:
        """Hand the draft with the ticked proposals to the composer (the ``journey`` trait)."""
        if self.report is None:
            raise WorkbenchError("convert a source first")
        chosen = [pid for pid, box in self.accepted.items() if box.value]
        journey = self.report.draft.keep(chosen)
        self.journey = journey
        dropped = len(self.accepted) - len(chosen)
        self.status.value = (
            f"opened {journey.id} in the composer: {len(journey.activities)} activities"
            + (f", {dropped} proposal(s) dropped" if dropped else "")
            + f"; reinforcement scheduled for memory profile {self.report.draft.profile.name!r}"
            + "; every asset stays a draft until you clear it"
        )
        return journey

    # ---- internals --------------------------------------------------------------------------

    def _convert_inputs(self) -> None:
        uploads = [(f["name"], bytes(f["content"])) for f in self.upload.value]
        paths = [p.strip() for p in self.paths.value.split(",") if p.strip()]
        if not uploads and not paths:
            self._failed("choose files to upload or give their paths")
            return
        if uploads and paths:
            self._failed("give uploads or paths, not both")
            return
        if uploads:
            self.convert_uploads(uploads)
        else:
            self.convert_paths(paths)

    def _open_clicked(self) -> None:
        try:
            self.open_draft()
        except WorkbenchError as exc:
            self._failed(str(exc))

    def _on_memory(self, message: str) -> None:
        """Say what the next conversion would be scheduled for (a refused file is said beside the upload)."""
        self._show_memory()

    def _show_memory(self) -> None:
        """Name the memory profile or calibration of the draft and, when the choice changed since, of the next."""
        lines = []
        if self.scheduled_for:
            lines.append(f"Draft scheduled for: {self.scheduled_for}")
        if self._scheduled is None or self._scheduled != self.memory.memory_profile():
            lead = "Convert again to schedule for" if self.scheduled_for else "Drafts will be scheduled for"
            lines.append(f"{lead}: {self.memory.describe()}")
        self.profile_note.value = provenance_html(lines)

    def _failed(self, message: str) -> None:
        self.status.value = f"not converted: {message.splitlines()[0]}"
        self.open.disabled = self.report is None

    def _show(self, report: ConversionReport) -> None:
        self.report = report
        draft = report.draft
        minutes, counts = report.minutes(), report.counts()
        sources = ", ".join(o.source for o in draft.analysis.outlines)
        concepts = len(draft.analysis.concepts)
        self.status.value = (
            f"{sources}: {concepts} concept{'s' if concepts != 1 else ''}, {len(draft.proposals)} proposals; "
            f"segments {counts['kept']} kept, {counts['merged']} merged, {counts['dropped']} dropped"
        )
        decisions = "".join(f"<li>{html.escape(d)}</li>" for d in draft.decisions)
        self.summary.value = (
            f"<p>Learner minutes: {minutes['source_min']:g} in the sources, {minutes['journey_min']:g} in the draft. "
            f"Reinforcement plan {html.escape(draft.plan)}, scheduled for memory profile "
            f"{html.escape(draft.profile.name)}.</p><p><b>Needs your decision</b></p><ul>{decisions}</ul>"
        )
        self.accepted = {}
        rows: list[widgets.Widget] = []
        for proposal in draft.proposals:
            label = f"{proposal.title} ({proposal.kind.replace('_', ' ')}): {proposal.reason}"
            box = widgets.Checkbox(value=True, description=label, indent=False, layout={"width": "60em"})
            box.disabled = not proposal.removable
            self.accepted[proposal.activity_id] = box
            rows.append(styled(box, "wb-convert-proposal"))
        self.proposals.children = tuple(rows)
        frame = report.segments_frame()
        self.segments.value = "<p><b>Every source segment</b></p>" + html_table(
            ["where", "title", "category", "decision", "reason"],
            frame[["where", "title", "category", "decision", "reason"]].itertuples(index=False),
        )
        self.open.disabled = False
