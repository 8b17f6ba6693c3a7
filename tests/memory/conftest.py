"""Fixtures of the memory tests: the FSRS reference vectors from the shared folder."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from support.env import shared_path

VECTORS_RELATIVE = Path("reference") / "fsrs_vectors.json"


@pytest.fixture(scope="session")
def fsrs_vectors() -> dict[str, Any]:
    """Return the py-fsrs 6.3.2 reference vectors; skip locally, fail in CI, if missing."""
    data: dict[str, Any] = json.loads(shared_path(VECTORS_RELATIVE).read_text(encoding="utf-8"))
    return data
