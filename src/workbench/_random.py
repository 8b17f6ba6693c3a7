"""Randomness is injected: every function that draws takes ``rng`` and normalises it here."""

from __future__ import annotations

import numpy as np

RandomLike = int | np.random.Generator | np.random.SeedSequence | None

__all__ = ["RandomLike", "as_generator"]


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
