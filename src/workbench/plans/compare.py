"""Compare reinforcement plans on one journey with common random numbers.

Every plan is simulated with the *same* seed. The simulator keys its random streams by
learner block and activity id, so all plans share the same learners (memory speed,
engagement propensity, prior knowledge) and the same draws for the journey's own
activities: differences between plans are the plans' doing, not noise.

Examples
--------
>>> from workbench.templates import load_template
>>> from workbench.simulate import LearnerPopulation
>>> result = compare(load_template("post_training_retention"), ["none", "fixed:7x4", "deadline:90"],
...                  population=LearnerPopulation(size=300), rng=1)
>>> result.summary.index.tolist()
['none', 'fixed:7x4', 'deadline:90']
>>> result.frame.columns.tolist()
['plan', 'concept', 'day', 'mean']
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from workbench._columns import proficiency_column, retention_column
from workbench._random import RandomLike, fixed_seed
from workbench._tasks import Progress, progress_reporter, task_runner
from workbench.errors import ParameterError
from workbench.memory import MemoryModel
from workbench.model import Journey
from workbench.plans._checks import check_journey, check_metric, check_population, check_target
from workbench.plans._simulations import RunSettings, apply_schedule, result_task
from workbench.plans.choice import PlanChoice, PlanOutcome, cheapest_reaching
from workbench.plans.generators import PlanSchedule, ReinforcementPlan, parse_plan
from workbench.simulate import LearnerPopulation, SimulationResult, TouchEffects

__all__ = ["PlanComparison", "apply_schedule", "as_plan", "compare", "fixed_seed"]

ALL = "__all__"  # the importance-weighted mean over concepts, as in SimulationResult


def as_plan(plan: ReinforcementPlan | str | None) -> ReinforcementPlan:
    """Return a plan from a plan, a plan string or None (no plan)."""
    if plan is None:
        return parse_plan("none")
    if isinstance(plan, str):
        return parse_plan(plan)
    if isinstance(plan, ReinforcementPlan):
        return plan
    raise ParameterError(
        f"plan: expected a ReinforcementPlan or a plan string such as 'expanding', got {type(plan).__name__}"
    )


def _labelled(
    plans: Mapping[str, ReinforcementPlan | str] | Iterable[ReinforcementPlan | str],
) -> list[tuple[str, ReinforcementPlan]]:
    if isinstance(plans, str):
        from workbench.plans.generators import parse_plans

        items = [(p.label, p) for p in parse_plans(plans)]
    elif isinstance(plans, Mapping):
        items = [(str(label), as_plan(plan)) for label, plan in plans.items()]
    else:
        items = [(plan.label, plan) for plan in map(as_plan, plans)]
    if not items:
        raise ParameterError("plans: give at least one plan, e.g. ['none', 'expanding']")
    labels = [label for label, _ in items]
    duplicates = sorted({label for label in labels if labels.count(label) > 1})
    if duplicates:
        raise ParameterError(
            f"plans: {', '.join(duplicates)} given twice; give each plan once (or pass a mapping label -> plan)"
        )
    return items


@dataclass(frozen=True, eq=False)
class PlanComparison:
    """Plans simulated with common random numbers.

    Attributes
    ----------
    frame : DataFrame
        Tidy curves: ``plan, concept, day, mean`` for every day 0..horizon; concept
        ``"__all__"`` is the importance-weighted mean.
    summary : DataFrame
        One row per plan (index ``plan``): touches and minutes the plan adds, learner
        minutes, retention on the chosen days, proficiency on the deadline with its standard
        error, retained concept-days per learner hour.
    results : dict
        Plan label -> SimulationResult.
    schedules : dict
        Plan label -> PlanSchedule (what each plan added).
    seed : int or SeedSequence
        The seed every plan was simulated with.
    """

    frame: pd.DataFrame
    summary: pd.DataFrame
    results: Mapping[str, SimulationResult]
    schedules: Mapping[str, PlanSchedule]
    seed: Any
    days: tuple[int, ...]
    deadline_day: int

    # ---- accessors: no caller spells a column name --------------------------------------

    def _check_plan(self, plan: str) -> str:
        if plan not in self.results:
            raise ParameterError(f"plan {plan!r} was not compared; compared: {', '.join(self.results)}")
        return plan

    def _value(self, plan: str, column: str) -> float:
        values: dict[Any, float] = self.summary[column].astype(float).to_dict()
        return values[self._check_plan(plan)]

    def _day(self, day: int | None) -> int:
        return self.deadline_day if day is None else int(day)

    def retention(self, plan: str, day: int | None = None) -> float:
        """Mean (importance-weighted) recall of ``plan`` on ``day`` (default: the deadline).

        Examples
        --------
        >>> from workbench.templates import load_template
        >>> from workbench.simulate import LearnerPopulation
        >>> c = compare(load_template("safety_reminders"), ["none", "expanding"],
        ...             population=LearnerPopulation(size=200), rng=1, days=(30, 60))
        >>> c.retention("expanding", 60) > c.retention("none", 60)
        True
        """
        chosen, column = self._day(day), retention_column(self._day(day))
        if column in self.summary.columns:
            return self._value(plan, column)
        return float(self.results[self._check_plan(plan)].retention(chosen))

    def proficiency(self, plan: str, day: int | None = None) -> float:
        """Share of learners proficient with ``plan`` on ``day`` (default: the deadline).

        Available on the deadline and on the compared days.
        """
        chosen, column = self._day(day), proficiency_column(self._day(day))
        if column in self.summary.columns:
            return self._value(plan, column)
        return float(self.results[self._check_plan(plan)].proficiency(chosen))

    def outcome(self, plan: str, day: int | None = None, metric: str = "proficiency") -> float:
        """``proficiency`` or ``retention`` of ``plan`` on ``day`` (what a target is set on)."""
        check_metric(metric)
        return self.proficiency(plan, day) if metric == "proficiency" else self.retention(plan, day)

    def outcomes(self, day: int | None = None, metric: str = "proficiency") -> pd.Series:
        """:meth:`outcome` of every plan on ``day``, indexed by plan label (in comparison order)."""
        values = [self.outcome(label, day, metric) for label in self.summary.index]
        return pd.Series(values, index=self.summary.index, name=metric, dtype=float)

    def learner_minutes(self, plan: str) -> float:
        """Mean minutes a learner spends on the whole journey with ``plan`` (simulated)."""
        return self._value(plan, "learner_minutes")

    def plan_minutes(self, plan: str) -> float:
        """Minutes per learner ``plan`` schedules (what it adds to the journey)."""
        return self._value(plan, "plan_minutes")

    def minutes_until(self, plan: str, day: int | None = None) -> float:
        """Mean minutes a learner spends with ``plan`` before ``day`` (default: the deadline).

        What reaching an outcome on that day costs: later touches do not count, so the figure
        does not depend on how long the simulation runs.
        """
        return self.results[self._check_plan(plan)].learner_minutes_until(self._day(day))

    # ---- choosing ------------------------------------------------------------------------

    def cheapest_reaching(self, target: float, day: int | None = None, *, metric: str = "proficiency") -> PlanChoice:
        """Choose the compared plan with the fewest learner minutes before ``day`` reaching ``target`` on it.

        The one "best plan" rule (:func:`workbench.plans.choice.cheapest_reaching`): the plan
        lab, the strategy review and :func:`optimise` choose with it. When no plan reaches
        the target, the closest plan, with ``reachable=False``.

        Parameters
        ----------
        target : float
            Share in (0, 1].
        day : int, optional
            Default: the deadline day.
        metric : {"proficiency", "retention"}

        Examples
        --------
        >>> from workbench.templates import load_template
        >>> from workbench.simulate import LearnerPopulation
        >>> c = compare(load_template("safety_reminders"), ["none", "expanding", "fixed:7x4"],
        ...             population=LearnerPopulation(size=200), rng=1, days=(60,))
        >>> choice = c.cheapest_reaching(0.5, 60, metric="retention")
        >>> choice.reachable, choice.label in choice.reaching
        (True, True)
        """
        check_target(target)
        chosen = self._day(day)
        outcomes = self.outcomes(chosen, metric).to_dict()
        return cheapest_reaching(
            (PlanOutcome(str(p), self.minutes_until(str(p), chosen), float(v)) for p, v in outcomes.items()),
            float(target),
            day=chosen,
            metric=metric,
        )

    def highest_proficiency(self, day: int | None = None) -> str:
        """Label of the plan leaving the most learners proficient on ``day`` (default: the deadline).

        A different question from :meth:`cheapest_reaching`: it ignores learner time.
        """
        return str(self.outcomes(day, "proficiency").idxmax())

    @classmethod
    def concat(cls, parts: Sequence[PlanComparison]) -> PlanComparison:
        """One comparison of the plans of several comparisons run with the same seed and days.

        Raises
        ------
        ParameterError
            No parts, parts with different seeds, days or deadlines, or a plan in two parts.
        """
        if not parts:
            raise ParameterError("parts: give at least one comparison")
        first = parts[0]
        for part in parts[1:]:
            if (part.days, part.deadline_day, str(part.seed)) != (first.days, first.deadline_day, str(first.seed)):
                raise ParameterError(
                    "parts: comparisons differ in seed, days or deadline; compare them with the same settings"
                )
        labels = [label for part in parts for label in part.results]
        twice = sorted({label for label in labels if labels.count(label) > 1})
        if twice:
            raise ParameterError(f"parts: {', '.join(twice)} compared in more than one part")
        return cls(
            frame=pd.concat([p.frame for p in parts], ignore_index=True),
            summary=pd.concat([p.summary for p in parts]),
            results={k: v for p in parts for k, v in p.results.items()},
            schedules={k: v for p in parts for k, v in p.schedules.items()},
            seed=first.seed,
            days=first.days,
            deadline_day=first.deadline_day,
        )

    def plot(self, ax: Any = None, concept: str = "__all__", **kwargs: Any) -> Any:
        """One retention curve per plan (see :func:`workbench.plot.plot_retention_comparison`)."""
        from workbench.plot import plot_retention_comparison

        kwargs.setdefault("deadline_day", self.deadline_day)
        return plot_retention_comparison(dict(self.results), ax=ax, concept=concept, **kwargs)

    def plot_summary(self, ax: Any = None, day: int | None = None, **kwargs: Any) -> Any:
        """Retention on ``day`` (default: the deadline) against learner minutes, one bar per plan."""
        from workbench.plot import plot_plan_comparison

        chosen = self._day(day)
        if retention_column(chosen) not in self.summary.columns:
            raise ParameterError(f"day: {chosen} is not among the compared days {list(self.days)}")
        table = pd.DataFrame(
            {
                "plan": list(self.summary.index),
                "learner_minutes": self.summary["learner_minutes"].to_numpy(),
                "retention": self.outcomes(chosen, "retention").to_numpy(),
            }
        )
        return plot_plan_comparison(table, ax=ax, day=chosen, **kwargs)

    def to_dict(self) -> dict[str, Any]:
        """Plain data (for ``--json``)."""
        rows = self.summary.reset_index().to_dict(orient="records")
        return {
            "seed": self.seed if isinstance(self.seed, int) else str(self.seed),
            "days": list(self.days),
            "deadline_day": self.deadline_day,
            "plans": [{k: (round(v, 6) if isinstance(v, float) else v) for k, v in row.items()} for row in rows],
        }


def compare(
    journey: Journey,
    plans: Mapping[str, ReinforcementPlan | str] | Sequence[ReinforcementPlan | str] | str,
    population: LearnerPopulation | None = None,
    model: str | MemoryModel | None = None,
    horizon_days: int | None = None,
    rng: RandomLike = 0,
    days: Sequence[int] = (7, 30, 90),
    deadline_day: int | None = None,
    *,
    threshold: float = 0.8,
    effects: TouchEffects | None = None,
    profile: Any = None,
    scheduler: Any = None,
    progress: Progress = False,
) -> PlanComparison:
    """Simulate each plan on ``journey`` with the same seed and tabulate the outcomes.

    Parameters
    ----------
    journey : Journey
    plans : sequence of plans or plan strings, a comma-separated string, or a mapping label -> plan
        E.g. ``["none", "expanding", "fixed:7x4", "target:0.85"]``.
    population : LearnerPopulation, optional
        Default 1,000 learners.
    model : str or MemoryModel, optional
        Forgetting model (default: the memory profile's).
    horizon_days : int, optional
        Last simulated day (default: the latest of ``days`` and ``deadline_day``).
    rng : int, Generator, SeedSequence or None
        One seed for all plans (common random numbers); the same seed gives the same tables.
    days : sequence of int
        Days on which retention is reported.
    deadline_day : int, optional
        Day on which the proficiency rate is reported (default: the last of ``days``).
    threshold : float
        Recall at which a learner counts as proficient.
    effects : TouchEffects, optional
        Strength of memory effects (default: the profile's).
    profile : str, MemoryProfile or Calibration, optional
        How learners remember (default: the default memory profile; see
        :mod:`workbench.simulate.profiles`).
    scheduler : str or distributed.Client, optional
        Simulate the plans as Dask tasks, one per plan (``"local"``, a scheduler address or a
        client; see :func:`workbench.distributed.connect`); the comparison is the same as here.
    progress : bool or callable
        True shows a bar of the plans simulated (tqdm); a callable is given the number done.
        Default: quiet.

    Returns
    -------
    PlanComparison
    """
    check_journey(journey)
    chosen_days, deadline, horizon = _checked_days(days, deadline_day, horizon_days)
    items = _labelled(plans)
    schedules = {label: plan.build(journey, profile=profile) for label, plan in items}
    with task_runner(scheduler) as runner, progress_reporter(progress, len(items), "compare", runner) as tick:
        settings = RunSettings(
            journey=journey,
            population=check_population(population),
            model=model,
            seed=fixed_seed(rng),
            horizon=horizon,
            threshold=threshold,
            effects=effects,
            profile=profile,
            checkpoint_days=(*chosen_days, deadline),
        ).on(runner)
        simulated = runner.map(result_task, settings, [(s,) for s in schedules.values()], progress=tick)
    results: dict[str, SimulationResult] = dict(zip(schedules, simulated, strict=True))
    return PlanComparison(
        frame=pd.concat([_curves(label, result) for label, result in results.items()], ignore_index=True),
        summary=pd.DataFrame(
            [_summary_row(label, schedules[label], result, chosen_days, deadline) for label, result in results.items()]
        ).set_index("plan"),
        results=results,
        schedules=schedules,
        seed=settings.seed,
        days=tuple(chosen_days),
        deadline_day=deadline,
    )


def _checked_days(
    days: Sequence[int], deadline_day: int | None, horizon_days: int | None
) -> tuple[list[int], int, int]:
    """Return the reported days, the deadline and the horizon of :func:`compare`, checked."""
    chosen_days = sorted({int(d) for d in days})
    if not chosen_days or chosen_days[0] < 0:
        raise ParameterError(f"days: give days from 0 on, e.g. (7, 30, 90) (got {tuple(days)!r})")
    deadline = int(deadline_day) if deadline_day is not None else chosen_days[-1]
    if deadline < 1:
        raise ParameterError(f"deadline_day: must be a day from 1 on (got {deadline_day!r})")
    horizon = int(horizon_days) if horizon_days is not None else max(chosen_days[-1], deadline)
    if horizon < max(chosen_days[-1], deadline):
        raise ParameterError(
            f"horizon_days={horizon} ends before day {max(chosen_days[-1], deadline)}; "
            "extend the horizon or drop the later days"
        )
    return chosen_days, deadline, horizon


def _curves(label: str, result: SimulationResult) -> pd.DataFrame:
    """Tidy curves of one plan: every concept, and the importance-weighted mean as ``__all__``."""
    tidy = result.to_frame()[["concept", "day", "mean"]]
    overall = pd.DataFrame({"concept": ALL, "day": result.days, "mean": result.curve().to_numpy()})
    both = pd.concat([tidy, overall], ignore_index=True)
    both.insert(0, "plan", label)
    return both


def _summary_row(
    label: str, schedule: PlanSchedule, result: SimulationResult, days: Sequence[int], deadline: int
) -> dict[str, Any]:
    """One plan's line of the comparison's summary."""
    proficiency = result.proficiency(deadline)
    row: dict[str, Any] = {
        "plan": label,
        "touches": len(schedule.activities),
        "plan_minutes": schedule.minutes,
        "learner_minutes": result.learner_minutes,
    }
    for day in days:
        row[retention_column(day)] = result.retention(day)
    row[proficiency_column(deadline)] = proficiency
    row["proficiency_se"] = math.sqrt(proficiency * (1 - proficiency) / result.n_learners)
    row["retained_concept_days_per_learner_hour"] = result.retained_concept_days_per_learner_hour
    return row
