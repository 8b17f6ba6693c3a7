"""Memory profiles: the engine's fittable memory parameters as one named, sourced value.

A :class:`MemoryProfile` says how the simulated learners remember: the forgetting model and
its parameters, how much learners differ in forgetting speed (``memory_sigma``) and how
strongly each kind of touch changes memory (the non-retrieval touch gains). Every profile
names its source, and every simulation records the profile it ran with
(``result.assumptions["memory_profile"]``).

The parameters a calibration can fit are listed by :func:`fittable_parameters`; each has a
name with its unit, bounds and a getter/setter on the profile, so fitting never needs to
know how a model stores its weights.

Examples
--------
>>> profile = get_profile("flashcards")
>>> profile.model, profile.memory_sigma == WORKPLACE_SPREAD.shipped  # the spread fitted with FSRS-6
('fsrs6', True)
>>> round(profile.value("s0_encode_days"), 4)
2.3065
>>> profile.with_values({"s0_encode_days": 1.0}).value("s0_encode_days")
1.0
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import Field

from workbench._values import StrictFloat, Value
from workbench.errors import ParameterError, UnknownNameError
from workbench.memory import MemoryModel, get_model, resolve_model
from workbench.memory.fsrs import DEFAULT_FSRS6_WEIGHTS, FSRS6_LOWER_BOUNDS, FSRS6_UPPER_BOUNDS
from workbench.simulate.population import TouchEffects

__all__ = [
    "DEFAULT_PROFILE",
    "PROFILES",
    "FittableParameter",
    "MemoryProfile",
    "SpreadFit",
    "fittable_parameters",
    "get_profile",
    "resolve_profile",
]


@dataclass(frozen=True)
class SpreadFit:
    """The learner spread of a profile fitted to published data, and the value the profile ships.

    ``estimate`` is the maximum-likelihood spread with the profile's other parameters re-fitted
    (0 when the maximum is on the boundary), ``low``/``high`` its 95% profile-likelihood interval
    (where the log-likelihood has dropped by chi2(1)/2 = 1.92; read off a grid of spreads
    ``grid_step`` apart, the other parameters re-fitted at each), ``shipped`` the profile's value
    and ``why`` the reason for it.

    Examples
    --------
    >>> fit = SpreadFit(estimate=0.0, low=0.0, high=0.5, shipped=0.5, grid_step=0.05, data="a table", why="a reason")
    >>> print(fit.text())  # doctest: +NORMALIZE_WHITESPACE
    learner spread fitted to a table: maximum-likelihood estimate 0 (on the boundary),
    95% profile-likelihood interval 0-0.5; shipped 0.5 (a reason)
    """

    estimate: float
    low: float
    high: float
    shipped: float
    grid_step: float
    data: str
    why: str

    def text(self) -> str:
        """One sentence for the profile's source: data, estimate, interval, shipped value and why."""
        boundary = " (on the boundary)" if self.estimate == 0 else ""
        return (
            f"learner spread fitted to {self.data}: maximum-likelihood estimate {self.estimate:g}{boundary}, "
            f"95% profile-likelihood interval {self.low:g}-{self.high:g}; shipped {self.shipped:g} ({self.why})"
        )


_SPREAD_DATA = "Cepeda et al. (2008), other parameters re-fitted"
_SPREAD_WHY = (
    "the interval's upper end: the table identifies the spread only weakly and a spread of 0 would make "
    "every learner forget alike, so the default keeps the widest spread the data do not reject; "
    "sensitivity() shows its effect, per-learner events of your own measure it"
)

#: Learner spread of the ``workplace`` profile: FSRS-6 on the 37 Cepeda et al. (2008) outcomes
#: (scripts/derive_workplace_profile.py --spread). The maximum is on the boundary 0 and the
#: likelihood is flat (1.92 log-likelihood units between 0 and 0.566), so the profile ships the
#: interval's upper end (docs/memory-profiles.md gives the reasons).
WORKPLACE_SPREAD = SpreadFit(
    estimate=0.0, low=0.0, high=0.566, shipped=0.566, grid_step=0.05, data=_SPREAD_DATA, why=_SPREAD_WHY
)


