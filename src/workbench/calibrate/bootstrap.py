"""Bootstrap draws of a calibration: its parameter uncertainty as fitted profiles a sweep can run.

:func:`bootstrap_calibration` refits the same calibration (the same fitted parameters, from
the same profile) on ``draws`` resampled copies of the data and returns a frozen
:class:`CalibrationDraws`: the base :class:`~workbench.calibrate.Calibration`, every draw's
fitted values, percentile intervals per parameter, and the draws that failed with the
reason. Its :meth:`CalibrationDraws.profiles` are memory profiles, so the calibration's
uncertainty flows into :func:`workbench.distributed.sweep` (``calibrations=draws``) and
:func:`workbench.simulate.simulate` (``profile=``) like any other profile.

How the data are resampled depends on their shape:

* **per-learner events: nonparametric.** Learners are drawn with replacement, each with all
  their rows (every concept, every touch), so the dependence between one learner's outcomes
  is kept; a learner drawn twice enters twice under two ids.
* **grouped outcomes: parametric.** A grouped row has no learners left to resample, so each
  row's recalled count is drawn from ``Binomial(n, observed share)`` with its ``n`` kept.

Each draw's random stream is derived from ``rng`` by :class:`numpy.random.SeedSequence`
spawning (draw ``i`` is child ``i``), and each draw is one task of
:class:`~workbench._tasks.TaskRunner`, so the draws are the same numbers whether they run here
or on a Dask cluster, in whatever order the tasks finish.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from pydantic import Field

from workbench._random import RandomLike, as_seed_sequence, stream
from workbench._tasks import Progress, progress_reporter, task_runner
from workbench._values import Value
from workbench.calibrate.data import Observations, read_observations
from workbench.calibrate.fit import (
    Calibration,
    CalibrationFile,
    _fit,
    calibrate,
    calibration_file_bytes,
    one_blas_thread,
    parsed_calibration_file,
    read_calibration,
    validated_calibration_file,
)
from workbench.errors import DataError, ParameterError, WorkbenchError
from workbench.simulate.profiles import MemoryProfile, fittable_parameters

__all__ = [
    "CalibrationDraws",
    "DrawFailure",
    "bootstrap_calibration",
    "load_calibration_file",
    "read_calibration_draws",
]

#: What each data shape's resampling is called in a :class:`CalibrationDraws`.
RESAMPLING = {
    "events": "nonparametric: learners resampled with replacement, each with all their rows",
    "grouped": "parametric: each row's recalled count drawn from Binomial(n, observed share)",
}


class DrawFailure(Value):
    """A bootstrap draw whose refit failed: its number and why (it is left out of the intervals)."""

    draw: int
    reason: str


class CalibrationDraws(CalibrationFile):
    """Bootstrap draws of a calibration: the base fit, each draw's fitted values, intervals, failures.

    Round-trips through :meth:`save` and :func:`load_calibration_file`; ``load_calibration``
    (``--calibration FILE``) reads the calibration it holds.

    Attributes
    ----------
    calibration : Calibration
        The fit to the data as observed (its profile is the point estimate).
    method : str
        ``"bootstrap"`` and how the data were resampled (see :data:`RESAMPLING`).
    resampling : {"events", "grouped"}
        The data's shape, which decides the resampling.
    seed : int
        Entropy of the root :class:`~numpy.random.SeedSequence`; draw ``i`` uses its child ``i``.
    requested : int
        Draws asked for; ``len(draws) + len(failed)``.
    level : float
        Coverage of the percentile intervals (0.95).
    fitted : tuple of str
        The parameters refitted in every draw (the base calibration's fitted ones).
    draws : list of dict
        One mapping per successful draw: ``draw`` (its number) and every fitted parameter's value.
    failed : list of DrawFailure
        Draws whose refit raised or did not converge, with the reason; never hidden.
    """

    calibration: Calibration
    method: str
    resampling: str
    seed: int
    requested: int
    level: float = 0.95
    fitted: tuple[str, ...]
    draws: list[dict[str, float]] = Field(default_factory=list)
    failed: list[DrawFailure] = Field(default_factory=list)

    @property
    def numbers(self) -> tuple[int, ...]:
        """The numbers of the successful draws (the ``draw`` column of a sweep over them)."""
        return tuple(int(row["draw"]) for row in self.draws)

    def frame(self) -> pd.DataFrame:
        """Tidy draws: one row per successful draw and fitted parameter (``draw, parameter, value``).

        Examples
        --------
        >>> df = pd.DataFrame({"history": ["0:encode"] * 2, "test_day": [1, 7], "recalled": [0.8, 0.6], "n": [90] * 2})
        >>> bootstrap_calibration(df, 2, rng=1, fit=["s0_encode_days"], intervals="wald").frame().shape
        (2, 3)
        """
        rows = [
            {"draw": int(row["draw"]), "parameter": name, "value": float(row[name])}
            for row in self.draws
            for name in self.fitted
        ]
        return pd.DataFrame(rows, columns=["draw", "parameter", "value"])

    def intervals(self) -> pd.DataFrame:
        """Per fitted parameter: the estimate, the bootstrap SD and percentile interval, beside the base interval.

        Columns ``estimate, bootstrap_sd, bootstrap_low, bootstrap_high`` (percentiles
        ``(1 - level) / 2`` and ``(1 + level) / 2`` of the successful draws), ``standard_error,
        low, high`` (the base calibration's, by its own method) and ``draws``.
        """
        values = self.frame().pivot_table(index="draw", columns="parameter", values="value", aggfunc="first")
        tail = (1 - self.level) / 2 * 100
        rows = []
        for name in self.fitted:
            base = self.calibration.parameters[name]
            column = values[name].to_numpy(float) if name in values else np.zeros(0)
            rows.append(
                {
                    "parameter": name,
                    "estimate": base.value,
                    "bootstrap_sd": float(np.std(column, ddof=1)) if len(column) > 1 else math.nan,
                    "bootstrap_low": float(np.percentile(column, tail)) if len(column) else math.nan,
                    "bootstrap_high": float(np.percentile(column, 100 - tail)) if len(column) else math.nan,
                    "standard_error": base.standard_error,
                    "low": base.low,
                    "high": base.high,
                    "draws": len(column),
                }
            )
        return pd.DataFrame(rows).set_index("parameter")

    def profiles(self) -> dict[int, MemoryProfile]:
        """Each successful draw's fitted memory profile, by draw number (what ``sweep`` and ``simulate`` take).

        A draw's profile is the calibration's profile with the draw's fitted values; it is
        named ``<calibration>#draw<i>`` and its source says which bootstrap it came from.

        Examples
        --------
        >>> df = pd.DataFrame({"history": ["0:encode"] * 2, "test_day": [1, 7], "recalled": [0.8, 0.6], "n": [90] * 2})
        >>> draws = bootstrap_calibration(df, 2, rng=1, fit=["s0_encode_days"], intervals="wald", source="pilot.csv")
        >>> [p.name for p in draws.profiles().values()]
        ['calibration:pilot#draw0', 'calibration:pilot#draw1']
        """
        base = self.calibration.profile
        return {
            int(row["draw"]): base.with_values(
                {name: row[name] for name in self.fitted},
                name=f"{base.name}#draw{int(row['draw'])}"[:120],
                source=f"bootstrap draw {int(row['draw'])} of {self.requested} (seed {self.seed}, {self.method}) "
                f"of {base.source}",
            )
            for row in self.draws
        }

    def summary_text(self) -> str:
        """Describe the bootstrap intervals beside the calibration's own, as the CLI prints them."""
        share = round(self.level * 100)
        lines = [
            f"bootstrap: {len(self.draws)} of {self.requested} draws refitted (seed {self.seed}); {self.method}",
            f"  {'parameter':<32}{'value':>10}{f'{share}% interval':>22}{f'bootstrap {share}%':>22}{'boot. SD':>10}",
        ]
        for name, row in self.intervals().iterrows():
            own = f"[{row['low']:.4g}, {row['high']:.4g}]" if pd.notna(row["low"]) and pd.notna(row["high"]) else "-"
            boot = f"[{row['bootstrap_low']:.4g}, {row['bootstrap_high']:.4g}]" if row["draws"] else "-"
            lines.append(f"  {name!s:<32}{row['estimate']:>10.4g}{own:>22}{boot:>22}{row['bootstrap_sd']:>10.3g}")
        if self.failed:
            lines.append(f"  {len(self.failed)} draws failed and are left out:")
            lines.extend(f"    draw {f.draw}: {f.reason}" for f in self.failed[:10])
            if len(self.failed) > 10:
                lines.append(f"    ... and {len(self.failed) - 10} more (see the JSON output)")
        return "\n".join(lines) + "\n"


def read_calibration_draws(content: str | bytes, *, source: str = "calibration draws") -> CalibrationDraws:
    """Read bootstrap draws from JSON or YAML text (what :meth:`CalibrationDraws.save` wrote).

    Raises
    ------
    DataError
        Naming ``source`` and each bad field, with a fix.

    Examples
    --------
    >>> df = pd.DataFrame({"history": ["0:encode"] * 2, "test_day": [1, 7], "recalled": [0.8, 0.6], "n": [90] * 2})
    >>> draws = bootstrap_calibration(df, 2, rng=1, fit=["s0_encode_days"], intervals="wald")
    >>> read_calibration_draws(draws.to_json()) == draws
    True
    """
    data = parsed_calibration_file(content, source)
    if "draws" not in data:
        raise DataError(
            f"{source}: not bootstrap draws (no 'draws' field); "
            "fix: write them with 'workbench calibrate DATA.csv --bootstrap N -o FILE'"
        )
    return validated_calibration_file(CalibrationDraws, data, source)


def load_calibration_file(path: str | os.PathLike[str]) -> Calibration | CalibrationDraws:
    """Read what ``workbench calibrate ... -o FILE`` wrote: bootstrap draws when it holds them, else the calibration.

    Raises
    ------
    DataError
        If the file is missing or is neither (names the file and the field).
    """
    content = calibration_file_bytes(path)
    if "draws" in parsed_calibration_file(content, str(path)):
        return read_calibration_draws(content, source=str(path))
    return read_calibration(content, source=str(path))


# ---- resampling and refitting ------------------------------------------------------------------


@dataclass(frozen=True)
class _Shared:
    """What every draw's task shares (sent to a cluster's workers once)."""

    observations: Observations
    start: MemoryProfile
    fitted: tuple[str, ...]
    learner_rows: tuple[np.ndarray, ...]  # events: each learner's row positions, in frame order


def _resampled(shared: _Shared, rng: np.random.Generator) -> Observations:
    """One bootstrap copy of the data (see the module's docstring for the two rules)."""
    observations = shared.observations
    frame = observations.frame
    if observations.kind == "grouped":
        n = frame["n"].to_numpy(dtype=np.int64)
        counts = rng.binomial(n, frame["recalled"].to_numpy(dtype=float))
        return Observations("grouped", frame.assign(recalled=counts / n), observations.source, observations.extra)
    picks = rng.integers(0, len(shared.learner_rows), size=len(shared.learner_rows))
    blocks = [shared.learner_rows[i] for i in picks]
    rows = np.concatenate(blocks)
    width = len(str(len(picks)))
    # a learner drawn twice is two learners: a new id per pick, zero-padded so the frame stays sorted by learner
    ids = np.repeat([f"{k:0{width}d}|" for k in range(len(picks))], [len(b) for b in blocks])
    copy = frame.iloc[rows].reset_index(drop=True)
    copy["learner"] = pd.Series(ids, dtype=object) + copy["learner"].astype(str)
    return Observations("events", copy, observations.source, observations.extra)


def _at_minimum(objective: Any, theta: np.ndarray) -> bool:
    """Whether no step of 0.1% along any parameter (within its range) lowers the objective.

    L-BFGS-B stops "abnormally" when its line search cannot improve on a point, which with
    numerical gradients often happens at the minimum itself: such a stop is kept as a fit,
    any other is a failed draw.
    """
    best = objective(theta)
    bounds = objective.bounds()
    for i in range(len(theta)):
        step = 1e-3 * max(1.0, abs(float(theta[i])))
        for moved in (theta[i] - step, theta[i] + step):
            if bounds[i][0] <= moved <= bounds[i][1]:
                trial = theta.copy()
                trial[i] = moved
                if objective(trial) < best - 1e-9:
                    return False
    return True


@one_blas_thread
def _draw_task(shared: _Shared, number: int, entropy: int, spawn_key: tuple[int, ...]) -> dict[str, Any]:
    """Resample and refit one draw; return its values, or its failure with the reason."""
    rng = stream(np.random.SeedSequence(entropy, spawn_key=spawn_key), number)
    known = fittable_parameters(shared.start.model)
    try:
        data = _resampled(shared, rng)
        objective, theta, converged, message = _fit(shared.start, data, [known[p] for p in shared.fitted])
    except (WorkbenchError, ValueError, FloatingPointError, np.linalg.LinAlgError) as exc:
        return {"draw": number, "failed": f"{type(exc).__name__}: {exc}"}
    if not converged and not _at_minimum(objective, theta):
        return {"draw": number, "failed": f"the optimiser did not converge ({message.strip() or 'no message'})"}
    values = objective.to_value(theta)
    if not all(math.isfinite(v) for v in values.values()):
        return {"draw": number, "failed": "a fitted value is not finite"}
    return {"draw": number, **values}


def bootstrap_calibration(
    data: Any,
    draws: int = 200,
    *,
    rng: RandomLike = None,
    calibration: Calibration | None = None,
    profile: Any = None,
    fit: Sequence[str] | None = None,
    intervals: str = "profile",
    level: float = 0.95,
    source: str | None = None,
    today: dt.date | None = None,
    scheduler: Any = None,
    progress: Progress = False,
) -> CalibrationDraws:
    """Refit a calibration on ``draws`` resampled copies of its data: its parameter uncertainty as draws.

    Parameters
    ----------
    data : str, path, DataFrame or Observations
        The observed outcomes (per-learner events are resampled by learner; grouped outcomes
        parametrically, each row's count from ``Binomial(n, share)``).
    draws : int
        Number of bootstrap draws (1 to 100,000).
    rng : int, SeedSequence, Generator or None
        Root of the draws' random streams (draw ``i`` uses its ``i``-th child); None draws
        fresh entropy, recorded in ``seed``.
    calibration : Calibration, optional
        The fit to ``data`` already made (its fitted parameters are refitted in every draw);
        default: ``calibrate(data, profile=profile, fit=fit, intervals=intervals)``.
    profile, fit, intervals, source, today
        As in :func:`~workbench.calibrate.calibrate`, for the base fit (not with ``calibration``).
    level : float
        Coverage of the percentile intervals (default 0.95).
    scheduler : str or distributed.Client, optional
        Run the draws as Dask tasks (``"local"``, an address or a client); None runs them here.
        The draws are identical either way.
    progress : bool or callable
        True shows a bar (tqdm); a callable is given the number of draws done. Default: quiet.

    Returns
    -------
    CalibrationDraws

    Raises
    ------
    ParameterError
        For a bad ``draws``, ``level``, or a ``calibration`` fitted to other data.

    Examples
    --------
    >>> df = pd.DataFrame({"history": ["0:encode"] * 3, "test_day": [1, 7, 30],
    ...                    "recalled": [0.9, 0.7, 0.45], "n": [200, 200, 200]})
    >>> draws = bootstrap_calibration(df, 20, rng=7, fit=["s0_encode_days", "decay"], intervals="wald")
    >>> len(draws.draws), draws.resampling, draws.seed
    (20, 'grouped', 7)
    >>> draws.intervals().loc["s0_encode_days", ["bootstrap_low", "bootstrap_high"]].is_monotonic_increasing
    True
    """
    if isinstance(draws, bool) or not isinstance(draws, int | np.integer) or not 1 <= draws <= 100_000:
        raise ParameterError(f"draws: expected a whole number of bootstrap draws from 1 to 100000, got {draws!r}")
    if not isinstance(level, float | int) or not 0 < level < 1:
        raise ParameterError(f"level: expected a coverage between 0 and 1 (e.g. 0.95), got {level!r}")
    observations = data if isinstance(data, Observations) else read_observations(data, source=source)
    if calibration is None:
        calibration = calibrate(observations, profile=profile, fit=fit, intervals=intervals, source=source, today=today)
    elif profile is not None or fit is not None:
        raise ParameterError("calibration: give the fitted calibration or profile/fit to fit it, not both")
    else:
        _check_same_data(calibration, observations)
    root = as_seed_sequence(rng)
    entropy = root.entropy
    if not isinstance(entropy, int):
        raise ParameterError("rng: a SeedSequence of several words cannot be recorded; pass an int seed")
    learner_rows: tuple[np.ndarray, ...] = ()
    if observations.kind == "events":
        codes, starts = np.unique(observations.frame["learner"].astype(str).to_numpy(), return_index=True)
        del codes
        bounds = np.r_[np.sort(starts), len(observations.frame)]  # rows are sorted by learner
        learner_rows = tuple(np.arange(a, b) for a, b in itertools.pairwise(bounds))
    shared = _Shared(observations, calibration.profile, calibration.fitted, learner_rows)
    tasks = [(i, entropy, tuple(root.spawn_key)) for i in range(int(draws))]
    with (
        task_runner(scheduler) as runner,
        progress_reporter(progress, len(tasks), "bootstrap", runner, unit="draw") as tick,
    ):
        results: list[dict[str, Any]] = runner.map(_draw_task, shared, tasks, progress=tick)
    return CalibrationDraws(
        calibration=calibration,
        method=f"bootstrap, {RESAMPLING[observations.kind]}",
        resampling=observations.kind,
        seed=entropy,
        requested=int(draws),
        level=float(level),
        fitted=calibration.fitted,
        draws=[r for r in results if "failed" not in r],
        failed=[DrawFailure(draw=r["draw"], reason=r["failed"]) for r in results if "failed" in r],
    )


def _check_same_data(calibration: Calibration, observations: Observations) -> None:
    """Refuse a calibration fitted to other data (compared by the summary it keeps, its source aside)."""
    mine = {k: v for k, v in observations.summary().items() if k != "source"}
    theirs = {k: v for k, v in calibration.data.items() if k != "source"}
    if mine != theirs:
        raise ParameterError(
            f"calibration: it was fitted to other data ({theirs.get('rows')} {theirs.get('shape')} rows, "
            f"not these {mine.get('rows')}); fix: pass the data it was fitted to, or leave calibration out"
        )
