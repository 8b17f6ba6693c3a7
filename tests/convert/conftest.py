"""Legacy sources built once per test session with the real libraries (see sources.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from convert import sources


@pytest.fixture(scope="session")
def legacy(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One file of every supported kind: deck, handbook, transcript, SCORM 1.2 course, PDF, web page."""
    folder = tmp_path_factory.mktemp("legacy")
    return {
        "deck": sources.build_deck(folder / "workshop.pptx"),
        "handbook": sources.build_handbook(folder / "handbook.docx"),
        "transcript": sources.build_transcript(folder / "session.vtt"),
        "scorm": sources.build_scorm12(folder / "course.zip"),
        "pdf": sources.build_pdf(folder / "policy.pdf"),
        "html": sources.build_html(folder / "expenses.html"),
    }
