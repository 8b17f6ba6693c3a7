"""Fixtures of the delivery tests: the npm runtimes, a static server, packages with items.

The SCORM runtime is the npm package ``scorm-again`` pinned in ``tests/delivery/package.json``
and ``package-lock.json``; the ``scorm_runtime`` fixture runs ``npm ci`` here when it is not
installed yet (``make test`` does it first). The LRS is the session's ralph of
``tests/conftest.py`` (``lrs``). Without npm, Chromium or ralph the tests skip locally and fail
in CI (``CI=true``).
"""

from __future__ import annotations

import functools
import http.server
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from delivery.support import HERE
from support.env import skip_or_fail


@pytest.fixture(scope="session")
def scorm_runtime() -> Path:
    """``dist/`` of the installed scorm-again package (``npm ci`` from the lock file if needed)."""
    dist = HERE / "node_modules" / "scorm-again" / "dist"
    if not (dist / "scorm2004.js").is_file():
        npm = shutil.which("npm")
        if npm is None:
            skip_or_fail("npm is missing: apt-get install -y npm (tests/delivery needs scorm-again)")
        done = subprocess.run(
            [str(npm), "ci", "--no-audit", "--no-fund"], cwd=HERE, capture_output=True, text=True, timeout=300
        )
        if done.returncode != 0 or not (dist / "scorm2004.js").is_file():
            skip_or_fail(f"npm ci in {HERE} failed:\n{done.stdout[-1500:]}\n{done.stderr[-1500:]}")
    return dist


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def serve_dir() -> Iterator[Any]:
    """Serve a folder on 127.0.0.1 (a free port) for the test; returns its base URL."""
    servers: list[http.server.ThreadingHTTPServer] = []

    def start(root: Path, handler: type[http.server.BaseHTTPRequestHandler] = QuietHandler) -> str:
        factory = functools.partial(handler, directory=str(root)) if handler is QuietHandler else handler
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), factory)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """Open a fresh page; JavaScript errors of any frame are collected in ``page.errors``."""
    context = browser.new_context()
    pg = context.new_page()
    pg.errors = []
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    # console errors, except the failed-resource ones, which the response hook names with their URL
    pg.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" and "Failed to" not in m.text else None)
    missing = lambda r: r.status >= 400 and not r.url.endswith("/favicon.ico")  # noqa: E731
    pg.on("response", lambda r: pg.errors.append(f"{r.status} {r.url}") if missing(r) else None)
    yield pg
    context.close()
