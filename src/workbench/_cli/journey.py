"""The journey spec commands: templates, new, lint, show, schema, demo, lab."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any, TextIO

from workbench._cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    CommandAdder,
    print_json,
    simulation_table,
)
from workbench.errors import WorkbenchError

APP_NOTEBOOK = "00_workbench_app.ipynb"


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
        print_json(rows, out)
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
        print_json({"file": args.file, "journey": journey.id, "findings": [f.to_dict() for f in findings]}, out)
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
        print_json(summary.to_dict(), out)
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
    out.write(simulation_table(result))
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


def add_commands(command: CommandAdder) -> None:
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
