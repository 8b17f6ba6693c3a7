"""How the plans package simulates: one task per plan (or scenario), run here or on Dask.

:func:`~workbench.plans.compare`, :func:`~workbench.plans.optimise`,
:func:`~workbench.plans.tune_deadline`, :func:`~workbench.plans.frontier` and
:func:`~workbench.plans.sensitivity` describe what every simulation of a call shares
(:class:`RunSettings`) and hand the plans to a :class:`~workbench.distributed.TaskRunner`.
Local and Dask runs are the same code with another executor, so their numbers are the same.

:class:`Evaluator` is what the searches use: it remembers every outcome, and it can simulate a
batch of plans ahead of the search asking for them (:meth:`Evaluator.prefetch`); a plan only
counts as simulated when the search asks for it, so batching changes no decision.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

from workbench._random import RandomLike, fixed_seed
from workbench._tasks import Progress, TaskRunner, progress_reporter, task_runner
from workbench.memory import MemoryModel
from workbench.model import Journey
from workbench.plans.generators import PlanSchedule, ReinforcementPlan
from workbench.simulate import LearnerPopulation, SimulationResult, TouchEffects, simulate

__all__ = ["Evaluator", "RunSettings", "apply_schedule", "evaluating", "outcome_task", "result_task"]


def apply_schedule(journey: Journey, schedule: PlanSchedule) -> Journey:
    """Return the journey with a built schedule's activities and edges added."""
    if not schedule.activities:
        return journey
    return journey.evolve(
        activities=(*journey.activities, *schedule.activities), edges=(*journey.edges, *schedule.edges)
    )


@dataclass(frozen=True)
class RunSettings:
    """What every simulation of one call shares (sent to the workers once)."""

    journey: Journey
    population: LearnerPopulation
    model: str | MemoryModel | None
    seed: Any
    horizon: int
    threshold: float
    effects: TouchEffects | None
    profile: Any
    checkpoint_days: tuple[int, ...]
    workers: int | None = None  # threads per simulation: the engine's default here, one per Dask task

    @classmethod
    def for_day(
        cls,
        journey: Journey,
        on_day: int,
        population: LearnerPopulation,
        model: str | MemoryModel | None,
        rng: RandomLike,
        *,
        threshold: float,
        profile: Any,
        effects: TouchEffects | None = None,
    ) -> RunSettings:
        """Simulate to ``on_day + 1`` with the seed of ``rng`` (common random numbers), keeping ``on_day``."""
        return cls(
            journey=journey,
            population=population,
            model=model,
            seed=fixed_seed(rng),
            horizon=on_day + 1,
            threshold=threshold,
            effects=effects,
            profile=profile,
            checkpoint_days=(on_day,),
        )

    def on(self, runner: TaskRunner) -> RunSettings:
        """Return these settings for tasks of ``runner``: one thread per simulation on Dask (tasks run side by side)."""
        return self if runner.local else replace(self, workers=1)

    def simulate(
        self, schedule: PlanSchedule | None = None, population: LearnerPopulation | None = None
    ) -> SimulationResult:
        """Simulate the journey with ``schedule`` added, for ``population`` (default: the settings')."""
        return simulate(
            self.journey if schedule is None else apply_schedule(self.journey, schedule),
            population=population if population is not None else self.population,
            model=self.model,
            horizon_days=self.horizon,
            rng=self.seed,
            effects=self.effects,
            profile=self.profile,
            threshold=self.threshold,
            checkpoint_days=self.checkpoint_days,
            progress=False,
            workers=self.workers,
        )


def result_task(settings: RunSettings, schedule: PlanSchedule) -> SimulationResult:
    """One task of :func:`~workbench.plans.compare`: the whole result (curves and per-learner outcomes)."""
    return settings.simulate(schedule)


