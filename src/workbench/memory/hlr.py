"""Half-life regression (HLR): ``p = 2^(-t/h)`` with a log-linear half-life.

Settles, B. & Meeder, B. (2016). A Trainable Spaced Repetition Model for Language
Learning. *Proceedings of ACL 2016*, 1848-1858. The half-life is ``h = 2^(theta . x)``
for a feature vector ``x``, clipped to [15 minutes, 274 days] as in the authors' reference
implementation (github.com/duolingo/halflife-regression). The features here are a bias and
the square roots of the counts of past correct and incorrect recalls,

``log2 h = theta_bias + theta_right sqrt(n_right) + theta_wrong sqrt(n_wrong)``,

the form of the HLR baseline of the FSRS benchmark (open-spaced-repetition/srs-benchmark,
``models/hlr.py``). Lexeme features are left out (a learning journey has no lexemes); the
state is the pair of counts.

HLR is binary: Hard, Good and Easy all count as a correct recall, Again as an incorrect
one, and the half-life does not depend on *when* the review happens (HLR has no spacing
effect beyond the counts; a known limitation).

``gain`` adds a fraction of a correct recall: ``n_right += gain`` (``gain=0`` leaves the
half-life unchanged, ``gain=1`` is the plain HLR update); between those the half-life moves
monotonically, though not linearly, toward the full update.

Where the defaults come from (docs/memory-models.md has the derivation). The published
weights are for another task: Settles & Meeder fit theirs to Duolingo word practice (with
per-word features, and the paper does not list the count weights), and the srs-benchmark
weights (``theta_right = 2.5819``, ``theta_wrong = -0.8674``, ``theta_bias = 2.7245``)
are fitted to Anki flashcard reviews, where the first review follows same-day learning
steps. Those weights give a 40-day half-life after one correct encounter, far above what
one study session of new material leaves (recall 84-92% after 1 day, 44-79% after 7 days in
Cepeda et al. 2009). So the count weights are srs-benchmark's, and the bias is re-anchored
to a first exposure: ``theta_bias = 2.079`` gives a 25.3-day half-life after one correct
encounter, the centre of the range (24.2-26.4 days) that keeps ``2^(-t/h)`` inside the
published one-session band at 28 days (25-48%) and 84 days (9-28%) (Cepeda et al. 2009,
Experiments 1, 2a, 2b). Like any single exponential, the curve is about 5 points high at
day 1 and below the band after about 3 months (Wixted & Ebbesen 1991). Fit your own weights
from review logs before quoting a number as a forecast.
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

_SOURCE = (
    "count weights from the HLR baseline of the FSRS benchmark (fitted to Anki flashcard "
    "reviews; Settles & Meeder 2016 fit theirs to Duolingo word practice): another task; bias "
    "re-anchored so one correct encounter gives a 25.3-day half-life, inside recall after one "
    "study session (Cepeda et al. 2009, Exp. 1, 2a, 2b) at 28 and 84 days"
)
_LIMITS = (
    "binary outcomes and no spacing effect; a single exponential: about 5 points high at day 1, "
    "below the one-session band after about 3 months"
)

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

    # srs-benchmark's count weights; bias re-anchored to one study session (module docstring)
    theta_bias: float = 2.079
    theta_right: float = 2.5819
    theta_wrong: float = -0.8674
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
        >>> HLRModel().half_life_days(np.array([1.0, 2.0]), np.array([0.0, 0.0])).round(1).tolist()
        [25.3, 53.1]
        """
        p = self.parameters
        log2_h = (
            p.theta_bias
            + p.theta_right * np.sqrt(np.asarray(n_right, dtype=float))
            + p.theta_wrong * np.sqrt(np.asarray(n_wrong, dtype=float))
        )
        # clip in log space first (no overflow), then exactly to the bounds
        low, high = np.log2(p.min_half_life_days), np.log2(p.max_half_life_days)
        h = np.exp2(np.clip(log2_h, low - 1, high + 1))
        # annotated: numpy's stubs type ufunc results as Any
        half_life: np.ndarray = np.clip(h, p.min_half_life_days, p.max_half_life_days)
        return half_life

    def initial_state(self, rating: np.ndarray) -> HLRState:
        """Return the counts after the first encounter: one correct (G >= 2) or one incorrect.

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
        # annotated: numpy's stubs type ufunc results as Any
        recall: np.ndarray = np.exp2(-t / state.stability)
        return recall

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

    def assumptions(self) -> dict[str, str]:
        """Where this model's parameters come from, for ``SimulationResult.assumptions``.

        Examples
        --------
        >>> HLRModel().assumptions()["limits"].startswith("binary outcomes")
        True
        """
        if self.parameters != HLRParameters():
            return {"source": "custom parameters (not the sourced defaults)", "limits": _LIMITS}
        return {"source": _SOURCE, "limits": _LIMITS}

    @classmethod
    def from_kwargs(cls, **params: Any) -> HLRModel:
        """Build from parameter keywords (used by :func:`~workbench.memory.get_model`)."""
        return cls(parameters=HLRParameters(**params))
