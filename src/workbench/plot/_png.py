"""Figures as PNG bytes: deterministic, and without pyplot state.

The figure is a :class:`matplotlib.figure.Figure` made directly (not with ``pyplot``), so
rendering opens no window, registers no figure, shows nothing as a notebook cell output and
works in threads. PNGs are saved with ``metadata={"Software": None}``: the same drawing gives
the same bytes on the same machine and library versions. Reports and the widgets' images
both render through :func:`png_bytes`.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from workbench.plot._style import style

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["DPI", "png_bytes"]

#: Resolution of report figures: sharp on screen and in print, a few hundred KB at most.
DPI = 110


def png_bytes(draw: Callable[[Axes], Any], size: tuple[float, float], *, dpi: int = DPI, tight: bool = False) -> bytes:
    r"""Draw into the axes of a new figure of ``size`` inches and return the PNG bytes.

    Parameters
    ----------
    draw : callable
        Called with the axes (a :mod:`workbench.plot` function with ``ax=`` bound).
    size : (float, float)
        Figure size in inches.
    dpi : int
        Pixels per inch.
    tight : bool
        Crop the image to what was drawn (``bbox_inches="tight"``), as the widgets' images
        are; report figures keep their exact size.

    Examples
    --------
    >>> data = png_bytes(lambda ax: ax.plot([0, 1], [0, 1]), (3, 2))
    >>> data[:8] == b"\x89PNG\r\n\x1a\n"
    True
    >>> data == png_bytes(lambda ax: ax.plot([0, 1], [0, 1]), (3, 2))
    True
    """
    from matplotlib.figure import Figure

    with style():
        figure = Figure(figsize=size, layout="constrained")
        axes = figure.add_subplot()
        draw(axes)
        buffer = io.BytesIO()
        figure.savefig(
            buffer, format="png", dpi=dpi, metadata={"Software": None}, bbox_inches="tight" if tight else None
        )
    return buffer.getvalue()
