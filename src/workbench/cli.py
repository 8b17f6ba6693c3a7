"""The ``workbench`` command: thin over the core (parse, call, write, exit code).

Exit codes: 0 ok, 1 the journey has error-severity findings, 2 bad input or usage.
The commands are in :mod:`workbench._cli`, one module per command group.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from workbench import __version__
from workbench._cli import delivery, journey, plans, simulation
from workbench._cli.common import EXIT_BAD_INPUT, Command
from workbench.errors import WorkbenchError

__all__ = ["main"]


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors carry a hint and exit with code 2 (as argparse does)."""

    def error(self, message: str) -> Any:
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, f"workbench: error: {message} (see '{self.prog} --help')\n")


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser (exposed for the docs and tests)."""
    parser = _Parser(prog="workbench", description="Compose, check, simulate and export blended learning journeys.")
    parser.add_argument("--version", action="version", version=f"workbench {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    def command(name: str, func: Command, help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.set_defaults(func=func)
        return p

    for group in (journey, simulation, plans, delivery):
        group.add_commands(command)
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the command line; returns the exit code."""
    stream = out or sys.stdout
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args, stream))
    except WorkbenchError as exc:
        sys.stderr.write(f"workbench: error: {exc}\n")
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:  # pragma: no cover
        sys.stderr.write("workbench: interrupted\n")
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
