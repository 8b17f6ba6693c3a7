"""Design rules (lints) for a journey: one pure function per rule, all findings at once.

Every rule has a stable code (``WB001``), a slug (``micro-too-long``) and a default
severity; :func:`lint` runs them all (or a selection) and returns every finding, sorted.
:data:`RULES` lists the rules for docs and the CLI; :func:`rules_frame` shows them as a
table. Thresholds are settings of :class:`LintConfig`.

Examples
--------
>>> from workbench.rules import RULES
>>> [(r.code, r.slug, r.severity.value) for r in RULES][:2]
[('WB001', 'micro-too-long', 'warning'), ('WB002', 'mobile-too-long', 'warning')]
"""

from workbench.rules import checks as checks  # registers the rules
from workbench.rules._core import (
    FINDING_COLUMNS,
    Finding,
    Issue,
    LintConfig,
    Rule,
    Severity,
    findings_frame,
    get_rule,
    has_errors,
    lint,
    registered_rules,
    rules_frame,
)

#: Every rule, ordered by code: ``code``, ``slug``, ``severity``, ``summary``, ``defaults``.
RULES: tuple[Rule, ...] = registered_rules()

__all__ = [
    "FINDING_COLUMNS",
    "RULES",
    "Finding",
    "Issue",
    "LintConfig",
    "Rule",
    "Severity",
    "findings_frame",
    "get_rule",
    "has_errors",
    "lint",
    "rules_frame",
]
