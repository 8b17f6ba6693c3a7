"""Render every workbench figure for a template into ``docs/images/*.png``.

Usage::

    .venv/bin/python scripts/gallery.py [TEMPLATE] [--dpi 100]

Writes only under ``docs/images/`` (created if missing). The retention figures come from a
seeded simulation of the template (``workbench.simulate``), so the gallery is reproducible.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes

from workbench.model import Activity, Journey
from workbench.plot import (
    plot_frontier,
    plot_graph,
    plot_minutes_per_week,
    plot_plan_comparison,
    plot_retention,
    plot_retention_comparison,
    plot_timeline,
)
from workbench.rules import lint
from workbench.templates import load_template

OUT = Path(__file__).resolve().parents[1] / "docs" / "images"
DAY = 90


def _without(journey: Journey, keep: Callable[[Activity], bool]) -> Journey:
    """Return the journey without the activities ``keep`` rejects (latest first, so dependants go first)."""
    for activity in reversed(journey.timeline()):
        if not keep(activity):
            journey = journey.remove_activity(activity.id)
    return journey


def _plans(journey: Journey, seed: int) -> dict[str, Any]:
    """Seeded simulations of the journey as designed and of two lighter variants of it."""
    from workbench.simulate import LearnerPopulation, simulate

    def core(activity: Activity) -> bool:
        return journey.is_formal(activity) or activity.layer.value in ("before", "during")

    dated = [a for a in journey.timeline() if journey.days[a.id] is not None and not core(a)]
    first_half = {a.id for a in dated[: len(dated) // 2]}
    variants = {
        "Formal only": _without(journey, core),
        "First half of the follow-up": _without(journey, lambda a: core(a) or a.id in first_half),
        "As designed": journey,
    }
    population = LearnerPopulation.uniform(size=400)
    return {
        name: simulate(j, population=population, horizon_days=120, rng=seed, progress=False)
        for name, j in variants.items()
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("template", nargs="?", default="post_training_retention")
    parser.add_argument("--dpi", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)

    journey = load_template(args.template)
    results = _plans(journey, args.seed)
    designed = results["As designed"]
    names = {c.id: c.name for c in journey.concepts}
    summary = pd.DataFrame(
        {
            "plan": list(results),
            "learner_minutes": [r.learner_minutes for r in results.values()],
            "retention": [r.retention(DAY) for r in results.values()],
        }
    )
    frontier = summary.rename(columns={"plan": "label"}).sort_values("learner_minutes")
    best = -1.0
    dominated = []
    for value in frontier["retention"]:
        dominated.append(value <= best)
        best = max(best, value)
    frontier["dominated"] = dominated

    figures: dict[str, Callable[[Axes], Axes]] = {
        "timeline": lambda ax: plot_timeline(journey, ax=ax, findings=lint(journey)),
        "graph": lambda ax: plot_graph(journey, ax=ax),
        "minutes_per_week": lambda ax: plot_minutes_per_week(journey, ax=ax, budget=60),
        "retention": lambda ax: plot_retention(designed, ax=ax, target=0.7, deadline_day=DAY, names=names),
        "retention_comparison": lambda ax: plot_retention_comparison(results, ax=ax, target=0.7, deadline_day=DAY),
        "plan_comparison": lambda ax: plot_plan_comparison(summary, ax=ax, day=DAY, target=0.7),
        "frontier": lambda ax: plot_frontier(frontier, ax=ax, day=DAY, target=0.7),
    }
    OUT.mkdir(parents=True, exist_ok=True)
    for name, draw in figures.items():
        fig = plt.figure(figsize=(13.333, 7.5), layout="constrained")
        draw(fig.add_subplot())
        path = OUT / f"{args.template}_{name}.png"
        fig.savefig(path, dpi=args.dpi, metadata={"Software": None})
        plt.close(fig)
        print(path.relative_to(OUT.parents[1]))


if __name__ == "__main__":
    main()
