"""Reading statements from files: formats, validation with reasons, voiding, duplicates, privacy."""

from __future__ import annotations

import copy
import gzip
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from workbench.analytics import COLUMNS, read_statements, statements_frame
from workbench.analytics.ingest import VOIDED
from workbench.errors import DataError
from workbench.export.xapi import sample_statements
from workbench.templates import load_template

START = datetime(2026, 3, 2, 9, tzinfo=UTC)


@pytest.fixture(scope="module")
def statements() -> list[dict[str, Any]]:
    journey = load_template("post_training_retention").update_activity("quiz_2", mastery_score=0.8)
    return sample_statements(journey, 12, start=START, rng=3)


def _write(folder: Path, name: str, statements: list[Any], *, ndjson: bool, zipped: bool) -> Path:
    text = "".join(json.dumps(s) + "\n" for s in statements) if ndjson else json.dumps(statements, indent=1)
    path = folder / name
    path.write_bytes(gzip.compress(text.encode()) if zipped else text.encode())
    return path


@pytest.mark.parametrize(("ndjson", "zipped"), [(True, False), (False, False), (True, True), (False, True)])
def test_every_format_gives_the_same_frame(
    tmp_path: Path, statements: list[dict[str, Any]], ndjson: bool, zipped: bool
) -> None:
    # the name says nothing: the format is found from the content
    path = _write(tmp_path, "statements.data", statements, ndjson=ndjson, zipped=zipped)
    result = read_statements(path)
    reference = statements_frame(statements).frame
    assert list(result.frame.columns) == list(COLUMNS)
    pd.testing.assert_frame_equal(result.frame, reference)
    assert result.kept == result.read == len(statements)
    assert set(result.frame["statement_id"]) == {s["id"] for s in statements}


def test_columns_hold_the_statement_values(statements: list[dict[str, Any]]) -> None:
    frame = statements_frame(statements).frame.set_index("statement_id")
    scored = next(s for s in statements if s["verb"]["display"]["en-US"] in ("passed", "failed"))
    row = frame.loc[scored["id"]]
    assert row["learner"] == f"{scored['actor']['account']['homePage']}|{scored['actor']['account']['name']}"
    assert row["verb_name"] == scored["verb"]["display"]["en-US"]
    assert row["object_iri"] == scored["object"]["id"]
    assert row["score_scaled"] == scored["result"]["score"]["scaled"]
    assert bool(row["success"]) == scored["result"]["success"]
    assert row["registration"] == scored["context"]["registration"]
    assert row["timestamp"] == pd.Timestamp(scored["timestamp"])
    assert row["grouping_iri"] == scored["context"]["contextActivities"]["grouping"][0]["id"]


def test_invalid_statements_are_rejected_with_reasons_like_ralph(shared: Path, tmp_path: Path) -> None:
    """Every fixture that ralph's strict model rejects is rejected here too, each with a reason."""
    from pydantic import ValidationError
    from ralph.models.xapi.base.statements import BaseXapiStatement

    cases = json.loads((shared / "standards/xapi/fixtures/invalid-statements.json").read_text())["cases"]
    good = json.loads((shared / "standards/xapi/fixtures/journey-au-completed.statement.json").read_text())
    lines = [json.dumps(good)] + [json.dumps(c["statement"]) for c in cases] + ["{not json", "[1, 2]"]
    path = tmp_path / "mixed.ndjson"
    path.write_text("\n".join(lines) + "\n")
    rejects = tmp_path / "rejects.ndjson"

    result = read_statements(path, rejects=rejects)

    for case in cases:  # the oracle agrees that each is invalid
        with pytest.raises(ValidationError):
            BaseXapiStatement.model_validate(case["statement"])
    BaseXapiStatement.model_validate(good)
    assert result.kept == 1
    assert sum(result.rejected.values()) == len(cases) + 2
    records = [json.loads(line) for line in rejects.read_text().splitlines()]
    assert [r["source"] for r in records] == [f"mixed.ndjson:{n}" for n in range(2, len(lines) + 1)]
    by_case = {c["name"]: r for c, r in zip(cases, records, strict=False)}
    assert by_case["missing-verb"]["reason"] == "verb: missing"
    assert by_case["verb-id-not-an-iri"]["reason"] == "verb.id: invalid"
    assert by_case["registration-not-uuid"]["reason"] == "context.registration: invalid"
    assert by_case["scaled-score-above-1"]["reason"].startswith("result.score.scaled")
    assert by_case["unknown-top-level-property"]["message"].startswith("foo: is not an xAPI 1.0.3 property")
    assert records[-2]["reason"] == "(line): not JSON"
    assert records[-1]["reason"] == "(statement): not an object"
    assert all(r["message"] for r in records)
    summary = result.summary()
    assert summary.loc[summary["outcome"] == "rejected", "statements"].sum() == len(cases) + 2


