"""Reach along the journey: the reinforcement series and its fatigue, drop-off and skipped assets.

Private to :mod:`workbench.analytics`; the public names are re-exported by
:mod:`workbench.analytics.purpose` and the package.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from workbench.analytics._shares import _per_asset, check_delivery
from workbench.analytics.delivery import Delivery
from workbench.simulate.population import Engagement

# ---- 4. reinforcement series ------------------------------------------------------------------


def reinforcement_series(delivery: Delivery) -> list[str]:
    """List the dated reinforcement assets in order: non-formal, in the after or work layer.

    The same rule the simulator uses for its fatigue (``simulate.engine``), so the estimate
    below is of the same parameter.
    """
    from workbench.simulate.engine import _is_reinforcement

    journey = delivery.journey
    return [a.id for a in journey.timeline() if journey.days[a.id] is not None and _is_reinforcement(journey, a.id)]


def series_reach(delivery: Delivery, *, engagement: Engagement | None = None) -> pd.DataFrame:
    """Reach by position in the reinforcement series, and the fatigue per touch it implies.

    The simulator assumes ``p_k = base x channel x (1 - fatigue) ** k`` for the k-th
    reinforcement touch. Dividing each observed reach by ``base x channel`` (from
    ``engagement``, the assumptions to check) and fitting ``log`` of that on ``k`` by weighted
    least squares gives the fatigue per touch with its standard error. Learners differ in
    propensity, so this is an approximation of the simulator's parameter, not an identity.

    Returns
    -------
    DataFrame
        ``position, activity_id, day, learners, reach, se, expected_base`` (base x channel)
        and ``relative`` (reach / expected_base). ``frame.attrs["fatigue"]`` holds
        ``estimate, se, low, high, assumed`` (a 95 % interval).

    Examples
    --------
    >>> from workbench.analytics.demo import demo_delivery
    >>> table = series_reach(demo_delivery())
    >>> sorted(table.attrs["fatigue"])
    ['assumed', 'estimate', 'high', 'low', 'se']
    """
    delivery = check_delivery(delivery)
    assumed = engagement or Engagement()
    journey = delivery.journey
    per_asset = _per_asset(delivery).set_index("activity_id")
    reach_of = dict(zip(per_asset.index, per_asset["reach"].to_numpy(dtype=float), strict=True))
    se_of = dict(zip(per_asset.index, per_asset["se"].to_numpy(dtype=float), strict=True))
    learners_of = dict(zip(per_asset.index, per_asset["learners"].to_numpy(dtype=int), strict=True))
    rows = []
    for position, activity_id in enumerate(reinforcement_series(delivery)):
        activity = journey.activity(activity_id)
        base = (assumed.required if activity.required else assumed.optional) * assumed.channels.get(
            activity.channel, 1.0
        )
        reach = float(reach_of[activity_id])
        rows.append(
            {
                "position": position,
                "activity_id": activity_id,
                "day": journey.days[activity_id],
                "learners": int(learners_of[activity_id]),
                "reach": reach,
                "se": float(se_of[activity_id]),
                "expected_base": base,
                "relative": reach / base if base > 0 else np.nan,
            }
        )
    table = pd.DataFrame(rows)
    table.attrs["fatigue"] = _fatigue(table, delivery.cohort_size, assumed.fatigue_per_touch)
    return table


def _fatigue(table: pd.DataFrame, n: int, assumed: float) -> dict[str, float]:
    usable = table[(table["reach"] > 0) & (table["reach"] < 1)] if len(table) else table
    if len(usable) < 2:
        return {"estimate": math.nan, "se": math.nan, "low": math.nan, "high": math.nan, "assumed": assumed}
    k = usable["position"].to_numpy(dtype=float)
    y = np.log(usable["relative"].to_numpy(dtype=float))
    p = usable["reach"].to_numpy(dtype=float)
    weights = n * p / (1 - p)  # 1 / var(log p_hat) by the delta method
    design = np.column_stack([np.ones_like(k), k])
    w = np.diag(weights)
    cov = np.linalg.inv(design.T @ w @ design)
    slope = float((cov @ design.T @ w @ y)[1])
    slope_se = float(math.sqrt(cov[1, 1]))
    estimate = 1 - math.exp(slope)
    # the interval of the slope, carried through 1 - exp(.)
    return {
        "estimate": estimate,
        "se": math.exp(slope) * slope_se,
        "low": 1 - math.exp(slope + 1.96 * slope_se),
        "high": 1 - math.exp(slope - 1.96 * slope_se),
        "assumed": assumed,
    }


# ---- 6. drop-off and skipped required assets ---------------------------------------------------


def drop_off(delivery: Delivery) -> pd.DataFrame:
    """Where learners stop engaging, and which required assets they bypass.

    Returns
    -------
    DataFrame
        One row per dated activity in timeline order: ``position, activity_id, title, day,
        required, learners, reach, se``, ``last_seen`` (learners for whom this was the last
        dated activity they did: where they stopped) and ``skipped_then_continued`` (learners
        who skipped this required asset but did a later one).

    Examples
    --------
    >>> from workbench.analytics.demo import demo_delivery
    >>> table = drop_off(demo_delivery())
    >>> int(table["last_seen"].sum()) <= demo_delivery().cohort_size
    True
    """
    delivery = check_delivery(delivery)
    table = _per_asset(delivery)
    table = table[table["scheduled_day"].notna()].reset_index(drop=True)
    order = list(table["activity_id"])
    did = delivery.accesses[delivery.accesses["activity_id"].isin(order)]
    done = {a: set(g) for a, g in did.groupby("activity_id")["learner"]}
    position = {a: i for i, a in enumerate(order)}
    last = did.assign(pos=did["activity_id"].map(position)).groupby("learner")["pos"].max()
    table.insert(0, "position", range(len(table)))
    table["last_seen"] = table["position"].map(last.value_counts()).fillna(0).astype(int)
    skipped = []
    for i, activity_id in enumerate(order):
        if not table.loc[i, "required"]:
            skipped.append(0)
            continue
        later = set().union(*(done.get(a, set()) for a in order[i + 1 :])) if i + 1 < len(order) else set()
        skipped.append(len(later - done.get(activity_id, set())))
    table["skipped_then_continued"] = skipped
    return table[
        [
            "position",
            "activity_id",
            "title",
            "scheduled_day",
            "required",
            "learners",
            "reach",
            "se",
            "last_seen",
            "skipped_then_continued",
        ]
    ].rename(columns={"scheduled_day": "day"})
