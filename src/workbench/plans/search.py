"""Search for a reinforcement plan: the least learner time for a target on a date.

* :func:`optimise` searches plan families (deadline, fixed interval, expanding, target
  retention) and their intensity (touches per concept, or the target recall) by simulation
  with common random numbers, for the least learner minutes that reach a target on a date,
  or the best outcome within a budget; it says whether the target is reachable and why not.
* :func:`tune_deadline` chooses the backward spacing of a deadline plan by simulation.
* :func:`frontier` traces learner minutes against retention over plans and targets, and
  marks dominated plans.
* :func:`sensitivity` shows how a plan's outcome moves when engagement is lower or learners
  vary more than assumed.

Search (kept to about 25 simulations, each with ``horizon_days = on_day + 1``):

1. the journey as designed (no plan): if it reaches the target, nothing is added;
2. each family is a ladder of plans of growing intensity (for touch families, 1 to
   ``max_touches`` touches per concept; plans over the budget are left out). The most intense
   rung is simulated first: if it misses the target the family cannot reach it; otherwise a
   bisection finds the least intense rung that reaches it (outcomes grow with intensity);
3. the winning deadline plan is refined: other backward spacings (ratio 1.5 and 3) at its
   number of touches and one touch fewer;
4. among the plans that reach the target (within the budget), the least mean learner minutes
   before ``on_day`` (:func:`workbench.plans.choice.cheapest_reaching`, the rule every chooser uses)
   win. If none does, the plan with the best outcome is returned with ``reachable=False``
   and the reason.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from workbench._random import RandomLike
from workbench.errors import ParameterError
from workbench.memory import MemoryModel
from workbench.model import Journey
from workbench.plans._checks import check_journey, check_metric, check_on_day, check_population, check_target
from workbench.plans._context import JourneyContext
from workbench.plans.choice import METRICS, PlanOutcome, cheapest_reaching, reaches
from workbench.plans.compare import apply_schedule, as_plan, fixed_seed
from workbench.plans.constraints import PlanConstraints
from workbench.plans.generators import (
    DEFAULT_GAPS,
    DeadlinePlan,
    ExpandingPlan,
    FixedPlan,
    NoPlan,
    PlanSchedule,
    ReinforcementPlan,
    TargetRetentionPlan,
)
from workbench.simulate import LearnerPopulation, TouchEffects, simulate

__all__ = ["FAMILIES", "METRICS", "Optimisation", "optimise", "tune_deadline"]

#: Plan families :func:`optimise` searches, in this order.
FAMILIES = ("deadline", "fixed", "expanding", "target")
TARGET_LEVELS = (0.6, 0.7, 0.8, 0.85, 0.9, 0.95)
EXPANDING_GAPS = (*DEFAULT_GAPS, 90.0, 120.0, 180.0, 240.0, 300.0, 365.0)
REFINE_RATIOS = (1.5, 3.0)
CANDIDATE_COLUMNS = [
    "label",
    "family",
    "touches",
    "plan_minutes",
    "learner_minutes",
    "proficiency",
    "retention",
    "achieved",
    "meets_target",
    "within_budget",
]


def _metric_text(metric: str, threshold: float) -> str:
    if metric == "proficiency":
        return f"of learners proficient (recall >= {threshold:g})"
    return "mean recall"


@dataclass
class _Evaluator:
    """Simulates plans on one journey with one seed; remembers every outcome."""

    journey: Journey
    population: LearnerPopulation
    model: str | MemoryModel | None
    seed: Any
    on_day: int
    threshold: float
    metric: str
    effects: TouchEffects | None
    horizon: int
    profile: Any = None
    rows: list[dict[str, Any]] = field(default_factory=list)
    plans: dict[str, ReinforcementPlan] = field(default_factory=dict)
    cache: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def simulations(self) -> int:
        return len(self.rows)

    def __call__(self, plan: ReinforcementPlan, family: str, schedule: PlanSchedule | None = None) -> dict[str, Any]:
        label = plan.label
        if label in self.cache:
            return self.cache[label]
        schedule = schedule if schedule is not None else plan.build(self.journey)
        result = simulate(
            apply_schedule(self.journey, schedule),
            population=self.population,
            model=self.model,
            horizon_days=self.horizon,
            rng=self.seed,
            effects=self.effects,
            profile=self.profile,
            threshold=self.threshold,
            checkpoint_days=(self.on_day,),
            progress=False,
        )
        proficiency = result.proficiency(self.on_day)
        retention = result.retention(self.on_day)
        row = {
            "label": label,
            "family": family,
            "touches": len(schedule.activities),
            "plan_minutes": schedule.minutes,
            "learner_minutes": result.learner_minutes,
            "proficiency": proficiency,
            "retention": retention,
            "achieved": proficiency if self.metric == "proficiency" else retention,
            "n_learners": result.n_learners,
            "minutes_until": result.learner_minutes_until(self.on_day),
        }
        self.rows.append(row)
        self.cache[label] = row
        self.plans[label] = plan
        return row


@dataclass(frozen=True, eq=False)
class Optimisation:
    """The outcome of :func:`optimise`.

    Attributes
    ----------
    plan : ReinforcementPlan
        The chosen plan (when unreachable: the plan that came closest).
    reachable : bool
        Whether some plan reaches the target on the day (within the budget, if any).
    reason : str
        Why this plan, or why the target cannot be reached and what to change.
    achieved : float
        The chosen plan's outcome on the day (``metric``).
    learner_minutes : float
        Mean minutes a learner spends on the whole journey with the plan (simulated).
    plan_minutes : float
        Minutes per learner the plan schedules (what the budget is compared with).
    candidates : DataFrame
        Every simulated plan: label, family, touches (activities added), plan and learner
        minutes, proficiency, retention, achieved, whether it meets the target and the budget.
    """

    plan: ReinforcementPlan
    reachable: bool
    reason: str
    achieved: float
    learner_minutes: float
    plan_minutes: float
    target: float
    on_day: int
    metric: str
    threshold: float
    budget_min: float | None
    baseline: float
    candidates: pd.DataFrame
    simulations: int
    seed: Any

    def apply(self, journey: Journey) -> Journey:
        """Return the journey with the chosen plan applied."""
        return self.plan.apply(journey)

    def to_dict(self) -> dict[str, Any]:
        """Plain data (for ``--json``)."""
        return {
            "plan": self.plan.label,
            "reachable": self.reachable,
            "reason": self.reason,
            "metric": self.metric,
            "threshold": self.threshold,
            "target": self.target,
            "on_day": self.on_day,
            "achieved": round(self.achieved, 6),
            "baseline": round(self.baseline, 6),
            "learner_minutes": round(self.learner_minutes, 3),
            "plan_minutes": round(self.plan_minutes, 3),
            "budget_min": self.budget_min,
            "simulations": self.simulations,
            "seed": self.seed if isinstance(self.seed, int) else str(self.seed),
            "candidates": [
                {k: (round(v, 6) if isinstance(v, float) else v) for k, v in row.items()}
                for row in self.candidates.to_dict(orient="records")
            ],
        }


def _check_common(on_day: int, population: LearnerPopulation | None) -> LearnerPopulation:
    check_on_day(on_day)
    return check_population(population)


def _ladders(
    journey: Journey,
    on_day: int,
    families: Sequence[str],
    max_touches: int,
    options: Mapping[str, Any],
) -> dict[str, list[ReinforcementPlan]]:
    context = JourneyContext.of(journey)
    anchors = [c.anchor_day for c in context.taught(options.get("concepts")) if c.anchor_day is not None]
    latest = max(anchors, default=0.0)
    span = max(on_day - 1.0 - latest, 1.0)
    ladders: dict[str, list[ReinforcementPlan]] = {}
    for family in families:
        rungs: list[ReinforcementPlan] = []
        if family == "deadline":
            rungs = [DeadlinePlan(deadline_day=on_day, touches=k, **options) for k in range(1, max_touches + 1)]
        elif family == "fixed":
            rungs = [
                FixedPlan(interval_days=max(1, int(span // k)), touches=k, **options) for k in range(1, max_touches + 1)
            ]
        elif family == "expanding":
            offsets = [sum(EXPANDING_GAPS[: k + 1]) for k in range(len(EXPANDING_GAPS))]
            count = sum(1 for o in offsets if min(anchors, default=0.0) + o < on_day)
            rungs = [ExpandingPlan(gaps=EXPANDING_GAPS[:k], **options) for k in range(1, min(count, max_touches) + 1)]
        elif family == "target":
            rungs = [
                TargetRetentionPlan(target=level, until_day=float(on_day - 1), **options)
                for level in TARGET_LEVELS
                if on_day > 1
            ]
        ladders[family] = rungs
    return ladders


def _signature(schedule: PlanSchedule) -> tuple[Any, ...]:
    return tuple((t.day, t.concepts) for t in schedule.touches)


@dataclass(frozen=True)
class _Goal:
    """What the search aims at: the target on a day, within a budget and a number of simulations."""

    goal: float
    on_day: int
    metric: str
    budget: float | None
    max_simulations: int

    def meets(self, row: Mapping[str, Any]) -> bool:
        return reaches(row["achieved"], self.goal)

    def affordable(self, row: Mapping[str, Any]) -> bool:
        return self.budget is None or row["plan_minutes"] <= self.budget + 1e-9

    def fits(self, schedule: PlanSchedule) -> bool:
        return self.budget is None or schedule.minutes <= self.budget + 1e-9

    def room(self, evaluate: _Evaluator) -> bool:
        return evaluate.simulations < self.max_simulations

    def choose(self, rows: Sequence[Mapping[str, Any]]) -> Mapping[str, Any]:
        """Pick a row by the one "best plan" rule (cheapest reaching the goal, else the closest)."""
        choice = cheapest_reaching(
            (PlanOutcome(r["label"], r["minutes_until"], r["achieved"]) for r in rows),
            self.goal,
            day=self.on_day,
            metric=self.metric,
        )
        return next(r for r in rows if r["label"] == choice.label)


def _search_families(
    evaluate: _Evaluator, rule: _Goal, journey: Journey, ladders: Mapping[str, list[ReinforcementPlan]]
) -> None:
    """Simulate each family's most intense rung, then bisect for the least intense one reaching the goal."""
    for family, rungs in ladders.items():
        built: list[tuple[ReinforcementPlan, PlanSchedule]] = []
        seen: set[tuple[Any, ...]] = set()
        for plan in rungs:
            schedule = plan.build(journey)
            signature = _signature(schedule)
            if not schedule.activities or signature in seen or not rule.fits(schedule):
                continue
            seen.add(signature)
            built.append((plan, schedule))
        if not built or not rule.room(evaluate):
            continue
        if not rule.meets(evaluate(built[-1][0], family, built[-1][1])):
            continue
        cheapest = min(
            (r["plan_minutes"] for r in evaluate.rows if rule.meets(r) and rule.affordable(r)), default=math.inf
        )
        low, high = 0, len(built) - 1
        while low < high and rule.room(evaluate):
            middle = (low + high) // 2
            if built[middle][1].minutes > cheapest:
                high = middle
                continue
            if rule.meets(evaluate(built[middle][0], family, built[middle][1])):
                high = middle
            else:
                low = middle + 1


