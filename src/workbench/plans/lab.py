"""The plan lab's evaluation as a pure function: frozen settings in, an outcome to show out.

:class:`LabSettings` holds what the lab's controls say (plans ticked and typed, spacing,
target, deadline, weekly budget, learners, seed...); :func:`evaluate_lab` parses the plans,
simulates each on one seed (:func:`workbench.plans.compare`, common random numbers), and
chooses with the one "best plan" rule (:meth:`PlanComparison.cheapest_reaching` on mean
recall on the deadline). The widget (:class:`workbench.widgets.PlanLab`) only reads its
controls into settings, calls :func:`evaluate_lab` and shows the :class:`LabOutcome`, as
ipywidgets' ``interactive_output`` does.

Examples
--------
>>> from workbench.templates import load_template
>>> settings = LabSettings(ticked=("none", "fixed"), target=0.85, deadline_day=60, learners=200)
>>> outcome = evaluate_lab(load_template("safety_reminders"), settings)
>>> list(outcome.summary.index), outcome.problems
(['none', 'fixed:7x4'], {})
>>> outcome.status.startswith("plans=2 learners=200 seed=0 target=0.85 deadline=60 best=")
True
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import pandas as pd

from workbench.errors import PlanAlreadyAppliedError, WorkbenchError, problem_lines
from workbench.model import Journey
from workbench.plans.choice import PlanChoice, reaches
from workbench.plans.compare import PlanComparison, compare
from workbench.plans.constraints import PlanConstraints
from workbench.plans.generators import DeadlinePlan, ReinforcementPlan, parse_plan
from workbench.simulate import Engagement, LearnerPopulation
from workbench.simulate.profiles import DEFAULT_PROFILE, MemoryProfile, resolve_profile

if TYPE_CHECKING:
    from workbench.calibrate import Calibration

__all__ = [
    "AFTER_DEADLINE",
    "ALIKE",
    "BASELINE_KINDS",
    "FIXED_TOUCHES",
    "MAX_PLANS",
    "MIN_HORIZON",
    "PLAN_CHOICES",
    "REPORT_DAYS",
    "LabOutcome",
    "LabSettings",
    "describe_memory",
    "evaluate_lab",
    "horizon_for",
    "settings_population",
    "simulate_plan",
    "split_plans",
]

#: Families offered in the plan list; fixed, target and deadline take their parameter from a slider.
PLAN_CHOICES: tuple[str, ...] = ("none", "massed", "fixed", "expanding", "target", "deadline")
#: What plans are added to: the journey as designed, or its formal core (Journey.formal_core).
BASELINE_KINDS: tuple[str, ...] = ("designed", "core")
#: Plans whose outcomes on the deadline differ less than this look alike (a hint then says why).
ALIKE = 0.02
#: Most plans simulated per update (each is a simulation of ``learners`` learners).
MAX_PLANS = 4
#: Touches of the fixed-interval plan (its interval is the spacing).
FIXED_TOUCHES = 4
#: Shortest horizon, and the days simulated after the deadline.
MIN_HORIZON, AFTER_DEADLINE = 120, 30
#: Retention is reported on these days and on the deadline.
REPORT_DAYS = (7, 30)
#: Where a population problem is shown: (word in the message, control).
_POPULATION_FIELDS = (
    ("memory_sigma", "variation"),
    ("memory profile", "profile"),  # an unknown profile name
    ("optional", "optional"),
    ("required", "required"),
)


def horizon_for(deadline_day: int) -> int:
    """Return the last simulated day for a deadline: 30 days after it, and at least day 120.

    Examples
    --------
    >>> horizon_for(90), horizon_for(200)
    (120, 230)
    """
    return max(int(deadline_day) + AFTER_DEADLINE, MIN_HORIZON)


def split_plans(text: str) -> list[str]:
    """Split comma-separated plan strings; a piece starting with a digit continues the previous plan.

    Examples
    --------
    >>> split_plans("expanding:2,5,12, fixed:14x3")
    ['expanding:2,5,12', 'fixed:14x3']
    """
    pieces: list[str] = []
    for token in text.split(","):
        token = token.strip()
        if pieces and token and not token[0].isalpha():
            pieces[-1] += "," + token
        elif token:
            pieces.append(token)
    return pieces


def _about(label: str, message: str) -> str:
    """Prefix ``message`` by the plan it is about, unless it names the plan already."""
    return message if message.startswith(f"plan {label!r}") else f"{label}: {message}"


def _describe(exc: WorkbenchError) -> str:
    lines = problem_lines(exc)
    more = f" (+{len(lines) - 1} more)" if len(lines) > 1 else ""
    return f"{lines[0]}{more}"


def _field_of(exc: WorkbenchError, default: str) -> str:
    return "budget" if "max_minutes_per_week" in str(exc) else default


@dataclass(frozen=True)
class LabSettings:
    """What the plan lab's controls say: one frozen value per update.

    Attributes
    ----------
    ticked : tuple of str
        Families ticked in the plan list (keys of :data:`PLAN_CHOICES`).
    custom : str
        Other plan strings, comma-separated (``"expanding:2,5,12,30, fixed:14x3"``).
    spacing : int
        Days between the fixed-interval plan's touches.
    target : float
        Target mean recall on the deadline day.
    deadline_day : int
        The day outcomes are judged on.
    budget : int
        Most plan minutes per learner and week (0: no cap).
    variation : float or None
        The population's ``memory_sigma`` (None: the memory profile's or calibration's spread).
    required, optional : float
        The population's engagement probabilities.
    seed : int
        Seed of every simulation (common random numbers).
    learners : int
        Simulated learners per plan.
    model : str or None
        Forgetting model (None: the memory profile's or calibration's).
    baseline : {"designed", "core"}
        Add plans to the journey as designed, or to its formal core.
    profile : str
        Name of a packaged memory profile (:data:`workbench.simulate.PROFILES`).
    calibration : Calibration or None
        A calibration (:func:`workbench.calibrate.calibrate`); when given it is what the lab
        simulates with, and ``profile`` is not used.
    """

    ticked: tuple[str, ...] = ("none", "fixed", "expanding", "target")
    custom: str = ""
    spacing: int = 7
    target: float = 0.85
    deadline_day: int = 90
    budget: int = 0
    variation: float | None = None  # None: the memory profile's learner spread
    required: float = 0.9
    optional: float = 0.45
    seed: int = 0
    learners: int = 1000
    model: str | None = None
    baseline: str = "designed"
    profile: str = DEFAULT_PROFILE
    calibration: Calibration | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "target", round(float(self.target), 4))

    @property
    def horizon_days(self) -> int:
        """Last simulated day: ``max(deadline + 30, 120)``."""
        return horizon_for(self.deadline_day)

    @property
    def memory_profile(self) -> MemoryProfile:
        """The profile every simulation runs with: the calibration's, else the named profile.

        Raises UnknownNameError for an unknown profile name (see
        :func:`workbench.simulate.resolve_profile`, the one resolution rule).

        Examples
        --------
        >>> LabSettings(profile="flashcards").memory_profile.name
        'flashcards'
        """
        return resolve_profile(self.calibration if self.calibration is not None else self.profile)

    @property
    def memory_sigma(self) -> float:
        """The population's learner spread: the variation slider, else the memory profile's."""
        return float(self.variation) if self.variation is not None else self.memory_profile.memory_sigma

    @property
    def report_days(self) -> list[int]:
        """Days retention is reported on: :data:`REPORT_DAYS` and the deadline."""
        return sorted({*REPORT_DAYS, self.deadline_day})

    @property
    def search_key(self) -> tuple[Any, ...]:
        """The settings a plan search depends on (a plan found stays while they do)."""
        return (
            self.baseline,
            self.target,
            self.deadline_day,
            self.budget,
            self.variation,
            self.required,
            self.optional,
            self.seed,
            self.memory_key,
        )

    @property
    def memory_key(self) -> str:
        """What the memory profile or calibration is, as text (results depend on all of it)."""
        try:
            return self.memory_profile.model_dump_json()
        except WorkbenchError:
            return f"unknown profile {self.profile!r}"

    def population(self) -> LearnerPopulation:
        """Return the learner population the settings describe (raises JourneyError when out of range)."""
        engagement = Engagement(required=float(self.required), optional=float(self.optional))
        return LearnerPopulation(size=self.learners, memory_sigma=self.memory_sigma, engagement=engagement)

    def plan_text(self, key: str) -> str:
        """Return the plan string a plan-list key stands for (``fixed`` -> ``fixed:7x4``).

        Examples
        --------
        >>> LabSettings(spacing=14).plan_text("fixed"), LabSettings().plan_text("deadline")
        ('fixed:14x4', 'deadline:90')
        """
        if key == "fixed":
            return f"fixed:{int(self.spacing)}x{FIXED_TOUCHES}"
        if key == "target":
            return f"target:{self.target:g}"
        if key == "deadline":
            return f"deadline:{self.deadline_day}"
        return key

    @property
    def plan_strings(self) -> list[str]:
        """Plan strings compared: the ticked ones (in list order), then the custom ones, each once."""
        texts = [self.plan_text(key) for key in PLAN_CHOICES if key in self.ticked]
        texts += split_plans(self.custom)
        return list(dict.fromkeys(texts))

    def parse(self, text: str, population: LearnerPopulation) -> ReinforcementPlan:
        """Parse a plan string with the weekly budget (and, for target plans, the population's spread)."""
        family = text.strip().lower().partition(":")[0]
        options: dict[str, Any] = {}
        if self.budget > 0 and family != "none":  # no plan adds nothing: no cap to check
            options["constraints"] = PlanConstraints(max_minutes_per_week=float(self.budget))
        if family == "target":
            options["memory_sigma"] = population.memory_sigma  # schedule for this population's median
        return parse_plan(text, **options)

    def base_journey(self, journey: Journey) -> Journey:
        """Return the journey plans are added to: as designed, or its formal core."""
        return journey.formal_core() if self.baseline == "core" else journey

    def with_values(self, **changes: Any) -> LabSettings:
        """Return the settings with some values changed."""
        return replace(self, **changes)


@dataclass(frozen=True, eq=False)
class LabOutcome:
    """What one evaluation of the plan lab shows.

    Attributes
    ----------
    comparison : PlanComparison or None
        The simulated plans (None when nothing could be simulated).
    choice : PlanChoice or None
        The recommended plan (★): the cheapest reaching the target on the deadline.
    summary : DataFrame
        The comparison's summary with ``meets_target`` (empty when nothing was simulated).
    plans : dict
        Label -> plan of every simulated plan.
    problems : dict
        Control name -> problem lines (shown next to that control).
    applied_now : tuple of str
        Plans left out because the journey holds them now (not a problem).
    status : str
        The status line.
    empty_journey : bool
        The journey has no concepts (the display is cleared).
    found : str or None
        Label of the plan a search found, when shown.
    notes : tuple of str
        The notes appended to the status line.
    provenance : tuple of str
        What the numbers rest on: the memory profile or calibration (with its source and
        date), the population and the seed (see :func:`describe_memory`).
    """

    comparison: PlanComparison | None
    choice: PlanChoice | None
    summary: pd.DataFrame
    plans: Mapping[str, ReinforcementPlan]
    problems: Mapping[str, list[str]]
    applied_now: tuple[str, ...] = ()
    status: str = ""
    empty_journey: bool = False
    found: str | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)
    provenance: tuple[str, ...] = field(default_factory=tuple)


