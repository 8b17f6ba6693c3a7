"""Exponential forgetting: ``p = exp(-t / S)``, a simple, transparent baseline.

The curve is Ebbinghaus' classic exponential retention function (Ebbinghaus, 1885, *Über
das Gedächtnis*; see Wixted & Ebbesen, 1991, *Psychological Science* 2(6), 409-415, for
the exponential-versus-power debate). Stability ``S`` is the e-folding time: recall falls
to ``1/e`` (37%) after ``S`` days.

The update is deliberately simple and says what it assumes:

* first encounter: ``S = S0[G]`` (days) for rating G;
* successful review (G >= 2): ``S' = S (1 + b[G] (1 - p))`` where ``p = exp(-t/S)`` is the
  recall probability at the review; stability grows more when more had been forgotten
  (the spacing / desirable-difficulty effect, Bjork, 1994), and a massed review (p close
  to 1) adds almost nothing;
* lapse (G = 1): ``S' = max(S * lapse_factor, min_stability_days)``.

Defaults are illustrative (chosen so that a Good review at p = 0.9 doubles stability, in
the range FSRS-6 defaults give for medium difficulty); fit them to your own data.
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

__all__ = ["ExponentialModel", "ExponentialParameters"]


@dataclass(frozen=True)
class ExponentialParameters:
    """Parameters of :class:`ExponentialModel`.

    Parameters
    ----------
    initial_stability_days : tuple of 4 floats
        ``S0`` after a first Again, Hard, Good, Easy, in days, each in [0.001, 36500].
    growth : tuple of 3 floats
        ``b`` for Hard, Good, Easy, each in [0, 100].
    lapse_factor : float
        Multiplier of stability after a lapse, in [0, 1].
    min_stability_days : float
        Floor of stability, in [1e-6, 1].

    Examples
    --------
    >>> ExponentialParameters().growth
    (5.0, 10.0, 15.0)
    """

    initial_stability_days: tuple[float, float, float, float] = (0.4, 1.0, 2.5, 6.0)
    growth: tuple[float, float, float] = (5.0, 10.0, 15.0)
    lapse_factor: float = 0.3
    min_stability_days: float = 0.001

    def __post_init__(self) -> None:
        s0 = tuple(self.initial_stability_days)
        b = tuple(self.growth)
        if len(s0) != 4 or len(b) != 3:
            raise ParameterError(
                f"ExponentialParameters needs 4 initial_stability_days (got {len(s0)}) and "
                f"3 growth values (got {len(b)}); fix: one per rating (Again..Easy) and "
                "(Hard, Good, Easy)"
            )
        items = [(f"initial_stability_days[{i}]", v, 0.001, 36500.0) for i, v in enumerate(s0)]
        items += [(f"growth[{i}]", v, 0.0, 100.0) for i, v in enumerate(b)]
        items += [
            ("lapse_factor", self.lapse_factor, 0.0, 1.0),
            ("min_stability_days", self.min_stability_days, 1e-6, 1.0),
        ]
        check_bounds("ExponentialParameters", items)
        object.__setattr__(self, "initial_stability_days", tuple(float(v) for v in s0))
        object.__setattr__(self, "growth", tuple(float(v) for v in b))


@dataclass(frozen=True)
class ExponentialModel:
    """Exponential forgetting ``p = exp(-t/S)`` with a spacing-sensitive update.

    Satisfies :class:`~workbench.memory.base.MemoryModel`; the state is a plain
    :class:`~workbench.memory.base.MemoryState` whose ``stability`` is the e-folding time.

    Examples
    --------
    >>> import numpy as np
    >>> m = ExponentialModel()
    >>> s = m.initial_state(np.array([3]))
    >>> m.retrievability(s, 2.5).round(4).tolist()
    [0.3679]
    >>> m.review(s, np.array([2.5]), np.array([3])).stability.round(3).tolist()
    [18.303]
    """

    name: ClassVar[str] = "exponential"
    parameters: ExponentialParameters = field(default_factory=ExponentialParameters)
    maximum_interval_days: int = 36500

    def initial_state(self, rating: np.ndarray) -> MemoryState:
        """State after the first encounter: ``S0[G]``.

        Examples
        --------
        >>> ExponentialModel().initial_state(np.array([1, 4])).stability.tolist()
        [0.4, 6.0]
        """
        g = check_ratings(rating)
        s0 = np.asarray(self.parameters.initial_stability_days)
        return MemoryState(stability=s0[g - 1])

    def retrievability(self, state: MemoryState, elapsed_days: np.ndarray | float) -> np.ndarray:
        """Recall probability ``exp(-t/S)``.

        Examples
        --------
        >>> s = MemoryState(stability=[2.0])
        >>> ExponentialModel().retrievability(s, 0.0).tolist()
        [1.0]
        """
        t = check_elapsed_days(elapsed_days)
        return np.exp(-t / state.stability)

    def review(
        self,
        state: MemoryState,
        elapsed_days: np.ndarray | float,
        rating: np.ndarray | int,
        gain: np.ndarray | float = 1.0,
    ) -> MemoryState:
        """State after a review; ``gain`` scales the stability change of successes.

        Examples
        --------
        >>> m = ExponentialModel()
        >>> s = MemoryState(stability=[2.0])
        >>> m.review(s, 1.0, 3, gain=0.0).stability.tolist()
        [2.0]
        """
        p = self.parameters
        t = check_elapsed_days(elapsed_days)
        g = check_ratings(rating)
        k = check_gain(gain)
        s = state.stability
        recall = np.exp(-t / s)
        b = np.asarray((0.0, *p.growth))[np.clip(g - 1, 0, 3)]
        s_success = s * (1 + b * (1 - recall))
        s_lapse = np.maximum(s * p.lapse_factor, p.min_stability_days)
        s_success = (1 - k) * s + k * s_success
        return MemoryState(stability=np.where(g == 1, s_lapse, s_success))

    def interval_days(self, state: MemoryState, desired_retention: float, *, rounded: bool = True) -> np.ndarray:
        """Days until recall falls to ``desired_retention``: ``-S ln(r)``, rounded like FSRS.

        Examples
        --------
        >>> ExponentialModel().interval_days(MemoryState(stability=[100.0]), 0.9).tolist()
        [11]
        """
        r = check_desired_retention(desired_retention)
        exact = -state.stability * np.log(r)
        return round_interval_days(exact, self.maximum_interval_days) if rounded else exact

    @classmethod
    def from_kwargs(cls, **params: Any) -> ExponentialModel:
        """Build from parameter keywords (used by :func:`~workbench.memory.get_model`)."""
        return cls(parameters=ExponentialParameters(**params))
