"""Protocol properties of every memory model, the registry, and each model's own behaviour."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.errors import ParameterError, UnknownNameError
from workbench.memory import (
    FSRS6,
    MODEL_NAMES,
    ACTRModel,
    ACTRParameters,
    ExponentialModel,
    ExponentialParameters,
    FSRS6Parameters,
    FSRSState,
    HLRModel,
    HLRParameters,
    MemoryModel,
    MemoryState,
    get_model,
)

SEED = 12345


def _random_state(model: MemoryModel, rng: np.random.Generator, n: int = 64) -> MemoryState:
    """Return a state after a few random reviews."""
    state = model.initial_state(rng.integers(1, 5, n))
    for _ in range(3):
        state = model.review(state, rng.uniform(0, 30, n), rng.integers(1, 5, n))
    return state


@pytest.fixture(params=MODEL_NAMES)
def model(request: pytest.FixtureRequest) -> MemoryModel:
    return get_model(request.param)


# ----------------------------------------------------------------- protocol, all models


def test_registry_names_and_protocol(model: MemoryModel) -> None:
    assert MODEL_NAMES[0] == "fsrs6"
    assert isinstance(model, MemoryModel)
    assert model.name in MODEL_NAMES


def test_retrievability_in_unit_interval_and_non_increasing(model: MemoryModel) -> None:
    rng = np.random.default_rng(SEED)
    state = _random_state(model, rng)
    t = np.array([0.0, 0.01, 0.5, 1, 2, 5, 10, 30, 100, 365, 3650])
    r = np.stack([model.retrievability(state, ti) for ti in t])  # (times, cells)
    assert np.all((r >= 0) & (r <= 1))
    assert np.all(np.diff(r, axis=0) <= 1e-12)


def test_gain_one_is_plain_review(model: MemoryModel) -> None:
    rng = np.random.default_rng(SEED)
    state = _random_state(model, rng)
    t, g = rng.uniform(0, 20, state.shape), rng.integers(1, 5, state.shape)
    plain = model.review(state, t, g)
    full = model.review(state, t, g, gain=1.0)
    for name, value in plain.as_dict().items():
        np.testing.assert_array_equal(value, full.as_dict()[name])


def test_gain_zero_keeps_successful_state(model: MemoryModel) -> None:
    rng = np.random.default_rng(SEED)
    state = _random_state(model, rng)
    t, g = rng.uniform(0, 20, state.shape), rng.integers(2, 5, state.shape)
    after = model.review(state, t, g, gain=0.0)
    if isinstance(model, ACTRModel):
        # ACT-R: no trace is added, the recall curve just goes on from the old touch
        np.testing.assert_allclose(model.retrievability(after, 3.0), model.retrievability(state, t + 3.0), rtol=1e-12)
    else:
        np.testing.assert_array_equal(after.stability, state.stability)


def test_gain_moves_stability_monotonically(model: MemoryModel) -> None:
    rng = np.random.default_rng(SEED)
    state = _random_state(model, rng)
    t, g = rng.uniform(1, 20, state.shape), np.full(state.shape, 3)
    curve = [model.retrievability(model.review(state, t, g, gain=k), 10.0) for k in (0.0, 0.5, 1.0)]
    # a half touch lies between no touch and a full touch (ACT-R, whose curve is measured
    # from the new touch, is compared at the same later moment in the other tests)
    if not isinstance(model, ACTRModel):
        assert np.all(curve[0] <= curve[1] + 1e-12)
        assert np.all(curve[1] <= curve[2] + 1e-12)


def test_same_inputs_same_outputs_and_inputs_untouched(model: MemoryModel) -> None:
    rng = np.random.default_rng(SEED)
    state = _random_state(model, rng)
    t, g = rng.uniform(0, 20, state.shape), rng.integers(1, 5, state.shape)
    t_copy, g_copy = t.copy(), g.copy()
    snapshot = {k: v.copy() for k, v in state.as_dict().items()}
    a = model.review(state, t, g, gain=0.7)
    b = model.review(state, t, g, gain=0.7)
    for name in snapshot:
        np.testing.assert_array_equal(a.as_dict()[name], b.as_dict()[name])
        np.testing.assert_array_equal(state.as_dict()[name], snapshot[name])
    np.testing.assert_array_equal(t, t_copy)
    np.testing.assert_array_equal(g, g_copy)
    np.testing.assert_array_equal(model.interval_days(a, 0.9), model.interval_days(b, 0.9))


def test_states_are_read_only(model: MemoryModel) -> None:
    state = model.initial_state(np.array([3, 3]))
    with pytest.raises(ValueError, match="read-only"):
        state.stability[0] = 1.0


def test_select_updates_only_masked_cells(model: MemoryModel) -> None:
    rng = np.random.default_rng(SEED)
    state = _random_state(model, rng, n=6).select(np.ones(6, bool), _random_state(model, rng, n=6))
    new = model.review(state, np.full(6, 5.0), np.full(6, 3))
    mask = np.array([True, False, True, False, False, True])
    mixed = state.select(mask, new)
    np.testing.assert_array_equal(mixed.stability[mask], new.stability[mask])
    np.testing.assert_array_equal(mixed.stability[~mask], state.stability[~mask])


def test_grid_shapes_are_kept(model: MemoryModel) -> None:
    ratings = np.full((3, 4), 3)
    state = model.initial_state(ratings)
    assert state.shape == (3, 4)
    assert model.review(state, np.ones((3, 4)), ratings).shape == (3, 4)
    assert model.retrievability(state, 1.0).shape == (3, 4)
    assert model.interval_days(state, 0.9).shape == (3, 4)


def test_interval_hits_desired_retention(model: MemoryModel) -> None:
    rng = np.random.default_rng(SEED)
    state = _random_state(model, rng)
    for dr in (0.7, 0.9, 0.95):
        days = model.interval_days(state, dr)
        assert days.dtype.kind == "i"
        assert np.all(days >= 1)
        assert np.all(days <= 36500)
        exact = model.interval_days(state, dr, rounded=False)  # type: ignore[call-arg]
        inside = (exact > 1e-3) & (exact < 1e5)
        np.testing.assert_allclose(model.retrievability(state, exact)[inside], dr, rtol=1e-6)


@pytest.mark.parametrize(
    ("kwargs", "needle"),
    [
        ({"rating": [0, 5]}, "rating"),
        ({"elapsed_days": [-1.0, 1.0]}, "elapsed_days"),
        ({"elapsed_days": [np.nan, 1.0]}, "elapsed_days"),
        ({"gain": 1.5}, "gain"),
    ],
)
def test_invalid_review_inputs_are_named(model: MemoryModel, kwargs: dict, needle: str) -> None:
    state = model.initial_state(np.array([3, 3]))
    args = {"elapsed_days": np.array([1.0, 1.0]), "rating": np.array([3, 3]), "gain": 1.0}
    args.update(kwargs)
    with pytest.raises(ParameterError, match=needle):
        model.review(state, np.asarray(args["elapsed_days"]), np.asarray(args["rating"]), args["gain"])


def test_invalid_desired_retention(model: MemoryModel) -> None:
    with pytest.raises(ParameterError, match="desired_retention"):
        model.interval_days(model.initial_state(np.array([3])), 1.0)


# ------------------------------------------------------------------------- registry


def test_unknown_model_name_lists_known_names() -> None:
    with pytest.raises(UnknownNameError) as info:
        get_model("sm2")
    for name in MODEL_NAMES:
        assert name in str(info.value)


def test_get_model_passes_parameters() -> None:
    assert get_model("FSRS6", whole_days=True).whole_days  # type: ignore[attr-defined]
    w = list(FSRS6Parameters().w)
    w[20] = 0.5
    assert get_model("fsrs6", w=w).parameters.decay == 0.5  # type: ignore[attr-defined]
    assert get_model("hlr", theta_bias=0.0).parameters.theta_bias == 0.0  # type: ignore[attr-defined]
    params = ACTRParameters(max_traces=4)
    assert get_model("actr", parameters=params).parameters is params  # type: ignore[attr-defined]
    with pytest.raises(ParameterError, match="unknown keyword"):
        get_model("exponential", nonsense=1)
    with pytest.raises(ParameterError, match="not both"):
        get_model("hlr", parameters=HLRParameters(), theta_bias=1.0)


# ------------------------------------------------------------------- bounds checking


def test_fsrs_bounds_report_every_violation() -> None:
    w = list(FSRS6Parameters().w)
    w[0], w[7], w[20] = -1.0, 0.9, 5.0
    with pytest.raises(ParameterError) as info:
        FSRS6Parameters(w=tuple(w))
    message = str(info.value)
    assert "3 FSRS-6 weight(s)" in message
    for expected in ("w[0]", "-1.0", "[0.001, 100.0]", "w[7]", "[0.001, 0.75]", "w[20]", "[0.1, 0.8]"):
        assert expected in message
    assert "fix:" in message


def test_fsrs_parameter_count_and_types() -> None:
    with pytest.raises(ParameterError, match="21"):
        FSRS6Parameters(w=(0.1,) * 19)
    with pytest.raises(ParameterError, match="numbers"):
        FSRS6Parameters(w=("a",) * 21)  # type: ignore[arg-type]
    with pytest.raises(ParameterError, match="w\\[3\\]"):
        FSRS6Parameters(w=(*FSRS6Parameters().w[:3], float("nan"), *FSRS6Parameters().w[4:]))


@pytest.mark.parametrize(
    ("factory", "names"),
    [
        (
            lambda: ExponentialParameters(lapse_factor=2.0, growth=(-1.0, 1.0, 1.0)),
            ["lapse_factor", "growth[0]"],
        ),
        (
            lambda: HLRParameters(theta_bias=99.0, min_half_life_days=0.0),
            ["theta_bias", "min_half_life_days"],
        ),
        (
            lambda: ACTRParameters(noise=0.0, decay_intercept=-1.0, max_traces=0),
            ["noise", "decay_intercept", "max_traces"],
        ),
    ],
)
def test_alternative_bounds_report_every_violation(factory, names: list[str]) -> None:
    with pytest.raises(ParameterError) as info:
        factory()
    message = str(info.value)
    assert f"{len(names)} " in message
    for name in names:
        assert name in message
    assert "fix:" in message


# ------------------------------------------------------------------ model specifics


def test_fsrs_gain_interpolates_exactly() -> None:
    model = FSRS6()
    state = model.initial_state(np.array([3, 3, 3]))
    full = model.review(state, np.full(3, 5.0), np.array([3, 3, 1]))
    half = model.review(state, np.full(3, 5.0), np.array([3, 3, 1]), gain=0.5)
    np.testing.assert_allclose(half.stability[:2], 0.5 * (state.stability[:2] + full.stability[:2]))
    assert half.stability[2] == full.stability[2]  # lapses ignore gain


def test_fsrs_whole_days_floors_elapsed_time() -> None:
    state = FSRS6().initial_state(np.array([3]))
    assert FSRS6(whole_days=True).retrievability(state, 0.99).tolist() == [1.0]
    assert FSRS6().retrievability(state, 0.99)[0] < 1.0
    same_day = FSRS6(whole_days=True).review(state, np.array([0.9]), np.array([3]))
    np.testing.assert_array_equal(same_day.stability, FSRS6().review(state, np.array([0.0]), np.array([3])).stability)


def test_fsrs_state_requires_matching_shapes() -> None:
    with pytest.raises(ParameterError, match="difficulty"):
        FSRSState(stability=np.ones(3), difficulty=np.ones(2))
    with pytest.raises(ParameterError, match="FSRSState"):
        FSRS6().review(MemoryState(stability=[1.0]), np.array([1.0]), np.array([3]))


def test_exponential_spacing_effect_and_lapse() -> None:
    model = ExponentialModel()
    state = model.initial_state(np.array([3, 3, 3]))
    after = model.review(state, np.array([0.0, 2.5, 2.5]), np.array([3, 3, 1]))
    assert after.stability[0] == pytest.approx(state.stability[0])  # massed: nothing gained
    assert after.stability[1] > 2 * state.stability[1]
    assert after.stability[2] == pytest.approx(state.stability[2] * ExponentialParameters().lapse_factor)
    np.testing.assert_allclose(model.retrievability(after, after.stability), np.exp(-1.0))


def test_hlr_counts_and_half_life() -> None:
    model = HLRModel()
    state = model.initial_state(np.array([3, 1]))
    assert state.n_right.tolist() == [1.0, 0.0]
    np.testing.assert_allclose(model.retrievability(state, state.stability), 0.5)
    state = model.review(state, np.array([2.0, 2.0]), np.array([4, 1]))
    assert state.n_right.tolist() == [2.0, 0.0]
    assert state.n_wrong.tolist() == [0.0, 2.0]
    more = model.review(state, np.array([2.0, 2.0]), np.array([3, 3]))
    assert np.all(more.stability > state.stability)
    half = model.review(state, np.array([2.0, 2.0]), np.array([3, 3]), gain=0.5)
    assert half.n_right.tolist() == [2.5, 0.5]
    huge = model.half_life_days(np.array(1e6), np.array(0.0))
    assert float(huge) == HLRParameters().max_half_life_days


def test_actr_spacing_effect_and_trace_window() -> None:
    model = ACTRModel(parameters=ACTRParameters(max_traces=3))
    state = model.initial_state(np.array([3, 3]))
    # two study events, massed (1 minute apart) vs spaced (1 day apart); test a week later
    after = model.review(state, np.array([1 / 1440, 1.0]), np.array([3, 3]))
    r_week = model.retrievability(after, np.array([7.0, 7.0 - 1.0 + 1 / 1440]))
    assert r_week[1] > r_week[0]
    # decays: massed practice lays down a faster-decaying trace
    assert after.trace_decay[0, -1] > after.trace_decay[1, -1]
    for _ in range(5):
        after = model.review(after, np.ones(2), np.full(2, 3))
    assert after.trace_age_days.shape == (2, 3)
    assert not np.isnan(after.trace_age_days).any()
    np.testing.assert_allclose(model.retrievability(after, after.stability), 0.5, rtol=1e-6)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.integers(1, 4), st.floats(0, 400)), min_size=1, max_size=12),
    st.sampled_from(MODEL_NAMES),
)
def test_any_history_gives_valid_probabilities(history: list[tuple[int, float]], name: str) -> None:
    model = get_model(name)
    state = model.initial_state(np.array([history[0][0]]))
    for rating, elapsed in history[1:]:
        state = model.review(state, np.array([elapsed]), np.array([rating]))
    assert np.all(np.isfinite(state.stability))
    assert np.all(state.stability >= 0)
    r = model.retrievability(state, np.array([0.0, 1.0, 30.0, 3000.0]).reshape(4, 1))
    assert np.all((r >= 0) & (r <= 1))
    assert np.all(np.diff(r, axis=0) <= 1e-12)


def test_importing_memory_does_not_import_matplotlib() -> None:
    code = (
        "import sys, workbench.memory; "
        "bad = [m for m in ('matplotlib', 'matplotlib.pyplot', 'ipywidgets', 'fsrs_rs_python') "
        "if m in sys.modules]; print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_replay_padding_anywhere_and_one_history() -> None:
    from workbench.memory import replay

    model = FSRS6()
    ratings = np.array([[0, 3, 0, 3], [3, 3, 0, 0], [0, 0, 0, 0]])
    elapsed = np.array([[9.0, 9.0, 9.0, 2.0], [0.0, 2.0, 5.0, 5.0], [1.0, 1.0, 1.0, 1.0]])
    s, d = replay(ratings, elapsed)
    expected = model.review(model.initial_state(np.array([3])), np.array([2.0]), np.array([3]))
    assert s[0, 3] == pytest.approx(expected.stability[0]) == pytest.approx(s[1, 1])
    assert np.isnan(s[0, [0, 2]]).all()
    assert np.isnan(s[2]).all()
    assert np.isnan(d[1, 2:]).all()
    final_s, _ = replay(ratings, elapsed, final_only=True)
    assert final_s[0] == s[0, 3]
    assert final_s[1] == s[1, 1]
    assert np.isnan(final_s[2])
    one_s, _ = replay(ratings[1], elapsed[1])
    np.testing.assert_array_equal(one_s, s[1])
    assert ratings.tolist() == [[0, 3, 0, 3], [3, 3, 0, 0], [0, 0, 0, 0]]  # inputs untouched


def test_replay_rejects_bad_input() -> None:
    from workbench.memory import replay

    with pytest.raises(ParameterError, match="same shape"):
        replay(np.ones((2, 3), int), np.ones((2, 2)))
    with pytest.raises(ParameterError, match="elapsed_days"):
        replay(np.array([[3, 3]]), np.array([[0.0, -1.0]]))
    with pytest.raises(ParameterError, match="rating"):
        replay(np.array([[3, 5]]), np.array([[0.0, 1.0]]))
    # padding positions may hold anything
    replay(np.array([[3, 0]]), np.array([[0.0, np.nan]]))


def test_fsrs_recall_of_a_single_cell_works_with_scalars() -> None:
    from workbench.memory import FSRS6

    model = FSRS6()
    state = model.initial_state(np.array(3))
    assert float(model.retrievability(state, 2.3065)) == pytest.approx(0.9)


def test_actr_cell_values_do_not_depend_on_the_cells_computed_with_them() -> None:
    # The simulator asks ACT-R about the cells a touch reaches, the reference about all cells:
    # a cell must give the same doubles either way. Its traces are summed slot by slot in a
    # fixed order, so empty leading slots (kept for a cell with more traces) change nothing.
    model = ACTRModel()
    rng = np.random.default_rng(3)
    state = model.initial_state(np.full(40, 3))
    for _ in range(14):  # up to 15 traces each; some cells skip reviews, so counts differ
        reviewed = model.review(state, rng.uniform(0.5, 9.0, 40), rng.choice([1, 3], 40))
        state = state.select(rng.random(40) < 0.8, reviewed)
    counts = np.count_nonzero(~np.isnan(state.trace_age_days), axis=-1)
    # more than 8 traces, in different numbers: numpy's pairwise sums would group these differently
    assert counts.min() >= 9
    assert counts.max() > counts.min()
    fewest = np.flatnonzero(counts == counts.min())
    alone = type(state)(**{name: array[fewest] for name, array in state.as_dict().items()})
    elapsed = np.full(40, 3.5)
    assert np.array_equal(model.retrievability(alone, elapsed[fewest]), model.retrievability(state, elapsed)[fewest])
    interval = model.interval_days(state, 0.8, rounded=False)[fewest]
    assert np.array_equal(model.interval_days(alone, 0.8, rounded=False), interval)
    after = model.review(state, elapsed, 3)
    assert np.array_equal(model.review(alone, elapsed[fewest], 3).stability, after.stability[fewest])
