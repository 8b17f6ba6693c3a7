"""Load and dump journey specs (YAML, JSON) with errors that name file, line and field."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from workbench._io import write_atomic
from workbench._values import IDENTIFIER_PATTERN
from workbench.errors import JourneyError, SpecError
from workbench.model import Journey

__all__ = ["SPEC_LIMITS", "SPEC_VERSION", "SpecLimits", "dump", "dumps", "json_schema", "load", "loads", "to_spec_dict"]

SPEC_VERSION = 1
SCHEMA_ID = "https://workbench.dev/schemas/journey-spec-v1.json"
Format = Literal["yaml", "json"]


@dataclass(frozen=True)
class SpecLimits:
    r"""Bounds on a spec file, checked while it is read and before any model is built.

    Spec files come from colleagues, LMS exports and the web. A 600-byte YAML file whose
    aliases nest ("billion laughs") expands to billions of values; deep nesting, huge texts or
    numbers and mappings with masses of keys cost time and memory the same way. Each bound is
    far above what a journey needs (the largest template: 8 KB, 654 values, 6 levels)
    and far below what hurts.

    Attributes
    ----------
    max_bytes : int
        File size.
    max_depth : int
        Nesting of mappings and lists.
    max_nodes : int
        Values in the document, every use of an alias counted with all it expands to.
    max_string_chars : int
        Characters of one text (keys included).
    max_number_chars : int
        Characters of one number.
    max_keys : int
        Keys of one mapping.

    Examples
    --------
    >>> from workbench.errors import SpecError
    >>> from workbench.spec import loads
    >>> try:
    ...     loads("a: &x [1, 1]\nb: [*x, *x, *x]", limits=SpecLimits(max_nodes=8))
    ... except SpecError as exc:
    ...     print(str(exc).split(" (")[0])
    <spec>:2: the data holds more than 8 values
    """

    max_bytes: int = 4 * 1024 * 1024
    max_depth: int = 32
    max_nodes: int = 10_000
    max_string_chars: int = 20_000
    max_number_chars: int = 100
    max_keys: int = 2_000


#: The limits :func:`loads` and :func:`load` apply unless given others.
SPEC_LIMITS = SpecLimits()
#: Spec files are small; a larger "spec" is a mistake (or an attack on the parser).
MAX_SPEC_BYTES = SPEC_LIMITS.max_bytes


# ---- reading text ------------------------------------------------------------------------


def _decode(raw: bytes, source: str) -> str:
    if not raw.strip():
        raise SpecError(f"{source}: the file is empty; a spec starts with 'spec_version: 1' and an 'id:'")
    if b"\x00" in raw:
        raise SpecError(f"{source}: this is a binary file, not a YAML or JSON spec; check the path")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SpecError(
            f"{source}:{line}: not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8"
        ) from None
    return text


class _PositionMap:
    """Field path -> 1-based line, from a YAML node tree (JSON is read the same way)."""

    def __init__(self) -> None:
        self.lines: dict[str, int] = {}

    def walk(self, node: yaml.Node, path: str, source: str) -> None:
        self.lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key_node, value_node in node.value:
                key = str(key_node.value)
                line = key_node.start_mark.line + 1
                if key in seen:
                    raise SpecError(
                        f"{source}:{line}: key {key!r} appears twice in the same mapping "
                        f"(first on line {seen[key]}); keep one"
                    )
                seen[key] = line
                child = f"{path}.{key}" if path else key
                self.walk(value_node, child, source)
                self.lines[child] = line
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                self.walk(item, f"{path}[{index}]", source)

    def line_of(self, path: str) -> int | None:
        while path:
            if path in self.lines:
                return self.lines[path]
            path = re.sub(r"(\.[^.\[\]]+|\[\d+\])$", "", path) if re.search(r"(\.[^.\[\]]+|\[\d+\])$", path) else ""
        return self.lines.get("")


def _yaml_error(exc: yaml.YAMLError, source: str) -> SpecError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    where = f"{source}:{mark.line + 1}" if mark is not None else source
    problem = getattr(exc, "problem", None) or str(exc)
    if isinstance(exc, yaml.constructor.ConstructorError) and "constructor for the tag" in str(problem):
        tag = re.search(r"tag '([^']+)'", str(problem))
        return SpecError(
            f"{where}: the YAML tag {tag.group(1) if tag else ''!s} is not allowed; spec files hold "
            "plain data (mappings, lists, text, numbers): remove the tag"
        )
    if "maximum nesting depth" in str(problem):  # libyaml's own bound, met before ours in flow lists
        return SpecError(f"{where}: the data is nested too deeply to be a journey spec (it needs fewer than 10 levels)")
    if "expected a single document" in str(exc) or "found another document" in str(problem):
        return SpecError(f"{where}: the file holds several YAML documents ('---'); keep one journey per file")
    return SpecError(f"{where}: YAML syntax error: {problem}; check indentation, colons and quotes there")


class _Refused(Exception):
    """A bound of :class:`SpecLimits` is crossed at ``line`` (1-based)."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


