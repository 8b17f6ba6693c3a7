"""Property: every random valid journey exports to every format, and every output validates.

One build per example and format; schemas are compiled once per process (the validation
module caches them), so 500 examples stay within seconds per hundred.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from hypothesis import given, settings
from icalendar import Calendar

from support.journeys import journeys
from workbench.errors import ExportError
from workbench.export import FORMATS, export, read_json
from workbench.export._common import launchable_activities
from workbench.export.validate import validate
from workbench.model import Journey


@pytest.fixture(scope="module")
def options(options_for: Any) -> Any:
    """Export options per format."""
    return options_for


@settings(max_examples=500)
@given(journey=journeys())
def test_every_format_validates(journey: Journey, options: Any) -> None:
    has_au = bool(launchable_activities(journey))
    for format in FORMATS:
        kwargs = options(format, learners=2)
        if format == "cmi5-xml":
            kwargs = {"launch_base": "https://cdn.example.org/courses/x"}
        if format in ("cmi5", "cmi5-xml", "scorm2004") and not has_au:
            with pytest.raises(ExportError, match="no launchable activity"):
                export(journey, format, **kwargs)
            continue
        data = export(journey, format, **kwargs)
        assert validate(data, format) == [], format
        if format == "json":
            assert read_json(data) == journey
        elif format == "ics":
            dated = [a for a in journey.activities if journey.days[a.id] is not None]
            assert len(Calendar.from_ical(data).walk("VEVENT")) == len(dated)
        elif format == "csv":
            rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
            assert [r["activity_id"] for r in rows] == [a.id for a in journey.timeline()]
        elif format == "xapi":
            for statement in json.loads(data):
                assert statement["timestamp"].endswith("Z")
