"""Statements mapped back to the journey: which activity, which concept, which cohort day.

Object IRIs are matched with the ids the exports write (:func:`workbench.export.xapi.statement_templates`:
``<course>/activities/<id>``, the cmi5 AU ids), and, for a cmi5 launch whose LMS generated its
own object ids, with the publisher AU id in ``contextActivities.grouping``. Item statements
(``answered`` on a retrieval item's question IRI, the templates' ``items``) map to their
activity and carry the concept the item tests. Statements that match nothing are kept (``activity_id`` empty)
and listed in :attr:`Delivery.unmatched`, never dropped.

An *access* is one learner's session on an activity: the statements of one cmi5 session
(``initialized`` ... ``terminated``) count once; a statement outside a session is one access.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from workbench.analytics.ingest import IngestResult
from workbench.errors import DataError, ParameterError
from workbench.export._common import course_iri_for
from workbench.export.xapi import statement_templates
from workbench.model import Journey

__all__ = ["Delivery", "activity_iris", "map_to_journey", "observe"]

#: Verbs that say the learner finished what the activity asked (completion, a score, presence).
FINISHING_VERBS = frozenset({"completed", "passed", "failed", "attended", "experienced", "answered"})


def activity_iris(journey: Journey, course_iri: str | None = None) -> dict[str, str]:
    """Activity id by object IRI, exactly as the xAPI templates and cmi5 AUs write them.

    Examples
    --------
    >>> from workbench.templates import load_template
    >>> iris = activity_iris(load_template("post_training_retention"))
    >>> iris["https://workbench.example/courses/post_training_retention/activities/quiz_1"]
    'quiz_1'
    """
    templates = statement_templates(journey, course_iri=course_iri_for(journey, course_iri))
    return {t["object"]["id"]: t["activity_id"] for t in templates}


def map_to_journey(
    statements: pd.DataFrame, journey: Journey, *, course_iri: str | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Fill ``activity_id`` (and ``concept`` for item statements); list what matched nothing.

    Returns
    -------
    (statements, unmatched)
        The frame with ``activity_id``/``concept`` filled where an IRI matched, and one row
        per unmatched object IRI: ``object_iri, statements, learners, verbs, first, last``.

    Examples
    --------
    >>> from datetime import datetime, timezone
    >>> from workbench.analytics import statements_frame
    >>> from workbench.export.xapi import sample_statements
    >>> from workbench.templates import load_template
    >>> journey = load_template("post_training_retention")
    >>> frame = statements_frame(sample_statements(journey, 2, start=datetime(2026, 3, 2, 9,
    ...     tzinfo=timezone.utc), rng=1)).frame
    >>> mapped, unmatched = map_to_journey(frame, journey)
    >>> bool(mapped["activity_id"].notna().all()), len(unmatched)
    (True, 0)
    """
    iris = activity_iris(journey, course_iri)
    templates = statement_templates(journey, course_iri=course_iri_for(journey, course_iri))
    items = {i["object"]["id"]: (t["activity_id"], i["concept"]) for t in templates for i in t.get("items", ())}
    frame = statements.copy()
    item = frame["object_iri"].map(lambda iri: items.get(iri, (None, None)))
    item_activity = item.map(lambda pair: pair[0])
    item_concept = item.map(lambda pair: pair[1])
    activity = frame["object_iri"].map(iris).fillna(item_activity).fillna(frame["grouping_iri"].map(iris))
    frame["activity_id"] = activity.astype("string")
    frame["concept"] = frame["concept"].fillna(item_concept).astype("string")
    missing = frame[frame["activity_id"].isna()]
    unmatched = (
        missing.groupby("object_iri", observed=True, dropna=False)
        .agg(
            statements=("statement_id", "size"),
            learners=("learner", "nunique"),
            verbs=("verb_name", lambda v: ", ".join(sorted({str(x) for x in v}))),
            first=("timestamp", "min"),
            last=("timestamp", "max"),
        )
        .reset_index()
        .sort_values(["statements", "object_iri"], ascending=[False, True], ignore_index=True)
    )
    return frame, unmatched


