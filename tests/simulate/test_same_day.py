"""A same-day review is a calendar matter; forgetting runs on the learner's memory clock.

FSRS-6 takes its short-term (same-day) update for a review less than a day after the last
one. The simulator scales elapsed days by each learner's memory rate, so judging "same day"
on that clock made a slow learner's (rate 0.5) next-day and day-after reviews same-day ones.
"""

from __future__ import annotations

import numpy as np
import pytest

from workbench.memory import FSRS6
from workbench.memory.fsrs import fsrs_retrievability, recall_stability, short_term_stability
from workbench.model import Activity, Concept, Journey
from workbench.plans._context import TypicalLearner
from workbench.simulate import TouchEffects
from workbench.simulate.touch import GOOD, apply_touch

MODEL = FSRS6()
P = MODEL.parameters


def _first() -> tuple[np.ndarray, np.ndarray]:
    state = apply_touch(MODEL, None, np.zeros(1), "encode", gain=1.0, first_rating=GOOD, draws=0.0).state
    return np.asarray(state.stability), np.asarray(state.difficulty)


@pytest.mark.parametrize("calendar_days", [1.0, 2.0])
def test_a_slow_learner_reviewed_on_a_later_calendar_day_gains_the_normal_stability(calendar_days: float) -> None:
    s, d = _first()
    rate = 0.5
    elapsed = np.array([calendar_days * rate])  # 0.5 or 1.0 memory-clock days: < 1 for the first
    after = apply_touch(
        MODEL,
        apply_touch(MODEL, None, np.zeros(1), "encode", gain=1.0, first_rating=GOOD, draws=0.0).state,
        elapsed,
        "retrieve",
        gain=1.0,
        first_rating=1,
        draws=np.zeros(1),  # recalled
        calendar_days=np.array([calendar_days]),
    )
    assert after.recalled.tolist() == [True]
    normal = recall_stability(P, d, s, fsrs_retrievability(P, elapsed, s), np.array([GOOD]))
    np.testing.assert_allclose(after.state.stability, normal, rtol=1e-12)
    assert float(after.state.stability[0]) > 2 * float(short_term_stability(P, s, np.array([GOOD]))[0])


@pytest.mark.parametrize("rate", [0.5, 1.0, 2.0])
@pytest.mark.parametrize("calendar_days", [0.0, 0.5])
def test_touches_on_the_same_calendar_day_still_take_the_same_day_rule(rate: float, calendar_days: float) -> None:
    s, _ = _first()
    first = apply_touch(MODEL, None, np.zeros(1), "encode", gain=1.0, first_rating=GOOD, draws=0.0).state
    after = apply_touch(
        MODEL,
        first,
        np.array([calendar_days * rate]),  # 1.0 memory-clock day for the fast learner half a day later
        "retrieve",
        gain=1.0,
        first_rating=1,
        draws=np.zeros(1),
        calendar_days=np.array([calendar_days]),
    )
    np.testing.assert_allclose(after.state.stability, short_term_stability(P, s, np.array([GOOD])), rtol=1e-12)


def test_the_typical_slow_learner_follows_the_calendar_too() -> None:
    journey = Journey.empty("slow", "Slow clock").add_concept(Concept(id="c", name="C"))
    for activity in (
        Activity.of_kind("elearning_module", id="module", title="Module", covers=["c"], schedule=0),
        Activity.of_kind("spaced_recall_quiz", id="quiz", title="Quiz", covers=["c"], schedule=1),
    ):
        journey = journey.add_activity(activity)
    effects = TouchEffects()
    slow = TypicalLearner(journey, "c", MODEL, effects, rate=0.5)
    slow.advance_to(0.0)
    assert slow.state is not None
    s, d = np.asarray(slow.state.stability), np.asarray(slow.state.difficulty)
    slow.advance_to(1.0)
    assert slow.state is not None
    normal = recall_stability(P, d, s, fsrs_retrievability(P, np.array([0.5]), s), np.array([GOOD]))
    np.testing.assert_allclose(slow.state.stability, normal, rtol=1e-12)
