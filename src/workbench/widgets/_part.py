"""What every part of the composer can ask of it: the journey, committing an edit, the status line."""

from __future__ import annotations

from workbench.model import Journey

__all__ = ["ComposerPart"]


class ComposerPart:
    """Base of the composer's forms (mixins of :class:`~workbench.widgets.JourneyComposer`).

    Each form keeps its widgets and its actions in its own module; the composer holds the
    one journey, the undo history and the views, and implements the methods below.
    """

    # provided by the composer (the panel these parts belong to)
    journey: Journey
    _loading: bool
    _message: str
    _selected: str | None  # the activity the forms edit (None: a new one)

    def _commit(self, journey: Journey, message: str, select: str | None = None) -> None:
        raise NotImplementedError

    def _ids(self) -> list[str]:
        raise NotImplementedError

    def _update_status(self) -> None:
        raise NotImplementedError

    def _refresh_items(self) -> None:
        raise NotImplementedError
