"""The ``workbench`` command: thin over the core (parse, call, write, exit code).

Exit codes: 0 ok, 1 the journey has error-severity findings, 2 bad input or usage.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from workbench import __version__
from workbench.errors import WorkbenchError

__all__ = ["main"]

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2
APP_NOTEBOOK = "00_workbench_app.ipynb"


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors carry a hint and exit with code 2 (as argparse does)."""

    def error(self, message: str) -> Any:
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, f"workbench: error: {message} (see '{self.prog} --help')\n")


def _print_json(data: Any, out: TextIO) -> None:
    out.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


@contextmanager
def _progress_bar(
    desc: str, total: int | None, *, quiet: bool, unit: str = "simulation"
) -> Iterator[Callable[[int], None]]:
    """Yield a ``progress=`` callable drawing a tqdm bar of the ``unit`` done on stderr (none when ``quiet``)."""
    from tqdm import tqdm

    with tqdm(total=total, unit=unit, desc=desc, disable=quiet, file=sys.stderr) as bar:
        yield lambda done: bar.update(done - bar.n)


# ---- commands --------------------------------------------------------------------------


def _cmd_templates(args: argparse.Namespace, out: TextIO) -> int:
    from workbench.templates import list_templates, load_template

    rows: list[dict[str, Any]] = []
    for name in list_templates():
        journey = load_template(name)
        rows.append(
            {
                "name": name,
                "title": journey.title,
                "activities": len(journey.activities),
                "learner_minutes": journey.learner_minutes,
            }
        )
    if args.json:
        _print_json(rows, out)
    else:
        width = max(len(r["name"]) for r in rows)
        for row in rows:
            out.write(f"{row['name']:<{width}}  {row['title']}\n")
    return EXIT_OK


def _cmd_new(args: argparse.Namespace, out: TextIO) -> int:
    from workbench.spec import dump
    from workbench.templates import load_template

    target = Path(args.output)
    if target.exists() and not args.force:
        raise WorkbenchError(f"{target} exists; choose another file or pass --force to overwrite it")
    journey = load_template(args.template)
    dump(journey, target)
    out.write(f"wrote {target} from template {args.template} ({len(journey.activities)} activities)\n")
    return EXIT_OK


def _lint_findings(path: str) -> tuple[Any, Any]:
    from workbench.rules import lint
    from workbench.spec import load

    journey = load(path)
    return journey, lint(journey)


def _cmd_lint(args: argparse.Namespace, out: TextIO) -> int:
    from workbench.rules import has_errors

    journey, findings = _lint_findings(args.file)
    if args.json:
        _print_json({"file": args.file, "journey": journey.id, "findings": [f.to_dict() for f in findings]}, out)
    else:
        for finding in findings:
            where = finding.activity_id or finding.concept_id or journey.id
            out.write(f"{args.file}: {finding.severity} {finding.code} {finding.rule} [{where}]: {finding.message}\n")
        counts = {s: sum(1 for f in findings if f.severity == s) for s in ("error", "warning", "info")}
        out.write(
            f"{len(findings)} findings: {counts['error']} errors, {counts['warning']} warnings, {counts['info']} info\n"
        )
    return EXIT_FINDINGS if has_errors(findings) else EXIT_OK


def _cmd_show(args: argparse.Namespace, out: TextIO) -> int:
    from workbench.spec import load

    summary = load(args.file).summary()
    if args.json:
        _print_json(summary.to_dict(), out)
    else:
        out.write(summary.to_text())
    return EXIT_OK


def _cmd_schema(args: argparse.Namespace, out: TextIO) -> int:
    from workbench._io import write_atomic
    from workbench.spec import json_schema

    text = json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
    if args.output:
        write_atomic(args.output, text)
        out.write(f"wrote {args.output}\n")
    else:
        out.write(text)
    return EXIT_OK


