"""xAPI 1.0.3: statement templates per activity and sample statements of a simulated cohort.

Activity ids are IRIs under the course IRI (``<course>/activities/<id>``, the same ids as the
cmi5 AUs), so statements, the course structure and the analytics agree. Launchable activities
are cmi5 AUs: their statements carry the cmi5 category, the publisher AU id in ``grouping``, a
session id extension and the result properties the cmi5 specification allows per verb
(section 9.5). Other pieces (workshops, manager prompts) get ``attended`` (live events) or
``experienced`` statements without the cmi5 category.

In a real cmi5 launch the LMS generates the object id of each registration; the sample
statements use the AU id itself, which is what an LRS-side analysis of the design needs.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from workbench._random import RandomLike, as_generator
from workbench.errors import ExportError
from workbench.export._common import (
    activity_iri,
    check_aware,
    check_iri,
    course_iri_for,
    json_copy,
    objective_iri,
    resolve_cohort,
    stable_uuid,
    to_utc_text,
)
from workbench.export._vocab import (
    CMI5_CATEGORY,
    COURSE_TYPE,
    MASTERY_SCORE,
    MEETING_TYPE,
    MOVEON_CATEGORY,
    RESPONSE_DELIMITER,
    SESSION_ID,
    VERBS,
    activity_type,
    check_activity_types,
    choice_id,
    item_definition,
    item_iri,
    objective_activity,
)
from workbench.model import Activity, Journey, RetrievalItem

__all__ = [
    "learner_ids",
    "sample_statements",
    "statement_templates",
    "to_xapi_statements",
    "to_xapi_templates",
    "trace_statements",
]

DEFAULT_HOME_PAGE = "https://workbench.example"


def _activity_object(journey: Journey, activity: Activity, course: str, types: Mapping[str, str]) -> dict[str, Any]:
    language = journey.language
    definition: dict[str, Any] = {"name": {language: activity.title}}
    if activity.description:
        definition["description"] = {language: activity.description}
    definition["type"] = activity_type(activity, journey.kind_of(activity).memory_effect, types)
    if activity.url and activity.url.lower().startswith(("https://", "http://")):
        definition["moreInfo"] = activity.url
    return {"objectType": "Activity", "id": activity_iri(course, activity.id), "definition": definition}


def _course_object(journey: Journey, course: str) -> dict[str, Any]:
    return {
        "objectType": "Activity",
        "id": course,
        "definition": {"name": {journey.language: journey.title}, "type": COURSE_TYPE},
    }


def _verbs_for(journey: Journey, activity: Activity, types: Mapping[str, str]) -> list[str]:
    if journey.kind_of(activity).launchable:
        scored = ["passed", "failed"] if activity.mastery_score is not None else ["completed"]
        return ["initialized", *scored, "terminated"]
    kind_type = activity_type(activity, journey.kind_of(activity).memory_effect, types)
    return ["attended" if kind_type == MEETING_TYPE else "experienced"]


def _item_templates(journey: Journey, activity: Activity, course: str) -> list[dict[str, Any]]:
    """Return the ``answered`` statement shape of each retrieval item (see ``export._vocab``)."""
    au = activity_iri(course, activity.id)
    out = []
    for item in activity.items:
        concept = journey.concept(item.concept)
        objective = objective_activity(objective_iri(course, concept.id), concept.name, journey.language)
        out.append(
            {
                "item_id": item.id,
                "concept": item.concept,
                "verb": json_copy(VERBS["answered"]),
                "object": {
                    "objectType": "Activity",
                    "id": item_iri(au, item.id),
                    "definition": item_definition(item, journey.language),
                },
                "context": {
                    "contextActivities": {
                        "parent": [objective],
                        "grouping": [{"objectType": "Activity", "id": au}],
                    }
                },
            }
        )
    return out


def statement_templates(
    journey: Journey,
    *,
    course_iri: str | None = None,
    activity_types: Mapping[str, str] | None = None,
) -> list[dict[str, Any]]:
    """One statement template per activity, in timeline order.

    Each template holds what every statement about the activity shares: ``object`` (id under
    the course IRI, definition with name/description language maps and type), the ``verbs``
    that apply (ADL and cmi5 vocabularies), the ``context`` (course as parent; for cmi5 AUs the
    cmi5 category and the AU id as publisher grouping), plus ``activity_id``, ``day`` and
    ``cmi5`` (whether the activity is an AU). Add ``actor``, ``timestamp``, ``id``,
    ``registration`` and ``result`` to make a statement. An activity with retrieval items also
    has ``items``: per item the ``answered`` verb, the question object and its context (the
    concept's objective as parent, the AU as grouping), the same shape the cmi5 pages send.

    Examples
    --------
    >>> from workbench.templates import load_template
    >>> quiz = statement_templates(load_template("post_training_retention"))[3]
    >>> quiz["activity_id"], [v["display"]["en-US"] for v in quiz["verbs"]]
    ('quiz_1', ['initialized', 'completed', 'terminated'])
    """
    course = course_iri_for(journey, course_iri)
    types = check_activity_types(activity_types)
    out = []
    for activity in journey.timeline():
        launchable = journey.kind_of(activity).launchable
        context: dict[str, Any] = {"contextActivities": {"parent": [_course_object(journey, course)]}}
        if launchable:
            context["contextActivities"]["grouping"] = [
                {"objectType": "Activity", "id": activity_iri(course, activity.id)}
            ]
            context["contextActivities"]["category"] = [{"objectType": "Activity", "id": CMI5_CATEGORY}]
        out.append(
            {
                "activity_id": activity.id,
                "day": journey.days[activity.id],
                "cmi5": launchable,
                "object": _activity_object(journey, activity, course, types),
                "verbs": [json_copy(VERBS[name]) for name in _verbs_for(journey, activity, types)],
                "context": context,
                **({"items": _item_templates(journey, activity, course)} if launchable and activity.items else {}),
            }
        )
    return out


def _duration(seconds: int) -> str:
    """ISO 8601 duration ``PT#H#M#S`` of whole seconds."""
    hours, rest = divmod(max(0, seconds), 3600)
    minutes, secs = divmod(rest, 60)
    text = "PT"
    if hours:
        text += f"{hours}H"
    if minutes:
        text += f"{minutes}M"
    if secs or text == "PT":
        text += f"{secs}S"
    return text


def learner_ids(learners: Any) -> list[str]:
    """Learner ids of the sample and simulated cohorts: ``learner-001``... or the given list.

    Examples
    --------
    >>> learner_ids(2)
    ['learner-001', 'learner-002']
    """
    if isinstance(learners, bool) or not isinstance(learners, int | Sequence) or isinstance(learners, str):
        raise ExportError(f"learners: give a number of learners or a list of learner ids (got {learners!r})")
    if isinstance(learners, int):
        if learners < 1:
            raise ExportError(f"learners: must be at least 1 (got {learners})")
        width = max(3, len(str(learners)))
        return [f"learner-{i:0{width}d}" for i in range(1, learners + 1)]
    ids = list(learners)
    if not ids or not all(isinstance(i, str) and i.strip() for i in ids):
        raise ExportError("learners: the list must hold non-empty learner ids (text)")
    if len(set(ids)) != len(ids):
        raise ExportError("learners: learner ids must be unique")
    return ids


def _rate(value: Any, option: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise ExportError(f"{option}: must be a probability between 0 and 1 (got {value!r})")
    return float(value)


def sample_statements(
    journey: Journey,
    learners: int | Sequence[str] = 5,
    *,
    start: datetime,
    rng: RandomLike = 0,
    course_iri: str | None = None,
    home_page: str = DEFAULT_HOME_PAGE,
    completion_rate: float = 0.9,
    optional_rate: float = 0.5,
    activity_types: Mapping[str, str] | None = None,
    workdays_only: bool = False,
) -> list[dict[str, Any]]:
    """Statements a simulated cohort would send, on each activity's day.

    Each learner is an account actor (``home_page`` + learner id) with one registration (a
    UUID drawn from ``rng``). For each dated activity a learner takes part with probability
    ``completion_rate`` (``optional_rate`` for optional ones), some hours after the activity's
    scheduled time, and spends about its ``duration_min``. cmi5 AUs give a cmi5 session:
    ``initialized``, then ``completed`` (or ``passed``/``failed`` with a score when the
    activity has a ``mastery_score``), then ``terminated``; other pieces give ``attended`` or
    ``experienced``. On-demand activities are used by a share ``optional_rate`` of learners
    on a random day of the journey. Timestamps are UTC; statement ids are derived from the
    registration, activity and verb, so posting the same sample twice is idempotent.

    Parameters
    ----------
    journey : Journey
        The journey.
    learners : int or sequence of str
        Number of learners, or their ids.
    start : datetime
        Day 0 of the cohort: a timezone-aware datetime (its time is the scheduled time).
    rng : int or numpy.random.Generator
        Seed or generator; the same seed gives the same statements.
    course_iri : str, optional
        Course IRI (default derived from the journey id).
    home_page : str
        ``account.homePage`` of the actors (the LMS).
    completion_rate, optional_rate : float
        Share of learners who do a required / an optional activity.
    activity_types : mapping, optional
        Activity type IRI per kind id, overriding the defaults.
    workdays_only : bool
        Shift touches on Saturdays and Sundays to the next Monday.

    Returns
    -------
    list of dict
        Statements sorted by timestamp (ties in generation order).

    Examples
    --------
    >>> from datetime import datetime
    >>> from zoneinfo import ZoneInfo
    >>> from workbench.templates import load_template
    >>> start = datetime(2026, 3, 2, 9, tzinfo=ZoneInfo("Europe/Paris"))
    >>> sts = sample_statements(load_template("post_training_retention"), 2, start=start, rng=1)
    >>> sts[0]["timestamp"].endswith("Z"), len({s["context"]["registration"] for s in sts})
    (True, 2)
    """
    ids = learner_ids(learners)
    cohort = resolve_cohort(check_aware(start, "start"), workdays_only=workdays_only)
    home = check_iri(home_page, "home_page", DEFAULT_HOME_PAGE)
    p_required = _rate(completion_rate, "completion_rate")
    p_optional = _rate(optional_rate, "optional_rate")
    generator = as_generator(rng)
    course = course_iri_for(journey, course_iri)
    templates = statement_templates(journey, course_iri=course, activity_types=activity_types)
    dated = [d for d in journey.days.values() if d is not None]
    first, last = (min(dated), max(dated)) if dated else (0.0, 0.0)

    rows: list[dict[str, Any]] = []
    recall_curves: dict[str, Any] = {}
    for learner in ids:
        registration = str(_uuid4(generator))
        for template in templates:
            activity = journey.activity(template["activity_id"])
            day = template["day"]
            if day is None:
                if generator.random() >= p_optional:
                    continue
                day = float(np.floor(generator.uniform(first, last + 1)))
            elif generator.random() >= (p_required if activity.required else p_optional):
                continue
            session = _Session.drawn(template, activity, registration, _actor(home, learner), cohort, day, generator)
            rows += _touch(session, generator, _recall_on(journey, day, recall_curves, generator))
    return _by_time(rows)


#: Learners simulated for the recall that item answers follow (enough for a mean within ~0.03).
RECALL_LEARNERS = 200


def _recall_on(
    journey: Journey, day: float, cache: dict[str, Any], generator: np.random.Generator
) -> Callable[[str], float]:
    """Probability of a right answer on ``day``, per concept: the simulated mean recall.

    The journey is simulated once (FSRS-6, the default LearnerPopulation of
    :mod:`workbench.simulate`, RECALL_LEARNERS learners, a seed drawn from the sample's rng) when
    the first item is answered; recall is read at the start of the day, before that day's
    touches, as :func:`workbench.simulate.simulate` reports it.
    """

    def recall(concept: str) -> float:
        if "result" not in cache:
            from workbench.simulate import LearnerPopulation, simulate

            dated = [d for d in journey.days.values() if d is not None]
            horizon = max(1, int(np.ceil(max(dated, default=0.0))) + 1)
            seed = int(generator.integers(2**31))
            cache["result"] = simulate(
                journey,
                population=LearnerPopulation(size=RECALL_LEARNERS),
                horizon_days=horizon,
                rng=seed,
                progress=False,
            )
        result = cache["result"]
        index = min(max(0, int(np.floor(day))), result.horizon_days)
        return float(result.retention(index, concept))

    return recall


def _uuid4(generator: np.random.Generator) -> Any:
    import uuid

    raw = bytearray(generator.bytes(16))
    raw[6] = (raw[6] & 0x0F) | 0x40  # version 4
    raw[8] = (raw[8] & 0x3F) | 0x80  # RFC 4122 variant
    return uuid.UUID(bytes=bytes(raw))


def _actor(home_page: str, learner: str) -> dict[str, Any]:
    """Return the account actor of a learner (``home_page`` is the LMS)."""
    return {"objectType": "Agent", "account": {"homePage": home_page, "name": learner}}


def _by_time(statements: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Sort statements by timestamp, ties in generation order (the sort is stable)."""
    return sorted(statements, key=lambda statement: datetime.fromisoformat(statement["timestamp"]))


@dataclass(frozen=True)
class _Session:
    """One learner's session on an activity: what all of its statements share.

    ``keyed`` tells repeated sessions of the same registration apart (in statement and session ids).
    """

    template: Mapping[str, Any]
    activity: Activity
    registration: str
    actor: Mapping[str, Any]
    begin: datetime
    seconds: int
    keyed: tuple[str, ...] = ()

    @classmethod
    def drawn(
        cls,
        template: Mapping[str, Any],
        activity: Activity,
        registration: str,
        actor: Mapping[str, Any],
        cohort: Any,
        day: float,
        generator: np.random.Generator,
        keyed: tuple[str, ...] = (),
    ) -> _Session:
        """Start some hours after the scheduled time of ``day`` and last about the activity's duration."""
        begin = cohort.local_start(day) + timedelta(minutes=int(generator.integers(0, 8 * 60)))
        seconds = max(1, round(activity.duration_min * 60 * float(generator.lognormal(0.0, 0.3))))
        return cls(template, activity, registration, actor, begin, seconds, keyed)

    @property
    def end(self) -> datetime:
        return self.begin + timedelta(seconds=self.seconds)

    @cached_property
    def session_id(self) -> str:
        return stable_uuid(self.registration, self.template["object"]["id"], "session", *self.keyed)

    def statement(self, verb: str, moment: datetime, result: dict[str, Any] | None) -> dict[str, Any]:
        """Return one statement of the session on the activity (cmi5 context for AUs)."""
        template, activity = self.template, self.activity
        activities: dict[str, Any] = {"parent": json_copy(template["context"]["contextActivities"]["parent"])}
        context: dict[str, Any] = {"registration": self.registration, "contextActivities": activities}
        if template["cmi5"]:
            activities["grouping"] = json_copy(template["context"]["contextActivities"]["grouping"])
            category = [{"objectType": "Activity", "id": CMI5_CATEGORY}]
            if result and ("success" in result or "completion" in result):
                category.append({"objectType": "Activity", "id": MOVEON_CATEGORY})
            activities["category"] = category
            extensions: dict[str, Any] = {SESSION_ID: self.session_id}
            if verb in ("passed", "failed"):
                extensions[MASTERY_SCORE] = activity.mastery_score
            context["extensions"] = extensions
        out: dict[str, Any] = {
            "id": stable_uuid(self.registration, template["object"]["id"], verb, *self.keyed),
            "actor": json_copy(dict(self.actor)),
            "verb": json_copy(VERBS[verb]),
            "object": json_copy(template["object"]),
        }
        if result is not None:
            out["result"] = result
        out["context"] = context
        out["timestamp"] = to_utc_text(moment)
        return out

    def completed(self) -> dict[str, Any]:
        return self.statement("completed", self.end, {"completion": True, "duration": _duration(self.seconds)})

    def scored(self, scaled: float, raw: int, maximum: int) -> dict[str, Any]:
        """Return ``passed`` or ``failed`` against the activity's mastery score, with the score."""
        passed = scaled >= (self.activity.mastery_score or 0.0)  # called only where there is one
        score = {"scaled": scaled, "raw": raw, "min": 0, "max": maximum}
        result = {"score": score, "success": passed, "duration": _duration(self.seconds)}
        return self.statement("passed" if passed else "failed", self.end, result)

    def terminated(self) -> dict[str, Any]:
        return self.statement("terminated", self.end + timedelta(seconds=5), {"duration": _duration(self.seconds + 5)})


def _touch(
    session: _Session,
    generator: np.random.Generator,
    recall: Callable[[str], float],
    *,
    satisfied: bool = False,
) -> list[dict[str, Any]]:
    """Statements of one learner's session on an activity.

    ``satisfied``: the AU was completed or passed in an earlier session, so this one sends
    neither again (cmi5 9.3: at most once per registration).
    """
    template, activity = session.template, session.activity
    if not template["cmi5"]:
        verb = template["verbs"][0]["display"]["en-US"]
        return [session.statement(verb, session.end, {"completion": True, "duration": _duration(session.seconds)})]
    out = [session.statement("initialized", session.begin, None)]
    if activity.items:
        answered, right = _answers(session, generator, recall)
        out += answered
        if not satisfied:
            total = len(activity.items)
            if activity.mastery_score is not None:
                # what the pages send: passed/failed on the share of items right, then completed
                out.append(session.scored(round(right / total, 4), right, total))
            out.append(session.completed())
    elif not satisfied:
        if activity.mastery_score is not None:
            scaled = float(np.clip(generator.normal(activity.mastery_score + 0.05, 0.15), 0.0, 1.0))
            raw = round(scaled * 100)
            out.append(session.scored(raw / 100, raw, 100))
        else:
            out.append(session.completed())
    out.append(session.terminated())
    return out


def _wrong_response(item: RetrievalItem, generator: np.random.Generator) -> str:
    if item.type == "free_text":
        return "not sure"
    wrong = [choice_id(i) for i, c in enumerate(item.choices) if not c.correct]
    right = [choice_id(i) for i in item.correct_indices]
    if item.type == "single_choice" or len(right) == 1:
        return wrong[int(generator.integers(len(wrong)))] if wrong else ""
    return RESPONSE_DELIMITER.join(right[:-1])  # one correct choice missed


def _right_response(item: RetrievalItem) -> str:
    if item.type == "free_text":
        return item.accepted[0]
    return RESPONSE_DELIMITER.join(choice_id(i) for i in item.correct_indices)


def _answers(
    session: _Session, generator: np.random.Generator, recall: Callable[[str], float]
) -> tuple[list[dict[str, Any]], int]:
    """One ``answered`` statement per item, right with the simulated recall of its concept."""
    items = session.activity.items
    out, right = [], 0
    for k, (item, shape) in enumerate(zip(items, session.template["items"], strict=True)):
        correct = bool(generator.random() < recall(item.concept))
        right += correct
        response = _right_response(item) if correct else _wrong_response(item, generator)
        moment = session.begin + timedelta(seconds=session.seconds * (k + 1) / (len(items) + 1))
        context = json_copy(shape["context"])
        context["registration"] = session.registration
        context["extensions"] = {SESSION_ID: session.session_id}
        out.append(
            {
                "id": stable_uuid(session.registration, shape["object"]["id"], "answered", *session.keyed),
                "actor": json_copy(dict(session.actor)),
                "verb": json_copy(VERBS["answered"]),
                "object": json_copy(shape["object"]),
                "result": {"response": response, "success": correct},
                "context": context,
                "timestamp": to_utc_text(moment),
            }
        )
    return out, right


def to_xapi_statements(
    journey: Journey,
    *,
    start: datetime,
    learners: int | Sequence[str] = 5,
    rng: RandomLike = 0,
    **options: Any,
) -> bytes:
    """Sample statements of a simulated cohort as one JSON array (one LRS batch), UTF-8.

    Options are those of :func:`sample_statements`.

    Examples
    --------
    >>> import json
    >>> from datetime import datetime, timezone
    >>> from workbench.templates import load_template
    >>> data = to_xapi_statements(load_template("post_training_retention"),
    ...                           start=datetime(2026, 3, 2, 9, tzinfo=timezone.utc), learners=3)
    >>> isinstance(json.loads(data), list)
    True
    """
    statements = sample_statements(journey, learners, start=start, rng=rng, **options)
    return (json.dumps(statements, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def to_xapi_templates(
    journey: Journey,
    *,
    course_iri: str | None = None,
    activity_types: Mapping[str, str] | None = None,
) -> bytes:
    """Return the statement templates of :func:`statement_templates` as a JSON array, UTF-8.

    Examples
    --------
    >>> import json
    >>> from workbench.templates import load_template
    >>> len(json.loads(to_xapi_templates(load_template("post_training_retention"))))
    10
    """
    templates = statement_templates(journey, course_iri=course_iri, activity_types=activity_types)
    return (json.dumps(templates, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def trace_statements(
    journey: Journey,
    result: Any,
    *,
    start: datetime,
    rng: RandomLike = 0,
    course_iri: str | None = None,
    home_page: str = DEFAULT_HOME_PAGE,
    activity_types: Mapping[str, str] | None = None,
    workdays_only: bool = False,
) -> list[dict[str, Any]]:
    """Statements of a simulated cohort that are the simulation itself: one session per traced touch.

    Where :func:`sample_statements` draws a cohort independently, this turns the trace of
    ``simulate(..., trace=True)`` into statements: a learner has a session on an activity
    exactly when the simulation delivered that touch to them, and the activity's retrieval
    items are answered (their exported ``answered`` shape, see :mod:`workbench.export._vocab`)
    right exactly when the simulation drew their concept as recalled; scored activities get
    the share of items right as their score, as the quiz pages do. IRIs, verbs and the cmi5
    rules are those of :func:`statement_templates`. Learner *i* of the simulation is
    ``learner-<i+1>`` (zero-padded, as in :func:`sample_statements`).

    Parameters
    ----------
    journey : Journey
        The journey that was simulated (the same one: activity ids must match).
    result : SimulationResult
        A result of ``simulate(journey, ..., trace=True)``.
    start : datetime
        Day 0 of the cohort, timezone-aware (its time is the scheduled time of each touch).
    rng : int or numpy.random.Generator
        Draws registrations, minutes after the scheduled time and session lengths.

    Returns
    -------
    list of dict
        Statements sorted by timestamp.

    Examples
    --------
    >>> from datetime import datetime, timezone
    >>> from workbench.simulate import LearnerPopulation, simulate
    >>> from workbench.templates import load_template
    >>> journey = load_template("post_training_retention")
    >>> result = simulate(journey, population=LearnerPopulation(size=3), rng=1, trace=True)
    >>> sts = trace_statements(journey, result, start=datetime(2026, 3, 2, 9, tzinfo=timezone.utc))
    >>> sorted({s["verb"]["display"]["en-US"] for s in sts})[:3]
    ['answered', 'attended', 'completed']
    """
    trace = getattr(result, "trace", None)
    if trace is None:
        raise ExportError("result: has no trace; simulate with trace=True to export the simulated cohort")
    if getattr(result, "journey_id", journey.id) != journey.id:
        raise ExportError(f"result: simulates journey {result.journey_id!r}, not {journey.id!r}")
    cohort = resolve_cohort(check_aware(start, "start"), workdays_only=workdays_only)
    home = check_iri(home_page, "home_page", DEFAULT_HOME_PAGE)
    generator = as_generator(rng)
    course = course_iri_for(journey, course_iri)
    templates = {
        t["activity_id"]: t for t in statement_templates(journey, course_iri=course, activity_types=activity_types)
    }
    unknown = sorted(set(trace["activity_id"]) - set(templates))
    if unknown:
        raise ExportError(f"result: the trace has activities not in journey {journey.id!r}: {', '.join(unknown)}")
    ids = learner_ids(int(result.n_learners))
    registrations = [str(_uuid4(generator)) for _ in ids]

    activities = {a.id: a for a in journey.activities}
    rows: list[dict[str, Any]] = []
    satisfied: set[tuple[int, str]] = set()  # (learner, AU) completed or passed already
    for who, activity_id, when, drawn in _traced_sessions(trace):
        activity = activities[activity_id]
        key = f"day{when:g}"
        if journey.days[activity.id] is None:
            # the simulator books on-demand use per week (mid-week between its grid days):
            # the statement goes on one of that week's workdays, as people use job aids at work
            week_start = math.floor(when) - 6
            workdays = [d for d in range(week_start, week_start + 7) if cohort.date_of(d).weekday() < 5]
            when = float(workdays[int(generator.integers(0, len(workdays)))])
        actor = _actor(home, ids[who])
        session = _Session.drawn(
            templates[activity.id], activity, registrations[who], actor, cohort, when, generator, (key,)
        )

        # the recall function answers the activity's items: 1 when the simulation drew a recall
        def recall(concept: str, drawn: dict[str, float] = drawn) -> float:
            return drawn.get(concept, 0.0)

        made = _touch(session, generator, recall, satisfied=(who, activity.id) in satisfied)
        if any(st["verb"]["display"]["en-US"] in ("completed", "passed") for st in made):
            satisfied.add((who, activity.id))
        rows += made
    return _by_time(rows)


def _traced_sessions(trace: pd.DataFrame) -> Iterator[tuple[int, str, float, dict[str, float]]]:
    """Yield the sessions of a simulation trace, by learner and day.

    One session per (learner, activity, day): its learner index, activity id, day and, for
    each concept it retrieved, 1.0 where the simulation drew a recall (else 0.0).
    """
    frame = pd.DataFrame(
        {
            "learner": trace["learner"].to_numpy(dtype=np.int64),
            "activity_id": trace["activity_id"].astype(str).to_numpy(),
            "day": trace["day"].to_numpy(dtype=float),
            "concept": trace["concept"].astype(str).to_numpy(),
            "retrieve": trace["effect"].astype(str).to_numpy() == "retrieve",
            "recalled": trace["recalled"].to_numpy(dtype=float, na_value=np.nan),
        }
    ).sort_values(["learner", "day", "activity_id"], kind="stable", ignore_index=True)
    learner = frame["learner"].to_numpy()
    activity_col = frame["activity_id"].to_numpy()
    day_col = frame["day"].to_numpy()
    concept_col = frame["concept"].to_numpy()
    retrieve_col = frame["retrieve"].to_numpy()
    recalled_col = frame["recalled"].to_numpy()
    # where any of learner, activity and day changes, a session starts
    change = np.ones(len(frame), dtype=bool)
    change[1:] = (learner[1:] != learner[:-1]) | (activity_col[1:] != activity_col[:-1]) | (day_col[1:] != day_col[:-1])
    bounds = [*np.flatnonzero(change).tolist(), len(frame)]
    for first, stop in itertools.pairwise(bounds):
        drawn = {str(concept_col[i]): float(recalled_col[i] == 1) for i in range(first, stop) if retrieve_col[i]}
        yield int(learner[first]), str(activity_col[first]), float(day_col[first]), drawn
