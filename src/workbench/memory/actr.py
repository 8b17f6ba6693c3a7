"""ACT-R declarative memory with spacing-sensitive decay (Pavlik & Anderson, 2005).

Pavlik, P. I. & Anderson, J. R. (2005). Practice and forgetting effects on vocabulary
memory: An activation-based model of the spacing effect. *Cognitive Science*, 29(4),
559-586. See also Pavlik & Anderson (2008), *Journal of Experimental Psychology: Applied*
14(2), 101-117, and the ACT-R base-level learning equation (Anderson & Schooler, 1991).

Each touch leaves a memory trace. Activation sums the decaying traces,

``m(t) = ln( sum_j w_j (h * age_j(t))^(-d_j) )``,

and the decay of a new trace depends on the activation when it is laid down,
``d_new = c e^(m) + a``: a touch when memory is still strong (massed) decays fast, a
spaced one slowly. That is the model's account of the spacing effect. Recall probability
is logistic in activation, ``p = 1 / (1 + e^((tau - m) / s))``.

Units. Ages are kept in days; ``h`` (``seconds_per_day``) converts them to the
"psychological seconds" of the published fits, where Pavlik & Anderson scale time between
sessions by a factor of about 0.025 (86400 * 0.025 = 2160 s per day). A trace is never
younger than one psychological second, which avoids the infinite activation at age 0.

Defaults are of the order reported by Pavlik & Anderson for paired-associate vocabulary
(c = 0.217, a = 0.177, tau = -0.704, s = 0.255, h = 0.025); treat them as illustrative
for workplace concepts and fit them to your own data.

Approximation: the state keeps the ``max_traces`` most recent traces (default 16); older
ones are dropped. ``stability`` is the half-life: days from the last touch until recall
falls to 50% (found by bisection), so plots can compare it with HLR's half-life.

``gain`` weights the new trace of a successful review (``w = gain``; lapses always add a
full trace). ``gain=0`` therefore adds no memory at all: the recall curve continues as if
the touch had not happened (``stability``, measured from the latest touch, shrinks by the
elapsed time accordingly).
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

__all__ = ["ACTRModel", "ACTRParameters", "ACTRState"]

_BISECTION_STEPS = 22
_FALSE_POSITION_STEPS = 2
_LOG_T_LOW, _LOG_T_HIGH = np.log(1e-7), np.log(1e6)


@dataclass(frozen=True)
class ACTRParameters:
    """Parameters of :class:`ACTRModel` (Pavlik & Anderson 2005 notation).

    Parameters
    ----------
    decay_scale : float
        ``c``, in [0, 2].
    decay_intercept : float
        ``a``, in [0.01, 2].
    threshold : float
        ``tau``, retrieval threshold, in [-10, 10].
    noise : float
        ``s``, logistic noise, in [0.01, 5].
    seconds_per_day : float
        ``h``, psychological seconds per elapsed day, in [1, 86400].
    max_traces : int
        Number of most recent traces kept, in [1, 256].

    Examples
    --------
    >>> ACTRParameters().seconds_per_day
    2160.0
    """

    decay_scale: float = 0.217
    decay_intercept: float = 0.177
    threshold: float = -0.704
    noise: float = 0.255
    seconds_per_day: float = 86400.0 * 0.025
    max_traces: int = 16

    def __post_init__(self) -> None:
        check_bounds(
            "ACTRParameters",
            [
                ("decay_scale", self.decay_scale, 0.0, 2.0),
                ("decay_intercept", self.decay_intercept, 0.01, 2.0),
                ("threshold", self.threshold, -10.0, 10.0),
                ("noise", self.noise, 0.01, 5.0),
                ("seconds_per_day", self.seconds_per_day, 1.0, 86400.0),
                ("max_traces", self.max_traces, 1, 256),
            ],
        )
        if int(self.max_traces) != self.max_traces:
            raise ParameterError(
                f"ACTRParameters.max_traces = {self.max_traces!r} must be a whole number; fix: use e.g. 16"
            )


@dataclass(frozen=True)
class ACTRState(MemoryState):
    """ACT-R state: per cell, the most recent traces along a trailing axis.

    ``trace_age_days``: age of each trace at the last touch (NaN = empty slot, newest
    last); ``trace_decay``: its decay ``d``; ``trace_weight``: its weight ``w``.
    ``stability`` is the half-life in days from the last touch.
    """

    trace_age_days: np.ndarray
    trace_decay: np.ndarray
    trace_weight: np.ndarray


@dataclass(frozen=True)
class ACTRModel:
    """ACT-R activation with spacing-sensitive decay (Pavlik & Anderson 2005).

    Examples
    --------
    >>> import numpy as np
    >>> m = ACTRModel()
    >>> s = m.initial_state(np.array([3]))
    >>> m.retrievability(s, s.stability).round(6).tolist()
    [0.5]
    >>> spaced = m.review(s, np.array([2.0]), np.array([3]))
    >>> massed = m.review(s, np.array([0.001]), np.array([3]))
    >>> bool(m.retrievability(spaced, 7.0)[0] > m.retrievability(massed, 8.999)[0])
    True
    """

    name: ClassVar[str] = "actr"
    parameters: ACTRParameters = field(default_factory=ACTRParameters)
    maximum_interval_days: int = 36500

    # -- core formulas on raw arrays
    def _activation(self, ages: np.ndarray, decays: np.ndarray, weights: np.ndarray, t: np.ndarray) -> np.ndarray:
        p = self.parameters
        age_s = np.maximum((ages + t[..., None]) * p.seconds_per_day, 1.0)
        with np.errstate(invalid="ignore"):
            terms = weights * np.power(age_s, -decays)
        total = np.where(np.isnan(ages), 0.0, terms).sum(axis=-1)
        with np.errstate(divide="ignore"):
            return np.log(total)

    def _probability(self, activation: np.ndarray) -> np.ndarray:
        p = self.parameters
        with np.errstate(over="ignore"):
            return 1.0 / (1.0 + np.exp((p.threshold - activation) / p.noise))

    def _time_to(self, state: ACTRState, probability: np.ndarray) -> np.ndarray:
        """Days after the last touch until recall falls to ``probability``.

        Activation decreases with time, so the root is bracketed in log-days: bisection
        narrows the bracket, then false-position steps polish the root.
        """
        p = self.parameters
        target = p.threshold - p.noise * np.log(1 / probability - 1)  # activation at p
        ages, decays, weights = state.trace_age_days, state.trace_decay, state.trace_weight
        shape = ages.shape[:-1]
        target = np.broadcast_to(target, shape)

        def excess(log_days: np.ndarray) -> np.ndarray:
            return self._activation(ages, decays, weights, np.exp(log_days)) - target

        low, high = np.full(shape, _LOG_T_LOW), np.full(shape, _LOG_T_HIGH)
        f_low, f_high = excess(low), excess(high)
        for _ in range(_BISECTION_STEPS):
            mid = 0.5 * (low + high)
            f_mid = excess(mid)
            above = f_mid > 0
            low, f_low = np.where(above, mid, low), np.where(above, f_mid, f_low)
            high, f_high = np.where(above, high, mid), np.where(above, f_high, f_mid)
        root = 0.5 * (low + high)
        for _ in range(_FALSE_POSITION_STEPS):
            with np.errstate(invalid="ignore", divide="ignore"):
                guess = low - f_low * (high - low) / (f_high - f_low)
            ok = np.isfinite(guess) & (guess > low) & (guess < high)
            root = np.where(ok, guess, 0.5 * (low + high))
            f_root = excess(root)
            above = f_root > 0
            low, f_low = np.where(above, root, low), np.where(above, f_root, f_low)
            high, f_high = np.where(above, high, root), np.where(above, f_high, f_root)
        start = self._activation(ages, decays, weights, np.zeros(shape))
        return np.where(start <= target, 0.0, np.exp(root))

    def _with_stability(self, ages: np.ndarray, decays: np.ndarray, weights: np.ndarray) -> ACTRState:
        nan_state = ACTRState(
            stability=np.zeros(ages.shape[:-1]),
            trace_age_days=ages,
            trace_decay=decays,
            trace_weight=weights,
        )
        half_life = self._time_to(nan_state, np.asarray(0.5))
        return nan_state.replace(stability=half_life)

    # -- protocol
    def initial_state(self, rating: np.ndarray) -> ACTRState:
        """One fresh trace with decay ``a`` (there is no prior activation).

        The first rating is validated but does not change the trace.

        Examples
        --------
        >>> ACTRModel().initial_state(np.array([3, 3])).trace_decay.shape
        (2, 16)
        """
        g = check_ratings(rating)
        k = int(self.parameters.max_traces)
        ages = np.full((*g.shape, k), np.nan)
        ages[..., -1] = 0.0
        decays = np.zeros((*g.shape, k))
        decays[..., -1] = self.parameters.decay_intercept
        weights = np.zeros((*g.shape, k))
        weights[..., -1] = 1.0
        return self._with_stability(ages, decays, weights)

    def activation(self, state: ACTRState, elapsed_days: np.ndarray | float) -> np.ndarray:
        """Activation ``m`` after ``elapsed_days`` since the last touch.

        Examples
        --------
        >>> s = ACTRModel().initial_state(np.array([3]))
        >>> ACTRModel().activation(s, 0.0).tolist()
        [0.0]
        """
        t = check_elapsed_days(elapsed_days)
        t = np.broadcast_to(t, np.broadcast_shapes(t.shape, state.shape))
        return self._activation(state.trace_age_days, state.trace_decay, state.trace_weight, t)

    def retrievability(self, state: MemoryState, elapsed_days: np.ndarray | float) -> np.ndarray:
        """Recall probability ``1 / (1 + e^((tau - m)/s))``.

        Examples
        --------
        >>> s = ACTRModel().initial_state(np.array([3]))
        >>> ACTRModel().retrievability(s, 0.0).round(3).tolist()
        [0.941]
        """
        if not isinstance(state, ACTRState):
            raise ParameterError(
                f"ACTRModel needs an ACTRState, got {type(state).__name__}; fix: start "
                "from ACTRModel().initial_state(ratings)"
            )
        return self._probability(self.activation(state, elapsed_days))

    def review(
        self,
        state: MemoryState,
        elapsed_days: np.ndarray | float,
        rating: np.ndarray | int,
        gain: np.ndarray | float = 1.0,
    ) -> ACTRState:
        """Age every trace by ``elapsed_days`` and add a new one.

        Examples
        --------
        >>> m = ACTRModel()
        >>> s = m.initial_state(np.array([3]))
        >>> m.review(s, np.array([1.0]), np.array([3])).trace_age_days[0, -2:].tolist()
        [1.0, 0.0]
        """
        if not isinstance(state, ACTRState):
            raise ParameterError(
                f"ACTRModel.review needs an ACTRState, got {type(state).__name__}; fix: "
                "start from ACTRModel().initial_state(ratings)"
            )
        p = self.parameters
        shape = state.shape
        t = np.broadcast_to(check_elapsed_days(elapsed_days), shape)
        g = np.broadcast_to(check_ratings(rating), shape)
        k = np.broadcast_to(check_gain(gain), shape)
        ages, decays, weights = state.trace_age_days, state.trace_decay, state.trace_weight
        m = self._activation(ages, decays, weights, t)
        new_decay = p.decay_scale * np.exp(m) + p.decay_intercept
        new_weight = np.where(g == 1, 1.0, k)
        ages = np.concatenate([ages[..., 1:] + t[..., None], np.zeros((*shape, 1))], axis=-1)
        decays = np.concatenate([decays[..., 1:], new_decay[..., None]], axis=-1)
        weights = np.concatenate([weights[..., 1:], new_weight[..., None]], axis=-1)
        return self._with_stability(ages, decays, weights)

    def interval_days(self, state: MemoryState, desired_retention: float, *, rounded: bool = True) -> np.ndarray:
        """Days until recall falls to ``desired_retention`` (bisection), rounded like FSRS.

        Examples
        --------
        >>> m = ACTRModel()
        >>> m.interval_days(m.initial_state(np.array([3])), 0.5).tolist()
        [1]
        """
        if not isinstance(state, ACTRState):
            raise ParameterError(
                f"ACTRModel needs an ACTRState, got {type(state).__name__}; fix: start "
                "from ACTRModel().initial_state(ratings)"
            )
        r = check_desired_retention(desired_retention)
        exact = self._time_to(state, r)
        return round_interval_days(exact, self.maximum_interval_days) if rounded else exact

    @classmethod
    def from_kwargs(cls, **params: Any) -> ACTRModel:
        """Build from parameter keywords (used by :func:`~workbench.memory.get_model`)."""
        return cls(parameters=ACTRParameters(**params))
