"""The ``workbench`` command run in-process (fast; its exit code and standard output returned)."""

from __future__ import annotations

import io

from workbench.cli import main


def run_cli(*argv: str) -> tuple[int, str]:
    """Run ``workbench ARGV...``; return its exit code and what it wrote to standard output.

    Standard error is left to pytest's ``capsys`` (clear errors are written there).
    """
    out = io.StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue()
