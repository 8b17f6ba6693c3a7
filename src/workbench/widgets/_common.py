"""Pieces shared by the panels: journey sources, field errors, HTML tables, PNG rendering.

Nothing here holds state between panels; every function is pure or acts on the widgets it
is given.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from workbench._table import Table
from workbench.errors import WorkbenchError, problem_lines
from workbench.model import Journey

__all__ = [
    "JourneySource",
    "as_journey",
    "error_lines",
    "field_of_problem",
    "html_table",
    "render_png",
    "styled",
]

#: What a panel can be opened on: a journey, a template name, or a spec file path.
JourneySource = Journey | str | os.PathLike[str] | None

#: Inline CSS of the panels (scoped to ``.wb-app``/``.wb-composer``); errors are red and small.
STYLE = """
<style>
.wb-error { color: #b00020; font-size: 0.85em; line-height: 1.25; }
.wb-error:empty { display: none; }
.wb-ok { color: #1b5e20; font-size: 0.85em; }
.wb-table { border-collapse: collapse; font-size: 0.85em; }
.wb-table th, .wb-table td {
  border: 1px solid #ddd; padding: 2px 6px; text-align: left; vertical-align: top; line-height: 1.3;
}
.wb-table th { background: #f4f4f4; }
.wb-table .num { text-align: right; font-variant-numeric: tabular-nums; }
.wb-sev-error { color: #b00020; font-weight: bold; }
.wb-sev-warning { color: #8a5300; }
.wb-sev-info { color: #33691e; }
.wb-section { font-weight: bold; margin-top: 6px; }
</style>
"""


def styled(widget: widgets.DOMWidget, *classes: str) -> Any:
    """Add CSS classes to ``widget`` and return it (so tests and styles can find it)."""
    for name in classes:
        widget.add_class(name)
    return widget


def as_journey(source: JourneySource) -> Journey:
    """Resolve what a panel is opened on to a journey.

    Parameters
    ----------
    source : Journey, str, path or None
        A journey; the name of a packaged template; the path of a ``.yaml``/``.yml``/``.json``
        spec file; or None for an empty journey.

    Returns
    -------
    Journey

    Raises
    ------
    UnknownNameError
        ``source`` is neither a template name nor a spec file path.
    SpecError
        The spec file cannot be read.
    """
    from workbench.spec import load
    from workbench.templates import list_templates, load_template

    if source is None:
        return Journey.empty("new_journey", "New journey")
    if isinstance(source, Journey):
        return source
    if isinstance(source, str) and source in list_templates():
        return load_template(source)
    path = Path(source)
    if path.suffix.lower() in (".yaml", ".yml", ".json") or path.exists():
        return load(path)
    # not a path: let the templates module say which names exist
    return load_template(str(source))


def error_lines(exc: BaseException) -> list[str]:
    """Return the problems an error carries, one per line (JourneyError lists several)."""
    return problem_lines(exc)


_PATH = re.compile(r"^(?:activities\[\d+\](?: \([^)]*\))?\.)?(?P<field>[A-Za-z_]+)(?P<rest>[.\[:]|$)")


def field_of_problem(problem: str, fields: Iterable[str]) -> str | None:
    """Return the form field a problem line is about, or None for a journey-level problem.

    Problem lines start with a path (``activities[3] ('quiz').duration_min: ...`` from a
    journey, ``duration_min: ...`` from an activity); the first name of the path is matched
    against ``fields``; ``schedule.after`` maps to ``after`` when that field exists.

    Examples
    --------
    >>> field_of_problem("activities[2] ('q').schedule.after: activity 'x' does not exist",
    ...                  ["after", "schedule"])
    'after'
    >>> field_of_problem("edges[0].source: activity 'x' does not exist", ["id"]) is None
    True
    """
    known = set(fields)
    match = _PATH.match(problem)
    if not match:
        return None
    name = match.group("field")
    if name == "schedule":
        tail = problem[match.end("field") :]
        for sub, field in ((".after", "after"), (".gap_days", "gap"), (".day", "day")):
            if tail.startswith(sub) and field in known:
                return field
        # "schedule.gap_days: only meaningful with 'after'..." arrives as a plain message
        return "schedule" if "schedule" in known else None
    if name == "duration_min" and "duration" in known:
        return "duration"
    return name if name in known else None


def html_table(
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    row_classes: Iterable[str] | None = None,
    empty: str = "",
) -> str:
    """Return an escaped HTML table (class ``wb-table``); ``empty`` is shown when there are no rows."""
    table = Table.of(columns, rows, row_classes=row_classes or ())
    return "" if not table.rows and not empty else table.to_html("wb-table", empty=empty)


def error_html(lines: Iterable[str]) -> str:
    """Problem lines as escaped HTML, one per line."""
    return "<br>".join(html.escape(line) for line in lines)


#: Pixels per inch of the panels' images (screen only; reports use :data:`workbench.plot._png.DPI`).
SCREEN_DPI = 100


def render_png(draw: Callable[[Any], Any], *, figsize: tuple[float, float] = (9.0, 3.6)) -> bytes:
    """Render a panel's image: :func:`workbench.plot.png_bytes` at screen resolution, cropped to the drawing."""
    from workbench.plot import png_bytes

    return png_bytes(draw, figsize, dpi=SCREEN_DPI, tight=True)


def option_pairs(mapping: Mapping[str, str]) -> list[tuple[str, str]]:
    """``(label, value)`` pairs for a Dropdown from ``value -> label``."""
    return [(label, value) for value, label in mapping.items()]


def describe(exc: WorkbenchError | OSError) -> str:
    """One line for the status bar: the first problem of an error."""
    lines = error_lines(exc)
    more = f" (+{len(lines) - 1} more)" if len(lines) > 1 else ""
    return f"{lines[0]}{more}"
