"""Plots are tested headless: the Agg backend, whatever the environment says."""

from __future__ import annotations

from collections.abc import Iterator

import matplotlib

matplotlib.use("Agg", force=True)

import matplotlib.pyplot as plt
import pytest


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    """Every test starts and ends with no open figure (the tests own what they open)."""
    plt.close("all")
    yield
    plt.close("all")
