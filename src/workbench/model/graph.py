"""The networkx view of a journey: ``to_graph`` and ``from_graph``.

The journey is the value; the DiGraph is derived from it. Node attributes carry each
activity's fields (plus its resolved ``day``), edge attributes carry the edge ``kind``, and
graph attributes carry the journey's own fields (edges also keep their ``position`` in the
journey), so ``from_graph(to_graph(j)) == j``.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from workbench.errors import JourneyError
from workbench.model.journey import Journey

__all__ = ["from_graph", "to_graph"]

_DERIVED_NODE_KEYS = ("day", "formal")


def to_graph(journey: Journey) -> nx.DiGraph:
    """Return a DiGraph with one node per activity and one edge per journey edge.

    Examples
    --------
    >>> from workbench.templates import load_template
    >>> G = to_graph(load_template("post_training_retention"))
    >>> G.graph["id"], G.number_of_nodes() > 5
    ('post_training_retention', True)
    """
    graph = nx.DiGraph()
    meta = journey.model_dump(mode="json", exclude={"activities", "edges"})
    graph.graph.update(meta)
    for activity in journey.activities:
        attrs = activity.model_dump(mode="json", exclude_none=True)
        attrs.pop("id")
        attrs["day"] = journey.days.get(activity.id)
        attrs["formal"] = journey.is_formal(activity)
        graph.add_node(activity.id, **attrs)
    for position, edge in enumerate(journey.edges):
        # networkx iterates edges by node, not by insertion: keep the journey's order
        graph.add_edge(edge.source, edge.target, kind=edge.kind.value, position=position)
    return graph


def from_graph(graph: nx.DiGraph, **journey_fields: Any) -> Journey:
    """Build a journey from a DiGraph a designer made (or one from :func:`to_graph`).

    Nodes are activities: their attributes are activity fields (``kind`` and ``title`` at
    least; other fields default from the kind, ``schedule`` may be a day number). Edges
    default to ``kind="then"``. Journey fields come from ``graph.graph`` and can be given or
    overridden as keyword arguments; concepts that nodes cover but nobody declared are added
    with their id as name.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph(id="demo", title="Demo")
    >>> G.add_node("intro", kind="elearning_module", title="Intro", covers=["c1"], schedule=0)
    >>> G.add_node("quiz", kind="spaced_recall_quiz", title="Quiz", covers=["c1"], schedule=7)
    >>> G.add_edge("quiz", "intro", kind="reinforces")
    >>> j = from_graph(G)
    >>> [a.id for a in j.activities], j.concepts[0].name
    (['intro', 'quiz'], 'c1')
    """
    if not isinstance(graph, nx.DiGraph) or graph.is_multigraph():
        raise JourneyError("from_graph needs a networkx DiGraph (not a MultiDiGraph or an undirected Graph)")
    fields: dict[str, Any] = {**graph.graph, **journey_fields}
    activities = []
    for node, attrs in graph.nodes(data=True):
        data = {k: v for k, v in attrs.items() if k not in _DERIVED_NODE_KEYS}
        data["id"] = node
        activities.append(data)
    ordered = sorted(graph.edges(data=True), key=lambda e: e[2].get("position", float("inf")))
    edges = [{"source": u, "target": v, "kind": attrs.get("kind", "then")} for u, v, attrs in ordered]
    declared = {c["id"] if isinstance(c, dict) else c.id for c in fields.get("concepts", ())}
    concepts = list(fields.get("concepts", ()))
    for data in activities:
        covers = data.get("covers", ())
        ids = (
            list(covers.keys())
            if isinstance(covers, dict)
            else [c if isinstance(c, str) else c.get("concept") for c in covers if isinstance(c, str | dict)]
        )
        for concept_id in ids:
            if isinstance(concept_id, str) and concept_id not in declared:
                concepts.append({"id": concept_id, "name": concept_id})
                declared.add(concept_id)
    fields.update(concepts=concepts, activities=activities, edges=edges)
    return Journey.model_validate(fields)
