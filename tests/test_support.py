"""The shared test helpers: one reading of CI, skip locally / fail in CI, the shared folder."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from support.env import (
    SHARED_MISSING,
    in_ci,
    require_module,
    shared_dir,
    shared_path,
    shared_skip_summary,
    skip_or_fail,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("true", True), ("TRUE", True), ("1", True), ("yes", True), ("", False), ("false", False), ("0", False)],
)
def test_ci_is_read_one_way(monkeypatch: pytest.MonkeyPatch, value: str, expected: bool) -> None:
    monkeypatch.setenv("CI", value)
    assert in_ci() is expected


def test_skip_or_fail_skips_locally_and_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no chromium"):
        skip_or_fail("no chromium")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=r"no chromium .*CI=true"):
        skip_or_fail("no chromium")
    with pytest.raises(pytest.fail.Exception, match="not_a_module_of_this_world"):
        require_module("not_a_module_of_this_world", "pip install nothing")


def test_shared_folder_comes_from_the_environment_or_sits_beside_the_repository(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("WORKBENCH_SHARED", raising=False)
    assert shared_dir() == Path(__file__).resolve().parents[1].parent / "shared"
    monkeypatch.setenv("WORKBENCH_SHARED", str(tmp_path))
    (tmp_path / "reference").mkdir()
    assert shared_path("reference") == tmp_path / "reference"
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match=SHARED_MISSING):
        shared_path("standards")


def test_the_end_of_run_summary_counts_skips_for_shared_material() -> None:
    def skip(reason: str) -> Any:
        return SimpleNamespace(longrepr=("tests/x.py", 1, f"Skipped: {reason}"))

    reports = [skip(f"{SHARED_MISSING} vectors"), skip(f"{SHARED_MISSING} schemas"), skip("no chromium")]
    assert shared_skip_summary(reports).startswith("shared reference material: 2 test(s) skipped")
    assert shared_skip_summary([]).startswith("shared reference material: 0 test(s) skipped")
