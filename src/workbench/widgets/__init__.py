"""Jupyter widgets of the workbench (ipywidgets 8): compose a journey, compare plans, export it, review it.

Only ``import workbench.widgets`` imports ipywidgets; the rest of workbench stays UI-free.
Each panel holds one immutable :class:`~workbench.model.Journey` in a ``journey`` trait;
errors are shown next to the fields they are about, never raised into the notebook.

Examples
--------
>>> from workbench.widgets import Workbench
>>> app = Workbench.from_template("post_training_retention", plotter=None, graph=False)
>>> app.composer.fields["kind"].value = "spaced_recall_quiz"
>>> app.composer.fields["id"].value = "quiz_4"
>>> app.composer.add_button.click()
>>> len(app.journey.activities)
11
"""

from workbench.widgets.analyse_panel import AnalysePanel
from workbench.widgets.app import Workbench
from workbench.widgets.composer import FORM_FIELDS, JourneyComposer
from workbench.widgets.export_panel import ExportPanel, export_available
from workbench.widgets.plan_lab import PlanLab
from workbench.widgets.review_panel import StrategyReviewPanel

__all__ = [
    "FORM_FIELDS",
    "AnalysePanel",
    "ExportPanel",
    "JourneyComposer",
    "PlanLab",
    "StrategyReviewPanel",
    "Workbench",
    "export_available",
]
