"""The reference invariants of a journey (ids, links, sequences), checked on an outline.

An outline is the skeleton of a journey: its ids and what refers to what. It can be read
from a validated journey or, best effort, from raw spec data whose fields failed validation,
so that a designer sees a broken reference and a bad duration in the same error instead of
one after the other.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workbench.model.journey import Journey

__all__ = ["Outline", "find_cycle", "outline_from_data", "outline_of", "reference_problems"]


@dataclass(frozen=True)
class ActivityOutline:
    id: Any
    covers: tuple[Any, ...]
    after: Any
    on_demand: bool


@dataclass(frozen=True)
class EdgeOutline:
    source: Any
    target: Any
    is_then: bool


@dataclass(frozen=True)
class Outline:
    concept_ids: tuple[Any, ...]
    activities: tuple[ActivityOutline, ...]
    edges: tuple[EdgeOutline, ...]


def outline_of(journey: Journey) -> Outline:
    """Return the outline of a validated journey."""
    return Outline(
        concept_ids=tuple(c.id for c in journey.concepts),
        activities=tuple(
            ActivityOutline(a.id, a.concept_ids, a.schedule.after, a.schedule.on_demand) for a in journey.activities
        ),
        edges=tuple(EdgeOutline(e.source, e.target, e.kind.value == "then") for e in journey.edges),
    )


def _items(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else []


def _field(item: Any, name: str) -> Any:
    if isinstance(item, Mapping):
        return item.get(name)
    return getattr(item, name, None)


def _covered(covers: Any) -> tuple[Any, ...]:
    if isinstance(covers, Mapping):
        return tuple(covers)
    return tuple(entry if isinstance(entry, str) else _field(entry, "concept") for entry in _items(covers))


def outline_from_data(data: Any) -> Outline | None:
    """Best-effort outline of raw journey data; None when it is not a mapping at all."""
    if not isinstance(data, Mapping):
        return None
    activities = []
    for item in _items(data.get("activities")):
        schedule = _field(item, "schedule")
        activities.append(
            ActivityOutline(
                id=_field(item, "id"),
                covers=_covered(_field(item, "covers")),
                after=_field(schedule, "after") if schedule is not None else None,
                on_demand=schedule == "on_demand" or _field(schedule, "on_demand") is True,
            )
        )
    edges = [
        EdgeOutline(_field(e, "source"), _field(e, "target"), str(_field(e, "kind") or "then") == "then")
        for e in _items(data.get("edges"))
    ]
    concept_ids = tuple(_field(c, "id") for c in _items(data.get("concepts")))
    return Outline(concept_ids, tuple(activities), tuple(edges))


def find_cycle(successors: Mapping[str, Iterable[str]]) -> list[str] | None:
    """Return one cycle as a list of nodes (first == last), or None."""
    on_stack: set[str] = set()
    done: set[str] = set()
    for root in successors:
        if root in done:
            continue
        path = [root]
        iterators = [iter(successors.get(root, ()))]
        on_stack.add(root)
        while iterators:
            child = next(iterators[-1], None)
            if child is None:
                done.add(path[-1])
                on_stack.discard(path.pop())
                iterators.pop()
            elif child in on_stack:
                return [*path[path.index(child) :], child]
            elif child not in done:
                path.append(child)
                on_stack.add(child)
                iterators.append(iter(successors.get(child, ())))
    return None


def _unique(field: str, ids: Iterable[Any], problems: list[str]) -> set[Any]:
    seen: set[Any] = set()
    for index, item_id in enumerate(ids):
        if not isinstance(item_id, str):
            continue  # a missing or malformed id is a field error, reported as such
        if item_id in seen:
            problems.append(f"{field}[{index}].id: duplicate id {item_id!r}; ids must be unique")
        seen.add(item_id)
    return seen


def reference_problems(outline: Outline) -> list[str]:
    """Every broken reference, duplicate id and cycle of the outline, in one list."""
    problems: list[str] = []
    concept_ids = _unique("concepts", outline.concept_ids, problems)
    activity_ids = _unique("activities", (a.id for a in outline.activities), problems)
    on_demand = {a.id for a in outline.activities if a.on_demand and isinstance(a.id, str)}
    after: dict[str, list[str]] = {}
    for index, activity in enumerate(outline.activities):
        where = f"activities[{index}] ({activity.id!r})"
        for c_index, concept in enumerate(activity.covers):
            if isinstance(concept, str) and concept not in concept_ids:
                problems.append(
                    f"{where}.covers[{c_index}]: concept {concept!r} is not declared; "
                    "add it under 'concepts:' or fix the id"
                )
        ref = activity.after
        if not isinstance(ref, str):
            continue
        if ref not in activity_ids:
            problems.append(f"{where}.schedule.after: activity {ref!r} does not exist; fix the id")
        elif ref in on_demand:
            problems.append(
                f"{where}.schedule.after: {ref!r} is on demand and has no date; "
                "schedule after a dated activity or give a 'day'"
            )
        elif isinstance(activity.id, str):
            after.setdefault(ref, []).append(activity.id)
    pairs: set[tuple[str, str]] = set()
    then: dict[str, list[str]] = {}
    for index, edge in enumerate(outline.edges):
        where = f"edges[{index}]"
        ends = [(name, ref) for name, ref in (("source", edge.source), ("target", edge.target)) if isinstance(ref, str)]
        for name, ref in ends:
            if ref not in activity_ids:
                problems.append(f"{where}.{name}: activity {ref!r} does not exist; fix the id or add the activity")
        if len(ends) < 2:
            continue
        if edge.source == edge.target:
            problems.append(f"{where}: an activity cannot be linked to itself ({edge.source!r})")
            continue
        if (edge.source, edge.target) in pairs:
            problems.append(f"{where}: {edge.source!r} -> {edge.target!r} is linked twice; keep one edge per pair")
        pairs.add((edge.source, edge.target))
        if edge.is_then:
            then.setdefault(edge.source, []).append(edge.target)
    cycle = find_cycle(then)
    if cycle:
        problems.append(
            "edges: 'then' edges form a cycle "
            + " -> ".join(cycle)
            + "; a sequence cannot come back to its start: remove one of these edges"
        )
    cycle = find_cycle(after)
    if cycle:
        problems.append(
            "schedule: activities are scheduled after each other in a circle "
            + " -> ".join(cycle)
            + "; give one of them an absolute 'day'"
        )
    return problems
