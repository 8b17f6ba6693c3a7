"""Read xAPI statements into one tidy frame: validated, voiding applied, deduplicated.

Files are streamed, never read whole: a JSON array is parsed item by item (``ijson``), NDJSON
line by line, either one optionally gzip-compressed (detected by its magic bytes, not its
name). Each statement is checked against a strict xAPI 1.0.3 model; a statement that fails
is counted by reason and written, with its source line and the reason, to a rejects file
(NDJSON) when one is given. Nothing invalid is dropped silently and nothing crashes on it.

Then, as the xAPI specification asks of a reporting tool: statements with a repeated ``id``
count once (the first one read), and a ``voided`` statement removes the statement it
targets (the voiding statement itself is not an event either).

Learner identities can be pseudonymised on ingest: the key becomes ``p-`` plus an HMAC-SHA256
of the identifier under a salt only the caller knows (the same salt gives the same keys, so
two pulls can be joined; without the salt the keys cannot be reversed by trying names).
"""

from __future__ import annotations

import gzip
import hashlib
import hmac
import json
import os
import re
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd
from pydantic import ValidationError

from workbench._io import atomic_writer
from workbench.analytics._statement import ActivityObject, Statement, StatementRef, reason_of
from workbench.errors import DataError
from workbench.export._vocab import SESSION_ID

__all__ = ["COLUMNS", "VOIDED", "IngestResult", "read_statements", "statements_frame"]

#: The verb that voids the statement its object refers to (xAPI 1.0.3, 2.3.2).
VOIDED = "http://adlnet.gov/expapi/verbs/voided"

#: Columns of the statements frame, in order, with what each holds.
COLUMNS: Mapping[str, str] = {
    "statement_id": "the statement's id (a UUID; derived from its content when the file has none)",
    "timestamp": "when the experience happened (UTC)",
    "stored": "when the LRS stored it (UTC; NaT in files that never went through an LRS)",
    "learner": "the actor's identifier (account homePage|name, mbox, ...), or its pseudonym",
    "verb": "verb IRI",
    "verb_name": "verb display (en-US, else any language, else the IRI's last segment)",
    "object_iri": "object id: the activity IRI (or the agent / statement it is about)",
    "object_type": "Activity, Agent, Group, StatementRef or SubStatement",
    "activity_id": "the journey activity the object maps to (filled by map_to_journey)",
    "grouping_iri": "first contextActivities.grouping id (the cmi5 publisher AU id)",
    "registration": "context.registration (the cmi5 registration / enrolment)",
    "session_id": "the cmi5 session id extension",
    "success": "result.success",
    "completion": "result.completion",
    "score_scaled": "result.score.scaled",
    "score_raw": "result.score.raw",
    "duration_s": "result.duration in seconds",
    "concept": "the concept the row is about, where known (filled by map_to_journey)",
}

_DURATION_PARTS = re.compile(
    r"^P(?:(?P<Y>[\d.]+)Y)?(?:(?P<Mo>[\d.]+)M)?(?:(?P<W>[\d.]+)W)?(?:(?P<D>[\d.]+)D)?"
    r"(?:T(?:(?P<H>[\d.]+)H)?(?:(?P<Mi>[\d.]+)M)?(?:(?P<S>[\d.]+)S)?)?$"
)
# Years and months have no fixed length; xAPI durations of a learning session rarely use them
_SECONDS = {"Y": 365.25 * 86400, "Mo": 30.4375 * 86400, "W": 7 * 86400, "D": 86400, "H": 3600, "Mi": 60, "S": 1}
_ID_NAMESPACE = uuid.UUID("0c7d8f5e-5a1b-5c33-a1f0-4d1e8b9c2a77")
_GZIP_MAGIC = b"\x1f\x8b"


def duration_seconds(text: str | None) -> float:
    """Seconds of an ISO 8601 duration (``nan`` for none).

    Examples
    --------
    >>> duration_seconds("PT1H2M3.5S"), duration_seconds("P1D")
    (3723.5, 86400.0)
    """
    if text is None:
        return float("nan")
    match = _DURATION_PARTS.match(text)
    if match is None:
        return float("nan")
    return float(sum(float(v) * _SECONDS[k] for k, v in match.groupdict().items() if v))


