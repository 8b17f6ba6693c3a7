"""Randomness is injected: every function that draws takes ``rng`` and normalises it here."""

from __future__ import annotations

import numpy as np

RandomLike = int | np.random.Generator | np.random.SeedSequence | None

__all__ = ["RandomLike", "as_generator", "as_seed_sequence", "fixed_seed", "stream"]


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
