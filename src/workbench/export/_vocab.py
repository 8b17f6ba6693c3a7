"""IRIs from the ADL xAPI vocabulary and the cmi5 specification used by the exporters.

Verb and category IRIs are those of the cmi5 specification (Quartz, sections 9.3 and 9.6) and
of the ADL vocabulary (``http://adlnet.gov/expapi/...``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from workbench.errors import ExportError
from workbench.export._common import check_iri
from workbench.model import Activity, MemoryEffect

__all__ = ["CMI5_CATEGORY", "MOVEON_CATEGORY", "SESSION_ID", "VERBS", "activity_type"]

_ADL_VERBS = "http://adlnet.gov/expapi/verbs"
_ADL_W3ID_VERBS = "https://w3id.org/xapi/adl/verbs"

#: Verb objects by name (display in en-US, as the ADL vocabulary defines them).
VERBS: Mapping[str, dict[str, Any]] = {
    name: {"id": iri, "display": {"en-US": name}}
    for name, iri in {
        "launched": f"{_ADL_VERBS}/launched",
        "initialized": f"{_ADL_VERBS}/initialized",
        "completed": f"{_ADL_VERBS}/completed",
        "passed": f"{_ADL_VERBS}/passed",
        "failed": f"{_ADL_VERBS}/failed",
        "terminated": f"{_ADL_VERBS}/terminated",
        "abandoned": f"{_ADL_W3ID_VERBS}/abandoned",
        "waived": f"{_ADL_W3ID_VERBS}/waived",
        "satisfied": f"{_ADL_W3ID_VERBS}/satisfied",
        "experienced": f"{_ADL_VERBS}/experienced",
        "attended": f"{_ADL_VERBS}/attended",
    }.items()
}

CMI5_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
MOVEON_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/moveon"
SESSION_ID = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
MASTERY_SCORE = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore"
COURSE_TYPE = "https://w3id.org/xapi/cmi5/activitytype/course"
BLOCK_TYPE = "https://w3id.org/xapi/cmi5/activitytype/block"

_ADL_TYPES = "http://adlnet.gov/expapi/activities"
#: Activity type of the built-in kinds (ADL activity types); user kinds fall back by effect.
KIND_TYPES: Mapping[str, str] = {
    "ilt_workshop": f"{_ADL_TYPES}/meeting",
    "vilt_session": f"{_ADL_TYPES}/meeting",
    "coaching_session": f"{_ADL_TYPES}/meeting",
    "manager_debrief": f"{_ADL_TYPES}/meeting",
    "elearning_module": f"{_ADL_TYPES}/module",
    "concept_explainer_video": f"{_ADL_TYPES}/media",
    "key_point_video": f"{_ADL_TYPES}/media",
    "spaced_recall_quiz": f"{_ADL_TYPES}/assessment",
    "decision_refresher": f"{_ADL_TYPES}/assessment",
    "scenario_practice": f"{_ADL_TYPES}/simulation",
    "job_aid": f"{_ADL_TYPES}/file",
    "role_based_prompt": f"{_ADL_TYPES}/lesson",
}
_EFFECT_TYPES: Mapping[MemoryEffect, str] = {
    MemoryEffect.ENCODE: f"{_ADL_TYPES}/lesson",
    MemoryEffect.RESTUDY: f"{_ADL_TYPES}/lesson",
    MemoryEffect.RETRIEVE: f"{_ADL_TYPES}/assessment",
    MemoryEffect.APPLY: f"{_ADL_TYPES}/performance",
    MemoryEffect.DISCUSS: "http://id.tincanapi.com/activitytype/discussion",
}
#: Kinds whose participants "attend" (live events) rather than "experience" an asset.
MEETING_TYPE = f"{_ADL_TYPES}/meeting"


def check_activity_types(overrides: Mapping[str, str] | None) -> Mapping[str, str]:
    """Check an ``activity_types`` option (kind id -> activity type IRI)."""
    if overrides is None:
        return {}
    if not isinstance(overrides, Mapping):
        raise ExportError(f"activity_types: must map kind ids to activity type IRIs (got {type(overrides).__name__})")
    return {
        kind: check_iri(iri, f"activity_types[{kind!r}]", "http://adlnet.gov/expapi/activities/lesson")
        for kind, iri in overrides.items()
    }


def activity_type(activity: Activity, effect: MemoryEffect, overrides: Mapping[str, str]) -> str:
    """Activity type IRI: the option for the kind, else assessment when scored, else by kind/effect.

    Examples
    --------
    >>> from workbench.model import Activity
    >>> quiz = Activity.of_kind("spaced_recall_quiz", id="q", title="Quiz", schedule=3)
    >>> activity_type(quiz, MemoryEffect.RETRIEVE, {})
    'http://adlnet.gov/expapi/activities/assessment'
    """
    if activity.kind in overrides:
        return overrides[activity.kind]
    if activity.mastery_score is not None:
        return f"{_ADL_TYPES}/assessment"
    return KIND_TYPES.get(activity.kind) or _EFFECT_TYPES[effect]
