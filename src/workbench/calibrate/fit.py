"""Maximum-likelihood calibration of a memory profile, its uncertainty and its validation.

:func:`calibrate` fits chosen parameters of a :class:`~workbench.simulate.MemoryProfile` to
observed outcomes with the exact likelihood of :mod:`workbench.calibrate.likelihood`, and
returns a frozen :class:`Calibration`: the fitted profile (which ``simulate``, ``compare``,
``optimise``, the CLI and the Plan tab accept), every parameter's estimate with its
standard error and 95% profile-likelihood interval, the log-likelihood and AIC, a table of
observed against predicted recall per group with the Brier score, what the data held, the
source and the date.

:func:`validate_calibration` fits on part of the data and predicts the rest (mean absolute
error in recall points; the best gap observed against predicted per test delay).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import numpy as np
import pandas as pd
import yaml
from pydantic import Field
from scipy.optimize import minimize
from threadpoolctl import threadpool_limits

from workbench._io import write_atomic
from workbench._values import Value
from workbench.calibrate.data import Observations, read_observations
from workbench.calibrate.likelihood import EventsIndex, expected_recall, log_likelihood, predicted_retrievals
from workbench.errors import DataError, ParameterError, problem_lines
from workbench.simulate.profiles import FittableParameter, MemoryProfile, fittable_parameters, resolve_profile
from workbench.vocabulary import MemoryEffect

__all__ = [
    "Calibration",
    "ParameterEstimate",
    "Validation",
    "calibrate",
    "default_fit",
    "informed_parameters",
    "load_calibration",
    "read_calibration",
    "validate_calibration",
]

#: chi-square(1) quantile for a 95% profile-likelihood interval.
_CHI2_95 = 3.841458820694124
_Z95 = 1.959963984540054
_RETRIEVE = MemoryEffect.RETRIEVE.value
_PASSIVE = ("restudy", "apply", "discuss")


class ParameterEstimate(Value):
    """One parameter of a calibration: its value and, when fitted, its uncertainty.

    ``status`` is ``"fitted"``, ``"prior"`` (not fitted: kept at the starting profile's
    value) or ``"no information"`` (asked for, but the data carry no information about it,
    so it stays at the prior value).
    """

    name: str
    value: float
    prior: float
    status: str
    standard_error: float | None = None
    low: float | None = None
    high: float | None = None
    description: str = ""


class CalibrationFile(Value):
    """A value ``workbench calibrate -o FILE`` writes: plain data, JSON or YAML text, an atomic save."""

    def to_dict(self) -> dict[str, Any]:
        """Plain data (JSON-compatible)."""
        return self.model_dump(mode="json")

    def to_json(self) -> str:
        """Render the value as JSON text."""
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"

    def to_yaml(self) -> str:
        """Render the value as YAML text."""
        return yaml.safe_dump(self.to_dict(), sort_keys=False, allow_unicode=True)

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the value (YAML for ``.yaml``/``.yml``, JSON otherwise), atomically."""
        target = Path(path)
        text = self.to_yaml() if target.suffix.lower() in (".yaml", ".yml") else self.to_json()
        return write_atomic(target, text)


class Calibration(CalibrationFile):
    """A fitted memory profile with its uncertainty, fit statistics, data summary and source.

    Accepted wherever a profile is (``simulate(..., profile=calibration)``, ``compare``,
    ``optimise``, ``--calibration FILE``). Round-trips through :meth:`to_json` /
    :meth:`to_yaml` and :func:`load_calibration`.
    """

    profile: MemoryProfile
    base_profile: str
    parameters: dict[str, ParameterEstimate]
    log_likelihood: float
    aic: float
    n_fitted: int
    brier: float
    interval_method: str
    data: dict[str, Any]
    table: list[dict[str, Any]] = Field(default_factory=list)
    source: str
    created: str
    converged: bool
    message: str = ""

    @property
    def fitted(self) -> tuple[str, ...]:
        """Names of the fitted parameters."""
        return tuple(name for name, p in self.parameters.items() if p.status == "fitted")

    def estimates(self) -> pd.DataFrame:
        """One row per parameter: value, prior, status, standard error and 95% interval."""
        rows = [p.model_dump() for p in self.parameters.values()]
        return pd.DataFrame(rows).set_index("name")

    def calibration_table(self) -> pd.DataFrame:
        """Observed against predicted recall per group (grouped rows, or retrievals by delay)."""
        return pd.DataFrame(self.table)

    def summary_text(self) -> str:
        """Describe the calibration for a designer: source, fitted parameters with intervals, fit statistics."""
        lines = [
            f"calibration {self.profile.name} ({self.profile.model}), from {self.source}, {self.created}",
            f"  data: {self.data.get('shape')} outcomes, {self.data.get('rows')} rows, "
            f"{self.data.get('learners')} learners",
            f"  log-likelihood {self.log_likelihood:.2f}, AIC {self.aic:.2f}, Brier {self.brier:.4f}, "
            f"intervals: {self.interval_method}",
            f"  {'parameter':<32}{'value':>10}{'95% interval':>22}{'prior':>10}  status",
        ]
        for p in self.parameters.values():
            interval = f"[{p.low:.4g}, {p.high:.4g}]" if p.low is not None and p.high is not None else "-"
            lines.append(f"  {p.name:<32}{p.value:>10.4g}{interval:>22}{p.prior:>10.4g}  {p.status}")
        for p in self.parameters.values():
            if p.status == "no information":
                lines.append(f"  {p.name}: {p.description}")
        if not self.converged:
            lines.append(f"  WARNING: the optimiser did not converge ({self.message})")
        return "\n".join(lines) + "\n"


