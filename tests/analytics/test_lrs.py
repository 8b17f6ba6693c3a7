"""Pulling statements from a real LRS (ralph on loopback), directly and through a faulty proxy.

The proxy (a small HTTP server on 127.0.0.1 in this test) forwards to ralph and injects, by
request number, 500 answers, a response slower than the client's timeout, a connection dropped
in the middle of a body, and a page served twice. Whatever happens, the frame holds every
statement exactly once.
"""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from workbench.analytics import pull_statements, read_lrs, read_statements
from workbench.errors import DataError
from workbench.export.xapi import sample_statements
from workbench.templates import load_template

pytestmark = pytest.mark.lrs
HEADERS = {"X-Experience-API-Version": "1.0.3", "Content-Type": "application/json"}
START = datetime(2026, 3, 2, 9, tzinfo=UTC)
PAGE = 2500
# ralph's fs backend scans its store for each page: seconds on a busy machine, so the client's
# timeout must be well above that, and the "slow" fault just above the timeout
TIMEOUT_S = 8.0
SLOW_S = 9.0


@pytest.fixture(scope="module")
def cohort() -> list[dict[str, Any]]:
    """At least 10,000 statements: a 460-learner cohort of the retention template."""
    journey = load_template("post_training_retention").update_activity("quiz_2", mastery_score=0.8)
    statements = sample_statements(journey, 460, start=START, rng=5)
    assert len(statements) >= 10_000
    return statements


@pytest.fixture(scope="module")
def stored(lrs: Any, cohort: list[dict[str, Any]]) -> Any:
    """Load the cohort into the LRS; the tests only read, so it is loaded once per module."""
    import requests

    # one batch into an empty store: the tests count what comes back
    (lrs.data_dir / "fs_lrs.jsonl").unlink(missing_ok=True)
    response = requests.post(
        f"{lrs.url}/xAPI/statements", data=json.dumps(cohort), headers=HEADERS, auth=lrs.auth, timeout=300
    )
    assert response.status_code == 200, response.text[:500]
    return lrs


