"""Randomness is injected: every function that draws takes ``rng`` and normalises it here."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

RandomLike = int | np.random.Generator | np.random.SeedSequence | None

__all__ = ["RandomLike", "as_generator", "as_seed_sequence", "fixed_seed", "stream", "stream_states"]


def as_generator(rng: RandomLike) -> np.random.Generator:
    """Return a numpy Generator for a seed, a SeedSequence, a Generator or None.

    Examples
    --------
    >>> g = as_generator(42)
    >>> float(g.random()) == float(as_generator(42).random())
    True
    """
    if isinstance(rng, np.random.Generator):
        return rng
    return np.random.default_rng(rng)


def as_seed_sequence(rng: RandomLike) -> np.random.SeedSequence:
    """Normalise ``rng`` to a SeedSequence whose entropy can be recorded and replayed.

    A Generator is consumed once to derive a seed; ``None`` draws fresh entropy (kept in
    ``.entropy`` so the run can be reproduced).

    Examples
    --------
    >>> as_seed_sequence(5).entropy
    5
    """
    if isinstance(rng, np.random.SeedSequence):
        return rng
    if isinstance(rng, np.random.Generator):
        return np.random.SeedSequence(int(rng.integers(0, 2**63 - 1)))
    if rng is None:
        return np.random.SeedSequence()
    if isinstance(rng, int | np.integer) and not isinstance(rng, bool) and rng >= 0:
        return np.random.SeedSequence(int(rng))
    from workbench.errors import ParameterError

    raise ParameterError(f"rng: expected a non-negative int seed, a numpy Generator or None (got {rng!r})")


def fixed_seed(rng: RandomLike) -> int | np.random.SeedSequence:
    """One seed for several simulations: the int (or SeedSequence) :func:`as_seed_sequence` uses.

    Comparing plans runs several simulations on the same learners (common random numbers):
    a Generator or ``None`` is turned into a seed once, here, and that seed, which can be
    recorded and shown, is passed to every run.

    Examples
    --------
    >>> fixed_seed(7)
    7
    >>> isinstance(fixed_seed(None), int)
    True
    """
    if isinstance(rng, np.random.SeedSequence):
        return rng
    entropy = as_seed_sequence(rng).entropy
    assert isinstance(entropy, int)  # from an int seed, a Generator draw or fresh entropy
    return entropy


def stream(root: np.random.SeedSequence, *key: int) -> np.random.Generator:
    """Return an independent random stream for ``key`` (e.g. block and activity) under ``root``.

    Streams keyed alike give the same numbers however many others are drawn, which is what
    makes common random numbers and thread-independent results possible.

    Examples
    --------
    >>> root = as_seed_sequence(1)
    >>> float(stream(root, 0, 7).random()) == float(stream(root, 0, 7).random())
    True
    """
    sequence = np.random.SeedSequence(root.entropy, spawn_key=(*root.spawn_key, *key))
    return np.random.Generator(np.random.PCG64(sequence))


# SeedSequence's hashing (numpy.random.SeedSequence, after Melissa O'Neill's seed_seq
# alternative), so that the streams of many keys can be derived at once: stream_states.
_POOL_SIZE = 4
_INIT_A, _MULT_A = 0x43B0D7E5, 0x931E8875
_INIT_B, _MULT_B = 0x8B51F9DD, 0x58F38DED
_MIX_MULT_L, _MIX_MULT_R = 0xCA01F9DD, 0x4973F715
_MASK32 = 0xFFFFFFFF
_PCG64_MULTIPLIER = 0x2360ED051FC65DA44385DF649FCCF645
_MASK128 = (1 << 128) - 1


def _uint32_words(value: int) -> list[int]:
    """Split a non-negative int as SeedSequence reads it: 32-bit words, least significant first (0 is one word)."""
    words = [value & _MASK32]
    value >>= 32
    while value:
        words.append(value & _MASK32)
        value >>= 32
    return words


def _hashmix(value: np.ndarray, hash_const: int) -> tuple[np.ndarray, int]:
    value = value ^ np.uint32(hash_const)
    hash_const = (hash_const * _MULT_A) & _MASK32
    value *= np.uint32(hash_const)  # uint32 arithmetic wraps modulo 2**32, as in C
    value ^= value >> np.uint32(16)
    return value, hash_const


def _mix(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    result: np.ndarray = np.subtract(x * np.uint32(_MIX_MULT_L), y * np.uint32(_MIX_MULT_R), dtype=np.uint32)
    result ^= result >> np.uint32(16)
    return result


def _pcg64_states(words: np.ndarray) -> list[dict[str, Any]]:
    """PCG64 states seeded, as SeedSequence seeds them, from each column of assembled entropy words."""
    hash_const = _INIT_A
    pool = []
    for i in range(_POOL_SIZE):  # the first words fill the pool (zeros beyond the entropy)
        value = words[i] if i < len(words) else np.zeros(words.shape[1], dtype=np.uint32)
        mixed, hash_const = _hashmix(value, hash_const)
        pool.append(mixed)
    for i_src in range(_POOL_SIZE):  # every pool word into every other
        for i_dst in range(_POOL_SIZE):
            if i_src != i_dst:
                mixed, hash_const = _hashmix(pool[i_src], hash_const)
                pool[i_dst] = _mix(pool[i_dst], mixed)
    for i_src in range(_POOL_SIZE, len(words)):  # the remaining words into every pool word
        for i_dst in range(_POOL_SIZE):
            mixed, hash_const = _hashmix(words[i_src], hash_const)
            pool[i_dst] = _mix(pool[i_dst], mixed)
    # generate_state(4, uint64): eight 32-bit words, read as four little-endian 64-bit words
    hash_const = _INIT_B
    state_words = []
    for i in range(8):
        value = pool[i % _POOL_SIZE] ^ np.uint32(hash_const)
        hash_const = (hash_const * _MULT_B) & _MASK32
        value = value * np.uint32(hash_const)
        value ^= value >> np.uint32(16)
        state_words.append(value.astype(np.uint64))
    seeds = [(state_words[2 * j] | (state_words[2 * j + 1] << np.uint64(32))).tolist() for j in range(4)]
    states = []
    for s0, s1, i0, i1 in zip(*seeds, strict=True):
        # PCG64's seeding (pcg_setseq_128_srandom_r): the stream from inc, then two steps
        initstate, initseq = (s0 << 64) | s1, (i0 << 64) | i1
        inc = ((initseq << 1) | 1) & _MASK128
        state = (inc + initstate) & _MASK128  # first step from state 0 gives inc
        state = (state * _PCG64_MULTIPLIER + inc) & _MASK128
        states.append({"bit_generator": "PCG64", "state": {"state": state, "inc": inc}, "has_uint32": 0, "uinteger": 0})
    return states


def stream_states(root: np.random.SeedSequence, prefix: tuple[int, ...], keys: Sequence[int]) -> list[Any]:
    """Return the starting states of ``stream(root, *prefix, key)`` for many keys, derived together.

    Each is what ``stream(root, *prefix, key).bit_generator.state`` holds, so a generator set
    to it draws exactly the same numbers. Deriving one stream costs a SeedSequence and a PCG64
    (tens of microseconds, once per touch and block in the simulator); here the hashing runs
    on arrays over the keys. A root this does not cover (entropy not one int, another pool
    size) gets each state from :func:`stream` itself.

    Examples
    --------
    >>> root = as_seed_sequence(3)
    >>> generator = np.random.Generator(np.random.PCG64())
    >>> generator.bit_generator.state = stream_states(root, (0,), [7, 12])[1]
    >>> float(generator.random()) == float(stream(root, 0, 12).random())
    True
    """
    entropy = root.entropy
    if not (
        isinstance(entropy, int)
        and entropy >= 0
        and root.pool_size == _POOL_SIZE
        and all(isinstance(k, int) and k >= 0 for k in (*root.spawn_key, *prefix, *keys))
    ):
        return [stream(root, *prefix, key).bit_generator.state for key in keys]
    head = _uint32_words(entropy)
    head += [0] * (_POOL_SIZE - len(head))  # with a spawn key, the entropy is padded to the pool size
    for k in (*root.spawn_key, *prefix):
        head += _uint32_words(k)
    states: list[Any] = [None] * len(keys)
    by_length: dict[int, list[int]] = {}  # keys of one, two, ... words hash alike
    for index, key in enumerate(keys):
        by_length.setdefault(len(_uint32_words(key)), []).append(index)
    for indices in by_length.values():
        tails = np.array([_uint32_words(keys[i]) for i in indices], dtype=np.uint32).T
        heads = np.repeat(np.array(head, dtype=np.uint32)[:, None], len(indices), axis=1)
        for index, state in zip(indices, _pcg64_states(np.concatenate([heads, tails])), strict=True):
            states[index] = state
    return states
