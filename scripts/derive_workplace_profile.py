"""Derive the "workplace" memory profile from Cepeda et al. (2008) with workbench's own calibrate.

Fits FSRS-6 (the simulator's default model) to the published forgetting and spacing table
shipped in ``workbench/calibrate/published/cepeda2008_trivia.csv``, starting from the
FSRS-6 defaults, and prints the parameters that ``workbench.simulate.profiles.WORKPLACE``
ships, the fit statistics and the out-of-sample checks. With ``--compare`` it also fits
ACT-R (Pavlik & Anderson 2005), the spacing-sensitive model, for the comparison in the
README. Run: ``python scripts/derive_workplace_profile.py [--compare]``.
"""

from __future__ import annotations

import argparse
import datetime as dt

import numpy as np

from workbench.calibrate import calibrate, expected_recall, load_published, read_observations, validate_calibration
from workbench.simulate import MemoryProfile, get_profile
from workbench.simulate.profiles import WORKPLACE_FIT

DATE = dt.date(2026, 12, 2)
HOLDOUTS = ({"delay_days": [350]}, {"function": ["spacing"]})
ACTR_FIT = ("base_level", "decay_scale", "decay_intercept", "threshold", "noise")


def report(name: str, base: MemoryProfile, fit: tuple[str, ...]) -> None:
    data = read_observations(load_published("cepeda2008"), source="cepeda2008_trivia.csv")
    calibration = calibrate(data, profile=base, fit=fit, intervals="wald", today=DATE)
    print(f"=== {name}")
    print(calibration.summary_text())
    print({k: round(v, 4) for k, v in calibration.profile.values(fit).items()})
    for holdout in HOLDOUTS:
        print(validate_calibration(data, holdout, profile=base, fit=fit, today=DATE).summary_text())
    external = read_observations(load_published("cepeda2009"))
    predicted = expected_recall(calibration.profile, external)
    mae = float(np.mean(np.abs(predicted - external.frame["recalled"].to_numpy())) * 100)
    print(f"Cepeda et al. (2009) Exp. 2a, never fitted: MAE {mae:.1f} recall points\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--compare", action="store_true", help="also fit ACT-R (slow: about a minute)")
    args = parser.parse_args()
    report("FSRS-6 (workplace profile)", get_profile("flashcards"), WORKPLACE_FIT)
    if args.compare:
        actr = MemoryProfile(name="actr", title="ACT-R", model="actr", source="Pavlik & Anderson (2005) defaults")
        report("ACT-R (Pavlik & Anderson 2005)", actr, (*ACTR_FIT, "memory_sigma"))


if __name__ == "__main__":
    main()
