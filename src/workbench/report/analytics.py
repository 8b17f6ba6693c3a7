"""The analytics report: delivered statements read against each asset's purpose, one HTML page.

:func:`analytics_report` is pure (a Delivery and options in, the page out): the data and
what was rejected, the four questions with their evidence, the six signals (repeat access,
returns after the programme, work support, reinforcement reach, use vs performance, drop-off),
each asset's verdict against the stated thresholds, and, when a simulation of the same journey
and cohort size is given, observed next to simulated recall and engagement.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd

from workbench._table import Table
from workbench.analytics import (
    Delivery,
    IngestResult,
    Thresholds,
    drop_off,
    engagement_vs_simulated,
    findings,
    observed_vs_simulated,
    repeat_access,
    returns_after_programme,
    series_reach,
    use_vs_performance,
    verdicts,
    work_support_by_time,
    work_support_near_moments,
)
from workbench.plot import analytics as plots

__all__ = ["AnalyticsReport", "analytics_report", "build_analytics"]

_SIZE = (11.0, 5.2)


@dataclass(frozen=True)
class AnalyticsReport:
    """Everything the analytics page shows, as values (for notebooks and the app too)."""

    delivery: Delivery
    findings: list[Any]
    tables: dict[str, pd.DataFrame]
    thresholds: Thresholds
    ingest: IngestResult | None
    result: Any | None

    def text(self) -> str:
        """Return the four answers as plain text (what the CLI prints)."""
        lines = [self.delivery.caption()]
        lines += [f"- {f.question} {f.answer}" for f in self.findings]
        return "\n".join(lines) + "\n"


def build_analytics(
    delivery: Delivery,
    *,
    ingest: IngestResult | None = None,
    result: Any | None = None,
    thresholds: Thresholds | None = None,
    moments: pd.DataFrame | None = None,
    performance: pd.DataFrame | None = None,
) -> AnalyticsReport:
    """Compute every table of the report.

    Examples
    --------
    >>> from workbench.analytics.demo import demo_delivery
    >>> report = build_analytics(demo_delivery())
    >>> sorted(report.tables)[:3]
    ['drop_off', 'repeat_access', 'returns']
    """
    limits = thresholds or Thresholds()
    tables = {
        "repeat_access": repeat_access(delivery),
        "returns": returns_after_programme(delivery),
        "work_time": work_support_by_time(delivery),
        "work_moments": work_support_near_moments(delivery, moments, thresholds=limits),
        "series": series_reach(delivery),
        "drop_off": drop_off(delivery),
        "verdicts": verdicts(delivery, thresholds=limits, moments=moments),
    }
    if performance is not None:
        tables["performance"] = use_vs_performance(delivery, performance)
    if result is not None:
        tables["engagement_vs_simulated"] = engagement_vs_simulated(delivery, result)
        tables["recall_vs_simulated"] = observed_vs_simulated(delivery, result)
    answers = findings(delivery, thresholds=limits, moments=moments, performance=performance)
    return AnalyticsReport(delivery, answers, tables, limits, ingest, result)


def _html_table(frame: pd.DataFrame) -> str:
    return Table.of_frame(frame).to_html("data")


def _figure(name: str, draw: Any, caption: str, alt: str) -> dict[str, str]:
    from workbench.report._figures import png_bytes, png_data_uri

    return {"name": name, "src": png_data_uri(png_bytes(draw, _SIZE)), "caption": caption, "alt": alt}


def _signal(
    heading: str, text: str, name: str, draw: Any, alt: str, table: pd.DataFrame | None, caption: str
) -> dict[str, Any]:
    """Return one signal of the page: a heading, what it shows, its figure and its table."""
    return {
        "heading": heading,
        "text": text,
        "figure": _figure(name, draw, caption, alt),
        "table": "" if table is None else _html_table(table),
    }


def _ingest_view(report: AnalyticsReport) -> tuple[str, str]:
    """Return what was read (one sentence) and the ingest table (empty without an ingest)."""
    delivery, ingest = report.delivery, report.ingest
    if ingest is None:
        return (
            f"{len(delivery.statements)} statements; {len(delivery.accesses)} sessions by "
            f"{delivery.cohort_size} learners.",
            "",
        )
    rejected = sum(ingest.rejected.values())
    text = (
        f"{ingest.read} statements read, {ingest.kept} kept, {rejected} rejected as invalid (reasons below), "
        f"{ingest.duplicates} duplicate ids, {ingest.voided} voided. {len(delivery.accesses)} sessions on the "
        f"journey's activities by {delivery.cohort_size} learners."
    )
    return text, _html_table(ingest.summary())


def _signals(report: AnalyticsReport) -> list[dict[str, Any]]:
    """Return the six signals by purpose, in page order (performance answered only with a performance table)."""
    tables, caption = report.tables, report.delivery.caption()
    fatigue = tables["series"].attrs.get("fatigue", {})

    def fit(name: str) -> float:
        return float(fatigue.get(name, float("nan")))

    heading = "Which topics are used and still weak in performance?"
    performance = tables.get("performance")
    if performance is None:
        weak = _signal(
            heading,
            "No performance table was given (learner, concept, value): pass --performance to answer this.",
            "performance",
            lambda ax: ax.set_axis_off(),
            "empty",
            None,
            "no performance table",
        )
    else:
        weak = _signal(
            heading,
            "Correlation of each learner's use of a concept's assets with their performance on it (95% interval).",
            "performance",
            lambda ax: plots.plot_use_vs_performance(performance, ax=ax),
            "Use against performance",
            performance,
            caption,
        )
    return [
        _signal(
            "Which assets are come back to?",
            "Share of each asset's users with two or more sessions; a job aid should be, a primer need not be.",
            "repeat",
            lambda ax: plots.plot_repeat_access(tables["repeat_access"], ax=ax),
            "Repeat access per asset",
            tables["repeat_access"],
            caption,
        ),
        _signal(
            "Where do learners return after the formal programme?",
            "Unscheduled or repeated sessions after the last formal event, by week and layer.",
            "returns",
            lambda ax: plots.plot_returns(tables["returns"], ax=ax),
            "Returns by week and layer",
            tables["returns"],
            caption,
        ),
        _signal(
            "Is work support used when work happens?",
            "Sessions on work-layer and reference assets by local weekday and hour; near work moments where given.",
            "work",
            lambda ax: plots.plot_work_support(tables["work_time"], ax=ax),
            "Work support by weekday and hour",
            tables["work_moments"],
            caption,
        ),
        _signal(
            "Does reinforcement keep its reach?",
            f"Reach by position in the reinforcement series; fitted fatigue {fit('estimate'):.1%} per touch "
            f"(95% interval {fit('low'):.1%} to {fit('high'):.1%}); the simulator assumes {fit('assumed'):.1%}.",
            "series",
            lambda ax: plots.plot_series_reach(tables["series"], ax=ax),
            "Reach by series position",
            tables["series"],
            caption,
        ),
        weak,
        _signal(
            "Where do learners stop, and what do they skip?",
            "Reach along the dated activities; learners who stopped at each; required assets skipped by "
            "learners who did a later one.",
            "dropoff",
            lambda ax: plots.plot_drop_off(tables["drop_off"], ax=ax),
            "Drop-off along the journey",
            tables["drop_off"],
            caption,
        ),
    ]


def _simulated_view(report: AnalyticsReport) -> dict[str, Any] | None:
    """Return observed next to simulated recall and engagement, with the simulation's provenance."""
    if report.result is None:
        return None
    from workbench.report._provenance import Provenance

    tables, caption = report.tables, report.delivery.caption()
    recall = tables["recall_vs_simulated"]
    concepts = list(dict.fromkeys(recall["concept"]))
    engagement = _figure(
        "engagement",
        lambda ax: plots.plot_engagement_vs_simulated(tables["engagement_vs_simulated"], ax=ax),
        caption,
        "Engagement observed and simulated",
    )
    recalls = [
        _figure(
            f"recall-{c}",
            lambda ax, c=c: plots.plot_observed_vs_simulated(recall, ax=ax, concept=c),
            caption,
            f"Recall of {c}",
        )
        for c in concepts
    ]
    return {
        "text": (
            "Observed shares (+/- 2 SE) next to the simulation of the same journey; |z| > 2 marks a "
            "disagreement beyond sampling error."
        ),
        "provenance": Provenance.of(report.result),
        "figures": [engagement, *recalls],
        "engagement": _html_table(tables["engagement_vs_simulated"]),
        "recall": _html_table(recall),
    }