def describe_memory(settings: LabSettings) -> tuple[str, ...]:
    r"""Say what the lab's numbers rest on: memory profile or calibration, population, seed.

    Examples
    --------
    >>> lines = describe_memory(LabSettings(profile="flashcards", learners=200, seed=3))
    >>> lines[0].startswith("Memory profile flashcards: Flashcard reviews (FSRS-6 defaults).")
    True
    >>> print(*lines[1:], sep="\n")
    Population: 200 learners, memory variation 0.566 (the profile's), does required 0.90, optional 0.45
    Seed: 3
    """
    try:
        memory = settings.memory_profile
    except WorkbenchError as exc:
        return (f"Memory profile: {_describe(exc)}",)
    calibration = settings.calibration
    if calibration is not None:
        fitted = ", ".join(calibration.fitted) or "nothing"
        what = (
            f"Calibration {memory.name}: from {calibration.source}, {calibration.created} "
            f"(profile {calibration.base_profile!r}, fitted: {fitted})"
        )
    else:
        what = f"Memory profile {memory.name}: {memory.title}. {memory.source}"
    whose = "the calibration's" if calibration is not None else "the profile's"
    spread = whose if settings.variation is None else "set in the lab"
    return (
        what,
        f"Population: {settings.learners} learners, memory variation {settings.memory_sigma:.3g} ({spread}), "
        f"does required {settings.required:.2f}, optional {settings.optional:.2f}",
        f"Seed: {settings.seed}",
    )


