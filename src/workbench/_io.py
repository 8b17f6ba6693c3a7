"""Effects at the edge: atomic file writes (a failure never leaves a partial file)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

__all__ = ["atomic_writer", "write_atomic"]


def write_atomic(path: str | os.PathLike[str], data: bytes | str, *, encoding: str = "utf-8") -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename.

    Readers see either the old file or the complete new one, never a half-written file; if
    anything fails, the temporary file is removed and ``path`` is untouched.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> write_atomic(target, "hello").read_text()
    'hello'
    """
    target = Path(path)
    payload = data.encode(encoding) if isinstance(data, str) else data
    with _replacing(target, "wb") as handle:
        handle.write(payload)
    return target


@contextmanager
def atomic_writer(path: str | os.PathLike[str], *, encoding: str = "utf-8") -> Iterator[IO[str]]:
    r"""Open a text file to write in pieces that appears at ``path`` only when complete.

    Like :func:`write_atomic`, for output too large to hold in memory: written to a temporary
    file in the same folder, renamed on success, removed if the block raises.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.ndjson"
    >>> with atomic_writer(target) as handle:
    ...     _ = handle.write("{}\n")
    >>> target.read_text()
    '{}\n'
    """
    with _replacing(Path(path), "w", encoding=encoding) as handle:
        yield handle


@contextmanager
def _replacing(target: Path, mode: str, *, encoding: str | None = None) -> Iterator[IO[Any]]:
    """Open a temporary file next to ``target`` that replaces it when the block ends, or is removed."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, mode, encoding=encoding, newline=None if "b" in mode else "\n") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
