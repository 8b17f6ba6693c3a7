"""Fixtures of the export tests: the standards folder and sample options.

The real ralph LRS (``lrs`` / ``clean_lrs``) is in ``tests/conftest.py`` (shared with the
analytics tests).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from support.env import SHARED_MISSING, skip_or_fail
from workbench.model import Journey
from workbench.templates import load_template

START = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))


def export_options(format: str, learners: int = 3) -> dict[str, Any]:
    """Options every format needs in the tests (a cohort start where a format needs one)."""
    if format == "xapi":
        return {"start": START, "learners": learners, "rng": 7}
    if format in ("ics", "csv"):
        return {"start": date(2026, 3, 2), "tz": "Europe/Paris"}
    return {}


@pytest.fixture(scope="session")
def options_for() -> Any:
    """:func:`export_options` as a fixture, for test modules (conftest is not importable)."""
    return export_options


@pytest.fixture(scope="session")
def standards(shared: Path) -> Path:
    """``shared/standards``: reference material the tests compare shipped copies and outputs against."""
    folder = shared / "standards"
    if not (folder / "scorm2004-4ed" / "imscp_v1p1.xsd").is_file():
        skip_or_fail(f"{SHARED_MISSING} SCORM 2004 schemas not found under {folder}; set WORKBENCH_SHARED")
    return folder


@pytest.fixture
def journey() -> Journey:
    """Return the post-training retention template: formal, micro, social and on-demand pieces."""
    return load_template("post_training_retention")
