"""The lint API: the rule table, select/ignore, LintConfig, findings, frames, properties."""

from __future__ import annotations

import dataclasses
import math
import re
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.catalog import default_catalog
from workbench.errors import ParameterError, UnknownNameError
from workbench.model import Activity, Concept, Journey
from workbench.rules import (
    FINDING_COLUMNS,
    RULES,
    Finding,
    LintConfig,
    Severity,
    findings_frame,
    get_rule,
    has_errors,
    lint,
    rules_frame,
)


def small_journey() -> Journey:
    """Triggers several rules at once: a long video, a cliff-free but unretrieved concept."""
    return (
        Journey.empty("demo", "Demo")
        .add_concept(Concept(id="consent", name="Consent"))
        .add_concept(Concept(id="unused", name="Unused"))
        .add_activity(Activity.of_kind("elearning_module", id="course", title="Course", covers=["consent"], schedule=0))
        .add_activity(
            Activity.of_kind(
                "key_point_video",
                id="video",
                title="Video",
                covers=["consent"],
                schedule=8,
                duration_min=18.0,
                channel="lms",
                purpose=None,
            )
        )
    )


# ---- the rule table --------------------------------------------------------------------


def test_rules_table_is_ordered_and_unique() -> None:
    codes = [r.code for r in RULES]
    assert codes == sorted(codes)
    assert len(set(codes)) == len(codes) >= 15
    assert len({r.slug for r in RULES}) == len(RULES)
    for r in RULES:
        assert re.fullmatch(r"WB\d{3}", r.code)
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", r.slug)
        assert isinstance(r.severity, Severity)
        assert r.summary
        assert r.defaults is not None


def test_rules_frame_lists_every_rule() -> None:
    frame = rules_frame()
    assert list(frame.index) == [r.code for r in RULES]
    assert list(frame.columns) == ["slug", "severity", "summary", "defaults"]
    assert frame.loc["WB001", "defaults"] == "max_micro_min=10, max_mobile_min=5"


def test_get_rule_by_code_or_slug() -> None:
    assert get_rule("wb001") is get_rule("micro-too-long") is RULES[0]
    with pytest.raises(UnknownNameError, match="WB001 \\(micro-too-long\\)"):
        get_rule("no-such-rule")


def test_a_rule_runs_alone() -> None:
    findings = get_rule("WB004")(small_journey())
    assert [(f.code, f.activity_id) for f in findings] == [("WB004", "video")]


# ---- lint ------------------------------------------------------------------------------


def test_lint_returns_all_findings_sorted() -> None:
    findings = lint(small_journey())
    assert [(f.code, f.severity.value, f.activity_id, f.concept_id) for f in findings] == [
        ("WB004", "error", "video", None),
        ("WB001", "warning", "video", None),
        ("WB008", "warning", None, "unused"),
        ("WB012", "warning", "course", "consent"),
    ]
    assert has_errors(findings)


def test_select_and_ignore_by_code_or_slug() -> None:
    journey = small_journey()
    assert [f.code for f in lint(journey, select=["WB001", "missing-purpose"])] == ["WB004", "WB001"]
    assert [f.code for f in lint(journey, select="WB001")] == ["WB001"]
    assert [f.code for f in lint(journey, ignore=["missing-purpose", "wb008"])] == ["WB001", "WB012"]
    assert lint(journey, select=["WB001"], ignore=["WB001"]) == ()
    assert lint(journey, select=[]) == ()


@pytest.mark.parametrize("option", ["select", "ignore"])
def test_unknown_rule_names_are_reported(option: str) -> None:
    names = {option: ["WB001", "WB999"]}
    with pytest.raises(UnknownNameError, match=f"{option}: unknown rule\\(s\\) 'WB999'"):
        lint(small_journey(), **names)


def test_config_mapping_overrides_defaults() -> None:
    journey = small_journey()
    assert "WB001" not in {f.code for f in lint(journey, {"max_micro_min": 20})}
    with pytest.raises(ParameterError, match="max_micro_minutes"):
        lint(journey, {"max_micro_minutes": 20})
    with pytest.raises(ParameterError, match="LintConfig or a mapping"):
        lint(journey, 42)  # type: ignore[arg-type]


def test_lint_does_not_change_the_journey() -> None:
    journey = small_journey()
    before = journey.model_dump()
    lint(journey)
    assert journey.model_dump() == before


