"""The alternative memory models against their published sources and published forgetting data.

Nothing here compares a model with its own earlier output: the reference values are the
published parameters evaluated in the published equations (written out independently below),
and the published recall after one study session.

The one-session band
--------------------
Cepeda, Coburn, Rohrer, Wixted, Mozer & Pashler (2009), *Experimental Psychology* 56(4),
236-246: in each experiment learners studied the material once (to criterion, with feedback)
and were tested at the start of a second session after a gap; that "forgetting function" is
recall after one study session. Percent correct, read from the paper's Figures 3 and 4 as
tabulated in popov-lab/optimal-spacing-memory ``data/cepeda_spacing_recall.csv`` (about
+/-0.2 points of extraction error, +/-0.5 at Experiment 1's 2-day point):

* Experiment 1, Swahili-English word pairs: 83.9 (1 d), 68.9 (2 d), 52.3 (4 d), 43.9 (7 d),
  28.3 (14 d);
* Experiment 2a, obscure facts: 92 (1 d), 79 (7 d), 48 (28 d), 28 (84 d), 22 (168 d);
* Experiment 2b, names of obscure objects: 84 (1 d), 57 (7 d), 25 (28 d), 9 (84 d), 6 (168 d).

The band at a delay is the range across materials measured at that delay; delays measured in
one experiment only (2, 4, 14 days) are not used as a band. The band is the spread of real
materials, far wider than each point's sampling error, so it is used as it is.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from scipy.optimize import brentq

from workbench.memory import (
    FSRS6,
    ACTRModel,
    ACTRParameters,
    ExponentialParameters,
    FSRS6Parameters,
    FSRSState,
    HLRModel,
    HLRParameters,
    get_model,
)

GOOD = 3

#: Cepeda et al. (2009) recall (proportion) after one study session, by material and delay.
CEPEDA_2009_ONE_SESSION: dict[str, dict[int, float]] = {
    "Exp. 1 Swahili-English word pairs": {1: 0.839, 2: 0.689, 4: 0.523, 7: 0.439, 14: 0.283},
    "Exp. 2a obscure facts": {1: 0.92, 7: 0.79, 28: 0.48, 84: 0.28, 168: 0.22},
    "Exp. 2b object names": {1: 0.84, 7: 0.57, 28: 0.25, 84: 0.09, 168: 0.06},
}


def _band() -> dict[int, tuple[float, float]]:
    """(lowest, highest) recall across materials at each delay measured in two or more."""
    by_day: dict[int, list[float]] = {}
    for curve in CEPEDA_2009_ONE_SESSION.values():
        for day, recall in curve.items():
            by_day.setdefault(day, []).append(recall)
    return {day: (min(v), max(v)) for day, v in sorted(by_day.items()) if len(v) >= 2}


BAND = _band()


def test_band_is_what_the_docs_state() -> None:
    # docs/memory-models.md and the model docstrings quote these ranges
    assert BAND == {1: (0.839, 0.92), 7: (0.439, 0.79), 28: (0.25, 0.48), 84: (0.09, 0.28), 168: (0.06, 0.22)}


def _one_session(name: str) -> dict[int, float]:
    model = get_model(name)
    state = model.initial_state(np.array([GOOD]))
    return {day: float(model.retrievability(state, float(day))[0]) for day in BAND}


# --------------------------------------------------------------- recall after one session


def test_actr_one_session_curve_lies_in_the_band_at_every_delay() -> None:
    for day, recall in _one_session("actr").items():
        low, high = BAND[day]
        assert low <= recall <= high, f"ACT-R day {day}: {recall:.3f} outside {BAND[day]}"


@pytest.mark.parametrize("name", ["exponential", "hlr"])
def test_exponential_family_one_session_curve_where_its_form_allows(name: str) -> None:
    """A single exponential through p(0) = 1 cannot follow the whole band (docstrings say so).

    Inside at 28 and 84 days (the planning horizons workbench reports), a few points high
    early, below the band after about three months: exactly what the docs state.
    """
    recall = _one_session(name)
    for day in (28, 84):
        low, high = BAND[day]
        assert low <= recall[day] <= high, f"{name} day {day}: {recall[day]:.3f} outside {BAND[day]}"
    assert 0 < recall[1] - BAND[1][1] < 0.06  # "about 5 points high at day 1"
    assert 0 < recall[7] - BAND[7][1] < 0.05  # "4 points too high at day 7"
    assert recall[168] < BAND[168][0]  # "below the band after about 3 months"


def test_no_exponential_fits_the_whole_band() -> None:
    """Why the exponential family is anchored at 28 and 84 days: no e-folding time fits all."""
    feasible = []
    for day, (low, high) in BAND.items():
        feasible.append((day / -math.log(low), day / -math.log(high)))  # S range at that day
    lows, highs = zip(*feasible, strict=True)
    assert max(lows) > min(highs)  # empty intersection
    s_28, s_84 = feasible[list(BAND).index(28)], feasible[list(BAND).index(84)]
    window = (max(s_28[0], s_84[0]), min(s_28[1], s_84[1]))
    assert window == pytest.approx((34.9, 38.1), abs=0.05)
    assert ExponentialParameters().initial_stability_days[GOOD - 1] == pytest.approx(
        math.sqrt(window[0] * window[1]), abs=0.05
    )
    half_life = HLRModel().half_life_days(np.array(1.0), np.array(0.0))
    assert float(half_life) == pytest.approx(36.5 * math.log(2), rel=1e-3)


# ------------------------------------------------------------------------ ACT-R, source


def _pavlik_anderson_recall(
    touch_days: list[float], test_day: float, a: float, c: float, tau: float, s: float, h: float, beta: float
) -> float:
    """Pavlik & Anderson (2005) written out per trace, as the srs-benchmark ACT-R does it.

    ``m = beta + ln(sum_j max(h * 86400 * (t - t_j), 1)^-d_j)``, ``d_j = c e^(m_(j-1)) + a``
    (``m`` just before touch j; the first trace decays at ``a``), ``p = 1/(1 + e^((tau-m)/s))``.
    """
    decays: list[float] = []
    for j, day in enumerate(touch_days):
        if j == 0:
            decays.append(a)
            continue
        m = beta + math.log(
            sum(max(h * 86400 * (day - t), 1.0) ** -d for t, d in zip(touch_days, decays, strict=False))
        )
        decays.append(c * math.exp(m) + a)
    m = beta + math.log(
        sum(max(h * 86400 * (test_day - t), 1.0) ** -d for t, d in zip(touch_days, decays, strict=True))
    )
    return 1.0 / (1.0 + math.exp((tau - m) / s))


PAVLIK_ANDERSON_2005 = {"a": 0.177, "c": 0.217, "tau": -0.704, "s": 0.255, "h": 0.025}


def test_actr_defaults_are_the_published_parameters() -> None:
    p = ACTRParameters()
    assert (p.decay_intercept, p.decay_scale, p.threshold, p.noise) == (0.177, 0.217, -0.704, 0.255)
    assert p.seconds_per_day == pytest.approx(86400 * 0.025)


def test_actr_one_word_pair_trial_gives_the_published_day_one_recall() -> None:
    """With the published parameters alone (beta = 0) one presentation leaves ~7% after a day.

    Closed form for one trace: m = -a ln(0.025 * 86400), p = 1/(1 + e^((tau - m)/s)).
    This is the number the issue reported; the base-level constant is what lifts it.
    """
    a, tau, s = 0.177, -0.704, 0.255
    expected = 1 / (1 + math.exp((tau + a * math.log(0.025 * 86400)) / s))
    assert expected == pytest.approx(0.0716, abs=5e-4)
    model = ACTRModel(parameters=ACTRParameters(base_level_constant=0.0))
    recall = model.retrievability(model.initial_state(np.array([GOOD])), 1.0)
    assert float(recall[0]) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("beta", [0.0, 1.14])
@pytest.mark.parametrize(
    "touch_days",
    [[0.0, 1.0], [0.0, 0.001, 7.0], [0.0, 1.0, 3.0, 10.0, 30.0], [0.0, 2.0, 2.0005, 2.001, 40.0]],
)
def test_actr_matches_the_published_equations_over_histories(touch_days: list[float], beta: float) -> None:
    model = ACTRModel(parameters=ACTRParameters(base_level_constant=beta))
    state = model.initial_state(np.array([GOOD]))
    for previous, day in itertools.pairwise(touch_days):
        state = model.review(state, np.array([day - previous]), np.array([GOOD]))
    for delay in (0.5, 3.0, 60.0):
        expected = _pavlik_anderson_recall(touch_days, touch_days[-1] + delay, beta=beta, **PAVLIK_ANDERSON_2005)
        assert float(model.retrievability(state, delay)[0]) == pytest.approx(expected, rel=1e-10)


def test_actr_base_level_constant_is_the_centre_of_the_band_window() -> None:
    """The docstring's 1.08-1.20 window: every beta inside keeps one session in the band."""
    window = []
    for beta in np.arange(0.90, 1.40, 0.001):
        model = ACTRModel(parameters=ACTRParameters(base_level_constant=float(beta)))
        state = model.initial_state(np.array([GOOD]))
        if all(low <= model.retrievability(state, float(d))[0] <= high for d, (low, high) in BAND.items()):
            window.append(float(beta))
    assert window[0] == pytest.approx(1.076, abs=0.002)
    assert window[-1] == pytest.approx(1.197, abs=0.002)
    assert ACTRParameters().base_level_constant == pytest.approx(0.5 * (window[0] + window[-1]), abs=0.005)


