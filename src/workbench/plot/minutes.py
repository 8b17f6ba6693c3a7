"""Learner workload: minutes per week, formal events and micro assets stacked."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from workbench.plot._style import INK, LAYER_COLORS, grid, new_axes, set_title, style

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

    from workbench.model import Journey

__all__ = ["minutes_per_week", "plot_minutes_per_week"]

_FORMAL_COLOR = LAYER_COLORS["during"]
_MICRO_COLOR = LAYER_COLORS["after"]


def minutes_per_week(journey: Journey, *, required_only: bool = True) -> pd.DataFrame:
    """Learner minutes per week of the journey, formal and micro.

    Week ``w`` holds days ``[7w, 7w + 7)`` from the start (days before the start fall in
    negative weeks); weeks without activities are kept, with zeros, so gaps show.
    On-demand activities have no week and are left out.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``week``, columns ``formal`` and ``micro`` (minutes).

    Examples
    --------
    >>> from workbench.templates import load_template
    >>> table = minutes_per_week(load_template("post_training_retention"))
    >>> float(table.loc[0, "formal"]), float(table.loc[0, "micro"])
    (300.0, 7.0)
    """
    import pandas as pd

    rows = []
    for activity in journey.activities:
        day = journey.days.get(activity.id)
        if day is None or (required_only and not activity.required):
            continue
        rows.append((math.floor(day / 7.0), journey.is_formal(activity), activity.duration_min))
    if not rows:
        return pd.DataFrame({"formal": [], "micro": []}, index=pd.Index([], name="week", dtype=int))
    weeks = list(range(min(r[0] for r in rows), max(r[0] for r in rows) + 1))
    sums = {"formal": dict.fromkeys(weeks, 0.0), "micro": dict.fromkeys(weeks, 0.0)}
    for week, formal, minutes in rows:
        sums["formal" if formal else "micro"][week] += minutes
    return pd.DataFrame(
        {column: [sums[column][w] for w in weeks] for column in ("formal", "micro")},
        index=pd.Index(weeks, name="week"),
    )


def plot_minutes_per_week(
    journey: Journey,
    ax: Axes | None = None,
    *,
    budget: float | None = None,
    required_only: bool = True,
    title: str | None = None,
) -> Axes:
    """Bar chart of learner minutes per week, formal events and micro assets stacked.

    Formal events (a day-long workshop) dwarf micro assets, so each bar is labelled with
    its minutes ("300 + 4" for formal + micro) and micro weeks stay readable.

    Parameters
    ----------
    journey : Journey
        The journey to summarise.
    ax : matplotlib Axes, optional
        Axes to draw into; a new slide-sized (16:9) figure when omitted.
    budget : float, optional
        A weekly budget of micro minutes to draw as a line (e.g. ``LintConfig().weekly_budget_min``).
    required_only : bool, default True
        Count only required activities (what every learner must do).
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
    >>> from workbench.templates import load_template
    >>> ax = plot_minutes_per_week(load_template("post_training_retention"))
    >>> ax.get_ylabel()
    'Learner time (minutes per week)'
    """
    from matplotlib.ticker import MaxNLocator

    with style():
        ax = new_axes(ax)
        table = minutes_per_week(journey, required_only=required_only)
        weeks = [int(w) for w in table.index]
        formal = [float(v) for v in table["formal"]]
        micro = [float(v) for v in table["micro"]]
        ax.bar(weeks, formal, width=0.7, color=_FORMAL_COLOR, label="Formal events", gid="formal", zorder=2)
        ax.bar(
            weeks,
            micro,
            width=0.7,
            bottom=formal,
            color=_MICRO_COLOR,
            label="Micro assets",
            gid="micro",
            zorder=2,
        )
        top = max([f + m for f, m in zip(formal, micro, strict=True)] or [1.0])
        _label_bars(ax, weeks, formal, micro)
        if budget is not None:
            ax.axhline(budget, color=INK, lw=1.4, ls=(0, (4, 3)), zorder=3)
            ax.annotate(
                f"micro budget {budget:g} min/week",
                (1.0, budget),
                xycoords=("axes fraction", "data"),
                xytext=(0, 4),
                textcoords="offset points",
                ha="right",
                va="bottom",
                fontsize=11,
            )
        ax.set_ylim(0, max(top, budget or 0.0) * 1.12 + 1)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=20))
        grid(ax, "y")
        ax.set_xlabel("Week of the journey (weeks from start; week 0 = days 0-6)")
        ax.set_ylabel("Learner time (minutes per week)")
        total = sum(formal) + sum(micro)
        set_title(ax, title if title is not None else f"Learner minutes per week: {total:g} min in total")
        left_out = [
            a for a in journey.activities if journey.days.get(a.id) is None and (a.required or not required_only)
        ]
        if left_out:
            ax.text(
                0.0,
                1.0,
                f"Not shown: {len(left_out)} on-demand activities "
                f"({sum(a.duration_min for a in left_out):g} min each use)",
                transform=ax.transAxes,
                ha="left",
                va="bottom",
                fontsize=11,
                color="#555555",
            )
        ax.legend(loc="upper right")
    return ax


def _label_bars(ax: Axes, weeks: list[int], formal: list[float], micro: list[float]) -> None:
    """Write each week's minutes above its bar (formal + micro where the week has both)."""
    import matplotlib.patheffects as pe

    halo = [pe.withStroke(linewidth=3, foreground="white")]
    for week, f, m in zip(weeks, formal, micro, strict=True):
        if f + m == 0:
            continue
        text = f"{f:g} + {m:g}" if f and m else f"{f + m:g}"
        ax.annotate(
            text,
            (week, f + m),
            xytext=(0, 4),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=11,
            color=INK,
            path_effects=halo,
            gid="bar-label",
        )
