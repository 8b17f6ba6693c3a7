"""The composer's undo history, without any widget."""

from __future__ import annotations

import pytest

from workbench.widgets._history import UndoHistory


def test_undo_and_redo_walk_the_values_back_and_forth() -> None:
    history: UndoHistory[int] = UndoHistory()
    current = 0
    for value in (1, 2, 3):
        history.record(current)
        current = value
    current = history.undo(current)
    current = history.undo(current)
    assert current == 1
    assert history.can_undo
    assert history.can_redo
    current = history.redo(current)
    assert current == 2
    history.record(current)  # a new edit forgets what was undone
    assert not history.can_redo


def test_the_limit_drops_the_oldest_values() -> None:
    history: UndoHistory[str] = UndoHistory(limit=2)
    for value in "abc":
        history.record(value)
    assert history.undo("d") == "c"
    assert history.undo("c") == "b"
    assert not history.can_undo
    with pytest.raises(IndexError):
        history.undo("b")
    assert UndoHistory(limit=0).limit == 1
