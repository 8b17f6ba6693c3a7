"""The test environment: CI or not, and the shared reference folder.

One rule for everything a test needs from outside the repository (the ``../shared`` reference
material, Chromium, a ralph LRS, an optional package): when it is missing the test skips on a
developer's machine and fails in CI, so a missing install can never turn CI green.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType
from typing import Any, NoReturn

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]

#: Starts the reason of every skip for missing shared material (counted at the end of the run).
SHARED_MISSING = "shared reference material missing:"


def in_ci() -> bool:
    """Tell whether the tests run in CI (CI sets ``CI=true``; ``1`` and ``yes`` count too)."""
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def skip_or_fail(reason: str) -> NoReturn:
    """Skip the test (or the module, at import) locally, fail in CI: what CI must run, it runs."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true: this must not be skipped)", pytrace=False)
    pytest.skip(reason, allow_module_level=True)


def shared_dir() -> Path:
    """Return the shared reference folder: ``$WORKBENCH_SHARED``, else ``../shared`` beside the repo."""
    env = os.environ.get("WORKBENCH_SHARED")
    return Path(env).resolve() if env else REPO_ROOT.parent / "shared"


def shared_path(relative: str | Path = "") -> Path:
    """Return a file or folder of the shared reference material; skip (locally) when missing.

    The skip reason starts with :data:`SHARED_MISSING`, so the end-of-run summary counts it.
    """
    path = shared_dir() / relative
    if not path.exists():
        skip_or_fail(f"{SHARED_MISSING} {path} not found; set WORKBENCH_SHARED to the shared folder")
    return path


def require_module(name: str, install: str) -> ModuleType:
    """Import a test dependency, or skip locally / fail in CI naming how to install it."""
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        skip_or_fail(f"{name} is not importable ({exc}): {install}")


def shared_skip_summary(skipped: Iterable[Any]) -> str:
    """Return the end-of-run line: how many of the ``skipped`` reports lacked shared material."""
    count = sum(SHARED_MISSING in _skip_reason(report) for report in skipped)
    folder = shared_dir()
    state = "found" if folder.is_dir() else "missing"
    return f"shared reference material: {count} test(s) skipped for it ({folder} {state}; set by WORKBENCH_SHARED)"


def _skip_reason(report: Any) -> str:
    """Return the reason text of a skip report (pytest keeps it as ``(path, line, reason)``)."""
    longrepr = getattr(report, "longrepr", None)
    return str(longrepr[2]) if isinstance(longrepr, tuple) and len(longrepr) == 3 else str(longrepr)
