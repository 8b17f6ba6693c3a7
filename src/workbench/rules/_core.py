"""The machinery of the design rules: findings, configuration, the registry and ``lint``.

The rules themselves live in :mod:`workbench.rules.checks`; each one is a pure function of
a :class:`~workbench.model.Journey` and a :class:`LintConfig`, registered here under a
stable code (``WB001``...), a slug and a default severity.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, NamedTuple

from workbench.errors import ParameterError, UnknownNameError

if TYPE_CHECKING:
    import pandas as pd

    from workbench.model import Journey

__all__ = [
    "FINDING_COLUMNS",
    "Finding",
    "Issue",
    "LintConfig",
    "Rule",
    "Severity",
    "findings_frame",
    "get_rule",
    "has_errors",
    "lint",
    "registered_rules",
    "rule",
    "rules_frame",
]


class Severity(StrEnum):
    """How bad a finding is; ``error`` findings make ``workbench lint`` fail."""

    ERROR = "error"  # the journey will not work as designed (or cannot be simulated)
    WARNING = "warning"  # a design practice is broken; fix it or know why not
    INFO = "info"  # an opportunity, or a heuristic that may not apply

    @property
    def rank(self) -> int:
        """0 for errors, 1 for warnings, 2 for infos: the order findings are listed in."""
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


@dataclass(frozen=True)
class Finding:
    """One problem a rule found in a journey.

    Parameters
    ----------
    code : str
        Stable code of the rule (``WB001``); use it in ``select`` / ``ignore``.
    rule : str
        Slug of the rule (``micro-too-long``).
    severity : Severity
        ``error``, ``warning`` or ``info``.
    message : str
        The whole story, ready to show: what is wrong, where (the activity or concept id)
        and, after the last ``": "``, how to fix it.
    fix : str
        The fix alone (the end of ``message``), for tables and tooltips.
    activity_id, concept_id : str or None
        The activity and the concept the finding is about, when there is one.

    Examples
    --------
    >>> f = Finding("WB001", "micro-too-long", "warning",
    ...             "'recap-video' lasts 18 min; micro assets stay within 10 min: cut it",
    ...             "cut it", "recap-video")
    >>> print(f)
    WB001 micro-too-long: 'recap-video' lasts 18 min; micro assets stay within 10 min: cut it
    >>> f.severity is Severity.WARNING
    True
    """

    code: str
    rule: str
    severity: Severity
    message: str
    fix: str
    activity_id: str | None = None
    concept_id: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.severity, Severity):
            try:
                object.__setattr__(self, "severity", Severity(self.severity))
            except ValueError:
                raise ParameterError(
                    f"Finding.severity: must be one of error, warning, info (got {self.severity!r})"
                ) from None

    def __str__(self) -> str:
        return f"{self.code} {self.rule}: {self.message}"

    @property
    def sort_key(self) -> tuple[int, str, str, str, str]:
        """Severity, code, activity, concept, message: the order :func:`lint` returns."""
        return (self.severity.rank, self.code, self.activity_id or "", self.concept_id or "", self.message)

    def to_dict(self) -> dict[str, Any]:
        """Return the finding as a plain dict (severity as its string value)."""
        return {
            "code": self.code,
            "rule": self.rule,
            "severity": self.severity.value,
            "message": self.message,
            "fix": self.fix,
            "activity_id": self.activity_id,
            "concept_id": self.concept_id,
        }


class Issue(NamedTuple):
    """What a rule function yields; :class:`Rule` turns it into a :class:`Finding`.

    ``message`` says what is wrong and where, ``fix`` how to fix it; the finding's message
    joins them as ``"{message}: {fix}"``.
    """

    message: str
    fix: str
    activity_id: str | None = None
    concept_id: str | None = None


# ---- configuration -----------------------------------------------------------------------


def _positive(value: float) -> bool:
    return value > 0


def _non_negative(value: float) -> bool:
    return value >= 0


#: field -> (kind, check, bound text, unit); kinds: "number" or "count".
_CONFIG_FIELDS: dict[str, tuple[str, Callable[[float], bool], str, str]] = {
    "max_micro_min": ("number", _positive, "> 0", "minutes"),
    "max_mobile_min": ("number", _positive, "> 0", "minutes"),
    "max_concepts_per_micro": ("count", _positive, ">= 1", "concepts"),
    "min_spacing_days": ("number", _non_negative, ">= 0", "days"),
    "massed_window_days": ("number", _non_negative, ">= 0", "days"),
    "weekly_budget_min": ("number", _positive, "> 0", "minutes"),
    "max_touches_per_week": ("count", _positive, ">= 1", "touches"),
    "window_days": ("number", _positive, "> 0", "days"),
}


@dataclass(frozen=True, slots=True)
class LintConfig:
    """Thresholds of the design rules, validated on construction.

    The defaults are practice defaults of microlearning design, not results of one study;
    change them to your organisation's standards. Change one with
    ``dataclasses.replace(config, max_micro_min=8)`` (which validates again) or pass a
    mapping of overrides to :func:`lint`.

    Parameters
    ----------
    max_micro_min : float, default 10
        Longest micro asset, in learner minutes (WB001).
    max_mobile_min : float, default 5
        Longest micro asset delivered on mobile (WB002).
    max_concepts_per_micro : int, default 2
        Most concepts one micro asset may cover (WB003).
    min_spacing_days : float, default 1
        Shortest gap between two reinforcement touches of one concept (WB013); 0 disables.
    massed_window_days : float, default 3
        All reinforcement of a concept within this many days of its last formal touch is
        massed (WB014); 0 disables.
    weekly_budget_min : float, default 60
        Most minutes of required micro assets in any rolling window of ``window_days`` (WB015).
    max_touches_per_week : int, default 3
        Most required reinforcement touches in any rolling window of ``window_days`` (WB016).
    window_days : float, default 7
        Length of the rolling window of WB015 and WB016.

    Raises
    ------
    ParameterError
        Naming every field out of bounds.

    Examples
    --------
    >>> LintConfig().max_micro_min
    10.0
    >>> LintConfig(max_micro_min=-1)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    workbench.errors.ParameterError: LintConfig.max_micro_min must be a number > 0 (minutes), got -1; ...
    """

    max_micro_min: float = 10.0
    max_mobile_min: float = 5.0
    max_concepts_per_micro: int = 2
    min_spacing_days: float = 1.0
    massed_window_days: float = 3.0
    weekly_budget_min: float = 60.0
    max_touches_per_week: int = 3
    window_days: float = 7.0

    def __post_init__(self) -> None:
        problems = []
        defaults = {f.name: f.default for f in dataclasses.fields(LintConfig)}
        for name, (kind, check, bound, unit) in _CONFIG_FIELDS.items():
            value = getattr(self, name)
            what = "a whole number" if kind == "count" else "a number"
            fix = f"give {what} {bound} or leave the default {defaults[name]:g}"
            ok_type = isinstance(value, int | float) and not isinstance(value, bool)
            if kind == "count" and ok_type and isinstance(value, float) and value.is_integer():
                value = int(value)
            if kind == "count":
                ok_type = ok_type and isinstance(value, int)
            if not ok_type or not math.isfinite(value) or not check(value):
                problems.append(f"LintConfig.{name} must be {what} {bound} ({unit}), got {value!r}; fix: {fix}")
                continue
            object.__setattr__(self, name, int(value) if kind == "count" else float(value))
        if len(problems) == 1:
            raise ParameterError(problems[0])
        if problems:
            raise ParameterError(
                f"{len(problems)} LintConfig values out of bounds:\n" + "\n".join(f"  - {p}" for p in problems)
            )

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> LintConfig:
        """Build from a mapping (a YAML ``lint:`` section); unknown keys raise ParameterError."""
        known = [f.name for f in dataclasses.fields(cls)]
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise ParameterError(
                f"LintConfig: unknown setting(s) {', '.join(map(repr, unknown))}; known settings: {', '.join(known)}"
            )
        return cls(**dict(values))


# ---- rules and the registry --------------------------------------------------------------

Check = Callable[["Journey", LintConfig], Iterable[Issue]]


@dataclass(frozen=True, slots=True)
class Rule:
    """A design rule: a pure check with a stable code, a slug and a default severity.

    Calling a rule runs it alone: ``rule(journey, config)`` returns its findings.
    """

    code: str
    slug: str
    severity: Severity
    summary: str
    options: tuple[str, ...]
    check: Check = dataclasses.field(repr=False, compare=False)

    def __call__(self, journey: Journey, config: LintConfig | None = None) -> tuple[Finding, ...]:
        config = config if config is not None else LintConfig()
        found = [
            Finding(
                code=self.code,
                rule=self.slug,
                severity=self.severity,
                message=f"{issue.message}: {issue.fix}",
                fix=issue.fix,
                activity_id=issue.activity_id,
                concept_id=issue.concept_id,
            )
            for issue in self.check(journey, config)
        ]
        return tuple(sorted(found, key=lambda f: f.sort_key))

    @property
    def defaults(self) -> str:
        """The default thresholds this rule uses, e.g. ``max_micro_min=10``."""
        config = LintConfig()
        return ", ".join(f"{name}={getattr(config, name):g}" for name in self.options)


_REGISTRY: dict[str, Rule] = {}


def rule(code: str, slug: str, severity: Severity, *, options: tuple[str, ...] = ()) -> Callable[[Check], Rule]:
    """Register a check as a rule; its summary is the first line of its docstring."""

    def register(check: Check) -> Rule:
        if code in _REGISTRY or any(r.slug == slug for r in _REGISTRY.values()):
            raise ValueError(f"rule {code} / {slug} is registered twice")
        unknown = [o for o in options if o not in _CONFIG_FIELDS]
        if unknown:
            raise ValueError(f"rule {code}: unknown LintConfig option(s) {unknown}")
        summary = (check.__doc__ or slug).strip().splitlines()[0].strip().replace("``", "")
        registered = Rule(code, slug, severity, summary, options, check)
        _REGISTRY[code] = registered
        return registered

    return register


def registered_rules() -> tuple[Rule, ...]:
    """Every registered rule, ordered by code."""
    return tuple(_REGISTRY[code] for code in sorted(_REGISTRY))


def get_rule(name: str) -> Rule:
    """Return the rule with this code (``WB001``, any case) or slug (``micro-too-long``)."""
    return _resolve([name], "rule")[0]


def _resolve(names: Iterable[str], field: str) -> list[Rule]:
    by_name: dict[str, Rule] = {}
    for r in _REGISTRY.values():
        by_name[r.code.lower()] = r
        by_name[r.slug] = r
    out = []
    unknown = []
    for name in names:
        if not isinstance(name, str):
            unknown.append(repr(name))
            continue
        found = by_name.get(name.strip().lower())
        if found is None:
            unknown.append(repr(name))
        else:
            out.append(found)
    if unknown:
        known = ", ".join(f"{r.code} ({r.slug})" for r in registered_rules())
        raise UnknownNameError(
            f"{field}: unknown rule(s) {', '.join(unknown)}; give codes or slugs of known rules: {known}"
        )
    return out


def _as_names(value: str | Iterable[str] | None) -> list[str] | None:
    if value is None:
        return None
    return [value] if isinstance(value, str) else list(value)


def lint(
    journey: Journey,
    config: LintConfig | Mapping[str, Any] | None = None,
    *,
    select: str | Iterable[str] | None = None,
    ignore: str | Iterable[str] | None = None,
) -> tuple[Finding, ...]:
    """Check a journey against every design rule and return all findings at once.

    Parameters
    ----------
    journey : Journey
        The journey to check (never changed).
    config : LintConfig or mapping, optional
        Thresholds; a mapping overrides some of the defaults (``{"max_micro_min": 8}``).
    select : str or iterable of str, optional
        Run only these rules (codes such as ``"WB001"`` or slugs such as
        ``"micro-too-long"``); all rules by default.
    ignore : str or iterable of str, optional
        Skip these rules (codes or slugs); applied after ``select``.

    Returns
    -------
    tuple of Finding
        Sorted by severity (errors first), then code, then activity id, then concept id.
        Empty when the journey breaks no rule.

    Raises
    ------
    ParameterError
        When ``config`` holds a value out of bounds or an unknown setting.
    UnknownNameError
        When ``select`` or ``ignore`` names an unknown rule.

    See Also
    --------
    has_errors, findings_frame, RULES

    Examples
    --------
    >>> from workbench.model import Activity, Concept, Journey
    >>> from workbench.rules import has_errors, lint
    >>> journey = (Journey.empty("demo", "Demo")
    ...     .add_concept(Concept(id="consent", name="Consent"))
    ...     .add_activity(Activity.of_kind("elearning_module", id="course", title="Course",
    ...                                    covers=["consent"], schedule=0))
    ...     .add_activity(Activity.of_kind("key_point_video", id="recap-video", title="Recap",
    ...                                    covers=["consent"], schedule=8, duration_min=18.0,
    ...                                    channel="lms")))
    >>> for finding in lint(journey):
    ...     print(finding.code, finding.severity, finding.activity_id)
    WB001 warning recap-video
    WB012 warning course
    >>> finding = lint(journey, select=["micro-too-long"])[0]
    >>> print(finding.message.split(": ")[0])
    'recap-video' lasts 18 min; micro assets stay within 10 min
    >>> finding.fix
    'split it into 2 assets of at most 10 min each, or cut it to its one objective'
    >>> has_errors(lint(journey))
    False
    >>> lint(journey, {"max_micro_min": 20}, ignore="WB012")
    ()
    """
    if config is None:
        config = LintConfig()
    elif isinstance(config, Mapping):
        config = LintConfig.from_mapping(config)
    elif not isinstance(config, LintConfig):
        raise ParameterError(
            f"lint: config must be a LintConfig or a mapping of settings (got {type(config).__name__})"
        )
    selected_names = _as_names(select)
    ignored_names = _as_names(ignore)
    chosen = registered_rules() if selected_names is None else tuple(_resolve(selected_names, "select"))
    ignored = {r.code for r in _resolve(ignored_names or [], "ignore")}
    findings: list[Finding] = []
    seen: set[str] = set()
    for checker in chosen:
        if checker.code in ignored or checker.code in seen:
            continue
        seen.add(checker.code)
        findings.extend(checker(journey, config))
    return tuple(sorted(findings, key=lambda f: f.sort_key))


def has_errors(findings: Iterable[Finding]) -> bool:
    """Whether any finding is an error (what makes ``workbench lint`` exit non-zero).

    Examples
    --------
    >>> has_errors([])
    False
    """
    return any(f.severity is Severity.ERROR for f in findings)


#: Columns of :func:`findings_frame`, in order.
FINDING_COLUMNS: tuple[str, ...] = ("code", "rule", "severity", "activity_id", "concept_id", "message", "fix")


def findings_frame(findings: Iterable[Finding]) -> pd.DataFrame:
    """One row per finding, with the columns of :data:`FINDING_COLUMNS`.

    ``severity`` is an ordered categorical (error < warning < info), so sorting the frame
    by it lists errors first; the other columns are strings (missing ids are NA). An empty
    input gives an empty frame with the same columns and dtypes.

    Examples
    --------
    >>> findings_frame(()).columns.tolist()
    ['code', 'rule', 'severity', 'activity_id', 'concept_id', 'message', 'fix']
    """
    import pandas as pd

    rows = list(findings)
    data: dict[str, Any] = {}
    for column in FINDING_COLUMNS:
        if column == "severity":
            data[column] = pd.Categorical(
                [f.severity.value for f in rows], categories=[s.value for s in Severity], ordered=True
            )
        else:
            data[column] = pd.Series([getattr(f, column) for f in rows], dtype="string")
    return pd.DataFrame(data, columns=list(FINDING_COLUMNS))


def rules_frame() -> pd.DataFrame:
    """Return the table of rules (code, slug, severity, summary, defaults), for docs and the CLI.

    Examples
    --------
    >>> from workbench.rules import rules_frame
    >>> rules_frame().loc["WB001", "slug"]
    'micro-too-long'
    """
    import pandas as pd

    rows = [
        {
            "code": r.code,
            "slug": r.slug,
            "severity": r.severity.value,
            "summary": r.summary,
            "defaults": r.defaults,
        }
        for r in registered_rules()
    ]
    columns = ["code", "slug", "severity", "summary", "defaults"]
    return pd.DataFrame(rows, columns=columns).set_index("code")
