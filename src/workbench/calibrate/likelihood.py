"""Exact expected recall and log-likelihood of observed outcomes under the simulator's rules.

The simulator (:func:`workbench.simulate.simulate`) gives each learner a memory clock rate
``exp(N(0, memory_sigma))``, applies every touch with the one touch rule
(:func:`workbench.simulate.touch.apply_touch`) and decides each retrieval by a draw against
the current recall. Here the same model is evaluated without Monte Carlo noise:

* the learner's rate is integrated with Gauss-Hermite quadrature on the log scale
  (:data:`NODES` nodes, exact for the log-normal up to quadrature error far below 1e-6);
* in **grouped** histories, whose retrieval outcomes are not observed, every retrieval
  branches into its success and its miss, weighted by their probabilities (exact: the
  expected recall over all ``2^k`` outcome paths);
* in **per-learner events** the observed outcome of each retrieval is used, and a learner's
  concepts share one rate (the simulator's learner effect), so the likelihood integrates
  over the rate once per learner.

The result is a smooth function of the parameters, so fitting uses a quasi-Newton method
and the curvature gives standard errors. Concepts are taken as of neutral difficulty
(clock rate 1) and unknown before their first touch.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.polynomial.hermite_e import hermegauss
from scipy import sparse
from scipy.special import logsumexp

from workbench.calibrate.data import Observations
from workbench.errors import DataError
from workbench.memory import MemoryModel, MemoryState
from workbench.simulate.population import TouchEffects
from workbench.simulate.profiles import MemoryProfile
from workbench.simulate.touch import apply_touch
from workbench.vocabulary import MemoryEffect

__all__ = ["MAX_BRANCHED_RETRIEVALS", "NODES", "EventsIndex", "expected_recall", "log_likelihood"]

#: Gauss-Hermite nodes over the learner's log memory rate.
NODES = 24
#: Most unobserved retrievals a grouped history may hold (each doubles the outcome paths).
MAX_BRANCHED_RETRIEVALS = 12
_RETRIEVE = MemoryEffect.RETRIEVE.value
_EFFECTS = tuple(e.value for e in MemoryEffect)
_EPS = 1e-12
_SURE, _MISS = 0.0, 1.0  # draws that make a retrieval succeed (draw < recall) or miss


@functools.lru_cache(maxsize=8)
def _hermite(nodes: int) -> tuple[np.ndarray, np.ndarray]:
    x, w = hermegauss(nodes)  # the same rule at every likelihood evaluation: computed once
    return x, np.log(w / w.sum())


def _quadrature(memory_sigma: float, nodes: int = NODES) -> tuple[np.ndarray, np.ndarray]:
    """Learner rates and log-weights of the Gauss-Hermite rule for exp(N(0, sigma))."""
    if memory_sigma <= 0:
        return np.ones(1), np.zeros(1)
    x, log_w = _hermite(nodes)
    return np.exp(memory_sigma * x), log_w.copy()


def _concat(a: MemoryState, b: MemoryState) -> MemoryState:
    """Join two states along the path axis (axis 1: rows x paths, trailing axes kept)."""
    return type(a)(**{name: np.concatenate([array, getattr(b, name)], axis=1) for name, array in a.as_dict().items()})


def _expected_for_design(
    model: MemoryModel,
    effects: TouchEffects,
    design: Sequence[str],
    days: np.ndarray,
    test_days: np.ndarray,
    rates: np.ndarray,
    log_weights: np.ndarray,
) -> np.ndarray:
    """Compute the expected recall of G rows sharing one sequence of effects (their days differ).

    ``days`` is (G, T); paths are (rate node x retrieval outcomes), kept on axis 1.
    """
    n_rows = len(days)
    rate = np.broadcast_to(rates, (n_rows, len(rates))).copy()
    log_w = np.broadcast_to(log_weights, rate.shape).copy()
    state = apply_touch(
        model, None, np.zeros(rate.shape), design[0], gain=1.0, first_rating=effects.first_rating(design[0]), draws=0.0
    ).state
    for j in range(1, len(design)):
        effect = design[j]
        calendar = np.maximum(days[:, j] - days[:, j - 1], 0.0)[:, None] * np.ones(rate.shape)
        elapsed = calendar * rate
        rule: dict[str, Any] = {
            "gain": effects.gain(effect, ""),
            "first_rating": effects.first_rating(effect),
            "calendar_days": calendar,  # "same day" is a calendar day, whatever the learner's clock
        }
        if effect == _RETRIEVE:
            # both outcomes of the unobserved retrieval, weighted by their probabilities
            p = np.clip(model.retrievability(state, elapsed), _EPS, 1.0 - _EPS)
            hit = apply_touch(model, state, elapsed, effect, draws=_SURE, **rule).state
            miss = apply_touch(model, state, elapsed, effect, draws=_MISS, **rule).state
            state = _concat(hit, miss)
            log_w = np.concatenate([log_w + np.log(p), log_w + np.log1p(-p)], axis=1)
            rate = np.concatenate([rate, rate], axis=1)
        else:
            state = apply_touch(model, state, elapsed, effect, draws=_SURE, **rule).state
    elapsed = np.maximum(test_days - days[:, -1], 0.0)[:, None] * rate
    recall = np.clip(model.retrievability(state, elapsed), 0.0, 1.0)
    return np.asarray(np.sum(np.exp(log_w) * recall, axis=1), dtype=float)


def expected_recall(profile: MemoryProfile, observations: Observations, *, nodes: int = NODES) -> np.ndarray:
    """Compute the expected share recalling, per grouped row, under ``profile`` (exact; no sampling).

    Examples
    --------
    >>> import pandas as pd
    >>> from workbench.calibrate.data import read_observations
    >>> from workbench.simulate import get_profile
    >>> obs = read_observations(pd.DataFrame({"history": ["0:encode"], "test_day": [0], "recalled": [1.0],
    ...                                       "n": [1]}))
    >>> expected_recall(get_profile("flashcards"), obs).round(6).tolist()
    [1.0]
    """
    if observations.kind != "grouped":
        raise DataError("expected_recall: needs grouped outcomes (history, test_day, recalled, n)")
    model = profile.memory_model()
    rates, log_w = _quadrature(profile.memory_sigma, nodes)
    frame = observations.frame
    designs = [tuple(e for _, e in touches) for touches in frame["touches"]]
    test_days = frame["test_day"].to_numpy(dtype=float)
    out = np.empty(len(frame))
    by_design: dict[tuple[str, ...], list[int]] = {}
    for i, design in enumerate(designs):
        by_design.setdefault(design, []).append(i)
    for design, rows in by_design.items():
        retrievals = sum(1 for e in design[1:] if e == _RETRIEVE)
        if retrievals > MAX_BRANCHED_RETRIEVALS:
            raise DataError(
                f"{observations.source}: history {frame['history'].iloc[rows[0]]!r} has {retrievals} retrievals "
                f"after the first touch; grouped outcomes allow at most {MAX_BRANCHED_RETRIEVALS} (their outcomes "
                "are unobserved); fix: give per-learner events instead"
            )
        days = np.array([[day for day, _ in frame["touches"].iloc[i]] for i in rows], dtype=float)
        out[rows] = _expected_for_design(model, profile.effects, design, days, test_days[rows], rates, log_w)
    return out


@dataclass(frozen=True, eq=False)
class EventsIndex:
    """Per-learner events arranged for the likelihood: unique (concept) sequences, padded.

    Identical sequences (same days relative to their first touch, effects and outcomes) are
    evaluated once; ``sequence_of`` maps each learner-concept sequence to its pattern.
    """

    days: np.ndarray  # (U, L) days since the pattern's first touch
    effect: np.ndarray  # (U, L) effect codes, -1 = padding
    recalled: np.ndarray  # (U, L) 1/0 for retrievals, -1 otherwise
    pattern_of: np.ndarray  # (S,) pattern of each learner-concept sequence
    learner_of: np.ndarray  # (S,) learner index of each sequence
    n_learners: int
    row_sequence: np.ndarray  # (rows,) sequence of each row of the observations' frame
    row_position: np.ndarray  # (rows,) position of each row in its sequence
    counts: sparse.csr_matrix  # (n_learners, U) how many of each learner's sequences follow each pattern

    @classmethod
    def of(cls, observations: Observations) -> EventsIndex:
        """Index the events of ``observations`` (which must be per-learner events)."""
        if observations.kind != "events":
            raise DataError("log_likelihood: events index needs per-learner events")
        frame = observations.frame
        keys = frame["learner"].astype(str) + "\x1f" + frame["concept"].astype(str)
        seq_codes, seq_keys = _codes(keys.to_numpy())
        learner_codes, learners = _codes(frame["learner"].astype(str).to_numpy())
        starts = np.r_[0, np.flatnonzero(np.diff(seq_codes)) + 1]
        lengths = np.diff(np.r_[starts, len(frame)])
        width = int(lengths.max())
        n_seq = len(starts)
        position = np.arange(len(frame)) - np.repeat(starts, lengths)
        days = np.zeros((n_seq, width))
        effect = np.full((n_seq, width), -1, dtype=np.int8)
        recalled = np.full((n_seq, width), -1, dtype=np.int8)
        row_seq = np.repeat(np.arange(n_seq), lengths)
        first_day = frame["day"].to_numpy(dtype=float)[starts]
        days[row_seq, position] = frame["day"].to_numpy(dtype=float) - first_day[row_seq]
        codes = {name: i for i, name in enumerate(_EFFECTS)}
        effect[row_seq, position] = frame["effect"].map(codes).to_numpy(dtype=np.int8)
        recalled[row_seq, position] = frame["recalled"].to_numpy(dtype=np.int8)
        packed = np.concatenate([days, effect.astype(float), recalled.astype(float)], axis=1)
        unique, pattern_of = np.unique(packed, axis=0, return_inverse=True)
        del seq_keys
        learner_of = learner_codes[starts]
        pattern_of = pattern_of.ravel()
        counts = sparse.csr_matrix(
            (np.ones(n_seq), (learner_of, pattern_of)), shape=(len(learners), len(unique))
        )  # duplicates are summed
        return cls(
            days=unique[:, :width],
            effect=unique[:, width : 2 * width].astype(np.int8),
            recalled=unique[:, 2 * width :].astype(np.int8),
            pattern_of=pattern_of,
            learner_of=learner_of,
            n_learners=len(learners),
            row_sequence=row_seq,
            row_position=position,
            counts=counts,
        )


def _codes(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    codes, uniques = pd.factorize(values, sort=True)  # as np.unique, far faster on text
    return np.asarray(codes), np.asarray(uniques)


def _pattern_log_likelihood(
    model: MemoryModel,
    effects: TouchEffects,
    index: EventsIndex,
    rates: np.ndarray,
    recall_out: np.ndarray | None = None,
) -> np.ndarray:
    """Log-likelihood of each pattern's observed retrievals at each rate node, shape (U, K).

    ``recall_out`` (U, L, K), when given, receives the recall predicted at every retrieval.
    """
    n_patterns, width = index.effect.shape
    shape = (n_patterns, len(rates))
    ratings = np.array([effects.first_rating(e) for e in _EFFECTS])
    gains = np.array([effects.gain(e, "") for e in _EFFECTS])
    first = index.effect[:, 0].astype(int)
    state = model.initial_state(np.broadcast_to(ratings[first][:, None], shape))
    total = np.zeros(shape)
    for j in range(1, width):
        code = index.effect[:, j].astype(int)
        active = code >= 0
        if not active.any():
            break
        calendar = np.where(active, np.maximum(index.days[:, j] - index.days[:, j - 1], 0.0), 0.0)[:, None]
        calendar = calendar * np.ones(shape)  # "same day" is a calendar day, whatever the learner's clock
        elapsed = np.where(active[:, None], calendar * rates[None, :], 0.0)
        retrieval = active & (code == _EFFECTS.index(_RETRIEVE))
        if retrieval.any():
            p = np.clip(model.retrievability(state, elapsed), _EPS, 1.0 - _EPS)
            if recall_out is not None:
                recall_out[:, j, :] = np.where(retrieval[:, None], p, -1.0)
            hit = (index.recalled[:, j] == 1)[:, None]
            total += np.where(retrieval[:, None], np.where(hit, np.log(p), np.log1p(-p)), 0.0)
        # the one touch rule, with the observed outcome as the draw of each retrieval
        draws = np.where((index.recalled[:, j] == 1)[:, None], _SURE, _MISS) * np.ones(shape)
        gain = gains[np.where(active, code, 0)][:, None] * np.ones(shape)
        passive = active & ~retrieval
        if retrieval.any():
            outcome = apply_touch(
                model,
                state,
                elapsed,
                _RETRIEVE,
                gain=1.0,
                first_rating=1,
                draws=draws,
                reached=retrieval[:, None],
                calendar_days=calendar,
            )
            state = outcome.state
        if passive.any():
            state = apply_touch(
                model,
                state,
                elapsed,
                "restudy",
                gain=gain,  # type: ignore[arg-type]  # per-row gains: review() broadcasts them
                first_rating=2,
                draws=_SURE,
                reached=passive[:, None],
                calendar_days=calendar,
            ).state
    return total


def predicted_retrievals(profile: MemoryProfile, index: EventsIndex, *, nodes: int = NODES) -> np.ndarray:
    """Predicted recall of every retrieval row given the earlier touches and outcomes (-1 elsewhere).

    The learner's rate is averaged over the population, not conditioned on the learner's other
    outcomes: the prediction for a new learner with that history.
    """
    rates, log_w = _quadrature(profile.memory_sigma, nodes)
    n_patterns, width = index.effect.shape
    recall = np.full((n_patterns, width, len(rates)), -1.0)
    _pattern_log_likelihood(profile.memory_model(), profile.effects, index, rates, recall_out=recall)
    mean = np.where(recall[:, :, 0] >= 0, recall @ np.exp(log_w), -1.0)
    return np.asarray(mean[index.pattern_of[index.row_sequence], index.row_position], dtype=float)


def log_likelihood(
    profile: MemoryProfile,
    observations: Observations,
    *,
    index: EventsIndex | None = None,
    nodes: int = NODES,
) -> float:
    """Log-likelihood of the observed recall under ``profile``, with the simulator's rules.

    Grouped outcomes: a binomial likelihood of ``round(recalled * n)`` successes out of ``n``
    at the exact expected recall of the history (without the binomial coefficient, which
    does not depend on the parameters). Per-learner events: the probability of every
    observed retrieval outcome given the learner's earlier touches and outcomes, integrated
    over the learner's memory rate.

    Examples
    --------
    >>> import pandas as pd
    >>> from workbench.calibrate.data import read_observations
    >>> from workbench.simulate import get_profile
    >>> obs = read_observations(pd.DataFrame({"history": ["0:encode"], "test_day": [7], "recalled": [0.5],
    ...                                       "n": [10]}))
    >>> log_likelihood(get_profile("flashcards"), obs) < 0
    True
    """
    if observations.kind == "grouped":
        p = np.clip(expected_recall(profile, observations, nodes=nodes), _EPS, 1.0 - _EPS)
        frame = observations.frame
        n = frame["n"].to_numpy(dtype=float)
        k = frame["recalled"].to_numpy(dtype=float) * n
        return float(np.sum(k * np.log(p) + (n - k) * np.log1p(-p)))
    events = index if index is not None else EventsIndex.of(observations)
    rates, log_w = _quadrature(profile.memory_sigma, nodes)
    per_pattern = _pattern_log_likelihood(profile.memory_model(), profile.effects, events, rates)
    per_learner = events.counts @ per_pattern  # each learner's sequences, summed (a sparse product)
    return float(np.sum(logsumexp(per_learner + log_w[None, :], axis=1)))
