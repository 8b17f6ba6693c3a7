"""Undo and redo over immutable values: what the composer steps through."""

from __future__ import annotations

from typing import Generic, TypeVar

__all__ = ["UndoHistory"]

T = TypeVar("T")


class UndoHistory(Generic[T]):
    """The values before the current one (to undo) and those undone (to redo).

    Values are immutable (journeys), so the history keeps them as they are, not diffs.

    Parameters
    ----------
    limit : int
        Most undo steps kept (the oldest are dropped first; at least 1).

    Examples
    --------
    >>> history = UndoHistory[str](limit=2)
    >>> history.record("a"); history.record("b"); history.record("c")  # current is "d"
    >>> history.undo("d"), history.undo("c"), history.can_undo
    ('c', 'b', False)
    >>> history.redo("b")
    'c'
    """

    def __init__(self, limit: int = 100) -> None:
        self.limit = max(1, int(limit))
        self._past: list[T] = []
        self._future: list[T] = []

    @property
    def can_undo(self) -> bool:
        """Whether there is a value to go back to."""
        return bool(self._past)

    @property
    def can_redo(self) -> bool:
        """Whether there is an undone value to go forward to."""
        return bool(self._future)

    def record(self, previous: T) -> None:
        """Keep ``previous`` (replaced by a new edit) for undo, and forget what was undone."""
        self._past.append(previous)
        del self._past[: -self.limit]
        self._future.clear()

    def undo(self, current: T) -> T:
        """Return the value before ``current`` (``current`` can be redone); IndexError when there is none."""
        if not self._past:
            raise IndexError("nothing to undo")
        self._future.append(current)
        return self._past.pop()

    def redo(self, current: T) -> T:
        """Return the value undone last (``current`` can be undone again); IndexError when there is none."""
        if not self._future:
            raise IndexError("nothing to redo")
        self._past.append(current)
        return self._future.pop()
