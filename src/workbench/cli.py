"""The ``workbench`` command: thin over the core (parse, call, write, exit code).

Exit codes: 0 ok, 1 the journey has error-severity findings, 2 bad input or usage.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from workbench.errors import WorkbenchError

__all__ = ["main"]

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors carry a hint and exit with code 2 (as argparse does)."""

    def error(self, message: str) -> Any:
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, f"workbench: error: {message} (see '{self.prog} --help')\n")


def _print_json(data: Any, out: TextIO) -> None:
    out.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


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
        _print_json(
            {"file": args.file, "journey": journey.id, "findings": [f.to_dict() for f in findings]}, out
        )
    else:
        for finding in findings:
            where = finding.activity_id or finding.concept_id or journey.id
            out.write(
                f"{args.file}: {finding.severity} {finding.code} {finding.rule} [{where}]: "
                f"{finding.message}\n"
            )
        counts = {s: sum(1 for f in findings if f.severity == s) for s in ("error", "warning", "info")}
        out.write(
            f"{len(findings)} findings: {counts['error']} errors, {counts['warning']} warnings, "
            f"{counts['info']} info\n"
        )
    return EXIT_FINDINGS if has_errors(findings) else EXIT_OK


def _format_summary(summary: dict[str, Any]) -> str:
    lines = [
        f"{summary['title']}  ({summary['id']} v{summary['version']})",
        f"  {summary['activities']} activities ({summary['formal']} formal, {summary['micro']} micro), "
        f"{summary['concepts']} concepts, {summary['learner_minutes']:g} learner minutes, "
        f"spanning {summary['span_days']:g} days",
        "",
        f"  {'layer':<8} {'activities':>10} {'minutes':>8}",
    ]
    for layer, row in summary["layers"].items():
        lines.append(f"  {layer:<8} {row['activities']:>10} {row['minutes']:>8g}")
    lines += ["", f"  {'concept':<28} {'activities':>10}  effects"]
    for concept_id, row in summary["coverage"].items():
        effects = ", ".join(row["effects"]) or "NOT COVERED"
        lines.append(f"  {concept_id:<28} {row['activities']:>10}  {effects}")
    return "\n".join(lines) + "\n"


def _cmd_show(args: argparse.Namespace, out: TextIO) -> int:
    from workbench.spec import load

    summary = load(args.file).summary()
    if args.json:
        _print_json(summary, out)
    else:
        out.write(_format_summary(summary))
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
    out.write(_format_summary(journey.summary()))
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
    jupyter = shutil.which("jupyter-lab") or shutil.which("jupyter")
    if jupyter is None:
        raise WorkbenchError("JupyterLab is not installed in this environment; run 'make lab'")
    command = [jupyter] + (["lab"] if jupyter.endswith("jupyter") else [])
    command += [f"--notebook-dir={folder}"]
    if args.no_browser:
        command.append("--no-browser")
    out.flush()
    os.execv(jupyter, command)  # noqa: S606 - replaces this process with JupyterLab, by design
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


def _cmd_simulate(args: argparse.Namespace, out: TextIO) -> int:
    from workbench.simulate import LearnerPopulation, simulate
    from workbench.spec import load

    journey = load(args.file)
    result = simulate(
        journey,
        population=LearnerPopulation(size=args.learners),
        model=args.model,
        horizon_days=args.days,
        rng=args.seed,
        progress=False if args.json else None,
    )
    if args.json:
        _print_json(result.metrics(), out)
        return EXIT_OK
    out.write(
        f"{journey.title}: {result.n_learners} learners, model {result.model_name}, seed {result.seed}\n"
        f"  recall probability (mean over learners) at the start of each day; proficient = recall >= "
        f"{result.threshold:g} on day {result.horizon_days}\n\n"
    )
    out.write(_simulation_table(result))
    out.write(
        f"\n  learner minutes: {result.learner_minutes:.1f} (mean); retained concept-days per learner hour: "
        f"{result.retained_concept_days_per_learner_hour:.1f}\n"
    )
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
    out.write(
        f"  log-likelihood {fit.log_likelihood_:.3f}, AIC {fit.aic_:.3f}, R^2 {fit.r2_:.3f}\n  {comparison}\n"
    )
    return EXIT_OK


_FORMAT_ALIASES = {"scorm": "scorm2004"}


