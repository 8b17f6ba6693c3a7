"""Convert legacy training (decks, documents, recordings' transcripts, packaged courses) into a draft journey.

The converter reads sources into one outline model (:mod:`~workbench.convert.readers`),
finds segments, their purpose and the concepts taught, each with the cue or evidence that
decided it (:mod:`~workbench.convert.analysis`), redesigns them into micro assets placed in
the journey's layers (:mod:`~workbench.convert.redesign`) and reports what was kept, merged
and dropped (:mod:`~workbench.convert.report`). It proposes; the designer decides: every
asset is a draft with its provenance.

Examples
--------
>>> report = convert_text('''
... # Incident reporting
... ## Agenda
... - Welcome
... ## Severity levels
... A severity level is a rating from 1 to 4 of an incident's business impact.
... ## Scenario: a payment outage
... What severity level would you give if payments fail at month-end?
... ''')
>>> [c.name for c in report.draft.analysis.concepts]
['Severity level']
>>> sorted(report.segments_frame()["decision"])
['dropped', 'dropped', 'kept', 'kept']
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

from workbench.convert.analysis import Analysis, ConceptCandidate, Evidence, Segment, analyse
from workbench.convert.cues import Category
from workbench.convert.outline import Block, BlockKind, Outline, Provenance, Section
from workbench.convert.readers import FORMATS, read_source, read_sources
from workbench.convert.redesign import DEFAULT_PLAN, Draft, Proposal, draft_journey
from workbench.convert.report import ConversionReport
from workbench.convert.safety import DEFAULT_LIMITS, SourceLimits

__all__ = [
    "DEFAULT_LIMITS",
    "DEFAULT_PLAN",
    "FORMATS",
    "Analysis",
    "Block",
    "BlockKind",
    "Category",
    "ConceptCandidate",
    "ConversionReport",
    "Draft",
    "Evidence",
    "Outline",
    "Proposal",
    "Provenance",
    "Section",
    "Segment",
    "SourceLimits",
    "analyse",
    "convert",
    "convert_text",
    "draft_journey",
    "read_source",
    "read_sources",
]


def convert(
    sources: Iterable[str | Path],
    *,
    anchor: Literal["keep", "replace"] = "keep",
    plan: str = DEFAULT_PLAN,
    profile: Any = None,
    max_concepts: int = 8,
    limits: SourceLimits = DEFAULT_LIMITS,
    journey_id: str | None = None,
    title: str | None = None,
) -> ConversionReport:
    """Read, analyse and redesign legacy sources; return the report (its ``draft.journey`` is the draft).

    Parameters
    ----------
    sources : iterable of str or Path
        Files: ``.pptx``, ``.docx``, ``.md``, ``.html``, ``.pdf``, ``.vtt``, ``.srt``, or a
        SCORM 1.2 / 2004 or cmi5 package ``.zip``.
    anchor : {'keep', 'replace'}
        Keep the formal event as a shorter core, or replace it by concept explainers.
    plan : str
        Reinforcement plan of the draft (default :data:`DEFAULT_PLAN`).
    profile : str, MemoryProfile or Calibration, optional
        Memory profile (or calibration) the plan is scheduled for, named in the draft and the
        report (default: the default memory profile).
    max_concepts : int
        Most concepts to propose.
    limits : SourceLimits
        Bounds on file size and package contents.
    journey_id, title : str, optional
        Identity of the draft journey (default from the first source).

    Returns
    -------
    ConversionReport
    """
    analysis = analyse(read_sources(sources, limits), max_concepts=max_concepts)
    draft = draft_journey(analysis, anchor=anchor, plan=plan, profile=profile, journey_id=journey_id, title=title)
    return ConversionReport(draft)


def convert_text(markdown: str, *, name: str = "notes.md", **options: object) -> ConversionReport:
    """Convert Markdown text (handy in notebooks and examples); options as :func:`convert`."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="workbench-convert-") as folder:
        path = Path(folder) / Path(name).name
        path.write_text(markdown, encoding="utf-8")
        return convert([path], **options)  # type: ignore[arg-type]
