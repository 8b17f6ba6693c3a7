"""Population simulation: properties, closed forms, Monte Carlo within its standard error."""

from __future__ import annotations

import numpy as np
import pytest

from workbench.errors import ParameterError, UnknownNameError
from workbench.memory import FSRS6
from workbench.model import Activity, Concept, Journey
from workbench.simulate import Engagement, LearnerPopulation, TouchEffects, simulate
from workbench.templates import list_templates, load_template


def _journey(*activities: Activity, concepts: tuple[str, ...] = ("c1",)) -> Journey:
    journey = Journey.empty("t", "Test journey")
    for concept in concepts:
        journey = journey.add_concept(Concept(id=concept, name=concept.upper()))
    for activity in activities:
        journey = journey.add_activity(activity)
    return journey


def _module(day: float = 0.0, covers: tuple[str, ...] = ("c1",)) -> Activity:
    return Activity.of_kind("elearning_module", id="module", title="Module", covers=list(covers), schedule=day)


@pytest.mark.parametrize("name", list_templates())
def test_recall_is_a_probability_and_never_rises_between_touches(name: str) -> None:
    result = simulate(load_template(name), population=LearnerPopulation(size=600), rng=11)
    assert np.all((result.mean >= 0) & (result.mean <= 1))
    assert np.all((result.quantiles >= 0) & (result.quantiles <= 1))
    for recall in result.checkpoints.values():
        assert recall.min() >= 0
        assert recall.max() <= 1
    for c, concept in enumerate(result.concept_ids):
        touched = np.array(result.touch_days[concept])
        for day in range(result.horizon_days):
            # a touch at day t is felt from the first measurement after t
            if not np.any((touched >= day) & (touched < day + 1)):
                assert result.mean[day + 1, c] <= result.mean[day, c] + 1e-12, (concept, day)
    # quantile bands are ordered
    assert np.all(np.diff(result.quantiles, axis=0) >= -1e-9)


def test_same_seed_same_result_whatever_the_threads() -> None:
    journey = load_template("onboarding_continuation")
    population = LearnerPopulation(size=9000)  # three blocks of learners
    one = simulate(journey, population=population, rng=5, workers=1)
    two = simulate(journey, population=population, rng=5, workers=2)
    again = simulate(journey, population=population, rng=5, workers=1)
    assert np.array_equal(one.mean, two.mean)
    assert np.array_equal(one.mean, again.mean)
    assert np.array_equal(one.learner_minutes_each, two.learner_minutes_each)
    other = simulate(journey, population=population, rng=6)
    assert not np.array_equal(one.mean, other.mean)
    assert one.seed == 5


def test_uniform_population_without_retrieval_equals_the_closed_form() -> None:
    recap = Activity.of_kind("post_session_recap", id="recap", title="Recap", covers=["c1"], schedule=3)
    card = Activity.of_kind("prompt_card", id="card", title="Card", covers=["c1"], schedule=10)
    journey = _journey(_module(), recap, card)
    # the closed form of FSRS-6 with its default weights: the flashcards profile
    result = simulate(journey, population=LearnerPopulation.uniform(50), horizon_days=40, rng=0, profile="flashcards")

    model, effects = FSRS6(), TouchEffects()
    state = model.initial_state(np.array([3]))
    state = model.review(state, np.array([3.0]), np.array([3]), effects.restudy_gain)
    state = model.review(state, np.array([7.0]), np.array([3]), effects.restudy_gain)
    expected = model.retrievability(state, np.arange(11, 41) - 10.0)
    assert np.allclose(result.mean[11:, 0], expected, rtol=1e-12)
    assert np.allclose(result.quantiles[:, 11:, 0], np.broadcast_to(expected, (5, 30)), rtol=1e-6)
    assert result.learner_minutes == pytest.approx(journey.learner_minutes)
    # day d is measured at its start: nothing is known before the day-0 module
    assert result.retention(0) == 0.0
    assert result.retention(1) == pytest.approx(float(model.retrievability(model.initial_state(np.array([3])), 1.0)[0]))
    assert result.proficiency(40, concept="c1") in (0.0, 1.0)


