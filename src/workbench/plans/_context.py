"""What a plan needs to know about a journey.

When each concept is taught, and how a typical learner's memory of it evolves under the
journey's own touches.

* **Taught**: a concept is taught by a dated activity that covers it and is either a formal
  event or has the ``encode`` effect. Concepts that no dated activity teaches get no
  reinforcement (a quiz before teaching is a failed retrieval, not reinforcement).
* **Anchor**: the last formal event that covers the concept (the end of formal
  instruction); without one, its last teaching activity. Plan touches are scheduled
  ``{"after": anchor, "gap_days": N}`` with ``N >= 0``, hence never before first teaching.
* **Typical learner**: a learner who does every *required* dated activity, whose memory
  clock runs at the concept's difficulty rate times a chosen quantile of the population's
  log-normal spread (the median by default), and who recalls a retrieval when the predicted
  recall is at least 0.5. Target-retention and cadence plans schedule from this learner,
  with the memory profile the journey is simulated under (:attr:`JourneyContext.profile`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from statistics import NormalDist
from typing import Any

import numpy as np

from workbench.memory import MemoryModel, MemoryState
from workbench.model import Journey
from workbench.simulate.population import TouchEffects
from workbench.simulate.profiles import MemoryProfile, resolve_profile
from workbench.simulate.touch import MEDIAN_DRAW, apply_touch
from workbench.vocabulary import MemoryEffect

__all__ = ["ConceptInfo", "JourneyContext", "TypicalLearner", "concept_rate"]


@dataclass(frozen=True)
class ConceptInfo:
    """When a concept is first taught and the activity plan touches are scheduled after."""

    id: str
    first_taught: float | None
    anchor_id: str | None
    anchor_day: float | None

    @property
    def taught(self) -> bool:
        """Whether some dated activity teaches the concept."""
        return self.anchor_id is not None


@dataclass(frozen=True)
class JourneyContext:
    """A journey seen by a plan: concepts with their anchors, the existing load, and who learns.

    ``profile`` is the memory profile the journey will be simulated under: plans that schedule
    from a memory model use its model (:meth:`MemoryProfile.model_for`) and its touch effects.
    """

    journey: Journey
    concepts: dict[str, ConceptInfo]
    existing_load: tuple[tuple[float, float], ...]  # (day, minutes) of non-formal dated activities
    profile: MemoryProfile = field(default_factory=resolve_profile)

    @classmethod
    def of(cls, journey: Journey, profile: Any = None) -> JourneyContext:
        """Analyse ``journey`` for learners of ``profile`` (a name, profile or calibration; None: the default)."""
        memory_profile = resolve_profile(profile)
        days = journey.days
        timeline = [a for a in journey.timeline() if days[a.id] is not None]
        info: dict[str, ConceptInfo] = {}
        for concept in journey.concepts:
            teaching = [
                a
                for a in timeline
                if concept.id in a.concept_ids
                and (journey.is_formal(a) or a.effect_on(concept.id) is MemoryEffect.ENCODE)
            ]
            formal = [a for a in teaching if journey.is_formal(a)]
            anchor = (formal or teaching)[-1] if teaching else None
            info[concept.id] = ConceptInfo(
                id=concept.id,
                first_taught=float(days[teaching[0].id] or 0.0) if teaching else None,
                anchor_id=anchor.id if anchor is not None else None,
                anchor_day=float(days[anchor.id] or 0.0) if anchor is not None else None,
            )
        load = tuple((float(days[a.id] or 0.0), float(a.duration_min)) for a in timeline if not journey.is_formal(a))
        return cls(journey=journey, concepts=info, existing_load=load, profile=memory_profile)

    def taught(self, chosen: tuple[str, ...] | None) -> list[ConceptInfo]:
        """Return the chosen concepts (all by default) that are taught, in journey order."""
        ids = [c.id for c in self.journey.concepts] if chosen is None else list(chosen)
        return [self.concepts[c] for c in ids if self.concepts[c].taught]

    def anchor_day(self, concept: str) -> float:
        """Day of the concept's anchor (raises KeyError-free: untaught concepts give +inf)."""
        day = self.concepts[concept].anchor_day
        return math.inf if day is None else day


