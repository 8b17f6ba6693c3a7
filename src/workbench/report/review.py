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

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from workbench._random import RandomLike
from workbench._table import Table
from workbench.errors import ParameterError
from workbench.model import Journey
from workbench.report import _provenance
from workbench.report import _review_figures as _figures
from workbench.report import _review_tables as _tables
from workbench.report._key_figures import FindingCounts, KeyFigures, PlanFigures
from workbench.report._provenance import Provenance
from workbench.report._review_figures import FIGURES
from workbench.report._review_tables import FrontierPoint, describe_plan

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
    "FindingCounts",
    "FrontierPoint",
    "KeyFigures",
    "PlanFigures",
    "Provenance",
    "StrategyReview",
    "describe_plan",
    "review_journey",
]

#: Plans compared when none are given (``{on_day}`` is the day that matters).
DEFAULT_PLANS: tuple[str, ...] = ("none", "expanding", "fixed:7x4", "deadline:{on_day}")
#: Reference plans on the frontier, besides target-retention plans and the compared plans.
FRONTIER_PLANS: tuple[str, ...] = ("none", "massed", "expanding", "fixed:7x4", "deadline:{on_day}")
#: Earlier days on which retention is reported, besides the day that matters.
REPORT_DAYS: tuple[int, ...] = (7, 30)


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
    model : str
        The forgetting model that ran (the memory profile's, unless one was given).
    requested : tuple of str
        The plans the caller asked for (the chosen plan is added to them when new).
    source : str or None
        Where the journey came from (a spec file name).
    profile : str, MemoryProfile, Calibration or None
        The memory profile as given (None: the default profile), for the reproduce command.
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
    profile: Any = None

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

    def target_text(self) -> str:
        """Return the target in words (empty without one), e.g. ``80% of learners proficient ... on day 90``."""
        if self.target is None:
            return ""
        if self.metric == "proficiency":
            return f"{self.target:.0%} of learners proficient (recall ≥ {self.threshold:g}) on day {self.on_day}"
        return f"mean recall of {self.target:.0%} on day {self.on_day}"

    # ---- headline -----------------------------------------------------------------------

    @property
    def provenance(self) -> Provenance:
        """What every simulated number of the review rests on: memory profile, learners, model, seed."""
        return Provenance.of(self.result())

    def key_figures(self) -> KeyFigures:
        """Return the headline numbers with their provenance (the report's cards, ``text()``)."""
        return KeyFigures.of(self)

    def verdict(self) -> tuple[str, str]:
        """One sentence for the decision maker, and its tone (``ok``, ``warn`` or ``bad``)."""
        figures = self.key_figures()
        errors = figures.findings.error
        fix = f" Fix the {errors} design error(s) below before launch." if errors else ""
        if self.optimisation is None:
            best = figures.highest_proficiency_plan
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
                    f"{opt.achieved:.0%} against a target of {self.target_text()}."
                )
            else:
                text = (
                    f"Target reachable: plan {opt.plan.label} reaches {opt.achieved:.0%} against a target of "
                    f"{self.target_text()}, for {opt.plan_minutes:g} added minutes per learner."
                )
            return text + fix, "bad" if errors else "ok"
        text = f"Target not reachable ({self.target_text()}): {opt.reason}."
        return text.replace("..", ".") + fix, "bad"

    # ---- tables (built in _review_tables) ---------------------------------------------

    def layers_table(self) -> Table:
        """Activities and minutes per layer of the learning architecture."""
        return _tables.layers_table(self)

    def coverage_table(self) -> Table:
        """Which activities touch each concept, how, and what is left of it on the day."""
        return _tables.coverage_table(self)

    def findings_table(self) -> Table:
        """Every design-rule finding: severity, rule, where, what and how to fix it."""
        return _tables.findings_table(self)

    def plans_table(self) -> Table:
        """Return the compared plans: what each adds, learner time, retention and proficiency."""
        return _tables.plans_table(self)

    def frontier_points(self) -> list[FrontierPoint]:
        """Frontier plans with the same outcome merged into one point (sorted by learner minutes).

        Target-retention plans whose target the journey already meets add nothing and land on
        the point of ``none``; one point with the other labels in ``same`` keeps the figure legible.
        """
        return _tables.frontier_points(self)

    def frontier_table(self) -> Table | None:
        """Plans on and off the learner-time / retention frontier (same outcomes merged)."""
        return _tables.frontier_table(self)

    def schedule_table(self) -> Table | None:
        """Return the touches the recommended plan adds (day, concepts, minutes, channel)."""
        return _tables.schedule_table(self)

    # ---- reproducibility (_provenance) --------------------------------------------------

    def fingerprint(self) -> str:
        """SHA-256 of the journey's canonical JSON spec: the same journey, the same fingerprint."""
        return _provenance.fingerprint(self.journey)

    def reproduce_command(self) -> str:
        """Return the ``workbench report`` command that gives this review again."""
        return _provenance.reproduce_command(self)

    def assumptions(self) -> dict[str, list[tuple[str, str]]]:
        """Return what the numbers rest on, grouped: run, journey, population, touch effects, model."""
        return _provenance.assumptions(self)

    # ---- figures (drawn in _review_figures) ---------------------------------------------

    def figure_png(self, name: str) -> bytes:
        """One figure of the review as PNG bytes (see :data:`FIGURES`)."""
        return _figures.figure_png(self, name)

    def figure_alt(self, name: str) -> str:
        """Return a text alternative of each figure (the ``alt`` of its image)."""
        return _figures.figure_alt(self, name)

    # ---- text and HTML ------------------------------------------------------------------

    def text(self) -> str:
        """Return the key figures as plain text: what a notebook prints for nbval, what the CLI echoes."""
        figures = self.key_figures()
        lines = [
            f"Strategy review: {self.journey.title} ({self.journey.id} v{self.journey.version})",
            f"  {figures.activities} activities ({figures.formal} formal, {figures.micro} micro), "
            f"{figures.concepts} concepts, {figures.learner_minutes:g} learner minutes "
            f"over {figures.span_days:g} days",
            f"  design findings: {figures.findings.text()}",
            f"  simulated: {figures.provenance.text()}",
            "",
            _tables.plans_text(self),
        ]
        if self.optimisation is not None:
            opt = self.optimisation
            lines += [
                "",
                f"  target: {self.target_text()}",
                f"  recommended: {opt.plan.label} (reachable: {'yes' if opt.reachable else 'no'}, "
                f"achieved {opt.achieved:.3f}, {opt.plan_minutes:g} added minutes)",
            ]
        return "\n".join(lines) + "\n"

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


