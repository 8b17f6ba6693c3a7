"""What every plot promises: labelled axes with units, ``ax`` in and out, right markers, no side effects."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.testing.compare import compare_images

from plot.synthetic import PLAN_TOUCHES, FakeResult, flawed_journey, frontier_frame, plan_summary, retention_frame
from workbench.errors import ParameterError
from workbench.plot import (
    FAMILIES,
    graph_layout,
    kind_family,
    marker_area,
    minutes_per_week,
    plot_frontier,
    plot_graph,
    plot_minutes_per_week,
    plot_plan_comparison,
    plot_retention,
    plot_retention_comparison,
    plot_timeline,
    style,
)
from workbench.rules import lint
from workbench.templates import list_templates, load_template

PLOTS: dict[str, Callable[..., Axes]] = {
    "timeline": lambda ax=None: plot_timeline(load_template("post_training_retention"), ax=ax),
    "graph": lambda ax=None: plot_graph(load_template("post_training_retention"), ax=ax),
    "minutes": lambda ax=None: plot_minutes_per_week(load_template("post_training_retention"), ax=ax),
    "retention": lambda ax=None: plot_retention(FakeResult(PLAN_TOUCHES["Spaced quizzes"]), ax=ax),
    "comparison": lambda ax=None: plot_retention_comparison(
        {p: retention_frame(t) for p, t in PLAN_TOUCHES.items()}, ax=ax
    ),
    "plans": lambda ax=None: plot_plan_comparison(plan_summary(), ax=ax, day=90),
    "frontier": lambda ax=None: plot_frontier(frontier_frame(), ax=ax, day=90),
}
#: Charts with quantitative axes: both axis labels must name a unit.
UNITS = {
    "timeline": ("days", None),
    "minutes": ("weeks", "minutes"),
    "retention": ("days", "%"),
    "comparison": ("days", "%"),
    "plans": ("%", None),
    "frontier": ("minutes", "%"),
}


def _activity_markers(ax: Axes) -> list[Any]:
    return [c for c in ax.collections if str(c.get_gid()).startswith("activities:")]


def _offsets(ax: Axes, gid: str) -> np.ndarray:
    (collection,) = [c for c in ax.collections if c.get_gid() == gid]
    return np.asarray(collection.get_offsets())


# ---- the contract of every plot ---------------------------------------------------------


@pytest.mark.parametrize("name", sorted(PLOTS))
def test_draws_into_given_axes_and_returns_it(name: str) -> None:
    _fig, (left, right) = plt.subplots(1, 2, figsize=(12, 5))
    before = plt.get_fignums()
    assert PLOTS[name](ax=right) is right
    assert plt.get_fignums() == before  # no new figure, none closed
    assert right.has_data() or right.patches or right.collections
    assert not left.has_data()
    assert not left.get_title(loc="left")


@pytest.mark.parametrize("name", sorted(PLOTS))
def test_creates_a_slide_sized_figure_without_ax(name: str) -> None:
    ax = PLOTS[name]()
    width, height = ax.get_figure(root=True).get_size_inches()
    assert width / height == pytest.approx(16 / 9, rel=0.01)


@pytest.mark.parametrize("name", sorted(PLOTS))
def test_has_title_and_axis_labels_with_units(name: str) -> None:
    ax = PLOTS[name]()
    assert ax.get_title(loc="left")
    assert ax.get_xlabel()
    x_unit, y_unit = UNITS.get(name, (None, None))
    if x_unit:
        assert x_unit in ax.get_xlabel()
    if y_unit:
        assert y_unit in ax.get_ylabel()
    if name != "graph":
        assert ax.get_ylabel()


@pytest.mark.parametrize("name", sorted(PLOTS))
def test_never_shows_and_leaves_rc_params_alone(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def forbidden(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("plt.show() called")

    monkeypatch.setattr(plt, "show", forbidden)
    before = dict(mpl.rcParams)
    PLOTS[name]()
    assert dict(mpl.rcParams) == before


@pytest.mark.parametrize("name", sorted(PLOTS))
def test_text_is_legible_at_slide_size(name: str) -> None:
    ax = PLOTS[name]()
    fig = ax.get_figure(root=True)
    fig.canvas.draw()
    sizes = [t.get_fontsize() for t in fig.findobj(mpl.text.Text) if t.get_text().strip() and t.get_visible()]
    assert sizes
    assert min(sizes) >= 11


def test_import_workbench_plot_does_not_import_pyplot() -> None:
    code = "import sys, workbench.plot; print('matplotlib.pyplot' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_style_is_a_context() -> None:
    before = mpl.rcParams["font.size"]
    with style(**{"font.size": 17}):
        assert mpl.rcParams["font.size"] == 17
    assert mpl.rcParams["font.size"] == before


@pytest.mark.parametrize("turned_on", [True, False])
def test_style_keeps_the_interactive_mode_the_block_left(turned_on: bool) -> None:
    # pyplot's first import in a kernel switches interactive mode on inside the block; undoing
    # that on exit hid every later figure of the notebook (issue 11)
    was = mpl.is_interactive()
    try:
        mpl.interactive(not turned_on)
        with style():
            mpl.interactive(turned_on)
        assert mpl.is_interactive() is turned_on
    finally:
        mpl.interactive(was)


# ---- timeline ------------------------------------------------------------------------------


@pytest.mark.parametrize("template", list_templates())
def test_timeline_has_one_marker_per_activity(template: str) -> None:
    journey = load_template(template)
    ax = plot_timeline(journey, findings=lint(journey))
    assert sum(len(c.get_offsets()) for c in _activity_markers(ax)) == len(journey.activities)
    labels = [t for t in ax.texts if t.get_gid() == "activity-label"]
    assert len(labels) == len(journey.activities)


def test_timeline_markers_sit_on_their_days_and_shapes_follow_families() -> None:
    journey = load_template("post_training_retention")
    ax = plot_timeline(journey)
    xs = sorted(x for c in _activity_markers(ax) for x, _ in c.get_offsets())
    dated = sorted(d for d in journey.days.values() if d is not None)
    assert all(any(np.isclose(x, d) for x in xs) for d in dated)
    families = {c.get_gid().split(":")[1] for c in _activity_markers(ax)}
    expected = {kind_family(journey.kind_of(a)) for a in journey.activities}
    assert families == expected
    assert families <= set(FAMILIES)


def test_timeline_rings_the_activities_findings_name() -> None:
    journey = flawed_journey()
    findings = lint(journey)
    named = {f.activity_id for f in findings if f.activity_id}
    ax = plot_timeline(journey, findings=findings)
    rings = _offsets(ax, "finding-rings")
    assert len(rings) == len(named)
    ring_days = sorted(x for x, _ in rings)
    on_demand_x = min(x for c in _activity_markers(ax) for x, _ in c.get_offsets())
    expected_days = sorted(journey.days[a] if journey.days[a] is not None else on_demand_x for a in named)
    assert np.allclose(ring_days, expected_days)
    markers = np.vstack([c.get_offsets() for c in _activity_markers(ax)])
    for ring in rings:  # every ring is centred on an activity marker
        assert np.isclose(markers, ring).all(axis=1).any()
    codes = {t.get_text() for t in ax.texts if t.get_gid() == "finding-label"}
    recap = {f.code for f in findings if f.activity_id == "recap"}
    assert ", ".join(sorted(recap)) in codes or any(all(c in t for c in recap) for t in codes)


def test_timeline_lists_findings_about_no_activity() -> None:
    from workbench.rules import Finding

    journey = load_template("post_training_retention")
    ax = plot_timeline(journey, findings=[Finding("WB008", "concept-not-covered", "warning", "m", "f")])
    assert not [c for c in ax.collections if c.get_gid() == "finding-rings"]
    (note,) = [t for t in ax.texts if t.get_gid() == "finding-note"]
    assert "WB008" in note.get_text()


def test_timeline_without_findings_draws_no_rings_and_edges_can_be_hidden() -> None:
    journey = load_template("post_training_retention")
    with_edges = plot_timeline(journey)
    without = plot_timeline(journey, show_edges=False)
    assert not [c for c in with_edges.collections if c.get_gid() == "finding-rings"]
    assert sum(p.get_gid() == "edge" for p in with_edges.patches) > 0
    assert sum(p.get_gid() == "edge" for p in without.patches) == 0


def test_timeline_on_demand_activities_get_a_band() -> None:
    journey = load_template("compliance_follow_up")
    ax = plot_timeline(journey)
    bands = [p for p in ax.patches if p.get_gid() == "on-demand-band"]
    assert len(bands) == sum(d is None for d in journey.days.values())


def test_marker_area_is_proportional_to_minutes_within_the_clip() -> None:
    assert marker_area(60) / marker_area(15) == pytest.approx(4.0)
    assert marker_area(0.5) == marker_area(1)  # floor keeps tiny assets visible
    assert marker_area(2400) == marker_area(1200)  # ceiling keeps day-long events on the slide


# ---- graph -----------------------------------------------------------------------------------


def test_graph_layout_is_layered_and_deterministic() -> None:
    journey = load_template("post_training_retention")
    first, second = graph_layout(journey), graph_layout(journey)
    assert first == second
    assert set(first) == {a.id for a in journey.activities}
    assert len(set(first.values())) == len(first)  # no two nodes on one spot
    # every then/prepares edge goes forward in reading order (row by row, left to right)
    for edge in journey.edges:
        if edge.kind.value in ("then", "prepares"):
            (xa, ya), (xb, yb) = first[edge.source], first[edge.target]
            assert (yb < ya - 0.5) or (abs(ya - yb) < 0.5 and xb > xa) or yb < ya


def test_graph_draws_every_node_and_edge_with_kind_styles() -> None:
    journey = load_template("onboarding_continuation")
    ax = plot_graph(journey)
    nodes = [c for c in ax.collections if str(c.get_gid()).startswith("nodes:")]
    assert sum(len(c.get_offsets()) for c in nodes) == len(journey.activities)
    edges = [p for p in ax.patches if str(p.get_gid()).startswith("edge:")]
    assert len(edges) == len(journey.edges)
    kinds = {p.get_gid().split(":")[1] for p in edges}
    assert kinds == {e.kind.value for e in journey.edges}
    legend_labels = {t.get_text() for t in ax.get_legend().get_texts()}
    assert {"then (sequence)", "reinforces"} <= legend_labels


def test_graph_tolerates_a_prepares_loop_and_unlinked_activities() -> None:
    journey = flawed_journey().connect("quiz2", "primer", "prepares")  # closes a loop
    pos = graph_layout(journey, max_columns=3)
    assert set(pos) == {a.id for a in journey.activities}
    with pytest.raises(ParameterError, match="max_columns"):
        graph_layout(journey, max_columns=0)


# ---- minutes per week --------------------------------------------------------------------


def test_minutes_per_week_adds_up_to_the_dated_required_minutes() -> None:
    journey = load_template("compliance_follow_up")
    table = minutes_per_week(journey)
    dated = sum(a.duration_min for a in journey.activities if a.required and journey.days[a.id] is not None)
    assert table.to_numpy().sum() == pytest.approx(dated)
    assert list(table.index) == list(range(table.index.min(), table.index.max() + 1))
    ax = plot_minutes_per_week(journey)
    heights = [p.get_height() for p in ax.patches if p.get_gid() in ("formal", "micro")]
    assert sum(heights) == pytest.approx(dated)


# ---- retention ------------------------------------------------------------------------------


def test_retention_draws_one_line_and_band_per_concept_and_touches() -> None:
    result = FakeResult(PLAN_TOUCHES["Spaced quizzes"])
    ax = plot_retention(result, target=0.8, deadline_day=60)
    lines = {line.get_gid() for line in ax.get_lines()}
    assert {"line:sbi", "line:ask", "line:steps"} <= lines
    assert "line:__all__" not in lines
    assert {"touches:sbi", "target", "deadline"} <= lines
    touches = next(line for line in ax.get_lines() if line.get_gid() == "touches:sbi")
    assert list(touches.get_xdata()) == [0.0, 3.0, 10.0, 24.0, 50.0]
    bands = [c for c in ax.collections if str(c.get_gid()).startswith("band:")]
    assert len(bands) == 3


def test_retention_accepts_a_frame_and_chosen_concepts() -> None:
    frame = retention_frame({"a": [0, 5], "b": [0]})
    ax = plot_retention(frame, concepts=["__all__"], band=None)
    assert [line.get_gid() for line in ax.get_lines()] == ["line:__all__"]
    assert not ax.collections


def test_retention_says_what_is_missing() -> None:
    frame = retention_frame({"a": [0]})
    with pytest.raises(ParameterError, match="not in the frame"):
        plot_retention(frame, concepts=["nope"])
    with pytest.raises(ParameterError, match="q10"):
        plot_retention(frame, band=(0.1, 0.9))
    with pytest.raises(ParameterError, match="missing column"):
        plot_retention(pd.DataFrame({"day": [0], "mean": [1.0]}))
    with pytest.raises(ParameterError, match="to_frame"):
        plot_retention(42)


def test_retention_comparison_one_line_per_plan() -> None:
    frames = {p: retention_frame(t) for p, t in PLAN_TOUCHES.items()}
    ax = plot_retention_comparison(frames, concept="sbi", band=(0.25, 0.75))
    assert [line.get_label() for line in ax.get_lines()] == list(PLAN_TOUCHES)
    with pytest.raises(ParameterError, match="no rows for concept"):
        plot_retention_comparison(frames, concept="nope")


def test_plan_comparison_labels_each_plan() -> None:
    summary = plan_summary()
    ax = plot_plan_comparison(summary, day=90, target=0.5)
    labels = [t.get_text() for t in ax.texts if t.get_gid() == "plan-label"]
    assert len(labels) == len(summary)
    assert all("min" in t and "%" in t for t in labels)
    assert [t.get_text() for t in ax.get_yticklabels()] == list(summary["plan"])  # top to bottom
    with pytest.raises(ParameterError, match="retention"):
        plot_plan_comparison(summary.drop(columns="retention"))


def test_frontier_greys_dominated_plans() -> None:
    frame = frontier_frame()
    ax = plot_frontier(frame, day=90)
    assert len(_offsets(ax, "dominated")) == int(frame["dominated"].sum())
    assert len(_offsets(ax, "frontier")) == int((~frame["dominated"]).sum())
    labels = [t for t in ax.texts if t.get_gid() == "plan-label"]
    assert len(labels) == len(frame)


# ---- the image comparison is not blind -------------------------------------------------------


def test_image_comparison_catches_a_changed_figure(tmp_path: Path) -> None:
    journey = load_template("post_training_retention")
    paths = []
    for index, edges in enumerate((True, False)):
        fig = plt.figure(figsize=(13.333, 7.5), dpi=50, layout="constrained")
        plot_timeline(journey, ax=fig.add_subplot(), show_edges=edges)
        paths.append(tmp_path / f"{index}.png")
        fig.savefig(paths[-1], dpi=50, metadata={"Software": None})
    from plot.test_images import TOL

    assert compare_images(str(paths[0]), str(paths[1]), tol=TOL) is not None


@pytest.mark.parametrize("name", sorted(PLOTS))
def test_callers_axes_get_the_look_too(name: str) -> None:
    fig = plt.figure(figsize=(13.333, 7.5))  # made outside workbench.plot.style()
    ax = PLOTS[name](ax=fig.add_subplot())
    fig.canvas.draw()
    ticks = [t for t in ax.get_xticklabels() + ax.get_yticklabels() if t.get_text()]
    assert all(t.get_fontsize() >= 11 for t in ticks)
    assert ax.xaxis.label.get_fontsize() >= 12
    assert not ax.spines["top"].get_visible()
