"""The plan lab: compare reinforcement plans on the current journey, live, and apply one.

A thin layer over :func:`workbench.plans.lab.evaluate_lab`, in the spirit of ipywidgets'
``interactive_output``: the controls (a table of specs, :mod:`._plan_controls`) are read into
a frozen :class:`~workbench.plans.lab.LabSettings`, the pure evaluation parses, simulates and
chooses, and the panel shows its :class:`~workbench.plans.lab.LabOutcome` (as HTML made by
:mod:`._plan_view`). Each plan is simulated on the same seed (common random numbers), so the
differences between rows are the plans' doing. Results are cached per plan and settings:
moving the spacing slider re-simulates the fixed-interval plan only. Sliders sync on release
(``continuous_update=False``), so a drag is one update, not fifty. "Find cheapest plan" runs
:func:`workbench.plans.optimise`, which is slower (about 25 simulations), on request only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import ipywidgets as widgets
import pandas as pd
import traitlets

from workbench.model import Journey
from workbench.plans import PlanComparison, ReinforcementPlan
from workbench.plans.lab import (
    AFTER_DEADLINE,
    ALIKE,
    FIXED_TOUCHES,
    MAX_PLANS,
    MIN_HORIZON,
    PLAN_CHOICES,
    REPORT_DAYS,
    LabSettings,
    describe_memory,
    evaluate_lab,
    horizon_for,
    simulate_plan,
)
from workbench.simulate import LearnerPopulation, SimulationResult
from workbench.simulate.profiles import DEFAULT_PROFILE, PROFILES
from workbench.widgets._common import STYLE, JourneySource, as_journey, error_html, error_lines, render_png, styled
from workbench.widgets._memory import CalibrationSource, MemoryChoice, unknown_profile
from workbench.widgets._plan_controls import (
    BASELINES,
    CONTROLS,
    PLAN_CONTROLS,
    build_control,
    control_rows,
)
from workbench.widgets._plan_decide import PlanDecisions
from workbench.widgets._plan_memory import PlanMemory
from workbench.widgets._plan_view import provenance_html, summary_html

__all__ = ["MAX_PLANS", "PLAN_CHOICES", "PLAN_CONTROLS", "PlanLab", "horizon_for"]

# kept importable from here: the lab's numbers live with its evaluation in workbench.plans.lab
_REEXPORTED = (AFTER_DEADLINE, ALIKE, FIXED_TOUCHES, MIN_HORIZON, REPORT_DAYS)

PLOT_SIZE = (9.0, 4.2)
CACHE_SIZE = 64

_LAB_STYLE = """
<style>
.wb-plan-lab .wb-plan-best-row td { font-weight: bold; }
.wb-plan-lab .wb-plan-hint { color: #555; font-size: 0.85em; }
</style>
"""


class PlanLab(PlanMemory, PlanDecisions, widgets.VBox):
    """Compare reinforcement plans on a journey, live, then apply the chosen one.

    Pick plans in the list (none, massed, ``fixed:<spacing>x4``, expanding,
    ``target:<target>``, ``deadline:<deadline>``) and type any other plan strings in the
    custom box (e.g. ``expanding:2,5,12,30``). Every change re-simulates the plans whose
    outcome it changes (at most :data:`MAX_PLANS` plans of ``learners`` learners, all on one
    seed, over ``max(deadline + 30, 120)`` days) and redraws the retention plot and the
    summary table. The recommended plan (★) is the cheapest whose mean recall on the
    deadline day reaches the target (fewest learner minutes before that day, the rule of
    :meth:`~workbench.plans.PlanComparison.cheapest_reaching`; evaluated by the pure
    :func:`workbench.plans.lab.evaluate_lab`). "Find cheapest plan" searches plan
    families and intensities with :func:`workbench.plans.optimise` and shows the plan it
    finds next to the others until a setting it depends on changes. "Apply chosen plan"
    adds the chosen plan's touches to the journey.

    Parameters
    ----------
    journey : Journey, str, path or None
        What to plan for (a journey, a template name or a spec path); usually linked to the
        composer's journey by :class:`~workbench.widgets.Workbench`.
    plans : sequence of str
        Plans selected at first: keys of :data:`PLAN_CHOICES`; other plan strings go to the
        custom box.
    seed : int
        Seed of every simulation (editable in the panel).
    learners : int
        Simulated learners per plan.
    model : str, optional
        Forgetting model (default: the memory profile's; see :func:`workbench.simulate.simulate`).
    profile : str
        Memory profile first chosen (a name of :data:`workbench.simulate.PROFILES`).
    calibration : Calibration, str or path, optional
        A calibration (or the JSON/YAML file ``workbench calibrate`` wrote) to simulate with;
        it joins the profile list and is chosen. A file can also be uploaded in the panel.
    spacing, target, deadline_day, budget : number
        First values of the sliders (``budget`` 0: no weekly cap).
    active : bool
        Simulate on every change. An inactive lab only notes that it is stale and catches up
        when made active (the app activates it while its tab is shown).
    **kwargs
        Passed to :class:`ipywidgets.VBox`.

    Attributes
    ----------
    journey : Journey
        The journey planned for (a trait; "Apply chosen plan" sets it).
    controls : dict of str to Widget
        The inputs, keyed by :data:`PLAN_CONTROLS`.
    errors : dict of str to HTML
        The error shown next to each control (and ``apply``, ``optimise``, ``journey``).
    settings : LabSettings
        What the controls say now (read-only; see :class:`workbench.plans.lab.LabSettings`).
    comparison : PlanComparison or None
        The plans of the last update.
    summary : DataFrame
        One row per plan of the last update (see :func:`~workbench.plans.compare.compare`),
        with ``meets_target``.
    results : dict
        Plan label -> SimulationResult of the last update.
    plot : Image
        The retention plot (PNG).
    table : HTML
        The summary table.
    status : Label
        ``plans=4 learners=1000 seed=0 target=0.85 deadline=90 best=... retention@90=...``.
    profile_note : HTML
        What the numbers rest on: the memory profile or calibration (source, date), the
        population and the seed.
    calibration : Calibration or None
        The calibration loaded (chosen when the profile list shows it).
    calibration_upload : FileUpload
        Upload a calibration file (JSON or YAML).
    memory : MemoryChoice
        The profile list, the calibration and its upload (the part the Convert tab shares).
    chosen : Dropdown
        The plan "Apply chosen plan" applies (the recommended one unless picked).
    apply_button, optimise_button : Button
    best : HTML
        What "Find cheapest plan" found, and why.

    Examples
    --------
    >>> lab = PlanLab("post_training_retention")
    >>> lab.status.value.startswith("plans=4 learners=1000 seed=0 target=0.85 deadline=90 best=")
    True
    >>> lab.controls["spacing"].value = 14
    >>> "fixed:14x4" in lab.summary.index
    True
    """

    journey = traitlets.Instance(Journey)

    def __init__(
        self,
        journey: JourneySource = None,
        *,
        plans: Sequence[str] = ("none", "fixed", "expanding", "target"),
        seed: int = 0,
        learners: int = 1000,
        model: str | None = None,
        profile: str = DEFAULT_PROFILE,
        calibration: CalibrationSource = None,
        spacing: int = 7,
        target: float = 0.85,
        deadline_day: int = 90,
        budget: int = 0,
        baseline: str = "designed",
        active: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.add_class("wb-plan-lab")
        self.set_trait("journey", as_journey(journey))
        self.learners = int(learners)
        self.model = model
        self.summary = pd.DataFrame()
        self.comparison: PlanComparison | None = None
        self.results: dict[str, SimulationResult] = {}
        self._active = bool(active)
        self._stale = True
        self._loading = False
        self._user_choice: str | None = None
        self._plans: dict[str, ReinforcementPlan] = {}
        self._cache: dict[tuple[Any, ...], PlanComparison] = {}
        self._cheapest: tuple[str, ReinforcementPlan, tuple[Any, ...]] | None = None
        self._message = ""
        self._applied = ""  # what the next journey change is (set by Apply)
        self._applied_labels: set[str] = set()  # plans whose touches the journey now holds
        if baseline not in dict(BASELINES).values():
            raise ValueError(f"baseline: must be 'designed' or 'core' (got {baseline!r})")
        first = {
            "baseline": baseline,
            "plans": tuple(p for p in plans if p in PLAN_CHOICES),
            "custom": ", ".join(p for p in plans if p not in PLAN_CHOICES),
            "spacing": spacing,
            "target": target,
            "deadline": deadline_day,
            "budget": budget,
            "seed": seed,
            "profile": profile if profile in PROFILES else None,
        }
        self._build(first)
        self.observe(self._on_journey, names="journey")
        if profile not in PROFILES:
            self.errors["profile"].value = error_html(unknown_profile(profile))
        self._follow_memory()
        if calibration is not None:
            self.use_calibration(calibration)  # updates (or shows why it could not)
        else:
            self.update()

    # ---- building ------------------------------------------------------------------------

    def _build(self, first: Mapping[str, Any]) -> None:
        self.controls = {spec.name: build_control(spec, first.get(spec.name)) for spec in CONTROLS}
        self.memory = MemoryChoice(self.controls["profile"], css="wb-plan", on_change=self._on_memory)
        self.errors = {
            name: styled(widgets.HTML(), "wb-error", f"wb-plan-error-{name}")
            for name in (*PLAN_CONTROLS, "apply", "optimise", "journey")
        }
        self.errors["calibration"] = self.memory.error
        self._build_decisions()
        self.plot = styled(widgets.Image(format="png"), "wb-plan-plot")
        self.plot.layout = widgets.Layout(max_width="100%", height="auto")
        self.plot_message = styled(widgets.HTML(), "wb-plan-plot-message")
        self.table = styled(widgets.HTML(), "wb-plan-summary")
        self.status = styled(widgets.Label(value="not simulated yet"), "wb-plan-status")

        for name, control in self.controls.items():
            if name != "profile":  # the memory choice reports its own changes (_on_memory)
                control.observe(self._on_control, names="value")
        self._relabel()

        rows = control_rows(self.controls, self.errors, {"profile": self.memory.upload_row()})
        left = widgets.VBox(rows, layout={"width": "45%", "min_width": "440px"})
        right = widgets.VBox(
            [
                self.errors["journey"],
                self.plot,
                self.plot_message,
                widgets.HTML('<div class="wb-section">Decide</div>'),
                self.chosen,
                widgets.HBox([self.apply_button, self.optimise_button]),
                self.errors["apply"],
                self.errors["optimise"],
                self.best,
            ],
            layout={"width": "55%", "padding": "0 0 0 12px"},
        )
        self.table.layout = widgets.Layout(overflow="auto", max_width="100%")
        self.profile_note = styled(widgets.HTML(provenance_html(describe_memory(self.settings))), "wb-plan-profile")
        self.children = (
            widgets.HTML(STYLE + _LAB_STYLE),
            self.status,
            self.profile_note,
            widgets.HBox([left, right]),
            widgets.HTML('<div class="wb-section">Plans compared (★ recommended)</div>'),
            self.table,
        )

    # ---- settings ------------------------------------------------------------------------

    @property
    def settings(self) -> LabSettings:
        """What the controls say now, as one frozen value."""
        c = self.controls
        return LabSettings(
            ticked=tuple(c["plans"].value),
            custom=str(c["custom"].value),
            spacing=int(c["spacing"].value),
            target=float(c["target"].value),
            deadline_day=int(c["deadline"].value),
            budget=int(c["budget"].value),
            variation=self._variation(),
            required=float(c["required"].value),
            optional=float(c["optional"].value),
            seed=int(c["seed"].value),
            learners=self.learners,
            model=self.model,
            baseline=str(c["baseline"].value),
            profile=self.memory.profile_name,
            calibration=self.memory.chosen_calibration,
        )

    @property
    def deadline_day(self) -> int:
        """The deadline day of the slider (retention and proficiency are judged on it)."""
        return self.settings.deadline_day

    @property
    def target(self) -> float:
        """The target retention of the slider."""
        return self.settings.target

    @property
    def horizon_days(self) -> int:
        """Last simulated day: ``max(deadline + 30, 120)``."""
        return self.settings.horizon_days

    @property
    def seed(self) -> int:
        """The seed every plan is simulated with."""
        return self.settings.seed

    @property
    def population(self) -> LearnerPopulation:
        """The learner population the sliders describe.

        Raises
        ------
        JourneyError
            A slider value the population rejects (only possible when set from code).
        """
        return self.settings.population()

    @property
    def plan_strings(self) -> list[str]:
        """Plan strings compared now: the ticked ones, then the custom ones (each once)."""
        return self.settings.plan_strings

    def base_journey(self) -> Journey:
        """Return the journey plans are added to: as designed, or its formal core (the Baseline toggle).

        With the formal core, applying a plan replaces the journey's own reinforcement with it.
        """
        return self.settings.base_journey(self.journey)

    def _relabel(self) -> None:
        """Show the plan strings the sliders give in the plan list (keeping the selection)."""
        select = self.controls["plans"]
        settings = self.settings
        options = [(settings.plan_text(key), key) for key in PLAN_CHOICES]
        if list(select.options) == options:
            return
        kept = tuple(select.value)
        self._loading = True
        try:
            select.options = options
            select.value = kept
        finally:
            self._loading = False

    # ---- events --------------------------------------------------------------------------

    @property
    def active(self) -> bool:
        """Whether every change re-simulates; setting it True catches up on missed changes."""
        return self._active

    @active.setter
    def active(self, value: bool) -> None:
        self._active = bool(value)
        if self._active and self._stale:
            self.update()

    def _on_control(self, change: Mapping[str, Any]) -> None:
        if self._loading:
            return
        self._relabel()
        self._message = ""
        self.memory.forget_problem()
        self.update()

    def _on_journey(self, change: Mapping[str, Any]) -> None:
        self._cache.clear()
        self._cheapest = None  # found for the journey before
        self.best.value = ""
        self._user_choice = None
        self._message, self._applied = self._applied, ""
        self.update()

    # ---- showing -------------------------------------------------------------------------

    def _clear_errors(self, *names: str) -> None:
        for name in names or tuple(self.errors):
            self.errors[name].value = ""

    def _show(self, problems: Mapping[str, list[str]]) -> None:
        for name, lines in problems.items():
            self.errors[name].value = error_html(lines)

    def _simulate(self, journey: Journey, label: str, plan: ReinforcementPlan, settings: LabSettings) -> PlanComparison:
        """Simulate one plan with :func:`~workbench.plans.lab.simulate_plan`, cached per plan and settings."""
        key = (
            settings.baseline,
            type(plan).__name__,
            plan.model_dump_json(),
            settings.population().model_dump_json(),
            settings.horizon_days,
            settings.deadline_day,
            settings.seed,
            settings.model,
            settings.memory_key,
        )
        cached = self._cache.get(key)
        if cached is None:
            cached = self._cache[key] = simulate_plan(journey, label, plan, settings)
            while len(self._cache) > CACHE_SIZE:
                del self._cache[next(iter(self._cache))]
        return cached

    def update(self) -> None:
        """Re-simulate the chosen plans and redraw the plot, table and status (what every change does).

        Problems are shown next to the controls they are about; plans that cannot be
        simulated are left out, the others are still compared.
        """
        if not self._active:
            self._stale = True
            return
        self._stale = False
        self._clear_errors()
        settings = self.settings
        if self._cheapest is not None and self._cheapest[2] != settings.search_key:
            self._cheapest = None  # found for other settings
            self.best.value = ""
        outcome = evaluate_lab(
            self.journey,
            settings,
            found=self._cheapest[:2] if self._cheapest is not None else None,
            applied=frozenset(self._applied_labels),
            message=self._message,
            deadline_max=int(self.controls["deadline"].max),
            run=self._simulate,
        )
        self._show(outcome.problems)
        if self.memory.problem:
            self.errors["calibration"].value = error_html(self.memory.problem)
        self.status.value = outcome.status
        self.profile_note.value = provenance_html(outcome.provenance)
        if outcome.empty_journey:
            self.table.value, self.plot.value, self.results, self.summary = "", b"", {}, pd.DataFrame()
            self.comparison, self._plans = None, {}
            self._loading = True
            try:
                self.chosen.options = []
            finally:
                self._loading = False
        if outcome.comparison is None or outcome.choice is None:
            return
        self.comparison = outcome.comparison
        self._plans = dict(outcome.plans)
        self.results = dict(outcome.comparison.results)
        self.summary = outcome.summary
        self.table.value = summary_html(outcome, settings)
        self._show_plot(settings)
        self._show_choices(outcome.choice.label)

    def _show_plot(self, settings: LabSettings) -> None:
        from workbench.plot import plot_retention_comparison

        results, target, day = dict(self.results), settings.target, settings.deadline_day
        try:
            self.plot.value = render_png(
                lambda ax: plot_retention_comparison(results, ax=ax, target=target, deadline_day=day),
                figsize=PLOT_SIZE,
            )
            self.plot_message.value = ""
        except Exception as exc:  # the plot must never break the lab
            self.plot_message.value = f'<div class="wb-error">plot not drawn: {error_html(error_lines(exc))}</div>'

    # ---- convenience -----------------------------------------------------------------------

    def select(self, *keys: str) -> None:
        """Tick these plan families (keys of :data:`PLAN_CHOICES`) and re-simulate once."""
        unknown = [k for k in keys if k not in PLAN_CHOICES]
        if unknown:
            self.errors["plans"].value = error_html(
                [f"unknown plan family {', '.join(map(repr, unknown))}; pick from {', '.join(PLAN_CHOICES)}"]
            )
            return
        self.controls["plans"].value = tuple(keys)

    @classmethod
    def from_template(cls, name: str, **kwargs: Any) -> PlanLab:
        """Open the lab on a packaged template (see :func:`workbench.templates.list_templates`)."""
        from workbench.templates import load_template

        return cls(load_template(name), **kwargs)