def analytics_report(report: AnalyticsReport, *, generated: str | dt.date | None = None) -> str:
    """Return the report as one self-contained HTML page (pure: same report, same text).

    Examples
    --------
    >>> from workbench.analytics.demo import demo_delivery
    >>> page = analytics_report(build_analytics(demo_delivery()))
    >>> page.startswith("<!DOCTYPE html>"), "Is the flow-of-work support used?" in page
    (True, True)
    """
    from workbench.report.render import render_page

    delivery, tables = report.delivery, report.tables
    ingest_text, ingest_table = _ingest_view(report)
    return render_page(
        "analytics.html.j2",
        generated=generated,
        title=f"Analytics: {delivery.journey.title}",
        journey=delivery.journey,
        caption=delivery.caption(),
        ingest_text=ingest_text,
        tables={
            "ingest": ingest_table,
            "unmatched": _html_table(delivery.unmatched) if not delivery.unmatched.empty else "",
            "verdicts": _html_table(tables["verdicts"]),
        },
        findings=[
            {"question": f.question, "answer": f.answer, "table": _html_table(f.evidence)} for f in report.findings
        ],
        signals=_signals(report),
        thresholds=", ".join(f"{k} = {v}" for k, v in report.thresholds.model_dump().items()),
        verdict_figure=_figure(
            "verdicts", lambda ax: plots.plot_verdicts(tables["verdicts"], ax=ax), delivery.caption(), "Verdicts"
        ),
        simulated=_simulated_view(report),
    )
