"""Render a :class:`~workbench.report.review.StrategyReview` as one self-contained HTML page.

The page is a packaged jinja2 template (``templates/review.html.j2``) rendered with
autoescaping on; figures are embedded as ``data:`` PNG URIs and the CSS is inline, so the file
needs no network and no other file to be viewed, mailed or archived.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jinja2

    from workbench.report.review import StrategyReview

__all__ = ["TEMPLATE", "render_review"]

#: The packaged template of the review page.
TEMPLATE = "review.html.j2"


@functools.cache
def _environment() -> jinja2.Environment:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("workbench.report", "templates"),
        autoescape=True,  # every value is escaped unless the template says otherwise
        undefined=jinja2.StrictUndefined,  # a typo in the template fails loudly
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _generated_text(generated: str | dt.date | None) -> str | None:
    if generated is None:
        return None
    if isinstance(generated, dt.datetime):
        if generated.tzinfo is None:
            from workbench.errors import ParameterError

            raise ParameterError("generated: give a timezone-aware datetime, a date, or text")
        return generated.isoformat(timespec="minutes")
    if isinstance(generated, dt.date):
        return generated.isoformat()
    return str(generated)


def render_review(review: StrategyReview, *, generated: str | dt.date | None = None, title: str | None = None) -> str:
    """Return the HTML page of a review (pure: the same review gives the same text)."""
    from workbench.report._figures import png_data_uri
    from workbench.report.review import FIGURES

    names = [n for n in FIGURES if n != "frontier" or review.frontier is not None]
    figures: dict[str, dict[str, Any]] = {
        name: {"src": png_data_uri(review.figure_png(name)), "alt": review.figure_alt(name)} for name in names
    }
    verdict, tone = review.verdict()
    opt = review.optimisation
    context: dict[str, Any] = {
        "title": title or f"Strategy review: {review.journey.title}",
        "journey": review.journey,
        "description": getattr(review.journey, "description", "") or "",
        "generated": _generated_text(generated),
        "key": review.key_figures(),
        "verdict": verdict,
        "tone": tone,
        "figures": figures,
        "layers": review.layers_table(),
        "coverage": review.coverage_table(),
        "findings": review.findings_table(),
        "plans": review.plans_table(),
        "frontier": review.frontier_table(),
        "schedule": review.schedule_table(),
        "optimisation": opt,
        "target_text": review._target_text(),
        "assumptions": review.assumptions(),
        "command": review.reproduce_command(),
        "review": review,
        "version": review.assumptions()["Run"][0][1],
    }
    return _environment().get_template(TEMPLATE).render(**context)
