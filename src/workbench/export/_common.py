"""Shared pieces of the exporters: option checks, derived ids, dates, XML text, ZIP files.

Everything here is pure and deterministic: ids are derived from the journey (uuid5 of IRIs),
dates from a cohort start that the caller passes in, ZIP members get fixed timestamps.
"""

from __future__ import annotations

import difflib
import io
import math
import re
import uuid
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from workbench.errors import ExportError
from workbench.model import Activity, Journey, Layer

__all__ = [
    "DEFAULT_COURSE_BASE",
    "Cohort",
    "activity_iri",
    "block_iri",
    "check_iri",
    "check_xml_text",
    "course_iri_for",
    "format_day",
    "launchable_activities",
    "layer_title",
    "objective_iri",
    "resolve_cohort",
    "stable_uuid",
    "zip_bytes",
]

#: Course IRIs default to ``<this>/<journey id>``; ``.example`` is reserved (RFC 2606), so a
#: default IRI can never collide with a real organisation's activities.
DEFAULT_COURSE_BASE = "https://workbench.example/courses"

#: A fixed, arbitrary namespace for every uuid5 the exporters derive.
_NAMESPACE = uuid.UUID("5b0f4c3e-2f7a-5d0e-9a55-6f1e0c2d7b41")

#: Labels of the generated blocks (cmi5) and clusters (SCORM), one per layer.
LAYER_TITLES: Mapping[Layer, str] = {
    Layer.BEFORE: "Before: priming and orientation",
    Layer.DURING: "During: core learning",
    Layer.AFTER: "After: reinforcement and recall",
    Layer.WORK: "In the flow of work: job support",
    Layer.CHANGE: "Change: updates and launch support",
}

# RFC 3987 excludes these from IRIs; spaces and controls are excluded too.
_IRI_FORBIDDEN = re.compile(r"[\s<>\"{}|\\^`\x00-\x1f\x7f]")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*$")
# Characters XML 1.0 cannot carry, even escaped.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def stable_uuid(*parts: str) -> str:
    """Return a UUID derived from ``parts`` only: same parts, same id, on every machine.

    Examples
    --------
    >>> stable_uuid("course", "quiz") == stable_uuid("course", "quiz")
    True
    """
    return str(uuid.uuid5(_NAMESPACE, "\x1f".join(parts)))


