"""The shipped workplace profiles are the maximum-likelihood fits to the packaged published data.

Re-fitting takes minutes (``scripts/derive_workplace_profile.py``), so these tests check the
properties a re-fit would establish, in seconds: no small move of any fitted parameter raises the
likelihood of the packaged table (the shipped values are its maximum at the shipped learner
spread, to their 4 digits), the shipped spread is where its documented profile-likelihood
interval says (a few warm-started re-fits), the spacing-sensitive profile fits the data the
default cannot, and each profile names its data, script, citations and spread.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from workbench.calibrate import calibrate, default_fit, expected_recall, load_published, read_observations
from workbench.calibrate.likelihood import log_likelihood
from workbench.simulate import fittable_parameters, get_profile
from workbench.simulate.profiles import (
    WORKPLACE_FIT,
    WORKPLACE_SPACING_FIT,
    WORKPLACE_SPACING_SPREAD,
    WORKPLACE_SPACING_VALUES,
    WORKPLACE_SPREAD,
    WORKPLACE_VALUES,
    SpreadFit,
)

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = {
    "workplace": (WORKPLACE_FIT, WORKPLACE_VALUES),
    "workplace-spacing": (WORKPLACE_SPACING_FIT, WORKPLACE_SPACING_VALUES),
}
SPREADS = {"workplace": WORKPLACE_SPREAD, "workplace-spacing": WORKPLACE_SPACING_SPREAD}
DROP_95 = 1.920729  # chi2(1, 0.95) / 2: the log-likelihood drop at the ends of a 95% interval
# A move of 1% (of the value on the log scale, of the range otherwise) may gain at most 0.25
# log-likelihood units: a likelihood-ratio statistic of 0.5, far inside the 3.84 of a 95%
# interval, so the shipped values are statistically indistinguishable from the maximum. Not
# tighter: FSRS-6's likelihood jumps by 0.2 where a learner-rate node moves a 2-day review
# under one day of the learner's clock (the same-day rule); the fit sits at such a jump.
STEP = 0.01
LIKELIHOOD_TOLERANCE = 0.25


@pytest.fixture(scope="module")
def cepeda2008():  # type: ignore[no-untyped-def]
    return read_observations(load_published("cepeda2008"))


@pytest.mark.parametrize("name", list(SHIPPED))
def test_shipped_values_are_the_maximum_likelihood_on_the_packaged_table(name: str, cepeda2008) -> None:  # type: ignore[no-untyped-def]
    fit, values = SHIPPED[name]
    profile = get_profile(name)
    assert profile.values(fit) == pytest.approx(values)
    best = log_likelihood(profile, cepeda2008)
    specs = fittable_parameters(profile.model)
    for parameter in fit:
        spec = specs[parameter]
        value = profile.value(parameter)
        for direction in (-1.0, 1.0):
            moved = (
                value * math.exp(direction * STEP) if spec.log else value + direction * STEP * (spec.high - spec.low)
            )
            if not spec.low <= moved <= spec.high:
                continue  # on a bound: only the inward move exists
            other = log_likelihood(profile.with_values({parameter: moved}), cepeda2008)
            assert other <= best + LIKELIHOOD_TOLERANCE, f"{name}: moving {parameter} to {moved:.4g} fits better"


def _profile_log_likelihood(name: str, sigma: float, data) -> float:  # type: ignore[no-untyped-def]
    """Log-likelihood at learner spread ``sigma`` with the profile's other parameters re-fitted (warm start)."""
    fit, _ = SHIPPED[name]
    start = get_profile(name).with_values({"memory_sigma": sigma})
    return calibrate(data, profile=start, fit=fit, intervals="wald").log_likelihood


@pytest.mark.parametrize("name", list(SPREADS))
def test_shipped_spread_is_the_documented_end_of_its_profile_likelihood_interval(name: str, cepeda2008) -> None:  # type: ignore[no-untyped-def]
    spread = SPREADS[name]
    profile = get_profile(name)
    step = spread.grid_step
    top = _profile_log_likelihood(name, spread.estimate, cepeda2008)
    # the maximum is where documented: the profile falls one grid step either side (only upwards on 0)
    for neighbour in (spread.estimate - step, spread.estimate + step):
        if neighbour >= 0:
            assert _profile_log_likelihood(name, neighbour, cepeda2008) < top, f"{name}: spread {neighbour} fits better"
    # each interval end: the drop crosses 1.92 within one grid step of it (the ends are read off that grid)
    drops = {}
    for end, outward in ((spread.high, step), (spread.low, -step)):
        if end == 0 and spread.estimate == 0:
            continue  # the boundary: the interval starts at the estimate
        inner = top - _profile_log_likelihood(name, end - outward, cepeda2008)
        outer = top - _profile_log_likelihood(name, end + outward, cepeda2008)
        assert inner < DROP_95 < outer, f"{name}: interval end {end}"
        drops[end] = (inner, outer)
    # the shipped spread: the MLE, or the upper end when the MLE is on the boundary 0; at the
    # shipped values (the other parameters fitted there) the drop is what that rule says, up to the
    # linear interpolation of the grid: at most half the drop's change over one step either side
    assert profile.memory_sigma == spread.shipped
    shipped_drop = top - log_likelihood(profile, cepeda2008)
    if spread.estimate == 0:
        assert spread.shipped == spread.high
        inner, outer = drops[spread.high]
        assert abs(shipped_drop - DROP_95) <= (outer - inner) / 2
    else:
        assert spread.shipped == spread.estimate
        assert abs(shipped_drop) <= LIKELIHOOD_TOLERANCE


