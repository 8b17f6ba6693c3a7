"""Strategy reviews: one self-contained HTML (or PDF) report of a journey and its plans.

:func:`build_report` returns the page as text (pure, deterministic for a seed);
:func:`write_report` writes it atomically, as HTML or, through headless Chromium, as PDF.
The report shows the journey at a glance (timeline, minutes per layer, concept coverage),
the design findings, the reinforcement plans compared (table and plots), the learner-time /
retention frontier, the plan chosen for a target, and every assumption with the command
that reproduces it. :func:`review_journey` gives the same content as Python objects for
notebooks and dashboards; its headline numbers are a :class:`KeyFigures` value that carries
their :class:`Provenance` (memory profile or calibration, learners, model, seed).

Examples
--------
>>> from workbench.report import build_report
>>> from workbench.simulate import LearnerPopulation
>>> from workbench.templates import load_template
>>> page = build_report(load_template("safety_reminders"), plans=["none", "expanding"], on_day=60,
...                     population=LearnerPopulation(size=200), rng=1, frontier=False)
>>> page.startswith("<!DOCTYPE html>"), "data:image/png;base64," in page
(True, True)
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from workbench._table import Table
from workbench.model import Journey
from workbench.report.pdf import find_chromium, html_to_pdf
from workbench.report.review import (
    DEFAULT_PLANS,
    FIGURES,
    FindingCounts,
    FrontierPoint,
    KeyFigures,
    PlanFigures,
    Provenance,
    StrategyReview,
    describe_plan,
    review_journey,
)

__all__ = [
    "DEFAULT_PLANS",
    "FIGURES",
    "FindingCounts",
    "FrontierPoint",
    "KeyFigures",
    "PlanFigures",
    "Provenance",
    "StrategyReview",
    "Table",
    "build_report",
    "describe_plan",
    "find_chromium",
    "html_to_pdf",
    "review_journey",
    "write_report",
]


def build_report(
    journey: Journey,
    plans: Any = None,
    target: float | None = None,
    on_day: int = 90,
    population: Any = None,
    rng: Any = 0,
    *,
    generated: str | dt.date | None = None,
    title: str | None = None,
    **options: Any,
) -> str:
    """Return the strategy review of ``journey`` as one self-contained HTML page.

    Parameters
    ----------
    journey : Journey
        The journey as designed.
    plans : sequence of plans or plan strings, or a comma-separated string, optional
        Plans to compare (default: none, expanding, fixed:7x4, deadline:<on_day>).
    target : float, optional
        Target on ``on_day`` (share of proficient learners by default); the optimiser's plan
        is then recommended and added to the comparison.
    on_day : int
        The day that matters, in days from the journey start.
    population : LearnerPopulation, optional
        Who learns (default 1,000 learners).
    rng : int, Generator, SeedSequence or None
        One seed for every simulation (default 0); the page shows it.
    generated : str or date, optional
        A date to print as "prepared on"; nothing time-dependent is printed otherwise.
    title : str, optional
        The page title (default "Strategy review: <journey title>").
    **options
        Passed to :func:`review_journey` (``model``, ``metric``, ``threshold``, ``days``,
        ``frontier``, ``source``, ``profile``).

    Returns
    -------
    str
        The HTML page: inline CSS, figures as ``data:`` PNG URIs, no scripts, no external URLs.
        The same arguments give the same text.
    """
    review = review_journey(journey, plans, target, on_day, population, rng, **options)
    return review.to_html(generated=generated, title=title)


def write_report(
    journey: Journey,
    path: str | os.PathLike[str],
    *,
    pdf: bool | None = None,
    chromium: str | os.PathLike[str] | None = None,
    **options: Any,
) -> Path:
    """Write the strategy review of ``journey`` to ``path``, atomically.

    Parameters
    ----------
    journey : Journey
    path : path
        File to write.
    pdf : bool, optional
        Write a PDF (printed by headless Chromium) instead of HTML; default: when ``path``
        ends in ``.pdf``.
    chromium : path, optional
        Chromium executable for PDF output (default ``$CHROMIUM`` or ``/usr/bin/chromium``).
    **options
        Arguments of :func:`build_report`.

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    MissingDependencyError
        PDF output without Chromium.
    """
    from workbench._io import write_atomic

    target = Path(path)
    as_pdf = target.suffix.lower() == ".pdf" if pdf is None else pdf
    if as_pdf:
        find_chromium(chromium)  # fail before simulating anything
    page = build_report(journey, **options)
    if as_pdf:
        return html_to_pdf(page, target, chromium=chromium)
    return write_atomic(target, page)
