"""Analytics by asset purpose: read what learners did, judge each asset by what it is for.

Reading (effects at the edge): :func:`read_statements` (files), :func:`read_lrs` /
:func:`pull_statements` (an LRS). :func:`observe` maps the statements to a journey and builds
the accesses the analytics work on; everything after that is pure functions over frames:

=================================  ==========================================================
function                           question
=================================  ==========================================================
:func:`repeat_access`              which assets are come back to (by purpose)?
:func:`returns_after_programme`    where do learners return after the formal programme?
:func:`work_support_by_time`       when is work support used (weekday x hour)?
:func:`work_support_near_moments`  is it used near work moments (go-live, month-end)?
:func:`series_reach`               does reinforcement keep its reach (fatigue per touch)?
:func:`use_vs_performance`         which topics are used and still weak in performance?
:func:`drop_off`                   where do learners stop; which required assets are skipped?
:func:`verdicts`                   does each asset do what its purpose asks (thresholds)?
:func:`findings`                   the four questions of a learning team, with evidence
:func:`observed_vs_simulated`      observed retrieval success next to the simulation's
:func:`engagement_vs_simulated`    observed reach next to the simulation's
:func:`learner_events`             per-learner events for :mod:`workbench.calibrate`
=================================  ==========================================================

Plots are in :mod:`workbench.plot.analytics`; the HTML report in :mod:`workbench.report.analytics`.
"""

from __future__ import annotations

from workbench.analytics.compare import engagement_vs_simulated, observed_vs_simulated
from workbench.analytics.delivery import Delivery, activity_iris, map_to_journey, observe
from workbench.analytics.ingest import COLUMNS, IngestResult, read_statements, statements_frame
from workbench.analytics.lrs import PullResult, pull_statements, read_lrs
from workbench.analytics.purpose import (
    Finding,
    Thresholds,
    drop_off,
    findings,
    learner_events,
    repeat_access,
    repeat_distribution,
    retrieval_results,
    returns_after_programme,
    series_reach,
    use_vs_performance,
    verdicts,
    work_support_by_time,
    work_support_near_moments,
)

__all__ = [
    "COLUMNS",
    "Delivery",
    "Finding",
    "IngestResult",
    "PullResult",
    "Thresholds",
    "activity_iris",
    "drop_off",
    "engagement_vs_simulated",
    "findings",
    "learner_events",
    "map_to_journey",
    "observe",
    "observed_vs_simulated",
    "pull_statements",
    "read_lrs",
    "read_statements",
    "repeat_access",
    "repeat_distribution",
    "retrieval_results",
    "returns_after_programme",
    "series_reach",
    "statements_frame",
    "use_vs_performance",
    "verdicts",
    "work_support_by_time",
    "work_support_near_moments",
]
