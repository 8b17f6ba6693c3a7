"""The four questions of a learning team, each answered with the table it rests on.

Private to :mod:`workbench.analytics`; the public names are re-exported by
:mod:`workbench.analytics.purpose` and the package.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from workbench.analytics._outcomes import retrieval_results, use_vs_performance
from workbench.analytics._reach import series_reach
from workbench.analytics._shares import Thresholds, _se, check_delivery
from workbench.analytics._usage import repeat_access, returns_after_programme, work_support_near_moments
from workbench.analytics._verdicts import verdicts
from workbench.analytics.delivery import Delivery

# ---- the four questions ----------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """An answer to one of the learning team's questions, with the table it rests on."""

    question: str
    answer: str
    evidence: pd.DataFrame


def findings(
    delivery: Delivery,
    *,
    thresholds: Thresholds | None = None,
    moments: pd.DataFrame | None = None,
    performance: pd.DataFrame | None = None,
) -> list[Finding]:
    """Answer the four questions a learning team asks of delivery data, each with its evidence.

    1. Is the flow-of-work support used? 2. Which parts need stronger reinforcement?
    3. What works as reference rather than instruction? 4. Which assets are worth replicating?

    Examples
    --------
    >>> from workbench.analytics.demo import demo_delivery
    >>> [f.question.split("?")[0] for f in findings(demo_delivery())][:2]
    ['Is the flow-of-work support used', 'Which parts need stronger reinforcement']
    """
    delivery = check_delivery(delivery)
    limits = thresholds or Thresholds()
    out = [
        _flow_of_work(delivery, limits, moments),
        _stronger_reinforcement(delivery, limits),
        _used_as_reference(delivery),
        _worth_replicating(delivery, limits, moments),
    ]
    if performance is not None:
        gaps = use_vs_performance(delivery, performance)
        flagged = gaps[gaps.get("gap", pd.Series(dtype=bool)).fillna(False)] if not gaps.empty else gaps
        if not flagged.empty:
            out[1] = Finding(
                out[1].question,
                out[1].answer + " Used but still weak in performance: " + ", ".join(flagged["concept"]) + ".",
                out[1].evidence,
            )
    return out


def _flow_of_work(delivery: Delivery, limits: Thresholds, moments: pd.DataFrame | None) -> Finding:
    """Answer whether the flow-of-work support is used: the most used work asset, how often, and when."""
    n = delivery.cohort_size
    work = work_support_near_moments(delivery, moments, thresholds=limits)
    if work.empty:
        answer = "The journey has no work-layer or reference asset: nothing supports the flow of work."
    else:
        used = work.sort_values("learners", ascending=False).iloc[0]
        share = used["learners"] / n
        answer = (
            f"{used['title']!r} was used by {used['learners']} of {n} learners ({share:.0%}), "
            f"{used['accesses'] / max(used['learners'], 1):.1f} times each; "
            f"{used['work_time_share']:.0%} of uses in working time"
        )
        if not pd.isna(used["lift"]):
            answer += f", {used['lift']:.1f}x as often near work moments as at random"
        answer += "."
    return Finding("Is the flow-of-work support used?", answer, work)


def _stronger_reinforcement(delivery: Delivery, limits: Thresholds) -> Finding:
    """Answer which parts need stronger reinforcement: concepts below the retrieval target, and reach fatigue."""
    outcomes = retrieval_results(delivery)
    if outcomes.empty:
        weakest = pd.DataFrame(columns=["concept", "attempts", "accuracy", "se"])
        answer = "No retrieval results in the data (no scored or item statements): reach is all there is to judge."
    else:
        weakest = outcomes.groupby("concept")["success"].agg(attempts="size", accuracy="mean").reset_index()
        weakest["se"] = _se(weakest["accuracy"], weakest["attempts"])
        weakest = weakest.sort_values("accuracy", ignore_index=True)
        low = weakest[weakest["accuracy"] < limits.quiz_accuracy]
        if low.empty:
            answer = f"Every concept is retrieved at or above the {limits.quiz_accuracy:.0%} target."
        else:
            names = ", ".join(f"{r.concept} ({r.accuracy:.0%} of {r.attempts})" for r in low.itertuples())
            answer = (
                f"Below the {limits.quiz_accuracy:.0%} retrieval target: {names}; add or move retrieval touches there."
            )
    series = series_reach(delivery)
    fatigue = series.attrs.get("fatigue", {})
    if fatigue and not math.isnan(fatigue.get("estimate", math.nan)):
        answer += (
            f" Reach falls {fatigue['estimate']:.1%} per reinforcement touch (95% interval "
            f"{fatigue['low']:.1%} to {fatigue['high']:.1%}; the simulator assumes {fatigue['assumed']:.0%})."
        )
    return Finding("Which parts need stronger reinforcement?", answer, weakest)


def _used_as_reference(delivery: Delivery) -> Finding:
    """Answer what works as reference rather than instruction: assets come back to, during and after it."""
    repeats = repeat_access(delivery)
    returns = returns_after_programme(delivery)
    back = returns.groupby("activity_id")["returns"].sum()
    repeats["returns_after"] = repeats["activity_id"].map(back).fillna(0).astype(int)
    reference = repeats[(repeats["repeat_share"] >= 0.2) | (repeats["returns_after"] > 0)].sort_values(
        "repeat_share", ascending=False, ignore_index=True
    )
    if reference.empty:
        answer = "No asset is come back to: everything is used once, as instruction."
    else:
        top = reference.iloc[0]
        designed = reference[reference["purpose"] != "reference"]
        answer = f"{top['title']!r} is come back to by {top['repeat_share']:.0%} of its users"
        answer += f" ({top['returns_after']} returns after the programme)."
        if not designed.empty:
            answer += " Used as reference though designed otherwise: " + ", ".join(designed["activity_id"]) + "."
    return Finding("What works as reference rather than instruction?", answer, reference)


def _worth_replicating(delivery: Delivery, limits: Thresholds, moments: pd.DataFrame | None) -> Finding:
    """Answer which assets are worth replicating: the three that beat their purpose's target by the most."""
    verdict = verdicts(delivery, thresholds=limits, moments=moments)
    good = verdict[verdict["verdict"] == "meets"].copy()
    good["margin"] = good["value"] - good["threshold"]
    good = good.sort_values("margin", ascending=False, ignore_index=True)
    if good.empty:
        answer = "No asset meets its purpose's target yet."
    else:
        best = good.head(3)
        answer = "Worth replicating: " + "; ".join(
            f"{r.title!r} ({r.purpose}: {r.measure} {r.value:.0%} vs {r.threshold:.0%})" for r in best.itertuples()
        )
        answer += "."
    return Finding("Which assets are worth replicating?", answer, good)
