"""IRIs from the ADL xAPI vocabulary and the cmi5 specification used by the exporters.

Verb and category IRIs are those of the cmi5 specification (Quartz, sections 9.3 and 9.6) and
of the ADL vocabulary (``http://adlnet.gov/expapi/...``).

Retrieval items have one statement shape wherever they appear (the cmi5 launch pages, the
xAPI templates, the synthetic statements), defined here and nowhere else:

- verb ``answered`` (``http://adlnet.gov/expapi/verbs/answered``), a cmi5 *allowed* statement:
  no cmi5 category, but the registration and the launch's context template (session id,
  publisher grouping);
- object ``<AU id>/test/retrieval/question/<item id>`` (the form of the xAPI.js cmi5 library's
  interaction statements), type ``cmi.interaction``, with ``interactionType`` ``choice`` or
  ``fill-in``, ``correctResponsesPattern``, the choices and the stem as description;
- the concept as the objective activity ``<course>/objectives/<concept id>`` (type
  ``objective``) in ``context.contextActivities.parent``, the same objective id as in
  ``cmi5.xml``;
- ``result.response`` (choice ids ``a``, ``b``... joined by ``[,]``, or the typed text) and
  ``result.success``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from workbench.errors import ExportError
from workbench.export._common import check_iri
from workbench.model import Activity, MemoryEffect, RetrievalItem

__all__ = [
    "CMI5_CATEGORY",
    "INTERACTION_TYPE",
    "ITEM_TEST_ID",
    "MOVEON_CATEGORY",
    "OBJECTIVE_TYPE",
    "RESPONSE_DELIMITER",
    "SESSION_ID",
    "VERBS",
    "activity_type",
    "choice_id",
    "item_definition",
    "item_iri",
    "objective_activity",
    "scorm_interaction",
]

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
        "answered": f"{_ADL_VERBS}/answered",
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


# ---- retrieval items -------------------------------------------------------------------------

INTERACTION_TYPE = f"{_ADL_TYPES}/cmi.interaction"
OBJECTIVE_TYPE = f"{_ADL_TYPES}/objective"
#: The ``testId`` of the xAPI.js interaction statements: one test per AU.
ITEM_TEST_ID = "retrieval"
#: Delimiter of multiple responses in xAPI and SCORM response patterns.
RESPONSE_DELIMITER = "[,]"


def choice_id(index: int) -> str:
    """Id of the choice at ``index`` (``a``, ``b``, ...): SCORM short identifiers and xAPI ids.

    Examples
    --------
    >>> choice_id(0), choice_id(9)
    ('a', 'j')
    """
    return "abcdefghij"[index]


def item_iri(au_iri: str, item_id: str) -> str:
    """Object id of an item's ``answered`` statement, below the AU's id.

    Examples
    --------
    >>> item_iri("https://workbench.example/courses/c/activities/quiz_1", "q1")
    'https://workbench.example/courses/c/activities/quiz_1/test/retrieval/question/q1'
    """
    return f"{au_iri}/test/{ITEM_TEST_ID}/question/{item_id}"


def _patterns(item: RetrievalItem) -> list[str]:
    if item.type == "free_text":
        return [f"{{case_matters=false}}{answer}" for answer in item.accepted]
    return [RESPONSE_DELIMITER.join(choice_id(i) for i in item.correct_indices)]


def item_definition(item: RetrievalItem, language: str) -> dict[str, Any]:
    """XAPI activity definition of an item (a ``cmi.interaction``).

    Examples
    --------
    >>> from workbench.model import RetrievalItem
    >>> item = RetrievalItem(id="q", concept="c", stem="2 + 2?", choices=[{"text": "4", "correct": True},
    ...                                                                  {"text": "5"}])
    >>> d = item_definition(item, "en")
    >>> d["interactionType"], d["correctResponsesPattern"], d["choices"][1]
    ('choice', ['a'], {'id': 'b', 'description': {'en': '5'}})
    """
    definition: dict[str, Any] = {
        "type": INTERACTION_TYPE,
        "name": {language: item.id},
        "description": {language: item.stem},
        "interactionType": "fill-in" if item.type == "free_text" else "choice",
        "correctResponsesPattern": _patterns(item),
    }
    if item.type != "free_text":
        definition["choices"] = [
            {"id": choice_id(i), "description": {language: c.text}} for i, c in enumerate(item.choices)
        ]
    return definition


def objective_activity(objective_id: str, name: str, language: str) -> dict[str, Any]:
    """Return the concept as an xAPI objective activity (a context ``parent`` of ``answered``)."""
    return {
        "objectType": "Activity",
        "id": objective_id,
        "definition": {"type": OBJECTIVE_TYPE, "name": {language: name}},
    }


def scorm_interaction(item: RetrievalItem) -> dict[str, Any]:
    """Return what a SCORM 2004 SCO records for an item: ``cmi.interactions.n`` type and correct patterns.

    Examples
    --------
    >>> from workbench.model import RetrievalItem
    >>> scorm_interaction(RetrievalItem(id="q", concept="c", stem="Name it", type="free_text",
    ...                                 accepted=["SBI"]))
    {'type': 'fill-in', 'correct_responses': ['{case_matters=false}SBI']}
    """
    return {
        "type": "fill-in" if item.type == "free_text" else "choice",
        "correct_responses": _patterns(item),
    }
