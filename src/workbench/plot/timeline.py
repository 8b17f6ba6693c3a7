"""The journey on a calendar: one swimlane per layer, days across."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from workbench.plot._style import (
    FAMILIES,
    FAMILY_LABELS,
    FAMILY_MARKERS,
    INK,
    LAYER_COLORS,
    LAYER_LABELS,
    SEVERITY_COLORS,
    SEVERITY_LINESTYLES,
    apply_layout,
    kind_family,
    marker_diameter,
    new_axes,
    root_figure,
    set_title,
    short,
    style,
)
from workbench.vocabulary import EdgeKind, Layer

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from workbench.model import Journey
    from workbench.rules import Finding

__all__ = ["plot_timeline"]

_SEVERITY_ORDER = ("error", "warning", "info")
_LABEL_GAP_PT = 4.0  # between a marker and its label
_ITEM_GAP_PT = 10.0  # between two items sharing a row
_ROW_PAD = 0.35  # lane padding above and below its rows, in row units
_LABEL_SIZE = 11.0
_RING_PAD = 11.0  # ring diameter minus marker diameter, in points


@dataclass
class _Item:
    id: str
    title: str
    layer: str
    family: str
    day: float | None
    minutes: float
    formal: bool
    required: bool
    diameter: float
    label: str
    label_left: bool = False
    start: float = 0.0  # extent of marker + label, in days
    end: float = 0.0
    row: int = 0
    y: float = 0.0
    day_draw: float = 0.0  # where an on-demand item (no day) is drawn
    findings: list[Any] = field(default_factory=list)


def _text_width_pt(text: str, *, bold: bool) -> float:
    """Width of the longest line of ``text`` at the label size, in points."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextPath

    props = FontProperties(size=_LABEL_SIZE, weight="bold" if bold else "normal")
    return max(float(TextPath((0, 0), line, prop=props).get_extents().width) for line in text.split("\n"))


def _axes_size_in(ax: Axes) -> tuple[float, float]:
    apply_layout(ax)
    pos = ax.get_position()
    width, height = root_figure(ax).get_size_inches()
    return float(pos.width * width), float(pos.height * height)


def _pack(items: list[_Item]) -> int:
    """Greedy interval partitioning of a lane's dated items into rows; returns the row count."""
    row_ends: list[float] = []
    for item in sorted(items, key=lambda i: (i.start, i.end, i.id)):
        for row, end in enumerate(row_ends):
            if end <= item.start:
                item.row = row
                row_ends[row] = item.end
                break
        else:
            item.row = len(row_ends)
            row_ends.append(item.end)
    return len(row_ends)


def _week_locator(span: float) -> float:
    for step in (1, 7, 14, 28, 56, 91, 182, 365):
        if span / step <= 18:
            return float(step)
    return 365.0