@dataclass(frozen=True)
class IngestResult:
    """What an ingest produced: the frame and an account of every statement read.

    ``read = kept + sum(rejected.values()) + duplicates + voided + voiding``.
    """

    frame: pd.DataFrame
    read: int
    rejected: Mapping[str, int]
    duplicates: int
    voided: int
    voiding: int
    sources: tuple[str, ...]
    rejects_path: Path | None = None
    pseudonymised: bool = False
    examples: Mapping[str, str] = field(default_factory=dict)

    @property
    def kept(self) -> int:
        """Statements in the frame."""
        return len(self.frame)

    def summary(self) -> pd.DataFrame:
        """One row per outcome (kept, each reject reason, duplicates, voided) with counts.

        Examples
        --------
        >>> statements_frame([]).summary()["statements"].tolist()
        [0, 0, 0, 0, 0]
        """
        rows = [("read", "", self.read), ("kept", "", self.kept)]
        rows += [
            ("rejected", f"{reason}: e.g. {self.examples.get(reason, '')}", n) for reason, n in self.rejected.items()
        ]
        rows += [("duplicate id (kept the first)", "", self.duplicates)]
        rows += [("voided (removed)", "", self.voided), ("voiding statements", "", self.voiding)]
        return pd.DataFrame(rows, columns=["outcome", "detail", "statements"])


