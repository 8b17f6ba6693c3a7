"""The figures of a strategy review: PNG bytes and the text alternative of each.

``figure_png(review, name)`` is what ``review.figure_png(name)`` returns; every figure is drawn
by a :mod:`workbench.plot` function from the review's numbers (matplotlib is imported only
when a figure is drawn, so ``import workbench.report`` stays light).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workbench.errors import ParameterError
from workbench.report._review_tables import frontier_points, number_text, percent_text

if TYPE_CHECKING:
    from workbench.report.review import StrategyReview

__all__ = ["FIGURES", "figure_alt", "figure_png"]

#: Figures of a review, in report order.
FIGURES: tuple[str, ...] = ("timeline", "minutes", "retention", "plans", "frontier")


def _unknown(name: str) -> ParameterError:
    return ParameterError(f"figure {name!r}: unknown; figures: {', '.join(FIGURES)}")


def figure_png(review: StrategyReview, name: str) -> bytes:
    """Return one figure of the review as PNG bytes (see :data:`FIGURES`)."""
    import pandas as pd

    from workbench.plot import (
        SLIDE_SIZE,
        plot_minutes_per_week,
        plot_plan_comparison,
        plot_retention_comparison,
        plot_timeline,
    )
    from workbench.plot import plot_frontier as draw_frontier
    from workbench.report._figures import png_bytes

    day = review.on_day
    comparison = review.comparison
    target = review.target if review.metric == "retention" else None
    if name == "timeline":
        return png_bytes(lambda ax: plot_timeline(review.journey, ax=ax, findings=review.findings), SLIDE_SIZE)
    if name == "minutes":
        return png_bytes(lambda ax: plot_minutes_per_week(review.journey, ax=ax), (12.0, 4.6))
    if name == "retention":
        results = {label: comparison.results[label] for label in review.plans}
        return png_bytes(
            lambda ax: plot_retention_comparison(results, ax=ax, target=target, deadline_day=day), (12.0, 5.8)
        )
    if name == "plans":
        frame = pd.DataFrame(
            {
                "plan": list(review.plans),
                "learner_minutes": [round(comparison.learner_minutes(p), 1) for p in review.plans],
                "retention": [comparison.retention(p, day) for p in review.plans],
            }
        )
        height = max(4.3, 1.9 + 0.62 * len(frame))  # the y label needs about 4 inches
        return png_bytes(lambda ax: plot_plan_comparison(frame, ax=ax, day=day, target=target), (12.0, height))
    if name == "frontier":
        if review.frontier is None:
            raise ParameterError("figure 'frontier': this review was built with frontier=False")
        points = frontier_points(review)
        shown = pd.DataFrame(
            {
                "label": [p.shown_label for p in points],
                "learner_minutes": [p.learner_minutes for p in points],
                "retention": [p.retention for p in points],
                "dominated": [p.dominated for p in points],
            }
        )
        return png_bytes(lambda ax: draw_frontier(shown, ax=ax, day=day, target=target), (12.0, 6.2))
    raise _unknown(name)


def figure_alt(review: StrategyReview, name: str) -> str:
    """Return a text alternative of each figure (the ``alt`` of its image)."""
    day = review.on_day
    comparison = review.comparison
    if name == "timeline":
        figures = review.key_figures()
        return (
            f"Timeline of {review.journey.title}: {figures.activities} activities "
            f"({figures.formal} formal, {figures.micro} micro) in swimlanes by layer, "
            f"over {figures.span_days:g} days; rings mark activities with design findings."
        )
    if name == "minutes":
        return "Bar chart of learner minutes per week, formal events and micro assets stacked."
    if name == "retention":
        parts = ", ".join(f"{p} {percent_text(comparison.retention(p, day))}" for p in review.plans)
        horizon = comparison.results[review.baseline].horizon_days
        return f"Mean recall over days 0 to {horizon} by plan; on day {day}: {parts}."
    if name == "plans":
        parts = "; ".join(
            f"{p}: {percent_text(comparison.retention(p, day))}, "
            f"{number_text(comparison.learner_minutes(p))} learner minutes"
            for p in review.plans
        )
        return f"Bars of recall on day {day} by plan: {parts}."
    if name == "frontier":
        if review.frontier is None:
            return ""
        on = [p.label for p in frontier_points(review) if not p.dominated]
        return (
            f"Scatter of learner minutes against recall on day {day} for {len(review.frontier)} plans; "
            f"on the frontier: {', '.join(on)}."
        )
    raise _unknown(name)
