"""What :func:`~workbench.plans.optimise` aims at and concludes: the goal, the outcome value and its reasons.

:class:`Goal` carries the one "best plan" rule (:func:`workbench.plans.choice.cheapest_reaching`)
with the target, the day, the budget and how many simulations the search may ask for;
:func:`conclude` chooses among every simulated plan and says why, or why the target cannot be
reached and what to change.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from workbench.model import Journey
from workbench.plans._context import JourneyContext
from workbench.plans._simulations import Evaluator
from workbench.plans.choice import PlanOutcome, cheapest_reaching, reaches
from workbench.plans.generators import PlanSchedule, ReinforcementPlan

__all__ = ["CANDIDATE_COLUMNS", "Goal", "Optimisation", "conclude"]

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
    profile : str, MemoryProfile, Calibration or None
        The memory profile the plans were simulated (and scheduled) for; :meth:`apply` uses it.
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
    profile: Any = None

    def apply(self, journey: Journey, *, profile: Any = None) -> Journey:
        """Return the journey with the chosen plan applied, scheduled for the optimised profile (by default)."""
        return self.plan.apply(journey, profile=self.profile if profile is None else profile)

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


@dataclass(frozen=True)
class Goal:
    """What a search aims at: the target on a day, within a budget and a number of simulations."""

    goal: float
    on_day: int
    metric: str
    budget: float | None
    max_simulations: int

    def meets(self, row: Mapping[str, Any]) -> bool:
        """Whether a simulated plan reaches the target."""
        return reaches(row["achieved"], self.goal)

    def affordable(self, row: Mapping[str, Any]) -> bool:
        """Whether a simulated plan schedules no more than the budget."""
        return self.budget is None or row["plan_minutes"] <= self.budget + 1e-9

    def fits(self, schedule: PlanSchedule) -> bool:
        """Whether a built schedule stays within the budget."""
        return self.budget is None or schedule.minutes <= self.budget + 1e-9

    def room(self, evaluate: Evaluator) -> bool:
        """Whether the search may ask for another simulation."""
        return evaluate.simulations < self.max_simulations

    def spare(self, evaluate: Evaluator) -> int:
        """How many more simulations the search may ask for (what a batch ahead may take)."""
        return max(0, self.max_simulations - evaluate.simulations)

    def choose(self, rows: Sequence[Mapping[str, Any]]) -> Mapping[str, Any]:
        """Pick a row by the one "best plan" rule (cheapest reaching the goal, else the closest)."""
        choice = cheapest_reaching(
            (PlanOutcome(r["label"], r["minutes_until"], r["achieved"]) for r in rows),
            self.goal,
            day=self.on_day,
            metric=self.metric,
        )
        return next(r for r in rows if r["label"] == choice.label)


def _reached_reason(
    chosen: Mapping[str, Any], baseline: Mapping[str, Any], rule: Goal, what: str, feasible: int, simulations: int
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
    chosen: Mapping[str, Any], searched: Sequence[Mapping[str, Any]], rule: Goal, what: str, max_touches: int
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


def conclude(
    evaluate: Evaluator,
    rule: Goal,
    baseline: Mapping[str, Any],
    searched: Sequence[Mapping[str, Any]],
    concepts: tuple[str, ...] | None,
    threshold: float,
    max_touches: int,
) -> Optimisation:
    """Choose among every simulated plan by the one rule, and say why."""
    frame = pd.DataFrame(evaluate.rows)
    frame["meets_target"] = [reaches(value, rule.goal) for value in frame["achieved"]]
    frame["within_budget"] = True if rule.budget is None else frame["plan_minutes"] <= rule.budget + 1e-9
    chosen = rule.choose([r for r in evaluate.rows if rule.affordable(r)])
    reachable = rule.meets(chosen)
    what = _metric_text(rule.metric, threshold)
    if reachable:
        feasible = sum(1 for r in evaluate.rows if rule.meets(r) and rule.affordable(r))
        reason = _reached_reason(chosen, baseline, rule, what, feasible, evaluate.simulations)
    else:
        reason = _unreached_reason(chosen, searched, rule, what, max_touches)
        journey = evaluate.settings.journey
        context = JourneyContext.of(journey)
        late = [c.id for c in context.taught(concepts) if c.anchor_day is not None and c.anchor_day >= rule.on_day - 1]
        untaught = [c.id for c in journey.concepts if not context.concepts[c.id].taught]
        if late:
            reason += f"; taught too close to day {rule.on_day} to reinforce: {', '.join(late)}"
        if untaught:
            reason += f"; never taught by a dated activity: {', '.join(untaught)}"
    return Optimisation(
        plan=evaluate.plans[chosen["label"]],
        reachable=reachable,
        reason=reason,
        achieved=float(chosen["achieved"]),
        learner_minutes=float(chosen["learner_minutes"]),
        plan_minutes=float(chosen["plan_minutes"]),
        target=rule.goal,
        on_day=rule.on_day,
        metric=rule.metric,
        threshold=threshold,
        budget_min=rule.budget,
        baseline=float(baseline["achieved"]),
        candidates=frame[CANDIDATE_COLUMNS].reset_index(drop=True),
        simulations=evaluate.simulations,
        seed=evaluate.settings.seed,
        profile=evaluate.settings.profile,
    )
