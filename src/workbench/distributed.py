"""Simulations on Dask: learner blocks and whole portfolios as tasks (extra ``workbench[dask]``).

The engine already simulates learners in blocks, each with its own random streams, so a block's
result does not depend on where it runs: on Dask the blocks of one simulation are tasks, reduced
in block order, and the result is bit-for-bit the local one. A *sweep* runs many simulations
(journeys x plans x populations x seeds x calibration draws), one task each, and returns one
tidy frame. :func:`~workbench.plans.compare`, :func:`~workbench.plans.optimise`,
:func:`~workbench.plans.frontier` and :func:`~workbench.plans.sensitivity` take the same
``scheduler`` and run their simulations through the same task runner
(:class:`~workbench._tasks.TaskRunner`, re-exported here with :func:`connect` and
:func:`run_tasks`).

Where the work runs is only a ``scheduler`` argument: ``"local"`` starts a
:class:`~distributed.LocalCluster` sized to the machine, an address (``"tcp://host:8786"``)
joins an existing cluster, and a :class:`~distributed.Client` is used as it is. Nothing here
is specific to any cluster: dask-jobqueue, Kubernetes and cloud clusters all hand out a
scheduler address or a client (see the README). A portfolio file (:class:`Portfolio`) names
what ``workbench sweep portfolio.yaml`` runs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from workbench._tasks import Progress, TaskRunner, connect, progress_reporter, run_here, run_tasks, task_runner
from workbench.errors import ParameterError, WorkbenchError

__all__ = [
    "SWEEP_COLUMNS",
    "Portfolio",
    "Progress",
    "TaskRunner",
    "connect",
    "load_portfolio",
    "progress_reporter",
    "run_here",
    "run_tasks",
    "sweep",
    "task_runner",
]

#: Columns of :func:`sweep`'s frame, in order.
SWEEP_COLUMNS = (
    "journey",
    "plan",
    "population",
    "learners",
    "seed",
    "draw",
    "profile",
    "model",
    "day",
    "retention",
    "proficiency",
    "minutes",
)


# ---------------------------------------------------------------------------- sweeps


@dataclass(frozen=True)
class _SweepCase:
    journey: str
    plan: str
    population: str
    seed: int
    draw: int


@dataclass(frozen=True)
class _SweepShared:
    journeys: Mapping[str, Any]
    plans: Mapping[str, Any]
    populations: Mapping[str, Any]
    profiles: Mapping[int, Any]
    model: Any
    horizon_days: int
    checkpoint_days: tuple[int, ...]


def _labelled(items: Any, what: str, label: Callable[[Any], str]) -> dict[str, Any]:
    if isinstance(items, Mapping):
        return {str(k): v for k, v in items.items()}
    # one value (journeys, populations and plans are pydantic models, which iterate their fields)
    single = isinstance(items, BaseModel | str | bytes) or not isinstance(items, Iterable)
    values = [items] if single else list(items)
    labelled: dict[str, Any] = {}
    for value in values:
        name = label(value)
        if name in labelled:
            raise ParameterError(f"{what}: two entries are both labelled {name!r}; pass a mapping of unique names")
        labelled[name] = value
    if not labelled:
        raise ParameterError(f"{what}: nothing to sweep over; give at least one")
    return labelled


def _draw_profiles(calibrations: Any) -> dict[int, Any]:
    """Return the profiles a sweep runs by draw: a bootstrap's by their own numbers, a sequence's by position."""
    from workbench.calibrate import CalibrationDraws

    if calibrations is None:
        return {0: None}
    if isinstance(calibrations, CalibrationDraws):
        if not calibrations.draws:
            raise ParameterError(
                f"calibrations: none of the {calibrations.requested} bootstrap draws succeeded "
                f"({calibrations.failed[0].reason if calibrations.failed else 'no draws'}); nothing to sweep over"
            )
        return dict(calibrations.profiles())
    single = isinstance(calibrations, str | BaseModel)  # one profile or calibration: one draw
    profiles = dict(enumerate([calibrations] if single else list(calibrations)))
    if not profiles:
        raise ParameterError("calibrations: empty; pass None for the default profile")
    return profiles


def _sweep_one(shared: _SweepShared, case: _SweepCase) -> list[dict[str, Any]]:
    """Simulate one case of a sweep and return its rows (small: one per checkpoint day)."""
    from workbench.simulate import simulate

    population = shared.populations[case.population]
    result = simulate(
        shared.journeys[case.journey],
        shared.plans[case.plan],
        population=population,
        model=shared.model,
        horizon_days=shared.horizon_days,
        rng=case.seed,
        profile=shared.profiles[case.draw],
        checkpoint_days=shared.checkpoint_days,
        progress=False,
        workers=1,
    )
    profile = result.assumptions.get("memory_profile", {}).get("name", "default")
    return [
        {
            "journey": case.journey,
            "plan": case.plan,
            "population": case.population,
            "learners": result.n_learners,
            "seed": case.seed,
            "draw": case.draw,
            "profile": str(profile),
            "model": result.model_name,
            "day": day,
            "retention": result.retention(day),
            "proficiency": result.proficiency(day),
            "minutes": result.learner_minutes_until(day),
        }
        for day in shared.checkpoint_days
    ]


def sweep(
    journeys: Any,
    plans: Any = None,
    populations: Any = None,
    seeds: Iterable[int] = (0,),
    calibrations: Any = None,
    *,
    scheduler: Any = None,
    model: Any = None,
    horizon_days: int = 180,
    checkpoint_days: Iterable[int] = (7, 30, 90),
    progress: Progress = False,
) -> pd.DataFrame:
    """Simulate every journey x plan x population x seed x calibration draw; one tidy frame.

    Each simulation is one task (on ``scheduler`` when given, else here, one after the
    other); only its few summary rows travel back. The frame is the same wherever it runs.

    Parameters
    ----------
    journeys : Journey, sequence of Journey or mapping of name to Journey
        Labelled by their ``id`` unless given as a mapping.
    plans : plan, plan string, sequence or mapping, optional
        Reinforcement plans (``"none"``, ``"expanding"``, ``"fixed:7x4"``, plan objects);
        default: no plan. Labelled by ``plan.label``.
    populations : LearnerPopulation, sequence or mapping, optional
        Who learns (default: the default 1,000 learners). Labelled by their size.
    seeds : iterable of int
        Random seeds; every plan of a journey sees the same seeds (common random numbers).
    calibrations : CalibrationDraws, or sequence of profiles, optional
        The calibration's parameter uncertainty: a
        :class:`~workbench.calibrate.CalibrationDraws` (from
        :func:`~workbench.calibrate.bootstrap_calibration`) runs each successful draw's
        profile, and the row's ``draw`` is the draw's number; or memory profiles,
        calibrations or profile names (one, or a sequence, ``draw`` = the position).
        Default: the default memory profile (draw 0).
    scheduler : str or distributed.Client, optional
        Where to run (see :func:`connect`); None runs in this process.
    model : str, optional
        Memory model override (default: each profile's own).
    horizon_days : int
        Last simulated day.
    checkpoint_days : iterable of int
        Days reported (one row each).
    progress : bool or callable
        True shows a bar (tqdm; a widget in Jupyter, with the cluster's dashboard link); a
        callable is called with the number of simulations done. Default: quiet.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`SWEEP_COLUMNS`: the case (journey, plan, population, learners, seed,
        draw, the memory profile's name, the model), the day, mean recall (retention), share of
        learners proficient (proficiency) and mean learner minutes spent before that day.

    Examples
    --------
    >>> from workbench.simulate import LearnerPopulation
    >>> from workbench.templates import load_template
    >>> frame = sweep(load_template("safety_reminders"), ["none", "expanding"],
    ...               LearnerPopulation(size=200), seeds=[1, 2], checkpoint_days=[30])
    >>> frame[["plan", "seed", "day"]].values.tolist()
    [['none', 1, 30], ['none', 2, 30], ['expanding', 1, 30], ['expanding', 2, 30]]

    A calibration's uncertainty: one simulation per bootstrap draw, ``draw`` = the draw's number.

    >>> import pandas as pd
    >>> from workbench.calibrate import bootstrap_calibration
    >>> pilot = pd.DataFrame({"history": ["0:encode"] * 3, "test_day": [1, 7, 30],
    ...                       "recalled": [0.8, 0.5, 0.3], "n": [100] * 3})
    >>> draws = bootstrap_calibration(pilot, 2, rng=1, profile="flashcards", fit=["s0_encode_days"],
    ...                               intervals="wald", source="pilot.csv")
    >>> sweep(load_template("safety_reminders"), "none", LearnerPopulation(size=100), seeds=[1],
    ...       calibrations=draws, checkpoint_days=[30])[["draw", "profile"]].values.tolist()
    [[0, 'calibration:pilot#draw0'], [1, 'calibration:pilot#draw1']]
    """
    from workbench.model import Journey
    from workbench.plans import parse_plan
    from workbench.simulate import LearnerPopulation

    def journey_label(journey: Any) -> str:
        if not isinstance(journey, Journey):
            raise ParameterError(f"journeys: expected Journey objects, got {type(journey).__name__}")
        return journey.id

    journey_map = _labelled(journeys, "journeys", journey_label)
    plan_list = ["none"] if plans is None else [plans] if isinstance(plans, str | BaseModel) else plans
    plan_objects = [parse_plan(p) if isinstance(p, str) else p for p in plan_list]
    plan_map = (
        {str(k): parse_plan(v) if isinstance(v, str) else v for k, v in plans.items()}
        if isinstance(plans, Mapping)
        else _labelled(plan_objects, "plans", lambda p: str(getattr(p, "label", type(p).__name__)))
    )
    population_map = _labelled(
        LearnerPopulation() if populations is None else populations, "populations", lambda p: f"{p.size} learners"
    )
    seed_list = [int(s) for s in seeds]
    if not seed_list:
        raise ParameterError("seeds: nothing to sweep over; give at least one seed")
    profiles = _draw_profiles(calibrations)
    days = tuple(sorted({int(d) for d in checkpoint_days}))
    shared = _SweepShared(journey_map, plan_map, population_map, profiles, model, int(horizon_days), days)
    cases = [
        (_SweepCase(j, p, q, seed, draw),)
        for j in journey_map
        for p in plan_map
        for q in population_map
        for seed in seed_list
        for draw in profiles
    ]
    with task_runner(scheduler) as runner, progress_reporter(progress, len(cases), "sweep", runner) as tick:
        rows: list[list[dict[str, Any]]] = runner.map(_sweep_one, shared, cases, progress=tick)
    return pd.DataFrame([row for case_rows in rows for row in case_rows], columns=list(SWEEP_COLUMNS))


# ------------------------------------------------------------------------- portfolios

_PORTFOLIO_MAX_BYTES = 1_000_000


class Portfolio(BaseModel):
    """What ``workbench sweep portfolio.yaml`` runs: the fields of the YAML file.

    Attributes
    ----------
    journeys : list of str
        Template names (``workbench templates``) or journey spec files (``.yaml``, ``.yml``,
        ``.json``; relative to the portfolio file).
    plans : list of str
        Reinforcement plans in their string form (``none``, ``expanding``, ``fixed:7x4``...).
    populations : dict
        Name -> learner population fields (``size``, ``memory_sigma``, ...; see
        :class:`~workbench.simulate.LearnerPopulation`).
    seeds : list of int
        Random seeds.
    profiles : list of str, optional
        Memory profile names or calibration files (``.json``, ``.yaml``, ``.yml``, written by
        ``workbench calibrate``; relative to the portfolio file), one draw each (default: the
        default profile). A file of bootstrap draws (``workbench calibrate DATA.csv
        --bootstrap N -o FILE``) is listed alone: its draws are the sweep's draws.
    model : str, optional
        Memory model override.
    horizon_days : int
        Last simulated day.
    checkpoint_days : list of int
        Days reported.

    Examples
    --------
    >>> Portfolio(journeys=["safety_reminders"], seeds=[1, 2]).plans
    ['none']
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    journeys: list[str] = Field(min_length=1)
    plans: list[str] = Field(default_factory=lambda: ["none"], min_length=1)
    populations: dict[str, dict[str, Any]] = Field(default_factory=lambda: {"default": dict[str, Any]()}, min_length=1)
    seeds: list[int] = Field(default_factory=lambda: [0], min_length=1)
    profiles: list[str] | None = None
    model: str | None = None
    horizon_days: int = Field(default=180, ge=1, le=3650)
    checkpoint_days: list[int] = Field(default_factory=lambda: [7, 30, 90], min_length=1)

    def calibrations(self, base_dir: Path) -> Any:
        """Return the sweep's ``calibrations``: None, the profile names and loaded calibration files, or a bootstrap."""
        if self.profiles is None:
            return None
        from workbench.calibrate import CalibrationDraws, load_calibration_file

        entries: list[Any] = []
        for i, entry in enumerate(self.profiles):
            if not entry.lower().endswith((".yaml", ".yml", ".json")):
                entries.append(entry)
                continue
            try:
                loaded = load_calibration_file(base_dir / entry)
            except WorkbenchError as exc:
                raise ParameterError(f"profiles[{i}]: {exc}") from None
            if isinstance(loaded, CalibrationDraws) and len(self.profiles) > 1:
                raise ParameterError(
                    f"profiles[{i}]: {entry} holds bootstrap draws, which are the sweep's draws; "
                    "list it alone under profiles (or use one draws file per portfolio)"
                )
            entries.append(loaded)
        return entries[0] if isinstance(entries[0], CalibrationDraws) else entries

    def run(self, base_dir: Path, *, scheduler: Any = None, progress: Progress = False) -> Any:
        """Load the journeys and populations, then :func:`sweep` them."""
        from workbench.simulate import LearnerPopulation
        from workbench.spec import load
        from workbench.templates import list_templates, load_template

        journeys = {}
        for i, entry in enumerate(self.journeys):
            if entry.lower().endswith((".yaml", ".yml", ".json")):
                journey = load(base_dir / entry)
            elif entry in list_templates():
                journey = load_template(entry)
            else:
                raise ParameterError(
                    f"journeys[{i}]: {entry!r} is neither a template ({', '.join(list_templates())}) "
                    "nor a spec file ending in .yaml, .yml or .json"
                )
            journeys[journey.id] = journey
        populations = {}
        for name, fields in self.populations.items():
            try:
                populations[name] = LearnerPopulation.model_validate(fields)
            except ParameterError as exc:
                raise ParameterError(f"populations.{name}: {exc}") from None
            except Exception as exc:  # the values' own errors name the field
                raise ParameterError(f"populations.{name}: {exc}") from None
        return sweep(
            journeys,
            self.plans,
            populations,
            self.seeds,
            self.calibrations(base_dir),
            scheduler=scheduler,
            model=self.model,
            horizon_days=self.horizon_days,
            checkpoint_days=self.checkpoint_days,
            progress=progress,
        )


def load_portfolio(path: str | Path) -> Portfolio:
    r"""Read and validate a portfolio file; errors name the file and the field.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> file = pathlib.Path(tempfile.mkdtemp()) / "p.yaml"
    >>> _ = file.write_text("journeys: [safety_reminders]\nseeds: [1, 2]\n")
    >>> load_portfolio(file).seeds
    [1, 2]
    """
    source = Path(path)
    try:
        raw = source.read_bytes()
    except OSError as exc:
        raise ParameterError(f"{source}: cannot read the portfolio ({exc.strerror})") from None
    if len(raw) > _PORTFOLIO_MAX_BYTES:
        raise ParameterError(f"{source}: a portfolio file is at most {_PORTFOLIO_MAX_BYTES:,} bytes")
    try:
        data = yaml.safe_load(raw.decode("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ParameterError(f"{source}: not valid YAML ({exc})") from None
    if not isinstance(data, dict):
        raise ParameterError(f"{source}: expected a mapping with journeys, plans, populations, seeds")
    try:
        return Portfolio.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc']) or '(top level)'}: {error['msg']}" for error in exc.errors()
        )
        raise ParameterError(
            f"{source}: {problems} (fields: journeys, plans, populations, seeds, profiles, model, "
            "horizon_days, checkpoint_days)"
        ) from None
