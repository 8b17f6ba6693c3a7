"""Select a memory model by name: ``get_model("fsrs6")``, ``get_model("hlr", theta_bias=-1)``."""

from __future__ import annotations

import dataclasses
from typing import Any

from workbench.errors import ParameterError, UnknownNameError
from workbench.memory.actr import ACTRModel, ACTRParameters
from workbench.memory.base import MemoryModel
from workbench.memory.exponential import ExponentialModel, ExponentialParameters
from workbench.memory.fsrs import FSRS6, FSRS6Parameters
from workbench.memory.hlr import HLRModel, HLRParameters

__all__ = ["MODEL_NAMES", "get_model", "resolve_model"]

_MODELS: dict[str, tuple[type[Any], type[Any]]] = {
    FSRS6.name: (FSRS6, FSRS6Parameters),
    ExponentialModel.name: (ExponentialModel, ExponentialParameters),
    HLRModel.name: (HLRModel, HLRParameters),
    ACTRModel.name: (ACTRModel, ACTRParameters),
}

#: Names accepted by :func:`get_model`, the default (FSRS-6) first.
MODEL_NAMES: tuple[str, ...] = tuple(_MODELS)


def get_model(name: str, **params: Any) -> MemoryModel:
    """Return the memory model registered under ``name``, configured by keywords.

    Keywords are either fields of the model (``parameters``, ``maximum_interval_days``,
    and for FSRS-6 ``whole_days``) or fields of its parameter class (e.g. ``w`` for
    FSRS-6, ``lapse_factor`` for the exponential model); mixing ``parameters`` with
    parameter fields is an error.

    Parameters
    ----------
    name : str
        One of :data:`MODEL_NAMES` (case-insensitive).
    **params
        Model or parameter fields.

    Raises
    ------
    UnknownNameError
        If ``name`` is unknown (the message lists the known names).
    ParameterError
        If a keyword is not a field, or a value is out of bounds.

    Examples
    --------
    >>> get_model("fsrs6").name
    'fsrs6'
    >>> get_model("exponential", lapse_factor=0.5).parameters.lapse_factor
    0.5
    """
    key = str(name).strip().lower()
    if key not in _MODELS:
        raise UnknownNameError(
            f"unknown memory model {name!r}; known models: {', '.join(MODEL_NAMES)}; fix: use one of these names"
        )
    model_cls, params_cls = _MODELS[key]
    model_fields = {f.name for f in dataclasses.fields(model_cls)}
    param_fields = {f.name for f in dataclasses.fields(params_cls)}
    unknown = sorted(set(params) - model_fields - param_fields)
    if unknown:
        raise ParameterError(
            f"get_model({key!r}): unknown keyword(s) {unknown}; accepted: "
            f"{sorted(model_fields | param_fields)}; fix: remove or rename them"
        )
    model_kwargs = {k: v for k, v in params.items() if k in model_fields}
    param_kwargs = {k: v for k, v in params.items() if k in param_fields}
    if param_kwargs:
        if "parameters" in model_kwargs:
            raise ParameterError(
                f"get_model({key!r}): pass either parameters= or the fields "
                f"{sorted(param_kwargs)}, not both; fix: drop one of them"
            )
        model_kwargs["parameters"] = params_cls(**param_kwargs)
    model: MemoryModel = model_cls(**model_kwargs)
    return model


def resolve_model(model: str | MemoryModel) -> MemoryModel:
    """Return a memory model from a name (see :func:`get_model`) or a model instance.

    Parameters
    ----------
    model : str or MemoryModel
        A registered name, or anything with ``initial_state``, ``retrievability`` and ``review``.

    Raises
    ------
    UnknownNameError
        If the name is unknown or the object is not a memory model.

    Examples
    --------
    >>> resolve_model("hlr").name
    'hlr'
    >>> model = get_model("fsrs6")
    >>> resolve_model(model) is model
    True
    """
    if isinstance(model, str):
        return get_model(model)
    if not all(hasattr(model, name) for name in ("initial_state", "retrievability", "review")):
        raise UnknownNameError(
            f"model: expected a model name or a MemoryModel, got {type(model).__name__}; use e.g. model='fsrs6'"
        )
    return model
