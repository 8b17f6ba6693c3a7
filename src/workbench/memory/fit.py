"""Fit forgetting curves to observed recall, scikit-learn style, and FSRS-6 to review logs.

Two curve shapes, both with ``stability_`` in days:

* ``"power"`` (the FSRS-6 curve): ``p(t) = (1 + F t / S)^(-decay)`` with
  ``F = 0.9^(-1/decay) - 1``, so ``p(S) = 0.9``: ``stability_`` is the time to 90% recall
  and ``decay_`` the power-law exponent. As ``decay`` grows the curve tends to the
  exponential ``0.9^(t/S)``.
* ``"exponential"`` (Ebbinghaus): ``p(t) = exp(-t / S)``: ``stability_`` is the e-folding
  time, as in :class:`~workbench.memory.exponential.ExponentialModel`.

Parameters are maximum-likelihood estimates under a binomial model of the recall counts
(``scipy.optimize``); standard errors come from the inverse Fisher information at the
estimate. Data is a :class:`pandas.DataFrame` with either one row per observation
(``elapsed_days``, ``recalled`` in {0, 1}) or aggregated rows (``elapsed_days``,
``recall_rate``, ``n``); :func:`load_recall_csv` reads and validates such a CSV.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from workbench.errors import DataError, MissingDependencyError, UnknownNameError

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from workbench.memory.fsrs import FSRS6Parameters

__all__ = [
    "CURVE_KINDS",
    "CurveComparison",
    "ForgettingCurveFit",
    "compare_curves",
    "fit_fsrs",
    "load_recall_csv",
]

CURVE_KINDS: tuple[str, ...] = ("power", "exponential")
_OBSERVATION_COLUMNS = ("elapsed_days", "recalled")
_AGGREGATED_COLUMNS = ("elapsed_days", "recall_rate", "n")
_EXPECTED = (
    "expected columns elapsed_days,recalled (one row per observation) or elapsed_days,recall_rate,n (aggregated rows)"
)
_MAX_PROBLEMS = 20
_P_EPS = 1e-12


# --------------------------------------------------------------------------- curves


def _power(t: np.ndarray, stability: float, decay: float) -> np.ndarray:
    factor = 0.9 ** (-1.0 / decay) - 1.0
    # annotated: numpy's stubs type ufunc results as Any
    recall: np.ndarray = np.power(1.0 + factor * t / stability, -decay)
    return recall


def _exponential(t: np.ndarray, stability: float) -> np.ndarray:
    return np.exp(-t / stability)


def _curve(kind: str, t: np.ndarray, theta: np.ndarray) -> np.ndarray:
    if kind == "power":
        return _power(t, theta[0], theta[1])
    return _exponential(t, theta[0])


# ----------------------------------------------------------------------- validation


def _format_problems(head: str, problems: list[str]) -> str:
    shown = problems[:_MAX_PROBLEMS]
    more = len(problems) - len(shown)
    tail = f"\n  ... and {more} more" if more > 0 else ""
    return head + "\n" + "\n".join(f"  - {p}" for p in shown) + tail


def _detect_format(columns: list[str], source: str) -> tuple[str, ...]:
    if all(c in columns for c in _OBSERVATION_COLUMNS):
        return _OBSERVATION_COLUMNS
    if all(c in columns for c in _AGGREGATED_COLUMNS):
        return _AGGREGATED_COLUMNS
    if "recalled" in columns or "recall_rate" not in columns:
        missing = [c for c in _OBSERVATION_COLUMNS if c not in columns]
    else:
        missing = [c for c in _AGGREGATED_COLUMNS if c not in columns]
    raise DataError(
        f"{source}: missing column(s) {', '.join(missing)}; {_EXPECTED}; found: "
        f"{', '.join(columns) if columns else '(none)'}; fix: rename or add the columns"
    )


def _value_problem(column: str, value: float) -> str | None:
    """Why a parsed numeric value is invalid for its column, or None."""
    if not math.isfinite(value):
        return "is not a finite number"
    if column == "elapsed_days" and value < 0:
        return "is negative; elapsed days must be >= 0"
    if column == "recalled" and value not in (0.0, 1.0):
        return "must be 0 or 1"
    if column == "recall_rate" and not 0.0 <= value <= 1.0:
        return "must lie in [0, 1]"
    if column == "n" and (value < 1 or value != round(value)):
        return "must be a whole number >= 1"
    return None


def load_recall_csv(path: str | Path) -> pd.DataFrame:
    r"""Read and validate a recall CSV for :class:`ForgettingCurveFit`.

    Accepted layouts: one row per observation (``elapsed_days``, ``recalled``) or
    aggregated rows (``elapsed_days``, ``recall_rate``, ``n``); other columns are kept as
    text. Every problem found is reported at once.

    Parameters
    ----------
    path : str or Path
        The CSV file (UTF-8, header on line 1).

    Returns
    -------
    pandas.DataFrame
        Numeric columns as float (``recalled`` and ``n`` as int).

    Raises
    ------
    DataError
        Naming the file, line and column: empty file, missing columns, non-numeric
        values, ``recalled`` not 0/1, ``recall_rate`` outside [0, 1], negative
        ``elapsed_days``, ``n`` < 1.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "recall.csv"
    >>> _ = p.write_text("elapsed_days,recalled\n1,1\n7,0\n")
    >>> load_recall_csv(p)["recalled"].tolist()
    [1, 0]
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise DataError(f"{path}: file not found; fix: check the path") from None
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: not UTF-8 text ({exc}); fix: save the CSV as UTF-8") from None
    if not text.strip():
        raise DataError(f"{path}: file is empty; {_EXPECTED}; fix: add a header and data rows")
    reader = csv.reader(io.StringIO(text))
    header = [h.strip() for h in next(reader)]
    duplicates = sorted({h for h in header if header.count(h) > 1})
    if duplicates:
        raise DataError(f"{path}, line 1: duplicate column(s) {', '.join(duplicates)}; fix: keep one of each")
    numeric = _detect_format(header, f"{path}, line 1")
    index = {name: header.index(name) for name in header}
    problems: list[str] = []
    records: list[list[str]] = []
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append(f"line {line}: {len(row)} fields, the header has {len(header)}; fix: one value per column")
            continue
        for column in numeric:
            raw = row[index[column]].strip()
            try:
                value = float(raw)
            except ValueError:
                problems.append(f"line {line}, column {column}: {raw!r} is not a number; fix: write a plain number")
                continue
            why = _value_problem(column, value)
            if why:
                problems.append(f"line {line}, column {column}: {raw!r} {why}")
        records.append([cell.strip() for cell in row])
    if problems:
        raise DataError(_format_problems(f"{path}: {len(problems)} problem(s):", problems))
    if not records:
        raise DataError(f"{path}: no data rows after the header line; fix: add observations")
    frame = pd.DataFrame(records, columns=header)
    for column in numeric:
        frame[column] = frame[column].astype(float)
    for column in ("recalled", "n"):
        if column in numeric:
            frame[column] = frame[column].astype(np.int64)
    return frame


