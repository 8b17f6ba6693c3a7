"""Fixtures of the widget tests in a browser: JupyterLab and Voila on 127.0.0.1, headless Chromium.

Following ``shared/guides/testing-notebooks-and-widgets.md``. The ``browser`` fixture itself
lives in ``tests/conftest.py`` (one Playwright instance per session): without Playwright or
``/usr/bin/chromium`` the tests skip with the reason, except in CI (``CI=true``), where either
one missing is a failure.
"""

from __future__ import annotations

import os
import secrets
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from support.browser import Server, free_port, lab_command, serve, server_env, voila_command

REPO = Path(__file__).resolve().parents[3]
ARTIFACTS = Path(os.environ.get("BROWSER_ARTIFACTS", REPO / "test-artifacts" / "browser"))


@pytest.fixture(scope="session")
def notebook_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Copy notebooks/ to a throw-away folder: the UI runs and may autosave them."""
    root = tmp_path_factory.mktemp("nbroot")
    shutil.copytree(REPO / "notebooks", root, dirs_exist_ok=True)
    return root


@pytest.fixture(scope="session")
def lab(browser: Any, tmp_path_factory: pytest.TempPathFactory, notebook_root: Path) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("lab")
    port, token = free_port(), secrets.token_hex(16)
    with serve(
        lab_command(sys.executable, port, token, notebook_root),
        f"http://127.0.0.1:{port}/api/status?token={token}",
        tmp / "lab.log",
        server_env(tmp),
    ):
        yield Server(f"http://127.0.0.1:{port}", token, notebook_root, tmp / "lab.log")


@pytest.fixture(scope="session")
def voila(browser: Any, tmp_path_factory: pytest.TempPathFactory, notebook_root: Path) -> Iterator[Server]:
    """Voila serving the notebooks folder; open /voila/render/<name>.ipynb."""
    tmp = tmp_path_factory.mktemp("voila")
    port = free_port()
    with serve(
        voila_command(sys.executable, port, notebook_root),
        f"http://127.0.0.1:{port}/voila/static/",
        tmp / "voila.log",
        server_env(tmp),
    ):
        yield Server(f"http://127.0.0.1:{port}", "", notebook_root, tmp / "voila.log")


@pytest.fixture
def page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    pg = context.new_page()
    pg.page_errors = []
    pg.on("pageerror", lambda e: pg.page_errors.append(str(e)))
    offline: list[str] = []  # requests to other hosts fail here by design (no internet)
    pg.on("requestfailed", lambda r: offline.append(r.url))
    yield pg
    if offline:
        print("\nfailed requests:", sorted(set(offline)))
    rep = getattr(request.node, "rep_call", None)
    if rep is not None and rep.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}-failure.png"), full_page=True)
    context.close()


@pytest.fixture
def shot(page: Any) -> Callable[[str], None]:
    """shot('name.png') saves a full-page screenshot under test-artifacts/browser/."""

    def _shot(name: str) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / name), full_page=True)

    return _shot


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    rep = outcome.get_result()  # type: ignore[attr-defined]
    setattr(item, f"rep_{rep.when}", rep)
