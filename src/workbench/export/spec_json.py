"""The journey as a JSON delivery contract: the spec plus its resolved schedule.

The document is ``{"format": ..., "journey": <spec v1 mapping>, "resolved_schedule": [...]}``.
``journey`` is exactly what :func:`workbench.spec.to_spec_dict` gives (valid against
:func:`workbench.spec.json_schema`, readable by :func:`workbench.spec.loads`), and
``resolved_schedule`` lists every activity in timeline order with its resolved ``day`` (null
when on demand), so a delivery system needs no schedule logic of its own.
:func:`read_json` reads the document back to an equal journey and checks that the schedule
agrees with it.
"""

from __future__ import annotations

import json
from typing import Any

from workbench.errors import SpecError
from workbench.model import Journey
from workbench.spec import SPEC_VERSION, loads, to_spec_dict

__all__ = ["DELIVERY_FORMAT", "delivery_dict", "read_json", "to_json"]

#: Name and version of the delivery document.
DELIVERY_FORMAT = "workbench-journey-delivery/1"


def delivery_dict(journey: Journey) -> dict[str, Any]:
    """Return the delivery document as plain data.

    Examples
    --------
    >>> from workbench.templates import load_template
    >>> doc = delivery_dict(load_template("post_training_retention"))
    >>> doc["resolved_schedule"][1]
    {'activity_id': 'workshop', 'day': 0.0}
    """
    return {
        "format": DELIVERY_FORMAT,
        "journey": to_spec_dict(journey),
        "resolved_schedule": [
            {"activity_id": activity.id, "day": journey.days[activity.id]} for activity in journey.timeline()
        ],
    }


def to_json(journey: Journey) -> bytes:
    """Return the delivery document as UTF-8 JSON (2-space indent, stable key order).

    Examples
    --------
    >>> from workbench.templates import load_template
    >>> journey = load_template("post_training_retention")
    >>> read_json(to_json(journey)) == journey
    True
    """
    return (json.dumps(delivery_dict(journey), indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def read_json(data: str | bytes, source: str = "<delivery json>") -> Journey:
    """Read a delivery document back to its journey.

    Raises
    ------
    SpecError
        Not a delivery document, an invalid journey spec, or a ``resolved_schedule`` that does
        not match the journey's own schedule (the document was edited by hand).
    """
    try:
        doc = json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise SpecError(f"{source}: not JSON ({exc}); expected a workbench delivery document") from None
    if not isinstance(doc, dict) or doc.get("format") != DELIVERY_FORMAT:
        raise SpecError(f"{source}: not a workbench delivery document ('format' must be {DELIVERY_FORMAT!r})")
    unknown = sorted(set(doc) - {"format", "journey", "resolved_schedule"})
    if unknown:
        raise SpecError(f"{source}: unknown key(s) {', '.join(unknown)}; remove them")
    spec = doc.get("journey")
    if not isinstance(spec, dict) or spec.get("spec_version") != SPEC_VERSION:
        raise SpecError(f"{source}: journey: must be a spec v1 mapping with spec_version {SPEC_VERSION}")
    journey = loads(json.dumps(spec, ensure_ascii=False), format="json", source=f"{source} journey")
    schedule = doc.get("resolved_schedule")
    expected = delivery_dict(journey)["resolved_schedule"]
    if schedule != expected:
        raise SpecError(
            f"{source}: resolved_schedule does not match the journey's schedule; it is derived data: "
            "edit the journey's schedules and export again"
        )
    return journey
