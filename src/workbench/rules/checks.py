"""The design rules: one pure function per rule, registered under a stable code.

Each function takes a journey and a :class:`~workbench.rules.LintConfig` and yields
:class:`~workbench.rules.Issue` values (message, fix, activity id, concept id); the registry
turns them into findings with the rule's code, slug and severity. Rules never change the
journey. Codes are stable: a rule that is retired keeps its code unused.

Codes are grouped: WB001-WB005 single assets, WB006-WB010 concepts and coverage,
WB011-WB017 timing and retention, WB018-WB021 the graph, WB022 and WB025 conversion,
WB023-WB024 retrieval items (what exported quizzes ask).

Where the thresholds come from
------------------------------
The minute and touch thresholds are practice defaults of microlearning design (what
designers commonly aim for), not the result of a particular study; they are settings of
:class:`~workbench.rules.LintConfig`. The retention rules follow well-replicated findings:
forgetting is steep after a single study episode (Ebbinghaus 1885, replicated by Murre &
Dros 2015, PLOS ONE 10(7)); spaced practice beats massed practice (Cepeda et al. 2006,
Psychological Bulletin 132(3)); retrieval beats restudy (the testing-effect meta-analyses
cited in ``catalog/data/kinds.yaml``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from workbench.convert.cues import leftover_title
from workbench.model import Activity, Channel, EdgeKind, Journey, Layer, MemoryEffect, Purpose
from workbench.rules._core import Issue, LintConfig, Severity, rule

#: Each rule is a :class:`~workbench.rules.Rule`: call it alone as ``micro_too_long(journey)``.
__all__ = [
    "concept_never_encoded",
    "concept_not_covered",
    "conversion_leftover",
    "draft_asset",
    "edge_against_time",
    "empty_journey",
    "forgetting_cliff",
    "layer_contradicts_schedule",
    "live_session_without_primer",
    "massed_reinforcement",
    "micro_too_long",
    "missing_purpose",
    "mobile_too_long",
    "no_concepts",
    "not_retrieved_after_training",
    "orphan_activity",
    "reinforcement_crammed",
    "reinforcement_fatigue",
    "retrieval_before_encode",
    "retrieval_item_gap",
    "retrieval_without_items",
    "social_without_facilitator",
    "too_many_concepts",
    "unreachable_activity",
    "weekly_budget_exceeded",
]

_REINFORCING_EFFECTS = (MemoryEffect.RETRIEVE, MemoryEffect.RESTUDY)
_REINFORCING_PURPOSES = (Purpose.REINFORCEMENT, Purpose.RECAP, Purpose.PRACTICE)
_LIVE_CHANNELS = (Channel.IN_PERSON, Channel.VIRTUAL_CLASSROOM)


# ---- helpers -------------------------------------------------------------------------------


def _n(value: float) -> str:
    """Return a day or a number of minutes as designers write it: 3, 2.5, -7."""
    return f"{round(value, 2):g}"


def _ids(activities: Sequence[Activity]) -> str:
    return ", ".join(repr(a.id) for a in activities)


def _is_micro(journey: Journey, activity: Activity) -> bool:
    return not journey.is_formal(activity)


def _dated(journey: Journey) -> list[tuple[float, Activity]]:
    """Dated activities in timeline order (by day, then by position)."""
    out = []
    for activity in journey.timeline():
        day = journey.days.get(activity.id)
        if day is not None:
            out.append((day, activity))
    return out


def _formal_dated(journey: Journey) -> list[tuple[float, Activity]]:
    return [(day, a) for day, a in _dated(journey) if journey.is_formal(a)]


@dataclass(frozen=True)
class _Touch:
    activity: Activity
    day: float | None
    effect: MemoryEffect | None
    formal: bool


def _touches(journey: Journey, concept_id: str) -> list[_Touch]:
    """Every activity covering a concept, in timeline order (on-demand ones last)."""
    return [
        _Touch(a, journey.days.get(a.id), a.effect_on(concept_id), journey.is_formal(a))
        for a in journey.timeline()
        if concept_id in a.concept_ids
    ]


@dataclass(frozen=True)
class _Training:
    """A concept's last formal touch, and the reinforcement touches after it."""

    event: Activity
    day: float | None  # None when every formal touch is on demand
    after: tuple[_Touch, ...]  # dated retrieve / restudy touches strictly after ``day``


