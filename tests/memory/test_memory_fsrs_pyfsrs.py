"""FSRS6 against py-fsrs 6.3.2 itself on random review histories (hypothesis and seeded)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from support.env import require_module
from workbench.memory import FSRS6, FSRS6Parameters
from workbench.memory.fsrs import FSRS6_LOWER_BOUNDS, FSRS6_UPPER_BOUNDS

fsrs = require_module("fsrs", "py-fsrs is a test dependency: pip install fsrs==6.3.2")

RTOL = 1e-6
START = datetime(2024, 1, 1, 9, 0, tzinfo=UTC)

# gaps between reviews: seconds-level steps, same-day hours, days, months
gap_seconds = st.one_of(
    st.integers(30, 3600),
    st.integers(3600, 86399),
    st.integers(86400, 86400 * 40),
    st.integers(86400 * 40, 86400 * 800),
)
histories = st.lists(st.tuples(st.integers(1, 4), gap_seconds), min_size=1, max_size=15)


def _check_against_pyfsrs(reviews: list[tuple[int, int]], weights: tuple[float, ...] | None = None) -> None:
    params = FSRS6Parameters() if weights is None else FSRS6Parameters(w=weights)
    scheduler = fsrs.Scheduler(parameters=params.w, enable_fuzzing=False)
    model = FSRS6(parameters=params, whole_days=True)
    card = fsrs.Card()
    now = START
    state = None
    last = now
    for position, (rating, gap) in enumerate(reviews):
        if position:
            now = now + timedelta(seconds=gap)
        elapsed = np.array([(now - last).total_seconds() / 86400.0])
        if state is not None:
            r_theirs = scheduler.get_card_retrievability(card, current_datetime=now)
            np.testing.assert_allclose(model.retrievability(state, elapsed), r_theirs, rtol=RTOL)
        card, _ = scheduler.review_card(card, fsrs.Rating(rating), review_datetime=now)
        g = np.array([rating])
        state = model.initial_state(g) if state is None else model.review(state, elapsed, g)
        where = f"review {position} of {reviews}"
        np.testing.assert_allclose(state.stability, card.stability, rtol=RTOL, err_msg=where)
        np.testing.assert_allclose(state.difficulty, card.difficulty, rtol=RTOL, err_msg=where)
        if card.state == fsrs.State.Review:
            assert model.interval_days(state, 0.9).tolist() == [(card.due - now).days], where
        last = now


@settings(max_examples=150, deadline=None)
@given(histories)
def test_matches_pyfsrs_on_random_histories(reviews: list[tuple[int, int]]) -> None:
    _check_against_pyfsrs(reviews)


@settings(max_examples=60, deadline=None)
@given(
    histories,
    st.tuples(*[st.floats(lo, hi) for lo, hi in zip(FSRS6_LOWER_BOUNDS, FSRS6_UPPER_BOUNDS, strict=True)]),
)
def test_matches_pyfsrs_with_random_parameters(reviews: list[tuple[int, int]], weights: tuple[float, ...]) -> None:
    _check_against_pyfsrs(reviews, weights)


def test_batch_replay_matches_pyfsrs_seeded() -> None:
    """300 seeded histories of up to 20 reviews: batch replay equals py-fsrs card by card."""
    rng = np.random.default_rng(20240601)
    n, k = 300, 20
    lengths = rng.integers(1, k + 1, size=n)
    ratings = rng.choice([1, 2, 3, 4], p=[0.15, 0.15, 0.55, 0.15], size=(n, k))
    ratings[np.arange(k)[None, :] >= lengths[:, None]] = 0
    gaps = np.where(rng.random((n, k)) < 0.3, rng.integers(60, 86400, (n, k)), rng.integers(86400, 86400 * 90, (n, k)))
    s, d = FSRS6().replay(ratings, np.floor(gaps / 86400.0))
    scheduler = fsrs.Scheduler(enable_fuzzing=False)
    for i in range(n):
        card, now = fsrs.Card(), START
        for j in range(lengths[i]):
            if j:
                now += timedelta(seconds=int(gaps[i, j]))
            card, _ = scheduler.review_card(card, fsrs.Rating(int(ratings[i, j])), review_datetime=now)
            assert s[i, j] == pytest.approx(card.stability, rel=RTOL), (i, j)
            assert d[i, j] == pytest.approx(card.difficulty, rel=RTOL), (i, j)
    assert np.isnan(s[ratings == 0]).all()
