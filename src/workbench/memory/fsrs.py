"""FSRS-6, the default memory model: stability, difficulty and a power forgetting curve.

The formulas follow the FSRS-6 algorithm by Jarrett Ye and the open-spaced-repetition
project, as implemented by py-fsrs 6.3.2 (the reference this module is tested against, see
``tests/memory/test_memory_fsrs_vectors.py``). This is an independent numpy implementation written
from the published formulas:

* initial stability ``S0(G) = w[G-1]``; initial difficulty ``D0(G) = w4 - e^(w5 (G-1)) + 1``
  clamped to [1, 10];
* retrievability ``R(t, S) = (1 + F t / S)^(-w20)`` with ``F = 0.9^(-1/w20) - 1``, so
  ``R(S, S) = 0.9``: stability is the number of days for recall to fall to 90%;
* after a successful review (G >= 2) more than a day after the last one
  ``S' = S (1 + e^w8 (11 - D) S^-w9 (e^(w10 (1 - R)) - 1) h b)`` with the hard penalty
  ``h = w15`` for Hard and the easy bonus ``b = w16`` for Easy;
* after a lapse (G = 1) ``S' = min(w11 D^-w12 ((S + 1)^w13 - 1) e^(w14 (1 - R)),
  S / e^(w17 w18))``;
* for a review less than one day after the last one (same day)
  ``S' = S e^(w17 (G - 3 + w18)) S^-w19``, the factor kept >= 1 when G >= 2
  (py-fsrs 6.3.2 and fsrs-rs; 6.3.1 only clamped G >= 3);
* difficulty ``D' = w7 D0(4) + (1 - w7) (D + (10 - D)/9 (-w6 (G - 3)))`` (linear damping,
  then mean reversion toward the unclamped ``D0(4)``), clamped to [1, 10];
* every stability is kept >= 0.001 days;
* interval for a desired retention ``r``: ``S / F (r^(-1/w20) - 1)`` rounded to the
  nearest day (halves to even, like Python's ``round``), at least 1, at most 36500 days.

Elapsed time. py-fsrs measures the time since the last review in *whole days*: it takes
``(review_datetime - last_review).days``, i.e. the floor of the elapsed time in days, both
for retrievability and for the same-day test (``< 1``, i.e. less than 24 hours, not a
calendar day). Its learning and relearning steps (minutes) only decide *when* a card is
shown next; in 6.3.2 the stability and difficulty updates depend only on the rating and
those whole elapsed days, never on the Learning/Review/Relearning state. This module takes
``elapsed_days`` as floats (a smooth curve is nicer to plot and to simulate); set
``FSRS6(whole_days=True)`` or pass ``numpy.floor(elapsed_days)`` to reproduce py-fsrs
exactly from fractional times.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from workbench.errors import ParameterError
from workbench.memory.base import (
    MemoryState,
    check_desired_retention,
    check_elapsed_days,
    check_gain,
    check_ratings,
    round_interval_days,
)

__all__ = [
    "DEFAULT_FSRS6_WEIGHTS",
    "FSRS6",
    "FSRS6_LOWER_BOUNDS",
    "FSRS6_PARAMETER_NAMES",
    "FSRS6_UPPER_BOUNDS",
    "MAXIMUM_INTERVAL_DAYS",
    "STABILITY_MIN",
    "FSRS6Parameters",
    "FSRSState",
    "forget_stability",
    "fsrs_retrievability",
    "initial_difficulty",
    "initial_stability",
    "next_difficulty",
    "next_interval_days",
    "recall_stability",
    "replay",
    "review_arrays",
    "short_term_stability",
]

#: The 21 default FSRS-6 weights published with FSRS-6 (py-fsrs 6.x ``DEFAULT_PARAMETERS``).
DEFAULT_FSRS6_WEIGHTS: tuple[float, ...] = (
    0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796,
    1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542,
)  # fmt: skip

#: What each weight does, by index.
FSRS6_PARAMETER_NAMES: tuple[str, ...] = (
    "initial stability after Again",
    "initial stability after Hard",
    "initial stability after Good",
    "initial stability after Easy",
    "initial difficulty of Good (D0 offset)",
    "initial difficulty rating slope",
    "difficulty change per rating step",
    "difficulty mean reversion weight",
    "recall stability scale (log)",
    "recall stability decay with stability",
    "recall stability gain with forgetting",
    "post-lapse stability scale",
    "post-lapse difficulty exponent",
    "post-lapse stability exponent",
    "post-lapse forgetting gain",
    "hard penalty",
    "easy bonus",
    "same-day stability rate",
    "same-day stability offset",
    "same-day stability saturation",
    "forgetting curve decay",
)

STABILITY_MIN = 0.001
MAXIMUM_INTERVAL_DAYS = 36500
_D_MIN, _D_MAX = 1.0, 10.0

#: Allowed range of each weight (the bounds py-fsrs 6.x and the FSRS optimiser enforce).
FSRS6_LOWER_BOUNDS: tuple[float, ...] = (
    STABILITY_MIN, STABILITY_MIN, STABILITY_MIN, STABILITY_MIN, 1.0, 0.001, 0.001, 0.001,
    0.0, 0.0, 0.001, 0.001, 0.001, 0.001, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.1,
)  # fmt: skip
FSRS6_UPPER_BOUNDS: tuple[float, ...] = (
    100.0, 100.0, 100.0, 100.0, 10.0, 4.0, 4.0, 0.75, 4.5, 0.8, 3.5, 5.0, 0.25, 0.9, 4.0,
    1.0, 6.0, 2.0, 2.0, 0.8, 0.8,
)  # fmt: skip


@dataclass(frozen=True)
class FSRS6Parameters:
    """The 21 FSRS-6 weights ``w[0..20]``, validated against their allowed ranges.

    Defaults are the published FSRS-6 defaults (the same as py-fsrs 6.x). Every weight
    out of its range is reported at once in a single :class:`~workbench.errors.ParameterError`.

    Parameters
    ----------
    w : sequence of 21 floats
        The weights, in FSRS order (see :data:`FSRS6_PARAMETER_NAMES`).

    Examples
    --------
    >>> p = FSRS6Parameters()
    >>> p.w[20]
    0.1542
    >>> round(p.factor, 6)
    0.980346
    """

    w: tuple[float, ...] = DEFAULT_FSRS6_WEIGHTS

    def __post_init__(self) -> None:
        try:
            values = tuple(float(v) for v in self.w)
        except (TypeError, ValueError) as exc:
            raise ParameterError(
                f"FSRS6Parameters.w must be a sequence of 21 numbers ({exc}); fix: pass e.g. FSRS6Parameters().w"
            ) from None
        if len(values) != len(DEFAULT_FSRS6_WEIGHTS):
            raise ParameterError(
                f"FSRS6Parameters.w has {len(values)} weights, FSRS-6 needs 21 (w0..w20); "
                "fix: pass all 21 weights (FSRS-5 sets of 19 lack w19 and w20)"
            )
        problems = []
        for i, (value, low, high) in enumerate(zip(values, FSRS6_LOWER_BOUNDS, FSRS6_UPPER_BOUNDS, strict=True)):
            if not (math.isfinite(value) and low <= value <= high):
                problems.append(f"w[{i}] ({FSRS6_PARAMETER_NAMES[i]}) = {value!r} is outside [{low}, {high}]")
        if problems:
            raise ParameterError(
                f"{len(problems)} FSRS-6 weight(s) out of bounds:\n"
                + "\n".join(f"  - {p}" for p in problems)
                + "\nfix: bring each weight into its range, or start from "
                "FSRS6Parameters() defaults"
            )
        object.__setattr__(self, "w", values)

    @classmethod
    def from_sequence(cls, weights: Sequence[float]) -> FSRS6Parameters:
        """Build from any sequence of 21 numbers (list, array, py-fsrs parameters).

        Examples
        --------
        >>> FSRS6Parameters.from_sequence(list(DEFAULT_FSRS6_WEIGHTS)) == FSRS6Parameters()
        True
        """
        return cls(w=tuple(float(v) for v in weights))

    @property
    def decay(self) -> float:
        """Forgetting-curve decay ``w20`` (the exponent is ``-w20``)."""
        return self.w[20]

    @functools.cached_property
    def factor(self) -> float:
        """``F = 0.9^(-1/w20) - 1``, which makes ``R(S, S) = 0.9``."""
        return float(0.9 ** (1 / -self.w[20]) - 1)

    def as_array(self) -> np.ndarray:
        """Return the weights as a new float array of length 21."""
        return np.array(self.w, dtype=float)


@dataclass(frozen=True)
class FSRSState(MemoryState):
    """FSRS memory state: ``stability`` (days to 90% recall) and ``difficulty`` (1..10).

    Examples
    --------
    >>> s = FSRSState(stability=[2.3065], difficulty=[2.1181])
    >>> s.shape
    (1,)
    """

    difficulty: np.ndarray


# ------------------------------------------------------------------- formula functions
# Each takes the parameters first and plain numpy arrays, never mutates them, returns new
# float arrays. Ratings are not validated here (the model methods do that).


def initial_stability(params: FSRS6Parameters, rating: np.ndarray) -> np.ndarray:
    """Stability after the first rating: ``S0(G) = w[G-1]`` (>= 0.001).

    Examples
    --------
    >>> initial_stability(FSRS6Parameters(), np.array([1, 3])).tolist()
    [0.212, 2.3065]
    """
    w = np.asarray(params.w[:4], dtype=float)
    # annotated: numpy's stubs type ufunc results as Any
    stability: np.ndarray = np.maximum(w[np.asarray(rating, dtype=np.int64) - 1], STABILITY_MIN)
    return stability


def initial_difficulty(params: FSRS6Parameters, rating: np.ndarray, *, clamp: bool = True) -> np.ndarray:
    """Difficulty after the first rating: ``D0(G) = w4 - e^(w5 (G - 1)) + 1``.

    Examples
    --------
    >>> initial_difficulty(FSRS6Parameters(), np.array([4]), clamp=False).round(4).tolist()
    [-4.7716]
    """
    w = params.w
    g = np.asarray(rating, dtype=float)
    d0 = w[4] - np.exp(w[5] * (g - 1)) + 1
    return np.clip(d0, _D_MIN, _D_MAX) if clamp else d0


def fsrs_retrievability(params: FSRS6Parameters, elapsed_days: np.ndarray | float, stability: np.ndarray) -> np.ndarray:
    """Recall probability ``(1 + F t / S)^(-w20)`` after ``elapsed_days`` = t.

    Examples
    --------
    >>> float(fsrs_retrievability(FSRS6Parameters(), 10.0, np.array(10.0)))
    0.9
    """
    t = np.asarray(elapsed_days, dtype=float)
    s = np.asarray(stability, dtype=float)
    # one temporary, updated in place: this is the simulator's hot path (0-d inputs give a
    # numpy scalar, which cannot be written to, hence asarray)
    ratio = np.asarray(np.divide(t, s))
    ratio *= params.factor
    ratio += 1.0
    # annotated: numpy's stubs type ufunc results as Any
    recall: np.ndarray = np.power(ratio, -params.w[20], out=ratio)
    return recall


def next_difficulty(params: FSRS6Parameters, difficulty: np.ndarray, rating: np.ndarray | int) -> np.ndarray:
    """Difficulty after a review: linear damping, mean reversion to ``D0(4)``, clamp [1, 10].

    Examples
    --------
    >>> float(next_difficulty(FSRS6Parameters(), np.array(5.0), np.array(1)).round(6))
    8.341762
    """
    w = params.w
    d = np.asarray(difficulty, dtype=float)
    d0_easy = w[4] - math.exp(w[5] * 3) + 1
    if isinstance(rating, int) and rating == 3:
        # Good for every cell: the damping (10 - D)/9 (-w6 (3 - 3)) is a signed zero, and D + 0 is
        # D for any finite D, so it is skipped
        reverted = np.asarray(d * (1 - w[7]))
        reverted += w[7] * d0_easy
        # annotated: numpy's stubs type ufunc results as Any
        good: np.ndarray = np.minimum(np.maximum(reverted, _D_MIN, out=reverted), _D_MAX, out=reverted)
        return good
    g = np.asarray(rating)
    if d.shape != g.shape and g.ndim:  # one rating for every cell needs no array of it
        d, g = np.broadcast_arrays(d, g)
    # -(w6 (G - 3)) as (G - 3) (-w6): negation is exact, so the same double
    delta = np.subtract(g, 3.0, dtype=float)
    delta *= -w[6]
    damped = np.asarray(10.0 - d)
    damped *= delta
    damped /= 9.0
    damped += d
    damped *= 1 - w[7]
    damped += w[7] * d0_easy
    # annotated: numpy's stubs type ufunc results as Any
    clamped: np.ndarray = np.minimum(np.maximum(damped, _D_MIN, out=damped), _D_MAX, out=damped)
    return clamped


def recall_stability(
    params: FSRS6Parameters,
    difficulty: np.ndarray,
    stability: np.ndarray,
    retrievability: np.ndarray,
    rating: np.ndarray | int,
) -> np.ndarray:
    """Stability after a successful review (Hard/Good/Easy) at least a day later.

    Examples
    --------
    >>> p = FSRS6Parameters()
    >>> float(recall_stability(p, np.array(1.0), np.array(0.5), np.array(0.9), 3).round(6))
    3.523572
    """
    w = params.w
    d = np.asarray(difficulty, dtype=float)
    s = np.asarray(stability, dtype=float)
    r = np.asarray(retrievability, dtype=float)
    if not d.shape == s.shape == r.shape:
        d, s, r = np.broadcast_arrays(d, s, r)
    # e^w8 (11 - D) S^-w9 (e^(w10 (1 - R)) - 1), in place, in the formula's order of operations
    growth = np.asarray(11 - d)
    growth *= math.exp(w[8])
    growth *= np.power(s, -w[9])
    forgotten = np.asarray(1 - r)
    forgotten *= w[10]
    np.exp(forgotten, out=forgotten)
    forgotten -= 1
    growth *= forgotten
    # the hard penalty and easy bonus; a factor of exactly 1 (Good) changes nothing, so it is skipped
    if isinstance(rating, int):  # one rating for every cell
        if rating in (2, 4):
            growth *= w[15] if rating == 2 else w[16]
    else:
        g = np.asarray(rating)
        hard, easy = g == 2, g == 4
        if hard.any() or easy.any():
            growth = growth * (np.where(hard, w[15], 1.0) * np.where(easy, w[16], 1.0))
    growth += 1
    growth *= s
    # annotated: numpy's stubs type ufunc results as Any
    new_stability: np.ndarray = np.maximum(growth, STABILITY_MIN, out=growth)
    return new_stability


def forget_stability(
    params: FSRS6Parameters,
    difficulty: np.ndarray,
    stability: np.ndarray,
    retrievability: np.ndarray,
) -> np.ndarray:
    """Post-lapse stability (Again at least a day later), never above ``S / e^(w17 w18)``.

    Examples
    --------
    >>> p = FSRS6Parameters()
    >>> float(forget_stability(p, np.array(1.0), np.array(0.5), np.array(0.9)).round(6))
    0.196775
    """
    w = params.w
    d = np.asarray(difficulty, dtype=float)
    s = np.asarray(stability, dtype=float)
    r = np.asarray(retrievability, dtype=float)
    long_term = w[11] * np.power(d, -w[12]) * (np.power(s + 1, w[13]) - 1) * np.exp((1 - r) * w[14])
    short_term = s / math.exp(w[17] * w[18])
    # annotated: numpy's stubs type ufunc results as Any
    new_stability: np.ndarray = np.maximum(np.minimum(long_term, short_term), STABILITY_MIN)
    return new_stability


def short_term_stability(params: FSRS6Parameters, stability: np.ndarray, rating: np.ndarray) -> np.ndarray:
    """Stability after a review less than one day after the last one.

    Examples
    --------
    >>> float(short_term_stability(FSRS6Parameters(), np.array(0.5), np.array(3)).round(6))
    0.549876
    """
    w = params.w
    s = np.asarray(stability, dtype=float)
    g = np.asarray(rating)
    increase = np.exp(w[17] * (g - 3 + w[18])) * np.power(s, -w[19])
    increase = np.where(g >= 2, np.maximum(increase, 1.0), increase)
    # annotated: numpy's stubs type ufunc results as Any
    new_stability: np.ndarray = np.maximum(s * increase, STABILITY_MIN)
    return new_stability


def next_interval_days(
    params: FSRS6Parameters,
    stability: np.ndarray,
    desired_retention: float | np.ndarray = 0.9,
    *,
    maximum_interval_days: int = MAXIMUM_INTERVAL_DAYS,
    rounded: bool = True,
) -> np.ndarray:
    """Days until recall falls to ``desired_retention``, rounded as py-fsrs 6.3.2 does.

    Parameters
    ----------
    params : FSRS6Parameters
    stability : array_like
        Stability in days.
    desired_retention : float or array_like
        Target recall probability in (0, 1).
    maximum_interval_days : int
        Upper bound of rounded intervals (py-fsrs default 36500).
    rounded : bool
        If False, return the exact (unrounded, unbounded) number of days.

    Examples
    --------
    >>> next_interval_days(FSRS6Parameters(), np.array([0.1, 2.3065, 1e6]), 0.9).tolist()
    [1, 2, 36500]
    """
    decay = -params.w[20]
    s = np.asarray(stability, dtype=float)
    dr = check_desired_retention(desired_retention)
    exact = (s / params.factor) * (np.power(dr, 1 / decay) - 1)
    if not rounded:
        return np.asarray(exact, dtype=float)
    return round_interval_days(exact, maximum_interval_days)


def review_arrays(
    params: FSRS6Parameters,
    stability: np.ndarray,
    difficulty: np.ndarray,
    elapsed_days: np.ndarray,
    rating: np.ndarray | int,
    gain: float = 1.0,
    *,
    recall: np.ndarray | None = None,
    same_day: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """:meth:`FSRS6.review`'s update on plain arrays, without its checks.

    For callers whose inputs are valid by construction (the simulator's block loop): finite
    stability >= 0.001 and difficulty in [1, 10], finite elapsed days >= 0 (already whole
    days if the model wants them), ratings in 1..4, all shaped alike. ``rating`` may be one
    ``int`` for every cell (a touch rated Good), which skips building an array of it.

    Returns
    -------
    stability, difficulty : ndarray
        The same doubles :meth:`FSRS6.review` returns for these inputs.

    Examples
    --------
    >>> s, d = review_arrays(FSRS6Parameters(), np.array([2.3065]), np.array([2.1181]), np.array([3.0]), 3)
    >>> s.round(4).tolist()
    [13.8269]
    """
    s, d, t = stability, difficulty, elapsed_days
    if isinstance(rating, int):
        if rating == 1:
            rating = np.full(s.shape, rating)
        else:  # one successful rating: no lapses, and same-day reviews are rare
            sd = t < 1 if same_day is None else same_day
            if sd.any():
                return review_arrays(params, s, d, t, np.full(s.shape, rating), gain, recall=recall, same_day=sd)
            r = fsrs_retrievability(params, t, s) if recall is None else recall
            s_full, d_full = recall_stability(params, d, s, r, rating), next_difficulty(params, d, rating)
            if gain == 1.0:
                return s_full, d_full
            # (1 - k) X + k X_full with k = gain everywhere, in place: * and + commute exactly
            s_full *= gain
            s_full += (1 - gain) * s
            d_full *= gain
            d_full += (1 - gain) * d
            return s_full, d_full
    s_full, d_full = _step(params, s, d, t, rating, recall, same_day)
    if gain == 1.0:
        # a full review: the blend below gives exactly the full update (0*S + S_full, S finite)
        return s_full, d_full
    k = np.where(rating == 1, 1.0, gain)
    return (1 - k) * s + k * s_full, (1 - k) * d + k * d_full


def _step(
    params: FSRS6Parameters,
    s: np.ndarray,
    d: np.ndarray,
    t: np.ndarray,
    g: np.ndarray,
    r: np.ndarray | None = None,
    same_day: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Full FSRS-6 update of (S, D) for a review t days after the last one (no checks).

    ``r``, if given, is the retrievability at ``t`` already computed by the caller;
    ``same_day``, if given, marks the same-day reviews (else ``t < 1``).
    """
    if not s.shape == d.shape == t.shape == g.shape:
        s, d, t, g = np.broadcast_arrays(s, d, t, g)
    if r is not None and np.shape(r) != s.shape:
        r = np.broadcast_to(r, s.shape)
    # Each cell takes one of three stability formulas. Most cells of a simulator touch are
    # long-term successes: the success formula runs on every cell (element by element, so a
    # cell's value does not depend on the others), then the few lapses and same-day reviews
    # are overwritten with their own formula, computed on those cells only.
    if same_day is None:
        same_day = t < 1
    elif not (isinstance(same_day, np.ndarray) and same_day.dtype == bool and same_day.shape == s.shape):
        same_day = np.broadcast_to(np.asarray(same_day, dtype=bool), s.shape)
    lapse = g == 1
    if same_day.any():
        lapse &= ~same_day
    elif not lapse.any():  # every cell a long-term success
        r_all = fsrs_retrievability(params, t, s) if r is None else r
        return recall_stability(params, d, s, r_all, g), next_difficulty(params, d, g)
    lapses, same_days = np.flatnonzero(lapse), np.flatnonzero(same_day)
    if 2 * (lapses.size + same_days.size) <= s.size:
        r_all = fsrs_retrievability(params, t, s) if r is None else r
        # C order, so that the flat view below is a view (inputs may come in any memory order)
        s_new = np.ascontiguousarray(recall_stability(params, d, s, r_all, g))
        s_flat, d_flat, g_flat, r_flat = (a.reshape(-1) for a in (s, d, g, r_all))
        new_flat = s_new.reshape(-1)
        if lapses.size:
            s_i = s_flat[lapses]
            new_flat[lapses] = forget_stability(params, d_flat[lapses], s_i, r_flat[lapses])
        if same_days.size:
            new_flat[same_days] = short_term_stability(params, s_flat[same_days], g_flat[same_days])
        return s_new, next_difficulty(params, d, g)
    recall = ~(same_day | lapse)
    s_new = np.empty(s.shape)
    if same_days.size:
        s_new[same_day] = short_term_stability(params, s[same_day], g[same_day])
    if lapses.size:
        s_i = s[lapse]
        r_i = fsrs_retrievability(params, t[lapse], s_i) if r is None else r[lapse]
        s_new[lapse] = forget_stability(params, d[lapse], s_i, r_i)
    if recall.any():
        s_i = s[recall]
        r_i = fsrs_retrievability(params, t[recall], s_i) if r is None else r[recall]
        s_new[recall] = recall_stability(params, d[recall], s_i, r_i, g[recall])
    return s_new, next_difficulty(params, d, g)


# ------------------------------------------------------------------------------- model


@dataclass(frozen=True)
class FSRS6:
    """FSRS-6 memory model (the default), vectorised over any grid of cells.

    Parameters
    ----------
    parameters : FSRS6Parameters
        The 21 weights (defaults: published FSRS-6 defaults).
    maximum_interval_days : int
        Longest interval returned by :meth:`interval_days` (py-fsrs default 36500).
    whole_days : bool
        If True, elapsed days are floored to whole days before use, exactly as py-fsrs
        does with datetimes. Default False: fractional days give a smooth curve.

    Notes
    -----
    ``gain`` (see :meth:`review`) interpolates a successful review between "no effect"
    (``gain=0``: stability and difficulty unchanged) and the full FSRS-6 update
    (``gain=1``, bit for bit): ``X_new = (1 - gain) X + gain X_full`` for X in (S, D).
    Lapses (rating 1) always take the full update.

    Examples
    --------
    >>> import numpy as np
    >>> model = FSRS6()
    >>> state = model.initial_state(np.array([3, 3]))
    >>> state = model.review(state, np.array([2.0, 2.0]), np.array([3, 1]))
    >>> model.retrievability(state, 0.0).tolist()
    [1.0, 1.0]
    >>> model.interval_days(state, 0.9).tolist()
    [11, 1]
    """

    name: ClassVar[str] = "fsrs6"
    parameters: FSRS6Parameters = field(default_factory=FSRS6Parameters)
    maximum_interval_days: int = MAXIMUM_INTERVAL_DAYS
    whole_days: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.parameters, FSRS6Parameters):
            raise ParameterError(
                "FSRS6.parameters must be an FSRS6Parameters; fix: wrap weights with "
                "FSRS6Parameters.from_sequence(weights)"
            )
        if not (isinstance(self.maximum_interval_days, int) and self.maximum_interval_days >= 1):
            raise ParameterError(
                f"FSRS6.maximum_interval_days = {self.maximum_interval_days!r} must be a "
                "whole number >= 1; fix: use e.g. 36500"
            )

    def _elapsed(self, elapsed_days: Any) -> np.ndarray:
        t = check_elapsed_days(elapsed_days)
        return np.floor(t) if self.whole_days else t

    def initial_state(self, rating: np.ndarray) -> FSRSState:
        """State after the first learning encounter.

        Examples
        --------
        >>> FSRS6().initial_state(np.array([1, 4])).stability.tolist()
        [0.212, 8.2956]
        """
        g = check_ratings(rating)
        return FSRSState(
            stability=initial_stability(self.parameters, g),
            difficulty=initial_difficulty(self.parameters, g),
        )

    def retrievability(self, state: MemoryState, elapsed_days: np.ndarray | float) -> np.ndarray:
        """Recall probability after ``elapsed_days`` since the last review.

        Examples
        --------
        >>> s = FSRS6().initial_state(np.array([3]))
        >>> FSRS6().retrievability(s, 2.3065).round(6).tolist()
        [0.9]
        """
        return fsrs_retrievability(self.parameters, self._elapsed(elapsed_days), state.stability)

    def review(
        self,
        state: MemoryState,
        elapsed_days: np.ndarray | float,
        rating: np.ndarray | int,
        gain: np.ndarray | float = 1.0,
        *,
        recall: np.ndarray | None = None,
        same_day: np.ndarray | None = None,
    ) -> FSRSState:
        """State after a review ``elapsed_days`` after the previous one.

        Parameters
        ----------
        state : FSRSState
        elapsed_days : array_like
            Days since the last review (< 1 uses the same-day formula).
        rating : array_like of int
            1 Again, 2 Hard, 3 Good, 4 Easy.
        gain : float or array_like
            In [0, 1]; scales the change of successful reviews (see class notes).
        recall : ndarray, optional
            ``self.retrievability(state, elapsed_days)`` if the caller has it already
            (the simulator does, having just decided the retrieval with it).
        same_day : ndarray of bool, optional
            Which reviews take the same-day formula; default ``elapsed_days < 1``. The
            simulator passes the calendar's answer when ``elapsed_days`` runs on a
            learner's memory clock (a slow learner's next-day review is not same-day).

        Examples
        --------
        >>> m = FSRS6()
        >>> s0 = m.initial_state(np.array([3]))
        >>> m.review(s0, np.array([3.0]), np.array([3]), gain=0.0).stability.tolist()
        [2.3065]
        >>> m.review(s0, np.array([0.5]), np.array([3]), same_day=np.array([False])).stability.round(4).tolist()
        [5.0392]
        """
        if not isinstance(state, FSRSState):
            raise ParameterError(
                f"FSRS6.review needs an FSRSState, got {type(state).__name__}; fix: start "
                "from FSRS6().initial_state(ratings)"
            )
        t = self._elapsed(elapsed_days)
        g = check_ratings(rating)
        # a plain number in [0, 1] needs no array checks (the simulator's hot path passes one)
        k = np.asarray(gain) if isinstance(gain, float) and 0.0 <= gain <= 1.0 else check_gain(gain)
        s, d = state.stability, state.difficulty
        if s.shape != d.shape:
            s, d = np.broadcast_arrays(s, d)
        if k.ndim == 0:
            s_new, d_new = review_arrays(self.parameters, s, d, t, g, float(k), recall=recall, same_day=same_day)
            return FSRSState(stability=s_new, difficulty=d_new)
        s_full, d_full = _step(self.parameters, s, d, t, g, recall, same_day)
        k = np.where(g == 1, 1.0, k)
        s_new = (1 - k) * s + k * s_full
        d_new = (1 - k) * d + k * d_full
        return FSRSState(stability=s_new, difficulty=d_new)

    def interval_days(self, state: MemoryState, desired_retention: float, *, rounded: bool = True) -> np.ndarray:
        """Days until recall falls to ``desired_retention`` (py-fsrs rounding).

        Examples
        --------
        >>> FSRS6().interval_days(FSRS6().initial_state(np.array([4])), 0.9).tolist()
        [8]
        """
        return next_interval_days(
            self.parameters,
            state.stability,
            desired_retention,
            maximum_interval_days=self.maximum_interval_days,
            rounded=rounded,
        )

    def replay(
        self,
        ratings: np.ndarray,
        elapsed_days: np.ndarray,
        *,
        final_only: bool = False,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Replay many review histories at once; see :func:`replay`.

        Examples
        --------
        >>> s, d = FSRS6().replay(np.array([[3, 3, 0]]), np.array([[0.0, 3.0, 0.0]]))
        >>> s.round(4).tolist()
        [[2.3065, 13.8269, nan]]
        """
        t = np.asarray(elapsed_days, dtype=float)
        if self.whole_days:
            t = np.floor(t)
        return replay(ratings, t, parameters=self.parameters, final_only=final_only)


def replay(
    ratings: np.ndarray,
    elapsed_days: np.ndarray,
    *,
    parameters: FSRS6Parameters | None = None,
    final_only: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """Replay n review histories of up to k reviews, vectorised over the n histories.

    The first non-padding rating of a row is the first learning encounter (its elapsed
    days are ignored); each later one is a review ``elapsed_days[i, j]`` days after the
    previous non-padding review of that row. Rating 0 marks padding: the position is
    skipped and the state carried on.

    To reproduce py-fsrs 6.3.2 from review datetimes, pass whole days
    ``floor((review - previous review) / 1 day)``; learning steps need no special input
    (in 6.3.2 they do not change S or D, see the module notes).

    Parameters
    ----------
    ratings : (n, k) array of int
        0 = padding, 1 Again, 2 Hard, 3 Good, 4 Easy. A 1-D array is one history.
    elapsed_days : (n, k) array of float
        Days since the previous review (any value where the rating is padding).
    parameters : FSRS6Parameters, optional
        Defaults to the FSRS-6 defaults.
    final_only : bool
        If True, return the state after each row's last review, shape (n,).

    Returns
    -------
    stability, difficulty : ndarray
        Shape (n, k): the state after each review, NaN at padding and before the first
        review. With ``final_only``, shape (n,) (NaN for rows without any review).

    Examples
    --------
    >>> s, d = replay(np.array([[3, 1, 3], [4, 0, 0]]), np.array([[0, 5, 0.5], [0, 0, 0]]),
    ...               final_only=True)
    >>> s.round(4).tolist(), d.round(4).tolist()
    ([0.7355, 8.2956], [7.3823, 1.0])
    """
    params = FSRS6Parameters() if parameters is None else parameters
    g_all = check_ratings(ratings, allow_padding=True)
    t_all = np.asarray(elapsed_days, dtype=float)
    one_d = g_all.ndim == 1
    if one_d:
        g_all, t_all = g_all[None, :], t_all[None, :]
    if g_all.ndim != 2 or t_all.shape != g_all.shape:
        raise ParameterError(
            f"replay: ratings {g_all.shape} and elapsed_days {t_all.shape} must be 2-D "
            "arrays of the same shape (histories x reviews); fix: pad both to (n, k)"
        )
    # one pass: NaN fails both comparisons, so it is caught too
    if np.any((g_all > 0) & ~((t_all >= 0) & (t_all < np.inf))):
        raise ParameterError(
            "replay: elapsed_days must be finite and >= 0 at every non-padding review; "
            "fix: check the review timestamps are sorted"
        )
    n, k = g_all.shape
    if n == 0 or k == 0:
        empty = np.full((n,) if final_only else (n, k), np.nan)
        return empty, empty.copy()
    w = params.w
    factor = params.factor
    neg_decay = -w[20]
    s_min = STABILITY_MIN
    d0 = np.array([np.nan] + [min(max(w[4] - math.exp(w[5] * i) + 1, 1.0), 10.0) for i in range(4)])
    s0 = np.array([np.nan] + [max(x, s_min) for x in w[:4]])
    d0_easy = w[4] - math.exp(w[5] * 3) + 1
    e_w8 = math.exp(w[8])
    short_divisor = math.exp(w[17] * w[18])
    # per-rating constants, indexed by rating 0..4 (0 unused)
    recall_mod = np.array([1.0, 1.0, w[15], 1.0, w[16]])
    short_mult = np.array([1.0] + [math.exp(w[17] * (i - 3 + w[18])) for i in range(1, 5)])
    d_delta = np.array([0.0] + [-(w[6] * (i - 3)) for i in range(1, 5)])
    revert = w[7] * d0_easy

    # Everything that does not depend on the state is prepared once, on (k, n) arrays
    # (one contiguous row per review position).
    g_kn = np.ascontiguousarray(g_all.T)
    t_kn = np.ascontiguousarray(t_all.T)
    valid_kn = g_kn > 0
    first_kn = np.zeros_like(valid_kn)
    first_kn[np.argmax(valid_kn, axis=0), np.arange(n)] = valid_kn.any(axis=0)
    later_kn = valid_kn & ~first_kn
    same_day_kn = later_kn & (t_kn < 1)
    forget_kn = later_kn & ~same_day_kn & (g_kn == 1)
    recall_kn = later_kn & ~same_day_kn & (g_kn >= 2)

    s = np.full(n, np.nan)
    d = np.full(n, np.nan)
    if not final_only:
        s_out = np.full((k, n), np.nan)
        d_out = np.full((k, n), np.nan)
    for j in range(k):
        g, t = g_kn[j], t_kn[j]
        # long-term success: stability grows more when more had been forgotten
        idx = np.flatnonzero(recall_kn[j])
        if idx.size:
            s_i, d_i = s[idx], d[idx]
            r = np.power(1 + factor * t[idx] / s_i, neg_decay)
            growth = e_w8 * (11 - d_i) * np.power(s_i, -w[9]) * (np.exp((1 - r) * w[10]) - 1)
            s_recall = np.maximum(s_i * (1 + growth * recall_mod[g[idx]]), s_min)
        # long-term lapse: post-lapse stability, never above S / e^(w17 w18)
        idx_f = np.flatnonzero(forget_kn[j])
        if idx_f.size:
            s_i, d_i = s[idx_f], d[idx_f]
            r = np.power(1 + factor * t[idx_f] / s_i, neg_decay)
            long_term = w[11] * np.power(d_i, -w[12]) * (np.power(s_i + 1, w[13]) - 1) * np.exp((1 - r) * w[14])
            s_forget = np.maximum(np.minimum(long_term, s_i / short_divisor), s_min)
        # same day (< 1 day since the last review)
        idx_s = np.flatnonzero(same_day_kn[j])
        if idx_s.size:
            s_i, g_i = s[idx_s], g[idx_s]
            inc = short_mult[g_i] * np.power(s_i, -w[19])
            inc = np.where(g_i >= 2, np.maximum(inc, 1.0), inc)
            s_short = np.maximum(s_i * inc, s_min)
        # difficulty of every later review, then write the new stabilities
        idx_l = np.flatnonzero(later_kn[j])
        if idx_l.size:
            d_i = d[idx_l]
            d_next = d_i + (10.0 - d_i) * d_delta[g[idx_l]] / 9.0
            d[idx_l] = np.clip(revert + (1 - w[7]) * d_next, 1.0, 10.0)
        if idx.size:
            s[idx] = s_recall
        if idx_f.size:
            s[idx_f] = s_forget
        if idx_s.size:
            s[idx_s] = s_short
        # first encounters
        idx_0 = np.flatnonzero(first_kn[j])
        if idx_0.size:
            s[idx_0] = s0[g[idx_0]]
            d[idx_0] = d0[g[idx_0]]
        if not final_only:
            s_out[j] = np.where(valid_kn[j], s, np.nan)
            d_out[j] = np.where(valid_kn[j], d, np.nan)
    if not final_only:
        s_out, d_out = s_out.T, d_out.T
    if final_only:
        return (s[0], d[0]) if one_d else (s, d)
    return (s_out[0], d_out[0]) if one_d else (s_out, d_out)
