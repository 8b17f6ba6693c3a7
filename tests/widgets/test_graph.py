"""The ipycytoscape view: one node per activity, clicks open the form, edits resync the view."""

from __future__ import annotations

from typing import Any

import pytest

from support.env import require_module
from workbench.widgets import JourneyComposer

require_module("ipycytoscape", "pip install ipycytoscape (a dependency of workbench)")


@pytest.fixture
def composer(fake_plotter: Any) -> JourneyComposer:
    return JourneyComposer("post_training_retention", plotter=fake_plotter, graph=True)


def test_graph_shows_every_activity_and_edge(composer: JourneyComposer) -> None:
    view = composer.graph_view
    assert view is not None
    assert "wb-graph" in view.widget._dom_classes
    journey = composer.journey
    assert view.node_ids == [a.id for a in journey.timeline()]
    assert sorted(view.edge_pairs) == sorted((e.source, e.target) for e in journey.edges)
    workshop = next(n for n in view.widget.graph.nodes if n.data["id"] == "workshop")
    assert "formal" in workshop.classes
    assert workshop.data["layer"] == "during"


def test_clicking_a_node_opens_its_form(composer: JourneyComposer) -> None:
    assert composer.graph_view is not None
    composer.graph_view.click("quiz_2")
    assert composer.selected == "quiz_2"
    assert composer.activity_select.value == "quiz_2"
    assert composer.fields["id"].value == "quiz_2"
    assert composer.fields["kind"].value == "spaced_recall_quiz"
    assert "editing 'quiz_2'" in composer.status.value


def test_edits_resync_the_graph_in_place(composer: JourneyComposer) -> None:
    view = composer.graph_view
    assert view is not None
    nodes_before = {n.data["id"]: n for n in view.widget.graph.nodes}
    composer.select("quiz_3")
    composer.fields["id"].value = "quiz_final"
    composer.update_button.click()
    ids = view.node_ids
    assert "quiz_final" in ids
    assert "quiz_3" not in ids
    kept = {n.data["id"]: n for n in view.widget.graph.nodes}
    assert kept["workshop"] is nodes_before["workshop"]  # unchanged nodes are not rebuilt
    assert ("refresher", "quiz_final") in view.edge_pairs or any("quiz_final" in p for p in view.edge_pairs)
    composer.edge_source.value = "quiz_final"
    composer.edge_target.value = "primer"
    composer.edge_kind.value = "reinforces"
    composer.connect_button.click()
    assert ("quiz_final", "primer") in view.edge_pairs
    composer.undo()
    assert ("quiz_final", "primer") not in view.edge_pairs
    composer.undo()
    assert "quiz_3" in view.node_ids
    assert "quiz_final" not in view.node_ids
    assert sorted(view.edge_pairs) == sorted((e.source, e.target) for e in composer.journey.edges)
