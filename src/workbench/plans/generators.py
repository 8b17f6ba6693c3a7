"""Reinforcement plans: frozen values that add reinforcement touches to a journey.

The plan base (:mod:`workbench.plans.base`), the families (:mod:`workbench.plans.families`,
with the table of plan strings) and the plan-string grammar (:mod:`workbench.plans.grammar`)
live in their own modules; this module keeps the names importable from one place.

Examples
--------
>>> from workbench.templates import load_template
>>> journey = load_template("post_training_retention")
>>> plan = parse_plan("fixed:7x4")
>>> richer = plan.apply(journey)
>>> len(richer.activities) - len(journey.activities)
4
>>> richer.activity("plan-fixed-workshop-2").schedule.gap_days
14.0
"""

from __future__ import annotations

from workbench.plans.base import PlanSchedule, ReinforcementPlan
from workbench.plans.families import (
    DEFAULT_GAPS,
    CadencePlan,
    ExpandingPlan,
    FixedPlan,
    MassedPlan,
    NoPlan,
)
from workbench.plans.grammar import PLAN_FORMS, parse_plan, parse_plans
from workbench.plans.targeted import DeadlinePlan, TargetRetentionPlan, backward_days

__all__ = [
    "DEFAULT_GAPS",
    "PLAN_FORMS",
    "CadencePlan",
    "DeadlinePlan",
    "ExpandingPlan",
    "FixedPlan",
    "MassedPlan",
    "NoPlan",
    "PlanSchedule",
    "ReinforcementPlan",
    "TargetRetentionPlan",
    "backward_days",
    "parse_plan",
    "parse_plans",
]