def load_calibration(path: str | os.PathLike[str]) -> Calibration:
    """Read a calibration written by :meth:`Calibration.save` (JSON or YAML).

    Raises
    ------
    DataError
        If the file is missing, not JSON/YAML, or not a calibration (names the file and field).
    """
    return read_calibration(calibration_file_bytes(path), source=str(path))


def calibration_file_bytes(path: str | os.PathLike[str]) -> bytes:
    """Return the content of a calibration file; DataError naming it when it is missing."""
    source = Path(path)
    if not source.is_file():
        raise DataError(f"{source}: no such calibration file; fix: write one with {_WRITE_IT}")
    return source.read_bytes()


def read_calibration(content: str | bytes, *, source: str = "calibration") -> Calibration:
    """Read a calibration from JSON or YAML text (what an uploaded file holds).

    A file of bootstrap draws (:class:`~workbench.calibrate.CalibrationDraws`) gives the
    calibration it holds.

    Raises
    ------
    DataError
        One line per problem, each naming ``source`` and the field (``profile.memory_sigma``), with a fix.

    Examples
    --------
    >>> read_calibration("profile: {}", source="pilot.yaml")
    Traceback (most recent call last):
    ...
    workbench.errors.DataError: pilot.yaml: not a valid calibration ...
    """
    data = parsed_calibration_file(content, source)
    if "draws" in data and isinstance(data.get("calibration"), dict):
        data = data["calibration"]  # bootstrap draws (--bootstrap N -o FILE) hold their calibration
    return validated_calibration_file(Calibration, data, source)


_WRITE_IT = "'workbench calibrate DATA.csv -o FILE'"
_FileT = TypeVar("_FileT", bound=CalibrationFile)


def parsed_calibration_file(content: str | bytes, source: str) -> dict[str, Any]:
    """Parse what ``workbench calibrate -o FILE`` wrote (JSON or YAML) into a mapping; DataError otherwise."""
    try:
        text = content.decode("utf-8") if isinstance(content, bytes) else content
        data = yaml.safe_load(text)  # YAML is a superset of JSON
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise DataError(
            f"{source}: not a JSON or YAML calibration ({str(exc).splitlines()[0]}); "
            f"fix: use the file {_WRITE_IT} wrote"
        ) from None
    if not isinstance(data, dict):
        raise DataError(
            f"{source}: not a calibration (expected a mapping with profile, parameters, ...); "
            f"fix: use the file {_WRITE_IT} wrote"
        )
    return data


def validated_calibration_file(kind: type[_FileT], data: dict[str, Any], source: str) -> _FileT:
    """Validate parsed file content as ``kind``; DataError naming every bad field."""
    what = "calibration" if kind is Calibration else "set of bootstrap draws"
    try:
        return kind.model_validate(data)
    except ValueError as exc:
        fields = "\n".join(f"  field {line}" for line in problem_lines(exc))
        raise DataError(
            f"{source}: not a valid {what} (fix these fields, or write the file again with {_WRITE_IT}):\n{fields}"
        ) from None


# ---- which parameters the data can inform ------------------------------------------------


def _effect_uses(observations: Observations) -> dict[str, set[str]]:
    """Which effects occur as first touches and as later touches in the data."""
    first: set[str] = set()
    later: set[str] = set()
    retrieval_then_more = False
    if observations.kind == "grouped":
        for touches in observations.frame["touches"]:
            first.add(touches[0][1])
            later.update(e for _, e in touches[1:])
            if any(e == _RETRIEVE for _, e in touches[1:]):
                retrieval_then_more = True  # the test follows
    else:
        frame = observations.frame
        key = frame["learner"].astype(str) + "\x1f" + frame["concept"].astype(str)
        is_first = ~key.duplicated()
        first.update(frame.loc[is_first, "effect"].unique())
        later.update(frame.loc[~is_first, "effect"].unique())
        retrieval_then_more = _RETRIEVE in later
    return {"first": first, "later": later, "lapse": {"yes"} if retrieval_then_more else set()}


