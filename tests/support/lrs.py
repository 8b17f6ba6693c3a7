"""A real ralph LRS on loopback for the tests (``lrs`` / ``clean_lrs`` fixtures in conftest.py).

The LRS follows ``shared/standards/README.md`` section 5: ralph-malph 5.1.0 with the fs
backend, HTTP Basic users in an ``auth.json`` with a bcrypt hash, started with uvicorn from an
empty temporary directory on 127.0.0.1 and a free port, polled on ``/__heartbeat__``, and
terminated at the end of the session. In CI (``CI=true``) a missing ralph is a failure.

One change to ralph: its fs backend refuses a second write to its store (the README's gotcha 1),
and a cmi5 AU in the delivery tests sends one statement per request, so this LRS appends. The
analytics and export tests that count what they wrote start from an empty store (``clean_lrs``).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from support.env import skip_or_fail

LRS_USER, LRS_PASSWORD = "ci", "ci-secret"

#: ralph 5.1.0 under uvicorn, with the fs backend appending instead of refusing a second write
_APPENDING_RALPH = """
import sys
import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend
FSLRSBackend.default_operation_type = BaseOperationType.APPEND
uvicorn.run("ralph.api:app", host="127.0.0.1", port=int(sys.argv[1]), workers=1)
"""


@dataclass(frozen=True)
class Lrs:
    """A running LRS: base URL, credentials and the fs backend's data folder."""

    url: str
    auth: tuple[str, str]
    data_dir: Path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def run_ralph() -> Iterator[Lrs]:
    """Start ralph, yield it, stop it (a generator for a session fixture)."""
    import importlib.util

    try:
        import bcrypt
        import requests  # ralph imports it at start-up but does not declare it
    except ImportError as exc:
        skip_or_fail(f'ralph LRS not available ({exc}); pip install "ralph-malph[lrs]==5.1.0" requests')
    missing = [name for name in ("ralph", "uvicorn", "fastapi") if importlib.util.find_spec(name) is None]
    if missing:
        skip_or_fail(f'ralph LRS not available (no {", ".join(missing)}); pip install "ralph-malph[lrs]==5.1.0"')
    home = Path(tempfile.mkdtemp(prefix="workbench-lrs-"))
    (home / "data").mkdir()
    users = [
        {
            "username": LRS_USER,
            "hash": bcrypt.hashpw(LRS_PASSWORD.encode(), bcrypt.gensalt()).decode(),
            "scopes": ["statements/write", "statements/read"],
            "agent": {"mbox": "mailto:ci@example.org", "objectType": "Agent"},
        }
    ]
    (home / "auth.json").write_text(json.dumps(users), encoding="utf-8")
    port = _free_port()
    env = {
        **os.environ,
        "RALPH_APP_DIR": str(home),
        "RALPH_AUTH_FILE": str(home / "auth.json"),
        "RALPH_RUNSERVER_BACKEND": "fs",
        "RALPH_RUNSERVER_AUTH_BACKENDS": "basic",
        "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(home / "data"),
        # pages of up to 2,500 statements (default 100): the fs backend scans its store for
        # every page, so large pulls in the tests take a few pages instead of a hundred
        "RALPH_RUNSERVER_MAX_SEARCH_HITS_COUNT": "2500",
    }
    log = (home / "lrs.log").open("wb")
    command = [sys.executable, "-c", _APPENDING_RALPH, str(port)]
    # cwd: an empty folder, since ralph's settings also read a .env from the working directory
    process = subprocess.Popen(command, cwd=home, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        # importing ralph alone takes 20 s on a busy two-core machine: wait long enough not to skip
        deadline = time.monotonic() + 90
        while True:
            try:
                if requests.get(f"{url}/__heartbeat__", timeout=1).ok:
                    break
            except requests.RequestException:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                log.flush()
                tail = (home / "lrs.log").read_text(errors="replace")[-2000:]
                skip_or_fail(f"ralph LRS did not start on {url}:\n{tail}")
            time.sleep(0.1)
        yield Lrs(url=url, auth=(LRS_USER, LRS_PASSWORD), data_dir=home / "data")
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()
