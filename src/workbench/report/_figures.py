"""Figures of the review as ``data:`` URIs (the PNG bytes come from :func:`workbench.plot.png_bytes`)."""

from __future__ import annotations

import base64

from workbench.plot._png import DPI, png_bytes

__all__ = ["DPI", "png_bytes", "png_data_uri"]


def png_data_uri(data: bytes) -> str:
    """Return a ``data:image/png;base64,...`` URI of PNG bytes (embeds the image in the HTML).

    Examples
    --------
    >>> png_data_uri(b"PNG")
    'data:image/png;base64,UE5H'
    """
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")
