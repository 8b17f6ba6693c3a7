"""A small calibration for tests that need one (the plan lab's, the app's)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from workbench.calibrate import Calibration, calibrate


def pilot_calibration() -> Calibration:
    """Fit the flashcards profile's initial stability to a three-row pilot (quick: one parameter, Wald)."""
    pilot = pd.DataFrame(
        {"history": ["0:encode"] * 3, "test_day": [1, 7, 30], "recalled": [0.8, 0.5, 0.3], "n": [100] * 3}
    )
    return calibrate(
        pilot,
        profile="flashcards",
        fit=["s0_encode_days"],
        intervals="wald",
        source="pilot.csv",
        today=dt.date(2026, 12, 2),
    )
