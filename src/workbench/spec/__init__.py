"""Journey spec v1: YAML and JSON files that keep a journey, and their JSON Schema.

A spec file is a mapping with ``spec_version: 1`` and the fields of
:class:`~workbench.model.Journey`. Loading reports every problem at once, each with the file,
line and field path and a fix; unknown keys are errors, never dropped silently. Hostile
files (alias bombs, deep nesting, huge texts, masses of keys) are refused while reading, within
:class:`SpecLimits`, before any model is built.

Examples
--------
>>> from workbench.templates import load_template
>>> from workbench.spec import dumps, loads
>>> journey = load_template("post_training_retention")
>>> loads(dumps(journey)) == journey
True
"""

from workbench.spec.io import (
    SPEC_LIMITS,
    SPEC_VERSION,
    SpecLimits,
    dump,
    dumps,
    json_schema,
    load,
    loads,
    to_spec_dict,
)

__all__ = ["SPEC_LIMITS", "SPEC_VERSION", "SpecLimits", "dump", "dumps", "json_schema", "load", "loads", "to_spec_dict"]
