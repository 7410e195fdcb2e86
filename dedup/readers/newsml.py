"""IPTC NewsML-G2: a ``newsItem``, or a ``newsMessage`` holding several.

Each news item is a document: its title ``contentMeta/headline``, its date
``itemMeta/versionCreated`` (else ``contentMeta/contentCreated``), its text
the first inline rendition of its ``contentSet``: ``inlineXML`` holding
NITF (read as NITF is) or XHTML (its ``p`` elements), or ``inlineData``
(plain text, or HTML when its content type says so). Items without inline
text (pictures, packages) have no paragraphs.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator

from lxml import etree

from dedup.dates import checked_date
from dedup.errors import InputError
from dedup.readers.nitf import nitf_story
from dedup.readers.safexml import (
    child,
    children,
    element_paragraphs,
    element_text,
    html_paragraphs,
    localname,
    paragraph_records,
    parse_xml,
    root_name,
    unknown_root,
)
from dedup.records import Document
from dedup.segment import split_paragraphs

#: The namespace of NewsML-G2 (the IPTC News Architecture).
NAR_NAMESPACE = "http://iptc.org/std/nar/2006-10-01/"


def recognise_newsml(text: str) -> bool:
    """Whether the text is an XML document whose root is ``newsItem`` or ``newsMessage``."""
    return root_name(text) in ("newsItem", "newsMessage")


def read_newsml(text: str, source: str) -> Iterator[Document]:
    """The news items of a NewsML-G2 file: ids ``source``, ``source#2``, ... in file order."""
    root = parse_xml(text, source)
    if localname(root) == "newsItem":
        items = [root]
    elif localname(root) == "newsMessage":
        groups = children(root, "itemSet")
        items = [item for group in groups for item in children(group, "newsItem")]
    else:
        raise unknown_root(root, source)
    for number, item in enumerate(items, start=1):
        yield _item(item, source if number == 1 else f"{source}#{number}", source, number - 1)


def _item(item: etree._Element, doc_id: str, source: str, ordinal: int) -> Document:
    headline = child(item, "contentMeta", "headline")
    title = element_text(headline) if headline is not None else None
    date = _date(item, source)
    paragraphs: list[tuple[int | None, str]] = []
    rendition = _inline_rendition(item)
    if rendition is not None and localname(rendition) == "inlineXML":
        nitf = child(rendition, "nitf")
        if nitf is not None:
            story = nitf_story(nitf, source)
            title, date, paragraphs = title or story.title, date or story.date, story.paragraphs
        else:
            paragraphs = element_paragraphs(rendition)
    elif rendition is not None:
        paragraphs = _inline_data(rendition, source)
    return Document(
        id=doc_id,
        source=source,
        title=title or None,
        date=date,
        paragraphs=paragraph_records(doc_id, source, paragraphs),
        ordinal=ordinal,
    )


def _date(item: etree._Element, source: str) -> str | None:
    for path in (("itemMeta", "versionCreated"), ("contentMeta", "contentCreated")):
        element = child(item, *path)
        if element is not None and (element.text or "").strip():
            return checked_date(element.text.strip(), f"{source}:{element.sourceline}")
    return None


def _inline_rendition(item: etree._Element) -> etree._Element | None:
    """The first ``inlineXML`` or ``inlineData`` of the item's ``contentSet``: several are
    renditions of one text, and reading two would make each paragraph repeat itself."""
    content_set = child(item, "contentSet")
    if content_set is None:
        return None
    return next(
        (
            c
            for c in content_set
            if isinstance(c.tag, str) and localname(c) in ("inlineXML", "inlineData")
        ),
        None,
    )


def _inline_data(data: etree._Element, source: str) -> list[tuple[int | None, str]]:
    text = data.text or ""
    line: int | None = data.sourceline
    if (data.get("encoding") or "").lower() == "base64":
        try:
            text = base64.b64decode(text, validate=False).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError) as err:
            raise InputError(
                f"{source}:{data.sourceline}: inlineData is not base64-encoded UTF-8 text"
            ) from err
        line = None  # lines of the encoded text are not lines of the file
    if "html" in (data.get("contenttype") or "").lower():
        return [(None, paragraph) for paragraph in html_paragraphs(text)]
    return [
        (line + block.line - 1 if line is not None else None, block.text)
        for block in split_paragraphs(text)
    ]
