"""The packaged journey templates: each loads, round-trips through the spec and lints clean."""

from __future__ import annotations

import tomllib
from pathlib import Path

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
    assert journey.summary().activities == len(journey.activities)


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


# ---- where the templates live (issue 11): templates/ at the repository root, one copy -------------

ROOT = Path(__file__).resolve().parents[2]


def test_templates_live_in_the_top_level_folder_and_the_package_links_to_it() -> None:
    files = sorted(p.name for p in (ROOT / "templates").glob("*.yaml"))
    assert files == [f"{name}.yaml" for name in TEMPLATES]
    packaged = ROOT / "src" / "workbench" / "templates" / "journeys"
    assert packaged.is_symlink()
    assert packaged.resolve() == (ROOT / "templates").resolve()
    copies = [p for p in (ROOT / "src").rglob("*.yaml") if p.name in files and not p.is_relative_to(packaged)]
    assert copies == [], f"second copies of templates: {copies}"


def test_the_build_packages_every_template() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["workbench"]
    packaged = {p.name for pattern in patterns for p in (ROOT / "src" / "workbench").glob(pattern)}
    assert {f"{name}.yaml" for name in TEMPLATES} <= packaged