def _refine_deadline(evaluate: _Evaluator, rule: _Goal, journey: Journey) -> None:
    """Try other backward spacings of the winning deadline plan, at its touches and one fewer."""
    winners = [r for r in evaluate.rows if rule.meets(r) and rule.affordable(r) and r["family"] == "deadline"]
    if not winners:
        return
    plan = evaluate.plans[rule.choose(winners)["label"]]
    assert isinstance(plan, DeadlinePlan)
    for count in (plan.touches, plan.touches - 1):
        for ratio in REFINE_RATIOS:
            if count < 1 or not rule.room(evaluate):
                continue
            variant = plan.model_validate({**plan.model_dump(), "touches": count, "ratio": ratio})
            schedule = variant.build(journey)
            if schedule.activities and rule.fits(schedule):
                evaluate(variant, "deadline", schedule)


def _reached_reason(
    chosen: Mapping[str, Any], baseline: Mapping[str, Any], rule: _Goal, what: str, feasible: int, simulations: int
) -> str:
    if chosen["family"] == "none":
        return (
            f"the journey as designed already reaches {chosen['achieved']:.3f} {what} on day {rule.on_day} "
            f"(target {rule.goal:g}); no extra reinforcement is needed"
        )
    return (
        f"{chosen['label']}: {chosen['touches']} touches ({chosen['plan_minutes']:g} min per learner) reach "
        f"{chosen['achieved']:.3f} {what} on day {rule.on_day} (target {rule.goal:g}; without a plan "
        f"{baseline['achieved']:.3f}); the least learner time of the {feasible} plans that reach "
        f"the target, out of {simulations} simulated"
    )


