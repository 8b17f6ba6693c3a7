"""Widget tests run in plain pytest: no kernel, no browser (those are in browser/); plots on Agg."""

from __future__ import annotations

from typing import Any

import matplotlib
import pytest

matplotlib.use("Agg")  # this pytest process only; kernels started by other tests keep "inline"


def _fake_plotter(journey: Any, ax: Any = None, findings: Any = None) -> Any:
    """Return a stand-in for workbench.plot.plot_timeline: one bar per activity, minutes long."""
    ax.barh(range(len(journey.activities)), [a.duration_min for a in journey.activities])
    ax.set_title(f"{journey.id}: {len(journey.activities)} activities, {len(findings or ())} findings")
    return ax


@pytest.fixture
def fake_plotter() -> Any:
    """Return the stand-in plotter (the composer's timeline pipeline, independent of workbench.plot)."""
    return _fake_plotter


@pytest.fixture
def composer(fake_plotter: Any) -> Any:
    """Return the composer on a template, with the stand-in plotter and without the graph view."""
    from workbench.widgets import JourneyComposer

    return JourneyComposer("post_training_retention", plotter=fake_plotter, graph=False)
