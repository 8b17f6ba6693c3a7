"""Figures for strategy reviews, in matplotlib only.

Every function draws into ``ax`` (or a new 16:9 slide-sized figure when ``ax`` is None),
returns the Axes and never calls ``plt.show()``. All figures share one look
(:func:`style`): a colour-blind-safe palette for the five layers (Okabe-Ito), one marker
per kind family, fonts of 11 pt and more, and titles and units on every axis.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> from workbench.templates import load_template
>>> from workbench.plot import plot_timeline
>>> ax = plot_timeline(load_template("post_training_retention"))
>>> ax.get_title(loc="left")
'Feedback conversations: post-training retention: journey timeline'
"""

from workbench.plot._png import png_bytes
from workbench.plot._style import (
    FAMILIES,
    FAMILY_LABELS,
    FAMILY_MARKERS,
    LAYER_COLORS,
    RC,
    SERIES_COLORS,
    SLIDE_SIZE,
    kind_family,
    marker_area,
    style,
)
from workbench.plot.analytics import (
    plot_drop_off,
    plot_engagement_vs_simulated,
    plot_observed_vs_simulated,
    plot_repeat_access,
    plot_returns,
    plot_series_reach,
    plot_use_vs_performance,
    plot_verdicts,
    plot_work_support,
)
from workbench.plot.graph import graph_layout, plot_graph
from workbench.plot.minutes import minutes_per_week, plot_minutes_per_week
from workbench.plot.retention import (
    plot_frontier,
    plot_plan_comparison,
    plot_retention,
    plot_retention_comparison,
)
from workbench.plot.timeline import plot_timeline

__all__ = [
    "FAMILIES",
    "FAMILY_LABELS",
    "FAMILY_MARKERS",
    "LAYER_COLORS",
    "RC",
    "SERIES_COLORS",
    "SLIDE_SIZE",
    "graph_layout",
    "kind_family",
    "marker_area",
    "minutes_per_week",
    "plot_drop_off",
    "plot_engagement_vs_simulated",
    "plot_frontier",
    "plot_graph",
    "plot_minutes_per_week",
    "plot_observed_vs_simulated",
    "plot_plan_comparison",
    "plot_repeat_access",
    "plot_retention",
    "plot_retention_comparison",
    "plot_returns",
    "plot_series_reach",
    "plot_timeline",
    "plot_use_vs_performance",
    "plot_verdicts",
    "plot_work_support",
    "png_bytes",
    "style",
]