def informed_parameters(observations: Observations, model: str = "fsrs6") -> set[str]:
    """Find the fittable parameters the data's design can carry information about.

    A parameter is informed when the touches it acts on occur: the initial stability of
    each first-touch effect, the gain of each non-retrieval effect on a known concept,
    review and lapse parameters when retrievals are followed by observations. Decay and
    ``memory_sigma`` need observations at two or more delays (or, for events, several
    retrievals per learner).

    Examples
    --------
    >>> df = pd.DataFrame({"history": ["0:encode", "0:encode"], "test_day": [1, 7], "recalled": [0.9, 0.7],
    ...                    "n": [30, 30]})
    >>> sorted(informed_parameters(read_observations(df)))
    ['decay', 'memory_sigma', 's0_encode_days']
    """
    uses = _effect_uses(observations)
    informed: set[str] = set()
    if "encode" in uses["first"]:
        informed.add("s0_encode_days")
    if uses["first"] & set(_PASSIVE):
        informed.add("s0_passive_days")
    if _RETRIEVE in uses["first"]:
        informed.add("s0_retrieve_days")
    if observations.kind == "grouped":
        delays = {round(float(d), 9) for d in observations.frame["delay_days"]}
        histories = observations.frame["history"]
        several = len(delays) > 1 or bool((histories != histories.iloc[0]).any())
    else:
        several = int((observations.frame["effect"] == _RETRIEVE).sum()) > 1
    if several:
        informed |= {"decay", "memory_sigma"}
    if _RETRIEVE in uses["later"]:
        informed |= {"recall_gain_log", "recall_gain_stability_exponent", "recall_gain_forgetting"}
        if uses["lapse"]:
            informed |= {"lapse_scale", "lapse_stability_exponent", "lapse_forgetting_gain"}
    if uses["later"]:
        informed.add("same_day_rate")  # only informative with same-day repeats; checked numerically
    for effect in ("encode", *_PASSIVE):
        if effect in uses["later"]:
            informed.add(f"{effect}_gain")
    if model != "fsrs6" and several:
        # other models' own parameters shape the whole curve: informed by any spread of delays
        shared = {"memory_sigma", *(f"{e}_gain" for e in ("encode", *_PASSIVE))}
        informed |= set(fittable_parameters(model)) - shared
    return informed & set(fittable_parameters(model))


#: What is fitted when nothing is chosen, in order of preference (kept if the data inform them).
_DEFAULT_FIT = (
    "s0_encode_days",
    "decay",
    "recall_gain_log",
    # ACT-R's counterparts: recall level, forgetting speed, spacing sensitivity
    "threshold",
    "decay_intercept",
    "decay_scale",
    "memory_sigma",
    "restudy_gain",
    "apply_gain",
    "discuss_gain",
    "s0_passive_days",
)


def default_fit(observations: Observations, model: str = "fsrs6") -> tuple[str, ...]:
    """Choose the parameters fitted by default: the core ones the data inform.

    Examples
    --------
    >>> df = pd.DataFrame({"history": ["0:encode", "0:encode;2:retrieve"], "test_day": [7, 9],
    ...                    "recalled": [0.7, 0.8], "n": [30, 30]})
    >>> default_fit(read_observations(df))
    ('s0_encode_days', 'decay', 'recall_gain_log', 'memory_sigma')
    """
    informed = informed_parameters(observations, model)
    return tuple(name for name in _DEFAULT_FIT if name in informed)


# ---- fitting ---------------------------------------------------------------------------------


class _Objective:
    """Negative log-likelihood over the fitted parameters, on their fitting scale."""

    def __init__(self, base: MemoryProfile, observations: Observations, specs: Sequence[FittableParameter]):
        self.base = base
        self.observations = observations
        self.specs = tuple(specs)
        self.index = EventsIndex.of(observations) if observations.kind == "events" else None
        self.evaluations = 0

    def to_value(self, theta: np.ndarray) -> dict[str, float]:
        return {s.name: float(math.exp(t)) if s.log else float(t) for s, t in zip(self.specs, theta, strict=True)}

    def to_theta(self, values: Mapping[str, float]) -> np.ndarray:
        return np.array([math.log(values[s.name]) if s.log else values[s.name] for s in self.specs])

    def bounds(self) -> list[tuple[float, float]]:
        return [(math.log(s.low), math.log(s.high)) if s.log else (s.low, s.high) for s in self.specs]

    def profile(self, theta: np.ndarray) -> MemoryProfile:
        return self.base.with_values(self.to_value(theta))

    def __call__(self, theta: np.ndarray) -> float:
        self.evaluations += 1
        try:
            ll = log_likelihood(self.profile(theta), self.observations, index=self.index)
        except (ParameterError, ValueError):
            return 1e12  # outside the model's domain: the optimiser backs off
        return -ll if math.isfinite(ll) else 1e12


_P = ParamSpec("_P")
_R = TypeVar("_R")


