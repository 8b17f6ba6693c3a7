"""The one "best plan" rule: the fewest learner minutes among the plans reaching a target on a day.

Minutes are counted before the day that matters (:meth:`SimulationResult.learner_minutes_until
<workbench.simulate.SimulationResult.learner_minutes_until>`): what reaching the target cost,
the same however long each caller simulates.

The plan lab's recommendation (★), the strategy review's recommended plan and
:func:`workbench.plans.optimise` all choose with :func:`cheapest_reaching`, so they cannot
disagree on the same outcomes. A different question has a different name:
:meth:`workbench.plans.PlanComparison.highest_proficiency` is the plan leaving the most
learners proficient, whatever it costs.

Examples
--------
>>> outcomes = [PlanOutcome("none", 40.0, 0.61), PlanOutcome("fixed:7x4", 52.0, 0.86),
...             PlanOutcome("expanding", 60.0, 0.91)]
>>> choice = cheapest_reaching(outcomes, 0.85, day=90, metric="retention")
>>> choice.label, choice.reachable, choice.reaching
('fixed:7x4', True, ('fixed:7x4', 'expanding'))
>>> cheapest_reaching(outcomes, 0.95, day=90, metric="retention").label  # none reaches it: the closest
'expanding'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from workbench.errors import ParameterError

__all__ = ["METRICS", "REACH_TOLERANCE", "PlanChoice", "PlanOutcome", "cheapest_reaching", "reaches"]

#: Outcomes a target may be set on: the share of proficient learners, or mean recall.
METRICS = ("proficiency", "retention")
#: An outcome this close below the target still reaches it (slider values are rounded floats).
REACH_TOLERANCE = 1e-12


def reaches(achieved: float, target: float) -> bool:
    """Whether an outcome reaches the target (the one comparison every chooser uses).

    Examples
    --------
    >>> reaches(0.85, 0.85), reaches(0.8499, 0.85)
    (True, False)
    """
    return bool(achieved >= target - REACH_TOLERANCE)


@dataclass(frozen=True)
class PlanOutcome:
    """One plan's outcome on the day that matters, as the rule sees it.

    Attributes
    ----------
    label : str
        The plan's label.
    learner_minutes : float
        Mean minutes a learner spends with the plan before the day that matters (simulated).
    achieved : float
        The outcome on the day: share of proficient learners, or mean recall.
    """

    label: str
    learner_minutes: float
    achieved: float


@dataclass(frozen=True)
class PlanChoice:
    """The plan :func:`cheapest_reaching` chooses, and whether it reaches the target.

    Attributes
    ----------
    label : str
        The chosen plan: the cheapest reaching the target or, when none does
        (``reachable`` False), the one coming closest.
    reachable : bool
        Whether some plan reaches the target.
    achieved : float
        The chosen plan's outcome on ``day``.
    learner_minutes : float
        The chosen plan's mean learner minutes before ``day``.
    target : float
    day : int
    metric : str
        ``"proficiency"`` or ``"retention"`` (see :data:`METRICS`).
    reaching : tuple of str
        Every plan reaching the target, in the order given.
    """

    label: str
    reachable: bool
    achieved: float
    learner_minutes: float
    target: float
    day: int
    metric: str
    reaching: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """Plain data (for ``--json``)."""
        return {
            "plan": self.label,
            "reachable": self.reachable,
            "achieved": round(self.achieved, 6),
            "learner_minutes": round(self.learner_minutes, 3),
            "target": self.target,
            "day": self.day,
            "metric": self.metric,
            "reaching": list(self.reaching),
        }


def cheapest_reaching(outcomes: Iterable[PlanOutcome], target: float, *, day: int, metric: str) -> PlanChoice:
    """Choose the plan with the fewest learner minutes among those reaching ``target``.

    Ties in minutes go to the higher outcome, then to the plan given first. When no plan
    reaches the target, the plan with the highest outcome (ties: fewer minutes) is chosen
    and the choice says ``reachable=False``.

    Parameters
    ----------
    outcomes : iterable of PlanOutcome
        The candidates (at least one), e.g. the rows of a plan comparison.
    target : float
        The outcome to reach.
    day : int
        The day the outcomes are measured on (kept with the choice).
    metric : {"proficiency", "retention"}
        What the outcomes measure (kept with the choice).

    Returns
    -------
    PlanChoice

    Raises
    ------
    ParameterError
        No candidates.
    """
    candidates = list(outcomes)
    if not candidates:
        raise ParameterError("plans: no plan to choose from; compare at least one plan")
    reaching = [o for o in candidates if reaches(o.achieved, target)]
    if reaching:
        chosen = min(reaching, key=lambda o: (o.learner_minutes, -o.achieved))
    else:
        chosen = max(candidates, key=lambda o: (o.achieved, -o.learner_minutes))
    return PlanChoice(
        label=chosen.label,
        reachable=bool(reaching),
        achieved=float(chosen.achieved),
        learner_minutes=float(chosen.learner_minutes),
        target=float(target),
        day=int(day),
        metric=metric,
        reaching=tuple(o.label for o in reaching),
    )