def plot_timeline(
    journey: Journey,
    ax: Axes | None = None,
    findings: Iterable[Finding] | None = None,
    show_edges: bool = True,
    *,
    title: str | None = None,
    label_chars: int = 24,
) -> Axes:
    """Draw a journey as swimlanes: layers down, days across.

    Each activity is one marker in its layer's lane, shaped by its kind family (formal
    event, retrieval practice, recap, social, job support, change update, primer) and
    sized by its duration (marker area proportional to minutes, with a size legend).
    Formal events get a grey band across all lanes and a bold label; on-demand activities
    (no date) are a band across their lane. Edges are light arrows. Labels are the titles,
    on at most two lines of ``label_chars``; activities that would collide are moved to another row of their
    lane. Optional activities are drawn hollow.

    Parameters
    ----------
    journey : Journey
        The journey to draw.
    ax : matplotlib Axes, optional
        Axes to draw into; a new slide-sized (16:9) figure when omitted.
    findings : iterable of Finding, optional
        Findings of :func:`workbench.rules.lint`. Each activity named by a finding gets a ring
        coloured (and dashed) by its worst severity and a label with the codes; findings
        about no activity are listed in a note above the lanes.
    show_edges : bool, default True
        Draw the journey's edges as light arrows (dotted for ``reinforces`` and
        ``supports``).
    title : str, optional
        Axes title; the journey title by default.
    label_chars : int, default 24
        Longest label line, in characters; titles take at most two lines.

    Returns
    -------
    matplotlib Axes
        The axes drawn into.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from workbench.templates import load_template
    >>> from workbench.rules import lint
    >>> from workbench.plot import plot_timeline
    >>> journey = load_template("post_training_retention")
    >>> ax = plot_timeline(journey, findings=lint(journey))
    >>> ax.get_xlabel()
    'Day of the journey (days from start)'
    """
    with style():
        ax = new_axes(ax)
        items = _items(journey, label_chars)
        by_id = {item.id: item for item in items}
        journey_notes = _attach_findings(findings, by_id)

        dated = [i.day for i in items if i.day is not None]
        lo = min([*dated, 0.0])
        hi = max([*dated, lo + 7.0])
        span = hi - lo
        x0, x1 = lo - 0.04 * span - 1.0, hi + 0.04 * span + 1.0

        set_title(ax, title if title is not None else f"{journey.title}: journey timeline")
        ax.set_xlabel("Day of the journey (days from start)")
        ax.set_ylabel("Layer (swimlane)")
        lanes = [layer.value for layer in Layer]
        ax.set_yticks(range(len(lanes)), [LAYER_LABELS[k] for k in lanes])  # provisional
        ax.set_xlim(x0, x1)
        width_in, height_in = _axes_size_in(ax)
        days_per_pt = (x1 - x0) / (width_in * 72.0)

        rows_in_lane, on_demand_rows = _pack_lanes(items, lanes, x1, days_per_pt)
        row_height, lane_span = _stack_rows(items, lanes, rows_in_lane, height_in)
        ax.set_ylim(lane_span[lanes[-1]][1], 0.0)
        _draw_lanes(ax, lanes, lane_span, span)
        _draw_bands(ax, items, on_demand_rows, row_height, x0, x1)
        positions = {item.id: (item.day if item.day is not None else item.day_draw, item.y) for item in items}
        if show_edges:
            _draw_edges(ax, journey, by_id, positions)
        _draw_markers(ax, items, positions)
        _draw_labels(ax, items, positions)

        _draw_findings(ax, items, positions, journey_notes)
        _legends(ax, items, bool(findings is not None and any(i.findings for i in items)))
        ax.set_xlim(x0, x1)
    return ax


def _items(journey: Journey, label_chars: int) -> list[_Item]:
    items = []
    for activity in journey.timeline():
        formal = journey.is_formal(activity)
        items.append(
            _Item(
                id=activity.id,
                title=activity.title,
                layer=activity.layer.value,
                family=kind_family(journey.kind_of(activity)),
                day=journey.days.get(activity.id),
                minutes=activity.duration_min,
                formal=formal,
                required=activity.required,
                diameter=marker_diameter(activity.duration_min),
                label=_wrap(activity.title, label_chars),
            )
        )
    return items


def _wrap(title: str, width: int) -> str:
    """Return a title on at most two lines of ``width`` characters (cut with an ellipsis)."""
    import textwrap

    lines = textwrap.wrap(" ".join(title.split()), width=width, break_long_words=True)
    if len(lines) <= 2:
        return "\n".join(lines)
    return lines[0] + "\n" + short(" ".join(lines[1:]), width)


def _reach(item: _Item) -> float:
    """Half the width of an item's marker (with its finding ring), in points."""
    return (item.diameter + (_RING_PAD + 3 if item.findings else 0)) / 2


def _edge_colour(item: _Item) -> str:
    return LAYER_COLORS[item.layer] if not item.required else "#333333"


def _attach_findings(findings: Iterable[Finding] | None, by_id: dict[str, _Item]) -> list[Any]:
    notes = []
    for finding in findings or ():
        target = by_id.get(finding.activity_id or "")
        if target is None:
            notes.append(finding)
        else:
            target.findings.append(finding)
    return notes


def _severity(finding: Any) -> str:
    value = getattr(finding, "severity", "info")
    return str(getattr(value, "value", value))