class MemoryProfile(Value):
    """How simulated learners remember: model, parameters, learner spread and touch gains.

    Parameters
    ----------
    name : str
        Short name (``"workplace"``, ``"flashcards"``, ``"calibration:pilot"``).
    title : str
        One line a designer reads in reports.
    model : str
        Registry name of the memory model (see :func:`workbench.memory.get_model`).
    model_parameters : dict
        Keywords of :func:`~workbench.memory.get_model` for that model (FSRS-6: ``{"w": [...]}``).
    memory_sigma : float
        Spread of learners' forgetting speed: each learner's memory clock runs at
        ``exp(N(0, memory_sigma))`` (default: the ``workplace`` profile's, fitted to
        Cepeda et al. 2008, see :data:`WORKPLACE_SPREAD`).
    effects : TouchEffects
        Gains of the non-retrieval touches and the rating of each first touch.
    source : str
        Where the numbers come from (data, fit, or "defaults of ...").
    citations : tuple of str
        The publications the numbers rest on.

    Examples
    --------
    >>> p = MemoryProfile(name="mine", title="Mine", model_parameters={"w": list(DEFAULT_FSRS6_WEIGHTS)},
    ...                   source="a test")
    >>> p.memory_model().name
    'fsrs6'
    >>> MemoryProfile.model_validate_json(p.model_dump_json()) == p
    True
    """

    name: Annotated[str, Field(min_length=1, max_length=120)]
    title: Annotated[str, Field(min_length=1)]
    model: str = "fsrs6"
    model_parameters: dict[str, Any] = Field(default_factory=dict)
    memory_sigma: Annotated[StrictFloat, Field(ge=0, le=3)] = WORKPLACE_SPREAD.shipped
    effects: TouchEffects = Field(default_factory=TouchEffects)
    source: Annotated[str, Field(min_length=1)]
    citations: tuple[str, ...] = ()

    def memory_model(self) -> MemoryModel:
        """Return the memory model with this profile's parameters."""
        return get_model(self.model, **self.model_parameters)

    def model_for(self, model: str | MemoryModel | None = None) -> MemoryModel:
        """Return the memory model a simulation under this profile uses when asked for ``model``.

        The one rule for simulations and for plans that schedule from a memory model: None or
        the name of this profile's model gives this profile's fitted model; another name gives
        that model with its own defaults; a model instance is used as given.

        Examples
        --------
        >>> profile = get_profile("workplace-spacing")
        >>> profile.model_for().name == profile.model == profile.model_for("actr").name
        True
        >>> profile.model_for("fsrs6") == get_model("fsrs6")
        True
        """
        return self.memory_model() if model is None or model == self.model else resolve_model(model)

    def value(self, name: str) -> float:
        """Return the current value of one fittable parameter (see :func:`fittable_parameters`)."""
        return _parameter(self.model, name).get(self)

    def values(self, names: tuple[str, ...] | None = None) -> dict[str, float]:
        """Values of the fittable parameters (all of this profile's model by default)."""
        chosen = names if names is not None else tuple(fittable_parameters(self.model))
        return {name: self.value(name) for name in chosen}

    def with_values(self, values: Mapping[str, float], **fields: Any) -> MemoryProfile:
        """Return a new profile with some fittable parameters (and plain fields, e.g. ``name``) replaced.

        Examples
        --------
        >>> p = get_profile("flashcards").with_values({"memory_sigma": 0.5}, name="wider")
        >>> p.name, p.memory_sigma
        ('wider', 0.5)
        """
        profile = self
        for name, number in values.items():
            profile = _parameter(self.model, name).set(profile, float(number))
        if fields:
            profile = MemoryProfile.model_validate({**profile.model_dump(), **fields})
        return profile

    def describe(self) -> dict[str, Any]:
        """Name, title, source and citations (what reports and ``result.assumptions`` show)."""
        return {"name": self.name, "title": self.title, "source": self.source, "citations": list(self.citations)}


# ---- fittable parameters -------------------------------------------------------------------


