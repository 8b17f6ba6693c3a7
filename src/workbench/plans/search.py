"""Search for a reinforcement plan: the least learner time for a target on a date.

* :func:`optimise` searches plan families (deadline, fixed interval, expanding, target
  retention) and their intensity (touches per concept, or the target recall) by simulation
  with common random numbers, for the least learner minutes that reach a target on a date,
  or the best outcome within a budget; it says whether the target is reachable and why not.
* :func:`tune_deadline` chooses the backward spacing of a deadline plan by simulation.

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

With ``scheduler``, the simulations are Dask tasks (:mod:`workbench.distributed`): the plans a
step needs whatever the others give (the families' most intense rungs, the deadline variants,
the plans given to weigh) go out as one batch. Locally the same batches run one after the
other, so the search, its count of simulations and its numbers are the same wherever it runs.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from workbench._random import RandomLike
from workbench._tasks import Progress
from workbench.errors import ParameterError
from workbench.memory import MemoryModel
from workbench.model import Journey
from workbench.plans._checks import check_common, check_journey, check_metric, check_target
from workbench.plans._context import JourneyContext
from workbench.plans._simulations import Evaluator, RunSettings, evaluating
from workbench.plans.choice import METRICS
from workbench.plans.compare import as_plan
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
from workbench.plans.goal import Goal, Optimisation, conclude
from workbench.simulate import LearnerPopulation, TouchEffects

__all__ = ["FAMILIES", "METRICS", "Optimisation", "optimise", "tune_deadline"]

#: Plan families :func:`optimise` searches, in this order.
FAMILIES = ("deadline", "fixed", "expanding", "target")
TARGET_LEVELS = (0.6, 0.7, 0.8, 0.85, 0.9, 0.95)
EXPANDING_GAPS = (*DEFAULT_GAPS, 90.0, 120.0, 180.0, 240.0, 300.0, 365.0)
REFINE_RATIOS = (1.5, 3.0)


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


def _built_rungs(
    rule: Goal, journey: Journey, rungs: Sequence[ReinforcementPlan], profile: Any
) -> list[tuple[ReinforcementPlan, PlanSchedule]]:
    """Return a family's rungs that add touches within the budget, each distinct schedule once."""
    built: list[tuple[ReinforcementPlan, PlanSchedule]] = []
    seen: set[tuple[Any, ...]] = set()
    for plan in rungs:
        schedule = plan.build(journey, profile=profile)
        signature = _signature(schedule)
        if not schedule.activities or signature in seen or not rule.fits(schedule):
            continue
        seen.add(signature)
        built.append((plan, schedule))
    return built


