"""One look for every workbench figure: palette, markers, sizes and an rc context.

Colours
-------
Layers use the Okabe-Ito palette (M. Okabe and K. Ito, *Color Universal Design*, 2008;
https://jfly.uni-koeln.de/color/), whose eight colours stay distinct under the common
colour-vision deficiencies. Concepts and plans, whose number varies, use Paul Tol's
"bright" qualitative scheme (P. Tol, *Colour Schemes*, SRON/EPS/TN/09-002, 2021;
https://personal.sron.nl/~pault/), also colour-blind safe, with a line style cycle on top
so that lines can be told apart in greyscale print too.

Every plot also encodes with position or shape what it encodes with colour (lanes,
markers, labels), so no figure depends on colour alone.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Literal

import matplotlib as mpl

from workbench.vocabulary import Layer, MemoryEffect, Purpose

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from workbench.catalog import ActivityKind

__all__ = [
    "FAMILIES",
    "FAMILY_LABELS",
    "FAMILY_MARKERS",
    "LAYER_COLORS",
    "LAYER_LABELS",
    "RC",
    "SERIES_COLORS",
    "SERIES_LINESTYLES",
    "SEVERITY_COLORS",
    "SLIDE_SIZE",
    "kind_family",
    "marker_area",
    "style",
]

#: Figure size of a 16:9 slide, in inches (PowerPoint's widescreen default).
SLIDE_SIZE: tuple[float, float] = (13.333, 7.5)

# Okabe-Ito (2008): one colour per layer, in the order of the learning architecture.
LAYER_COLORS: Mapping[str, str] = {
    Layer.BEFORE.value: "#56B4E9",  # sky blue
    Layer.DURING.value: "#0072B2",  # blue
    Layer.AFTER.value: "#009E73",  # bluish green
    Layer.WORK.value: "#E69F00",  # orange
    Layer.CHANGE.value: "#CC79A7",  # reddish purple
}

#: What each layer is for, as shown on the timeline's lane labels.
LAYER_LABELS: Mapping[str, str] = {
    Layer.BEFORE.value: "Before\n(priming)",
    Layer.DURING.value: "During\n(formal + recap)",
    Layer.AFTER.value: "After\n(reinforcement)",
    Layer.WORK.value: "Work\n(job support)",
    Layer.CHANGE.value: "Change\n(updates)",
}

# Severity of findings: Okabe-Ito vermillion and yellow, plus a neutral grey; rings also
# differ in line style, so they do not depend on colour.
SEVERITY_COLORS: Mapping[str, str] = {"error": "#D55E00", "warning": "#F0E442", "info": "#7F7F7F"}
SEVERITY_LINESTYLES: Mapping[str, Any] = {"error": "-", "warning": "--", "info": ":"}

# Paul Tol "bright" (2021), without its grey, for concepts and plans.
SERIES_COLORS: tuple[str, ...] = ("#4477AA", "#EE6677", "#228833", "#CCBB44", "#66CCEE", "#AA3377")
SERIES_LINESTYLES: tuple[Any, ...] = ("-", "--", "-.", ":", (0, (5, 1, 1, 1)), (0, (8, 2)))
#: Colour of context (dominated plans, edges, grid): Tol's grey.
MUTED = "#BBBBBB"
INK = "#222222"

#: Kind families, in legend order, with their marker and legend label.
FAMILIES: tuple[str, ...] = ("formal", "explain", "retrieve", "restudy", "social", "support", "change")
FAMILY_MARKERS: Mapping[str, str] = {
    "formal": "s",
    "explain": "v",
    "retrieve": "^",
    "restudy": "o",
    "social": "D",
    "support": "P",
    "change": "h",
}
FAMILY_LABELS: Mapping[str, str] = {
    "formal": "Formal event",
    "explain": "Primer / explainer",
    "retrieve": "Retrieval practice",
    "restudy": "Recap / restudy",
    "social": "Social / manager",
    "support": "Job support",
    "change": "Change update",
}

#: rc settings of every workbench figure: legible at slide size (>= 11 pt), quiet axes.
RC: dict[str, Any] = {
    "figure.figsize": SLIDE_SIZE,
    "figure.dpi": 100,
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": 12,
    "axes.titlesize": 16,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.titlepad": 12,
    "axes.labelsize": 13,
    "axes.labelcolor": INK,
    "axes.edgecolor": "#555555",
    "axes.linewidth": 0.9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": False,
    "axes.prop_cycle": f"cycler('color', {list(SERIES_COLORS)!r})",
    "grid.color": "#DDDDDD",
    "grid.linewidth": 0.8,
    "xtick.labelsize": 12,
    "ytick.labelsize": 12,
    "xtick.color": INK,
    "ytick.color": INK,
    "legend.fontsize": 11,
    "legend.title_fontsize": 12,
    "legend.frameon": False,
    "lines.linewidth": 2.2,
    "svg.fonttype": "none",
    "pdf.fonttype": 42,
}


@contextmanager
def style(**overrides: Any) -> Iterator[None]:
    """Apply the workbench look for the duration of a ``with`` block.

    Global ``rcParams`` are restored on exit, except the ``interactive`` flag (a session
    setting, not a look: pyplot's first import in a notebook sets it). Every plotting function of
    :mod:`workbench.plot` uses it internally; use it yourself to give your own figures the
    same look.

    Parameters
    ----------
    **overrides
        rc settings to change on top of :data:`RC`; dotted names go through a dict:
        ``style(**{"font.size": 14})``.

    Examples
    --------
    >>> import matplotlib as mpl
    >>> from workbench.plot import style
    >>> before = mpl.rcParams["font.size"]
    >>> with style(**{"font.size": 14}):
    ...     mpl.rcParams["font.size"]
    14.0
    >>> mpl.rcParams["font.size"] == before
    True
    """
    settings: Any = {**RC, **overrides}
    interactive = mpl.is_interactive()
    try:
        with mpl.rc_context(settings):
            try:
                yield
            finally:
                interactive = mpl.is_interactive()
    finally:
        # Not a look but the session's display mode: the first pyplot import of an IPython
        # kernel (often inside this block) turns it on, and rc_context would turn it back off,
        # hiding every later figure of the kernel. Keep what the block left.
        mpl.interactive(interactive)


def kind_family(kind: ActivityKind) -> str:
    """Return the marker family of a catalog kind (one of :data:`FAMILIES`).

    Derived from the kind's attributes, so kinds users add to the catalog get a family too:
    formal events first, then change communication, retrieval, social, job support,
    restudy; micro assets that first teach (primers, explainers) are ``explain``.

    Examples
    --------
    >>> from workbench.catalog import default_catalog
    >>> cat = default_catalog()
    >>> [kind_family(cat[k]) for k in ("ilt_workshop", "spaced_recall_quiz", "job_aid")]
    ['formal', 'retrieve', 'support']
    """
    if kind.is_formal:
        return "formal"
    if kind.purpose is Purpose.CHANGE_COMMUNICATION:
        return "change"
    effect = kind.memory_effect
    if effect is MemoryEffect.RETRIEVE:
        return "retrieve"
    if effect is MemoryEffect.DISCUSS or kind.social or kind.purpose is Purpose.SOCIAL:
        return "social"
    if effect is MemoryEffect.APPLY or kind.purpose is Purpose.REFERENCE:
        return "support"
    if effect is MemoryEffect.RESTUDY:
        return "restudy"
    return "explain"


#: Marker diameters (points): proportional to sqrt(minutes), so marker *area* is
#: proportional to duration; clipped so 1-minute assets stay visible and full days fit.
_DIAMETER_PER_SQRT_MIN = 2.6
_MIN_DIAMETER = 7.0
_MAX_DIAMETER = 46.0


def marker_diameter(minutes: float) -> float:
    """Marker diameter in points for an activity lasting ``minutes``."""
    return min(_MAX_DIAMETER, max(_MIN_DIAMETER, _DIAMETER_PER_SQRT_MIN * math.sqrt(max(minutes, 0.0))))


def marker_area(minutes: float) -> float:
    """Scatter marker area (points squared) for an activity lasting ``minutes``.

    Examples
    --------
    >>> marker_area(100) / marker_area(25)  # area grows linearly with minutes
    4.0
    """
    return marker_diameter(minutes) ** 2


def short(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters with an ellipsis (words kept where possible)."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    return textwrap.shorten(text, width=width, placeholder="…") if " " in text[:width] else text[: width - 1] + "…"


def new_axes(ax: Axes | None, figsize: tuple[float, float] = SLIDE_SIZE) -> Axes:
    """``ax`` itself, or the axes of a new pyplot figure of ``figsize`` (slide size)."""
    if ax is not None:
        return dress(ax)
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=figsize, layout="constrained")
    return dress(fig.add_subplot())


def dress(ax: Axes) -> Axes:
    """Give axes made outside :func:`style` (a caller's ``ax``) the workbench look.

    rc settings are read when an artist is created, and ticks are created lazily at draw
    time, so the look is set on the axes explicitly: tick labels, axis labels, spines.
    """
    ax.tick_params(labelsize=RC["xtick.labelsize"], colors=INK)
    for label in (ax.xaxis.label, ax.yaxis.label):
        label.set_fontsize(RC["axes.labelsize"])
        label.set_color(INK)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(RC["axes.edgecolor"])
        ax.spines[side].set_linewidth(RC["axes.linewidth"])
    return ax


def set_title(ax: Axes, text: str) -> None:
    """Return the axes title in the workbench look (left, bold, 16 pt), whatever the rc."""
    ax.set_title(
        text,
        loc="left",
        fontsize=RC["axes.titlesize"],
        fontweight=RC["axes.titleweight"],
        pad=RC["axes.titlepad"],
        color=INK,
    )


def grid(ax: Axes, axis: Literal["both", "x", "y"] = "both") -> None:
    """Light grid lines behind the data."""
    ax.set_axisbelow(True)
    ax.grid(True, axis=axis, color=RC["grid.color"], linewidth=RC["grid.linewidth"])


def root_figure(ax: Axes) -> Figure:
    """Return the top-level figure ``ax`` belongs to (also when it sits in a subfigure)."""
    fig = ax.get_figure(root=True)
    assert fig is not None, "the axes belong to no figure"
    return fig


def apply_layout(ax: Axes) -> None:
    """Run the figure's layout engine now, so that measurements in display units hold."""
    fig = root_figure(ax)
    engine = fig.get_layout_engine()
    if engine is not None:
        engine.execute(fig)


def percent_axis(ax: Axes, axis: str = "y") -> None:
    """Show a 0..1 axis as percentages."""
    from matplotlib.ticker import PercentFormatter

    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))