def simulate_plan(journey: Journey, label: str, plan: ReinforcementPlan, settings: LabSettings) -> PlanComparison:
    """Simulate one plan on the lab's base journey with the settings' population, seed and horizon."""
    return compare(
        settings.base_journey(journey),
        {label: plan},
        population=settings.population(),
        model=settings.model,
        profile=settings.memory_profile,
        horizon_days=settings.horizon_days,
        rng=settings.seed,
        days=settings.report_days,
        deadline_day=settings.deadline_day,
    )


def settings_population(settings: LabSettings, problems: dict[str, list[str]]) -> LearnerPopulation | None:
    """Return the settings' population, or None with the problems (seed, population fields) noted."""
    if settings.seed < 0:
        problems.setdefault("seed", []).append(f"seed: must be a whole number from 0 on (got {settings.seed})")
    try:
        population = settings.population()
    except WorkbenchError as exc:
        for line in problem_lines(exc):
            fields = [f for key, f in _POPULATION_FIELDS if key in line]
            problems.setdefault(fields[0] if fields else "journey", []).append(line)
        return None
    return population if settings.seed >= 0 else None


def _chosen_plans(
    settings: LabSettings, population: LearnerPopulation, problems: dict[str, list[str]], deadline_max: int
) -> dict[str, ReinforcementPlan]:
    ticked = {settings.plan_text(key) for key in settings.ticked}
    plans: dict[str, ReinforcementPlan] = {}
    horizon = settings.horizon_days
    for text in settings.plan_strings:
        where = "plans" if text in ticked else "custom"
        try:
            plan = settings.parse(text, population)
        except WorkbenchError as exc:
            problems.setdefault(_field_of(exc, where), []).append(_describe(exc))
            continue
        if isinstance(plan, DeadlinePlan) and plan.deadline_day > horizon:
            problems.setdefault(where, []).append(
                f"{plan.label}: deadline day {plan.deadline_day} is after the last simulated day {horizon}; "
                f"move the Deadline slider to {plan.deadline_day - AFTER_DEADLINE} or later "
                f"(the lab simulates {AFTER_DEADLINE} days past it, at least {MIN_HORIZON} days; "
                f"the slider goes to day {deadline_max})"
            )
            continue
        plans.setdefault(plan.label, plan)
    if len(plans) > MAX_PLANS:
        problems.setdefault("plans", []).append(
            f"pick at most {MAX_PLANS} plans ({len(plans)} chosen, counting the other plans): "
            "untick some, or clear the other-plans box"
        )
        return {}
    if not plans and not problems:
        problems.setdefault("plans", []).append("pick at least one plan (e.g. none and expanding)")
    return plans


