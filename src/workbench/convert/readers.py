"""Readers: legacy sources into :class:`~workbench.convert.outline.Outline` values.

One function per format, chosen by :func:`read_source` from the file's suffix (and, for ZIP
packages, from the manifest inside). Every reader checks the file against
:class:`~workbench.convert.safety.SourceLimits` first; ZIP-based formats (pptx, docx, SCORM
and cmi5 packages) are checked entry by entry before any parser opens them. The parsing
libraries (python-pptx, python-docx, pypdf, webvtt-py, markdown-it-py, lxml) are imported
only when a file of their format is read.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from workbench.convert.outline import Block, BlockKind, Outline, Provenance, Section, format_seconds
from workbench.convert.safety import DEFAULT_LIMITS, SourceLimits, check_file, check_zip, parse_xml, read_member
from workbench.errors import SourceError

__all__ = ["FORMATS", "read_source", "read_sources"]

#: Minutes a slide of a live deck takes in the room (a planning figure, stated in reports).
MINUTES_PER_SLIDE = 3.0
#: Reading speed for documents and course pages (words per minute).
READING_WPM = 200.0


def _minutes_reading(sections: Iterable[Section]) -> float:
    return round(sum(s.words for s in sections if not s.hidden) / READING_WPM, 1)


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u000b", " ")).strip()


# ---- PowerPoint ------------------------------------------------------------------------------


def _shape_blocks(shape: Any, where: Provenance, skip_id: int | None) -> Iterator[Block]:
    if shape.shape_id == skip_id:  # the title (python-pptx makes a new proxy per access: compare ids)
        return
    if getattr(shape, "shape_type", None) is not None and hasattr(shape, "shapes"):  # a group
        for inner in shape.shapes:
            yield from _shape_blocks(inner, where, skip_id)
        return
    if getattr(shape, "has_table", False):
        for row in shape.table.rows:
            cells = [_clean(cell.text) for cell in row.cells]
            if any(cells):
                yield Block(BlockKind.TABLE, " | ".join(cells), where)
        return
    if not getattr(shape, "has_text_frame", False):
        return
    for paragraph in shape.text_frame.paragraphs:
        text = _clean("".join(run.text for run in paragraph.runs) or paragraph.text)
        if not text:
            continue
        bold = tuple(_clean(r.text) for r in paragraph.runs if r.font.bold and _clean(r.text))
        kind = BlockKind.BULLET if paragraph.level > 0 or len(shape.text_frame.paragraphs) > 1 else BlockKind.TEXT
        yield Block(kind, text, where, level=paragraph.level, emphasis=bold)


def read_pptx(path: Path, limits: SourceLimits = DEFAULT_LIMITS) -> Outline:
    """Read a PowerPoint deck: slide titles, bullets with levels, bold terms, tables, notes.

    Hidden slides are read and marked hidden (the analysis drops them, saying so).
    """
    check_file(path, limits)
    with check_zip(path, limits) as archive:
        macros = any(name.lower().endswith("vbaproject.bin") for name in archive.namelist())
    from pptx import Presentation

    try:
        deck = Presentation(str(path))
    except Exception as exc:  # python-pptx raises several types for a broken package
        raise SourceError(f"{path}: not a readable PowerPoint deck ({exc}); save it again as .pptx") from None
    sections = []
    for number, slide in enumerate(deck.slides, start=1):
        where = Provenance(path.name, f"slide {number}")
        title_shape = slide.shapes.title
        title = _clean(title_shape.text) if title_shape is not None and title_shape.has_text_frame else ""
        # document (z-) order: authoring tools add shapes in reading order, and resolving the
        # positions that placeholders inherit from their layouts costs more than reading the deck
        shapes = list(slide.shapes)
        skip_id = title_shape.shape_id if title_shape is not None else None
        blocks = [b for shape in shapes for b in _shape_blocks(shape, where, skip_id)]
        if slide.has_notes_slide and slide.notes_slide.notes_text_frame is not None:
            note_where = Provenance(path.name, f"slide {number} notes")
            for paragraph in slide.notes_slide.notes_text_frame.paragraphs:
                text = _clean(paragraph.text)
                if text:
                    blocks.append(Block(BlockKind.NOTE, text, note_where))
        if not title and blocks:
            title = next((b.text for b in blocks if b.kind is not BlockKind.NOTE), "")[:120]
        hidden = slide._element.get("show") == "0"  # python-pptx has no public flag for hidden slides
        sections.append(Section(title or f"Slide {number}", tuple(blocks), where, hidden=hidden))
    notes = []
    if hidden_count := sum(s.hidden for s in sections):
        notes.append(f"{hidden_count} hidden slide(s) read but not converted")
    if macros:
        notes.append("the file carries macros; they were ignored (never run)")
    core_title = _clean(deck.core_properties.title or "")
    title = core_title or (sections[0].title if sections else path.stem)
    minutes = MINUTES_PER_SLIDE * sum(not s.hidden for s in sections)
    return Outline(path.name, "pptx", title, tuple(sections), minutes, tuple(notes))


# ---- Word ------------------------------------------------------------------------------------


def read_docx(path: Path, limits: SourceLimits = DEFAULT_LIMITS) -> Outline:
    """Read a Word document: headings start sections; lists, bold terms and tables are kept."""
    check_file(path, limits)
    with check_zip(path, limits):
        pass
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several types for a broken package
        raise SourceError(f"{path}: not a readable Word document ({exc}); save it again as .docx") from None
    doc_title = _clean(document.core_properties.title or "") or path.stem
    sections: list[Section] = []
    current_blocks: list[Block] = []
    current_title, current_where = doc_title, Provenance(path.name, "start")
    number = 0

    def close() -> None:
        if current_blocks or current_title != doc_title:
            sections.append(Section(current_title, tuple(current_blocks), current_where))

    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "tbl":
            for row in Table(child, document).rows:
                cells = [_clean(c.text) for c in row.cells]
                if any(cells):
                    current_blocks.append(Block(BlockKind.TABLE, " | ".join(dict.fromkeys(cells)), current_where))
            continue
        if tag != "p":
            continue
        paragraph = Paragraph(child, document)
        text = _clean(paragraph.text)
        if not text:
            continue
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        heading = re.match(r"^(?:Heading (\d)|Title)$", style)
        if heading:
            level = int(heading.group(1) or 0)
            if level <= 2:
                close()
                number += 1
                current_title, current_blocks = text, []
                current_where = Provenance(path.name, f"section {number} ('{text[:60]}')")
                continue
            current_blocks.append(Block(BlockKind.HEADING, text, current_where, level=level))
            continue
        bold = tuple(_clean(r.text) for r in paragraph.runs if r.bold and _clean(r.text))
        listed = style.startswith("List") or child.find(".//{*}numPr") is not None
        kind = BlockKind.BULLET if listed else BlockKind.TEXT
        if "Number" in style:
            text = f"{sum(1 for b in current_blocks if b.kind is BlockKind.BULLET) + 1}. {text}"
        current_blocks.append(Block(kind, text, current_where, emphasis=bold))
    close()
    return Outline(path.name, "docx", doc_title, tuple(sections), _minutes_reading(sections))


# ---- Markdown and HTML -------------------------------------------------------------------------


def read_markdown(path: Path, limits: SourceLimits = DEFAULT_LIMITS) -> Outline:
    """Read Markdown: ``#``/``##`` headings start sections; lists, tables and bold are kept."""
    check_file(path, limits)
    text = _decode(path)
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    sections: list[Section] = []
    title = path.stem
    current_title, blocks, where = "", [], Provenance(path.name, "line 1")
    pending: str | None = None
    list_stack: list[list[int]] = []  # per open list: [ordered?, counter]
    row: list[str] = []
    in_cell = False
    for token in tokens:
        if token.type in ("th_open", "td_open", "th_close", "td_close"):
            in_cell = token.type.endswith("_open")
        elif token.type == "heading_open":
            pending = token.tag
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            list_stack.append([token.type.startswith("ordered"), 0])
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            list_stack.pop()
        elif token.type == "tr_open":
            row = []
        elif token.type == "tr_close" and any(row):
            blocks.append(Block(BlockKind.TABLE, " | ".join(row), where))
        elif token.type == "inline":
            line = (token.map or [0])[0] + 1
            content = _clean(token.content)
            content = re.sub(r"[*_`]{1,3}", "", content)
            bold = tuple(
                _clean(c.content)
                for i, c in enumerate(token.children or [])
                if c.type == "text" and i > 0 and (token.children or [])[i - 1].type == "strong_open"
            )
            if pending is not None:
                level = int(pending[1])
                pending = None
                if level == 1 and not sections and not blocks and not current_title:
                    title = content
                if level <= 2:
                    if current_title or blocks:
                        sections.append(Section(current_title or title, tuple(blocks), where))
                    current_title, blocks = content, []
                    where = Provenance(path.name, f"line {line}")
                else:
                    blocks.append(Block(BlockKind.HEADING, content, where, level=level))
            elif in_cell:
                row.append(content)
            elif list_stack:
                list_stack[-1][1] += 1
                prefix = f"{list_stack[-1][1]}. " if list_stack[-1][0] else ""
                blocks.append(
                    Block(BlockKind.BULLET, prefix + content, where, level=len(list_stack) - 1, emphasis=bold)
                )
            elif content:
                blocks.append(Block(BlockKind.TEXT, content, where, emphasis=bold))
    if current_title or blocks:
        sections.append(Section(current_title or title, tuple(blocks), where))
    return Outline(path.name, "markdown", title, tuple(sections), _minutes_reading(sections))