def one_blas_thread(function: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run ``function`` with one BLAS thread.

    The likelihood's matrix products are small (rows x quadrature nodes), where waking BLAS
    threads costs more than they save: ``calibrate`` on the packaged Cepeda table ran 1.7x
    faster with one thread on a 2-core machine (wall and CPU time alike).
    """

    @functools.wraps(function)
    def with_one_thread(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with threadpool_limits(limits=1, user_api="blas"):
            return function(*args, **kwargs)

    return with_one_thread


def _minimise(
    objective: Callable[[np.ndarray], float], start: np.ndarray, bounds: list[tuple[float, float]], ftol: float = 1e-11
) -> Any:
    lows = np.array([b[0] for b in bounds])
    highs = np.array([b[1] for b in bounds])
    x0 = np.clip(start, lows + 1e-9 * (highs - lows), highs - 1e-9 * (highs - lows))
    return minimize(objective, x0, method="L-BFGS-B", bounds=bounds, options={"maxiter": 500, "ftol": ftol})


def _hessian(objective: Callable[[np.ndarray], float], theta: np.ndarray, steps: np.ndarray) -> np.ndarray:
    """Central-difference Hessian of the negative log-likelihood."""
    k = len(theta)
    f0 = objective(theta)
    h = np.zeros((k, k))
    for i in range(k):
        e_i = np.zeros(k)
        e_i[i] = steps[i]
        h[i, i] = (objective(theta + e_i) - 2 * f0 + objective(theta - e_i)) / steps[i] ** 2
        for j in range(i):
            e_j = np.zeros(k)
            e_j[j] = steps[j]
            h[i, j] = h[j, i] = (
                objective(theta + e_i + e_j)
                - objective(theta + e_i - e_j)
                - objective(theta - e_i + e_j)
                + objective(theta - e_i - e_j)
            ) / (4 * steps[i] * steps[j])
    return h


def _profile_bound(
    objective: _Objective, theta_hat: np.ndarray, nll_hat: float, i: int, direction: float, scale: float
) -> float | None:
    """Where the profile likelihood of parameter ``i`` drops by chi2(1)/2, on one side (None: not in range).

    Solved on the signed root ``z(t) = sqrt(2 (nll(t) - nll_hat))``, which is nearly linear in
    ``t`` (exactly so for a quadratic log-likelihood): secant steps from the Wald guess
    ``theta + 1.96 scale`` reach ``z = 1.96`` in a few re-fits of the other parameters.
    """
    bounds = objective.bounds()
    edge = bounds[i][1] if direction > 0 else bounds[i][0]
    others = [j for j in range(len(theta_hat)) if j != i]
    warm = {"x": theta_hat[others]}
    target = math.sqrt(_CHI2_95)

    def z(value: float) -> float:
        def reduced(rest: np.ndarray) -> float:
            full = theta_hat.copy()
            full[others] = rest
            full[i] = value
            return objective(full)

        if others:
            # warm-started re-fit; 1e-9 relative is far below the 1e-3 asked of z
            found = _minimise(reduced, warm["x"], [bounds[j] for j in others], ftol=1e-9)
            warm["x"] = found.x
            nll = float(found.fun)
        else:
            nll = reduced(np.zeros(0))
        return math.sqrt(max(2.0 * (nll - nll_hat), 0.0))

    def clamp(value: float) -> float:
        return min(value, edge) if direction > 0 else max(value, edge)

    t_old, z_old = float(theta_hat[i]), 0.0
    t_new = clamp(t_old + direction * target * max(scale, 1e-3))
    for _ in range(12):
        z_new = z(t_new)
        if abs(z_new - target) < 1e-3:
            return t_new
        if t_new == edge and z_new < target:
            return None  # the likelihood stays within the interval up to the model's range
        slope = (z_new - z_old) / (t_new - t_old) if t_new != t_old else 0.0
        t_next = t_new + (target - z_new) / slope if slope * direction > 0 else t_new + (t_new - t_old)
        if (t_next - theta_hat[i]) * direction <= 0:
            t_next = (t_new + theta_hat[i]) / 2  # never cross back past the estimate
        t_old, z_old, t_new = t_new, z_new, clamp(t_next)
    return t_new


def _table(profile: MemoryProfile, observations: Observations, index: EventsIndex | None) -> list[dict[str, Any]]:
    """Observed against predicted recall per group."""
    frame = observations.frame
    if observations.kind == "grouped":
        predicted = expected_recall(profile, observations)
        return [
            {
                "history": row.history,
                "test_day": float(row.test_day),
                "delay_days": float(row.delay_days),
                "n": int(row.n),
                "observed": round(float(row.recalled), 6),
                "predicted": round(float(p), 6),
            }
            for row, p in zip(_records(frame), predicted, strict=True)
        ]
    predicted = predicted_retrievals(profile, index if index is not None else EventsIndex.of(observations))
    retrievals = frame.assign(predicted=predicted)[predicted >= 0]
    retrievals = retrievals.assign(delay_days=_delays(frame)[predicted >= 0])
    bins = [0, 1, 3, 7, 14, 30, 60, 120, math.inf]
    labels = ["<1", "1-3", "3-7", "7-14", "14-30", "30-60", "60-120", "120+"]
    retrievals = retrievals.assign(group=pd.cut(retrievals["delay_days"], bins, right=False, labels=labels))
    grouped = retrievals.groupby("group", observed=True).agg(
        n=("recalled", "size"), observed=("recalled", "mean"), predicted=("predicted", "mean")
    )
    return [
        {
            "group": f"delay {label} days",
            "n": int(row.n),
            "observed": round(float(row.observed), 6),
            "predicted": round(float(row.predicted), 6),
        }
        for label, row in grouped.iterrows()
    ]


def _records(frame: pd.DataFrame) -> list[Any]:
    """Rows as attribute-access records (typed loosely: the columns are validated upstream)."""
    return list(frame.itertuples(index=False))


def _delays(frame: pd.DataFrame) -> np.ndarray:
    key = frame["learner"].astype(str) + "\x1f" + frame["concept"].astype(str)
    previous = frame.groupby(key, sort=False)["day"].shift(1)
    return (frame["day"] - previous).fillna(-1.0).to_numpy(dtype=float)


def predicted_events(profile: MemoryProfile, observations: Observations) -> np.ndarray:
    """Predicted recall of each retrieval event given the learner's history (-1 for other rows).

    The learner's rate is averaged over the population (not conditioned on the learner's other
    outcomes), so this is the out-of-sample prediction for a new learner; rows are in the
    order of ``observations.frame``.
    """
    return predicted_retrievals(profile, EventsIndex.of(observations))


def _brier(profile: MemoryProfile, observations: Observations, index: EventsIndex | None = None) -> float:
    frame = observations.frame
    if observations.kind == "grouped":
        p = expected_recall(profile, observations)
        y = frame["recalled"].to_numpy(float)
        n = frame["n"].to_numpy(float)
        # mean over learners of (outcome - p)^2: y (1-p)^2 + (1-y) p^2 per learner
        return float(np.sum(n * (y * (1 - p) ** 2 + (1 - y) * p**2)) / n.sum())
    p = predicted_retrievals(profile, index if index is not None else EventsIndex.of(observations))
    mask = p >= 0
    if not mask.any():
        return float("nan")
    return float(np.mean((frame["recalled"].to_numpy(float)[mask] - p[mask]) ** 2))


#: Largest relative standard error of ``memory_sigma`` at which grouped outcomes are said to
#: inform it (a 95% interval of about +-50%); above it the spread stays at its prior.
MAX_SPREAD_RELATIVE_SE = 0.25


def _fit(
    base: MemoryProfile, observations: Observations, specs: Sequence[FittableParameter]
) -> tuple[_Objective, np.ndarray, bool, str]:
    """Maximise the likelihood over ``specs`` from the base profile's values."""
    objective = _Objective(base, observations, specs)
    if not specs:
        return objective, np.zeros(0), True, "nothing to fit"
    result = _minimise(objective, objective.to_theta(base.values(tuple(s.name for s in specs))), objective.bounds())
    return objective, np.asarray(result.x, dtype=float), bool(result.success), str(result.message)


