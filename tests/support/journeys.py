"""Hypothesis strategies for random valid journeys (shared by the test packages)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from workbench.catalog import default_catalog
from workbench.model import Activity, Concept, Edge, Journey

KIND_IDS = sorted(default_catalog())

#: Text that survives every format: printable characters of many scripts, XML specials,
#: quotes; no control characters (XML 1.0 cannot carry them) and no surrogates.
TEXT_ALPHABET = st.characters(
    codec="utf-8",
    categories=("L", "N", "P", "S", "Zs"),
    exclude_characters="\u2028\u2029\x85",
)
titles = st.text(TEXT_ALPHABET, min_size=1, max_size=40).filter(lambda s: s.strip() == s and s != "")
identifiers = st.from_regex(r"[a-z][a-z0-9_-]{0,11}", fullmatch=True)


@st.composite
def journeys(draw: Any, max_concepts: int = 5, max_activities: int = 10) -> Journey:
    """Return a random journey that satisfies every invariant (not necessarily a good design)."""
    concept_ids = draw(st.lists(identifiers, min_size=1, max_size=max_concepts, unique=True))
    concepts = [
        Concept(
            id=cid,
            name=draw(titles),
            importance=draw(st.sampled_from([0.5, 1.0, 1.5, 2.0])),
            difficulty=draw(st.none() | st.floats(1, 10, allow_nan=False)),
        )
        for cid in concept_ids
    ]
    n_activities = draw(st.integers(1, max_activities))
    activity_ids = draw(
        st.lists(identifiers.map(lambda s: f"a-{s}"), min_size=n_activities, max_size=n_activities, unique=True)
    )
    activities: list[Activity] = []
    dated: list[str] = []
    for aid in activity_ids:
        kind = draw(st.sampled_from(KIND_IDS))
        mode = draw(st.sampled_from(["day", "after", "on_demand"] if dated else ["day", "on_demand"]))
        if mode == "day":
            schedule: dict[str, Any] = {"day": float(draw(st.integers(-14, 200)))}
        elif mode == "after":
            schedule = {"after": draw(st.sampled_from(dated)), "gap_days": float(draw(st.integers(0, 60)))}
        else:
            schedule = {"on_demand": True}
        covered = draw(st.lists(st.sampled_from(concept_ids), max_size=3, unique=True))
        fields: dict[str, Any] = {
            "id": aid,
            "title": draw(titles),
            "covers": covered,
            "schedule": schedule,
            "required": draw(st.booleans()),
        }
        if draw(st.booleans()):
            fields["duration_min"] = float(draw(st.integers(1, 120)))
        if default_catalog()[kind].social or draw(st.booleans()):
            fields["facilitator"] = draw(titles)
        if draw(st.booleans()):
            fields["description"] = draw(st.text(TEXT_ALPHABET, max_size=80))
        if draw(st.booleans()):
            fields["mastery_score"] = draw(st.sampled_from([0.5, 0.75, 0.8, 1.0]))
        activities.append(Activity.of_kind(kind, **fields))
        if mode != "on_demand":
            dated.append(aid)
    edges: list[Edge] = []
    pairs: set[tuple[str, str]] = set()
    for _ in range(draw(st.integers(0, n_activities)) if n_activities > 1 else 0):
        i, j = sorted(draw(st.lists(st.integers(0, n_activities - 1), min_size=2, max_size=2, unique=True)))
        if (activity_ids[i], activity_ids[j]) in pairs:
            continue
        pairs.add((activity_ids[i], activity_ids[j]))
        # forward edges (i < j) keep 'then' acyclic
        edges.append(
            Edge(
                source=activity_ids[i],
                target=activity_ids[j],
                kind=draw(st.sampled_from(["then", "prepares", "reinforces", "supports"])),
            )
        )
    return Journey(
        id=draw(identifiers),
        title=draw(titles),
        version=draw(st.sampled_from(["1.0", "2.3.1", "2026-11"])),
        audience=draw(st.text(TEXT_ALPHABET, max_size=30)),
        concepts=concepts,
        activities=activities,
        edges=edges,
    )
