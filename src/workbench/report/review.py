"""A strategy review of one journey: design findings, plans compared, frontier, chosen plan.

:func:`review_journey` runs everything a review needs once (design rules, a comparison of
plans with common random numbers, the learner-time / retention frontier and, with a target,
the optimiser) and keeps it in a :class:`StrategyReview`. The review gives the same content
as tables (:meth:`StrategyReview.plans_table`...), plain text
(:meth:`StrategyReview.text`), figures (:meth:`StrategyReview.figure_png`) and one HTML
file (:meth:`StrategyReview.to_html`). Everything is a function of the inputs and the seed:
the same call gives the same bytes.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from workbench import __version__
from workbench._random import RandomLike
from workbench._table import Table
from workbench.errors import ParameterError
from workbench.model import Journey
from workbench.vocabulary import Layer

if TYPE_CHECKING:
    import datetime as dt

    import pandas as pd

    from workbench.memory import MemoryModel
    from workbench.plans import Optimisation, PlanComparison, ReinforcementPlan
    from workbench.rules import Finding
    from workbench.simulate import LearnerPopulation, SimulationResult

__all__ = [
    "DEFAULT_PLANS",
    "FIGURES",
    "FRONTIER_PLANS",
    "StrategyReview",
    "describe_plan",
    "review_journey",
]

#: Plans compared when none are given (``{on_day}`` is the day that matters).
DEFAULT_PLANS: tuple[str, ...] = ("none", "expanding", "fixed:7x4", "deadline:{on_day}")
#: Reference plans on the frontier, besides target-retention plans and the compared plans.
FRONTIER_PLANS: tuple[str, ...] = ("none", "massed", "expanding", "fixed:7x4", "deadline:{on_day}")
#: Figures of a review, in report order.
FIGURES: tuple[str, ...] = ("timeline", "minutes", "retention", "plans", "frontier")
#: Earlier days on which retention is reported, besides the day that matters.
REPORT_DAYS: tuple[int, ...] = (7, 30)

#: The role of each layer in the learning architecture (DESIGN.md).
LAYER_ROLES: Mapping[str, str] = {
    Layer.BEFORE.value: "priming, readiness, orientation",
    Layer.DURING.value: "chunking, recap, quick practice",
    Layer.AFTER.value: "reinforcement, recall, refreshers",
    Layer.WORK.value: "job support, reminders, decision help",
    Layer.CHANGE.value: "updates, launch communication",
}


def _num(value: float, digits: int = 1) -> str:
    """``12.0`` -> ``"12"``, ``12.34`` -> ``"12.3"``: short numbers for tables."""
    text = f"{value:.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _pct(value: float) -> str:
    return "–" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{100 * value:.0f}%"


def describe_plan(plan: ReinforcementPlan) -> str:
    """Describe what a plan adds, in words a learning leader reads (from its fields, not its string).

    Examples
    --------
    >>> from workbench.plans import parse_plan
    >>> describe_plan(parse_plan("fixed:7x4"))
    'a spaced recall quiz every 7 days, 4 times, after the teaching'
    >>> describe_plan(parse_plan("none"))
    'the journey as designed: no reinforcement added'
    """
    from workbench.plans import ReinforcementPlan

    if isinstance(plan, ReinforcementPlan):
        return plan.describe()  # each family describes itself
    return str(getattr(plan, "label", "plan"))


def _without_fix(message: str, fix: str) -> str:
    """Return a finding's message without the fix it ends with (the fix has its own column)."""
    if fix and message.endswith(fix) and len(message) > len(fix):
        return message[: -len(fix)].rstrip(" :;,-")
    return message


def _short_label(label: str) -> str:
    """Frontier labels: ``target:0.75:89`` -> ``target 75%`` (the rest as given)."""
    if label.startswith("target:"):
        parts = label.split(":")
        try:
            return f"target {100 * float(parts[1]):g}%"
        except (IndexError, ValueError):
            return label
    return label


