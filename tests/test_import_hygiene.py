"""Importing the core stays light: no UI toolkit, no pyplot (checked in a fresh interpreter).

Every top-level module and package of ``workbench`` is covered as it appears (a new package
is checked without editing this file); only ``workbench.widgets`` is the UI and may bring
ipywidgets and IPython. Nothing imports ``matplotlib.pyplot`` on import: plots build their
figures without pyplot's global state (and notebooks stay free to choose a backend).
"""

from __future__ import annotations

import json
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import workbench

UI = "workbench.widgets"
NEVER = ("matplotlib.pyplot",)
NOT_IN_CORE = ("ipywidgets", "IPython")

# Imports each module in turn and reports what each one newly pulled in: the first culprit is
# named even though later imports share the same interpreter.
PROBE = """
import importlib, json, sys
watched = {watched!r}
pulled = {{}}
for name in {names!r}:
    before = {{m for m in watched if m in sys.modules}}
    importlib.import_module(name)
    pulled[name] = sorted(m for m in watched if m in sys.modules and m not in before)
print(json.dumps(pulled))
"""


def test_every_module_imports_without_ui_or_pyplot() -> None:
    names = ["workbench", *sorted(m.name for m in pkgutil.iter_modules(workbench.__path__, "workbench."))]
    core = [n for n in names if n != UI]
    assert len(core) >= 10, names  # the discovery works: model, spec, rules, simulate, ...
    # the core first, so a heavy import by the UI cannot hide one by the core
    code = PROBE.format(watched=NEVER + NOT_IN_CORE, names=[*core, UI])
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    pulled: dict[str, list[str]] = json.loads(result.stdout)
    offenders = {n: mods for n, mods in pulled.items() if mods and (n != UI or set(mods) & set(NEVER))}
    assert offenders == {}, f"imports that pull a UI toolkit or pyplot: {offenders}"


def test_the_package_never_reads_the_shared_reference_folder() -> None:
    # ../shared is test reference material only: what a feature needs ships in the package (issue 11)
    src = Path(__file__).resolve().parents[1] / "src" / "workbench"
    pattern = re.compile(r"WORKBENCH_SHARED|\.\./shared|[\"']shared[\"']")
    offenders = [
        f"{path.relative_to(src)}:{number}: {line.strip()}"
        for path in sorted(src.rglob("*"))
        if path.is_file() and path.suffix in (".py", ".yaml", ".j2", ".json")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if pattern.search(line)
    ]
    assert not offenders, offenders
