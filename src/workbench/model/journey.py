"""The journey: concepts, activities and typed edges, validated as a whole."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Annotated, Any, Self

from pydantic import Field, PrivateAttr, model_validator

from workbench._values import Id, Value
from workbench.catalog import ActivityKind, Catalog, default_catalog
from workbench.errors import CatalogError, JourneyError
from workbench.model._references import outline_from_data, outline_of, reference_problems
from workbench.model.activity import MAX_DAY, Activity, Concept, fill_from_kind
from workbench.model.summary import ConceptCoverage, JourneySummary, LayerLoad
from workbench.vocabulary import EdgeKind, Layer

__all__ = ["Edge", "Journey"]


class Edge(Value):
    """A typed relation from one activity to another.

    Examples
    --------
    >>> Edge(source="primer", target="workshop", kind="prepares").kind.value
    'prepares'
    """

    source: Id
    target: Id
    kind: EdgeKind = EdgeKind.THEN


def _catalog_for(kinds: Any) -> Catalog | None:
    """Default catalog plus a journey's own kinds; None when those kinds are malformed."""
    if not kinds:
        return default_catalog()
    try:
        return default_catalog().with_kinds(kinds)
    except (JourneyError, CatalogError, TypeError):
        return None


class Journey(Value):
    """A blended learning journey: concepts, activities and typed edges.

    A journey is a frozen value: every edit returns a new journey, validated again. All
    invariants (unique ids, references that resolve, acyclic sequences and schedules) are
    checked together and reported in one :class:`~workbench.errors.JourneyError`. Design
    quality is for :func:`workbench.rules.lint`, not for exceptions.

    Examples
    --------
    >>> from workbench.model import Journey, Concept, Activity
    >>> j = (Journey.empty("onboarding", "Onboarding")
    ...      .add_concept(Concept(id="values", name="Company values"))
    ...      .add_activity(Activity.of_kind("elearning_module", id="intro", title="Welcome",
    ...                                     covers=["values"], schedule=0))
    ...      .add_activity(Activity.of_kind("spaced_recall_quiz", id="quiz", title="Recall",
    ...                                     covers=["values"], schedule={"after": "intro", "gap_days": 3}))
    ...      .connect("quiz", "intro", "reinforces"))
    >>> j.day_of("quiz")
    3.0
    """

    id: Id
    title: Annotated[str, Field(min_length=1, max_length=300)]
    version: Annotated[str, Field(min_length=1, max_length=40)] = "1.0"
    audience: Annotated[str, Field(max_length=300)] = ""
    description: Annotated[str, Field(max_length=5000)] = ""
    language: Annotated[str, Field(pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")] = "en"
    concepts: tuple[Concept, ...] = ()
    activities: tuple[Activity, ...] = ()
    edges: tuple[Edge, ...] = ()
    kinds: tuple[ActivityKind, ...] = ()

    _days: Mapping[str, float | None] = PrivateAttr(default_factory=dict)
    _catalog: Catalog = PrivateAttr(default_factory=default_catalog)

    # ---- validation -------------------------------------------------------------------

    @model_validator(mode="before")
    @classmethod
    def _fill_activities_from_kinds(cls, data: Any) -> Any:
        if not isinstance(data, Mapping):
            return data
        activities = data.get("activities")
        catalog = _catalog_for(data.get("kinds"))
        if catalog is None or not isinstance(activities, list | tuple):
            return data
        # An unknown kind leaves the activity without its defaults, and the resulting
        # "layer is required" noise would hide the one real problem: report it first.
        unknown = [
            f"activities[{index}] ({a.get('id')!r}).kind: {catalog.unknown_kind_message(a['kind'])}"
            for index, a in enumerate(activities)
            if isinstance(a, Mapping) and isinstance(a.get("kind"), str) and a["kind"] not in catalog
        ]
        if unknown:
            raise ValueError("\n".join(unknown))
        return {**data, "activities": [fill_from_kind(a, catalog) for a in activities]}

    @model_validator(mode="after")
    def _check_invariants(self) -> Self:
        problems: list[str] = []
        catalog = self._check_kinds(problems)
        for index, activity in enumerate(self.activities):
            if activity.kind not in catalog:
                where = f"activities[{index}] ({activity.id!r})"
                problems.append(f"{where}.kind: {catalog.unknown_kind_message(activity.kind)}")
        references = reference_problems(outline_of(self))
        problems += references
        days = {} if references else self._resolve_schedule(problems)
        if problems:
            raise ValueError("\n".join(problems))
        self._days = MappingProxyType(days)
        self._catalog = catalog
        return self

    @classmethod
    def _problems_beyond_fields(cls, data: Any) -> list[str]:
        """Broken references in raw data whose fields failed validation (reported together)."""
        outline = outline_from_data(data)
        return reference_problems(outline) if outline is not None else []

    def _check_kinds(self, problems: list[str]) -> Catalog:
        builtin = default_catalog()
        for index, kind in enumerate(self.kinds):
            if kind.id in builtin:
                problems.append(f"kinds[{index}].id: {kind.id!r} is a built-in kind; give your kind another id")
        seen: set[str] = set()
        own = []
        for index, kind in enumerate(self.kinds):
            if kind.id in seen:
                problems.append(f"kinds[{index}].id: kind {kind.id!r} is defined twice; keep one")
            elif kind.id not in builtin:
                own.append(kind)
            seen.add(kind.id)
        return builtin.with_kinds(own)

    def _resolve_schedule(self, problems: list[str]) -> dict[str, float | None]:
        """Each activity's day; call only when every reference resolves and nothing cycles."""
        by_id = {a.id: a for a in self.activities}
        days: dict[str, float | None] = {}

        def day_of(activity_id: str) -> float | None:
            if activity_id in days:
                return days[activity_id]
            schedule = by_id[activity_id].schedule
            if schedule.on_demand:
                result = None
            elif schedule.day is not None:
                result = float(schedule.day)
            else:
                assert schedule.after is not None
                base = day_of(schedule.after)
                result = None if base is None else base + schedule.gap_days
            days[activity_id] = result
            return result

        for activity in self.activities:
            resolved = day_of(activity.id)
            if resolved is not None and resolved > MAX_DAY:
                problems.append(
                    f"activity {activity.id!r}: resolves to day {resolved:g}, beyond day {MAX_DAY:g}; shorten the gaps"
                )
        return days

    # ---- derived views ----------------------------------------------------------------

    @property
    def catalog(self) -> Catalog:
        """The catalog this journey's kinds come from (built-in plus its own ``kinds``)."""
        return self._catalog

    @property
    def days(self) -> Mapping[str, float | None]:
        """Resolved schedule: each activity's day from the start, None when on demand."""
        return self._days

    def day_of(self, activity_id: str) -> float | None:
        """Return the resolved day of one activity (None when on demand)."""
        self.activity(activity_id)
        return self._days[activity_id]

    def activity(self, activity_id: str) -> Activity:
        """Return the activity with this id; a clear error naming the known ids otherwise."""
        for activity in self.activities:
            if activity.id == activity_id:
                return activity
        known = ", ".join(a.id for a in self.activities) or "none"
        raise JourneyError(f"no activity {activity_id!r} in journey {self.id!r} (activities: {known})")

    def concept(self, concept_id: str) -> Concept:
        """Return the concept with this id; a clear error naming the known ids otherwise."""
        for concept in self.concepts:
            if concept.id == concept_id:
                return concept
        known = ", ".join(c.id for c in self.concepts) or "none"
        raise JourneyError(f"no concept {concept_id!r} in journey {self.id!r} (concepts: {known})")

    def kind_of(self, activity: Activity | str) -> ActivityKind:
        """Return the catalog kind of an activity (given or by id)."""
        act = self.activity(activity) if isinstance(activity, str) else activity
        return self._catalog[act.kind]

    def is_formal(self, activity: Activity | str) -> bool:
        """Whether an activity is a formal event (ILT, VILT, eLearning, coaching)."""
        return self.kind_of(activity).is_formal

    def timeline(self) -> list[Activity]:
        """Dated activities sorted by day (then by position); on-demand ones last."""
        order = {a.id: i for i, a in enumerate(self.activities)}

        def key(a: Activity) -> tuple[int, float, int]:
            day = self._days.get(a.id)
            return (1, 0.0, order[a.id]) if day is None else (0, day, order[a.id])

        return sorted(self.activities, key=key)

    @property
    def learner_minutes(self) -> float:
        """Minutes a learner spends doing every required activity."""
        return float(sum(a.duration_min for a in self.activities if a.required))

    def to_frame(self) -> Any:
        """One row per activity, in timeline order, for notebooks."""
        import pandas as pd

        rows = [
            {
                "id": a.id,
                "title": a.title,
                "kind": a.kind,
                "layer": a.layer.value,
                "channel": a.channel.value,
                "day": self._days.get(a.id),
                "duration_min": a.duration_min,
                "purpose": a.purpose.value if a.purpose else None,
                "concepts": ", ".join(a.concept_ids),
                "required": a.required,
            }
            for a in self.timeline()
        ]
        columns = [
            "id",
            "title",
            "kind",
            "layer",
            "channel",
            "day",
            "duration_min",
            "purpose",
            "concepts",
            "required",
        ]
        return pd.DataFrame(rows, columns=columns).set_index("id")

    def summary(self) -> JourneySummary:
        """Activities and minutes per layer, coverage of concepts, and totals (a frozen value).

        Examples
        --------
        >>> from workbench.templates import load_template
        >>> summary = load_template("post_training_retention").summary()
        >>> summary.activities, summary.formal, summary.micro
        (10, 1, 9)
        """
        layers = {
            layer.value: LayerLoad(
                activities=sum(1 for a in self.activities if a.layer is layer),
                minutes=float(sum(a.duration_min for a in self.activities if a.layer is layer)),
            )
            for layer in Layer
        }
        coverage = {
            c.id: ConceptCoverage(
                name=c.name,
                activities=sum(1 for a in self.activities if c.id in a.concept_ids),
                effects=tuple(sorted({str(a.effect_on(c.id)) for a in self.activities if c.id in a.concept_ids})),
            )
            for c in self.concepts
        }
        dated = [d for d in self._days.values() if d is not None]
        return JourneySummary(
            id=self.id,
            title=self.title,
            version=self.version,
            activities=len(self.activities),
            formal=sum(1 for a in self.activities if self.is_formal(a)),
            micro=sum(1 for a in self.activities if not self.is_formal(a)),
            concepts=len(self.concepts),
            learner_minutes=self.learner_minutes,
            span_days=(max(dated) - min(dated)) if dated else 0.0,
            layers=layers,
            coverage=coverage,
        )

    # ---- edits: each returns a new, re-validated journey -------------------------------

    @classmethod
    def empty(cls, id: str, title: str, **fields: Any) -> Journey:
        """Return a journey with no concepts or activities yet."""
        return cls(id=id, title=title, **fields)

    def evolve(self, **changes: Any) -> Journey:
        """Return a new journey with some fields changed, validated again (never skips validation)."""
        data = {name: getattr(self, name) for name in type(self).model_fields}
        data.update(changes)
        return type(self).model_validate(data)

    def formal_core(self) -> Journey:
        """Return the journey without its own reinforcement: what a reinforcement plan is compared against.

        Keeps the formal events and what prepares or announces them (``before`` and ``change``
        layers); drops the micro assets of the ``after`` and ``work`` layers and the edges that
        touch them. Concepts stay, so the findings show what the core alone leaves uncovered.

        Examples
        --------
        >>> from workbench.templates import load_template
        >>> core = load_template("post_training_retention").formal_core()
        >>> [a.id for a in core.activities]
        ['primer', 'workshop']
        """
        dropped = {a.id for a in self.activities if not self.is_formal(a) and a.layer in (Layer.AFTER, Layer.WORK)}
        stranded = [a.id for a in self.activities if a.id not in dropped and a.schedule.after in dropped]
        if stranded:
            raise JourneyError(
                f"cannot take the formal core of {self.id!r}: {', '.join(stranded)} are scheduled after "
                "reinforcement assets; give them their own schedule first"
            )
        return self.evolve(
            activities=tuple(a for a in self.activities if a.id not in dropped),
            edges=tuple(e for e in self.edges if e.source not in dropped and e.target not in dropped),
        )

    def add_kinds(self, kinds: Iterable[ActivityKind | Mapping[str, Any]]) -> Journey:
        """Add activity kinds of your own (e.g. ``load_catalog("kinds.yaml").custom_kinds``).

        The kinds travel with the journey in its spec file, so it loads anywhere.
        """
        return self.evolve(kinds=(*self.kinds, *kinds))

    def add_concept(self, concept: Concept | Mapping[str, Any]) -> Journey:
        """Add a concept."""
        return self.evolve(concepts=(*self.concepts, concept))

    def replace_concept(self, concept: Concept) -> Journey:
        """Replace the concept with the same id."""
        self.concept(concept.id)
        return self.evolve(concepts=tuple(concept if c.id == concept.id else c for c in self.concepts))

    def remove_concept(self, concept_id: str) -> Journey:
        """Remove a concept; activities that cover it must be changed first."""
        self.concept(concept_id)
        users = [a.id for a in self.activities if concept_id in a.concept_ids]
        if users:
            raise JourneyError(
                f"concept {concept_id!r} is covered by {', '.join(users)}; remove it from their 'covers' first"
            )
        return self.evolve(concepts=tuple(c for c in self.concepts if c.id != concept_id))

    def rename_concept(self, old_id: str, new_id: str) -> Journey:
        """Give concept ``old_id`` the id ``new_id``, in the concepts and in every activity's covers and items.

        Examples
        --------
        >>> from workbench.templates import load_template
        >>> j = load_template("post_training_retention").rename_concept("sbi_model", "sbi")
        >>> "sbi" in j.activity("workshop").concept_ids
        True
        """
        concept = self.concept(old_id)
        if new_id == old_id:
            return self
        activities: list[Activity | dict[str, Any]] = []
        for activity in self.activities:
            if old_id in activity.concept_ids:
                data = activity.model_dump()
                data["covers"] = [{**c, "concept": new_id} if c["concept"] == old_id else c for c in data["covers"]]
                data["items"] = [{**i, "concept": new_id} if i["concept"] == old_id else i for i in data["items"]]
                activities.append(data)
            else:
                activities.append(activity)
        renamed = {**concept.model_dump(), "id": new_id}
        return self.evolve(
            concepts=tuple(renamed if c.id == old_id else c for c in self.concepts), activities=tuple(activities)
        )

    def add_activity(self, activity: Activity | Mapping[str, Any]) -> Journey:
        """Add an activity (an Activity, or a mapping whose missing fields come from its kind)."""
        return self.evolve(activities=(*self.activities, activity))

    def replace_activity(self, activity: Activity | Mapping[str, Any]) -> Journey:
        """Replace the activity with the same id, keeping its position."""
        new_id = activity.id if isinstance(activity, Activity) else activity.get("id")
        self.activity(str(new_id))
        return self.evolve(activities=tuple(activity if a.id == new_id else a for a in self.activities))

    def update_activity(self, activity_id: str, **changes: Any) -> Journey:
        """Change some fields of one activity (validated again as part of the journey)."""
        current = self.activity(activity_id).model_dump(exclude_none=True)
        current.update(changes)
        return self.evolve(activities=tuple(current if a.id == activity_id else a for a in self.activities))

    def rename_activity(self, old_id: str, new_id: str) -> Journey:
        """Give activity ``old_id`` the id ``new_id``, in the activities, schedules and edges.

        Examples
        --------
        >>> from workbench.templates import load_template
        >>> j = load_template("post_training_retention").rename_activity("workshop", "ilt")
        >>> j.activity("recap").schedule.after
        'ilt'
        """
        self.activity(old_id)
        if new_id == old_id:
            return self
        activities: list[Activity | dict[str, Any]] = []
        for current in self.activities:
            if current.id == old_id or current.schedule.after == old_id:
                data = current.model_dump()
                if current.id == old_id:
                    data["id"] = new_id
                if current.schedule.after == old_id:
                    data["schedule"] = {**data["schedule"], "after": new_id}
                activities.append(data)
            else:
                activities.append(current)
        edges = tuple(
            {
                "source": new_id if e.source == old_id else e.source,
                "target": new_id if e.target == old_id else e.target,
                "kind": e.kind.value,
            }
            for e in self.edges
        )
        return self.evolve(activities=tuple(activities), edges=edges)

    def remove_activity(self, activity_id: str) -> Journey:
        """Remove an activity and the edges that touch it.

        Activities scheduled after it must be rescheduled first.
        """
        self.activity(activity_id)
        dependants = [a.id for a in self.activities if a.schedule.after == activity_id]
        if dependants:
            raise JourneyError(
                f"cannot remove {activity_id!r}: {', '.join(dependants)} are scheduled after it; "
                "give them another schedule first"
            )
        return self.evolve(
            activities=tuple(a for a in self.activities if a.id != activity_id),
            edges=tuple(e for e in self.edges if activity_id not in (e.source, e.target)),
        )

    def connect(self, source: str, target: str, kind: EdgeKind | str = EdgeKind.THEN) -> Journey:
        """Add a typed edge from ``source`` to ``target``."""
        return self.evolve(edges=(*self.edges, Edge(source=source, target=target, kind=EdgeKind(kind))))

    def disconnect(self, source: str, target: str) -> Journey:
        """Remove the edge from ``source`` to ``target``."""
        kept = tuple(e for e in self.edges if (e.source, e.target) != (source, target))
        if len(kept) == len(self.edges):
            raise JourneyError(f"no edge {source!r} -> {target!r} to remove")
        return self.evolve(edges=kept)
