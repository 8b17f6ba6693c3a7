"""SCORM 2004 4th Edition content package: ``imsmanifest.xml`` plus one launch page per SCO.

One organization holds one cluster item per layer (in layer order); each launchable activity
is a leaf item pointing at a ``sco`` resource whose launch page is generated inside the
package (title, description, a link to the activity's ``url`` when it has one, and a small
SCORM 2004 runtime script that records completion). Activities with a ``mastery_score`` get
a primary objective satisfied by that normalized measure. Non-launchable pieces (instructor-led
sessions, manager prompts) are not SCOs: they belong to the calendar and CSV exports.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping

from workbench.export._common import (
    check_layer_titles,
    check_xml_text,
    layer_title,
    require_launchable,
    zip_bytes,
)
from workbench.export._pages import launch_page
from workbench.model import Activity, Journey, Layer

__all__ = ["SCORM_NAMESPACES", "sco_launch_path", "to_scorm_manifest", "to_scorm_package"]

#: Prefix -> namespace of the five SCORM 2004 4th Edition schemas (the CP one is the default).
SCORM_NAMESPACES: Mapping[str, str] = {
    "": "http://www.imsglobal.org/xsd/imscp_v1p1",
    "adlcp": "http://www.adlnet.org/xsd/adlcp_v1p3",
    "adlseq": "http://www.adlnet.org/xsd/adlseq_v1p3",
    "adlnav": "http://www.adlnet.org/xsd/adlnav_v1p3",
    "imsss": "http://www.imsglobal.org/xsd/imsss",
}
_SCHEMA_LOCATIONS = {
    "": "imscp_v1p1.xsd",
    "adlcp": "adlcp_v1p3.xsd",
    "adlseq": "adlseq_v1p3.xsd",
    "adlnav": "adlnav_v1p3.xsd",
    "imsss": "imsss_v1p0.xsd",
}


def sco_launch_path(activity_id: str) -> str:
    """Path of a SCO's launch page inside the package.

    Examples
    --------
    >>> sco_launch_path("quiz_1")
    'sco/quiz_1/index.html'
    """
    return f"sco/{activity_id}/index.html"


def _title(parent: ET.Element, text: str, where: str) -> None:
    ET.SubElement(parent, "title").text = check_xml_text(text, where)


def _measure(value: float) -> str:
    text = f"{value:.4f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


def to_scorm_manifest(journey: Journey, *, block_titles: Mapping[str, str] | None = None) -> bytes:
    """Return the ``imsmanifest.xml`` of a journey's SCORM 2004 4th Edition package, as UTF-8 XML.

    Identifiers are derived from the journey and activity ids (``item.<id>``, ``res.<id>``),
    so the same journey always gives the same manifest.

    Parameters
    ----------
    journey : Journey
        The journey; at least one activity must be launchable.
    block_titles : mapping, optional
        Title of each layer's cluster item, by layer (``{"after": "After the course"}``).

    Raises
    ------
    ExportError
        No launchable activity, an invalid option, or text XML cannot carry.

    Examples
    --------
    >>> from workbench.templates import load_template
    >>> manifest = to_scorm_manifest(load_template("post_training_retention"))
    >>> b"<schemaversion>2004 4th Edition</schemaversion>" in manifest
    True
    """
    scos = require_launchable(journey, "scorm2004")
    titles = check_layer_titles(block_titles)
    positions = {a.id: i for i, a in enumerate(journey.activities)}
    attrs = {"identifier": f"manifest.{journey.id}", "version": journey.version}
    for prefix, namespace in SCORM_NAMESPACES.items():
        attrs["xmlns:" + prefix if prefix else "xmlns"] = namespace
    attrs["xmlns:xsi"] = "http://www.w3.org/2001/XMLSchema-instance"
    attrs["xsi:schemaLocation"] = " ".join(
        f"{SCORM_NAMESPACES[p]} {location}" for p, location in _SCHEMA_LOCATIONS.items()
    )
    manifest = ET.Element("manifest", attrs)
    metadata = ET.SubElement(manifest, "metadata")
    ET.SubElement(metadata, "schema").text = "ADL SCORM"
    ET.SubElement(metadata, "schemaversion").text = "2004 4th Edition"

    organization_id = f"org.{journey.id}"
    organizations = ET.SubElement(manifest, "organizations", {"default": organization_id})
    organization = ET.SubElement(
        organizations, "organization", {"identifier": organization_id, "structure": "hierarchical"}
    )
    _title(organization, journey.title, "journey.title")
    for layer in Layer:
        members = [a for a in scos if a.layer is layer]
        if not members:
            continue
        cluster = ET.SubElement(organization, "item", {"identifier": f"layer.{layer.value}"})
        _title(cluster, layer_title(layer, titles), f"block_titles[{layer.value!r}]")
        for activity in members:
            _item(cluster, activity, positions[activity.id])
        sequencing = ET.SubElement(cluster, "imsss:sequencing")
        ET.SubElement(sequencing, "imsss:controlMode", {"choice": "true", "flow": "true"})
    sequencing = ET.SubElement(organization, "imsss:sequencing")
    ET.SubElement(sequencing, "imsss:controlMode", {"choice": "true", "flow": "true"})

    resources = ET.SubElement(manifest, "resources")
    for activity in scos:
        href = sco_launch_path(activity.id)
        resource = ET.SubElement(
            resources,
            "resource",
            {
                "identifier": f"res.{activity.id}",
                "type": "webcontent",
                "adlcp:scormType": "sco",
                "href": href,
            },
        )
        ET.SubElement(resource, "file", {"href": href})

    ET.indent(manifest, space="  ")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(manifest, encoding="unicode") + "\n").encode()


def _item(cluster: ET.Element, activity: Activity, index: int) -> None:
    item = ET.SubElement(
        cluster,
        "item",
        {"identifier": f"item.{activity.id}", "identifierref": f"res.{activity.id}", "isvisible": "true"},
    )
    _title(item, activity.title, f"activities[{index}] ({activity.id!r}).title")
    sequencing = ET.SubElement(item, "imsss:sequencing")
    if activity.mastery_score is not None:
        objectives = ET.SubElement(sequencing, "imsss:objectives")
        primary = ET.SubElement(
            objectives,
            "imsss:primaryObjective",
            {"objectiveID": f"objective.{activity.id}", "satisfiedByMeasure": "true"},
        )
        ET.SubElement(primary, "imsss:minNormalizedMeasure").text = _measure(activity.mastery_score)
    ET.SubElement(
        sequencing,
        "imsss:deliveryControls",
        {"completionSetByContent": "true", "objectiveSetByContent": "true"},
    )


def to_scorm_package(journey: Journey, *, block_titles: Mapping[str, str] | None = None) -> bytes:
    """Return a SCORM 2004 4th Edition package: ``imsmanifest.xml`` at the root, one page per SCO.

    Members come in a fixed order with fixed timestamps: same journey, same bytes.

    Examples
    --------
    >>> import io, zipfile
    >>> from workbench.templates import load_template
    >>> package = to_scorm_package(load_template("post_training_retention"))
    >>> zipfile.ZipFile(io.BytesIO(package)).namelist()[:2]
    ['imsmanifest.xml', 'sco/primer/index.html']
    """
    manifest = to_scorm_manifest(journey, block_titles=block_titles)
    members = [("imsmanifest.xml", manifest)]
    for activity in require_launchable(journey, "scorm2004"):
        members.append((sco_launch_path(activity.id), launch_page(activity, journey.language, "scorm")))
    return zip_bytes(members)
