"""FSRS-6 equals py-fsrs 6.3.2 on the shared reference vectors (S, D, R to 1e-6, intervals exactly)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from workbench.memory import FSRS6, FSRS6Parameters, FSRSState, replay
from workbench.memory import fsrs as F

RTOL = 1e-6
N_HISTORIES = 200


def _history_arrays(history: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    reviews = history["reviews"]
    ratings = np.array([r["rating"] for r in reviews])
    elapsed = np.array([r["elapsed_days"] or 0 for r in reviews], dtype=float)
    return ratings, elapsed


def test_meta_matches_our_defaults(fsrs_vectors: dict[str, Any]) -> None:
    meta = fsrs_vectors["meta"]
    assert meta["py_fsrs_version"] == "6.3.2"
    assert tuple(meta["parameters"]) == FSRS6Parameters().w
    assert meta["maximum_interval_days"] == FSRS6().maximum_interval_days
    assert len(fsrs_vectors["histories"]) == N_HISTORIES


@pytest.mark.parametrize("index", range(N_HISTORIES))
def test_history_stepwise(fsrs_vectors: dict[str, Any], index: int) -> None:
    """Each review through the Protocol methods: R before, S, D and interval after."""
    history = fsrs_vectors["histories"][index]
    model = FSRS6(parameters=FSRS6Parameters.from_sequence(fsrs_vectors["meta"]["parameters"]))
    dr = fsrs_vectors["meta"]["desired_retention"]
    state: FSRSState | None = None
    for position, review in enumerate(history["reviews"]):
        rating = np.array([review["rating"]])
        where = f"history {history['id']} review {position} ({review['update']})"
        if state is None:
            assert review["update"] == "initial"
            state = model.initial_state(rating)
        else:
            elapsed = np.array([float(review["elapsed_days"])])
            r = model.retrievability(state, elapsed)
            np.testing.assert_allclose(r, review["retrievability_at_review"], rtol=RTOL, err_msg=where)
            state = model.review(state, elapsed, rating)
        np.testing.assert_allclose(state.stability, review["stability"], rtol=RTOL, err_msg=where)
        np.testing.assert_allclose(state.difficulty, review["difficulty"], rtol=RTOL, err_msg=where)
        assert model.interval_days(state, dr).tolist() == [review["interval_days_dr09"]], where
        np.testing.assert_allclose(
            model.interval_days(state, dr, rounded=False),
            review["interval_days_dr09_unrounded"],
            rtol=RTOL,
            err_msg=where,
        )


def test_all_histories_batch_replay(fsrs_vectors: dict[str, Any]) -> None:
    """All 200 histories at once through the vectorised replay (padding with 0)."""
    histories = fsrs_vectors["histories"]
    k = max(len(h["reviews"]) for h in histories)
    ratings = np.zeros((len(histories), k), dtype=int)
    elapsed = np.zeros((len(histories), k))
    expected_s = np.full((len(histories), k), np.nan)
    expected_d = np.full((len(histories), k), np.nan)
    for i, history in enumerate(histories):
        g, t = _history_arrays(history)
        ratings[i, : len(g)] = g
        elapsed[i, : len(t)] = t
        expected_s[i, : len(g)] = [r["stability"] for r in history["reviews"]]
        expected_d[i, : len(g)] = [r["difficulty"] for r in history["reviews"]]
    s, d = replay(ratings, elapsed)
    np.testing.assert_allclose(s, expected_s, rtol=RTOL)  # NaN at the same (padding) places
    np.testing.assert_allclose(d, expected_d, rtol=RTOL)
    final_s, final_d = FSRS6().replay(ratings, elapsed, final_only=True)
    last = (ratings > 0).sum(axis=1) - 1
    np.testing.assert_allclose(final_s, expected_s[np.arange(len(histories)), last], rtol=RTOL)
    np.testing.assert_allclose(final_d, expected_d[np.arange(len(histories)), last], rtol=RTOL)


def test_replay_from_seconds_with_whole_days(fsrs_vectors: dict[str, Any]) -> None:
    """py-fsrs floors elapsed time to whole days; whole_days=True does the same from seconds."""
    model = FSRS6(whole_days=True)
    for history in fsrs_vectors["histories"][:50]:
        reviews = history["reviews"]
        g = np.array([r["rating"] for r in reviews])
        t = np.array([(r["elapsed_seconds"] or 0) / 86400.0 for r in reviews])
        s, d = model.replay(g, t)
        np.testing.assert_allclose(s, [r["stability"] for r in reviews], rtol=RTOL)
        np.testing.assert_allclose(d, [r["difficulty"] for r in reviews], rtol=RTOL)


# ---------------------------------------------------------------------- formula grids


def test_grid_retrievability(fsrs_vectors: dict[str, Any]) -> None:
    rows = fsrs_vectors["formula_vectors"]["retrievability"]
    t = np.array([r["t_days"] for r in rows], dtype=float)
    s = np.array([r["stability"] for r in rows])
    expected = np.array([r["R"] for r in rows])
    np.testing.assert_allclose(F.fsrs_retrievability(FSRS6Parameters(), t, s), expected, rtol=RTOL)
    state = FSRSState(stability=s, difficulty=np.full_like(s, 5.0))
    np.testing.assert_allclose(FSRS6().retrievability(state, t), expected, rtol=RTOL)


def test_grid_initial(fsrs_vectors: dict[str, Any]) -> None:
    rows = fsrs_vectors["formula_vectors"]["initial"]
    g = np.array([r["rating"] for r in rows])
    p = FSRS6Parameters()
    np.testing.assert_allclose(F.initial_stability(p, g), [r["stability"] for r in rows], rtol=RTOL)
    np.testing.assert_allclose(F.initial_difficulty(p, g), [r["difficulty_clamped"] for r in rows], rtol=RTOL)
    np.testing.assert_allclose(
        F.initial_difficulty(p, g, clamp=False), [r["difficulty_unclamped"] for r in rows], rtol=RTOL
    )


def test_grid_next_interval(fsrs_vectors: dict[str, Any]) -> None:
    p = FSRS6Parameters()
    for row in fsrs_vectors["formula_vectors"]["next_interval"]:
        s = np.array([row["stability"]])
        dr = row["desired_retention"]
        assert F.next_interval_days(p, s, dr).tolist() == [row["interval_days_pyfsrs"]], row
        np.testing.assert_allclose(
            F.next_interval_days(p, s, dr, rounded=False), row["interval_days_unrounded"], rtol=RTOL
        )


def test_grid_next_difficulty(fsrs_vectors: dict[str, Any]) -> None:
    rows = fsrs_vectors["formula_vectors"]["next_difficulty"]
    d = np.array([r["difficulty"] for r in rows])
    g = np.array([r["rating"] for r in rows])
    np.testing.assert_allclose(
        F.next_difficulty(FSRS6Parameters(), d, g), [r["next_difficulty"] for r in rows], rtol=RTOL
    )


def test_grid_long_term_stability(fsrs_vectors: dict[str, Any]) -> None:
    rows = fsrs_vectors["formula_vectors"]["long_term_stability"]
    p = FSRS6Parameters()
    d = np.array([r["difficulty"] for r in rows])
    s = np.array([r["stability"] for r in rows])
    r_ = np.array([r["R"] for r in rows])
    np.testing.assert_allclose(F.forget_stability(p, d, s, r_), [r["forget"] for r in rows], rtol=RTOL)
    for rating, key in ((2, "recall_hard"), (3, "recall_good"), (4, "recall_easy")):
        np.testing.assert_allclose(
            F.recall_stability(p, d, s, r_, np.full(len(rows), rating)),
            [r[key] for r in rows],
            rtol=RTOL,
        )


def test_grid_same_day_stability(fsrs_vectors: dict[str, Any]) -> None:
    rows = fsrs_vectors["formula_vectors"]["same_day_stability"]
    s = np.array([r["stability"] for r in rows])
    g = np.array([r["rating"] for r in rows])
    expected = [r["next_stability"] for r in rows]
    np.testing.assert_allclose(F.short_term_stability(FSRS6Parameters(), s, g), expected, rtol=RTOL)
    # and through review() with elapsed 0 days
    state = FSRSState(stability=s, difficulty=np.full_like(s, 5.0))
    np.testing.assert_allclose(FSRS6().review(state, np.zeros_like(s), g).stability, expected, rtol=RTOL)