class _Collector:
    """Validates statements one by one and accumulates the frame's columns."""

    def __init__(self, rejects: IO[str] | None, salt: str | None) -> None:
        self.columns: dict[str, list[Any]] = {name: [] for name in COLUMNS if name not in ("activity_id", "concept")}
        self.seen: set[str] = set()
        self.voided_ids: set[str] = set()
        self.read = 0
        self.duplicates = 0
        self.voiding = 0
        self.rejected: Counter[str] = Counter()
        self.examples: dict[str, str] = {}
        self.rejects = rejects
        self.salt = salt.encode("utf-8") if salt is not None else None
        self.pseudonyms: dict[str, str] = {}
        self._strings: dict[str, str] = {}

    def _intern(self, text: str | None) -> str | None:
        # repeated IRIs and learner keys share one string object: a large frame stays small
        if text is None:
            return None
        return self._strings.setdefault(text, text)

    def learner_key(self, key: str) -> str:
        if self.salt is None:
            return self._intern(key) or key
        found = self.pseudonyms.get(key)
        if found is None:
            digest = hmac.new(self.salt, key.encode("utf-8"), hashlib.sha256).hexdigest()
            found = self.pseudonyms[key] = f"p-{digest[:16]}"
        return found

    def reject(self, source: str, reason: str, message: str, raw: Any) -> None:
        self.rejected[reason] += 1
        self.examples.setdefault(reason, message)
        if self.rejects is None:
            return
        if self.salt is not None and isinstance(raw, dict) and "actor" in raw:
            # a privacy review must not find names in the rejects either
            raw = {**raw, "actor": "(pseudonymised: removed)"}
        record = {"source": source, "reason": reason, "message": message, "statement": raw}
        self.rejects.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")

    def add_json(self, data: bytes | str, source: str) -> None:
        """One NDJSON line."""
        self.read += 1
        try:
            statement = Statement.model_validate_json(data)
        except ValidationError as exc:
            reason, message = reason_of(exc)
            if exc.errors()[0]["type"] == "json_invalid":
                reason, message = "(line): not JSON", f"not a JSON object: {exc.errors()[0]['msg']}"
            raw: Any
            try:
                raw = json.loads(data)
            except ValueError:
                raw = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
            if not isinstance(raw, dict) and reason != "(line): not JSON":
                reason, message = (
                    "(statement): not an object",
                    f"a statement is a JSON object (got {type(raw).__name__})",
                )
            self.reject(source, reason, message, raw)
            return
        self._keep(statement, data)

    def add_object(self, obj: Any, source: str) -> None:
        """One parsed statement (an item of a JSON array, or a dict in memory)."""
        self.read += 1
        if not isinstance(obj, dict):
            self.reject(
                source, "(statement): not an object", f"a statement is a JSON object (got {type(obj).__name__})", obj
            )
            return
        try:
            statement = Statement.model_validate(obj)
        except ValidationError as exc:
            reason, message = reason_of(exc)
            self.reject(source, reason, message, obj)
            return
        self._keep(statement, None)

    def _keep(self, s: Statement, raw: bytes | str | None) -> None:
        if s.id is None:
            # files written by hand may lack ids; a content hash still deduplicates exact copies
            text = raw if raw is not None else s.model_dump_json()
            statement_id = str(uuid.uuid5(_ID_NAMESPACE, text.decode("utf-8") if isinstance(text, bytes) else text))
        else:
            statement_id = s.id.lower()
        if statement_id in self.seen:
            self.duplicates += 1
            return
        self.seen.add(statement_id)
        obj = s.object
        if s.verb.id == VOIDED and isinstance(obj, StatementRef):
            self.voiding += 1
            self.voided_ids.add(obj.id.lower())
            return
        intern = self._intern
        c = self.columns
        c["statement_id"].append(statement_id)
        c["timestamp"].append(s.timestamp)
        c["stored"].append(s.stored)
        c["learner"].append(self.learner_key(s.actor.key()))
        c["verb"].append(intern(s.verb.id))
        display = s.verb.display or {}
        name = display.get("en-US") or next(iter(display.values()), None) or s.verb.id.rstrip("/").rsplit("/", 1)[-1]
        c["verb_name"].append(intern(name))
        if isinstance(obj, ActivityObject):
            c["object_iri"].append(intern(obj.id))
            c["object_type"].append("Activity")
        elif isinstance(obj, StatementRef):
            c["object_iri"].append(obj.id)
            c["object_type"].append("StatementRef")
        else:
            key = obj.key() if hasattr(obj, "key") else None
            c["object_iri"].append(intern(key))
            c["object_type"].append(obj.objectType or "Agent")
        context = s.context
        grouping = registration = session = None
        if context is not None:
            registration = context.registration
            activities = context.contextActivities
            if activities is not None and activities.grouping:
                grouping = activities.grouping[0].id
            if context.extensions:
                value = context.extensions.get(SESSION_ID)
                session = str(value) if value is not None else None
        c["grouping_iri"].append(intern(grouping))
        c["registration"].append(intern(registration))
        c["session_id"].append(intern(session))
        result = s.result
        if result is None:
            c["success"].append(None)
            c["completion"].append(None)
            c["score_scaled"].append(np.nan)
            c["score_raw"].append(np.nan)
            c["duration_s"].append(np.nan)
        else:
            c["success"].append(result.success)
            c["completion"].append(result.completion)
            score = result.score
            c["score_scaled"].append(np.nan if score is None or score.scaled is None else score.scaled)
            c["score_raw"].append(np.nan if score is None or score.raw is None else score.raw)
            c["duration_s"].append(duration_seconds(result.duration))

    def frame(self) -> tuple[pd.DataFrame, int]:
        c = self.columns
        frame = pd.DataFrame(
            {
                "statement_id": pd.array(c["statement_id"], dtype="string"),
                "timestamp": _utc(c["timestamp"]),
                "stored": _utc(c["stored"]),
                "learner": pd.array(c["learner"], dtype="string"),
                "verb": pd.Categorical(c["verb"]),
                "verb_name": pd.Categorical(c["verb_name"]),
                "object_iri": pd.array(c["object_iri"], dtype="string"),
                "object_type": pd.Categorical(c["object_type"]),
                "activity_id": pd.array([None] * len(c["statement_id"]), dtype="string"),
                "grouping_iri": pd.array(c["grouping_iri"], dtype="string"),
                "registration": pd.array(c["registration"], dtype="string"),
                "session_id": pd.array(c["session_id"], dtype="string"),
                "success": pd.array(c["success"], dtype="boolean"),
                "completion": pd.array(c["completion"], dtype="boolean"),
                "score_scaled": np.asarray(c["score_scaled"], dtype=float),
                "score_raw": np.asarray(c["score_raw"], dtype=float),
                "duration_s": np.asarray(c["duration_s"], dtype=float),
                "concept": pd.array([None] * len(c["statement_id"]), dtype="string"),
            },
            columns=list(COLUMNS),
        )
        voided = 0
        if self.voided_ids:
            hit = frame["statement_id"].isin(self.voided_ids).to_numpy()
            voided = int(hit.sum())
            frame = frame.loc[~hit]
        frame = frame.sort_values(["timestamp", "statement_id"], kind="stable").reset_index(drop=True)
        return frame, voided

    def result(self, sources: Sequence[str], rejects_path: Path | None) -> IngestResult:
        frame, voided = self.frame()
        return IngestResult(
            frame=frame,
            read=self.read,
            rejected=dict(self.rejected.most_common()),
            duplicates=self.duplicates,
            voided=voided,
            voiding=self.voiding,
            sources=tuple(sources),
            rejects_path=rejects_path,
            pseudonymised=self.salt is not None,
            examples=dict(self.examples),
        )


def _utc(texts: list[str | None]) -> pd.Series:
    parsed = pd.to_datetime(pd.Series(texts, dtype=object), utc=True, format="ISO8601")
    return parsed.astype("datetime64[us, UTC]")


