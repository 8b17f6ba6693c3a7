"""Helpers of the delivery tests (the fixtures are in conftest.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from workbench.model import Journey
from workbench.templates import load_template

HERE = Path(__file__).resolve().parent
IN_CI = os.environ.get("CI", "").lower() in ("true", "1", "yes")


def skip_or_fail(message: str) -> None:
    """Skip locally, fail in CI: a missing runtime must not turn CI green."""
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


def quiz_journey() -> Journey:
    """Return the retention template, its first quiz scored (mastery 0.5)."""
    return load_template("post_training_retention").update_activity("quiz_1", mastery_score=0.5)
