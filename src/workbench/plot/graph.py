"""The journey as a graph: prerequisite steps left to right, edges styled by kind."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from workbench.plot._style import (
    FAMILIES,
    FAMILY_LABELS,
    FAMILY_MARKERS,
    INK,
    LAYER_COLORS,
    kind_family,
    new_axes,
    set_title,
    short,
    style,
)
from workbench.vocabulary import EdgeKind, Layer

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.typing import LegendLocType

    from workbench.model import Journey

__all__ = ["graph_layout", "plot_graph"]

#: How each edge kind is drawn: colour, line style, width, curvature, label.
EDGE_STYLES: Mapping[str, dict[str, Any]] = {
    EdgeKind.THEN.value: {"color": "#333333", "ls": "-", "lw": 1.8, "rad": 0.0, "label": "then (sequence)"},
    EdgeKind.PREPARES.value: {
        "color": "#333333",
        "ls": (0, (5, 3)),
        "lw": 1.6,
        "rad": 0.0,
        "label": "prepares",
    },
    EdgeKind.REINFORCES.value: {
        "color": "#009E73",
        "ls": (0, (1, 2)),
        "lw": 1.3,
        "rad": 0.2,
        "label": "reinforces",
    },
    EdgeKind.SUPPORTS.value: {
        "color": "#E69F00",
        "ls": (0, (6, 2, 1, 2)),
        "lw": 1.6,
        "rad": -0.2,
        "label": "supports",
    },
}
_SEQUENCE = (EdgeKind.THEN, EdgeKind.PREPARES)
_LAYER_ORDER = {layer.value: index for index, layer in enumerate(Layer)}


def _generations(journey: Journey) -> dict[str, int]:
    """Prerequisite generation of every activity (see :func:`graph_layout`)."""
    import networkx as nx

    seq = nx.DiGraph()
    seq.add_edges_from((e.source, e.target) for e in journey.edges if e.kind in _SEQUENCE)
    generation: dict[str, int] = {}
    if seq.number_of_nodes():
        # the condensation is acyclic even if 'prepares' edges close a loop
        condensed = nx.condensation(seq)
        for index, layer in enumerate(nx.topological_generations(condensed)):
            for component in layer:
                for node in condensed.nodes[component]["members"]:
                    generation[node] = index
    # fall back for activities outside the sequence: a linked neighbour's step, else the
    # step of the latest sequenced activity on or before their day, else the first step
    days = journey.days
    for activity in journey.activities:
        if activity.id in generation:
            continue
        linked = [
            generation[other]
            for e in journey.edges
            for other in ((e.target,) if e.source == activity.id else (e.source,) if e.target == activity.id else ())
            if other in generation
        ]
        if linked:
            generation[activity.id] = min(linked)
            continue
        day = days.get(activity.id)
        earlier = [
            (d, generation[a])
            for a, d in days.items()
            if a in generation and d is not None and day is not None and d <= day
        ]
        generation[activity.id] = max(earlier)[1] if earlier else 0
    return generation


def graph_layout(journey: Journey, max_columns: int = 7) -> dict[str, tuple[float, float]]:
    """Deterministic positions of a journey's activities for :func:`plot_graph`.

    Activities are layered by prerequisite generation: ``networkx.topological_generations``
    of the ``then`` and ``prepares`` edges (on their condensation, so a loop of ``prepares``
    edges cannot break it). Activities outside those edges take the step of an activity
    they are linked to (``supports``, ``reinforces``), else of the latest sequenced activity
    on or before their day. Steps run left to right and wrap onto a new row after
    ``max_columns`` steps, like text; within a step, activities are ordered by day, then
    layer, then position in the journey, and those outside the sequence come last.

    Returns
    -------
    dict
        Activity id to ``(x, y)`` in data units (y grows upwards).

    Examples
    --------
    >>> from workbench.templates import load_template
    >>> pos = graph_layout(load_template("post_training_retention"))
    >>> pos["primer"], pos["workshop"]
    ((0.0, 0.0), (1.0, 0.0))
    """
    return _layout(journey, max_columns)[0]


def _layout(journey: Journey, max_columns: int) -> tuple[dict[str, tuple[float, float]], dict[str, float]]:
    """Positions, and the y of the top row of each activity's band."""
    if max_columns < 1:
        from workbench.errors import ParameterError

        raise ParameterError(f"max_columns: must be at least 1 (got {max_columns})")
    generation = _generations(journey)
    in_sequence = {n for e in journey.edges if e.kind in _SEQUENCE for n in (e.source, e.target)}
    order = {a.id: i for i, a in enumerate(journey.activities)}
    by_step: dict[int, list[str]] = {}
    for activity in journey.activities:
        by_step.setdefault(generation[activity.id], []).append(activity.id)

    def key(node: str) -> tuple[int, float, int, int]:
        day = journey.days.get(node)
        return (
            node not in in_sequence,
            math.inf if day is None else day,
            _LAYER_ORDER[journey.activity(node).layer.value],
            order[node],
        )

    steps = sorted(by_step)
    index_of = {step: i for i, step in enumerate(steps)}  # steps without activities vanish
    bands = max(1, math.ceil(len(steps) / max_columns))
    columns = max(1, math.ceil(len(steps) / bands))  # balance the rows: 9 steps -> 5 + 4
    positions: dict[str, tuple[float, float]] = {}
    tops: dict[str, float] = {}
    band_top = 0.0
    for band in range(bands):
        in_band = steps[band * columns : (band + 1) * columns]
        if not in_band:
            break
        height = max(len(by_step[s]) for s in in_band)
        for step in in_band:
            for rank, node in enumerate(sorted(by_step[step], key=key)):
                positions[node] = (float(index_of[step] % columns), band_top - float(rank))
                tops[node] = band_top
        band_top -= height + 1.0  # room for the labels under the last row of a band
    return positions, tops


