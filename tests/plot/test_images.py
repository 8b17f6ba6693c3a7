"""Image regression tests of the key figures: timeline, graph, retention, frontier.

Each case renders a figure with the Agg backend at a fixed size (16:9 slide) and dpi,
without volatile metadata, and compares it with a baseline PNG in ``tests/plot/baseline/``
using :func:`matplotlib.testing.compare.compare_images` (RMS tolerance ``TOL``). A missing
baseline fails the test (it is never skipped).

Regenerate the baselines after an intended change of a figure, then look at them::

    WORKBENCH_REGEN_BASELINES=1 .venv/bin/python -m pytest -p no:nbval tests/plot -q

With the variable set, each case writes its baseline and passes. On a failure, the
rendered image and the difference image are left in pytest's ``tmp_path`` (the failure
message gives their paths).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import matplotlib.pyplot as plt
import pytest
from matplotlib.axes import Axes
from matplotlib.testing.compare import compare_images

from plot.synthetic import PLAN_TOUCHES, FakeResult, flawed_journey, frontier_frame, plan_summary, retention_frame
from workbench.plot import (
    SLIDE_SIZE,
    plot_frontier,
    plot_graph,
    plot_minutes_per_week,
    plot_plan_comparison,
    plot_retention,
    plot_retention_comparison,
    plot_timeline,
)
from workbench.rules import lint
from workbench.templates import load_template

BASELINE = Path(__file__).parent / "baseline"
DPI = 50
#: RMS difference (0-255 scale) tolerated: absorbs anti-aliasing noise between machines
#: with the same matplotlib wheel, not a moved label or a changed colour (dropping the nine
#: light edges of a template timeline alone scores 2.4).
TOL = 1.0
REGEN = os.environ.get("WORKBENCH_REGEN_BASELINES") == "1"


def _timeline_template() -> Axes:
    journey = load_template("compliance_follow_up")
    return plot_timeline(journey, ax=_slide_axes(), findings=lint(journey))


def _timeline_findings() -> Axes:
    journey = flawed_journey()
    return plot_timeline(journey, ax=_slide_axes(), findings=lint(journey))


def _graph_template() -> Axes:
    return plot_graph(load_template("onboarding_continuation"), ax=_slide_axes())


def _retention() -> Axes:
    result = FakeResult(PLAN_TOUCHES["Spaced quizzes"])
    names = {"sbi": "SBI model", "ask": "Ask first", "steps": "Agree next step"}
    return plot_retention(result, ax=_slide_axes(), target=0.6, deadline_day=80, names=names)


def _retention_comparison() -> Axes:
    frames = {plan: retention_frame(touches) for plan, touches in PLAN_TOUCHES.items()}
    return plot_retention_comparison(frames, ax=_slide_axes(), target=0.6, deadline_day=80)


def _frontier() -> Axes:
    return plot_frontier(frontier_frame(), ax=_slide_axes(), day=90, target=0.7)


def _plan_comparison() -> Axes:
    return plot_plan_comparison(plan_summary(), ax=_slide_axes(), day=90, target=0.5)


def _minutes() -> Axes:
    return plot_minutes_per_week(load_template("compliance_follow_up"), ax=_slide_axes(), budget=60)


def _slide_axes() -> Axes:
    fig = plt.figure(figsize=SLIDE_SIZE, dpi=DPI, layout="constrained")
    return fig.add_subplot()


CASES: dict[str, Callable[[], Axes]] = {
    "timeline_compliance_follow_up": _timeline_template,
    "timeline_findings": _timeline_findings,
    "graph_onboarding_continuation": _graph_template,
    "retention": _retention,
    "retention_comparison": _retention_comparison,
    "frontier": _frontier,
    "plan_comparison": _plan_comparison,
    "minutes_per_week": _minutes,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_figure_matches_baseline(name: str, tmp_path: Path) -> None:
    ax = CASES[name]()
    actual = tmp_path / f"{name}.png"
    ax.get_figure(root=True).savefig(actual, dpi=DPI, metadata={"Software": None})
    expected = BASELINE / f"{name}.png"
    if REGEN:
        BASELINE.mkdir(exist_ok=True)
        shutil.copyfile(actual, expected)
        return
    assert expected.exists(), (
        f"no baseline {expected}; create it with WORKBENCH_REGEN_BASELINES=1 "
        "(see the docstring of tests/plot/test_images.py) and look at it before committing"
    )
    failure = compare_images(str(expected), str(actual), tol=TOL)
    assert failure is None, f"{name} differs from its baseline: {failure}"