def _flatten(data: Any, prefix: str = "") -> list[tuple[str, str]]:
    """Nested settings as ``("engagement.required", "0.9")`` rows, in a stable order."""
    rows: list[tuple[str, str]] = []
    if isinstance(data, Mapping):
        if not data and prefix:
            return [(prefix, "none")]
        for key in data:
            rows += _flatten(data[key], f"{prefix}.{key}" if prefix else str(key))
        return rows
    if isinstance(data, list | tuple):
        if data and all(isinstance(v, int | float) and not isinstance(v, bool) for v in data):
            return [(prefix, ", ".join(f"{float(v):.6g}" for v in data))]
        return [(prefix, ", ".join(str(v) for v in data) or "none")]
    if isinstance(data, float):
        return [(prefix, f"{data:.6g}")]
    return [(prefix, "none" if data is None else str(data))]


@dataclass(frozen=True, eq=False)
class StrategyReview:
    """Everything a strategy review of one journey shows (see :func:`review_journey`).

    Attributes
    ----------
    journey : Journey
        The journey as designed.
    findings : tuple of Finding
        Design-rule findings (:func:`workbench.rules.lint`).
    comparison : PlanComparison
        The compared plans (the chosen plan included), simulated with one seed.
    frontier : DataFrame or None
        Learner minutes against retention on ``on_day`` over many plans.
    optimisation : Optimisation or None
        The optimiser's answer when a target was given.
    plans : dict
        Plan label -> plan, in comparison order.
    recommended : str or None
        Label of the chosen plan (the optimiser's, when a target was given).
    requested : tuple of str
        The plans the caller asked for (the chosen plan is added to them when new).
    """

    journey: Journey
    findings: tuple[Finding, ...]
    comparison: PlanComparison
    frontier: pd.DataFrame | None
    optimisation: Optimisation | None
    plans: Mapping[str, ReinforcementPlan]
    recommended: str | None
    target: float | None
    on_day: int
    metric: str
    threshold: float
    population: LearnerPopulation
    model: str
    seed: Any
    requested: tuple[str, ...] = ()
    source: str | None = None

    # ---- look-ups -----------------------------------------------------------------------

    @property
    def days(self) -> tuple[int, ...]:
        """Days on which retention is reported (the last is ``on_day``)."""
        return tuple(self.comparison.days)

    @property
    def baseline(self) -> str:
        """Label of the plan that stands for the journey as designed (``none`` when compared)."""
        return "none" if "none" in self.comparison.results else next(iter(self.comparison.results))

    def result(self, label: str | None = None) -> SimulationResult:
        """Return the simulation of one compared plan (default: the baseline)."""
        key = self.baseline if label is None else label
        if key not in self.comparison.results:
            raise ParameterError(f"plan {key!r} was not compared; compared: {', '.join(self.comparison.results)}")
        return self.comparison.results[key]

    def _row(self, label: str) -> dict[str, float]:
        """One plan's row of the comparison summary, as plain floats."""
        records: dict[Any, dict[Any, Any]] = self.comparison.summary.to_dict(orient="index")
        return {str(k): float(v) for k, v in records[label].items()}

    def _target_text(self) -> str:
        if self.target is None:
            return ""
        if self.metric == "proficiency":
            return f"{self.target:.0%} of learners proficient (recall ≥ {self.threshold:g}) on day {self.on_day}"
        return f"mean recall of {self.target:.0%} on day {self.on_day}"

    # ---- headline -----------------------------------------------------------------------

    def key_figures(self) -> dict[str, Any]:
        """Return the headline numbers as plain data (cards at the top of the report, ``text()``)."""
        summary = self.journey.summary()
        counts = {s: sum(1 for f in self.findings if f.severity.value == s) for s in ("error", "warning", "info")}
        uncovered = list(summary.uncovered)
        day = self.on_day
        base = self.baseline
        figures: dict[str, Any] = {
            "activities": summary.activities,
            "formal": summary.formal,
            "micro": summary.micro,
            "concepts": summary.concepts,
            "uncovered_concepts": uncovered,
            "learner_minutes": float(summary.learner_minutes),
            "span_days": float(summary.span_days),
            "findings": counts,
            "on_day": day,
            "baseline": base,
            "baseline_retention": self.comparison.retention(base, day),
            "baseline_proficiency": self.comparison.proficiency(base, day),
            "highest_proficiency_plan": self.comparison.highest_proficiency(day),
            "recommended": self.recommended,
            "target": self.target,
            "metric": self.metric,
            "reachable": None if self.optimisation is None else bool(self.optimisation.reachable),
        }
        if self.recommended is not None:
            figures["recommended_retention"] = self.comparison.retention(self.recommended, day)
            figures["recommended_proficiency"] = self.comparison.proficiency(self.recommended, day)
            figures["recommended_added_minutes"] = self.comparison.plan_minutes(self.recommended)
            figures["recommended_learner_minutes"] = self.comparison.learner_minutes(self.recommended)
        return figures

    def verdict(self) -> tuple[str, str]:
        """One sentence for the decision maker, and its tone (``ok``, ``warn`` or ``bad``)."""
        figures = self.key_figures()
        errors = figures["findings"]["error"]
        fix = f" Fix the {errors} design error(s) below before launch." if errors else ""
        if self.optimisation is None:
            best = figures["highest_proficiency_plan"]
            proficient = self.comparison.proficiency(best, self.on_day)
            text = (
                f"Of the plans compared, {best} leaves the most learners proficient on day {self.on_day} "
                f"({proficient:.0%}, {self.comparison.plan_minutes(best):g} added minutes per learner). "
                "Set a target (--target, --on-day) to have workbench choose the least learner time that reaches it."
            )
            return text + fix, "bad" if errors else "ok"
        opt = self.optimisation
        if opt.reachable:
            if opt.plan_minutes == 0:
                text = (
                    f"Target reachable without added reinforcement: the journey as designed reaches "
                    f"{opt.achieved:.0%} against a target of {self._target_text()}."
                )
            else:
                text = (
                    f"Target reachable: plan {opt.plan.label} reaches {opt.achieved:.0%} against a target of "
                    f"{self._target_text()}, for {opt.plan_minutes:g} added minutes per learner."
                )
            return text + fix, "bad" if errors else "ok"
        text = f"Target not reachable ({self._target_text()}): {opt.reason}."
        return text.replace("..", ".") + fix, "bad"

    # ---- tables -------------------------------------------------------------------------

    def layers_table(self) -> Table:
        """Activities and minutes per layer of the learning architecture."""
        summary = self.journey.summary()
        total = summary.layer_minutes or 1.0
        rows = tuple(
            (
                layer.capitalize(),
                LAYER_ROLES.get(layer, ""),
                str(load.activities),
                _num(load.minutes),
                f"{100 * load.minutes / total:.0f}%",
            )
            for layer, load in summary.layers.items()
        )
        totals = (
            "All layers",
            "",
            str(summary.activities),
            _num(summary.layer_minutes),
            "100%",
        )
        return Table(
            headers=("Layer", "Role of microlearning", "Activities", "Minutes", "Share of minutes"),
            numeric=(False, False, True, True, True),
            rows=(*rows, totals),
            row_classes=("",) * len(rows) + ("total",),
            caption="Minutes of every activity, optional ones included, by layer.",
        )

    def coverage_table(self) -> Table:
        """Which activities touch each concept, how, and what is left of it on the day."""
        summary = self.journey.summary()
        result = self.result()
        rows = []
        classes = []
        for concept in self.journey.concepts:
            row = summary.coverage[concept.id]
            effects = ", ".join(row.effects) or "NOT COVERED"
            rows.append(
                (
                    concept.name,
                    concept.id,
                    _num(float(concept.importance), 2),
                    str(row.activities),
                    effects,
                    _pct(result.retention(self.on_day, concept.id)),
                )
            )
            classes.append("" if row.covered else "bad")
        return Table(
            headers=(
                "Concept",
                "Id",
                "Importance",
                "Activities",
                "Memory effects",
                f"Recall day {self.on_day} ({self.baseline})",
            ),
            numeric=(False, False, True, True, False, True),
            rows=tuple(rows),
            row_classes=tuple(classes),
            caption=(
                f"Recall is the simulated mean over learners on day {self.on_day} for the plan "
                f"'{self.baseline}'; the weakest concepts are where reinforcement pays."
            ),
        )

    def findings_table(self) -> Table:
        """Every design-rule finding: severity, rule, where, what and how to fix it."""
        rows = tuple(
            (
                f.severity.value,
                f.code,
                f.rule,
                f.activity_id or f.concept_id or self.journey.id,
                _without_fix(f.message, f.fix or ""),
                f.fix or "",
            )
            for f in self.findings
        )
        return Table(
            headers=("Severity", "Code", "Rule", "Where", "Finding", "Fix"),
            numeric=(False,) * 6,
            rows=rows,
            row_classes=tuple(f"sev-{f.severity.value}" for f in self.findings),
        )

    def plans_table(self) -> Table:
        """Return the compared plans: what each adds, learner time, retention and proficiency."""
        from workbench.plans.choice import reaches

        day = self.on_day
        rows = []
        classes = []
        notes: list[str] = []
        for label, plan in self.plans.items():
            row = self._row(label)
            proficient = self.comparison.proficiency(label, day)
            mark = " (recommended)" if label == self.recommended else ""
            notes.append(describe_plan(plan))
            rows.append(
                (
                    label + mark,
                    str(int(row["touches"])),
                    _num(float(row["plan_minutes"])),
                    _num(float(row["learner_minutes"])),
                    *(_pct(self.comparison.retention(label, d)) for d in self.days),
                    f"{proficient:.0%} ± {100 * float(row['proficiency_se']):.0f}",
                    _num(float(row["retained_concept_days_per_learner_hour"]), 0),
                )
            )
            meets = self.target is not None and reaches(self.comparison.outcome(label, day, self.metric), self.target)
            classes.append(" ".join(c for c in ("recommended" if mark else "", "meets" if meets else "") if c))
        return Table(
            headers=(
                "Plan (what it adds)",
                "Touches added",
                "Added minutes",
                "Learner minutes",
                *(f"Recall day {d}" for d in self.days),
                f"Proficient day {day}",
                "Concept-days per hour",
            ),
            numeric=(False, True, True, True, *(True for _ in self.days), True, True),
            rows=tuple(rows),
            row_classes=tuple(classes),
            notes=tuple(notes),
            caption=(
                "Added minutes: what the plan schedules per learner. Learner minutes: simulated mean time a "
                "learner spends on the whole journey. Recall: mean recall probability over learners at the start "
                f"of the day. Proficient: share of learners whose recall is at least {self.threshold:g} "
                "(± one standard error). Concept-days per hour: remembered concept-days per hour of learner time."
            ),
        )

    def frontier_points(self) -> list[dict[str, Any]]:
        """Frontier plans with the same outcome merged into one point (sorted by learner minutes).

        Target-retention plans whose target the journey already meets add nothing and land on
        the point of ``none``; one point with the other labels in ``same`` keeps the figure legible.
        """
        if self.frontier is None:
            return []
        groups: dict[tuple[float, float], list[dict[Any, Any]]] = {}
        records: list[dict[Any, Any]] = self.frontier.to_dict(orient="records")
        for record in records:
            key = (round(float(record["learner_minutes"]), 6), round(float(record["retention"]), 6))
            groups.setdefault(key, []).append(record)
        points = []
        for members in groups.values():
            labels = [_short_label(str(m["label"])) for m in members]
            head = "none" if "none" in labels else labels[0]
            points.append(
                {
                    "label": head,
                    "same": [label for label in labels if label != head],
                    "learner_minutes": float(members[0]["learner_minutes"]),
                    "retention": float(members[0]["retention"]),
                    "dominated": bool(members[0]["dominated"]),
                }
            )
        return points

    def frontier_table(self) -> Table | None:
        """Plans on and off the learner-time / retention frontier (same outcomes merged)."""
        if self.frontier is None:
            return None
        points = self.frontier_points()
        rows = tuple(
            (
                p["label"],
                _num(p["learner_minutes"]),
                _pct(p["retention"]),
                "dominated" if p["dominated"] else "on the frontier",
            )
            for p in points
        )
        return Table(
            headers=("Plan", "Learner minutes", f"Recall day {self.on_day}", "Verdict"),
            numeric=(False, True, True, False),
            rows=rows,
            row_classes=tuple("muted" if p["dominated"] else "" for p in points),
            notes=tuple(f"same outcome: {', '.join(p['same'])}" if p["same"] else "" for p in points),
            caption=(
                "Dominated: another plan costs no more learner time and retains no less. "
                "target N%: a touch whenever predicted recall falls to N%."
            ),
        )

    def schedule_table(self) -> Table | None:
        """Return the touches the recommended plan adds (day, concepts, minutes, channel)."""
        if self.recommended is None:
            return None
        records: list[dict[Any, Any]] = self.comparison.schedules[self.recommended].to_frame().to_dict(orient="records")
        rows = tuple(
            (
                str(r["activity_id"]),
                _num(float(r["day"])),
                f"{_num(float(r['gap_days']))} days after {r['after']}" if r["after"] else "",
                str(r["concepts"]),
                _num(float(r["minutes"])),
                str(r["channel"]),
            )
            for r in records
        )
        return Table(
            headers=("Activity", "Day", "Scheduled", "Concepts", "Minutes", "Channel"),
            numeric=(False, True, False, False, True, False),
            rows=rows,
        )

    # ---- reproducibility ----------------------------------------------------------------

    def fingerprint(self) -> str:
        """SHA-256 of the journey's canonical JSON spec: the same journey, the same fingerprint."""
        from workbench.spec import dumps

        return hashlib.sha256(dumps(self.journey, format="json").encode("utf-8")).hexdigest()

    def reproduce_command(self) -> str:
        """Return the ``workbench report`` command that gives this review again."""
        parts = ["workbench", "report", self.source or "JOURNEY.yaml", "--plans", ",".join(self.requested)]
        if self.target is not None:
            parts += ["--target", f"{self.target:g}"]
            if self.metric != "proficiency":
                parts += ["--metric", self.metric]
        parts += ["--on-day", str(self.on_day), "--learners", str(self.population.size)]
        parts += ["--seed", str(self.seed), "--model", self.model, "-o", "review.html"]
        return " ".join(parts)

    def assumptions(self) -> dict[str, list[tuple[str, str]]]:
        """Return what the numbers rest on, grouped: run, journey, population, touch effects, model."""
        base = self.result().assumptions
        run = [
            ("workbench version", __version__),
            ("seed (common to every plan)", str(self.seed)),
            ("learners simulated", str(self.population.size)),
            ("forgetting model", str(base.get("model", self.model))),
            ("horizon (days simulated)", str(base.get("horizon_days", ""))),
            ("days reported", ", ".join(str(d) for d in self.days)),
            ("day that matters (deadline)", str(self.on_day)),
            ("proficiency threshold (recall)", f"{self.threshold:g}"),
            ("target", self._target_text() or "none set"),
            ("plans compared", ", ".join(self.plans)),
        ]
        if self.optimisation is not None:
            run.append(("optimiser simulations", str(self.optimisation.simulations)))
        journey = [
            ("journey", f"{self.journey.id} v{self.journey.version}"),
            ("title", self.journey.title),
            ("spec fingerprint (SHA-256 of the JSON spec)", self.fingerprint()),
        ]
        if self.source:
            journey.append(("spec file", self.source))
        population = _flatten(base.get("population", {}))
        effects = _flatten(base.get("effects", {}))
        parameters = base.get("model_parameters")
        model = _flatten({"parameters": parameters}) if parameters is not None else [("parameters", "defaults")]
        model += _flatten(dict(base.get("model_assumptions") or {}))  # source and limits of the defaults
        profile = base.get("memory_profile", {})
        memory = [
            ("profile", f"{profile.get('name', '?')}: {profile.get('title', '')}"),
            ("source", str(profile.get("source", ""))),
            *((f"citation {i}", str(c)) for i, c in enumerate(profile.get("citations", []), start=1)),
            *((k.replace("_", " "), str(v)) for k, v in profile.items() if k.endswith("_override")),
        ]
        return {
            "Run": run,
            "Memory profile (what every number here rests on)": memory,
            "Journey": journey,
            "Learner population": population,
            "Touch effects (relative to a successful retrieval)": effects,
            f"Forgetting model ({base.get('model', self.model)})": model,
        }

    # ---- figures ------------------------------------------------------------------------

    def figure_png(self, name: str) -> bytes:
        """One figure of the review as PNG bytes (see :data:`FIGURES`)."""
        from workbench.plot import (
            SLIDE_SIZE,
            plot_minutes_per_week,
            plot_plan_comparison,
            plot_retention_comparison,
            plot_timeline,
        )
        from workbench.plot import plot_frontier as draw_frontier
        from workbench.report._figures import png_bytes

        day = self.on_day
        target = self.target if self.metric == "retention" else None
        if name == "timeline":
            return png_bytes(lambda ax: plot_timeline(self.journey, ax=ax, findings=self.findings), SLIDE_SIZE)
        if name == "minutes":
            return png_bytes(lambda ax: plot_minutes_per_week(self.journey, ax=ax), (12.0, 4.6))
        if name == "retention":
            results = {label: self.comparison.results[label] for label in self.plans}
            return png_bytes(
                lambda ax: plot_retention_comparison(results, ax=ax, target=target, deadline_day=day), (12.0, 5.8)
            )
        if name == "plans":
            import pandas as pd

            frame = pd.DataFrame(
                {
                    "plan": list(self.plans),
                    "learner_minutes": [round(self.comparison.learner_minutes(p), 1) for p in self.plans],
                    "retention": [self.comparison.retention(p, day) for p in self.plans],
                }
            )
            height = max(4.3, 1.9 + 0.62 * len(frame))  # the y label needs about 4 inches
            return png_bytes(lambda ax: plot_plan_comparison(frame, ax=ax, day=day, target=target), (12.0, height))
        if name == "frontier":
            if self.frontier is None:
                raise ParameterError("figure 'frontier': this review was built with frontier=False")
            import pandas as pd

            points = self.frontier_points()
            shown = pd.DataFrame(
                {
                    "label": [p["label"] + (f" (+{len(p['same'])} same)" if p["same"] else "") for p in points],
                    "learner_minutes": [p["learner_minutes"] for p in points],
                    "retention": [p["retention"] for p in points],
                    "dominated": [p["dominated"] for p in points],
                }
            )
            return png_bytes(lambda ax: draw_frontier(shown, ax=ax, day=day, target=target), (12.0, 6.2))
        raise ParameterError(f"figure {name!r}: unknown; figures: {', '.join(FIGURES)}")

    def figure_alt(self, name: str) -> str:
        """Return a text alternative of each figure (the ``alt`` of its image)."""
        day = self.on_day
        if name == "timeline":
            figures = self.key_figures()
            return (
                f"Timeline of {self.journey.title}: {figures['activities']} activities "
                f"({figures['formal']} formal, {figures['micro']} micro) in swimlanes by layer, "
                f"over {figures['span_days']:g} days; rings mark activities with design findings."
            )
        if name == "minutes":
            return "Bar chart of learner minutes per week, formal events and micro assets stacked."
        if name == "retention":
            parts = ", ".join(f"{p} {_pct(self.comparison.retention(p, day))}" for p in self.plans)
            horizon = self.comparison.results[self.baseline].horizon_days
            return f"Mean recall over days 0 to {horizon} by plan; on day {day}: {parts}."
        if name == "plans":
            parts = "; ".join(
                f"{p}: {_pct(self.comparison.retention(p, day))}, "
                f"{_num(self.comparison.learner_minutes(p))} learner minutes"
                for p in self.plans
            )
            return f"Bars of recall on day {day} by plan: {parts}."
        if name == "frontier":
            if self.frontier is None:
                return ""
            on = [p["label"] for p in self.frontier_points() if not p["dominated"]]
            return (
                f"Scatter of learner minutes against recall on day {day} for {len(self.frontier)} plans; "
                f"on the frontier: {', '.join(on)}."
            )
        raise ParameterError(f"figure {name!r}: unknown; figures: {', '.join(FIGURES)}")

    # ---- text and HTML ------------------------------------------------------------------

    def text(self) -> str:
        """Return the key figures as plain text: what a notebook prints for nbval, what the CLI echoes."""
        figures = self.key_figures()
        findings = figures["findings"]
        lines = [
            f"Strategy review: {self.journey.title} ({self.journey.id} v{self.journey.version})",
            f"  {figures['activities']} activities ({figures['formal']} formal, {figures['micro']} micro), "
            f"{figures['concepts']} concepts, {figures['learner_minutes']:g} learner minutes "
            f"over {figures['span_days']:g} days",
            f"  design findings: {findings['error']} errors, {findings['warning']} warnings, {findings['info']} info",
            f"  simulated: {self.population.size} learners, model {self.model}, seed {self.seed}",
            "",
            self._plans_text(),
        ]
        if self.optimisation is not None:
            opt = self.optimisation
            lines += [
                "",
                f"  target: {self._target_text()}",
                f"  recommended: {opt.plan.label} (reachable: {'yes' if opt.reachable else 'no'}, "
                f"achieved {opt.achieved:.3f}, {opt.plan_minutes:g} added minutes)",
            ]
        return "\n".join(lines) + "\n"

    def _plans_text(self) -> str:
        day = self.on_day
        table = Table(
            headers=("plan", "touches", "+min", *(f"day {d}" for d in self.days), f"proficient d{day}"),
            numeric=(False, True, True, *(True for _ in self.days), True),
            rows=tuple(
                (
                    label,
                    str(int(self._row(label)["touches"])),
                    _num(self.comparison.plan_minutes(label)),
                    *(f"{self.comparison.retention(label, d):.3f}" for d in self.days),
                    f"{self.comparison.proficiency(label, day):.3f}",
                )
                for label in self.plans
            ),
        )
        return "\n".join("  " + line for line in table.to_text().splitlines())

    def to_html(self, *, generated: str | dt.date | None = None, title: str | None = None) -> str:
        """Return the review as one self-contained HTML page (see :func:`workbench.report.build_report`)."""
        from workbench.report.render import render_review

        return render_review(self, generated=generated, title=title)


