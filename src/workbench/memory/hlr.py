"""Half-life regression (HLR): ``p = 2^(-t/h)`` with a log-linear half-life.

Settles, B. & Meeder, B. (2016). A Trainable Spaced Repetition Model for Language
Learning. *Proceedings of ACL 2016*, 1848-1858. The half-life is ``h = 2^(theta . x)``
for a feature vector ``x``; as in the authors' reference implementation we use a bias and
the square-root-transformed counts of past correct and incorrect recalls:

``log2 h = theta_bias + theta_right sqrt(1 + n_right) + theta_wrong sqrt(1 + n_wrong)``,

clipped to [15 minutes, 274 days] as in the paper. Lexeme features are left out (a
learning journey has no lexemes); the state is the pair of counts.

HLR is binary: Hard, Good and Easy all count as a correct recall, Again as an incorrect
one, and the half-life does not depend on *when* the review happens (HLR has no spacing
effect beyond the counts; a known limitation).

``gain`` adds a fraction of a correct recall: ``n_right += gain`` (``gain=0`` leaves the
half-life unchanged, ``gain=1`` is the plain HLR update); between those the half-life moves
monotonically, though not linearly, toward the full update.

Default weights are illustrative, not the paper's (whose fits include lexeme features):
about 2 days after one correct encounter, about 17 days after five, about 100 after ten.
Fit your own from review logs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from workbench.errors import ParameterError
from workbench.memory.base import (
    MemoryState,
    check_bounds,
    check_desired_retention,
    check_elapsed_days,
    check_gain,
    check_ratings,
    round_interval_days,
)

__all__ = ["HLRModel", "HLRParameters", "HLRState"]

_MINUTES_PER_DAY = 24 * 60


@dataclass(frozen=True)
class HLRParameters:
    """Weights and half-life bounds of :class:`HLRModel`.

    Parameters
    ----------
    theta_bias, theta_right, theta_wrong : float
        Log2 half-life weights, each in [-20, 20].
    min_half_life_days : float
        Lower clip, default 15 minutes (Settles & Meeder 2016), in [1e-6, 1].
    max_half_life_days : float
        Upper clip, default 274 days (about 9 months, ibid.), in [1, 36500].

    Examples
    --------
    >>> HLRParameters().max_half_life_days
    274.0
    """

    theta_bias: float = -1.743
    theta_right: float = 3.0
    theta_wrong: float = -1.5
    min_half_life_days: float = 15.0 / _MINUTES_PER_DAY
    max_half_life_days: float = 274.0

    def __post_init__(self) -> None:
        check_bounds(
            "HLRParameters",
            [
                ("theta_bias", self.theta_bias, -20.0, 20.0),
                ("theta_right", self.theta_right, -20.0, 20.0),
                ("theta_wrong", self.theta_wrong, -20.0, 20.0),
                ("min_half_life_days", self.min_half_life_days, 1e-6, 1.0),
                ("max_half_life_days", self.max_half_life_days, 1.0, 36500.0),
            ],
        )


@dataclass(frozen=True)
class HLRState(MemoryState):
    """HLR state: ``stability`` is the half-life in days; ``n_right``/``n_wrong`` counts.

    Counts may be fractional (partial touches, see ``gain``).
    """

    n_right: np.ndarray
    n_wrong: np.ndarray


@dataclass(frozen=True)
class HLRModel:
    """Half-life regression (Settles & Meeder 2016) for the population simulator.

    Examples
    --------
    >>> import numpy as np
    >>> m = HLRModel()
    >>> s = m.initial_state(np.array([3]))
    >>> m.retrievability(s, s.stability).tolist()
    [0.5]
    >>> m.review(s, np.array([3.0]), np.array([3])).n_right.tolist()
    [2.0]
    """

    name: ClassVar[str] = "hlr"
    parameters: HLRParameters = field(default_factory=HLRParameters)
    maximum_interval_days: int = 36500

    def half_life_days(self, n_right: np.ndarray, n_wrong: np.ndarray) -> np.ndarray:
        """``2^(theta . x)`` clipped to the half-life bounds.

        Examples
        --------
        >>> float(HLRModel().half_life_days(np.array(1.0), np.array(0.0)).round(3))
        2.0
        """
        p = self.parameters
        log2_h = (
            p.theta_bias
            + p.theta_right * np.sqrt(1 + np.asarray(n_right, dtype=float))
            + p.theta_wrong * np.sqrt(1 + np.asarray(n_wrong, dtype=float))
        )
        # clip in log space first (no overflow), then exactly to the bounds
        low, high = np.log2(p.min_half_life_days), np.log2(p.max_half_life_days)
        h = np.exp2(np.clip(log2_h, low - 1, high + 1))
        return np.clip(h, p.min_half_life_days, p.max_half_life_days)

    def initial_state(self, rating: np.ndarray) -> HLRState:
        """Counts after the first encounter: one correct (G >= 2) or one incorrect.

        Examples
        --------
        >>> HLRModel().initial_state(np.array([1, 3])).n_wrong.tolist()
        [1.0, 0.0]
        """
        g = check_ratings(rating)
        right = (g >= 2).astype(float)
        wrong = (g == 1).astype(float)
        return HLRState(stability=self.half_life_days(right, wrong), n_right=right, n_wrong=wrong)

    def retrievability(self, state: MemoryState, elapsed_days: np.ndarray | float) -> np.ndarray:
        """Recall probability ``2^(-t/h)``.

        Examples
        --------
        >>> s = HLRModel().initial_state(np.array([3]))
        >>> HLRModel().retrievability(s, 0.0).tolist()
        [1.0]
        """
        t = check_elapsed_days(elapsed_days)
        return np.exp2(-t / state.stability)

    def review(
        self,
        state: MemoryState,
        elapsed_days: np.ndarray | float,
        rating: np.ndarray | int,
        gain: np.ndarray | float = 1.0,
    ) -> HLRState:
        """Add one outcome to the counts (``gain`` of one for a success) and recompute h.

        ``elapsed_days`` is validated but does not change the update (HLR has no spacing
        term).

        Examples
        --------
        >>> m = HLRModel()
        >>> s = m.initial_state(np.array([3]))
        >>> m.review(s, 2.0, 3, gain=0.0).stability.tolist() == s.stability.tolist()
        True
        """
        if not isinstance(state, HLRState):
            raise ParameterError(
                f"HLRModel.review needs an HLRState, got {type(state).__name__}; fix: start "
                "from HLRModel().initial_state(ratings)"
            )
        check_elapsed_days(elapsed_days)
        g = check_ratings(rating)
        k = check_gain(gain)
        success = g >= 2
        right = state.n_right + np.where(success, k, 0.0)
        wrong = state.n_wrong + np.where(success, 0.0, 1.0)
        right, wrong = np.broadcast_arrays(right, wrong)
        return HLRState(stability=self.half_life_days(right, wrong), n_right=right, n_wrong=wrong)

    def interval_days(self, state: MemoryState, desired_retention: float, *, rounded: bool = True) -> np.ndarray:
        """Days until recall falls to ``desired_retention``: ``-h log2(r)``.

        Examples
        --------
        >>> HLRModel().interval_days(HLRState(stability=[10.0], n_right=[3.0],
        ...                                   n_wrong=[0.0]), 0.5).tolist()
        [10]
        """
        r = check_desired_retention(desired_retention)
        exact = -state.stability * np.log2(r)
        return round_interval_days(exact, self.maximum_interval_days) if rounded else exact

    @classmethod
    def from_kwargs(cls, **params: Any) -> HLRModel:
        """Build from parameter keywords (used by :func:`~workbench.memory.get_model`)."""
        return cls(parameters=HLRParameters(**params))