def plot_graph(
    journey: Journey,
    ax: Axes | None = None,
    *,
    max_columns: int = 7,
    title: str | None = None,
    label_chars: int = 18,
) -> Axes:
    """Draw a journey as a layered graph: prerequisite steps left to right.

    Nodes are activities, coloured by layer and shaped by kind family (as on
    :func:`plot_timeline`), placed by :func:`graph_layout`. Edges are styled by kind:
    ``then`` solid, ``prepares`` dashed, ``reinforces`` green dotted arcs, ``supports``
    orange dash-dot arcs. Long sequences wrap onto new rows after ``max_columns`` steps.
    Same journey, same picture: the layout uses no randomness.

    Parameters
    ----------
    journey : Journey
        The journey to draw.
    ax : matplotlib Axes, optional
        Axes to draw into; a new slide-sized (16:9) figure when omitted.
    max_columns : int, default 7
        Steps per row before the sequence wraps.
    title : str, optional
        Axes title; the journey title by default.
    label_chars : int, default 18
        Longest line of a node label (titles take at most two lines).

    Returns
    -------
    matplotlib Axes
        The axes drawn into.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from workbench.templates import load_template
    >>> from workbench.plot import plot_graph
    >>> ax = plot_graph(load_template("post_training_retention"))
    >>> ax.get_title(loc="left")
    'Feedback conversations: post-training retention: journey graph'
    """
    with style():
        ax = new_axes(ax)
        placed = _Placed.of(journey, max_columns)
        edge_kinds = _draw_edges(ax, placed)
        _draw_nodes(ax, placed, label_chars)

        xs = [p[0] for p in placed.pos.values()] or [0.0]
        ys = [p[1] for p in placed.pos.values()] or [0.0]
        ax.set_xlim(min(xs) - 0.62, max(xs) + 0.62)
        ax.set_ylim(min(ys) - 0.75, max(ys) + 0.6)
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_visible(False)
        set_title(ax, title if title is not None else f"{journey.title}: journey graph")
        ax.set_xlabel("Prerequisite step (then / prepares generations), read left to right, row by row")
        _legends(ax, [f for f in FAMILIES if f in placed.families.values()], edge_kinds)
    return ax


@dataclass(frozen=True)
class _Placed:
    """A journey laid out: what the edges and the nodes are drawn from."""

    journey: Journey
    pos: dict[str, tuple[float, float]]  # activity id -> (x, y)
    tops: dict[str, float]  # activity id -> y of the top row of its band
    families: dict[str, str]  # activity id -> kind family
    size: dict[str, float]  # activity id -> marker size (points)

    @classmethod
    def of(cls, journey: Journey, max_columns: int) -> _Placed:
        pos, tops = _layout(journey, max_columns)
        return cls(
            journey=journey,
            pos=pos,
            tops=tops,
            families={a.id: kind_family(journey.kind_of(a)) for a in journey.activities},
            size={a.id: (24.0 if journey.is_formal(a) else 17.0) for a in journey.activities},
        )


