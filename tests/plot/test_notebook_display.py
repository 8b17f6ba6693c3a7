"""Every figure a notebook draws is displayed, workbench's and plain matplotlib's alike.

Regression: :func:`workbench.plot.style` used ``rc_context``, which restores the
``interactive`` flag on exit. When pyplot is first imported inside the context (the first
workbench plot of a kernel), IPython's inline backend turns interactive mode on; restoring
it to off hid every later figure of the kernel, plain ``plt.plot`` included.
"""

from __future__ import annotations

import nbclient
import nbformat
import pytest

pytestmark = pytest.mark.slow

# No cell imports pyplot before the first workbench plot: that is what triggered the bug.
SETUP = """\
from workbench.templates import load_template
from workbench.plot import plot_graph, plot_minutes_per_week, plot_retention, plot_timeline
from workbench.simulate import LearnerPopulation, simulate
journey = load_template("post_training_retention")"""

DRAWING_CELLS = {
    "timeline": "plot_timeline(journey);",
    "minutes": "plot_minutes_per_week(journey);",
    "retention": "plot_retention(simulate(journey, population=LearnerPopulation(size=50), rng=1));",
    "graph": "plot_graph(journey);",
    "plain matplotlib": "import matplotlib.pyplot as plt\nplt.plot([0, 1, 2], [0, 1, 4]);",
}


def test_every_drawing_cell_shows_its_figure() -> None:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(SETUP)]
    notebook.cells += [nbformat.v4.new_code_cell(source) for source in DRAWING_CELLS.values()]
    nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3").execute()

    missing = [
        name
        for name, cell in zip(DRAWING_CELLS, notebook.cells[1:], strict=True)
        if not any("image/png" in output.get("data", {}) for output in cell.outputs)
    ]
    assert not missing, f"cells that drew a figure but displayed none: {missing}"
