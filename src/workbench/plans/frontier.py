"""The workload-retention frontier: learner minutes against retention on a day, dominated plans marked."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from workbench._random import RandomLike
from workbench._tasks import Progress
from workbench.errors import ParameterError
from workbench.memory import MemoryModel
from workbench.model import Journey
from workbench.plans._checks import check_common
from workbench.plans._simulations import RunSettings, evaluating
from workbench.plans.compare import as_plan
from workbench.plans.generators import ReinforcementPlan, TargetRetentionPlan, parse_plan
from workbench.simulate import LearnerPopulation

__all__ = ["frontier"]


def _dominated(minutes: Sequence[float], retention: Sequence[float]) -> list[bool]:
    """Whether each point is dominated: another costs no more and retains no less, one strictly.

    Examples
    --------
    >>> _dominated([10, 20, 30], [0.8, 0.7, 0.9])
    [False, True, False]
    """
    out = []
    for i, (m_i, r_i) in enumerate(zip(minutes, retention, strict=True)):
        out.append(
            any(
                j != i and m_j <= m_i and r_j >= r_i and (m_j < m_i or r_j > r_i)
                for j, (m_j, r_j) in enumerate(zip(minutes, retention, strict=True))
            )
        )
    return out


def frontier(
    journey: Journey,
    on_day: int = 90,
    population: LearnerPopulation | None = None,
    model: str | MemoryModel | None = None,
    rng: RandomLike = 0,
    *,
    targets: Sequence[float] = (0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95),
    plans: Sequence[ReinforcementPlan | str] | None = None,
    threshold: float = 0.8,
    profile: Any = None,
    scheduler: Any = None,
    progress: Progress = False,
    **options: Any,
) -> pd.DataFrame:
    """Learner minutes against retention on ``on_day``, over target-retention plans and reference plans.

    Each target in ``targets`` gives a :class:`TargetRetentionPlan` (touches until the day);
    ``plans`` adds reference plans (default ``none``, ``massed``, ``expanding``, ``fixed:7x4``
    and ``deadline:<on_day>``). All are simulated with the same seed, as one batch of tasks:
    on Dask when ``scheduler`` is given (``"local"``, an address or a client), with the same
    numbers as here. ``progress=True`` shows a bar; a callable is given the number done.

    Returns
    -------
    DataFrame
        Columns ``label, learner_minutes, retention, dominated``, sorted by learner minutes;
        ``dominated`` is True when another plan costs no more minutes and retains no less
        (one of them strictly). ``workbench.plot.plot_frontier(frame)`` draws it.

    Examples
    --------
    >>> from workbench.templates import load_template
    >>> from workbench.simulate import LearnerPopulation
    >>> f = frontier(load_template("safety_reminders"), 60, LearnerPopulation(size=200), rng=1)
    >>> f.columns.tolist(), len(f) >= 8
    (['label', 'learner_minutes', 'retention', 'dominated'], True)
    """
    population = check_common(on_day, population)
    if len(targets) + (5 if plans is None else len(plans)) < 1:
        raise ParameterError("frontier: give at least one target or plan")
    reference = (
        [parse_plan(p, **options) for p in ("none", "massed", "expanding", "fixed:7x4", f"deadline:{on_day}")]
        if plans is None
        else [as_plan(p) for p in plans]
    )
    candidates: list[ReinforcementPlan] = [
        TargetRetentionPlan(target=float(t), until_day=float(max(on_day - 1, 1)), **options) for t in targets
    ]
    candidates += reference
    settings = RunSettings.for_day(journey, on_day, population, model, rng, threshold=threshold, profile=profile)
    with evaluating(
        settings, metric="retention", scheduler=scheduler, progress=progress, total=len(candidates), desc="frontier"
    ) as evaluate:
        evaluate.prefetch([(plan, None) for plan in candidates])
        rows = [evaluate(plan, plan.family) for plan in candidates]
    frame = pd.DataFrame(
        {
            "label": [r["label"] for r in rows],
            "learner_minutes": [float(r["learner_minutes"]) for r in rows],
            "retention": [float(r["retention"]) for r in rows],
        }
    ).drop_duplicates("label")
    frame["dominated"] = _dominated(frame["learner_minutes"].tolist(), frame["retention"].tolist())
    return frame.sort_values(["learner_minutes", "retention"], kind="stable").reset_index(drop=True)