def _simulate_plans(
    journey: Journey,
    settings: LabSettings,
    plans: Mapping[str, ReinforcementPlan],
    *,
    found_label: str | None,
    applied: frozenset[str],
    run: Callable[[Journey, str, ReinforcementPlan, LabSettings], PlanComparison],
    problems: dict[str, list[str]],
) -> tuple[dict[str, PlanComparison], list[str]]:
    """Simulate each plan; problems go to the control the plan came from."""
    ticked = {settings.plan_text(key) for key in settings.ticked}
    comparisons: dict[str, PlanComparison] = {}
    applied_now: list[str] = []
    for label, plan in plans.items():
        try:
            comparisons[label] = run(journey, label, plan, settings)
        except WorkbenchError as exc:
            if label in applied and isinstance(exc, PlanAlreadyAppliedError):
                applied_now.append(label)  # not a problem: the journey holds this plan now
                continue
            where = "plans" if label in ticked else "optimise" if label == found_label else "custom"
            problems.setdefault(_field_of(exc, where), []).append(_about(label, _describe(exc)))
    return comparisons, applied_now


def _notes(
    settings: LabSettings, outcomes: pd.Series, message: str, applied_now: list[str], problems: Mapping[str, Any]
) -> list[str]:
    """List the notes after the status line: the last action, look-alike plans, applied plans, problems."""
    notes = [message] if message else []
    spread = float(outcomes.max() - outcomes.min()) if len(outcomes) > 1 else 1.0
    if spread < ALIKE and settings.baseline == "designed":
        notes.append(
            "the plans look alike: the journey's own reinforcement already does the work; "
            "add plans to 'Formal events only' to see what each plan does on its own"
        )
    if applied_now:
        notes.append(f"{', '.join(applied_now)} already in the journey ('none' shows it as designed now)")
    if problems:
        notes.append(f"not simulated: see {', '.join(dict.fromkeys(problems))}")
    return notes


