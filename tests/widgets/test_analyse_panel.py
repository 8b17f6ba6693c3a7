"""The Analyse tab, headless: load statements, change the concept, the plot changes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.analytics.demo import synthetic_cohort
from workbench.templates import load_template
from workbench.widgets import AnalysePanel, Workbench


@pytest.fixture(scope="module")
def statements_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    _, statements = synthetic_cohort(learners=60, rng=5)
    path = tmp_path_factory.mktemp("analyse") / "statements.ndjson"
    path.write_text("".join(json.dumps(s) + "\n" for s in statements) + "{broken\n")
    return path


def test_loading_a_file_shows_verdicts_findings_and_a_plot_per_concept(statements_file: Path) -> None:
    panel = AnalysePanel(load_template("post_training_retention"), tz="Europe/Paris")
    panel.path.value = str(statements_file)
    panel.load_button.click()
    assert "1 rejected" in panel.status.value
    assert bytes(panel.recall_image.value).startswith(b"\x89PNG")
    first = bytes(panel.recall_image.value)
    panel.concept.value = "follow_up"
    assert bytes(panel.recall_image.value) != first  # another concept, another plot
    assert "Retrieval success of <b>follow_up</b>" in panel.recall_caption.value
    panel.asset.value = "job_aid"
    assert "reference" in panel.verdict.value
    assert "Is the flow-of-work support used?" in panel.findings_box.value


def test_a_bad_file_is_shown_not_raised(tmp_path: Path) -> None:
    panel = AnalysePanel(load_template("post_training_retention"))
    panel.load(str(tmp_path / "missing.ndjson"))
    assert "cannot be read" in panel.status.value
    assert panel.delivery is None


def test_the_app_has_an_analyse_tab_on_the_same_journey() -> None:
    app = Workbench.from_template("post_training_retention", plotter=None, graph=False)
    assert app.tabs.get_title(4) == "Analyse"
    assert app.analyse_panel.journey == app.journey
    app.journey = load_template("safety_reminders")
    assert app.analyse_panel.journey.id == "safety_reminders"
    assert [v for _, v in app.analyse_panel.concept.options] == [c.id for c in app.journey.concepts]
