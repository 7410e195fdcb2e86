"""Plain text and Markdown: paragraphs, and dispatches opened by headlines."""

from __future__ import annotations

import re
from collections.abc import Iterator

from dedup.records import Document, Paragraph
from dedup.segment import Block, split_dispatches, split_paragraphs

_FENCE = re.compile(r"^\s*(```|~~~)")
_HEADING = re.compile(r"^\s{0,3}#{1,6}(\s|$)")


def read_markdown(text: str, source: str) -> Iterator[Document]:
    """Documents of one Markdown file: as plain text, without headings and fenced code."""
    return read_text(_blank_markdown_furniture(text), source)


def read_text(text: str, source: str) -> Iterator[Document]:
    """Documents of one text file: one per dispatch, ids ``source``, ``source#2``, ..."""
    dispatches = split_dispatches(split_paragraphs(text))
    for number, (headline, body) in enumerate(dispatches, start=1):
        doc_id = source if number == 1 else f"{source}#{number}"
        yield Document(
            id=doc_id,
            source=source,
            title=headline.text if headline else None,
            paragraphs=tuple(_paragraph(doc_id, source, i, b) for i, b in enumerate(body)),
            ordinal=number - 1,
            title_lines=(headline.line, headline.end_line) if headline else None,
        )


def _paragraph(doc_id: str, source: str, index: int, block: Block) -> Paragraph:
    return Paragraph(
        doc=doc_id,
        index=index,
        source=source,
        line=block.line,
        text=block.text,
        column=block.column,
        end_line=block.end_line,
    )


def _blank_markdown_furniture(text: str) -> str:
    """Blank out headings and fenced code, keeping line numbers: they are not paragraphs."""
    out: list[str] = []
    in_fence = False
    for line in text.splitlines():
        if _FENCE.match(line):
            in_fence = not in_fence
            out.append("")
        elif in_fence or _HEADING.match(line):
            out.append("")
        else:
            out.append(line)
    return "\n".join(out)
