"""The Analyse tab: load delivered statements, pick a concept or an asset, see the analytics.

A thin panel over :mod:`workbench.analytics`: reading, mapping and every figure are the
package's pure functions; the panel only holds the current choice and redraws.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets
import traitlets

from workbench.errors import WorkbenchError
from workbench.model import Journey
from workbench.widgets._common import describe, html_table, render_png, styled

__all__ = ["AnalysePanel"]


class AnalysePanel(widgets.VBox):
    """Statements in, purpose-aware analytics out, for the app's journey.

    Parameters
    ----------
    journey : Journey
        The journey the statements are about (the app links it to its own).
    tz : str
        The cohort's IANA time zone.

    Attributes
    ----------
    path : Text
        A statements file (JSON array or NDJSON, gzip or not).
    load_button, demo_button : Button
        Read the file; or load the synthetic cohort (the simulation's own trace).
    concept : Dropdown
        The concept whose observed and simulated retrieval success is drawn.
    asset : Dropdown
        The asset whose verdict and use are shown.
    recall_image, recall_caption : Image, HTML
        Observed vs simulated retrieval success of the concept (PNG), and what it shows.
    status, verdict, findings_box : HTML

    Examples
    --------
    >>> from workbench.templates import load_template
    >>> panel = AnalysePanel(load_template("post_training_retention"))
    >>> panel.concept.options[0]
    ('Situation-Behaviour-Impact model', 'sbi_model')
    """

    journey = traitlets.Instance(Journey)

    def __init__(self, journey: Journey, *, tz: str = "UTC", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.add_class("wb-analyse")
        self.tz = tz
        self.delivery: Any = None
        self.tables: dict[str, Any] = {}
        self.path = widgets.Text(placeholder="statements.ndjson(.gz) or .json", description="Statements")
        self.load_button = styled(widgets.Button(description="Load"), "wb-analyse-load")
        self.demo_button = styled(widgets.Button(description="Synthetic cohort"), "wb-analyse-demo")
        self.concept = styled(widgets.Dropdown(description="Concept"), "wb-analyse-concept")
        self.asset = styled(widgets.Dropdown(description="Asset"), "wb-analyse-asset")
        self.status = styled(widgets.HTML("<p>Load statements to analyse this journey's delivery.</p>"), "wb-status")
        self.recall_image = styled(widgets.Image(format="png"), "wb-analyse-recall")
        self.recall_caption = styled(widgets.HTML(), "wb-analyse-caption")
        self.verdict = styled(widgets.HTML(), "wb-analyse-verdict")
        self.findings_box = styled(widgets.HTML(), "wb-analyse-findings")
        self.load_button.on_click(lambda _: self.load(self.path.value))
        self.demo_button.on_click(lambda _: self.load_demo())
        self.concept.observe(lambda _: self._draw_concept(), names="value")
        self.asset.observe(lambda _: self._show_asset(), names="value")
        self.set_trait("journey", journey)
        self._choices()
        self.children = (
            widgets.HBox([self.path, self.load_button, self.demo_button]),
            self.status,
            widgets.HBox([self.concept, self.asset]),
            self.recall_image,
            self.recall_caption,
            self.verdict,
            self.findings_box,
        )

    @traitlets.observe("journey")
    def _journey_changed(self, change: Any) -> None:
        if hasattr(self, "concept"):
            self.delivery, self.tables = None, {}
            self._choices()

    def _choices(self) -> None:
        for dropdown, options in (
            (self.concept, [(c.name, c.id) for c in self.journey.concepts]),
            (self.asset, [(a.title, a.id) for a in self.journey.timeline()]),
        ):
            dropdown.options = options
            dropdown.value = options[0][1] if options else None

    def load(self, path: str) -> None:
        """Read a statements file and analyse it (errors are shown, never raised)."""
        from workbench.analytics import observe, read_statements

        try:
            ingest = read_statements(path)
            delivery = observe(ingest, self.journey, tz=self.tz, source=path)
        except (WorkbenchError, OSError) as exc:
            self.status.value = f'<p class="wb-error">{html.escape(describe(exc))}</p>'
            return
        rejected = sum(ingest.rejected.values())
        self._analyse(delivery, note=f"{ingest.kept} statements kept, {rejected} rejected")

    def load_demo(self, learners: int = 200) -> None:
        """Analyse the synthetic cohort of the journey: its own simulation's trace as statements."""
        from workbench.analytics import observe, statements_frame
        from workbench.analytics.demo import DEMO_START
        from workbench.export.xapi import trace_statements
        from workbench.simulate import LearnerPopulation, simulate

        result = simulate(self.journey, population=LearnerPopulation(size=learners), rng=7, trace=True)
        statements = trace_statements(self.journey, result, start=DEMO_START, rng=7)
        source = f"synthetic cohort: simulate({self.journey.id}, {learners} learners, seed 7)"
        delivery = observe(statements_frame(statements), self.journey, start=DEMO_START, source=source)
        self._analyse(delivery, result=result, note=f"{len(statements)} simulated statements")

    def _analyse(self, delivery: Any, *, result: Any = None, note: str) -> None:
        from workbench.analytics import findings, observed_vs_simulated, verdicts
        from workbench.simulate import LearnerPopulation, simulate

        if result is None:
            horizon = int(min(3650, max(1, delivery.accesses["day"].max() + 1)))
            result = simulate(
                self.journey, population=LearnerPopulation(size=delivery.cohort_size), rng=0, trace=True,
                horizon_days=horizon,
            )  # fmt: skip
        self.delivery = delivery
        self.tables = {"recall": observed_vs_simulated(delivery, result), "verdicts": verdicts(delivery)}
        self.status.value = f"<p>{html.escape(note)}. {html.escape(delivery.caption())}</p>"
        answers = findings(delivery)
        self.findings_box.value = "".join(
            f"<p><b>{html.escape(f.question)}</b> {html.escape(f.answer)}</p>" for f in answers
        )
        self._draw_concept()
        self._show_asset()

    def _draw_concept(self) -> None:
        if self.delivery is None or self.concept.value is None:
            return
        from workbench.plot import plot_observed_vs_simulated

        table = self.tables["recall"]
        concept = str(self.concept.value)
        self.recall_image.value = render_png(lambda ax: plot_observed_vs_simulated(table, ax=ax, concept=concept))
        shown = table[table["concept"] == concept]
        self.recall_caption.value = (
            f"<p>Retrieval success of <b>{html.escape(concept)}</b>: {int(shown['attempts'].sum())} observed "
            f"retrievals in {len(shown)} activities, next to the simulation. {html.escape(self.delivery.caption())}</p>"
        )

    def _show_asset(self) -> None:
        if self.delivery is None or self.asset.value is None:
            return
        rows = self.tables["verdicts"]
        row = rows[rows["activity_id"] == self.asset.value]
        self.verdict.value = html_table(
            ["purpose", "measure", "value", "threshold", "verdict"],
            [
                (p, m, f"{v:.0%}", f"{t:.0%}", verdict)
                for p, m, v, t, verdict in zip(
                    row["purpose"], row["measure"], row["value"], row["threshold"], row["verdict"], strict=True
                )
            ],
        )
