"""Test-wide settings: reproducible hypothesis runs and the shared/ folder (plots: tests/plot/conftest.py)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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
    """Return the shared reference folder; in CI its absence fails, elsewhere the test skips."""
    folder = shared_dir()
    if not folder.is_dir():
        message = f"shared reference folder not found at {folder}; set WORKBENCH_SHARED to its path"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return folder


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Debian Chromium (Playwright) for every browser test of the session.

    One Playwright instance only: a second sync one in the same thread fails ("Sync API
    inside the asyncio loop"). Missing Playwright or Chromium skips, except in CI.
    """
    from browser.helpers import CHROMIUM, CHROMIUM_ARGS

    def missing(reason: str) -> None:
        if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
            pytest.fail(f"{reason} (CI=true: the browser tests must run)")
        pytest.skip(reason)

    try:
        from playwright import sync_api
    except ImportError:
        missing("playwright is not installed: pip install playwright==1.65.2 (never `playwright install`)")
    if not os.path.exists(CHROMIUM):
        missing(f"{CHROMIUM} missing: apt-get install -y chromium")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def lrs() -> Iterator[Any]:
    """Run a ralph LRS on loopback for the whole session (see ``tests/ralph_lrs.py``)."""
    from ralph_lrs import run_ralph

    yield from run_ralph()


@pytest.fixture
def clean_lrs(lrs: Any) -> Any:
    """Return the LRS with an empty store: the fs backend accepts one write per file (README, gotcha 1)."""
    (lrs.data_dir / "fs_lrs.jsonl").unlink(missing_ok=True)
    return lrs
