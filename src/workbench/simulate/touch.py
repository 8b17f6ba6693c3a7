"""The touch rule: what one touch does to a learner's memory of one concept.

One rule, used by the population simulator (vectorised over learners x concepts), by the
per-learner adaptive schedules (:func:`workbench.plans.adaptive_schedule`) and by the
typical learner that target-retention and cadence plans schedule from:

* the **first** touch of a concept encodes it: memory starts from the model's initial state
  for the effect's first rating (:meth:`~workbench.simulate.TouchEffects.first_rating`);
* a later **retrieval** succeeds when the learner's uniform draw falls below the current
  recall probability (the testing effect): a success is rated Good, a miss Again, and both
  are the model's full update;
* any **other** later touch (encode, restudy, apply, discuss) is rated Good with the gain
  of its effect (:meth:`~workbench.simulate.TouchEffects.gain`).

Callers differ only in where the draws come from: the simulator's random streams, the
adaptive schedule's outcome stream, or :data:`MEDIAN_DRAW` for the deterministic typical
learner (who recalls exactly when recall is at least one half).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from workbench.memory import FSRS6, MemoryModel, MemoryState
from workbench.vocabulary import MemoryEffect

__all__ = ["AGAIN", "GOOD", "MEDIAN_DRAW", "TouchOutcome", "apply_touch", "review_met"]

#: FSRS ratings of a successful touch and of a missed retrieval.
GOOD, AGAIN = 3, 1
#: The draw of a learner who recalls exactly when recall is at least 0.5 (the largest double below 0.5).
MEDIAN_DRAW = float(np.nextafter(0.5, 0.0))
_RETRIEVE = MemoryEffect.RETRIEVE.value


@dataclass(frozen=True)
class TouchOutcome:
    """Memory after a touch, and which cells attempted and passed a retrieval.

    Attributes
    ----------
    state : MemoryState
        The new memory; cells the touch did not reach are unchanged.
    attempted : ndarray of bool
        Cells where a retrieval was attempted (reached, concept met before).
    recalled : ndarray of bool
        Cells where that retrieval succeeded (a subset of ``attempted``).
    """

    state: MemoryState
    attempted: np.ndarray
    recalled: np.ndarray


def apply_touch(
    model: MemoryModel,
    state: MemoryState | None,
    elapsed_days: np.ndarray,
    effect: str,
    *,
    gain: float,
    first_rating: int,
    draws: np.ndarray | np.random.Generator | float,
    met: np.ndarray | bool = True,
    reached: np.ndarray | bool = True,
    calendar_days: np.ndarray | None = None,
) -> TouchOutcome:
    """Apply one touch with ``effect`` to the cells of ``state`` it reaches.

    Parameters
    ----------
    model : MemoryModel
        The forgetting model.
    state : MemoryState or None
        Memory before the touch; ``None`` when no cell has met the concept yet (then every
        cell is encoded, and ``met`` and ``reached`` must be left at their defaults).
    elapsed_days : ndarray
        Memory-clock days since each cell's last touch (already scaled by the learner's
        rate), shaped like the state.
    effect : str
        The touch's memory effect (``"encode"``, ``"retrieve"``, ``"restudy"``, ...).
    gain : float
        Strength of a non-retrieval touch on a concept already met (1 = a full review).
    first_rating : int
        FSRS rating (1-4) of a first encounter through ``effect``.
    draws : ndarray, float or numpy Generator
        Uniform draws in [0, 1) deciding retrievals (success where draw < recall). A
        Generator is drawn from (``state.shape`` values) only when some cell attempts a
        retrieval, so a random stream is consumed exactly as often as retrievals happen.
    met : ndarray of bool or bool
        Cells that met the concept before (their state is a real memory).
    reached : ndarray of bool or bool
        Cells the touch reaches; the others keep their state.
    calendar_days : ndarray, optional
        Calendar days since each cell's last touch (``elapsed_days`` before the learner's
        rate); see :func:`review_met`. None when ``elapsed_days`` is on the calendar.

    Returns
    -------
    TouchOutcome

    Examples
    --------
    >>> from workbench.memory import FSRS6
    >>> model = FSRS6()
    >>> first = apply_touch(model, None, np.zeros(2), "encode", gain=0.8, first_rating=3, draws=0.0)
    >>> quiz = apply_touch(model, first.state, np.array([2.0, 2.0]), "retrieve",
    ...                    gain=1.0, first_rating=1, draws=np.array([0.0, 0.999]))
    >>> quiz.recalled.tolist()
    [True, False]
    >>> bool(quiz.state.stability[0] > first.state.stability[0] > quiz.state.stability[1])
    True
    """
    if state is None:
        if met is not True or reached is not True:
            raise ValueError("apply_touch: with state=None every cell is a first encounter; leave met and reached")
        shape = np.shape(elapsed_days)
        nothing = np.zeros(shape, dtype=bool)
        return TouchOutcome(model.initial_state(np.full(shape, first_rating)), nothing, nothing)
    shape = state.shape
    reached_cells = np.broadcast_to(np.asarray(reached, dtype=bool), shape)
    met_cells = np.broadcast_to(np.asarray(met, dtype=bool), shape)
    again = reached_cells & met_cells
    first = reached_cells & ~met_cells
    updated = state
    if first.any():
        updated = updated.select(first, model.initial_state(np.full(shape, first_rating)))
    nothing = np.zeros(shape, dtype=bool)
    if not again.any():
        return TouchOutcome(updated, nothing, nothing)
    if effect == _RETRIEVE:
        uniform = draws.random(shape) if isinstance(draws, np.random.Generator) else np.asarray(draws, dtype=np.float64)
        reviewed, recalled = review_met(
            model, state, elapsed_days, effect, gain=gain, uniform=uniform, calendar_days=calendar_days
        )
        return TouchOutcome(updated.select(again, reviewed), again, again & recalled)
    reviewed, _ = review_met(model, state, elapsed_days, effect, gain=gain, uniform=0.0, calendar_days=calendar_days)
    return TouchOutcome(updated.select(again, reviewed), nothing, nothing)


def review_met(
    model: MemoryModel,
    state: MemoryState,
    elapsed_days: np.ndarray,
    effect: str,
    *,
    gain: float,
    uniform: np.ndarray | float,
    recall: np.ndarray | None = None,
    calendar_days: np.ndarray | None = None,
) -> tuple[MemoryState, np.ndarray]:
    """Apply the rule to cells that met the concept before and that the touch reaches.

    The core of :func:`apply_touch`, element by element, so it may be given any subset of
    cells (the simulator passes only the reached, already-met cells, as flat arrays).

    Parameters
    ----------
    model : MemoryModel
        The forgetting model.
    state : MemoryState
        Memory before the touch, of met cells only.
    elapsed_days : ndarray
        Memory-clock days since each cell's last touch, shaped like the state.
    effect : str
        The touch's memory effect.
    gain : float
        Strength of a non-retrieval touch (1 = a full review).
    uniform : ndarray or float
        Uniform draws deciding retrievals (success where draw < recall); unused for
        other effects.
    recall : ndarray, optional
        ``model.retrievability(state, elapsed_days)`` when the caller knows it already (the
        simulator has just measured it for a touch on a grid day); computed when None.
    calendar_days : ndarray, optional
        Calendar days since each cell's last touch, shaped like the state. A touch less
        than one calendar day after the last one is a same-day review (FSRS-6's short-term
        update), whatever the learner's clock: a slow learner's next-day review forgets on
        their clock but is not same-day. None when ``elapsed_days`` is on the calendar.

    Returns
    -------
    state : MemoryState
        Memory after the touch.
    recalled : ndarray of bool
        Where a retrieval succeeded (all False for other effects).

    Examples
    --------
    >>> from workbench.memory import FSRS6
    >>> model = FSRS6()
    >>> met = model.initial_state(np.array([3, 3]))
    >>> after, recalled = review_met(model, met, np.array([2.0, 2.0]), "retrieve",
    ...                              gain=1.0, uniform=np.array([0.0, 0.999]))
    >>> recalled.tolist()
    [True, False]
    """
    # FSRS-6 alone has a same-day branch: it is told the calendar's answer
    same_day = None if calendar_days is None else np.asarray(calendar_days) < 1
    if effect == _RETRIEVE:
        if recall is None:
            recall = model.retrievability(state, elapsed_days)
        recalled = uniform < recall
        rating = np.where(recalled, GOOD, AGAIN)
        if isinstance(model, FSRS6):  # FSRS-6 takes the recall just computed rather than redo it
            return model.review(state, elapsed_days, rating, 1.0, recall=recall, same_day=same_day), recalled
        return model.review(state, elapsed_days, rating, 1.0), recalled
    rating, nothing = np.full(state.shape, GOOD), np.zeros(state.shape, dtype=bool)
    if isinstance(model, FSRS6):
        return model.review(state, elapsed_days, rating, gain, same_day=same_day), nothing
    return model.review(state, elapsed_days, rating, gain), nothing
