"""Benchmark the refusal of hostile spec files: time and peak memory per bomb, against a template.

Run as a script (prints one row per file and ratios to a reference measured in this run)::

    python benchmarks/bench_spec_bombs.py [--repeats 3] [--no-cli] [--files 'tests/data/bad/bomb_*']

Nothing here asserts wall-clock times. Each file is read in a fresh interpreter, so memory
figures belong to that file alone:

* in process: :func:`workbench.spec.load` after the imports and one template load (warm), best
  of ``--repeats`` runs (``time.perf_counter``), and the growth of the peak resident set size
  (``ru_maxrss``) over that warm process; the reference is loading a normal template
  (``onboarding_continuation``, 7 KB) the same way;
* the command: ``workbench lint FILE`` as a user runs it (interpreter start and imports
  included), wall time and the peak resident set size of that process (``os.wait4``); the
  reference is ``workbench lint`` on the same template.

Targets (issue 11): every bomb refused (exit 2) in under 1 s with peak memory under 200 MB.
Before the bounds, the 600-byte "billion laughs" file kept ``workbench lint`` busy for more
than 60 s and above 3 GB.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = "onboarding_continuation"

CHILD = """
import json, resource, sys, time
from workbench.errors import SpecError
from workbench.spec import load
path, reference, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3])
load(reference)  # imports and caches warm: what follows is the reading alone
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
best, message = float("inf"), ""
for _ in range(repeats):
    start = time.perf_counter()
    try:
        load(path)
        message = "accepted"
    except SpecError as exc:
        message = str(exc)
    best = min(best, time.perf_counter() - start)
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": best, "growth_mb": (after - before) / 1024, "message": message}))
"""


def in_process(path: Path, reference: Path, repeats: int) -> dict[str, Any]:
    """Best time and peak-memory growth of ``load(path)`` in a fresh, warm interpreter."""
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), str(reference), str(repeats)],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(out.stdout)
    return result


def command(path: Path) -> dict[str, Any]:
    """Exit code, wall time and peak RSS of ``workbench lint path`` (a user's run)."""
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "workbench.cli", "lint", str(path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    stdout, stderr = process.stdout.read(), process.stderr.read()  # type: ignore[union-attr]
    process.returncode = os.waitstatus_to_exitcode(status)
    return {
        "code": process.returncode,
        "seconds": seconds,
        "peak_mb": usage.ru_maxrss / 1024,
        "traceback": b"Traceback" in stderr,
        "stdout": stdout.decode(errors="replace"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--files", default=str(ROOT / "tests" / "data" / "bad" / "bomb_*"))
    parser.add_argument("--no-cli", action="store_true", help="skip the `workbench lint` runs (the slow part)")
    args = parser.parse_args(argv)

    from workbench.spec import SPEC_LIMITS
    from workbench.templates import template_text

    folder = Path(tempfile.mkdtemp(prefix="wb-bombs-"))
    reference = folder / f"{REFERENCE}.yaml"
    reference.write_text(template_text(REFERENCE), encoding="utf-8")
    oversize = folder / "bomb_oversize.yaml"
    with oversize.open("wb") as handle:  # sparse: refused on its size, before a byte is read
        handle.truncate(SPEC_LIMITS.max_bytes + 1)
    files = [Path(p) for p in sorted(glob.glob(args.files))] + [oversize]

    ref = in_process(reference, reference, args.repeats)
    ref_cli = None if args.no_cli else command(reference)
    print(f"hostile spec files: best of {args.repeats}; reference: loading the {REFERENCE} template")
    print(f"reference load        {ref['seconds'] * 1000:8.2f} ms in process", end="")
    if ref_cli:
        print(
            f"; `workbench lint`: {ref_cli['seconds']:.2f} s, peak {ref_cli['peak_mb']:.0f} MB, exit {ref_cli['code']}"
        )
    else:
        print()
    header = f"{'file':<28}{'bytes':>10}{'refuse ms':>11}{'x ref':>8}{'+MB':>7}"
    if ref_cli:
        header += f"{'exit':>6}{'lint s':>8}{'x ref':>7}{'peak MB':>9}"
    print(header)
    worst_s, worst_mb, all_refused = 0.0, 0.0, True
    for path in files:
        row = in_process(path, reference, args.repeats)
        refused = row["message"] != "accepted"
        all_refused &= refused
        worst_s = max(worst_s, row["seconds"])
        line = (
            f"{path.name:<28}{path.stat().st_size:>10,}{row['seconds'] * 1000:>11.2f}"
            f"{row['seconds'] / ref['seconds']:>8.2f}{row['growth_mb']:>7.1f}"
        )
        if ref_cli:
            cli = command(path)
            all_refused &= cli["code"] == 2 and not cli["traceback"] and not cli["stdout"]
            worst_mb = max(worst_mb, cli["peak_mb"])
            line += (
                f"{cli['code']:>6}{cli['seconds']:>8.2f}{cli['seconds'] / ref_cli['seconds']:>7.2f}"
                f"{cli['peak_mb']:>9.0f}"
            )
        print(line)
    print()
    print(f"every file refused (exit 2, one message, no traceback): {'yes' if all_refused else 'NO'}")
    print(f"slowest refusal in process: {worst_s * 1000:.1f} ms (target < 1 s: {'met' if worst_s < 1 else 'NOT met'})")
    if ref_cli:
        verdict = "met" if worst_mb < 200 else "NOT met"
        print(f"largest `workbench lint` peak: {worst_mb:.0f} MB (target < 200 MB: {verdict})")
    return 0 if all_refused else 1


if __name__ == "__main__":
    sys.exit(main())
