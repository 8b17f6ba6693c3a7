"""Who the learners are: variation in memory, prior knowledge and engagement.

Every default here is a stated, overridable assumption. The engagement figures are
workbench's planning defaults, not measurements: calibrate them from your own analytics
(:mod:`workbench.analytics`) before you take a simulated number to a steering committee.
"""

from __future__ import annotations

from typing import Annotated, Any

import numpy as np
from pydantic import Field

from workbench._values import StrictFloat, Value
from workbench.vocabulary import Channel

__all__ = ["Engagement", "LearnerPopulation", "TouchEffects"]

Probability = Annotated[StrictFloat, Field(ge=0, le=1)]


def _default_channel_factors() -> dict[Channel, float]:
    # Relative reach of a channel compared with a required LMS assignment: push channels
    # that live where people work are opened more often than email (planning defaults).
    return {
        Channel.IN_PERSON: 1.0,
        Channel.VIRTUAL_CLASSROOM: 1.0,
        Channel.LMS: 1.0,
        Channel.MOBILE: 0.95,
        Channel.CHAT: 0.9,
        Channel.EMAIL: 0.8,
        Channel.CALENDAR: 0.9,
        Channel.IN_PRODUCT: 1.0,
        Channel.MANAGER_1ON1: 0.85,
    }


class Engagement(Value):
    """The probability that a learner does an asset.

    ``p = base(required/optional) x channel factor x (1 - fatigue) ** k x (1 - no_show if live)``,
    where ``k`` is the number of reinforcement touches the journey has already sent that
    learner (reinforcement fatigue). Learners differ by a propensity on the logit scale
    (``LearnerPopulation.engagement_sigma``), so the same people tend to skip.

    Parameters
    ----------
    required, optional : float
        Base completion probability of required and optional assets.
    channels : dict
        Multiplier per channel (missing channels count 1).
    live_no_show : float
        Share of learners missing a live session (ILT / VILT) they were booked on.
    fatigue_per_touch : float
        Relative drop in engagement per earlier reinforcement touch.
    on_demand_weekly_use : float
        Probability that a learner uses an on-demand asset (job aid) in a given week.
    """

    required: Probability = 0.9
    optional: Probability = 0.45
    channels: dict[Channel, Annotated[StrictFloat, Field(ge=0, le=1)]] = Field(default_factory=_default_channel_factors)
    live_no_show: Probability = 0.08
    fatigue_per_touch: Annotated[StrictFloat, Field(ge=0, lt=1)] = 0.03
    on_demand_weekly_use: Probability = 0.2

    @classmethod
    def perfect(cls) -> Engagement:
        """Everyone does everything (for what-if analysis and closed-form checks)."""
        return cls(
            required=1.0,
            optional=1.0,
            channels={c: 1.0 for c in Channel},
            live_no_show=0.0,
            fatigue_per_touch=0.0,
            on_demand_weekly_use=1.0,
        )