def _decode(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SourceError(f"{path}:{line}: not UTF-8 text; save the file as UTF-8") from None


def _html_sections(html: bytes | str, file: str, default_title: str, locator: str) -> tuple[str, list[Section]]:
    """Sections of an HTML page: ``h1``/``h2`` start sections; paragraphs, items, rows kept."""
    import lxml.html
    from lxml import etree

    if isinstance(html, bytes) and html.lstrip()[:5].lower().startswith(b"<?xml"):
        html = html.decode("utf-8", errors="replace")
        html = re.sub(r"^\s*<\?xml[^>]*\?>", "", html)
    try:
        root = lxml.html.document_fromstring(html or "<html></html>")
    except (etree.ParserError, ValueError) as exc:
        raise SourceError(f"{file}: {locator} is not readable HTML ({exc}); export it again") from None
    for bad in root.xpath("//script|//style|//noscript|//template"):
        bad.drop_tree()
    page_title = _clean(" ".join(root.xpath("//title//text()"))) or default_title
    sections: list[Section] = []
    title, blocks = "", list[Block]()
    where = Provenance(file, locator)
    heads = 0
    for element in root.iter("h1", "h2", "h3", "h4", "p", "li", "tr", "dt", "dd", "blockquote"):
        text = _clean(element.text_content())
        if not text:
            continue
        tag = element.tag
        bold = tuple(_clean(b.text_content()) for b in element.iter("b", "strong", "dfn") if _clean(b.text_content()))
        if tag in ("h1", "h2"):
            if title or blocks:
                sections.append(Section(title or page_title, tuple(blocks), where))
            heads += 1
            title, blocks = text, []
            where = Provenance(file, f"{locator}, heading {heads} ('{text[:60]}')" if locator else f"heading {heads}")
        elif tag in ("h3", "h4"):
            blocks.append(Block(BlockKind.HEADING, text, where, level=int(tag[1])))
        elif tag == "tr":
            cells = [_clean(c.text_content()) for c in element.iter("td", "th")]
            blocks.append(Block(BlockKind.TABLE, " | ".join(cells), where))
        elif tag == "li":
            parent = element.getparent()
            prefix = f"{parent.index(element) + 1}. " if parent is not None and parent.tag == "ol" else ""
            blocks.append(Block(BlockKind.BULLET, prefix + text, where, emphasis=bold))
        elif element.getparent() is None or element.getparent().tag not in ("li", "td", "th"):
            blocks.append(Block(BlockKind.TEXT, text, where, emphasis=bold))
    if title or blocks:
        sections.append(Section(title or page_title, tuple(blocks), where))
    return page_title, sections


def read_html(path: Path, limits: SourceLimits = DEFAULT_LIMITS) -> Outline:
    """Read an HTML page (scripts and styles removed; nothing is fetched or run)."""
    check_file(path, limits)
    title, sections = _html_sections(path.read_bytes(), path.name, path.stem, "")
    return Outline(path.name, "html", title, tuple(sections), _minutes_reading(sections))


# ---- PDF -------------------------------------------------------------------------------------

_PDF_HEADING = re.compile(r"^(?:\d+(?:\.\d+)*\.?\s+)?[A-Z][^.!?;:]{2,70}$")


def read_pdf(path: Path, limits: SourceLimits = DEFAULT_LIMITS) -> Outline:
    """Read a PDF's text (pypdf): short title-like lines start sections; pages are the locators."""
    check_file(path, limits)
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            raise SourceError(f"{path}: the PDF is encrypted; export an unprotected copy")
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise SourceError(f"{path}: not a readable PDF ({exc}); export it again") from None
    metadata_title = _clean(str(reader.metadata.get("/Title", "") or "")) if reader.metadata else ""
    sections: list[Section] = []
    blocks: list[Block] = []
    title, where = "", Provenance(path.name, "page 1")
    for number, page in enumerate(pages, start=1):
        lines = [_clean(line) for line in page.splitlines() if _clean(line)]
        for index, line in enumerate(lines):
            nxt = lines[index + 1] if index + 1 < len(lines) else ""
            first_line = number == 1 and index == 0
            looks_heading = (
                bool(_PDF_HEADING.match(line)) and len(line.split()) <= 10 and (len(nxt) > len(line) or first_line)
            )
            if looks_heading and not line.startswith(("-", "\u2022")):
                if title or blocks:
                    sections.append(Section(title or path.stem, tuple(blocks), where))
                title, blocks, where = line, [], Provenance(path.name, f"page {number}")
            else:
                bullet = line.startswith(("-", "\u2022", "*")) or bool(re.match(r"^\d+[.)]\s", line))
                text = line.lstrip("-\u2022* ").strip() if not re.match(r"^\d+[.)]\s", line) else line
                kind = BlockKind.BULLET if bullet else BlockKind.TEXT
                blocks.append(Block(kind, text, Provenance(path.name, f"page {number}")))
    if title or blocks:
        sections.append(Section(title or path.stem, tuple(blocks), where))
    doc_title = metadata_title or (sections[0].title if sections else path.stem)
    return Outline(path.name, "pdf", doc_title, tuple(sections), _minutes_reading(sections))


# ---- transcripts (WebVTT, SRT) -----------------------------------------------------------------

_SPEAKER_PREFIX = re.compile(r"^\s*([A-Z][\w .'\-]{0,40}?)\s*:\s+(.+)$")


def read_transcript(path: Path, limits: SourceLimits = DEFAULT_LIMITS) -> Outline:
    """Read a WebVTT or SRT transcript: timed cues with speakers, grouped into speaker turns.

    Speakers come from WebVTT voice tags (``<v Ana>``) or a ``Name:`` prefix on the cue.
    """
    check_file(path, limits)
    import webvtt
    from webvtt.errors import MalformedFileError

    _decode(path)  # a clear error for non-UTF-8 files before the parser's own
    try:
        captions = webvtt.from_srt(str(path)) if path.suffix.lower() == ".srt" else webvtt.read(str(path))
    except (MalformedFileError, ValueError) as exc:
        raise SourceError(
            f"{path}: not a readable {path.suffix[1:].upper()} transcript ({exc}); check its format"
        ) from None
    cues: list[Block] = []
    speaker = "Speaker"
    for caption in captions.captions:
        text = _clean(caption.text)
        if not text:
            continue
        voice = getattr(caption, "voice", None)
        match = _SPEAKER_PREFIX.match(text)
        if voice:
            speaker = _clean(voice)
        elif match:
            speaker, text = match.group(1).strip(), match.group(2).strip()
        start, end = float(caption.start_in_seconds), float(caption.end_in_seconds)
        where = Provenance(path.name, f"{format_seconds(start)}-{format_seconds(end)}")
        cues.append(Block(BlockKind.CUE, text, where, speaker=speaker, start_s=start, end_s=end))
    if not cues:
        raise SourceError(f"{path}: the transcript has no cues with text; check that it is the right file")
    sections: list[Section] = []
    turn: list[Block] = []
    for cue in cues:
        if turn and cue.speaker != turn[0].speaker:
            sections.append(_turn(turn, path.name))
            turn = []
        turn.append(cue)
    sections.append(_turn(turn, path.name))
    minutes = round((cues[-1].end_s or 0.0) / 60.0, 1)
    return Outline(path.name, "transcript", path.stem.replace("_", " "), tuple(sections), minutes)


def _turn(cues: list[Block], file: str) -> Section:
    start, end = cues[0].start_s or 0.0, cues[-1].end_s or 0.0
    where = Provenance(file, f"{format_seconds(start)}-{format_seconds(end)}")
    return Section(f"{cues[0].speaker} at {format_seconds(start)}", tuple(cues), where)


# ---- packaged courses (SCORM 1.2 / 2004, cmi5) ------------------------------------------------


def _local(tag: Any) -> str:
    return str(tag).rsplit("}", 1)[-1]


def _children(element: Any, name: str) -> list[Any]:
    return [c for c in element if _local(c.tag) == name]


def read_package(path: Path, limits: SourceLimits = DEFAULT_LIMITS) -> Outline:
    """Read a SCORM 1.2 / 2004 or cmi5 package: the organisation's items and each page's text."""
    check_file(path, limits)
    with check_zip(path, limits) as archive:
        names = {n.lower(): n for n in archive.namelist()}
        if "imsmanifest.xml" in names:
            return _read_scorm(path, archive, names["imsmanifest.xml"], limits)
        if "cmi5.xml" in names:
            return _read_cmi5(path, archive, names["cmi5.xml"], limits)
    raise SourceError(
        f"{path}: a ZIP with neither imsmanifest.xml (SCORM) nor cmi5.xml (cmi5) at its root; "
        "give a course package, a .pptx or a .docx"
    )


def _page_sections(
    path: Path, archive: Any, href: str, title: str, locator: str, limits: SourceLimits
) -> list[Section]:
    member = str(PurePosixPath(href.split("?", 1)[0].split("#", 1)[0]))
    if member not in archive.namelist():
        return [Section(title, (), Provenance(path.name, locator))]
    html = read_member(archive, member, path, limits)
    _, sections = _html_sections(html, path.name, title, locator)
    if not sections:
        return [Section(title, (), Provenance(path.name, locator))]
    first = sections[0]
    # the manifest's title names the unit; the page's own first heading becomes a block
    head = () if first.title == title else (Block(BlockKind.HEADING, first.title, first.provenance, level=2),)
    merged = Section(title, head + first.blocks, Provenance(path.name, locator))
    return [merged, *sections[1:]]


def _read_scorm(path: Path, archive: Any, manifest_name: str, limits: SourceLimits) -> Outline:
    root = parse_xml(read_member(archive, manifest_name, path, limits), path, manifest_name)
    version_text = " ".join(e.text or "" for e in root.iter() if _local(e.tag) == "schemaversion")
    version = "SCORM 1.2" if "1.2" in version_text else "SCORM 2004"
    resources = {r.get("identifier"): r for r in root.iter() if _local(r.tag) == "resource"}
    organizations = [o for o in root.iter() if _local(o.tag) == "organization"]
    if not organizations:
        raise SourceError(f"{path}: imsmanifest.xml has no <organization>; the package is incomplete")
    organization = organizations[0]
    course_title = _clean(" ".join(t.text or "" for t in _children(organization, "title"))) or path.stem
    sections: list[Section] = []

    def walk(item: Any) -> None:
        title = _clean(" ".join(t.text or "" for t in _children(item, "title"))) or item.get("identifier", "item")
        ref = item.get("identifierref")
        if ref and ref in resources and resources[ref].get("href"):
            base = resources[ref].get("{http://www.w3.org/XML/1998/namespace}base") or ""
            href = base + resources[ref].get("href")
            locator = f"SCO '{item.get('identifier')}' ({href})"
            sections.extend(_page_sections(path, archive, href, title, locator, limits))
        for child in _children(item, "item"):
            walk(child)

    for item in _children(organization, "item"):
        walk(item)
    outline_sections = tuple(sections)
    return Outline(
        path.name, "scorm", course_title, outline_sections, _minutes_reading(outline_sections), (f"read as {version}",)
    )


def _read_cmi5(path: Path, archive: Any, name: str, limits: SourceLimits) -> Outline:
    root = parse_xml(read_member(archive, name, path, limits), path, name)

    def text_of(element: Any, child: str) -> str:
        for c in _children(element, child):
            return _clean(" ".join(x.text or "" for x in c.iter() if _local(x.tag) == "langstring"))
        return ""

    course = next((e for e in root if _local(e.tag) == "course"), None)
    course_title = text_of(course, "title") if course is not None else path.stem
    sections: list[Section] = []
    for au in (e for e in root.iter() if _local(e.tag) == "au"):
        title = text_of(au, "title") or au.get("id", "AU")
        url = next((_clean(u.text or "") for u in _children(au, "url")), "")
        locator = f"AU '{title[:60]}' ({url})"
        if url and "://" not in url:
            sections.extend(_page_sections(path, archive, url, title, locator, limits))
        else:
            description = text_of(au, "description")
            blocks = (Block(BlockKind.TEXT, description, Provenance(path.name, locator)),) if description else ()
            sections.append(Section(title, blocks, Provenance(path.name, locator)))
    outline_sections = tuple(sections)
    return Outline(path.name, "cmi5", course_title or path.stem, outline_sections, _minutes_reading(outline_sections))


# ---- dispatch --------------------------------------------------------------------------------

Reader = Callable[[Path, SourceLimits], Outline]

#: Suffix -> reader. ZIP packages are SCORM or cmi5 (told apart by their manifest).
FORMATS: dict[str, Reader] = {
    ".pptx": read_pptx,
    ".docx": read_docx,
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".html": read_html,
    ".htm": read_html,
    ".pdf": read_pdf,
    ".vtt": read_transcript,
    ".srt": read_transcript,
    ".zip": read_package,
}

_MACRO_SUFFIXES = (".pptm", ".docm", ".potm", ".dotm", ".ppsm")


def read_source(path: str | Path, limits: SourceLimits = DEFAULT_LIMITS) -> Outline:
    r"""Read one legacy source into an outline, choosing the reader by the file's suffix.

    Parameters
    ----------
    path : str or Path
        A ``.pptx``, ``.docx``, ``.md``, ``.html``, ``.pdf``, ``.vtt``, ``.srt`` file, or a
        SCORM / cmi5 package ``.zip``.
    limits : SourceLimits
        Bounds on size and ZIP contents (refusals name the bound).

    Raises
    ------
    SourceError
        Unknown format, unreadable or unsafe file; the message names the file and a fix.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> notes = pathlib.Path(tempfile.mkdtemp()) / "notes.md"
    >>> _ = notes.write_text("# Risk log\n\nEvery risk has an owner.\n")
    >>> outline = read_source(notes)
    >>> outline.format, [s.title for s in outline.sections]
    ('markdown', ['Risk log'])
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in _MACRO_SUFFIXES:
        raise SourceError(
            f"{path}: a macro-enabled file; save it as .pptx or .docx first (workbench never runs macros)"
        )
    reader = FORMATS.get(suffix)
    if reader is None:
        known = ", ".join(sorted(FORMATS))
        raise SourceError(f"{path}: unknown source type {path.suffix or '(none)'!r}; give one of {known}")
    return reader(path, limits)


def read_sources(paths: Iterable[str | Path], limits: SourceLimits = DEFAULT_LIMITS) -> tuple[Outline, ...]:
    """Read several sources (all are checked before any result is used)."""
    outlines = tuple(read_source(p, limits) for p in paths)
    if not outlines:
        raise SourceError("no sources given; name at least one file")
    return outlines


def outline_from_bytes(data: bytes, name: str, limits: SourceLimits = DEFAULT_LIMITS) -> Outline:
    """Read a source given as bytes (an upload), through a temporary file with its name."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="workbench-convert-") as folder:
        target = Path(folder) / Path(name).name
        with open(target, "wb") as handle:
            handle.write(data)
        return read_source(target, limits)