def _plan_list(plans: Sequence[Any] | str | None, on_day: int) -> list[Any]:
    from workbench.plans import parse_plans

    if plans is None:
        return list(parse_plans([p.format(on_day=on_day) for p in DEFAULT_PLANS]))
    if isinstance(plans, str):
        return list(parse_plans(plans))
    out: list[Any] = []
    for plan in plans:
        out += parse_plans([plan]) if isinstance(plan, str) else [plan]
    return out


def review_journey(
    journey: Journey,
    plans: Sequence[ReinforcementPlan | str] | str | None = None,
    target: float | None = None,
    on_day: int = 90,
    population: LearnerPopulation | None = None,
    rng: RandomLike = 0,
    *,
    model: str | MemoryModel = "fsrs6",
    metric: str = "proficiency",
    threshold: float = 0.8,
    days: Sequence[int] = REPORT_DAYS,
    frontier: bool = True,
    source: str | None = None,
    profile: Any = None,
) -> StrategyReview:
    """Run a strategy review of ``journey``: design rules, plans compared, frontier, chosen plan.

    Parameters
    ----------
    journey : Journey
        The journey as designed.
    plans : sequence of plans or plan strings, or a comma-separated string, optional
        Plans to compare (default :data:`DEFAULT_PLANS`: none, expanding, fixed:7x4 and a
        deadline plan for ``on_day``).
    target : float, optional
        With a target, :func:`workbench.plans.optimise` chooses the plan with the least
        learner time that reaches it on ``on_day``; that plan joins the comparison.
    on_day : int
        The day that matters (go-live, audit, exam), in days from the journey start.
    population : LearnerPopulation, optional
        Who learns (default 1,000 learners).
    rng : int, Generator, SeedSequence or None
        One seed for every simulation; the same seed gives the same review.
    model : str or MemoryModel
        Forgetting model.
    metric : {"proficiency", "retention"}
        What ``target`` is set on: share of proficient learners, or mean recall.
    threshold : float
        Recall at which a learner counts as proficient.
    days : sequence of int
        Earlier days on which retention is reported (``on_day`` is always added).
    frontier : bool
        Trace the learner-time / retention frontier (about 15 more simulations).
    source : str, optional
        Where the journey came from (a spec file name), for the reproducibility section.

    Returns
    -------
    StrategyReview

    Examples
    --------
    >>> from workbench.templates import load_template
    >>> from workbench.simulate import LearnerPopulation
    >>> review = review_journey(load_template("safety_reminders"), ["none", "expanding"], on_day=60,
    ...                         population=LearnerPopulation(size=200), rng=1, frontier=False)
    >>> list(review.plans), review.days
    (['none', 'expanding'], (7, 30, 60))
    """
    from workbench._random import fixed_seed
    from workbench.plans import compare, optimise
    from workbench.plans import frontier as trace_frontier
    from workbench.plans._checks import check_journey, check_on_day, check_population, check_target
    from workbench.rules import lint

    check_journey(journey)
    check_on_day(on_day)
    if target is not None:
        check_target(target)
    population = check_population(population)
    seed = fixed_seed(rng)
    model_name = model if isinstance(model, str) else str(getattr(model, "name", type(model).__name__))
    chosen = _plan_list(plans, on_day)
    labelled: dict[str, Any] = {}
    for plan in chosen:
        if plan.label in labelled:
            raise ParameterError(f"plans: {plan.label} given twice; give each plan once")
        labelled[plan.label] = plan

    optimisation = None
    recommended = None
    if target is not None:
        optimisation = optimise(
            journey,
            target=float(target),
            on_day=on_day,
            population=population,
            model=model,
            rng=seed,
            metric=metric,
            threshold=threshold,
            also=list(labelled.values()),  # so the plan chosen is never costlier than a compared one reaching it
            profile=profile,
        )
        recommended = optimisation.plan.label
        if recommended not in labelled:
            labelled[recommended] = optimisation.plan

    report_days = sorted({int(d) for d in days if 0 <= int(d) < on_day} | {on_day})
    comparison = compare(
        journey,
        labelled,
        population=population,
        model=model,
        rng=seed,
        days=report_days,
        deadline_day=on_day,
        threshold=threshold,
        profile=profile,
    )
    curve = None
    if frontier:
        reference: dict[str, Any] = {}
        for plan in _plan_list([p.format(on_day=on_day) for p in FRONTIER_PLANS], on_day) + list(labelled.values()):
            reference.setdefault(plan.label, plan)
        curve = trace_frontier(
            journey,
            on_day,
            population,
            model,
            seed,
            plans=list(reference.values()),
            threshold=threshold,
            profile=profile,
        )
    return StrategyReview(
        journey=journey,
        findings=tuple(lint(journey)),
        comparison=comparison,
        frontier=curve,
        optimisation=optimisation,
        plans=labelled,
        recommended=recommended,
        target=None if target is None else float(target),
        on_day=on_day,
        metric=metric,
        threshold=float(threshold),
        population=population,
        model=model_name,
        seed=seed,
        requested=tuple(p.label for p in chosen),
        source=source,
    )
