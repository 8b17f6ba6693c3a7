"""One block of learners, simulated touch by touch (the engine's hot path).

A block owns its memory arrays and updates them in place: recall is measured on the grid
days between touches, and each touch updates only the cells it reaches. Every random draw
comes from the block's streams (:func:`workbench._random.stream`), so a block's output does
not depend on where or with which other blocks it runs.

The memory model is reached through a kernel: :class:`_ModelKernel` for any
:class:`~workbench.memory.MemoryModel`, :class:`_FSRS6Kernel` for FSRS-6 itself, which skips
the model's input checks and state objects (the block's inputs are valid by construction)
and gives the same doubles, and :class:`_ACTRKernel`, which groups ACT-R's traces once per run
of grid days and measures several days at once (the same doubles too).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy.special import expit

from workbench._random import stream, stream_states
from workbench.memory import FSRS6, ACTRModel, MemoryModel, MemoryState
from workbench.memory.actr import _Traces
from workbench.memory.fsrs import fsrs_retrievability, review_arrays
from workbench.simulate.touch import AGAIN, GOOD, review_met

if TYPE_CHECKING:  # pragma: no cover - annotations only
    from workbench.simulate.engine import _PlannedGroup, _PlannedTouch, _Setup

#: Grid days evaluated at once (bounds memory: days x block x concepts floats).
DAYS_PER_BATCH = 16


@dataclass
class BlockOutput:
    """What one block hands back to :meth:`SimulationResult.from_blocks`."""

    mean_sum: np.ndarray  # (G, C) sum of recall over the block's learners
    proficient: np.ndarray  # (G, C) learners at or above the threshold
    sample: np.ndarray | None  # (G, C, s) recall of the block's quantile-sample learners
    checkpoints: np.ndarray  # (K, n, C) recall on the checkpoint days
    minutes: np.ndarray  # (n,) learner minutes
    delivered: np.ndarray  # (T,) learners who did each touch
    attempts: np.ndarray  # (T,) retrieval attempts (learner x concept)
    successes: np.ndarray  # (T,) successful retrievals
    final_stability: np.ndarray  # (n, C)
    trace: list[tuple[np.ndarray, np.ndarray, int, int, np.ndarray]] = field(default_factory=list)


def draw_memory_rates(learners: np.random.Generator, memory_sigma: float, size: int) -> np.ndarray:
    """Return the first draw of a block's learner stream: each learner's memory clock rate."""
    return np.exp(learners.normal(0.0, memory_sigma, size))


def _state_view(cls: type[MemoryState], fields: dict[str, np.ndarray]) -> MemoryState:
    """Wrap arrays in a state without copying them (read-only views).

    The block owns its arrays and updates them in place; a state built the usual way copies
    every field. A view is only lent to the model for one call and never kept, so its arrays
    changing later is harmless.
    """
    view = object.__new__(cls)
    for name, array in fields.items():
        frozen = array.view()
        frozen.setflags(write=False)
        object.__setattr__(view, name, frozen)
    return view


class _ModelKernel:
    """Recall and the touch rule through the :class:`MemoryModel` protocol (any model)."""

    #: recall() returns a new array of finite values, which the block may scale in place
    finite_recall = False

    def __init__(self, model: MemoryModel, state_cls: type[MemoryState]) -> None:
        self.model = model
        self.state_cls = state_cls

    def days_per_batch(self, memory: dict[str, np.ndarray]) -> int:
        """Grid days measured at once: a batch for one number per cell, else one day (days x cells x traces)."""
        return DAYS_PER_BATCH if all(a.ndim == 2 for a in memory.values()) else 1

    def finish(self, memory: dict[str, np.ndarray]) -> None:
        """Complete the memory after the last touch (the block then reads its stability)."""

    def prepare(self, memory: dict[str, np.ndarray]) -> None:
        """Get ready to measure recall on days with no touch between them (the memory does not change)."""

    def recall(self, memory: dict[str, np.ndarray], elapsed: np.ndarray) -> np.ndarray:
        """Recall probability of every cell after ``elapsed`` memory-clock days (broadcast over leading days)."""
        return self.model.retrievability(_state_view(self.state_cls, memory), elapsed)

    def review(
        self,
        cells: dict[str, np.ndarray],
        elapsed: np.ndarray,
        calendar: np.ndarray,
        group: _PlannedGroup,
        uniform: np.ndarray | float,
        recall: np.ndarray | None,
    ) -> tuple[dict[str, np.ndarray], np.ndarray]:
        """Apply :func:`~workbench.simulate.touch.review_met` to met cells; return their memory and recalls."""
        reviewed, recalled = review_met(
            self.model,
            _state_view(self.state_cls, cells),
            elapsed,
            group.effect,
            gain=group.gain,
            uniform=uniform,
            recall=recall,
            calendar_days=calendar,
        )
        return reviewed.as_dict(), recalled


class _FSRS6Kernel(_ModelKernel):
    """FSRS-6 on the block's arrays directly: :func:`review_met`'s doubles, without checks or state objects."""

    finite_recall = True  # (1 + F t / S)^-w20 with S >= 0.001 and finite t

    def __init__(self, model: FSRS6, state_cls: type[MemoryState]) -> None:
        super().__init__(model, state_cls)
        self.params = model.parameters
        self.whole_days = model.whole_days

    def recall(self, memory: dict[str, np.ndarray], elapsed: np.ndarray) -> np.ndarray:
        t = np.floor(elapsed) if self.whole_days else elapsed
        return fsrs_retrievability(self.params, t, memory["stability"])

    def review(
        self,
        cells: dict[str, np.ndarray],
        elapsed: np.ndarray,
        calendar: np.ndarray,
        group: _PlannedGroup,
        uniform: np.ndarray | float,
        recall: np.ndarray | None,
    ) -> tuple[dict[str, np.ndarray], np.ndarray]:
        s, d = cells["stability"], cells["difficulty"]
        t = np.floor(elapsed) if self.whole_days else elapsed
        same_day = calendar < 1  # a calendar day, whatever the learner's clock
        if group.retrieve:
            if recall is None:
                recall = fsrs_retrievability(self.params, t, s)
            recalled = uniform < recall
            rating = np.where(recalled, GOOD, AGAIN)
            s, d = review_arrays(self.params, s, d, t, rating, 1.0, recall=recall, same_day=same_day)
        else:
            recalled = np.zeros(0, dtype=bool)
            s, d = review_arrays(self.params, s, d, t, GOOD, group.gain, same_day=same_day)
        return {"stability": s, "difficulty": d}, recalled


class _ACTRKernel(_ModelKernel):
    """ACT-R recall measured from traces grouped once per run of grid days (:class:`~workbench.memory.actr._Traces`).

    Between touches the traces do not change, so they are grouped by their number of
    occupied slots once and every grid day until the next touch is measured from them,
    several days at once: :meth:`ACTRModel.retrievability`'s doubles, with fewer calls.
    """

    finite_recall = True  # 1 / (1 + e^x) is in [0, 1] for any activation, -inf included

    #: slot terms of one batch of days (bounds memory: days x cells x occupied slots)
    SLOT_TERMS_PER_BATCH = 1 << 18

    def __init__(self, model: ACTRModel, state_cls: type[MemoryState]) -> None:
        super().__init__(model, state_cls)
        self.actr = model
        self.traces: _Traces | None = None

    def days_per_batch(self, memory: dict[str, np.ndarray]) -> int:
        cells = memory["stability"].size
        return max(1, min(DAYS_PER_BATCH, self.SLOT_TERMS_PER_BATCH // (cells * self.actr.parameters.max_traces)))

    def prepare(self, memory: dict[str, np.ndarray]) -> None:
        self.traces = _Traces(memory["trace_age_days"], memory["trace_decay"], memory["trace_weight"])

    def finish(self, memory: dict[str, np.ndarray]) -> None:
        # the half-life of every cell, from its final traces: the value its last touch would
        # have computed (it depends on the traces alone), solved once instead of at every touch
        view = _state_view(self.state_cls, memory)
        memory["stability"][...] = self.actr._time_to(view, np.asarray(0.5))  # type: ignore[arg-type]

    def review(
        self,
        cells: dict[str, np.ndarray],
        elapsed: np.ndarray,
        calendar: np.ndarray,
        group: _PlannedGroup,
        uniform: np.ndarray | float,
        recall: np.ndarray | None,
    ) -> tuple[dict[str, np.ndarray], np.ndarray]:
        # review_met's ACT-R doubles: a retrieval lays a full trace (Again or Good), another
        # touch one of weight gain; the stability is left as it was until finish()
        ages, decays, weights = cells["trace_age_days"], cells["trace_decay"], cells["trace_weight"]
        if group.retrieve:
            if recall is None:
                recall = self.actr._probability(self.actr._activation(ages, decays, weights, elapsed))
            recalled = uniform < recall
            new_weight = 1.0
        else:
            recalled = np.zeros(0, dtype=bool)
            new_weight = group.gain
        ages, decays, weights = self.actr._add_trace(ages, decays, weights, elapsed, new_weight)
        return {"trace_age_days": ages, "trace_decay": decays, "trace_weight": weights}, recalled

    def recall(self, memory: dict[str, np.ndarray], elapsed: np.ndarray) -> np.ndarray:
        assert self.traces is not None  # prepare() ran for this memory
        cells = memory["stability"].shape
        lead = elapsed.shape[: elapsed.ndim - len(cells)]
        activation = self.traces.activation(self.actr.parameters, elapsed.reshape(*lead, self.traces.n))
        return self.actr._probability(activation).reshape(elapsed.shape)


def _kernel(model: MemoryModel, state_cls: type[MemoryState]) -> _ModelKernel:
    # exactly the model's class: a subclass may change what review or retrievability compute
    if type(model) is FSRS6:
        return _FSRS6Kernel(model, state_cls)
    if type(model) is ACTRModel:
        return _ACTRKernel(model, state_cls)
    return _ModelKernel(model, state_cls)


class Block:
    """A block of learners: draws its learners, then runs every touch of the plan in order.

    Parameters
    ----------
    setup : _Setup
        The simulation, settled once (touch plan, grid, population, model).
    block, start, size : int
        The block's number (its random streams), its first learner and its number of learners.
    """

    def __init__(self, setup: _Setup, block: int, start: int, size: int) -> None:
        self.setup, self.block, self.start, self.size = setup, block, start, size
        model = setup.model
        population = setup.population
        self.n_concepts = n_concepts = len(setup.journey.concepts)
        self.shape = shape = (size, n_concepts)
        learners = stream(setup.root, block, 0)
        assert population.memory_sigma is not None  # settled by simulate
        self.rate = draw_memory_rates(learners, population.memory_sigma, size)[:, None] * setup.concept_rate[None, :]
        self.propensity = learners.normal(0.0, population.engagement_sigma, size)
        knows = learners.random(shape) < setup.prior[None, :]

        initial = model.initial_state(np.full(shape, GOOD))
        self.kernel = _kernel(model, type(initial))
        # the block's memory, owned here and updated in place, one array per field
        self.memory = {name: np.array(array) for name, array in initial.as_dict().items()}
        self.encoded = knows.copy()
        self.all_encoded = bool(self.encoded.all())
        self.encoded_weight = self.encoded.astype(float)  # 1.0 where encoded, else 0.0
        self.last = np.where(knows, setup.first_day - population.prior_days_ago, 0.0)
        # flat views of the same arrays (one row per learner-concept cell) for the cell updates
        self.flat_memory = {name: a.reshape(size * n_concepts, *a.shape[2:]) for name, a in self.memory.items()}
        self.flat_encoded, self.flat_last = self.encoded.reshape(-1), self.last.reshape(-1)
        self.flat_rate = self.rate.reshape(-1)

        n_days, n_touches = len(setup.grid), len(setup.touches)
        self.sample = sample = max(0, min(size, setup.sample_size - start))
        self.out = BlockOutput(
            mean_sum=np.zeros((n_days, n_concepts)),
            proficient=np.zeros((n_days, n_concepts)),
            sample=np.zeros((n_days, n_concepts, sample), dtype=np.float32) if sample else None,
            checkpoints=np.zeros((len(setup.checkpoint_days), size, n_concepts), dtype=np.float32),
            minutes=np.zeros(size),
            delivered=np.zeros(n_touches),
            attempts=np.zeros(n_touches),
            successes=np.zeros(n_touches),
            final_stability=np.zeros(shape),
        )
        self.checkpoint_row = {day: i for i, day in enumerate(setup.checkpoint_days)}
        # Recall is measured for a batch of days at once (fewer for ACT-R's traces, see the kernels).
        # No model's recall of a cell depends on the other cells computed with it, so a retrieval
        # on a grid day reuses the recall just measured.
        self.batch = self.kernel.days_per_batch(self.memory)
        # recall of a batch of days, learners first: summing over learners then runs along whole
        # rows of (days x concepts), the same additions in the same order as learner by learner
        self.by_learner = np.empty((size, self.batch, n_concepts))
        # Each cell's elapsed days and recall at the start of known_day, as last measured: a touch
        # that day reuses them for cells whose concept no touch has changed since (same doubles).
        self.known_elapsed = self.known = np.empty(shape)
        self.known_day = -1.0
        self.changed: set[int] = set()  # concept columns touched since known_day was measured
        self.engagement: dict[float, np.ndarray] = {}  # each learner's probability of a touch, by log-odds
        # each touch's stream, stream(root, block, key), as starting states of one generator
        self.touch_states = stream_states(setup.root, (block,), [touch.stream_key for touch in setup.plan])
        self.draws = np.random.Generator(np.random.PCG64(0))

    def run(self) -> BlockOutput:
        """Run every touch in order, measuring recall on each grid day before that day's touches."""
        grid, n_days = self.setup.grid, len(self.setup.grid)
        g = 0
        for t, touch in enumerate(self.setup.plan):
            first_pending = g
            while g < n_days and grid[g] <= touch.day:
                g += 1
            if g > first_pending:
                self.measure(first_pending, g)
            self.touch(t, touch)
        if g < n_days:
            self.measure(g, n_days)
        self.kernel.finish(self.memory)
        # never taught: no memory, so no stability (NaN) rather than the placeholder state
        stability = np.asarray(self.memory["stability"], dtype=float).reshape(self.shape)
        self.out.final_stability = np.where(self.encoded, stability, np.nan)
        return self.out

    def measure(self, begin: int, stop: int) -> None:
        """Measure recall on grid days begin..stop-1 and keep the last day's elapsed days and raw recall."""
        setup, out, encoded = self.setup, self.out, self.encoded
        elapsed = raw = np.empty(0)
        if stop > begin:
            self.kernel.prepare(self.memory)
        for first in range(begin, stop, self.batch):
            rows = slice(first, min(first + self.batch, stop))
            days = setup.grid[rows]
            n_rows = len(days)
            # last <= day by construction: touches on a day are applied after it is measured
            elapsed = np.subtract(days[:, None, None], self.last[None])
            elapsed *= self.rate[None]
            if self.batch == 1:
                raw = self.kernel.recall(self.memory, elapsed[0])[None]
            else:
                raw = self.kernel.recall(self.memory, elapsed)
            if self.all_encoded:
                recall = raw
            elif self.kernel.finite_recall:
                # never encoded, nothing recalled: x * 0.0 is 0.0 and x * 1.0 is x, in one pass in
                # place (the raw recall kept for touches changes only where no touch reads it)
                raw *= self.encoded_weight
                recall = raw
            else:
                recall = np.where(encoded[None], raw, 0.0)
            if self.n_concepts == 1:  # numpy sums a lone contiguous learner axis pairwise: keep doing so
                out.mean_sum[rows] = recall.sum(axis=1)
                out.proficient[rows] = np.count_nonzero(recall >= setup.threshold, axis=1)
            else:
                # one day is learners-first already; several are copied so
                learners_first = recall[0] if n_rows == 1 else self.by_learner[:, :n_rows]
                if n_rows > 1:
                    np.copyto(learners_first, recall.transpose(1, 0, 2))
                out.mean_sum[rows] = learners_first.sum(axis=0)
                # counted as bytes into 32-bit sums: a narrower sum of the same 0/1 values is faster
                above = (learners_first >= setup.threshold).view(np.uint8)
                out.proficient[rows] = np.add.reduce(above, axis=0, dtype=np.uint32)
            if out.sample is not None:
                out.sample[rows] = recall[:, : self.sample].transpose(0, 2, 1)
            for i, day in enumerate(days):
                if int(day) in self.checkpoint_row:
                    out.checkpoints[self.checkpoint_row[int(day)]] = recall[i]
        if stop > begin:
            self.known_elapsed, self.known = elapsed[-1], raw[-1]
            self.known_day, self.changed = float(setup.grid[stop - 1]), set()

    def touch(self, t: int, touch: _PlannedTouch) -> None:
        """Apply touch number ``t`` to the learners who do it (each group of concepts in turn)."""
        out = self.out
        draws = self.draws
        draws.bit_generator.state = self.touch_states[t]  # = stream(root, block, touch.stream_key)
        p = self.engagement.get(touch.log_odds)
        if p is None:
            p = self.engagement[touch.log_odds] = expit(touch.log_odds + self.propensity)
        engaged = draws.random(self.size) < p
        who = np.flatnonzero(engaged)
        out.delivered[t] = who.size
        np.add(out.minutes, touch.duration_min, out=out.minutes, where=engaged)
        for group in touch.groups:
            fresh = self.known_day == touch.day and self.changed.isdisjoint(group.columns)
            span = group.span
            if span is not None and who.size and (self.all_encoded or self.encoded[who, span].all()):
                met, recalled = None, self._update_rows(t, touch.day, group, span, who, draws, fresh)
            else:
                met, recalled = self._update_cells(t, touch.day, group, who, draws, fresh)
            if self.setup.trace:
                self._trace(t, group, who, met, recalled)
            self.changed |= group.columns

    def _update_rows(
        self,
        t: int,
        day: float,
        group: _PlannedGroup,
        span: slice,
        who: np.ndarray,
        draws: np.random.Generator,
        fresh: bool,
    ) -> np.ndarray:
        """Adjacent concepts, every reached learner met them all: update (learners x columns) blocks.

        The blocks are read row by row, in the cells' row-major order, and written back the same way.
        """
        whole = span.start == 0 and span.stop == self.n_concepts

        def rows(array: np.ndarray) -> np.ndarray:
            # np.take copies whole rows fastest, but is slow on a strided view of some columns
            return np.take(array, who, axis=0) if whole else array[who, span]

        # "same day" is a calendar day; forgetting runs on the learner's clock
        calendar = np.subtract(day, rows(self.last))
        np.maximum(calendar, 0.0, out=calendar)
        elapsed = rows(self.known_elapsed) if fresh else calendar * rows(self.rate)
        uniform: np.ndarray | float = 0.0
        recall = None
        if group.retrieve:
            # a retrieval draws one number per cell of the group, whoever is reached
            uniform = np.take(draws.random((self.size, len(group.cols))), who, axis=0)
            recall = rows(self.known) if fresh else None
        cells = {name: rows(array) for name, array in self.memory.items()}
        reviewed, recalled = self.kernel.review(cells, elapsed, calendar, group, uniform, recall)
        for name, array in reviewed.items():
            self.memory[name][who, span] = array
        self.last[who, span] = day
        recalled = recalled.reshape(-1)
        if group.retrieve:
            self.out.attempts[t] += recalled.size
            self.out.successes[t] += np.count_nonzero(recalled)
        return recalled

    def _update_cells(
        self,
        t: int,
        day: float,
        group: _PlannedGroup,
        who: np.ndarray,
        draws: np.random.Generator,
        fresh: bool,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Any group: update the reached cells through flat indices; first encounters are encoded.

        Returns which reached cells had met the concept before, and the recalls of those.
        """
        cols = group.cols
        # The reached cells, as flat indices into the (learners x concepts) arrays, in row-major
        # order: those met before take the touch rule, the others are encoded. Only they change,
        # so only they are read and written (no copies of the state).
        reached = (who[:, None] * self.n_concepts + cols[None, :]).ravel()
        met = self.flat_encoded[reached]
        all_met = bool(met.all())
        cells = reached if all_met else reached[met]
        recalled = np.zeros(0, dtype=bool)
        if cells.size:
            calendar = np.subtract(day, self.flat_last[cells])
            np.maximum(calendar, 0.0, out=calendar)
            elapsed = self.known_elapsed.reshape(-1)[cells] if fresh else calendar * self.flat_rate[cells]
            uniform: np.ndarray | float = 0.0
            recall = None
            if group.retrieve:
                drawn = np.take(draws.random((self.size, len(cols))), who, axis=0).reshape(-1)
                uniform = drawn if all_met else drawn[met]
                recall = self.known.reshape(-1)[cells] if fresh else None
            before = {name: array[cells] for name, array in self.flat_memory.items()}
            reviewed, recalled = self.kernel.review(before, elapsed, calendar, group, uniform, recall)
            for name, array in reviewed.items():
                self.flat_memory[name][cells] = array
            if group.retrieve:
                self.out.attempts[t] += cells.size
                self.out.successes[t] += np.count_nonzero(recalled)
        if not all_met:
            first = reached[~met]
            for name, value in group.first_state.items():
                self.flat_memory[name][first] = value
            self.flat_encoded[reached] = True
            self.encoded_weight.reshape(-1)[reached] = 1.0
            self.all_encoded = bool(self.encoded.all())
        self.flat_last[reached] = day
        return met, recalled

    def _trace(self, t: int, group: _PlannedGroup, who: np.ndarray, met: Any, recalled: np.ndarray) -> None:
        """Keep every reached cell of the group, with its retrieval outcome (-1: not a retrieval)."""
        cols = group.cols
        learner = np.repeat(who, len(cols))
        if group.retrieve:
            outcome = np.zeros(learner.shape, dtype=np.int8)  # a first retrieval fails (rating Again)
            if met is None:  # every reached cell met the concept before
                outcome[:] = recalled
            else:
                outcome[met] = recalled
        else:
            outcome = np.full(learner.shape, -1, dtype=np.int8)
        self.out.trace.append((self.start + learner, np.tile(cols, len(who)), t, group.code, outcome))


def run_block(setup: _Setup, block: int, start: int, size: int) -> BlockOutput:
    """Simulate one block of learners (what :func:`workbench.simulate.simulate` runs per block)."""
    return Block(setup, block, start, size).run()
