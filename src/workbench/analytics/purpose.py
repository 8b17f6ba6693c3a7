"""Purpose-aware analytics: each asset judged against what it was designed for.

Every function here is pure: a :class:`~workbench.analytics.delivery.Delivery` (and sometimes a
table the user gives) in, a tidy DataFrame out. Plots are in :mod:`workbench.plot.analytics`.
Shares come with their binomial standard error (``se``) so a reader can tell a difference
from noise; correlations come with a 95 % interval, never as a bare number.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Annotated, Any

import numpy as np
import pandas as pd
from pydantic import Field

from workbench._values import StrictFloat, Value
from workbench.analytics.delivery import Delivery, activity_table
from workbench.errors import DataError, ParameterError
from workbench.model import Activity, EdgeKind
from workbench.simulate.population import Engagement

__all__ = [
    "Finding",
    "Thresholds",
    "drop_off",
    "findings",
    "learner_events",
    "repeat_access",
    "repeat_distribution",
    "retrieval_results",
    "returns_after_programme",
    "series_reach",
    "use_vs_performance",
    "verdicts",
    "work_support_by_time",
    "work_support_near_moments",
]

Share = Annotated[StrictFloat, Field(ge=0, le=1)]


class Thresholds(Value):
    """What "works" means per purpose: stated, overridable design targets.

    These are workbench's planning targets, not published norms: no study sets a universal
    bar for, say, recap reach. Set them to what your programme promised its sponsors.

    Parameters
    ----------
    priming_reach : float
        Share of the cohort who open a primer before the event it prepares.
    instruction_reach : float
        Share who finish a required instructional asset.
    recap_reach, recap_within_days : float, float
        Share who open a recap within ``recap_within_days`` days of its scheduled day.
    quiz_accuracy : float
        Share of correct retrievals in a quiz or practice asset.
    reinforcement_reach : float
        Share reached by a reinforcement asset without scored results.
    reference_work_share : float
        Share of a job aid's uses on workdays in working hours or near a work moment.
    change_reach, change_within_days : float, float
        Share who open a change update within ``change_within_days`` days.
    social_reach : float
        Share who take part in a social or manager prompt.
    working_hours : tuple of int
        Local hours counted as working time, ``[start, end)``.
    """

    priming_reach: Share = 0.6
    instruction_reach: Share = 0.8
    recap_reach: Share = 0.6
    recap_within_days: Annotated[StrictFloat, Field(gt=0, le=60)] = 2.0
    quiz_accuracy: Share = 0.7
    reinforcement_reach: Share = 0.5
    reference_work_share: Share = 0.5
    change_reach: Share = 0.7
    change_within_days: Annotated[StrictFloat, Field(gt=0, le=60)] = 7.0
    social_reach: Share = 0.5
    working_hours: tuple[int, int] = (8, 18)


def _se(p: Any, n: Any) -> Any:
    """Binomial standard error of a share ``p`` of ``n`` (NaN for n = 0)."""
    p_arr = np.asarray(p, dtype=float)
    n_arr = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n_arr > 0, np.sqrt(p_arr * (1 - p_arr) / np.where(n_arr > 0, n_arr, 1)), np.nan)


def _per_asset(delivery: Delivery) -> pd.DataFrame:
    table = activity_table(delivery.journey)
    reached = delivery.accesses.groupby("activity_id")["learner"].nunique()
    table["learners"] = table["activity_id"].map(reached).fillna(0).astype(int)
    table["reach"] = table["learners"] / delivery.cohort_size
    table["se"] = _se(table["reach"], delivery.cohort_size)
    return table


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


# ---- 5. use vs performance --------------------------------------------------------------------


def use_vs_performance(delivery: Delivery, performance: pd.DataFrame) -> pd.DataFrame:
    """Which topics attract use and still go with performance gaps.

    Parameters
    ----------
    delivery : Delivery
    performance : DataFrame
        The user's performance table: ``learner``, ``concept`` and ``value`` (a KPI or an
        assessment, higher is better). Learner keys must be those of the statements
        (pseudonymised with the same salt if the statements are).

    Returns
    -------
    DataFrame
        One row per concept: ``learners`` (with a value), ``mean_use`` (accesses to assets
        covering the concept per learner), ``mean_value``, ``r`` (Pearson, use vs value),
        ``r_low, r_high`` (95 % interval, Fisher z), and ``gap``: the concept is used more than
        the median concept and performs below the median concept.

    Examples
    --------
    >>> import pandas as pd
    >>> from workbench.analytics.demo import demo_delivery, demo_performance
    >>> delivery = demo_delivery()
    >>> table = use_vs_performance(delivery, demo_performance(delivery))
    >>> bool((table["r_low"] <= table["r"]).all())
    True
    """
    missing = {"learner", "concept", "value"} - set(performance.columns)
    if missing:
        raise DataError(f"performance: missing column(s) {', '.join(sorted(missing))}; give learner, concept, value")
    journey = delivery.journey
    concepts = [c.id for c in journey.concepts]
    unknown = sorted(set(performance["concept"].astype(str)) - set(concepts))
    if unknown:
        raise DataError(f"performance: concept(s) not in journey {journey.id!r}: {', '.join(unknown)}")
    covering = {c: [a.id for a in journey.activities if c in a.concept_ids] for c in concepts}
    counts = delivery.accesses.groupby(["learner", "activity_id"]).size()
    rows = []
    for concept in concepts:
        values = performance[performance["concept"].astype(str) == concept]
        if values.empty:
            continue
        per_learner = values.groupby(values["learner"].astype(str))["value"].mean()
        use_all = counts[counts.index.get_level_values("activity_id").isin(covering[concept])]
        use = use_all.groupby(level="learner").sum().reindex(per_learner.index, fill_value=0).astype(float)
        n = len(per_learner)
        r, low, high = _pearson_interval(use.to_numpy(), per_learner.to_numpy(dtype=float))
        rows.append(
            {
                "concept": concept,
                "learners": n,
                "mean_use": float(use.mean()),
                "mean_value": float(per_learner.mean()),
                "r": r,
                "r_low": low,
                "r_high": high,
            }
        )
    table = pd.DataFrame(rows)
    if not table.empty:
        table["gap"] = (table["mean_use"] > table["mean_use"].median()) & (
            table["mean_value"] < table["mean_value"].median()
        )
    return table


def _pearson_interval(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    n = len(x)
    if n < 4 or np.std(x) == 0 or np.std(y) == 0:
        return math.nan, math.nan, math.nan
    r = float(np.corrcoef(x, y)[0, 1])
    z = math.atanh(max(min(r, 0.999999), -0.999999))
    half = 1.96 / math.sqrt(n - 3)
    # a perfect correlation stays inside its own (degenerate) interval
    return r, min(r, math.tanh(z - half)), max(r, math.tanh(z + half))


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


# ---- retrieval results per concept ------------------------------------------------------------


def retrieval_results(delivery: Delivery) -> pd.DataFrame:
    """Collect retrieval outcomes per learner and concept, from item statements and the activity's covers.

    Item statements (``answered`` on ``<activity>/items/<concept>``) give one outcome per
    concept. A scored session without items counts for every concept its activity retrieves
    (``covers`` with effect ``retrieve``), with the session's ``success``.

    Returns
    -------
    DataFrame
        ``learner, activity_id, concept, day, success, source`` (``item`` or ``session``).

    Examples
    --------
    >>> from workbench.analytics.demo import demo_delivery
    >>> table = retrieval_results(demo_delivery())
    >>> set(table["source"]) == {"item"}
    True
    """
    statements = delivery.statements
    items = statements[
        statements["concept"].notna() & statements["success"].notna() & statements["activity_id"].notna()
    ]
    from_items = pd.DataFrame(
        {
            "learner": items["learner"].astype(str),
            "activity_id": items["activity_id"].astype(str),
            "concept": items["concept"].astype(str),
            "day": items["day"].astype(float),
            "success": items["success"].astype(bool),
            "source": "item",
        }
    )
    sessions_with_items = set(zip(items["learner"].astype(str), items["activity_id"].astype(str), strict=True))
    journey = delivery.journey
    retrieves = {
        a.id: [c.concept for c in a.covers if c.effect is not None and c.effect.value == "retrieve"]
        for a in journey.activities
    }
    scored = delivery.accesses[delivery.accesses["success"].notna()]
    rows = [
        (learner, activity_id, concept, float(day), bool(success), "session")
        for learner, activity_id, day, success in zip(
            scored["learner"].astype(str),
            scored["activity_id"].astype(str),
            scored["day"].to_numpy(dtype=float),
            scored["success"].to_numpy(dtype=bool),
            strict=True,
        )
        if (learner, activity_id) not in sessions_with_items
        for concept in retrieves.get(activity_id, [])
    ]
    from_sessions = pd.DataFrame(rows, columns=["learner", "activity_id", "concept", "day", "success", "source"])
    parts = [p for p in (from_items, from_sessions) if not p.empty]
    if not parts:
        return from_sessions
    return pd.concat(parts, ignore_index=True).sort_values(["day", "learner"], ignore_index=True)


def learner_events(delivery: Delivery) -> pd.DataFrame:
    """Per-learner touches and recall outcomes: the frame :mod:`workbench.calibrate` consumes.

    The same columns as ``simulate(..., trace=True).trace``: one row per learner, concept and
    access (its first day), with the coverage ``effect`` and ``recalled`` (1/0 for retrievals
    with a known outcome, missing otherwise).

    Returns
    -------
    DataFrame
        ``learner, concept, day, effect, activity_id, recalled``.

    Examples
    --------
    >>> from workbench.analytics.demo import demo_delivery
    >>> list(learner_events(demo_delivery()).columns)
    ['learner', 'concept', 'day', 'effect', 'activity_id', 'recalled']
    """
    journey = delivery.journey
    covers = pd.DataFrame(
        [(a.id, c.concept, c.effect.value if c.effect else None) for a in journey.activities for c in a.covers],
        columns=["activity_id", "concept", "effect"],
    )
    accesses = delivery.accesses[["learner", "activity_id", "day"]]
    events = accesses.merge(covers, on="activity_id", how="inner")
    outcomes = retrieval_results(delivery)
    outcome = outcomes.groupby(["learner", "activity_id", "concept", outcomes["day"].round(6)])["success"].last()
    # an item statement happens inside the session, after its start: match on the session's day
    key_day = events["day"].round(6)
    index = pd.MultiIndex.from_arrays([events["learner"], events["activity_id"], events["concept"], key_day])
    recalled = outcome.reindex(index)
    if recalled.isna().all() and not outcomes.empty:
        by_session = outcomes.groupby(["learner", "activity_id", "concept", np.floor(outcomes["day"])])[
            "success"
        ].last()
        recalled = by_session.reindex(
            pd.MultiIndex.from_arrays(
                [events["learner"], events["activity_id"], events["concept"], np.floor(events["day"])]
            )
        )
    values = recalled.to_numpy(dtype=float, na_value=np.nan)
    events["recalled"] = pd.array(np.where(np.isnan(values), 0, values).astype(int), dtype="Int64")
    events.loc[np.isnan(values) | (events["effect"] != "retrieve").to_numpy(), "recalled"] = pd.NA
    frame = events[["learner", "concept", "day", "effect", "activity_id", "recalled"]]
    return frame.sort_values(["learner", "day"], kind="stable", ignore_index=True)


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


# ---- the four questions ----------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """An answer to one of the learning team's questions, with the table it rests on."""

    question: str
    answer: str
    evidence: pd.DataFrame