def _cmd_demo(args: argparse.Namespace, out: TextIO) -> int:
    from workbench.rules import lint
    from workbench.templates import load_template

    journey = load_template(args.template)
    out.write(journey.summary().to_text())
    findings = lint(journey)
    out.write(f"\nDesign rules: {len(findings)} findings\n")
    for finding in findings:
        out.write(f"  {finding.severity:<7} {finding.code} {finding.message}\n")
    from workbench.simulate import simulate

    result = simulate(journey, rng=0, progress=False)
    out.write(f"\nSimulated retention, {result.n_learners} learners (FSRS-6, seed 0):\n")
    out.write(_simulation_table(result))
    out.write(f"\n  learner minutes: {result.learner_minutes:.1f} (mean)\n")
    return EXIT_OK


def _cmd_lab(args: argparse.Namespace, out: TextIO) -> int:
    folder = Path(args.dir)
    if not folder.is_dir():
        raise WorkbenchError(f"{folder}: no such folder; run from the project root or pass --dir")
    import importlib.util

    if importlib.util.find_spec("jupyterlab") is None:
        raise WorkbenchError("JupyterLab is not installed in this environment; run 'make lab'")
    # the same interpreter as this command, so the notebooks see this environment
    command = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={folder}"]
    if (folder / APP_NOTEBOOK).is_file():  # the interactive workbench is the first page designers see
        command.append(f"--LabApp.default_url=/lab/tree/{APP_NOTEBOOK}")
    if args.no_browser:
        command.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # containers and CI machines often run as root
        command.append("--allow-root")
    out.flush()
    os.execv(sys.executable, command)  # noqa: S606 - replaces this process with JupyterLab, by design
    return EXIT_OK  # pragma: no cover - execv does not return


def _simulation_table(result: Any) -> str:
    days = [d for d in (7, 30, 90) if d < result.horizon_days] + [result.horizon_days]
    head = f"  {'concept':<28}" + "".join(f"{'day ' + str(d):>9}" for d in days) + f"{'proficient':>12}"
    lines = [head]
    for concept in [*result.concept_ids, None]:
        label = concept or "all concepts (weighted)"
        cells = "".join(f"{result.retention(d, concept):>9.3f}" for d in days)
        lines.append(f"  {label:<28}{cells}{result.proficiency(result.horizon_days, concept=concept):>12.3f}")
    return "\n".join(lines) + "\n"


def _profile(args: argparse.Namespace) -> Any:
    """Resolve the memory profile the options choose: a calibration file, a profile name, or the default."""
    if getattr(args, "calibration", None):
        if getattr(args, "profile", None):
            raise WorkbenchError("--profile and --calibration: give one of them (a calibration is a fitted profile)")
        from workbench.calibrate import load_calibration

        return load_calibration(args.calibration)
    from workbench.simulate import resolve_profile

    return resolve_profile(getattr(args, "profile", None))


def _profile_line(profile: Any) -> str:
    return f"  memory profile: {profile.name} ({profile.title})\n"


