"""Fuzzing the spec reader through ``workbench lint``: mutated specs never crash it.

Valid specs (the templates, as YAML and JSON) are mutated byte by byte and value by value, and
wrapped in alias and nesting bombs. Whatever comes out, ``lint`` answers with exit 0, 1 or 2,
never a traceback, within a generous per-example deadline. Runs are derandomised (the test
profile): a failure is reproducible, never flaky.
"""

from __future__ import annotations

import contextlib
import io
import json
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.cli import main
from workbench.spec import dumps
from workbench.templates import list_templates, load_template

TEMPLATES = list_templates()
FUZZ = settings(
    max_examples=40,
    deadline=timedelta(seconds=10),  # generous: a refusal takes milliseconds; a hang or blow-up does not
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@contextlib.contextmanager
def _spec_file(content: bytes, suffix: str) -> Any:
    with tempfile.TemporaryDirectory(prefix="wb-fuzz-") as folder:
        path = Path(folder) / f"spec{suffix}"
        path.write_bytes(content)
        yield path


def _lint(content: bytes, suffix: str) -> tuple[int, str]:
    """Exit code and stderr of ``workbench lint`` on ``content``; any exception fails the test."""
    err = io.StringIO()
    with _spec_file(content, suffix) as path, contextlib.redirect_stderr(err):
        code = main(["lint", str(path)], out=io.StringIO())
    return code, err.getvalue()


def _check(code: int, err: str) -> None:
    assert code in (0, 1, 2), code
    assert "Traceback" not in err
    if code == 2:
        assert err.startswith("workbench: error: ")
        assert err.count("workbench: error:") == 1


def _source(name: str, suffix: str) -> bytes:
    return dumps(load_template(name), "json" if suffix == ".json" else "yaml").encode()


@st.composite
def byte_mutations(draw: st.DrawFn) -> tuple[bytes, str]:
    suffix = draw(st.sampled_from([".yaml", ".json"]))
    data = bytearray(_source(draw(st.sampled_from(TEMPLATES)), suffix))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        end = draw(st.integers(at, min(len(data), at + 64)))
        operation = draw(st.sampled_from(["delete", "insert", "replace", "repeat", "truncate"]))
        if operation == "delete":
            del data[at:end]
        elif operation == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif operation == "replace":
            data[at:end] = draw(st.sampled_from([b"&a ", b"*a", b"[", b"{", b"- ", b":", b'"', b"\t", b"!!", b"\xff"]))
        elif operation == "repeat":
            data[at:end] = data[at:end] * draw(st.integers(2, 200))
        else:
            del data[at:]
    return bytes(data), suffix


@FUZZ
@given(byte_mutations())
def test_byte_mutations_never_crash_lint(case: tuple[bytes, str]) -> None:
    _check(*_lint(*case))


_LEAF = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30)
_VALUES = st.recursive(
    _LEAF,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*prefix, index))
    return found


@st.composite
def structure_mutations(draw: st.DrawFn) -> tuple[bytes, str]:
    data = yaml.safe_load(_source(draw(st.sampled_from(TEMPLATES)), ".yaml"))
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_paths(data)[1:]))
        parent = data
        for step in path[:-1]:
            parent = parent[step]
        operation = draw(st.sampled_from(["replace", "delete", "nest", "add key"]))
        if operation == "replace":
            parent[path[-1]] = draw(_VALUES)
        elif operation == "delete":
            del parent[path[-1]]
        elif operation == "nest":  # deep but still sane, or past the depth bound
            value = parent[path[-1]]
            for _ in range(draw(st.sampled_from([2, 40]))):
                value = [value]
            parent[path[-1]] = value
        elif isinstance(parent, dict):
            parent[draw(st.text(min_size=1, max_size=12))] = draw(_VALUES)
    if draw(st.booleans()):
        return json.dumps(data, ensure_ascii=draw(st.booleans())).encode(), ".json"
    return yaml.safe_dump(data, allow_unicode=True).encode(), ".yaml"


@FUZZ
@given(structure_mutations())
def test_structure_mutations_never_crash_lint(case: tuple[bytes, str]) -> None:
    _check(*_lint(*case))


@st.composite
def bombs(draw: st.DrawFn) -> tuple[bytes, str]:
    """Alias bombs of random width and depth hung on a template's field, and nesting bombs."""
    text = _source(draw(st.sampled_from(TEMPLATES)), ".yaml").decode()
    if draw(st.booleans()):
        width, depth = draw(st.integers(2, 12)), draw(st.integers(1, 12))
        lines = ["x0: &a0 [" + ", ".join(["lol"] * width) + "]"]
        lines += [f"x{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]" for i in range(1, depth + 1)]
        text += "\n".join(lines) + f"\nconcepts: [*a{depth}]\n"
    else:
        depth = draw(st.integers(10, 5000))
        opener, closer = draw(st.sampled_from([("[", "]"), ("{a: ", "}")]))
        text += "kinds: " + opener * depth + "1" + closer * depth + "\n"
    return text.encode(), ".yaml"


@FUZZ
@given(bombs())
def test_bombs_never_crash_lint(case: tuple[bytes, str]) -> None:
    code, err = _lint(*case)
    _check(code, err)
