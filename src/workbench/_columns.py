"""Names of the per-day columns of plan comparisons and the per-day keys of simulation metrics.

The one place these names are built: everything else reads values through accessors
(:meth:`workbench.plans.PlanComparison.retention`, ``.proficiency``...), so a column name is
never spelled out twice.

Examples
--------
>>> retention_column(90), proficiency_column(45)
('retention_day_90', 'proficiency_day_45')
"""

from __future__ import annotations

__all__ = ["proficiency_column", "retention_column"]


def retention_column(day: int) -> str:
    """Return the column (or key) holding mean recall on ``day``."""
    return f"retention_day_{int(day)}"


def proficiency_column(day: int) -> str:
    """Return the column (or key) holding the share of proficient learners on ``day``."""
    return f"proficiency_day_{int(day)}"