def _spread_relative_se(objective: _Objective, theta: np.ndarray) -> float | None:
    """Relative standard error of a fitted ``memory_sigma`` from grouped shares (None otherwise).

    From the expected (Fisher) information of the binomial shares, with the other fitted
    parameters free: ``J' diag(n / p(1-p)) J`` with ``J`` the derivatives of the expected
    shares. A grouped share is an average over learners, ``E_r[recall(history, r)]`` with
    the learner's clock rate ``r = exp(N(0, sigma))``; the spread only smooths the curve
    along log time, a second-order effect (in ``sigma``) that initial stability and decay
    nearly reproduce, so this is large unless the table is very big.
    """
    names = [spec.name for spec in objective.specs]
    observations = objective.observations
    if observations.kind != "grouped" or "memory_sigma" not in names:
        return None
    n = observations.frame["n"].to_numpy(float)
    shares = np.clip(expected_recall(objective.profile(theta), observations), 1e-9, 1 - 1e-9)
    bounds = objective.bounds()
    jacobian = np.empty((len(shares), len(theta)))
    for i in range(len(theta)):
        # secants over +-5%, not infinitesimal steps: FSRS-6's same-day rule makes the shares jump
        # where a quadrature node moves a review under one day of a learner's clock, and a tiny step
        # across such a jump would read as (spurious) information
        step = 0.05 * max(abs(theta[i]), 0.1)
        up, down = theta.copy(), theta.copy()
        up[i], down[i] = min(theta[i] + step, bounds[i][1]), max(theta[i] - step, bounds[i][0])
        jacobian[:, i] = (
            expected_recall(objective.profile(up), observations)
            - expected_recall(objective.profile(down), observations)
        ) / (up[i] - down[i])
    information = jacobian.T @ (jacobian * (n / (shares * (1 - shares)))[:, None])
    i = names.index("memory_sigma")
    try:
        variance = float(np.linalg.inv(information)[i, i])
    except np.linalg.LinAlgError:
        return math.inf
    value = objective.to_value(theta)["memory_sigma"]
    return math.sqrt(variance) / value if variance > 0 and value > 0 else math.inf


