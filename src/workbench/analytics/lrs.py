"""Pull statements from an LRS (xAPI 1.0.3 Statements resource) into an NDJSON file, resumably.

:func:`pull_statements` asks ``GET <endpoint>/statements`` with the filters xAPI defines
(``since``, ``until``, ``activity``, ``related_activities``, ``registration``, ``limit``),
follows the ``more`` links page by page and appends each page to an NDJSON file. After every
page a small cursor file records the next link and the size of the output, so a pull that was
interrupted (a crash, a lost network) continues where it stopped, and a page that was
written but not yet recorded is cut off and fetched again: each statement is written once.

Requests carry ``X-Experience-API-Version: 1.0.3``, HTTP Basic credentials from environment
variables (never from arguments, so they stay out of notebooks and shell history), a timeout,
and are retried with exponential back-off on connection errors, timeouts, 5xx and 429
responses, and on truncated bodies. Other 4xx answers are errors naming the cause.

:func:`read_lrs` pulls and then reads the file with :func:`workbench.analytics.read_statements`
(validation, voiding and de-duplication by id happen there, which also absorbs a page that
an LRS or a proxy served twice).
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urljoin

import httpx

from workbench._io import write_atomic
from workbench.analytics.ingest import IngestResult, read_statements
from workbench.errors import DataError, ParameterError

__all__ = ["PASSWORD_ENV", "USER_ENV", "PullResult", "pull_statements", "read_lrs"]

USER_ENV = "WORKBENCH_LRS_USER"
PASSWORD_ENV = "WORKBENCH_LRS_PASSWORD"  # noqa: S105 - the name of a variable, not a password
XAPI_VERSION = "1.0.3"
_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class PullResult:
    """What a pull did: pages and statements written, retries needed, where the file is."""

    path: Path
    pages: int
    statements: int
    retries: int
    resumed: bool


def _query(
    since: datetime | None,
    until: datetime | None,
    activity: str | None,
    related_activities: bool,
    registration: str | None,
    limit: int,
) -> dict[str, str]:
    params: dict[str, str] = {}
    for name, moment in (("since", since), ("until", until)):
        if moment is None:
            continue
        if not isinstance(moment, datetime) or moment.tzinfo is None:
            raise ParameterError(f"{name}: must be a timezone-aware datetime (got {moment!r})")
        params[name] = moment.isoformat()
    if activity is not None:
        params["activity"] = activity
        if related_activities:
            params["related_activities"] = "true"
    elif related_activities:
        raise ParameterError("related_activities: only applies with activity=; give the activity IRI too")
    if registration is not None:
        params["registration"] = registration
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise ParameterError(f"limit: must be a positive whole number of statements per page (got {limit!r})")
    params["limit"] = str(limit)
    return params


def _credentials(user_env: str, password_env: str) -> tuple[str, str] | None:
    user, password = os.environ.get(user_env), os.environ.get(password_env)
    if user is None and password is None:
        return None
    if not user or password is None:
        raise ParameterError(f"LRS credentials: set both {user_env} and {password_env} (only one is set)")
    return user, password


class _Fetcher:
    """GET with retries and back-off; counts the retries."""

    def __init__(
        self,
        client: httpx.Client,
        *,
        max_retries: int,
        backoff_s: float,
        max_backoff_s: float,
        sleep: Callable[[float], None],
    ) -> None:
        self.client = client
        self.max_retries = max_retries
        self.backoff_s = backoff_s
        self.max_backoff_s = max_backoff_s
        self.sleep = sleep
        self.retries = 0

    def page(self, url: str) -> dict[str, Any]:
        problem = ""
        for attempt in range(self.max_retries + 1):
            if attempt:
                self.retries += 1
            wait = min(self.max_backoff_s, self.backoff_s * 2**attempt)
            try:
                response = self.client.get(url)
            except httpx.TransportError as exc:  # refused, reset, dropped mid-body, timed out
                problem = f"{type(exc).__name__}: {exc}"
                self.sleep(wait)
                continue
            if response.status_code in _RETRY_STATUS:
                problem = f"HTTP {response.status_code}"
                retry_after = response.headers.get("Retry-After", "")
                self.sleep(min(self.max_backoff_s, float(retry_after)) if retry_after.isdigit() else wait)
                continue
            if response.status_code in (401, 403):
                raise DataError(
                    f"{url}: the LRS refused the request (HTTP {response.status_code}); set {USER_ENV} and "
                    f"{PASSWORD_ENV} to credentials with the statements/read scope"
                )
            if response.status_code != 200:
                raise DataError(f"{url}: the LRS answered HTTP {response.status_code}: {response.text[:300]}")
            try:
                body = response.json()
            except ValueError:  # a body cut short: fetch the page again
                problem = "the page was not complete JSON"
                self.sleep(wait)
                continue
            if not isinstance(body, dict) or not isinstance(body.get("statements"), list):
                raise DataError(
                    f"{url}: not an xAPI StatementResult (expected {{'statements': [...], 'more': ...}}); "
                    "check that the URL is the LRS's xAPI endpoint (e.g. https://lrs.example.org/xAPI/)"
                )
            return body
        raise DataError(
            f"{url}: no answer after {self.max_retries + 1} tries (last problem: {problem}); the pull can be "
            "resumed later with the same cursor file"
        )


def pull_statements(
    endpoint: str,
    out: str | os.PathLike[str],
    *,
    cursor: str | os.PathLike[str] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    activity: str | None = None,
    related_activities: bool = False,
    registration: str | None = None,
    limit: int = 500,
    timeout_s: float = 30.0,
    max_retries: int = 6,
    backoff_s: float = 0.5,
    max_backoff_s: float = 30.0,
    user_env: str = USER_ENV,
    password_env: str = PASSWORD_ENV,
    sleep: Callable[[float], None] = time.sleep,
    transport: httpx.BaseTransport | None = None,
) -> PullResult:
    """Pull every statement matching the filters into the NDJSON file ``out``.

    Parameters
    ----------
    endpoint : str
        The LRS's xAPI endpoint (``https://lrs.example.org/xAPI/``); ``statements`` is appended.
    out : path
        NDJSON file the statements are written to (one per line, as the LRS sent them).
    cursor : path, optional
        Cursor file (default ``<out>.cursor.json``). If it exists for the same endpoint and
        filters, the pull resumes from it; it is removed when the pull completes.
    since, until, activity, related_activities, registration, limit
        The Statements resource's filters (xAPI 1.0.3, 2.1.3); ``limit`` is per page.
    timeout_s : float
        Seconds to wait for a connection or a read.
    max_retries, backoff_s, max_backoff_s : int, float, float
        Retries per page; the wait doubles from ``backoff_s`` up to ``max_backoff_s``.
    user_env, password_env : str
        Environment variables holding the HTTP Basic credentials (none set: no auth).
    sleep : callable
        Waits between retries (injected so tests need not wait).
    transport : httpx transport, optional
        For tests and proxies.

    Returns
    -------
    PullResult

    Raises
    ------
    DataError
        The LRS refused the credentials, answered something that is not a StatementResult,
        or did not answer after the retries (the cursor is kept: call again to resume).
    """
    params = _query(since, until, activity, related_activities, registration, limit)
    base = endpoint if endpoint.endswith("/") else endpoint + "/"
    if not base.startswith(("http://", "https://")):
        raise ParameterError(
            f"endpoint: must be an http(s) URL such as 'https://lrs.example.org/xAPI/' (got {endpoint!r})"
        )
    first_url = urljoin(base, "statements") + "?" + urlencode(params)
    out_path = Path(out)
    cursor_path = Path(cursor) if cursor is not None else out_path.with_name(out_path.name + ".cursor.json")
    identity = {"endpoint": base, "query": params}

    state = _load_cursor(cursor_path, identity, out_path)
    resumed = state is not None
    if state is None:
        state = {**identity, "next": first_url, "pages": 0, "statements": 0, "out_bytes": 0}
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with out_path.open("ab") as handle:
        handle.truncate(int(state["out_bytes"]))  # cut a page written after the last cursor
    auth = _credentials(user_env, password_env)
    headers = {"X-Experience-API-Version": XAPI_VERSION, "Accept": "application/json"}
    with httpx.Client(
        headers=headers, auth=auth, timeout=httpx.Timeout(timeout_s), transport=transport, follow_redirects=True
    ) as client:
        fetcher = _Fetcher(
            client, max_retries=max_retries, backoff_s=backoff_s, max_backoff_s=max_backoff_s, sleep=sleep
        )
        while state["next"]:
            body = fetcher.page(str(state["next"]))
            statements = body["statements"]
            with out_path.open("ab") as handle:
                handle.write(b"".join(json.dumps(s, ensure_ascii=False).encode("utf-8") + b"\n" for s in statements))
                handle.flush()
                os.fsync(handle.fileno())
                size = handle.tell()
            more = body.get("more") or ""
            state = {
                **state,
                "next": urljoin(base, more) if more and statements else None,
                "pages": int(state["pages"]) + 1,
                "statements": int(state["statements"]) + len(statements),
                "out_bytes": size,
            }
            write_atomic(cursor_path, json.dumps(state, indent=1))
    cursor_path.unlink(missing_ok=True)
    return PullResult(out_path, int(state["pages"]), int(state["statements"]), fetcher.retries, resumed)


def _load_cursor(path: Path, identity: Mapping[str, Any], out: Path) -> dict[str, Any] | None:
    if not path.exists():
        return None
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise DataError(f"{path}: the cursor file is damaged; delete it to pull from the start") from None
    if not isinstance(state, dict) or {k: state.get(k) for k in identity} != dict(identity):
        raise DataError(
            f"{path}: this cursor belongs to another pull (endpoint or filters differ); delete it, or give "
            "another cursor= path, to start this pull from the beginning"
        )
    if not out.exists() or out.stat().st_size < int(state.get("out_bytes", 0)):
        raise DataError(f"{path}: the output {out} is shorter than the cursor records; delete both and pull again")
    return state


def read_lrs(
    endpoint: str,
    *,
    out: str | os.PathLike[str] | None = None,
    rejects: str | os.PathLike[str] | None = None,
    pseudonymise: str | None = None,
    **options: Any,
) -> IngestResult:
    """Pull statements from an LRS (:func:`pull_statements`) and read them into the frame.

    ``out`` keeps the pulled NDJSON (and makes the pull resumable); by default a temporary file
    is used and removed. Other options are those of :func:`pull_statements`.
    """
    if out is not None:
        pull_statements(endpoint, out, **options)
        return read_statements(out, rejects=rejects, pseudonymise=pseudonymise)
    with tempfile.TemporaryDirectory(prefix="workbench-lrs-") as folder:
        path = Path(folder) / "statements.ndjson"
        pull_statements(endpoint, path, **options)
        return read_statements(path, rejects=rejects, pseudonymise=pseudonymise)
