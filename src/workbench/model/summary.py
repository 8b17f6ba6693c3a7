"""What a journey amounts to: activities and minutes per layer, coverage of concepts, totals."""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from workbench._table import Table

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["ConceptCoverage", "JourneySummary", "LayerLoad"]


@dataclass(frozen=True)
class LayerLoad:
    """Activities in one layer and their minutes (all activities, required or not)."""

    activities: int
    minutes: float


@dataclass(frozen=True)
class ConceptCoverage:
    """How a concept is covered: by how many activities, with which memory effects."""

    name: str
    activities: int
    effects: tuple[str, ...]

    @property
    def covered(self) -> bool:
        """Whether some activity covers the concept."""
        return bool(self.effects)


@dataclass(frozen=True)
class JourneySummary:
    """The summary of a journey (:meth:`workbench.model.Journey.summary`).

    Attributes
    ----------
    id, title, version : str
        The journey's.
    activities, formal, micro, concepts : int
        How many activities (formal and micro) and concepts it has.
    learner_minutes : float
        Minutes a learner spends on the required activities.
    span_days : float
        Days from the first to the last dated activity.
    layers : Mapping[str, LayerLoad]
        Per layer (every layer, in the vocabulary's order).
    coverage : Mapping[str, ConceptCoverage]
        Per concept id, in journey order.

    Examples
    --------
    >>> from workbench.templates import load_template
    >>> summary = load_template("post_training_retention").summary()
    >>> summary.layers["after"].activities > 0, summary.uncovered
    (True, ())
    >>> sorted(summary.to_dict())[:3]
    ['activities', 'concepts', 'coverage']
    """

    id: str
    title: str
    version: str
    activities: int
    formal: int
    micro: int
    concepts: int
    learner_minutes: float
    span_days: float
    layers: Mapping[str, LayerLoad] = field(default_factory=dict)
    coverage: Mapping[str, ConceptCoverage] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # read-only views: the value stays a value
        object.__setattr__(self, "layers", MappingProxyType(dict(self.layers)))
        object.__setattr__(self, "coverage", MappingProxyType(dict(self.coverage)))

    @property
    def uncovered(self) -> tuple[str, ...]:
        """Ids of the concepts no activity covers."""
        return tuple(c for c, row in self.coverage.items() if not row.covered)

    @property
    def layer_minutes(self) -> float:
        """Minutes of every activity, all layers together."""
        return float(sum(row.minutes for row in self.layers.values()))

    def to_dict(self) -> dict[str, Any]:
        """Plain data (what ``workbench show --json`` prints)."""
        return {
            "id": self.id,
            "title": self.title,
            "version": self.version,
            "activities": self.activities,
            "formal": self.formal,
            "micro": self.micro,
            "concepts": self.concepts,
            "learner_minutes": self.learner_minutes,
            "span_days": self.span_days,
            "layers": {k: {"activities": v.activities, "minutes": v.minutes} for k, v in self.layers.items()},
            "coverage": {
                k: {"name": v.name, "activities": v.activities, "effects": list(v.effects)}
                for k, v in self.coverage.items()
            },
        }

    def layers_table(self) -> Table:
        """Activities and minutes per layer."""
        return Table.of(
            ["layer", "activities", "minutes"],
            [[k, v.activities, f"{v.minutes:g}"] for k, v in self.layers.items()],
            numeric=[False, True, True],
        )

    def coverage_table(self) -> Table:
        """Activities and memory effects per concept (``NOT COVERED`` when none)."""
        return Table.of(
            ["concept", "activities", "effects"],
            [[k, v.activities, ", ".join(v.effects) or "NOT COVERED"] for k, v in self.coverage.items()],
            numeric=[False, True, False],
        )

    def layers_frame(self) -> pd.DataFrame:
        """Activities and minutes per layer as a frame (index: layer)."""
        import pandas as pd

        rows = [{"layer": k, "activities": v.activities, "minutes": v.minutes} for k, v in self.layers.items()]
        return pd.DataFrame(rows, columns=["layer", "activities", "minutes"]).set_index("layer")

    def headline(self) -> str:
        """Totals in one line: activities, concepts, learner minutes, span."""
        return (
            f"{self.activities} activities ({self.formal} formal, {self.micro} micro), "
            f"{self.concepts} concepts, {self.learner_minutes:g} learner minutes, "
            f"spanning {self.span_days:g} days"
        )

    def to_text(self) -> str:
        """Return the summary as text (what ``workbench show`` prints)."""
        lines = [
            f"{self.title}  ({self.id} v{self.version})",
            f"  {self.headline()}",
            "",
            f"  {'layer':<8} {'activities':>10} {'minutes':>8}",
        ]
        for layer, load in self.layers.items():
            lines.append(f"  {layer:<8} {load.activities:>10} {load.minutes:>8g}")
        lines += ["", f"  {'concept':<28} {'activities':>10}  effects"]
        for concept_id, row in self.coverage.items():
            effects = ", ".join(row.effects) or "NOT COVERED"
            lines.append(f"  {concept_id:<28} {row.activities:>10}  {effects}")
        return "\n".join(lines) + "\n"

    def _repr_html_(self) -> str:
        title = f"<p><b>{html.escape(self.title)}</b> ({html.escape(self.id)} v{html.escape(self.version)}): "
        tables = self.layers_table().to_html() + self.coverage_table().to_html()
        return f"{title}{html.escape(self.headline())}</p>{tables}"
