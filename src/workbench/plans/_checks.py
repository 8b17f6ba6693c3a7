"""Checks of the arguments every planning function takes, written once.

Each returns the normalised value or raises :class:`~workbench.errors.ParameterError`
naming the argument, what it got and what to give instead.

Examples
--------
>>> check_on_day(90), check_target(0.8), check_metric("retention")
(90, 0.8, 'retention')
>>> check_target(1.2)
Traceback (most recent call last):
...
workbench.errors.ParameterError: target: must be a share in (0, 1], e.g. 0.8 (got 1.2)
"""

from __future__ import annotations

from typing import Any

from workbench.errors import ParameterError
from workbench.model import Journey
from workbench.plans.choice import METRICS
from workbench.simulate import LearnerPopulation

__all__ = [
    "LAST_DAY",
    "check_common",
    "check_journey",
    "check_metric",
    "check_on_day",
    "check_population",
    "check_target",
]

#: Latest day a planning function accepts (about ten years).
LAST_DAY = 3600


def check_journey(journey: Any) -> Journey:
    """Return ``journey`` if it is a Journey."""
    if not isinstance(journey, Journey):
        raise ParameterError(f"journey: expected a Journey, got {type(journey).__name__}")
    return journey


def check_on_day(on_day: Any, name: str = "on_day") -> int:
    """Return a whole day from 1 to :data:`LAST_DAY` (the day that matters: go-live, audit, exam)."""
    if not isinstance(on_day, int) or isinstance(on_day, bool) or not 1 <= on_day <= LAST_DAY:
        raise ParameterError(f"{name}: must be a whole day from 1 to {LAST_DAY} (got {on_day!r})")
    return int(on_day)


def check_target(target: Any) -> float:
    """Return a share in (0, 1] (of proficient learners, or mean recall)."""
    if not isinstance(target, int | float) or isinstance(target, bool) or not 0.0 < float(target) <= 1.0:
        raise ParameterError(f"target: must be a share in (0, 1], e.g. 0.8 (got {target!r})")
    return float(target)


def check_metric(metric: Any) -> str:
    """Return one of :data:`~workbench.plans.choice.METRICS`."""
    if metric not in METRICS:
        raise ParameterError(f"metric: must be one of {', '.join(METRICS)} (got {metric!r})")
    return str(metric)


def check_population(population: Any) -> LearnerPopulation:
    """Return ``population``, or the default 1,000 learners when None."""
    if population is not None and not isinstance(population, LearnerPopulation):
        raise ParameterError(f"population: expected a LearnerPopulation, got {type(population).__name__}")
    return population or LearnerPopulation()


def check_common(on_day: int, population: LearnerPopulation | None) -> LearnerPopulation:
    """Check the day that matters and the population (default: 1,000 learners) of a planning function."""
    check_on_day(on_day)
    return check_population(population)