def _by_label(plans: Sequence[Any], *, unique: bool = True) -> dict[str, Any]:
    """Return plans by label, in order (the first of a label kept; with ``unique``, a repeat is an error)."""
    labelled: dict[str, Any] = {}
    for plan in plans:
        if unique and plan.label in labelled:
            raise ParameterError(f"plans: {plan.label} given twice; give each plan once")
        labelled.setdefault(plan.label, plan)
    return labelled


def review_journey(
    journey: Journey,
    plans: Sequence[ReinforcementPlan | str] | str | None = None,
    target: float | None = None,
    on_day: int = 90,
    population: LearnerPopulation | None = None,
    rng: RandomLike = 0,
    *,
    model: str | MemoryModel | None = None,
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
    model : str or MemoryModel, optional
        Forgetting model (default: the memory profile's).
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
    profile : str, MemoryProfile or Calibration, optional
        Memory profile every simulation uses (default :data:`workbench.simulate.DEFAULT_PROFILE`).

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
    chosen = _plan_list(plans, on_day)
    labelled = _by_label(chosen)
    # every simulation of the review: the same learners, draws, model and memory profile
    common: dict[str, Any] = {
        "population": population,
        "model": model,
        "rng": seed,
        "threshold": threshold,
        "profile": profile,
    }
    optimisation = None
    recommended = None
    if target is not None:
        # the compared plans join the search, so the plan chosen is never costlier than one reaching it
        also = list(labelled.values())
        optimisation = optimise(journey, target=float(target), on_day=on_day, metric=metric, also=also, **common)
        recommended = optimisation.plan.label
        labelled.setdefault(recommended, optimisation.plan)
    report_days = sorted({int(d) for d in days if 0 <= int(d) < on_day} | {on_day})
    comparison = compare(journey, labelled, days=report_days, deadline_day=on_day, **common)
    curve = None
    if frontier:
        reference = _plan_list([p.format(on_day=on_day) for p in FRONTIER_PLANS], on_day) + list(labelled.values())
        curve = trace_frontier(journey, on_day, plans=list(_by_label(reference, unique=False).values()), **common)
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
        model=next(iter(comparison.results.values())).model_name,  # what ran, not what was asked
        seed=seed,
        requested=tuple(p.label for p in chosen),
        source=source,
        profile=profile,
    )
