"""HTML pages: the text of ``p`` elements, with their lines and columns; scripts, styles,
navigation, headers and footers left out, and headings, ``pre`` blocks, table rows and
comments too unless ``ReadConfig.skip_blocks`` counts them.

Parsed by lxml's HTML parser, which never fetches anything (no network, no
external DTD or entity); only HTML's own character references are read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING, Any

from dedup.config import MarkupBlock, ReadConfig
from dedup.errors import InputError
from dedup.readers.markup import Found, marker_of, markup_document, source_lines, squeeze
from dedup.records import Document
from dedup.segment import Block

if TYPE_CHECKING:
    from lxml.html import HtmlElement

#: Elements whose content is page furniture or code, never prose of the page.
FURNITURE = frozenset({"script", "style", "nav", "header", "footer", "noscript", "template"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_OPENING = re.compile(r"<\s*([A-Za-z][A-Za-z0-9]*)")


def recognise_html(text: str) -> bool:
    """Whether a text is an HTML page (it opens with a doctype or an ``html`` element)."""
    head = text.lstrip()[:15].lower()
    return head.startswith(("<!doctype html", "<html"))


def read_html(text: str, source: str, config: ReadConfig) -> Iterator[Document]:
    """The document of one HTML page: its paragraphs with their lines and columns."""
    from lxml import etree, html

    if not text.strip():
        yield markup_document(source, None, [], [])
        return
    try:
        # As UTF-8 bytes with the encoding named: a page's own charset or XML
        # declaration cannot make lxml decode the text a second time.
        root = html.document_fromstring(text.encode("utf-8", "surrogatepass"), parser=_parser())
    except (etree.ParserError, ValueError) as err:
        raise InputError(f"{source}: not readable as HTML: {err}") from err
    for line_break in root.iter("br"):
        # A line break separates words, as the browser shows them.
        line_break.tail = " " + (line_break.tail or "")
    lines = source_lines(text)
    locate = _Locator(lines)
    skipped = config.skipped()
    blocks: list[Block] = []
    markers: list[Found] = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            if element.tag is etree.Comment and element.sourceline:
                line, comment = element.sourceline, element.text or ""
                column = locate.column(line, "!--")
                marker = marker_of(comment)
                if marker is not None:
                    markers.append((line, column, marker))
                elif MarkupBlock.COMMENTS not in skipped and squeeze(comment):
                    blocks.append(Block(line, squeeze(comment), line, column))
            continue
        kind = _kind(element)
        if kind is False or (kind is not None and kind in skipped):
            continue
        text_of = squeeze(element.text_content())
        if text_of and element.sourceline:
            line = element.sourceline
            column = locate.column(line, element.tag)
            end = locate.end(line, column, element.tag, _last_line(element))
            blocks.append(Block(line, text_of, end, column))
    title = root.findtext(".//title")
    yield markup_document(source, squeeze(title) if title else None, blocks, markers)


def _kind(element: HtmlElement) -> MarkupBlock | bool | None:
    """The block kind of an element: None for a prose paragraph, False when it is no block."""
    tag = element.tag
    if tag not in ("p", "pre", "tr") and tag not in _HEADINGS:
        return False
    ancestors = {parent.tag for parent in element.iterancestors()}
    if ancestors & FURNITURE or ancestors & {"p", "pre"}:
        return False
    if tag in _HEADINGS:
        return MarkupBlock.HEADINGS
    if tag == "pre":
        return MarkupBlock.CODE
    if tag == "tr":
        return MarkupBlock.TABLES
    # A paragraph in a table cell is part of its row.
    return False if "table" in ancestors else None


def _last_line(element: HtmlElement) -> int:
    """The last source line lxml knows inside an element (its last descendant's)."""
    return max((e.sourceline or 0 for e in element.iter()), default=0)


class _Locator:
    """Columns and end lines, which lxml does not give: found in the source text.

    Elements come in document order, so the n-th opening ``<p`` of a line is
    the n-th ``p`` lxml reports on it.
    """

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.used: dict[tuple[int, str], int] = {}
        # Openings of each tag on a line, found once: a minified page is one long line.
        self.starts: dict[tuple[int, str], list[int]] = {}

    def column(self, line: int, tag: str) -> int:
        """1-based column of the next unclaimed opening of ``tag`` on ``line``."""
        key = (line, tag)
        starts = self.starts.get(key)
        if starts is None:
            text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
            if tag == "!--":
                starts = [m.start() for m in re.finditer("<!--", text)]
            else:
                wanted = tag.lower()
                starts = [
                    m.start() for m in _OPENING.finditer(text) if m.group(1).lower() == wanted
                ]
            self.starts[key] = starts
        claimed = self.used.get(key, 0)
        self.used[key] = claimed + 1
        return starts[claimed] + 1 if claimed < len(starts) else 1

    def end(self, line: int, column: int, tag: str, last: int) -> int:
        """The line of the element's closing tag, or of its last content when it has none."""
        closing = re.compile(rf"</\s*{re.escape(tag)}\s*>", re.IGNORECASE)
        opening = re.compile(rf"<\s*{re.escape(tag)}[\s>/]", re.IGNORECASE)
        for number in range(line - 1, len(self.lines)):
            text = self.lines[number]
            start = column if number == line - 1 else 0
            close = closing.search(text, start)
            reopen = opening.search(text, start)
            if close and (reopen is None or close.start() < reopen.start()):
                return number + 1
            if reopen is not None:
                break  # the next element of its kind opens: this one was never closed
        return max(line, last)


@cache
def _parser() -> Any:
    from lxml import html

    # No network and no huge trees; comments kept (they hold the ignore markers).
    return html.HTMLParser(
        encoding="utf-8", no_network=True, remove_comments=False, huge_tree=False
    )