def _estimates(objective: _Objective, theta: np.ndarray, intervals: str) -> dict[str, ParameterEstimate]:
    """Estimate, standard error and 95% interval of every fitted parameter (flat ones: back to the prior)."""
    specs = objective.specs
    nll = objective(theta)
    fitted_profile = objective.profile(theta) if specs else objective.base
    prior = objective.base.values(tuple(s.name for s in specs))
    estimates: dict[str, ParameterEstimate] = {}
    bounds = objective.bounds()
    standard_errors = np.full(len(specs), np.nan)
    flat: set[int] = set()
    at_bound = {i for i in range(len(specs)) if min(abs(theta[i] - bounds[i][0]), abs(theta[i] - bounds[i][1])) < 1e-6}
    if specs:
        steps = np.maximum(1e-4, 1e-3 * np.abs(theta))
        interior = [i for i in range(len(specs)) if i not in at_bound]

        def restricted(sub: np.ndarray) -> float:
            full = theta.copy()
            full[interior] = sub
            return objective(full)

        # curvature of the interior parameters only: a difference across a bound is meaningless
        hessian = np.full((len(specs), len(specs)), np.nan)
        if interior:
            hessian[np.ix_(interior, interior)] = _hessian(restricted, theta[interior], steps[interior])
        flat = {i for i in interior if not hessian[i, i] > 1e-8}
        keep = [i for i in interior if i not in flat]
        if keep:
            try:
                cov = np.linalg.inv(hessian[np.ix_(keep, keep)])
                standard_errors[keep] = np.sqrt(np.clip(np.diag(cov), 0.0, None))
            except np.linalg.LinAlgError:
                pass
    for i, spec in enumerate(specs):
        value = fitted_profile.value(spec.name)
        se_theta = standard_errors[i]
        at_edge = i in at_bound
        if i in flat:
            estimates[spec.name] = ParameterEstimate(
                name=spec.name,
                value=prior[spec.name],
                prior=prior[spec.name],
                status="no information",
                description=spec.description + " (the likelihood is flat in it: kept at the prior)",
            )
            continue
        if at_edge:
            low_t = high_t = theta[i]  # no interval on a bound: the data push it past the model's range
        elif intervals == "profile":
            scale = se_theta if math.isfinite(se_theta) and se_theta > 0 else 0.1
            up = _profile_bound(objective, theta, nll, i, +1.0, scale)
            down = _profile_bound(objective, theta, nll, i, -1.0, scale)
            low_t = down if down is not None else bounds[i][0]
            high_t = up if up is not None else bounds[i][1]
        else:
            low_t = theta[i] - _Z95 * se_theta if math.isfinite(se_theta) else bounds[i][0]
            high_t = theta[i] + _Z95 * se_theta if math.isfinite(se_theta) else bounds[i][1]
        to_value: Callable[[float], float] = (lambda t: float(math.exp(t))) if spec.log else float
        se_value = value * se_theta if spec.log else se_theta
        estimates[spec.name] = ParameterEstimate(
            name=spec.name,
            value=value,
            prior=prior[spec.name],
            status="fitted",
            standard_error=float(se_value) if math.isfinite(se_value) and not at_edge else None,
            low=None if at_edge else to_value(max(low_t, bounds[i][0])),
            high=None if at_edge else to_value(min(high_t, bounds[i][1])),
            description=spec.description
            + (" (AT A BOUND of the model's range: the data ask for more than the model allows)" if at_edge else ""),
        )
    return estimates


@one_blas_thread
def calibrate(
    data: Any,
    *,
    profile: Any = None,
    fit: Sequence[str] | None = None,
    intervals: str = "profile",
    source: str | None = None,
    today: dt.date | None = None,
    name: str | None = None,
) -> Calibration:
    """Fit memory-profile parameters to observed recall by maximum likelihood.

    Parameters
    ----------
    data : str, path, DataFrame or Observations
        Per-learner events or grouped outcomes (see :mod:`workbench.calibrate.data`).
    profile : str, MemoryProfile or Calibration, optional
        Where the fit starts, and the prior value of every parameter not fitted (default:
        the default profile).
    fit : sequence of str, optional
        Parameters to fit (see :func:`~workbench.simulate.fittable_parameters`); default
        :func:`default_fit`. Parameters the data carry no information about stay at their
        prior value and are reported with status ``"no information"``.
    intervals : {"profile", "wald"}
        95% intervals by profile likelihood (default; each bound re-fits the other
        parameters) or by the Wald rule on the fitting scale (log scale for positive
        parameters). Standard errors always come from the observed information.
    source : str, optional
        Name of the data in the calibration (default: the file name).
    today : date, optional
        Date stamped on the calibration (default: today; injected for reproducibility).
    name : str, optional
        Name of the fitted profile (default ``"calibration:<source file stem>"``).

    Returns
    -------
    Calibration

    Examples
    --------
    >>> df = pd.DataFrame({"history": ["0:encode"] * 3, "test_day": [1, 7, 30],
    ...                    "recalled": [0.9, 0.7, 0.45], "n": [200, 200, 200]})
    >>> c = calibrate(df, fit=["s0_encode_days", "decay"], today=dt.date(2026, 1, 1))
    >>> c.fitted
    ('s0_encode_days', 'decay')
    >>> bool(abs(c.calibration_table()["predicted"] - c.calibration_table()["observed"]).max() < 0.05)
    True
    """
    observations = data if isinstance(data, Observations) else read_observations(data, source=source)
    base = resolve_profile(profile)
    known = fittable_parameters(base.model)
    chosen = _checked_fit(fit, intervals, observations, base.model, known)
    objective, theta, converged, message, uninformed = _fit_informed(base, observations, known, chosen)
    estimates = _estimates(objective, theta, intervals)
    prior = base.values(tuple(known))
    for parameter, why in uninformed.items():
        estimates[parameter] = ParameterEstimate(
            name=parameter, value=prior[parameter], prior=prior[parameter], status="no information", description=why
        )
    for parameter, value in prior.items():
        if parameter not in estimates:
            estimates[parameter] = ParameterEstimate(
                name=parameter, value=value, prior=value, status="prior", description=known[parameter].description
            )
    nll = objective(theta)
    n_fitted = sum(1 for e in estimates.values() if e.status == "fitted")
    day = (today or dt.datetime.now(tz=dt.UTC).date()).isoformat()
    label = source or observations.source
    final_profile = _named_profile(
        objective.profile(theta) if objective.specs else base, base, estimates, observations, label, day, name
    )
    return Calibration(
        profile=final_profile,
        base_profile=base.name,
        parameters=estimates,
        log_likelihood=float(-nll),
        aic=float(2 * n_fitted + 2 * nll),
        n_fitted=n_fitted,
        brier=round(_brier(final_profile, observations, objective.index), 8),
        interval_method=(
            "profile likelihood (95%, chi-square 1 df, other parameters re-fitted)"
            if intervals == "profile"
            else "Wald (95%, observed information, log scale for positive parameters)"
        ),
        data=observations.summary(),
        table=_table(final_profile, observations, objective.index),
        source=label,
        created=day,
        converged=converged,
        message=message,
    )