def _aggregate(data: pd.DataFrame, source: str = "data") -> pd.DataFrame:
    """Validate a frame and return unique elapsed_days with successes k and trials n."""
    if not isinstance(data, pd.DataFrame):
        raise DataError(
            f"{source} must be a pandas DataFrame, got {type(data).__name__}; fix: pass "
            "pd.DataFrame({'elapsed_days': ..., 'recalled': ...}) or use load_recall_csv"
        )
    columns = [str(c) for c in data.columns]
    numeric = _detect_format(columns, source)
    problems = []
    values = {}
    for column in numeric:
        as_number = pd.to_numeric(data[column], errors="coerce").to_numpy(dtype=float)
        for position, (label, raw, value) in enumerate(
            zip(data.index, data[column].to_numpy(), as_number, strict=True)
        ):
            why = "is not a number" if math.isnan(value) else _value_problem(column, value)
            if why:
                problems.append(f"row {label!r} (position {position}), column {column}: {raw!r} {why}")
        values[column] = as_number
    if problems:
        raise DataError(_format_problems(f"{source}: {len(problems)} problem(s):", problems))
    if len(data) == 0:
        raise DataError(f"{source}: no rows; fix: pass at least one observation")
    if numeric == _OBSERVATION_COLUMNS:
        k, n = values["recalled"], np.ones(len(data))
    else:
        n = values["n"]
        k = values["recall_rate"] * n
    grouped = (
        pd.DataFrame({"elapsed_days": values["elapsed_days"], "k": k, "n": n})
        .groupby("elapsed_days", as_index=False)
        .sum()
    )
    return grouped


