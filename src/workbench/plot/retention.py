"""Retention over time, plans compared, and the cost-retention frontier.

These functions read the tidy frames of the simulation (``SimulationResult.to_frame()``):
one row per ``concept`` and ``day`` with the population's recall probability as ``mean``
and quantiles ``q05``, ``q25``, ``q50``, ``q75``, ``q95`` (0..1), and ``proficient_share``.
The concept ``"__all__"`` stands for the importance-weighted mean over concepts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from workbench.errors import ParameterError
from workbench.plot._style import (
    INK,
    MUTED,
    SERIES_COLORS,
    SERIES_LINESTYLES,
    apply_layout,
    grid,
    new_axes,
    percent_axis,
    root_figure,
    set_title,
    style,
)

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    from matplotlib.axes import Axes

__all__ = ["plot_frontier", "plot_plan_comparison", "plot_retention", "plot_retention_comparison"]

ALL = "__all__"
_ALL_LABEL = "All concepts (importance-weighted)"
_DAY_LABEL = "Day of the journey (days from start)"
_RECALL_LABEL = "Recall probability (%, mean over learners)"


def _as_frame(data: Any, what: str = "frame_or_result") -> pd.DataFrame:
    """Return a retention frame from a DataFrame or anything with ``.to_frame()``; columns checked."""
    import pandas as pd

    frame = data if isinstance(data, pd.DataFrame) else None
    if frame is None and callable(getattr(data, "to_frame", None)):
        frame = data.to_frame()
    if not isinstance(frame, pd.DataFrame):
        raise ParameterError(
            f"{what}: expected a DataFrame or a simulation result with .to_frame() (got {type(data).__name__})"
        )
    if isinstance(frame.index, pd.MultiIndex) or frame.index.name in ("concept", "day"):
        frame = frame.reset_index()
    missing = [c for c in ("concept", "day", "mean") if c not in frame.columns]
    if missing:
        raise ParameterError(
            f"{what}: missing column(s) {', '.join(missing)}; a retention frame has columns "
            "concept, day, mean, q05..q95 (use SimulationResult.to_frame())"
        )
    return frame


def _with_all(data: Any, frame: pd.DataFrame) -> pd.DataFrame:
    """Add the ``"__all__"`` rows (importance-weighted mean) when a result can give them."""
    import numpy as np
    import pandas as pd

    if ALL in set(frame["concept"]):
        return frame
    ids, weights = getattr(data, "concept_ids", None), getattr(data, "weights", None)
    if ids is None or weights is None:
        return frame
    table = frame.pivot_table(index="day", columns="concept", values="mean")[list(ids)]
    rows = pd.DataFrame({"concept": ALL, "day": table.index, "mean": table.to_numpy() @ np.asarray(weights)})
    return pd.concat([frame, rows], ignore_index=True)


def _band_columns(frame: pd.DataFrame, band: tuple[float, float] | None, what: str) -> tuple[str, str] | None:
    if band is None:
        return None
    if len(band) != 2 or not 0 <= band[0] < band[1] <= 1:
        raise ParameterError(f"band: expected two quantiles 0 <= low < high <= 1 (got {band!r})")
    low, high = (f"q{round(100 * q):02d}" for q in band)
    missing = [c for c in (low, high) if c not in frame.columns]
    if missing:
        quantiles = sorted(c for c in frame.columns if c.startswith("q") and c[1:].isdigit())
        raise ParameterError(
            f"band={band!r}: {what} has no column {', '.join(missing)}; available quantiles: "
            f"{', '.join(quantiles) or 'none'} (or pass band=None)"
        )
    return low, high


def _band_label(band: tuple[float, float]) -> str:
    return f"middle {round(100 * (band[1] - band[0]))}% of learners"


def _reference_lines(ax: Axes, target: float | None, deadline_day: float | None) -> None:
    if target is not None:
        ax.axhline(target, color=INK, lw=1.3, ls=(0, (4, 3)), zorder=2.5, gid="target")
        ax.annotate(
            f"target {target:.0%}",
            (0.0, target),
            xycoords=("axes fraction", "data"),
            xytext=(4, 4),
            textcoords="offset points",
            ha="left",
            va="bottom",
            fontsize=11,
            color=INK,
        )
    if deadline_day is not None:
        ax.axvline(deadline_day, color=INK, lw=1.3, ls=(0, (1, 2)), zorder=2.5, gid="deadline")
        ax.annotate(
            f"deadline: day {deadline_day:g}",
            (deadline_day, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(-4, -4),
            textcoords="offset points",
            ha="right",
            va="top",
            fontsize=11,
            color=INK,
        )


def _finish_recall_axes(ax: Axes, title: str) -> None:
    ax.set_ylim(0.0, 1.05)
    percent_axis(ax)
    grid(ax, "y")
    ax.set_xlabel(_DAY_LABEL)
    ax.set_ylabel(_RECALL_LABEL)
    set_title(ax, title)


def plot_retention(
    frame_or_result: Any,
    ax: Axes | None = None,
    concepts: Sequence[str] | None = None,
    target: float | None = None,
    deadline_day: float | None = None,
    touch_days: Mapping[str, Iterable[float]] | None = None,
    band: tuple[float, float] | None = (0.25, 0.75),
    *,
    names: Mapping[str, str] | None = None,
    title: str | None = None,
) -> Axes:
    """Recall probability over the days of a journey, one line per concept.

    The line is the mean recall over the learner population; the shaded band spans the
    ``band`` quantiles (the middle half of learners by default). Markers on a line show the
    days the journey touches that concept (the saw-tooth of spaced reinforcement).

    Parameters
    ----------
    frame_or_result : DataFrame or simulation result
        A tidy frame with columns ``concept``, ``day``, ``mean`` and the quantiles the band
        needs (``q25``, ``q75``), or any object with ``.to_frame()`` giving one.
    ax : matplotlib Axes, optional
        Axes to draw into; a new slide-sized (16:9) figure when omitted.
    concepts : sequence of str, optional
        Concepts to draw, in this order; all but ``"__all__"`` by default (pass
        ``["__all__"]`` for the importance-weighted mean).
    target : float, optional
        Target recall (0..1), drawn as a dashed line.
    deadline_day : float, optional
        Day by which the target must hold (e.g. an audit), drawn as a dotted line.
    touch_days : mapping of concept to days, optional
        Days each concept is touched; defaults to the result's ``touch_days`` when present.
    band : (float, float) or None, default (0.25, 0.75)
        Quantiles of the shaded band; None for no band.
    names : mapping of concept id to name, optional
        Labels for the legend (e.g. ``{c.id: c.name for c in journey.concepts}``).
    title : str, optional
        Axes title.

    Returns
    -------
    matplotlib Axes
        The axes drawn into.

    Raises
    ------
    ParameterError
        When a column is missing, a concept is not in the frame or ``band`` is malformed.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"concept": ["a"] * 3, "day": [0, 1, 2], "mean": [0.9, 0.8, 0.7],
    ...                       "q25": [0.85, 0.7, 0.6], "q75": [0.95, 0.9, 0.8]})
    >>> ax = plot_retention(frame, target=0.8, touch_days={"a": [0]})
    >>> len(ax.get_lines()) >= 1
    True
    """
    frame = _with_all(frame_or_result, _as_frame(frame_or_result))
    columns = _band_columns(frame, band, "frame_or_result")
    if touch_days is None:
        touch_days = getattr(frame_or_result, "touch_days", None)
    chosen = _chosen_concepts(frame, concepts)
    labels = {ALL: _ALL_LABEL, **(names or {})}

    with style():
        ax = new_axes(ax)
        for index, concept in enumerate(chosen):
            rows = frame[frame["concept"] == concept].sort_values("day")
            touches = [float(d) for d in (touch_days or {}).get(concept, ())]
            _draw_concept(ax, rows, concept, index, columns, touches, labels.get(concept, concept))
        _reference_lines(ax, target, deadline_day)
        _finish_recall_axes(ax, title if title is not None else "Retention over the journey")
        _retention_legend(ax, band if columns is not None else None, bool(touch_days))
    return ax


def _chosen_concepts(frame: pd.DataFrame, concepts: Sequence[str] | None) -> list[str]:
    """Return the concepts to draw: the given ones (each must be in the frame), else every concept but the mean."""
    available = list(dict.fromkeys(frame["concept"]))
    if concepts is None:
        return [c for c in available if c != ALL] or available
    chosen = list(concepts)
    unknown = [c for c in chosen if c not in available]
    if unknown:
        raise ParameterError(
            f"concepts: {', '.join(map(repr, unknown))} not in the frame; available: {', '.join(available)}"
        )
    return chosen


def _draw_concept(
    ax: Axes,
    rows: pd.DataFrame,
    concept: str,
    index: int,
    columns: tuple[str, str] | None,
    touch_days: list[float],
    label: str,
) -> None:
    """Draw one concept's mean recall, its band and its touches (circles on the line)."""
    import numpy as np

    colour = INK if concept == ALL else SERIES_COLORS[index % len(SERIES_COLORS)]
    dash = "-" if concept == ALL else SERIES_LINESTYLES[index % len(SERIES_LINESTYLES)]
    days, mean = _draw_series(
        ax, rows, columns, concept, label, colour=colour, ls=dash, lw=2.6 if concept == ALL else 2.2, band_alpha=0.16
    )
    touches = [d for d in touch_days if len(days) and days[0] <= d <= days[-1]]
    if touches:
        ax.plot(
            touches,
            np.interp(touches, days, mean),
            ls="",
            marker="o",
            ms=7,
            mfc="white",
            mec=colour,
            mew=2,
            zorder=4,
            gid=f"touches:{concept}",
        )