def test_voided_statements_and_their_targets_are_removed(statements: list[dict[str, Any]]) -> None:
    target = statements[5]
    voiding = {
        "id": "9b0f4c3e-2f7a-4d0e-9a55-6f1e0c2d7b41",
        "actor": target["actor"],
        "verb": {"id": VOIDED, "display": {"en-US": "voided"}},
        "object": {"objectType": "StatementRef", "id": target["id"]},
        "timestamp": "2026-06-01T00:00:00Z",
    }
    result = statements_frame([*statements, voiding])
    assert result.voided == 1
    assert result.voiding == 1
    assert result.kept == len(statements) - 1
    assert target["id"] not in set(result.frame["statement_id"])


def test_duplicate_ids_count_once(statements: list[dict[str, Any]]) -> None:
    repeated = [*statements, *statements[:7], copy.deepcopy(statements[0])]
    result = statements_frame(repeated)
    assert result.kept == len(statements)
    assert result.duplicates == 8
    assert result.frame["statement_id"].is_unique


def test_statements_without_id_are_kept_and_deduplicated_by_content(statements: list[dict[str, Any]]) -> None:
    bare = [{k: v for k, v in s.items() if k != "id"} for s in statements[:3]]
    result = statements_frame([*bare, bare[0]])
    assert result.kept == 3
    assert result.duplicates == 1


def test_pseudonymised_learners_are_stable_keys_and_the_rejects_hold_no_identity(
    tmp_path: Path, statements: list[dict[str, Any]]
) -> None:
    bad = {**statements[0], "verb": {"id": "not an iri"}}
    path = _write(tmp_path, "s.ndjson", [*statements, bad], ndjson=True, zipped=False)
    plain = read_statements(path).frame
    first = read_statements(path, pseudonymise="salt-1", rejects=tmp_path / "rejects.ndjson")
    again = read_statements(path, pseudonymise="salt-1").frame
    other = read_statements(path, pseudonymise="salt-2").frame
    names = set(plain["learner"])
    assert not names & set(first.frame["learner"])
    assert first.frame["learner"].str.fullmatch(r"p-[0-9a-f]{16}").all()
    # the same salt joins two pulls; the mapping is one to one
    assert first.frame["learner"].tolist() == again["learner"].tolist()
    assert first.frame["learner"].nunique() == len(names)
    assert set(first.frame["learner"]).isdisjoint(other["learner"])
    text = (tmp_path / "rejects.ndjson").read_text()
    assert "learner-" not in text
    assert "pseudonymised" in text


def test_a_broken_array_is_one_clear_error_and_no_rejects_file(
    tmp_path: Path, statements: list[dict[str, Any]]
) -> None:
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(statements[:3])[:-40])
    rejects = tmp_path / "rejects.ndjson"
    with pytest.raises(
        DataError,
        match=r"broken\.json: the JSON array is broken after statement 2 \(parse error: premature EOF\).*NDJSON",
    ):
        read_statements(path, rejects=rejects)
    assert not rejects.exists()
    assert list(tmp_path.iterdir()) == [path]


def test_missing_file_is_a_data_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="cannot be read"):
        read_statements(tmp_path / "nope.ndjson")


def test_reading_is_streamed_one_array_item_at_a_time(tmp_path: Path, statements: list[dict[str, Any]]) -> None:
    """A file object that refuses to be read whole still works: no read() without a size."""
    path = _write(tmp_path, "s.json", statements, ndjson=False, zipped=True)
    import workbench.analytics.ingest as ingest

    original = ingest._open_binary
    sizes: list[int] = []

    class Guard:
        def __init__(self, inner: Any) -> None:
            self.inner = inner

        def read(self, size: int = -1) -> bytes:
            assert size is not None, "read the whole file at once"
            assert size >= 0, "read the whole file at once"
            sizes.append(size)
            data: bytes = self.inner.read(size)
            return data

        def seek(self, offset: int) -> int:
            position: int = self.inner.seek(offset)
            return position

    from contextlib import contextmanager

    @contextmanager
    def guarded(p: Path) -> Any:
        with original(p) as handle:
            yield Guard(handle)

    ingest._open_binary = guarded  # type: ignore[assignment]
    try:
        result = read_statements(path)
    finally:
        ingest._open_binary = original  # type: ignore[assignment]
    assert result.kept == len(statements)
    assert max(sizes) <= 64 * 1024