def findings(
    delivery: Delivery,
    *,
    thresholds: Thresholds | None = None,
    moments: pd.DataFrame | None = None,
    performance: pd.DataFrame | None = None,
) -> list[Finding]:
    """Answer the four questions a learning team asks of delivery data, each with its evidence.

    1. Is the flow-of-work support used? 2. Which parts need stronger reinforcement?
    3. What works as reference rather than instruction? 4. Which assets are worth replicating?

    Examples
    --------
    >>> from workbench.analytics.demo import demo_delivery
    >>> [f.question.split("?")[0] for f in findings(demo_delivery())][:2]
    ['Is the flow-of-work support used', 'Which parts need stronger reinforcement']
    """
    limits = thresholds or Thresholds()
    out = [
        _flow_of_work(delivery, limits, moments),
        _stronger_reinforcement(delivery, limits),
        _used_as_reference(delivery),
        _worth_replicating(delivery, limits, moments),
    ]
    if performance is not None:
        gaps = use_vs_performance(delivery, performance)
        flagged = gaps[gaps.get("gap", pd.Series(dtype=bool)).fillna(False)] if not gaps.empty else gaps
        if not flagged.empty:
            out[1] = Finding(
                out[1].question,
                out[1].answer + " Used but still weak in performance: " + ", ".join(flagged["concept"]) + ".",
                out[1].evidence,
            )
    return out