def test_retrieval_outcomes_agree_with_their_expectation_within_the_standard_error() -> None:
    quiz = Activity.of_kind("spaced_recall_quiz", id="quiz", title="Quiz", covers=["c1"], schedule=12)
    n = 20000
    result = simulate(
        _journey(_module(), quiz),
        population=LearnerPopulation.uniform(n),
        horizon_days=60,
        rng=42,
        profile="flashcards",
    )
    model = FSRS6()
    s0 = model.initial_state(np.array([3]))
    p_recall = float(model.retrievability(s0, 12.0)[0])
    good = model.review(s0, np.array([12.0]), np.array([3]))
    lapse = model.review(s0, np.array([12.0]), np.array([1]))
    r_good = float(model.retrievability(good, 48.0)[0])
    r_lapse = float(model.retrievability(lapse, 48.0)[0])
    expected = p_recall * r_good + (1 - p_recall) * r_lapse
    standard_error = np.sqrt(p_recall * (1 - p_recall) / n) * abs(r_good - r_lapse)
    assert abs(result.retention(60) - expected) < 4 * standard_error
    touch = result.touches_frame().set_index("key").loc["quiz"]
    success_se = np.sqrt(p_recall * (1 - p_recall) / n)
    assert abs(touch["retrieval_success_rate"] - p_recall) < 4 * success_se


def test_engagement_reach_matches_its_probability_within_the_standard_error() -> None:
    quiz = Activity.of_kind(
        "spaced_recall_quiz",
        id="quiz",
        title="Quiz",
        covers=["c1"],
        schedule=5,
        channel="email",
        required=False,
    )
    population = LearnerPopulation(size=20000, engagement_sigma=0.0)
    result = simulate(_journey(_module(), quiz), population=population, horizon_days=30, rng=9)
    engagement = population.engagement
    p = engagement.optional * engagement.channels["email"]  # first reinforcement: no fatigue yet
    reach = result.touches_frame().set_index("key").loc["quiz", "reach"]
    assert abs(reach - p) < 4 * np.sqrt(p * (1 - p) / population.size)


@pytest.mark.parametrize("name", list_templates())
def test_adding_a_retrieval_touch_raises_retention_at_the_horizon(name: str) -> None:
    journey = load_template(name)
    extra = Activity.of_kind(
        "spaced_recall_quiz",
        id="extra_recall",
        title="Extra recall",
        covers=[c.id for c in journey.concepts],
        schedule=150,
    )
    population = LearnerPopulation(size=2000)
    before = simulate(journey, population=population, rng=3)
    after = simulate(journey.add_activity(extra), population=population, rng=3)
    assert after.retention(180) > before.retention(180)
    assert after.learner_minutes > before.learner_minutes


def test_prior_knowledge_and_difficulty_shift_recall_the_right_way() -> None:
    journey = _journey(_module(covers=("easy", "hard")), concepts=("easy", "hard"))
    journey = journey.replace_concept(Concept(id="hard", name="Hard", difficulty=9.0))
    journey = journey.replace_concept(Concept(id="easy", name="Easy", difficulty=2.0))
    result = simulate(journey, population=LearnerPopulation.uniform(10), horizon_days=30, rng=0)
    assert result.retention(30, "easy") > result.retention(30, "hard")
    primed = LearnerPopulation(size=4000, prior_knowledge={"hard": 0.5})
    late = _journey(_module(day=20, covers=("easy", "hard")), concepts=("easy", "hard"))
    with_prior = simulate(late, population=primed, horizon_days=30, rng=1)
    # half the learners knew "hard" 60 days before day 0: some of it is left on day 10, nothing of "easy"
    assert with_prior.retention(10, "hard") > 0.1
    assert with_prior.retention(10, "easy") == 0.0


