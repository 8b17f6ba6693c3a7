"""Test-wide settings: reproducible hypothesis runs and the shared/ folder (plots: tests/plot/conftest.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Same examples on every run and machine: a property failure is reproducible, never flaky.
settings.register_profile("workbench", derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("workbench")

ROOT = Path(__file__).resolve().parents[1]


def shared_dir() -> Path:
    """``../shared`` (or ``$WORKBENCH_SHARED``): schemas, reference vectors, fixtures."""
    return Path(os.environ.get("WORKBENCH_SHARED", ROOT.parent / "shared")).resolve()


@pytest.fixture(scope="session")
def shared() -> Path:
    """The shared reference folder; in CI its absence fails, elsewhere the test skips."""
    folder = shared_dir()
    if not folder.is_dir():
        message = f"shared reference folder not found at {folder}; set WORKBENCH_SHARED to its path"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return folder
