"""IPTC ninjs (News in JSON) items: 1.x, and 2.x/3.x.

- 1.x: ``headline``, ``body_html`` (read when present: its ``p`` elements are
  the paragraphs) or ``body_text`` (blank-line separated, or one paragraph
  per line).
- 2.x/3.x: ``headlines`` and ``bodies``, lists of ``{"role", "contenttype"
  (3.x: "contentType"), "value"}``. One headline and one body are read: the
  ``main`` one (or one without a role), HTML rather than plain text when
  both are given, since several bodies are renditions of one text.

The id is ``uri``, with ``@version`` when the item has a version (updates of
an item share its uri); the date ``versioncreated``, else ``firstcreated``,
else ``contentcreated`` (3.x spells them ``versionCreated``, ...).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dedup.dates import checked_date
from dedup.errors import InputError
from dedup.readers.safexml import html_paragraphs
from dedup.records import Document, Paragraph
from dedup.segment import split_paragraphs

# Fields only a ninjs item has (a dedup JSON Lines record has "text" or "paragraphs").
_NINJS_FIELDS = ("uri", "headline", "headlines", "body_text", "body_html", "bodies")
_DATE_FIELDS = ("versioncreated", "firstcreated", "contentcreated")
_MAIN_ROLES = (None, "", "main", "body")


def is_ninjs(record: Mapping[str, Any]) -> bool:
    """Whether a JSON object is a ninjs item rather than a dedup record.

    >>> is_ninjs({"uri": "urn:x", "body_text": "..."}), is_ninjs({"id": "a", "text": "..."})
    (True, False)
    """
    return (
        "text" not in record
        and "paragraphs" not in record
        and any(field in record for field in _NINJS_FIELDS)
    )


def ninjs_document(record: Mapping[str, Any], source: str, where: str) -> Document:
    """The document of one ninjs item; a malformed field is an ``InputError`` naming ``where``."""
    fields = {key.lower(): value for key, value in record.items()}
    uri = fields.get("uri")
    if not isinstance(uri, str) or not uri:
        raise InputError(f'{where}: a ninjs item needs a "uri" (a string)')
    version = fields.get("version")
    if version is not None and (isinstance(version, bool) or not isinstance(version, (str, int))):
        raise InputError(f'{where}: ninjs "version" must be a string or an integer')
    doc_id = f"{uri}@{version}" if version is not None else uri
    texts = _body(fields, where)
    return Document(
        id=doc_id,
        source=source,
        title=_headline(fields, where),
        date=_date(fields, where),
        paragraphs=tuple(
            Paragraph(doc=doc_id, index=index, source=source, line=None, text=text)
            for index, text in enumerate(texts)
        ),
    )


def _string(fields: Mapping[str, Any], name: str, where: str) -> str | None:
    value = fields.get(name)
    if value is not None and not isinstance(value, str):
        raise InputError(f'{where}: ninjs "{name}" must be a string')
    return value


def _parts(fields: Mapping[str, Any], name: str, where: str) -> list[Mapping[str, Any]]:
    """A 2.x/3.x list of ``{"role", "contenttype", "value"}`` objects, checked."""
    parts = fields.get(name)
    if parts is None:
        return []
    if not isinstance(parts, list) or not all(isinstance(p, dict) for p in parts):
        raise InputError(f'{where}: ninjs "{name}" must be a list of objects')
    checked = [{key.lower(): value for key, value in part.items()} for part in parts]
    for part in checked:
        for key in ("role", "contenttype", "value"):
            if part.get(key) is not None and not isinstance(part[key], str):
                raise InputError(f'{where}: ninjs "{name}" entries: "{key}" must be a string')
    return [part for part in checked if part.get("value")]


def _main(parts: list[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    main = [p for p in parts if (p.get("role") or "").lower() in _MAIN_ROLES]
    return main or parts


def _is_html(part: Mapping[str, Any]) -> bool:
    return "html" in (part.get("contenttype") or "").lower()


def _headline(fields: Mapping[str, Any], where: str) -> str | None:
    headline = _string(fields, "headline", where)
    if headline is None:
        parts = _main(_parts(fields, "headlines", where))
        if parts:
            part = parts[0]
            headline = " ".join(html_paragraphs(part["value"])) if _is_html(part) else part["value"]
    return headline.strip() or None if headline is not None else None


def _body(fields: Mapping[str, Any], where: str) -> list[str]:
    body_html = _string(fields, "body_html", where)
    body_text = _string(fields, "body_text", where)
    if body_html is None and body_text is None:
        parts = _main(_parts(fields, "bodies", where))
        chosen = next((p for p in parts if _is_html(p)), parts[0] if parts else None)
        if chosen is None:
            return []
        if _is_html(chosen):
            body_html = chosen["value"]
        else:
            body_text = chosen["value"]
    if body_html is not None:
        return html_paragraphs(body_html)
    return [block.text for block in split_paragraphs(body_text or "")]


def _date(fields: Mapping[str, Any], where: str) -> str | None:
    for name in _DATE_FIELDS:
        value = _string(fields, name, where)
        if value:
            return checked_date(value, f'{where}: ninjs "{name}"')
    return None