@dataclass(frozen=True)
class FittableParameter:
    """One parameter a calibration can fit, with its unit in the name and its bounds.

    ``log`` parameters are positive and fitted on the log scale (their uncertainty is
    multiplicative).
    """

    name: str
    description: str
    low: float
    high: float
    log: bool
    get: Callable[[MemoryProfile], float]
    set: Callable[[MemoryProfile, float], MemoryProfile]


def _replace(profile: MemoryProfile, **changes: Any) -> MemoryProfile:
    # validated again: a setter can never produce an out-of-range profile
    return MemoryProfile.model_validate({**profile.model_dump(), **changes})


def _fsrs_weight(index: int, name: str, description: str, log: bool) -> FittableParameter:
    def get(profile: MemoryProfile) -> float:
        weights = profile.model_parameters.get("w", DEFAULT_FSRS6_WEIGHTS)
        return float(weights[index])

    def set_(profile: MemoryProfile, number: float) -> MemoryProfile:
        weights = list(profile.model_parameters.get("w", DEFAULT_FSRS6_WEIGHTS))
        weights[index] = number
        return _replace(profile, model_parameters={**profile.model_parameters, "w": weights})

    return FittableParameter(name, description, FSRS6_LOWER_BOUNDS[index], FSRS6_UPPER_BOUNDS[index], log, get, set_)


def _gain(effect: str) -> FittableParameter:
    field = f"{effect}_gain"

    def get(profile: MemoryProfile) -> float:
        return float(getattr(profile.effects, field))

    def set_(profile: MemoryProfile, number: float) -> MemoryProfile:
        effects = profile.effects.model_dump()
        effects[field] = number
        return _replace(profile, effects=effects)

    return FittableParameter(
        f"{effect}_gain",
        f"gain of a successful {effect} touch of a known concept, relative to a retrieval (0..1)",
        0.0,
        1.0,
        False,
        get,
        set_,
    )


def _sigma() -> FittableParameter:
    def set_(profile: MemoryProfile, number: float) -> MemoryProfile:
        return _replace(profile, memory_sigma=number)

    return FittableParameter(
        "memory_sigma",
        "spread of learners' forgetting speed (sd of the log memory clock rate)",
        0.0,
        3.0,
        False,
        lambda p: float(p.memory_sigma),
        set_,
    )


def _fsrs_parameters() -> dict[str, FittableParameter]:
    # first touches take the rating TouchEffects gives them: encode 3 (Good) -> w2,
    # passive (restudy/apply/discuss) 2 (Hard) -> w1, retrieve 1 (Again) -> w0
    items = [
        _fsrs_weight(2, "s0_encode_days", "stability after a first encode touch (days to 90% recall)", True),
        _fsrs_weight(1, "s0_passive_days", "stability after a first restudy/apply/discuss touch (days)", True),
        _fsrs_weight(0, "s0_retrieve_days", "stability after a first (failed) retrieval with feedback (days)", True),
        _fsrs_weight(20, "decay", "forgetting-curve decay: R = (1 + F t / S) ** -decay", True),
        _fsrs_weight(8, "recall_gain_log", "log scale of the stability gain after a successful review", False),
        _fsrs_weight(9, "recall_gain_stability_exponent", "how the review gain shrinks as stability grows", False),
        _fsrs_weight(10, "recall_gain_forgetting", "how the review gain grows with what was forgotten", False),
        _fsrs_weight(11, "lapse_scale", "scale of the stability after a failed retrieval", True),
        _fsrs_weight(13, "lapse_stability_exponent", "how the post-lapse stability grows with the old one", True),
        _fsrs_weight(14, "lapse_forgetting_gain", "how the post-lapse stability grows with what was forgotten", False),
        _fsrs_weight(17, "same_day_rate", "stability change of a second touch on the same day", False),
        _sigma(),
        *(_gain(e) for e in ("encode", "restudy", "apply", "discuss")),
    ]
    return {p.name: p for p in items}


def _field(name: str, field: str, description: str, low: float, high: float, log: bool) -> FittableParameter:
    """Describe a parameter stored as a keyword of the model's parameter class (``model_parameters[field]``)."""

    def get(profile: MemoryProfile) -> float:
        if field in profile.model_parameters:
            return float(profile.model_parameters[field])
        return float(getattr(profile.memory_model().parameters, field))  # type: ignore[attr-defined]

    def set_(profile: MemoryProfile, number: float) -> MemoryProfile:
        return _replace(profile, model_parameters={**profile.model_parameters, field: number})

    return FittableParameter(name, description, low, high, log, get, set_)


