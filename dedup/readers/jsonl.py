"""JSON Lines: one dispatch per line, ``{"id", "text"}`` or ``{"id", "paragraphs"}``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from dedup.dates import parse_date
from dedup.errors import InputError
from dedup.records import Document, Paragraph
from dedup.segment import split_paragraphs


def read_jsonl(text: str, source: str) -> Iterator[Document]:
    """Documents of a JSON Lines text; a malformed record is an ``InputError`` naming its line."""
    # Records end at "\n" only: JSON strings may hold U+2028 and other line
    # separators that str.splitlines would cut at.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            raise InputError(f"{source}:{number}: not valid JSON: {err.msg}") from err
        yield _document(record, source, number)


def _document(record: Any, source: str, number: int) -> Document:
    where = f"{source}:{number}"
    if not isinstance(record, dict):
        raise InputError(f"{where}: a record must be a JSON object")
    doc_id = record.get("id")
    if isinstance(doc_id, bool) or not isinstance(doc_id, (str, int)) or doc_id == "":
        raise InputError(f'{where}: a record needs an "id" (string or integer)')
    doc_id = str(doc_id)
    if "paragraphs" in record:
        texts = record["paragraphs"]
        if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
            raise InputError(f'{where}: "paragraphs" must be a list of strings')
    elif "text" in record:
        if not isinstance(record["text"], str):
            raise InputError(f'{where}: "text" must be a string')
        texts = [block.text for block in split_paragraphs(record["text"])]
    else:
        raise InputError(f'{where}: a record needs "text" or "paragraphs"')
    for key in ("title", "date"):
        if record.get(key) is not None and not isinstance(record[key], str):
            raise InputError(f'{where}: "{key}" must be a string')
    if record.get("date") is not None and parse_date(record["date"]) is None:
        raise InputError(
            f"{where}: unrecognised date {record['date']!r} "
            "(ISO 8601, RFC 2822 or DD-MON-YYYY HH:MM:SS)"
        )
    return Document(
        id=doc_id,
        source=source,
        title=record.get("title"),
        date=record.get("date"),
        # Indexes are positions in the record's own list, blank entries included,
        # so that a reader of the report can find the paragraph where it was.
        paragraphs=tuple(
            Paragraph(doc=doc_id, index=i, source=source, line=None, text=t.strip())
            for i, t in enumerate(texts)
            if t.strip()
        ),
    )