# ---- LintConfig ------------------------------------------------------------------------


def test_lint_config_defaults() -> None:
    config = LintConfig()
    assert (config.max_micro_min, config.max_mobile_min, config.max_concepts_per_micro) == (10.0, 5.0, 2)
    assert (config.min_spacing_days, config.massed_window_days) == (1.0, 3.0)
    assert (config.weekly_budget_min, config.max_touches_per_week, config.window_days) == (60.0, 3, 7.0)


def test_lint_config_is_frozen_and_normalises_numbers() -> None:
    config = LintConfig(max_micro_min=8, max_touches_per_week=4.0)  # type: ignore[arg-type]
    assert config.max_micro_min == 8.0
    assert isinstance(config.max_micro_min, float)
    assert config.max_touches_per_week == 4
    assert isinstance(config.max_touches_per_week, int)
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.max_micro_min = 3  # type: ignore[misc]
    assert LintConfig(min_spacing_days=0, massed_window_days=0).min_spacing_days == 0.0


BAD_VALUES: list[tuple[str, Any]] = [
    ("max_micro_min", -1),
    ("max_micro_min", 0),
    ("max_micro_min", math.nan),
    ("max_micro_min", "10"),
    ("max_mobile_min", math.inf),
    ("max_concepts_per_micro", 0),
    ("max_concepts_per_micro", 1.5),
    ("max_concepts_per_micro", True),
    ("min_spacing_days", -0.5),
    ("massed_window_days", None),
    ("weekly_budget_min", -60),
    ("max_touches_per_week", 0),
    ("window_days", 0),
]


@pytest.mark.parametrize(("field", "value"), BAD_VALUES)
def test_lint_config_rejects_bad_values(field: str, value: Any) -> None:
    with pytest.raises(ParameterError, match=f"LintConfig.{field} must be") as info:
        LintConfig(**{field: value})
    assert "fix:" in str(info.value)


def test_lint_config_reports_every_bad_field_at_once() -> None:
    with pytest.raises(ParameterError) as info:
        LintConfig(max_micro_min=-1, window_days=0)
    text = str(info.value)
    assert "2 LintConfig values" in text
    assert "max_micro_min" in text
    assert "window_days" in text


def test_lint_config_replace_validates_again() -> None:
    with pytest.raises(ParameterError, match="max_mobile_min"):
        dataclasses.replace(LintConfig(), max_mobile_min=-5)


# ---- findings and frames -------------------------------------------------------------------