def _actr_parameters() -> dict[str, FittableParameter]:
    items = [
        _field(
            "base_level",
            "base_level_constant",
            "activation offset of every trace (higher: more recall)",
            -5.0,
            5.0,
            False,
        ),
        _field(
            "decay_scale",
            "decay_scale",
            "how much a strong memory speeds the decay of a new trace (c)",
            0.0,
            2.0,
            False,
        ),
        _field(
            "decay_intercept", "decay_intercept", "decay of a trace laid down on a weak memory (a)", 0.01, 2.0, True
        ),
        _field("threshold", "threshold", "activation at which recall is 50% (tau)", -10.0, 10.0, False),
        _field("noise", "noise", "logistic noise of recall in activation (s)", 0.01, 5.0, True),
        _sigma(),
        *(_gain(e) for e in ("encode", "restudy", "apply", "discuss")),
    ]
    return {p.name: p for p in items}


_FITTABLE: dict[str, dict[str, FittableParameter]] = {"fsrs6": _fsrs_parameters(), "actr": _actr_parameters()}
_COMMON = {p.name: p for p in (_sigma(), *(_gain(e) for e in ("encode", "restudy", "apply", "discuss")))}


def fittable_parameters(model: str = "fsrs6") -> dict[str, FittableParameter]:
    """Return the parameters a calibration can fit for ``model``, by name.

    Every model shares ``memory_sigma`` and the touch gains; FSRS-6 adds its initial
    stabilities per first-touch effect, decay, review-gain and lapse weights.

    Examples
    --------
    >>> list(fittable_parameters("fsrs6"))[:4]
    ['s0_encode_days', 's0_passive_days', 's0_retrieve_days', 'decay']
    """
    return dict(_FITTABLE.get(model, _COMMON))


def _parameter(model: str, name: str) -> FittableParameter:
    known = fittable_parameters(model)
    if name not in known:
        raise UnknownNameError(
            f"parameter {name!r} is not fittable for model {model!r}; known: {', '.join(known)}; "
            "fix: use one of these names"
        )
    return known[name]


# ---- the named profiles ---------------------------------------------------------------------

_FSRS_CITATION = (
    "Ye, J. et al. (2024). FSRS-6 default parameters, open-spaced-repetition/py-fsrs 6.x "
    "(fitted to Anki flashcard review logs)."
)

_CEPEDA_2008 = (
    "Cepeda, N. J., Vul, E., Rohrer, D., Wixted, J. T., & Pashler, H. (2008). Spacing effects in learning: "
    "A temporal ridgeline of optimal retention. Psychological Science, 19(11), 1095-1102."
)

FLASHCARDS = MemoryProfile(
    name="flashcards",
    title="Flashcard reviews (FSRS-6 defaults)",
    model="fsrs6",
    model_parameters={"w": list(DEFAULT_FSRS6_WEIGHTS)},
    memory_sigma=WORKPLACE_SPREAD.shipped,
    effects=TouchEffects(),
    source=(
        "FSRS-6 default weights, fitted to millions of Anki reviews by people who chose to study "
        "the cards; the reviews give no learner spread, so it is the workplace profile's (the same model, "
        f"{WORKPLACE_SPREAD.text()}); touch gains are workbench planning assumptions"
    ),
    citations=(
        _FSRS_CITATION,
        _CEPEDA_2008,
        "Rowland, C. A. (2014). The effect of testing versus restudy on retention. Psychological Bulletin 140(6).",
        "Chi, M. T. H. & Wylie, R. (2014). The ICAP framework. Educational Psychologist 49(4).",
    ),
)

#: Parameters the workplace profile fits to Cepeda et al. (2008) (scripts/derive_workplace_profile.py)
#: at its learner spread (:data:`WORKPLACE_SPREAD`, from the profile likelihood of the same data).
WORKPLACE_FIT: tuple[str, ...] = (
    "s0_encode_days",
    "decay",
    "recall_gain_log",
    "recall_gain_forgetting",
    "recall_gain_stability_exponent",
    "lapse_scale",
    "same_day_rate",
)