def _flow_of_work(delivery: Delivery, limits: Thresholds, moments: pd.DataFrame | None) -> Finding:
    """Answer whether the flow-of-work support is used: the most used work asset, how often, and when."""
    n = delivery.cohort_size
    work = work_support_near_moments(delivery, moments, thresholds=limits)
    if work.empty:
        answer = "The journey has no work-layer or reference asset: nothing supports the flow of work."
    else:
        used = work.sort_values("learners", ascending=False).iloc[0]
        share = used["learners"] / n
        answer = (
            f"{used['title']!r} was used by {used['learners']} of {n} learners ({share:.0%}), "
            f"{used['accesses'] / max(used['learners'], 1):.1f} times each; "
            f"{used['work_time_share']:.0%} of uses in working time"
        )
        if not pd.isna(used["lift"]):
            answer += f", {used['lift']:.1f}x as often near work moments as at random"
        answer += "."
    return Finding("Is the flow-of-work support used?", answer, work)


def _stronger_reinforcement(delivery: Delivery, limits: Thresholds) -> Finding:
    """Answer which parts need stronger reinforcement: concepts below the retrieval target, and reach fatigue."""
    outcomes = retrieval_results(delivery)
    if outcomes.empty:
        weakest = pd.DataFrame(columns=["concept", "attempts", "accuracy", "se"])
        answer = "No retrieval results in the data (no scored or item statements): reach is all there is to judge."
    else:
        weakest = outcomes.groupby("concept")["success"].agg(attempts="size", accuracy="mean").reset_index()
        weakest["se"] = _se(weakest["accuracy"], weakest["attempts"])
        weakest = weakest.sort_values("accuracy", ignore_index=True)
        low = weakest[weakest["accuracy"] < limits.quiz_accuracy]
        if low.empty:
            answer = f"Every concept is retrieved at or above the {limits.quiz_accuracy:.0%} target."
        else:
            names = ", ".join(f"{r.concept} ({r.accuracy:.0%} of {r.attempts})" for r in low.itertuples())
            answer = (
                f"Below the {limits.quiz_accuracy:.0%} retrieval target: {names}; add or move retrieval touches there."
            )
    series = series_reach(delivery)
    fatigue = series.attrs.get("fatigue", {})
    if fatigue and not math.isnan(fatigue.get("estimate", math.nan)):
        answer += (
            f" Reach falls {fatigue['estimate']:.1%} per reinforcement touch (95% interval "
            f"{fatigue['low']:.1%} to {fatigue['high']:.1%}; the simulator assumes {fatigue['assumed']:.0%})."
        )
    return Finding("Which parts need stronger reinforcement?", answer, weakest)


