"""A clickable graph of the journey drawn by ipycytoscape (optional dependency).

Nodes are activities, placed left to right in timeline order and top to bottom by layer,
coloured by layer (formal events drawn as larger rectangles); edges are the journey's typed
edges. Clicking a node calls back with its activity id. The view is synced incrementally
(only the nodes and edges that changed are replaced), so the browser keeps one canvas.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from workbench.model import Journey
from workbench.vocabulary import Layer

__all__ = ["LAYER_COLORS", "JourneyGraph", "cytoscape_available"]

#: Node colour of each layer (also used by the browser tests to find nodes on the canvas).
LAYER_COLORS: dict[str, str] = {
    "before": "#219ebc",
    "during": "#023047",
    "after": "#fb8500",
    "work": "#2a9d8f",
    "change": "#8338ec",
}
#: Edge colours by kind: muted, and unlike every node colour (tests find nodes by colour).
_EDGE_COLORS = {"then": "#666666", "prepares": "#9ab8d8", "reinforces": "#e8b27a", "supports": "#99c7c0"}

_STYLE: list[dict[str, Any]] = [
    {
        "selector": "node",
        "css": {
            "label": "data(id)",
            "background-color": "data(color)",
            "font-size": 11,
            "text-valign": "bottom",
            "text-margin-y": 3,
            "width": 30,
            "height": 30,
        },
    },
    {"selector": "node.formal", "css": {"shape": "round-rectangle", "width": 44, "height": 34}},
    {"selector": "node:selected", "css": {"border-width": 3, "border-color": "#d62828"}},
    {
        "selector": "edge",
        "style": {
            "width": 2,
            "line-color": "data(color)",
            "curve-style": "bezier",
            "target-arrow-shape": "triangle",
            "target-arrow-color": "data(color)",
            "label": "data(kind)",
            "font-size": 7,
            "color": "#666666",
        },
    },
]


def _cytoscape() -> Any | None:
    try:
        return importlib.import_module("ipycytoscape")
    except ImportError:
        return None


def cytoscape_available() -> bool:
    """Whether ipycytoscape can be imported (the graph view is shown only then)."""
    return _cytoscape() is not None


def node_specs(journey: Journey) -> dict[str, dict[str, Any]]:
    """Return the data, classes and position of each activity's node (pure; used by :class:`JourneyGraph`)."""
    layers = [layer.value for layer in Layer]
    specs: dict[str, dict[str, Any]] = {}
    for rank, activity in enumerate(journey.timeline()):
        day = journey.days.get(activity.id)
        when = "on demand" if day is None else f"day {day:g}"
        formal = journey.is_formal(activity)
        specs[activity.id] = {
            "data": {
                "id": activity.id,
                "title": activity.title,
                "kind": activity.kind,
                "layer": activity.layer.value,
                "day": when,
                "color": LAYER_COLORS.get(activity.layer.value, "#888888"),
                "tooltip": f"{activity.title} ({activity.kind}, {when})",
            },
            "classes": f"{activity.layer.value}{' formal' if formal else ''}",
            "position": {"x": 70.0 * rank, "y": 60.0 * layers.index(activity.layer.value)},
        }
    return specs


def edge_specs(journey: Journey) -> dict[tuple[str, str], dict[str, Any]]:
    """Return the data of each edge, keyed by ``(source, target)``."""
    return {
        (e.source, e.target): {
            "source": e.source,
            "target": e.target,
            "kind": e.kind.value,
            "color": _EDGE_COLORS.get(e.kind.value, "#555555"),
        }
        for e in journey.edges
    }


class JourneyGraph:
    """The cytoscape view of a journey, kept in sync with :meth:`show`.

    Parameters
    ----------
    on_select : callable
        Called with the activity id of a clicked node.

    Raises
    ------
    ImportError
        When ipycytoscape is not installed (check :func:`cytoscape_available` first).
    """

    def __init__(self, on_select: Callable[[str], None]) -> None:
        module = _cytoscape()
        if module is None:
            raise ImportError("the graph view needs ipycytoscape: pip install ipycytoscape")
        self._module = module
        self._on_select = on_select
        self.widget = module.CytoscapeWidget()
        self.widget.set_style(_STYLE)
        self.widget.set_layout(name="preset", fit=True, padding=24, animate=False)
        self.widget.layout.height = "280px"
        self.widget.layout.width = "100%"
        self.widget.user_zooming_enabled = True
        self.widget.wheel_sensitivity = 0.3
        self.widget.add_class("wb-graph")
        self.widget.on("node", "click", self._clicked)
        self._nodes: dict[str, Any] = {}
        self._edges: dict[tuple[str, str], Any] = {}

    def _clicked(self, node: dict[str, Any]) -> None:
        activity_id = (node.get("data") or {}).get("id")
        if isinstance(activity_id, str):
            self._on_select(activity_id)

    def click(self, activity_id: str) -> None:
        """Act as if the node of ``activity_id`` was clicked in the browser (for tests)."""
        self.widget._handle_interaction(
            self.widget, {"widget": "node", "event": "click", "data": {"data": {"id": activity_id}}}, []
        )

    @property
    def node_ids(self) -> list[str]:
        """Ids of the nodes currently in the view."""
        return [node.data["id"] for node in self.widget.graph.nodes]

    @property
    def edge_pairs(self) -> list[tuple[str, str]]:
        """``(source, target)`` of the edges currently in the view."""
        return [(edge.data["source"], edge.data["target"]) for edge in self.widget.graph.edges]

    def show(self, journey: Journey) -> None:
        """Sync the view with ``journey``: remove, add and update only what changed."""
        graph = self.widget.graph
        nodes, edges = node_specs(journey), edge_specs(journey)
        stale: list[Any] = []
        for pair in [p for p in self._edges if p not in edges or p[0] not in nodes or p[1] not in nodes]:
            edge = self._edges.pop(pair)
            if edge in graph.edges:
                graph.remove_edge(edge)
            stale.append(edge)
        for node_id in [n for n in self._nodes if n not in nodes]:
            node = self._nodes.pop(node_id)
            graph.remove_node(node)
            stale.append(node)
        new_nodes = []
        for node_id, spec in nodes.items():
            node = self._nodes.get(node_id)
            if node is None:
                node = self._module.Node(data=spec["data"], classes=spec["classes"], position=spec["position"])
                self._nodes[node_id] = node
                new_nodes.append(node)
            else:
                if dict(node.data) != spec["data"]:
                    node.data = spec["data"]
                if node.classes != spec["classes"]:
                    node.classes = spec["classes"]
                if dict(node.position) != spec["position"]:
                    node.position = spec["position"]
        if new_nodes:
            graph.add_nodes(new_nodes)
        new_edges = []
        for pair, data in edges.items():
            edge = self._edges.get(pair)
            if edge is None:
                edge = self._module.Edge(data=data, classes=f"directed {data['kind']}")
                self._edges[pair] = edge
                new_edges.append(edge)
            elif dict(edge.data) != data:
                edge.data = data
                edge.classes = f"directed {data['kind']}"
        if new_edges:
            graph.add_edges(new_edges, directed=True)
        for element in stale:
            element.close()
