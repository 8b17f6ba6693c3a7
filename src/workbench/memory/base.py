"""The one interface every forgetting model satisfies, and the value it passes around.

A memory model is a set of pure, vectorised functions over numpy arrays: the population
simulator holds one :class:`MemoryState` per (learner x concept) grid, asks the model for
recall probabilities, and replaces the state after each touch. Models never mutate their
inputs; every state is a frozen value whose arrays are read-only copies.

Time is measured in days (floats) since the *last* touch of a cell; keeping the day of the
last touch is the simulator's job, the model only sees elapsed days.

Ratings follow FSRS: 1 Again (failed recall), 2 Hard, 3 Good, 4 Easy.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol, Self, runtime_checkable

import numpy as np

from workbench.errors import ParameterError

__all__ = [
    "RATING_NAMES",
    "MemoryModel",
    "MemoryState",
    "check_bounds",
    "check_desired_retention",
    "check_elapsed_days",
    "check_gain",
    "check_ratings",
    "round_interval_days",
]

#: FSRS rating codes and their names.
RATING_NAMES: dict[int, str] = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}


def _frozen_array(value: Any, field: str) -> np.ndarray:
    array = np.array(value, dtype=float, copy=True)
    array.setflags(write=False)
    return array


@dataclass(frozen=True)
class MemoryState:
    """The memory of a grid of (learner x concept) cells, as read-only numpy arrays.

    Every model stores at least ``stability`` (days; what it means is documented by each
    model, e.g. the time for FSRS recall to fall to 90%). Subclasses add their own fields
    (FSRS adds ``difficulty``). All fields share the leading shape of ``stability``; a
    field may carry trailing axes of its own (ACT-R keeps one slot per memory trace).

    Arrays are copied on construction and made read-only, so a state is a value: it can be
    shared, cached and compared without fear of later mutation.

    Parameters
    ----------
    stability : array_like
        Stability in days, any shape.

    Examples
    --------
    >>> import numpy as np
    >>> old = MemoryState(stability=np.array([1.0, 2.0, 3.0]))
    >>> new = MemoryState(stability=np.array([10.0, 20.0, 30.0]))
    >>> old.select(np.array([True, False, True]), new).stability.tolist()
    [10.0, 2.0, 30.0]
    """

    stability: np.ndarray

    def __post_init__(self) -> None:
        shape: tuple[int, ...] | None = None
        for f in dataclasses.fields(self):
            array = _frozen_array(getattr(self, f.name), f.name)
            object.__setattr__(self, f.name, array)
            if shape is None:
                shape = array.shape
            elif array.shape[: len(shape)] != shape:
                raise ParameterError(
                    f"{type(self).__name__}.{f.name} has shape {array.shape} but "
                    f"stability has shape {shape}; fix: give every field the shape of "
                    "stability (trailing axes allowed)"
                )

    @property
    def shape(self) -> tuple[int, ...]:
        """Shape of the grid of cells (the shape of ``stability``)."""
        return tuple(self.stability.shape)

    def as_dict(self) -> dict[str, np.ndarray]:
        """Return the fields as a dict of (read-only) arrays.

        Examples
        --------
        >>> sorted(MemoryState(stability=[1.0]).as_dict())
        ['stability']
        """
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}

    def replace(self, **arrays: Any) -> Self:
        """Return a new state with some fields replaced (validated again).

        Examples
        --------
        >>> MemoryState(stability=[1.0]).replace(stability=[2.0]).stability.tolist()
        [2.0]
        """
        return dataclasses.replace(self, **arrays)

    def select(self, mask: np.ndarray | bool, other: Self) -> Self:
        """Take ``other`` where ``mask`` is true and keep ``self`` elsewhere.

        This is how the simulator updates only the cells touched on a given day:
        ``state = state.select(touched, model.review(state, elapsed, rating))``.

        Parameters
        ----------
        mask : array_like of bool
            Broadcastable to :attr:`shape`.
        other : MemoryState
            A state of the same class and shape.

        Returns
        -------
        MemoryState
            A new state; neither input is modified.

        Examples
        --------
        >>> a = MemoryState(stability=[1.0, 1.0])
        >>> a.select([False, True], MemoryState(stability=[5.0, 5.0])).stability.tolist()
        [1.0, 5.0]
        """
        if type(other) is not type(self):
            raise ParameterError(
                f"select: other is a {type(other).__name__}, expected a "
                f"{type(self).__name__}; fix: select between states of the same model"
            )
        if other.shape != self.shape:
            raise ParameterError(
                f"select: other has shape {other.shape}, expected {self.shape}; "
                "fix: review the same grid of cells you select into"
            )
        mask_array = np.broadcast_to(np.asarray(mask, dtype=bool), self.shape)
        updates = {}
        for name, mine in self.as_dict().items():
            theirs = getattr(other, name)
            m = mask_array.reshape(mask_array.shape + (1,) * (mine.ndim - mask_array.ndim))
            updates[name] = np.where(m, theirs, mine)
        return dataclasses.replace(self, **updates)


@runtime_checkable
class MemoryModel(Protocol):
    """What the population simulator needs from a forgetting model.

    All methods are pure and vectorised: arrays of any common (broadcastable) shape in,
    new arrays or a new :class:`MemoryState` out.

    Attributes
    ----------
    name : str
        Registry name ("fsrs6", "exponential", "hlr", "actr").
    """

    name: ClassVar[str]

    def initial_state(self, rating: np.ndarray) -> MemoryState:
        """State after the first learning encounter (ratings 1..4, any shape)."""
        ...

    def retrievability(self, state: MemoryState, elapsed_days: np.ndarray | float) -> np.ndarray:
        """Recall probability in [0, 1] after ``elapsed_days`` since the last review."""
        ...

    def review(
        self,
        state: MemoryState,
        elapsed_days: np.ndarray,
        rating: np.ndarray,
        gain: np.ndarray | float = 1.0,
    ) -> MemoryState:
        """State after a review ``elapsed_days`` after the last one.

        ``gain`` in [0, 1] scales the change of a successful review (rating >= 2):
        ``S_new = S + gain * (S_full - S)``; ``gain=1`` is exactly the model's own update.
        """
        ...

    def interval_days(self, state: MemoryState, desired_retention: float) -> np.ndarray:
        """Days until recall probability falls to ``desired_retention``."""
        ...


# ----------------------------------------------------------------------------- checks


def check_ratings(rating: Any, *, allow_padding: bool = False) -> np.ndarray:
    """Return ratings as an int64 array, or raise ParameterError naming the bad values.

    Examples
    --------
    >>> check_ratings([1, 4]).tolist()
    [1, 4]
    """
    array = np.asarray(rating)
    low = 0 if allow_padding else 1
    if array.dtype.kind not in "iub":
        as_float = np.asarray(array, dtype=float)
        if not np.all(np.isfinite(as_float)) or np.any(as_float != np.round(as_float)):
            raise ParameterError(
                "rating must hold whole numbers 1 (Again), 2 (Hard), 3 (Good) or 4 (Easy)"
                + (" or 0 for padding" if allow_padding else "")
                + "; fix: convert ratings to integers"
            )
    ints = np.asarray(array, dtype=np.int64)
    if ints.size and (ints.min() < low or ints.max() > 4):
        bad = (ints < low) | (ints > 4)
        values = sorted({int(v) for v in ints[bad].ravel()[:20]})
        raise ParameterError(
            f"rating has values {values} outside {low}..4; fix: use 1 (Again), 2 (Hard), "
            "3 (Good), 4 (Easy)" + (" and 0 only for padding" if allow_padding else "")
        )
    return ints


def check_elapsed_days(elapsed_days: Any, name: str = "elapsed_days") -> np.ndarray:
    """Return elapsed days as a float array; NaN, infinite or negative values raise.

    Examples
    --------
    >>> check_elapsed_days([0, 1.5]).tolist()
    [0.0, 1.5]
    """
    array = np.asarray(elapsed_days, dtype=float)
    if array.size == 0:
        return array
    # two reductions instead of four element-wise passes: this sits on the simulator's hot path
    low, high = float(array.min()), float(array.max())
    if not (math.isfinite(low) and math.isfinite(high)):
        raise ParameterError(f"{name} contains NaN or infinite values; fix: pass finite day counts")
    if low < 0:
        raise ParameterError(
            f"{name} has negative values (min {float(array.min())}); fix: elapsed time "
            "since the last review must be >= 0 days"
        )
    return array


def check_gain(gain: Any) -> np.ndarray:
    """Return gain as a float array in [0, 1], or raise ParameterError.

    Examples
    --------
    >>> float(check_gain(0.5))
    0.5
    """
    array = np.asarray(gain, dtype=float)
    if not np.all(np.isfinite(array)) or np.any((array < 0) | (array > 1)):
        raise ParameterError(
            "gain must lie in [0, 1] (1 = full retrieval review, 0 = no effect); "
            "fix: clip the gain of passive touches to [0, 1]"
        )
    return array


def check_desired_retention(desired_retention: Any) -> np.ndarray:
    """Return desired retention as a float array in the open interval (0, 1).

    Examples
    --------
    >>> float(check_desired_retention(0.9))
    0.9
    """
    array = np.asarray(desired_retention, dtype=float)
    if not np.all(np.isfinite(array)) or np.any((array <= 0) | (array >= 1)):
        raise ParameterError("desired_retention must lie strictly between 0 and 1; fix: use e.g. 0.9")
    return array


def round_interval_days(interval_days: np.ndarray, maximum_interval_days: int) -> np.ndarray:
    """Round intervals the way py-fsrs 6.x does: nearest whole day, at least 1, at most max.

    Python's ``round`` (py-fsrs) and ``numpy.rint`` both round halves to even, so the
    results are identical.

    Examples
    --------
    >>> round_interval_days(np.array([0.2, 2.5, 3.5, 1e9]), 36500).tolist()
    [1, 2, 4, 36500]
    """
    rounded = np.rint(np.asarray(interval_days, dtype=float))
    # annotated: numpy's stubs type ufunc results as Any
    days: np.ndarray = np.clip(rounded, 1, maximum_interval_days).astype(np.int64)
    return days


def check_bounds(owner: str, items: list[tuple[str, Any, float, float]]) -> None:
    """Raise one ParameterError listing every ``(name, value, low, high)`` out of range.

    Bounds are inclusive; non-numbers and NaN are violations too.

    Examples
    --------
    >>> check_bounds("Demo", [("rate", 0.5, 0.0, 1.0)])  # in range: no error
    """
    problems = []
    for name, value, low, high in items:
        try:
            number = float(value)
        except (TypeError, ValueError):
            problems.append(f"{name} = {value!r} is not a number (allowed [{low}, {high}])")
            continue
        if not (np.isfinite(number) and low <= number <= high):
            problems.append(f"{name} = {value!r} is outside [{low}, {high}]")
    if problems:
        raise ParameterError(
            f"{len(problems)} {owner} parameter(s) out of bounds:\n"
            + "\n".join(f"  - {p}" for p in problems)
            + f"\nfix: bring each value into its range, or start from {owner}() defaults"
        )
