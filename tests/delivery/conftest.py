"""Fixtures of the delivery tests: the npm runtimes, a static server, packages with items.

The SCORM runtime is the npm package ``scorm-again`` pinned in ``tests/delivery/package.json``
and ``package-lock.json``; the ``scorm_runtime`` fixture runs ``npm ci`` here when it is not
installed yet (``make test`` does it first). Without npm, Chromium or ralph the tests skip
locally and fail in CI (``CI=true``).
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
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


# ---- ralph LRS -------------------------------------------------------------------------------

#: ralph's fs backend refuses a second write to its file (shared/standards/README.md, gotcha 1);
#: an AU sends one statement per request, so this LRS appends. Everything else is ralph 5.1.0.
_RALPH_APPENDING = """
import sys
import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend
FSLRSBackend.default_operation_type = BaseOperationType.APPEND
uvicorn.run("ralph.api:app", host="127.0.0.1", port=int(sys.argv[1]), workers=1, log_level="warning")
"""


@dataclass(frozen=True)
class Lrs:
    url: str
    auth: tuple[str, str]


@pytest.fixture(scope="session")
def ralph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lrs]:
    """Ralph 5.1.0 (fs backend, appending) on 127.0.0.1 for the session."""
    try:
        import bcrypt
        import requests
        import uvicorn  # noqa: F401
        from ralph.backends.lrs.fs import FSLRSBackend  # noqa: F401
    except ImportError as exc:
        skip_or_fail(f'ralph LRS not available ({exc}); pip install "ralph-malph[lrs]==5.1.0" requests')
    home = tmp_path_factory.mktemp("ralph")
    (home / "data").mkdir()
    user, password = "lms", secrets.token_hex(8)
    users = [
        {
            "username": user,
            "hash": bcrypt.hashpw(password.encode(), bcrypt.gensalt()).decode(),
            "scopes": ["statements/write", "statements/read"],
            "agent": {"mbox": "mailto:lms@example.org", "objectType": "Agent"},
        }
    ]
    (home / "auth.json").write_text(json.dumps(users), encoding="utf-8")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {
        **os.environ,
        "RALPH_APP_DIR": str(home),
        "RALPH_AUTH_FILE": str(home / "auth.json"),
        "RALPH_RUNSERVER_BACKEND": "fs",
        "RALPH_RUNSERVER_AUTH_BACKENDS": "basic",
        "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(home / "data"),
    }
    log = (home / "lrs.log").open("wb")
    command = [sys.executable, "-c", _RALPH_APPENDING, str(port)]
    process = subprocess.Popen(command, cwd=home, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(f"{url}/__heartbeat__", timeout=1).ok:
                    break
            except requests.RequestException:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                log.flush()
                skip_or_fail(f"ralph did not start on {url}:\n{(home / 'lrs.log').read_text(errors='replace')[-2000:]}")
            time.sleep(0.1)
        yield Lrs(url, (user, password))
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()
