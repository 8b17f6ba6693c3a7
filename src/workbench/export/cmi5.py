"""cmi5 course structure (``cmi5.xml``) and cmi5 course package (ZIP).

The course has one block per layer (in layer order) holding one assignable unit (AU) per
launchable activity (catalog kinds with ``launchable: true``), in timeline order. Pieces
that are not launched from an LMS (instructor-led sessions, manager prompts, social posts)
are not AUs: they go to the calendar and CSV exports. Concepts become objectives, and each AU
refers to the objectives of the concepts it covers.

``moveOn`` follows the design: ``Completed`` for a required activity, the ``assessed_move_on``
option (``Passed`` by default) when it has a ``mastery_score``, and ``NotApplicable`` for an
optional activity (it then never blocks the course). AUs without a ``url`` get a generated
launch page inside the package (see :func:`to_cmi5_package`).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from workbench.errors import ExportError
from workbench.export._common import (
    activity_iri,
    block_iri,
    check_iri,
    check_layer_titles,
    check_xml_text,
    course_iri_for,
    layer_title,
    objective_iri,
    require_launchable,
    zip_bytes,
)
from workbench.export._pages import CMI5_LIBRARY, launch_page, vendored_files
from workbench.export._vocab import activity_type, check_activity_types
from workbench.model import Activity, Journey, Layer

__all__ = ["CMI5_NAMESPACE", "au_launch_path", "to_cmi5_package", "to_cmi5_xml"]

CMI5_NAMESPACE = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"
ASSESSED_MOVE_ON = ("Passed", "CompletedOrPassed", "CompletedAndPassed")
LAUNCH_METHODS = ("AnyWindow", "OwnWindow")


def au_launch_path(activity_id: str) -> str:
    """Path of the generated launch page of an AU inside the package.

    Examples
    --------
    >>> au_launch_path("quiz_1")
    'au/quiz_1/index.html'
    """
    return f"au/{activity_id}/index.html"


def _has_own_url(activity: Activity) -> bool:
    return activity.url is not None


def _check_url(activity: Activity, index: int) -> str:
    assert activity.url is not None
    parts = urlsplit(activity.url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise ExportError(
            f"activities[{index}] ({activity.id!r}).url: {activity.url!r} is not an absolute http(s) URL; "
            "an AU is launched from a full URL such as 'https://content.example.org/quiz/', or remove "
            "'url' to get a generated launch page"
        )
    return check_xml_text(activity.url, f"activities[{index}] ({activity.id!r}).url")


def _text(parent: ET.Element, tag: str, value: str, language: str, where: str) -> None:
    element = ET.SubElement(parent, tag)
    langstring = ET.SubElement(element, "langstring", {"lang": language})
    langstring.text = check_xml_text(value, where)


def _mastery(value: float) -> str:
    """Format masteryScore as a decimal rounded to at most 4 fraction digits (cmi5 13.1.4)."""
    return format(Decimal(repr(value)).quantize(Decimal("0.0001")).normalize(), "f")


def _options(
    journey: Journey,
    course_iri: str | None,
    launch_base: str | None,
    assessed_move_on: str,
    launch_method: str,
    activity_types: Mapping[str, str] | None,
    block_titles: Mapping[str, str] | None,
) -> dict[str, Any]:
    if assessed_move_on not in ASSESSED_MOVE_ON:
        raise ExportError(
            f"assessed_move_on: {assessed_move_on!r} is not a cmi5 moveOn for scored AUs; "
            f"use one of {', '.join(ASSESSED_MOVE_ON)}"
        )
    if launch_method not in LAUNCH_METHODS:
        raise ExportError(f"launch_method: {launch_method!r} is unknown; use {' or '.join(LAUNCH_METHODS)}")
    return {
        "course": course_iri_for(journey, course_iri),
        "launch_base": None
        if launch_base is None
        else check_iri(launch_base, "launch_base", "https://cdn.example.org/courses/onboarding"),
        "types": check_activity_types(activity_types),
        "block_titles": check_layer_titles(block_titles),
    }


def to_cmi5_xml(
    journey: Journey,
    *,
    course_iri: str | None = None,
    launch_base: str | None = None,
    assessed_move_on: str = "Passed",
    launch_method: str = "AnyWindow",
    activity_types: Mapping[str, str] | None = None,
    block_titles: Mapping[str, str] | None = None,
) -> bytes:
    """Return the cmi5 course structure of a journey, as UTF-8 XML.

    Parameters
    ----------
    journey : Journey
        The journey; at least one activity must be launchable.
    course_iri : str, optional
        Absolute IRI of the course; AU, block and objective ids are built below it.
        Default ``https://workbench.example/courses/<journey id>``.
    launch_base : str, optional
        Absolute URL where the package's generated pages are hosted. AUs without a ``url``
        launch from ``<launch_base>/au/<id>/index.html``; without it that path stays relative,
        which is right inside a package (:func:`to_cmi5_package`) only.
    assessed_move_on : {"Passed", "CompletedOrPassed", "CompletedAndPassed"}
        moveOn of required AUs that have a ``mastery_score``.
    launch_method : {"AnyWindow", "OwnWindow"}
        launchMethod of every AU.
    activity_types : mapping, optional
        Activity type IRI per kind id, overriding the defaults (ADL activity types).
    block_titles : mapping, optional
        Title per layer (``{"after": "Après la formation"}``) to localise the blocks.

    Raises
    ------
    ExportError
        No launchable activity, an invalid option, an AU ``url`` that is not absolute, or text
        XML cannot carry.

    Examples
    --------
    >>> from workbench.templates import load_template
    >>> xml = to_cmi5_xml(load_template("post_training_retention"))
    >>> xml.startswith(b'<?xml version="1.0" encoding="UTF-8"?>') and b'moveOn="Completed"' in xml
    True
    """
    aus = require_launchable(journey, "cmi5")
    opts = _options(journey, course_iri, launch_base, assessed_move_on, launch_method, activity_types, block_titles)
    course: str = opts["course"]
    language = journey.language
    positions = {a.id: i for i, a in enumerate(journey.activities)}

    root = ET.Element("courseStructure", {"xmlns": CMI5_NAMESPACE})
    course_el = ET.SubElement(root, "course", {"id": course})
    _text(course_el, "title", journey.title, language, "journey.title")
    _text(course_el, "description", journey.description or journey.title, language, "journey.description")

    covered = {c for a in aus for c in a.concept_ids}
    concepts = [c for c in journey.concepts if c.id in covered]
    if concepts:
        objectives = ET.SubElement(root, "objectives")
        for concept in concepts:
            where = f"concept {concept.id!r}.name"
            objective = ET.SubElement(objectives, "objective", {"id": objective_iri(course, concept.id)})
            _text(objective, "title", concept.name, language, where)
            _text(objective, "description", concept.name, language, where)

    for layer in Layer:
        members = [a for a in aus if a.layer is layer]
        if not members:
            continue
        block = ET.SubElement(root, "block", {"id": block_iri(course, layer)})
        title = layer_title(layer, opts["block_titles"])
        _text(block, "title", title, language, f"block_titles[{layer.value!r}]")
        _text(block, "description", title, language, f"block_titles[{layer.value!r}]")
        block_concepts = [c.id for c in concepts if any(c.id in a.concept_ids for a in members)]
        if block_concepts:
            refs = ET.SubElement(block, "objectives")
            for concept_id in block_concepts:
                ET.SubElement(refs, "objective", {"idref": objective_iri(course, concept_id)})
        for activity in members:
            _au(
                block,
                activity,
                journey,
                positions[activity.id],
                course,
                opts,
                assessed_move_on,
                launch_method,
            )

    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")


def _au(
    block: ET.Element,
    activity: Activity,
    journey: Journey,
    index: int,
    course: str,
    opts: Mapping[str, Any],
    assessed_move_on: str,
    launch_method: str,
) -> None:
    where = f"activities[{index}] ({activity.id!r})"
    if not activity.required:
        move_on = "NotApplicable"
    elif activity.mastery_score is not None:
        move_on = assessed_move_on
    else:
        move_on = "Completed"
    attrs = {
        "id": activity_iri(course, activity.id),
        "moveOn": move_on,
        "launchMethod": launch_method,
        "activityType": activity_type(activity, journey.kind_of(activity).memory_effect, opts["types"]),
    }
    if activity.mastery_score is not None:
        attrs["masteryScore"] = _mastery(activity.mastery_score)
    au = ET.SubElement(block, "au", attrs)
    language = journey.language
    _text(au, "title", activity.title, language, f"{where}.title")
    _text(au, "description", activity.description or activity.title, language, f"{where}.description")
    if activity.concept_ids:
        refs = ET.SubElement(au, "objectives")
        for concept_id in activity.concept_ids:
            ET.SubElement(refs, "objective", {"idref": objective_iri(course, concept_id)})
    url = ET.SubElement(au, "url")
    if _has_own_url(activity):
        url.text = _check_url(activity, index)
    elif opts["launch_base"] is not None:
        url.text = f"{opts['launch_base']}/{au_launch_path(activity.id)}"
    else:
        url.text = au_launch_path(activity.id)


def to_cmi5_package(
    journey: Journey,
    *,
    course_iri: str | None = None,
    assessed_move_on: str = "Passed",
    launch_method: str = "AnyWindow",
    activity_types: Mapping[str, str] | None = None,
    block_titles: Mapping[str, str] | None = None,
) -> bytes:
    """Return a cmi5 course package: a ZIP with ``cmi5.xml`` at its root and generated launch pages.

    Every AU without a ``url`` gets an HTML page at ``au/<id>/index.html`` (its title and
    description, escaped; its retrieval items as a quiz, or a "Mark as done" button) that runs
    the cmi5 launch sequence with the vendored xAPI.js cmi5 client
    (``lib/xapi-cmi5/cmi5.umd.js``, MIT, with its LICENSE and NOTICE), and its AU ``url`` is
    that relative path. Members are stored in a fixed order with fixed
    timestamps, so the same journey gives the same bytes. Options are those of
    :func:`to_cmi5_xml` (``launch_base`` aside: a package holds its pages).

    Examples
    --------
    >>> import io, zipfile
    >>> from workbench.templates import load_template
    >>> package = to_cmi5_package(load_template("post_training_retention"))
    >>> names = zipfile.ZipFile(io.BytesIO(package)).namelist()
    >>> names[0], "au/quiz_1/index.html" in names
    ('cmi5.xml', True)
    """
    xml = to_cmi5_xml(
        journey,
        course_iri=course_iri,
        assessed_move_on=assessed_move_on,
        launch_method=launch_method,
        activity_types=activity_types,
        block_titles=block_titles,
    )
    course = course_iri_for(journey, course_iri)
    objectives = {c.id: (objective_iri(course, c.id), c.name) for c in journey.concepts}
    members: list[tuple[str, bytes]] = [("cmi5.xml", xml)]
    for activity in require_launchable(journey, "cmi5"):
        if not _has_own_url(activity):
            page = launch_page(
                activity,
                journey.language,
                "cmi5",
                objectives=objectives,
                library_href="../../" + CMI5_LIBRARY,
            )
            members.append((au_launch_path(activity.id), page))
    if len(members) > 1:  # generated pages run on the vendored cmi5 client, shipped with its licence
        members += vendored_files()
    return zip_bytes(members)
