"""Derive the shipped workplace memory profiles from published data, and compare the models.

Both profiles are fitted by maximum likelihood with workbench's own calibrate (same touch rules
as the simulator) to the forgetting and spacing table of Cepeda et al. (2008) shipped in
``workbench/calibrate/published/cepeda2008_trivia.csv``:

* ``workplace`` (the default): FSRS-6, from its default weights, within py-fsrs's parameter ranges;
* ``workplace-spacing``: ACT-R (Pavlik & Anderson 2005), from its sourced defaults, with the
  learner spread held at the workplace profile's (a single final test per learner and item
  cannot tell learner spread from the curve's shape).

Run (from the repository root, ``PYTHONPATH=src``)::

    python scripts/derive_workplace_profile.py                              # re-fit `workplace`
    python scripts/derive_workplace_profile.py --profile workplace-spacing  # re-fit the ACT-R profile
    python scripts/derive_workplace_profile.py --table                      # comparison (~15 min here)
    python scripts/derive_workplace_profile.py --table --rows workplace,workplace-spacing
    python scripts/derive_workplace_profile.py --plans                      # plans under both profiles
    python scripts/derive_workplace_profile.py --joint 52                   # + Cepeda 2009 Exp. 2a at n = 52

A re-fit prints the fitted values next to the shipped ones; ``tests/calibrate/test_published_profiles.py``
checks that the shipped values are the maximum of the likelihood. ``--table`` prints the model
comparison of ``docs/memory-profiles.md`` (Markdown).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import time
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd

import workbench.memory.fsrs as fsrs_module
import workbench.simulate.profiles as profiles_module
from workbench.calibrate import calibrate, expected_recall, load_published, read_observations, validate_calibration
from workbench.calibrate.data import Observations
from workbench.plans import compare
from workbench.simulate import LearnerPopulation, MemoryProfile, get_profile, simulate
from workbench.simulate.profiles import WORKPLACE_FIT, WORKPLACE_SPACING_FIT, WORKPLACE_SPACING_SPREAD, WORKPLACE_SPREAD
from workbench.templates import load_template

DATE = dt.date(2026, 12, 2)
#: Learner spreads at which the profile likelihood is evaluated (the other parameters re-fitted).
SPREAD_GRID = tuple(round(0.05 * i, 2) for i in range(21))
#: Drop of the log-likelihood at the ends of a 95% profile-likelihood interval: chi2(1, 0.95) / 2.
DROP_95 = 1.920729
OBSERVED_BEST_GAPS = {7.0: 1.0, 35.0: 11.0, 70.0: 21.0, 350.0: 21.0}


@dataclasses.dataclass(frozen=True)
class Candidate:
    """One row of the comparison: where the fit starts, what it fits, and what it means."""

    label: str
    base: MemoryProfile
    fit: tuple[str, ...]
    note: str
    lifted_bounds: bool = False  # diagnostic only: not a valid FSRS-6 parameter set
    spread_from_data: bool = False  # the spread is set from its profile likelihood (counts in k)
    start: MemoryProfile | None = None  # in-sample fit starts here (held-out fits from ``base``)

    @property
    def k(self) -> int:
        """Parameters taken from the data."""
        return len(self.fit) + (1 if self.spread_from_data else 0)


def _actr_defaults(sigma: float) -> MemoryProfile:
    return MemoryProfile(
        name="actr",
        title="ACT-R (Pavlik & Anderson 2005)",
        model="actr",
        memory_sigma=sigma,
        source="ACT-R sourced defaults (docs/memory-models.md)",
    )


def candidates() -> dict[str, Candidate]:
    """Return the models and fits compared, by row name.

    The shipped rows hold the learner spread at the shipped value (``spread`` derives it: the
    upper end of its 95% profile-likelihood interval), the ``-mle`` rows at its maximum-likelihood
    value (0 for both models), and fit the other parameters.
    """
    flashcards = get_profile("flashcards")
    workplace_sigma = WORKPLACE_SPREAD.shipped
    spacing_sigma = WORKPLACE_SPACING_SPREAD.shipped
    fsrs = flashcards.with_values({"memory_sigma": workplace_sigma})
    return {
        "flashcards": Candidate("FSRS-6 defaults (`flashcards`)", flashcards, (), "nothing fitted"),
        "workplace": Candidate(
            "FSRS-6 (`workplace`, default)",
            fsrs,
            WORKPLACE_FIT,
            f"py-fsrs ranges; 7 parameters + spread {workplace_sigma}",
            spread_from_data=True,
            start=get_profile("workplace"),  # the shipped values: the row re-checks they are the maximum
        ),
        "workplace-mle": Candidate(
            "FSRS-6, spread at its maximum-likelihood value",
            flashcards.with_values({"memory_sigma": WORKPLACE_SPREAD.estimate}),
            WORKPLACE_FIT,
            f"spread {WORKPLACE_SPREAD.estimate:g} (its MLE)",
            spread_from_data=True,
            start=get_profile("workplace").with_values({"memory_sigma": WORKPLACE_SPREAD.estimate}),
        ),
        "fsrs-lapse": Candidate(
            "FSRS-6 + post-lapse weights",
            fsrs,
            (*WORKPLACE_FIT, "lapse_stability_exponent", "lapse_forgetting_gain"),
            f"py-fsrs ranges; 9 parameters + spread {workplace_sigma}",
            spread_from_data=True,
        ),
        "fsrs-lifted": Candidate(
            "FSRS-6, decay and lapse bounds lifted",
            fsrs,
            WORKPLACE_FIT,
            "diagnostic: decay <= 5, lapse scale <= 100 (outside FSRS-6's ranges)",
            lifted_bounds=True,
            spread_from_data=True,
        ),
        "exponential": Candidate(
            "exponential (sourced defaults)",
            fsrs.with_values({}, model="exponential", model_parameters={}),
            ("memory_sigma",),
            "learner spread fitted",
        ),
        "hlr": Candidate(
            "HLR (sourced defaults)",
            fsrs.with_values({}, model="hlr", model_parameters={}),
            ("memory_sigma",),
            "learner spread fitted",
        ),
        "actr-defaults": Candidate(
            "ACT-R (sourced defaults)", _actr_defaults(spacing_sigma), ("memory_sigma",), "learner spread fitted"
        ),
        "workplace-spacing": Candidate(
            "ACT-R (`workplace-spacing`)",
            _actr_defaults(spacing_sigma),
            WORKPLACE_SPACING_FIT,
            f"5 parameters + spread {spacing_sigma}",
            spread_from_data=True,
            start=get_profile("workplace-spacing"),
        ),
        "workplace-spacing-mle": Candidate(
            "ACT-R, spread at its maximum-likelihood value",
            _actr_defaults(WORKPLACE_SPACING_SPREAD.estimate),
            WORKPLACE_SPACING_FIT,
            f"spread {WORKPLACE_SPACING_SPREAD.estimate:g} (its MLE)",
            spread_from_data=True,
            start=get_profile("workplace-spacing").with_values({"memory_sigma": WORKPLACE_SPACING_SPREAD.estimate}),
        ),
    }


@contextlib.contextmanager
def _lifted_fsrs_bounds(decay_high: float = 5.0, lapse_high: float = 100.0) -> Iterator[None]:
    """Let FSRS-6's decay (w20) and lapse scale (w11) leave py-fsrs's ranges, for the diagnostic row.

    The ranges are checked when FSRS-6 parameters are built and when a parameter is fitted:
    both read module-level values, which are restored on exit.
    """
    saved_bounds = fsrs_module.FSRS6_UPPER_BOUNDS
    table = profiles_module._FITTABLE["fsrs6"]
    saved = {name: table[name] for name in ("decay", "lapse_scale")}
    upper = list(saved_bounds)
    upper[20], upper[11] = decay_high, lapse_high
    fsrs_module.FSRS6_UPPER_BOUNDS = tuple(upper)
    table["decay"] = dataclasses.replace(saved["decay"], high=decay_high)
    table["lapse_scale"] = dataclasses.replace(saved["lapse_scale"], high=lapse_high)
    try:
        yield
    finally:
        fsrs_module.FSRS6_UPPER_BOUNDS = saved_bounds
        table.update(saved)


def _gap(history: str) -> float:
    touches = history.split(";")
    return float(touches[1].split(":")[0]) if len(touches) > 1 else float("nan")


def best_gaps(profile: MemoryProfile, data: Observations) -> dict[float, float]:
    """Predicted best gap per final-test delay on the spacing rows."""
    frame = data.frame.assign(predicted=expected_recall(profile, data))
    frame = frame[frame["function"] == "spacing"].assign(gap=lambda f: f["history"].map(_gap))
    return {float(d): float(g.loc[g["predicted"].idxmax(), "gap"]) for d, g in frame.groupby("delay_days")}


def _mae(profile: MemoryProfile, data: Observations) -> float:
    predicted = expected_recall(profile, data)
    observed = data.frame["recalled"].to_numpy(float)
    weights = data.frame["n"].to_numpy(float)
    return float(np.sum(weights * np.abs(predicted - observed)) / weights.sum() * 100)


def fit(candidate: Candidate, data: Observations) -> Any:
    """Calibrate one candidate on all of the data (Wald intervals: fast)."""
    context = _lifted_fsrs_bounds() if candidate.lifted_bounds else contextlib.nullcontext()
    with context:
        if not candidate.fit:
            return None
        start = candidate.start if candidate.start is not None else candidate.base
        return calibrate(data, profile=start, fit=candidate.fit, intervals="wald", today=DATE)


def evaluate(candidate: Candidate, data: Observations, external: Observations) -> dict[str, Any]:
    """Fit, out-of-sample checks and best gaps of one candidate."""
    started = time.perf_counter()
    context = _lifted_fsrs_bounds() if candidate.lifted_bounds else contextlib.nullcontext()
    with context:
        calibration = fit(candidate, data)
        profile = calibration.profile if calibration is not None else candidate.base
        row: dict[str, Any] = {"model": candidate.label, "note": candidate.note}
        if calibration is not None:
            # every parameter asked for counts (calibrate reports flat ones as "no information")
            row["k"] = candidate.k
            row["log-lik"] = round(calibration.log_likelihood, 1)
            row["AIC"] = round(2 * candidate.k - 2 * calibration.log_likelihood, 1)
            on_bound = [p.name for p in calibration.parameters.values() if "AT A BOUND" in p.description]
            row["on a bound"] = ", ".join(on_bound) or "-"
            row["values"] = {k: round(v, 4) for k, v in calibration.profile.values(candidate.fit).items()}
        else:
            row.update({"k": 0, "log-lik": float("nan"), "AIC": float("nan"), "on a bound": "-", "values": {}})
        row["MAE in sample"] = round(_mae(profile, data), 1)
        if candidate.fit:
            for column, holdout in (
                ("MAE held-out 350-d delay", {"delay_days": [350]}),
                ("MAE held-out spacing rows", {"function": ["spacing"]}),
            ):
                validation = validate_calibration(data, holdout, profile=candidate.base, fit=candidate.fit, today=DATE)
                row[column] = round(validation.mae_points, 1)
        row["MAE Cepeda 2009 Exp. 2a (never fitted)"] = round(_mae(profile, external), 1)
        gaps = best_gaps(profile, data)
        row["best gap 7/35/70/350 d"] = "/".join(f"{gaps[d]:g}" for d in sorted(gaps))
    row["fit seconds"] = round(time.perf_counter() - started)
    row["profile"] = profile
    return row


def speed(profiles: dict[str, MemoryProfile], learners: int) -> dict[str, float]:
    """Seconds of one simulate (post_training_retention, ``learners`` learners) per profile, in one run."""
    journey = load_template("post_training_retention")
    population = LearnerPopulation(size=learners)
    seconds = {}
    for label, profile in profiles.items():
        started = time.perf_counter()
        simulate(journey, population=population, rng=0, profile=profile)
        seconds[label] = time.perf_counter() - started
    return seconds


def plan_spread(profile: MemoryProfile, learners: int, core: bool) -> pd.DataFrame:
    """Retention of four plans on post_training_retention (or its formal core) under ``profile``."""
    journey = load_template("post_training_retention")
    comparison = compare(
        journey.formal_core() if core else journey,
        ["none", "expanding", "fixed:7x4", "deadline:90"],
        population=LearnerPopulation(size=learners),
        rng=0,
        profile=profile,
    )
    return comparison.summary


def markdown(frame: pd.DataFrame, index: bool = False) -> str:
    """Render a frame as a Markdown table (tabulate is not a dependency)."""
    shown = frame.reset_index() if index else frame
    header = "| " + " | ".join(map(str, shown.columns)) + " |"
    rule = "|" + "|".join("---" for _ in shown.columns) + "|"
    body = [
        "| " + " | ".join(f"{v:.3f}" if isinstance(v, float) else str(v) for v in row) + " |"
        for row in shown.itertuples(index=False)
    ]
    return "\n".join([header, rule, *body])


def shipped_spread(found: dict[str, float]) -> float:
    """Return the spread a profile ships: its MLE, or the interval's upper end when the MLE is on the boundary 0.

    A maximum on the boundary of a likelihood this flat says the grouped table cannot see the
    spread, not that learners are identical (docs/memory-profiles.md gives the reasons); the
    upper end is the widest spread the data do not reject.
    """
    return round(found["high"] if found["estimate"] == 0 else found["estimate"], 3)


def refit(name: str) -> None:
    """Re-fit one shipped profile (spread by profile likelihood, then the rest); print it beside the shipped values."""
    data = read_observations(load_published("cepeda2008"), source="cepeda2008_trivia.csv")
    candidate = candidates()[name]
    frame = spread_profile(name, data)
    found = spread_interval(frame["log_likelihood"])
    sigma = shipped_spread(found)
    nearest = frame.index[np.argmin(np.abs(frame.index.to_numpy(float) - sigma))]
    # warm start at the profile's fit nearest the shipped spread (the best point of a flat ridge)
    start = candidate.base.with_values({**frame.loc[nearest].drop(["log_likelihood"]).to_dict(), "memory_sigma": sigma})
    calibration = calibrate(data, profile=start, fit=candidate.fit, intervals="wald", today=DATE)
    print(calibration.summary_text())
    shipped = get_profile(name)
    record = WORKPLACE_SPREAD if name == "workplace" else WORKPLACE_SPACING_SPREAD
    print(f"{'parameter':<34}{'fitted':>10}{'shipped':>10}")
    for parameter, value in calibration.profile.values(candidate.fit).items():
        print(f"{parameter:<34}{value:>10.4f}{shipped.value(parameter):>10.4f}")
    print(f"{'memory_sigma':<34}{sigma:>10.4f}{shipped.memory_sigma:>10.4f}")
    print(
        f"spread: estimate {found['estimate']:g} (shipped record {record.estimate:g}), 95% interval "
        f"{found['low']:.3f}-{found['high']:.3f} (shipped {record.low:g}-{record.high:g}), grid step "
        f"{found['grid_step']:g}; log-lik at the shipped spread {calibration.log_likelihood:.2f}, "
        f"at the estimate {found['log_likelihood']:.2f}"
    )
    for holdout in ({"delay_days": [350]}, {"function": ["spacing"]}):
        print(validate_calibration(data, holdout, profile=candidate.base, fit=candidate.fit, today=DATE).summary_text())
    external = read_observations(load_published("cepeda2009"))
    print(f"Cepeda et al. (2009) Exp. 2a, never fitted: MAE {_mae(calibration.profile, external):.1f} recall points")


def table(rows: list[str], learners: int) -> None:
    """Print the comparison tables of docs/memory-profiles.md."""
    data = read_observations(load_published("cepeda2008"), source="cepeda2008_trivia.csv")
    external = read_observations(load_published("cepeda2009"))
    known = candidates()
    results = [evaluate(known[name], data, external) for name in rows]
    print("observed best gap per delay 7/35/70/350 d: " + "/".join(f"{g:g}" for g in OBSERVED_BEST_GAPS.values()))
    frame = pd.DataFrame([{k: v for k, v in r.items() if k not in ("profile", "values")} for r in results])
    print(markdown(frame))
    for r in results:
        print(f"{r['model']}: {r['values']}")
    models = {}
    for name in ("workplace", "workplace-spacing", "exponential", "hlr"):
        if name in rows:
            models[name] = next(r["profile"] for r, n in zip(results, rows, strict=True) if n == name)
    if "workplace" in models:
        seconds = speed(models, learners)
        print(f"\nsimulate post_training_retention, {learners} learners, seed 0 (same run):")
        for label, s in seconds.items():
            print(f"  {label:<20} {s:6.2f} s  {s / seconds['workplace']:5.1f}x workplace")


def joint(n_2009: int) -> None:
    """Fit both workplace models to Cepeda 2008 and 2009 Exp. 2a together (2009 rows at an assumed n).

    Exp. 2a publishes no group sizes, so its rows get ``n_2009`` learners each: a sensitivity
    check of the shipped fits, not a profile (it spends the only data never fitted).
    """
    frame_2008 = load_published("cepeda2008")
    frame_2009 = load_published("cepeda2009").assign(n=n_2009)
    both = pd.concat([frame_2008.assign(study="2008"), frame_2009.assign(study="2009")], ignore_index=True)
    data = read_observations(both.drop(columns="study"), source="cepeda2008+2009")
    part_2008 = read_observations(frame_2008)
    part_2009 = read_observations(load_published("cepeda2009"))
    print(f"joint fit: Cepeda 2008 (37 rows) + 2009 Exp. 2a (12 rows at n = {n_2009} each, assumed)")
    print(
        "| model | k | log-lik | on a bound | MAE 2008 | MAE 2009 Exp. 2a | MAE held-out 350 d (2008 rows) | values |"
    )
    print("|---|---:|---:|---|---:|---:|---:|---|")
    for name in ("workplace", "workplace-spacing"):
        candidate = candidates()[name]
        calibration = calibrate(data, profile=candidate.base, fit=candidate.fit, intervals="wald", today=DATE)
        on_bound = [p.name for p in calibration.parameters.values() if "AT A BOUND" in p.description]
        validation = validate_calibration(
            data, {"delay_days": [350]}, profile=candidate.base, fit=candidate.fit, today=DATE
        )
        values = {k: round(v, 4) for k, v in calibration.profile.values(candidate.fit).items()}
        print(
            f"| {candidate.label} | {candidate.k} | {calibration.log_likelihood:.1f} | "
            f"{', '.join(on_bound) or '-'} | {_mae(calibration.profile, part_2008):.1f} | "
            f"{_mae(calibration.profile, part_2009):.1f} | {validation.mae_points:.1f} | {values} |"
        )


def spread_profile(name: str, data: Observations, grid: tuple[float, ...] = SPREAD_GRID) -> pd.DataFrame:
    """Profile log-likelihood of the learner spread: at each grid value the other parameters are re-fitted.

    Two warm-started sweeps (up, then down the grid) and the better fit at each value, so a
    flat ridge cannot leave one value stuck on another value's path.
    """
    others = tuple(p for p in candidates()[name].fit if p != "memory_sigma")
    best: dict[float, tuple[float, dict[str, float]]] = {}
    start = get_profile(name)
    for sweep in (grid, tuple(reversed(grid))):
        for sigma in sweep:
            fitted = calibrate(
                data, profile=start.with_values({"memory_sigma": sigma}), fit=others, intervals="wald", today=DATE
            )
            start = fitted.profile
            if sigma not in best or fitted.log_likelihood > best[sigma][0]:
                best[sigma] = (fitted.log_likelihood, fitted.profile.values(others))
    return pd.DataFrame([{"memory_sigma": s, "log_likelihood": best[s][0], **best[s][1]} for s in grid]).set_index(
        "memory_sigma"
    )


def spread_interval(profile_ll: pd.Series) -> dict[str, float]:
    """Maximum-likelihood spread and its 95% profile-likelihood interval from a grid profile.

    The ends are linear interpolations of the grid where the log-likelihood has dropped by
    ``DROP_95``; an end at the grid's first value (0) is the boundary, not a crossing.
    """
    sigma = profile_ll.index.to_numpy(float)
    ll = profile_ll.to_numpy(float)
    top = int(np.argmax(ll))
    drop = ll[top] - ll

    def crossing(indices: range) -> float:
        previous = top
        for i in indices:
            if drop[i] >= DROP_95:
                share = (DROP_95 - drop[previous]) / (drop[i] - drop[previous])
                return float(sigma[previous] + share * (sigma[i] - sigma[previous]))
            previous = i
        return float(sigma[indices[-1]]) if len(indices) else float(sigma[top])

    return {
        "estimate": float(sigma[top]),
        "log_likelihood": float(ll[top]),
        "low": crossing(range(top - 1, -1, -1)),
        "high": crossing(range(top + 1, len(sigma))),
        "grid_step": float(np.diff(sigma).max()),
    }


def spread(names: list[str]) -> None:
    """Print the learner spread's profile likelihood, estimate and 95% interval for each profile."""
    data = read_observations(load_published("cepeda2008"), source="cepeda2008_trivia.csv")
    for name in names:
        started = time.perf_counter()
        frame = spread_profile(name, data)
        found = spread_interval(frame["log_likelihood"])
        frame = frame.assign(drop=found["log_likelihood"] - frame["log_likelihood"])
        print(f"\nprofile likelihood of memory_sigma, {name} (other parameters re-fitted at each value):")
        print(markdown(frame.round(4), index=True))
        print(
            f"{name}: estimate {found['estimate']:g}"
            + (" (on the boundary 0)" if found["estimate"] == 0 else "")
            + f", 95% interval {found['low']:.3f} to {found['high']:.3f} (grid step {found['grid_step']:g}), "
            f"max log-lik {found['log_likelihood']:.2f}; {time.perf_counter() - started:.0f} s"
        )