def outcome_task(
    shared: tuple[RunSettings, int], schedule: PlanSchedule | None, population: LearnerPopulation | None
) -> dict[str, float]:
    """One task of a search or a sensitivity run: only the outcomes on the day travel back."""
    settings, day = shared
    result = settings.simulate(schedule, population)
    return {
        "learner_minutes": result.learner_minutes,
        "proficiency": result.proficiency(day),
        "retention": result.retention(day),
        "n_learners": result.n_learners,
        "minutes_until": result.learner_minutes_until(day),
    }


@dataclass
class Evaluator:
    """Simulates plans with one :class:`RunSettings` (one journey, seed and day); remembers every outcome.

    ``rows`` are the plans the search asked for, in order (what ``simulations`` counts);
    ``ready`` holds outcomes simulated ahead (:meth:`prefetch`) that were not asked for yet.
    """

    settings: RunSettings
    metric: str
    runner: TaskRunner = field(default_factory=TaskRunner)
    progress: Callable[[int], None] | None = None
    rows: list[dict[str, Any]] = field(default_factory=list)
    plans: dict[str, ReinforcementPlan] = field(default_factory=dict)
    cache: dict[str, dict[str, Any]] = field(default_factory=dict)
    ready: dict[str, tuple[PlanSchedule, dict[str, float]]] = field(default_factory=dict)
    simulated: int = 0

    @property
    def on_day(self) -> int:
        """The day the outcomes are reported on: the settings' last checkpoint (one, from ``RunSettings.for_day``)."""
        return self.settings.checkpoint_days[-1]

    @property
    def simulations(self) -> int:
        """Plans the search asked for (simulations ahead that it never used do not count)."""
        return len(self.rows)

    def prefetch(self, plans: Iterable[tuple[ReinforcementPlan, PlanSchedule | None]]) -> None:
        """Simulate, as one batch of tasks, the plans not simulated yet (for the search to ask for later)."""
        todo: dict[str, PlanSchedule] = {}
        settings = self.settings
        for plan, schedule in plans:
            if plan.label not in self.cache and plan.label not in self.ready and plan.label not in todo:
                if schedule is None:  # scheduled for the learners it is simulated for
                    schedule = plan.build(settings.journey, profile=settings.profile)
                todo[plan.label] = schedule
        if not todo:
            return
        offset = self.simulated

        def tick(done: int) -> None:
            if self.progress is not None:
                self.progress(offset + done)

        outcomes = self.runner.map(
            outcome_task, (self.settings, self.on_day), [(s, None) for s in todo.values()], progress=tick
        )
        self.simulated += len(todo)
        for (label, schedule), outcome in zip(todo.items(), outcomes, strict=True):
            self.ready[label] = (schedule, outcome)

    def __call__(self, plan: ReinforcementPlan, family: str, schedule: PlanSchedule | None = None) -> dict[str, Any]:
        """Return the outcome row of ``plan`` (simulated now, ahead, or earlier), counting it as simulated."""
        label = plan.label
        if label in self.cache:
            return self.cache[label]
        if label not in self.ready:
            self.prefetch([(plan, schedule)])
        built, outcome = self.ready.pop(label)
        row = {
            "label": label,
            "family": family,
            "touches": len(built.activities),
            "plan_minutes": built.minutes,
            "learner_minutes": outcome["learner_minutes"],
            "proficiency": outcome["proficiency"],
            "retention": outcome["retention"],
            "achieved": outcome["proficiency"] if self.metric == "proficiency" else outcome["retention"],
            "n_learners": outcome["n_learners"],
            "minutes_until": outcome["minutes_until"],
        }
        self.rows.append(row)
        self.cache[label] = row
        self.plans[label] = plan
        return row


@contextmanager
def evaluating(
    settings: RunSettings,
    *,
    metric: str,
    scheduler: Any = None,
    progress: Progress = False,
    total: int | None = None,
    desc: str,
) -> Iterator[Evaluator]:
    """Yield an :class:`Evaluator` of ``settings`` running on ``scheduler`` (None: here) and reporting ``progress``."""
    with task_runner(scheduler) as runner, progress_reporter(progress, total, desc, runner) as tick:
        yield Evaluator(settings.on(runner), metric=metric, runner=runner, progress=tick)
