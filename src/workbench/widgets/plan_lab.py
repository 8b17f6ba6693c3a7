"""The plan lab: compare reinforcement plans on the current journey, live, and apply one.

Each plan is simulated with :func:`workbench.plans.compare` on the same seed (common random
numbers: the same learners and the same draws for the journey's own activities), so the
differences between rows are the plans' doing. Results are cached per plan and settings:
moving the spacing slider re-simulates the fixed-interval plan only. Sliders sync on release
(``continuous_update=False``), so a drag is one update, not fifty. "Find cheapest plan" runs
:func:`workbench.plans.optimise`, which is slower (about 25 simulations), on request only.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

import ipywidgets as widgets
import pandas as pd
import traitlets

from workbench.errors import PlanAlreadyAppliedError, WorkbenchError
from workbench.model import Journey
from workbench.plans import (
    DeadlinePlan,
    PlanComparison,
    PlanConstraints,
    ReinforcementPlan,
    compare,
    optimise,
    parse_plan,
)
from workbench.plans.choice import reaches
from workbench.simulate import Engagement, LearnerPopulation, SimulationResult
from workbench.widgets._common import (
    STYLE,
    JourneySource,
    as_journey,
    describe,
    error_html,
    error_lines,
    html_table,
    render_png,
    styled,
)

__all__ = ["MAX_PLANS", "PLAN_CHOICES", "PLAN_CONTROLS", "PlanLab", "horizon_for"]

#: Families offered in the plan list; fixed, target and deadline take their parameter from a slider.
PLAN_CHOICES: tuple[str, ...] = ("none", "massed", "fixed", "expanding", "target", "deadline")
#: Keys of :attr:`PlanLab.controls` (and of its ``errors``, with ``apply`` and ``optimise``).
PLAN_CONTROLS: tuple[str, ...] = (
    "baseline",
    "plans",
    "custom",
    "spacing",
    "target",
    "deadline",
    "budget",
    "variation",
    "required",
    "optional",
    "seed",
)
#: What plans are added to: the journey as designed, or its formal core (Journey.formal_core).
BASELINES: tuple[tuple[str, str], ...] = (("As designed", "designed"), ("Formal events only", "core"))
#: Plans whose outcomes on the deadline differ less than this look alike (a hint then says why).
ALIKE = 0.02
#: Most plans simulated per update (each is a 1,000-learner simulation).
MAX_PLANS = 4
#: Touches of the fixed-interval plan (its interval is the Spacing slider).
FIXED_TOUCHES = 4
#: Shortest horizon, and the days simulated after the deadline.
MIN_HORIZON, AFTER_DEADLINE = 120, 30
#: Retention is reported on these days and on the deadline.
REPORT_DAYS = (7, 30)
PLOT_SIZE = (9.0, 4.2)
CACHE_SIZE = 64

#: Where a population problem is shown: (word in the message, control).
_POPULATION_FIELDS = (("memory_sigma", "variation"), ("optional", "optional"), ("required", "required"))
_WIDE = {"description_width": "132px"}
_LAYOUT = {"width": "420px"}
_LAB_STYLE = """
<style>
.wb-plan-lab .wb-plan-best-row td { font-weight: bold; }
.wb-plan-lab .wb-plan-hint { color: #555; font-size: 0.85em; }
</style>
"""


def horizon_for(deadline_day: int) -> int:
    """Last simulated day for a deadline: 30 days after it, and at least day 120.

    Examples
    --------
    >>> horizon_for(90), horizon_for(200)
    (120, 230)
    """
    return max(int(deadline_day) + AFTER_DEADLINE, MIN_HORIZON)


def _split_plans(text: str) -> list[str]:
    """Comma-separated plan strings; a piece starting with a digit continues the previous plan."""
    pieces: list[str] = []
    for token in text.split(","):
        token = token.strip()
        if pieces and token and not token[0].isalpha():
            pieces[-1] += "," + token
        elif token:
            pieces.append(token)
    return pieces


def _about(label: str, message: str) -> str:
    """``message`` prefixed by the plan it is about, unless it names the plan already."""
    return message if message.startswith(f"plan {label!r}") else f"{label}: {message}"


def _pct(value: float) -> str:
    return f"{100 * value:.1f}%"


def _slider(kind: type[widgets.Widget], description: str, css: str, **options: Any) -> Any:
    return styled(
        kind(description=description, continuous_update=False, style=_WIDE, layout=_LAYOUT, **options),
        css,
        "wb-plan-field",
    )


class PlanLab(widgets.VBox):
    """Compare reinforcement plans on a journey, live, then apply the chosen one.

    Pick plans in the list (none, massed, ``fixed:<spacing>x4``, expanding,
    ``target:<target>``, ``deadline:<deadline>``) and type any other plan strings in the
    custom box (e.g. ``expanding:2,5,12,30``). Every change re-simulates the plans whose
    outcome it changes (at most :data:`MAX_PLANS` plans of ``learners`` learners, all on one
    seed, over ``max(deadline + 30, 120)`` days) and redraws the retention plot and the
    summary table. The recommended plan (★) is the cheapest in learner minutes whose mean
    recall on the deadline day reaches the target. "Find cheapest plan" searches plan
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
    model : str
        Forgetting model (see :func:`workbench.simulate.simulate`).
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
        model: str = "fsrs6",
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
        self._build(plans, seed, spacing, target, deadline_day, budget)
        if baseline not in dict(BASELINES).values():
            raise ValueError(f"baseline: must be 'designed' or 'core' (got {baseline!r})")
        self.controls["baseline"].value = baseline
        self.observe(self._on_journey, names="journey")
        self.update()

    # ---- building ------------------------------------------------------------------------

    def _build(
        self, plans: Sequence[str], seed: int, spacing: int, target: float, deadline_day: int, budget: int
    ) -> None:
        keys = [p for p in plans if p in PLAN_CHOICES]
        custom = [p for p in plans if p not in PLAN_CHOICES]
        c: dict[str, widgets.Widget] = {
            "baseline": styled(
                widgets.ToggleButtons(
                    options=BASELINES,
                    value="designed",
                    description="Add plans to",
                    tooltips=[
                        "the journey with its own reinforcement",
                        "the formal events and what prepares them, without the journey's own after/work assets",
                    ],
                    style=_WIDE,
                ),
                "wb-plan-baseline",
                "wb-plan-field",
            ),
            "plans": styled(
                widgets.SelectMultiple(
                    options=[(key, key) for key in PLAN_CHOICES],
                    value=keys,
                    rows=len(PLAN_CHOICES),
                    description="Plans",
                    style=_WIDE,
                    layout=_LAYOUT,
                ),
                "wb-plan-plans",
                "wb-plan-field",
            ),
            "custom": styled(
                widgets.Text(
                    value=", ".join(custom),
                    description="Other plans",
                    placeholder="e.g. expanding:2,5,12,30, fixed:14x3",
                    continuous_update=False,
                    style=_WIDE,
                    layout=_LAYOUT,
                ),
                "wb-plan-custom",
                "wb-plan-field",
            ),
            "spacing": _slider(widgets.IntSlider, "Spacing (days)", "wb-plan-spacing", value=spacing, min=1, max=60),
            "target": _slider(
                widgets.FloatSlider,
                "Target retention",
                "wb-plan-target",
                value=target,
                min=0.5,
                max=0.98,
                step=0.01,
                readout_format=".2f",
            ),
            "deadline": _slider(
                widgets.IntSlider, "Deadline (day)", "wb-plan-deadline", value=deadline_day, min=14, max=365
            ),
            "budget": _slider(widgets.IntSlider, "Budget (min/week)", "wb-plan-budget", value=budget, min=0, max=120),
            "variation": _slider(
                widgets.FloatSlider,
                "Memory variation",
                "wb-plan-variation",
                value=0.35,
                min=0.0,
                max=1.5,
                step=0.05,
                readout_format=".2f",
            ),
            "required": _slider(
                widgets.FloatSlider,
                "Does required (p)",
                "wb-plan-required",
                value=0.9,
                min=0.0,
                max=1.0,
                step=0.05,
                readout_format=".2f",
            ),
            "optional": _slider(
                widgets.FloatSlider,
                "Does optional (p)",
                "wb-plan-optional",
                value=0.45,
                min=0.0,
                max=1.0,
                step=0.05,
                readout_format=".2f",
            ),
            "seed": styled(
                widgets.IntText(value=seed, description="Seed", style=_WIDE, layout=_LAYOUT),
                "wb-plan-seed",
                "wb-plan-field",
            ),
        }
        self.controls = c
        self.errors = {
            name: styled(widgets.HTML(), "wb-error", f"wb-plan-error-{name}")
            for name in (*PLAN_CONTROLS, "apply", "optimise", "journey")
        }
        self.chosen = styled(
            widgets.Dropdown(options=[], value=None, description="Chosen plan", style=_WIDE, layout=_LAYOUT),
            "wb-plan-chosen",
        )
        self.apply_button = styled(
            widgets.Button(
                description="Apply chosen plan",
                button_style="primary",
                icon="check",
                tooltip="Add the chosen plan's touches to the journey (undo in the Compose tab)",
            ),
            "wb-plan-apply",
        )
        self.optimise_button = styled(
            widgets.Button(
                description="Find cheapest plan",
                icon="search",
                tooltip="Search plan families (about 25 simulations) for the cheapest that reaches the target",
            ),
            "wb-plan-optimise",
        )
        for button in (self.apply_button, self.optimise_button):
            button.layout.width = "170px"
        self.best = styled(widgets.HTML(), "wb-plan-best")
        self.plot = styled(widgets.Image(format="png"), "wb-plan-plot")
        self.plot.layout = widgets.Layout(max_width="100%", height="auto")
        self.plot_message = styled(widgets.HTML(), "wb-plan-plot-message")
        self.table = styled(widgets.HTML(), "wb-plan-summary")
        self.status = styled(widgets.Label(value="not simulated yet"), "wb-plan-status")

        for control in c.values():
            control.observe(self._on_control, names="value")
        self.chosen.observe(self._on_chosen, names="value")
        self.apply_button.on_click(lambda _: self.apply_chosen())
        self.optimise_button.on_click(lambda _: self.find_cheapest())
        self._relabel()

        def row(name: str) -> widgets.HBox:
            return widgets.HBox([c[name], self.errors[name]], layout={"align_items": "center"})

        section = widgets.HTML
        hint = '<div class="wb-plan-hint">{}</div>'
        left = widgets.VBox(
            [
                section('<div class="wb-section">Plans</div>'),
                row("baseline"),
                row("plans"),
                row("custom"),
                section('<div class="wb-section">Schedules</div>'),
                row("spacing"),
                row("target"),
                row("deadline"),
                row("budget"),
                section(hint.format("Budget 0: no weekly cap. Sliders apply when released.")),
                section('<div class="wb-section">Learners</div>'),
                row("variation"),
                row("required"),
                row("optional"),
                row("seed"),
            ],
            layout={"width": "45%", "min_width": "440px"},
        )
        right = widgets.VBox(
            [
                self.errors["journey"],
                self.plot,
                self.plot_message,
                section('<div class="wb-section">Decide</div>'),
                self.chosen,
                widgets.HBox([self.apply_button, self.optimise_button]),
                self.errors["apply"],
                self.errors["optimise"],
                self.best,
            ],
            layout={"width": "55%", "padding": "0 0 0 12px"},
        )
        self.table.layout = widgets.Layout(overflow="auto", max_width="100%")
        summary = section('<div class="wb-section">Plans compared (★ recommended)</div>')
        self.children = (
            widgets.HTML(STYLE + _LAB_STYLE),
            self.status,
            widgets.HBox([left, right]),
            summary,
            self.table,
        )

    # ---- settings ------------------------------------------------------------------------

    @property
    def deadline_day(self) -> int:
        """The deadline day of the slider (retention and proficiency are judged on it)."""
        return int(self.controls["deadline"].value)

    @property
    def target(self) -> float:
        """The target retention of the slider."""
        return round(float(self.controls["target"].value), 4)

    @property
    def horizon_days(self) -> int:
        """Last simulated day: ``max(deadline + 30, 120)``."""
        return horizon_for(self.deadline_day)

    @property
    def seed(self) -> int:
        """The seed every plan is simulated with."""
        return int(self.controls["seed"].value)

    @property
    def population(self) -> LearnerPopulation:
        """The learner population the sliders describe.

        Raises
        ------
        JourneyError
            A slider value the population rejects (only possible when set from code).
        """
        c = self.controls
        engagement = Engagement(required=float(c["required"].value), optional=float(c["optional"].value))
        return LearnerPopulation(size=self.learners, memory_sigma=float(c["variation"].value), engagement=engagement)

    def _plan_text(self, key: str) -> str:
        if key == "fixed":
            return f"fixed:{int(self.controls['spacing'].value)}x{FIXED_TOUCHES}"
        if key == "target":
            return f"target:{self.target:g}"
        if key == "deadline":
            return f"deadline:{self.deadline_day}"
        return key

    @property
    def plan_strings(self) -> list[str]:
        """Plan strings compared now: the ticked ones, then the custom ones (each once)."""
        ticked = set(self.controls["plans"].value)
        texts = [self._plan_text(key) for key in PLAN_CHOICES if key in ticked]
        texts += _split_plans(self.controls["custom"].value)
        return list(dict.fromkeys(texts))

    def _parse(self, text: str, population: LearnerPopulation) -> ReinforcementPlan:
        budget = int(self.controls["budget"].value)
        family = text.strip().lower().partition(":")[0]
        options: dict[str, Any] = {}
        if budget > 0 and family != "none":  # no plan adds nothing: no cap to check
            options["constraints"] = PlanConstraints(max_minutes_per_week=float(budget))
        if family == "target":
            options["memory_sigma"] = population.memory_sigma  # schedule for this population's median
        return parse_plan(text, **options)

    def _relabel(self) -> None:
        """Show the plan strings the sliders give in the plan list (keeping the selection)."""
        select = self.controls["plans"]
        options = [(self._plan_text(key), key) for key in PLAN_CHOICES]
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
        self.update()

    def _on_chosen(self, change: Mapping[str, Any]) -> None:
        if not self._loading and change["new"] is not None:
            self._user_choice = change["new"]

    def _on_journey(self, change: Mapping[str, Any]) -> None:
        self._cache.clear()
        self._cheapest = None  # found for the journey before
        self.best.value = ""
        self._user_choice = None
        self._message, self._applied = self._applied, ""
        self.update()

    # ---- simulating ----------------------------------------------------------------------

    def _clear_errors(self, *names: str) -> None:
        for name in names or tuple(self.errors):
            self.errors[name].value = ""

    def _show(self, problems: Mapping[str, list[str]]) -> None:
        for name, lines in problems.items():
            self.errors[name].value = error_html(lines)

    def _settings(self, problems: dict[str, list[str]]) -> tuple[LearnerPopulation, int] | None:
        seed = self.seed
        if seed < 0:
            problems.setdefault("seed", []).append(f"seed: must be a whole number from 0 on (got {seed})")
        try:
            population = self.population
        except WorkbenchError as exc:
            for line in error_lines(exc):
                fields = [f for key, f in _POPULATION_FIELDS if key in line]
                problems.setdefault(fields[0] if fields else "journey", []).append(line)
            return None
        return (population, seed) if seed >= 0 else None

    def _chosen_plans(
        self, population: LearnerPopulation, problems: dict[str, list[str]]
    ) -> dict[str, ReinforcementPlan]:
        ticked = {self._plan_text(key) for key in self.controls["plans"].value}
        plans: dict[str, ReinforcementPlan] = {}
        horizon = self.horizon_days
        for text in self.plan_strings:
            field = "plans" if text in ticked else "custom"
            try:
                plan = self._parse(text, population)
            except WorkbenchError as exc:
                problems.setdefault(self._field_of(exc, field), []).append(describe(exc))
                continue
            if isinstance(plan, DeadlinePlan) and plan.deadline_day > horizon:
                problems.setdefault(field, []).append(
                    f"{plan.label}: deadline day {plan.deadline_day} is after the last simulated day {horizon}; "
                    f"move the Deadline slider to {plan.deadline_day - AFTER_DEADLINE} or later "
                    f"(the lab simulates {AFTER_DEADLINE} days past it, at least {MIN_HORIZON} days; "
                    f"the slider goes to day {self.controls['deadline'].max})"
                )
                continue
            plans.setdefault(plan.label, plan)
        count = len(plans)
        if count > MAX_PLANS:
            problems.setdefault("plans", []).append(
                f"pick at most {MAX_PLANS} plans ({count} chosen, counting the other plans): "
                "untick some, or clear the other-plans box"
            )
            return {}
        if not plans and not problems:
            problems.setdefault("plans", []).append("pick at least one plan (e.g. none and expanding)")
        return plans

    @staticmethod
    def _field_of(exc: WorkbenchError, default: str) -> str:
        text = str(exc)
        return "budget" if "max_minutes_per_week" in text else default

    def base_journey(self) -> Journey:
        """Return the journey plans are added to: as designed, or its formal core (the Baseline toggle).

        With the formal core, applying a plan replaces the journey's own reinforcement with it.
        """
        if self.controls["baseline"].value == "core":
            return self.journey.formal_core()
        return self.journey

    def _key(self, plan: ReinforcementPlan, population: LearnerPopulation, seed: int) -> tuple[Any, ...]:
        return (
            self.controls["baseline"].value,
            type(plan).__name__,
            plan.model_dump_json(),
            population.model_dump_json(),
            self.horizon_days,
            self.deadline_day,
            seed,
            self.model,
        )

    def _simulate(
        self, label: str, plan: ReinforcementPlan, population: LearnerPopulation, seed: int
    ) -> PlanComparison:
        key = self._key(plan, population, seed)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        comparison = compare(
            self.base_journey(),
            {label: plan},
            population=population,
            model=self.model,
            horizon_days=self.horizon_days,
            rng=seed,
            days=sorted({*REPORT_DAYS, self.deadline_day}),
            deadline_day=self.deadline_day,
        )
        self._cache[key] = comparison
        while len(self._cache) > CACHE_SIZE:
            del self._cache[next(iter(self._cache))]
        return comparison

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
        problems: dict[str, list[str]] = {}
        if self._cheapest is not None and self._cheapest[2] != self._settings_key():
            self._cheapest = None  # found for other settings
            self.best.value = ""
        settings = self._settings(problems)
        plans = self._chosen_plans(settings[0], problems) if settings is not None else {}
        found = self._cheapest[0] if self._cheapest is not None else None
        if plans and self._cheapest is not None and found not in plans:
            plans[self._cheapest[0]] = self._cheapest[1]  # shown next to the plans picked
        comparisons: dict[str, PlanComparison] = {}
        applied_now: list[str] = []
        journey = self.journey
        try:
            self.base_journey()
        except WorkbenchError as exc:
            problems["baseline"] = error_lines(exc)
            settings = None
        if not journey.concepts:
            problems["journey"] = [
                f"journey {journey.id!r} has no concepts, so there is nothing to remember: "
                "add concepts and the activities that cover them in the Compose tab"
            ]
            self.table.value, self.plot.value, self.results, self.summary = "", b"", {}, pd.DataFrame()
            self.comparison = None
            self._plans = {}
            self._loading = True
            try:
                self.chosen.options = []
            finally:
                self._loading = False
        elif settings is not None:
            population, seed = settings
            ticked = {self._plan_text(key) for key in self.controls["plans"].value}
            for label, plan in plans.items():
                try:
                    comparisons[label] = self._simulate(label, plan, population, seed)
                except WorkbenchError as exc:
                    if label in self._applied_labels and isinstance(exc, PlanAlreadyAppliedError):
                        # not a problem: the journey holds this plan now, and "none" shows it
                        applied_now.append(label)
                        continue
                    field = "plans" if label in ticked else "optimise" if label == found else "custom"
                    field = self._field_of(exc, field)
                    problems.setdefault(field, []).append(_about(label, describe(exc)))
        self._show(problems)
        if not comparisons:
            fix = ", ".join(dict.fromkeys(problems)) or "plans"
            self.status.value = f"nothing simulated: fix {fix}"
            return
        self._plans = {label: plans[label] for label in comparisons}
        comparison = PlanComparison.concat(list(comparisons.values()))
        self.comparison = comparison
        self.results = dict(comparison.results)
        outcomes = comparison.outcomes(self.deadline_day, "retention")
        summary = comparison.summary.copy()
        summary["meets_target"] = [reaches(value, self.target) for value in outcomes]
        self.summary = summary
        choice = comparison.cheapest_reaching(self.target, self.deadline_day, metric="retention")
        best = choice.label
        self._show_table(comparison, best)
        self._show_plot()
        self._show_choices(best)
        retention = choice.achieved
        verdict = "" if choice.reachable else " (below target)"
        notes = [self._message] if self._message else []
        spread = float(outcomes.max() - outcomes.min()) if len(outcomes) > 1 else 1.0
        if spread < ALIKE and self.controls["baseline"].value == "designed":
            notes.append(
                "the plans look alike: the journey's own reinforcement already does the work; "
                "add plans to 'Formal events only' to see what each plan does on its own"
            )
        if applied_now:
            notes.append(f"{', '.join(applied_now)} already in the journey ('none' shows it as designed now)")
        if problems:
            notes.append(f"not simulated: see {', '.join(dict.fromkeys(problems))}")
        message = "".join(f" | {note}" for note in notes)
        self.status.value = (
            f"plans={len(summary)} learners={self.learners} seed={self.seed} "
            f"target={self.target:.2f} deadline={self.deadline_day} best={best}{verdict} "
            f"retention@{self.deadline_day}={retention:.2f}{message}"
        )

    def _settings_key(self) -> tuple[Any, ...]:
        c = self.controls
        return tuple(
            c[name].value
            for name in ("baseline", "target", "deadline", "budget", "variation", "required", "optional", "seed")
        )

    def _show_table(self, comparison: PlanComparison, best: str) -> None:
        found = self._cheapest[0] if self._cheapest is not None else None
        day = self.deadline_day
        days = sorted({*REPORT_DAYS, day})
        s = self.summary
        rows = []
        for label, r in s.iterrows():
            plan = str(label)
            rows.append(
                (
                    f"{plan}{' (found)' if plan == found else ''}{' ★' if plan == best else ''}",
                    int(r["touches"]),
                    f"{r['plan_minutes']:.0f}",
                    f"{r['learner_minutes']:.1f}",
                    *[_pct(comparison.retention(plan, d)) for d in days],
                    _pct(comparison.proficiency(plan, day)),
                    "yes" if r["meets_target"] else "no",
                )
            )
        self.table.value = html_table(
            (
                "plan",
                "touches added",
                "plan min",
                "learner min",
                *[f"retention day {d}" for d in days],
                f"proficient day {day}",
                f"reaches {self.target:.0%}",
            ),
            rows,
            row_classes=[
                "wb-plan-best-row" if label == best else ("wb-sev-info" if ok else "wb-sev-warning")
                for label, ok in zip(s.index, s["meets_target"], strict=True)
            ],
        )

    def _show_plot(self) -> None:
        from workbench.plot import plot_retention_comparison

        results, target, day = dict(self.results), self.target, self.deadline_day
        try:
            self.plot.value = render_png(
                lambda ax: plot_retention_comparison(results, ax=ax, target=target, deadline_day=day),
                figsize=PLOT_SIZE,
            )
            self.plot_message.value = ""
        except Exception as exc:  # the plot must never break the lab
            self.plot_message.value = f'<div class="wb-error">plot not drawn: {error_html(error_lines(exc))}</div>'

    def _show_choices(self, best: str) -> None:
        found = self._cheapest[0] if self._cheapest is not None else None

        def note(label: str) -> str:
            tags = [tag for tag, on in (("cheapest found", label == found), ("recommended", label == best)) if on]
            return f" ({', '.join(tags)})" if tags else ""

        options = [(f"{label}{note(label)}", label) for label in self.results]
        values = [value for _, value in options]
        wanted = self._user_choice if self._user_choice in values else best
        self._loading = True
        try:
            self.chosen.options = options
            self.chosen.value = wanted
        finally:
            self._loading = False

    # ---- deciding ------------------------------------------------------------------------

    def _plan_of(self, label: str) -> ReinforcementPlan | None:
        return self._plans.get(label)

    def apply_chosen(self) -> None:
        """Add the chosen plan's touches to the journey (what "Apply chosen plan" does).

        The journey trait changes, so a linked composer records it as an edit (undoable) and
        the export panel writes the new journey.
        """
        self._clear_errors("apply")
        label = self.chosen.value
        plan = self._plan_of(label) if label is not None else None
        if plan is None:
            self.errors["apply"].value = error_html(["nothing to apply: pick a plan that was simulated"])
            return
        try:
            base = self.base_journey()
            journey = plan.apply(base)
        except WorkbenchError as exc:
            self.errors["apply"].value = error_html([f"{label} not applied: {line}" for line in error_lines(exc)])
            return
        added = len(journey.activities) - len(base.activities)
        if journey == self.journey:
            self._message = f"{label} adds nothing: journey unchanged"
            self.update()
            return
        replaced = len(self.journey.activities) - len(base.activities)
        self._applied = f"applied {label}: +{added} activities" + (
            f", replacing the journey's own {replaced} reinforcement assets" if replaced else ""
        )
        self._applied_labels.add(label)
        self.journey = journey

    def find_cheapest(self) -> str | None:
        """Search for the cheapest plan reaching the target on the deadline (what "Find cheapest plan" does).

        Runs :func:`workbench.plans.optimise` (about 25 simulations: each plan family at
        growing intensity, bisected) on the lab's population, seed and weekly budget, with
        the target on mean recall (``metric="retention"``). The plan found is offered in
        "Chosen plan", ready to apply, until a setting changes.

        Returns
        -------
        str or None
            The label of the plan found (the closest one when the target is out of reach),
            or None when the search could not run (the reason is shown).
        """
        self._clear_errors("optimise")
        problems: dict[str, list[str]] = {}
        settings = self._settings(problems)
        if settings is None:
            self._show(problems)
            self.errors["optimise"].value = error_html(["not searched: fix the settings first"])
            return None
        population, seed = settings
        budget = int(self.controls["budget"].value)
        day, target = self.deadline_day, self.target
        self.best.value = f'<div class="wb-plan-hint">searching plans for {target:.0%} on day {day}...</div>'
        try:
            found = optimise(
                self.base_journey(),
                target=target,
                on_day=day,
                population=population,
                model=self.model,
                rng=seed,
                metric="retention",
                constraints=PlanConstraints(max_minutes_per_week=float(budget)) if budget > 0 else None,
                also=list(self._plans.values()),  # never costlier than a plan shown that reaches the target
            )
        except WorkbenchError as exc:
            self.best.value = ""
            self.errors["optimise"].value = error_html([f"not searched: {line}" for line in error_lines(exc)])
            return None
        label = found.plan.label
        self._cheapest = (label, found.plan, self._settings_key())
        self._user_choice = label
        self._message = f"cheapest={label}" if found.reachable else f"closest={label}"
        self.update()  # simulated with the lab's horizon, shown next to the plans picked
        head = (
            f"Cheapest plan reaching {target:.0%} on day {day}"
            if found.reachable
            else f"No plan reaches {target:.0%} on day {day}; the closest"
        )
        figures = f"adds {found.plan_minutes:g} min per learner, retention {_pct(found.achieved)}"
        if label in self.summary.index:
            row = self.summary.loc[label].to_dict()
            figures += f", {row['learner_minutes']:.1f} learner min in all"
        self.best.value = (
            f'<div class="{"wb-ok" if found.reachable else "wb-error"}">{html.escape(head)}: '
            f"<b>{html.escape(label)}</b> ({figures}; {found.simulations} plans simulated).<br>"
            f"{html.escape(found.reason)}</div>"
        )
        return label

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