def _training(journey: Journey, concept_id: str) -> _Training | None:
    touches = _touches(journey, concept_id)
    formal = [t for t in touches if t.formal]
    if not formal:
        return None
    dated = [t for t in formal if t.day is not None]
    last = dated[-1] if dated else formal[0]  # timeline order: the last dated one is the latest
    after = tuple(
        t
        for t in touches
        if t.day is not None
        and t.effect in _REINFORCING_EFFECTS
        and (last.day is None or t.day > last.day)
        and t.activity.id != last.activity.id
    )
    return _Training(last.activity, last.day, after)


def _crowded_windows(
    items: Sequence[tuple[float, Activity]], weight: Callable[[Activity], float], span: float, limit: float
) -> Iterator[tuple[float, list[Activity], float]]:
    """Non-overlapping windows ``[day, day + span)`` whose total weight exceeds ``limit``.

    Windows start at an item's day; after a crowded window the scan resumes past its end,
    so one crowded week gives one finding.
    """
    index = 0
    while index < len(items):
        start = items[index][0]
        members = [a for day, a in items[index:] if day < start + span]
        total = sum(weight(a) for a in members)
        if total > limit:
            yield start, members, total
            index += len(members)
        else:
            index += 1


def _neighbour(journey: Journey, activity: Activity, among: set[str] | None = None) -> Activity | None:
    """Return the dated activity just before ``activity`` in the timeline (else just after)."""
    dated = [a for _, a in _dated(journey) if a.id != activity.id and (among is None or a.id in among)]
    if not dated:
        return None
    day = journey.days.get(activity.id)
    if day is None:
        return dated[-1]
    before = [a for a in dated if (journey.days[a.id] or 0.0) <= day]
    return before[-1] if before else dated[0]


# ---- single assets -------------------------------------------------------------------------