_NUMBER_TAGS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")


class _BoundedComposer(Composer):
    """PyYAML's composer, counting as it goes: it stops at the first bound crossed.

    Every alias adds the size of what it expands to, so a "billion laughs" document is
    refused after a few hundred events, before anything is built from it.
    """

    peek_event: Any  # from the parser the loader mixes in

    def _start_bounds(self, limits: SpecLimits) -> None:
        self.limits = limits
        self.depth = 0
        self.expanded = 0
        self.sizes: dict[int, int] = {}  # id(node) -> values it expands to

    def _count(self, values: int, line: int) -> None:
        self.expanded += values
        if self.expanded > self.limits.max_nodes:
            raise _Refused(
                line,
                f"the data holds more than {self.limits.max_nodes:,} values (every use of an alias counted "
                "with all it expands to); a journey spec needs far fewer: remove aliases that repeat large blocks",
            )

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        event = self.peek_event()
        line = event.start_mark.line + 1
        limits = self.limits
        if isinstance(parent, yaml.MappingNode) and index is None and len(parent.value) >= limits.max_keys:
            raise _Refused(line, f"a mapping with more than {limits.max_keys:,} keys is not a journey spec")
        if isinstance(event, yaml.AliasEvent):
            target = self.anchors.get(event.anchor)
            if target is not None:
                size = self.sizes.get(id(target))
                if size is None:
                    raise _Refused(
                        line,
                        f"alias *{event.anchor} is used inside its own anchor &{event.anchor}: recursive data "
                        "is not a journey spec; write the value out",
                    )
                self._count(size, line)
            alias: yaml.Node | None = super().compose_node(parent, index)
            assert alias is not None  # an event was peeked: the composer always returns its node
            return alias
        if isinstance(event, yaml.ScalarEvent) and len(event.value) > limits.max_string_chars:
            raise _Refused(
                line,
                f"a text of {len(event.value):,} characters (limit {limits.max_string_chars:,}); "
                "link long material by URL instead of pasting it",
            )
        self.depth += 1
        if self.depth > limits.max_depth:
            raise _Refused(
                line, f"the data is nested more than {limits.max_depth} levels deep; a journey spec needs fewer than 10"
            )
        before = self.expanded
        self._count(1, line)
        node: yaml.Node | None = super().compose_node(parent, index)
        assert node is not None  # an event was peeked: the composer always returns its node
        self.depth -= 1
        self.sizes[id(node)] = self.expanded - before
        if isinstance(node, yaml.ScalarNode) and node.tag in _NUMBER_TAGS and len(node.value) > limits.max_number_chars:
            raise _Refused(line, f"a number of {len(node.value):,} characters is not a journey value")
        return node


