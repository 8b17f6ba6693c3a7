"""SCORM 2004 4th Edition content package: ``imsmanifest.xml`` plus one launch page per SCO.

One organization holds one cluster item per layer (in layer order); each launchable activity
is a leaf item pointing at a ``sco`` resource whose launch page is generated inside the
package (title, description, a link to the activity's ``url`` when it has one, and a small
SCORM 2004 runtime script that records completion). Activities with a ``mastery_score`` get
a primary objective satisfied by that normalized measure. Non-launchable pieces (instructor-led
sessions, manager prompts) are not SCOs: they belong to the calendar and CSV exports.

The package also holds the SCORM 2004 4th Edition control documents the manifest references
(the XSDs named by ``xsi:schemaLocation``, what they include and import, and the DTDs those
name), exact copies of the set shipped in ``workbench/export/schemas/scorm2004`` (sources and
licences in its ``NOTICE``): the Content Aggregation Model makes them a mandatory part of a
package, and ADL's conformance test suite fails a package without them.
"""

from __future__ import annotations

import functools
import posixpath
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path

from workbench.errors import MissingDependencyError
from workbench.export._common import (
    check_layer_titles,
    check_xml_text,
    layer_title,
    require_launchable,
    zip_bytes,
)
from workbench.export._pages import launch_page
from workbench.model import Activity, Journey, Layer

__all__ = [
    "SCORM_NAMESPACES",
    "SCORM_SCHEMA_LOCATIONS",
    "control_document_closure",
    "sco_launch_path",
    "scorm_control_documents",
    "scorm_schema_dir",
    "to_scorm_manifest",
    "to_scorm_package",
]

#: Prefix -> namespace of the five SCORM 2004 4th Edition schemas (the CP one is the default).
SCORM_NAMESPACES: Mapping[str, str] = {
    "": "http://www.imsglobal.org/xsd/imscp_v1p1",
    "adlcp": "http://www.adlnet.org/xsd/adlcp_v1p3",
    "adlseq": "http://www.adlnet.org/xsd/adlseq_v1p3",
    "adlnav": "http://www.adlnet.org/xsd/adlnav_v1p3",
    "imsss": "http://www.imsglobal.org/xsd/imsss",
}
#: Namespace -> control document the manifest's ``xsi:schemaLocation`` names for it.
SCORM_SCHEMA_LOCATIONS: Mapping[str, str] = {
    "http://www.imsglobal.org/xsd/imscp_v1p1": "imscp_v1p1.xsd",
    "http://www.adlnet.org/xsd/adlcp_v1p3": "adlcp_v1p3.xsd",
    "http://www.adlnet.org/xsd/adlseq_v1p3": "adlseq_v1p3.xsd",
    "http://www.adlnet.org/xsd/adlnav_v1p3": "adlnav_v1p3.xsd",
    "http://www.imsglobal.org/xsd/imsss": "imsss_v1p0.xsd",
}
_XS = "http://www.w3.org/2001/XMLSchema"
_SCHEMA_REFERENCES = {f"{{{_XS}}}include", f"{{{_XS}}}import", f"{{{_XS}}}redefine"}
_DTD_REFERENCE = re.compile(rb"""["']([^"'\s<>]+\.dtd)["']""")
_ABSOLUTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def scorm_schema_dir() -> Path:
    """Return the folder of the shipped SCORM 2004 4th Edition control documents (package data).

    Examples
    --------
    >>> (scorm_schema_dir() / "imscp_v1p1.xsd").is_file()
    True
    """
    # setuptools installs package data as plain files, so the resource is a real folder
    return Path(str(resources.files("workbench.export").joinpath("schemas/scorm2004")))


def _references(name: str, data: bytes) -> list[str]:
    """Return the control documents ``name`` needs, as paths relative to the set's root.

    XSD ``include``/``import``/``redefine`` locations and quoted ``*.dtd`` names (DOCTYPE and
    entity declarations). An absolute location (``imscp_v1p1.xsd`` imports the XML namespace
    from w3.org) counts as the local copy of the same name beside the document: offline
    validators and LMSs resolve it there.
    """
    folder = posixpath.dirname(name)
    locations: list[str] = []
    if name.endswith(".xsd"):
        # our own shipped files; expat fetches no external DTD or entity
        root = ET.fromstring(data)  # noqa: S314
        locations += [e.get("schemaLocation", "") for e in root if e.tag in _SCHEMA_REFERENCES]
    locations += [m.decode("ascii", "replace") for m in _DTD_REFERENCE.findall(data)]
    found = []
    for location in filter(None, locations):
        relative = posixpath.basename(location) if _ABSOLUTE.match(location) else location
        found.append(posixpath.normpath(posixpath.join(folder, relative)))
    return found


def control_document_closure(names: Iterable[str]) -> list[str]:
    """Return ``names`` and every control document they need, transitively, in a stable order.

    Names the shipped set does not hold are kept but not followed (a validator reports them).

    Examples
    --------
    >>> control_document_closure(["xml.xsd"])
    ['XMLSchema.dtd', 'datatypes.dtd', 'xml.xsd']
    """
    folder = scorm_schema_dir()
    seen: set[str] = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        path = folder / name
        if path.is_file():
            todo += _references(name, path.read_bytes())
    return sorted(seen)


@functools.cache
def _control_documents() -> tuple[tuple[str, bytes], ...]:
    folder = scorm_schema_dir()
    names = control_document_closure(SCORM_SCHEMA_LOCATIONS.values())
    missing = [name for name in names if not (folder / name).is_file()]
    if missing:
        raise MissingDependencyError(
            f"workbench's SCORM 2004 schema set in {folder} lacks {missing}: the installation is broken, "
            "reinstall workbench"
        )
    return tuple((name, (folder / name).read_bytes()) for name in names)


def scorm_control_documents() -> dict[str, bytes]:
    """Return the control documents every exported SCORM package holds, by path in the package.

    The five schemas the manifest names, what they include and import, and the DTDs those
    name: exact copies of the shipped set (sources and licences: its ``NOTICE``).

    Examples
    --------
    >>> sorted(scorm_control_documents())[:4]
    ['XMLSchema.dtd', 'adlcp_v1p3.xsd', 'adlnav_v1p3.xsd', 'adlseq_v1p3.xsd']
    >>> len(scorm_control_documents())
    17
    """
    return dict(_control_documents())


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
    attrs["xsi:schemaLocation"] = " ".join(f"{ns} {location}" for ns, location in SCORM_SCHEMA_LOCATIONS.items())
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

    The control documents the manifest references (:func:`scorm_control_documents`) sit at
    the root too. Members come in a fixed order with fixed timestamps: same journey, same bytes.

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
    members += scorm_control_documents().items()
    return zip_bytes(members)
