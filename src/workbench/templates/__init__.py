"""Journey templates: realistic journeys for the reinforcement use cases designers meet.

Examples
--------
>>> from workbench.templates import list_templates, load_template
>>> "post_training_retention" in list_templates()
True
>>> load_template("post_training_retention").title
'Feedback conversations: post-training retention'
"""

from __future__ import annotations

from importlib import resources

from workbench.errors import UnknownNameError
from workbench.model import Journey

# The YAML files live in the repository's top-level templates/ folder, where designers find
# them; journeys/ is a symlink to it, so the build packages them as workbench/templates/journeys
# and an editable install or a source checkout reads the same single copy.
_FOLDER = "journeys"

__all__ = ["list_templates", "load_template", "template_text"]


def list_templates() -> list[str]:
    """Names of the packaged templates, sorted."""
    folder = resources.files("workbench.templates").joinpath(_FOLDER)
    return sorted(p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml"))


def template_text(name: str) -> str:
    """Return the YAML text of a template (to copy and edit)."""
    names = list_templates()
    if name not in names:
        import difflib

        close = difflib.get_close_matches(name, names, n=2)
        hint = f" Did you mean {' or '.join(close)}?" if close else ""
        raise UnknownNameError(f"unknown template {name!r}.{hint} Templates: {', '.join(names)}")
    return resources.files("workbench.templates").joinpath(_FOLDER, f"{name}.yaml").read_text("utf-8")


def load_template(name: str) -> Journey:
    """Load a packaged template as a journey."""
    from workbench.spec import loads

    return loads(template_text(name), format="yaml", source=f"template {name}")
