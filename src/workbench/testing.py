"""Assertions for designers' own notebooks, so a notebook is a regression test.

Each assertion raises :class:`DesignAssertionError` (an ``AssertionError``) whose message shows
the measured value, the bound and the seed, so a failing nbval run says what changed.

Examples
--------
>>> from workbench.simulate import simulate
>>> from workbench.templates import load_template
>>> journey = load_template("post_training_retention")
>>> result = simulate(journey, rng=1)
>>> assert_retention(result, day=90, at_least=0.5)
>>> assert_no_findings(journey, severity="error")
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "DesignAssertionError",
    "assert_learner_minutes",
    "assert_no_findings",
    "assert_proficiency",
    "assert_retention",
]


class DesignAssertionError(AssertionError):
    """A design promise does not hold (retention, proficiency, minutes or findings)."""


def _where(result: Any, concept: str | None) -> str:
    scope = f"concept {concept!r}" if concept else "all concepts (importance-weighted)"
    return f"{scope} of journey {result.journey_id!r}, {result.n_learners} learners, seed {result.seed}"


def assert_retention(
    result: Any,
    *,
    day: int,
    at_least: float | None = None,
    at_most: float | None = None,
    concept: str | None = None,
) -> None:
    """Mean recall on ``day`` is within the bounds."""
    value = result.retention(day, concept)
    if at_least is not None and value < at_least:
        raise DesignAssertionError(
            f"retention on day {day} is {value:.4f}, below the promised {at_least:g} ({_where(result, concept)})"
        )
    if at_most is not None and value > at_most:
        raise DesignAssertionError(
            f"retention on day {day} is {value:.4f}, above {at_most:g} ({_where(result, concept)})"
        )


def assert_proficiency(
    result: Any, *, day: int, at_least: float, threshold: float | None = None, concept: str | None = None
) -> None:
    """Assert that the share of learners at or above ``threshold`` recall on ``day`` is at least ``at_least``."""
    value = result.proficiency(day, threshold=threshold, concept=concept)
    limit = result.threshold if threshold is None else threshold
    if value < at_least:
        raise DesignAssertionError(
            f"proficiency (recall >= {limit:g}) on day {day} is {value:.4f}, below the promised "
            f"{at_least:g} ({_where(result, concept)})"
        )


def assert_learner_minutes(result: Any, *, at_most: float) -> None:
    """Mean learner minutes stay within the budget."""
    value = result.learner_minutes
    if value > at_most:
        raise DesignAssertionError(
            f"learners spend {value:.1f} minutes on average, over the budget of {at_most:g} ({_where(result, None)})"
        )


def assert_no_findings(journey: Any, *, severity: str = "error", **lint_options: Any) -> None:
    """Assert that the journey has no design-rule finding of ``severity`` or worse."""
    from workbench.rules import lint

    order = {"error": 0, "warning": 1, "info": 2}
    if severity not in order:
        raise ValueError(f"severity: must be one of error, warning, info (got {severity!r})")
    worse = [f for f in lint(journey, **lint_options) if order[str(f.severity)] <= order[severity]]
    if worse:
        listed = "\n".join(f"  {f}" for f in worse)
        raise DesignAssertionError(
            f"journey {journey.id!r} has {len(worse)} finding(s) of severity {severity} or worse:\n{listed}"
        )