def _draw_edges(ax: Axes, placed: _Placed) -> list[str]:
    """Draw every edge in its kind's style; return the kinds drawn."""
    from matplotlib.patches import FancyArrowPatch
    from matplotlib.path import Path

    journey, pos, tops, size = placed.journey, placed.pos, placed.tops, placed.size
    edge_kinds = []
    for edge in journey.edges:
        if edge.kind.value not in edge_kinds:
            edge_kinds.append(edge.kind.value)
        spec = EDGE_STYLES[edge.kind.value]
        (xa, ya), (xb, yb) = pos[edge.source], pos[edge.target]
        common: dict[str, Any] = {
            "arrowstyle": "-|>",
            "mutation_scale": 13,
            "color": spec["color"],
            "lw": spec["lw"],
            "ls": spec["ls"],
        }
        if edge.kind in _SEQUENCE and tops[edge.target] < tops[edge.source] and xb < xa:
            # a wrap to the next row: out to the right, back along the gap, in from the left
            gap = tops[edge.target] + 0.5
            path = Path(
                [
                    (xa + 0.14, ya),
                    (xa + 0.42, ya),
                    (xa + 0.42, gap),
                    (xb - 0.42, gap),
                    (xb - 0.42, yb),
                    (xb - 0.14, yb),
                ]
            )
            ax.add_patch(FancyArrowPatch(path=path, zorder=3, gid=f"edge:{edge.kind.value}", **common))
            continue
        ax.add_patch(
            FancyArrowPatch(
                (xa, ya),
                (xb, yb),
                connectionstyle=f"arc3,rad={spec['rad']}",
                **common,
                shrinkA=size[edge.source] / 2 + 2,
                shrinkB=size[edge.target] / 2 + 2,
                alpha=0.9 if edge.kind in _SEQUENCE else 0.55,
                zorder=3 if edge.kind in _SEQUENCE else 2,
                gid=f"edge:{edge.kind.value}",
            )
        )
    return edge_kinds


def _draw_nodes(ax: Axes, placed: _Placed, label_chars: int) -> None:
    """Draw one scatter per kind family (hollow where optional) and a label under each node."""
    import matplotlib.patheffects as pe

    journey, pos, families, size = placed.journey, placed.pos, placed.families, placed.size
    for family in FAMILIES:
        members = [a for a in journey.activities if families[a.id] == family]
        if not members:
            continue
        ax.scatter(
            [pos[a.id][0] for a in members],
            [pos[a.id][1] for a in members],
            s=[size[a.id] ** 2 for a in members],
            marker=FAMILY_MARKERS[family],
            c=[LAYER_COLORS[a.layer.value] if a.required else "white" for a in members],
            edgecolors=[INK if a.required else LAYER_COLORS[a.layer.value] for a in members],
            linewidths=[1.2 if a.required else 2.4 for a in members],
            zorder=4,
            gid=f"nodes:{family}",
        )
    halo = [pe.withStroke(linewidth=3.0, foreground="white")]
    for activity in journey.activities:
        lines = textwrap.wrap(" ".join(activity.title.split()), width=label_chars)
        label = "\n".join(lines[:1] + ([short(" ".join(lines[1:]), label_chars)] if len(lines) > 1 else []))
        ax.annotate(
            label,
            pos[activity.id],
            xytext=(0, -size[activity.id] / 2 - 3),
            textcoords="offset points",
            ha="center",
            va="top",
            fontsize=11,
            color=INK,
            zorder=5,
            path_effects=halo,
            fontweight="bold" if journey.is_formal(activity) else "normal",
            gid="node-label",
        )


def _legends(ax: Axes, present: list[str], edge_kinds: list[str]) -> None:
    """Draw the three legends under the graph: layers, the kind families present, the edge kinds drawn."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    layer_handles: list[Any] = [
        Patch(fc=LAYER_COLORS[layer.value], ec=INK, lw=0.8, label=layer.value.capitalize()) for layer in Layer
    ]
    kind_handles: list[Any] = [
        Line2D([], [], ls="", marker=FAMILY_MARKERS[f], ms=11, mfc="#9A9A9A", mec=INK, label=FAMILY_LABELS[f])
        for f in present
    ]
    ncol = math.ceil(len(kind_handles) / 2)
    _legend_under(ax, layer_handles, "Layer", "upper left", 0.0, 3, keep=True, columnspacing=1.0)
    _legend_under(ax, kind_handles, "Activity kind", "upper center", 0.5, ncol, keep=True, columnspacing=1.0)
    edge_handles: list[Any] = [
        Line2D(
            [],
            [],
            color=EDGE_STYLES[k]["color"],
            ls=EDGE_STYLES[k]["ls"],
            lw=EDGE_STYLES[k]["lw"],
            label=EDGE_STYLES[k]["label"],
        )
        for k in (e.value for e in EdgeKind)
        if k in edge_kinds
    ]
    if edge_handles:
        _legend_under(ax, edge_handles, "Edge", "upper right", 1.0, 2, handlelength=2.6)


def _legend_under(
    ax: Axes,
    handles: list[Any],
    title: str,
    loc: LegendLocType,
    x: float,
    ncol: int,
    *,
    keep: bool = False,
    **options: Any,
) -> None:
    """Draw a legend just under the axes, its ``loc`` corner at ``x`` (axes fraction); ``keep`` it past the next one."""
    legend = ax.legend(
        handles=handles, title=title, loc=loc, bbox_to_anchor=(x, -0.07), ncol=ncol, borderaxespad=0.0, **options
    )
    if keep:  # the next ax.legend() replaces the axes' legend: this one stays as an artist of its own
        ax.add_artist(legend)
        legend.set_clip_on(False)