def _checked_fit(
    fit: Sequence[str] | None,
    intervals: str,
    observations: Observations,
    model: str,
    known: Mapping[str, FittableParameter],
) -> tuple[str, ...]:
    """Return the parameters to fit (given, or the default for the data), each fittable for ``model``."""
    chosen = tuple(fit) if fit is not None else default_fit(observations, model)
    unknown = [p for p in chosen if p not in known]
    if unknown:
        raise ParameterError(
            f"fit: {', '.join(map(repr, unknown))} not fittable for model {model!r}; known: {', '.join(known)}"
        )
    if intervals not in ("profile", "wald"):
        raise ParameterError(f"intervals: must be 'profile' or 'wald' (got {intervals!r})")
    return chosen


def _fit_informed(
    base: MemoryProfile, observations: Observations, known: Mapping[str, FittableParameter], chosen: Sequence[str]
) -> tuple[_Objective, np.ndarray, bool, str, dict[str, str]]:
    """Fit the chosen parameters the data inform; return the fit and, per parameter left out, why."""
    informed = informed_parameters(observations, base.model)
    fitted = [p for p in dict.fromkeys(chosen) if p in informed]
    uninformed = {
        p: known[p].description + " (the data hold no touches it acts on: kept at the prior)"
        for p in dict.fromkeys(chosen)
        if p not in informed
    }
    objective, theta, converged, message = _fit(base, observations, [known[p] for p in fitted])
    spread_se = _spread_relative_se(objective, theta)
    if spread_se is not None and spread_se > MAX_SPREAD_RELATIVE_SE:
        # grouped shares barely see the spread: fitting it would only trade it against decay
        uninformed["memory_sigma"] = known["memory_sigma"].description + (
            f" (grouped shares average over learners, so the spread only smooths the recall curve in log "
            f"time, which initial stability and decay absorb: its relative standard error here is "
            f"{spread_se:.2f} > {MAX_SPREAD_RELATIVE_SE}; kept at the prior; fit it from per-learner events)"
        )
        fitted.remove("memory_sigma")
        objective, theta, converged, message = _fit(base, observations, [known[p] for p in fitted])
    return objective, theta, converged, message, uninformed


def _named_profile(
    fitted: MemoryProfile,
    base: MemoryProfile,
    estimates: Mapping[str, ParameterEstimate],
    observations: Observations,
    label: str,
    day: str,
    name: str | None,
) -> MemoryProfile:
    """Return the fitted profile named after its data, with its source: base profile, data, date, what was fitted."""
    stem = Path(label).stem if label else "data"
    fitted_names = ", ".join(e for e in estimates if estimates[e].status == "fitted") or "nothing"
    rows = observations.summary().get("rows")
    return fitted.with_values(
        {},
        name=name or f"calibration:{stem}",
        title=f"Calibrated to {Path(label).name} ({day})",
        source=f"maximum-likelihood calibration of profile {base.name!r} to {label} ({rows} rows), {day}; "
        f"fitted: {fitted_names}",
        citations=base.citations,
    )


# ---- validation ------------------------------------------------------------------------------


class Validation(Value):
    """Out-of-sample check of a calibration: fit on one part of the data, predict the rest."""

    holdout: dict[str, list[Any]]
    fitted_on: int
    predicted_rows: int
    mae_points: float
    table: list[dict[str, Any]]
    best_gaps: list[dict[str, Any]] = Field(default_factory=list)
    calibration: Calibration

    def summary_text(self) -> str:
        """MAE and best gaps, as the CLI prints them."""
        held = ", ".join(f"{k}={'/'.join(map(str, v))}" for k, v in self.holdout.items())
        lines = [
            f"holdout {held}: fitted on {self.fitted_on} rows, predicted {self.predicted_rows}",
            f"  mean absolute error: {self.mae_points:.1f} recall points",
        ]
        if self.best_gaps:
            lines.append(f"  {'test delay':>12}{'best gap observed':>20}{'best gap predicted':>20}")
            for row in self.best_gaps:
                lines.append(
                    f"  {row['delay_days']:>12g}{row['observed_best_gap_days']:>20g}"
                    f"{row['predicted_best_gap_days']:>20g}"
                )
        return "\n".join(lines) + "\n"


def _gap_of(touches: Sequence[tuple[float, str]]) -> float | None:
    """Gap between the first two sessions of a history (None for one session)."""
    days = sorted({day for day, _ in touches})
    return days[1] - days[0] if len(days) > 1 else (0.0 if len(touches) > 1 else None)