def test_actr_half_life_and_intervals_solve_the_published_equations() -> None:
    """The root finder against scipy's brentq on the equations written out above."""
    rng = np.random.default_rng(7)
    histories = [np.concatenate([[0.0], np.cumsum(rng.choice([1e-3, 0.5, 3.0, 20.0], size=k))]) for k in range(0, 9)]
    model = ACTRModel()
    for history in histories:
        state = model.initial_state(np.array([GOOD]))
        for previous, day in itertools.pairwise(history):
            state = model.review(state, np.array([day - previous]), np.array([GOOD]))
        for target in (0.5, 0.8, 0.95):

            def excess(delay: float, target: float = target, history: np.ndarray = history) -> float:
                return (
                    _pavlik_anderson_recall(list(history), history[-1] + delay, beta=1.14, **PAVLIK_ANDERSON_2005)
                    - target
                )

            expected = brentq(excess, 1e-9, 1e6, xtol=1e-12, rtol=1e-13)
            found = model.interval_days(state, target, rounded=False)[0]
            assert found == pytest.approx(expected, rel=1e-8)
        assert state.stability[0] == pytest.approx(model.interval_days(state, 0.5, rounded=False)[0], rel=1e-12)


# -------------------------------------------------------------------------- HLR, source


def test_hlr_reference_implementation_constants_and_curve() -> None:
    """Settles & Meeder's reference implementation: p = 2^(-t/h), h clipped to [15 min, 274 d]."""
    p = HLRParameters()
    assert p.min_half_life_days == 15.0 / (24 * 60)
    assert p.max_half_life_days == 274.0
    model = HLRModel()
    assert float(model.half_life_days(np.array(0.0), np.array(1000.0))) == p.min_half_life_days
    state = model.initial_state(np.array([GOOD]))
    h = float(state.stability[0])
    for t in (1.0, 7.0, 28.0):
        assert float(model.retrievability(state, t)[0]) == pytest.approx(2.0 ** (-t / h), rel=1e-12)


