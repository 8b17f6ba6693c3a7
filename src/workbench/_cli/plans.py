"""The plan commands: plan, compare, report."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from workbench._cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    CommandAdder,
    chosen_profile,
    iso_date,
    plan_population,
    print_json,
    profile_line,
    profile_options,
    progress_bar,
    scheduler_option,
)
from workbench.errors import WorkbenchError


def _cmd_plan(args: argparse.Namespace, out: TextIO) -> int:
    from workbench.plans import optimise
    from workbench.spec import dump, load

    journey = load(args.file)
    with progress_bar("plan", None, quiet=args.json) as progress:
        result = optimise(
            journey,
            target=args.target,
            on_day=args.on_day,
            budget_min=args.budget_min,
            population=plan_population(args.learners),
            rng=args.seed,
            metric=args.metric,
            profile=chosen_profile(args),
            scheduler=args.scheduler,
            progress=progress,
        )
    written = dump(result.apply(journey), args.output) if args.output and result.reachable else None
    if args.json:
        print_json({"file": args.file, **result.to_dict(), "written": str(written) if written else None}, out)
        return EXIT_OK if result.reachable else EXIT_FINDINGS
    verdict = "reachable" if result.reachable else "NOT REACHABLE"
    out.write(
        f"{journey.title}: target {result.target:g} {result.metric} on day {result.on_day} is {verdict}\n"
        f"  plan: {result.plan.label}\n  why:  {result.reason}\n"
        f"  learner minutes: {result.learner_minutes:.1f} (mean, whole journey); the plan schedules "
        f"{result.plan_minutes:g} min per learner\n\n"
        f"  {'candidate':<22}{'touches':>8}{'plan min':>10}{'achieved':>10}  meets\n"
    )
    for row in result.candidates.itertuples(index=False):
        mark = "yes" if row.meets_target and row.within_budget else "no"
        out.write(f"  {row.label:<22}{row.touches:>8}{row.plan_minutes:>10g}{row.achieved:>10.3f}  {mark}\n")
    out.write(f"\n  {result.simulations} simulations, {args.learners} learners, seed {result.seed}\n")
    if written:
        out.write(f"wrote {written} with plan {result.plan.label}\n")
    elif args.output:
        out.write(f"nothing written to {args.output}: the target is not reachable\n")
    return EXIT_OK if result.reachable else EXIT_FINDINGS


def _cmd_compare(args: argparse.Namespace, out: TextIO) -> int:
    from workbench.plans import compare, parse_plans
    from workbench.spec import load

    journey = load(args.file)
    try:
        days = tuple(int(d) for d in args.days.split(","))
    except ValueError:
        raise WorkbenchError(f"--days: {args.days!r} is not a list of days; use e.g. 7,30,90") from None
    plans = parse_plans(args.plans)
    with progress_bar("compare", len(plans), quiet=args.json) as progress:
        result = compare(
            journey,
            plans,
            population=plan_population(args.learners),
            rng=args.seed,
            days=days,
            deadline_day=args.deadline_day,
            profile=(chosen := chosen_profile(args)),
            scheduler=args.scheduler,
            progress=progress,
        )
    if args.json:
        print_json({"file": args.file, "journey": journey.id, **result.to_dict()}, out)
        return EXIT_OK
    summary = result.summary
    width = max(12, *(len(label) + 2 for label in summary.index))
    out.write(
        f"{journey.title}: {args.learners} learners, seed {result.seed}, same random numbers for every plan\n"
        + profile_line(chosen.profile if hasattr(chosen, "parameters") else chosen)
        + f"  retention = mean recall at the start of the day; proficient = recall >= 0.8 on day "
        f"{result.deadline_day}\n\n"
    )
    head = f"  {'plan':<{width}}{'touches':>8}{'plan min':>9}{'learner min':>12}"
    head += "".join(f"{'day ' + str(d):>8}" for d in result.days) + f"{'proficient':>11}{'+/-':>7}{'c-d/h':>8}"
    out.write(head + "\n")
    for label, row in summary.iterrows():
        plan = str(label)
        cells = "".join(f"{result.retention(plan, d):>8.3f}" for d in result.days)
        out.write(
            f"  {plan:<{width}}{int(row['touches']):>8}{row['plan_minutes']:>9g}{row['learner_minutes']:>12.1f}"
            f"{cells}{result.proficiency(plan):>11.3f}{row['proficiency_se']:>7.3f}"
            f"{row['retained_concept_days_per_learner_hour']:>8.1f}\n"
        )
    out.write(
        f"\n  most proficient on day {result.deadline_day}: {result.highest_proficiency()} "
        "(c-d/h: retained concept-days per learner hour)\n"
    )
    return EXIT_OK


def _cmd_report(args: argparse.Namespace, out: TextIO) -> int:

    from workbench._io import write_atomic
    from workbench.report import find_chromium, html_to_pdf, review_journey
    from workbench.spec import load

    population = plan_population(args.learners)
    generated = iso_date(args.date, "--date") if args.date else None
    target = Path(args.output)
    pdf_only = target.suffix.lower() == ".pdf"
    chromium = find_chromium(args.chromium) if args.pdf or pdf_only else None  # fail before simulating
    journey = load(args.file)
    review = review_journey(
        journey,
        plans=args.plans,
        target=args.target,
        on_day=args.on_day,
        population=population,
        rng=args.seed,
        model=args.model,
        metric=args.metric,
        frontier=not args.no_frontier,
        source=args.file,
        profile=chosen_profile(args),
    )
    page = review.to_html(generated=generated)
    written = [] if pdf_only else [write_atomic(target, page)]
    if chromium is not None:
        written.append(html_to_pdf(page, target.with_suffix(".pdf"), chromium=chromium))
    out.write(review.text())
    for path in written:
        out.write(f"wrote {path} ({path.stat().st_size} bytes)\n")
    return EXIT_OK


def add_commands(command: CommandAdder) -> None:
    """Add the plan commands: plan, compare, report."""
    p = command("plan", _cmd_plan, "choose the reinforcement plan that reaches a target on a date for the least time")
    p.add_argument("file", help="journey spec (.yaml, .yml or .json)")
    p.add_argument("--target", type=float, default=0.8, help="share of learners proficient (default 0.8)")
    p.add_argument("--on-day", type=int, default=90, help="the day that matters: go-live, audit, exam (default 90)")
    p.add_argument("--budget-min", type=float, help="most minutes per learner the plan may add")
    p.add_argument(
        "--metric", choices=["proficiency", "retention"], default="proficiency", help="what the target is on"
    )
    p.add_argument("--learners", type=int, default=1000, help="simulated learners (default 1000)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("-o", "--output", help="write the journey with the chosen plan to this spec file")
    profile_options(p)
    scheduler_option(p)

    p = command("compare", _cmd_compare, "compare reinforcement plans with common random numbers")
    p.add_argument("file", help="journey spec (.yaml, .yml or .json)")
    p.add_argument("--plans", default="none,expanding,fixed:7x4,target:0.85", help="comma-separated plans (see docs)")
    p.add_argument("--days", default="7,30,90", help="days to report retention on (default 7,30,90)")
    p.add_argument("--deadline-day", type=int, help="day of the proficiency rate (default: the last of --days)")
    p.add_argument("--learners", type=int, default=1000, help="simulated learners (default 1000)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    profile_options(p)
    scheduler_option(p)

    p = command("report", _cmd_report, "write a strategy review of a journey: one self-contained HTML (or PDF) file")
    p.add_argument("file", help="journey spec (.yaml, .yml or .json)")
    p.add_argument("--plans", help="comma-separated plans to compare (default none,expanding,fixed:7x4,deadline:DAY)")
    p.add_argument("--target", type=float, help="target on --on-day; the least-time plan reaching it is recommended")
    p.add_argument("--on-day", type=int, default=90, help="the day that matters: go-live, audit, exam (default 90)")
    p.add_argument(
        "--metric", choices=["proficiency", "retention"], default="proficiency", help="what the target is on"
    )
    p.add_argument("--learners", type=int, default=1000, help="simulated learners (default 1000)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--model", help="memory model: fsrs6, exponential, hlr, actr (default: the profile's)")
    profile_options(p)
    p.add_argument("--no-frontier", action="store_true", help="skip the learner-time / retention frontier")
    p.add_argument("--date", help="date printed as 'prepared' (YYYY-MM-DD; none by default)")
    p.add_argument("-o", "--output", required=True, help="HTML file to write (a .pdf name writes only the PDF)")
    p.add_argument("--pdf", action="store_true", help="also write the report as PDF (same name, .pdf), via Chromium")
    p.add_argument("--chromium", help="Chromium executable for --pdf (default $CHROMIUM or /usr/bin/chromium)")
