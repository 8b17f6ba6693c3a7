"""One hierarchy of errors for everything workbench raises on purpose.

Every message names what is wrong (the field, id, file or line) and how to fix it, so the
CLI and the widgets can show it as it is, without a traceback.
"""

from __future__ import annotations

__all__ = [
    "CatalogError",
    "DataError",
    "ExportError",
    "JourneyError",
    "MissingDependencyError",
    "ParameterError",
    "PlanAlreadyAppliedError",
    "SourceError",
    "SpecError",
    "UnknownNameError",
    "WorkbenchError",
    "problem_lines",
]


class WorkbenchError(Exception):
    """Base class of every error workbench raises on purpose."""


class JourneyError(WorkbenchError, ValueError):
    """A journey breaks an invariant (duplicate ids, dangling references, cycles...).

    ``problems`` lists every violation found, so all of them can be fixed at once.
    """

    def __init__(self, problems: list[str] | str, kind: str = "Journey") -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        self.kind = kind
        head = f"invalid {kind}"
        if len(self.problems) == 1:
            super().__init__(f"{head}: {self.problems[0]}")
        else:
            lines = "\n".join(f"  - {p}" for p in self.problems)
            super().__init__(f"{head}, {len(self.problems)} problems:\n{lines}")


class SpecError(WorkbenchError, ValueError):
    """A spec file cannot be read: syntax, types, unknown keys; names file, line and field."""


class CatalogError(WorkbenchError, ValueError):
    """An activity kind or catalog entry is unknown or malformed."""


class ParameterError(WorkbenchError, ValueError):
    """Model or simulation parameters are out of bounds; lists every violation."""


class UnknownNameError(WorkbenchError, ValueError):
    """A model, plan, template or format name is not known; the message lists the known ones."""


class DataError(WorkbenchError, ValueError):
    """Observed data (CSV, xAPI) is empty or malformed; names the file, line and column."""


class PlanAlreadyAppliedError(ParameterError):
    """A reinforcement plan's touches are already in the journey (it was applied before)."""


class ExportError(WorkbenchError, ValueError):
    """A journey cannot be expressed in the requested delivery format, and why."""


class MissingDependencyError(WorkbenchError, ImportError):
    """An optional dependency is missing; the message gives the install command."""


class SourceError(WorkbenchError, ValueError):
    """A legacy source (deck, document, transcript, package) cannot be read, or is refused as unsafe.

    Names the file and the part (ZIP member, line, slide) and what to do.
    """


def problem_lines(exc: BaseException) -> list[str]:
    """Return the problems an error carries, one per line (a JourneyError lists several).

    Examples
    --------
    >>> problem_lines(JourneyError(["a: bad", "b: worse"]))
    ['a: bad', 'b: worse']
    >>> problem_lines(ParameterError("target: must be a share"))
    ['target: must be a share']
    """
    if isinstance(exc, JourneyError):
        return list(exc.problems)
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()
