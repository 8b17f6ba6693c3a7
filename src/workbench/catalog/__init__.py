"""The activity catalog: kinds of activity with their defaults, extensible by users.

A :class:`Catalog` is a value. :func:`default_catalog` gives the built-in kinds (packaged data
in ``catalog/data/kinds.yaml``); :meth:`Catalog.with_kinds` and :func:`load_catalog` add
kinds of your own, and a journey may carry its own kinds in its spec (``kinds:``).

Examples
--------
>>> from workbench.catalog import default_catalog
>>> quiz = default_catalog()["spaced_recall_quiz"]
>>> quiz.duration_min, quiz.layer.value, quiz.memory_effect.value
(3.0, 'after', 'retrieve')
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import Field

from workbench._values import Id, StrictBool, StrictFloat, Value
from workbench.errors import CatalogError, JourneyError
from workbench.vocabulary import Channel, KindCategory, Layer, MemoryEffect, Purpose

__all__ = ["ActivityKind", "Catalog", "default_catalog", "load_catalog"]


class ActivityKind(Value):
    """A kind of activity and the defaults an activity of this kind starts from.

    Parameters
    ----------
    id : str
        Stable id used in spec files (``kind: spaced_recall_quiz``).
    name : str
        Name shown to designers.
    category : KindCategory
        ``formal`` (ILT, VILT, eLearning, coaching) or ``micro``.
    duration_min : float
        Typical learner minutes.
    layer : Layer
        Layer it usually sits in.
    channels : tuple of Channel
        Channels it is usually delivered on; the first is the default.
    purpose : Purpose
        What it is for.
    memory_effect : MemoryEffect
        What it does to each concept it covers.
    social : bool
        Whether someone facilitates it (a manager, a trainer, a community lead).
    launchable : bool
        Whether it can be launched from an LMS (a cmi5 AU or a SCORM SCO).
    """

    id: Id
    name: Annotated[str, Field(min_length=1)]
    category: KindCategory
    duration_min: Annotated[StrictFloat, Field(gt=0, le=480)]
    layer: Layer
    channels: Annotated[tuple[Channel, ...], Field(min_length=1)]
    purpose: Purpose
    memory_effect: MemoryEffect
    social: StrictBool = False
    launchable: StrictBool = True
    description: str = ""

    @property
    def is_formal(self) -> bool:
        """Whether this is a formal event (ILT, VILT, eLearning, coaching)."""
        return self.category is KindCategory.FORMAL

    @property
    def default_channel(self) -> Channel:
        """The channel an activity of this kind gets when none is given."""
        return self.channels[0]


class Catalog(Mapping[str, ActivityKind]):
    """An immutable mapping of kind id to :class:`ActivityKind`."""

    __slots__ = ("_kinds",)

    def __init__(self, kinds: Iterable[ActivityKind] = ()) -> None:
        table: dict[str, ActivityKind] = {}
        duplicates = []
        for kind in kinds:
            if kind.id in table:
                duplicates.append(kind.id)
            table[kind.id] = kind
        if duplicates:
            raise CatalogError(f"kinds defined twice: {', '.join(sorted(set(duplicates)))}; give each kind one id")
        self._kinds = table

    def __getitem__(self, kind_id: str) -> ActivityKind:
        try:
            return self._kinds[kind_id]
        except KeyError:
            raise CatalogError(self.unknown_kind_message(kind_id)) from None

    def __contains__(self, kind_id: object) -> bool:
        return kind_id in self._kinds

    def get(self, kind_id: str, default: Any = None) -> Any:
        """Return the kind with this id, or ``default``."""
        return self._kinds.get(kind_id, default)

    def __iter__(self) -> Iterator[str]:
        return iter(self._kinds)

    def __len__(self) -> int:
        return len(self._kinds)

    def __repr__(self) -> str:
        return f"Catalog({len(self)} kinds)"

    @property
    def custom_kinds(self) -> tuple[ActivityKind, ...]:
        """The kinds of this catalog that are not built in (to add to a journey)."""
        builtin = default_catalog()
        return tuple(kind for kind_id, kind in self._kinds.items() if kind_id not in builtin)

    def unknown_kind_message(self, kind_id: object) -> str:
        """Say that ``kind_id`` is unknown, suggest the closest kinds and how to add one."""
        import difflib

        close = difflib.get_close_matches(str(kind_id), list(self._kinds), n=3, cutoff=0.5)
        hint = f"did you mean {', '.join(close)}? " if close else ""
        return (
            f"unknown kind {kind_id!r}; {hint}known kinds: {', '.join(sorted(self._kinds))}; "
            "or define it under 'kinds:'"
        )

    def with_kinds(self, kinds: Iterable[ActivityKind | Mapping[str, Any]]) -> Catalog:
        """Return a new catalog with ``kinds`` added; a kind with an existing id replaces it.

        Examples
        --------
        >>> cat = default_catalog().with_kinds([{
        ...     "id": "podcast", "name": "Podcast", "category": "micro", "duration_min": 8,
        ...     "layer": "after", "channels": ["mobile"], "purpose": "recap",
        ...     "memory_effect": "restudy"}])
        >>> cat["podcast"].channels[0].value
        'mobile'
        """
        added = [k if isinstance(k, ActivityKind) else ActivityKind.model_validate(k) for k in kinds]
        merged = {**self._kinds, **{k.id: k for k in added}}
        return Catalog(merged.values())

    def to_frame(self) -> Any:
        """Return the catalog as a pandas DataFrame, one row per kind."""
        import pandas as pd

        rows = [
            {
                "id": k.id,
                "name": k.name,
                "category": k.category.value,
                "duration_min": k.duration_min,
                "layer": k.layer.value,
                "channels": ", ".join(c.value for c in k.channels),
                "purpose": k.purpose.value,
                "memory_effect": k.memory_effect.value,
                "social": k.social,
            }
            for k in self._kinds.values()
        ]
        return pd.DataFrame(rows).set_index("id")


def _parse_kinds(data: Any, source: str) -> list[ActivityKind]:
    if not isinstance(data, dict) or not isinstance(data.get("kinds"), list):
        raise CatalogError(f"{source}: expected a mapping with a 'kinds:' list of kinds")
    kinds = []
    problems: list[str] = []
    for index, entry in enumerate(data["kinds"]):
        try:
            kinds.append(ActivityKind.model_validate(entry))
        except JourneyError as exc:
            problems.extend(f"{source}: kinds[{index}].{p}" for p in exc.problems)
    if problems:
        raise CatalogError("\n".join(problems))
    return kinds


@functools.cache
def default_catalog() -> Catalog:
    """Return the built-in kinds of DESIGN.md (formal events and micro assets)."""
    text = resources.files("workbench.catalog").joinpath("data/kinds.yaml").read_text("utf-8")
    return Catalog(_parse_kinds(yaml.safe_load(text), "built-in catalog"))


def load_catalog(path: str | Path, base: Catalog | None = None) -> Catalog:
    """Read kinds from a YAML file (``kinds: [...]``) and add them to ``base``.

    Parameters
    ----------
    path : str or Path
        A YAML file with a ``kinds:`` list, each entry with the fields of :class:`ActivityKind`.
    base : Catalog, optional
        The catalog to extend; the built-in one by default.
    """
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise CatalogError(f"{path}: cannot read the catalog: {exc}") from None
    return (base or default_catalog()).with_kinds(_parse_kinds(data, str(path)))
