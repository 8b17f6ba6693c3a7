"""Check delivery exports against the official schemas and the rules the schemas miss.

Every function returns a list of problems (empty when the output is valid), each a sentence a
designer can act on: this is what a UI shows next to an export. Schemas are compiled once
per process.

Sources of truth:

- cmi5: ``CourseStructure.xsd`` (shipped in ``workbench/export/schemas``), plus unique ids,
  declared objective references, masteryScore with at most 4 decimals, IRIs, URLs relative
  to the package (or absolute for a standalone ``cmi5.xml``) and ``cmi5.xml`` at the ZIP root.
- SCORM 2004 4th Edition: the five schema namespaces (IMS CP, ADL CP/SEQ/NAV, IMS SS) of the
  control documents shipped in ``workbench/export/schemas/scorm2004``, plus
  ``schema``/``schemaversion``, ``identifierref`` targets, the files each ``href`` names and
  the control documents the manifest references.
- xAPI: ralph's strict statement model when ``ralph-malph`` is installed, the draft-04 schema
  (shipped) when ``jsonschema`` is, and the cmi5 statement rules (UTC timestamps, account
  actors, categories, results per verb, verb order).
- iCalendar: the properties RFC 5545 requires.

Examples
--------
>>> from workbench.templates import load_template
>>> from workbench.export import export
>>> validate(export(load_template("post_training_retention"), "cmi5"), "cmi5")
[]
"""

from __future__ import annotations

import csv
import functools
import importlib
import io
import json
import re
import zipfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal, InvalidOperation
from importlib import resources
from typing import Any
from xml.etree import ElementTree as ET

from workbench.errors import MissingDependencyError, UnknownNameError
from workbench.export.scorm import SCORM_SCHEMA_LOCATIONS, control_document_closure, scorm_schema_dir

__all__ = [
    "validate",
    "validate_cmi5_package",
    "validate_cmi5_xml",
    "validate_csv",
    "validate_ics",
    "validate_json",
    "validate_scorm_manifest",
    "validate_scorm_package",
    "validate_xapi_statements",
]

CMI5_NS = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"
CP_NS = "http://www.imsglobal.org/xsd/imscp_v1p1"
_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")
_UTC_TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|\+00:00)$")


def _xmlschema() -> Any:
    try:
        import xmlschema
    except ImportError:
        raise MissingDependencyError("checking XML exports needs xmlschema: pip install xmlschema") from None
    return xmlschema


@functools.cache
def _cmi5_schema() -> Any:
    xmlschema = _xmlschema()
    source = resources.files("workbench.export").joinpath("schemas/cmi5/CourseStructure.xsd")
    with resources.as_file(source) as path:
        return xmlschema.XMLSchema10(str(path))


@functools.cache
def _scorm_schema() -> Any:
    xmlschema = _xmlschema()
    base = scorm_schema_dir()
    main = base / SCORM_SCHEMA_LOCATIONS[CP_NS]
    locations = [(ns, str(base / name)) for ns, name in SCORM_SCHEMA_LOCATIONS.items() if ns != CP_NS]
    schema = xmlschema.XMLSchema10(str(main), locations=locations)
    missing = set(SCORM_SCHEMA_LOCATIONS) - set(schema.maps.namespaces)
    if missing:  # a failed import is only a warning in xmlschema: make it loud
        raise MissingDependencyError(f"SCORM schemas in {base} did not load namespaces {sorted(missing)}")
    return schema