def _used_as_reference(delivery: Delivery) -> Finding:
    """Answer what works as reference rather than instruction: assets come back to, during and after it."""
    repeats = repeat_access(delivery)
    returns = returns_after_programme(delivery)
    back = returns.groupby("activity_id")["returns"].sum()
    repeats["returns_after"] = repeats["activity_id"].map(back).fillna(0).astype(int)
    reference = repeats[(repeats["repeat_share"] >= 0.2) | (repeats["returns_after"] > 0)].sort_values(
        "repeat_share", ascending=False, ignore_index=True
    )
    if reference.empty:
        answer = "No asset is come back to: everything is used once, as instruction."
    else:
        top = reference.iloc[0]
        designed = reference[reference["purpose"] != "reference"]
        answer = f"{top['title']!r} is come back to by {top['repeat_share']:.0%} of its users"
        answer += f" ({top['returns_after']} returns after the programme)."
        if not designed.empty:
            answer += " Used as reference though designed otherwise: " + ", ".join(designed["activity_id"]) + "."
    return Finding("What works as reference rather than instruction?", answer, reference)


def _worth_replicating(delivery: Delivery, limits: Thresholds, moments: pd.DataFrame | None) -> Finding:
    """Answer which assets are worth replicating: the three that beat their purpose's target by the most."""
    verdict = verdicts(delivery, thresholds=limits, moments=moments)
    good = verdict[verdict["verdict"] == "meets"].copy()
    good["margin"] = good["value"] - good["threshold"]
    good = good.sort_values("margin", ascending=False, ignore_index=True)
    if good.empty:
        answer = "No asset meets its purpose's target yet."
    else:
        best = good.head(3)
        answer = "Worth replicating: " + "; ".join(
            f"{r.title!r} ({r.purpose}: {r.measure} {r.value:.0%} vs {r.threshold:.0%})" for r in best.itertuples()
        )
        answer += "."
    return Finding("Which assets are worth replicating?", answer, good)


def check_delivery(delivery: Any) -> Delivery:
    """Return ``delivery`` if it is a Delivery, else a ParameterError naming what to pass."""
    if not isinstance(delivery, Delivery):
        raise ParameterError(f"expected a Delivery from workbench.analytics.observe (got {type(delivery).__name__})")
    return delivery