@contextmanager
def _open_binary(path: Path) -> Iterator[IO[bytes]]:
    try:
        handle: IO[bytes] = path.open("rb")
    except OSError as exc:
        raise DataError(f"{path}: cannot be read ({exc.strerror}); check the path") from None
    try:
        if handle.read(2) == _GZIP_MAGIC:
            handle.seek(0)
            with gzip.GzipFile(fileobj=handle) as unzipped:
                yield unzipped  # type: ignore[misc]
        else:
            handle.seek(0)
            yield handle
    finally:
        handle.close()


def _read_file(path: Path, collector: _Collector) -> None:
    with _open_binary(path) as stream:
        head = stream.read(4096)
        stream.seek(0)  # cheap at the start, also for gzip
        if head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"[":
            _read_array(path, stream, collector)
            return
        try:
            for number, line in enumerate(stream, start=1):
                if number == 1:
                    line = line.removeprefix(b"\xef\xbb\xbf")
                if not line.strip():
                    continue
                collector.add_json(line, f"{path.name}:{number}")
        except (gzip.BadGzipFile, EOFError) as exc:
            raise DataError(f"{path}: the gzip data is damaged ({exc}); download or compress the file again") from None


def _read_array(path: Path, stream: IO[bytes], collector: _Collector) -> None:
    import ijson

    count = 0
    try:
        for item in ijson.items(stream, "item", use_float=True):
            collector.add_object(item, f"{path.name}[{count}]")
            count += 1
    except ijson.JSONError as exc:
        problem = str(exc).strip().splitlines()[0]
        raise DataError(
            f"{path}: the JSON array is broken after statement {count} ({problem}); statements after it cannot be "
            "read. Fix the file, or export it again as NDJSON (one statement per line), where one broken "
            "line is rejected alone"
        ) from None
    except (gzip.BadGzipFile, EOFError) as exc:
        raise DataError(f"{path}: the gzip data is damaged ({exc}); download or compress the file again") from None


def read_statements(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    rejects: str | os.PathLike[str] | None = None,
    pseudonymise: str | None = None,
) -> IngestResult:
    r"""Read xAPI statements from files into the statements frame (see :data:`COLUMNS`).

    Parameters
    ----------
    paths : path or iterable of paths
        JSON arrays or NDJSON files, each optionally gzip-compressed.
    rejects : path, optional
        NDJSON file receiving every invalid statement with its source, reason and message;
        written atomically (complete or not at all).
    pseudonymise : str, optional
        A secret salt: learners are keyed by an HMAC of their identifier instead.

    Returns
    -------
    IngestResult

    Raises
    ------
    DataError
        A file cannot be read, or a JSON array is broken (an NDJSON line alone is rejected).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> line = ('{"actor": {"mbox": "mailto:a@example.org"}, "verb": {"id": "http://adlnet.gov/expapi/verbs/'
    ...         'experienced"}, "object": {"id": "https://x.example/a"}, "timestamp": "2026-03-02T08:00:00Z"}')
    >>> _ = (folder / "s.ndjson").write_text(line + "\n" + line + "\n{oops\n")
    >>> result = read_statements(folder / "s.ndjson")
    >>> result.kept, result.duplicates, dict(result.rejected)
    (1, 1, {'(line): not JSON': 1})
    """
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    files = [Path(p) for p in paths]
    if not files:
        raise DataError("read_statements: no file given; pass the path of a JSON or NDJSON statements file")
    with _rejects_file(rejects) as handle:
        collector = _Collector(handle, pseudonymise)
        for path in files:
            if path.is_dir():
                raise DataError(f"{path}: is a folder; pass the statement files in it")
            _read_file(path, collector)
    return collector.result([str(p) for p in files], Path(rejects) if rejects is not None else None)


@contextmanager
def _rejects_file(path: str | os.PathLike[str] | None) -> Iterator[IO[str] | None]:
    if path is None:
        yield None
        return
    with atomic_writer(path) as handle:
        yield handle


def statements_frame(statements: Iterable[Any], *, pseudonymise: str | None = None) -> IngestResult:
    """Build the statements frame of statements in memory (e.g. from ``sample_statements``).

    Examples
    --------
    >>> from datetime import datetime, timezone
    >>> from workbench.export.xapi import sample_statements
    >>> from workbench.templates import load_template
    >>> sts = sample_statements(load_template("post_training_retention"), 3,
    ...                         start=datetime(2026, 3, 2, 9, tzinfo=timezone.utc), rng=1)
    >>> statements_frame(sts).kept == len(sts)
    True
    """
    collector = _Collector(None, pseudonymise)
    for index, statement in enumerate(statements):
        collector.add_object(statement, f"[{index}]")
    return collector.result(["(memory)"], None)
