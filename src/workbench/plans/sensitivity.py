"""Sensitivity: how a plan's outcome moves when learners engage less or vary more than assumed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from workbench._random import RandomLike
from workbench._tasks import Progress, progress_reporter, task_runner
from workbench.errors import ParameterError
from workbench.memory import MemoryModel
from workbench.model import Journey
from workbench.plans._checks import check_common
from workbench.plans._simulations import RunSettings, apply_schedule, outcome_task
from workbench.plans.compare import as_plan
from workbench.plans.generators import ReinforcementPlan
from workbench.simulate import LearnerPopulation, resolve_profile

__all__ = ["SCENARIOS", "sensitivity"]


#: Default what-ifs of :func:`sensitivity`: name -> (engagement factor, memory_sigma factor).
#: ``memory_sigma x0`` is the other end of the shipped profiles' spread interval: fitted to
#: Cepeda et al. (2008), their best-fit spread is 0 and they ship the interval's upper end
#: (docs/memory-profiles.md), so both ends of what the published data allow are shown.
SCENARIOS: dict[str, tuple[float, float]] = {
    "as assumed": (1.0, 1.0),
    "engagement x0.8": (0.8, 1.0),
    "engagement x0.6": (0.6, 1.0),
    "memory_sigma x0 (identical learners)": (1.0, 0.0),
    "memory_sigma x1.5": (1.0, 1.5),
    "memory_sigma x2": (1.0, 2.0),
    "engagement x0.8, memory_sigma x1.5": (0.8, 1.5),
}


def _scenario_population(
    population: LearnerPopulation, engagement: float, sigma: float, profile: Any = None
) -> LearnerPopulation:
    data = population.model_dump()
    eng = data["engagement"]
    for key in ("required", "optional", "on_demand_weekly_use"):
        eng[key] = min(1.0, float(eng[key]) * engagement)
    # a population that leaves the spread to the memory profile scales the profile's
    base = data["memory_sigma"] if data["memory_sigma"] is not None else resolve_profile(profile).memory_sigma
    data["memory_sigma"] = min(3.0, float(base) * sigma)
    return LearnerPopulation.model_validate(data)


def _scenario_populations(
    what_ifs: Mapping[str, tuple[float, float]], population: LearnerPopulation, profile: Any
) -> list[tuple[str, float, LearnerPopulation]]:
    """Check each scenario's factors; return (name, engagement factor, population) per scenario."""
    scenarios = []
    for name, (engagement, sigma) in what_ifs.items():
        if not (engagement >= 0 and sigma >= 0):
            raise ParameterError(f"scenarios[{name!r}]: factors must be >= 0 (got {engagement}, {sigma})")
        scenarios.append(
            (name, float(engagement), _scenario_population(population, float(engagement), float(sigma), profile))
        )
    return scenarios


def sensitivity(
    journey: Journey,
    plan: ReinforcementPlan | str | None,
    population: LearnerPopulation | None = None,
    model: str | MemoryModel | None = None,
    rng: RandomLike = 0,
    *,
    on_day: int = 90,
    threshold: float = 0.8,
    scenarios: Mapping[str, tuple[float, float]] | None = None,
    profile: Any = None,
    scheduler: Any = None,
    progress: Progress = False,
) -> pd.DataFrame:
    """How a plan's outcome on ``on_day`` moves when learners engage less or vary more than assumed.

    Each scenario scales the population's engagement probabilities (required, optional and
    on-demand use) and its ``memory_sigma`` by the given factors; all run with the same seed,
    as one batch of tasks: on Dask when ``scheduler`` is given (``"local"``, an address or a
    client), with the same numbers as here. ``progress=True`` shows a bar; a callable is given
    the number done.

    Returns
    -------
    DataFrame
        One row per scenario: ``scenario, engagement_factor, memory_sigma, retention,
        proficiency, learner_minutes, delta_retention, delta_proficiency`` (deltas against
        the first scenario, "as assumed" by default).

    Examples
    --------
    >>> from workbench.templates import load_template
    >>> from workbench.simulate import LearnerPopulation
    >>> s = sensitivity(load_template("safety_reminders"), "deadline:60", LearnerPopulation(size=300),
    ...                 rng=1, on_day=60)
    >>> s["scenario"].tolist()[:2]
    ['as assumed', 'engagement x0.8']
    >>> bool(s.loc[1, "proficiency"] <= s.loc[0, "proficiency"])
    True
    """
    population = check_common(on_day, population)
    chosen = as_plan(plan)
    what_ifs = dict(scenarios or SCENARIOS)
    if not what_ifs:
        raise ParameterError("scenarios: give at least one, e.g. {'engagement x0.8': (0.8, 1.0)}")
    scenarios_run = _scenario_populations(what_ifs, population, profile)
    with task_runner(scheduler) as runner, progress_reporter(progress, len(what_ifs), "sensitivity", runner) as tick:
        journey = apply_schedule(journey, chosen.build(journey, profile=profile))
        settings = RunSettings.for_day(journey, on_day, population, model, rng, threshold=threshold, profile=profile)
        tasks = [(None, scenario) for _, _, scenario in scenarios_run]
        outcomes = runner.map(outcome_task, (settings.on(runner), on_day), tasks, progress=tick)
    rows = [
        {
            "scenario": name,
            "engagement_factor": engagement,
            "memory_sigma": scenario.memory_sigma,
            "retention": outcome["retention"],
            "proficiency": outcome["proficiency"],
            "learner_minutes": outcome["learner_minutes"],
        }
        for (name, engagement, scenario), outcome in zip(scenarios_run, outcomes, strict=True)
    ]
    frame = pd.DataFrame(rows)
    frame["delta_retention"] = frame["retention"] - float(frame["retention"].iloc[0])
    frame["delta_proficiency"] = frame["proficiency"] - float(frame["proficiency"].iloc[0])
    return frame
