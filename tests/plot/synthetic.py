"""Small, deterministic stand-ins for simulation output, and a journey with findings."""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.model import Activity, Concept, Journey

QUANTILES = {"q05": -1.645, "q25": -0.674, "q50": 0.0, "q75": 0.674, "q95": 1.645}


def retention_frame(
    touches: dict[str, list[float]],
    days: int = 91,
    stability: float = 1.0,
    growth: float = 2.5,
    spread: float = 0.6,
    weights: dict[str, float] | None = None,
) -> pd.DataFrame:
    """Return a tidy frame like ``SimulationResult.to_frame()``: power-law forgetting reset at touches.

    Each touch multiplies stability by ``growth``; learners differ by a log-normal factor on
    stability (``spread``), whose quantiles give q05..q95. Adds ``"__all__"`` (weighted mean).
    """
    grid = np.arange(days, dtype=float)
    rows = []
    curves: dict[str, dict[str, np.ndarray]] = {}
    for concept, concept_touches in touches.items():
        columns: dict[str, np.ndarray] = {}
        for name, z in {"mean": 0.0, **QUANTILES}.items():
            factor = float(np.exp(spread * z))
            recall = np.zeros_like(grid)
            s = stability * factor
            last = None
            for day_index, day in enumerate(grid):
                hits = [t for t in concept_touches if day - 1 < t <= day]
                if hits:
                    if last is not None:
                        s *= growth
                    last = day
                recall[day_index] = 0.0 if last is None else (1 + (day - last) / (9 * s)) ** -1
            columns[name] = recall
        columns["mean"] = np.mean([columns[q] for q in QUANTILES], axis=0)
        curves[concept] = columns
    weights = weights or {c: 1.0 for c in touches}
    total = sum(weights.values())
    curves["__all__"] = {
        name: sum(curves[c][name] * weights[c] for c in touches) / total for name in ("mean", *QUANTILES)
    }
    for concept, columns in curves.items():
        for index, day in enumerate(grid):
            row = {"concept": concept, "day": int(day)}
            row.update({name: float(columns[name][index]) for name in ("mean", *QUANTILES)})
            row["proficient_share"] = float(columns["q50"][index] >= 0.8)
            rows.append(row)
    return pd.DataFrame(rows, columns=["concept", "day", "mean", *QUANTILES, "proficient_share"])


class FakeResult:
    """An object shaped like a SimulationResult: ``to_frame()`` and ``touch_days``."""

    def __init__(self, touches: dict[str, list[float]]) -> None:
        self.touch_days = touches
        self._frame = retention_frame(touches)

    def to_frame(self) -> pd.DataFrame:
        return self._frame.copy()


PLAN_TOUCHES = {
    "No follow-up": {"sbi": [0], "ask": [0], "steps": [0]},
    "Recap only": {"sbi": [0, 1], "ask": [0, 1], "steps": [0, 1]},
    "Spaced quizzes": {"sbi": [0, 3, 10, 24, 50], "ask": [0, 3, 14, 35], "steps": [0, 7, 21, 45]},
}


def plan_summary(day: int = 90) -> pd.DataFrame:
    rows = []
    for plan, touches in PLAN_TOUCHES.items():
        frame = retention_frame(touches)
        value = frame[(frame.concept == "__all__") & (frame.day == day)]["mean"].iloc[0]
        minutes = 300 + 3 * sum(len(t) - 1 for t in touches.values())
        rows.append({"plan": plan, "learner_minutes": float(minutes), "retention": float(value)})
    return pd.DataFrame(rows)


def frontier_frame() -> pd.DataFrame:
    minutes = [300, 306, 309, 312, 318, 321, 327, 330, 336, 345, 360]
    retention = [0.22, 0.41, 0.38, 0.55, 0.63, 0.52, 0.71, 0.69, 0.76, 0.78, 0.80]
    labels = [
        "No follow-up",
        "Recap",
        "Prompt cards",
        "2 quizzes",
        "3 quizzes",
        "Recap + cards",
        "4 quizzes",
        "Scenarios x3",
        "5 quizzes",
        "Quizzes + manager",
        "Everything",
    ]
    best = -1.0
    dominated = []
    for r in retention:  # minutes ascend: dominated when an earlier plan retains at least as much
        dominated.append(r <= best)
        best = max(best, r)
    return pd.DataFrame({"learner_minutes": minutes, "retention": retention, "label": labels, "dominated": dominated})


def flawed_journey() -> Journey:
    """Return a small journey that breaks rules: errors and warnings on named activities."""
    journey = Journey.empty("flawed", "A journey with design problems")
    journey = journey.add_concept(Concept(id="a", name="Concept A")).add_concept(Concept(id="b", name="Concept B"))
    activities = [
        Activity.of_kind("pre_session_primer", id="primer", title="Primer video", covers=["a"], schedule=-2),
        Activity.of_kind("vilt_session", id="vilt", title="Live session on A and B", covers=["a", "b"], schedule=0),
        Activity.of_kind(
            "post_session_recap",
            id="recap",
            title="A very long recap video that nobody finishes",
            covers=["a", "b"],
            schedule=1,
            duration_min=25,
        ),
        Activity.of_kind("spaced_recall_quiz", id="quiz", title="Quiz on A", covers=["a"], schedule=2),
        Activity.of_kind("spaced_recall_quiz", id="quiz2", title="Quiz on A again", covers=["a"], schedule=2.5),
        Activity.of_kind("discussion_starter", id="talk", title="Team discussion", covers=["b"], schedule=10),
        Activity.of_kind("job_aid", id="aid", title="Checklist", covers=["a"], schedule="on_demand", required=False),
    ]
    for activity in activities:
        journey = journey.add_activity(activity)
    return (
        journey.connect("primer", "vilt", "prepares")
        .connect("vilt", "recap")
        .connect("recap", "quiz")
        .connect("quiz", "quiz2")
        .connect("quiz2", "talk")
    )
