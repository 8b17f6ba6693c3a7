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
from workbench.simulate.profiles import (
    DEFAULT_PROFILE,
    PROFILES,
    FittableParameter,
    MemoryProfile,
    fittable_parameters,
    get_profile,
    resolve_profile,
)
from workbench.simulate.result import QUANTILE_LEVELS, SimulationResult, TouchRecord

__all__ = [
    "BLOCK_SIZE",
    "DEFAULT_PROFILE",
    "PROFILES",
    "QUANTILE_LEVELS",
    "Engagement",
    "FittableParameter",
    "LearnerPopulation",
    "MemoryProfile",
    "Plan",
    "SimulationResult",
    "TouchEffects",
    "TouchRecord",
    "fittable_parameters",
    "get_profile",
    "learner_memory_rates",
    "resolve_profile",
    "simulate",
]
