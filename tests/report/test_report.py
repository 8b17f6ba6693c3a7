"""The strategy review report: builds for every template, self-contained, valid, deterministic; CLI."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from report.html_checks import check_html, images
from report.support import LEARNERS, PLANS, small_review
from support.cli import run_cli
from workbench.errors import MissingDependencyError, ParameterError, UnknownNameError
from workbench.report import FIGURES, KeyFigures, Provenance, build_report, describe_plan, write_report
from workbench.simulate import LearnerPopulation, get_profile
from workbench.spec import dump
from workbench.templates import list_templates, load_template

SECTIONS = ("glance", "findings", "plans", "frontier", "recommendation", "assumptions")


# ---- every template -----------------------------------------------------------------------


@pytest.mark.parametrize("name", list_templates())
def test_report_of_every_template_is_valid_and_self_contained(name: str, page_of: Callable[[str], str]) -> None:
    page = page_of(name)
    assert check_html(page) == []
    imgs = images(page)
    assert len(imgs) == len(FIGURES)
    assert all((i["src"] or "").startswith("data:image/png;base64,") for i in imgs)
    assert all(len(i["alt"] or "") > 20 for i in imgs)
    for section in SECTIONS:
        assert f'<section id="{section}"' in page
    # nothing the browser would fetch: no scheme-relative or remote URL in any attribute
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:|//|file:)""", page)
    assert "<script" not in page.lower()
    assert load_template(name).id in page


# ---- content ------------------------------------------------------------------------------


def test_report_shows_journey_plans_recommendation_and_assumptions() -> None:
    review = small_review("compliance_follow_up", target=0.85)
    page = review.to_html()
    assert review.optimisation is not None
    assert review.optimisation.reachable
    chosen = review.optimisation.plan.label
    assert chosen in review.plans
    assert review.recommended == chosen
    assert f"{chosen} (recommended)" in page
    # the plans table has one row per compared plan, the recommended one marked
    plans = review.plans_table()
    assert [row[0].removesuffix(" (recommended)") for row in plans.rows] == list(review.plans)
    assert plans.row_classes.count("recommended meets") + plans.row_classes.count("recommended") == 1
    # the optimiser's figure and the comparison's agree (same seed, same learners)
    row = review.comparison.summary.loc[chosen]
    assert row["proficiency_day_90"] == pytest.approx(review.optimisation.achieved, abs=1e-9)
    # assumptions: population, seed, model, version, the command that reproduces the report
    groups = review.assumptions()
    run = dict(groups["Run"])
    assert run["learners simulated"] == str(LEARNERS)
    assert run["seed (common to every plan)"] == "0"
    assert run["forgetting model"] == "fsrs6"
    assert re.fullmatch(r"\d+\.\d+\.\d+.*", run["workbench version"])
    assert dict(groups["Learner population"])["memory_sigma"] == str(get_profile("workplace").memory_sigma)
    assert dict(groups["Memory profile (what every number here rests on)"])["profile"].startswith("workplace")
    assert len(dict(groups["Forgetting model (fsrs6)"])["parameters"].split(", ")) == 21
    command = review.reproduce_command()
    assert f"--plans {PLANS}" in command
    assert "--target 0.85" in command
    assert "--seed 0" in command
    assert command in page
    # the frontier: every traced plan is in exactly one point; the figure's labels count the merged ones
    assert review.frontier is not None
    points = review.frontier_points()
    assert sum(1 + len(p.same) for p in points) == len(review.frontier)
    assert [p.label for p in points] == [row[0] for row in review.frontier_table().rows]  # type: ignore[union-attr]
    # the journey at a glance: layers and concepts
    assert [r[0] for r in review.layers_table().rows] == ["Before", "During", "After", "Work", "Change", "All layers"]
    assert len(review.coverage_table().rows) == len(review.journey.concepts)


