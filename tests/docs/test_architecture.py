"""The module map in docs/architecture.md names every module there is, and only those."""

from __future__ import annotations

import importlib.util
import pkgutil
import re
from pathlib import Path

import workbench

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "architecture.md"
#: a table row whose first cell is a module name: | `workbench.plans.search` | ... |
ROW = re.compile(r"^\| `(workbench(?:\.\w+)*)` \|", re.M)


def mapped() -> list[str]:
    return ROW.findall(PAGE.read_text("utf-8"))


def modules() -> set[str]:
    """Every module and package under ``workbench``, found on disk without importing them."""
    found = {"workbench"}
    for info in pkgutil.walk_packages(workbench.__path__, "workbench."):
        found.add(info.name)
    return found


def required(name: str) -> bool:
    """Public modules at any depth, and the private top-level ones (shared by every package)."""
    parts = name.split(".")[1:]
    return not any(part.startswith("_") for part in parts[1:])


def test_every_mapped_module_exists() -> None:
    names = mapped()
    assert len(names) > 50, f"no module table found in {PAGE}"
    assert len(names) == len(set(names)), f"listed twice: {sorted({n for n in names if names.count(n) > 1})}"
    missing = [name for name in names if importlib.util.find_spec(name) is None]
    assert not missing, f"{PAGE.name} names modules that do not exist: {missing}; remove or rename their rows"


def test_every_public_module_is_mapped() -> None:
    unmapped = sorted(name for name in modules() - set(mapped()) if required(name))
    assert not unmapped, f"modules missing from {PAGE.name}: {unmapped}; add a row saying what each owns"


def test_the_templates_ship_as_one_copy() -> None:
    # the map says so: templates/ is the folder, the package's journeys/ a link to it
    link = ROOT / "src" / "workbench" / "templates" / "journeys"
    assert link.is_symlink()
    assert link.resolve() == (ROOT / "templates").resolve()
