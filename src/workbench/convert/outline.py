"""One outline model for every kind of legacy source: sections of blocks, with provenance.

A reader turns a deck, a document, a transcript or a packaged course into an
:class:`Outline`; everything after that (analysis, redesign, the report) works on outlines
only, so a new reader is all a new source format needs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

__all__ = ["Block", "BlockKind", "Outline", "Provenance", "Section", "format_seconds"]


class BlockKind(StrEnum):
    """What a block of text is in its source."""

    HEADING = "heading"
    TEXT = "text"
    BULLET = "bullet"
    NOTE = "note"  # speaker or facilitator notes
    TABLE = "table"  # one row of a table, cells joined by " | "
    CUE = "cue"  # one timed cue of a transcript


def format_seconds(seconds: float) -> str:
    """Render seconds as ``H:MM:SS``.

    Examples
    --------
    >>> format_seconds(3725.4)
    '1:02:05'
    """
    whole = round(seconds)
    return f"{whole // 3600}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a piece of content comes from: a file and a place in it.

    Examples
    --------
    >>> str(Provenance("deck.pptx", "slide 12"))
    'deck.pptx, slide 12'
    """

    file: str
    locator: str

    def __str__(self) -> str:
        return f"{self.file}, {self.locator}"


@dataclass(frozen=True, slots=True)
class Block:
    """A piece of text in a section: a heading, paragraph, bullet, note, table row or cue.

    ``emphasis`` holds the phrases the source set in bold (or as defined terms); ``level``
    is a heading or bullet level; transcripts give ``speaker``, ``start_s`` and ``end_s``.
    """

    kind: BlockKind
    text: str
    provenance: Provenance
    level: int = 0
    emphasis: tuple[str, ...] = ()
    speaker: str | None = None
    start_s: float | None = None
    end_s: float | None = None


@dataclass(frozen=True, slots=True)
class Section:
    """A unit of the source as its author made it: a slide, a heading's section, a SCO, a turn."""

    title: str
    blocks: tuple[Block, ...]
    provenance: Provenance
    hidden: bool = False

    @property
    def text_blocks(self) -> tuple[Block, ...]:
        """The blocks learners saw (notes excluded)."""
        return tuple(b for b in self.blocks if b.kind is not BlockKind.NOTE)

    @property
    def has_table(self) -> bool:
        """Whether the section holds a table."""
        return any(b.kind is BlockKind.TABLE for b in self.blocks)

    @property
    def words(self) -> int:
        """Words of learner-facing text (title included)."""
        return len(self.title.split()) + sum(len(b.text.split()) for b in self.text_blocks)


@dataclass(frozen=True, slots=True)
class Outline:
    """A source file read into sections.

    Parameters
    ----------
    source : str
        The file name (reports name it).
    format : str
        ``pptx``, ``docx``, ``markdown``, ``html``, ``pdf``, ``transcript``, ``scorm`` or ``cmi5``.
    title : str
        The source's own title (or the file stem).
    sections : tuple of Section
        In source order.
    source_minutes : float
        Learner time the source takes as delivered: the recording's length, about
        3 minutes a slide for a live deck, reading time at 200 words a minute otherwise.
    notes : tuple of str
        What the reader noticed and did not use (hidden slides, macros ignored...).
    """

    source: str
    format: str
    title: str
    sections: tuple[Section, ...]
    source_minutes: float
    notes: tuple[str, ...] = field(default=())

    @property
    def is_live(self) -> bool:
        """Whether the source was delivered live (a deck or a recording)."""
        return self.format in ("pptx", "transcript")
