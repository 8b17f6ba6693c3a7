"""Render the report pages (the strategy review, the analytics report) as self-contained HTML.

Each page is a packaged jinja2 template rendered with autoescaping on. They extend one
layout (``templates/_page.html.j2``: head, the shared CSS of ``_page.css``, header and
footer) and share its pieces (``_macros.html.j2``: figure, key-value table, provenance of
simulated numbers). Figures are embedded as ``data:`` PNG URIs and the CSS is inline, so a
file needs no network and no other file to be viewed, mailed or archived.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jinja2

    from workbench.report.review import StrategyReview

__all__ = ["TEMPLATE", "render_page", "render_review"]

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


def render_page(template: str, *, generated: str | dt.date | None = None, **context: Any) -> str:
    """Return a packaged report template rendered with ``context``, the version and the preparation date.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> page = render_page("_page.html.j2", title="T", journey=SimpleNamespace(title="A <b> title"),
    ...                    generated="2026-03-02")
    >>> "<h1>A &lt;b&gt; title</h1>" in page, "· prepared 2026-03-02 · workbench" in page
    (True, True)
    """
    from workbench import __version__

    return (
        _environment()
        .get_template(template)
        .render(version=__version__, generated=_generated_text(generated), **context)
    )


def render_review(review: StrategyReview, *, generated: str | dt.date | None = None, title: str | None = None) -> str:
    """Return the HTML page of a review (pure: the same review gives the same text)."""
    from workbench.report._figures import png_data_uri
    from workbench.report.review import FIGURES

    names = [n for n in FIGURES if n != "frontier" or review.frontier is not None]
    figures: dict[str, dict[str, str]] = {
        name: {"src": png_data_uri(review.figure_png(name)), "alt": review.figure_alt(name)} for name in names
    }
    verdict, tone = review.verdict()
    return render_page(
        TEMPLATE,
        generated=generated,
        title=title or f"Strategy review: {review.journey.title}",
        journey=review.journey,
        description=getattr(review.journey, "description", "") or "",
        key=review.key_figures(),
        verdict=verdict,
        tone=tone,
        figures=figures,
        layers=review.layers_table(),
        coverage=review.coverage_table(),
        findings=review.findings_table(),
        plans=review.plans_table(),
        frontier=review.frontier_table(),
        schedule=review.schedule_table(),
        optimisation=review.optimisation,
        target_text=review.target_text(),
        assumptions=review.assumptions(),
        command=review.reproduce_command(),
        review=review,
    )