@one_blas_thread
def validate_calibration(
    data: Any,
    holdout: Mapping[str, Sequence[Any]],
    *,
    profile: Any = None,
    fit: Sequence[str] | None = None,
    source: str | None = None,
    today: dt.date | None = None,
) -> Validation:
    """Fit on the rows outside ``holdout``, predict the held-out rows, and score the predictions.

    Parameters
    ----------
    data : str, path, DataFrame or Observations
        Grouped outcomes or per-learner events.
    holdout : mapping column -> values
        Rows whose ``column`` takes one of ``values`` are held out, e.g.
        ``{"delay_days": [350]}`` or ``{"gap_days": [21, 105]}``. Besides the data's own
        columns, grouped outcomes offer ``delay_days`` (test day minus last touch) and
        ``gap_days`` (gap between the first two sessions).
    profile, fit, source, today
        As in :func:`calibrate`.

    Returns
    -------
    Validation
        Mean absolute error in recall points (0-100, weighted by ``n``) over the held-out
        rows, the per-row table, and -- where the held-out rows vary the gap at a test
        delay -- the best gap observed and predicted per delay.

    Examples
    --------
    >>> df = pd.DataFrame({"history": ["0:encode"] * 4, "test_day": [1, 7, 14, 30],
    ...                    "recalled": [0.9, 0.7, 0.6, 0.45], "n": [100] * 4})
    >>> v = validate_calibration(df, {"test_day": [14]}, fit=["s0_encode_days", "decay"])
    >>> v.predicted_rows, v.mae_points < 10
    (1, True)
    """
    observations = data if isinstance(data, Observations) else read_observations(data, source=source)
    frame = observations.frame.copy()
    if observations.kind == "grouped":
        frame["gap_days"] = [_gap_of(t) for t in frame["touches"]]
    if not holdout:
        raise ParameterError("holdout: name a column and the values to hold out, e.g. {'delay_days': [350]}")
    mask = np.zeros(len(frame), dtype=bool)
    for column, values in holdout.items():
        if column not in frame.columns:
            raise ParameterError(
                f"holdout: column {column!r} is not in the data (columns: "
                f"{', '.join(c for c in frame.columns if c not in ('touches', 'line'))})"
            )
        wanted = {_normal(v) for v in values}
        mask |= frame[column].map(_normal).isin(wanted).to_numpy()
    if not mask.any():
        raise ParameterError(f"holdout: no row has {dict(holdout)}; nothing would be predicted")
    if mask.all():
        raise ParameterError(f"holdout: every row has {dict(holdout)}; nothing would be left to fit on")
    train = Observations(observations.kind, observations.frame[~mask].reset_index(drop=True), observations.source)
    test = Observations(observations.kind, observations.frame[mask].reset_index(drop=True), observations.source)
    calibration = calibrate(train, profile=profile, fit=fit, intervals="wald", source=source, today=today)
    fitted = calibration.profile
    if observations.kind == "grouped":
        predicted = expected_recall(fitted, test)
        held = frame[mask].reset_index(drop=True)
        weights = held["n"].to_numpy(float)
        observed = held["recalled"].to_numpy(float)
        mae = float(np.sum(weights * np.abs(observed - predicted)) / weights.sum() * 100)
        table = [
            {
                "history": row.history,
                "gap_days": row.gap_days,
                "delay_days": float(row.delay_days),
                "n": int(row.n),
                "observed": round(float(row.recalled), 6),
                "predicted": round(float(p), 6),
            }
            for row, p in zip(_records(held), predicted, strict=True)
        ]
        best = _best_gaps(pd.DataFrame(table))
    else:
        p = predicted_events(fitted, test)
        retrieval = p >= 0
        observed = test.frame["recalled"].to_numpy(float)[retrieval]
        mae = float(np.mean(np.abs(observed - p[retrieval])) * 100) if retrieval.any() else float("nan")
        table = calibrate_table_events(fitted, test)
        best = []
    return Validation(
        holdout={k: [_normal(v) for v in vs] for k, vs in holdout.items()},
        fitted_on=int((~mask).sum()),
        predicted_rows=int(mask.sum()),
        mae_points=round(mae, 4),
        table=table,
        best_gaps=best,
        calibration=calibration,
    )


def calibrate_table_events(profile: MemoryProfile, observations: Observations) -> list[dict[str, Any]]:
    """Observed against predicted recall of per-learner retrievals, grouped by delay."""
    return _table(profile, observations, None)


def _normal(value: Any) -> Any:
    """Compare CSV text and numbers alike: '7' == 7 == 7.0."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value).strip()
    return int(number) if math.isfinite(number) and number == int(number) else number


def _best_gaps(table: pd.DataFrame) -> list[dict[str, Any]]:
    """Per test delay with several gaps: the gap with the highest observed and predicted recall."""
    rows = []
    spaced = table.dropna(subset=["gap_days"])
    for delay, group in spaced.groupby("delay_days"):
        if group["gap_days"].nunique() < 2:
            continue
        gaps = group["gap_days"].to_numpy(dtype=float)
        rows.append(
            {
                "delay_days": float(delay),  # type: ignore[arg-type]
                "observed_best_gap_days": float(gaps[int(np.argmax(group["observed"].to_numpy()))]),
                "predicted_best_gap_days": float(gaps[int(np.argmax(group["predicted"].to_numpy()))]),
            }
        )
    return rows
