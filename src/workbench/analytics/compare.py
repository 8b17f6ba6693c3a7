"""Observed delivery next to the simulation of the same journey: recall and engagement.

Both tables put an observed share (with its binomial standard error) beside the simulated
one, and the ``z`` of their difference, so a reader sees where the assumptions hold and where
the data disagree beyond sampling error (``|z| > 2``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from workbench.analytics._outcomes import retrieval_results
from workbench.analytics._shares import _se, check_delivery
from workbench.analytics.delivery import Delivery, activity_table
from workbench.errors import ParameterError

__all__ = ["engagement_vs_simulated", "observed_vs_simulated"]


def _check(delivery: Delivery, result: Any) -> None:
    check_delivery(delivery)
    if getattr(result, "journey_id", None) != delivery.journey.id:
        raise ParameterError(
            f"result: simulates journey {getattr(result, 'journey_id', None)!r}, the data are about "
            f"{delivery.journey.id!r}; simulate the same journey"
        )


def _z(observed: pd.Series, se: pd.Series, simulated: pd.Series) -> pd.Series:
    with np.errstate(divide="ignore", invalid="ignore"):
        return (observed - simulated) / se.where(se > 0)


def observed_vs_simulated(delivery: Delivery, result: Any) -> pd.DataFrame:
    """Compare retrieval success per concept and retrieval touch, observed and simulated.

    The simulated success of a touch is the share of its retrievals the simulation drew as
    recalled: per concept from ``result.trace`` when the result has one, else the touch's
    overall rate (then the same for every concept of the touch).

    Returns
    -------
    DataFrame
        ``concept, activity_id, day`` (scheduled), ``attempts, observed, se, simulated, z``.

    Examples
    --------
    >>> from workbench.analytics.demo import demo_delivery, synthetic_cohort
    >>> result, _ = synthetic_cohort(learners=200)
    >>> table = observed_vs_simulated(demo_delivery(), result)
    >>> bool((table["observed"] - table["simulated"]).abs().max() < 1e-9)  # the trace itself
    True
    """
    _check(delivery, result)
    outcomes = retrieval_results(delivery)
    table = outcomes.groupby(["concept", "activity_id"])["success"].agg(attempts="size", observed="mean").reset_index()
    trace = getattr(result, "trace", None)
    if trace is not None:
        tried = trace[trace["effect"].astype(str) == "retrieve"]
        simulated = tried.groupby([tried["concept"].astype(str), tried["activity_id"].astype(str)])["recalled"].mean()
        table["simulated"] = [
            float(simulated.get((c, a), np.nan)) for c, a in zip(table["concept"], table["activity_id"], strict=True)
        ]
    else:
        touches = result.touches_frame().groupby("activity_id")["retrieval_success_rate"].mean()
        table["simulated"] = table["activity_id"].map(touches).astype(float)
    table["se"] = _se(table["observed"], table["attempts"])
    table["z"] = _z(table["observed"], table["se"], table["simulated"])
    days = delivery.journey.days
    table.insert(2, "day", table["activity_id"].map(lambda a: days.get(a)))
    return table.sort_values(["concept", "day"], ignore_index=True)[
        ["concept", "activity_id", "day", "attempts", "observed", "se", "simulated", "z"]
    ]


def engagement_vs_simulated(delivery: Delivery, result: Any) -> pd.DataFrame:
    """Reach per asset, observed and simulated (and the engagement assumption behind it).

    For a dated asset, reach is the share of the cohort who did it; for an on-demand asset,
    the mean share per week (accesses / cohort / weeks simulated).

    Returns
    -------
    DataFrame
        ``activity_id, title, purpose, observed, se, simulated, z``.

    Examples
    --------
    >>> from workbench.analytics.demo import demo_delivery, synthetic_cohort
    >>> result, _ = synthetic_cohort(learners=200)
    >>> table = engagement_vs_simulated(demo_delivery(), result)
    >>> bool((table["observed"] - table["simulated"]).abs().max() < 1e-9)
    True
    """
    _check(delivery, result)
    n = delivery.cohort_size
    touches = result.touches_frame()
    table = activity_table(delivery.journey)[["activity_id", "title", "purpose", "scheduled_day"]]
    accesses = delivery.accesses
    reached = accesses.groupby("activity_id")["learner"].nunique()
    counts = accesses.groupby("activity_id").size()
    weeks = touches.groupby("activity_id").size()
    observed, simulated, base = [], [], []
    for activity_id, scheduled in zip(table["activity_id"], table["scheduled_day"].to_numpy(dtype=float), strict=True):
        mine = touches[touches["activity_id"] == activity_id]
        if np.isnan(scheduled):
            k = int(weeks.get(activity_id, 0))
            observed.append(float(counts.get(activity_id, 0)) / (n * k) if k else np.nan)
            simulated.append(float(mine["reach"].mean()) if k else np.nan)
            base.append(n * k)
        else:
            observed.append(float(reached.get(activity_id, 0)) / n)
            simulated.append(float(mine["reach"].iloc[0]) if len(mine) else np.nan)
            base.append(n)
    table["observed"] = observed
    table["se"] = _se(np.array(observed), np.array(base))
    table["simulated"] = simulated
    table["z"] = _z(table["observed"], table["se"], table["simulated"])
    return table.drop(columns="scheduled_day")