class TouchEffects(Value):
    """How strongly each memory effect changes memory, relative to a successful retrieval.

    A successful retrieval is the model's full update (``gain = 1``). Other touches are
    weaker: practice testing beats restudy for long-term retention (meta-analyses:
    Rowland 2014, g = 0.50; Adesope, Trevisan & Sundararajan 2017, g = 0.61), and among
    non-retrieval touches the ICAP framework (Chi & Wylie 2014) ranks interactive (discuss)
    above constructive (apply) above passive (restudy) engagement. The gains below encode
    that ordering (restudy 0.4 < apply 0.5 < discuss 0.6 < retrieve 1); their exact values
    are workbench assumptions, to be calibrated with :mod:`workbench.memory.fit`.

    The first touch of a concept sets the initial memory with the rating in
    ``first_rating`` (FSRS scale: 1 Again ... 4 Easy): a quiz before any teaching is a failed
    retrieval that shows the answer (rating 1); passive first exposure is weaker than
    teaching.

    ``by_kind`` overrides the gain of every effect for one activity kind, e.g.
    ``{"scenario_practice": {"retrieve": 1.0}}``.
    """

    encode_gain: Probability = 0.8
    restudy_gain: Probability = 0.4
    apply_gain: Probability = 0.5
    discuss_gain: Probability = 0.6
    first_rating_encode: Annotated[int, Field(ge=1, le=4)] = 3
    first_rating_retrieve: Annotated[int, Field(ge=1, le=4)] = 1
    first_rating_passive: Annotated[int, Field(ge=1, le=4)] = 2
    by_kind: dict[str, dict[str, Probability]] = Field(default_factory=dict)

    def gain(self, effect: str, kind: str) -> float:
        """Gain of a successful touch with ``effect`` by an activity of ``kind``."""
        override = self.by_kind.get(kind, {})
        if effect in override:
            return override[effect]
        return {
            "retrieve": 1.0,
            "encode": self.encode_gain,
            "restudy": self.restudy_gain,
            "apply": self.apply_gain,
            "discuss": self.discuss_gain,
        }[effect]

    def first_rating(self, effect: str) -> int:
        """Rating of the first encounter with a concept through ``effect``."""
        if effect == "encode":
            return self.first_rating_encode
        if effect == "retrieve":
            return self.first_rating_retrieve
        return self.first_rating_passive


class LearnerPopulation(Value):
    """A learner population with realistic variation.

    Parameters
    ----------
    size : int
        Number of simulated learners.
    memory_sigma : float, optional
        Spread between learners' forgetting speed: each learner's clock runs at a
        log-normal rate ``exp(N(0, memory_sigma))``, which for FSRS and the exponential model
        is the same as dividing every stability by that factor. 0 makes all learners alike.
        None (default): the spread of the memory profile the simulation runs with
        (:mod:`workbench.simulate.profiles`).
    engagement_sigma : float
        Spread of learners' propensity to engage, on the logit scale.
    prior_knowledge : dict
        Share of learners who already know a concept (by concept id) before the journey.
    default_prior_knowledge : float
        Prior knowledge of concepts not listed.
    prior_days_ago : float
        How long before the first activity the prior knowledge was acquired.
    difficulty_scale : float
        How concept difficulty (1-10, 5 neutral) speeds forgetting: the clock runs
        ``2 ** ((difficulty - 5) / difficulty_scale)`` times as fast.
    engagement : Engagement
        Who does which asset.

    Examples
    --------
    >>> LearnerPopulation(size=500).memory_sigma is None  # the memory profile's spread
    True
    >>> LearnerPopulation.uniform(100).engagement.required
    1.0
    """

    size: Annotated[int, Field(ge=1, le=50_000_000)] = 1000
    memory_sigma: Annotated[StrictFloat, Field(ge=0, le=3)] | None = None
    engagement_sigma: Annotated[StrictFloat, Field(ge=0, le=5)] = 0.8
    prior_knowledge: dict[str, Probability] = Field(default_factory=dict)
    default_prior_knowledge: Probability = 0.0
    prior_days_ago: Annotated[StrictFloat, Field(gt=0, le=3650)] = 60.0
    difficulty_scale: Annotated[StrictFloat, Field(gt=0, le=100)] = 5.0
    engagement: Engagement = Field(default_factory=Engagement)

    @classmethod
    def uniform(cls, size: int = 1000) -> LearnerPopulation:
        """Identical learners who do everything: the closed-form reference population."""
        return cls(size=size, memory_sigma=0.0, engagement_sigma=0.0, engagement=Engagement.perfect())

    def concept_rate(self, difficulty: Any) -> Any:
        """How much faster the memory clock runs for concepts of ``difficulty`` (1-10, 5 neutral)."""
        return 2.0 ** ((np.asarray(difficulty, dtype=float) - 5.0) / self.difficulty_scale)

    def with_size(self, size: int) -> LearnerPopulation:
        """Return the same population with another number of learners."""
        return type(self).model_validate({**self.model_dump(), "size": size})
