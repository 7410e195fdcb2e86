"""Markup files: inline ignore markers, and blocks as paragraph records.

A comment ``dedup: ignore`` in its own block leaves out the paragraph that
follows it; ``dedup: ignore-start`` ... ``dedup: ignore-end`` every paragraph
between them. Each format writes the comment its own way: ``<!-- dedup:
ignore -->`` in Markdown and HTML, ``.. dedup: ignore`` in reStructuredText,
and in plain text either of those or ``dedup: ignore`` on a line of its own.
A reader finds the markers with their lines; ``without_ignored`` applies them.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from enum import Enum

from dedup.records import Document, Paragraph
from dedup.segment import Block, split_paragraphs


class Marker(str, Enum):
    """What a marker comment asks for."""

    IGNORE = "ignore"
    START = "ignore-start"
    END = "ignore-end"


#: A marker found in a file: the line and column where it sits, and what it asks.
Found = tuple[int, int, Marker]

_MARKER = re.compile(r"dedup:\s*(ignore(?:-start|-end)?)", re.IGNORECASE)
# A plain-text line that is nothing but a marker, bare or in a comment of a markup language.
_MARKER_LINE = re.compile(
    r"^\s*(?:<!--\s*(?P<html>.*?)\s*-->|\.\.\s+(?P<rst>.*?)|(?P<bare>dedup:.*?))\s*$",
    re.IGNORECASE,
)


def marker_of(comment: str) -> Marker | None:
    """The marker a comment's text is, or None.

    >>> marker_of(" dedup: ignore-start ")
    <Marker.START: 'ignore-start'>
    >>> marker_of("dedup: ignored words") is None
    True
    """
    found = _MARKER.fullmatch(comment.strip())
    return Marker(found.group(1).lower()) if found else None


def line_marker(line: str) -> Marker | None:
    """The marker a plain-text line holds on its own, or None.

    >>> line_marker("<!-- dedup: ignore -->"), line_marker(".. dedup: ignore-end")
    (<Marker.IGNORE: 'ignore'>, <Marker.END: 'ignore-end'>)
    """
    found = _MARKER_LINE.match(line)
    if found is None:
        return None
    return marker_of(next(group for group in found.groups() if group is not None))


def without_ignored(blocks: Sequence[Block], markers: Iterable[Found]) -> list[Block]:
    """``blocks`` (in order) less those the markers leave out.

    ``ignore`` leaves out the first block that starts after it; a range runs
    from ``ignore-start`` to the next ``ignore-end``, or to the end of the
    file when none follows (an ``ignore-end`` without a start does nothing).
    Positions are (line, column), so that markers work inside one line of HTML.
    """
    next_after: list[tuple[int, int]] = []
    ranges: list[tuple[tuple[int, int], tuple[float, float]]] = []
    start: tuple[int, int] | None = None
    for line, column, marker in sorted(markers):
        if marker is Marker.IGNORE:
            next_after.append((line, column))
        elif marker is Marker.START and start is None:
            start = (line, column)
        elif marker is Marker.END and start is not None:
            ranges.append((start, (line, column)))
            start = None
    if start is not None:
        ranges.append((start, (float("inf"), 0)))
    at = [(block.line, block.column) for block in blocks]  # in document order: sorted
    dropped = {bisect_right(at, after) for after in next_after}
    for low, high in ranges:
        dropped.update(range(bisect_right(at, low), bisect_left(at, high)))
    return [block for i, block in enumerate(blocks) if i not in dropped]


def source_lines(text: str) -> list[str]:
    r"""The lines of a text as editors number them: cut at LF, CRLF or CR, never at the
    form feeds and Unicode separators that ``str.splitlines`` also cuts at.

    >>> source_lines("a\r\nb\rc\fd")
    ['a', 'b', 'c\x0cd']
    """
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def text_blocks(text: str) -> list[Block]:
    """Paragraphs of plain text (``dedup.segment.split_paragraphs``), markers applied.

    A marker line is never part of a paragraph: in blank-line separated text
    it separates paragraphs as a blank line would; in a file of one paragraph
    per line it is a line of its own either way.
    """
    lines = source_lines(text)
    markers = [(n, 1, m) for n, line in enumerate(lines, start=1) if (m := line_marker(line))]
    blocks = split_paragraphs(text)
    if not markers:
        return blocks
    marker_lines = {line for line, _, _ in markers}
    if any(block.end_line > block.line for block in blocks):
        # Blank-line separated text: a marker line is a separator, not a paragraph's line.
        blocks = split_paragraphs(
            "\n".join("" if n in marker_lines else line for n, line in enumerate(lines, start=1))
        )
    return without_ignored([b for b in blocks if b.line not in marker_lines], markers)


def markup_document(
    source: str, title: str | None, blocks: Sequence[Block], markers: Iterable[Found]
) -> Document:
    """The one document of a markup file (Markdown, reStructuredText, HTML), named by its
    path: its blocks less those the markers leave out."""
    kept = without_ignored(blocks, markers)
    return Document(
        id=source,
        source=source,
        title=title,
        paragraphs=tuple(to_paragraph(source, source, i, b) for i, b in enumerate(kept)),
    )


def to_paragraph(doc_id: str, source: str, index: int, block: Block) -> Paragraph:
    """The paragraph record of a block found in ``source``."""
    return Paragraph(
        doc=doc_id,
        index=index,
        source=source,
        line=block.line,
        text=block.text,
        column=block.column,
        end_line=block.end_line,
    )


def squeeze(text: str) -> str:
    """Whitespace runs as one space, none at the ends: a block's text as one paragraph.

    >>> squeeze("  two\\n  lines ")
    'two lines'
    """
    return " ".join(text.split())
