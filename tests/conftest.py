"""Test-wide settings and fixtures (plots: tests/plot/conftest.py; helpers: tests/support/).

Reproducible hypothesis runs; the shared reference folder; one headless Chromium; and, at the
end of the run, how many tests skipped because the shared reference material was missing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from support.env import shared_path, shared_skip_summary, skip_or_fail

# Same examples on every run and machine: a property failure is reproducible, never flaky.
settings.register_profile("workbench", derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("workbench")


@pytest.fixture(scope="session")
def shared() -> Path:
    """Return the shared reference folder; in CI its absence fails, elsewhere the test skips."""
    return shared_path()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Debian Chromium (Playwright) for every browser test of the session.

    One Playwright instance only: a second sync one in the same thread fails ("Sync API
    inside the asyncio loop"). Missing Playwright or Chromium skips, except in CI.
    """
    from support.browser import CHROMIUM, CHROMIUM_ARGS

    try:
        from playwright import sync_api
    except ImportError:
        skip_or_fail("playwright is not installed: pip install playwright==1.65.2 (never `playwright install`)")
    if not os.path.exists(CHROMIUM):
        skip_or_fail(f"{CHROMIUM} missing: apt-get install -y chromium")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def lrs() -> Iterator[Any]:
    """Run a ralph LRS on loopback for the whole session (see ``tests/support/lrs.py``)."""
    from support.lrs import run_ralph

    yield from run_ralph()


@pytest.fixture(scope="session")
def dask_client() -> Iterator[Any]:
    """Return a client of a real 2-worker-process LocalCluster, shared by the session (``support/dask.py``)."""
    from support.dask import local_cluster_client

    yield from local_cluster_client()


@pytest.fixture
def clean_lrs(lrs: Any) -> Any:
    """Return the LRS with an empty store, for tests that count what they wrote."""
    (lrs.data_dir / "fs_lrs.jsonl").unlink(missing_ok=True)
    return lrs


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say how many tests skipped for missing shared reference material (none may in CI)."""
    terminalreporter.write_line(shared_skip_summary(terminalreporter.stats.get("skipped", [])))
