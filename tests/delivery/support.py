"""Helpers of the delivery tests (the fixtures are in conftest.py)."""

from __future__ import annotations

from pathlib import Path

from workbench.model import Journey
from workbench.templates import load_template

HERE = Path(__file__).resolve().parent


def quiz_journey() -> Journey:
    """Return the retention template, its first quiz scored (mastery 0.5)."""
    return load_template("post_training_retention").update_activity("quiz_1", mastery_score=0.5)
