"""Reinforcement plans: generators, comparison, optimisers and the workload-retention frontier.

A plan is a frozen value that adds reinforcement touches to a journey
(``plan.apply(journey)``); plan strings (``"expanding"``, ``"fixed:7x4"``, ``"target:0.85"``,
``"deadline:90"``...) name them in notebooks and on the command line.

Examples
--------
>>> from workbench.plans import parse_plan, compare
>>> from workbench.templates import load_template
>>> from workbench.simulate import LearnerPopulation
>>> journey = load_template("post_training_retention")
>>> table = compare(journey, ["none", "expanding", "deadline:90"],
...                 population=LearnerPopulation(size=300), rng=0).summary
>>> int(table.loc["deadline:90", "touches"])
4
"""

from workbench.plans.adaptive import adaptive_schedule, learner_rates
from workbench.plans.choice import PlanChoice, PlanOutcome, cheapest_reaching, reaches
from workbench.plans.compare import PlanComparison, compare
from workbench.plans.constraints import PlanConstraints
from workbench.plans.generators import (
    PLAN_FORMS,
    CadencePlan,
    DeadlinePlan,
    ExpandingPlan,
    FixedPlan,
    MassedPlan,
    NoPlan,
    PlanSchedule,
    ReinforcementPlan,
    TargetRetentionPlan,
    backward_days,
    parse_plan,
    parse_plans,
)
from workbench.plans.lab import LabOutcome, LabSettings, evaluate_lab
from workbench.plans.optimise import (
    FAMILIES,
    METRICS,
    SCENARIOS,
    Optimisation,
    frontier,
    optimise,
    sensitivity,
    tune_deadline,
)

__all__ = [
    "FAMILIES",
    "METRICS",
    "PLAN_FORMS",
    "SCENARIOS",
    "CadencePlan",
    "DeadlinePlan",
    "ExpandingPlan",
    "FixedPlan",
    "LabOutcome",
    "LabSettings",
    "MassedPlan",
    "NoPlan",
    "Optimisation",
    "PlanChoice",
    "PlanComparison",
    "PlanConstraints",
    "PlanOutcome",
    "PlanSchedule",
    "ReinforcementPlan",
    "TargetRetentionPlan",
    "adaptive_schedule",
    "backward_days",
    "cheapest_reaching",
    "compare",
    "evaluate_lab",
    "frontier",
    "learner_rates",
    "optimise",
    "parse_plan",
    "parse_plans",
    "reaches",
    "sensitivity",
    "tune_deadline",
]
