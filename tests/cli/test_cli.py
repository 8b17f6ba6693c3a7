"""The command line: exit codes, output for people and for scripts, clear errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from support.cli import run_cli
from workbench.cli import main
from workbench.spec import load
from workbench.templates import list_templates, load_template

BAD = Path(__file__).resolve().parents[1] / "data" / "bad"


def test_templates_lists_every_template() -> None:
    code, text = run_cli("templates")
    assert code == 0
    for name in list_templates():
        assert name in text
    code, text = run_cli("templates", "--json")
    assert {row["name"] for row in json.loads(text)} == set(list_templates())


def test_new_writes_a_spec_and_refuses_to_overwrite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "mine.yaml"
    code, _ = run_cli("new", "--template", "post_training_retention", "-o", str(target))
    assert code == 0
    assert load(target) == load_template("post_training_retention")
    code, _ = run_cli("new", "--template", "post_training_retention", "-o", str(target))
    assert code == 2
    assert "pass --force" in capsys.readouterr().err


def test_show_summarises_layers_minutes_and_coverage(tmp_path: Path) -> None:
    target = tmp_path / "j.json"
    run_cli("new", "--template", "post_training_retention", "-o", str(target))
    code, text = run_cli("show", str(target))
    assert code == 0
    assert "learner minutes" in text
    assert "sbi_model" in text
    code, text = run_cli("show", str(target), "--json")
    summary = json.loads(text)
    assert summary["learner_minutes"] == load_template("post_training_retention").learner_minutes


def test_lint_exit_codes(tmp_path: Path) -> None:
    clean = tmp_path / "clean.yaml"
    run_cli("new", "--template", "post_training_retention", "-o", str(clean))
    code, text = run_cli("lint", str(clean))
    assert code == 0
    assert "0 errors" in text
    broken = tmp_path / "broken.yaml"
    lines = [ln for ln in clean.read_text().splitlines(keepends=True) if "facilitator: L&D facilitator" not in ln]
    broken.write_text("".join(lines), "utf-8")
    code, text = run_cli("lint", str(broken), "--json")
    findings = json.loads(text)["findings"]
    assert code == 1
    assert any(f["severity"] == "error" and f["activity_id"] == "workshop" for f in findings)


@pytest.mark.parametrize("name", sorted(p.name for p in BAD.iterdir() if p.name != "EXPECTED.tsv"))
def test_lint_of_bad_input_exits_2_with_one_message_and_no_traceback(name: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "workbench.cli", "lint", str(BAD / name)], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert result.stderr.startswith("workbench: error: ")
    assert result.stderr.count("workbench: error:") == 1
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["lint"])
    assert info.value.code == 2
    with pytest.raises(SystemExit) as info:
        main(["frobnicate"])
    assert info.value.code == 2


@pytest.mark.parametrize("command", ["simulate", "plan", "compare", "report"])
def test_profile_help_names_every_packaged_profile(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    from workbench.cli import build_parser
    from workbench.simulate.profiles import PROFILES

    with pytest.raises(SystemExit) as exited:
        build_parser().parse_args([command, "--help"])
    assert exited.value.code == 0
    help_text = " ".join(capsys.readouterr().out.split())
    for profile in PROFILES:
        assert profile in help_text


def test_schema_is_json_and_names_spec_version(tmp_path: Path) -> None:
    code, text = run_cli("schema")
    assert code == 0
    assert json.loads(text)["required"][0] == "spec_version"
    code, _ = run_cli("schema", "-o", str(tmp_path / "schema.json"))
    assert json.loads((tmp_path / "schema.json").read_text())["$id"].endswith("journey-spec-v1.json")


def test_demo_prints_a_summary_of_a_template() -> None:
    code, text = run_cli("demo")
    assert code == 0
    assert load_template("post_training_retention").title in text
    assert "Design rules" in text


def _spec(tmp_path: Path, template: str = "post_training_retention") -> Path:
    target = tmp_path / f"{template}.yaml"
    run_cli("new", "--template", template, "-o", str(target))
    return target


def test_simulate_prints_retention_table_and_json(tmp_path: Path) -> None:
    spec = _spec(tmp_path)
    code, text = run_cli("simulate", str(spec), "--learners", "300", "--days", "120", "--seed", "3")
    assert code == 0
    assert "day 120" in text
    assert "learner minutes" in text
    code, text = run_cli("simulate", str(spec), "--learners", "300", "--days", "120", "--seed", "3", "--json")
    data = json.loads(text)
    assert set(data["retention"]) == {"day_7", "day_30", "day_90", "day_120"}
    assert set(data["concepts"]) == {c.id for c in load_template("post_training_retention").concepts}
    assert data["seed"] == 3
    assert 0 <= data["proficiency_rate"] <= 1
    _, again = run_cli("simulate", str(spec), "--learners", "300", "--days", "120", "--seed", "3", "--json")
    assert again == text


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--model", "ebbinghaus"], "unknown memory model 'ebbinghaus'"),
        (["--days", "0"], "horizon_days"),
        (["--learners", "0"], "size"),
    ],
)
def test_simulate_bad_input_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, _ = run_cli("simulate", str(_spec(tmp_path)), *argv)
    assert code == 2
    assert message in capsys.readouterr().err


def test_fit_power_and_exponential(tmp_path: Path) -> None:
    data = tmp_path / "recall.csv"
    data.write_text(
        "elapsed_days,recall_rate,n\n1,0.85,200\n3,0.74,200\n7,0.66,200\n14,0.58,200\n30,0.5,200\n60,0.43,200\n"
    )
    code, text = run_cli("fit", str(data), "--model", "power")
    assert code == 0
    assert "stability_days" in text
    assert "AIC" in text
    code, text = run_cli("fit", str(data), "--model", "exponential", "--json")
    fitted = json.loads(text)
    assert fitted["model"] == "exponential"
    assert fitted["better_fit"] in ("power", "exponential")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "empty"),
        ("elapsed_days,recalled\n1,yes\n", "line 2"),
        ("days,recalled\n1,1\n", "elapsed_days"),
    ],
)
def test_fit_bad_csv_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str) -> None:
    data = tmp_path / "bad.csv"
    data.write_text(content)
    code, _ = run_cli("fit", str(data))
    err = capsys.readouterr().err
    assert code == 2
    assert message in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("fmt", "extra"),
    [
        ("json", []),
        ("cmi5", ["--course-iri", "https://lms.example.org/courses/feedback"]),
        ("scorm", []),
        ("xapi", ["--start", "2026-03-02", "--tz", "Europe/Paris", "--learners", "3"]),
        ("ics", ["--start", "2026-03-02", "--tz", "Europe/Paris"]),
        ("csv", ["--start", "2026-03-02"]),
    ],
)
def test_export_writes_valid_files(tmp_path: Path, fmt: str, extra: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    # as a user's machine: no shared reference folder (everything a format needs ships with workbench)
    monkeypatch.setenv("WORKBENCH_SHARED", str(tmp_path / "empty"))
    out = tmp_path / f"out.{fmt}"
    code, text = run_cli("export", str(_spec(tmp_path)), "--format", fmt, "-o", str(out), *extra)
    assert code == 0, text
    assert out.stat().st_size > 0
    assert "valid" in text


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--format", "pdf"], "unknown format 'pdf'"),
        (["--format", "ics"], "--start is required"),
        (["--format", "ics", "--start", "02/03/2026"], "YYYY-MM-DD"),
        (["--format", "ics", "--start", "2026-03-02", "--tz", "Mars/Olympus"], "Mars/Olympus"),
    ],
)
def test_export_bad_options_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    out = tmp_path / "out.bin"
    code, _ = run_cli("export", str(_spec(tmp_path)), "-o", str(out), *argv)
    assert code == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_export_of_a_journey_that_cannot_be_expressed_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "live_only.yaml"
    spec.write_text(
        "spec_version: 1\nid: live\ntitle: Live only\nconcepts: [{id: c, name: C}]\n"
        "activities:\n  - {id: ws, title: Workshop, kind: ilt_workshop, covers: [c], schedule: {day: 0},"
        " facilitator: Ana}\n"
    )
    code, _ = run_cli("export", str(spec), "--format", "cmi5", "-o", str(tmp_path / "x.zip"))
    assert code == 2
    assert "launchable" in capsys.readouterr().err


def test_lab_opens_jupyterlab_on_the_app_notebook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "00_workbench_app.ipynb").write_text("{}")
    calls: list[list[str]] = []
    monkeypatch.setattr("os.execv", lambda path, argv: calls.append([path, *argv]))
    code, _ = run_cli("lab", "--dir", str(tmp_path), "--no-browser")
    assert code == 0
    command = calls[0]
    assert command[0] == sys.executable
    assert command[2:4] == ["-m", "jupyterlab"]
    assert f"--ServerApp.root_dir={tmp_path}" in command
    assert "--LabApp.default_url=/lab/tree/00_workbench_app.ipynb" in command
    assert "--no-browser" in command
    code, _ = run_cli("lab", "--dir", str(tmp_path / "missing"))
    assert code == 2


def test_simulate_with_a_plan_applies_it_first(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = _spec(tmp_path)
    args = ["simulate", str(spec), "--learners", "300", "--seed", "2", "--json"]
    _, plain = run_cli(*args)
    code, planned = run_cli(*args, "--plan", "deadline:90")
    assert code == 0
    assert json.loads(planned)["learner_minutes"] > json.loads(plain)["learner_minutes"]
    code, text = run_cli("simulate", str(spec), "--learners", "300", "--plan", "deadline:90")
    assert code == 0
    assert "+ plan deadline:90" in text
    code, _ = run_cli("simulate", str(spec), "--plan", "weekly")
    assert code == 2
    assert "unknown plan 'weekly'" in capsys.readouterr().err
