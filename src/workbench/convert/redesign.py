"""Redesign: from analysed legacy content to a draft journey of micro assets, with reasons.

The patterns are the ones learning designers use when they redesign formal training into
a blended journey (not a mechanical split):

* a live session (a deck, a recording) is kept as a shorter core event, or replaced by
  concept explainers; it gets a primer before it and a recap after it;
* decisions and cases become scenario practice;
* reference material (tables, lists of values) and procedures become job aids in the flow
  of work;
* every concept is reinforced after the event by a spaced plan of retrieval quizzes, whose
  draft questions come from the definitions found in the source;
* organising material (welcome, agenda, breaks, Q&A, facilitator instructions) is dropped.

Every asset is marked ``draft`` and carries its provenance; rule WB025 reports it until a
designer has reviewed it.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Literal

from workbench.convert.analysis import Analysis, ConceptCandidate, Segment, slug
from workbench.convert.cues import Category
from workbench.errors import ParameterError, SourceError
from workbench.model import Activity, Choice, Concept, Edge, Journey, RetrievalItem
from workbench.vocabulary import EdgeKind

if TYPE_CHECKING:
    from workbench.simulate import MemoryProfile

__all__ = ["DEFAULT_PLAN", "Draft", "Proposal", "draft_journey"]

#: The reinforcement plan of a draft: retrieval 2, 7, 21 and 51 days after the event.
#: Spacing research finds the best gap grows with the retention interval, at roughly
#: 10-20% of it for intervals of weeks to months (Cepeda et al. 2008, Psychological Science
#: 19(11)); expanding gaps cover intervals from a week to a quarter. Change it with ``plan=``.
DEFAULT_PLAN = "expanding:2,5,14,30"

_ANCHOR_KIND = {
    "pptx": "ilt_workshop",
    "transcript": "vilt_session",
    "scorm": "elearning_module",
    "cmi5": "elearning_module",
}
_LIVE_KINDS = ("ilt_workshop", "vilt_session")


@dataclass(frozen=True)
class Proposal:
    """One asset the converter proposes, why, and from which segments."""

    activity_id: str
    kind: str
    title: str
    concepts: tuple[str, ...]
    reason: str
    provenance: tuple[str, ...]
    segments: tuple[str, ...] = ()
    removable: bool = True


@dataclass(frozen=True)
class Draft:
    """A draft journey, the proposals it is made of, and what needs a designer's decision.

    ``profile`` is the memory profile (or calibration's fitted profile) its reinforcement was
    scheduled for. Use :meth:`keep` to accept some proposals and drop the others.
    """

    journey: Journey
    analysis: Analysis
    proposals: tuple[Proposal, ...]
    decisions: tuple[str, ...]
    anchor: str
    plan: str
    profile: MemoryProfile

    def keep(self, activity_ids: Iterable[str]) -> Journey:
        """Return the journey with only the given proposals (the core event always stays).

        Raises
        ------
        ParameterError
            If an id is not one of the proposals.
        """
        wanted = set(activity_ids)
        known = {p.activity_id for p in self.proposals}
        unknown = sorted(wanted - known)
        if unknown:
            raise ParameterError(f"keep: {unknown} are not proposals of this draft; known: {sorted(known)}")
        journey = self.journey
        for proposal in self.proposals:
            if proposal.removable and proposal.activity_id not in wanted:
                journey = journey.remove_activity(proposal.activity_id)
        return journey


@dataclass
class _Builder:
    """Accumulates activities, edges and proposals (local to one call, never shared)."""

    activities: list[Activity]
    edges: list[Edge]
    proposals: list[Proposal]
    used_ids: set[str]

    def new_id(self, base: str) -> str:
        candidate, n = slug(base, max_length=60), 2
        while candidate in self.used_ids:
            candidate, n = f"{slug(base, max_length=60)}_{n}", n + 1
        self.used_ids.add(candidate)
        return candidate

    def add(self, proposal: Proposal, **fields: Any) -> None:
        activity = Activity.of_kind(
            proposal.kind,
            id=proposal.activity_id,
            title=proposal.title[:300],
            covers=list(proposal.concepts),
            draft=True,
            provenance=proposal.provenance[:50],
            **fields,
        )
        self.activities.append(activity)
        self.proposals.append(proposal)


def _where(segments: Iterable[Segment]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(s.where for s in segments))


def _names(concepts: Iterable[ConceptCandidate], limit: int = 3) -> str:
    names = [c.name for c in concepts]
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


_DEFINING_VERB = re.compile(r"\b(?:is|are|means|refers to)\b\s*", re.IGNORECASE)


def _definition_body(concept: ConceptCandidate) -> str | None:
    """Return what the source says a concept is, without the term itself (so it is no giveaway)."""
    if not concept.definition:
        return None
    parts = _DEFINING_VERB.split(concept.definition.split(". ")[0], maxsplit=1)
    body = parts[1] if len(parts) == 2 else parts[0]
    body = body.strip().rstrip(".")
    return (body[:1].upper() + body[1:] + ".") if len(body) >= 8 else None


def _in_sentence(name: str) -> str:
    """Lower-case a name's first letter for use mid-sentence, unless it starts an acronym (RAG, GDPR)."""
    return name if name[1:2].isupper() else name[:1].lower() + name[1:]


def _draft_item(concept: ConceptCandidate, others: Sequence[ConceptCandidate], number: int) -> RetrievalItem | None:
    """Draft a single-choice item from the source's definitions: this concept's is right, others' are wrong.

    Returns None when the source defines fewer than two concepts (no honest distractor).
    """
    right = _definition_body(concept)
    seen = {right}
    wrong = []
    for other in others:
        body = _definition_body(other)
        if other.id != concept.id and body and body not in seen:
            seen.add(body)
            wrong.append((other, body))
    wrong = wrong[:3]
    if right is None or not wrong:
        return None
    where = concept.evidence[0].provenance
    choices = [Choice(text=right[:500], correct=True, feedback=f"Yes: this is how the source ({where}) defines it.")]
    choices += [Choice(text=body[:500], feedback=f"No: that describes {other.name}.") for other, body in wrong]
    turn = zlib.crc32(concept.id.encode()) % len(choices)  # the right answer is not always first
    choices = choices[turn:] + choices[:turn]
    return RetrievalItem(
        id=f"q{number}",
        concept=concept.id,
        stem=f"Which statement describes {_in_sentence(concept.name)}?",
        type="single_choice",
        choices=tuple(choices),
        feedback=f"Draft item written from {where}: check it before delivery.",
    )


def draft_journey(
    analysis: Analysis,
    *,
    anchor: Literal["keep", "replace"] = "keep",
    plan: str = DEFAULT_PLAN,
    profile: Any = None,
    journey_id: str | None = None,
    title: str | None = None,
) -> Draft:
    """Redesign analysed content into a draft journey that passes the design rules without errors.

    Parameters
    ----------
    analysis : Analysis
        From :func:`~workbench.convert.analyse`.
    anchor : {'keep', 'replace'}
        ``keep``: the live session or course stays as a shorter core event (its leftovers
        removed); ``replace``: concept explainers take its place. Sources that were never an
        event (documents) always get explainers.
    plan : str
        Reinforcement plan string (see :func:`workbench.plans.parse_plan`); default
        :data:`DEFAULT_PLAN`.
    profile : str, MemoryProfile or Calibration, optional
        Who the draft is for: plans that schedule from a memory model (``target:R``,
        ``cadence``) use its model; the draft names it (default: the default memory profile,
        see :mod:`workbench.simulate.profiles`).
    journey_id, title : str, optional
        Default: from the first source's title.

    Returns
    -------
    Draft
        The journey (every asset ``draft: true`` with provenance), its proposals and the
        decisions left to the designer.

    Raises
    ------
    SourceError
        If the sources yield no concept to teach.
    """
    from workbench.simulate import resolve_profile

    if anchor not in ("keep", "replace"):
        raise ParameterError(f"anchor: give 'keep' or 'replace' (got {anchor!r})")
    memory_profile = resolve_profile(profile)
    if not analysis.concepts:
        files = ", ".join(o.source for o in analysis.outlines)
        raise SourceError(
            f"{files}: no concept found (no headings, objectives or definitions the converter recognises); "
            "add headings or learning objectives to the source, or compose the journey by hand"
        )
    first = analysis.outlines[0]
    base_title = title or f"{first.title} (redesigned draft)"
    journey = Journey.empty(journey_id or slug(first.title, max_length=60), base_title[:300]).evolve(
        description=(
            "Drafted by workbench convert from "
            + ", ".join(f"{o.source} ({o.format}, {o.source_minutes:g} min)" for o in analysis.outlines)
            + f". Reinforcement scheduled for memory profile {memory_profile.name!r}."
            + " Every asset is a proposal: review each and clear its draft flag."
        )[:5000],
        concepts=tuple(Concept(id=c.id, name=c.name[:200]) for c in analysis.concepts),
    )
    build = _Builder([], [], [], set())
    concepts = {c.id: c for c in analysis.concepts}
    teaching = [s for s in analysis.segments if s.category is not Category.LEFTOVER and s.concepts]
    anchor_kind = next((_ANCHOR_KIND[o.format] for o in analysis.outlines if o.format in _ANCHOR_KIND), None)
    decisions: list[str] = []

    core_id = _core(analysis, build, anchor_kind if anchor == "keep" else None, teaching)
    if core_id is None:
        _explainers(analysis, build, teaching)
        if anchor_kind is not None:
            decisions.append(f"the original {anchor_kind.replace('_', ' ')} was replaced by concept explainers")
    else:
        _primer_and_recap(analysis, build, core_id, anchor_kind)
    _segment_assets(build, teaching, concepts, core_id)

    journey = journey.evolve(activities=tuple(build.activities), edges=tuple(build.edges))
    journey, plan_label = _reinforce(journey, build, plan, memory_profile, concepts)
    decisions.extend(_decisions(analysis, build))
    return Draft(journey, analysis, tuple(build.proposals), tuple(decisions), anchor, plan_label, memory_profile)


def _core(analysis: Analysis, build: _Builder, kind: str | None, teaching: list[Segment]) -> str | None:
    if kind is None:
        return None
    source = next(o for o in analysis.outlines if _ANCHOR_KIND.get(o.format) == kind)
    kept = [s for s in teaching if s.source == source.source and s.category is Category.INSTRUCTION]
    kept_min = sum(s.minutes for s in kept) or source.source_minutes
    speakers = [name for s in analysis.segments if s.source == source.source for name in s.speakers]
    facilitator = (
        f"{max(set(speakers), key=speakers.count)} (presenter in the recording; confirm)"
        if speakers
        else "Facilitator of the original session (confirm)"
    )
    proposal = Proposal(
        build.new_id("core_" + source.title),
        kind,
        f"Core session: {source.title}",
        tuple(c.id for c in analysis.concepts),
        f"the {kind.replace('_', ' ')} kept as the anchor, cut to its instruction "
        f"({kept_min:.0f} of {source.source_minutes:.0f} min)",
        (f"{source.source}, instruction segments", *_where(kept)[:20]),
        tuple(s.id for s in kept),
        removable=False,
    )
    fields: dict[str, Any] = {"schedule": 0, "duration_min": float(max(15.0, round(kept_min)))}
    if kind in _LIVE_KINDS:
        fields["facilitator"] = facilitator
    build.add(proposal, **fields)
    return proposal.activity_id


def _explainers(analysis: Analysis, build: _Builder, teaching: list[Segment]) -> None:
    # released together on day 0 and taken in order, so the plan bundles their quizzes
    for position, concept in enumerate(analysis.concepts):
        segments = [s for s in teaching if concept.id in s.concepts]
        proposal = Proposal(
            build.new_id(f"explainer_{concept.id}"),
            "concept_explainer_video",
            f"Explainer: {concept.name}",
            (concept.id,),
            "one explainer per concept replaces the formal event (first teaching)",
            _where(segments) or (str(concept.evidence[0].provenance),),
            tuple(s.id for s in segments),
            removable=False,
        )
        build.add(proposal, layer="during", schedule=0.0)
        if position:
            build.edges.append(Edge(source=build.activities[-2].id, target=proposal.activity_id, kind=EdgeKind.THEN))


def _primer_and_recap(analysis: Analysis, build: _Builder, core_id: str, kind: str | None) -> None:
    top = sorted(analysis.concepts, key=lambda c: -c.score)[:3]
    if kind in _LIVE_KINDS:
        objectives = tuple(str(o.provenance) for o in analysis.objectives) or tuple(
            str(c.evidence[0].provenance) for c in top
        )
        primer = Proposal(
            build.new_id("primer"),
            "pre_session_primer",
            f"Before the session: {_names(top)}",
            tuple(c.id for c in top),
            "a primer frees the live session for practice (the session's objectives, sent ahead)",
            tuple(dict.fromkeys(objectives)),
        )
        build.add(primer, schedule=-3.0)
        build.edges.append(Edge(source=primer.activity_id, target=core_id, kind=EdgeKind.PREPARES))
    recap = Proposal(
        build.new_id("recap"),
        "post_session_recap",
        f"Recap: {_names(analysis.concepts)}",
        tuple(c.id for c in analysis.concepts),
        "a one-page recap the day after the event",
        (f"{core_id}: the concepts it teaches",),
    )
    build.add(recap, schedule={"after": core_id, "gap_days": 1.0})
    build.edges.append(Edge(source=core_id, target=recap.activity_id, kind=EdgeKind.THEN))


_SEGMENT_ASSET = {
    Category.DECISION: (
        "scenario_practice",
        "Scenario: {title}",
        "a decision or case from the source becomes scenario practice",
    ),
    Category.REFERENCE: (
        "job_aid",
        "Quick reference: {title}",
        "reference material becomes a job aid in the flow of work",
    ),
    Category.PROCEDURE: (
        "job_aid",
        "Checklist: {title}",
        "a procedure becomes a step-by-step checklist used on the job",
    ),
}


def _segment_assets(
    build: _Builder, teaching: list[Segment], concepts: dict[str, ConceptCandidate], core_id: str | None
) -> None:
    made: dict[tuple[Category, str], int] = {}
    anchor_id = core_id or next(a.id for a in build.activities)
    scenario_number = 0
    for segment in teaching:
        if segment.category not in _SEGMENT_ASSET:
            continue
        key = (segment.category, segment.concepts[0])
        if key in made:  # same purpose, same concept: merge into the asset already proposed
            index = made[key]
            old = build.proposals[index]
            build.proposals[index] = replace(
                old,
                provenance=(*old.provenance, segment.where),
                segments=(*old.segments, segment.id),
            )
            merged = build.activities[index]
            build.activities[index] = Activity.model_validate(
                {**merged.model_dump(mode="json"), "provenance": [*merged.provenance, segment.where][:50]}
            )
            continue
        kind, pattern, reason = _SEGMENT_ASSET[segment.category]
        title = pattern.format(title=segment.title.split(": ", 1)[-1])
        if segment.format == "transcript" and kind == "scenario_practice":
            title = f"Scenario discussion: {segment.title}"
        proposal = Proposal(
            build.new_id(title),
            kind,
            title,
            segment.concepts[:3],
            reason,
            (segment.where,),
            (segment.id,),
        )
        if kind == "scenario_practice":
            scenario_number += 1
            build.add(proposal, schedule={"after": anchor_id, "gap_days": float(7 + 7 * scenario_number)})
            build.edges.append(Edge(source=proposal.activity_id, target=anchor_id, kind=EdgeKind.REINFORCES))
        else:
            build.add(proposal, schedule="on_demand")
            build.edges.append(Edge(source=proposal.activity_id, target=anchor_id, kind=EdgeKind.SUPPORTS))
        made[key] = len(build.proposals) - 1


def _reinforce(
    journey: Journey, build: _Builder, plan: str, profile: MemoryProfile, concepts: dict[str, ConceptCandidate]
) -> tuple[Journey, str]:
    from workbench.plans import parse_plan

    reinforcement = parse_plan(plan)
    planned = reinforcement.apply(journey, profile=profile)
    before = {a.id for a in journey.activities}
    added = [a for a in planned.activities if a.id not in before]
    label = reinforcement.label
    provenance = (f"reinforcement plan {label!r}", f"scheduled for memory profile {profile.name!r}")
    updated = planned
    for activity in added:
        items: list[RetrievalItem] = []
        for concept_id in activity.concept_ids:
            item = _draft_item(concepts[concept_id], list(concepts.values()), len(items) + 1)
            if item is not None:
                items.append(item)
        missing = [concepts[c].name for c in activity.concept_ids if c not in {i.concept for i in items}]
        note = "Draft items come from the source's definitions; check each before delivery."
        if missing:
            note += f" Write items for: {', '.join(missing)} (the source defines no distractor or no definition)."
        proposal = Proposal(
            activity.id,
            activity.kind,
            activity.title,
            activity.concept_ids,
            f"spaced retrieval after the event (reinforcement plan {label!r})",
            provenance,
        )
        build.proposals.append(proposal)
        updated = updated.update_activity(
            activity.id,
            draft=True,
            provenance=provenance,
            description=note[:5000],
            items=tuple(items),
        )
    return updated, label


def _decisions(analysis: Analysis, build: _Builder) -> list[str]:
    decisions = []
    covered = {cid for s in analysis.segments for cid in s.concepts}
    orphan = [s for s in analysis.segments if s.category is not Category.LEFTOVER and not s.concepts]
    if orphan:
        decisions.append(
            f"{len(orphan)} segment(s) teach something no proposed concept names ("
            + "; ".join(f"{s.title} [{s.where}]" for s in orphan[:5])
            + (" ..." if len(orphan) > 5 else "")
            + "): add a concept or leave them out"
        )
    weak = [c for c in analysis.concepts if len({e.kind for e in c.evidence}) == 1 or c.id not in covered]
    if weak:
        decisions.append("check concept(s) with thin evidence: " + ", ".join(f"{c.name} ({c.score:g})" for c in weak))
    no_definition = [c.name for c in analysis.concepts if not c.definition]
    if no_definition:
        decisions.append(
            "write quiz questions for " + ", ".join(no_definition) + " (no definition found in the source)"
        )
    notes = sum(len(s.dropped_notes) for s in analysis.segments)
    if notes:
        decisions.append(f"{notes} facilitator note(s) were dropped; check none of them held content")
    for outline in analysis.outlines:
        decisions.extend(f"{outline.source}: {note}" for note in outline.notes)
    decisions.append("review every asset (title, duration, channel, schedule), then clear its draft flag (rule WB025)")
    return decisions