@rule("WB001", "micro-too-long", Severity.WARNING, options=("max_micro_min", "max_mobile_min"))
def micro_too_long(journey: Journey, config: LintConfig) -> Iterator[Issue]:
    """Micro asset longer than ``max_micro_min`` minutes.

    Facilitated social pieces (a manager-led debrief) are conversations, not assets, and
    are not checked.
    """
    for a in journey.activities:
        if not _is_micro(journey, a) or journey.kind_of(a).social or a.duration_min <= config.max_micro_min:
            continue
        parts = -(-a.duration_min // config.max_micro_min)
        mobile = f" ({_n(config.max_mobile_min)} min on mobile)" if a.channel is Channel.MOBILE else ""
        yield Issue(
            f"{a.id!r} lasts {_n(a.duration_min)} min; micro assets stay within {_n(config.max_micro_min)} min{mobile}",
            f"split it into {parts:g} assets of at most {_n(config.max_micro_min)} min each, "
            "or cut it to its one objective",
            a.id,
        )


@rule("WB002", "mobile-too-long", Severity.WARNING, options=("max_mobile_min",))
def mobile_too_long(journey: Journey, config: LintConfig) -> Iterator[Issue]:
    """Micro asset on mobile longer than ``max_mobile_min`` minutes.

    Assets longer than ``max_micro_min`` are left to WB001, which says so already.
    """
    for a in journey.activities:
        if (
            a.channel is not Channel.MOBILE
            or not _is_micro(journey, a)
            or journey.kind_of(a).social
            or a.duration_min <= config.max_mobile_min
            or a.duration_min > config.max_micro_min
        ):
            continue
        yield Issue(
            f"{a.id!r} lasts {_n(a.duration_min)} min on mobile; mobile assets stay within "
            f"{_n(config.max_mobile_min)} min (learners use them in short gaps)",
            f"cut {a.id!r} to {_n(config.max_mobile_min)} min, or deliver it on another channel (e.g. channel: lms)",
            a.id,
        )


@rule("WB003", "too-many-concepts", Severity.INFO, options=("max_concepts_per_micro",))
def too_many_concepts(journey: Journey, config: LintConfig) -> Iterator[Issue]:
    """Micro asset covering more than ``max_concepts_per_micro`` concepts (one objective each).

    Recaps and references bundle key points by purpose and are not checked.
    """
    for a in journey.activities:
        if (
            not _is_micro(journey, a)
            or a.purpose in (Purpose.RECAP, Purpose.REFERENCE)
            or len(a.covers) <= config.max_concepts_per_micro
        ):
            continue
        yield Issue(
            f"{a.id!r} covers {len(a.covers)} concepts ({', '.join(map(repr, a.concept_ids))}); "
            f"a micro asset serves one objective (at most {config.max_concepts_per_micro} concepts)",
            "split it into one asset per concept; if it is a deliberate mixed review quiz, "
            "ignore WB003 for it or raise max_concepts_per_micro",
            a.id,
        )


@rule("WB004", "missing-purpose", Severity.ERROR)
def missing_purpose(journey: Journey, config: LintConfig) -> Iterator[Issue]:
    """Asset without a purpose (analytics judge every asset by its purpose)."""
    choices = ", ".join(p.value for p in Purpose)
    for a in journey.activities:
        if a.purpose is not None:
            continue
        suggested = journey.kind_of(a).purpose.value
        yield Issue(
            f"{a.id!r} has no purpose, so analytics cannot judge it",
            f"set its purpose (one of {choices}); its kind {a.kind!r} suggests {suggested!r}",
            a.id,
        )


@rule("WB005", "social-without-facilitator", Severity.ERROR)
def social_without_facilitator(journey: Journey, config: LintConfig) -> Iterator[Issue]:
    """Social or manager piece that does not name who facilitates it."""
    for a in journey.activities:
        kind = journey.kind_of(a)
        if not kind.social or a.facilitator is not None:
            continue
        yield Issue(
            f"{a.id!r} ({kind.name}) is facilitated, but names no facilitator",
            f"set facilitator on {a.id!r} to who runs it (e.g. 'line manager', 'trainer', "
            "'community lead'), so they can be briefed",
            a.id,
        )


# ---- concepts and coverage -----------------------------------------------------------------


@rule("WB006", "empty-journey", Severity.ERROR)
def empty_journey(journey: Journey, config: LintConfig) -> Iterator[Issue]:
    """Journey without any activity."""
    if not journey.activities:
        yield Issue(
            f"journey {journey.id!r} has no activities",
            "add activities with journey.add_activity(Activity.of_kind(...)), or start from a template",
        )


@rule("WB007", "no-concepts", Severity.WARNING)
def no_concepts(journey: Journey, config: LintConfig) -> Iterator[Issue]:
    """Journey that declares no concepts, so retention cannot be tracked or simulated."""
    if not journey.concepts:
        yield Issue(
            f"journey {journey.id!r} declares no concepts, so nothing it teaches can be tracked",
            "add its key concepts with journey.add_concept(...) and list them in each activity's covers",
        )


@rule("WB008", "concept-not-covered", Severity.WARNING)
def concept_not_covered(journey: Journey, config: LintConfig) -> Iterator[Issue]:
    """Concept that no activity covers."""
    for concept in journey.concepts:
        if not any(concept.id in a.concept_ids for a in journey.activities):
            yield Issue(
                f"concept {concept.id!r} ({concept.name}) is covered by no activity",
                f"add {concept.id!r} to the covers of the activity that teaches it, or remove the concept",
                None,
                concept.id,
            )


@rule("WB009", "concept-never-encoded", Severity.ERROR)
def concept_never_encoded(journey: Journey, config: LintConfig) -> Iterator[Issue]:
    """Concept that activities cover but none teaches (no ``encode`` touch)."""
    for concept in journey.concepts:
        touches = _touches(journey, concept.id)
        if not touches or any(t.effect is MemoryEffect.ENCODE for t in touches):
            continue
        effects = sorted({t.effect.value for t in touches if t.effect is not None})
        yield Issue(
            f"concept {concept.id!r} is only {'/'.join(effects)}-touched "
            f"({_ids([t.activity for t in touches])}) and never taught: no activity encodes it",
            f"teach it first: set effect 'encode' for {concept.id!r} on the activity that introduces it, "
            "or add a concept_explainer_video or formal session covering it",
            touches[0].activity.id,
            concept.id,
        )


@rule("WB010", "retrieval-before-encode", Severity.ERROR)
def retrieval_before_encode(journey: Journey, config: LintConfig) -> Iterator[Issue]:
    # A rule's first docstring line is its user-facing summary: it names the finding, like the other rules.
    """Retrieval of a concept scheduled before the concept is first taught."""  # noqa: D401
    for concept in journey.concepts:
        touches = _touches(journey, concept.id)
        encodes = [t for t in touches if t.effect is MemoryEffect.ENCODE and t.day is not None]
        if not encodes:
            continue
        first = encodes[0]
        assert first.day is not None
        for t in touches:
            if t.effect is MemoryEffect.RETRIEVE and t.day is not None and t.day < first.day:
                yield Issue(
                    f"{t.activity.id!r} retrieves {concept.id!r} on day {_n(t.day)}, before it is "
                    f"first taught in {first.activity.id!r} on day {_n(first.day)}",
                    f"schedule {t.activity.id!r} after {first.activity.id!r} (day {_n(first.day)} "
                    f"or later), or teach {concept.id!r} earlier",
                    t.activity.id,
                    concept.id,
                )


# ---- timing and retention ------------------------------------------------------------------


@rule("WB011", "forgetting-cliff", Severity.ERROR)
def forgetting_cliff(journey: Journey, config: LintConfig) -> Iterator[Issue]:
    """Nothing follows the last formal event: the journey ends at the event.

    A follow-up is a micro asset scheduled after the last formal event, on its day in the
    after or work layer, or on demand in the after or work layer (a job aid).
    """
    formal = [a for a in journey.activities if journey.is_formal(a)]
    if not formal:
        return
    dated = _formal_dated(journey)
    last_day, last = dated[-1] if dated else (None, formal[-1])
    follow_layers = (Layer.AFTER, Layer.WORK)
    for a in journey.activities:
        if journey.is_formal(a):
            continue
        day = journey.days.get(a.id)
        if day is None or last_day is None:
            if a.layer in follow_layers:
                return
        elif day > last_day or (day == last_day and a.layer in follow_layers):
            return
    when = f"day {_n(last_day)}" if last_day is not None else "on demand"
    base = last_day if last_day is not None else 0.0
    yield Issue(
        f"nothing follows the last formal event {last.id!r} ({when}): the journey ends at the "
        "event, and learners forget most of it within weeks",
        f"add reinforcement after {last.id!r}: e.g. a post_session_recap on day {_n(base + 1)}, "
        f"spaced_recall_quiz touches on days {_n(base + 3)}, {_n(base + 10)} and {_n(base + 30)}, "
        "and a job_aid in the work layer",
        last.id,
    )


@rule("WB012", "not-retrieved-after-training", Severity.WARNING)
def not_retrieved_after_training(journey: Journey, config: LintConfig) -> Iterator[Issue]:
    """Concept taught in formal training but never retrieved after its last formal touch."""
    for concept in journey.concepts:
        training = _training(journey, concept.id)
        if training is None or any(t.effect is MemoryEffect.RETRIEVE for t in training.after):
            continue
        when = f"day {_n(training.day)}" if training.day is not None else "on demand"
        restudied = [t.activity for t in training.after]
        note = f"; {_ids(restudied)} only restudy it, which is weaker than retrieval" if restudied else ""
        base = training.day if training.day is not None else 0.0
        yield Issue(
            f"concept {concept.id!r} is taught in {training.event.id!r} ({when}) but never retrieved afterwards{note}",
            f"add retrieval touches covering {concept.id!r} after {training.event.id!r}, e.g. a "
            "spaced_recall_quiz or scenario_practice on days "
            f"{_n(base + 2)}, {_n(base + 7)} and {_n(base + 30)}",
            training.event.id,
            concept.id,
        )


@rule("WB013", "massed-reinforcement", Severity.WARNING, options=("min_spacing_days",))
def massed_reinforcement(journey: Journey, config: LintConfig) -> Iterator[Issue]:
    """Two reinforcement touches of one concept less than ``min_spacing_days`` apart."""
    for concept in journey.concepts:
        training = _training(journey, concept.id)
        if training is None:
            continue
        for previous, current in zip(training.after, training.after[1:], strict=False):
            assert previous.day is not None
            assert current.day is not None
            gap = current.day - previous.day
            if gap >= config.min_spacing_days:
                continue
            verb = "retrieves" if current.effect is MemoryEffect.RETRIEVE else "restudies"
            yield Issue(
                f"{current.activity.id!r} {verb} {concept.id!r} on day {_n(current.day)}, only "
                f"{_n(gap)} days after {previous.activity.id!r} (day {_n(previous.day)}); touches of "
                f"one concept need at least {_n(config.min_spacing_days)} day(s) between them",
                f"move {current.activity.id!r} to day {_n(previous.day + config.min_spacing_days)} or later, "
                f"or merge it into {previous.activity.id!r}",
                current.activity.id,
                concept.id,
            )


@rule("WB014", "reinforcement-crammed", Severity.WARNING, options=("massed_window_days",))
def reinforcement_crammed(journey: Journey, config: LintConfig) -> Iterator[Issue]:
    """All reinforcement of a concept within ``massed_window_days`` of its last formal touch."""
    if config.massed_window_days <= 0:
        return
    for concept in journey.concepts:
        training = _training(journey, concept.id)
        if training is None or training.day is None or not training.after:
            continue
        last = training.after[-1]
        assert last.day is not None
        if last.day - training.day > config.massed_window_days:
            continue
        yield Issue(
            f"all reinforcement of {concept.id!r} ({_ids([t.activity for t in training.after])}) falls "
            f"within {_n(config.massed_window_days)} days of {training.event.id!r} (day {_n(training.day)}), "
            f"the last on day {_n(last.day)}: massed practice fades fast",
            "spread it out: add a retrieval touch a week or more later, e.g. a spaced_recall_quiz "
            f"covering {concept.id!r} on day {_n(training.day + 7)} "
            f"and another on day {_n(training.day + 30)}",
            training.event.id,
            concept.id,
        )


@rule("WB015", "weekly-budget-exceeded", Severity.WARNING, options=("weekly_budget_min", "window_days"))
def weekly_budget_exceeded(journey: Journey, config: LintConfig) -> Iterator[Issue]:
    """More than ``weekly_budget_min`` minutes of required micro assets in a rolling window."""
    items = [(day, a) for day, a in _dated(journey) if a.required and _is_micro(journey, a)]
    span = config.window_days
    budget = config.weekly_budget_min
    for start, members, total in _crowded_windows(items, lambda a: a.duration_min, span, budget):
        yield Issue(
            f"required micro assets take {_n(total)} min in the {_n(span)}-day window from day "
            f"{_n(start)} to day {_n(start + span)} ({_ids(members)}); the budget is "
            f"{_n(config.weekly_budget_min)} min per {_n(span)} days",
            "spread them over more weeks, make some optional (required: false), or shorten them",
            members[0].id,
        )


def _is_reinforcement_touch(journey: Journey, activity: Activity) -> bool:
    return (
        activity.required
        and _is_micro(journey, activity)
        and not journey.kind_of(activity).social
        and (
            activity.purpose in _REINFORCING_PURPOSES or any(c.effect in _REINFORCING_EFFECTS for c in activity.covers)
        )
    )


@rule("WB016", "reinforcement-fatigue", Severity.WARNING, options=("max_touches_per_week", "window_days"))
def reinforcement_fatigue(journey: Journey, config: LintConfig) -> Iterator[Issue]:
    """More than ``max_touches_per_week`` required reinforcement touches in a rolling window.

    A reinforcement touch is a required, dated, non-social micro asset whose purpose is
    reinforcement, recap or practice, or that retrieves or restudies a concept.
    """
    items = [(day, a) for day, a in _dated(journey) if _is_reinforcement_touch(journey, a)]
    span = config.window_days
    for start, members, total in _crowded_windows(items, lambda a: 1.0, span, config.max_touches_per_week):
        yield Issue(
            f"{total:g} required reinforcement touches in the {_n(span)}-day window from day {_n(start)} "
            f"to day {_n(start + span)} ({_ids(members)}); more than {config.max_touches_per_week} "
            "per week tire learners, who start ignoring them",
            "space them out over more weeks, merge some, or make some optional (required: false)",
            members[0].id,
        )


@rule("WB017", "layer-contradicts-schedule", Severity.WARNING)
def layer_contradicts_schedule(journey: Journey, config: LintConfig) -> Iterator[Issue]:
    """Before-layer asset scheduled after the last formal event, or after-layer asset before the first."""
    formal = _formal_dated(journey)
    if not formal:
        return
    first_day, first = formal[0]
    last_day, last = formal[-1]
    for day, a in _dated(journey):
        if journey.is_formal(a):
            continue
        if a.layer is Layer.BEFORE and day > last_day:
            yield Issue(
                f"{a.id!r} sits in the before layer but is scheduled on day {_n(day)}, after the last "
                f"formal event {last.id!r} (day {_n(last_day)}): there is nothing left for it to prime",
                f"schedule {a.id!r} before day {_n(last_day)}, or move it to the after or work layer",
                a.id,
            )
        elif a.layer is Layer.AFTER and day < first_day:
            yield Issue(
                f"{a.id!r} sits in the after layer but is scheduled on day {_n(day)}, before the first "
                f"formal event {first.id!r} (day {_n(first_day)}): there is nothing yet to reinforce",
                f"schedule {a.id!r} after {first.id!r} (e.g. schedule: {{after: {first.id}, gap_days: 2}}), "
                "or move it to the before layer",
                a.id,
            )


# ---- the graph -----------------------------------------------------------------------------


@rule("WB018", "edge-against-time", Severity.ERROR)
def edge_against_time(journey: Journey, config: LintConfig) -> Iterator[Issue]:
    """Edge whose schedule runs backwards.

    A ``then`` target scheduled before its source, a ``prepares`` source after its target,
    or a ``reinforces`` source before what it reinforces.
    """
    for edge in journey.edges:
        s_day, t_day = journey.days.get(edge.source), journey.days.get(edge.target)
        if s_day is None or t_day is None:
            continue
        s, t = repr(edge.source), repr(edge.target)
        if edge.kind is EdgeKind.THEN and t_day < s_day:
            yield Issue(
                f"'then' edge {s} -> {t} goes back in time: {t} (day {_n(t_day)}) is scheduled before "
                f"{s} (day {_n(s_day)})",
                f"schedule {t} on day {_n(s_day)} or later (e.g. schedule: {{after: {edge.source}}}), "
                "or reverse the edge",
                edge.target,
            )
        elif edge.kind is EdgeKind.PREPARES and s_day > t_day:
            yield Issue(
                f"{s} prepares {t} but is scheduled after it (day {_n(s_day)}, {t} is on day {_n(t_day)})",
                f"schedule {s} before day {_n(t_day)}, or make the edge 'reinforces'",
                edge.source,
            )
        elif edge.kind is EdgeKind.REINFORCES and s_day < t_day:
            yield Issue(
                f"{s} reinforces {t} but is scheduled before it (day {_n(s_day)}, {t} is on day {_n(t_day)})",
                f"schedule {s} after day {_n(t_day)}, or make the edge 'prepares'",
                edge.source,
            )


def _linked(journey: Journey) -> set[str]:
    return {e.source for e in journey.edges} | {e.target for e in journey.edges}


@rule("WB019", "orphan-activity", Severity.WARNING)
def orphan_activity(journey: Journey, config: LintConfig) -> Iterator[Issue]:
    """Activity linked to no other, in a journey that uses edges."""
    if not journey.edges:
        return
    linked = _linked(journey)
    for a in journey.activities:
        if a.id in linked:
            continue
        near = _neighbour(journey, a, linked)
        how = "journey.connect(...)" if near is None else f"journey.connect({near.id!r}, {a.id!r}, 'then')"
        yield Issue(
            f"{a.id!r} is linked to no other activity, while the rest of the journey is",
            f"connect it with an edge, e.g. {how}, or remove it if it does not belong",
            a.id,
        )


@rule("WB020", "unreachable-activity", Severity.INFO)
def unreachable_activity(journey: Journey, config: LintConfig) -> Iterator[Issue]:
    """Linked activity that cannot be reached from the journey's start by following its edges.

    Edges are followed in the order learners meet them: ``then`` and ``prepares`` from source
    to target, ``reinforces`` and ``supports`` from target to source. The start is the
    earliest-dated activity without incoming edges. Unlinked activities are WB019's.
    """
    linked = _linked(journey)
    if not linked:
        return
    successors: dict[str, list[str]] = {aid: [] for aid in linked}
    has_incoming: set[str] = set()
    for edge in journey.edges:
        forward = edge.kind in (EdgeKind.THEN, EdgeKind.PREPARES)
        src, dst = (edge.source, edge.target) if forward else (edge.target, edge.source)
        successors[src].append(dst)
        has_incoming.add(dst)
    ordered = [a for a in journey.timeline() if a.id in linked]  # by day, on-demand last
    roots = [a for a in ordered if a.id not in has_incoming] or ordered[:1]
    dated_roots = [a for a in roots if journey.days.get(a.id) is not None]
    if dated_roots:
        first_day = journey.days[dated_roots[0].id]
        entries = [a for a in dated_roots if journey.days[a.id] == first_day]
    else:
        entries = roots
    reached = {a.id for a in entries}
    stack = [a.id for a in entries]
    while stack:
        for nxt in successors[stack.pop()]:
            if nxt not in reached:
                reached.add(nxt)
                stack.append(nxt)
    start = _ids(entries)
    for a in ordered:
        if a.id in reached:
            continue
        near = _neighbour(journey, a, reached) or entries[0]
        yield Issue(
            f"{a.id!r} cannot be reached from the start of the journey ({start}) by following its edges",
            f"connect it to the main sequence, e.g. journey.connect({near.id!r}, {a.id!r}, 'then')",
            a.id,
        )


def _primes(journey: Journey, activity: Activity, day: float | None) -> bool:
    """Whether ``activity`` is a before-layer micro asset available by ``day``."""
    if activity.layer is not Layer.BEFORE or journey.is_formal(activity):
        return False
    own = journey.days.get(activity.id)
    return own is None or day is None or own <= day


@rule("WB021", "live-session-without-primer", Severity.INFO)
def live_session_without_primer(journey: Journey, config: LintConfig) -> Iterator[Issue]:
    """Live session (ILT, VILT) with no primer: a flipped-classroom opportunity.

    A live session is a formal, facilitated, instructional event in a room or a virtual
    classroom. A primer is a ``prepares`` edge into it, or a micro asset of the before
    layer scheduled on or before its day (or on demand).
    """
    prepared = {e.target for e in journey.edges if e.kind is EdgeKind.PREPARES}
    for a in journey.activities:
        kind = journey.kind_of(a)
        live = kind.is_formal and kind.social and kind.purpose is Purpose.INSTRUCTION
        if not live or a.channel not in _LIVE_CHANNELS or a.id in prepared:
            continue
        day = journey.days.get(a.id)
        if any(_primes(journey, b, day) for b in journey.activities):
            continue
        when = f"a few days before day {_n(day)}" if day is not None else "before it"
        yield Issue(
            f"live session {a.id!r} has no primer (no before-layer asset and no 'prepares' edge into it): "
            "a flipped-classroom opportunity",
            f"add a pre_session_primer {when} and connect it with a 'prepares' edge, so the session "
            "can spend its time on practice rather than on first exposure",
            a.id,
        )


# ---- conversion ----------------------------------------------------------------------------


@rule("WB022", "conversion-leftover", Severity.INFO)
def conversion_leftover(journey: Journey, config: LintConfig) -> Iterator[Issue]:
    """Micro asset that looks like a kept intro, transition or facilitator talk.

    Conversion must redesign, not just cut: agendas, welcomes, breaks, Q&A and facilitator
    notes of the original session rarely deserve an asset. Judged from the title only.
    """
    for a in journey.activities:
        if not _is_micro(journey, a):
            continue
        cue = leftover_title(a.title)
        if cue is None:
            continue
        yield Issue(
            f"{a.id!r} ('{a.title}') looks like a kept {cue} from the original session, not a learning asset",
            f"remove {a.id!r}, or redesign it around one objective (a question, a decision, a key point)",
            a.id,
        )


# ---- retrieval items -----------------------------------------------------------------------


def _runs_generated_page(journey: Journey, activity: Activity) -> bool:
    """Tell whether exports run this activity from a generated page (launchable retrieval, no URL)."""
    kind = journey.kind_of(activity)
    retrieves = any(c.effect is MemoryEffect.RETRIEVE for c in activity.covers)
    return kind.launchable and retrieves and activity.url is None


@rule("WB023", "retrieval-without-items", Severity.INFO)
def retrieval_without_items(journey: Journey, config: LintConfig) -> Iterator[Issue]:
    """Launchable retrieval activity with no items: its SCORM/cmi5 page can only be marked done.

    Only activities the exports turn into a generated page count (launchable kind, a
    ``retrieve`` effect, no ``url`` of their own): those are the ones a delivered journey runs.
    """
    for a in journey.activities:
        if a.items or not _runs_generated_page(journey, a):
            continue
        concepts = [c.concept for c in a.covers if c.effect is MemoryEffect.RETRIEVE]
        yield Issue(
            f"retrieval activity {a.id!r} has no items, so its exported SCORM/cmi5 page asks nothing "
            "and records no per-concept result",
            f"add one item per concept it retrieves ({', '.join(concepts)}) in the composer's item editor "
            "or under 'items' in the spec, or give it the 'url' of the real quiz",
            a.id,
        )


@rule("WB024", "retrieval-item-gap", Severity.WARNING)
def retrieval_item_gap(journey: Journey, config: LintConfig) -> Iterator[Issue]:
    """Activity with items that leave a concept it retrieves untested.

    The simulation counts a retrieval touch for every concept the activity covers; a concept
    no item asks about gets that credit without any practice, and no result reaches analytics.
    """
    for a in journey.activities:
        if not a.items:
            continue
        asked = {item.concept for item in a.items}
        for coverage in a.covers:
            if coverage.effect is MemoryEffect.RETRIEVE and coverage.concept not in asked:
                yield Issue(
                    f"{a.id!r} retrieves {coverage.concept!r} but none of its {len(a.items)} items asks about it",
                    f"add an item with concept {coverage.concept!r} to {a.id!r}, or remove "
                    f"{coverage.concept!r} from its covers",
                    a.id,
                    coverage.concept,
                )


@rule("WB025", "draft-asset", Severity.WARNING)
def draft_asset(journey: Journey, config: LintConfig) -> Iterator[Issue]:
    """Asset proposed by the converter that no designer has reviewed yet.

    The converter (:mod:`workbench.convert`) proposes assets from legacy content; it never
    pretends a proposal is a design. Each stays flagged until a designer reads it, edits it
    and clears ``draft``.
    """
    for a in journey.activities:
        if not a.draft:
            continue
        source = (
            f" (from {'; '.join(a.provenance[:2])}{' ...' if len(a.provenance) > 2 else ''})" if a.provenance else ""
        )
        yield Issue(
            f"{a.id!r} ('{a.title}') is an unreviewed draft{source}",
            f"review its title, duration, schedule and content, then clear the flag: "
            f"journey.update_activity({a.id!r}, draft=False), or remove 'draft: true' from the spec",
            a.id,
        )
