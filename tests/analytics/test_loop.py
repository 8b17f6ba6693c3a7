"""The whole loop: simulate -> statements -> a real LRS -> ingest -> analytics -> the simulation back.

Two checks. The pipeline is lossless: the analytics of the statements equal the trace they
were made from, exactly. And it recovers what the engine assumes: reach per asset and retrieval
success per concept agree with an independent, larger simulation of the same journey within
4 standard errors of the difference (the standard errors derived below).
"""

from __future__ import annotations

import json
import math
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest

from workbench.analytics import engagement_vs_simulated, observe, observed_vs_simulated, read_lrs, retrieval_results
from workbench.export.validate import validate_xapi_statements
from workbench.export.xapi import DEFAULT_HOME_PAGE, learner_ids, trace_statements
from workbench.simulate import LearnerPopulation, simulate
from workbench.templates import load_template

pytestmark = pytest.mark.lrs
START = datetime(2026, 3, 2, 9, tzinfo=ZoneInfo("Europe/Paris"))
HORIZON = 100
N, N_REFERENCE = 150, 3000


def _clustered_share(successes: np.ndarray, attempts: np.ndarray) -> tuple[float, float]:
    """Share of successes and its standard error with learners as clusters.

    A learner's retrievals are not independent (a good memory stays good), so the binomial
    SE of all retrievals pooled is too small; the ratio estimator's linearised variance over
    learners is the honest one: se^2 = sum((s_i - p a_i)^2) / (sum a_i)^2.
    """
    total = attempts.sum()
    p = successes.sum() / total
    return float(p), float(math.sqrt(((successes - p * attempts) ** 2).sum()) / total)


def _per_concept(trace_or_outcomes: pd.DataFrame, learner: str, success: str) -> dict[str, tuple[float, float]]:
    out = {}
    for concept, group in trace_or_outcomes.groupby("concept", observed=True):
        per = group.groupby(learner)[success].agg(["sum", "size"])
        out[str(concept)] = _clustered_share(per["sum"].to_numpy(dtype=float), per["size"].to_numpy(dtype=float))
    return out


def test_simulated_cohort_through_ralph_and_back(clean_lrs: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import requests

    journey = load_template("post_training_retention")
    result = simulate(journey, population=LearnerPopulation(size=N), rng=21, trace=True, horizon_days=HORIZON)
    statements = trace_statements(journey, result, start=START, rng=21)
    assert validate_xapi_statements(statements) == []
    response = requests.post(
        f"{clean_lrs.url}/xAPI/statements",
        data=json.dumps(statements),
        headers={"X-Experience-API-Version": "1.0.3", "Content-Type": "application/json"},
        auth=clean_lrs.auth,
        timeout=300,
    )
    assert response.status_code == 200, response.text[:300]
    monkeypatch.setenv("WORKBENCH_LRS_USER", clean_lrs.auth[0])
    monkeypatch.setenv("WORKBENCH_LRS_PASSWORD", clean_lrs.auth[1])

    ingested = read_lrs(f"{clean_lrs.url}/xAPI/", limit=2500)
    assert ingested.kept == len(statements)
    assert not ingested.rejected
    enrolled = [f"{DEFAULT_HOME_PAGE}|{name}" for name in learner_ids(N)]
    delivery = observe(ingested, journey, start=START, tz="Europe/Paris", learners=enrolled)
    assert delivery.unmatched.empty

    # 1. lossless: the analytics equal the trace they came from
    engagement = engagement_vs_simulated(delivery, result)
    assert np.allclose(engagement["observed"], engagement["simulated"], atol=1e-12, equal_nan=True)
    recall = observed_vs_simulated(delivery, result)
    assert np.allclose(recall["observed"], recall["simulated"], atol=1e-12)

    # 2. recovers the engine: an independent, larger run of the same journey
    reference = simulate(
        journey, population=LearnerPopulation(size=N_REFERENCE), rng=99, trace=True, horizon_days=HORIZON
    )
    expected = reference.touches_frame()
    dated = engagement.dropna(subset=["observed"])
    checked = 0
    for activity_id, observed in zip(dated["activity_id"], dated["observed"], strict=True):
        if journey.days[activity_id] is None:
            continue
        p = float(expected.loc[expected["activity_id"] == activity_id, "reach"].iloc[0])
        se = math.sqrt(p * (1 - p) / N + p * (1 - p) / N_REFERENCE)
        assert abs(observed - p) <= 4 * se, (activity_id, observed, p, se)
        checked += 1
    assert checked == 9

    observed_success = _per_concept(retrieval_results(delivery), "learner", "success")
    # like with like: the retrievals the statements can show are those of activities with items
    shown = set(retrieval_results(delivery)["activity_id"])
    tried = reference.trace[
        (reference.trace["effect"].astype(str) == "retrieve") & reference.trace["activity_id"].isin(shown)
    ]
    expected_success = _per_concept(tried, "learner", "recalled")
    assert set(observed_success) == {c.id for c in journey.concepts}
    for concept, (p_obs, se_obs) in observed_success.items():
        p_ref, se_ref = expected_success[concept]
        assert abs(p_obs - p_ref) <= 4 * math.hypot(se_obs, se_ref), (concept, p_obs, p_ref)
