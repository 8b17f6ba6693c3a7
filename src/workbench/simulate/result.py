"""The result of a simulation: retention curves, per-learner recall, touches and minutes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from workbench._columns import retention_column
from workbench.errors import ParameterError

__all__ = ["QUANTILE_LEVELS", "SimulationResult", "TouchRecord"]

QUANTILE_LEVELS = (0.05, 0.25, 0.5, 0.75, 0.95)
ALL = "__all__"  # the importance-weighted mean over concepts


@dataclass(frozen=True)
class TouchRecord:
    """What happened to one touch across the population."""

    key: str
    activity_id: str
    kind: str
    day: float
    offered: int
    delivered: int
    minutes: float
    retrieval_attempts: int
    retrieval_successes: int


@dataclass(frozen=True, eq=False)
class SimulationResult:
    """Retention of each concept over days 0..horizon for a simulated population.

    Recall on day *d* is measured at the start of the day (before that day's touches).

    Attributes
    ----------
    concept_ids : tuple of str
        Concepts, in journey order (columns of the arrays).
    importance : ndarray
        Concept weights for journey-level figures.
    days : ndarray
        The daily grid, 0..horizon.
    mean : ndarray
        Mean recall probability, shape (days, concepts).
    proficient_share : ndarray
        Share of learners with recall >= ``threshold``, shape (days, concepts).
    quantiles : ndarray
        Recall quantiles at ``QUANTILE_LEVELS`` over a sample of learners, shape
        (levels, days, concepts).
    checkpoints : dict
        Day -> every learner's recall on that day, shape (learners, concepts), float32.
    learner_minutes_each : ndarray
        Minutes each learner spent, shape (learners,).
    final_stability : ndarray
        Each learner's memory stability (days, as the model defines it) for each concept at
        the end of the simulation, shape (learners, concepts), float32; NaN where the learner
        never met the concept.
    touches : tuple of TouchRecord
        Each touch, with how many learners it reached.
    assumptions : dict
        What the numbers rest on: journey, memory profile (name, title, source, citations),
        model and parameters, population, touch effects, horizon, threshold, seed.
    trace : DataFrame or None
        With ``simulate(..., trace=True)``: one row per touch a learner did of a concept
        (``learner, concept, day, effect, activity_id, recalled``; ``recalled`` is 0/1 for
        retrievals and missing for other effects).
    """

    journey_id: str
    concept_ids: tuple[str, ...]
    concept_names: tuple[str, ...]
    importance: np.ndarray
    days: np.ndarray
    mean: np.ndarray
    proficient_share: np.ndarray
    quantiles: np.ndarray
    quantile_sample_size: int
    checkpoints: Mapping[int, np.ndarray]
    learner_minutes_each: np.ndarray
    final_stability: np.ndarray
    touches: tuple[TouchRecord, ...]
    touch_days: Mapping[str, tuple[float, ...]]
    threshold: float
    horizon_days: int
    n_learners: int
    model_name: str
    seed: Any
    assumptions: Mapping[str, Any] = field(default_factory=dict)
    trace: pd.DataFrame | None = None

    # ---- construction ------------------------------------------------------------------

    @classmethod
    def from_blocks(
        cls,
        setup: Any,
        outputs: Sequence[Any],
        model_name: str,
        profile: Mapping[str, Any] | None = None,
        trace: pd.DataFrame | None = None,
    ) -> SimulationResult:
        """Reduce the per-block outputs of the engine (in block order, so sums are stable)."""
        n = setup.population.size
        mean = np.sum([o.mean_sum for o in outputs], axis=0) / n
        proficient = np.sum([o.proficient for o in outputs], axis=0) / n
        samples = [o.sample for o in outputs if o.sample is not None]
        sample = samples[0] if len(samples) == 1 else np.concatenate(samples, axis=2)
        # the blocks' samples are read only here, so they are sorted in place (no 4 MB copy)
        quantiles = _quantiles(sample, QUANTILE_LEVELS)
        checkpoints = {
            day: np.concatenate([o.checkpoints[i] for o in outputs], axis=0)
            for i, day in enumerate(setup.checkpoint_days)
        }
        delivered = np.sum([o.delivered for o in outputs], axis=0)
        attempts = np.sum([o.attempts for o in outputs], axis=0)
        successes = np.sum([o.successes for o in outputs], axis=0)
        touches = tuple(
            TouchRecord(
                key=t.key,
                activity_id=t.activity_id,
                kind=t.kind,
                day=float(t.day),
                offered=n,
                delivered=int(delivered[i]),
                minutes=float(delivered[i] * t.duration_min),
                retrieval_attempts=int(attempts[i]),
                retrieval_successes=int(successes[i]),
            )
            for i, t in enumerate(setup.touches)
        )
        journey = setup.journey
        days_by_concept: list[set[float]] = [set() for _ in journey.concepts]
        for t in setup.touches:
            for _, cols, _ in t.groups:
                for index in cols.tolist():
                    days_by_concept[index].add(t.day)
        touch_days = {c.id: tuple(sorted(days_by_concept[index])) for index, c in enumerate(journey.concepts)}
        population = setup.population
        return cls(
            journey_id=journey.id,
            concept_ids=tuple(c.id for c in journey.concepts),
            concept_names=tuple(c.name for c in journey.concepts),
            importance=np.array([c.importance for c in journey.concepts]),
            days=setup.grid.astype(int),
            mean=mean,
            proficient_share=proficient,
            quantiles=quantiles,
            quantile_sample_size=sample.shape[2],
            checkpoints=checkpoints,
            learner_minutes_each=np.concatenate([o.minutes for o in outputs]),
            final_stability=np.concatenate([o.final_stability for o in outputs]).astype(np.float32),
            touches=touches,
            touch_days=touch_days,
            threshold=setup.threshold,
            horizon_days=int(setup.grid[-1]),
            n_learners=n,
            model_name=model_name,
            seed=setup.root.entropy,
            assumptions={
                "journey": f"{journey.id} v{journey.version}",
                "memory_profile": dict(profile or {}),
                "model": model_name,
                "model_parameters": _model_parameters(setup.model),
                # where the model's numbers come from and where they stop holding
                "model_assumptions": dict(getattr(setup.model, "assumptions", dict)()),
                "population": population.model_dump(mode="json"),
                "effects": setup.effects.model_dump(mode="json"),
                "horizon_days": int(setup.grid[-1]),
                "threshold": setup.threshold,
                "seed": setup.root.entropy,
            },
            trace=trace,
        )

    # ---- look-ups ----------------------------------------------------------------------

    def _day_index(self, day: int) -> int:
        if not isinstance(day, int | np.integer) or isinstance(day, bool) or not 0 <= day <= self.horizon_days:
            raise ParameterError(f"day: must be a whole day from 0 to {self.horizon_days} (got {day!r})")
        return int(day)

    def _concept_index(self, concept: str) -> int:
        try:
            return self.concept_ids.index(concept)
        except ValueError:
            raise ParameterError(
                f"concept: {concept!r} is not in journey {self.journey_id!r} (concepts: {', '.join(self.concept_ids)})"
            ) from None

    @property
    def weights(self) -> np.ndarray:
        """Importance weights normalised to sum to one."""
        # annotated: numpy's stubs type ufunc results as Any
        weights: np.ndarray = self.importance / self.importance.sum()
        return weights

    def curve(self, concept: str | None = None) -> pd.Series:
        """Mean recall over days for one concept, or the importance-weighted mean."""
        values = self.mean @ self.weights if concept is None else self.mean[:, self._concept_index(concept)]
        return pd.Series(values, index=pd.Index(self.days, name="day"), name=concept or ALL)

    def retention(self, day: int, concept: str | None = None) -> float:
        """Mean recall probability on ``day`` (importance-weighted over concepts by default).

        Examples
        --------
        >>> from workbench.simulate import simulate
        >>> from workbench.templates import load_template
        >>> r = simulate(load_template("safety_reminders"), rng=1)
        >>> round(r.retention(30), 2) == round(float(r.curve().loc[30]), 2)
        True
        """
        return float(self.curve(concept).iloc[self._day_index(day)])

    def auc(self, concept: str | None = None, until_day: int | None = None) -> float:
        """Area under the retention curve from day 0, in concept-days (trapezoid rule)."""
        end = self.horizon_days if until_day is None else self._day_index(until_day)
        values = self.curve(concept).to_numpy()[: end + 1]
        return float(np.trapezoid(values, dx=1.0)) if end > 0 else 0.0

    def proficiency(self, day: int, threshold: float | None = None, concept: str | None = None) -> float:
        """Share of learners at or above ``threshold`` recall on ``day``.

        For the whole journey (``concept=None``) a learner is proficient when the
        importance-weighted mean of their recall reaches the threshold. Any threshold works
        on checkpoint days; on other days, per concept and at the simulation's threshold.
        """
        index = self._day_index(day)
        limit = self.threshold if threshold is None else float(threshold)
        if day in self.checkpoints:
            recall = self.checkpoints[day].astype(float)
            if concept is None:
                return float(np.mean(recall @ self.weights >= limit))
            return float(np.mean(recall[:, self._concept_index(concept)] >= limit))
        if concept is not None and limit == self.threshold:
            return float(self.proficient_share[index, self._concept_index(concept)])
        raise ParameterError(
            f"proficiency on day {day}: per-learner recall is kept on days {sorted(self.checkpoints)}; "
            "pass checkpoint_days=[...] to simulate, or ask per concept at the simulation threshold"
        )

    @property
    def learner_minutes(self) -> float:
        """Mean minutes a learner spent on the journey."""
        return float(self.learner_minutes_each.mean())

    def learner_minutes_until(self, day: float) -> float:
        """Mean minutes a learner spent on touches before ``day``: what an outcome on that day cost.

        Recall on a day is measured before that day's touches, so they do not count; neither
        does anything later, however long the simulation runs.
        """
        return float(sum(t.minutes for t in self.touches if t.day < day) / max(self.n_learners, 1))

    @property
    def retained_concept_days_per_learner_hour(self) -> float:
        """Concept-days of recall (sum over concepts of the area under each curve) per hour spent."""
        hours = self.learner_minutes / 60.0
        total = sum(self.auc(c) for c in self.concept_ids)
        return float(total / hours) if hours > 0 else float("nan")

    # ---- frames ------------------------------------------------------------------------

    def to_frame(self) -> pd.DataFrame:
        """Tidy curves: one row per (concept, day) with mean, quantiles and proficient share."""
        n_days, n_concepts = self.mean.shape
        frame = pd.DataFrame(
            {
                "concept": np.repeat(np.array(self.concept_ids, dtype=object), n_days),
                "day": np.tile(self.days, n_concepts),
                "mean": self.mean.T.ravel(),
            }
        )
        for level, values in zip(QUANTILE_LEVELS, self.quantiles, strict=True):
            frame[f"q{round(level * 100):02d}"] = values.T.ravel()
        frame["proficient_share"] = self.proficient_share.T.ravel()
        return frame

    def touches_frame(self) -> pd.DataFrame:
        """One row per touch: day, learners reached, minutes, retrieval success rate."""
        rows = [vars(t) for t in self.touches]
        frame = pd.DataFrame(rows, columns=list(TouchRecord.__dataclass_fields__))
        frame["reach"] = frame["delivered"] / frame["offered"]
        frame["retrieval_success_rate"] = frame["retrieval_successes"] / frame["retrieval_attempts"].where(
            frame["retrieval_attempts"] > 0
        )
        return frame

    def final_states(self) -> pd.DataFrame:
        """Every learner's final memory state: recall at the horizon and stability, per concept.

        Columns are a two-level index (``recall`` / ``stability_days``, concept id).
        """
        recall = self.checkpoints[self.horizon_days].astype(float)
        frame = pd.concat(
            {
                "recall": pd.DataFrame(recall, columns=list(self.concept_ids)),
                "stability_days": pd.DataFrame(self.final_stability.astype(float), columns=list(self.concept_ids)),
            },
            axis=1,
        )
        frame.index.name = "learner"
        return frame

    def per_learner(self, day: int | None = None) -> pd.DataFrame:
        """Every learner's recall on a checkpoint day (default: the horizon)."""
        chosen = self.horizon_days if day is None else day
        if chosen not in self.checkpoints:
            raise ParameterError(f"day {chosen}: per-learner recall is kept on days {sorted(self.checkpoints)}")
        frame = pd.DataFrame(self.checkpoints[chosen].astype(float), columns=list(self.concept_ids))
        frame.index.name = "learner"
        frame["minutes"] = self.learner_minutes_each
        return frame

    def summary(self, days: Sequence[int] | None = None) -> pd.DataFrame:
        """Retention per concept (and the weighted journey row) on key days, with proficiency."""
        chosen = [d for d in (days or (7, 30, 90, self.horizon_days)) if 0 <= d <= self.horizon_days]
        chosen = sorted(set(chosen))
        rows = []
        for concept, name in [
            *zip(self.concept_ids, self.concept_names, strict=True),
            (None, "all concepts"),
        ]:
            row: dict[str, Any] = {"concept": concept or ALL, "name": name}
            for day in chosen:
                row[f"day {day}"] = self.retention(day, concept)
            row[f"proficient day {self.horizon_days}"] = self.proficiency(self.horizon_days, concept=concept)
            rows.append(row)
        return pd.DataFrame(rows).set_index("concept")

    def metrics(self, days: Sequence[int] = (7, 30, 90)) -> dict[str, Any]:
        """Return the headline figures as plain data (for ``--json`` and reports)."""
        key_days = sorted({d for d in days if d <= self.horizon_days} | {self.horizon_days})
        per_concept = {
            concept: {
                **{retention_column(d): round(self.retention(d, concept), 6) for d in key_days},
                "proficiency_rate": round(self.proficiency(self.horizon_days, concept=concept), 6),
                "auc_concept_days": round(self.auc(concept), 4),
            }
            for concept in self.concept_ids
        }
        return {
            "journey": self.journey_id,
            "learners": self.n_learners,
            "horizon_days": self.horizon_days,
            "model": self.model_name,
            "seed": self.seed,
            "threshold": self.threshold,
            "retention": {f"day_{d}": round(self.retention(d), 6) for d in key_days},
            "proficiency_rate": round(self.proficiency(self.horizon_days), 6),
            "learner_minutes": round(self.learner_minutes, 3),
            "retained_concept_days_per_learner_hour": round(self.retained_concept_days_per_learner_hour, 4),
            "concepts": per_concept,
        }

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """Retention curves with quantile bands (see :func:`workbench.plot.plot_retention`)."""
        from workbench.plot import plot_retention

        return plot_retention(self, ax=ax, **kwargs)

    def __repr__(self) -> str:
        return (
            f"SimulationResult({self.journey_id!r}, learners={self.n_learners}, model={self.model_name!r}, "
            f"retention day {self.horizon_days}={self.retention(self.horizon_days):.3f}, "
            f"minutes={self.learner_minutes:.1f})"
        )


def _quantiles(sample: np.ndarray, levels: Sequence[float]) -> np.ndarray:
    """Quantiles over the learners of a (days x concepts x learners) sample, shape (levels, days, concepts).

    Linear interpolation (numpy's default method). One sort, along the contiguous learner
    axis, serves every level, which is several times faster than ``np.quantile``'s
    partition per level. The sample is sorted in place.
    """
    sample.sort(axis=-1)
    ordered = sample
    position = np.asarray(levels) * (ordered.shape[-1] - 1)
    below = np.floor(position).astype(int)
    above = np.minimum(below + 1, ordered.shape[-1] - 1)
    weight = (position - below)[:, None, None]
    low = ordered[..., below].transpose(2, 0, 1).astype(float)
    high = ordered[..., above].transpose(2, 0, 1).astype(float)
    # annotated: numpy's stubs type ufunc results as Any
    values: np.ndarray = low + (high - low) * weight
    return values


def _model_parameters(model: Any) -> Any:
    parameters = getattr(model, "parameters", None)
    if parameters is None:
        return None
    if hasattr(parameters, "as_array"):
        return [float(x) for x in parameters.as_array()]
    try:
        import dataclasses

        return {k: v for k, v in dataclasses.asdict(parameters).items()}
    except TypeError:
        return repr(parameters)
