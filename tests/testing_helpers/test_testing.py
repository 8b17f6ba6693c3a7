"""Designer assertions fail loudly with the measured value, the bound and the seed."""

from __future__ import annotations

import pytest

from workbench.simulate import LearnerPopulation, simulate
from workbench.templates import load_template
from workbench.testing import (
    DesignAssertionError,
    assert_learner_minutes,
    assert_no_findings,
    assert_proficiency,
    assert_retention,
)


@pytest.fixture(scope="module")
def result():  # type: ignore[no-untyped-def]
    return simulate(load_template("post_training_retention"), population=LearnerPopulation(size=500), rng=4)


def test_passing_assertions_are_silent(result) -> None:  # type: ignore[no-untyped-def]
    value = result.retention(90)
    assert_retention(result, day=90, at_least=value - 1e-9, at_most=value + 1e-9)
    assert_proficiency(result, day=90, at_least=result.proficiency(90))
    assert_learner_minutes(result, at_most=result.learner_minutes + 1)
    assert_no_findings(load_template("post_training_retention"), severity="warning")


def test_failures_show_value_bound_and_seed(result) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(
        DesignAssertionError, match=r"retention on day 90 is 0\.\d{4}, below the promised 0\.999.*seed 4"
    ):
        assert_retention(result, day=90, at_least=0.999)
    with pytest.raises(DesignAssertionError, match=r"concept 'sbi_model'"):
        assert_retention(result, day=30, at_most=0.01, concept="sbi_model")
    with pytest.raises(DesignAssertionError, match=r"proficiency \(recall >= 0\.95\) on day 180"):
        assert_proficiency(result, day=180, at_least=0.99, threshold=0.95)
    with pytest.raises(DesignAssertionError, match="over the budget of 10"):
        assert_learner_minutes(result, at_most=10)
    with pytest.raises(DesignAssertionError, match="WB003"):
        assert_no_findings(load_template("post_training_retention"), severity="info")