def _search_families(
    evaluate: Evaluator, rule: Goal, journey: Journey, ladders: Mapping[str, list[ReinforcementPlan]]
) -> None:
    """Simulate each family's most intense rung, then bisect for the least intense one reaching the goal."""
    profile = evaluate.settings.profile  # rungs are scheduled for the learners they are simulated for
    families = {family: _built_rungs(rule, journey, rungs, profile) for family, rungs in ladders.items()}
    # the most intense rungs do not depend on each other: one batch
    evaluate.prefetch([built[-1] for built in families.values() if built][: rule.spare(evaluate)])
    for family, built in families.items():
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
            if not evaluate.runner.local:  # idle workers: simulate the next step's two possible rungs too
                ahead = [middle, (low + middle) // 2, (middle + 1 + high) // 2]
                rungs = [built[i] for i in dict.fromkeys(ahead) if built[i][1].minutes <= cheapest]
                evaluate.prefetch(rungs[: rule.spare(evaluate)])
            if rule.meets(evaluate(built[middle][0], family, built[middle][1])):
                high = middle
            else:
                low = middle + 1


def _refine_deadline(evaluate: Evaluator, rule: Goal, journey: Journey) -> None:
    """Try other backward spacings of the winning deadline plan, at its touches and one fewer."""
    winners = [r for r in evaluate.rows if rule.meets(r) and rule.affordable(r) and r["family"] == "deadline"]
    if not winners:
        return
    plan = evaluate.plans[rule.choose(winners)["label"]]
    assert isinstance(plan, DeadlinePlan)
    variants = []
    for count in (plan.touches, plan.touches - 1):
        for ratio in REFINE_RATIOS:
            if count >= 1:
                variant = plan.model_validate({**plan.model_dump(), "touches": count, "ratio": ratio})
                schedule = variant.build(journey, profile=evaluate.settings.profile)
                if schedule.activities and rule.fits(schedule):
                    variants.append((variant, schedule))
    evaluate.prefetch(variants[: rule.spare(evaluate)])  # independent of each other: one batch
    for variant, schedule in variants:
        if rule.room(evaluate):
            evaluate(variant, "deadline", schedule)


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
    scheduler: Any = None,
    progress: Progress = False,
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
    scheduler : str or distributed.Client, optional
        Run the simulations as Dask tasks (``"local"``, a scheduler address or a client; see
        :func:`workbench.distributed.connect`); the outcome is the same as here.
    progress : bool or callable
        True shows a bar of the simulations (tqdm); a callable is given the number done.
        Default: quiet.

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
    population, rule = _checked_search(
        journey, target, on_day, budget_min, population, metric, families, max_touches, max_simulations
    )
    options: dict[str, Any] = {"kind": kind, "concepts": concepts}
    if constraints is not None:
        options["constraints"] = constraints
    settings = RunSettings.for_day(
        journey, on_day, population, model, rng, threshold=threshold, profile=profile, effects=effects
    )
    with evaluating(settings, metric=metric, scheduler=scheduler, progress=progress, desc="optimise") as evaluate:
        baseline = evaluate(NoPlan(**options), "none")
        if not rule.meets(baseline):
            _search_families(evaluate, rule, journey, _ladders(journey, on_day, families, max_touches, options))
            _refine_deadline(evaluate, rule, journey)
        searched = list(evaluate.rows)  # what the search found, before the plans given to weigh
        extras = [as_plan(plan) for plan in also]
        evaluate.prefetch([(extra, None) for extra in extras])
        for extra in extras:
            evaluate(extra, extra.family)
    return conclude(evaluate, rule, baseline, searched, concepts, threshold, max_touches)


def _checked_search(
    journey: Journey,
    target: float,
    on_day: int,
    budget_min: float | None,
    population: LearnerPopulation | None,
    metric: str,
    families: Sequence[str],
    max_touches: int,
    max_simulations: int,
) -> tuple[LearnerPopulation, Goal]:
    """Check :func:`optimise`'s arguments; return the population and the goal."""
    check_journey(journey)
    population = check_common(on_day, population)
    goal = check_target(target)
    check_metric(metric)
    if budget_min is not None and (not isinstance(budget_min, int | float) or not budget_min > 0):
        raise ParameterError(f"budget_min: must be a positive number of minutes per learner (got {budget_min!r})")
    unknown = [f for f in families if f not in FAMILIES]
    if unknown or not families:
        raise ParameterError(f"families: {unknown or '[]'} not searchable; choose among {', '.join(FAMILIES)}")
    if not isinstance(max_touches, int) or not 1 <= max_touches <= 100:
        raise ParameterError(f"max_touches: must be a whole number from 1 to 100 (got {max_touches!r})")
    budget = float(budget_min) if budget_min is not None else None
    rule = Goal(goal=goal, on_day=on_day, metric=metric, budget=budget, max_simulations=max_simulations)
    return population, rule


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
    scheduler: Any = None,
    progress: Progress = False,
    **options: Any,
) -> tuple[DeadlinePlan, pd.DataFrame]:
    """Choose the backward spacing of a deadline plan by simulation (common random numbers).

    Returns the plan with the highest proficiency on ``deadline_day`` and a frame of every
    variant tried (``ratio, lead_days, label, touches, plan_minutes, proficiency, retention``).
    The variants are independent: one batch of tasks, on Dask when ``scheduler`` is given (see
    :func:`optimise`).

    Examples
    --------
    >>> from workbench.templates import load_template
    >>> from workbench.simulate import LearnerPopulation
    >>> plan, tried = tune_deadline(load_template("safety_reminders"), 60, 3,
    ...                             LearnerPopulation(size=300), rng=2, ratios=(1.5, 3.0))
    >>> len(tried), plan.touches
    (2, 3)
    """
    population = check_common(deadline_day, population)
    variants = [
        (
            float(lead),
            float(ratio),
            DeadlinePlan(
                deadline_day=deadline_day, touches=touches, ratio=float(ratio), lead_days=float(lead), **options
            ),
        )
        for lead in lead_days
        for ratio in ratios
    ]
    settings = RunSettings.for_day(journey, deadline_day, population, model, rng, threshold=threshold, profile=profile)
    with evaluating(
        settings,
        metric="proficiency",
        scheduler=scheduler,
        progress=progress,
        total=len(variants),
        desc="tune_deadline",
    ) as evaluate:
        evaluate.prefetch([(plan, None) for _, _, plan in variants])
        rows = [{"ratio": ratio, "lead_days": lead, **evaluate(plan, "deadline")} for lead, ratio, plan in variants]
    frame = pd.DataFrame(rows)[["ratio", "lead_days", "label", "touches", "plan_minutes", "proficiency", "retention"]]
    best = max(rows, key=lambda r: (r["proficiency"], -r["plan_minutes"]))
    chosen = evaluate.plans[best["label"]]
    assert isinstance(chosen, DeadlinePlan)
    return chosen, frame
