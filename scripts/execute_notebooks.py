"""Execute notebooks in place so their outputs are stored for nbval, then drop widget state.

nbclient stores every widget's state (plots included) in the notebook metadata; nbval never
compares it, and it makes the files large and noisy in diffs, so it is removed.

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
    nbformat.write(notebook, path)
    print(f"executed {path}")


if __name__ == "__main__":
    for name in sys.argv[1:]:
        execute(Path(name))
