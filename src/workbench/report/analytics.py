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
    return frame.to_html(
        index=False, escape=True, classes="data", border=0, float_format=lambda v: f"{v:.3g}", na_rep=""
    )


def _figure(name: str, draw: Any, caption: str, alt: str) -> dict[str, str]:
    from workbench.report._figures import png_bytes, png_data_uri

    return {"name": name, "src": png_data_uri(png_bytes(draw, _SIZE)), "caption": caption, "alt": alt}


def analytics_report(report: AnalyticsReport, *, generated: str | dt.date | None = None) -> str:
    """Return the report as one self-contained HTML page (pure: same report, same text).

    Examples
    --------
    >>> from workbench.analytics.demo import demo_delivery
    >>> page = analytics_report(build_analytics(demo_delivery()))
    >>> page.startswith("<!DOCTYPE html>"), "Is the flow-of-work support used?" in page
    (True, True)
    """
    from workbench.report.render import _environment, _generated_text

    delivery, tables = report.delivery, report.tables
    caption = delivery.caption()
    ingest = report.ingest
    if ingest is not None:
        rejected = sum(ingest.rejected.values())
        ingest_text = (
            f"{ingest.read} statements read, {ingest.kept} kept, {rejected} rejected as invalid (reasons below), "
            f"{ingest.duplicates} duplicate ids, {ingest.voided} voided. {len(delivery.accesses)} sessions on the "
            f"journey's activities by {delivery.cohort_size} learners."
        )
        ingest_table = _html_table(ingest.summary())
    else:
        ingest_text = (
            f"{len(delivery.statements)} statements; {len(delivery.accesses)} sessions by "
            f"{delivery.cohort_size} learners."
        )
        ingest_table = ""
    fatigue = tables["series"].attrs.get("fatigue", {})

    def fit(name: str) -> float:
        return float(fatigue.get(name, float("nan")))

    signals = [
        {
            "heading": "Which assets are come back to?",
            "text": "Share of each asset's users with two or more sessions; a job aid should be, a primer need not be.",
            "figure": _figure(
                "repeat",
                lambda ax: plots.plot_repeat_access(tables["repeat_access"], ax=ax),
                caption,
                "Repeat access per asset",
            ),
            "table": _html_table(tables["repeat_access"]),
        },
        {
            "heading": "Where do learners return after the formal programme?",
            "text": "Unscheduled or repeated sessions after the last formal event, by week and layer.",
            "figure": _figure(
                "returns", lambda ax: plots.plot_returns(tables["returns"], ax=ax), caption, "Returns by week and layer"
            ),
            "table": _html_table(tables["returns"]),
        },
        {
            "heading": "Is work support used when work happens?",
            "text": (
                "Sessions on work-layer and reference assets by local weekday and hour; near work moments where given."
            ),
            "figure": _figure(
                "work",
                lambda ax: plots.plot_work_support(tables["work_time"], ax=ax),
                caption,
                "Work support by weekday and hour",
            ),
            "table": _html_table(tables["work_moments"]),
        },
        {
            "heading": "Does reinforcement keep its reach?",
            "text": (
                f"Reach by position in the reinforcement series; fitted fatigue {fit('estimate'):.1%} per touch "
                f"(95% interval {fit('low'):.1%} to {fit('high'):.1%}); the simulator assumes {fit('assumed'):.1%}."
            ),
            "figure": _figure(
                "series",
                lambda ax: plots.plot_series_reach(tables["series"], ax=ax),
                caption,
                "Reach by series position",
            ),
            "table": _html_table(tables["series"]),
        },
        {
            "heading": "Where do learners stop, and what do they skip?",
            "text": (
                "Reach along the dated activities; learners who stopped at each; required assets skipped by "
                "learners who did a later one."
            ),
            "figure": _figure(
                "dropoff",
                lambda ax: plots.plot_drop_off(tables["drop_off"], ax=ax),
                caption,
                "Drop-off along the journey",
            ),
            "table": _html_table(tables["drop_off"]),
        },
    ]
    if "performance" in tables:
        signals.insert(
            4,
            {
                "heading": "Which topics are used and still weak in performance?",
                "text": (
                    "Correlation of each learner's use of a concept's assets with their performance on it "
                    "(95% interval)."
                ),
                "figure": _figure(
                    "performance",
                    lambda ax: plots.plot_use_vs_performance(tables["performance"], ax=ax),
                    caption,
                    "Use against performance",
                ),
                "table": _html_table(tables["performance"]),
            },
        )
    else:
        signals.insert(
            4,
            {
                "heading": "Which topics are used and still weak in performance?",
                "text": "No performance table was given (learner, concept, value): pass --performance to answer this.",
                "figure": _figure("performance", lambda ax: ax.set_axis_off(), "no performance table", "empty"),
                "table": "",
            },
        )
    simulated = None
    if report.result is not None:
        result = report.result
        recall = tables["recall_vs_simulated"]
        concepts = list(dict.fromkeys(recall["concept"]))
        simulated = {
            "text": (
                "Observed shares (+/- 2 SE) next to the simulation of the same journey; |z| > 2 marks a "
                "disagreement beyond sampling error."
            ),
            "source": (
                f"simulate({delivery.journey.id}, {result.n_learners} learners, model {result.model_name}, "
                f"seed {result.seed})"
            ),
            "figures": [
                _figure(
                    "engagement",
                    lambda ax: plots.plot_engagement_vs_simulated(tables["engagement_vs_simulated"], ax=ax),
                    caption,
                    "Engagement observed and simulated",
                )
            ]
            + [
                _figure(
                    f"recall-{c}",
                    lambda ax, c=c: plots.plot_observed_vs_simulated(recall, ax=ax, concept=c),
                    caption,
                    f"Recall of {c}",
                )
                for c in concepts
            ],
            "engagement": _html_table(tables["engagement_vs_simulated"]),
            "recall": _html_table(recall),
        }
    findings_view = [
        {"question": f.question, "answer": f.answer, "table": _html_table(f.evidence)} for f in report.findings
    ]
    from workbench import __version__

    return (
        _environment()
        .get_template("analytics.html.j2")
        .render(
            title=f"Analytics: {delivery.journey.title}",
            journey=delivery.journey,
            caption=caption,
            generated=_generated_text(generated),
            version=__version__,
            ingest_text=ingest_text,
            tables={
                "ingest": ingest_table,
                "unmatched": _html_table(delivery.unmatched) if not delivery.unmatched.empty else "",
                "verdicts": _html_table(tables["verdicts"]),
            },
            findings=findings_view,
            signals=signals,
            thresholds=", ".join(f"{k} = {v}" for k, v in report.thresholds.model_dump().items()),
            verdict_figure=_figure(
                "verdicts", lambda ax: plots.plot_verdicts(tables["verdicts"], ax=ax), caption, "Verdicts"
            ),
            simulated=simulated,
        )
    )
