"""Choose a reinforcement plan: least learner time for a target on a date, frontier, sensitivity.

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

from workbench.plans.choice import METRICS
from workbench.plans.frontier import frontier
from workbench.plans.search import FAMILIES, Optimisation, optimise, tune_deadline
from workbench.plans.sensitivity import SCENARIOS, sensitivity

__all__ = ["FAMILIES", "METRICS", "SCENARIOS", "Optimisation", "frontier", "optimise", "sensitivity", "tune_deadline"]