def test_metrics_are_consistent() -> None:
    result = simulate(load_template("post_training_retention"), population=LearnerPopulation(size=3000), rng=2)
    for concept in result.concept_ids:
        assert result.proficiency(90, concept=concept) == pytest.approx(
            result.proficient_share[90, result.concept_ids.index(concept)], abs=2e-3
        )
    assert result.auc("sbi_model") == pytest.approx(np.trapezoid(result.mean[:, 0]))
    assert 0 <= result.proficiency(90) <= 1
    assert 0 <= result.proficiency(90, threshold=0.5) <= 1
    assert result.proficiency(90, threshold=0.5) >= result.proficiency(90, threshold=0.9)
    frame = result.to_frame()
    assert list(frame.columns) == [
        "concept",
        "day",
        "mean",
        "q05",
        "q25",
        "q50",
        "q75",
        "q95",
        "proficient_share",
    ]
    assert len(frame) == len(result.concept_ids) * 181
    metrics = result.metrics()
    assert set(metrics["retention"]) == {"day_7", "day_30", "day_90", "day_180"}
    assert metrics["retained_concept_days_per_learner_hour"] > 0
    summary = result.summary()
    assert summary.loc["__all__", "day 90"] == pytest.approx(result.retention(90))
    with pytest.raises(ParameterError, match="per-learner recall is kept on days"):
        result.proficiency(45)
    with pytest.raises(ParameterError, match="not in journey"):
        result.retention(10, "nope")


def test_alternative_models_run_and_differ() -> None:
    journey = load_template("compliance_follow_up")
    population = LearnerPopulation(size=300)
    values = {
        m: simulate(journey, population=population, model=m, rng=1).retention(90)
        for m in ("fsrs6", "exponential", "hlr", "actr")
    }
    assert all(0 < v < 1 for v in values.values())
    assert len({round(v, 6) for v in values.values()}) == 4


def test_bad_input_is_named() -> None:
    journey = load_template("post_training_retention")
    with pytest.raises(UnknownNameError, match="known models: fsrs6"):
        simulate(journey, model="ebbinghaus")
    with pytest.raises(ParameterError, match="horizon_days"):
        simulate(journey, horizon_days=0)
    with pytest.raises(ParameterError, match="prior_knowledge names concepts not in journey"):
        simulate(journey, population=LearnerPopulation(prior_knowledge={"ghost": 0.5}))
    with pytest.raises(ParameterError, match="threshold"):
        simulate(journey, threshold=1.5)
    with pytest.raises(ValueError, match="memory_sigma"):
        LearnerPopulation(memory_sigma=-1.0)
    with pytest.raises(ValueError, match="required"):
        Engagement(required=2.0)


def test_final_states_hold_recall_and_stability_for_every_learner() -> None:
    result = simulate(load_template("flipped_classroom"), population=LearnerPopulation(size=700), rng=8)
    states = result.final_states()
    assert states.shape == (700, 2 * len(result.concept_ids))
    assert np.allclose(states["recall"].to_numpy().mean(axis=0), result.mean[-1], atol=1e-6)
    stability = states["stability_days"].to_numpy()
    never_met = np.isnan(stability)
    assert np.nanmin(stability) > 0
    assert (states["recall"].to_numpy()[never_met] == 0).all()


def test_a_population_or_plan_string_in_the_plan_slot_is_refused_with_the_fix() -> None:
    journey = load_template("safety_reminders")
    population = LearnerPopulation(size=10)
    # plan is the second positional argument: a population there used to fail deep inside
    with pytest.raises(ParameterError, match=r"pass it by name: simulate\(journey, population="):
        simulate(journey, population)  # type: ignore[arg-type]
    with pytest.raises(ParameterError, match=r"parse_plan\('expanding'\)"):
        simulate(journey, "expanding")  # type: ignore[arg-type]
    with pytest.raises(ParameterError, match="population: expected a LearnerPopulation, got int"):
        simulate(journey, population=500)  # type: ignore[arg-type]
