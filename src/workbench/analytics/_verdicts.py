"""Each asset judged against its purpose: the verdicts table and the measure behind each row.

Private to :mod:`workbench.analytics`; the public names are re-exported by
:mod:`workbench.analytics.purpose` and the package.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from workbench.analytics._outcomes import retrieval_results
from workbench.analytics._shares import Thresholds, _se, check_delivery
from workbench.analytics._usage import work_support_near_moments
from workbench.analytics.delivery import Delivery
from workbench.model import Activity, EdgeKind

# ---- 7. verdicts --------------------------------------------------------------------------------


def _event_day(delivery: Delivery, activity_id: str) -> float | None:
    """Return the day of the event a primer prepares: the target of a ``prepares`` edge, else the next formal event."""
    journey = delivery.journey
    for edge in journey.edges:
        if edge.source == activity_id and edge.kind == EdgeKind.PREPARES:
            return journey.days[edge.target]
    own = journey.days[activity_id]
    later = [
        d
        for a in journey.activities
        if journey.is_formal(a) and (d := journey.days[a.id]) is not None and own is not None and d >= own
    ]
    return min(later, default=None)


def verdicts(
    delivery: Delivery,
    *,
    thresholds: Thresholds | None = None,
    moments: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Judge each asset against its purpose, with the measure, its value and the threshold.

    =====================  ============================================================
    purpose                measure (share of the cohort unless said)
    =====================  ============================================================
    priming                reached before the event it prepares
    instruction            finished (a completing statement)
    recap                  reached within ``recap_within_days`` of its day
    practice, quizzes      accuracy of retrievals (share correct), with its trend
    reinforcement          reached (when it has no scored results)
    reference              share of uses in working time or near a work moment
    change_communication   reached within ``change_within_days`` of its day
    social                 reached
    =====================  ============================================================

    Returns
    -------
    DataFrame
        ``activity_id, title, purpose, measure, value, se, threshold, n, verdict``
        (``meets``, ``below`` or ``no data``) and ``note`` (e.g. a declining accuracy trend).

    Examples
    --------
    >>> from workbench.analytics.demo import demo_delivery
    >>> table = verdicts(demo_delivery())
    >>> set(table["verdict"]) <= {"meets", "below", "no data"}
    True
    """
    delivery = check_delivery(delivery)
    limits = thresholds or Thresholds()
    outcomes = retrieval_results(delivery)
    work = work_support_near_moments(delivery, moments, thresholds=limits)
    work_rows = {
        str(a): (float(near), float(work_time), int(uses))
        for a, near, work_time, uses in zip(
            work["activity_id"],
            work["near_share"].to_numpy(dtype=float),
            work["work_time_share"].to_numpy(dtype=float),
            work["accesses"].to_numpy(dtype=int),
            strict=True,
        )
    }
    rows = []
    for activity in delivery.journey.timeline():
        tested = outcomes[outcomes["activity_id"] == activity.id]
        purpose = activity.purpose.value if activity.purpose is not None else "unspecified"
        measure, value, base, threshold, note = _measure(delivery, activity, purpose, tested, limits, work_rows)
        verdict = "no data" if base == 0 or math.isnan(value) else "meets" if value >= threshold else "below"
        rows.append(
            {
                "activity_id": activity.id,
                "title": activity.title,
                "purpose": purpose,
                "measure": measure,
                "value": value,
                "se": float(_se(value, base)) if base else math.nan,
                "threshold": threshold,
                "n": base,
                "verdict": verdict,
                "note": note,
            }
        )
    return pd.DataFrame(rows)


def _measure(
    delivery: Delivery,
    activity: Activity,
    purpose: str,
    tested: pd.DataFrame,
    limits: Thresholds,
    work_rows: dict[str, tuple[float, float, int]],
) -> tuple[str, float, int, float, str]:
    """Return the measure of one asset for its purpose: name, value, base, threshold and a note.

    The base is the number the value is a share of (the cohort, the retrievals, the uses).
    """
    n = delivery.cohort_size
    accesses = delivery.accesses
    mine = accesses[accesses["activity_id"] == activity.id]
    first = mine.groupby("learner")["day"].min()
    day = delivery.journey.days[activity.id]
    note = ""
    base = n
    if not tested.empty and purpose in ("practice", "reinforcement", "recap", "instruction"):
        measure, threshold = "retrieval accuracy", limits.quiz_accuracy
        value, base = float(tested["success"].mean()), len(tested)
        if len(tested) >= 10 and not (tested["day"] == tested["day"].iloc[0]).all():
            slope, slope_se = _trend(tested)
            if slope < -2 * slope_se:
                note = f"accuracy falling by {-slope:.1%} per 30 days (+/- {slope_se:.1%})"
    elif purpose == "priming":
        event = _event_day(delivery, activity.id)
        measure, threshold = "reached before the event", limits.priming_reach
        value = float((first < event).sum() / n) if event is not None else float(len(first) / n)
    elif purpose == "instruction":
        measure, threshold = "finished", limits.instruction_reach
        value = float(mine.groupby("learner")["finished"].any().sum() / n)
    elif purpose == "recap" and day is not None:
        measure, threshold = f"reached within {limits.recap_within_days:g} days", limits.recap_reach
        value = float((first < day + limits.recap_within_days + 1).sum() / n)
    elif purpose == "change_communication" and day is not None:
        measure, threshold = f"reached within {limits.change_within_days:g} days", limits.change_reach
        value = float((first < day + limits.change_within_days + 1).sum() / n)
    elif purpose == "reference":
        measure, threshold = "uses in working time or near work moments", limits.reference_work_share
        if activity.id in work_rows:
            near, work_time, uses = work_rows[activity.id]
            value, base = (near if not math.isnan(near) else work_time), int(uses)
        else:
            value, base = math.nan, 0
    elif purpose == "social":
        measure, threshold = "took part", limits.social_reach
        value = float(len(first) / n)
    else:
        measure, threshold = "reached", limits.reinforcement_reach
        value = float(len(first) / n)
    return measure, value, base, threshold, note


def _trend(outcomes: pd.DataFrame) -> tuple[float, float]:
    """Least-squares slope of success on day, per 30 days, with its standard error."""
    x = outcomes["day"].to_numpy(dtype=float)
    y = outcomes["success"].to_numpy(dtype=float)
    if np.ptp(x) == 0:
        return 0.0, math.inf
    design = np.column_stack([np.ones_like(x), x])
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    residual = y - design @ coef
    sigma2 = float(residual @ residual) / max(1, len(x) - 2)
    cov = sigma2 * np.linalg.inv(design.T @ design)
    return float(coef[1] * 30), float(math.sqrt(cov[1, 1]) * 30)