#: FSRS-6 fitted by maximum likelihood (workbench.calibrate) to the forgetting and spacing
#: table of Cepeda et al. (2008), 37 grouped outcomes shipped as
#: workbench/calibrate/published/cepeda2008_trivia.csv; reproduce with
#: scripts/derive_workplace_profile.py, at the learner spread :data:`WORKPLACE_SPREAD`.
#: Log-likelihood -1474.9 (AIC 2965.8, the spread counted). Decay, lapse scale and review gain w8
#: end on the upper bounds of FSRS-6's ranges (py-fsrs's), w9 and the same-day rate on their lower
#: bounds; lifting bounds gains little: FSRS-6's review update, not its bounds, limits the fit
#: (docs/memory-profiles.md compares the models).
WORKPLACE_VALUES: dict[str, float] = {
    "s0_encode_days": 2.1065,
    "decay": 0.8,
    "recall_gain_log": 4.5,
    "recall_gain_forgetting": 0.0457,
    "recall_gain_stability_exponent": 0.0,
    "lapse_scale": 5.0,
    "same_day_rate": 0.0,
}

WORKPLACE = FLASHCARDS.with_values(
    {**WORKPLACE_VALUES, "memory_sigma": WORKPLACE_SPREAD.shipped},
    name="workplace",
    title="Workplace first exposure (FSRS-6 fitted to Cepeda et al. 2008)",
    source=(
        "FSRS-6 fitted by maximum likelihood (workbench.calibrate) to 37 published grouped outcomes of "
        "Cepeda et al. (2008): 1,354 adults, one study session of facts, forgetting over 0-105 days and a "
        "reviewed second session after gaps of 0-105 days, final tests 7-350 days later "
        "(workbench/calibrate/published/cepeda2008_trivia.csv; scripts/derive_workplace_profile.py); "
        f"{WORKPLACE_SPREAD.text()}. "
        "Touch gains of restudy/apply/discuss are not in that data: they stay workbench assumptions (ICAP order)."
    ),
    citations=(
        _CEPEDA_2008,
        "Mozer, M. C., Pashler, H., Cepeda, N. J., Lindsey, R. V., & Vul, E. (2009). Predicting the optimal "
        "spacing of study: A multiscale context model of memory. NIPS 22 (Figure 2: the recall values used).",
        "Cepeda, N. J., Coburn, N., Rohrer, D., Wixted, J. T., Mozer, M. C., & Pashler, H. (2009). Optimizing "
        "distributed practice. Experimental Psychology, 56(4), 236-246 (Experiment 2a: out-of-sample check).",
        _FSRS_CITATION,
        "Chi, M. T. H. & Wylie, R. (2014). The ICAP framework. Educational Psychologist 49(4).",
    ),
)

#: Parameters the workplace-spacing profile fits to Cepeda et al. (2008), at its learner spread
#: :data:`WORKPLACE_SPACING_SPREAD` (from the profile likelihood of the same data).
WORKPLACE_SPACING_FIT: tuple[str, ...] = ("base_level", "decay_scale", "decay_intercept", "threshold", "noise")

_PAVLIK_2005 = (
    "Pavlik, P. I. & Anderson, J. R. (2005). Practice and forgetting effects on vocabulary memory: An "
    "activation-based model of the spacing effect. Cognitive Science, 29(4), 559-586."
)

#: ACT-R fitted by maximum likelihood (workbench.calibrate) to the same 37 outcomes as the
#: workplace profile, from Pavlik & Anderson's values (scripts/derive_workplace_profile.py
#: --profile workplace-spacing), at the learner spread :data:`WORKPLACE_SPACING_SPREAD`.
#: Log-likelihood -1331.8 (AIC 2675.6 with the spread counted) against FSRS-6's -1474.9 (2965.8).
#: base_level and threshold move together along a ridge (only their difference is well
#: determined); the scale of activation, not the shape of the curves, differs from the word-pair values.
WORKPLACE_SPACING_VALUES: dict[str, float] = {
    "base_level": 0.4699,
    "decay_scale": 0.2041,
    "decay_intercept": 0.0235,
    "threshold": 0.2247,
    "noise": 0.0291,
}

