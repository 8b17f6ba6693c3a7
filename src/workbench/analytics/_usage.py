"""How assets are used: repeat access, returns after the programme, work support by time and moment.

Private to :mod:`workbench.analytics`; the public names are re-exported by
:mod:`workbench.analytics.purpose` and the package.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from workbench.analytics._shares import Thresholds, _per_asset, _se, check_delivery
from workbench.analytics.delivery import Delivery, activity_table
from workbench.errors import DataError

# ---- 1. repeat access ------------------------------------------------------------------------


def repeat_access(delivery: Delivery) -> pd.DataFrame:
    """How often each learner comes back to each asset, by purpose.

    Repeated access means value for a job aid and possibly confusion for a primer: read it
    with the purpose column.

    Returns
    -------
    DataFrame
        One row per activity: ``activity_id, title, purpose, layer, learners, accesses,
        accesses_per_learner, repeat_share`` (learners with 2+ accesses among those reached),
        ``se`` of that share and ``p90_accesses``.

    Examples
    --------
    >>> from workbench.analytics.demo import demo_delivery
    >>> table = repeat_access(demo_delivery())
    >>> bool(table.set_index("activity_id").loc["job_aid", "repeat_share"] > 0.2)
    True
    """
    delivery = check_delivery(delivery)
    counts = delivery.accesses.groupby(["activity_id", "learner"]).size().rename("n").reset_index()
    by_asset = counts.groupby("activity_id")["n"]
    table = _per_asset(delivery)[["activity_id", "title", "purpose", "layer", "learners"]]
    table["accesses"] = table["activity_id"].map(by_asset.sum()).fillna(0).astype(int)
    table["accesses_per_learner"] = table["accesses"] / table["learners"].where(table["learners"] > 0)
    repeaters = counts[counts["n"] >= 2].groupby("activity_id").size()
    table["repeat_share"] = table["activity_id"].map(repeaters).fillna(0) / table["learners"].where(
        table["learners"] > 0
    )
    table["se"] = _se(table["repeat_share"], table["learners"])
    table["p90_accesses"] = table["activity_id"].map(by_asset.quantile(0.9)).astype(float)
    return table


def repeat_distribution(delivery: Delivery) -> pd.DataFrame:
    """Learners by number of accesses, per asset (``activity_id, purpose, accesses, learners``).

    Examples
    --------
    >>> from workbench.analytics.demo import demo_delivery
    >>> int(repeat_distribution(demo_delivery())["learners"].sum()) > 0
    True
    """
    delivery = check_delivery(delivery)
    counts = delivery.accesses.groupby(["activity_id", "learner"]).size().rename("accesses").reset_index()
    table = counts.groupby(["activity_id", "accesses"]).size().rename("learners").reset_index()
    purpose = activity_table(delivery.journey).set_index("activity_id")["purpose"]
    table.insert(1, "purpose", table["activity_id"].map(purpose))
    return table


# ---- 2. returns after the formal programme ---------------------------------------------------


def programme_end_day(delivery: Delivery) -> float:
    """Last scheduled day of a formal event (0 when there is none)."""
    journey = delivery.journey
    days = [d for a in journey.activities if journey.is_formal(a) and (d := journey.days[a.id]) is not None]
    return float(max(days, default=0.0))


def returns_after_programme(delivery: Delivery, *, end_day: float | None = None) -> pd.DataFrame:
    """Where learners come back after the formal programme, by asset, layer and week.

    A *return* is an access after the programme's last formal day that the schedule did not
    ask for: any use of an on-demand asset, or a second or later access to a dated asset.

    Returns
    -------
    DataFrame
        ``week`` (weeks after the end, from 0), ``activity_id, layer, purpose, returns,
        learners``.

    Examples
    --------
    >>> from workbench.analytics.demo import demo_delivery
    >>> table = returns_after_programme(demo_delivery())
    >>> set(table["layer"]) >= {"work"}
    True
    """
    delivery = check_delivery(delivery)
    end = programme_end_day(delivery) if end_day is None else float(end_day)
    accesses = delivery.accesses
    after = accesses[accesses["day"] >= end + 1].copy()
    first = accesses.groupby(["learner", "activity_id"])["timestamp"].transform("min")
    repeat = accesses["timestamp"] > first
    unscheduled = after["scheduled_day"].isna()
    after = after[unscheduled | repeat.loc[after.index]]
    after["week"] = np.floor((after["day"] - (end + 1)) / 7).astype(int)
    table = (
        after.groupby(["week", "activity_id", "layer", "purpose"])
        .agg(returns=("learner", "size"), learners=("learner", "nunique"))
        .reset_index()
    )
    return table.sort_values(["week", "returns"], ascending=[True, False], ignore_index=True)


# ---- 3. work support -------------------------------------------------------------------------


def _work_assets(delivery: Delivery) -> list[str]:
    journey = delivery.journey
    return [
        a.id for a in journey.activities if a.layer.value == "work" or (a.purpose and a.purpose.value == "reference")
    ]


def work_support_by_time(delivery: Delivery) -> pd.DataFrame:
    """Use of work-layer and reference assets by local weekday and hour.

    Returns
    -------
    DataFrame
        ``activity_id, weekday`` (0 = Monday), ``hour`` (local), ``accesses``.

    Examples
    --------
    >>> from workbench.analytics.demo import demo_delivery
    >>> int(work_support_by_time(demo_delivery())["accesses"].sum()) > 0
    True
    """
    delivery = check_delivery(delivery)
    accesses = delivery.accesses[delivery.accesses["activity_id"].isin(_work_assets(delivery))]
    return accesses.groupby(["activity_id", "weekday", "hour"]).size().rename("accesses").reset_index()


def work_support_near_moments(
    delivery: Delivery,
    moments: pd.DataFrame | None = None,
    *,
    window_days: float = 3.0,
    thresholds: Thresholds | None = None,
) -> pd.DataFrame:
    """Whether work support is used when work needs it: in working time and near work moments.

    Parameters
    ----------
    delivery : Delivery
    moments : DataFrame, optional
        Work moments (go-live, month-end...): a ``date`` column (local dates), optionally
        ``learner`` (a moment of one learner only) and ``label``.
    window_days : float
        An access within this many days either side of a moment is "near" it.
    thresholds : Thresholds, optional
        For the working hours.

    Returns
    -------
    DataFrame
        One row per work asset: ``accesses, learners, work_time_share`` (workdays within the
        working hours), ``near_share`` and ``near_expected`` (the share of the observed days
        that lie near a moment: what use at random times would give), ``lift`` (their ratio)
        and ``se`` of ``near_share``.

    Examples
    --------
    >>> import pandas as pd
    >>> from workbench.analytics.demo import demo_delivery
    >>> delivery = demo_delivery()
    >>> moments = pd.DataFrame({"date": [delivery.start + pd.Timedelta(days=30)]})
    >>> table = work_support_near_moments(delivery, moments)
    >>> list(table.columns)[:3]
    ['activity_id', 'title', 'accesses']
    """
    delivery = check_delivery(delivery)
    limits = thresholds or Thresholds()
    assets = _work_assets(delivery)
    accesses = delivery.accesses[delivery.accesses["activity_id"].isin(assets)].copy()
    start_h, end_h = limits.working_hours
    accesses["work_time"] = (accesses["weekday"] < 5) & accesses["hour"].between(start_h, end_h - 1)
    titles = activity_table(delivery.journey).set_index("activity_id")["title"]
    table = pd.DataFrame({"activity_id": assets, "title": [titles[a] for a in assets]})
    grouped = accesses.groupby("activity_id")
    table["accesses"] = table["activity_id"].map(grouped.size()).fillna(0).astype(int)
    table["learners"] = table["activity_id"].map(grouped["learner"].nunique()).fillna(0).astype(int)
    table["work_time_share"] = table["activity_id"].map(grouped["work_time"].mean())
    if moments is None or len(moments) == 0:
        for column in ("near_share", "near_expected", "lift", "se"):
            table[column] = np.nan
        return table
    if "date" not in moments.columns:
        raise DataError("moments: needs a 'date' column (the local date of each work moment)")
    moment_days = (
        pd.to_datetime(moments["date"]).dt.tz_localize(None).dt.normalize()
        - delivery.start.tz_localize(None).normalize()
    ) / pd.Timedelta(days=1)
    per_learner = "learner" in moments.columns
    day = accesses["day"].to_numpy()
    near = np.zeros(len(accesses), dtype=bool)
    for index, moment_day in enumerate(moment_days.to_numpy(dtype=float)):
        hit = np.abs(day - (moment_day + 0.5)) <= window_days + 0.5
        if per_learner:
            hit &= (accesses["learner"] == str(moments["learner"].iloc[index])).to_numpy()
        near |= hit
    accesses["near"] = near
    # use at random times: the share of the observed period's days near a moment
    first, last = math.floor(delivery.accesses["day"].min()), math.floor(delivery.accesses["day"].max())
    span = np.arange(first, last + 1) + 0.5
    covered = np.zeros(len(span), dtype=bool)
    for moment_day in moment_days.to_numpy(dtype=float):
        covered |= np.abs(span - (moment_day + 0.5)) <= window_days + 0.5
    expected = float(covered.mean()) if len(span) else float("nan")
    table["near_share"] = table["activity_id"].map(accesses.groupby("activity_id")["near"].mean())
    table["near_expected"] = expected
    table["lift"] = table["near_share"] / expected if expected > 0 else np.nan
    table["se"] = _se(table["near_share"], table["accesses"])
    return table
