"""Forgetting models, vectorised over numpy arrays, and fitting of forgetting curves.

* :class:`MemoryModel` is the one interface (Protocol) the population simulator uses;
  :class:`MemoryState` the frozen value it passes around.
* :class:`FSRS6` (default, equal to py-fsrs 6.3.2), :class:`ExponentialModel`,
  :class:`HLRModel` (Settles & Meeder 2016), :class:`ACTRModel` (Pavlik & Anderson 2005);
  pick one by name with :func:`get_model` (:func:`resolve_model` takes a name or a model).
* :func:`replay` replays many FSRS review histories at once.
* :class:`ForgettingCurveFit`, :func:`compare_curves`, :func:`load_recall_csv` fit power or
  exponential curves to observed recall; :func:`fit_fsrs` fits FSRS-6 weights from review
  logs (needs ``pip install 'workbench[fit]'``).
"""

from workbench.memory.actr import ACTRModel, ACTRParameters, ACTRState
from workbench.memory.base import RATING_NAMES, MemoryModel, MemoryState
from workbench.memory.exponential import ExponentialModel, ExponentialParameters
from workbench.memory.fit import (
    CurveComparison,
    ForgettingCurveFit,
    compare_curves,
    fit_fsrs,
    load_recall_csv,
)
from workbench.memory.fsrs import (
    DEFAULT_FSRS6_WEIGHTS,
    FSRS6,
    FSRS6Parameters,
    FSRSState,
    replay,
)
from workbench.memory.hlr import HLRModel, HLRParameters, HLRState
from workbench.memory.registry import MODEL_NAMES, get_model, resolve_model

__all__ = [
    "DEFAULT_FSRS6_WEIGHTS",
    "FSRS6",
    "MODEL_NAMES",
    "RATING_NAMES",
    "ACTRModel",
    "ACTRParameters",
    "ACTRState",
    "CurveComparison",
    "ExponentialModel",
    "ExponentialParameters",
    "FSRS6Parameters",
    "FSRSState",
    "ForgettingCurveFit",
    "HLRModel",
    "HLRParameters",
    "HLRState",
    "MemoryModel",
    "MemoryState",
    "compare_curves",
    "fit_fsrs",
    "get_model",
    "load_recall_csv",
    "replay",
    "resolve_model",
]
