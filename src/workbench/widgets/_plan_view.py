"""What the plan lab shows, as HTML: the summary table, the plan a search found, what the numbers rest on.

Pure functions of a :class:`~workbench.plans.lab.LabOutcome` and its settings: the panel sets
the text, tests read it.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import pandas as pd

from workbench.plans.lab import LabOutcome, LabSettings
from workbench.plans.search import Optimisation
from workbench.widgets._common import html_table

__all__ = ["found_html", "pct", "provenance_html", "summary_html"]


def pct(value: float) -> str:
    """Format a share as a percentage with one decimal (``0.853`` -> ``85.3%``)."""
    return f"{100 * value:.1f}%"


def summary_html(outcome: LabOutcome, settings: LabSettings) -> str:
    """Render the plans compared as a table: the recommended plan (★) bold, misses in amber."""
    assert outcome.comparison is not None
    assert outcome.choice is not None
    comparison, best, found = outcome.comparison, outcome.choice.label, outcome.found
    day, days = settings.deadline_day, settings.report_days
    s = outcome.summary
    rows = []
    for label, r in s.iterrows():
        plan = str(label)
        rows.append(
            (
                f"{plan}{' (found)' if plan == found else ''}{' ★' if plan == best else ''}",
                int(r["touches"]),
                f"{r['plan_minutes']:.0f}",
                f"{r['learner_minutes']:.1f}",
                *[pct(comparison.retention(plan, d)) for d in days],
                pct(comparison.proficiency(plan, day)),
                "yes" if r["meets_target"] else "no",
            )
        )
    return html_table(
        (
            "plan",
            "touches added",
            "plan min",
            "learner min",
            *[f"retention day {d}" for d in days],
            f"proficient day {day}",
            f"reaches {settings.target:.0%}",
        ),
        rows,
        row_classes=[
            "wb-plan-best-row" if label == best else ("wb-sev-info" if ok else "wb-sev-warning")
            for label, ok in zip(s.index, s["meets_target"], strict=True)
        ],
    )


def found_html(found: Optimisation, label: str, target: float, day: int, summary: pd.DataFrame) -> str:
    """Say what "Find cheapest plan" found, and why."""
    head = (
        f"Cheapest plan reaching {target:.0%} on day {day}"
        if found.reachable
        else f"No plan reaches {target:.0%} on day {day}; the closest"
    )
    figures = f"adds {found.plan_minutes:g} min per learner, retention {pct(found.achieved)}"
    if label in summary.index:
        figures += f", {summary.loc[label].to_dict()['learner_minutes']:.1f} learner min in all"
    return (
        f'<div class="{"wb-ok" if found.reachable else "wb-error"}">{html.escape(head)}: '
        f"<b>{html.escape(label)}</b> ({figures}; {found.simulations} plans simulated).<br>"
        f"{html.escape(found.reason)}</div>"
    )


def provenance_html(lines: Sequence[str]) -> str:
    """Show what every number in the tab rests on: memory profile or calibration, population, seed."""
    return '<div class="wb-plan-hint">' + "<br>".join(html.escape(line) for line in lines) + "</div>"
