"""A strict checker for the review page: well-formed HTML5 that needs no network or other file.

html5lib is not installed in the project's environment, so this uses the standard library's
``html.parser`` with the rules a report must keep: one doctype, one ``html``/``head``/``body``
(in that order), every non-void element closed in order, no stray end tags, unique ids,
every ``img`` with a non-empty ``alt`` and a ``data:`` source, no ``script``, no external
or relative ``src``/``href`` (only ``#fragment`` links and ``data:`` URIs), no ``@import``
or ``url(http...)`` in CSS, and internal links that point at an existing id.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
URL_ATTRIBUTES = {"src", "href", "srcset", "poster", "action", "formaction", "data", "background", "xlink:href"}


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.stack: list[str] = []
        self.counts: dict[str, int] = {}
        self.order: list[str] = []
        self.ids: dict[str, int] = {}
        self.links: list[str] = []
        self.images: list[dict[str, str | None]] = []
        self.doctypes: list[str] = []
        self.in_style = False
        self.css: list[str] = []
        self.seen_element = False

    def _where(self) -> str:
        line, col = self.getpos()
        return f"line {line}, col {col}"

    def handle_decl(self, decl: str) -> None:
        if self.seen_element:
            self.problems.append(f"{self._where()}: doctype after the first element")
        self.doctypes.append(decl)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.seen_element = True
        self.counts[tag] = self.counts.get(tag, 0) + 1
        if tag in ("html", "head", "body"):
            self.order.append(tag)
        if tag == "script":
            self.problems.append(f"{self._where()}: <script> (the report must work without scripts)")
        names = [name for name, _ in attrs]
        duplicates = {n for n in names if names.count(n) > 1}
        if duplicates:
            self.problems.append(f"{self._where()}: <{tag}> repeats attribute(s) {sorted(duplicates)}")
        values = dict(attrs)
        for name, value in attrs:
            if name == "id":
                if not value:
                    self.problems.append(f"{self._where()}: empty id on <{tag}>")
                else:
                    self.ids[value] = self.ids.get(value, 0) + 1
            if name in URL_ATTRIBUTES:
                self._check_url(tag, name, value or "")
            if name == "style" and value:
                self.css.append(value)
        if tag == "a" and (values.get("href") or "").startswith("#"):
            self.links.append((values.get("href") or "")[1:])
        if tag == "img":
            self.images.append(values)
            if not (values.get("alt") or "").strip():
                self.problems.append(f"{self._where()}: <img> without alt text")
        if tag == "style":
            self.in_style = True
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID:
            self.problems.append(f"{self._where()}: self-closing <{tag}/> is not valid HTML for a non-void element")
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            self.problems.append(f"{self._where()}: end tag </{tag}> of a void element")
            return
        if not self.stack:
            self.problems.append(f"{self._where()}: stray </{tag}>")
            return
        if self.stack[-1] != tag:
            self.problems.append(f"{self._where()}: </{tag}> closes <{self.stack[-1]}> (open: {self.stack})")
            if tag in self.stack:
                while self.stack and self.stack[-1] != tag:
                    self.stack.pop()
                self.stack.pop()
            return
        self.stack.pop()
        if tag == "style":
            self.in_style = False

    def handle_data(self, data: str) -> None:
        if self.in_style:
            self.css.append(data)

    def _check_url(self, tag: str, name: str, value: str) -> None:
        url = value.strip()
        if url.startswith("data:"):
            return
        if name == "href" and tag == "a" and url.startswith("#") and len(url) > 1:
            return
        self.problems.append(f"{self._where()}: <{tag} {name}={url[:60]!r}> points outside the file")


def check_html(text: str) -> list[str]:
    """Every problem found in ``text`` (empty when the page is well-formed and self-contained)."""
    checker = _Checker()
    checker.feed(text)
    checker.close()
    problems = list(checker.problems)
    if len(checker.doctypes) != 1 or checker.doctypes[0].lower() != "doctype html":
        problems.append(f"expected exactly one <!DOCTYPE html>, found {checker.doctypes}")
    for tag in ("html", "head", "body", "title", "main"):
        if checker.counts.get(tag, 0) != 1:
            problems.append(f"expected one <{tag}>, found {checker.counts.get(tag, 0)}")
    if checker.order != ["html", "head", "body"]:
        problems.append(f"html/head/body out of order: {checker.order}")
    if checker.stack:
        problems.append(f"unclosed elements at the end: {checker.stack}")
    problems += [f"id {i!r} used {n} times" for i, n in checker.ids.items() if n > 1]
    problems += [f"link to #{t} but no element has that id" for t in checker.links if t not in checker.ids]
    for image in checker.images:
        if not (image.get("src") or "").startswith("data:image/"):
            problems.append(f"<img> source is not an embedded image: {(image.get('src') or '')[:60]!r}")
    css = "\n".join(checker.css)
    if re.search(r"@import|url\(\s*['\"]?(?!data:)", css):
        problems.append("CSS loads something from outside the file (@import or url())")
    if 'lang="' not in text[:300]:
        problems.append("<html> has no lang attribute")
    if '<meta charset="utf-8">' not in text[:1000]:
        problems.append('no <meta charset="utf-8"> near the top')
    return problems


def images(text: str) -> list[dict[str, str | None]]:
    """Return the attributes of every ``img`` in ``text``."""
    checker = _Checker()
    checker.feed(text)
    checker.close()
    return checker.images
