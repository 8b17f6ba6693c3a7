"""One table value, shown as aligned text (notebooks, CLI) or as escaped HTML (report, panels)."""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Table"]


@dataclass(frozen=True)
class Table:
    """A table ready to show: headers, which columns are numbers, rows of strings.

    Examples
    --------
    >>> t = Table.of(["plan", "minutes"], [["none", 0], ["expanding", 12.5]], numeric=[False, True])
    >>> print(t.to_text())
    plan       minutes
    none             0
    expanding     12.5
    >>> t.to_html().startswith('<table class="wb-table"><thead><tr><th scope="col">plan</th>')
    True
    """

    headers: tuple[str, ...]
    numeric: tuple[bool, ...]
    rows: tuple[tuple[str, ...], ...]
    row_classes: tuple[str, ...] = ()
    caption: str = ""
    #: A second, smaller line under the first cell of each row (e.g. what a plan adds).
    notes: tuple[str, ...] = ()

    @classmethod
    def of(
        cls,
        headers: Sequence[str],
        rows: Iterable[Sequence[Any]],
        *,
        numeric: Sequence[bool] | None = None,
        row_classes: Iterable[str] = (),
        caption: str = "",
    ) -> Table:
        """Build a table from any cells (``None`` shows as empty, anything else as ``str``)."""
        return cls(
            headers=tuple(headers),
            numeric=tuple(numeric) if numeric is not None else (False,) * len(headers),
            rows=tuple(tuple("" if v is None else str(v) for v in row) for row in rows),
            row_classes=tuple(row_classes),
            caption=caption,
        )

    @classmethod
    def of_frame(cls, frame: pd.DataFrame, *, digits: int = 3, caption: str = "") -> Table:
        """Build a table from a frame's columns (not its index): numbers to ``digits`` significant digits.

        Missing values show as empty cells; number columns (not booleans) are ``numeric``.

        Examples
        --------
        >>> import pandas as pd
        >>> frame = pd.DataFrame({"asset": ["job aid", "quiz"], "share": [0.12345, None], "users": [12, 3]})
        >>> print(Table.of_frame(frame).to_text())
        asset    share  users
        job aid  0.123     12
        quiz                3
        """
        import numpy as np
        import pandas as pd
        from pandas.api.types import is_bool_dtype, is_numeric_dtype

        def cell(value: Any) -> str:
            if isinstance(value, float | np.floating):
                return "" if math.isnan(value) else f"{value:.{digits}g}"
            if value is None or value is pd.NA or value is pd.NaT:
                return ""
            return str(value)

        columns = [frame[c] for c in frame.columns]
        return cls(
            headers=tuple(str(c) for c in frame.columns),
            numeric=tuple(is_numeric_dtype(c) and not is_bool_dtype(c) for c in columns),
            rows=tuple(tuple(cell(v) for v in row) for row in frame.itertuples(index=False, name=None)),
            caption=caption,
        )

    def to_text(self) -> str:
        """Return the table as aligned plain text (notebooks, CLI)."""
        widths = [
            max(len(h), *(len(r[i]) for r in self.rows)) if self.rows else len(h) for i, h in enumerate(self.headers)
        ]

        def line(cells: Sequence[str]) -> str:
            return "  ".join(
                (c.rjust(w) if num else c.ljust(w)) for c, w, num in zip(cells, widths, self.numeric, strict=True)
            ).rstrip()

        return "\n".join([line(self.headers), *(line(r) for r in self.rows)])

    def to_html(self, css_class: str = "wb-table", *, empty: str = "") -> str:
        """Return the table as an escaped HTML fragment; numeric cells have the class ``num``.

        ``empty``, when given, is shown as a paragraph instead of a table without rows.
        """
        if not self.rows and empty:
            return f"<p>{html.escape(empty)}</p>"

        def cell(tag: str, text: str, numeric: bool, extra: str = "") -> str:
            scope = ' scope="col"' if tag == "th" else ""
            num = ' class="num"' if numeric else ""
            return f"<{tag}{scope}{num}>{html.escape(text)}{extra}</{tag}>"

        def row(r: int, cells: tuple[str, ...]) -> str:
            note = self.notes[r] if r < len(self.notes) else ""
            sub = f'<span class="sub">{html.escape(note)}</span>' if note else ""
            tds = "".join(
                cell("td", c, n, sub if i == 0 else "")
                for i, (c, n) in enumerate(zip(cells, self.numeric, strict=True))
            )
            css = self.row_classes[r] if r < len(self.row_classes) else ""
            return f'<tr class="{html.escape(css)}">{tds}</tr>' if css else f"<tr>{tds}</tr>"

        head = "".join(cell("th", h, n) for h, n in zip(self.headers, self.numeric, strict=True))
        body = "".join(row(r, cells) for r, cells in enumerate(self.rows))
        caption = f"<caption>{html.escape(self.caption)}</caption>" if self.caption else ""
        return (
            f'<table class="{html.escape(css_class)}">{caption}'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        )

    def _repr_html_(self) -> str:
        return self.to_html()
