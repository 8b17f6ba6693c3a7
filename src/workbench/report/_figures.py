"""Figures of the review as PNG bytes and ``data:`` URIs: deterministic, no pyplot state.

Figures are made with :class:`matplotlib.figure.Figure` directly (not ``pyplot``), so
building a report opens no window, leaks no figure and works in threads. PNGs are saved
with ``metadata={"Software": None}``: the same figure gives the same bytes on the same
machine and library versions.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["DPI", "png_bytes", "png_data_uri"]

#: Resolution of report figures: sharp on screen and in print, a few hundred KB at most.
DPI = 110


def png_bytes(draw: Callable[[Axes], Any], size: tuple[float, float], *, dpi: int = DPI) -> bytes:
    r"""Draw into the axes of a new figure of ``size`` inches and return the PNG bytes.

    Parameters
    ----------
    draw : callable
        Called with the axes (a :mod:`workbench.plot` function with ``ax=`` bound).
    size : (float, float)
        Figure size in inches.
    dpi : int
        Pixels per inch.

    Examples
    --------
    >>> data = png_bytes(lambda ax: ax.plot([0, 1], [0, 1]), (3, 2))
    >>> data[:8] == b"\x89PNG\r\n\x1a\n"
    True
    >>> data == png_bytes(lambda ax: ax.plot([0, 1], [0, 1]), (3, 2))
    True
    """
    from matplotlib.figure import Figure

    from workbench.plot import style

    with style():
        figure = Figure(figsize=size, layout="constrained")
        axes = figure.add_subplot()
        draw(axes)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


def png_data_uri(data: bytes) -> str:
    """Return a ``data:image/png;base64,...`` URI of PNG bytes (embeds the image in the HTML)."""
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")
