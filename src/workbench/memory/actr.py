"""ACT-R declarative memory with spacing-sensitive decay (Pavlik & Anderson, 2005).

Pavlik, P. I. & Anderson, J. R. (2005). Practice and forgetting effects on vocabulary
memory: An activation-based model of the spacing effect. *Cognitive Science*, 29(4),
559-586. See also Pavlik & Anderson (2008), *Journal of Experimental Psychology: Applied*
14(2), 101-117, and the ACT-R base-level learning equation (Anderson & Schooler, 1991).

Each touch leaves a memory trace. Activation sums the decaying traces,

``m(t) = beta + ln( sum_j w_j (h * age_j(t))^(-d_j) )``,

and the decay of a new trace depends on the activation when it is laid down,
``d_new = c e^(m) + a``: a touch when memory is still strong (massed) decays fast, a
spaced one slowly. That is the model's account of the spacing effect. Recall probability
is logistic in activation, ``p = 1 / (1 + e^((tau - m) / s))``.

Units. Ages are kept in days; ``h`` (``seconds_per_day``) converts them to the
"psychological seconds" of the published fits, where Pavlik & Anderson scale time between
sessions by a factor of 0.025 (86400 * 0.025 = 2160 s per day). A trace is never younger
than one psychological second, which avoids the infinite activation at age 0.

Where the defaults come from (docs/memory-models.md has the derivation):

* ``a = 0.177``, ``c = 0.217``, ``tau = -0.704``, ``s = 0.255``, ``h = 0.025``: Pavlik &
  Anderson (2005), fitted to Japanese-English word pairs; the same values (to more
  digits) start the ACT-R model of the FSRS benchmark (open-spaced-repetition/srs-benchmark,
  ``models/act_r.py``).
* ``beta`` (``base_level_constant``), ACT-R's base-level constant, 1.14. Pavlik &
  Anderson's parameters describe one presentation of a word pair: with ``beta = 0`` one
  trace gives 7% recall a day later, which is right for a single flashcard trial and far
  below what one study session leaves (84-92% after 1 day in Cepeda et al. 2009). The
  offset re-anchors the first exposure to a study session: any ``beta`` from 1.08 to 1.20
  keeps the single-session curve inside the recall reported by Cepeda et al. (2009,
  *Experimental Psychology* 56(4), 236-246), Experiments 1, 2a and 2b, at every delay they
  measured (1 to 168 days); 1.14 is the centre of that range. ``beta`` is a per-material
  intercept in Pavlik & Anderson (2008), so this is a choice of material, not a change to
  the model; fit it (and the rest) to your own quiz results.

Approximation: the state keeps the ``max_traces`` most recent traces (default 16); older
ones are dropped. ``stability`` is the half-life: days from the last touch until recall
falls to 50% (found by a safeguarded Newton iteration), so plots can compare it with HLR's
half-life.

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

_LOG_T_LOW, _LOG_T_HIGH = np.log(1e-7), np.log(1e6)
# Newton on log-days converges quadratically; the cap only guards against a pathological cell
_NEWTON_MAX_STEPS = 60
_NEWTON_TOLERANCE = 1e-10
# slot terms a separate bucket of cells must save to pay for its extra numpy calls (_Traces)
_BUCKET_SAVING = 4096

_SOURCE = (
    "decay a = 0.177, c = 0.217, threshold -0.704, noise 0.255, time scale 0.025 from Pavlik & "
    "Anderson (2005), fitted to single presentations of Japanese-English word pairs (another "
    "task); base-level constant 1.14 re-anchors a first exposure to one study session, inside "
    "the recall reported after one session by Cepeda et al. (2009, Exp. 1, 2a, 2b) at 1-168 days"
)
_LIMITS = (
    "keeps the 16 most recent traces; the first rating does not change the first trace; "
    "touch gains weight the new trace"
)


@dataclass(frozen=True)
class ACTRParameters:
    """Parameters of :class:`ACTRModel` (Pavlik & Anderson 2005 notation).

    Parameters
    ----------
    decay_scale : float
        ``c``, in [0, 2].
    base_level_constant : float
        ``beta``, added to every activation, in [-10, 10] (see the module docstring).
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
    # one study session instead of one word-pair trial (Cepeda et al. 2009 band; docstring)
    base_level_constant: float = 1.14
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
                ("base_level_constant", self.base_level_constant, -10.0, 10.0),
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
    @staticmethod
    def _sum_slots(terms: np.ndarray) -> np.ndarray:
        """Sum over the slot axis newest first, one slot at a time.

        A fixed order makes a cell's sum independent of how many leading empty slots were
        dropped with it (numpy's pairwise sum groups terms by their count): the same cell gives
        the same double whichever other cells it is computed with. Empty slots would add 0.0
        last, which changes no sum, so they are never added (see :class:`_Traces`).
        """
        total = terms[..., -1].copy()
        for slot in range(terms.shape[-1] - 2, -1, -1):
            total += terms[..., slot]
        return total

    def _activation(self, ages: np.ndarray, decays: np.ndarray, weights: np.ndarray, t: np.ndarray) -> np.ndarray:
        cells = ages.shape[:-1]
        lead = t.shape[: t.ndim - len(cells)]
        if t.shape[len(lead) :] != cells:  # t widens the cells themselves: give every cell its traces
            cells = t.shape[len(lead) :]
            ages, decays, weights = (np.broadcast_to(a, (*cells, ages.shape[-1])) for a in (ages, decays, weights))
        traces = _Traces(ages, decays, weights)
        return traces.activation(self.parameters, t.reshape(*lead, traces.n)).reshape(t.shape)

    def _probability(self, activation: np.ndarray) -> np.ndarray:
        p = self.parameters
        with np.errstate(over="ignore"):
            return 1.0 / (1.0 + np.exp((p.threshold - activation) / p.noise))

    def _time_to(self, state: ACTRState, probability: np.ndarray) -> np.ndarray:
        """Days after the last touch until recall falls to ``probability``.

        Activation falls with time, so the root in log-days is unique. A Newton iteration on
        log-days, with the analytic slope, starts at the time the newest trace alone would
        take (a lower bound: the other traces only add activation) and is kept inside a
        bracket that each step narrows; a step leaving the bracket bisects it instead. Each
        step works only on the cells that have not converged yet, each cell on its own traces.
        """
        p = self.parameters
        shape = state.shape
        traces = _Traces(state.trace_age_days, state.trace_decay, state.trace_weight)
        # cells sorted by their number of traces: the cells left at any step then form one run
        # per bucket, and each run sums only its bucket's slots (a cell's doubles do not depend
        # on its order or its neighbours)
        ages, decays, weights = traces.ages, traces.decays, traces.weights
        counts, numbers, slots = traces.counts, traces.tops, traces.slots
        target = traces.sort(np.broadcast_to(p.threshold - p.noise * np.log(1 / probability - 1), shape).reshape(-1))
        h = p.seconds_per_day

        def excess_and_slope(log_days: np.ndarray, cells: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            t = np.exp(log_days)[:, None]
            excess, slope = np.empty(cells.size), np.empty(cells.size)
            bounds = np.searchsorted(counts[cells], numbers, side="right")
            first = 0
            for number, stop in zip(numbers, bounds, strict=True):
                if stop == first:
                    continue
                rows, tt, keep = cells[first:stop], t[first:stop], slice(slots - int(number), None)
                # whole rows, then the bucket's slots: faster than a fancy index with a slice
                raw = (np.take(ages, rows, axis=0)[:, keep] + tt) * h
                age_s = np.maximum(raw, 1.0)
                d = np.take(decays, rows, axis=0)[:, keep]
                terms = np.take(weights, rows, axis=0)[:, keep] * np.power(age_s, -d)
                total = self._sum_slots(terms)
                with np.errstate(divide="ignore", invalid="ignore"):
                    excess[first:stop] = p.base_level_constant + np.log(total) - target[rows]
                    # d/dlog(t) of ln(age_s^-d) is -d t h / age_s while unclamped, 0 when clamped
                    slope_terms = np.where(raw > 1.0, -d * terms * (tt * h / age_s), 0.0)
                    slope[first:stop] = self._sum_slots(slope_terms) / total
                first = stop
            return excess, slope

        n = target.size
        low, high = np.full(n, _LOG_T_LOW), np.full(n, _LOG_T_HIGH)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            guess = (p.base_level_constant + np.log(weights[:, -1]) - target) / decays[:, -1] - np.log(h)
        x = np.where(np.isfinite(guess), np.clip(guess, _LOG_T_LOW, _LOG_T_HIGH), 0.5 * (low + high))
        # at the touch (t = 0), on the buckets' views: no gathers, no slope
        start = traces.sorted_activation(p, np.zeros(n)) - target
        cells = np.flatnonzero(start > 0)  # recall already below the target at the touch: 0 days
        for _ in range(_NEWTON_MAX_STEPS):
            xc, lo, hi = x[cells], low[cells], high[cells]
            f, slope = excess_and_slope(xc, cells)
            above = f > 0
            lo, hi = np.where(above, xc, lo), np.where(above, hi, xc)
            with np.errstate(divide="ignore", invalid="ignore"):
                proposal = xc - np.where(slope < 0, f / slope, np.inf)
            # inclusive: at the root the step is ~0 and lands on the bracket end just set to x
            inside = np.isfinite(proposal) & (proposal >= lo) & (proposal <= hi)
            new_x = np.where(inside, proposal, 0.5 * (lo + hi))
            x[cells], low[cells], high[cells] = new_x, lo, hi
            cells = cells[np.abs(new_x - xc) > _NEWTON_TOLERANCE]
            if cells.size == 0:
                break
        return traces.unsort(np.where(start <= 0, 0.0, np.exp(x))).reshape(shape)

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
        >>> ACTRModel().activation(s, 0.0).tolist()  # the base-level constant
        [1.14]
        """
        t = check_elapsed_days(elapsed_days)
        t = np.broadcast_to(t, np.broadcast_shapes(t.shape, state.shape))
        return self._activation(state.trace_age_days, state.trace_decay, state.trace_weight, t)

    def retrievability(self, state: MemoryState, elapsed_days: np.ndarray | float) -> np.ndarray:
        """Recall probability ``1 / (1 + e^((tau - m)/s))``.

        Examples
        --------
        >>> s = ACTRModel().initial_state(np.array([3]))
        >>> ACTRModel().retrievability(s, np.array([0.0, 1.0, 28.0, 168.0])).round(3).tolist()
        [0.999, 0.87, 0.399, 0.16]
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
        shape = state.shape
        t = np.broadcast_to(check_elapsed_days(elapsed_days), shape)
        g = np.broadcast_to(check_ratings(rating), shape)
        k = np.broadcast_to(check_gain(gain), shape)
        new_weight = np.where(g == 1, 1.0, k)
        traces = self._add_trace(state.trace_age_days, state.trace_decay, state.trace_weight, t, new_weight)
        return self._with_stability(*traces)

    def _add_trace(
        self, ages: np.ndarray, decays: np.ndarray, weights: np.ndarray, t: np.ndarray, new_weight: np.ndarray | float
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Traces after a touch ``t`` days after the last one that lays down a trace of weight ``new_weight``.

        The new trace's decay depends on the activation at the touch (``d = c e^m + a``). The
        half-life (``stability``) is left to the caller: it depends on the traces alone.
        """
        p = self.parameters
        shape = t.shape
        m = self._activation(ages, decays, weights, t)
        new_decay = p.decay_scale * np.exp(m) + p.decay_intercept
        new_weight = np.broadcast_to(new_weight, shape)
        ages = np.concatenate([ages[..., 1:] + t[..., None], np.zeros((*shape, 1))], axis=-1)
        decays = np.concatenate([decays[..., 1:], new_decay[..., None]], axis=-1)
        weights = np.concatenate([weights[..., 1:], new_weight[..., None]], axis=-1)
        return ages, decays, weights

    def interval_days(self, state: MemoryState, desired_retention: float, *, rounded: bool = True) -> np.ndarray:
        """Days until recall falls to ``desired_retention`` (Newton on log-days), rounded like FSRS.

        Examples
        --------
        >>> m = ACTRModel()
        >>> m.interval_days(m.initial_state(np.array([3])), 0.5).tolist()
        [15]
        """
        if not isinstance(state, ACTRState):
            raise ParameterError(
                f"ACTRModel needs an ACTRState, got {type(state).__name__}; fix: start "
                "from ACTRModel().initial_state(ratings)"
            )
        r = check_desired_retention(desired_retention)
        exact = self._time_to(state, r)
        return round_interval_days(exact, self.maximum_interval_days) if rounded else exact

    def assumptions(self) -> dict[str, str]:
        """Where this model's parameters come from, for ``SimulationResult.assumptions``.

        Examples
        --------
        >>> "Pavlik & Anderson (2005)" in ACTRModel().assumptions()["source"]
        True
        """
        if self.parameters != ACTRParameters():
            return {"source": "custom parameters (not the sourced defaults)", "limits": _LIMITS}
        return {"source": _SOURCE, "limits": _LIMITS}

    @classmethod
    def from_kwargs(cls, **params: Any) -> ACTRModel:
        """Build from parameter keywords (used by :func:`~workbench.memory.get_model`)."""
        return cls(parameters=ACTRParameters(**params))


class _Traces:
    """Cells' traces, flattened to (cells x slots) and sorted by how many slots each cell occupies.

    Traces fill the slots from the end, so a cell's traces are its last ``counts`` slots (a
    cell always counts at least one slot); empty slots among them are zero-weighted. A cell's
    activation sums only its bucket's slots, newest first: the empty ones it leaves out would
    add 0.0 last and change nothing, so the doubles are the same with less work. Built once,
    it serves any number of elapsed times (e.g. a batch of grid days).
    """

    def __init__(self, ages: np.ndarray, decays: np.ndarray, weights: np.ndarray) -> None:
        slots = ages.shape[-1]
        ages, decays, weights = (a.reshape(-1, slots) for a in (ages, decays, weights))
        self.n = ages.shape[0]
        empty = np.isnan(ages)
        # leading slots empty in every cell are dropped at once
        column_empty = empty.all(axis=0)
        drop = int(np.argmin(column_empty)) if not column_empty.all() else slots - 1
        self.slots = slots = slots - drop
        empty = empty[:, drop:]
        # slots before a cell's oldest trace are empty; a cell with none still counts its newest slot
        counts = slots - np.argmin(empty, axis=1)
        counts[(counts == slots) & empty[:, 0]] = 1  # argmin 0: oldest slot occupied, or none
        # cells in order of their counts (stable); None: already in order
        order: np.ndarray | None = np.argsort(counts, kind="stable")
        if bool(np.all(order == np.arange(self.n))):
            order = None
        self.order = order

        def sort(array: np.ndarray) -> np.ndarray:
            # whole contiguous rows: np.take on a strided view of some columns is several times slower
            return array if order is None else np.take(array, order, axis=0)

        self.counts = sort(counts)
        ages, decays, weights = sort(ages)[:, drop:], sort(decays)[:, drop:], sort(weights)[:, drop:]
        empty = np.isnan(ages)
        self.ages = np.where(empty, 0.0, ages)
        self.decays = decays
        self.weights = np.where(empty, 0.0, weights)
        self.tops = self._buckets(self.counts)
        # one run of sorted cells per bucket, with views of its slots
        self.groups: list[tuple[slice, np.ndarray, np.ndarray, np.ndarray]] = []
        bounds = np.searchsorted(self.counts, self.tops, side="right")
        first = 0
        for top, stop in zip(self.tops, bounds, strict=True):
            rows, keep = slice(first, int(stop)), slice(slots - int(top), None)
            self.groups.append((rows, self.ages[rows, keep], self.decays[rows, keep], self.weights[rows, keep]))
            first = int(stop)

    @staticmethod
    def _buckets(counts: np.ndarray) -> np.ndarray:
        """Largest slot count of each bucket of cells, ascending (a cell sums its bucket's slots).

        A cell may sum more slots than it occupies (extra empty slots add 0.0 last), so cells
        with few traces get a bucket of their own only where that saves more work than one
        more pass of numpy calls costs (about ``_BUCKET_SAVING`` slot terms).
        """
        numbers, sizes = np.unique(counts, return_counts=True)
        tops = [int(numbers[-1])]
        cells_below = int(sizes.sum()) - int(sizes[-1])
        for number, size in zip(numbers[-2::-1], sizes[-2::-1], strict=True):
            # cells with at most `number` slots, summed over `number` instead of the bucket's top
            if (tops[-1] - int(number)) * cells_below >= _BUCKET_SAVING:
                tops.append(int(number))
            cells_below -= int(size)
        return np.array(tops[::-1])

    def sort(self, values: np.ndarray) -> np.ndarray:
        """``values`` (..., cells) in the sorted cells' order."""
        return values if self.order is None else np.take(values, self.order, axis=-1)

    def unsort(self, values: np.ndarray) -> np.ndarray:
        """``values`` (..., sorted cells) back in the cells' order."""
        if self.order is None:
            return values
        result = np.empty_like(values)
        result[..., self.order] = values
        return result

    def activation(self, p: ACTRParameters, t: np.ndarray) -> np.ndarray:
        """Activation after ``t`` days, shape (..., cells): ``beta + ln(sum_j w_j (h age_j)^-d_j)``."""
        return self.unsort(self.sorted_activation(p, self.sort(t)))

    def sorted_activation(self, p: ACTRParameters, t: np.ndarray) -> np.ndarray:
        """:meth:`activation` with ``t`` and the result in the sorted cells' order."""
        total = np.empty(t.shape)
        for rows, ages, decays, weights in self.groups:
            age_s = np.maximum((ages + t[..., rows, None]) * p.seconds_per_day, 1.0)
            total[..., rows] = ACTRModel._sum_slots(weights * np.power(age_s, -decays))
        with np.errstate(divide="ignore"):
            # annotated: numpy's stubs type ufunc results as Any
            activation: np.ndarray = p.base_level_constant + np.log(total)
            return activation