def _codes(findings: Sequence[Any]) -> str:
    seen: list[str] = []
    for finding in findings:
        if finding.code not in seen:
            seen.append(finding.code)
    return ", ".join(seen)


def _draw_findings(ax: Axes, items: list[_Item], positions: dict[str, tuple[float, float]], notes: list[Any]) -> None:
    flagged = [i for i in items if i.findings]
    if flagged:
        worst = [min((_severity(f) for f in i.findings), key=_SEVERITY_ORDER.index) for i in flagged]
        ax.scatter(
            [positions[i.id][0] for i in flagged],
            [positions[i.id][1] for i in flagged],
            s=[(i.diameter + _RING_PAD) ** 2 for i in flagged],
            marker="o",
            facecolors="none",
            edgecolors=[SEVERITY_COLORS[w] for w in worst],
            linewidths=2.6,
            linestyles=[SEVERITY_LINESTYLES[w] for w in worst],
            zorder=6,
            gid="finding-rings",
        )
        for item, severity in zip(flagged, worst, strict=True):
            ax.annotate(
                _codes(item.findings),
                positions[item.id],
                xytext=(0, item.diameter / 2 + 9),
                textcoords="offset points",
                ha="center" if item.day is not None else "left",
                va="bottom",
                fontsize=11,
                color=INK,
                fontweight="bold",
                zorder=7,
                gid="finding-label",
                bbox={
                    "boxstyle": "round,pad=0.2",
                    "fc": SEVERITY_COLORS[severity],
                    "ec": "none",
                    "alpha": 0.9,
                },
            )
    if notes:
        counts: dict[str, int] = {}
        for finding in notes:
            counts[finding.code] = counts.get(finding.code, 0) + 1
        text = "Journey-level findings: " + ", ".join(code + (f" ×{n}" if n > 1 else "") for code, n in counts.items())
        ax.text(
            1.0,
            1.01,
            text,
            transform=ax.transAxes,
            ha="right",
            va="bottom",
            fontsize=11,
            color=INK,
            gid="finding-note",
        )


def _legends(ax: Axes, items: list[_Item], with_findings: bool) -> None:
    from matplotlib.lines import Line2D

    present = [f for f in FAMILIES if any(i.family == f for i in items)]
    handles: list[Any] = [
        Line2D(
            [],
            [],
            ls="",
            marker=FAMILY_MARKERS[f],
            ms=11,
            mfc="#9A9A9A",
            mec="#333333",
            label=FAMILY_LABELS[f],
        )
        for f in present
    ]
    if any(not i.required for i in items):
        handles.append(Line2D([], [], ls="", marker="o", ms=11, mfc="white", mec="#333333", label="Optional (hollow)"))
    kinds = ax.legend(
        handles=handles,
        title="Activity kind",
        loc="upper left",
        bbox_to_anchor=(0.0, -0.09),
        ncol=math.ceil(len(handles) / 2),
        borderaxespad=0.0,
        handletextpad=0.3,
        columnspacing=1.2,
    )
    ax.add_artist(kinds)
    kinds.set_clip_on(False)  # add_artist clips to the axes, which drops it from the layout

    minutes = sorted({i.minutes for i in items})
    refs = [m for m in (5, 30, 120, 480) if minutes and minutes[0] / 2 <= m <= minutes[-1] * 1.3] or [5, 30]
    size_handles: list[Any] = [
        Line2D([], [], ls="", marker="o", ms=marker_diameter(m), mfc="#D0D0D0", mec="#555555", label=f"{m:g} min")
        for m in refs
    ]
    if with_findings:
        size_handles += [
            Line2D(
                [],
                [],
                ls="",
                marker="o",
                ms=14,
                mfc="none",
                mec=SEVERITY_COLORS[s],
                mew=2.6,
                label=s.capitalize(),
            )
            for s in _SEVERITY_ORDER
            if any(_severity(f) == s for i in items for f in i.findings)
        ]
    ax.legend(
        handles=size_handles,
        title="Duration" + (" / finding" if with_findings else ""),
        loc="upper right",
        bbox_to_anchor=(1.0, -0.09),
        ncol=len(size_handles),
        borderaxespad=0.0,
        handletextpad=0.4,
        columnspacing=1.0,
        labelspacing=1.2,
    )