def _export_options(args: argparse.Namespace, fmt: str) -> dict[str, Any]:
    import datetime as dt

    start: dt.date | None = None
    if args.start:
        try:
            start = dt.date.fromisoformat(args.start)
        except ValueError:
            raise WorkbenchError(
                f"--start: {args.start!r} is not a date; use YYYY-MM-DD, e.g. 2026-03-02"
            ) from None
    options: dict[str, Any] = {}
    if fmt in ("ics", "csv"):
        if start is None and fmt == "ics":
            raise WorkbenchError(
                "--start is required for ics: the calendar needs a cohort start date (YYYY-MM-DD)"
            )
        if start is not None:
            options["start"] = start
            options["tz"] = args.tz or "UTC"
    if fmt == "xapi":
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            zone = ZoneInfo(args.tz or "UTC")
        except (ZoneInfoNotFoundError, ValueError):
            raise WorkbenchError(
                f"--tz: unknown time zone {args.tz!r}; use an IANA name such as Europe/Paris"
            ) from None
        day = start or dt.date(2026, 1, 5)
        options["start"] = dt.datetime(day.year, day.month, day.day, 9, 0, tzinfo=zone)
        options["learners"] = args.learners
        options["rng"] = args.seed
    if args.course_iri and fmt in ("cmi5", "cmi5-xml", "xapi", "xapi-templates", "ics"):
        options["course_iri"] = args.course_iri
    return options


def _cmd_export(args: argparse.Namespace, out: TextIO) -> int:
    from workbench.export import FORMATS, write_export
    from workbench.export.validate import validate
    from workbench.spec import load

    fmt = _FORMAT_ALIASES.get(args.format, args.format)
    if fmt not in FORMATS:
        raise WorkbenchError(
            f"--format: unknown format {args.format!r}; formats: {', '.join(sorted(FORMATS))}"
        )
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


# ---- parser ----------------------------------------------------------------------------

Command = Callable[[argparse.Namespace, TextIO], int]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for the docs and tests)."""
    parser = _Parser(
        prog="workbench", description="Compose, check, simulate and export blended learning journeys."
    )
    parser.add_argument("--version", action="version", version=f"workbench {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    def command(name: str, func: Command, help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.set_defaults(func=func)
        return p

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

    p = command("demo", _cmd_demo, "headless demo: summarise and check a template journey")
    p.add_argument("--template", default="post_training_retention", help="template to show")

    p = command("simulate", _cmd_simulate, "simulate retention of each concept for a learner population")
    p.add_argument("file", help="journey spec (.yaml, .yml or .json)")
    p.add_argument("--learners", type=int, default=1000, help="simulated learners (default 1000)")
    p.add_argument("--days", type=int, default=180, help="horizon in days (default 180)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--model", default="fsrs6", help="memory model: fsrs6, exponential, hlr, actr")
    p.add_argument("--json", action="store_true", help="machine-readable output")

    p = command("fit", _cmd_fit, "fit a forgetting curve (or FSRS-6) to observed recall")
    p.add_argument(
        "file", help="CSV: elapsed_days,recalled or elapsed_days,recall_rate,n (fsrs: a review log)"
    )
    p.add_argument("--model", choices=["power", "exponential", "fsrs"], default="power", help="what to fit")
    p.add_argument("--json", action="store_true", help="machine-readable output")

    p = command("export", _cmd_export, "export a journey for delivery systems (validated)")
    p.add_argument("file", help="journey spec (.yaml, .yml or .json)")
    p.add_argument(
        "--format", required=True, help="json, cmi5, cmi5-xml, scorm, xapi, xapi-templates, ics, csv"
    )
    p.add_argument("-o", "--output", required=True, help="file to write")
    p.add_argument("--start", help="cohort start date YYYY-MM-DD (ics, csv, xapi)")
    p.add_argument("--tz", help="IANA time zone of the cohort, e.g. Europe/Paris (default UTC)")
    p.add_argument("--course-iri", help="IRI of the course (cmi5, xapi, ics)")
    p.add_argument("--learners", type=int, default=5, help="learners in the sample cohort (xapi)")
    p.add_argument("--seed", type=int, default=0, help="random seed of the sample cohort (xapi)")

    p = command("lab", _cmd_lab, "open JupyterLab on the designer's notebooks")
    p.add_argument("--dir", default="notebooks", help="folder of notebooks (default: notebooks)")
    p.add_argument("--no-browser", action="store_true", help="do not open a browser")
    return parser


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("workbench")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0+unknown"


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
