"""`workbench analytics`: the HTML report from a statements file, and bad input as one clear error."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

from workbench.analytics.demo import synthetic_cohort
from workbench.cli import main


@pytest.fixture(scope="module")
def journey_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from workbench.spec import dump
    from workbench.templates import load_template

    return dump(load_template("post_training_retention"), tmp_path_factory.mktemp("journey") / "journey.yaml")


@pytest.fixture(scope="module")
def statements_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    _, statements = synthetic_cohort(learners=60, rng=3)
    path = tmp_path_factory.mktemp("analytics") / "statements.ndjson"
    lines = [json.dumps(s) for s in statements] + ['{"verb": {"id": "not an iri"}}']
    path.write_text("\n".join(lines) + "\n")
    return path


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue()


def test_report_answers_the_questions_and_shows_every_signal(
    statements_file: Path, journey_file: Path, tmp_path: Path
) -> None:
    report, rejects = tmp_path / "report.html", tmp_path / "rejects.ndjson"
    code, text = run(
        "analytics", str(statements_file), "--journey", str(journey_file), "-o", str(report), "--rejects", str(rejects),
        "--tz", "Europe/Paris", "--seed", "3",
    )  # fmt: skip
    assert code == 0
    assert "1 rejected" in text
    assert "Is the flow-of-work support used?" in text
    page = report.read_text()
    assert page.startswith("<!DOCTYPE html>")
    for question in (
        "Is the flow-of-work support used?",
        "Which parts need stronger reinforcement?",
        "What works as reference rather than instruction?",
        "Which assets are worth replicating?",
    ):
        assert question in page
    signals = re.findall(r'<h3 id="signal-([a-z]+)">', page)
    assert signals == ["repeat", "returns", "work", "series", "performance", "dropoff"]
    assert 'id="simulated"' in page  # observed next to simulated
    # the simulated side names what it rests on (the cohort's size, the seed given)
    assert re.search(r"Simulated: memory profile [\w:-]+, 60 learners, model \w+, seed 3\.", page)
    assert "http://" not in page.split("</style>")[1].split("<footer")[0].replace(
        "http://adlnet", ""
    )  # no remote assets
    assert page.count("data:image/png;base64,") >= 8
    record = json.loads(rejects.read_text())
    assert record["reason"] == "actor: missing"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: None, "cannot be read"),
        (lambda p: p.write_text('[{"id": "x",'), "the JSON array is broken"),
    ],
)
def test_bad_input_is_one_error_exit_2_and_no_report(
    tmp_path: Path, journey_file: Path, capsys: pytest.CaptureFixture[str], make: Any, message: str
) -> None:
    source = tmp_path / "in.json"
    make(source)
    report = tmp_path / "report.html"
    code, _ = run("analytics", str(source), "--journey", str(journey_file), "-o", str(report), "--no-simulation")
    err = capsys.readouterr().err
    assert code == 2
    assert message in err
    assert "Traceback" not in err
    assert not report.exists()


def test_files_or_lrs_not_both(tmp_path: Path, journey_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _ = run("analytics", "--journey", str(journey_file), "-o", str(tmp_path / "r.html"))
    assert code == 2
    assert "give statement files" in capsys.readouterr().err
