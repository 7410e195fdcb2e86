"""Plain text: paragraphs, dispatches opened by headlines, and ignore markers on their lines."""

from __future__ import annotations

from collections.abc import Iterator

from dedup.readers.markup import text_blocks, to_paragraph
from dedup.records import Document
from dedup.segment import split_dispatches


def read_text(text: str, source: str) -> Iterator[Document]:
    """Documents of one text file: one per dispatch, ids ``source``, ``source#2``, ..."""
    dispatches = split_dispatches(text_blocks(text))
    for number, (headline, body) in enumerate(dispatches, start=1):
        doc_id = source if number == 1 else f"{source}#{number}"
        yield Document(
            id=doc_id,
            source=source,
            title=headline.text if headline else None,
            paragraphs=tuple(to_paragraph(doc_id, source, i, b) for i, b in enumerate(body)),
            ordinal=number - 1,
            title_lines=(headline.line, headline.end_line) if headline else None,
        )
