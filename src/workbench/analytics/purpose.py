"""Purpose-aware analytics: each asset judged against what it was designed for.

Every function here is pure: a :class:`~workbench.analytics.delivery.Delivery` (and sometimes a
table the user gives) in, a tidy DataFrame out. Plots are in :mod:`workbench.plot.analytics`.
Shares come with their binomial standard error (``se``) so a reader can tell a difference
from noise; correlations come with a 95 % interval, never as a bare number.

This module is the public face; the work is in private modules by question:
``_shares`` (thresholds, standard errors, reach per asset), ``_usage`` (repeat access, returns
after the programme, work support), ``_reach`` (the reinforcement series, drop-off),
``_outcomes`` (retrieval results, learner events, use vs performance), ``_verdicts`` and
``_findings``.
"""

from __future__ import annotations

from workbench.analytics._findings import Finding, findings
from workbench.analytics._outcomes import learner_events, retrieval_results, use_vs_performance
from workbench.analytics._reach import drop_off, series_reach
from workbench.analytics._reach import reinforcement_series as reinforcement_series
from workbench.analytics._shares import Thresholds
from workbench.analytics._shares import check_delivery as check_delivery
from workbench.analytics._usage import programme_end_day as programme_end_day
from workbench.analytics._usage import (
    repeat_access,
    repeat_distribution,
    returns_after_programme,
    work_support_by_time,
    work_support_near_moments,
)
from workbench.analytics._verdicts import verdicts

__all__ = [
    "Finding",
    "Thresholds",
    "drop_off",
    "findings",
    "learner_events",
    "repeat_access",
    "repeat_distribution",
    "retrieval_results",
    "returns_after_programme",
    "series_reach",
    "use_vs_performance",
    "verdicts",
    "work_support_by_time",
    "work_support_near_moments",
]