def json_copy(value: Any) -> Any:
    """Return an independent copy of a JSON tree (dicts, lists and scalars).

    Statements built from shared templates must not share mutable parts with each other or with
    the templates; this is the copy for that, several times faster than :func:`copy.deepcopy`
    because it knows the tree holds only JSON values.

    Examples
    --------
    >>> template = {"object": {"id": "https://example.org/a", "tags": ["x"]}}
    >>> statement = json_copy(template)
    >>> statement["object"]["tags"].append("y")
    >>> template["object"]["tags"]
    ['x']
    """
    if isinstance(value, dict):
        return {key: json_copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [json_copy(item) for item in value]
    return value


def check_iri(value: Any, option: str, example: str = "https://lms.example.org/courses/onboarding") -> str:
    """Return ``value`` without a trailing ``/`` if it is an absolute IRI; ExportError otherwise.

    Examples
    --------
    >>> check_iri("https://lms.example.org/c/1/", "course_iri")
    'https://lms.example.org/c/1'
    """
    fix = f"give an absolute IRI such as {example!r}"
    if not isinstance(value, str) or not value:
        raise ExportError(f"{option}: must be an IRI text (got {value!r}); {fix}")
    bad = _IRI_FORBIDDEN.search(value)
    if bad:
        raise ExportError(f"{option}: {value!r} contains {bad.group()!r}, which an IRI cannot hold; {fix}")
    parts = urlsplit(value)
    if not parts.scheme or not _SCHEME.match(parts.scheme) or not parts.netloc:
        raise ExportError(f"{option}: {value!r} is not an absolute IRI (scheme://host/path); {fix}")
    if parts.fragment or value.endswith("#"):
        raise ExportError(f"{option}: {value!r} has a fragment ('#...'); ids are built below it, remove it")
    if parts.query or value.endswith("?"):
        raise ExportError(f"{option}: {value!r} has a query ('?...'); ids are built below it, remove it")
    return value.rstrip("/")


def course_iri_for(journey: Journey, course_iri: str | None) -> str:
    """Return the course IRI: the option when given (checked), else derived from the journey id.

    Examples
    --------
    >>> from workbench.templates import load_template
    >>> course_iri_for(load_template("post_training_retention"), None)
    'https://workbench.example/courses/post_training_retention'
    """
    if course_iri is None:
        return f"{DEFAULT_COURSE_BASE}/{journey.id}"
    return check_iri(course_iri, "course_iri")


def activity_iri(course: str, activity_id: str) -> str:
    """IRI of one activity (the cmi5 AU id and the xAPI object id)."""
    return f"{course}/activities/{activity_id}"


def block_iri(course: str, layer: Layer) -> str:
    """IRI of the block that groups a layer's AUs."""
    return f"{course}/blocks/{layer.value}"


def objective_iri(course: str, concept_id: str) -> str:
    """IRI of the objective made from a concept."""
    return f"{course}/objectives/{concept_id}"


def layer_title(layer: Layer, overrides: Mapping[str, str] | None = None) -> str:
    """Label of a layer's block, from ``overrides`` (by layer value) when given."""
    if overrides and layer.value in overrides:
        return overrides[layer.value]
    return LAYER_TITLES[layer]


def check_layer_titles(overrides: Mapping[str, str] | None) -> Mapping[str, str] | None:
    """Check a ``block_titles`` option: keys are layers, values non-empty text."""
    if overrides is None:
        return None
    if not isinstance(overrides, Mapping):
        raise ExportError(f"block_titles: must map layer names to titles (got {type(overrides).__name__})")
    known = {layer.value for layer in Layer}
    for key, value in overrides.items():
        if key not in known:
            raise ExportError(f"block_titles: unknown layer {key!r}; use one of {', '.join(sorted(known))}")
        if not isinstance(value, str) or not value.strip():
            raise ExportError(f"block_titles[{key!r}]: must be non-empty text (got {value!r})")
    return overrides


def launchable_activities(journey: Journey) -> list[Activity]:
    """Activities whose catalog kind is launchable, in timeline order."""
    return [a for a in journey.timeline() if journey.kind_of(a).launchable]


def require_launchable(journey: Journey, format_name: str) -> list[Activity]:
    """Return the launchable activities, or ExportError explaining why there is nothing to package."""
    activities = launchable_activities(journey)
    if not activities:
        kinds = sorted({a.kind for a in journey.activities}) or ["none"]
        raise ExportError(
            f"{format_name}: journey {journey.id!r} has no launchable activity (kinds: {', '.join(kinds)}); "
            "instructor-led sessions and manager or social prompts are not launched from an LMS. "
            "Add an eLearning module, a video, a quiz or another launchable asset, or export to "
            "'ics' or 'csv' instead"
        )
    return activities


def check_xml_text(text: str, where: str) -> str:
    """Return ``text`` if XML 1.0 can carry it, else an ExportError naming the field.

    Examples
    --------
    >>> check_xml_text("R&D <fast>", "title")
    'R&D <fast>'
    """
    bad = _XML_ILLEGAL.search(text)
    if bad:
        raise ExportError(
            f"{where}: contains the control character U+{ord(bad.group()):04X}, which XML cannot "
            "carry; remove it from the text"
        )
    return text


def format_day(day: float | None) -> str:
    """Return a day offset as text: ``3`` for 3.0, ``2.5`` for 2.5, empty when on demand.

    Examples
    --------
    >>> format_day(3.0), format_day(-2.5), format_day(None)
    ('3', '-2.5', '')
    """
    if day is None:
        return ""
    return str(int(day)) if float(day).is_integer() else repr(float(day))


# ---- dates ---------------------------------------------------------------------------------


def check_zone(tz: object, option: str = "tz") -> tzinfo:
    """Return an IANA time zone by name (``"Europe/Paris"``), or ExportError with close names."""
    if isinstance(tz, ZoneInfo):
        return tz
    if tz is UTC:
        return UTC
    if not isinstance(tz, str) or not tz:
        raise ExportError(f"{option}: must be an IANA time zone name such as 'Europe/Paris' (got {tz!r})")
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        close = difflib.get_close_matches(tz, sorted(available_timezones()), n=3, cutoff=0.6)
        hint = f"did you mean {', '.join(close)}? " if close else ""
        raise ExportError(
            f"{option}: unknown time zone {tz!r}; {hint}use an IANA name such as 'Europe/Paris', "
            "'America/New_York' or 'UTC'"
        ) from None


def check_aware(value: Any, option: str) -> datetime:
    """Return ``value`` if it is a timezone-aware datetime; ExportError otherwise."""
    if not isinstance(value, datetime):
        raise ExportError(f"{option}: must be a timezone-aware datetime (got {type(value).__name__})")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ExportError(
            f"{option}: {value.isoformat()} is a naive datetime (no time zone); "
            "add one, e.g. datetime(2026, 3, 2, 9, tzinfo=ZoneInfo('Europe/Paris'))"
        )
    return value


def _check_time(value: Any, option: str) -> time:
    if isinstance(value, time):
        if value.tzinfo is not None:
            raise ExportError(f"{option}: give a local time without time zone (got {value!r}); the zone is 'tz'")
        return value
    if isinstance(value, str):
        match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", value.strip())
        if match:
            return time(int(match.group(1)), int(match.group(2)))
    raise ExportError(f"{option}: must be a local time like '09:00' or datetime.time(9, 0) (got {value!r})")


@dataclass(frozen=True)
class Cohort:
    """A cohort's calendar: day 0 is ``start`` (a local date) in ``zone``, touches at ``at``.

    Examples
    --------
    >>> from datetime import date, time
    >>> c = Cohort("cohort-1", date(2026, 3, 6), ZoneInfo("Europe/Paris"), time(9), workdays_only=True)
    >>> c.date_of(1.0)  # a Saturday, shifted to Monday
    datetime.date(2026, 3, 9)
    """

    name: str
    start: date
    zone: tzinfo
    at: time
    workdays_only: bool = False

    @property
    def zone_name(self) -> str:
        """IANA name of the zone (``UTC`` for UTC)."""
        return getattr(self.zone, "key", None) or "UTC"

    def date_of(self, day: float) -> date:
        """Local date of a day offset: the day it falls in, shifted to Monday if asked."""
        result = self.start + timedelta(days=math.floor(day))
        if self.workdays_only and result.weekday() >= 5:
            result += timedelta(days=7 - result.weekday())
        return result

    def local_start(self, day: float) -> datetime:
        """Aware local datetime at which the touch of ``day`` starts."""
        return datetime.combine(self.date_of(day), self.at, tzinfo=self.zone)


def resolve_cohort(
    start: Any,
    *,
    tz: Any = None,
    at: Any = None,
    name: str | None = None,
    workdays_only: bool = False,
    option: str = "start",
) -> Cohort:
    """Check the date options of an export and return the cohort they describe.

    Parameters
    ----------
    start : date or datetime
        Day 0 of the cohort. A datetime must be timezone-aware; a date needs ``tz``.
    tz : str, optional
        IANA time zone name; defaults to the zone of ``start`` when it is a ZoneInfo.
    at : time or str, optional
        Local time of each touch; defaults to the time of ``start`` (09:00 for a date).
    name : str, optional
        Cohort name, default ``cohort-<start date>``.
    workdays_only : bool
        Shift touches that fall on a Saturday or Sunday to the next Monday.

    Examples
    --------
    >>> from datetime import date
    >>> resolve_cohort(date(2026, 3, 2), tz="Europe/Paris").zone_name
    'Europe/Paris'
    """
    if not isinstance(workdays_only, bool):
        raise ExportError(f"workdays_only: must be True or False (got {workdays_only!r})")
    if isinstance(start, datetime):
        check_aware(start, option)
        if tz is None:
            if isinstance(start.tzinfo, ZoneInfo):
                zone: tzinfo = start.tzinfo
            elif start.utcoffset() == timedelta(0):
                zone = UTC
            else:
                raise ExportError(
                    f"{option}: {start.isoformat()} has a fixed UTC offset, not a named time zone, so "
                    "daylight saving cannot be followed; use tzinfo=ZoneInfo('Europe/Paris') or pass tz="
                )
        else:
            zone = check_zone(tz)
        local = start.astimezone(zone)
        first, clock = local.date(), local.time().replace(tzinfo=None)
    elif isinstance(start, date):
        if tz is None:
            raise ExportError(f"{option}: a date needs a time zone; pass tz='Europe/Paris' (an IANA name)")
        zone = check_zone(tz)
        first, clock = start, time(9, 0)
    else:
        raise ExportError(
            f"{option}: must be a date or a timezone-aware datetime for day 0 of the cohort "
            f"(got {type(start).__name__}); e.g. date(2026, 3, 2) with tz='Europe/Paris'"
        )
    if at is not None:
        clock = _check_time(at, "at")
    if name is not None and (not isinstance(name, str) or not name.strip()):
        raise ExportError(f"cohort: must be a non-empty name (got {name!r})")
    return Cohort(name or f"cohort-{first.isoformat()}", first, zone, clock, workdays_only)


def to_utc_text(moment: datetime) -> str:
    """ISO 8601 in UTC with milliseconds and ``Z``, as cmi5 asks for timestamps.

    Examples
    --------
    >>> to_utc_text(datetime(2026, 3, 2, 9, tzinfo=ZoneInfo("Europe/Paris")))
    '2026-03-02T08:00:00.000Z'
    """
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


# ---- ZIP -------------------------------------------------------------------------------------

#: 1980-01-01 is the earliest DOS timestamp: every member gets it, so bytes never depend on time.
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def zip_bytes(files: Iterable[tuple[str, bytes]]) -> bytes:
    """Return a ZIP of ``(name, data)`` pairs in the given order, with fixed timestamps and modes.

    Examples
    --------
    >>> zip_bytes([("a.txt", b"x")]) == zip_bytes([("a.txt", b"x")])
    True
    """
    buffer = io.BytesIO()
    seen: set[str] = set()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files:
            if name in seen:
                raise ExportError(f"package: two files would be named {name!r}; activity ids must differ")
            seen.add(name)
            info = zipfile.ZipInfo(name, date_time=_ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # unix, so external_attr means the same everywhere
            info.external_attr = 0o100644 << 16
            archive.writestr(info, data, compresslevel=9)
    return buffer.getvalue()


def text_option(value: Any, option: str) -> str:
    """Return a non-empty text option, or ExportError."""
    if not isinstance(value, str) or not value.strip():
        raise ExportError(f"{option}: must be non-empty text (got {value!r})")
    return value