@dataclass(frozen=True, eq=False)
class Delivery:
    """What was delivered of one journey to one cohort, ready for the purpose-aware analytics.

    Attributes
    ----------
    journey : Journey
    statements : DataFrame
        The statements frame, mapped (``activity_id``, ``concept``) with ``day`` (cohort day).
    accesses : DataFrame
        One row per learner session on an activity: ``learner, activity_id, session, timestamp,
        day, local_time, finished, success, score_scaled`` and the activity's ``layer, purpose,
        kind, required, formal, scheduled_day``.
    learners : tuple of str
        The cohort: every learner with a statement on one of the journey's activities.
    start : pandas.Timestamp
        Day 0 of the cohort (local midnight in ``tz``), given or inferred.
    start_inferred : bool
        Whether ``start`` was inferred from the data (see :func:`observe`).
    tz : str
        The cohort's IANA time zone (for day boundaries and time of day).
    unmatched : DataFrame
        Object IRIs that match no activity (see :func:`map_to_journey`).
    course_iri : str
    source : str
        Where the statements came from (file names, LRS), for every figure's caption.
    """

    journey: Journey
    statements: pd.DataFrame
    accesses: pd.DataFrame
    learners: tuple[str, ...]
    start: pd.Timestamp
    start_inferred: bool
    tz: str
    unmatched: pd.DataFrame
    course_iri: str
    source: str

    @property
    def cohort_size(self) -> int:
        """Learners in the cohort."""
        return len(self.learners)

    def caption(self) -> str:
        """Where the figures come from: source, cohort, day 0."""
        how = "inferred from the data" if self.start_inferred else "given"
        return (
            f"Source: {self.source}; {self.cohort_size} learners; journey {self.journey.id} "
            f"v{self.journey.version}; day 0 = {self.start.date().isoformat()} ({self.tz}, {how})"
        )


def _start_timestamp(start: Any, tz: str) -> pd.Timestamp:
    zone = ZoneInfo(tz)
    if isinstance(start, datetime):
        if start.tzinfo is None:
            raise ParameterError(f"start: {start.isoformat()} has no time zone; give an aware datetime or a date")
        local = start.astimezone(zone).date()
    elif isinstance(start, date):
        local = start
    else:
        raise ParameterError(f"start: must be a date or an aware datetime (got {type(start).__name__})")
    return pd.Timestamp(datetime.combine(local, datetime.min.time(), tzinfo=zone))


def _infer_start(accesses: pd.DataFrame, tz: str) -> pd.Timestamp:
    """Day 0 as the most common (local date of an access - its scheduled day) over dated activities.

    Learners do an activity on or after its day, so the mode is where most of them were on
    time; a few late learners do not move it.
    """
    dated = accesses.dropna(subset=["scheduled_day"])
    if dated.empty:
        raise DataError("no statement matches a dated activity of the journey: give start= (day 0 of the cohort)")
    local_dates = dated["timestamp"].dt.tz_convert(tz).dt.normalize().dt.tz_localize(None)
    candidates = local_dates - pd.to_timedelta(np.floor(dated["scheduled_day"].to_numpy(dtype=float)), unit="D")
    best = candidates.value_counts().sort_index().idxmax()
    return pd.Timestamp(best).tz_localize(tz)


