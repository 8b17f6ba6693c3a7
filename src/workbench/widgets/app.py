"""The workbench app: tabs over one shared journey (Compose, Plan, Export, Convert, Analyse)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

import ipywidgets as widgets
import traitlets

from workbench.model import Journey
from workbench.simulate.profiles import DEFAULT_PROFILE
from workbench.widgets._common import JourneySource, as_journey, styled
from workbench.widgets.analyse_panel import AnalysePanel
from workbench.widgets.composer import JourneyComposer
from workbench.widgets.convert_panel import ConvertPanel
from workbench.widgets.export_panel import ExportPanel
from workbench.widgets.plan_lab import PlanLab

__all__ = ["Workbench"]

#: Index of the Plan tab (its lab simulates only while the tab is shown).
PLAN_TAB = 1


class Workbench(widgets.VBox):
    """The workbench in one widget: Compose, Plan, Export and Convert tabs.

    Every panel holds the same journey: the app's ``journey`` trait is linked to each
    panel's, so an edit in the composer is what the Plan tab simulates and the Export tab
    writes, and a plan applied in the Plan tab is an (undoable) edit in the composer. The
    plan lab re-simulates only while its tab is shown (it catches up when opened), so edits
    in the composer stay quick.

    Parameters
    ----------
    journey : Journey, str, path or None
        What to open: a journey, a template name, a spec file path, or None (empty).
    plotter : callable, "auto" or None
        Timeline drawing of the composer (see :class:`JourneyComposer`).
    graph : bool, optional
        Show the composer's ipycytoscape graph (default: when installed).
    export_folder : str
        Folder the Export tab writes to.
    profile : str
        Memory profile the Plan tab simulates with and the Convert tab schedules drafts for
        at first (see :data:`workbench.simulate.PROFILES`); each tab can change it.
    calibration : Calibration, str or path, optional
        A calibration (or the file ``workbench calibrate`` wrote) the Plan tab simulates with
        and the Convert tab schedules drafts for.
    **kwargs
        Passed to :class:`ipywidgets.VBox`.

    Attributes
    ----------
    journey : Journey
        The current journey (a trait shared with every panel).
    composer : JourneyComposer
    plan_lab : PlanLab
    export_panel : ExportPanel
    convert_panel : ConvertPanel
        Legacy sources in, a draft journey out (opened drafts replace the journey), its
        reinforcement scheduled for a memory profile or calibration.
    analyse_panel : AnalysePanel
        Delivered statements in, each asset judged against its purpose (see :mod:`workbench.analytics`).
    tabs : Tab

    Examples
    --------
    >>> app = Workbench.from_template("post_training_retention", plotter=None, graph=False)
    >>> app.journey.id
    'post_training_retention'
    >>> [app.tabs.get_title(i) for i in range(4)]
    ['Compose', 'Plan', 'Export', 'Convert']
    """

    journey = traitlets.Instance(Journey)

    def __init__(
        self,
        journey: JourneySource = None,
        *,
        plotter: Callable[..., Any] | Literal["auto"] | None = "auto",
        graph: bool | None = None,
        export_folder: str = "exports",
        profile: str = DEFAULT_PROFILE,
        calibration: Any = None,
        **kwargs: Any,
    ) -> None:
        initial = as_journey(journey)
        super().__init__(**kwargs)
        self.add_class("wb-app")
        self.set_trait("journey", initial)
        self.composer = JourneyComposer(initial, plotter=plotter, graph=graph)
        self._links = [traitlets.link((self, "journey"), (self.composer, "journey"))]
        self.plan_lab = PlanLab(initial, active=False, profile=profile, calibration=calibration)
        self._links.append(traitlets.link((self, "journey"), (self.plan_lab, "journey")))
        self.export_panel = ExportPanel(initial, folder=export_folder)
        self._links.append(traitlets.link((self, "journey"), (self.export_panel, "journey")))
        self.convert_panel = ConvertPanel(initial, profile=profile, calibration=calibration)
        self._links.append(traitlets.link((self, "journey"), (self.convert_panel, "journey")))
        self.analyse_panel = AnalysePanel(initial)
        self._links.append(traitlets.link((self, "journey"), (self.analyse_panel, "journey")))
        tabs = [
            ("Compose", self.composer),
            ("Plan", self.plan_lab),
            ("Export", self.export_panel),
            ("Convert", self.convert_panel),
            ("Analyse", self.analyse_panel),
        ]
        self.tabs = styled(widgets.Tab(children=[panel for _, panel in tabs]), "wb-tabs")
        for index, title in enumerate(title for title, _ in tabs):
            self.tabs.set_title(index, title)
        self.tabs.observe(self._on_tab, names="selected_index")
        self.children = (self.tabs,)

    @property
    def plan_panel(self) -> PlanLab:
        """The Plan tab's :class:`PlanLab` (another name for :attr:`plan_lab`)."""
        return self.plan_lab

    def _on_tab(self, change: Any) -> None:
        self.plan_lab.active = change["new"] == PLAN_TAB

    @classmethod
    def from_template(cls, name: str, **kwargs: Any) -> Workbench:
        """Open the app on a packaged template (see :func:`workbench.templates.list_templates`)."""
        from workbench.templates import load_template

        return cls(load_template(name), **kwargs)
