"""The packaged journey templates: each loads, round-trips through the spec and lints clean."""

from __future__ import annotations

import pytest

from workbench.model import Journey
from workbench.rules import lint
from workbench.spec import dumps, loads
from workbench.templates import list_templates, load_template

TEMPLATES = list_templates()


def test_at_least_nine_templates() -> None:
    assert len(TEMPLATES) >= 9, TEMPLATES


@pytest.mark.parametrize("name", TEMPLATES)
def test_template_loads(name: str) -> None:
    journey = load_template(name)
    assert isinstance(journey, Journey)
    assert journey.id == name
    assert journey.description.strip()
    assert journey.audience.strip()
    assert journey.summary()["activities"] == len(journey.activities)


@pytest.mark.parametrize("name", TEMPLATES)
def test_template_round_trips(name: str) -> None:
    journey = load_template(name)
    assert loads(dumps(journey)) == journey


@pytest.mark.parametrize("name", TEMPLATES)
def test_template_spans_layers_and_has_a_formal_event(name: str) -> None:
    journey = load_template(name)
    layers = {a.layer for a in journey.activities}
    assert len(layers) >= 3, f"{name}: only layers {sorted(layers)}"
    assert any(journey.is_formal(a) for a in journey.activities), f"{name}: no formal event"


@pytest.mark.parametrize("name", TEMPLATES)
def test_template_social_pieces_name_a_facilitator(name: str) -> None:
    journey = load_template(name)
    missing = [a.id for a in journey.activities if journey.kind_of(a).social and not a.facilitator]
    assert not missing, f"{name}: social pieces without a facilitator: {missing}"


@pytest.mark.parametrize("name", TEMPLATES)
def test_template_lints_without_errors(name: str) -> None:
    errors = [f for f in lint(load_template(name)) if str(f.severity) == "error"]
    assert not errors, "\n".join(str(f) for f in errors)


@pytest.mark.parametrize("name", TEMPLATES)
def test_template_dump_matches_json_schema(name: str) -> None:
    import jsonschema
    import yaml

    from workbench.spec import json_schema

    data = yaml.safe_load(dumps(load_template(name)))
    jsonschema.validate(data, json_schema())