def test_hlr_count_weights_are_srs_benchmarks_and_its_bias_gives_its_half_life() -> None:
    """Check the srs-benchmark weights (models/hlr.py) and the half-life its bias gives.

    w = [2.5819, -0.8674, 2.7245] on sqrt(successes), sqrt(failures), bias. With its own bias
    one correct encounter has a ~40-day half-life (the docstring's "40-day"), which is why the
    default bias is re-anchored.
    """
    right, wrong, bias = 2.5819, -0.8674, 2.7245
    p = HLRParameters()
    assert (p.theta_right, p.theta_wrong) == (right, wrong)
    anki = HLRModel(parameters=HLRParameters(theta_bias=bias))
    for n_right, n_wrong in [(1, 0), (2, 1), (4, 0), (0, 3)]:
        expected = 2.0 ** (right * math.sqrt(n_right) + wrong * math.sqrt(n_wrong) + bias)
        expected = min(max(expected, 15.0 / 1440), 274.0)
        assert float(anki.half_life_days(np.array(float(n_right)), np.array(float(n_wrong)))) == pytest.approx(expected)
    assert float(anki.half_life_days(np.array(1.0), np.array(0.0))) == pytest.approx(39.6, abs=0.05)


# ------------------------------------------------------------------ exponential, source

#: FSRS-6 default weights as published by py-fsrs 6.x (the source of the exponential's ratios).
PY_FSRS_6_DEFAULT_WEIGHTS = (
    0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796,
    1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542,
)  # fmt: skip


