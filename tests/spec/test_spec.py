"""Spec v1 files: round trips, errors with file/line/field, the bad-input corpus, the schema."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings

from support.journeys import journeys
from workbench.errors import SpecError
from workbench.model import Journey
from workbench.spec import SPEC_LIMITS, SpecLimits, dump, dumps, json_schema, load, loads
from workbench.templates import list_templates, load_template, template_text

BAD = Path(__file__).resolve().parents[1] / "data" / "bad"


def _bad_cases() -> list[tuple[str, str]]:
    rows = []
    for line in (BAD / "EXPECTED.tsv").read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            name, fragment = line.split("\t", 1)
            rows.append((name, fragment))
    return rows


@settings(max_examples=150)
@given(journeys())
def test_random_journeys_round_trip_through_yaml_and_json(journey: Journey) -> None:
    for fmt in ("yaml", "json"):
        text = dumps(journey, fmt)  # type: ignore[arg-type]
        again = loads(text, fmt)  # type: ignore[arg-type]
        assert again == journey
        assert dumps(again, fmt) == text  # type: ignore[arg-type]


@pytest.mark.parametrize("name", list_templates())
def test_templates_round_trip_through_files(name: str, tmp_path: Path) -> None:
    journey = load_template(name)
    for suffix in (".yaml", ".json"):
        path = dump(journey, tmp_path / f"journey{suffix}")
        assert load(path) == journey


def test_bad_corpus_is_large_and_complete() -> None:
    files = {p.name for p in BAD.iterdir() if p.name != "EXPECTED.tsv"}
    assert len(files) >= 25
    assert files == {name for name, _ in _bad_cases()}


@pytest.mark.parametrize(("name", "fragment"), _bad_cases())
def test_each_bad_file_gets_one_clear_message(name: str, fragment: str) -> None:
    with pytest.raises(SpecError) as info:
        load(BAD / name)
    message = str(info.value)
    assert fragment in message
    assert message.startswith(str(BAD / name))
    assert "Traceback" not in message


def test_errors_point_at_the_line_of_the_field(tmp_path: Path) -> None:
    path = tmp_path / "j.yaml"
    text = dumps(load_template("post_training_retention")).replace("duration_min: 300.0", "duration_min: -300.0")
    path.write_text(text, "utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "-300.0" in row)
    with pytest.raises(SpecError, match=rf"j.yaml:{line}: activities\[1\].duration_min: must be > 0 \(got -300.0\)"):
        load(path)


def test_several_problems_are_listed_together(tmp_path: Path) -> None:
    path = tmp_path / "j.yaml"
    path.write_text("spec_version: 1\nid: x\ntitle: X\ncolour: red\nconcepts:\n  - {id: c, name: ''}\n", "utf-8")
    with pytest.raises(SpecError) as info:
        load(path)
    assert "2 problems" in str(info.value)
    assert ":4: colour: unknown key" in str(info.value)
    assert ":6: concepts[0].name: must not be empty" in str(info.value)


def test_dump_is_atomic_and_refuses_unknown_suffix(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match=r"unknown spec file type '\.txt'"):
        dump(load_template("post_training_retention"), tmp_path / "j.txt")
    assert list(tmp_path.iterdir()) == []


def test_missing_file_and_folder_are_clear(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="no such file"):
        load(tmp_path / "nope.yaml")
    folder = tmp_path / "dir.yaml"
    folder.mkdir()
    with pytest.raises(SpecError, match="is a folder"):
        load(folder)


def test_json_schema_accepts_every_template_and_rejects_unknown_keys() -> None:
    import jsonschema

    schema = json_schema()
    assert schema["$schema"].endswith("2020-12/schema")
    validator = jsonschema.Draft202012Validator(schema)
    for name in list_templates():
        data = json.loads(dumps(load_template(name), "json"))
        assert list(validator.iter_errors(data)) == []
        # the shorter form designers write by hand (kind defaults, concepts by id) is valid too
        assert list(validator.iter_errors(yaml.safe_load(template_text(name)))) == []
    data = json.loads(dumps(load_template("post_training_retention"), "json"))
    data["activities"][0]["colour"] = "red"
    assert list(validator.iter_errors(data))
    del data["activities"][0]["colour"]
    data["spec_version"] = 2
    assert list(validator.iter_errors(data))


# ---- hostile files: bounds checked while reading (issue 11) -------------------------------------


def test_a_file_past_the_size_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:  # sparse: no disk or memory spent on it
        handle.truncate(SPEC_LIMITS.max_bytes + 1)
    with pytest.raises(SpecError, match=r"huge\.yaml:1: 4,194,305 bytes is too large for a journey spec"):
        load(path)


def test_limits_are_a_parameter_and_aliases_within_them_are_fine() -> None:
    text = template_text("post_training_retention")
    journey = loads(text)
    with pytest.raises(SpecError, match="more than 100 values"):
        loads(text, limits=SpecLimits(max_nodes=100))
    with pytest.raises(SpecError, match="nested more than 3 levels"):
        loads(text, limits=SpecLimits(max_depth=3))
    with pytest.raises(SpecError, match=r"a text of .* characters"):
        loads(text, limits=SpecLimits(max_string_chars=10))
    # an anchor reused a few times is ordinary YAML: the same journey as the text written out
    four = "[sbi_model, ask_first, agree_next_step, follow_up]"
    written_out = text.replace(f"covers: {four}", "covers: *four").replace("covers: *four", f"covers: &four {four}", 1)
    assert written_out.count("*four") >= 1
    assert loads(written_out) == journey


def test_values_yaml_cannot_build_are_refused_on_their_line() -> None:
    text = "spec_version: 1\nid: j\ntitle: 2026-13-45\n"
    with pytest.raises(SpecError, match=r"<spec>:3: '2026-13-45' cannot be read: month must be in 1..12"):
        loads(text)


def test_json_and_yaml_refuse_the_same_bombs_with_a_line() -> None:
    for name, fragment in _bad_cases():
        if name.startswith("bomb_") and name.endswith(".json"):
            twin = name.removesuffix(".json") + ".yaml"
            assert (BAD / twin).is_file(), f"{name} has no YAML twin"
            assert fragment.startswith(":"), f"{name}: the expected message names no line"
