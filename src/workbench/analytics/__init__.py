"""Analytics by asset purpose: read what learners did, judge each asset by what it is for.

Reading (effects at the edge): :func:`read_statements` (files), :func:`read_lrs` /
:func:`pull_statements` (an LRS). Everything after that is pure functions over pandas frames.
"""

from __future__ import annotations

from workbench.analytics.ingest import COLUMNS, IngestResult, read_statements, statements_frame
from workbench.analytics.lrs import PullResult, pull_statements, read_lrs

__all__ = [
    "COLUMNS",
    "IngestResult",
    "PullResult",
    "pull_statements",
    "read_lrs",
    "read_statements",
    "statements_frame",
]
