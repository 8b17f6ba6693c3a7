"""Fixtures of the memory tests: the FSRS reference vectors from the shared folder."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
VECTORS_RELATIVE = Path("reference") / "fsrs_vectors.json"


def shared_dir() -> Path:
    """``$WORKBENCH_SHARED``, or ``../shared`` next to the repository root."""
    env = os.environ.get("WORKBENCH_SHARED")
    return Path(env) if env else (REPO_ROOT.parent / "shared")


@pytest.fixture(scope="session")
def fsrs_vectors() -> dict[str, Any]:
    """Return the py-fsrs 6.3.2 reference vectors; skip locally, fail in CI, if missing."""
    path = shared_dir() / VECTORS_RELATIVE
    if not path.is_file():
        message = (
            f"FSRS reference vectors not found at {path}; set WORKBENCH_SHARED to the "
            "shared folder (default: ../shared next to the repository root)"
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data