@pytest.fixture
def loaded(stored: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Return the loaded LRS with its credentials in the environment, as a user would set them."""
    monkeypatch.setenv("WORKBENCH_LRS_USER", stored.auth[0])
    monkeypatch.setenv("WORKBENCH_LRS_PASSWORD", stored.auth[1])
    return stored


def _ids(statements: list[dict[str, Any]]) -> set[str]:
    return {s["id"] for s in statements}


def test_pull_follows_more_links_over_many_pages(loaded: Any, cohort: list[dict[str, Any]], tmp_path: Path) -> None:
    out = tmp_path / "pull.ndjson"
    pull = pull_statements(f"{loaded.url}/xAPI/", out, limit=PAGE)
    assert pull.pages == -(-len(cohort) // PAGE) + (len(cohort) % PAGE == 0)  # the last page may be empty
    assert pull.statements == len(cohort)
    assert pull.retries == 0
    assert not out.with_name("pull.ndjson.cursor.json").exists()  # a finished pull leaves no cursor
    result = read_statements(out)
    assert result.kept == len(cohort)
    assert result.duplicates == 0
    assert set(result.frame["statement_id"]) == _ids(cohort)


def test_registration_filter(loaded: Any, cohort: list[dict[str, Any]]) -> None:
    registration = cohort[0]["context"]["registration"]
    expected = {s["id"] for s in cohort if s["context"]["registration"] == registration}
    result = read_lrs(f"{loaded.url}/xAPI", registration=registration, limit=7)
    assert set(result.frame["statement_id"]) == expected


def test_wrong_credentials_are_one_clear_error_without_retries(
    loaded: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WORKBENCH_LRS_PASSWORD", "wrong")
    waits: list[float] = []
    with pytest.raises(DataError, match=r"refused the request \(HTTP 401\); set WORKBENCH_LRS_USER"):
        pull_statements(f"{loaded.url}/xAPI/", tmp_path / "x.ndjson", sleep=waits.append)
    assert waits == []


# ---- the faulty proxy ------------------------------------------------------------------------


#: Pages the LRS served, by path: a retried or resumed request is answered from here, so the
#: slow fs backend is asked once per page across the proxy tests (the faults are the proxy's).
_PAGES: dict[str, bytes] = {}


class _Proxy:
    """Forwards GETs to the LRS; ``faults`` maps request number (1-based) to a fault."""

    def __init__(self, upstream: str, faults: dict[int, str], slow_s: float) -> None:
        self.upstream = urlsplit(upstream)
        self.faults = faults
        self.slow_s = slow_s
        self.requests = 0
        self.lock = threading.Lock()
        self.last_body: bytes | None = None
        self.repeated = 0  # statements served a second time by "repeat"
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def do_GET(self) -> None:
                with proxy.lock:
                    proxy.requests += 1
                    fault = proxy.faults.get(proxy.requests, "")
                if fault == "500":
                    self._send(500, b'{"detail": "injected"}')
                    return
                if fault == "repeat" and proxy.last_body is not None:
                    proxy.repeated += len(json.loads(proxy.last_body)["statements"])
                    self._send(200, proxy.last_body)
                    return
                if fault == "slow":  # nothing for longer than the client waits, then hang up
                    time.sleep(proxy.slow_s)
                    self.close_connection = True
                    return
                status, body = proxy.forward(self.path, self.headers.get("Authorization", ""))
                if fault == "drop":
                    # promise the whole body, send half, hang up
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body[: len(body) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                if status == 200:
                    proxy.last_body = body
                self._send(status, body)

            def _send(self, status: int, body: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: Any, client_address: Any) -> None:
                pass  # a client that gave up on a slow answer is what the test wants

        self.server = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def forward(self, path: str, authorization: str) -> tuple[int, bytes]:
        if path in _PAGES:
            return 200, _PAGES[path]
        connection = http.client.HTTPConnection(self.upstream.hostname, self.upstream.port, timeout=60)
        try:
            connection.request(
                "GET", path, headers={"Authorization": authorization, "X-Experience-API-Version": "1.0.3"}
            )
            response = connection.getresponse()
            body = response.read()
            if response.status == 200:
                _PAGES[path] = body
            return response.status, body
        finally:
            connection.close()


@pytest.fixture
def proxy(loaded: Any) -> Iterator[Any]:
    made: list[_Proxy] = []

    def make(faults: dict[int, str], slow_s: float = SLOW_S) -> _Proxy:
        server = _Proxy(loaded.url, faults, slow_s)
        threading.Thread(target=server.server.serve_forever, daemon=True).start()
        made.append(server)
        return server

    yield make
    for server in made:
        server.server.shutdown()
        server.server.server_close()


def test_faults_give_every_statement_exactly_once(proxy: Any, cohort: list[dict[str, Any]], tmp_path: Path) -> None:
    faulty = proxy({1: "500", 3: "slow", 5: "drop", 6: "500", 8: "repeat", 9: "drop", 10: "repeat"})
    waits: list[float] = []
    out = tmp_path / "pull.ndjson"
    pull = pull_statements(
        f"{faulty.url}/xAPI/",
        out,
        limit=PAGE,
        timeout_s=TIMEOUT_S,
        backoff_s=0.01,
        max_backoff_s=0.05,
        sleep=waits.append,
    )
    # 500 twice, one timeout, two drops: five retries, each after a wait
    assert pull.retries == 5
    assert len(waits) == 5
    assert waits[0] == pytest.approx(0.01)
    result = read_statements(out)
    # the repeated pages reached the file; de-duplication by id absorbs them
    assert faulty.repeated > 0
    assert result.duplicates == faulty.repeated
    assert result.kept == len(cohort)
    assert set(result.frame["statement_id"]) == _ids(cohort)
    assert result.frame["statement_id"].is_unique


def test_an_interrupted_pull_resumes_where_it_stopped(proxy: Any, cohort: list[dict[str, Any]], tmp_path: Path) -> None:
    # the LRS goes away after two pages: the pull gives up with the cursor kept
    broken = proxy({n: "500" for n in range(3, 100)})
    out = tmp_path / "pull.ndjson"
    cursor = tmp_path / "pull.cursor.json"
    options: dict[str, Any] = {
        "limit": PAGE,
        "cursor": cursor,
        "max_retries": 2,
        "backoff_s": 0.0,
        "sleep": lambda s: None,
    }
    with pytest.raises(DataError, match=r"no answer after 3 tries .*resumed later with the same cursor"):
        pull_statements(f"{broken.url}/xAPI/", out, **options)
    state = json.loads(cursor.read_text())
    assert state["pages"] == 2
    assert state["statements"] == 2 * PAGE
    # a crash after a page was written but before the cursor was saved leaves extra lines
    with out.open("ab") as handle:
        handle.write(b'{"id": "half a page that was never rec')
    broken.faults.clear()  # the LRS is back
    asked = broken.requests
    pull = pull_statements(f"{broken.url}/xAPI/", out, **options)
    assert pull.resumed
    assert pull.pages == state["pages"] + (broken.requests - asked)  # only the missing pages were asked
    assert not cursor.exists()
    result = read_statements(out)
    assert result.read == len(cohort)
    assert result.duplicates == 0
    assert not result.rejected
    assert set(result.frame["statement_id"]) == _ids(cohort)


def test_a_cursor_of_another_pull_is_refused(loaded: Any, tmp_path: Path) -> None:
    cursor = tmp_path / "c.json"
    cursor.write_text(json.dumps({"endpoint": "http://elsewhere/xAPI/", "query": {}, "next": None}))
    with pytest.raises(DataError, match="belongs to another pull"):
        pull_statements(f"{loaded.url}/xAPI/", tmp_path / "o.ndjson", cursor=cursor)
