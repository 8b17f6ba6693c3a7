"""Benchmark of statement ingest (run: ``python benchmarks/bench_ingest.py [--statements N]``).

Writes N xAPI statements as NDJSON (a synthetic cohort of the retention template, multiplied
with fresh ids and learners), then reads the file twice, each in a fresh process so each peak
memory is its own:

1. :func:`workbench.analytics.read_statements` (strict validation, voiding, dedup, the frame);
2. the reference, ``pandas.read_json(path, lines=True)`` (parsing only, nested columns).

Printed: statements, wall time of each, the ratio ours / reference, and each process's peak
resident memory. ``--statements`` defaults to 100,000 (about a minute on a quiet laptop);
the README figure is ``--statements 1000000``.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path


def write_statements(path: Path, count: int) -> None:
    """Write ``count`` statements: the sample cohort's statements over and over with new ids."""
    from workbench.export.xapi import sample_statements
    from workbench.templates import load_template

    base = sample_statements(
        load_template("post_training_retention"), 20, start=datetime(2026, 3, 2, 9, tzinfo=UTC), rng=1
    )
    texts = [json.dumps(s) for s in base]
    ids = [s["id"] for s in base]
    names = [s["actor"]["account"]["name"] for s in base]
    written = 0
    with path.open("w", encoding="utf-8") as handle:
        round_number = 0
        while written < count:
            for text, statement_id, name in zip(texts, ids, names, strict=True):
                if written == count:
                    break
                line = text.replace(statement_id, str(uuid.UUID(int=written + 1))).replace(
                    f'"name": "{name}"', f'"name": "{name}-{round_number}"'
                )
                handle.write(line + "\n")
                written += 1
            round_number += 1


def _measure(kind: str, path: str) -> None:
    import pandas as pd

    from workbench.analytics import read_statements  # imports are not timed

    start = time.perf_counter()
    rows = read_statements(path).kept if kind == "ours" else len(pd.read_json(path, lines=True))
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"rows": rows, "seconds": seconds, "peak_mb": peak_mb}))


def _run(kind: str, path: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, __file__, "--measure", kind, str(path)], check=True, capture_output=True, text=True
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=100_000, help="statements to write and read")
    parser.add_argument("--measure", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        _measure(*args.measure)
        return
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as folder:
        path = Path(folder) / "statements.ndjson"
        write_statements(path, args.statements)
        size_mb = path.stat().st_size / 1e6
        ours = _run("ours", path)
        reference = _run("pandas", path)
    assert ours["rows"] == reference["rows"] == args.statements, (ours, reference)
    print(f"ingest of {args.statements:,} NDJSON statements ({size_mb:,.0f} MB)")
    print(f"  workbench read_statements : {ours['seconds']:8.1f} s   peak {ours['peak_mb']:7,.0f} MB")
    print(f"  pandas.read_json(lines)   : {reference['seconds']:8.1f} s   peak {reference['peak_mb']:7,.0f} MB")
    print(f"  ratio (ours / pandas)     : {ours['seconds'] / reference['seconds']:8.2f} x time, "
          f"{ours['peak_mb'] / reference['peak_mb']:.2f} x peak memory")  # fmt: skip


if __name__ == "__main__":
    main()