# ------------------------------------------------------------------------ estimator


class ForgettingCurveFit:
    """Maximum-likelihood forgetting curve (power or exponential), scikit-learn style.

    Parameters
    ----------
    kind : {"power", "exponential"}
        Curve shape (see module notes).

    Attributes
    ----------
    stability_ : float
        Days to 90% recall (power) or e-folding time (exponential).
    stability_se_ : float
        Its standard error.
    decay_, decay_se_ : float
        Power-law exponent and its standard error (power only).
    log_likelihood_ : float
        Binomial log-likelihood at the estimate (without the constant binomial
        coefficients, which cancel in comparisons).
    aic_ : float
        ``2 k - 2 log_likelihood_`` with k the number of parameters.
    r2_ : float
        Trial-weighted R^2 of the recall rate per distinct ``elapsed_days``.
    n_obs_ : int
        Number of recall trials.

    Examples
    --------
    >>> import pandas as pd
    >>> data = pd.DataFrame({"elapsed_days": [1, 7, 30], "recall_rate": [0.9, 0.7, 0.5],
    ...                      "n": [100, 100, 100]})
    >>> fit = ForgettingCurveFit("exponential").fit(data)
    >>> round(fit.stability_, 1), fit.n_obs_
    (31.3, 300)
    >>> fit.predict([0.0]).tolist()
    [1.0]
    """

    def __init__(self, kind: str = "power") -> None:
        self.kind = kind

    # scikit-learn conventions
    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """Return the constructor parameters."""
        return {"kind": self.kind}

    def set_params(self, **params: Any) -> ForgettingCurveFit:
        """Set constructor parameters; returns self."""
        for key, value in params.items():
            if key != "kind":
                raise UnknownNameError(f"ForgettingCurveFit has no parameter {key!r}; known: kind")
            self.kind = value
        return self

    def __repr__(self) -> str:
        return f"ForgettingCurveFit(kind={self.kind!r})"

    def _check_kind(self) -> str:
        if self.kind not in CURVE_KINDS:
            raise UnknownNameError(
                f"ForgettingCurveFit.kind = {self.kind!r} is unknown; known kinds: "
                f"{', '.join(CURVE_KINDS)}; fix: use one of these"
            )
        return str(self.kind)

    def fit(self, data: pd.DataFrame) -> ForgettingCurveFit:
        """Estimate the curve from ``data``; returns self.

        Examples
        --------
        >>> import pandas as pd
        >>> d = pd.DataFrame({"elapsed_days": [1, 1, 5, 5], "recalled": [1, 1, 1, 0]})
        >>> ForgettingCurveFit("exponential").fit(d).n_obs_
        4
        """
        from scipy.optimize import minimize

        kind = self._check_kind()
        grouped = _aggregate(data)
        t = grouped["elapsed_days"].to_numpy(dtype=float)
        k = grouped["k"].to_numpy(dtype=float)
        n = grouped["n"].to_numpy(dtype=float)

        def nll(log_theta: np.ndarray) -> float:
            p = np.clip(_curve(kind, t, np.exp(log_theta)), _P_EPS, 1 - _P_EPS)
            return float(-(k * np.log(p) + (n - k) * np.log(1 - p)).sum())

        scale = max(float(np.average(t, weights=n)), 1.0)
        if kind == "power":
            starts = [np.log([scale * f, d]) for f in (0.1, 1.0, 10.0) for d in (0.2, 1.0, 5.0)]
            bounds = [(math.log(1e-6), math.log(1e7)), (math.log(1e-3), math.log(50.0))]
        else:
            starts = [np.log([scale * f]) for f in (0.1, 1.0, 10.0)]
            bounds = [(math.log(1e-6), math.log(1e7))]
        best = None
        for start in starts:
            result = minimize(nll, start, method="L-BFGS-B", bounds=bounds)
            if best is None or result.fun < best.fun:
                best = result
        assert best is not None
        theta = np.exp(best.x)
        p_hat = _curve(kind, t, theta)
        se = _standard_errors(kind, t, n, theta)

        self.stability_ = float(theta[0])
        self.stability_se_ = float(se[0])
        if kind == "power":
            self.decay_ = float(theta[1])
            self.decay_se_ = float(se[1])
        self.n_params_ = len(theta)
        self.log_likelihood_ = -float(best.fun)
        self.aic_ = 2 * self.n_params_ - 2 * self.log_likelihood_
        rate = k / n
        mean = np.average(rate, weights=n)
        ss_tot = float(np.sum(n * (rate - mean) ** 2))
        ss_res = float(np.sum(n * (rate - p_hat) ** 2))
        self.r2_ = 1 - ss_res / ss_tot if ss_tot > 0 else float("nan")
        self.n_obs_ = round(float(n.sum()))
        self.converged_ = bool(best.success)
        self.observed_ = grouped.assign(recall_rate=rate)
        return self

    def _check_fitted(self) -> None:
        if not hasattr(self, "stability_"):
            raise DataError(f"{self!r} is not fitted yet; fix: call .fit(data) before predict/summary/plot")

    def _theta(self) -> np.ndarray:
        if self.kind == "power":
            return np.array([self.stability_, self.decay_])
        return np.array([self.stability_])

    def predict(self, elapsed_days: Any) -> np.ndarray:
        """Predicted recall probability at ``elapsed_days``.

        Examples
        --------
        >>> import pandas as pd
        >>> d = pd.DataFrame({"elapsed_days": [2, 2], "recalled": [1, 0]})
        >>> fit = ForgettingCurveFit("exponential").fit(d)
        >>> fit.predict([2.0]).round(3).tolist()
        [0.5]
        """
        self._check_fitted()
        t = np.asarray(elapsed_days, dtype=float)
        if not np.all(np.isfinite(t)) or np.any(t < 0):
            raise DataError("predict: elapsed_days must be finite and >= 0; fix: check the input")
        return _curve(self.kind, t, self._theta())

    def summary(self) -> pd.DataFrame:
        """One row per parameter (estimate, standard error) plus fit statistics in ``attrs``.

        Examples
        --------
        >>> import pandas as pd
        >>> d = pd.DataFrame({"elapsed_days": [1, 10], "recall_rate": [0.9, 0.6], "n": [50, 50]})
        >>> ForgettingCurveFit("power").fit(d).summary().index.tolist()
        ['stability_days', 'decay']
        """
        self._check_fitted()
        rows = {"stability_days": (self.stability_, self.stability_se_)}
        if self.kind == "power":
            rows["decay"] = (self.decay_, self.decay_se_)
        table = pd.DataFrame.from_dict(rows, orient="index", columns=["estimate", "std_error"])
        table.attrs.update(
            kind=self.kind,
            log_likelihood=self.log_likelihood_,
            aic=self.aic_,
            r2=self.r2_,
            n_obs=self.n_obs_,
        )
        return table

    def plot(self, ax: Axes | None = None) -> Axes:
        """Observed recall rates (points) and the fitted curve; returns the axes.

        matplotlib is imported here only, never when workbench is imported.
        """
        self._check_fitted()
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots()
        observed = self.observed_
        ax.scatter(
            observed["elapsed_days"],
            observed["recall_rate"],
            s=10 + observed["n"],
            alpha=0.6,
            label="observed",
        )
        grid = np.linspace(0, float(observed["elapsed_days"].max()) * 1.1 + 1e-9, 200)
        ax.plot(grid, self.predict(grid), label=f"{self.kind} fit (S={self.stability_:.1f} d)")
        ax.set_xlabel("elapsed days")
        ax.set_ylabel("recall probability")
        ax.set_ylim(0, 1.02)
        ax.legend()
        return ax


