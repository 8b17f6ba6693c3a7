"""The strategy review as a dashboard: pick a journey and plans, see the verdict, figures and tables.

A thin panel over :func:`workbench.report.review_journey`: every number, table and figure it
shows comes from the :class:`~workbench.report.StrategyReview`; the panel only chooses the
inputs and lays the outputs out (run it as an app with Voila, see notebook 04).
"""

from __future__ import annotations

import functools
import html
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from workbench.errors import WorkbenchError
from workbench.widgets._common import STYLE, styled

if TYPE_CHECKING:
    from workbench.report import StrategyReview

__all__ = ["REVIEW_FIGURES", "ReviewFunction", "StrategyReviewPanel", "summary_html"]

#: The review figures the dashboard shows, in order.
REVIEW_FIGURES = ("timeline", "retention", "plans", "frontier")
#: ``review(template_name, plans)``: the review of a packaged template under some plans.
ReviewFunction = Callable[[str, tuple[str, ...]], "StrategyReview"]
_TONE_COLOURS = {"ok": "#1a7f37", "warn": "#9a6700", "bad": "#b42318"}


def summary_html(review: StrategyReview) -> str:
    """Return the verdict box: journey, verdict (coloured by its tone), size, findings and provenance.

    Examples
    --------
    >>> from workbench.report import review_journey
    >>> from workbench.simulate import LearnerPopulation
    >>> from workbench.templates import load_template
    >>> review = review_journey(load_template("safety_reminders"), plans=["none"], frontier=False,
    ...                         population=LearnerPopulation(size=100))
    >>> "learner minutes as designed" in summary_html(review)
    True
    """
    key = review.key_figures()
    verdict, tone = review.verdict()
    return (
        f'<div style="border-left:6px solid {_TONE_COLOURS[tone]};padding:8px 14px;background:#f6f8fa;'
        'max-width:980px">'
        f"<b>{html.escape(review.journey.title)}</b><br>{html.escape(verdict)}<br>"
        f"{key.activities} activities ({key.formal} formal, {key.micro} micro) · "
        f"{key.learner_minutes:g} learner minutes as designed · design findings: {key.findings.text()}<br>"
        f'<span class="sr-provenance" style="color:#59636e">simulated: {html.escape(key.provenance.text())}</span>'
        "</div>"
    )


def tables_html(review: StrategyReview) -> str:
    """Return the plans compared and the design findings, as HTML tables."""
    findings = review.findings_table().to_html() if review.findings else "<p>No findings.</p>"
    return "<h3>Plans compared</h3>" + review.plans_table().to_html() + "<h3>Design findings</h3>" + findings


class StrategyReviewPanel(widgets.VBox):
    """Choose a journey (a packaged template) and plans; see the review update.

    Parameters
    ----------
    plan_choices : sequence of str
        Plan strings offered (see :func:`workbench.plans.parse_plan`).
    plans : sequence of str
        Plans chosen at first.
    template : str
        Template shown at first.
    review : callable, optional
        ``review(template_name, plans)`` returning a :class:`~workbench.report.StrategyReview`;
        by default :func:`workbench.report.review_journey` with ``target``, ``on_day``,
        ``learners`` and ``seed`` (cached, so going back to a choice is instant).
    templates : sequence of str, optional
        Templates offered (default: every packaged template).
    learners, seed, on_day, target
        Inputs of the default ``review``.
    **kwargs
        Passed to :class:`ipywidgets.VBox`.

    Attributes
    ----------
    template, plans : Dropdown, SelectMultiple
        The choices (CSS classes ``sr-template`` and ``sr-plans-select``).
    status, summary, tables : HTML
        What was computed, the verdict box, the tables (``sr-status``, ``sr-summary``, ``sr-tables``).
    images : dict of str to Image
        The figures of :data:`REVIEW_FIGURES` (``sr-timeline``, ``sr-retention``...).
    review : StrategyReview or None
        The review shown (None until one was computed).
    """

    def __init__(
        self,
        plan_choices: Sequence[str],
        *,
        plans: Sequence[str],
        template: str = "post_training_retention",
        review: ReviewFunction | None = None,
        templates: Sequence[str] | None = None,
        learners: int = 500,
        seed: int = 0,
        on_day: int = 90,
        target: float | None = 0.8,
        **kwargs: Any,
    ) -> None:
        from workbench.templates import list_templates, load_template

        super().__init__(**kwargs)
        self.add_class("wb-review")
        self._review = review or _default_review(learners=learners, seed=seed, on_day=on_day, target=target)
        self.review: StrategyReview | None = None
        names = list(templates) if templates is not None else list_templates()
        self.template = styled(
            widgets.Dropdown(
                options=[(f"{load_template(n).title} ({n})", n) for n in names],
                value=template,
                description="Journey",
                layout=widgets.Layout(width="760px"),
                style={"description_width": "90px"},
            ),
            "sr-template",
        )
        self.plans = styled(
            widgets.SelectMultiple(
                options=list(plan_choices),
                value=tuple(plans),
                rows=len(plan_choices),
                description="Plans",
                style={"description_width": "90px"},
            ),
            "sr-plans-select",
        )
        self.status = styled(widgets.HTML(), "sr-status")
        self.summary = styled(widgets.HTML(), "sr-summary")
        self.tables = styled(widgets.HTML(), "sr-tables")
        self.images = {
            name: styled(
                widgets.Image(format="png", layout=widgets.Layout(width="100%", max_width="1000px")), f"sr-{name}"
            )
            for name in REVIEW_FIGURES
        }
        self.template.observe(self.update, names="value")
        self.plans.observe(self.update, names="value")
        self.children = (
            widgets.HTML(STYLE),
            widgets.HBox([self.template]),
            self.plans,
            self.status,
            self.summary,
            widgets.HTML("<h3>The journey</h3>"),
            self.images["timeline"],
            widgets.HTML("<h3>Retention by plan</h3>"),
            self.images["retention"],
            self.images["plans"],
            widgets.HTML("<h3>Learner time against retention</h3>"),
            self.images["frontier"],
            self.tables,
        )
        self.update()

    def update(self, *_: Any) -> None:
        """Compute the review of the current choices and show it (errors are shown, not raised)."""
        chosen = tuple(self.plans.value)
        if not chosen:
            self.status.value = '<span style="color:#b42318">Choose at least one plan.</span>'
            return
        name = self.template.value
        self.status.value = f"computing {html.escape(name)} with {len(chosen)} plans…"
        try:
            review = self._review(name, chosen)
        except WorkbenchError as exc:
            self.status.value = f'<span style="color:#b42318">{html.escape(str(exc))}</span>'
            return
        self.review = review
        self.summary.value = summary_html(review)
        self.tables.value = tables_html(review)
        for figure, image in self.images.items():
            shown = figure != "frontier" or review.frontier is not None
            image.layout.display = None if shown else "none"
            image.value = review.figure_png(figure) if shown else b""
        self.status.value = html.escape(
            f"{name}: {len(review.plans)} plans compared, recommended {review.recommended} on day {review.on_day}"
        )


def _default_review(*, learners: int, seed: int, on_day: int, target: float | None) -> ReviewFunction:
    from workbench.report import review_journey
    from workbench.simulate import LearnerPopulation
    from workbench.templates import load_template

    @functools.lru_cache(maxsize=32)
    def review(template: str, plans: tuple[str, ...]) -> StrategyReview:
        return review_journey(
            load_template(template),
            plans=list(plans),
            target=target,
            on_day=on_day,
            population=LearnerPopulation(size=learners),
            rng=seed,
        )

    return review
