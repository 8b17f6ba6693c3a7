"""The Convert tab, headless: convert, untick proposals, open the draft in the composer."""

from __future__ import annotations

from pathlib import Path

import pytest

from convert import sources
from workbench.widgets import Workbench
from workbench.widgets.convert_panel import ConvertPanel


@pytest.fixture(scope="module")
def deck(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return sources.build_deck(tmp_path_factory.mktemp("convert-panel") / "workshop.pptx")


def test_panel_shows_proposals_and_decisions(deck: Path) -> None:
    panel = ConvertPanel()
    panel.convert_paths([deck])
    assert panel.report is not None
    assert panel.status.value.startswith("workshop.pptx: 6 concepts")
    assert len(panel.accepted) == len(panel.report.draft.proposals)
    core = next(p for p in panel.report.draft.proposals if p.kind == "ilt_workshop")
    assert panel.accepted[core.activity_id].disabled  # the core event cannot be dropped
    assert "Needs your decision" in panel.summary.value
    assert "leftover: title: agenda" in panel.segments.value
    assert not panel.open.disabled


def test_unticked_proposals_do_not_reach_the_composer(deck: Path) -> None:
    app = Workbench(None, plotter=None, graph=False)
    panel = app.convert_panel
    panel.convert_paths([deck])
    assert panel.report is not None
    job_aids = [p.activity_id for p in panel.report.draft.proposals if p.kind == "job_aid"]
    assert job_aids
    for proposal_id in job_aids:
        panel.accepted[proposal_id].value = False
    panel.open.click()
    journey = app.composer.journey
    assert journey.id == "project_management_essentials"
    ids = {a.id for a in journey.activities}
    assert not ids & set(job_aids)
    assert len(ids) == len(panel.accepted) - len(job_aids)
    assert f"{len(job_aids)} proposal(s) dropped" in panel.status.value


def test_errors_are_shown_not_raised(tmp_path: Path) -> None:
    panel = ConvertPanel()
    panel.paths.value = str(tmp_path / "missing.pptx")
    panel.run.click()
    assert panel.status.value.startswith("not converted:")
    assert "no such file" in panel.status.value
    assert panel.open.disabled
    panel.paths.value = ""
    panel.run.click()
    assert "choose files" in panel.status.value


def test_uploads_are_converted(deck: Path) -> None:
    panel = ConvertPanel()
    panel.convert_uploads([("workshop.pptx", deck.read_bytes())])
    assert panel.report is not None
    assert panel.report.draft.analysis.outlines[0].source == "workshop.pptx"