def _standard_errors(kind: str, t: np.ndarray, n: np.ndarray, theta: np.ndarray) -> np.ndarray:
    """Inverse expected Fisher information of the binomial model, by central differences."""
    p = np.clip(_curve(kind, t, theta), _P_EPS, 1 - _P_EPS)
    grads = []
    for i in range(len(theta)):
        step = 1e-6 * theta[i]
        up, down = theta.copy(), theta.copy()
        up[i] += step
        down[i] -= step
        grads.append((_curve(kind, t, up) - _curve(kind, t, down)) / (2 * step))
    jac = np.stack(grads, axis=1)
    info = jac.T @ (jac * (n / (p * (1 - p)))[:, None])
    try:
        cov = np.linalg.inv(info)
    except np.linalg.LinAlgError:
        return np.full(len(theta), np.nan)
    # annotated: numpy's stubs type ufunc results as Any
    errors: np.ndarray = np.sqrt(np.clip(np.diag(cov), 0, None))
    return errors


@dataclass(frozen=True)
class CurveComparison:
    """Power and exponential fits of the same data, and which one fits better (by AIC).

    ``table`` has one row per kind (stability_days, decay, log_likelihood, aic, r2),
    sorted best first; ``best`` names the better kind; ``delta_aic`` is how much worse
    the other one is (>= 2 is usually read as meaningful, >= 10 as strong).
    """

    fits: dict[str, ForgettingCurveFit]
    table: pd.DataFrame = field(repr=False)
    best: str
    delta_aic: float

    def __str__(self) -> str:
        other = next(k for k in self.fits if k != self.best)
        return (
            f"{self.best} fits better than {other}: AIC {self.fits[self.best].aic_:.1f} vs "
            f"{self.fits[other].aic_:.1f} (delta {self.delta_aic:.1f})"
        )


