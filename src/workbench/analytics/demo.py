"""The demo data set: a synthetic cohort that is the simulation's own trace.

``simulate(..., trace=True)`` keeps every learner's touches and retrieval outcomes;
:func:`workbench.export.xapi.trace_statements` turns them into xAPI statements with the
exports' IRIs, verbs and cmi5 rules. Analytics over these statements should give back what
the simulation assumed, which is what the loop test checks and what makes a safe demo: every
figure it shows is a simulated one, and says so.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from workbench._random import as_generator
from workbench.analytics.delivery import Delivery, observe
from workbench.analytics.ingest import statements_frame
from workbench.export.xapi import DEFAULT_HOME_PAGE, learner_ids, trace_statements
from workbench.simulate import LearnerPopulation, simulate
from workbench.templates import load_template

__all__ = ["DEMO_START", "demo_delivery", "demo_performance", "synthetic_cohort"]

#: Day 0 of the demo cohort.
DEMO_START = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))


def synthetic_cohort(
    template: str = "post_training_retention", *, learners: int = 200, rng: int = 7, horizon_days: int = 120
) -> tuple[Any, list[dict[str, Any]]]:
    """Simulate a template with its trace and turn the trace into statements.

    Returns
    -------
    (SimulationResult, list of dict)
        The simulation (with ``trace``) and its statements (day 0 = :data:`DEMO_START`).

    Examples
    --------
    >>> result, statements = synthetic_cohort(learners=5)
    >>> result.trace is not None and len(statements) > 0
    True
    """
    journey = load_template(template)
    result = simulate(
        journey, population=LearnerPopulation(size=learners), rng=rng, trace=True, horizon_days=horizon_days
    )
    statements = trace_statements(journey, result, start=DEMO_START, rng=rng)
    return result, statements


@lru_cache(maxsize=4)
def demo_delivery(template: str = "post_training_retention", learners: int = 200, rng: int = 7) -> Delivery:
    """Return the demo cohort's statements mapped to the template (cached: it is the same every time).

    Examples
    --------
    >>> delivery = demo_delivery()
    >>> delivery.cohort_size, delivery.tz
    (200, 'Europe/Paris')
    """
    _, statements = synthetic_cohort(template, learners=learners, rng=rng)
    source = f"synthetic cohort: simulate({template}, {learners} learners, seed {rng}, trace=True)"
    enrolled = [f"{DEFAULT_HOME_PAGE}|{name}" for name in learner_ids(learners)]
    return observe(
        statements_frame(statements),
        load_template(template),
        start=DEMO_START,
        tz="Europe/Paris",
        source=source,
        learners=enrolled,
    )


def demo_performance(delivery: Delivery, *, rng: int = 11) -> pd.DataFrame:
    """Make up a performance table for the demo: each learner's retrieval accuracy per concept, plus noise.

    Real performance data (a KPI, an observed assessment) comes from the user; this table
    exists so the demo can show :func:`workbench.analytics.purpose.use_vs_performance`.

    Examples
    --------
    >>> list(demo_performance(demo_delivery()).columns)
    ['learner', 'concept', 'value']
    """
    from workbench.analytics.purpose import retrieval_results

    outcomes = retrieval_results(delivery)
    table = outcomes.groupby(["learner", "concept"])["success"].mean().rename("value").reset_index()
    noise = as_generator(rng).normal(0.0, 0.1, len(table))
    table["value"] = np.clip(table["value"].to_numpy(dtype=float) + noise, 0.0, 1.0)
    return table[["learner", "concept", "value"]]
