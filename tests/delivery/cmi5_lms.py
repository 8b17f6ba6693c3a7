"""A small cmi5 LMS for the tests: registrations, LMS.LaunchData, the fetch URL, an LRS facade.

It serves an unpacked cmi5 package and, on the same origin, the endpoint the AUs talk to:
statements go to the real ralph LRS (with the LMS's own credentials, after checking the AU's
token); the State and Agent Profile documents live here, because ralph 5.1.0 implements the
Statement resource only. ``launch`` does what cmi5 section 8 asks of an LMS: a new session,
``LMS.LaunchData`` with the context template, the ``launched`` statement, and the launch URL.
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
import uuid
import xml.etree.ElementTree as ET
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import requests

CMI5 = "{https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd}"
SESSION_ID = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
XAPI = {"X-Experience-API-Version": "1.0.3"}


class Cmi5Lms:
    def __init__(self, package_dir: Path, lrs_url: str, lrs_auth: tuple[str, str]) -> None:
        self.root, self.lrs_url, self.lrs_auth = package_dir, lrs_url, lrs_auth
        structure = ET.parse(package_dir / "cmi5.xml").getroot()
        self.aus = {au.get("id"): au for au in structure.iter(f"{CMI5}au")}
        self.tokens: dict[str, str | None] = {}  # fetch key -> token (None once used)
        self.issued: set[str] = set()
        self.state: dict[tuple[str, str, str], bytes] = {}
        self.actor = {
            "objectType": "Agent",
            "name": "Test Learner",
            "account": {"homePage": "https://lms.example", "name": "learner-1"},
        }
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def au_path(self, au_id: str) -> str:
        return str(self.aus[au_id].findtext(f"{CMI5}url"))

    def launch(self, au_id: str, registration: str, mode: str = "Normal", return_url: str | None = None) -> str:
        """Prepare a session of ``au_id`` and return its launch URL."""
        au, session = self.aus[au_id], str(uuid.uuid4())
        data: dict[str, Any] = {
            "contextTemplate": {
                "contextActivities": {"grouping": [{"objectType": "Activity", "id": au_id}]},
                "extensions": {SESSION_ID: session},
            },
            "launchMode": mode,
            "launchMethod": au.get("launchMethod", "AnyWindow"),
            "moveOn": au.get("moveOn"),
        }
        if au.get("masteryScore"):
            data["masteryScore"] = float(au.get("masteryScore", "0"))
        if return_url:
            data["returnURL"] = return_url
        self.state[(au_id, registration, "LMS.LaunchData")] = json.dumps(data).encode()
        launched = {
            "id": str(uuid.uuid4()),
            "actor": self.actor,
            "timestamp": _now(),
            "verb": {"id": "http://adlnet.gov/expapi/verbs/launched", "display": {"en-US": "launched"}},
            "object": {"objectType": "Activity", "id": au_id},
            "context": {
                "registration": registration,
                "contextActivities": {
                    **data["contextTemplate"]["contextActivities"],
                    "category": [{"id": "https://w3id.org/xapi/cmi5/context/categories/cmi5"}],
                },
                "extensions": {
                    SESSION_ID: session,
                    "https://w3id.org/xapi/cmi5/context/extensions/launchmode": mode,
                    "https://w3id.org/xapi/cmi5/context/extensions/moveon": data["moveOn"],
                },
            },
        }
        if "masteryScore" in data:  # cmi5 10.2.2: the LMS adds it to "launched"
            launched["context"]["extensions"]["https://w3id.org/xapi/cmi5/context/extensions/masteryscore"] = data[
                "masteryScore"
            ]
        self.forward("POST", json.dumps(launched).encode())
        key = secrets.token_hex(8)
        self.tokens[key] = base64.b64encode(secrets.token_bytes(18)).decode()
        query = {
            "endpoint": f"{self.base}/xapi/",
            "fetch": f"{self.base}/fetch/{key}",
            "actor": json.dumps(self.actor),
            "registration": registration,
            "activityId": au_id,
        }
        return f"{self.base}/pkg/{self.au_path(au_id)}?{urlencode(query)}"

    def forward(self, method: str, body: bytes, query: str = "") -> requests.Response:
        return requests.request(
            method,
            f"{self.lrs_url}/xAPI/statements{query}",
            data=body,
            auth=self.lrs_auth,
            headers={**XAPI, "Content-Type": "application/json"},
            timeout=30,
        )

    def _handler(self) -> type[SimpleHTTPRequestHandler]:
        lms = self

        class Handler(SimpleHTTPRequestHandler):
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, directory=str(lms.root.parent), **kwargs)

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def reply(self, status: int, body: bytes = b"", kind: str = "application/json") -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self) -> None:
                self._xapi("POST")

            def do_PUT(self) -> None:
                self._xapi("PUT")

            def do_GET(self) -> None:
                if self.path.startswith("/xapi/"):
                    self._xapi("GET")
                else:
                    super().do_GET()

            def _xapi(self, method: str) -> None:
                parts = urlsplit(self.path)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if parts.path.startswith("/fetch/") and method == "POST":  # cmi5 8.2: one token per launch
                    key = parts.path.rsplit("/", 1)[1]
                    token = lms.tokens.get(key)
                    if token is None:
                        return self.reply(200, b'{"error-code": "1", "error-text": "fetch URL already used"}')
                    lms.tokens[key] = None
                    lms.issued.add(token)
                    return self.reply(200, json.dumps({"auth-token": token}).encode())
                if self.headers.get("Authorization", "").removeprefix("Basic ") not in lms.issued:
                    return self.reply(401)
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                if parts.path == "/xapi/statements":
                    answer = lms.forward(method, body, f"?{parts.query}" if parts.query else "")
                    return self.reply(answer.status_code, answer.content)
                if parts.path == "/xapi/activities/state":
                    key = (query.get("activityId", ""), query.get("registration", ""), query.get("stateId", ""))
                    if method == "GET":
                        return self.reply(200, lms.state[key]) if key in lms.state else self.reply(404)
                    lms.state[key] = body
                    return self.reply(204)
                return self.reply(404)  # agents/profile: no learner preferences stored

        return Handler


def _now() -> str:
    from datetime import UTC, datetime

    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
