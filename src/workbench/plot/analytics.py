"""Figures of the purpose-aware analytics (:mod:`workbench.analytics`).

Each function draws one analytics table (the frame the matching analytics function returns)
into ``ax`` (a new slide-sized figure when omitted) and returns the Axes. Shares are drawn
with their standard error where the table has one (bars: +/- 1 SE; points: +/- 2 SE).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from workbench.plot._style import (
    INK,
    LAYER_COLORS,
    MUTED,
    SERIES_COLORS,
    grid,
    new_axes,
    percent_axis,
    set_title,
    short,
    style,
)

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

__all__ = [
    "plot_drop_off",
    "plot_engagement_vs_simulated",
    "plot_observed_vs_simulated",
    "plot_repeat_access",
    "plot_returns",
    "plot_series_reach",
    "plot_use_vs_performance",
    "plot_verdicts",
    "plot_work_support",
]

#: One colour per purpose (the layer palette first, then Tol's series colours).
PURPOSE_COLORS: dict[str, str] = {
    "priming": LAYER_COLORS["before"],
    "instruction": LAYER_COLORS["during"],
    "recap": SERIES_COLORS[4],
    "practice": SERIES_COLORS[1],
    "reinforcement": LAYER_COLORS["after"],
    "reference": LAYER_COLORS["work"],
    "social": SERIES_COLORS[5],
    "change_communication": LAYER_COLORS["change"],
    "unspecified": MUTED,
}
_VERDICT_COLORS = {"meets": "#228833", "below": "#EE6677", "no data": MUTED}


def _legend_by_purpose(ax: Axes, purposes: Any) -> None:
    from matplotlib.patches import Patch

    seen = list(dict.fromkeys(str(p) for p in purposes))
    ax.legend(
        handles=[Patch(color=PURPOSE_COLORS.get(p, MUTED), label=p.replace("_", " ")) for p in seen],
        frameon=False,
        fontsize=11,
        loc="best",
    )


def plot_repeat_access(table: pd.DataFrame, ax: Axes | None = None, *, title: str | None = None) -> Axes:
    """Share of each asset's users who came back (2+ accesses), coloured by purpose.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from workbench.analytics import repeat_access
    >>> from workbench.analytics.demo import demo_delivery
    >>> plot_repeat_access(repeat_access(demo_delivery())).get_xlabel()
    "Share of the asset's users who came back (2+ accesses)"
    """
    with style():
        ax = new_axes(ax)
        rows = table.reset_index(drop=True)
        y = np.arange(len(rows))
        colors = [PURPOSE_COLORS.get(str(p), MUTED) for p in rows["purpose"]]
        ax.barh(y, rows["repeat_share"].fillna(0), xerr=rows["se"].fillna(0), color=colors, gid="repeat", zorder=2)
        ax.set_yticks(y, [short(str(t), 40) for t in rows["title"]])
        ax.invert_yaxis()
        for i, per in enumerate(rows["accesses_per_learner"]):
            if not np.isnan(per):
                ax.annotate(
                    f"{per:.1f} per user",
                    (0, i),
                    xytext=(4, 0),
                    textcoords="offset points",
                    va="center",
                    fontsize=11,
                    color=INK,
                )
        percent_axis(ax, "x")
        ax.set_xlim(0, 1)
        ax.set_xlabel("Share of the asset's users who came back (2+ accesses)")
        grid(ax, "x")
        _legend_by_purpose(ax, rows["purpose"])
        set_title(ax, title or "Repeat access by asset and purpose")
    return ax


def plot_returns(table: pd.DataFrame, ax: Axes | None = None, *, title: str | None = None) -> Axes:
    """Plot the returns after the formal programme per week, stacked by layer.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from workbench.analytics import returns_after_programme
    >>> from workbench.analytics.demo import demo_delivery
    >>> plot_returns(returns_after_programme(demo_delivery())).get_ylabel()
    'Returns (accesses)'
    """
    with style():
        ax = new_axes(ax)
        pivot = table.pivot_table(index="week", columns="layer", values="returns", aggfunc="sum", fill_value=0)
        bottom = np.zeros(len(pivot))
        for layer in pivot.columns:
            values = pivot[layer].to_numpy(dtype=float)
            ax.bar(
                pivot.index,
                values,
                bottom=bottom,
                color=LAYER_COLORS.get(str(layer), MUTED),
                label=str(layer),
                gid=f"returns-{layer}",
                zorder=2,
            )
            bottom += values
        ax.set_xlabel("Weeks after the formal programme")
        ax.set_ylabel("Returns (accesses)")
        grid(ax, "y")
        if len(pivot.columns):
            ax.legend(frameon=False, fontsize=11, title="layer")
        set_title(ax, title or "Where learners come back after the programme")
    return ax


def plot_work_support(table: pd.DataFrame, ax: Axes | None = None, *, title: str | None = None) -> Axes:
    """Use of work support by weekday and local hour (a heat map of accesses).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from workbench.analytics import work_support_by_time
    >>> from workbench.analytics.demo import demo_delivery
    >>> plot_work_support(work_support_by_time(demo_delivery())).get_xlabel()
    'Local hour'
    """
    with style():
        ax = new_axes(ax)
        grid_counts = np.zeros((7, 24))
        np.add.at(
            grid_counts,
            (table["weekday"].to_numpy(dtype=int), table["hour"].to_numpy(dtype=int)),
            table["accesses"].to_numpy(dtype=float),
        )
        image = ax.imshow(grid_counts, aspect="auto", cmap="Blues", origin="upper", gid="heatmap")
        ax.set_yticks(range(7), ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"])
        ax.set_xticks(range(0, 24, 2))
        ax.set_xlabel("Local hour")
        root = ax.get_figure()
        if root is not None:
            root.colorbar(image, ax=ax, label="Accesses")
        set_title(ax, title or "When work support is used")
    return ax


def plot_series_reach(table: pd.DataFrame, ax: Axes | None = None, *, title: str | None = None) -> Axes:
    """Reach by position in the reinforcement series, with the assumed and the fitted fatigue.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from workbench.analytics import series_reach
    >>> from workbench.analytics.demo import demo_delivery
    >>> plot_series_reach(series_reach(demo_delivery())).get_xlabel()
    'Position in the reinforcement series'
    """
    with style():
        ax = new_axes(ax)
        k = table["position"].to_numpy(dtype=float)
        ax.errorbar(
            k,
            table["reach"],
            yerr=2 * table["se"],
            fmt="o",
            color=SERIES_COLORS[0],
            label="observed reach (+/- 2 SE)",
            gid="observed",
            zorder=3,
        )
        ax.plot(k, table["expected_base"], ls=":", color=MUTED, label="assumed base x channel (no fatigue)", gid="base")
        fatigue = table.attrs.get("fatigue", {})
        if fatigue and not np.isnan(fatigue.get("estimate", np.nan)):
            fitted = table["expected_base"].to_numpy() * (1 - fatigue["estimate"]) ** k
            assumed = table["expected_base"].to_numpy() * (1 - fatigue["assumed"]) ** k
            ax.plot(
                k,
                assumed,
                ls="--",
                color=SERIES_COLORS[1],
                label=f"assumed fatigue {fatigue['assumed']:.1%} per touch",
                gid="assumed",
            )
            ax.plot(
                k,
                fitted,
                color=SERIES_COLORS[2],
                label=f"fitted {fatigue['estimate']:.1%} ({fatigue['low']:.1%} to {fatigue['high']:.1%})",
                gid="fitted",
            )
        ax.set_xticks(k, [f"{int(p)}\n{short(str(a), 14)}" for p, a in zip(k, table["activity_id"], strict=True)])
        percent_axis(ax, "y")
        ax.set_ylim(0, 1.05)
        ax.set_xlabel("Position in the reinforcement series")
        ax.set_ylabel("Share of the cohort reached")
        grid(ax, "y")
        ax.legend(frameon=False, fontsize=11, loc="lower left")
        set_title(ax, title or "Does reinforcement keep its reach?")
    return ax


def plot_use_vs_performance(table: pd.DataFrame, ax: Axes | None = None, *, title: str | None = None) -> Axes:
    """Correlation of use and performance per concept, with 95 % intervals; gaps highlighted.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from workbench.analytics import use_vs_performance
    >>> from workbench.analytics.demo import demo_delivery, demo_performance
    >>> d = demo_delivery()
    >>> plot_use_vs_performance(use_vs_performance(d, demo_performance(d))).get_xlabel()
    'Correlation of use with performance (Pearson r, 95% interval)'
    """
    with style():
        ax = new_axes(ax)
        rows = table.reset_index(drop=True)
        y = np.arange(len(rows))
        gap = rows.get("gap", False)
        colors = [
            SERIES_COLORS[1] if g else SERIES_COLORS[0]
            for g in (gap if hasattr(gap, "__iter__") else [False] * len(rows))
        ]
        ax.errorbar(
            rows["r"],
            y,
            xerr=[rows["r"] - rows["r_low"], rows["r_high"] - rows["r"]],
            fmt="none",
            ecolor=MUTED,
            zorder=2,
        )
        ax.scatter(rows["r"], y, c=colors, s=80, zorder=3, gid="r")
        labels = [
            f"{c} (use {u:.1f}, value {v:.2f})"
            for c, u, v in zip(rows["concept"], rows["mean_use"], rows["mean_value"], strict=True)
        ]
        ax.set_yticks(y, labels)
        ax.invert_yaxis()
        ax.axvline(0, color=INK, lw=1)
        ax.set_xlim(-1, 1)
        ax.set_xlabel("Correlation of use with performance (Pearson r, 95% interval)")
        grid(ax, "x")
        set_title(ax, title or "Use and performance by concept (red: used but weak)")
    return ax


def plot_drop_off(table: pd.DataFrame, ax: Axes | None = None, *, title: str | None = None) -> Axes:
    """Reach along the journey, with where learners stopped and which required assets they skipped.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from workbench.analytics import drop_off
    >>> from workbench.analytics.demo import demo_delivery
    >>> plot_drop_off(drop_off(demo_delivery())).get_ylabel()
    'Share of the cohort'
    """
    with style():
        ax = new_axes(ax)
        x = table["position"].to_numpy(dtype=float)
        n = (table["learners"] / table["reach"].where(table["reach"] > 0)).max()
        n = float(n) if not np.isnan(n) else 1.0
        ax.plot(x, table["reach"], marker="o", color=SERIES_COLORS[0], label="reached", gid="reach", zorder=3)
        ax.bar(
            x - 0.2,
            table["skipped_then_continued"] / n,
            width=0.4,
            color=SERIES_COLORS[1],
            label="skipped it, did a later one",
            gid="skipped",
            zorder=2,
        )
        ax.bar(x + 0.2, table["last_seen"] / n, width=0.4, color=MUTED, label="stopped here", gid="stopped", zorder=2)
        ax.set_xticks(x, [short(str(a), 14) for a in table["activity_id"]], rotation=30, ha="right")
        percent_axis(ax, "y")
        ax.set_ylim(0, 1.05)
        ax.set_ylabel("Share of the cohort")
        grid(ax, "y")
        ax.legend(frameon=False, fontsize=11)
        set_title(ax, title or "Drop-off along the journey")
    return ax


def plot_verdicts(table: pd.DataFrame, ax: Axes | None = None, *, title: str | None = None) -> Axes:
    """Each asset's measure against its purpose's threshold, coloured by verdict.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from workbench.analytics import verdicts
    >>> from workbench.analytics.demo import demo_delivery
    >>> plot_verdicts(verdicts(demo_delivery())).get_xlabel()
    'Measure of the asset against its purpose (bar) and the threshold (tick)'
    """
    with style():
        ax = new_axes(ax)
        rows = table.reset_index(drop=True)
        y = np.arange(len(rows))
        colors = [_VERDICT_COLORS.get(str(v), MUTED) for v in rows["verdict"]]
        ax.barh(y, rows["value"].fillna(0), xerr=rows["se"].fillna(0), color=colors, gid="verdict", zorder=2)
        ax.scatter(rows["threshold"], y, marker="|", s=400, color=INK, zorder=3, gid="threshold")
        ax.set_yticks(
            y,
            [
                f"{short(str(t), 32)} ({p}: {m})"
                for t, p, m in zip(rows["title"], rows["purpose"], rows["measure"], strict=True)
            ],
        )
        ax.invert_yaxis()
        percent_axis(ax, "x")
        ax.set_xlim(0, 1.05)
        ax.set_xlabel("Measure of the asset against its purpose (bar) and the threshold (tick)")
        grid(ax, "x")
        set_title(ax, title or "Does each asset do what it is for?")
    return ax


def plot_observed_vs_simulated(
    table: pd.DataFrame, ax: Axes | None = None, *, concept: str | None = None, title: str | None = None
) -> Axes:
    """Observed retrieval success per touch (+/- 2 SE) next to the simulation's, for one concept.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from workbench.analytics import observed_vs_simulated
    >>> from workbench.analytics.demo import demo_delivery, synthetic_cohort
    >>> table = observed_vs_simulated(demo_delivery(), synthetic_cohort()[0])
    >>> plot_observed_vs_simulated(table, concept="sbi_model").get_title(loc="left")
    'Retrieval success: sbi_model, observed and simulated'
    """
    with style():
        ax = new_axes(ax)
        chosen = concept if concept is not None else (str(table["concept"].iloc[0]) if len(table) else "")
        rows = table[table["concept"] == chosen].sort_values("day")
        ax.errorbar(
            rows["day"],
            rows["observed"],
            yerr=2 * rows["se"],
            fmt="o-",
            color=SERIES_COLORS[0],
            label="observed (+/- 2 SE)",
            gid="observed",
            zorder=3,
        )
        ax.plot(
            rows["day"], rows["simulated"], "s--", color=SERIES_COLORS[1], label="simulated", gid="simulated", zorder=2
        )
        for day, activity in zip(rows["day"], rows["activity_id"], strict=True):
            ax.annotate(str(activity), (day, 0.02), rotation=90, fontsize=11, color=MUTED, va="bottom", ha="center")
        percent_axis(ax, "y")
        ax.set_ylim(0, 1.05)
        ax.set_xlabel("Day of the journey")
        ax.set_ylabel("Share of retrievals correct")
        grid(ax, "y")
        ax.legend(frameon=False, fontsize=11, loc="lower right")
        set_title(ax, title or f"Retrieval success: {chosen}, observed and simulated")
    return ax


def plot_engagement_vs_simulated(table: pd.DataFrame, ax: Axes | None = None, *, title: str | None = None) -> Axes:
    """Observed reach per asset (+/- 2 SE) against the simulated reach.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from workbench.analytics import engagement_vs_simulated
    >>> from workbench.analytics.demo import demo_delivery, synthetic_cohort
    >>> table = engagement_vs_simulated(demo_delivery(), synthetic_cohort()[0])
    >>> plot_engagement_vs_simulated(table).get_ylabel()
    'Reach (share of the cohort; per week if on demand)'
    """
    with style():
        ax = new_axes(ax)
        rows = table.reset_index(drop=True)
        x = np.arange(len(rows))
        ax.errorbar(
            x - 0.1,
            rows["observed"],
            yerr=2 * rows["se"],
            fmt="o",
            color=SERIES_COLORS[0],
            label="observed (+/- 2 SE)",
            gid="observed",
        )
        ax.scatter(
            x + 0.1, rows["simulated"], marker="s", color=SERIES_COLORS[1], label="simulated", gid="simulated", zorder=3
        )
        ax.set_xticks(x, [short(str(a), 14) for a in rows["activity_id"]], rotation=30, ha="right")
        percent_axis(ax, "y")
        ax.set_ylim(0, 1.05)
        ax.set_ylabel("Reach (share of the cohort; per week if on demand)")
        grid(ax, "y")
        ax.legend(frameon=False, fontsize=11)
        set_title(ax, title or "Engagement: observed and simulated")
    return ax
