"""workbench: compose blended learning journeys, simulate retention, plan reinforcement.

The core is pure and UI-free: ``import workbench`` pulls in neither ipywidgets nor
matplotlib.pyplot. Start with :mod:`workbench.model` (journeys), :mod:`workbench.templates`,
:mod:`workbench.spec` (files) and :mod:`workbench.rules` (design checks).
"""

from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _distribution_version

from workbench.errors import WorkbenchError
from workbench.model import Activity, Concept, Edge, Journey, from_graph, to_graph
from workbench.spec import dump, load
from workbench.templates import list_templates, load_template

try:  # one version string: the installed distribution's (pyproject.toml), shown by the CLI and reports
    __version__ = _distribution_version("workbench")
except PackageNotFoundError:  # pragma: no cover - a source tree that was never installed
    __version__ = "0+unknown"

__all__ = [
    "Activity",
    "Concept",
    "Edge",
    "Journey",
    "WorkbenchError",
    "__version__",
    "dump",
    "from_graph",
    "list_templates",
    "load",
    "load_template",
    "to_graph",
]
