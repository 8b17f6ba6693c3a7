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

Where the defaults come from (docs/memory-models.md has the derivation):

* ``S0`` for a first Good encounter, 36.5 days, is anchored to published recall after one
  study session: Cepeda et al. (2009, *Experimental Psychology* 56(4), 236-246),
  Experiments 1, 2a and 2b, recall at the start of session 2 (cued recall after one session
  of learning to criterion). Across those three materials recall was 25-48% after 28 days
  and 9-28% after 84 days; 36.5 days is the centre of the narrow range of ``S``
  (34.9-38.1 days) that keeps ``exp(-t/S)`` inside both. No single exponential through ``p(0) = 1`` fits the
  whole one-session curve (forgetting is closer to a power law: Wixted & Ebbesen 1991;
  Rubin & Wenzel 1996, *Psychological Review* 103(4), 734-760): with this default the model
  is about 5 points too high at day 1 and 4 points too high at day 7, and below the band
  from about 3 months on (1% at 168 days against 6-22%). Prefer FSRS-6 or ACT-R for
  horizons beyond 3 months.
* ``S0`` for Again, Hard and Easy keep the ratios of FSRS-6's default initial stabilities
  (py-fsrs 6.x ``w[0..3]`` = 0.212, 1.2931, 2.3065, 8.2956; ratio to Good 0.092, 0.561, 1,
  3.597): 3.35, 20.46, 36.5, 131.28 days.
* ``b`` and ``lapse_factor`` are FSRS-6's default stability increase and post-lapse
  stability (py-fsrs 6.x default weights) at the same point: stability 36.5 days,
  difficulty after a first Good, a review at 90% recall, where FSRS-6 multiplies stability
  by 2.581 (Hard), 3.628 (Good), 5.922 (Easy) and 0.0729 (Again). With ``p = 0.9`` the
  update above gives ``1 + 0.1 b``, hence ``b = (15.80, 26.28, 49.22)``.

Fit them to your own data (``workbench fit``) before quoting a number as a forecast.
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

_SOURCE = (
    "first-Good stability 36.5 d anchored to recall after one study session (Cepeda et al. 2009, "
    "Exp. 1, 2a, 2b: 25-48% at 28 d, 9-28% at 84 d); other ratings, review growth and lapse "
    "factor from FSRS-6 default weights (py-fsrs 6.x) at S = 36.5 d, R = 0.9"
)
_LIMITS = (
    "a single exponential cannot follow the whole one-session curve: inside the published band "
    "at 28 and 84 days, about 5 points high at day 1, below the band after about 3 months "
    "(Wixted & Ebbesen 1991; Rubin & Wenzel 1996)"
)


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
    >>> ExponentialParameters().initial_stability_days[2]
    36.5
    """

    # Good: Cepeda et al. (2009) one-session band; the others by FSRS-6 w[0..3] ratios
    initial_stability_days: tuple[float, float, float, float] = (3.35, 20.46, 36.5, 131.28)
    # FSRS-6 default stability increase at S = 36.5 d, R = 0.9 (see the module docstring)
    growth: tuple[float, float, float] = (15.80, 26.28, 49.22)
    lapse_factor: float = 0.0729
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
    >>> s = m.initial_state(np.array([3]))  # one study session, rated Good
    >>> m.retrievability(s, np.array([1.0, 28.0, 84.0])).round(3).tolist()
    [0.973, 0.464, 0.1]
    >>> m.review(s, np.array([3.85]), np.array([3])).stability.round(1).tolist()  # at p = 0.9
    [132.5]
    """

    name: ClassVar[str] = "exponential"
    parameters: ExponentialParameters = field(default_factory=ExponentialParameters)
    maximum_interval_days: int = 36500

    def initial_state(self, rating: np.ndarray) -> MemoryState:
        """State after the first encounter: ``S0[G]``.

        Examples
        --------
        >>> ExponentialModel().initial_state(np.array([1, 4])).stability.tolist()
        [3.35, 131.28]
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
        # annotated: numpy's stubs type ufunc results as Any
        recall: np.ndarray = np.exp(-t / state.stability)
        return recall

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

    def assumptions(self) -> dict[str, str]:
        """Where this model's parameters come from, for ``SimulationResult.assumptions``.

        Examples
        --------
        >>> sorted(ExponentialModel().assumptions())
        ['limits', 'source']
        """
        if self.parameters != ExponentialParameters():
            return {"source": "custom parameters (not the sourced defaults)", "limits": _LIMITS}
        return {"source": _SOURCE, "limits": _LIMITS}

    @classmethod
    def from_kwargs(cls, **params: Any) -> ExponentialModel:
        """Build from parameter keywords (used by :func:`~workbench.memory.get_model`)."""
        return cls(parameters=ExponentialParameters(**params))
