"""Population Monte Carlo of a journey (and a plan) -> retention of each concept over time.

Examples
--------
>>> from workbench.simulate import simulate, LearnerPopulation
>>> from workbench.templates import load_template
>>> result = simulate(load_template("post_training_retention"), population=LearnerPopulation(size=500), rng=3)
>>> result.summary().columns.tolist()[:2]
['name', 'day 7']
"""

from workbench.simulate.engine import BLOCK_SIZE, Plan, learner_memory_rates, simulate
from workbench.simulate.population import Engagement, LearnerPopulation, TouchEffects
from workbench.simulate.result import QUANTILE_LEVELS, SimulationResult, TouchRecord

__all__ = [
    "BLOCK_SIZE",
    "QUANTILE_LEVELS",
    "Engagement",
    "LearnerPopulation",
    "Plan",
    "SimulationResult",
    "TouchEffects",
    "TouchRecord",
    "learner_memory_rates",
    "simulate",
]