def test_exponential_ratios_come_from_fsrs6_default_weights() -> None:
    p = ExponentialParameters()
    w = PY_FSRS_6_DEFAULT_WEIGHTS
    s_good = p.initial_stability_days[GOOD - 1]
    for g in range(4):
        assert p.initial_stability_days[g] == pytest.approx(s_good * w[g] / w[2], abs=0.01)
    fsrs = FSRS6(parameters=FSRS6Parameters(w=w))
    difficulty = fsrs.initial_state(np.array([GOOD])).difficulty[0]
    state = FSRSState(stability=np.full(4, s_good), difficulty=np.full(4, difficulty))
    assert fsrs.retrievability(state, s_good)[0] == pytest.approx(0.9)
    ratio = fsrs.review(state, np.full(4, s_good), np.array([1, 2, 3, 4])).stability / s_good
    # at p = 0.9 the exponential multiplies stability by 1 + 0.1 b
    assert np.allclose(1 + 0.1 * np.array(p.growth), ratio[1:], rtol=1e-3)
    assert p.lapse_factor == pytest.approx(ratio[0], rel=1e-3)


# ------------------------------------------------------------------ assumptions wiring


@pytest.mark.parametrize("name", ["exponential", "hlr", "actr"])
def test_models_say_where_their_numbers_come_from(name: str) -> None:
    notes = get_model(name).assumptions()  # type: ignore[attr-defined]
    assert "Cepeda et al." in notes["source"]
    assert "2009" in notes["source"]
    assert notes["limits"]
    if name != "exponential":  # published parameters fitted to another task are named as such
        assert "another task" in notes["source"]
    custom = {"exponential": {"lapse_factor": 0.5}, "hlr": {"theta_bias": 0.0}, "actr": {"noise": 0.3}}[name]
    assert get_model(name, **custom).assumptions()["source"].startswith("custom parameters")  # type: ignore[attr-defined]


def test_simulation_result_records_the_model_assumptions() -> None:
    from workbench.simulate import LearnerPopulation, simulate
    from workbench.templates import load_template

    journey = load_template("safety_reminders")
    result = simulate(journey, population=LearnerPopulation(size=20), model="hlr", rng=1)
    assert result.assumptions["model_assumptions"] == HLRModel().assumptions()


def test_strategy_review_lists_the_model_source() -> None:
    from workbench.report import review_journey
    from workbench.simulate import LearnerPopulation
    from workbench.templates import load_template

    review = review_journey(
        load_template("safety_reminders"), ["none"], population=LearnerPopulation(size=20), model="actr", frontier=False
    )
    rows = dict(review.assumptions()["Forgetting model (actr)"])
    assert rows["source"] == ACTRModel().assumptions()["source"]
    assert rows["limits"] == ACTRModel().assumptions()["limits"]
