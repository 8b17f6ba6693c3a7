"""The command line: exit codes, output for people and for scripts, clear errors."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.spec import load
from workbench.templates import list_templates, load_template

BAD = Path(__file__).resolve().parents[1] / "data" / "bad"


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue()


def test_templates_lists_every_template() -> None:
    code, text = run("templates")
    assert code == 0
    for name in list_templates():
        assert name in text
    code, text = run("templates", "--json")
    assert {row["name"] for row in json.loads(text)} == set(list_templates())


def test_new_writes_a_spec_and_refuses_to_overwrite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "mine.yaml"
    code, _ = run("new", "--template", "post_training_retention", "-o", str(target))
    assert code == 0 and load(target) == load_template("post_training_retention")
    code, _ = run("new", "--template", "post_training_retention", "-o", str(target))
    assert code == 2 and "pass --force" in capsys.readouterr().err


def test_show_summarises_layers_minutes_and_coverage(tmp_path: Path) -> None:
    target = tmp_path / "j.json"
    run("new", "--template", "post_training_retention", "-o", str(target))
    code, text = run("show", str(target))
    assert code == 0 and "learner minutes" in text and "sbi_model" in text
    code, text = run("show", str(target), "--json")
    summary = json.loads(text)
    assert summary["learner_minutes"] == load_template("post_training_retention").learner_minutes


def test_lint_exit_codes(tmp_path: Path) -> None:
    clean = tmp_path / "clean.yaml"
    run("new", "--template", "post_training_retention", "-o", str(clean))
    code, text = run("lint", str(clean))
    assert code == 0 and "0 errors" in text
    broken = tmp_path / "broken.yaml"
    lines = [
        ln for ln in clean.read_text().splitlines(keepends=True) if "facilitator: L&D facilitator" not in ln
    ]
    broken.write_text("".join(lines), "utf-8")
    code, text = run("lint", str(broken), "--json")
    findings = json.loads(text)["findings"]
    assert code == 1 and any(f["severity"] == "error" and f["activity_id"] == "workshop" for f in findings)


@pytest.mark.parametrize("name", sorted(p.name for p in BAD.iterdir() if p.name != "EXPECTED.tsv"))
def test_lint_of_bad_input_exits_2_with_one_message_and_no_traceback(name: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "workbench.cli", "lint", str(BAD / name)], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert result.stderr.startswith("workbench: error: ")
    assert result.stderr.count("workbench: error:") == 1
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["lint"])
    assert info.value.code == 2
    with pytest.raises(SystemExit) as info:
        main(["frobnicate"])
    assert info.value.code == 2


def test_schema_is_json_and_names_spec_version(tmp_path: Path) -> None:
    code, text = run("schema")
    assert code == 0 and json.loads(text)["required"][0] == "spec_version"
    code, _ = run("schema", "-o", str(tmp_path / "schema.json"))
    assert json.loads((tmp_path / "schema.json").read_text())["$id"].endswith("journey-spec-v1.json")


def test_demo_prints_a_summary_of_a_template() -> None:
    code, text = run("demo")
    assert code == 0
    assert load_template("post_training_retention").title in text and "Design rules" in text