def _cmd_simulate(args: argparse.Namespace, out: TextIO) -> int:
    from workbench.simulate import LearnerPopulation, simulate
    from workbench.spec import load

    journey = load(args.file)
    plan = None
    if args.plan:
        from workbench.plans import parse_plan

        plan = parse_plan(args.plan)
    chosen = _profile(args)
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
        _print_json({**result.metrics(), "memory_profile": result.assumptions["memory_profile"]}, out)
        return EXIT_OK
    out.write(
        f"{journey.title}{f' + plan {plan.label}' if plan is not None else ''}: {result.n_learners} learners, "
        f"model {result.model_name}, seed {result.seed}\n"
        + _profile_line(chosen.profile if hasattr(chosen, "parameters") else chosen)
        + f"  recall probability (mean over learners) at the start of each day; proficient = recall >= "
        f"{result.threshold:g} on day {result.horizon_days}\n\n"
    )
    out.write(_simulation_table(result))
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
    with _progress_bar("sweep", cases, quiet=args.json) as progress:
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
        _print_json({"rows": len(frame), "simulations": cases, "output": str(output)}, out)
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
            _print_json({"model": "fsrs6", "parameters": weights}, out)
        else:
            out.write("FSRS-6 parameters (w0..w20):\n  " + ", ".join(f"{w:g}" for w in weights) + "\n")
        return EXIT_OK
    data = load_recall_csv(args.file)
    fit = ForgettingCurveFit(args.model).fit(data)
    comparison = compare_curves(data)
    summary = fit.summary()
    if args.json:
        _print_json(
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


_FORMAT_ALIASES = {"scorm": "scorm2004"}


def _export_options(args: argparse.Namespace, fmt: str) -> dict[str, Any]:
    import datetime as dt

    from workbench.errors import ExportError
    from workbench.export import cohort_options

    start: dt.date | None = None
    if args.start:
        try:
            start = dt.date.fromisoformat(args.start)
        except ValueError:
            raise WorkbenchError(f"--start: {args.start!r} is not a date; use YYYY-MM-DD, e.g. 2026-03-02") from None
    if start is None and fmt == "ics":
        raise WorkbenchError("--start is required for ics: the calendar needs a cohort start date (YYYY-MM-DD)")
    if fmt == "xapi":
        start = start or dt.date(2026, 1, 5)  # sample statements need some cohort start
    try:
        options = cohort_options(fmt, start=start, tz=args.tz, course_iri=args.course_iri)
    except ExportError as exc:  # the one setting it checks is the time zone: "tz: ..." -> "--tz: ..."
        raise WorkbenchError(f"--{exc}") from None
    if fmt == "xapi":
        options.update(learners=args.learners, rng=args.seed)
    return options


def _cmd_export(args: argparse.Namespace, out: TextIO) -> int:
    from workbench.export import FORMATS, write_export
    from workbench.export.validate import validate
    from workbench.spec import load

    fmt = _FORMAT_ALIASES.get(args.format, args.format)
    if fmt not in FORMATS:
        raise WorkbenchError(f"--format: unknown format {args.format!r}; formats: {', '.join(sorted(FORMATS))}")
    journey = load(args.file)
    path = write_export(journey, fmt, args.output, **_export_options(args, fmt))
    problems = validate(path.read_bytes(), fmt)
    out.write(f"wrote {path} ({fmt}, {path.stat().st_size} bytes)\n")
    if problems:
        for problem in problems:
            out.write(f"  invalid: {problem}\n")
        return EXIT_FINDINGS
    out.write("  valid\n")
    return EXIT_OK


def _cmd_convert(args: argparse.Namespace, out: TextIO) -> int:
    from workbench._io import write_atomic
    from workbench.convert import convert
    from workbench.rules import Severity, lint
    from workbench.spec import dumps

    targets = [Path(args.output)] + ([Path(args.report)] if args.report else [])
    for target in targets:
        if target.suffix.lower() not in (".yaml", ".yml", ".json", ".html", ".htm"):
            raise WorkbenchError(f"{target}: write the draft as .yaml/.json and the report as .html")
        if target.exists() and not args.force:
            raise WorkbenchError(f"{target} exists; choose another file or pass --force to overwrite it")
    report = convert(
        args.sources, anchor=args.anchor, plan=args.plan, profile=_profile(args), max_concepts=args.max_concepts
    )
    journey = report.draft.journey
    # everything is built before anything is written: a refusal leaves no file behind
    spec_text = dumps(journey, "json" if targets[0].suffix.lower() == ".json" else "yaml")
    html = report.to_html() if args.report else None
    write_atomic(targets[0], spec_text)
    if html is not None:
        write_atomic(targets[1], html)
    findings = lint(journey)
    errors = [f for f in findings if f.severity is Severity.ERROR]
    summary: dict[str, Any] = {
        "draft": str(targets[0]),
        "report": str(targets[1]) if args.report else None,
        "concepts": [c.name for c in report.draft.analysis.concepts],
        "assets": len(report.draft.proposals),
        "segments": report.counts(),
        "minutes": report.minutes(),
        "decisions": list(report.draft.decisions),
        "lint_errors": len(errors),
        "plan": report.draft.plan,
        "memory_profile": report.draft.profile.describe(),
    }
    if args.json:
        _print_json(summary, out)
    else:
        counts, minutes = report.counts(), report.minutes()
        out.write(f"wrote {targets[0]}: {summary['assets']} draft assets for {len(summary['concepts'])} concepts\n")
        out.write(f"  reinforcement plan: {report.draft.plan}\n" + _profile_line(report.draft.profile))
        out.write(f"  concepts: {', '.join(summary['concepts'])}\n")
        out.write(
            f"  segments: {counts['kept']} kept, {counts['merged']} merged, {counts['dropped']} dropped; "
            f"learner minutes {minutes['source_min']:g} in the sources, {minutes['journey_min']:g} in the draft\n"
        )
        if html is not None:
            out.write(f"wrote {targets[1]} (conversion report)\n")
        out.write("needs your decision:\n" + "".join(f"  - {d}\n" for d in report.draft.decisions))
    return EXIT_FINDINGS if errors else EXIT_OK


def _plan_population(learners: int) -> Any:
    from workbench.simulate import LearnerPopulation

    if learners < 1:
        raise WorkbenchError(f"--learners: must be at least 1 (got {learners})")
    return LearnerPopulation(size=learners)


def _cmd_plan(args: argparse.Namespace, out: TextIO) -> int:
    from workbench.plans import optimise
    from workbench.spec import dump, load

    journey = load(args.file)
    with _progress_bar("plan", None, quiet=args.json) as progress:
        result = optimise(
            journey,
            target=args.target,
            on_day=args.on_day,
            budget_min=args.budget_min,
            population=_plan_population(args.learners),
            rng=args.seed,
            metric=args.metric,
            profile=_profile(args),
            scheduler=args.scheduler,
            progress=progress,
        )
    written = dump(result.apply(journey), args.output) if args.output and result.reachable else None
    if args.json:
        _print_json({"file": args.file, **result.to_dict(), "written": str(written) if written else None}, out)
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
    with _progress_bar("compare", len(plans), quiet=args.json) as progress:
        result = compare(
            journey,
            plans,
            population=_plan_population(args.learners),
            rng=args.seed,
            days=days,
            deadline_day=args.deadline_day,
            profile=(chosen := _profile(args)),
            scheduler=args.scheduler,
            progress=progress,
        )
    if args.json:
        _print_json({"file": args.file, "journey": journey.id, **result.to_dict()}, out)
        return EXIT_OK
    summary = result.summary
    width = max(12, *(len(label) + 2 for label in summary.index))
    out.write(
        f"{journey.title}: {args.learners} learners, seed {result.seed}, same random numbers for every plan\n"
        + _profile_line(chosen.profile if hasattr(chosen, "parameters") else chosen)
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
    import datetime as dt

    from workbench._io import write_atomic
    from workbench.report import find_chromium, html_to_pdf, review_journey
    from workbench.simulate import LearnerPopulation
    from workbench.spec import load

    if args.learners < 1:
        raise WorkbenchError(f"--learners: must be at least 1 (got {args.learners})")
    generated = None
    if args.date:
        try:
            generated = dt.date.fromisoformat(args.date)
        except ValueError:
            raise WorkbenchError(f"--date: {args.date!r} is not a date; use YYYY-MM-DD, e.g. 2026-03-02") from None
    target = Path(args.output)
    pdf_only = target.suffix.lower() == ".pdf"
    chromium = find_chromium(args.chromium) if args.pdf or pdf_only else None  # fail before simulating
    journey = load(args.file)
    review = review_journey(
        journey,
        plans=args.plans,
        target=args.target,
        on_day=args.on_day,
        population=LearnerPopulation(size=args.learners),
        rng=args.seed,
        model=args.model,
        metric=args.metric,
        frontier=not args.no_frontier,
        source=args.file,
        profile=_profile(args),
    )
    page = review.to_html(generated=generated)
    written = [] if pdf_only else [write_atomic(target, page)]
    if chromium is not None:
        written.append(html_to_pdf(page, target.with_suffix(".pdf"), chromium=chromium))
    out.write(review.text())
    for path in written:
        out.write(f"wrote {path} ({path.stat().st_size} bytes)\n")
    return EXIT_OK


def _cmd_analytics(args: argparse.Namespace, out: TextIO) -> int:
    import datetime as dt
    import os

    import pandas as pd

    from workbench._io import write_atomic
    from workbench.analytics import observe, read_lrs, read_statements
    from workbench.report.analytics import analytics_report, build_analytics
    from workbench.spec import load

    if not args.statements and not args.lrs:
        raise WorkbenchError("give statement files (JSON or NDJSON, gzip or not) or --lrs URL")
    if args.statements and args.lrs:
        raise WorkbenchError("give statement files or --lrs, not both")
    salt = None
    if args.pseudonymise_env:
        salt = os.environ.get(args.pseudonymise_env)
        if not salt:
            raise WorkbenchError(
                f"--pseudonymise-env: the variable {args.pseudonymise_env} is not set (it holds the salt)"
            )
    start = None
    if args.start:
        try:
            start = dt.date.fromisoformat(args.start)
        except ValueError:
            raise WorkbenchError(f"--start: {args.start!r} is not a date; use YYYY-MM-DD, e.g. 2026-03-02") from None

    def table(path: str | None, option: str) -> pd.DataFrame | None:
        if path is None:
            return None
        try:
            return pd.read_csv(path)
        except (OSError, ValueError) as exc:
            raise WorkbenchError(f"{option}: {path}: cannot be read as CSV ({exc})") from None

    moments, performance = table(args.moments, "--moments"), table(args.performance, "--performance")
    journey = load(args.journey)
    if args.lrs:
        ingest = read_lrs(args.lrs, rejects=args.rejects, pseudonymise=salt)
    else:
        ingest = read_statements(args.statements, rejects=args.rejects, pseudonymise=salt)
    delivery = observe(ingest, journey, start=start, tz=args.tz, source=args.lrs or ", ".join(args.statements))
    result = None
    if not args.no_simulation:
        from workbench.simulate import LearnerPopulation, simulate

        horizon = int(min(3650, max(1, delivery.accesses["day"].max() + 1)))
        result = simulate(
            journey,
            population=LearnerPopulation(size=delivery.cohort_size),
            rng=args.seed,
            trace=True,
            horizon_days=horizon,
            progress=False,
        )
    report = build_analytics(delivery, ingest=ingest, result=result, moments=moments, performance=performance)
    target = write_atomic(args.output, analytics_report(report))
    out.write(report.text())
    rejected = sum(ingest.rejected.values())
    out.write(f"{ingest.read} statements read, {ingest.kept} kept, {rejected} rejected")
    out.write(f" (see {args.rejects})\n" if rejected and args.rejects else "\n")
    out.write(f"wrote {target} ({target.stat().st_size} bytes)\n")
    return EXIT_OK


# ---- parser ----------------------------------------------------------------------------

Command = Callable[[argparse.Namespace, TextIO], int]


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser (exposed for the docs and tests)."""
    parser = _Parser(prog="workbench", description="Compose, check, simulate and export blended learning journeys.")
    parser.add_argument("--version", action="version", version=f"workbench {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    def command(name: str, func: Command, help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.set_defaults(func=func)
        return p

    for add_commands in (_journey_commands, _simulation_commands, _plan_commands, _delivery_commands):
        add_commands(command)
    return parser


CommandAdder = Callable[[str, Command, str], argparse.ArgumentParser]


def _journey_commands(command: CommandAdder) -> None:
    """Add the journey spec commands: templates, new, lint, show, schema, demo, lab."""
    p = command("templates", _cmd_templates, "list the journey templates")
    p.add_argument("--json", action="store_true", help="machine-readable output")

    p = command("new", _cmd_new, "start a journey spec from a template")
    p.add_argument("--template", required=True, help="template name (see 'workbench templates')")
    p.add_argument("-o", "--output", required=True, help="spec file to write (.yaml or .json)")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")

    p = command("lint", _cmd_lint, "check a journey spec against the design rules")
    p.add_argument("file", help="journey spec (.yaml, .yml or .json)")
    p.add_argument("--json", action="store_true", help="machine-readable output")

    p = command("show", _cmd_show, "summarise a journey: layers, minutes, concept coverage")
    p.add_argument("file", help="journey spec (.yaml, .yml or .json)")
    p.add_argument("--json", action="store_true", help="machine-readable output")

    p = command("schema", _cmd_schema, "print the JSON Schema of journey spec files")
    p.add_argument("-o", "--output", help="write the schema to this file instead")

    p = command("demo", _cmd_demo, "headless demo: summarise, check and simulate a template journey")
    p.add_argument("--template", default="post_training_retention", help="template to show")

    p = command("lab", _cmd_lab, "open JupyterLab on the designer's notebooks")
    p.add_argument("--dir", default="notebooks", help="folder of notebooks (default: notebooks)")
    p.add_argument("--no-browser", action="store_true", help="do not open a browser")


def _simulation_commands(command: CommandAdder) -> None:
    """Add the simulation commands: simulate, sweep, fit, calibrate."""
    p = command("simulate", _cmd_simulate, "simulate retention of each concept for a learner population")
    p.add_argument("file", help="journey spec (.yaml, .yml or .json)")
    p.add_argument("--learners", type=int, default=1000, help="simulated learners (default 1000)")
    p.add_argument("--days", type=int, default=180, help="horizon in days (default 180)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--model", help="memory model: fsrs6, exponential, hlr, actr (default: the profile's)")
    _profile_options(p)
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


def _plan_commands(command: CommandAdder) -> None:
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
    _profile_options(p)
    _scheduler_option(p)

    p = command("compare", _cmd_compare, "compare reinforcement plans with common random numbers")
    p.add_argument("file", help="journey spec (.yaml, .yml or .json)")
    p.add_argument("--plans", default="none,expanding,fixed:7x4,target:0.85", help="comma-separated plans (see docs)")
    p.add_argument("--days", default="7,30,90", help="days to report retention on (default 7,30,90)")
    p.add_argument("--deadline-day", type=int, help="day of the proficiency rate (default: the last of --days)")
    p.add_argument("--learners", type=int, default=1000, help="simulated learners (default 1000)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    _profile_options(p)
    _scheduler_option(p)

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
    _profile_options(p)
    p.add_argument("--no-frontier", action="store_true", help="skip the learner-time / retention frontier")
    p.add_argument("--date", help="date printed as 'prepared' (YYYY-MM-DD; none by default)")
    p.add_argument("-o", "--output", required=True, help="HTML file to write (a .pdf name writes only the PDF)")
    p.add_argument("--pdf", action="store_true", help="also write the report as PDF (same name, .pdf), via Chromium")
    p.add_argument("--chromium", help="Chromium executable for --pdf (default $CHROMIUM or /usr/bin/chromium)")


def _delivery_commands(command: CommandAdder) -> None:
    """Add the delivery commands: export, analytics, convert."""
    p = command("export", _cmd_export, "export a journey for delivery systems (validated)")
    p.add_argument("file", help="journey spec (.yaml, .yml or .json)")
    p.add_argument("--format", required=True, help="json, cmi5, cmi5-xml, scorm, xapi, xapi-templates, ics, csv")
    p.add_argument("-o", "--output", required=True, help="file to write")
    p.add_argument("--start", help="cohort start date YYYY-MM-DD (ics, csv, xapi)")
    p.add_argument("--tz", help="IANA time zone of the cohort, e.g. Europe/Paris (default UTC)")
    p.add_argument("--course-iri", help="IRI of the course (cmi5, xapi, ics)")
    p.add_argument("--learners", type=int, default=5, help="learners in the sample cohort (xapi)")
    p.add_argument("--seed", type=int, default=0, help="random seed of the sample cohort (xapi)")

    p = command(
        "analytics",
        _cmd_analytics,
        "read delivered xAPI statements against the journey's purposes: HTML report",
    )
    p.add_argument("statements", nargs="*", help="statement files: JSON array or NDJSON, optionally .gz")
    p.add_argument("--journey", required=True, help="the journey spec (.yaml or .json) that was delivered")
    p.add_argument("-o", "--output", required=True, help="HTML report to write")
    p.add_argument("--lrs", help="pull from an LRS's xAPI endpoint instead (credentials: WORKBENCH_LRS_USER/_PASSWORD)")
    p.add_argument("--rejects", help="NDJSON file for the invalid statements, each with its reason")
    p.add_argument("--pseudonymise-env", help="environment variable holding a salt: learners become salted hashes")
    p.add_argument("--start", help="day 0 of the cohort (YYYY-MM-DD; inferred from the data by default)")
    p.add_argument("--tz", default="UTC", help="the cohort's IANA time zone (default UTC)")
    p.add_argument("--moments", help="CSV of work moments: date[,learner,label]")
    p.add_argument("--performance", help="CSV of performance: learner,concept,value")
    p.add_argument("--seed", type=int, default=0, help="seed of the simulation shown next to the data (default 0)")
    p.add_argument("--no-simulation", action="store_true", help="skip observed vs simulated")

    p = command(
        "convert",
        _cmd_convert,
        "convert legacy training (decks, documents, transcripts, packages) into a draft journey",
    )
    p.add_argument(
        "sources", nargs="+", help=".pptx .docx .md .html .pdf .vtt .srt files, or SCORM / cmi5 package .zip"
    )
    p.add_argument("-o", "--output", required=True, help="draft journey spec to write (.yaml or .json)")
    p.add_argument("--report", help="also write the conversion report (self-contained .html)")
    p.add_argument(
        "--anchor", choices=["keep", "replace"], default="keep", help="keep the formal event as a core, or replace it"
    )
    p.add_argument("--plan", default="expanding:2,5,14,30", help="reinforcement plan of the draft")
    _profile_options(p)
    p.add_argument("--max-concepts", type=int, default=8, help="most concepts to propose (default 8)")
    p.add_argument("--force", action="store_true", help="overwrite existing files")
    p.add_argument("--json", action="store_true", help="machine-readable summary")


def _profile_options(p: argparse.ArgumentParser) -> None:
    # Names spelled out rather than imported: the parser stays cheap to build (a test keeps them complete).
    p.add_argument("--profile", help="memory profile: workplace (default), workplace-spacing or flashcards")
    p.add_argument("--calibration", help="calibration file written by 'workbench calibrate' (instead of --profile)")


def _scheduler_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--scheduler", help="simulate the plans as Dask tasks: 'local' or a scheduler address (default: this process)"
    )


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

        with _progress_bar("bootstrap", args.bootstrap, quiet=args.json, unit="draw") as progress:
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
        _print_json(payload, out)
        return EXIT_OK
    out.write(result.summary_text())
    if draws is not None:
        out.write("\n" + draws.summary_text())
    if validation is not None:
        out.write("\n" + validation.summary_text())
    if written:
        out.write(f"wrote {written}; use it with --calibration {written}\n")
    return EXIT_OK


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the command line; returns the exit code."""
    stream = out or sys.stdout
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args, stream))
    except WorkbenchError as exc:
        sys.stderr.write(f"workbench: error: {exc}\n")
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:  # pragma: no cover
        sys.stderr.write("workbench: interrupted\n")
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