class _SafeConstructor(SafeConstructor):
    """PyYAML's safe constructor, with values it cannot build (a 13th month) as errors on a line."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, OverflowError) as exc:
            raise _Refused(node.start_mark.line + 1, f"{node.value!r} cannot be read: {exc}") from None


try:  # libyaml's scanner and parser (C) when PyYAML has them: huge texts cost milliseconds
    from yaml.cyaml import CParser as _Parser  # type: ignore[attr-defined]

    class _SpecLoader(_BoundedComposer, _Parser, _SafeConstructor, Resolver):
        def __init__(self, text: str, limits: SpecLimits) -> None:
            _Parser.__init__(self, text)
            _BoundedComposer.__init__(self)
            _SafeConstructor.__init__(self)
            Resolver.__init__(self)
            self._start_bounds(limits)

except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _SpecLoader(Reader, Scanner, Parser, _BoundedComposer, _SafeConstructor, Resolver):  # type: ignore[no-redef]
        def __init__(self, text: str, limits: SpecLimits) -> None:
            Reader.__init__(self, text)
            Scanner.__init__(self)
            Parser.__init__(self)
            _BoundedComposer.__init__(self)
            _SafeConstructor.__init__(self)
            Resolver.__init__(self)
            self._start_bounds(limits)


def _compose(text: str, limits: SpecLimits) -> tuple[_SpecLoader, yaml.Node | None]:
    """Compose the node tree of a one-document YAML (or JSON) text, within ``limits``."""
    loader = _SpecLoader(text, limits)
    return loader, loader.get_single_node()


def _parse_yaml(text: str, source: str, limits: SpecLimits) -> tuple[Any, _PositionMap]:
    positions = _PositionMap()
    try:
        loader, node = _compose(text, limits)
        if node is None:
            raise SpecError(f"{source}: the file holds no data; a spec starts with 'spec_version: 1'")
        positions.walk(node, "", source)
        data = loader.construct_document(node)
    except _Refused as refused:
        raise SpecError(f"{source}:{refused.line}: {refused.message}") from None
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, source) from None
    except RecursionError:
        raise SpecError(f"{source}: the data is nested too deeply to be a journey spec") from None
    return data, positions


def _check_data(data: Any, limits: SpecLimits, source: str) -> None:
    """Check the bounds of :class:`SpecLimits` on parsed JSON the YAML composer could not read."""
    count = 0
    todo: list[tuple[Any, int]] = [(data, 1)]
    while todo:
        value, depth = todo.pop()
        count += 1
        problem = ""
        if depth > limits.max_depth:
            problem = f"the data is nested more than {limits.max_depth} levels deep"
        elif count > limits.max_nodes:
            problem = f"the data holds more than {limits.max_nodes:,} values"
        elif isinstance(value, str) and len(value) > limits.max_string_chars:
            problem = f"a text of {len(value):,} characters (limit {limits.max_string_chars:,})"
        elif isinstance(value, dict) and len(value) > limits.max_keys:
            problem = f"a mapping with more than {limits.max_keys:,} keys"
        if problem:
            raise SpecError(f"{source}: {problem}; this is not a journey spec")
        if isinstance(value, dict):
            todo += [(k, depth + 1) for k in value] + [(v, depth + 1) for v in value.values()]
        elif isinstance(value, list):
            todo += [(v, depth + 1) for v in value]


def _parse_json(text: str, source: str, limits: SpecLimits) -> tuple[Any, _PositionMap]:
    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in pairs:
            if key in out:
                raise SpecError(f"{source}: key {key!r} appears twice in the same object; keep one")
            out[key] = value
        return out

    positions = _PositionMap()
    composed = False
    try:  # JSON is (nearly) YAML: the bounded composer refuses bombs with a line, and gives lines
        _, node = _compose(text, limits)
        if node is not None:
            positions.walk(node, "", source)
        composed = True
    except _Refused as refused:
        raise SpecError(f"{source}:{refused.line}: {refused.message}") from None
    except yaml.YAMLError as exc:
        if "maximum nesting depth" in str(exc):
            raise _yaml_error(exc, source) from None
    except (SpecError, RecursionError):
        pass
    try:
        data = json.loads(text, object_pairs_hook=no_duplicates)
    except json.JSONDecodeError as exc:
        raise SpecError(f"{source}:{exc.lineno}: JSON syntax error: {exc.msg} (column {exc.colno})") from None
    except RecursionError:
        raise SpecError(f"{source}: the data is nested too deeply to be a journey spec") from None
    except ValueError as exc:  # a number past Python's digit limit
        raise SpecError(f"{source}: a value cannot be read: {exc}") from None
    if not composed:
        _check_data(data, limits, source)
    return data, positions


def _problem_path(problem: str) -> str:
    match = re.match(r"^([A-Za-z_][\w.\[\]]*)(?: \([^)]*\))?(?:\.([\w.\[\]]+))?:", problem)
    if not match:
        return ""
    return match.group(1) + (f".{match.group(2)}" if match.group(2) else "")


def loads(
    text: str | bytes, format: Format = "yaml", source: str = "<spec>", *, limits: SpecLimits = SPEC_LIMITS
) -> Journey:
    """Read a journey from spec text.

    Parameters
    ----------
    text : str or bytes
        The spec, YAML or JSON.
    format : {"yaml", "json"}
        Syntax of ``text``.
    source : str
        Name used in error messages (a file name).
    limits : SpecLimits
        Bounds on size, nesting, values (aliases expanded), texts, numbers and keys, checked
        while reading, before any model is built.

    Raises
    ------
    SpecError
        Syntax errors, unsafe YAML tags, duplicate keys, a bound of ``limits`` crossed, a
        missing or unsupported ``spec_version``, and every invalid field, each with
        ``source:line: field: fix``.
    """
    raw = text.encode("utf-8") if isinstance(text, str) else text
    if len(raw) > limits.max_bytes:
        raise SpecError(
            f"{source}:1: {len(raw):,} bytes is too large for a journey spec (limit {limits.max_bytes:,} bytes)"
        )
    decoded = _decode(raw, source)
    if format == "yaml":
        data, positions = _parse_yaml(decoded, source, limits)
    elif format == "json":
        data, positions = _parse_json(decoded, source, limits)
    else:
        raise SpecError(f"unknown spec format {format!r}; use 'yaml' or 'json'")
    return _journey_from_data(data, positions, source)


def _journey_from_data(data: Any, positions: _PositionMap, source: str) -> Journey:
    if not isinstance(data, dict):
        raise SpecError(
            f"{source}:1: a spec is a mapping of keys (spec_version, id, title, ...), not {type(data).__name__}"
        )
    body = dict(data)
    version = body.pop("spec_version", None)
    if version is None:
        raise SpecError(f"{source}:1: spec_version: is required; add 'spec_version: {SPEC_VERSION}' at the top")
    if version != SPEC_VERSION or isinstance(version, bool):
        line = positions.line_of("spec_version") or 1
        raise SpecError(
            f"{source}:{line}: spec_version: {version!r} is not supported; this workbench reads "
            f"spec_version {SPEC_VERSION}"
        )
    try:
        return Journey.model_validate(body)
    except JourneyError as exc:
        lines = []
        for problem in exc.problems:
            where = positions.line_of(_problem_path(problem))
            lines.append(f"{source}:{where}: {problem}" if where else f"{source}: {problem}")
        if len(lines) == 1:
            raise SpecError(lines[0]) from None
        raise SpecError(f"{source}: {len(lines)} problems:\n" + "\n".join(f"  {ln}" for ln in lines)) from None


def load(path: str | Path, *, limits: SpecLimits = SPEC_LIMITS) -> Journey:
    """Read a journey from a ``.yaml``/``.yml`` or ``.json`` spec file (see :func:`loads`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from workbench.templates import load_template
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "journey.yaml"
    >>> _ = dump(load_template("compliance_follow_up"), path)
    >>> load(path).id
    'compliance_follow_up'
    """
    path = Path(path)
    format: Format = "json" if path.suffix.lower() == ".json" else "yaml"
    if path.suffix.lower() not in (".json", ".yaml", ".yml"):
        raise SpecError(f"{path}: unknown spec file type {path.suffix!r}; use .yaml, .yml or .json")
    try:
        size = path.stat().st_size
        if size > limits.max_bytes:  # refused before reading a byte
            raise SpecError(
                f"{path}:1: {size:,} bytes is too large for a journey spec (limit {limits.max_bytes:,} bytes)"
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SpecError(f"{path}: no such file; check the path") from None
    except IsADirectoryError:
        raise SpecError(f"{path}: is a folder, not a spec file") from None
    except OSError as exc:
        raise SpecError(f"{path}: cannot read: {exc.strerror}") from None
    return loads(raw, format=format, source=str(path), limits=limits)


# ---- writing -----------------------------------------------------------------------------


def to_spec_dict(journey: Journey) -> dict[str, Any]:
    """Return the journey as plain data, ``spec_version`` first, defaults left out."""
    body = journey.model_dump(mode="json", exclude_defaults=True)
    # identity and content always written, even when equal to a default, so files read well
    for key in ("id", "title", "version"):
        body[key] = getattr(journey, key)
    order = [
        "id",
        "title",
        "version",
        "audience",
        "description",
        "language",
        "concepts",
        "kinds",
        "activities",
        "edges",
    ]
    return {"spec_version": SPEC_VERSION, **{k: body[k] for k in order if k in body}}


class _SpecDumper(yaml.SafeDumper):
    """Block style, insertion order, multi-line text as literal blocks."""


def _str_presenter(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_SpecDumper.add_representer(str, _str_presenter)


def dumps(journey: Journey, format: Format = "yaml") -> str:
    """Return the journey as spec text; ``loads(dumps(j), format) == j`` and the text is stable."""
    data = to_spec_dict(journey)
    if format == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if format == "yaml":
        return yaml.dump(data, Dumper=_SpecDumper, sort_keys=False, allow_unicode=True, width=100)
    raise SpecError(f"unknown spec format {format!r}; use 'yaml' or 'json'")


def dump(journey: Journey, path: str | Path) -> Path:
    """Write the journey to a spec file (format by suffix), atomically."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".json", ".yaml", ".yml"):
        raise SpecError(f"{path}: unknown spec file type {path.suffix!r}; use .yaml, .yml or .json")
    return write_atomic(path, dumps(journey, "json" if suffix == ".json" else "yaml"))


def _accept_hand_written_forms(schema: dict[str, Any]) -> None:
    """Let the schema accept what designers write by hand and the loader fills in.

    The models describe the complete form (as ``dumps`` writes it); in a file an activity may
    leave out what its kind provides (layer, channel, duration, purpose), list the concepts it
    covers by id, and give a coverage without an effect.
    """
    defs = schema.get("$defs", {})
    activity = defs.get("Activity", {})
    if "required" in activity:
        activity["required"] = [
            f for f in activity["required"] if f not in ("layer", "channel", "duration_min", "purpose")
        ]
    covers = activity.get("properties", {}).get("covers", {})
    if "items" in covers:
        covers["items"] = {
            "anyOf": [
                {
                    "type": "string",
                    "pattern": IDENTIFIER_PATTERN,
                    "description": "concept id (effect from the kind)",
                },
                covers["items"],
            ]
        }


def json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of spec v1 files, generated from the models.

    It accepts both the complete form that :func:`dumps` writes and the shorter form designers
    write by hand (defaults from the activity's kind, concepts listed by id).
    """
    schema = Journey.model_json_schema(mode="validation")
    _accept_hand_written_forms(schema)
    properties = {"spec_version": {"const": SPEC_VERSION, "description": "Version of this file format."}}
    properties.update(schema.get("properties", {}))
    schema["properties"] = properties
    schema["required"] = ["spec_version", *schema.get("required", [])]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **{k: v for k, v in schema.items() if k not in ("$schema", "$id")},
        "title": "workbench journey spec v1",
    }
