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
