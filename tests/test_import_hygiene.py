"""``import workbench`` stays light: no UI toolkit, no pyplot (a fresh interpreter checks)."""

from __future__ import annotations

import subprocess
import sys


def test_import_workbench_pulls_no_widgets_and_no_pyplot() -> None:
    code = (
        "import sys, workbench, workbench.model, workbench.spec, workbench.rules, workbench.templates;"
        "bad = [m for m in ('ipywidgets', 'matplotlib.pyplot', 'IPython') if m in sys.modules];"
        "print(','.join(bad))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_the_package_never_reads_the_shared_reference_folder() -> None:
    # ../shared is test reference material only: what a feature needs ships in the package (issue 11)
    import re
    from pathlib import Path

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
