"""The export panel: write delivery files of the current journey and show their validation.

Built on :mod:`workbench.export` (``export``, ``FORMATS``) and
:mod:`workbench.export.validate`; every file is written atomically and checked right after,
and each result (or the reason it failed) is shown on its own row.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import ipywidgets as widgets
import traitlets

from workbench._io import write_atomic
from workbench.errors import WorkbenchError
from workbench.model import Journey
from workbench.widgets._common import STYLE, JourneySource, as_journey, error_lines, html_table, styled

__all__ = ["ExportPanel", "export_available"]

#: Formats ticked when the panel opens (those a designer hands to an LMS and a calendar).
DEFAULT_FORMATS = ("json", "cmi5", "ics", "csv")
_WIDE = {"description_width": "96px"}
_LAYOUT = {"width": "380px"}


def export_available() -> bool:
    """Whether :mod:`workbench.export` can be imported (the panel needs it)."""
    try:
        importlib.import_module("workbench.export")
        importlib.import_module("workbench.export.validate")
    except ImportError:
        return False
    return True


class ExportPanel(widgets.VBox):
    """Pick delivery formats and options, write the files to a folder, see each validation.

    Parameters
    ----------
    journey : Journey, str, path or None
        What to export (a journey, a template name or a spec path); usually linked to the
        composer's journey by :class:`~workbench.widgets.Workbench`.
    folder : str or Path
        Folder the files are written to (created when missing).
    start : date, optional
        Cohort start shown when the panel opens (default: today on this computer's clock, in its
        time zone).
    **kwargs
        Passed to :class:`ipywidgets.VBox`.

    Attributes
    ----------
    journey : Journey
        The journey exported (a trait).
    results : list of dict
        One row per format of the last export: ``format``, ``path``, ``bytes``, ``problems``.

    Examples
    --------
    >>> panel = ExportPanel("post_training_retention")
    >>> sorted(panel.formats.value)
    ['cmi5', 'csv', 'ics', 'json']
    """

    journey = traitlets.Instance(Journey)

    def __init__(
        self, journey: JourneySource = None, *, folder: str | Path = "exports", start: date | None = None, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.add_class("wb-export-panel")
        self.set_trait("journey", as_journey(journey))
        self.results: list[dict[str, Any]] = []
        self._build_fields(folder, start)
        self.export_button = styled(
            widgets.Button(description="Write files", button_style="primary", icon="download"), "wb-export"
        )
        self.field_errors = {
            name: styled(widgets.HTML(), "wb-error", f"wb-error-export-{name}")
            for name in ("formats", "start", "tz", "course_iri", "launch_base", "folder")
        }
        self.table = styled(widgets.HTML(), "wb-export-results")
        self.status = styled(widgets.Label(value="nothing exported yet"), "wb-export-status")
        self.export_button.on_click(lambda _: self.write())

        def row(control: widgets.Widget, name: str) -> widgets.HBox:
            return widgets.HBox([control, self.field_errors[name]], layout={"align_items": "center"})

        self.children = (
            widgets.HTML(STYLE),
            row(self.formats, "formats"),
            row(self.start, "start"),
            row(self.tz, "tz"),
            row(self.course_iri, "course_iri"),
            row(self.launch_base, "launch_base"),
            row(self.folder, "folder"),
            self.export_button,
            self.status,
            self.table,
        )

    def _build_fields(self, folder: str | Path, start: date | None) -> None:
        """Build the fields of the form: formats, cohort start and time zone, IRIs, folder."""
        from workbench.export import FORMATS

        self.formats = styled(
            widgets.SelectMultiple(
                options=list(FORMATS),
                value=[f for f in DEFAULT_FORMATS if f in FORMATS],
                rows=min(8, len(FORMATS)),
                description="Formats",
                style=_WIDE,
                layout=_LAYOUT,
            ),
            "wb-export-formats",
        )
        self.start = styled(
            widgets.DatePicker(
                value=datetime.now().astimezone().date() if start is None else start,
                description="Cohort start",
                style=_WIDE,
                layout=_LAYOUT,
            ),
            "wb-export-start",
        )
        self.tz = styled(
            widgets.Combobox(
                value="UTC",
                options=["UTC", "Europe/London", "Europe/Paris", "America/New_York", "Asia/Singapore"],
                ensure_option=False,
                description="Time zone",
                style=_WIDE,
                layout=_LAYOUT,
            ),
            "wb-export-tz",
        )
        self.course_iri = styled(
            widgets.Text(
                description="Course IRI",
                placeholder="default: derived from the journey id",
                style=_WIDE,
                layout=_LAYOUT,
            ),
            "wb-export-iri",
        )
        self.launch_base = styled(
            widgets.Text(
                description="Launch base",
                placeholder="https://... (standalone cmi5.xml only)",
                style=_WIDE,
                layout=_LAYOUT,
            ),
            "wb-export-launch-base",
        )
        self.folder = styled(
            widgets.Text(value=str(folder), description="Folder", style=_WIDE, layout=_LAYOUT),
            "wb-export-folder",
        )

    def _check_fields(self) -> dict[str, str]:
        problems: dict[str, str] = {}
        if not self.formats.value:
            problems["formats"] = "pick at least one format"
        tz = self.tz.value.strip()
        try:
            ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError):
            problems["tz"] = f"unknown time zone {tz!r}; use an IANA name such as Europe/Paris or UTC"
        if not self.folder.value.strip():
            problems["folder"] = "give the folder to write the files to"
        return problems

    def write(self) -> list[dict[str, Any]]:
        """Build, write and validate every selected format (what the button does).

        Returns
        -------
        list of dict
            One row per format: ``format``, ``path`` (None when not written), ``bytes`` and
            ``problems`` (empty when the file is valid).
        """
        export_module = importlib.import_module("workbench.export")
        suffixes: Mapping[str, str] = getattr(export_module, "SUFFIXES", {})
        build = export_module.export
        from workbench.export.validate import validate

        for widget in self.field_errors.values():
            widget.value = ""
        problems = self._check_fields()
        if problems:
            for name, text in problems.items():
                self.field_errors[name].value = text
            self.status.value = f"nothing written: fix {', '.join(problems)}"
            return []
        journey = self.journey
        folder = Path(self.folder.value.strip())
        start = self.start.value
        results: list[dict[str, Any]] = []
        for fmt in self.formats.value:
            path = folder / f"{journey.id}-{fmt}{suffixes.get(fmt, '.bin')}"
            row: dict[str, Any] = {"format": fmt, "path": None, "bytes": 0, "problems": []}
            try:
                options = export_module.cohort_options(
                    fmt,
                    start=start,
                    tz=self.tz.value.strip(),
                    course_iri=self.course_iri.value.strip(),
                    launch_base=self.launch_base.value.strip(),
                )
                data = build(journey, fmt, **options)
                row["problems"] = list(validate(data, fmt))
                row["path"] = write_atomic(path, data)
                row["bytes"] = len(data)
            except (WorkbenchError, OSError) as exc:
                row["problems"] = [f"not written: {line}" for line in error_lines(exc)]
            results.append(row)
        self.results = results
        self.table.value = html_table(
            ("format", "file", "bytes", "validation"),
            [
                (
                    r["format"],
                    str(r["path"]) if r["path"] else "-",
                    r["bytes"],
                    "valid" if not r["problems"] else "; ".join(r["problems"]),
                )
                for r in results
            ],
            row_classes=["wb-sev-info" if not r["problems"] else "wb-sev-error" for r in results],
        )
        valid = sum(1 for r in results if r["path"] and not r["problems"])
        self.status.value = f"{journey.id}: {valid} of {len(results)} files written and valid in {folder}"
        return results