def test_spacing_profile_fits_what_the_default_cannot(cepeda2008) -> None:  # type: ignore[no-untyped-def]
    default, spacing = get_profile("workplace"), get_profile("workplace-spacing")
    # AIC difference far beyond the 2-per-parameter penalty (8 fitted parameters vs 5)
    aic = {p.name: 2 * k - 2 * log_likelihood(p, cepeda2008) for p, k in ((default, 8), (spacing, 5))}
    assert aic["workplace-spacing"] < aic["workplace"] - 100
    # the default's weak spot: recall a year after a spaced review (gaps >= 7 days)
    frame = cepeda2008.frame
    year = ((frame["delay_days"] >= 350) & (frame["history"].str.count(";") == 1)).to_numpy()
    gaps = frame["history"].str.extract(r";(\d+):")[0].astype(float).to_numpy()
    spaced_year = year & (gaps >= 7)
    observed = frame["recalled"].to_numpy()
    errors = {p.name: np.abs(expected_recall(p, cepeda2008) - observed)[spaced_year].mean() for p in (default, spacing)}
    assert errors["workplace-spacing"] < errors["workplace"] / 2


def test_both_profiles_keep_one_session_forgetting_in_the_published_range(cepeda2008) -> None:  # type: ignore[no-untyped-def]
    frame = cepeda2008.frame
    one_session = (frame["function"] == "forgetting").to_numpy()
    observed = frame["recalled"].to_numpy()[one_session]
    for name in SHIPPED:
        predicted = expected_recall(get_profile(name), cepeda2008)[one_session]
        # each profile is fitted to these rows; a stale or mis-set profile drifts far off them
        assert np.abs(predicted - observed).max() < 0.1, name


@pytest.mark.parametrize("name", list(SHIPPED))
def test_profile_names_its_data_script_and_citations(name: str) -> None:
    profile = get_profile(name)
    assert "cepeda2008_trivia.csv" in profile.source
    assert "scripts/derive_workplace_profile.py" in profile.source
    assert any("Cepeda" in c and "2008" in c for c in profile.citations)
    assert (ROOT / "scripts" / "derive_workplace_profile.py").is_file()
    docs = (ROOT / "docs" / "memory-profiles.md").read_text(encoding="utf-8")
    assert f"`{name}`" in docs
    # the spread names its data, estimate, interval and why, here and in the docs
    spread = SPREADS[name]
    assert spread.text() in profile.source
    assert "weakly" in spread.text()
    assert "sensitivity()" in spread.text()
    assert f"{spread.low:g}-{spread.high:g}" in docs
    assert f"**{spread.shipped:g}**" in docs


def test_flashcards_profile_takes_the_fitted_spread_of_the_same_model() -> None:
    flashcards, workplace = get_profile("flashcards"), get_profile("workplace")
    assert flashcards.model == workplace.model
    assert flashcards.memory_sigma == WORKPLACE_SPREAD.shipped
    assert WORKPLACE_SPREAD.text() in flashcards.source
    # a profile built without a spread gets the default profile's fitted one, not a bare literal
    bare = type(workplace)(name="mine", title="Mine", source="a test")
    assert bare.memory_sigma == workplace.memory_sigma
    assert isinstance(WORKPLACE_SPREAD, SpreadFit)


def test_calibrating_from_the_spacing_profile_fits_actr_parameters_by_default(cepeda2008) -> None:  # type: ignore[no-untyped-def]
    chosen = default_fit(cepeda2008, "actr")
    assert {"threshold", "decay_intercept", "decay_scale"} <= set(chosen)
    assert not {"s0_encode_days", "decay"} & set(chosen)
    assert default_fit(cepeda2008, "fsrs6")[:3] == ("s0_encode_days", "decay", "recall_gain_log")