def _pack_lanes(
    items: list[_Item], lanes: list[str], x1: float, days_per_pt: float
) -> tuple[dict[str, int], dict[str, list[_Item]]]:
    """Lay out each lane: dated items packed into rows, then one row per on-demand item.

    Returns the rows of each lane and its on-demand items; each item gets its row and extent.
    """
    rows_in_lane: dict[str, int] = {}
    on_demand_rows: dict[str, list[_Item]] = {}
    for lane in lanes:
        lane_items = [i for i in items if i.layer == lane and i.day is not None]
        for item in lane_items:
            assert item.day is not None
            radius = _reach(item) * days_per_pt
            text = (_text_width_pt(item.label, bold=item.formal) + _LABEL_GAP_PT) * days_per_pt
            gap = _ITEM_GAP_PT * days_per_pt
            if item.day + radius + text > x1:
                item.label_left = True
                item.start, item.end = item.day - radius - text - gap, item.day + radius
            else:
                item.start, item.end = item.day - radius, item.day + radius + text + gap
        dated_rows = _pack(lane_items)
        extra = [i for i in items if i.layer == lane and i.day is None]
        for k, item in enumerate(extra):
            item.row = dated_rows + k
        on_demand_rows[lane] = extra
        rows_in_lane[lane] = max(1, dated_rows + len(extra))
    return rows_in_lane, on_demand_rows


def _stack_rows(
    items: list[_Item], lanes: list[str], rows_in_lane: dict[str, int], height_in: float
) -> tuple[dict[tuple[str, int], float], dict[str, tuple[float, float]]]:
    """Give each row its height and each item its y; return row heights and each lane's (top, bottom).

    A row is one unit high, more where a big marker (a long formal event) sits.
    """
    total = sum(rows_in_lane.values()) + 2 * _ROW_PAD * len(lanes)
    pt_per_unit = height_in * 72.0 / total
    row_height: dict[tuple[str, int], float] = {}
    for _ in range(2):
        for lane in lanes:
            for row in range(rows_in_lane[lane]):
                biggest = max((i.diameter for i in items if i.layer == lane and i.row == row), default=0.0)
                row_height[lane, row] = max(1.0, (biggest + 6.0) / pt_per_unit)
        total = sum(row_height.values()) + 2 * _ROW_PAD * len(lanes)
        pt_per_unit = height_in * 72.0 / total

    lane_span: dict[str, tuple[float, float]] = {}
    y = 0.0
    for lane in lanes:
        top = y
        y += _ROW_PAD
        for row in range(rows_in_lane[lane]):
            centre = y + row_height[lane, row] / 2
            for item in items:
                if item.layer == lane and item.row == row:
                    item.y = centre
            y += row_height[lane, row]
        y += _ROW_PAD
        lane_span[lane] = (top, y)
    return row_height, lane_span


def _draw_lanes(ax: Axes, lanes: list[str], lane_span: dict[str, tuple[float, float]], span: float) -> None:
    """Draw the lanes: tinted background, a colour bar at the left, the layer name as tick label."""
    from matplotlib.patches import Rectangle
    from matplotlib.ticker import MultipleLocator

    for index, lane in enumerate(lanes):
        top, bottom = lane_span[lane]
        ax.axhspan(top, bottom, color=LAYER_COLORS[lane], alpha=0.07 if index % 2 == 0 else 0.12, lw=0, zorder=0)
        ax.add_patch(
            Rectangle(
                (0.0, top),
                0.008,
                bottom - top,
                transform=ax.get_yaxis_transform(),
                color=LAYER_COLORS[lane],
                lw=0,
                zorder=1,
                clip_on=False,
            )
        )
    ax.set_yticks([sum(lane_span[k]) / 2 for k in lanes], [LAYER_LABELS[k] for k in lanes])
    ax.tick_params(axis="y", length=0, pad=8)
    ax.spines["left"].set_visible(False)
    ax.xaxis.set_major_locator(MultipleLocator(_week_locator(span)))
    ax.grid(axis="x", color="#FFFFFF", lw=1.0, zorder=0.5)
    ax.axvline(0.0, color="#777777", lw=1.0, ls=(0, (2, 2)), zorder=0.6)