def _simulable(journey: Journey, settings: LabSettings, problems: dict[str, list[str]]) -> bool:
    """Whether the baseline can be built and the journey has concepts (problems noted)."""
    usable = True
    try:
        settings.base_journey(journey)
    except WorkbenchError as exc:
        problems["baseline"] = problem_lines(exc)
        usable = False
    if not journey.concepts:
        problems["journey"] = [
            f"journey {journey.id!r} has no concepts, so there is nothing to remember: "
            "add concepts and the activities that cover them in the Compose tab"
        ]
        usable = False
    return usable


def evaluate_lab(
    journey: Journey,
    settings: LabSettings,
    *,
    found: tuple[str, ReinforcementPlan] | None = None,
    applied: frozenset[str] = frozenset(),
    message: str = "",
    deadline_max: int = 365,
    run: Callable[[Journey, str, ReinforcementPlan, LabSettings], PlanComparison] = simulate_plan,
) -> LabOutcome:
    """Evaluate the plan lab: parse, simulate and compare the plans, choose one, say how it went.

    Problems are collected per control (a plan that cannot be simulated is left out, the
    others are still compared); nothing is raised for bad settings.

    Parameters
    ----------
    journey : Journey
        The journey planned for.
    settings : LabSettings
        What the controls say.
    found : (label, plan), optional
        A plan a search found, shown next to the plans picked.
    applied : frozenset of str
        Labels of plans whose touches the journey now holds (left out quietly).
    message : str
        A note for the status line (what the last action did).
    deadline_max : int
        The deadline slider's maximum (named in a hint).
    run : callable
        ``run(journey, label, plan, settings)`` simulates one plan (default
        :func:`simulate_plan`; the widget passes a cached one).

    Returns
    -------
    LabOutcome
    """
    problems: dict[str, list[str]] = {}
    population = settings_population(settings, problems)
    plans = _chosen_plans(settings, population, problems, deadline_max) if population is not None else {}
    found_label = found[0] if found is not None else None
    if plans and found is not None and found[0] not in plans:
        plans[found[0]] = found[1]  # shown next to the plans picked
    simulable = _simulable(journey, settings, problems) and population is not None
    comparisons, applied_now = _simulate_plans(
        journey, settings, plans if simulable else {}, found_label=found_label, applied=applied, run=run,
        problems=problems,
    )  # fmt: skip
    shown: dict[str, Any] = {"problems": problems, "applied_now": tuple(applied_now), "found": found_label}
    shown["provenance"] = describe_memory(settings)
    if not comparisons:
        fix = ", ".join(dict.fromkeys(problems)) or "plans"
        status, empty = f"nothing simulated: fix {fix}", not journey.concepts
        return LabOutcome(None, None, pd.DataFrame(), {}, status=status, empty_journey=empty, **shown)
    comparison = PlanComparison.concat(list(comparisons.values()))
    outcomes = comparison.outcomes(settings.deadline_day, "retention")
    summary = comparison.summary.copy()
    summary["meets_target"] = [reaches(value, settings.target) for value in outcomes]
    choice = comparison.cheapest_reaching(settings.target, settings.deadline_day, metric="retention")
    notes = _notes(settings, outcomes, message, applied_now, problems)
    verdict = "" if choice.reachable else " (below target)"
    status = (
        f"plans={len(summary)} learners={settings.learners} seed={settings.seed} "
        f"target={settings.target:.2f} deadline={settings.deadline_day} best={choice.label}{verdict} "
        f"retention@{settings.deadline_day}={choice.achieved:.2f}" + "".join(f" | {note}" for note in notes)
    )
    simulated = {label: plans[label] for label in comparisons}
    return LabOutcome(comparison, choice, summary, simulated, status=status, notes=tuple(notes), **shown)
