"""Calibration: fit the simulator to observed recall, validate it out of sample.

* :func:`read_observations` reads per-learner events or grouped outcomes (shape detected
  from the columns; errors name the CSV line);
* :func:`calibrate` fits memory-profile parameters by maximum likelihood under the same
  rules :func:`workbench.simulate.simulate` runs, and returns a :class:`Calibration`
  (accepted wherever a memory profile is);
* :func:`bootstrap_calibration` refits it on resampled data: :class:`CalibrationDraws`, the
  parameter uncertainty as fitted profiles a sweep runs (``sweep(..., calibrations=draws)``);
* :func:`validate_calibration` fits on part of the data and predicts the rest;
* :func:`load_published` gives the published tables the default profile rests on.
"""

from workbench.calibrate.bootstrap import (
    CalibrationDraws,
    DrawFailure,
    bootstrap_calibration,
    load_calibration_file,
    read_calibration_draws,
)
from workbench.calibrate.data import (
    EVENT_COLUMNS,
    GROUPED_COLUMNS,
    Observations,
    format_history,
    parse_history,
    read_observations,
)
from workbench.calibrate.fit import (
    Calibration,
    ParameterEstimate,
    Validation,
    calibrate,
    default_fit,
    informed_parameters,
    load_calibration,
    read_calibration,
    validate_calibration,
)
from workbench.calibrate.likelihood import expected_recall, log_likelihood
from workbench.calibrate.published import PUBLISHED, load_published

__all__ = [
    "EVENT_COLUMNS",
    "GROUPED_COLUMNS",
    "PUBLISHED",
    "Calibration",
    "CalibrationDraws",
    "DrawFailure",
    "Observations",
    "ParameterEstimate",
    "Validation",
    "bootstrap_calibration",
    "calibrate",
    "default_fit",
    "expected_recall",
    "format_history",
    "informed_parameters",
    "load_calibration",
    "load_calibration_file",
    "load_published",
    "log_likelihood",
    "parse_history",
    "read_calibration",
    "read_calibration_draws",
    "read_observations",
    "validate_calibration",
]
