"""Curve fitting: recovery of known parameters, comparison, CSV validation, FSRS fitting."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from support.env import require_module
from workbench.errors import DataError, MissingDependencyError, UnknownNameError
from workbench.memory import (
    FSRS6,
    ForgettingCurveFit,
    FSRS6Parameters,
    compare_curves,
    fit_fsrs,
    load_recall_csv,
)

SEED = 7
FSRS_RS_INSTALL = "the fit extra: pip install 'workbench[fit]' (fsrs-rs-python)"
DAYS = np.array([0.5, 1, 2, 4, 7, 14, 30, 60, 120, 240])
#: Tolerance: |estimate - truth| <= Z * standard error. Under the asymptotic normality of
#: the MLE a 4-SE miss has two-sided probability 6e-5, so with the fixed seed this only
#: fails if the estimator or its standard error is wrong.
Z = 4.0


def _power(t: np.ndarray, s: float, decay: float) -> np.ndarray:
    return (1 + (0.9 ** (-1 / decay) - 1) * t / s) ** -decay


def _aggregated(p: np.ndarray, n: int, seed: int = SEED) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    k = rng.binomial(n, p)
    return pd.DataFrame({"elapsed_days": DAYS, "recall_rate": k / n, "n": n})


def test_power_fit_recovers_parameters_within_standard_errors() -> None:
    true_s, true_decay = 5.0, 0.3
    data = _aggregated(_power(DAYS, true_s, true_decay), n=2000)
    fit = ForgettingCurveFit("power").fit(data)
    assert fit is not None
    assert fit.converged_
    assert abs(fit.stability_ - true_s) <= Z * fit.stability_se_
    assert abs(fit.decay_ - true_decay) <= Z * fit.decay_se_
    # the standard errors are informative, not huge
    assert fit.stability_se_ < 0.1 * true_s
    assert fit.decay_se_ < 0.2 * true_decay
    assert fit.n_obs_ == 2000 * len(DAYS)
    assert 0.9 < fit.r2_ <= 1.0
    np.testing.assert_allclose(fit.predict(DAYS), _power(DAYS, fit.stability_, fit.decay_))


def test_exponential_fit_from_observation_rows() -> None:
    rng = np.random.default_rng(SEED)
    true_s = 20.0
    t = rng.choice(DAYS, size=6000)
    data = pd.DataFrame({"elapsed_days": t, "recalled": (rng.random(t.size) < np.exp(-t / true_s)).astype(int)})
    fit = ForgettingCurveFit(kind="exponential").fit(data)
    assert abs(fit.stability_ - true_s) <= Z * fit.stability_se_
    assert not hasattr(fit, "decay_")
    summary = fit.summary()
    assert summary.index.tolist() == ["stability_days"]
    assert summary.attrs["n_obs"] == 6000
    assert summary.attrs["kind"] == "exponential"
    assert summary.loc["stability_days", "std_error"] == pytest.approx(fit.stability_se_)


def test_fit_does_not_mutate_input_and_is_deterministic() -> None:
    data = _aggregated(_power(DAYS, 5.0, 0.3), n=300)
    before = data.copy()
    a = ForgettingCurveFit("power").fit(data)
    b = ForgettingCurveFit("power").fit(data)
    pd.testing.assert_frame_equal(data, before)
    assert (a.stability_, a.decay_, a.log_likelihood_) == (b.stability_, b.decay_, b.log_likelihood_)


def test_compare_curves_picks_the_generating_shape() -> None:
    power_data = _aggregated(_power(DAYS, 3.0, 0.2), n=1000)
    result = compare_curves(power_data)
    assert result.best == "power"
    assert result.delta_aic > 10
    assert "power fits better" in str(result)
    assert list(result.table.index) == ["power", "exponential"]
    exp_data = _aggregated(np.exp(-DAYS / 30.0), n=1000)
    assert compare_curves(exp_data).best == "exponential"


def test_estimator_conventions() -> None:
    fit = ForgettingCurveFit()
    assert fit.get_params() == {"kind": "power"}
    assert fit.set_params(kind="exponential") is fit
    with pytest.raises(UnknownNameError, match="power, exponential"):
        ForgettingCurveFit("weibull").fit(_aggregated(np.exp(-DAYS / 30.0), n=10))
    with pytest.raises(DataError, match="not fitted"):
        ForgettingCurveFit().predict([1.0])


def test_fit_rejects_bad_frames() -> None:
    with pytest.raises(DataError, match="missing column"):
        ForgettingCurveFit().fit(pd.DataFrame({"days": [1], "recalled": [1]}))
    with pytest.raises(DataError, match="column recalled"):
        ForgettingCurveFit().fit(pd.DataFrame({"elapsed_days": [1, 2], "recalled": [1, 2]}))


def test_plot_imports_matplotlib_lazily() -> None:
    import matplotlib

    matplotlib.use("Agg")
    fit = ForgettingCurveFit("power").fit(_aggregated(_power(DAYS, 5.0, 0.3), n=100))
    ax = fit.plot()
    assert ax.get_xlabel() == "elapsed days"


# ------------------------------------------------------------------------------ CSV


def _write(tmp_path: Path, text: str, name: str = "recall.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_load_recall_csv_both_layouts(tmp_path: Path) -> None:
    rows = load_recall_csv(_write(tmp_path, "learner,elapsed_days,recalled\na,1,1\nb,2.5,0\n\n"))
    assert rows["recalled"].tolist() == [1, 0]
    assert rows["learner"].tolist() == ["a", "b"]
    agg = load_recall_csv(_write(tmp_path, "elapsed_days,recall_rate,n\n1,0.9,10\n", "agg.csv"))
    assert agg["n"].dtype.kind == "i"
    assert ForgettingCurveFit("exponential").fit(agg).n_obs_ == 10


@pytest.mark.parametrize(
    ("text", "needles"),
    [
        ("", ["file is empty", "elapsed_days,recalled"]),
        ("   \n\n", ["file is empty"]),
        ("elapsed_days,recalled\n", ["no data rows"]),
        ("days,recalled\n1,1\n", ["line 1", "missing column(s) elapsed_days", "found: days, recalled"]),
        ("elapsed_days,recall_rate\n1,0.5\n", ["missing column(s) n"]),
        ("elapsed_days,recalled\n1,yes\n", ["line 2, column recalled", "'yes' is not a number"]),
        ("elapsed_days,recalled\n1,1\n2,2\n", ["line 3, column recalled", "must be 0 or 1"]),
        ("elapsed_days,recall_rate,n\n1,1.5,10\n", ["line 2, column recall_rate", "[0, 1]"]),
        ("elapsed_days,recalled\n-1,1\n", ["line 2, column elapsed_days", "negative"]),
        ("elapsed_days,recall_rate,n\n1,0.5,0\n", ["line 2, column n", ">= 1"]),
        ("elapsed_days,recalled\n1,1,3\n", ["line 2", "3 fields"]),
        (
            "elapsed_days,recalled\nx,1\n1,5\n",
            ["2 problem(s)", "line 2, column elapsed_days", "line 3, column recalled"],
        ),
    ],
)
def test_load_recall_csv_errors_name_file_line_column(tmp_path: Path, text: str, needles: list[str]) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(DataError) as info:
        load_recall_csv(path)
    message = str(info.value)
    assert str(path) in message
    for needle in needles:
        assert needle in message, message


def test_load_recall_csv_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="file not found"):
        load_recall_csv(tmp_path / "nope.csv")


# ------------------------------------------------------------------------------ FSRS


def _simulated_review_logs(n_cards: int = 200, seed: int = SEED) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    model = FSRS6()
    rows = []
    for card in range(n_cards):
        day = 0.0
        state = model.initial_state(np.array([3]))
        rows.append((card, 3, day))
        for _ in range(6):
            gap = float(max(1, round(model.interval_days(state, 0.9)[0] * rng.uniform(0.5, 2.0))))
            rating = 3 if rng.random() < model.retrievability(state, gap)[0] else 1
            state = model.review(state, np.array([gap]), np.array([rating]))
            day += gap
            rows.append((card, rating, day))
    return pd.DataFrame(rows, columns=["card_id", "rating", "review_day"])


def test_fit_fsrs_missing_dependency(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "fsrs_rs_python", None)
    with pytest.raises(MissingDependencyError, match=r"pip install 'workbench\[fit\]'"):
        fit_fsrs(_simulated_review_logs(2))


def test_fit_fsrs_returns_valid_parameters() -> None:
    require_module("fsrs_rs_python", FSRS_RS_INSTALL)
    logs = _simulated_review_logs()
    params = fit_fsrs(logs)
    assert isinstance(params, FSRS6Parameters)
    assert len(params.w) == 21
    # simulated from the defaults: the fitted initial Good stability stays near 2.3 days
    assert 1.0 < params.w[2] < 5.0
    stamped = logs.assign(
        review_datetime=pd.Timestamp("2024-01-01", tz="UTC") + pd.to_timedelta(logs["review_day"], unit="D")
    ).drop(columns="review_day")
    assert fit_fsrs(stamped) == params


def test_fit_fsrs_validates_logs() -> None:
    require_module("fsrs_rs_python", FSRS_RS_INSTALL)
    with pytest.raises(DataError, match="missing column"):
        fit_fsrs(pd.DataFrame({"card_id": [1], "rating": [3]}))
    with pytest.raises(DataError, match="rating"):
        fit_fsrs(pd.DataFrame({"card_id": [1, 1], "rating": [3, 7], "review_day": [0, 1]}))
    with pytest.raises(DataError, match="no card"):
        fit_fsrs(pd.DataFrame({"card_id": [1, 2], "rating": [3, 3], "review_day": [0, 1]}))
    naive = pd.DataFrame(
        {"card_id": [1, 1], "rating": [3, 3], "review_datetime": pd.to_datetime(["2024-01-01", "2024-01-03"])}
    )
    with pytest.raises(DataError, match="timezone-aware"):
        fit_fsrs(naive)
