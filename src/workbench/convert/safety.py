"""Untrusted sources: bounds checked before any parser sees the bytes.

Decks, documents and course packages are ZIP files of XML, and they come from colleagues,
LMS exports and the web. Before a reader opens one, :func:`check_zip` refuses members with
absolute or parent paths (zip-slip), too many members, members or totals that expand past the
limits or at a suspicious ratio (zip bombs), and XML that declares entities (XXE and
"billion laughs"). :func:`parse_xml` parses with entity resolution, DTD loading and network
access off. Macros are never run: nothing here executes content.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from workbench.errors import SourceError

__all__ = ["DEFAULT_LIMITS", "SourceLimits", "check_file", "check_zip", "parse_xml", "read_member"]

_MB = 1024 * 1024


@dataclass(frozen=True)
class SourceLimits:
    """Bounds for one source file; every refusal names the bound and how to raise it.

    Parameters
    ----------
    max_file_bytes : int
        Size of the file itself (default 100 MB).
    max_members : int
        Entries of a ZIP (default 5,000).
    max_member_bytes : int
        Uncompressed size of one ZIP entry (default 100 MB).
    max_total_bytes : int
        Uncompressed size of all entries (default 500 MB).
    max_ratio : float
        Uncompressed / compressed size of an entry above 1 MB (default 200; ordinary XML
        compresses 5-20 times, zip bombs thousands of times).
    """

    max_file_bytes: int = 100 * _MB
    max_members: int = 5000
    max_member_bytes: int = 100 * _MB
    max_total_bytes: int = 500 * _MB
    max_ratio: float = 200.0


DEFAULT_LIMITS = SourceLimits()

_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)


def _size(n: float) -> str:
    return f"{n / _MB:.0f} MB" if n >= _MB else f"{n:.0f} bytes"


def _refuse(path: Path | str, what: str, fix: str) -> SourceError:
    return SourceError(f"{path}: {what}; {fix}")


def check_file(path: Path, limits: SourceLimits = DEFAULT_LIMITS) -> int:
    """Refuse a missing, unreadable or oversized source file; return its size in bytes."""
    if not path.exists():
        raise _refuse(path, "no such file", "check the path")
    if not path.is_file():
        raise _refuse(path, "not a regular file", "give a file, not a folder or a device")
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        raise _refuse(
            path,
            f"refused: {_size(size)} is over the {_size(limits.max_file_bytes)} limit for one source",
            "split the source, or raise SourceLimits.max_file_bytes if you trust the file",
        )
    if size == 0:
        raise _refuse(path, "the file is empty", "export the source again")
    return size


def _unsafe_name(name: str) -> str | None:
    if "\x00" in name:
        return "a NUL byte in its name"
    posix = name.replace("\\", "/")
    if posix.startswith("/") or re.match(r"^[A-Za-z]:", posix):
        return "an absolute path"
    if ".." in PurePosixPath(posix).parts:
        return "a '..' path that points outside the package"
    return None


def check_zip(path: Path, limits: SourceLimits = DEFAULT_LIMITS) -> zipfile.ZipFile:
    """Open a ZIP source after checking every entry's name and sizes; the caller closes it.

    Raises
    ------
    SourceError
        For a file that is not a ZIP, an entry with an absolute or ``..`` path (zip-slip),
        too many entries, an entry or a total that expands past the limits, or an entry that
        expands at a bomb's ratio.
    """
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise _refuse(path, f"not a readable ZIP package ({exc})", "save or export the file again") from None
    try:
        infos = archive.infolist()
        if len(infos) > limits.max_members:
            raise _refuse(
                path,
                f"refused: {len(infos)} entries, over the limit of {limits.max_members}",
                "this is not an ordinary deck, document or course package",
            )
        total = 0
        for info in infos:
            problem = _unsafe_name(info.filename)
            if problem is not None:
                raise _refuse(
                    path,
                    f"refused: entry {info.filename!r} has {problem} (a zip-slip attack)",
                    "do not open this file; ask for a clean export",
                )
            total += info.file_size
            if info.file_size > limits.max_member_bytes:
                raise _refuse(
                    path,
                    f"refused: entry {info.filename!r} expands to {_size(info.file_size)}, over the "
                    f"{_size(limits.max_member_bytes)} limit",
                    "this looks like a zip bomb; raise SourceLimits.max_member_bytes only if you trust the file",
                )
            if info.file_size > _MB and info.file_size > limits.max_ratio * max(info.compress_size, 1):
                raise _refuse(
                    path,
                    f"refused: entry {info.filename!r} expands {info.file_size / max(info.compress_size, 1):.0f} "
                    "times (a zip bomb's ratio)",
                    "ask for a clean export of the source",
                )
        if total > limits.max_total_bytes:
            raise _refuse(
                path,
                f"refused: its entries expand to {_size(total)} in all, over the {_size(limits.max_total_bytes)} limit",
                "this looks like a zip bomb; raise SourceLimits.max_total_bytes only if you trust the file",
            )
        for info in infos:
            if (
                info.filename.lower().endswith((".xml", ".rels", ".xsd"))
                or info.filename.lower() == "[content_types].xml"
            ):
                _check_xml_prolog(path, info.filename, read_member(archive, info.filename, path, limits))
    except BaseException:
        archive.close()
        raise
    return archive


def read_member(archive: zipfile.ZipFile, name: str, path: Path, limits: SourceLimits = DEFAULT_LIMITS) -> bytes:
    """Read one ZIP entry, never more than the per-entry limit (sizes in headers can lie)."""
    try:
        with archive.open(name) as handle:
            data = handle.read(limits.max_member_bytes + 1)
    except KeyError:
        raise _refuse(path, f"the package has no entry {name!r}", "check that the package is complete") from None
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise _refuse(path, f"entry {name!r} cannot be read ({exc})", "export the package again") from None
    if len(data) > limits.max_member_bytes:
        raise _refuse(path, f"refused: entry {name!r} expands past its declared size", "ask for a clean export")
    return data


def _check_xml_prolog(path: Path | str, part: str, data: bytes) -> None:
    """Refuse XML that declares entities; a DOCTYPE alone (XHTML) is harmless when not loaded."""
    head = data[:65536]
    if _DOCTYPE.search(head) and _ENTITY_DECLARATION.search(head):
        raise _refuse(
            path,
            f"refused: {part} declares XML entities (an XXE or entity-expansion attack)",
            "ordinary decks, documents and packages never do; ask for a clean export",
        )


def parse_xml(data: bytes, path: Path | str, part: str) -> Any:
    """Parse XML with entities, DTDs and the network off; errors name the file and part."""
    from lxml import etree

    _check_xml_prolog(path, part, data)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        return etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise _refuse(
            path, f"{part} is not well-formed XML (line {exc.lineno}: {exc.msg})", "export it again"
        ) from None
