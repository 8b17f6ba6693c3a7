"""What learners retrieved and how they perform: retrieval results, learner events, use vs performance.

Private to :mod:`workbench.analytics`; the public names are re-exported by
:mod:`workbench.analytics.purpose` and the package.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from workbench.analytics._shares import check_delivery
from workbench.analytics.delivery import Delivery
from workbench.errors import DataError

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
    delivery = check_delivery(delivery)
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
    delivery = check_delivery(delivery)
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
    delivery = check_delivery(delivery)
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
