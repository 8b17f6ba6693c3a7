"""What the command groups share: exit codes, JSON output, the progress bar, the memory-profile options."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TextIO

from workbench.errors import WorkbenchError

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2

#: a command: the parsed arguments and the output stream in, the exit code out
Command = Callable[[argparse.Namespace, TextIO], int]
#: adds one command to the parser: its name, its function and its help; returns its subparser
CommandAdder = Callable[[str, Command, str], argparse.ArgumentParser]


def print_json(data: Any, out: TextIO) -> None:
    """Write ``data`` as indented JSON (non-ASCII kept, anything else as its string)."""
    out.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


@contextmanager
def progress_bar(
    desc: str, total: int | None, *, quiet: bool, unit: str = "simulation"
) -> Iterator[Callable[[int], None]]:
    """Yield a ``progress=`` callable drawing a tqdm bar of the ``unit`` done on stderr (none when ``quiet``)."""
    from tqdm import tqdm

    with tqdm(total=total, unit=unit, desc=desc, disable=quiet, file=sys.stderr) as bar:
        yield lambda done: bar.update(done - bar.n)


def simulation_table(result: Any) -> str:
    """Return the retention and proficiency of each concept on days 7, 30, 90 and the horizon, as text."""
    days = [d for d in (7, 30, 90) if d < result.horizon_days] + [result.horizon_days]
    head = f"  {'concept':<28}" + "".join(f"{'day ' + str(d):>9}" for d in days) + f"{'proficient':>12}"
    lines = [head]
    for concept in [*result.concept_ids, None]:
        label = concept or "all concepts (weighted)"
        cells = "".join(f"{result.retention(d, concept):>9.3f}" for d in days)
        lines.append(f"  {label:<28}{cells}{result.proficiency(result.horizon_days, concept=concept):>12.3f}")
    return "\n".join(lines) + "\n"


def chosen_profile(args: argparse.Namespace) -> Any:
    """Resolve the memory profile the options choose: a calibration file, a profile name, or the default."""
    if getattr(args, "calibration", None):
        if getattr(args, "profile", None):
            raise WorkbenchError("--profile and --calibration: give one of them (a calibration is a fitted profile)")
        from workbench.calibrate import load_calibration

        return load_calibration(args.calibration)
    from workbench.simulate import resolve_profile

    return resolve_profile(getattr(args, "profile", None))


def profile_line(profile: Any) -> str:
    """Return the line naming the memory profile a run used."""
    return f"  memory profile: {profile.name} ({profile.title})\n"


def iso_date(text: str, option: str) -> dt.date:
    """Return the date ``text`` (YYYY-MM-DD) given to ``option``, or a WorkbenchError naming the option."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise WorkbenchError(f"{option}: {text!r} is not a date; use YYYY-MM-DD, e.g. 2026-03-02") from None


def plan_population(learners: int) -> Any:
    """Return the population of ``--learners`` learners (at least 1)."""
    from workbench.simulate import LearnerPopulation

    if learners < 1:
        raise WorkbenchError(f"--learners: must be at least 1 (got {learners})")
    return LearnerPopulation(size=learners)


def profile_options(p: argparse.ArgumentParser) -> None:
    """Add ``--profile`` and ``--calibration`` (the memory profile of the run)."""
    # Names spelled out rather than imported: the parser stays cheap to build (a test keeps them complete).
    p.add_argument("--profile", help="memory profile: workplace (default), workplace-spacing or flashcards")
    p.add_argument("--calibration", help="calibration file written by 'workbench calibrate' (instead of --profile)")


def scheduler_option(p: argparse.ArgumentParser) -> None:
    """Add ``--scheduler`` (the plans simulated as Dask tasks)."""
    p.add_argument(
        "--scheduler", help="simulate the plans as Dask tasks: 'local' or a scheduler address (default: this process)"
    )
