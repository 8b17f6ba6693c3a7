"""The plan-string grammar: ``family[:argument]``, each family parsing its own argument.

``parse_plan("fixed:7x4")`` finds the family ``fixed`` in the registry of
:class:`~workbench.plans.base.ReinforcementPlan` and lets :class:`~workbench.plans.families.FixedPlan`
read ``7x4``; :data:`PLAN_FORMS` lists every accepted form, family by family.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import Any

import workbench.plans.families
import workbench.plans.targeted  # noqa: F401
from workbench.errors import ParameterError, UnknownNameError
from workbench.plans.base import ReinforcementPlan, bad, forms_hint

__all__ = ["PLAN_FORMS", "parse_plan", "parse_plans"]

#: Every accepted plan string, as shown in error messages.
PLAN_FORMS: tuple[str, ...] = tuple(form for cls in ReinforcementPlan.registry().values() for form in cls.forms)


def parse_plan(text: str, **options: Any) -> ReinforcementPlan:
    """Build a plan from its string form (see :data:`PLAN_FORMS`).

    Parameters
    ----------
    text : str
        ``none``, ``massed``, ``fixed:7x4``, ``expanding``, ``expanding:2,5,12,30``,
        ``cadence``, ``target:0.85``, ``deadline:90``, ``deadline:90x6``...
    **options
        Further fields of the plan (``constraints=``, ``kind=``, ``concepts=``...).

    Raises
    ------
    UnknownNameError
        Unknown plan family (the message lists the valid forms).
    ParameterError
        Malformed or out-of-range parameters.

    Examples
    --------
    >>> parse_plan("fixed:7x4").interval_days
    7
    >>> parse_plan("deadline:60x6").touches
    6
    >>> parse_plan("weekly")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    workbench.errors.UnknownNameError: unknown plan 'weekly'; valid forms: none; massed; ...
    """
    if not isinstance(text, str):
        raise ParameterError(f"plan: expected a plan string, got {type(text).__name__}; {forms_hint()}")
    raw = text.strip()
    name, _, argument = raw.partition(":")
    name = name.strip().lower()
    argument = argument.strip()
    has_argument = ":" in raw
    families = ReinforcementPlan.registry()
    if name not in families:
        close = difflib.get_close_matches(name, list(families), n=2, cutoff=0.6)
        hint = f"did you mean {' or '.join(close)}? " if close else ""
        raise UnknownNameError(f"unknown plan {text!r}; {hint}{forms_hint()}")
    if has_argument and not argument:
        raise bad(text, f"a parameter after '{name}:'")
    return families[name].from_argument(text, argument if has_argument else None, options)


def parse_plans(text: str | Sequence[str], **options: Any) -> list[ReinforcementPlan]:
    """Parse a comma-separated list of plans (``"none,expanding:2,5,12,30,fixed:7x4"``).

    A comma followed by a number continues the previous plan's parameters, so custom
    expanding gaps need no quoting.

    Examples
    --------
    >>> [p.label for p in parse_plans("none,expanding:2,5,12,30,fixed:7x4")]
    ['none', 'expanding:2,5,12,30', 'fixed:7x4']
    """
    if isinstance(text, str):
        pieces: list[str] = []
        for token in text.split(","):
            token = token.strip()
            if pieces and token and not token[0].isalpha():
                pieces[-1] += "," + token
            else:
                pieces.append(token)
    else:
        pieces = [str(t).strip() for t in text]
    if not pieces or any(not p for p in pieces):
        raise ParameterError(
            f"plans: empty plan in {text!r}; give a comma-separated list, e.g. none,expanding,fixed:7x4"
        )
    return [parse_plan(p, **options) for p in pieces]
