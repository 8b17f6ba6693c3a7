"""CSV schedule: one row per touch per cohort (or per learner), for messaging and LMS tools.

Columns (in this order): ``cohort, learner_id, activity_id, title, kind, layer, channel,
purpose, required, day, date, local_time, timezone, duration_min, url``. Rows come per
cohort (in the order given), then by day, then by the activity's position in the journey;
on-demand activities come last with empty ``day``, ``date`` and ``local_time``. Without a
cohort start, ``date``, ``local_time`` and ``timezone`` are empty: the schedule is in days.

With ``learner_schedule`` (a pandas DataFrame with columns ``learner_id``, ``activity_id``
and ``day``: one row per touch of one learner, e.g. from a reinforcement plan that adapts to
each learner) the rows are that frame's touches instead, ordered by learner then day.
"""

from __future__ import annotations

import csv
import io
import math
import numbers
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from workbench.errors import ExportError
from workbench.export._common import Cohort, format_day, resolve_cohort
from workbench.model import Activity, Journey

__all__ = ["CSV_COLUMNS", "to_csv"]

CSV_COLUMNS = (
    "cohort",
    "learner_id",
    "activity_id",
    "title",
    "kind",
    "layer",
    "channel",
    "purpose",
    "required",
    "day",
    "date",
    "local_time",
    "timezone",
    "duration_min",
    "url",
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cohorts(
    start: Any,
    cohorts: Mapping[str, date | datetime] | None,
    tz: Any,
    at: Any,
    cohort: str | None,
    workdays_only: bool,
) -> list[Cohort | str]:
    if cohorts is not None:
        if start is not None:
            raise ExportError("cohorts: give either 'start' (one cohort) or 'cohorts' (several), not both")
        if not isinstance(cohorts, Mapping) or not cohorts:
            raise ExportError("cohorts: must map cohort names to start dates, e.g. {'march': date(2026, 3, 2)}")
        return [
            resolve_cohort(
                value, tz=tz, at=at, name=str(name), workdays_only=workdays_only, option=f"cohorts[{name!r}]"
            )
            for name, value in cohorts.items()
        ]
    if start is None:
        if tz is not None or at is not None or workdays_only:
            raise ExportError("start: 'tz', 'at' and 'workdays_only' need a cohort start date; pass start=")
        return [cohort or "cohort-1"]
    return [resolve_cohort(start, tz=tz, at=at, name=cohort, workdays_only=workdays_only)]


def _learner_touches(journey: Journey, frame: Any) -> list[tuple[str, Activity, float]]:
    """Check a per-learner schedule frame and return (learner, activity, day) touches."""
    columns = getattr(frame, "columns", None)
    if columns is None or not hasattr(frame, "itertuples"):
        raise ExportError(
            "learner_schedule: must be a pandas DataFrame with columns learner_id, activity_id, day "
            f"(got {type(frame).__name__})"
        )
    missing = [c for c in ("learner_id", "activity_id", "day") if c not in columns]
    if missing:
        raise ExportError(
            f"learner_schedule: missing column(s) {', '.join(missing)}; it needs learner_id, activity_id, day"
        )
    known = {a.id: a for a in journey.activities}
    order = {a.id: i for i, a in enumerate(journey.activities)}
    touches: list[tuple[str, Activity, float]] = []
    problems: list[str] = []
    for row_number, (learner, activity_id, day) in enumerate(
        zip(frame["learner_id"], frame["activity_id"], frame["day"], strict=True)
    ):
        where = f"learner_schedule row {row_number}"
        if activity_id not in known:
            problems.append(f"{where}: activity {activity_id!r} is not in journey {journey.id!r}")
            continue
        if isinstance(day, bool) or not isinstance(day, numbers.Real) or not math.isfinite(float(day)):
            problems.append(f"{where}: day must be a finite number of days from the start (got {day!r})")
            continue
        if learner is None or (isinstance(learner, float) and math.isnan(learner)) or str(learner) == "":
            problems.append(f"{where}: learner_id is empty")
            continue
        touches.append((str(learner), known[activity_id], float(day)))
    if problems:
        shown = problems[:10] + ([f"... and {len(problems) - 10} more"] if len(problems) > 10 else [])
        raise ExportError("learner_schedule: " + f"{len(problems)} problem(s):\n" + "\n".join(shown))
    touches.sort(key=lambda t: (t[0], t[2], order[t[1].id]))
    return touches


def _row(group: Cohort | str, learner: str, activity: Activity, day: float | None, excel_safe: bool) -> list[str]:
    if isinstance(group, Cohort) and day is not None:
        when = group.local_start(day)
        date_text, time_text = when.date().isoformat(), when.strftime("%H:%M")
    else:
        date_text = time_text = ""
    row = [
        group.name if isinstance(group, Cohort) else group,
        learner,
        activity.id,
        activity.title,
        activity.kind,
        activity.layer.value,
        activity.channel.value,
        activity.purpose.value if activity.purpose else "",
        "true" if activity.required else "false",
        format_day(day),
        date_text,
        time_text,
        group.zone_name if isinstance(group, Cohort) else "",
        format_day(activity.duration_min),
        activity.url or "",
    ]
    if excel_safe:
        row = ["'" + cell if cell.startswith(_FORMULA_STARTS) else cell for cell in row]
    return row


def to_csv(
    journey: Journey,
    *,
    start: date | datetime | None = None,
    tz: str | None = None,
    at: Any = None,
    cohort: str | None = None,
    cohorts: Mapping[str, date | datetime] | None = None,
    workdays_only: bool = False,
    learner_schedule: Any = None,
    include_on_demand: bool = True,
    excel_safe: bool = False,
) -> bytes:
    """Return the schedule as CSV (RFC 4180: comma, double quotes, CRLF), UTF-8.

    Parameters
    ----------
    journey : Journey
        The journey.
    start : date or datetime, optional
        Day 0 of one cohort (a datetime must be timezone-aware); adds dates and local times.
    tz : str, optional
        IANA time zone of the cohort(s); required with a date.
    at : time or str, optional
        Local time of the touches (default the time of ``start``, 09:00 for a date).
    cohort : str, optional
        Name of the one cohort (default ``cohort-<start date>``, or ``cohort-1`` without start).
    cohorts : mapping of str to date or datetime, optional
        Several cohorts by name, instead of ``start``: rows are repeated per cohort.
    workdays_only : bool
        Shift touches on Saturdays and Sundays to the next Monday.
    learner_schedule : pandas.DataFrame, optional
        Per-learner touches, columns ``learner_id``, ``activity_id``, ``day`` (days from the
        cohort start, any number: a plan may move a touch per learner). When given, the rows are
        these touches for each cohort, and ``learner_id`` is filled.
    include_on_demand : bool
        Whether on-demand activities get a row (without day or date).
    excel_safe : bool
        Prefix cells that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``)
        with ``'``. Off by default, so the text stays as written.

    Raises
    ------
    ExportError
        Bad dates or time zones, or a malformed ``learner_schedule``.

    Examples
    --------
    >>> from datetime import date
    >>> from workbench.templates import load_template
    >>> text = to_csv(load_template("post_training_retention"), start=date(2026, 3, 2), tz="Europe/Paris")
    >>> text.decode().splitlines()[2].split(",")[9:12]
    ['0', '2026-03-02', '09:00']
    """
    groups = _cohorts(start, cohorts, tz, at, cohort, workdays_only)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    touches: Sequence[tuple[str, Activity, float | None]]
    if learner_schedule is not None:
        touches = _learner_touches(journey, learner_schedule)
    else:
        touches = [
            ("", a, journey.days[a.id])
            for a in journey.timeline()
            if include_on_demand or journey.days[a.id] is not None
        ]
    for group in groups:
        for learner, activity, day in touches:
            writer.writerow(_row(group, learner, activity, day, excel_safe))
    return buffer.getvalue().encode("utf-8")