def test_text_summary_prints_the_key_figures() -> None:
    review = small_review("post_training_retention", frontier=False)
    text = review.text()
    assert text.startswith("Strategy review: Feedback conversations: post-training retention")
    assert "10 activities (1 formal, 9 micro), 4 concepts, 336 learner minutes" in text
    assert f"simulated: memory profile workplace, {LEARNERS} learners, model fsrs6, seed 0" in text
    assert re.search(r"^  none +0 +0 +0\.\d{3}", text, flags=re.MULTILINE)
    assert "recommended: " in text


def test_key_figures_are_a_frozen_value_with_their_provenance() -> None:
    review = small_review("post_training_retention", frontier=False)
    key = review.key_figures()
    assert isinstance(key, KeyFigures)
    with pytest.raises(dataclasses.FrozenInstanceError):
        key.activities = 0  # type: ignore[misc]
    assert (key.activities, key.formal, key.micro, key.concepts) == (10, 1, 9, 4)
    assert key.findings.total == len(review.findings)
    # the plans' figures are the comparison's numbers, read on the day that matters
    assert review.recommended is not None
    assert key.recommended is not None
    assert key.recommended.label == review.recommended
    assert key.recommended.proficiency == review.comparison.proficiency(review.recommended, 90)
    assert key.baseline.label == "none"
    assert key.baseline.retention == review.comparison.retention("none", 90)
    assert key.baseline.added_minutes == 0
    # every simulated number names its source
    assert key.provenance == Provenance("workplace", get_profile("workplace").title, LEARNERS, "fsrs6", 0)
    data = key.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["recommended"]["proficiency"] == key.recommended.proficiency
    assert data["provenance"]["memory_profile"] == "workplace"
    for shown in (key.to_text(), key._repr_html_()):
        assert f"memory profile workplace, {LEARNERS} learners, model fsrs6, seed 0" in shown
    # the report's cards say the same
    assert f"Simulated: {key.provenance.text()}" in review.to_html()


def test_without_target_the_best_compared_plan_is_named_and_no_plan_is_recommended() -> None:
    review = small_review("safety_reminders", target=None, frontier=False, on_day=60, plans="none,expanding")
    page = review.to_html()
    assert review.recommended is None
    assert review.optimisation is None
    assert "No target was set" in page
    assert "(recommended)" not in page
    assert review.comparison.highest_proficiency() in review.verdict()[0]
    assert check_html(page) == []
    assert len(images(page)) == len(FIGURES) - 1  # no frontier
    assert '<section id="frontier"' not in page


def test_text_from_the_journey_is_escaped() -> None:
    journey = load_template("safety_reminders")
    hostile = journey.evolve(title='Safety <script>alert("x")</script> & "more"', description="<b>bold</b> claim")
    page = build_report(
        hostile, plans=["none"], on_day=30, population=LearnerPopulation(size=100), rng=1, frontier=False
    )
    assert "<script>" not in page
    assert "<b>bold</b>" not in page
    assert "Safety &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#34;more&#34;" in page
    assert check_html(page) == []


def test_plans_are_described_in_words() -> None:
    from workbench.plans import parse_plan

    assert describe_plan(parse_plan("deadline:90")).startswith("4 spaced recall quiz touches placed backwards")
    assert describe_plan(parse_plan("expanding:2,5,12,30")) == (
        "a spaced recall quiz at growing gaps of 2, 5, 12, 30 days after the teaching"
    )
    assert describe_plan(parse_plan("target:0.85")).startswith("a spaced recall quiz whenever predicted recall falls")


# ---- determinism --------------------------------------------------------------------------


def test_same_seed_same_bytes_other_seed_other_numbers() -> None:
    journey = load_template("onboarding_continuation")
    options = {"plans": PLANS, "target": 0.8, "population": LearnerPopulation(size=LEARNERS)}
    first = build_report(journey, rng=5, **options)  # type: ignore[arg-type]
    second = build_report(journey, rng=5, **options)  # type: ignore[arg-type]
    assert first == second
    other = build_report(journey, rng=6, frontier=False, **options)  # type: ignore[arg-type]
    assert other != first
    assert "seed 6" in other
    assert "prepared" not in first  # no date unless one is passed in
    dated = build_report(journey, rng=5, generated="2026-03-02", frontier=False, **options)  # type: ignore[arg-type]
    assert "prepared 2026-03-02" in dated