#: Learner spread of the ``workplace-spacing`` profile: ACT-R on the same 37 outcomes
#: (scripts/derive_workplace_profile.py --spread); as for FSRS-6, the maximum is on the boundary 0
#: and the profile ships the interval's upper end.
WORKPLACE_SPACING_SPREAD = SpreadFit(
    estimate=0.0, low=0.0, high=0.446, shipped=0.446, grid_step=0.05, data=_SPREAD_DATA, why=_SPREAD_WHY
)

WORKPLACE_SPACING = MemoryProfile(
    name="workplace-spacing",
    title="Workplace first exposure, spacing-sensitive (ACT-R fitted to Cepeda et al. 2008)",
    model="actr",
    memory_sigma=WORKPLACE_SPACING_SPREAD.shipped,
    effects=WORKPLACE.effects,
    source=(
        "ACT-R (Pavlik & Anderson 2005) fitted by maximum likelihood (workbench.calibrate) to the same 37 "
        "published grouped outcomes of Cepeda et al. (2008) as the workplace profile "
        "(workbench/calibrate/published/cepeda2008_trivia.csv; scripts/derive_workplace_profile.py "
        f"--profile workplace-spacing); {WORKPLACE_SPACING_SPREAD.text()}. Fits the "
        "data better than FSRS-6 (AIC 2676 vs 2966; held-out 350-day delay 3.5 vs 13.6 recall points MAE): "
        "use it to choose gaps for horizons beyond a few months. Simulates about 7 times slower than FSRS-6. "
        "Touch gains of restudy/apply/discuss are not in that data: they stay workbench assumptions (ICAP order)."
    ),
    citations=(
        _CEPEDA_2008,
        "Mozer, M. C., Pashler, H., Cepeda, N. J., Lindsey, R. V., & Vul, E. (2009). Predicting the optimal "
        "spacing of study: A multiscale context model of memory. NIPS 22 (Figure 2: the recall values used).",
        _PAVLIK_2005,
        "Chi, M. T. H. & Wylie, R. (2014). The ICAP framework. Educational Psychologist 49(4).",
    ),
).with_values(WORKPLACE_SPACING_VALUES)

#: Named profiles, by name.
PROFILES: dict[str, MemoryProfile] = {
    WORKPLACE.name: WORKPLACE,
    WORKPLACE_SPACING.name: WORKPLACE_SPACING,
    FLASHCARDS.name: FLASHCARDS,
}

#: The profile a simulation uses when none is given: first exposure to workplace knowledge.
DEFAULT_PROFILE: str = "workplace"


def get_profile(name: str) -> MemoryProfile:
    """Return the named memory profile.

    Examples
    --------
    >>> get_profile("flashcards").title
    'Flashcard reviews (FSRS-6 defaults)'
    """
    key = str(name).strip().lower()
    if key not in PROFILES:
        raise UnknownNameError(
            f"unknown memory profile {name!r}; known profiles: {', '.join(PROFILES)}; "
            "fix: use one of these names, or a calibration file (workbench calibrate)"
        )
    return PROFILES[key]


def resolve_profile(profile: Any = None) -> MemoryProfile:
    """Return a profile from a name, a :class:`MemoryProfile`, a calibration (anything with ``.profile``) or None.

    None is the default profile (:data:`DEFAULT_PROFILE`).

    Examples
    --------
    >>> resolve_profile().name == DEFAULT_PROFILE
    True
    """
    if profile is None:
        return get_profile(DEFAULT_PROFILE)
    if isinstance(profile, MemoryProfile):
        return profile
    if isinstance(profile, str):
        return get_profile(profile)
    inner = getattr(profile, "profile", None)
    if isinstance(inner, MemoryProfile):
        return inner
    raise ParameterError(
        f"profile: expected a profile name, a MemoryProfile or a Calibration, got {type(profile).__name__}; "
        f"fix: use e.g. profile={DEFAULT_PROFILE!r}"
    )
