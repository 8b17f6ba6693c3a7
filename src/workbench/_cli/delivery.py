"""The delivery commands: export, analytics, convert."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from workbench._cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    CommandAdder,
    chosen_profile,
    iso_date,
    print_json,
    profile_line,
    profile_options,
)
from workbench.errors import WorkbenchError

_FORMAT_ALIASES = {"scorm": "scorm2004"}


def _export_options(args: argparse.Namespace, fmt: str) -> dict[str, Any]:
    import datetime as dt

    from workbench.errors import ExportError
    from workbench.export import cohort_options

    start: dt.date | None = None
    if args.start:
        start = iso_date(args.start, "--start")
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


def _cmd_analytics(args: argparse.Namespace, out: TextIO) -> int:
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
        start = iso_date(args.start, "--start")

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
        args.sources, anchor=args.anchor, plan=args.plan, profile=chosen_profile(args), max_concepts=args.max_concepts
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
        print_json(summary, out)
    else:
        counts, minutes = report.counts(), report.minutes()
        out.write(f"wrote {targets[0]}: {summary['assets']} draft assets for {len(summary['concepts'])} concepts\n")
        out.write(f"  reinforcement plan: {report.draft.plan}\n" + profile_line(report.draft.profile))
        out.write(f"  concepts: {', '.join(summary['concepts'])}\n")
        out.write(
            f"  segments: {counts['kept']} kept, {counts['merged']} merged, {counts['dropped']} dropped; "
            f"learner minutes {minutes['source_min']:g} in the sources, {minutes['journey_min']:g} in the draft\n"
        )
        if html is not None:
            out.write(f"wrote {targets[1]} (conversion report)\n")
        out.write("needs your decision:\n" + "".join(f"  - {d}\n" for d in report.draft.decisions))
    return EXIT_FINDINGS if errors else EXIT_OK


def add_commands(command: CommandAdder) -> None:
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
    profile_options(p)
    p.add_argument("--max-concepts", type=int, default=8, help="most concepts to propose (default 8)")
    p.add_argument("--force", action="store_true", help="overwrite existing files")
    p.add_argument("--json", action="store_true", help="machine-readable summary")
