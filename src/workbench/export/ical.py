"""iCalendar (RFC 5545) export of a cohort's schedule: one VEVENT per dated activity.

Events start on the activity's day (the day its offset falls in, counted from the cohort's
start date) at a local time, last ``duration_min`` minutes and carry a reminder. On-demand
activities have no date and are not events. The calendar holds the VTIMEZONE of the cohort's
zone, so clients show the right local time across daylight-saving changes.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from workbench.errors import ExportError, MissingDependencyError
from workbench.export._common import (
    activity_iri,
    check_aware,
    course_iri_for,
    resolve_cohort,
    stable_uuid,
)
from workbench.model import Activity, Journey

__all__ = ["PRODID", "event_uid", "to_ics"]

PRODID = "-//workbench//journey export//EN"
UID_DOMAIN = "workbench.example"


def event_uid(course: str, activity_id: str, cohort: str) -> str:
    """Stable UID of an activity's event for a cohort: same inputs, same UID.

    Examples
    --------
    >>> event_uid("https://x.example/c", "quiz", "cohort-a").endswith("@workbench.example")
    True
    """
    return f"{stable_uuid(activity_iri(course, activity_id), 'ics', cohort)}@{UID_DOMAIN}"


def _description(activity: Activity) -> str:
    lines = [activity.description] if activity.description else []
    if activity.url:
        lines.append(f"Open: {activity.url}")
    return "\n\n".join(lines) or activity.title


def to_ics(
    journey: Journey,
    *,
    start: date | datetime,
    tz: str | None = None,
    at: Any = None,
    dtstamp: datetime | None = None,
    cohort: str | None = None,
    workdays_only: bool = False,
    reminder_min: float | None = 15,
    course_iri: str | None = None,
) -> bytes:
    """Return the cohort's calendar as RFC 5545 text (CRLF lines, UTF-8).

    Parameters
    ----------
    journey : Journey
        The journey.
    start : date or datetime
        Day 0 of the cohort; a datetime must be timezone-aware.
    tz : str, optional
        IANA time zone name (``"Europe/Paris"``); required with a date, defaults to the zone of
        an aware ``start``.
    at : time or str, optional
        Local start time of every event (``"09:30"``); default the time of ``start`` (09:00
        for a date).
    dtstamp : datetime, optional
        When the calendar was produced (DTSTAMP), timezone-aware; default ``start``, so that the
        output depends on the inputs only. Pass the export time for a calendar you publish.
    cohort : str, optional
        Cohort name, part of each event's UID (default ``cohort-<start date>``), so several
        cohorts can live in one calendar.
    workdays_only : bool
        Move events that fall on a Saturday or Sunday to the next Monday.
    reminder_min : float or None
        Minutes before each event for a display reminder (VALARM); None for no reminder.
    course_iri : str, optional
        Course IRI the UIDs are derived from (default derived from the journey id).

    Raises
    ------
    ExportError
        Naive datetimes, unknown time zones, bad times or reminders.

    Examples
    --------
    >>> from datetime import date
    >>> from workbench.templates import load_template
    >>> ics = to_ics(load_template("post_training_retention"), start=date(2026, 3, 2), tz="Europe/Paris")
    >>> ics.count(b"BEGIN:VEVENT"), b"BEGIN:VTIMEZONE" in ics
    (9, True)
    """
    try:
        from icalendar import Alarm, Calendar, Event
    except ImportError:  # pragma: no cover - icalendar is a dependency of the export
        raise MissingDependencyError("the iCalendar export needs icalendar: pip install icalendar") from None
    group = resolve_cohort(start, tz=tz, at=at, name=cohort, workdays_only=workdays_only)
    stamp = (
        check_aware(dtstamp, "dtstamp")
        if dtstamp is not None
        else datetime.combine(group.start, group.at, tzinfo=group.zone)
    )
    if reminder_min is not None and (
        isinstance(reminder_min, bool) or not isinstance(reminder_min, int | float) or not 0 <= reminder_min <= 10080
    ):
        raise ExportError(f"reminder_min: must be minutes between 0 and 10080, or None (got {reminder_min!r})")
    course = course_iri_for(journey, course_iri)

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", journey.title)
    if group.zone_name != "UTC":
        calendar.add("x-wr-timezone", group.zone_name)
    years: list[int] = []
    for activity in journey.timeline():
        day = journey.days[activity.id]
        if day is None:
            continue
        years.append(group.date_of(day).year)
        event = Event()
        event.add("uid", event_uid(course, activity.id, group.name))
        event.add("dtstamp", stamp.astimezone(UTC))
        begin = group.local_start(day)
        event.add("dtstart", begin.astimezone(UTC) if group.zone_name == "UTC" else begin)
        event.add("duration", timedelta(minutes=activity.duration_min))
        event.add("summary", activity.title)
        event.add("description", _description(activity))
        if activity.url:
            event.add("url", activity.url)
        event.add("categories", [activity.layer.value, activity.kind])
        event.add("transp", "TRANSPARENT" if activity.duration_min < 30 else "OPAQUE")
        if reminder_min is not None:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", activity.title)
            alarm.add("trigger", timedelta(minutes=-reminder_min))
            event.add_component(alarm)
        calendar.add_component(event)
    if group.zone_name != "UTC" and years:
        # rules for the years the events span only: small, and the same for the same input
        calendar.add_missing_timezones(first_date=date(min(years) - 1, 1, 1), last_date=date(max(years) + 2, 1, 1))
    return bytes(calendar.to_ical())