def compare_curves(data: pd.DataFrame) -> CurveComparison:
    """Fit both curve kinds to ``data`` and say which fits better by AIC.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"elapsed_days": [1, 3, 10, 30, 90],
    ...                   "recall_rate": [0.8, 0.7, 0.6, 0.5, 0.4], "n": [200] * 5})
    >>> compare_curves(d).best
    'power'
    """
    fits = {kind: ForgettingCurveFit(kind).fit(data) for kind in CURVE_KINDS}
    table = pd.DataFrame(
        {
            kind: {
                "stability_days": fit.stability_,
                "decay": getattr(fit, "decay_", float("nan")),
                "log_likelihood": fit.log_likelihood_,
                "aic": fit.aic_,
                "r2": fit.r2_,
            }
            for kind, fit in fits.items()
        }
    ).T.sort_values("aic")
    best = str(table.index[0])
    delta = float(table["aic"].iloc[1] - table["aic"].iloc[0])
    return CurveComparison(fits=fits, table=table, best=best, delta_aic=delta)


# ------------------------------------------------------------------------ FSRS fit


def fit_fsrs(
    review_log_frame: pd.DataFrame,
    *,
    enable_short_term: bool = True,
) -> FSRS6Parameters:
    """Fit the 21 FSRS-6 weights to review logs with fsrs-rs-python (optional dependency).

    Parameters
    ----------
    review_log_frame : pandas.DataFrame
        One row per review: ``card_id``, ``rating`` (1..4) and either ``review_day``
        (days from any origin, e.g. the journey start) or ``review_datetime``
        (timezone-aware). Elapsed days between reviews are floored to whole days, as
        FSRS does; each card's first review is its first learning encounter.
    enable_short_term : bool
        Let the optimiser fit the same-day weights (w17..w19).

    Returns
    -------
    FSRS6Parameters

    Raises
    ------
    MissingDependencyError
        If fsrs-rs-python is not installed (``pip install 'workbench[fit]'``).
    DataError
        If columns are missing or values invalid, or no card has two reviews.

    Examples
    --------
    >>> import pandas as pd
    >>> logs = pd.DataFrame({"card_id": [1, 1, 1], "rating": [3, 3, 3],
    ...                      "review_day": [0, 2, 9]})
    >>> fit_fsrs(logs)  # doctest: +SKIP
    FSRS6Parameters(w=(...))
    """
    try:
        import fsrs_rs_python as fsrs_rs
    except ImportError:
        raise MissingDependencyError(
            "fit_fsrs needs the optional package fsrs-rs-python; fix: pip install 'workbench[fit]'"
        ) from None
    from workbench.memory.fsrs import FSRS6Parameters

    frame = _review_days(review_log_frame)
    items = []
    for _, card in frame.groupby("card_id", sort=False):
        card = card.sort_values("day", kind="stable")
        days = card["day"].to_numpy()
        ratings = card["rating"].to_numpy()
        deltas = np.concatenate([[0], np.floor(np.diff(days))]).astype(int)
        reviews = [fsrs_rs.FSRSReview(int(g), int(dt)) for g, dt in zip(ratings, deltas, strict=True)]
        for end in range(2, len(reviews) + 1):
            item = fsrs_rs.FSRSItem(reviews[:end])
            if item.long_term_review_cnt() > 0:
                items.append(item)
    if not items:
        raise DataError(
            "review_log_frame: no card has a review at least one day after its first; fix: pass longer review histories"
        )
    model = fsrs_rs.FSRS(list(FSRS6Parameters().w))
    weights = model.compute_parameters(items, enable_short_term=enable_short_term)
    return FSRS6Parameters.from_sequence(weights)