def plans(learners: int) -> None:
    """Print the plan tables of docs/memory-profiles.md: both workplace profiles, journey and formal core."""
    for core in (False, True):
        for name in ("workplace", "workplace-spacing"):
            what = "its formal core (the workshop alone)" if core else "the journey as designed"
            print(f"\nplans on post_training_retention, {what}; profile {name}, {learners} learners, seed 0:")
            print(markdown(plan_spread(get_profile(name), learners, core), index=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profile", default="workplace", choices=["workplace", "workplace-spacing"])
    parser.add_argument("--table", action="store_true", help="print the model comparison (slow)")
    parser.add_argument("--plans", action="store_true", help="print the plan tables of both profiles")
    parser.add_argument("--spread", action="store_true", help="profile likelihood of the learner spread")
    parser.add_argument("--joint", type=int, metavar="N", help="joint fit with Exp. 2a rows at N learners each")
    parser.add_argument("--rows", default=",".join(candidates()), help="comparison rows, comma-separated")
    parser.add_argument("--learners", type=int, default=1000, help="learners for the speed and plan tables")
    args = parser.parse_args()
    if args.table:
        table([r.strip() for r in args.rows.split(",") if r.strip()], args.learners)
    if args.plans:
        plans(args.learners)
    if args.joint:
        joint(args.joint)
    if args.spread:
        spread(["workplace", "workplace-spacing"])
    if args.table or args.plans or args.joint or args.spread:
        return
    refit(args.profile)


if __name__ == "__main__":
    main()
