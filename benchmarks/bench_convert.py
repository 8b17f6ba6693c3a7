"""Benchmark the converter on large legacy sources: a 200-slide deck and a 2-hour transcript.

Run as a script (prints the figures and each ratio to a reference measured in this run)::

    python benchmarks/bench_convert.py [--slides 200] [--minutes 120] [--repeats 3]

Nothing here asserts wall-clock times. What is timed (best of ``--repeats``, ``time.perf_counter``):

* deck: ``workbench.convert.convert`` (safety checks, reading, analysis, redesign with its
  reinforcement plan, and the report's frames), against the reference of python-pptx alone
  opening the same deck and reading the text of every shape and note;
* transcript: the same, against webvtt-py alone parsing the same file.

The ratio says how much the converter costs beyond parsing the file, which no converter can
avoid. Target (issue 15): a 200-slide deck or a 2-hour transcript converts in seconds.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from convert import sources
from workbench.convert import convert


def best_of(repeats: int, func: Callable[[], Any]) -> float:
    """Return the best wall time of ``repeats`` calls, in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def read_deck_only(path: Path) -> int:
    """Open a deck with python-pptx and read every shape's and note's text (the reference)."""
    from pptx import Presentation

    words = 0
    for slide in Presentation(str(path)).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                words += len(shape.text_frame.text.split())
        if slide.has_notes_slide:
            words += len(slide.notes_slide.notes_text_frame.text.split())
    return words


def read_transcript_only(path: Path) -> int:
    """Parse a WebVTT file with webvtt-py (the reference)."""
    import webvtt

    return len(webvtt.read(str(path)).captions)


def main(argv: list[str] | None = None) -> int:
    """Build the sources, time conversion and references, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slides", type=int, default=200)
    parser.add_argument("--minutes", type=int, default=120)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        deck = sources.build_deck(Path(folder) / "deck.pptx", slides=args.slides)
        transcript = sources.build_transcript(Path(folder) / "session.vtt", minutes=args.minutes)
        rows = []
        for name, path, reference in (
            (f"{args.slides}-slide deck", deck, read_deck_only),
            (f"{args.minutes}-minute transcript", transcript, read_transcript_only),
        ):
            ref = best_of(args.repeats, lambda p=path, r=reference: r(p))
            full = best_of(args.repeats, lambda p=path: convert([p]).segments_frame())
            report = convert([path])
            rows.append((name, full, ref, len(report.draft.analysis.segments), len(report.draft.proposals)))
    print(f"{'source':<24} {'convert':>9} {'parse only':>11} {'ratio':>7} {'segments':>9} {'proposals':>10}")
    for name, full, ref, segments, proposals in rows:
        print(f"{name:<24} {full:>8.2f}s {ref:>10.2f}s {full / ref:>6.1f}x {segments:>9} {proposals:>10}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
