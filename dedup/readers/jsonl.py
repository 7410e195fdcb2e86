"""JSON input: JSON Lines, or one JSON document (an object, or an array of objects).

Each object is a dispatch: a dedup record, ``{"id", "text"}`` or ``{"id",
"paragraphs"}`` with optional ``title`` and ``date``, or an IPTC ninjs item
(``dedup.readers.ninjs``), told apart by their fields.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

from dedup.dates import checked_date
from dedup.errors import InputError
from dedup.readers.ninjs import is_ninjs, ninjs_document
from dedup.records import Document, Paragraph
from dedup.segment import split_paragraphs

_SPACE = re.compile(r"\s*")
# An object, or an array of objects (text may well start "[UPDATE 1]").
_JSON_START = re.compile(r"\s*(?:\{|\[\s*[{\]])")


def read_jsonl(text: str, source: str) -> Iterator[Document]:
    """Documents of a JSON text; a malformed record is an ``InputError`` naming its line.

    It is JSON Lines unless its first line only opens an object or an array
    (``{`` alone, as indented JSON starts) or starts an array: then it is one
    JSON document.
    """
    # Records end at "\n" only: JSON strings may hold U+2028 and other line
    # separators that str.splitlines would cut at.
    lines = text.split("\n")
    first = next((n for n, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return
    opening = lines[first].strip()
    if opening == "{" or opening.startswith("["):
        yield from _json_document(text, source)
        return
    for number, line in enumerate(lines[first:], start=first + 1):
        if not line.strip():
            continue
        try:
            record = _loads(line)
        except InputError as err:
            if number == first + 1:
                # An indented object may start with a key on its first line.
                whole = _document_or_none(text, source)
                if whole is not None:
                    yield from whole
                    return
            raise InputError(f"{source}:{number}: {err}") from err
        yield _document(record, source, number)


def read_json_lines(lines: Iterable[str], source: str) -> Iterator[Document]:
    """Documents of JSON Lines given a line at a time (one record per line); a malformed
    record is an ``InputError`` naming its line."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = _loads(line)
        except InputError as err:
            raise InputError(f"{source}:{number}: {err}") from err
        yield _document(record, source, number)


def recognise_ninjs(text: str) -> bool:
    """Whether a JSON text's first object is a ninjs item."""
    record = _first_record(text)
    return isinstance(record, dict) and is_ninjs(record)


def recognise_records(text: str) -> bool:
    """Whether a JSON text's first object is a dedup record or a ninjs item (not any JSON).

    >>> recognise_records('{"id": 1, "text": "Fin."}'), recognise_records('{"name": "pkg"}')
    (True, False)
    """
    record = _first_record(text)
    if not isinstance(record, dict):
        return False
    return is_ninjs(record) or ("id" in record and ("text" in record or "paragraphs" in record))


def recognise_json(text: str) -> bool:
    """Whether a text starts as JSON Lines or a JSON document of records do.

    >>> recognise_json('  {"id": 1'), recognise_json('[{"uri"'), recognise_json("[UPDATE 1] Oil")
    (True, True, False)
    """
    return _JSON_START.match(text) is not None


def _first_record(text: str) -> Any:
    """The first JSON object of a JSON Lines text or JSON document, or None."""
    start = _SPACE.match(text).end()  # type: ignore[union-attr]
    end = text.find("\n", start)
    for candidate in (text[start : end if end >= 0 else len(text)], text[start:]):
        try:
            value = _loads(candidate)
        except InputError:
            continue
        return value[0] if isinstance(value, list) and value else value
    return None


def _loads(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise InputError(f"not valid JSON: {err.msg}") from err
    except (ValueError, RecursionError) as err:  # a 5,000-digit number, arrays nested too deep
        raise InputError(f"not valid JSON: {err}") from err


def _json_document(text: str, source: str) -> Iterator[Document]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as err:
        raise InputError(f"{source}:{err.lineno}: not valid JSON: {err.msg}") from err
    except (ValueError, RecursionError) as err:
        raise InputError(f"{source}: not valid JSON: {err}") from err
    if isinstance(value, list):
        for position, record in enumerate(value, start=1):
            yield _document(record, source, where=f"{source}: item {position}")
    else:
        line = text[: len(text) - len(text.lstrip())].count("\n") + 1
        yield _document(value, source, line)


def _document_or_none(text: str, source: str) -> list[Document] | None:
    try:
        return list(_json_document(text, source))
    except InputError:
        return None


def read_record(record: Any, source: str, where: str) -> Document:
    """The document of one record already parsed (a row of a table), checked as a JSON record
    is; an ``InputError`` names it by ``where``."""
    return _document(record, source, where=where)


def _document(record: Any, source: str, number: int = 0, where: str = "") -> Document:
    where = where or f"{source}:{number}"
    if not isinstance(record, dict):
        raise InputError(f"{where}: a record must be a JSON object")
    if is_ninjs(record):
        return ninjs_document(record, source, where)
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
        raise InputError(
            f'{where}: a record needs "text" or "paragraphs" (or is a ninjs item, with "uri")'
        )
    for key in ("title", "date"):
        if record.get(key) is not None and not isinstance(record[key], str):
            raise InputError(f'{where}: "{key}" must be a string')
    if record.get("date") is not None:
        checked_date(record["date"], where)
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