def concept_rate(
    journey: Journey, concept: str, *, difficulty_scale: float, memory_sigma: float, quantile: float
) -> float:
    """How fast the chosen learner's clock runs for ``concept`` (1 = a neutral concept, median learner).

    ``quantile`` 0.5 is the median learner; 0.8 a learner who forgets faster than 80% of the
    population (the engine draws ``exp(N(0, memory_sigma))``).

    Examples
    --------
    >>> from workbench.templates import load_template
    >>> j = load_template("post_training_retention")
    >>> concept_rate(j, "sbi_model", difficulty_scale=5.0, memory_sigma=0.35, quantile=0.5)
    1.0
    """
    difficulty = journey.concept(concept).difficulty
    base = math.pow(2.0, ((difficulty if difficulty is not None else 5.0) - 5.0) / difficulty_scale)
    spread = math.exp(memory_sigma * NormalDist().inv_cdf(quantile)) if memory_sigma > 0 else 1.0
    return base * spread


class TypicalLearner:
    """One learner's memory of one concept, replaying the journey's required dated touches.

    Examples
    --------
    >>> from workbench.templates import load_template
    >>> from workbench.memory import FSRS6
    >>> j = load_template("post_training_retention")
    >>> learner = TypicalLearner(j, "sbi_model", FSRS6(), TouchEffects(), rate=1.0)
    >>> learner.advance_to(0.0)
    >>> round(learner.recall(1.0), 3) > 0.9
    True
    """

    def __init__(self, journey: Journey, concept: str, model: MemoryModel, effects: TouchEffects, rate: float) -> None:
        self.model = model
        self.effects = effects
        self.rate = rate
        days = journey.days
        self.events: list[tuple[float, str, str]] = [
            (float(day), str(effect.value), a.kind)
            for a in journey.timeline()
            if (day := days[a.id]) is not None and a.required and (effect := a.effect_on(concept)) is not None
        ]
        self.position = 0
        self.state: MemoryState | None = None
        self.last = -math.inf

    @property
    def next_event_day(self) -> float:
        """Day of the next journey touch not yet replayed (inf when none is left)."""
        return self.events[self.position][0] if self.position < len(self.events) else math.inf

    def advance_to(self, day: float, *, inclusive: bool = True) -> None:
        """Replay the journey's touches up to ``day``."""
        while self.position < len(self.events):
            event_day, effect, kind = self.events[self.position]
            if event_day > day or (event_day == day and not inclusive):
                break
            self.touch(event_day, effect, kind)
            self.position += 1

    def recall(self, day: float) -> float:
        """Predicted recall on ``day`` (0 before the concept is met)."""
        if self.state is None:
            return 0.0
        elapsed = max(day - self.last, 0.0) * self.rate
        return float(self.model.retrievability(self.state, np.array([elapsed]))[0])

    def interval(self, target: float) -> float:
        """Days after the last touch until recall falls to ``target`` (exact, not rounded)."""
        if self.state is None:
            return 0.0
        exact: Any = self.model.interval_days(self.state, target, rounded=False)  # type: ignore[call-arg]
        return float(np.asarray(exact, dtype=float).ravel()[0]) / self.rate

    def touch(self, day: float, effect: str, kind: str) -> bool:
        """Apply a touch on ``day``; returns whether a retrieval would succeed."""
        calendar = np.array([max(day - self.last, 0.0)]) if self.state is not None else np.zeros(1)
        outcome = apply_touch(
            self.model,
            self.state,
            calendar * self.rate,
            effect,
            gain=self.effects.gain(effect, kind),
            first_rating=self.effects.first_rating(effect),
            draws=MEDIAN_DRAW,  # the typical learner recalls when recall is at least one half
            calendar_days=calendar if self.state is not None else None,
        )
        self.state = outcome.state
        self.last = day
        return bool(outcome.recalled[0]) if effect == MemoryEffect.RETRIEVE.value else True