def test_finding_is_a_frozen_value() -> None:
    finding = lint(small_journey())[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.code = "WB999"  # type: ignore[misc]
    assert finding == Finding(**finding.to_dict())
    assert hash(finding) == hash(Finding(**finding.to_dict()))
    assert str(finding).startswith("WB004 missing-purpose: 'video' has no purpose")


def test_finding_rejects_unknown_severity() -> None:
    with pytest.raises(ParameterError, match="severity"):
        Finding("WB001", "x", "fatal", "m", "f")  # type: ignore[arg-type]


def test_findings_frame_of_nothing_has_the_columns() -> None:
    frame = findings_frame(())
    assert list(frame.columns) == list(FINDING_COLUMNS)
    assert len(frame) == 0
    assert isinstance(frame["severity"].dtype, pd.CategoricalDtype)


def test_findings_frame_one_row_per_finding() -> None:
    findings = lint(small_journey())
    frame = findings_frame(findings)
    assert list(frame.columns) == list(FINDING_COLUMNS)
    assert frame["code"].tolist() == [f.code for f in findings]
    assert frame["severity"].cat.categories.tolist() == ["error", "warning", "info"]
    assert frame["activity_id"].isna().tolist() == [f.activity_id is None for f in findings]
    assert frame.dtypes.equals(findings_frame(()).dtypes)


def test_has_errors() -> None:
    assert not has_errors(())
    assert has_errors(lint(small_journey()))
    assert not has_errors(lint(small_journey(), ignore="WB004"))


# ---- properties: lint never raises and is deterministic --------------------------------------

CATALOG = default_catalog()
KINDS = sorted(CATALOG)
ids = st.from_regex(r"[a-z][a-z0-9-]{0,6}", fullmatch=True)


@st.composite
def built_journeys(draw: Any) -> Journey:
    """Return a random valid journey built the way designers do: empty, then add_concept/add_activity."""
    journey = Journey.empty(draw(ids), "Random journey")
    concept_ids = draw(st.lists(ids, min_size=1, max_size=4, unique=True))
    for cid in concept_ids:
        journey = journey.add_concept(Concept(id=cid, name=cid))
    activity_ids = draw(st.lists(ids.map(lambda s: f"a-{s}"), min_size=1, max_size=8, unique=True))
    dated: list[str] = []
    for aid in activity_ids:
        kind = CATALOG[draw(st.sampled_from(KINDS))]
        mode = draw(st.sampled_from(["day", "after", "on_demand"] if dated else ["day", "on_demand"]))
        schedule: Any
        if mode == "day":
            schedule = draw(st.floats(-30, 120, allow_nan=False).map(lambda d: round(d, 1)))
        elif mode == "after":
            schedule = {"after": draw(st.sampled_from(dated)), "gap_days": float(draw(st.integers(0, 30)))}
        else:
            schedule = "on_demand"
        fields: dict[str, Any] = {
            "covers": draw(st.lists(st.sampled_from(concept_ids), max_size=3, unique=True)) if concept_ids else [],
            "channel": draw(st.sampled_from(kind.channels)),
            "required": draw(st.booleans()),
        }
        if draw(st.booleans()):
            fields["layer"] = draw(st.sampled_from(["before", "during", "after", "work", "change"]))
        if draw(st.booleans()):
            fields["duration_min"] = float(draw(st.integers(1, 90)))
        if draw(st.integers(0, 4)) == 0:
            fields["purpose"] = None
        if draw(st.booleans()):
            fields["facilitator"] = "Someone"
        if fields["covers"] and draw(st.booleans()):
            fields["covers"] = {
                c: draw(st.sampled_from(["encode", "retrieve", "restudy", "apply", "discuss"]))
                for c in fields["covers"]
            }
        title = draw(st.sampled_from(["Agenda", "Recall", "Intro: x", "Scenario"]))
        journey = journey.add_activity(Activity.of_kind(kind.id, id=aid, title=title, schedule=schedule, **fields))
        if mode != "on_demand":
            dated.append(aid)
    n = len(activity_ids)
    for _ in range(draw(st.integers(0, n)) if n >= 2 else 0):
        i, j = sorted(draw(st.lists(st.integers(0, n - 1), min_size=2, max_size=2, unique=True)))
        if any((e.source, e.target) == (activity_ids[i], activity_ids[j]) for e in journey.edges):
            continue
        kind_name = draw(st.sampled_from(["then", "prepares", "reinforces", "supports"]))
        journey = journey.connect(activity_ids[i], activity_ids[j], kind_name)  # i < j: no 'then' cycle
    return journey


configs = st.builds(
    LintConfig,
    max_micro_min=st.sampled_from([3.0, 10.0, 30.0]),
    max_concepts_per_micro=st.integers(1, 3),
    min_spacing_days=st.sampled_from([0.0, 1.0, 5.0]),
    massed_window_days=st.sampled_from([0.0, 3.0, 14.0]),
    weekly_budget_min=st.sampled_from([5.0, 60.0]),
    max_touches_per_week=st.integers(1, 4),
)


@settings(max_examples=60)
@given(journey=built_journeys(), config=configs)
def test_lint_never_raises_and_is_deterministic(journey: Journey, config: LintConfig) -> None:
    findings = lint(journey, config)
    assert findings == lint(journey, config)
    assert findings == lint(journey.evolve(), config)  # same journey, rebuilt: same findings
    assert list(findings) == sorted(findings, key=lambda f: f.sort_key)
    rules = {r.code: r for r in RULES}
    activity_ids = {a.id for a in journey.activities}
    concept_ids = {c.id for c in journey.concepts}
    for f in findings:
        assert f.rule == rules[f.code].slug
        assert f.severity is rules[f.code].severity
        assert f.activity_id is None or f.activity_id in activity_ids
        assert f.concept_id is None or f.concept_id in concept_ids
        assert f.fix
        assert f.message.endswith(f.fix)
        if f.activity_id is not None and f.code != "WB015" and f.code != "WB016":
            assert repr(f.activity_id) in f.message
    assert len(findings_frame(findings)) == len(findings)
    assert has_errors(findings) == any(f.severity == "error" for f in findings)
