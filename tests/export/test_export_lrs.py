"""A real LRS (ralph on loopback) accepts a simulated cohort's statements as one batch."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from workbench.export import export
from workbench.export.validate import validate_xapi_statements
from workbench.model import Journey

pytestmark = pytest.mark.lrs
HEADERS = {"X-Experience-API-Version": "1.0.3"}


def test_cohort_batch_round_trip(clean_lrs: Any, journey: Journey) -> None:
    import requests

    journey = journey.update_activity("quiz_2", mastery_score=0.8)
    start = datetime(2026, 3, 2, 9, tzinfo=ZoneInfo("Europe/Paris"))
    data = export(journey, "xapi", start=start, learners=8, rng=11)
    statements = json.loads(data)
    assert validate_xapi_statements(statements) == []

    response = requests.post(
        f"{clean_lrs.url}/xAPI/statements",
        data=data,
        headers={**HEADERS, "Content-Type": "application/json"},
        auth=clean_lrs.auth,
        timeout=30,
    )
    assert response.status_code == 200, response.text
    assert response.json() == [s["id"] for s in statements]

    by_registration: dict[str, set[str]] = {}
    for statement in statements:
        by_registration.setdefault(statement["context"]["registration"], set()).add(statement["id"])
    assert len(by_registration) == 8
    for registration, ids in by_registration.items():
        found: set[str] = set()
        url: str | None = f"{clean_lrs.url}/xAPI/statements"
        params: dict[str, str] | None = {"registration": registration, "limit": "500"}
        while url:
            page = requests.get(url, params=params, headers=HEADERS, auth=clean_lrs.auth, timeout=30)
            assert page.status_code == 200, page.text
            body = page.json()
            found |= {s["id"] for s in body["statements"]}
            more = body.get("more")
            url, params = (f"{clean_lrs.url}{more}" if more else None), None
        assert found == ids, registration
