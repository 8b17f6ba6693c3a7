"""Fixtures of the export tests: the standards folder, sample options and a real ralph LRS.

The LRS follows ``shared/standards/README.md`` section 5: ralph-malph 5.1.0 with the fs
backend, HTTP Basic users in an ``auth.json`` with a bcrypt hash, started with uvicorn from an
empty temporary directory on 127.0.0.1 and a free port, polled on ``/__heartbeat__``, and
terminated at the end of the session. In CI (``CI=true``) a missing ralph is a failure.
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
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from workbench.model import Journey
from workbench.templates import load_template

IN_CI = os.environ.get("CI", "").lower() == "true"
LRS_USER, LRS_PASSWORD = "ci", "ci-secret"
START = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))


def skip_or_fail(message: str) -> None:
    """Skip locally, fail in CI: a missing tool must not turn CI green."""
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


def export_options(format: str, learners: int = 3) -> dict[str, Any]:
    """Options every format needs in the tests (a cohort start where a format needs one)."""
    if format == "xapi":
        return {"start": START, "learners": learners, "rng": 7}
    if format in ("ics", "csv"):
        return {"start": date(2026, 3, 2), "tz": "Europe/Paris"}
    return {}


@pytest.fixture(scope="session")
def options_for() -> Any:
    """:func:`export_options` as a fixture, for test modules (conftest is not importable)."""
    return export_options


@pytest.fixture(scope="session")
def standards(shared: Path) -> Path:
    """``shared/standards``: reference material the tests compare shipped copies and outputs against."""
    folder = shared / "standards"
    if not (folder / "scorm2004-4ed" / "imscp_v1p1.xsd").is_file():
        skip_or_fail(f"SCORM 2004 schemas not found under {folder}; set WORKBENCH_SHARED")
    return folder


@pytest.fixture
def journey() -> Journey:
    """Return the post-training retention template: formal, micro, social and on-demand pieces."""
    return load_template("post_training_retention")


# ---- ralph LRS ---------------------------------------------------------------------------------


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


@pytest.fixture(scope="session")
def lrs() -> Iterator[Lrs]:
    """Start a ralph LRS on loopback for the whole session."""
    import importlib.util

    try:
        import bcrypt
        import requests  # ralph imports it at start-up but does not declare it
    except ImportError as exc:
        skip_or_fail(f'ralph LRS not available ({exc}); pip install "ralph-malph[lrs]==5.1.0" requests')
        return
    missing = [name for name in ("ralph", "uvicorn", "fastapi") if importlib.util.find_spec(name) is None]
    if missing:
        skip_or_fail(f'ralph LRS not available (no {", ".join(missing)}); pip install "ralph-malph[lrs]==5.1.0"')
        return
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
    }
    log = (home / "lrs.log").open("wb")
    command = [sys.executable, "-m", "uvicorn", "ralph.api:app", "--host", "127.0.0.1", "--port", str(port)]
    command += ["--workers", "1"]
    # cwd: an empty folder, since ralph's settings also read a .env from the working directory
    process = subprocess.Popen(command, cwd=home, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 15
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


@pytest.fixture
def clean_lrs(lrs: Lrs) -> Lrs:
    """Empty the LRS store: the fs backend accepts one write per file (README, gotcha 1)."""
    (lrs.data_dir / "fs_lrs.jsonl").unlink(missing_ok=True)
    return lrs
