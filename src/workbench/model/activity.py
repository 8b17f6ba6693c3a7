"""Concepts, activities and their schedules: the pieces a journey is made of."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any, Literal, Self

from pydantic import Field, model_validator

from workbench._values import Id, StrictBool, StrictFloat, Value
from workbench.vocabulary import Channel, Layer, MemoryEffect, Purpose

if TYPE_CHECKING:
    from workbench.catalog import Catalog

__all__ = ["Activity", "Choice", "Concept", "Coverage", "RetrievalItem", "Schedule", "fill_from_kind"]

#: Journeys are planned over days; ten years is far beyond any real journey.
MAX_DAY = 3650.0
#: SCORM 2004 keeps at most 10 correct-response patterns for a choice interaction and 5 for a
#: fill-in one (RTE 4th ed., cmi.interactions.n.correct_responses); items stay within them.
MAX_CHOICES = 10
MAX_ACCEPTED = 5


class Concept(Value):
    """Something the journey teaches and learners should remember.

    Parameters
    ----------
    id : str
        Stable id (letters, digits, ``_ - .``).
    name : str
        Name shown to designers.
    importance : float
        Weight of this concept in journey-level metrics (> 0; 1 by default).
    difficulty : float, optional
        Intrinsic difficulty on the FSRS scale, 1 (easy) to 10 (hard); the memory model's
        default when omitted.

    Examples
    --------
    >>> Concept(id="gdpr-basics", name="GDPR basics").importance
    1.0
    """

    id: Id
    name: Annotated[str, Field(min_length=1, max_length=200)]
    importance: Annotated[StrictFloat, Field(gt=0, le=100)] = 1.0
    difficulty: Annotated[StrictFloat, Field(ge=1, le=10)] | None = None


class Coverage(Value):
    """That an activity covers a concept, and with which memory effect.

    In spec files ``effect`` may be omitted; the journey fills it from the activity's kind.
    """

    concept: Id
    effect: MemoryEffect | None = None


class Schedule(Value):
    """When an activity happens, in days from the journey start (day 0).

    Exactly one of: ``day`` (absolute offset), ``after`` (another activity's id, plus
    ``gap_days``), or ``on_demand: true`` (available whenever learners need it, e.g. a job aid).

    Examples
    --------
    >>> Schedule(day=0).mode
    'absolute'
    >>> Schedule(after="workshop", gap_days=7).mode
    'relative'
    """

    day: Annotated[StrictFloat, Field(ge=-365, le=MAX_DAY)] | None = None
    after: Id | None = None
    gap_days: Annotated[StrictFloat, Field(ge=0, le=MAX_DAY)] = 0.0
    on_demand: StrictBool = False

    @model_validator(mode="after")
    def _one_mode(self) -> Self:
        modes = [self.day is not None, self.after is not None, self.on_demand]
        if sum(modes) != 1:
            raise ValueError(
                "schedule: give exactly one of 'day' (days from the start), 'after' (an activity "
                "id, with gap_days) or 'on_demand: true'"
            )
        if self.gap_days and self.after is None:
            raise ValueError("schedule.gap_days: only meaningful with 'after'; remove it or add 'after'")
        return self

    @property
    def mode(self) -> str:
        """``'absolute'``, ``'relative'`` or ``'on_demand'``."""
        if self.on_demand:
            return "on_demand"
        return "absolute" if self.day is not None else "relative"


ItemType = Literal["single_choice", "multiple_choice", "free_text"]


class Choice(Value):
    """One answer option of a choice item.

    Parameters
    ----------
    text : str
        What learners read (plain text, never markup).
    correct : bool
        Whether choosing it is right.
    feedback : str
        Shown after a learner picked this choice (why it is right or wrong).

    Examples
    --------
    >>> Choice(text="Situation, Behaviour, Impact", correct=True).correct
    True
    """

    text: Annotated[str, Field(min_length=1, max_length=500)]
    correct: StrictBool = False
    feedback: Annotated[str, Field(max_length=1000)] = ""


class RetrievalItem(Value):
    """One retrieval question of a quiz, scenario or decision prompt, about one concept.

    Parameters
    ----------
    id : str
        Stable id, unique within the activity (the SCORM interaction id and the xAPI question id).
    concept : str
        The concept the item checks; one the activity covers.
    stem : str
        The question (plain text).
    type : {"single_choice", "multiple_choice", "free_text"}
        Single choice: at least two choices, exactly one correct. Multiple choice: at least two
        choices, at least one correct. Free text: a short answer compared with ``accepted``
        (case, surrounding and repeated spaces ignored).
    choices : tuple of Choice
        The options of a choice item, in the order shown (at most 10).
    accepted : tuple of str
        Accepted answers of a free-text item (one to five).
    feedback : str
        Shown after answering, whatever the answer (the explanation).

    Examples
    --------
    >>> item = RetrievalItem(id="q1", concept="sbi", stem="What does the I in SBI stand for?",
    ...                      type="free_text", accepted=("Impact",))
    >>> item.accepts("  impact "), item.accepts("Intent")
    (True, False)
    """

    id: Id
    concept: Id
    stem: Annotated[str, Field(min_length=1, max_length=2000)]
    type: ItemType = "single_choice"
    choices: Annotated[tuple[Choice, ...], Field(max_length=MAX_CHOICES)] = ()
    accepted: Annotated[
        tuple[Annotated[str, Field(min_length=1, max_length=250)], ...], Field(max_length=MAX_ACCEPTED)
    ] = ()
    feedback: Annotated[str, Field(max_length=1000)] = ""

    @model_validator(mode="after")
    def _answerable(self) -> Self:
        problems = []
        if self.type == "free_text":
            if self.choices:
                problems.append("choices: a free_text item has no choices; remove them or use a choice type")
            if not any(a.strip() for a in self.accepted):
                problems.append("accepted: a free_text item needs at least one accepted answer; add one")
        else:
            if self.accepted:
                problems.append(
                    f"accepted: only free_text items have accepted answers; remove it from this {self.type} item"
                )
            if len(self.choices) < 2:
                problems.append(f"choices: a {self.type} item needs at least two choices (got {len(self.choices)})")
            right = sum(c.correct for c in self.choices)
            if self.type == "single_choice" and right != 1:
                problems.append(
                    f"choices: a single_choice item needs exactly one correct choice (got {right}); mark one "
                    "'correct: true', or use type multiple_choice"
                )
            if self.type == "multiple_choice" and right < 1:
                problems.append("choices: a multiple_choice item needs at least one correct choice")
            texts = [c.text.strip().casefold() for c in self.choices]
            if len(set(texts)) != len(texts):
                problems.append("choices: two choices have the same text; make each one distinct")
        if problems:
            raise ValueError("\n".join(problems))
        return self

    @property
    def correct_indices(self) -> tuple[int, ...]:
        """Positions of the correct choices (empty for free text)."""
        return tuple(i for i, c in enumerate(self.choices) if c.correct)

    def accepts(self, answer: str) -> bool:
        """Whether a free-text answer matches an accepted one (case and spacing ignored)."""
        return _normalise_answer(answer) in {_normalise_answer(a) for a in self.accepted}


def _normalise_answer(text: str) -> str:
    # the same normalisation as the launch pages' script (casefold ~ toLocaleLowerCase)
    return " ".join(text.split()).casefold()


class Activity(Value):
    """One piece of a journey: a formal event or a micro asset.

    Build one from a catalog kind with :meth:`of_kind`, which fills the kind's defaults.

    Parameters
    ----------
    id, title : str
        Stable id and the title learners see.
    kind : str
        Id of an :class:`~workbench.catalog.ActivityKind` in the catalog.
    layer : Layer
        before, during, after, work or change.
    channel : Channel
        Where it is delivered.
    duration_min : float
        Learner minutes (> 0).
    purpose : Purpose or None
        What it is for; filled from the kind when the key is absent. ``None`` (written
        ``purpose: null``) is allowed so that the design rules can flag it.
    covers : tuple of Coverage
        Concepts it covers, each with a memory effect.
    schedule : Schedule
        When it happens.
    required : bool
        Whether learners must do it (optional assets are done less often).
    facilitator : str, optional
        Who runs it (social and manager pieces need one).
    url : str, optional
        Where it is delivered, when known (an IRI or URL).
    mastery_score : float, optional
        Score in [0, 1] needed to pass, for assessed assets (exported to cmi5).
    items : tuple of RetrievalItem
        Questions of a retrieval activity (quiz, scenario, decision prompt); each checks a
        concept the activity covers. Exported SCORM and cmi5 pages run them.
    description : str
        Free text for designers and delivery teams.
    draft : bool
        Proposed by a tool (the legacy-content converter) and not yet reviewed by a designer;
        the design rules report it until a designer clears the flag.
    provenance : tuple of str
        Where the asset's content came from, e.g. ``"deck.pptx, slide 12"``.
    """

    id: Id
    title: Annotated[str, Field(min_length=1, max_length=300)]
    kind: Id
    layer: Layer
    channel: Channel
    duration_min: Annotated[StrictFloat, Field(gt=0, le=2400)]
    purpose: Purpose | None
    covers: tuple[Coverage, ...] = ()
    schedule: Schedule
    required: StrictBool = True
    facilitator: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    url: Annotated[str, Field(min_length=1, max_length=2000)] | None = None
    mastery_score: Annotated[StrictFloat, Field(ge=0, le=1)] | None = None
    description: Annotated[str, Field(max_length=5000)] = ""
    items: Annotated[
        tuple[RetrievalItem, ...],
        Field(
            description="Retrieval questions of a quiz, scenario or decision prompt (optional; spec v1 "
            "files written before items existed load unchanged)."
        ),
    ] = ()
    draft: StrictBool = False
    provenance: tuple[Annotated[str, Field(min_length=1, max_length=500)], ...] = ()

    @model_validator(mode="after")
    def _coverage_complete(self) -> Self:
        problems = []
        seen: set[str] = set()
        for index, coverage in enumerate(self.covers):
            if coverage.effect is None:
                problems.append(
                    f"covers[{index}].effect: missing; give an effect or build the activity "
                    "with Activity.of_kind / inside a journey, which fills it from the kind"
                )
            if coverage.concept in seen:
                problems.append(f"covers[{index}]: concept {coverage.concept!r} listed twice; list it once")
            seen.add(coverage.concept)
        if self.items and all(c.effect is not None for c in self.covers):
            problems += self._item_problems(seen)
        if problems:
            raise ValueError("\n".join(problems))
        return self

    def _item_problems(self, covered: set[str]) -> list[str]:
        problems = []
        if not any(c.effect is MemoryEffect.RETRIEVE for c in self.covers):
            problems.append(
                "items: only retrieval activities (a 'retrieve' effect on a concept they cover) carry "
                "items; remove them or use a quiz, scenario or decision kind"
            )
        ids: set[str] = set()
        for index, item in enumerate(self.items):
            if item.concept not in covered:
                known = ", ".join(sorted(covered)) or "none"
                problems.append(
                    f"items[{index}].concept: {item.concept!r} is not a concept this activity covers "
                    f"(covers: {known}); add it to covers or pick a covered one"
                )
            if item.id in ids:
                problems.append(f"items[{index}].id: {item.id!r} is used twice in this activity; ids must differ")
            ids.add(item.id)
        return problems

    @property
    def concept_ids(self) -> tuple[str, ...]:
        """Ids of the concepts this activity covers, in order."""
        return tuple(c.concept for c in self.covers)

    def effect_on(self, concept_id: str) -> MemoryEffect | None:
        """Return the memory effect of this activity on ``concept_id``, or None if not covered."""
        for coverage in self.covers:
            if coverage.concept == concept_id:
                return coverage.effect
        return None

    @classmethod
    def of_kind(cls, kind: str, *, catalog: Catalog | None = None, **fields: Any) -> Activity:
        """Build an activity of a catalog kind; fields not given come from the kind.

        ``covers`` may be a list of concept ids (effects from the kind) or a mapping of concept
        id to effect; ``schedule`` may be a number (absolute day), a mapping, or a Schedule.

        Examples
        --------
        >>> quiz = Activity.of_kind("spaced_recall_quiz", id="quiz-1", title="Recall quiz",
        ...                         covers=["c1"], schedule=7)
        >>> quiz.duration_min, quiz.channel.value, quiz.effect_on("c1").value
        (3.0, 'mobile', 'retrieve')
        """
        from workbench.catalog import default_catalog

        data = fill_from_kind({"kind": kind, **fields}, catalog or default_catalog())
        return cls.model_validate(data)


def _coverage_entries(covers: Any, default_effect: str | None) -> Any:
    """Normalise the shorthands for ``covers`` to a list of coverage mappings."""
    if isinstance(covers, Mapping):
        return [{"concept": k, "effect": v if v is not None else default_effect} for k, v in covers.items()]
    if isinstance(covers, list | tuple):
        out = []
        for entry in covers:
            if isinstance(entry, str):
                out.append({"concept": entry, "effect": default_effect})
            elif isinstance(entry, Mapping) and entry.get("effect") is None and "concept" in entry:
                out.append({**entry, "effect": default_effect})
            elif isinstance(entry, Coverage) and entry.effect is None:
                out.append({"concept": entry.concept, "effect": default_effect})
            else:
                out.append(entry)
        return out
    return covers


def _schedule_entry(schedule: Any) -> Any:
    if isinstance(schedule, bool):
        return schedule  # left for validation to reject
    if isinstance(schedule, int | float):
        return {"day": float(schedule)}
    if schedule == "on_demand":
        return {"on_demand": True}
    return schedule


def fill_from_kind(data: Any, catalog: Catalog) -> Any:
    """Fill an activity mapping's missing fields from its kind in ``catalog``.

    Unknown kinds and non-mappings are returned unchanged: validation reports them.
    """
    if isinstance(data, Activity) or not isinstance(data, Mapping):
        return data
    kind_id = data.get("kind")
    kind = catalog.get(kind_id) if isinstance(kind_id, str) else None
    out = dict(data)
    if kind is not None:
        out.setdefault("layer", kind.layer.value)
        out.setdefault("channel", kind.default_channel.value)
        out.setdefault("duration_min", kind.duration_min)
        out.setdefault("purpose", kind.purpose.value)
    default_effect = kind.memory_effect.value if kind is not None else None
    if "covers" in out:
        out["covers"] = _coverage_entries(out["covers"], default_effect)
    if "schedule" in out:
        out["schedule"] = _schedule_entry(out["schedule"])
    return out