def observe(
    data: IngestResult | pd.DataFrame,
    journey: Journey,
    *,
    start: date | datetime | None = None,
    tz: str = "UTC",
    course_iri: str | None = None,
    source: str | None = None,
    learners: Iterable[str] | None = None,
) -> Delivery:
    """Map statements to the journey and build the accesses frame the analytics work on.

    Parameters
    ----------
    data : IngestResult or DataFrame
        Statements (from :func:`read_statements`, :func:`read_lrs` or :func:`statements_frame`).
    journey : Journey
        The journey that was delivered.
    start : date or datetime, optional
        Day 0 of the cohort; inferred when omitted (the most common local date of an access
        minus its activity's scheduled day).
    tz : str
        The cohort's IANA time zone: day boundaries, time of day and weekday are local.
    course_iri : str, optional
        The course IRI the export used (default derived from the journey id, as the exports do).
    source : str, optional
        Where the data came from (default: the files of the IngestResult).
    learners : iterable of str, optional
        The enrolled learners (e.g. from the LMS). Reach is a share of the cohort, and a
        learner who never did anything sends no statement: without this list the cohort is
        the learners seen in the data, and reach is overstated by the silent ones.

    Examples
    --------
    >>> from datetime import datetime, timezone
    >>> from workbench.analytics import statements_frame
    >>> from workbench.export.xapi import sample_statements
    >>> from workbench.templates import load_template
    >>> journey = load_template("post_training_retention")
    >>> sts = sample_statements(journey, 20, start=datetime(2026, 3, 2, 9, tzinfo=timezone.utc), rng=1)
    >>> delivery = observe(statements_frame(sts), journey)
    >>> delivery.cohort_size, str(delivery.start.date())
    (20, '2026-03-02')
    """
    try:
        ZoneInfo(tz)
    except (ValueError, KeyError, OSError):
        raise ParameterError(f"tz: unknown time zone {tz!r}; use an IANA name such as 'Europe/Paris'") from None
    if isinstance(data, IngestResult):
        frame, where = data.frame, ", ".join(data.sources)
    elif isinstance(data, pd.DataFrame):
        frame, where = data, "statements frame"
    else:
        raise ParameterError(f"data: expected an IngestResult or a statements DataFrame (got {type(data).__name__})")
    mapped, unmatched = map_to_journey(frame, journey, course_iri=course_iri)
    accesses = _accesses(mapped, journey)
    seen = set(accesses["learner"].unique())
    if not seen:
        raise DataError(
            f"none of the {len(frame)} statements is about an activity of journey {journey.id!r}; check the "
            f"course IRI (expected activity ids under {course_iri_for(journey, course_iri)}/activities/)"
        )
    cohort = tuple(sorted(seen | {str(x) for x in learners} if learners is not None else seen))
    inferred = start is None
    day0 = _infer_start(accesses, tz) if start is None else _start_timestamp(start, tz)
    accesses["day"] = (accesses["timestamp"] - day0) / pd.Timedelta(days=1)
    local = accesses["timestamp"].dt.tz_convert(tz)
    accesses["hour"] = local.dt.hour
    accesses["weekday"] = local.dt.day_of_week
    mapped = mapped.assign(day=(mapped["timestamp"] - day0) / pd.Timedelta(days=1))
    return Delivery(
        journey=journey,
        statements=mapped,
        accesses=accesses,
        learners=cohort,
        start=day0,
        start_inferred=inferred,
        tz=tz,
        unmatched=unmatched,
        course_iri=course_iri_for(journey, course_iri),
        source=source or where,
    )


def _accesses(mapped: pd.DataFrame, journey: Journey) -> pd.DataFrame:
    rows = mapped[mapped["activity_id"].notna()]
    # item statements without a session id belong to the day's session of their activity
    item_day = "items:" + rows["timestamp"].dt.strftime("%Y-%m-%d")
    session = rows["session_id"].fillna(item_day.where(rows["concept"].notna())).fillna(rows["statement_id"])
    finishing = rows["verb_name"].astype(str).isin(FINISHING_VERBS) | rows["completion"].fillna(False).astype(bool)
    # the session's overall result: item statements (concept set) do not decide it
    overall = rows["concept"].isna()
    work = pd.DataFrame(
        {
            "learner": rows["learner"].astype(str),
            "activity_id": rows["activity_id"].astype(str),
            "session": session.astype(str),
            "timestamp": rows["timestamp"],
            "finished": finishing.to_numpy(),
            "success": rows["success"].where(overall),
            "score_scaled": rows["score_scaled"].where(overall.to_numpy()),
        }
    )
    grouped = work.groupby(["learner", "activity_id", "session"], sort=False)
    accesses = grouped.agg(
        timestamp=("timestamp", "min"),
        finished=("finished", "any"),
        success=("success", "last"),
        score_scaled=("score_scaled", "last"),
    ).reset_index()
    accesses["success"] = accesses["success"].astype("boolean")
    info = {
        a.id: {
            "layer": a.layer.value,
            "purpose": a.purpose.value if a.purpose is not None else "unspecified",
            "kind": a.kind,
            "required": a.required,
            "formal": journey.is_formal(a),
            "scheduled_day": journey.days[a.id],
        }
        for a in journey.activities
    }
    meta = pd.DataFrame.from_dict(info, orient="index")
    accesses = accesses.join(meta, on="activity_id")
    accesses["scheduled_day"] = accesses["scheduled_day"].astype(float)
    return accesses.sort_values(["timestamp", "learner", "activity_id"], ignore_index=True)


def activity_table(journey: Journey) -> pd.DataFrame:
    """List the journey's activities in timeline order with the attributes analytics group by."""
    rows: list[Mapping[str, Any]] = [
        {
            "activity_id": a.id,
            "title": a.title,
            "kind": a.kind,
            "layer": a.layer.value,
            "purpose": a.purpose.value if a.purpose is not None else "unspecified",
            "required": a.required,
            "formal": journey.is_formal(a),
            "scheduled_day": journey.days[a.id],
        }
        for a in journey.timeline()
    ]
    return pd.DataFrame(rows)
