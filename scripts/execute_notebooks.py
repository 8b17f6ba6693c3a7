"""Execute notebooks in place so their outputs are stored for nbval, then drop widget state.

nbclient stores every widget's state (plots included) and each cell's execution timestamps in
the notebook metadata; nbval never compares them, and they make the files large and noisy in
diffs, so they are removed.

Usage: ``python scripts/execute_notebooks.py notebooks/*.ipynb``
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def execute(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(
        notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    notebook.metadata.pop("widgets", None)
    for cell in notebook.cells:  # execution timestamps change on every run: noise in diffs
        cell.metadata.pop("execution", None)
    nbformat.write(notebook, path)
    print(f"executed {path}")


if __name__ == "__main__":
    for name in sys.argv[1:]:
        execute(Path(name))