def _unreached_reason(
    chosen: Mapping[str, Any], searched: Sequence[Mapping[str, Any]], rule: _Goal, what: str, max_touches: int
) -> str:
    strongest = max(searched, key=lambda r: r["achieved"])
    if rule.budget is not None:
        return (
            f"within the budget of {rule.budget:g} min per learner, the best plan ({chosen['label']}, "
            f"{chosen['touches']} touches, {chosen['plan_minutes']:g} min) reaches only {chosen['achieved']:.3f} "
            f"{what} on day {rule.on_day} (target {rule.goal:g}): raise the budget, lower the target, extend "
            "the time, or raise engagement"
        )
    if strongest["family"] == "none":
        return (
            f"no plan could add a touch before day {rule.on_day}: the journey reaches only "
            f"{strongest['achieved']:.3f} {what} (target {rule.goal:g}); extend the time or teach earlier"
        )
    return (
        f"even {max_touches} touches per concept ({strongest['label']}, {strongest['plan_minutes']:g} min "
        f"per learner) reach only {strongest['achieved']:.3f} {what} on day {rule.on_day} (target {rule.goal:g}): "
        "lower the target, extend the time, or raise engagement"
    )


def optimise(
    journey: Journey,
    target: float = 0.8,
    on_day: int = 90,
    budget_min: float | None = None,
    population: LearnerPopulation | None = None,
    model: str | MemoryModel | None = None,
    rng: RandomLike = 0,
    *,
    metric: str = "proficiency",
    threshold: float = 0.8,
    constraints: PlanConstraints | None = None,
    kind: str = "spaced_recall_quiz",
    concepts: tuple[str, ...] | None = None,
    families: Sequence[str] = FAMILIES,
    max_touches: int = 12,
    max_simulations: int = 30,
    effects: TouchEffects | None = None,
    profile: Any = None,
    also: Sequence[ReinforcementPlan | str] = (),
) -> Optimisation:
    """Return the least learner time that reaches ``target`` on ``on_day`` (or the best plan within a budget).

    Parameters
    ----------
    journey : Journey
    target : float
        Required outcome on ``on_day``: with ``metric="proficiency"`` the share of learners
        whose (importance-weighted) recall is at least ``threshold``; with
        ``metric="retention"`` the mean recall.
    on_day : int
        The date that matters (go-live, audit, exam), in days from the journey start.
    budget_min : float, optional
        Most minutes per learner the plan may schedule.
    population : LearnerPopulation, optional
        Who learns (default 1,000 learners).
    model : str or MemoryModel, optional
        Forgetting model (default: the memory profile's).
    rng : int, Generator, SeedSequence or None
        One seed for every simulation (common random numbers).
    metric : {"proficiency", "retention"}
    threshold : float
        Recall at which a learner counts as proficient.
    constraints : PlanConstraints, optional
        Applied to every candidate plan.
    kind : str
        Catalog kind of the touches.
    concepts : tuple of str, optional
        Concepts to reinforce (default all taught).
    families : sequence of str
        Plan families to search (see :data:`FAMILIES`).
    max_touches : int
        Most touches per concept a candidate may have.
    max_simulations : int
        Stop searching after this many simulations.
    effects : TouchEffects, optional
    profile : str, MemoryProfile or Calibration, optional
        How learners remember (default: the default memory profile; see
        :mod:`workbench.simulate.profiles`).
    also : sequence of plans or plan strings
        Plans weighed besides the search, whatever ``max_simulations`` (e.g. the plans a
        strategy review compares), so the plan chosen is never costlier than one of them
        that reaches the target. Taken as given: ``constraints``, ``kind`` and ``concepts``
        do not apply to them.

    Returns
    -------
    Optimisation

    Examples
    --------
    >>> from workbench.templates import load_template
    >>> from workbench.simulate import LearnerPopulation
    >>> best = optimise(load_template("compliance_follow_up"), target=0.85, on_day=90,
    ...                 population=LearnerPopulation(size=400), rng=1)
    >>> best.reachable, best.achieved >= 0.85
    (True, True)
    """
    check_journey(journey)
    population = _check_common(on_day, population)
    goal = check_target(target)
    check_metric(metric)
    if budget_min is not None and (not isinstance(budget_min, int | float) or not budget_min > 0):
        raise ParameterError(f"budget_min: must be a positive number of minutes per learner (got {budget_min!r})")
    unknown = [f for f in families if f not in FAMILIES]
    if unknown or not families:
        raise ParameterError(f"families: {unknown or '[]'} not searchable; choose among {', '.join(FAMILIES)}")
    if not isinstance(max_touches, int) or not 1 <= max_touches <= 100:
        raise ParameterError(f"max_touches: must be a whole number from 1 to 100 (got {max_touches!r})")
    options: dict[str, Any] = {"kind": kind, "concepts": concepts}
    if constraints is not None:
        options["constraints"] = constraints
    budget = float(budget_min) if budget_min is not None else None
    seed = fixed_seed(rng)
    evaluate = _Evaluator(
        journey=journey,
        population=population,
        model=model,
        seed=seed,
        on_day=on_day,
        threshold=threshold,
        metric=metric,
        effects=effects,
        horizon=on_day + 1,
        profile=profile,
    )
    context = JourneyContext.of(journey)
    taught = context.taught(concepts)
    late = [c.id for c in taught if c.anchor_day is not None and c.anchor_day >= on_day - 1]
    untaught = [c.id for c in journey.concepts if not context.concepts[c.id].taught]
    rule = _Goal(goal=goal, on_day=on_day, metric=metric, budget=budget, max_simulations=max_simulations)

    baseline = evaluate(NoPlan(**options), "none")
    if not rule.meets(baseline):
        _search_families(evaluate, rule, journey, _ladders(journey, on_day, families, max_touches, options))
        _refine_deadline(evaluate, rule, journey)
    searched = list(evaluate.rows)  # what the search found, before the plans given to weigh
    for extra in map(as_plan, also):
        evaluate(extra, extra.family)

    frame = pd.DataFrame(evaluate.rows)
    frame["meets_target"] = [reaches(value, goal) for value in frame["achieved"]]
    frame["within_budget"] = True if budget is None else frame["plan_minutes"] <= budget + 1e-9
    candidates = frame[CANDIDATE_COLUMNS].reset_index(drop=True)
    chosen = rule.choose([r for r in evaluate.rows if rule.affordable(r)])
    reachable = rule.meets(chosen)
    what = _metric_text(metric, threshold)
    if reachable:
        feasible = sum(1 for r in evaluate.rows if rule.meets(r) and rule.affordable(r))
        reason = _reached_reason(chosen, baseline, rule, what, feasible, evaluate.simulations)
    else:
        reason = _unreached_reason(chosen, searched, rule, what, max_touches)
        if late:
            reason += f"; taught too close to day {on_day} to reinforce: {', '.join(late)}"
        if untaught:
            reason += f"; never taught by a dated activity: {', '.join(untaught)}"
    return Optimisation(
        plan=evaluate.plans[chosen["label"]],
        reachable=reachable,
        reason=reason,
        achieved=float(chosen["achieved"]),
        learner_minutes=float(chosen["learner_minutes"]),
        plan_minutes=float(chosen["plan_minutes"]),
        target=goal,
        on_day=on_day,
        metric=metric,
        threshold=threshold,
        budget_min=budget,
        baseline=float(baseline["achieved"]),
        candidates=candidates,
        simulations=evaluate.simulations,
        seed=seed,
    )


