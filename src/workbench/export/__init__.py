"""Delivery exports: one journey to JSON, cmi5, SCORM 2004, xAPI, iCalendar and CSV.

Builders are pure and return bytes; the same journey and options give the same bytes (ids are
derived from the journey and the course IRI, dates from the cohort start you pass, ZIP members
have fixed timestamps). :func:`write_export` writes atomically: a failure leaves no partial
file. :mod:`workbench.export.validate` checks an output against the official schemas.

=================  ==========================================================  ===================
format             content                                                     function
=================  ==========================================================  ===================
``json``           spec v1 journey plus its resolved schedule                  :func:`to_json`
``cmi5``           cmi5 course package (ZIP: ``cmi5.xml`` + launch pages)      :func:`to_cmi5_package`
``cmi5-xml``       cmi5 course structure alone                                 :func:`to_cmi5_xml`
``scorm2004``      SCORM 2004 4th Edition package (ZIP)                        :func:`to_scorm_package`
``xapi``           sample statements of a simulated cohort (one JSON batch)    :func:`to_xapi_statements`
``xapi-templates`` statement templates, one per activity                       :func:`to_xapi_templates`
``ics``            iCalendar of a cohort (one event per dated activity)        :func:`to_ics`
``csv``            schedule, one row per touch per cohort (or learner)         :func:`to_csv`
=================  ==========================================================  ===================

Examples
--------
>>> from datetime import date
>>> from workbench.templates import load_template
>>> journey = load_template("post_training_retention")
>>> export(journey, "ics", start=date(2026, 3, 2), tz="Europe/Paris").startswith(b"BEGIN:VCALENDAR")
True
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Callable, Mapping
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from workbench._io import write_atomic
from workbench.errors import ExportError, UnknownNameError
from workbench.export.cmi5 import to_cmi5_package, to_cmi5_xml
from workbench.export.csv_schedule import CSV_COLUMNS, to_csv
from workbench.export.ical import to_ics
from workbench.export.scorm import to_scorm_manifest, to_scorm_package
from workbench.export.spec_json import read_json, to_json
from workbench.export.xapi import (
    sample_statements,
    statement_templates,
    to_xapi_statements,
    to_xapi_templates,
)
from workbench.model import Journey

__all__ = [
    "CSV_COLUMNS",
    "FORMATS",
    "cohort_options",
    "export",
    "read_json",
    "sample_statements",
    "statement_templates",
    "to_cmi5_package",
    "to_cmi5_xml",
    "to_csv",
    "to_ics",
    "to_json",
    "to_scorm_manifest",
    "to_scorm_package",
    "to_xapi_statements",
    "to_xapi_templates",
    "write_export",
]

#: Format name -> builder. Every builder takes the journey and keyword options, returns bytes.
FORMATS: Mapping[str, Callable[..., bytes]] = {
    "json": to_json,
    "cmi5": to_cmi5_package,
    "cmi5-xml": to_cmi5_xml,
    "scorm2004": to_scorm_package,
    "xapi": to_xapi_statements,
    "xapi-templates": to_xapi_templates,
    "ics": to_ics,
    "csv": to_csv,
}

#: Usual file name suffix of each format.
SUFFIXES: Mapping[str, str] = {
    "json": ".json",
    "cmi5": ".zip",
    "cmi5-xml": ".xml",
    "scorm2004": ".zip",
    "xapi": ".json",
    "xapi-templates": ".json",
    "ics": ".ics",
    "csv": ".csv",
}


def _builder(format: str) -> Callable[..., bytes]:
    if not isinstance(format, str) or format not in FORMATS:
        import difflib

        close = difflib.get_close_matches(str(format), list(FORMATS), n=2)
        hint = f" Did you mean {' or '.join(close)}?" if close else ""
        raise UnknownNameError(f"unknown export format {format!r}.{hint} Formats: {', '.join(FORMATS)}")
    return FORMATS[format]


def cohort_options(
    format: str,
    *,
    start: date | None = None,
    tz: str | None = None,
    course_iri: str | None = None,
    launch_base: str | None = None,
) -> dict[str, Any]:
    """Return the options of ``format``'s builder for a cohort, from the settings every UI asks for.

    ``start`` (the cohort's first day) goes with ``tz`` (default UTC) to builders that take a
    time zone (calendar, CSV); builders that take a ``start`` but no zone (xAPI statements)
    get an aware datetime at 09:00 in ``tz``. ``course_iri`` and ``launch_base`` go where the
    builder takes them. Settings left empty are left out, so the builder's defaults apply.

    Raises
    ------
    UnknownNameError
        ``format`` is not a known format.
    ExportError
        ``tz`` is not an IANA time zone name.

    Examples
    --------
    >>> cohort_options("ics", start=date(2026, 3, 2), tz="Europe/Paris")
    {'start': datetime.date(2026, 3, 2), 'tz': 'Europe/Paris'}
    >>> cohort_options("xapi", start=date(2026, 3, 2))["start"].isoformat()
    '2026-03-02T09:00:00+00:00'
    >>> cohort_options("scorm2004", start=date(2026, 3, 2), course_iri="https://lms.example.org/c")
    {}
    """
    parameters = inspect.signature(_builder(format)).parameters.values()
    names = {p.name for p in parameters if p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD)}
    open_ended = any(p.kind is p.VAR_KEYWORD for p in parameters)
    zone_name = tz or "UTC"
    try:
        zone = ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ExportError(
            f"tz: unknown time zone {zone_name!r}; use an IANA name such as Europe/Paris or UTC"
        ) from None
    options: dict[str, Any] = {}
    if start is not None and "start" in names:
        if "tz" in names:
            options.update(start=start, tz=zone_name)
        else:
            options["start"] = datetime.combine(start, time(9, 0), tzinfo=zone)
    if course_iri and ("course_iri" in names or open_ended):
        options["course_iri"] = course_iri  # xAPI statements pass it on to sample_statements
    if launch_base and "launch_base" in names:
        options["launch_base"] = launch_base
    return options


def export(journey: Journey, format: str, **options: Any) -> bytes:
    """Build one delivery export of ``journey`` as bytes.

    Parameters
    ----------
    journey : Journey
        The journey.
    format : str
        One of :data:`FORMATS`.
    **options
        Options of the format's builder (e.g. ``start``/``tz`` for ``ics`` and ``csv``,
        ``start``/``learners``/``rng`` for ``xapi``, ``course_iri`` for cmi5 and xAPI).

    Raises
    ------
    UnknownNameError
        ``format`` is not a known format (the message lists them).
    ExportError
        The journey cannot be expressed in the format, or an option is invalid or unknown.

    Examples
    --------
    >>> from workbench.templates import load_template
    >>> export(load_template("post_training_retention"), "csv").splitlines()[0].startswith(b"cohort,")
    True
    """
    builder = _builder(format)
    if not isinstance(journey, Journey):
        raise ExportError(
            f"export: expected a Journey (got {type(journey).__name__}); load one with workbench.spec.load"
        )
    signature = inspect.signature(builder)
    try:
        signature.bind(journey, **options)
    except TypeError as exc:
        accepted = [n for n, p in signature.parameters.items() if p.kind is p.KEYWORD_ONLY]
        unknown = [name for name in options if name not in signature.parameters]
        problem = f"unknown option(s) {', '.join(unknown)}" if unknown else str(exc)
        raise ExportError(f"{format}: {problem}; options: {', '.join(accepted) or 'none'}") from None
    return builder(journey, **options)


def write_export(journey: Journey, format: str, path: str | os.PathLike[str], **options: Any) -> Path:
    """Build an export and write it to ``path`` atomically; returns the path.

    The export is built completely before anything is written, and written through a
    temporary file renamed into place: on any error ``path`` is left as it was.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from workbench.templates import load_template
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "journey.json"
    >>> write_export(load_template("post_training_retention"), "json", target).name
    'journey.json'
    """
    data = export(journey, format, **options)
    return write_atomic(path, data)