def _draw_bands(
    ax: Axes,
    items: list[_Item],
    on_demand_rows: dict[str, list[_Item]],
    row_height: dict[tuple[str, int], float],
    x0: float,
    x1: float,
) -> None:
    """Draw a grey band across all lanes for each formal event, and one across its lane for each on-demand item."""
    from matplotlib.patches import Rectangle

    band = max(0.012 * (x1 - x0), 0.6)
    for item in items:
        if item.formal and item.day is not None:
            ax.axvspan(item.day - band / 2, item.day + band / 2, color="#000000", alpha=0.08, lw=0, zorder=0.7)
    for lane, extra in on_demand_rows.items():
        for item in extra:
            h = row_height[lane, item.row] * 0.6
            ax.add_patch(
                Rectangle(
                    (x0, item.y - h / 2),
                    x1 - x0,
                    h,
                    color=LAYER_COLORS[lane],
                    alpha=0.22,
                    lw=0,
                    zorder=1.5,
                    gid="on-demand-band",
                )
            )
            item.day_draw = x0 + 0.012 * (x1 - x0)


def _draw_edges(ax: Axes, journey: Journey, by_id: dict[str, _Item], positions: dict[str, tuple[float, float]]) -> None:
    """Draw the edges between dated activities as light arrows (dotted where the link is loose)."""
    from matplotlib.patches import FancyArrowPatch

    for edge in journey.edges:
        a, b = by_id[edge.source], by_id[edge.target]
        if a.day is None or b.day is None:
            continue
        loose = edge.kind in (EdgeKind.REINFORCES, EdgeKind.SUPPORTS)
        rad = 0.0 if a.y != b.y and not loose else (-0.2 if a.day < b.day else 0.2)
        arrow = FancyArrowPatch(
            positions[a.id],
            positions[b.id],
            arrowstyle="-|>",
            mutation_scale=9,
            connectionstyle=f"arc3,rad={rad}",
            color="#8C8C8C",
            alpha=0.35 if loose else 0.8,
            lw=0.9,
            ls=(0, (1.5, 2)) if loose else "-",
            shrinkA=a.diameter / 2 + 1.5,
            shrinkB=b.diameter / 2 + 1.5,
            zorder=2,
            gid="edge",
        )
        ax.add_patch(arrow)


def _draw_markers(ax: Axes, items: list[_Item], positions: dict[str, tuple[float, float]]) -> None:
    """Draw one scatter per kind family, filled (required) or hollow (optional)."""
    for family in FAMILIES:
        members = [i for i in items if i.family == family]
        if not members:
            continue
        faces = [LAYER_COLORS[i.layer] if i.required else "white" for i in members]
        ax.scatter(
            [positions[i.id][0] for i in members],
            [positions[i.id][1] for i in members],
            s=[i.diameter**2 for i in members],
            marker=FAMILY_MARKERS[family],
            c=faces,
            edgecolors=[_edge_colour(i) for i in members],
            linewidths=1.4,
            zorder=4,
            gid=f"activities:{family}",
            label=FAMILY_LABELS[family],
        )


def _draw_labels(ax: Axes, items: list[_Item], positions: dict[str, tuple[float, float]]) -> None:
    """Label each activity beside its marker (bold for formal events, left where the right has no room)."""
    import matplotlib.patheffects as pe

    halo = [pe.withStroke(linewidth=3.0, foreground="white")]
    for item in items:
        x, yy = positions[item.id]
        offset = (_reach(item) + _LABEL_GAP_PT) * (-1 if item.label_left else 1)
        label = "On demand: " + short(item.title, 90) if item.day is None else item.label
        ax.annotate(
            label,
            (x, yy),
            xytext=(offset, 0),
            textcoords="offset points",
            ha="right" if item.label_left else "left",
            va="center",
            fontsize=_LABEL_SIZE,
            fontweight="bold" if item.formal else "normal",
            color=INK,
            zorder=5,
            path_effects=halo,
            gid="activity-label",
        )
