"""Choose a reinforcement plan: the names of the search, frontier and sensitivity modules.

Kept importable from here; :mod:`~workbench.plans.search`, :mod:`~workbench.plans.frontier` and
:mod:`~workbench.plans.sensitivity` say how each works.
"""

from __future__ import annotations

from workbench.plans.choice import METRICS
from workbench.plans.frontier import frontier
from workbench.plans.search import FAMILIES, Optimisation, optimise, tune_deadline
from workbench.plans.sensitivity import SCENARIOS, sensitivity

__all__ = ["FAMILIES", "METRICS", "SCENARIOS", "Optimisation", "frontier", "optimise", "sensitivity", "tune_deadline"]