def _review_days(frame: pd.DataFrame) -> pd.DataFrame:
    source = "review_log_frame"
    if not isinstance(frame, pd.DataFrame):
        raise DataError(f"{source} must be a pandas DataFrame, got {type(frame).__name__}")
    columns = [str(c) for c in frame.columns]
    time_column = "review_day" if "review_day" in columns else "review_datetime"
    missing = [c for c in ("card_id", "rating", time_column) if c not in columns]
    if missing:
        raise DataError(
            f"{source}: missing column(s) {', '.join(missing)}; expected card_id, rating and "
            f"review_day (days) or review_datetime (timezone-aware); found: {', '.join(columns)}"
        )
    rating = pd.to_numeric(frame["rating"], errors="coerce")
    bad = ~rating.isin([1, 2, 3, 4])
    if bad.any():
        rows = list(frame.index[bad.to_numpy()][:10])
        raise DataError(f"{source}, column rating: rows {rows} are not 1..4; fix: use FSRS ratings")
    if time_column == "review_day":
        day = pd.to_numeric(frame["review_day"], errors="coerce")
    else:
        stamps = pd.to_datetime(frame["review_datetime"], errors="coerce")
        if getattr(stamps.dt, "tz", None) is None:
            raise DataError(
                f"{source}, column review_datetime: timestamps must be timezone-aware; fix: localise them (e.g. to UTC)"
            )
        origin = stamps.min()
        day = (stamps - origin).dt.total_seconds() / 86400.0
    if day.isna().any():
        rows = list(frame.index[day.isna().to_numpy()][:10])
        raise DataError(f"{source}, column {time_column}: rows {rows} are not valid times")
    return pd.DataFrame(
        {
            "card_id": frame["card_id"].to_numpy(),
            "rating": rating.astype(int).to_numpy(),
            "day": day.to_numpy(dtype=float),
        }
    )
