"""``workbench plan`` and ``workbench compare``: output, files written, exit codes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from support.cli import run_cli
from workbench.spec import dump, load
from workbench.templates import load_template


@pytest.fixture(scope="module")
def spec(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("plans") / "onboarding.yaml"
    dump(load_template("onboarding_continuation"), path)
    return path


def test_plan_writes_the_journey_with_the_chosen_plan(spec: Path, tmp_path: Path) -> None:
    target = tmp_path / "planned.yaml"
    code, text = run_cli(
        "plan", str(spec), "--target", "0.85", "--on-day", "90", "--learners", "400", "-o", str(target)
    )
    assert code == 0
    assert "is reachable" in text
    assert "plan: " in text
    assert "why:" in text
    assert f"wrote {target}" in text
    planned = load(target)
    added = [a for a in planned.activities if a.id.startswith("plan-")]
    assert added
    assert all(a.layer.value == "after" for a in added)


def test_plan_json(spec: Path) -> None:
    code, text = run_cli("plan", str(spec), "--target", "0.85", "--learners", "400", "--seed", "3", "--json")
    data = json.loads(text)
    assert code == 0
    assert data["reachable"] is True
    assert data["seed"] == 3
    assert data["achieved"] >= 0.85
    assert data["plan"]
    assert data["candidates"]
    assert data["written"] is None


def test_an_unreachable_target_exits_1_and_writes_nothing(spec: Path, tmp_path: Path) -> None:
    target = tmp_path / "planned.yaml"
    code, text = run_cli("plan", str(spec), "--target", "0.995", "--learners", "400", "-o", str(target))
    assert code == 1
    assert "NOT REACHABLE" in text
    assert "reach only" in text
    assert "nothing written" in text
    assert not target.exists()
    code, text = run_cli("plan", str(spec), "--target", "0.93", "--budget-min", "10", "--learners", "400", "--json")
    assert code == 1
    assert "within the budget of 10 min" in json.loads(text)["reason"]


def test_compare_prints_the_table(spec: Path) -> None:
    code, text = run_cli(
        "compare", str(spec), "--plans", "none,expanding:2,5,12,30,fixed:7x4,target:0.85", "--learners", "300"
    )
    assert code == 0
    for label in ("none", "expanding:2,5,12,30", "fixed:7x4", "target:0.85"):
        assert f"  {label} " in text
    assert "day 90" in text
    assert "proficient" in text
    assert "most proficient on day 90" in text


def test_compare_json_is_deterministic_for_a_seed(spec: Path) -> None:
    argv = ("compare", str(spec), "--plans", "none,deadline:60", "--days", "7,60", "--learners", "300", "--json")
    code, first = run_cli(*argv, "--seed", "5")
    _, again = run_cli(*argv, "--seed", "5")
    assert code == 0
    assert first == again
    data = json.loads(first)
    assert [p["plan"] for p in data["plans"]] == ["none", "deadline:60"]
    assert data["deadline_day"] == 60
    assert "retention_day_7" in data["plans"][0]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("compare", "{spec}", "--plans", "none,weekly"), "unknown plan 'weekly'"),
        (("compare", "{spec}", "--plans", "fixed:7x"), "expected fixed:IxK"),
        (("compare", "{spec}", "--plans", "target:2"), "target: must be <= 0.98"),
        (("compare", "{spec}", "--days", "7,soon"), "--days"),
        (("compare", "missing.yaml"), "missing.yaml"),
        (("plan", "{spec}", "--target", "1.5"), "target: must be a share"),
        (("plan", "{spec}", "--on-day", "0"), "on_day"),
        (("plan", "{spec}", "--learners", "0"), "--learners"),
        (("plan", "{spec}", "--budget-min", "-3"), "budget_min"),
    ],
)
def test_bad_input_exits_2_with_a_clear_message(
    spec: Path, argv: tuple[str, ...], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _ = run_cli(*(a.format(spec=spec) for a in argv))
    assert code == 2
    err = capsys.readouterr().err
    assert message in err
    assert "workbench: error:" in err


def test_unknown_plan_names_list_valid_forms_on_the_command_line(
    spec: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_cli("compare", str(spec), "--plans", "spaced")
    err = capsys.readouterr().err
    assert "valid forms" in err
    assert "fixed:IxK" in err
    assert "deadline:D" in err


def test_usage_errors_exit_2(spec: Path) -> None:
    with pytest.raises(SystemExit) as info:
        run_cli("plan", str(spec), "--target", "high")
    assert info.value.code == 2


def test_compare_and_plan_on_a_dask_scheduler_print_what_they_print_here(
    spec: Path, dask_client: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    address = dask_client.scheduler.address
    for command in (
        ("compare", str(spec), "--learners", "200", "--days", "30,90"),
        ("plan", str(spec), "--target", "0.85", "--learners", "200", "--seed", "1"),
    ):
        here = run_cli(*command)
        assert run_cli(*command, "--scheduler", address) == here
    assert "simulation" in capsys.readouterr().err  # the progress bar goes to stderr, not into the tables