@functools.cache
def _xapi_schema_validator() -> Any | None:
    try:  # imported by name: jsonschema is optional and ships no type stubs
        jsonschema: Any = importlib.import_module("jsonschema")
    except ImportError:
        return None
    text = resources.files("workbench.export").joinpath("schemas/xapi/statement.schema.json").read_text("utf-8")
    return jsonschema.Draft4Validator(json.loads(text), format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


@functools.cache
def _ralph_model() -> Any | None:
    try:
        from ralph.models.xapi.base.statements import BaseXapiStatement
    except ImportError:
        return None
    return BaseXapiStatement


def _xsd_problems(schema: Any, data: bytes, name: str) -> list[str]:
    problems = []
    try:
        errors = list(schema.iter_errors(io.BytesIO(data)))
    except Exception as exc:  # xmlschema raises parse errors of several types
        return [f"{name}: not well-formed XML: {exc}"]
    for error in errors[:50]:
        where = getattr(error, "path", None) or ""
        problems.append(f"{name}: {where}: {error.reason}" if where else f"{name}: {error.reason}")
    return problems


def _parse(data: bytes, name: str) -> tuple[ET.Element | None, list[str]]:
    try:
        # expat never fetches external entities and (>= 2.4.1, as in Python 3.11) caps entity
        # amplification, so untrusted uploads are safe to parse here
        return ET.fromstring(data), []  # noqa: S314
    except ET.ParseError as exc:
        return None, [f"{name}: not well-formed XML: {exc}"]


# ---- cmi5 ------------------------------------------------------------------------------------


def validate_cmi5_xml(data: bytes | str, *, package_files: Iterable[str] | None = None, xsd: bool = True) -> list[str]:
    """Problems of a ``cmi5.xml``: the XSD, then the rules the XSD misses.

    Parameters
    ----------
    data : bytes or str
        The course structure.
    package_files : iterable of str, optional
        Names in the ZIP package the file came from: relative AU URLs must be among them.
        Without it the file is standalone, and AU URLs must be absolute.
    xsd : bool
        Whether to check against ``CourseStructure.xsd`` (needs ``xmlschema``).

    Examples
    --------
    >>> validate_cmi5_xml(b"<courseStructure/>", xsd=False)
    ['cmi5.xml: the root element must be courseStructure in the cmi5 namespace']
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    problems = _xsd_problems(_cmi5_schema(), raw, "cmi5.xml") if xsd else []
    root, parse_problems = _parse(raw, "cmi5.xml")
    if root is None:
        return problems or parse_problems
    if root.tag != f"{{{CMI5_NS}}}courseStructure":
        return [*problems, "cmi5.xml: the root element must be courseStructure in the cmi5 namespace"]
    ns = {"c": CMI5_NS}
    ids: list[tuple[str, str]] = []
    course = root.find("c:course", ns)
    if course is not None:
        ids.append(("course", course.get("id", "")))
    declared = [o.get("id", "") for o in root.findall("c:objectives/c:objective", ns)]
    ids += [("objective", i) for i in declared]
    ids += [("block", b.get("id", "")) for b in root.iter(f"{{{CMI5_NS}}}block")]
    aus = list(root.iter(f"{{{CMI5_NS}}}au"))
    ids += [("au", a.get("id", "")) for a in aus]
    counts = Counter(i for _, i in ids)
    for value, count in sorted(counts.items()):
        if count > 1:
            problems.append(
                f"cmi5.xml: id {value!r} is used {count} times; course, block, AU and objective ids must be unique"
            )
    for kind, value in ids:
        if value and not _ABSOLUTE_IRI.match(value):
            problems.append(f"cmi5.xml: {kind} id {value!r} is not an absolute IRI")
    for ref in root.iter(f"{{{CMI5_NS}}}objective"):
        idref = ref.get("idref")
        if idref is not None and idref not in declared:
            problems.append(f"cmi5.xml: objective idref {idref!r} is not declared under <objectives>")
    files = set(package_files) if package_files is not None else None
    for au in aus:
        au_id = au.get("id", "?")
        score = au.get("masteryScore")
        if score is not None:
            try:
                exponent = Decimal(score.strip()).as_tuple().exponent
                if isinstance(exponent, int) and exponent < -4:
                    problems.append(f"cmi5.xml: AU {au_id}: masteryScore {score} has more than 4 decimal places")
            except InvalidOperation:
                pass  # the XSD reports it
        activity_type = au.get("activityType")
        if activity_type is not None and not _ABSOLUTE_IRI.match(activity_type):
            problems.append(f"cmi5.xml: AU {au_id}: activityType {activity_type!r} is not an IRI")
        url_el = au.find("c:url", ns)
        url = (url_el.text or "").strip() if url_el is not None else ""
        absolute = bool(re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", url))
        if files is None and url and not absolute:
            problems.append(
                f"cmi5.xml: AU {au_id}: url {url!r} is relative; a cmi5.xml outside a package needs "
                "fully qualified URLs (pass launch_base=)"
            )
        elif files is not None and url and not absolute and url.split("?")[0].split("#")[0] not in files:
            problems.append(f"cmi5.xml: AU {au_id}: url {url!r} names no file in the package")
    return problems


def _zip_names(data: bytes, what: str) -> tuple[zipfile.ZipFile | None, list[str]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return None, [f"{what}: not a ZIP file"]
    bad = archive.testzip()
    return archive, [f"{what}: member {bad!r} is corrupt"] if bad else []


def validate_cmi5_package(data: bytes, *, xsd: bool = True) -> list[str]:
    """Problems of a cmi5 package ZIP: ``cmi5.xml`` at the root, valid, AU URLs inside.

    Examples
    --------
    >>> validate_cmi5_package(b"not a zip")
    ['cmi5 package: not a ZIP file']
    """
    archive, problems = _zip_names(data, "cmi5 package")
    if archive is None:
        return problems
    names = archive.namelist()
    if "cmi5.xml" not in names:
        nested = [n for n in names if n.endswith("/cmi5.xml")]
        hint = f" (found {nested[0]!r}: move it to the root)" if nested else ""
        return [*problems, f"cmi5 package: no cmi5.xml at the root of the ZIP{hint}"]
    return problems + validate_cmi5_xml(archive.read("cmi5.xml"), package_files=names, xsd=xsd)


# ---- SCORM -----------------------------------------------------------------------------------


def validate_scorm_manifest(
    data: bytes | str, *, package_files: Iterable[str] | None = None, xsd: bool = True
) -> list[str]:
    """Problems of an ``imsmanifest.xml``: the five SCORM 2004 4th Ed. schemas, then the rest.

    The rest: ``<schema>ADL SCORM</schema>`` and ``<schemaversion>2004 4th Edition</schemaversion>``
    in the manifest metadata, the default organization exists, every ``identifierref`` names a
    resource, and (with ``package_files``) every ``href`` names a file in the package.

    Examples
    --------
    >>> validate_scorm_manifest(b"<manifest/>", xsd=False)[0]
    'imsmanifest.xml: the root element must be manifest in the IMS CP 1.1 namespace'
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    problems = _xsd_problems(_scorm_schema(), raw, "imsmanifest.xml") if xsd else []
    root, parse_problems = _parse(raw, "imsmanifest.xml")
    if root is None:
        return problems or parse_problems
    if root.tag != f"{{{CP_NS}}}manifest":
        return [*problems, "imsmanifest.xml: the root element must be manifest in the IMS CP 1.1 namespace"]
    ns = {"cp": CP_NS}
    schema = (root.findtext("cp:metadata/cp:schema", default="", namespaces=ns) or "").strip()
    version = (root.findtext("cp:metadata/cp:schemaversion", default="", namespaces=ns) or "").strip()
    if schema != "ADL SCORM":
        problems.append(f"imsmanifest.xml: metadata/schema must be 'ADL SCORM' (got {schema!r})")
    if version != "2004 4th Edition":
        problems.append(f"imsmanifest.xml: metadata/schemaversion must be '2004 4th Edition' (got {version!r})")
    organizations = root.find("cp:organizations", ns)
    org_ids = {o.get("identifier") for o in root.findall("cp:organizations/cp:organization", ns)}
    default = organizations.get("default") if organizations is not None else None
    if default is not None and default not in org_ids:
        problems.append(f"imsmanifest.xml: organizations/@default {default!r} names no organization")
    resources_ = {r.get("identifier"): r for r in root.findall("cp:resources/cp:resource", ns)}
    for item in root.iter(f"{{{CP_NS}}}item"):
        ref = item.get("identifierref")
        if ref is not None and ref not in resources_:
            problems.append(f"imsmanifest.xml: item {item.get('identifier')!r} refers to missing resource {ref!r}")
        if ref is None and item.find("cp:item", ns) is None:
            problems.append(f"imsmanifest.xml: item {item.get('identifier')!r} has neither a resource nor child items")
    if package_files is not None:
        files = set(package_files)
        for identifier, resource in resources_.items():
            hrefs = [resource.get("href")] + [f.get("href") for f in resource.findall("cp:file", ns)]
            for href in hrefs:
                if href is None or re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", href):
                    continue
                if href.split("?")[0].split("#")[0] not in files:
                    problems.append(f"imsmanifest.xml: resource {identifier!r}: {href!r} is not in the package")
        problems += _control_document_problems(root, files)
    return problems


def _control_document_problems(root: ET.Element, files: set[str]) -> list[str]:
    """List the control documents the manifest references that the package lacks (SCORM CAM)."""
    pairs = (root.get("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation") or "").split()
    named = [location for location in pairs[1::2] if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", location)]
    return [
        f"imsmanifest.xml: control document {name!r} is not in the package; a SCORM package holds every "
        "XSD/DTD its manifest references (export with workbench to include them)"
        for name in control_document_closure(named)
        if name not in files
    ]


def validate_scorm_package(data: bytes, *, xsd: bool = True) -> list[str]:
    """Problems of a SCORM 2004 package ZIP (``imsmanifest.xml`` at the root, then the manifest).

    Examples
    --------
    >>> validate_scorm_package(b"not a zip")
    ['SCORM package: not a ZIP file']
    """
    archive, problems = _zip_names(data, "SCORM package")
    if archive is None:
        return problems
    names = archive.namelist()
    if "imsmanifest.xml" not in names:
        return [*problems, "SCORM package: no imsmanifest.xml at the root of the ZIP"]
    return problems + validate_scorm_manifest(archive.read("imsmanifest.xml"), package_files=names, xsd=xsd)


# ---- xAPI ------------------------------------------------------------------------------------

_CMI5_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
_MOVEON_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/moveon"
_SESSION_ID = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
_VERB = "http://adlnet.gov/expapi/verbs/"
_NEEDS_DURATION = {"completed", "passed", "failed", "terminated"}


def _verb_name(statement: Mapping[str, Any]) -> str:
    verb = statement.get("verb")
    verb_id = verb.get("id", "") if isinstance(verb, Mapping) else ""
    return str(verb_id).rsplit("/", 1)[-1]


def _cmi5_problems(index: int, statement: Mapping[str, Any]) -> list[str]:
    where = f"statement {index}"
    problems = []
    timestamp = statement.get("timestamp")
    if not isinstance(timestamp, str) or not _UTC_TIMESTAMP.match(timestamp):
        problems.append(f"{where}: timestamp must be a UTC date-time ending in Z (got {timestamp!r})")
    actor = statement.get("actor")
    if not isinstance(actor, Mapping) or not isinstance(actor.get("account"), Mapping):
        problems.append(f"{where}: actor must be an Agent identified by an account (cmi5 9.2)")
    context = statement.get("context") if isinstance(statement.get("context"), Mapping) else {}
    assert isinstance(context, Mapping)
    activities = context.get("contextActivities") or {}
    categories = {c.get("id") for c in activities.get("category", []) if isinstance(c, Mapping)}
    if _CMI5_CATEGORY not in categories:
        return problems
    verb = _verb_name(statement)
    result = statement.get("result") if isinstance(statement.get("result"), Mapping) else {}
    assert isinstance(result, Mapping)
    if not context.get("registration"):
        problems.append(f"{where}: a cmi5 statement needs context.registration")
    if _SESSION_ID not in (context.get("extensions") or {}):
        problems.append(f"{where}: a cmi5 statement needs the sessionid context extension")
    if not activities.get("grouping"):
        problems.append(f"{where}: a cmi5 statement needs the AU id in contextActivities.grouping")
    if "score" in result and verb not in ("passed", "failed"):
        problems.append(f"{where}: only passed/failed may carry a score ({verb} does)")
    if verb == "passed" and result.get("success") is not True:
        problems.append(f"{where}: passed needs result.success true")
    if verb == "failed" and result.get("success") is not False:
        problems.append(f"{where}: failed needs result.success false")
    if verb == "completed" and result.get("completion") is not True:
        problems.append(f"{where}: completed needs result.completion true")
    if verb in _NEEDS_DURATION and "duration" not in result:
        problems.append(f"{where}: {verb} needs result.duration")
    moveon = "success" in result or "completion" in result
    if moveon != (_MOVEON_CATEGORY in categories):
        problems.append(f"{where}: the moveon category goes with result.success/completion, and only with them")
    return problems


def _order_problems(statements: list[Mapping[str, Any]]) -> list[str]:
    """Check the order of cmi5 statements (cmi5 9.3).

    Per session: initialized first, terminated last, no verb twice; per registration and AU:
    at most one completed and one passed, no failed after passed. Statements are ordered by
    timestamp; statements with equal timestamps keep their order.
    """
    problems = []
    sessions: dict[str, list[str]] = defaultdict(list)
    per_au: dict[tuple[str, str], list[str]] = defaultdict(list)
    for statement in sorted(statements, key=lambda s: str(s.get("timestamp", ""))):
        context = statement.get("context") or {}
        categories = {c.get("id") for c in (context.get("contextActivities") or {}).get("category", [])}
        if _CMI5_CATEGORY not in categories:
            continue
        verb = _verb_name(statement)
        session = (context.get("extensions") or {}).get(_SESSION_ID)
        if session:
            sessions[str(session)].append(verb)
        obj = statement.get("object") or {}
        per_au[(str(context.get("registration")), str(obj.get("id")))].append(verb)
    for session, verbs in sessions.items():
        # a sample may hold part of a session: check the order of what is there
        late_start = "initialized" in verbs and verbs[0] != "initialized"
        early_end = "terminated" in verbs and verbs[-1] != "terminated"
        if late_start or early_end or len(set(verbs)) != len(verbs):
            problems.append(
                f"session {session}: verbs {verbs}: initialized comes first, terminated last, "
                "and no verb twice (cmi5 9.3)"
            )
    for (registration, au), verbs in per_au.items():
        if verbs.count("completed") > 1 or verbs.count("passed") > 1:
            problems.append(f"registration {registration}, AU {au}: completed or passed more than once")
        if "passed" in verbs and "failed" in verbs[verbs.index("passed") :]:
            problems.append(f"registration {registration}, AU {au}: failed after passed")
    return problems


def validate_xapi_statements(data: bytes | str | list[Any] | Mapping[str, Any]) -> list[str]:
    """Problems of xAPI statements (a JSON array, one statement, or parsed data).

    Checks each statement with ralph's strict model (when ``ralph-malph`` is installed) and the
    draft-04 statement schema (when ``jsonschema`` is), then the cmi5 rules: UTC timestamps,
    account actors, unique ids, and for statements in the cmi5 category the registration,
    session id, publisher grouping, the result allowed per verb, the moveon category and the
    order of verbs.

    Examples
    --------
    >>> validate_xapi_statements("[]")
    []
    """
    if isinstance(data, bytes | str):
        try:
            parsed: Any = json.loads(data)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            return [f"statements: not JSON: {exc}"]
    else:
        parsed = data
    statements = [parsed] if isinstance(parsed, Mapping) else parsed
    if not isinstance(statements, list):
        return ["statements: expected a JSON array of statements or one statement"]
    problems: list[str] = []
    model = _ralph_model()
    validator = _xapi_schema_validator()
    for index, statement in enumerate(statements):
        if not isinstance(statement, Mapping):
            problems.append(f"statement {index}: not a JSON object")
            continue
        if model is not None:
            from pydantic import ValidationError

            try:
                model.model_validate(statement)
            except ValidationError as exc:
                for error in exc.errors()[:5]:
                    path = ".".join(str(p) for p in error["loc"])
                    problems.append(f"statement {index}: {path}: {error['msg']} (xAPI strict model)")
        if validator is not None:
            for error in list(validator.iter_errors(statement))[:5]:
                path = ".".join(str(p) for p in error.absolute_path) or "(statement)"
                problems.append(f"statement {index}: {path}: {error.message} (xAPI JSON schema)")
        problems.extend(_cmi5_problems(index, statement))
    ids = Counter(s.get("id") for s in statements if isinstance(s, Mapping) and s.get("id"))
    problems += [f"statements: id {i} is used {n} times; an LRS rejects the batch" for i, n in ids.items() if n > 1]
    problems += _order_problems([s for s in statements if isinstance(s, Mapping)])
    return problems


# ---- iCalendar, CSV, JSON --------------------------------------------------------------------


def validate_ics(data: bytes | str) -> list[str]:
    r"""Problems of an iCalendar file against RFC 5545's required properties.

    VCALENDAR needs VERSION 2.0 and PRODID; each VEVENT UID (unique), DTSTAMP and DTSTART,
    and not both DTEND and DURATION; each VALARM ACTION and TRIGGER (and DESCRIPTION for a
    DISPLAY alarm); every TZID used needs its VTIMEZONE.

    Examples
    --------
    >>> validate_ics(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    ['VCALENDAR: VERSION is required', 'VCALENDAR: PRODID is required']
    """
    try:
        from icalendar import Calendar
    except ImportError:
        raise MissingDependencyError("checking iCalendar exports needs icalendar: pip install icalendar") from None
    try:
        calendar = Calendar.from_ical(data)
    except ValueError as exc:
        return [f"not an iCalendar file: {exc}"]
    problems = []
    for prop in ("VERSION", "PRODID"):
        if prop not in calendar:
            problems.append(f"VCALENDAR: {prop} is required")
    if "VERSION" in calendar and str(calendar["VERSION"]) != "2.0":
        problems.append(f"VCALENDAR: VERSION must be 2.0 (got {calendar['VERSION']})")
    uids: Counter[str] = Counter()
    tzids_used: set[str] = set()
    for index, event in enumerate(calendar.walk("VEVENT")):
        for prop in ("UID", "DTSTAMP", "DTSTART"):
            if prop not in event:
                problems.append(f"VEVENT {index}: {prop} is required")
        if "DTEND" in event and "DURATION" in event:
            problems.append(f"VEVENT {index}: DTEND and DURATION cannot both be given")
        uids[str(event.get("UID"))] += 1
        for prop in ("DTSTART", "DTEND"):
            if prop in event and "TZID" in event[prop].params:
                tzids_used.add(str(event[prop].params["TZID"]))
    for index, alarm in enumerate(calendar.walk("VALARM")):
        for prop in ("ACTION", "TRIGGER"):
            if prop not in alarm:
                problems.append(f"VALARM {index}: {prop} is required")
        if str(alarm.get("ACTION", "")).upper() == "DISPLAY" and "DESCRIPTION" not in alarm:
            problems.append(f"VALARM {index}: a DISPLAY alarm needs a DESCRIPTION")
    problems += [f"VEVENT: UID {uid} is used {n} times" for uid, n in uids.items() if n > 1]
    declared = {str(tz.get("TZID")) for tz in calendar.walk("VTIMEZONE")}
    problems += [f"VCALENDAR: no VTIMEZONE for TZID {tzid}" for tzid in sorted(tzids_used - declared)]
    return problems


def validate_csv(data: bytes | str) -> list[str]:
    r"""Problems of a CSV schedule: the header and the width of each row.

    Examples
    --------
    >>> validate_csv(b"a,b\r\n")[0].startswith("CSV: header")
    True
    """
    from workbench.export.csv_schedule import CSV_COLUMNS

    text = data.decode("utf-8") if isinstance(data, bytes) else data
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows or tuple(rows[0]) != CSV_COLUMNS:
        return [f"CSV: header must be {','.join(CSV_COLUMNS)}"]
    return [
        f"CSV: row {number} has {len(row)} cells, expected {len(CSV_COLUMNS)}"
        for number, row in enumerate(rows[1:], start=2)
        if len(row) != len(CSV_COLUMNS)
    ]


@functools.cache
def _spec_validator() -> Any | None:
    try:  # imported by name: jsonschema is optional and ships no type stubs
        jsonschema: Any = importlib.import_module("jsonschema")
    except ImportError:
        return None
    from workbench.spec import json_schema

    return jsonschema.Draft202012Validator(json_schema())


def validate_json(data: bytes | str) -> list[str]:
    """Problems of a JSON delivery document: the spec schema, then reading it back.

    Examples
    --------
    >>> validate_json(b"{}")
    ["delivery json: not a workbench delivery document ('format' must be 'workbench-journey-delivery/1')"]
    """
    from workbench.errors import WorkbenchError
    from workbench.export.spec_json import read_json

    problems = []
    validator = _spec_validator()
    try:
        doc = json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        return [f"delivery json: not JSON: {exc}"]
    if validator is not None and isinstance(doc, dict) and isinstance(doc.get("journey"), dict):
        for error in list(validator.iter_errors(doc["journey"]))[:20]:
            path = ".".join(str(p) for p in error.absolute_path) or "(top level)"
            problems.append(f"delivery json: journey.{path}: {error.message} (spec JSON schema)")
    try:
        read_json(data, source="delivery json")
    except WorkbenchError as exc:
        problems.append(str(exc))
    return problems


_VALIDATORS: Mapping[str, Callable[[bytes], list[str]]] = {
    "json": validate_json,
    "cmi5": validate_cmi5_package,
    "cmi5-xml": validate_cmi5_xml,
    "scorm2004": validate_scorm_package,
    "xapi": validate_xapi_statements,
    "ics": validate_ics,
    "csv": validate_csv,
}


def validate(data: bytes, format: str) -> list[str]:
    r"""Problems of an export in ``format`` (one of :data:`workbench.export.FORMATS`).

    ``xapi-templates`` holds templates, not statements: it is checked as JSON only.

    Examples
    --------
    >>> validate(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nEND:VCALENDAR\r\n", "ics")
    []
    """
    if format == "xapi-templates":
        try:
            json.loads(data)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            return [f"xapi templates: not JSON: {exc}"]
        return []
    if format not in _VALIDATORS:
        raise UnknownNameError(f"unknown format {format!r}; formats: {', '.join([*_VALIDATORS, 'xapi-templates'])}")
    return _VALIDATORS[format](data)
