"""What every purpose measure shares: the thresholds, binomial standard errors, reach per asset.

Private to :mod:`workbench.analytics`; the public names are re-exported by
:mod:`workbench.analytics.purpose` and the package.
"""

from __future__ import annotations

from typing import Annotated, Any

import numpy as np
import pandas as pd
from pydantic import Field

from workbench._values import StrictFloat, Value
from workbench.analytics.delivery import Delivery, activity_table
from workbench.errors import ParameterError

Share = Annotated[StrictFloat, Field(ge=0, le=1)]


class Thresholds(Value):
    """What "works" means per purpose: stated, overridable design targets.

    These are workbench's planning targets, not published norms: no study sets a universal
    bar for, say, recap reach. Set them to what your programme promised its sponsors.

    Parameters
    ----------
    priming_reach : float
        Share of the cohort who open a primer before the event it prepares.
    instruction_reach : float
        Share who finish a required instructional asset.
    recap_reach, recap_within_days : float, float
        Share who open a recap within ``recap_within_days`` days of its scheduled day.
    quiz_accuracy : float
        Share of correct retrievals in a quiz or practice asset.
    reinforcement_reach : float
        Share reached by a reinforcement asset without scored results.
    reference_work_share : float
        Share of a job aid's uses on workdays in working hours or near a work moment.
    change_reach, change_within_days : float, float
        Share who open a change update within ``change_within_days`` days.
    social_reach : float
        Share who take part in a social or manager prompt.
    working_hours : tuple of int
        Local hours counted as working time, ``[start, end)``.
    """

    priming_reach: Share = 0.6
    instruction_reach: Share = 0.8
    recap_reach: Share = 0.6
    recap_within_days: Annotated[StrictFloat, Field(gt=0, le=60)] = 2.0
    quiz_accuracy: Share = 0.7
    reinforcement_reach: Share = 0.5
    reference_work_share: Share = 0.5
    change_reach: Share = 0.7
    change_within_days: Annotated[StrictFloat, Field(gt=0, le=60)] = 7.0
    social_reach: Share = 0.5
    working_hours: tuple[int, int] = (8, 18)


def _se(p: Any, n: Any) -> Any:
    """Binomial standard error of a share ``p`` of ``n`` (NaN for n = 0)."""
    p_arr = np.asarray(p, dtype=float)
    n_arr = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n_arr > 0, np.sqrt(p_arr * (1 - p_arr) / np.where(n_arr > 0, n_arr, 1)), np.nan)


def _per_asset(delivery: Delivery) -> pd.DataFrame:
    table = activity_table(delivery.journey)
    reached = delivery.accesses.groupby("activity_id")["learner"].nunique()
    table["learners"] = table["activity_id"].map(reached).fillna(0).astype(int)
    table["reach"] = table["learners"] / delivery.cohort_size
    table["se"] = _se(table["reach"], delivery.cohort_size)
    return table


def check_delivery(delivery: Any) -> Delivery:
    """Return ``delivery`` if it is a Delivery, else a ParameterError naming what to pass."""
    if not isinstance(delivery, Delivery):
        raise ParameterError(f"expected a Delivery from workbench.analytics.observe (got {type(delivery).__name__})")
    return delivery
