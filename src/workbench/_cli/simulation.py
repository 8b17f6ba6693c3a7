"""The simulation commands: simulate, sweep, fit, calibrate."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from workbench._cli.common import (
    EXIT_OK,
    CommandAdder,
    chosen_profile,
    print_json,
    profile_line,
    profile_options,
    progress_bar,
    simulation_table,
)
from workbench.errors import WorkbenchError


def _cmd_simulate(args: argparse.Namespace, out: TextIO) -> int:
    from workbench.simulate import LearnerPopulation, simulate
    from workbench.spec import load

    journey = load(args.file)
    plan = None
    if args.plan:
        from workbench.plans import parse_plan

        plan = parse_plan(args.plan)
    chosen = chosen_profile(args)
    result = simulate(
        journey,
        plan=plan,
        population=LearnerPopulation(size=args.learners),
        model=args.model,
        profile=chosen,
        horizon_days=args.days,
        rng=args.seed,
        progress=False if args.json else None,
        scheduler=args.scheduler,
    )
    if args.json:
        print_json({**result.metrics(), "memory_profile": result.assumptions["memory_profile"]}, out)
        return EXIT_OK
    out.write(
        f"{journey.title}{f' + plan {plan.label}' if plan is not None else ''}: {result.n_learners} learners, "
        f"model {result.model_name}, seed {result.seed}\n"
        + profile_line(chosen.profile if hasattr(chosen, "parameters") else chosen)
        + f"  recall probability (mean over learners) at the start of each day; proficient = recall >= "
        f"{result.threshold:g} on day {result.horizon_days}\n\n"
    )
    out.write(simulation_table(result))
    out.write(
        f"\n  learner minutes: {result.learner_minutes:.1f} (mean); retained concept-days per learner hour: "
        f"{result.retained_concept_days_per_learner_hour:.1f}\n"
    )
    return EXIT_OK


def _cmd_sweep(args: argparse.Namespace, out: TextIO) -> int:
    from workbench._io import write_atomic
    from workbench.distributed import load_portfolio

    portfolio = load_portfolio(args.file)
    output = Path(args.output)
    if output.suffix != ".parquet":
        raise WorkbenchError(f"--output {output}: write the sweep to a .parquet file")
    from workbench.calibrate import CalibrationDraws

    cases = len(portfolio.journeys) * len(portfolio.plans) * len(portfolio.populations) * len(portfolio.seeds)
    calibrations = portfolio.calibrations(Path(args.file).parent)
    cases *= len(calibrations.draws) if isinstance(calibrations, CalibrationDraws) else len(calibrations or [None])
    with progress_bar("sweep", cases, quiet=args.json) as progress:
        frame = portfolio.run(Path(args.file).parent, scheduler=args.scheduler, progress=progress)
    import io

    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    write_atomic(output, buffer.getvalue())
    summary = (
        frame.groupby(["journey", "plan", "population", "day"], sort=False)[["retention", "proficiency", "minutes"]]
        .mean()
        .reset_index()
    )
    if args.json:
        print_json({"rows": len(frame), "simulations": cases, "output": str(output)}, out)
        return EXIT_OK
    out.write(
        f"{cases} simulations ({len(portfolio.seeds)} seed(s) each case; mean over seeds and draws), "
        f"{len(frame)} rows written to {output}\n\n"
    )
    out.write(summary.to_string(index=False, float_format=lambda v: f"{v:.3f}") + "\n")
    return EXIT_OK


def _cmd_fit(args: argparse.Namespace, out: TextIO) -> int:
    from workbench.memory import ForgettingCurveFit, compare_curves, fit_fsrs, load_recall_csv

    if args.model == "fsrs":
        import pandas as pd

        try:
            logs = pd.read_csv(args.file)
        except (OSError, ValueError) as exc:
            raise WorkbenchError(f"{args.file}: cannot read the review log: {exc}") from None
        parameters = fit_fsrs(logs)
        weights = [round(float(w), 6) for w in parameters.as_array()]
        if args.json:
            print_json({"model": "fsrs6", "parameters": weights}, out)
        else:
            out.write("FSRS-6 parameters (w0..w20):\n  " + ", ".join(f"{w:g}" for w in weights) + "\n")
        return EXIT_OK
    data = load_recall_csv(args.file)
    fit = ForgettingCurveFit(args.model).fit(data)
    comparison = compare_curves(data)
    summary = fit.summary()
    if args.json:
        print_json(
            {
                "model": args.model,
                "parameters": {k: float(v) for k, v in summary["estimate"].items()},
                "standard_errors": {k: float(v) for k, v in summary["std_error"].items()},
                "log_likelihood": float(fit.log_likelihood_),
                "aic": float(fit.aic_),
                "r2": float(fit.r2_),
                "n_obs": int(fit.n_obs_),
                "better_fit": comparison.best,
                "delta_aic": float(comparison.delta_aic),
            },
            out,
        )
        return EXIT_OK
    out.write(f"{args.model} forgetting curve fitted to {fit.n_obs_} observations in {args.file}\n")
    out.write(summary.to_string() + "\n")
    out.write(f"  log-likelihood {fit.log_likelihood_:.3f}, AIC {fit.aic_:.3f}, R^2 {fit.r2_:.3f}\n  {comparison}\n")
    return EXIT_OK


def _cmd_calibrate(args: argparse.Namespace, out: TextIO) -> int:
    from workbench.calibrate import calibrate, read_observations, validate_calibration
    from workbench.simulate import resolve_profile

    data = read_observations(args.file)
    base = resolve_profile(args.profile)
    if args.model != base.model:
        from workbench.simulate import MemoryProfile

        base = MemoryProfile(
            name=f"{args.model} defaults",
            title=f"{args.model} with its published defaults",
            model=args.model,
            memory_sigma=base.memory_sigma,
            effects=base.effects,
            source=f"defaults of the {args.model} model (workbench.memory)",
        )
    fit = tuple(p.strip() for p in args.fit.split(",") if p.strip()) if args.fit else None
    if args.bootstrap is not None and not 1 <= args.bootstrap <= 100_000:
        raise WorkbenchError(f"--bootstrap: {args.bootstrap} draws; give a number from 1 to 100000 (e.g. 200)")
    if args.seed < 0:
        raise WorkbenchError(f"--seed: {args.seed} is negative; give a seed >= 0")
    if args.scheduler and args.bootstrap is None:
        raise WorkbenchError("--scheduler: only the bootstrap draws run on Dask; add --bootstrap N")
    result = calibrate(data, profile=base, fit=fit, intervals=args.intervals)
    draws = None
    if args.bootstrap is not None:
        from workbench.calibrate import bootstrap_calibration

        with progress_bar("bootstrap", args.bootstrap, quiet=args.json, unit="draw") as progress:
            draws = bootstrap_calibration(
                data, args.bootstrap, rng=args.seed, calibration=result, scheduler=args.scheduler, progress=progress
            )
    validation = None
    if args.holdout:
        column, sep, values = args.holdout.partition("=")
        if not sep or not column.strip() or not values.strip():
            raise WorkbenchError(f"--holdout: {args.holdout!r} is not COLUMN=VALUES; use e.g. delay_days=350")
        validation = validate_calibration(
            data, {column.strip(): [v.strip() for v in values.split(",")]}, profile=base, fit=fit
        )
    written = (draws or result).save(args.output) if args.output else None
    if args.json:
        payload: dict[str, Any] = {"calibration": result.to_dict(), "written": str(written) if written else None}
        if draws is not None:
            payload["bootstrap"] = {
                **draws.to_dict(),
                "calibration": None,  # printed once, above
                "intervals": draws.intervals().reset_index().to_dict(orient="records"),
            }
        if validation is not None:
            payload["validation"] = validation.model_dump(mode="json", exclude={"calibration"})
        print_json(payload, out)
        return EXIT_OK
    out.write(result.summary_text())
    if draws is not None:
        out.write("\n" + draws.summary_text())
    if validation is not None:
        out.write("\n" + validation.summary_text())
    if written:
        out.write(f"wrote {written}; use it with --calibration {written}\n")
    return EXIT_OK


def add_commands(command: CommandAdder) -> None:
    """Add the simulation commands: simulate, sweep, fit, calibrate."""
    p = command("simulate", _cmd_simulate, "simulate retention of each concept for a learner population")
    p.add_argument("file", help="journey spec (.yaml, .yml or .json)")
    p.add_argument("--learners", type=int, default=1000, help="simulated learners (default 1000)")
    p.add_argument("--days", type=int, default=180, help="horizon in days (default 180)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--model", help="memory model: fsrs6, exponential, hlr, actr (default: the profile's)")
    profile_options(p)
    p.add_argument("--plan", help="reinforcement plan to apply first, e.g. expanding, fixed:7x4, deadline:90")
    p.add_argument("--scheduler", help="run learner blocks on Dask: 'local' or a scheduler address (tcp://host:8786)")
    p.add_argument("--json", action="store_true", help="machine-readable output")

    p = command(
        "sweep", _cmd_sweep, "simulate a portfolio (journeys x plans x populations x seeds) to one Parquet table"
    )
    p.add_argument("file", help="portfolio.yaml (see the README: journeys, plans, populations, seeds)")
    p.add_argument("--scheduler", help="run on Dask: 'local' or a scheduler address (default: this process)")
    p.add_argument("-o", "--output", required=True, help="Parquet file to write")
    p.add_argument("--json", action="store_true", help="machine-readable summary")

    p = command("fit", _cmd_fit, "fit a forgetting curve (or FSRS-6) to observed recall")
    p.add_argument("file", help="CSV: elapsed_days,recalled or elapsed_days,recall_rate,n (fsrs: a review log)")
    p.add_argument("--model", choices=["power", "exponential", "fsrs"], default="power", help="what to fit")
    p.add_argument("--json", action="store_true", help="machine-readable output")

    p = command("calibrate", _cmd_calibrate, "fit the memory profile to observed recall (events or grouped outcomes)")
    p.add_argument("file", help="CSV of per-learner events or grouped outcomes (shape detected from the columns)")
    p.add_argument("--model", default="fsrs6", help="memory model to calibrate (default fsrs6)")
    p.add_argument("--fit", help="comma-separated parameters to fit (default: the core ones the data inform)")
    p.add_argument("--profile", help="profile to start from; its values are the priors (default: workplace)")
    p.add_argument("--intervals", choices=["profile", "wald"], default="profile", help="95%% interval method")
    p.add_argument("--holdout", help="validate out of sample: COLUMN=V1,V2 rows held out and predicted")
    p.add_argument(
        "--bootstrap",
        type=int,
        metavar="N",
        help="also refit on N resampled data sets: bootstrap percentile intervals, and draws for 'sweep'",
    )
    p.add_argument("--seed", type=int, default=0, help="random seed of the bootstrap draws (default 0)")
    p.add_argument(
        "--scheduler", help="run the bootstrap draws on Dask: 'local' or a scheduler address (default: this process)"
    )
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument(
        "-o", "--output", help="write the calibration (.json, or .yaml/.yml; with --bootstrap, with its draws)"
    )