def tune_deadline(
    journey: Journey,
    deadline_day: int = 90,
    touches: int = 4,
    population: LearnerPopulation | None = None,
    model: str | MemoryModel | None = None,
    rng: RandomLike = 0,
    *,
    ratios: Sequence[float] = (1.5, 2.0, 3.0, 4.0),
    lead_days: Sequence[float] = (1.0,),
    threshold: float = 0.8,
    profile: Any = None,
    **options: Any,
) -> tuple[DeadlinePlan, pd.DataFrame]:
    """Choose the backward spacing of a deadline plan by simulation (common random numbers).

    Returns the plan with the highest proficiency on ``deadline_day`` and a frame of every
    variant tried (``ratio, lead_days, label, touches, plan_minutes, proficiency, retention``).

    Examples
    --------
    >>> from workbench.templates import load_template
    >>> from workbench.simulate import LearnerPopulation
    >>> plan, tried = tune_deadline(load_template("safety_reminders"), 60, 3,
    ...                             LearnerPopulation(size=300), rng=2, ratios=(1.5, 3.0))
    >>> len(tried), plan.touches
    (2, 3)
    """
    population = _check_common(deadline_day, population)
    evaluate = _Evaluator(
        journey=journey,
        population=population,
        model=model,
        seed=fixed_seed(rng),
        on_day=deadline_day,
        threshold=threshold,
        metric="proficiency",
        effects=None,
        horizon=deadline_day + 1,
        profile=profile,
    )
    rows = []
    for lead in lead_days:
        for ratio in ratios:
            plan = DeadlinePlan(
                deadline_day=deadline_day, touches=touches, ratio=float(ratio), lead_days=float(lead), **options
            )
            row = evaluate(plan, "deadline")
            rows.append({"ratio": float(ratio), "lead_days": float(lead), **row})
    frame = pd.DataFrame(rows)[["ratio", "lead_days", "label", "touches", "plan_minutes", "proficiency", "retention"]]
    best = max(rows, key=lambda r: (r["proficiency"], -r["plan_minutes"]))
    chosen = evaluate.plans[best["label"]]
    assert isinstance(chosen, DeadlinePlan)
    return chosen, frame
