"""The touch rule has one home: the engine, the adaptive schedules and the typical learner agree."""

from __future__ import annotations

import math

import numpy as np
import pytest

from workbench.memory import FSRS6, MemoryState
from workbench.model import Activity, Concept, Journey
from workbench.plans import adaptive_schedule
from workbench.plans._context import TypicalLearner
from workbench.simulate import LearnerPopulation, TouchEffects, simulate
from workbench.simulate.touch import MEDIAN_DRAW, apply_touch

N = 4000
TARGET = 0.85


def _journey() -> Journey:
    """Pre-work (encode), a quiz on day 5 (retrieve), a recap (restudy), the formal anchor on day 12."""
    journey = Journey.empty("touch", "Touch rule").add_concept(Concept(id="c", name="C"))
    for activity in (
        Activity.of_kind("elearning_module", id="prework", title="Pre-work", covers=["c"], schedule=0),
        Activity.of_kind("spaced_recall_quiz", id="quiz", title="Quiz", covers=["c"], schedule=5),
        Activity.of_kind("post_session_recap", id="recap", title="Recap", covers=["c"], schedule=8),
        Activity.of_kind("elearning_module", id="module", title="Module", covers=["c"], schedule=12),
    ):
        journey = journey.add_activity(activity)
    return journey


def _typical(journey: Journey) -> tuple[TypicalLearner, float]:
    """Return the typical learner after the journey, and its recall at the quiz (the chance of a hit)."""
    learner = TypicalLearner(journey, "c", FSRS6(), TouchEffects(), rate=1.0)
    learner.advance_to(5.0, inclusive=False)
    p_quiz = learner.recall(5.0)
    learner.advance_to(12.0)
    return learner, p_quiz


def _split(values: np.ndarray, expected_hit: float) -> tuple[int, np.ndarray]:
    """How many values equal the typical learner's, and the distinct others."""
    hit = np.isclose(values, expected_hit, rtol=1e-5)
    return int(hit.sum()), np.unique(np.round(values[~hit], 4))


def test_engine_learners_end_where_the_typical_learner_ends_on_a_hit() -> None:
    journey = _journey()
    typical, p_quiz = _typical(journey)
    assert 0.6 < p_quiz < 0.95  # the quiz outcome is uncertain: the test sees both branches
    result = simulate(journey, population=LearnerPopulation.uniform(N), horizon_days=20, rng=3, profile="flashcards")
    stability = result.final_stability[:, 0].astype(float)
    hits, others = _split(stability, float(typical.state.stability[0]))  # type: ignore[union-attr]
    # every learner who recalled at the quiz ends exactly as the typical learner; the rest share one state
    assert len(others) == 1
    assert others[0] < typical.state.stability[0]  # type: ignore[union-attr]
    # and a retrieval succeeds with the recall probability (4 standard errors)
    assert abs(hits / N - p_quiz) < 4 * math.sqrt(p_quiz * (1 - p_quiz) / N)
    quiz = result.touches_frame().set_index("activity_id").loc["quiz"]
    assert quiz["retrieval_attempts"] == N
    assert quiz["retrieval_successes"] == hits


def test_adaptive_learners_are_due_when_the_typical_learner_is_due_on_a_hit() -> None:
    journey = _journey()
    typical, p_quiz = _typical(journey)
    due_hit = 12.0 + max(1.0, math.floor(typical.interval(TARGET) + 1e-9))
    frame = adaptive_schedule(
        journey, LearnerPopulation.uniform(N), target=TARGET, rng=3, until_day=400.0, profile="flashcards"
    )
    first_due = frame.groupby("learner_id")["day"].min().to_numpy()
    assert len(first_due) == N
    hits, others = _split(first_due, due_hit)
    assert len(others) == 1
    assert others[0] < due_hit
    assert abs(hits / N - p_quiz) < 4 * math.sqrt(p_quiz * (1 - p_quiz) / N)


class _FixedRecall(FSRS6):
    """FSRS-6 whose recall is given (to probe the success boundary exactly)."""

    def __init__(self, recall: np.ndarray) -> None:
        super().__init__()
        self.fixed = recall

    def retrievability(self, state: MemoryState, elapsed_days: object) -> np.ndarray:  # type: ignore[override]
        return self.fixed


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_the_typical_learner_recalls_exactly_from_one_half(dtype: type) -> None:
    recall = np.array([0.5, np.nextafter(dtype(0.5), dtype(0.0)), 0.75], dtype=dtype)
    model = _FixedRecall(recall)
    state = model.initial_state(np.full(3, 3))
    outcome = apply_touch(model, state, np.ones(3), "retrieve", gain=1.0, first_rating=1, draws=MEDIAN_DRAW)
    assert outcome.recalled.tolist() == [True, False, True]


@pytest.mark.parametrize("effect", ["encode", "restudy", "apply", "discuss"])
def test_passive_touches_are_a_good_review_with_their_gain(effect: str) -> None:
    model = FSRS6()
    state = model.initial_state(np.array([3]))
    elapsed = np.array([4.0])
    outcome = apply_touch(model, state, elapsed, effect, gain=0.4, first_rating=2, draws=0.0)
    expected = model.review(state, elapsed, np.array([3]), 0.4)
    assert np.allclose(outcome.state.stability, expected.stability)
    assert not outcome.attempted.any()
    assert not outcome.recalled.any()


def test_first_touch_encodes_and_unreached_cells_keep_their_memory() -> None:
    model = FSRS6()
    state = model.initial_state(np.array([3, 3, 3]))
    met = np.array([False, True, True])
    reached = np.array([True, True, False])
    generator = np.random.default_rng(0)
    outcome = apply_touch(
        model,
        state,
        np.array([0.0, 2.0, 2.0]),
        "retrieve",
        gain=1.0,
        first_rating=1,
        draws=generator,
        met=met,
        reached=reached,
    )
    # a quiz before any teaching is the first encounter with rating 1 (it shows the answer), not an attempt
    assert outcome.state.stability[0] == pytest.approx(float(model.initial_state(np.array([1])).stability[0]))
    assert outcome.attempted.tolist() == [False, True, False]
    assert outcome.state.stability[2] == state.stability[2]


def test_a_generator_is_drawn_only_when_a_retrieval_is_attempted() -> None:
    model = FSRS6()
    state = model.initial_state(np.array([3, 3]))
    generator = np.random.default_rng(0)
    apply_touch(model, state, np.ones(2), "restudy", gain=0.4, first_rating=2, draws=generator)
    apply_touch(model, state, np.ones(2), "retrieve", gain=1.0, first_rating=1, draws=generator, reached=False)
    assert generator.random() == np.random.default_rng(0).random()