# ---- errors and writing -------------------------------------------------------------------


def test_bad_input_raises_typed_errors() -> None:
    journey = load_template("safety_reminders")
    small = LearnerPopulation(size=50)
    with pytest.raises(UnknownNameError, match="unknown plan 'weekly'"):
        build_report(journey, plans="none,weekly", population=small, frontier=False)
    with pytest.raises(ParameterError, match="given twice"):
        build_report(journey, plans=["none", "none"], population=small, frontier=False)
    with pytest.raises(ParameterError, match="on_day"):
        build_report(journey, on_day=0, population=small)
    with pytest.raises(ParameterError, match="target"):
        build_report(journey, target=1.5, population=small)


def test_write_report_is_atomic_and_pdf_needs_chromium(tmp_path: Path) -> None:
    journey = load_template("safety_reminders")
    options = {"plans": ["none"], "on_day": 30, "population": LearnerPopulation(size=100), "frontier": False}
    target = tmp_path / "out" / "review.html"
    written = write_report(journey, target, **options)  # type: ignore[arg-type]
    assert written == target
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in target.parent.iterdir()] == ["review.html"]  # no temporary file left
    with pytest.raises(MissingDependencyError, match="Chromium not found"):
        write_report(journey, tmp_path / "review.pdf", chromium=tmp_path / "no-chromium", **options)  # type: ignore[arg-type]
    assert not (tmp_path / "review.pdf").exists()


# ---- command line -------------------------------------------------------------------------


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    return dump(load_template("post_training_retention"), tmp_path / "journey.yaml")


def test_cli_writes_the_report(spec: Path, tmp_path: Path) -> None:
    target = tmp_path / "review.html"
    code, out = run_cli(
        "report",
        str(spec),
        "--plans",
        "none,expanding,fixed:7x4",
        "--target",
        "0.85",
        "--on-day",
        "60",
        "--learners",
        "300",
        "--seed",
        "2",
        "--date",
        "2026-03-02",
        "--profile",
        "flashcards",
        "-o",
        str(target),
    )
    assert code == 0
    assert f"wrote {target}" in out
    assert "recommended:" in out
    assert "simulated: memory profile flashcards, 300 learners, model fsrs6, seed 2" in out
    page = target.read_text(encoding="utf-8")
    assert check_html(page) == []
    assert "prepared 2026-03-02" in page
    assert "seed 2" in page
    # the command gives the same review again: same profile, the model that ran (the profile's)
    assert (
        f"workbench report {spec} --plans none,expanding,fixed:7x4 --target 0.85 --on-day 60 --learners 300 "
        "--profile flashcards --seed 2 --model fsrs6 -o review.html"
    ) in page


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--plans", "none,weekly"], "unknown plan 'weekly'"),
        (["--date", "March 2"], "--date"),
        (["--learners", "0"], "--learners"),
        (["--pdf", "--chromium", "/nonexistent/chromium"], "Chromium not found"),
    ],
)
def test_cli_bad_input_exits_2_and_writes_nothing(
    spec: Path, tmp_path: Path, extra: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "review.html"
    code, _ = run_cli("report", str(spec), "--learners", "100", "--no-frontier", "-o", str(target), *extra)
    assert code == 2
    assert message in capsys.readouterr().err
    assert not target.exists()
    assert not target.with_suffix(".pdf").exists()


def test_cli_missing_spec_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _ = run_cli("report", str(tmp_path / "missing.yaml"), "-o", str(tmp_path / "r.html"))
    assert code == 2
    assert "missing.yaml" in capsys.readouterr().err


def test_cli_usage_error_exits_2(spec: Path) -> None:
    with pytest.raises(SystemExit) as exit_info:
        run_cli("report", str(spec))  # no -o
    assert exit_info.value.code == 2
