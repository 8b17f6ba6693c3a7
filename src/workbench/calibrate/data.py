"""Observed outcomes in the two shapes calibration reads, validated row by row.

**Per-learner events** -- one row per touch of a concept by a learner, what a delivered
journey logs (the analytics helpers turn xAPI statements into it)::

    learner,concept,day,effect,recalled
    ana,sbi_model,0,encode,
    ana,sbi_model,3,retrieve,1
    ana,sbi_model,10,retrieve,0

``effect`` is one of encode / retrieve / restudy / apply / discuss; ``recalled`` (0 or 1) is
required on retrievals and ignored on other effects. ``day`` is days from any fixed start.

**Grouped outcomes** -- learners who shared one touch history, what a pilot study, a quiz
report or a published experiment gives::

    history,test_day,recalled,n
    0:encode,7,0.714,208
    0:encode;1:retrieve,36,0.689,52

``history`` lists ``day:effect`` touches separated by ``;``; ``recalled`` is the share of
the ``n`` learners who recalled on ``test_day`` (recall measured at the start of that day,
before any touch of that day, as :func:`~workbench.simulate.simulate` measures it).

The shape is detected from the columns (:func:`read_observations`). Every problem is
reported with its CSV line (header = line 1) and a fix; nothing is guessed.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from workbench.errors import DataError
from workbench.vocabulary import MemoryEffect

__all__ = [
    "EVENT_COLUMNS",
    "GROUPED_COLUMNS",
    "Observations",
    "format_history",
    "parse_history",
    "read_observations",
]

#: Columns of per-learner events (``recalled`` needed on retrieval rows).
EVENT_COLUMNS = ("learner", "concept", "day", "effect", "recalled")
#: Columns of grouped outcomes.
GROUPED_COLUMNS = ("history", "test_day", "recalled", "n")
_EFFECTS = tuple(e.value for e in MemoryEffect)
_MAX_PROBLEMS = 10

History = tuple[tuple[float, str], ...]


def parse_history(text: str) -> History:
    """Parse ``"0:encode;7:retrieve"`` into ``((0.0, "encode"), (7.0, "retrieve"))``.

    Touches are kept in the order written when they share a day; days must not decrease.

    Examples
    --------
    >>> parse_history("0:encode; 7:retrieve")
    ((0.0, 'encode'), (7.0, 'retrieve'))
    """
    if not isinstance(text, str) or not text.strip():
        raise ValueError("is empty; write touches as day:effect separated by ';', e.g. 0:encode;7:retrieve")
    touches: list[tuple[float, str]] = []
    for piece in text.split(";"):
        day_text, sep, effect = piece.strip().partition(":")
        if not sep:
            raise ValueError(f"touch {piece.strip()!r} is not day:effect (e.g. 7:retrieve)")
        try:
            day = float(day_text)
        except ValueError:
            raise ValueError(f"touch {piece.strip()!r}: day {day_text.strip()!r} is not a number") from None
        effect = effect.strip().lower()
        if not math.isfinite(day) or day < 0:
            raise ValueError(f"touch {piece.strip()!r}: day must be a finite number >= 0")
        if effect not in _EFFECTS:
            raise ValueError(f"touch {piece.strip()!r}: effect {effect!r} is not one of {', '.join(_EFFECTS)}")
        if touches and day < touches[-1][0]:
            raise ValueError(f"touch {piece.strip()!r} comes before the previous touch; list touches in day order")
        touches.append((day, effect))
    return tuple(touches)


def format_history(history: Sequence[tuple[float, str]]) -> str:
    """Format a history as text (the inverse of :func:`parse_history`).

    Examples
    --------
    >>> format_history(((0.0, "encode"), (7.5, "retrieve")))
    '0:encode;7.5:retrieve'
    """
    return ";".join(f"{day:g}:{effect}" for day, effect in history)


@dataclass(frozen=True, eq=False)
class Observations:
    """Validated observed outcomes, in one of the two shapes.

    Attributes
    ----------
    kind : {"events", "grouped"}
    frame : DataFrame
        The validated rows. Grouped: ``history, test_day, recalled, n`` plus the parsed
        ``touches``; events: ``learner, concept, day, effect, recalled`` sorted by learner,
        concept and day (stable).
    source : str
        Where the data came from (a file name, or a description).
    extra : dict
        Columns beyond the required ones are kept in ``frame`` (e.g. ``gap_days`` for
        holdout validation); this lists them.
    """

    kind: str
    frame: pd.DataFrame
    source: str
    extra: tuple[str, ...] = field(default_factory=tuple)

    @property
    def rows(self) -> int:
        """Number of rows."""
        return len(self.frame)

    def summary(self) -> dict[str, Any]:
        """Summarise what the data hold, as plain data (kept in a calibration).

        Examples
        --------
        >>> obs = read_observations(pd.DataFrame({"history": ["0:encode"], "test_day": [7],
        ...                                       "recalled": [0.7], "n": [20]}))
        >>> obs.summary()["learners"]
        20
        """
        frame = self.frame
        if self.kind == "grouped":
            effects = sorted({e for touches in frame["touches"] for _, e in touches})
            return {
                "shape": "grouped",
                "source": self.source,
                "rows": len(frame),
                "learners": int(frame["n"].sum()),
                "histories": int(frame["history"].nunique()),
                "effects": effects,
                "test_delays_days": sorted({round(float(d), 6) for d in frame["delay_days"]}),
            }
        retrievals = frame[frame["effect"] == MemoryEffect.RETRIEVE.value]
        return {
            "shape": "events",
            "source": self.source,
            "rows": len(frame),
            "learners": int(frame["learner"].nunique()),
            "concepts": int(frame["concept"].nunique()),
            "effects": sorted(frame["effect"].unique().tolist()),
            "retrievals": len(retrievals),
            "recall_rate": round(float(retrievals["recalled"].mean()), 6) if len(retrievals) else None,
        }

    def subset(self, mask: Any) -> Observations:
        """Select the rows ``mask`` marks (for holdout validation)."""
        return Observations(self.kind, self.frame[np.asarray(mask, dtype=bool)].reset_index(drop=True), self.source)


def _fail(source: str, problems: list[str], fix: str) -> DataError:
    shown = problems[:_MAX_PROBLEMS]
    more = len(problems) - len(shown)
    lines = "\n".join(f"  - {p}" for p in shown) + (f"\n  - ... and {more} more" if more > 0 else "")
    noun = "problem" if len(problems) == 1 else "problems"
    return DataError(f"{source}: {len(problems)} {noun} in the observed outcomes:\n{lines}\nfix: {fix}")


def _read_frame(data: Any) -> tuple[pd.DataFrame, str]:
    if isinstance(data, pd.DataFrame):
        return data.copy(), "data frame"
    if isinstance(data, str | os.PathLike):
        path = Path(data)
        if not path.is_file():
            raise DataError(f"{path}: no such file; fix: give the path of a CSV of observed outcomes")
        try:
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True)
        except UnicodeDecodeError:
            raise DataError(f"{path}: not UTF-8 text; fix: save the file as UTF-8 CSV") from None
        except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
            raise DataError(
                f"{path}: not a readable CSV ({str(exc).strip()}); fix: save it as comma-separated text"
            ) from None
        return frame, str(path)
    raise DataError(f"observations: expected a CSV path or a pandas DataFrame, got {type(data).__name__}")


def _detect(columns: Sequence[str], source: str) -> str:
    have = set(columns)
    if {"history", "test_day"} <= have:
        return "grouped"
    if {"learner", "concept", "day", "effect"} <= have:
        return "events"
    raise DataError(
        f"{source}: cannot tell the shape from the columns {', '.join(columns) or '(none)'}; "
        f"fix: per-learner events need columns {', '.join(EVENT_COLUMNS)}; "
        f"grouped outcomes need {', '.join(GROUPED_COLUMNS)}"
    )


def _number(value: Any) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float | np.integer | np.floating):
        return float(value)
    text = str(value).strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        return None


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or str(value).strip() == ""


def _grouped(frame: pd.DataFrame, source: str) -> pd.DataFrame:
    missing = [c for c in GROUPED_COLUMNS if c not in frame.columns]
    if missing:
        raise DataError(
            f"{source}: grouped outcomes lack column(s) {', '.join(missing)}; "
            f"fix: give every row {', '.join(GROUPED_COLUMNS)}"
        )
    problems: list[str] = []
    touches, test_days, recalled, counts = [], [], [], []
    for i, row in enumerate(frame.itertuples(index=False)):
        line = i + 2
        here = len(problems)
        try:
            history = parse_history(str(row.history) if not _blank(row.history) else "")
        except ValueError as exc:
            problems.append(f"line {line}, history: {exc}")
            history = ()
        day = _number(row.test_day)
        share = _number(row.recalled)
        n = _number(row.n)
        if day is None or not math.isfinite(day) or day < 0:
            problems.append(f"line {line}, test_day: must be a number of days >= 0 (got {row.test_day!r})")
        elif history and day < history[-1][0]:
            problems.append(
                f"line {line}, test_day: {day:g} is before the last touch (day {history[-1][0]:g}); "
                "the test comes after the history"
            )
        if share is None or not 0.0 <= share <= 1.0:
            problems.append(
                f"line {line}, recalled: must be the share who recalled, from 0 to 1 (got {row.recalled!r}); "
                "convert percentages by dividing by 100"
            )
        if n is None or n < 1 or n != math.floor(n):
            problems.append(f"line {line}, n: must be a whole number of learners >= 1 (got {row.n!r})")
        if len(problems) == here:
            touches.append(history)
            test_days.append(float(day))  # type: ignore[arg-type]
            recalled.append(float(share))  # type: ignore[arg-type]
            counts.append(int(n))  # type: ignore[arg-type]
    if problems:
        raise _fail(source, problems, "correct these rows (see the grouped format in workbench.calibrate.data)")
    if not touches:
        raise DataError(f"{source}: no rows; fix: give at least one grouped outcome")
    out = frame.drop(columns=list(GROUPED_COLUMNS)).copy()
    out.insert(0, "history", [format_history(t) for t in touches])
    out.insert(1, "test_day", test_days)
    out.insert(2, "recalled", recalled)
    out.insert(3, "n", counts)
    out["touches"] = pd.Series(touches, index=out.index, dtype=object)
    out["delay_days"] = [d - t[-1][0] for d, t in zip(test_days, touches, strict=True)]
    return out


def _events(frame: pd.DataFrame, source: str) -> pd.DataFrame:
    problems: list[str] = []
    n = len(frame)
    learner = frame["learner"].astype(str).str.strip()
    concept = frame["concept"].astype(str).str.strip()
    effect = frame["effect"].astype(str).str.strip().str.lower()
    day = pd.to_numeric(frame["day"], errors="coerce")
    raw_recalled = frame["recalled"] if "recalled" in frame.columns else pd.Series([""] * n, index=frame.index)
    recalled = pd.to_numeric(raw_recalled.where(raw_recalled.astype(str).str.strip() != ""), errors="coerce")
    line = np.arange(n) + 2
    for mask, message in (
        (learner == "", "learner: is empty (give each learner an id)"),
        (concept == "", "concept: is empty (give the concept id)"),
        (~effect.isin(_EFFECTS), f"effect: must be one of {', '.join(_EFFECTS)}"),
        (~(day >= 0) | ~np.isfinite(day.fillna(-1)), "day: must be a number of days >= 0"),
        (
            (effect == MemoryEffect.RETRIEVE.value) & ~recalled.isin([0, 1]),
            "recalled: a retrieval needs 0 (missed) or 1 (recalled)",
        ),
    ):
        bad = np.flatnonzero(np.asarray(mask, dtype=bool))
        for index in bad[:_MAX_PROBLEMS]:
            got = {
                "learner": frame["learner"],
                "concept": frame["concept"],
                "effect": frame["effect"],
                "day": frame["day"],
                "recalled": raw_recalled,
            }[message.partition(":")[0]].iloc[index]
            problems.append(f"line {line[index]}, {message} (got {got!r})")
        if len(bad) > _MAX_PROBLEMS:
            problems.append(f"{message.partition(':')[0]}: {len(bad) - _MAX_PROBLEMS} more rows like these")
    if problems:
        raise _fail(source, problems, "correct these rows (see the events format in workbench.calibrate.data)")
    if n == 0:
        raise DataError(f"{source}: no rows; fix: give at least one event")
    out = pd.DataFrame(
        {
            "learner": learner.to_numpy(),
            "concept": concept.to_numpy(),
            "day": day.to_numpy(dtype=float),
            "effect": effect.to_numpy(),
            "recalled": np.where(effect == MemoryEffect.RETRIEVE.value, recalled.fillna(-1), -1).astype(np.int8),
        }
    )
    for column in frame.columns:
        if column not in EVENT_COLUMNS:
            out[column] = frame[column].to_numpy()
    out["line"] = line
    return out.sort_values(["learner", "concept", "day"], kind="stable").reset_index(drop=True)


def read_observations(data: Any, *, source: str | None = None) -> Observations:
    """Read observed outcomes from a CSV path or a DataFrame, detecting their shape.

    Parameters
    ----------
    data : str, path or DataFrame
        Per-learner events (``learner, concept, day, effect, recalled``) or grouped outcomes
        (``history, test_day, recalled, n``); other columns are kept (e.g. for holdout).
    source : str, optional
        How to name the data in messages and in a calibration (default: the file name).

    Raises
    ------
    DataError
        Listing every bad row with its CSV line, column and a fix.

    Examples
    --------
    >>> obs = read_observations(pd.DataFrame({"history": ["0:encode", "0:encode;1:retrieve"],
    ...                                       "test_day": [7, 8], "recalled": [0.7, 0.9], "n": [50, 50]}))
    >>> obs.kind, obs.rows
    ('grouped', 2)
    """
    frame, where = _read_frame(data)
    name = source or where
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    kind = _detect(list(frame.columns), name)
    clean = _grouped(frame, name) if kind == "grouped" else _events(frame, name)
    extra = tuple(
        c for c in clean.columns if c not in (*EVENT_COLUMNS, *GROUPED_COLUMNS, "touches", "delay_days", "line")
    )
    return Observations(kind, clean, name, extra)
