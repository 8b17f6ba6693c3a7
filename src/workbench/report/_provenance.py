"""What a report's numbers rest on, and how to get them again.

:class:`Provenance` is the one line every simulated number carries (memory profile or
calibration, learners, forgetting model, seed): the review's key figures, its text and the
analytics report's simulated side show it. The rest is the review's reproducibility
section: the spec fingerprint, the ``workbench report`` command that gives the same review,
and every assumption grouped (run, memory profile, journey, population, touch effects,
forgetting model).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from workbench import __version__

if TYPE_CHECKING:
    from workbench.model import Journey
    from workbench.report.review import StrategyReview
    from workbench.simulate import SimulationResult

__all__ = ["Provenance", "assumptions", "fingerprint", "flatten", "reproduce_command"]


@dataclass(frozen=True)
class Provenance:
    """Where simulated numbers come from: memory profile (or calibration), learners, model and seed.

    Attributes
    ----------
    profile : str
        Name of the memory profile (a calibration's fitted profile is named after it).
    profile_title : str
        Its title (a calibration's says what data it was fitted to).
    learners : int
        Learners simulated.
    model : str
        Forgetting model that ran.
    seed : int or str
        The seed every simulation used.
    overrides : tuple of str
        What was given explicitly instead of the profile's values (model, touch effects).

    Examples
    --------
    >>> from workbench.simulate import LearnerPopulation, simulate
    >>> from workbench.templates import load_template
    >>> result = simulate(load_template("safety_reminders"), population=LearnerPopulation(size=50), rng=3)
    >>> print(Provenance.of(result).text())
    memory profile workplace, 50 learners, model fsrs6, seed 3
    """

    profile: str
    profile_title: str
    learners: int
    model: str
    seed: int | str
    overrides: tuple[str, ...] = ()

    @classmethod
    def of(cls, result: SimulationResult) -> Provenance:
        """Return the provenance of a simulation (from ``result.assumptions``)."""
        note = result.assumptions.get("memory_profile") or {}
        return cls(
            profile=str(note.get("name", "?")),
            profile_title=str(note.get("title", "")),
            learners=int(result.n_learners),
            model=str(result.model_name),
            seed=result.seed,
            overrides=tuple(str(v) for k, v in note.items() if k.endswith("_override")),
        )

    def text(self) -> str:
        """Return the provenance as one line (what every printed number rests on)."""
        overrides = "".join(f"; {o}" for o in self.overrides)
        return (
            f"memory profile {self.profile}, {self.learners} learners, model {self.model}, seed {self.seed}{overrides}"
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the provenance as plain data (JSON-ready)."""
        return {
            "memory_profile": self.profile,
            "memory_profile_title": self.profile_title,
            "learners": self.learners,
            "model": self.model,
            "seed": self.seed,
            "overrides": list(self.overrides),
        }


def flatten(data: Any, prefix: str = "") -> list[tuple[str, str]]:
    """Return nested settings as ``(dotted name, text)`` rows, in a stable order.

    Examples
    --------
    >>> flatten({"engagement": {"required": 0.9, "optional": []}, "size": 300})
    [('engagement.required', '0.9'), ('engagement.optional', 'none'), ('size', '300')]
    """
    rows: list[tuple[str, str]] = []
    if isinstance(data, Mapping):
        if not data and prefix:
            return [(prefix, "none")]
        for key in data:
            rows += flatten(data[key], f"{prefix}.{key}" if prefix else str(key))
        return rows
    if isinstance(data, list | tuple):
        if data and all(isinstance(v, int | float) and not isinstance(v, bool) for v in data):
            return [(prefix, ", ".join(f"{float(v):.6g}" for v in data))]
        return [(prefix, ", ".join(str(v) for v in data) or "none")]
    if isinstance(data, float):
        return [(prefix, f"{data:.6g}")]
    return [(prefix, "none" if data is None else str(data))]


def fingerprint(journey: Journey) -> str:
    """Return the SHA-256 of the journey's canonical JSON spec: the same journey, the same fingerprint."""
    from workbench.spec import dumps

    return hashlib.sha256(dumps(journey, format="json").encode("utf-8")).hexdigest()


def reproduce_command(review: StrategyReview) -> str:
    """Return the ``workbench report`` command that gives this review again."""
    parts = ["workbench", "report", review.source or "JOURNEY.yaml", "--plans", ",".join(review.requested)]
    if review.target is not None:
        parts += ["--target", f"{review.target:g}"]
        if review.metric != "proficiency":
            parts += ["--metric", review.metric]
    parts += ["--on-day", str(review.on_day), "--learners", str(review.population.size)]
    parts += [*_profile_options(review.profile), "--seed", str(review.seed), "--model", review.model]
    return " ".join([*parts, "-o", "review.html"])


def _profile_options(profile: Any) -> list[str]:
    """Return the options that choose the review's memory profile again (none for the default).

    Examples
    --------
    >>> from workbench.simulate import get_profile
    >>> _profile_options(None), _profile_options("flashcards"), _profile_options(get_profile("workplace"))
    ([], ['--profile', 'flashcards'], ['--profile', 'workplace'])
    >>> _profile_options(get_profile("workplace").with_values({"memory_sigma": 0.5}, name="fitted"))
    ['--calibration', 'CALIBRATION.yaml']
    """
    from workbench.simulate import PROFILES, MemoryProfile

    if profile is None:
        return []
    if isinstance(profile, str):
        return ["--profile", profile]
    if isinstance(profile, MemoryProfile) and PROFILES.get(profile.name) == profile:
        return ["--profile", profile.name]
    return ["--calibration", "CALIBRATION.yaml"]  # a fitted profile: the file it was saved to


def assumptions(review: StrategyReview) -> dict[str, list[tuple[str, str]]]:
    """Return what the numbers rest on, grouped: run, memory profile, journey, population, effects, model."""
    base = review.result().assumptions
    run = [
        ("workbench version", __version__),
        ("seed (common to every plan)", str(review.seed)),
        ("learners simulated", str(review.population.size)),
        ("forgetting model", str(base.get("model", review.model))),
        ("horizon (days simulated)", str(base.get("horizon_days", ""))),
        ("days reported", ", ".join(str(d) for d in review.days)),
        ("day that matters (deadline)", str(review.on_day)),
        ("proficiency threshold (recall)", f"{review.threshold:g}"),
        ("target", review.target_text() or "none set"),
        ("plans compared", ", ".join(review.plans)),
    ]
    if review.optimisation is not None:
        run.append(("optimiser simulations", str(review.optimisation.simulations)))
    journey = [
        ("journey", f"{review.journey.id} v{review.journey.version}"),
        ("title", review.journey.title),
        ("spec fingerprint (SHA-256 of the JSON spec)", fingerprint(review.journey)),
    ]
    if review.source:
        journey.append(("spec file", review.source))
    parameters = base.get("model_parameters")
    model = flatten({"parameters": parameters}) if parameters is not None else [("parameters", "defaults")]
    model += flatten(dict(base.get("model_assumptions") or {}))  # source and limits of the defaults
    profile = base.get("memory_profile", {})
    memory = [
        ("profile", f"{profile.get('name', '?')}: {profile.get('title', '')}"),
        ("source", str(profile.get("source", ""))),
        *((f"citation {i}", str(c)) for i, c in enumerate(profile.get("citations", []), start=1)),
        *((k.replace("_", " "), str(v)) for k, v in profile.items() if k.endswith("_override")),
    ]
    return {
        "Run": run,
        "Memory profile (what every number here rests on)": memory,
        "Journey": journey,
        "Learner population": flatten(base.get("population", {})),
        "Touch effects (relative to a successful retrieval)": flatten(base.get("effects", {})),
        f"Forgetting model ({base.get('model', review.model)})": model,
    }