def _draw_series(
    ax: Axes,
    rows: pd.DataFrame,
    columns: tuple[str, str] | None,
    key: str,
    label: str,
    *,
    colour: str,
    ls: Any,
    lw: float,
    band_alpha: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Draw one series' quantile band (when every row has it) under its mean line; return its days and means."""
    days = rows["day"].to_numpy(dtype=float)
    mean = rows["mean"].to_numpy(dtype=float)
    if columns is not None and rows[list(columns)].notna().all().all():
        ax.fill_between(
            days,
            rows[columns[0]].to_numpy(dtype=float),
            rows[columns[1]].to_numpy(dtype=float),
            color=colour,
            alpha=band_alpha,
            lw=0,
            zorder=1,
            gid=f"band:{key}",
        )
    ax.plot(days, mean, color=colour, ls=ls, lw=lw, zorder=3, label=label, gid=f"line:{key}")
    return days, mean


def _retention_legend(ax: Axes, band: tuple[float, float] | None, touches: bool) -> None:
    """Draw the legend: the lines, then the band (when drawn) and the touch marker (when any)."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles, _ = ax.get_legend_handles_labels()
    extra: list[Any] = []
    if band is not None:
        extra.append(Patch(color="#777777", alpha=0.3, label=_band_label(band)))
    if touches:
        extra.append(
            Line2D(
                [],
                [],
                ls="",
                marker="o",
                ms=7,
                mfc="white",
                mec="#555555",
                mew=2,
                label="touch (activity on the concept)",
            )
        )
    ax.legend(handles=[*handles, *extra], loc="best", ncol=2 if len(handles) > 4 else 1)


def plot_retention_comparison(
    frames: Mapping[str, Any],
    concept: str = ALL,
    ax: Axes | None = None,
    target: float | None = None,
    deadline_day: float | None = None,
    band: tuple[float, float] | None = None,
    *,
    title: str | None = None,
) -> Axes:
    """Retention of one concept (or all, weighted) under several plans, one line per plan.

    Parameters
    ----------
    frames : mapping of plan name to frame or result
        Retention frames (see :func:`plot_retention`), in legend order.
    concept : str, default "__all__"
        The concept to compare; ``"__all__"`` is the importance-weighted mean over concepts.
    ax : matplotlib Axes, optional
        Axes to draw into; a new slide-sized (16:9) figure when omitted.
    target, deadline_day : float, optional
        Reference lines, as in :func:`plot_retention`.
    band : (float, float), optional
        Quantile band per plan (off by default: bands of several plans overlap).
    title : str, optional
        Axes title.

    Returns
    -------
    matplotlib Axes
        The axes drawn into.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> def frame(decay):
    ...     return pd.DataFrame({"concept": "__all__", "day": range(5),
    ...                          "mean": [0.9 * decay**d for d in range(5)]})
    >>> ax = plot_retention_comparison({"no follow-up": frame(0.8), "spaced quiz": frame(0.95)})
    >>> [line.get_label() for line in ax.get_lines()]
    ['no follow-up', 'spaced quiz']
    """
    if not frames:
        raise ParameterError("frames: give at least one plan (a mapping of plan name to frame)")
    with style():
        ax = new_axes(ax)
        for index, (plan, data) in enumerate(frames.items()):
            frame = _with_all(data, _as_frame(data, f"frames[{plan!r}]"))
            rows = frame[frame["concept"] == concept].sort_values("day")
            if rows.empty:
                available = ", ".join(dict.fromkeys(frame["concept"]))
                hint = (
                    "; pass the simulation result itself (its importance weights give '__all__')"
                    if concept == ALL
                    else ""
                )
                raise ParameterError(f"frames[{plan!r}]: no rows for concept {concept!r}; available: {available}{hint}")
            columns = _band_columns(frame, band, f"frames[{plan!r}]")
            colour = SERIES_COLORS[index % len(SERIES_COLORS)]
            dash = SERIES_LINESTYLES[index % len(SERIES_LINESTYLES)]
            _draw_series(ax, rows, columns, plan, plan, colour=colour, ls=dash, lw=2.4, band_alpha=0.12)
        _reference_lines(ax, target, deadline_day)
        what = _ALL_LABEL.lower() if concept == ALL else concept
        _finish_recall_axes(ax, title if title is not None else f"Retention by plan: {what}")
        ax.legend(title="Plan", loc="best")
    return ax


def _check_columns(frame: Any, needed: Sequence[str], what: str) -> pd.DataFrame:
    import pandas as pd

    if not isinstance(frame, pd.DataFrame):
        raise ParameterError(f"{what}: expected a DataFrame (got {type(frame).__name__})")
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise ParameterError(f"{what}: missing column(s) {', '.join(missing)}; needs {', '.join(needed)}")
    return frame


def plot_plan_comparison(
    summary: pd.DataFrame,
    ax: Axes | None = None,
    day: float | None = None,
    *,
    target: float | None = None,
    title: str | None = None,
) -> Axes:
    """Retention on one day by plan, as horizontal bars labelled with learner minutes.

    Parameters
    ----------
    summary : DataFrame
        One row per plan with columns ``plan``, ``learner_minutes`` and ``retention``
        (recall 0..1 on ``day``), drawn top to bottom in row order.
    ax : matplotlib Axes, optional
        Axes to draw into; a new slide-sized (16:9) figure when omitted.
    day : float, optional
        The day ``retention`` was measured on, for the title and axis label.
    target : float, optional
        Target recall, drawn as a dashed line.
    title : str, optional
        Axes title.

    Returns
    -------
    matplotlib Axes
        The axes drawn into.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> summary = pd.DataFrame({"plan": ["none", "spaced"], "learner_minutes": [300, 330],
    ...                         "retention": [0.42, 0.81]})
    >>> ax = plot_plan_comparison(summary, day=90)
    >>> ax.get_xlabel()
    'Retention on day 90 (%, mean recall)'
    """
    import matplotlib.patheffects as pe

    frame = _check_columns(summary, ("plan", "learner_minutes", "retention"), "summary")
    when = f"on day {day:g}" if day is not None else "at the end"
    with style():
        ax = new_axes(ax)
        plans = [str(p) for p in frame["plan"]]
        values = frame["retention"].to_numpy(dtype=float)
        minutes = frame["learner_minutes"].to_numpy(dtype=float)
        positions = list(range(len(plans)))[::-1]
        colours = [SERIES_COLORS[0] if target is None or v >= target else MUTED for v in values]
        ax.barh(positions, values, height=0.62, color=colours, zorder=2, gid="plans")
        halo = [pe.withStroke(linewidth=3, foreground="white")]
        for y, value, spent in zip(positions, values, minutes, strict=True):
            below = "  (below target)" if target is not None and value < target else ""
            ax.annotate(
                f"{value:.0%}  ·  {spent:g} min{below}",
                (value, y),
                xytext=(6, 0),
                textcoords="offset points",
                ha="left",
                va="center",
                fontsize=12,
                color=INK,
                path_effects=halo,
                gid="plan-label",
            )
        ax.set_yticks(positions, plans)
        ax.set_xlim(0.0, 1.18)
        percent_axis(ax, "x")
        ax.set_xticks([0.0, 0.2, 0.4, 0.6, 0.8, 1.0])
        grid(ax, "x")
        if target is not None:
            ax.axvline(target, color=INK, lw=1.3, ls=(0, (4, 3)), zorder=3, gid="target")
            ax.annotate(
                f"target {target:.0%}",
                (target, 1.0),
                xycoords=("data", "axes fraction"),
                xytext=(4, -2),
                textcoords="offset points",
                ha="left",
                va="top",
                fontsize=11,
            )
        ax.set_xlabel(f"Retention {when} (%, mean recall)")
        ax.set_ylabel("Plan (label: retention · learner minutes)")
        set_title(ax, title if title is not None else f"Retention {when} by reinforcement plan")
    return ax


def _text_box_pt(text: str, size: float) -> tuple[float, float]:
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextPath

    extents = TextPath((0, 0), text, prop=FontProperties(size=size)).get_extents()
    return float(extents.width), float(size * 1.25)


def _place_labels(
    ax: Axes, xs: Sequence[float], ys: Sequence[float], labels: Sequence[str], size: float = 11.0
) -> list[tuple[float, float, str, str]]:
    """Greedy label placement around points: first candidate offset that overlaps nothing."""
    scale = root_figure(ax).dpi / 72.0
    points: list[tuple[float, float]] = (
        [(float(x), float(y)) for x, y in ax.transData.transform(list(zip(xs, ys, strict=True)))] if len(xs) else []
    )
    taken: list[tuple[float, float, float, float]] = [
        (px - 6 * scale, py - 6 * scale, px + 6 * scale, py + 6 * scale) for px, py in points
    ]
    candidates = [
        (8, 6, "left", "bottom"),
        (8, -6, "left", "top"),
        (-8, 6, "right", "bottom"),
        (-8, -6, "right", "top"),
        (0, 12, "center", "bottom"),
        (0, -12, "center", "top"),
        (14, 20, "left", "bottom"),
        (14, -20, "left", "top"),
    ]
    placed = []
    for (px, py), label in zip(points, labels, strict=True):
        width, height = (v * scale for v in _text_box_pt(label, size))
        choice = candidates[0]
        for dx, dy, ha, va in candidates:
            x0 = px + dx * scale - (width if ha == "right" else width / 2 if ha == "center" else 0)
            y0 = py + dy * scale - (height if va == "top" else 0)
            box = (x0, y0, x0 + width, y0 + height)
            if not any(box[0] < t[2] and t[0] < box[2] and box[1] < t[3] and t[1] < box[3] for t in taken):
                choice = (dx, dy, ha, va)
                taken.append(box)
                break
        placed.append((float(choice[0]), float(choice[1]), choice[2], choice[3]))
    return placed


def plot_frontier(
    frame: pd.DataFrame,
    ax: Axes | None = None,
    *,
    day: float | None = None,
    target: float | None = None,
    title: str | None = None,
) -> Axes:
    """Learner minutes against retention for many plans; the efficient frontier stands out.

    Plans on the frontier (``dominated`` False: no other plan is both cheaper and better)
    are coloured and joined by a line; dominated plans are grey.

    Parameters
    ----------
    frame : DataFrame
        One row per plan with columns ``learner_minutes``, ``retention`` (0..1), ``label`` and
        ``dominated`` (bool).
    ax : matplotlib Axes, optional
        Axes to draw into; a new slide-sized (16:9) figure when omitted.
    day : float, optional
        The day retention was measured on, for the axis label.
    target : float, optional
        Target recall, drawn as a dashed line.
    title : str, optional
        Axes title.

    Returns
    -------
    matplotlib Axes
        The axes drawn into.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> plans = pd.DataFrame({"learner_minutes": [300, 320, 330, 340], "retention": [0.4, 0.7, 0.6, 0.8],
    ...                       "label": ["none", "2 quizzes", "recap only", "4 quizzes"],
    ...                       "dominated": [False, False, True, False]})
    >>> ax = plot_frontier(plans, day=90)
    >>> ax.get_ylabel()
    'Retention on day 90 (%, mean recall)'
    """
    import numpy as np

    data = _check_columns(frame, ("learner_minutes", "retention", "label", "dominated"), "frame")
    when = f"on day {day:g}" if day is not None else "at the end"
    with style():
        ax = new_axes(ax)
        minutes = data["learner_minutes"].to_numpy(dtype=float)
        retention = data["retention"].to_numpy(dtype=float)
        dominated = data["dominated"].to_numpy(dtype=bool)
        labels = [str(v) for v in data["label"]]
        _draw_frontier(ax, minutes, retention, dominated)
        if len(minutes):
            span = max(float(np.ptp(minutes)), 1.0)
            ax.set_xlim(float(minutes.min()) - 0.08 * span, float(minutes.max()) + 0.2 * span)
        ax.set_ylim(max(0.0, float(retention.min(initial=0.0)) - 0.1), 1.02)
        if target is not None:
            ax.axhline(target, color=INK, lw=1.3, ls=(0, (4, 3)), zorder=2.5, gid="target")
            ax.annotate(
                f"target {target:.0%}",
                (0.0, target),
                xycoords=("axes fraction", "data"),
                xytext=(4, 4),
                textcoords="offset points",
                ha="left",
                va="bottom",
                fontsize=11,
            )
        percent_axis(ax)
        grid(ax)
        ax.set_xlabel("Learner time (minutes per learner)")
        ax.set_ylabel(f"Retention {when} (%, mean recall)")
        set_title(ax, title if title is not None else "Learner time against retention: which plans are worth it")
        apply_layout(ax)
        _label_points(ax, minutes, retention, labels, dominated)
        ax.legend(loc="lower right")
    return ax


def _draw_frontier(ax: Axes, minutes: np.ndarray, retention: np.ndarray, dominated: np.ndarray) -> None:
    """Draw dominated plans muted, and the frontier as a line through its plans."""
    import numpy as np

    ax.scatter(
        minutes[dominated],
        retention[dominated],
        s=70,
        color=MUTED,
        edgecolors="#888888",
        zorder=3,
        label="Dominated (another plan is cheaper and better)",
        gid="dominated",
    )
    order = np.argsort(minutes[~dominated], kind="stable")
    ax.plot(
        minutes[~dominated][order],
        retention[~dominated][order],
        color=SERIES_COLORS[0],
        lw=2.2,
        zorder=2,
        drawstyle="default",
        gid="frontier-line",
    )
    ax.scatter(
        minutes[~dominated],
        retention[~dominated],
        s=110,
        color=SERIES_COLORS[0],
        edgecolors=INK,
        zorder=4,
        label="On the frontier",
        gid="frontier",
    )


def _label_points(
    ax: Axes, minutes: np.ndarray, retention: np.ndarray, labels: list[str], dominated: np.ndarray
) -> None:
    """Label each plan where its label collides least (after the layout, so sizes in points hold)."""
    import matplotlib.patheffects as pe

    halo = [pe.withStroke(linewidth=3, foreground="white")]
    for x, y, label, (dx, dy, ha, va), dom in zip(
        minutes,
        retention,
        labels,
        _place_labels(ax, list(minutes), list(retention), labels),
        dominated,
        strict=True,
    ):
        ax.annotate(
            label,
            (x, y),
            xytext=(dx, dy),
            textcoords="offset points",
            ha=ha,
            va=va,
            fontsize=11,
            color="#666666" if dom else INK,
            path_effects=halo,
            zorder=5,
            gid="plan-label",
        )
