"""IPTC NITF 3.x: one dispatch per file, with or without the 2006-10-18 namespace.

Paragraphs are the ``p`` elements of ``body.content`` (inside ``block``
elements too), the title is ``hedline/hl1`` (else ``head/title``), the date
``docdata``'s ``date.issue`` (else ``date.release``), as its ``norm``
attribute writes it (``20200412T143000Z``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from dedup.dates import checked_date
from dedup.readers.safexml import (
    child,
    element_paragraphs,
    element_text,
    localname,
    paragraph_records,
    parse_xml,
    root_name,
    unknown_root,
)
from dedup.records import Document

#: The namespace of NITF 3.x documents that declare one.
NITF_NAMESPACE = "http://iptc.org/std/NITF/2006-10-18/"


@dataclass(frozen=True, slots=True)
class Story:
    """What a NITF document tells: title, date and ``(line, text)`` paragraphs."""

    title: str | None
    date: str | None
    paragraphs: list[tuple[int | None, str]]


def recognise_nitf(text: str) -> bool:
    """Whether the text is an XML document whose root is ``nitf``."""
    return root_name(text) == "nitf"


def read_nitf(text: str, source: str) -> Iterator[Document]:
    """The one document of a NITF file, named by its path."""
    root = parse_xml(text, source)
    if localname(root) != "nitf":
        raise unknown_root(root, source)
    story = nitf_story(root, source)
    yield Document(
        id=source,
        source=source,
        title=story.title,
        date=story.date,
        paragraphs=paragraph_records(source, source, story.paragraphs),
    )


def nitf_story(nitf: etree._Element, source: str) -> Story:
    """Title, date and paragraphs of a ``nitf`` element (a file's root, or inside NewsML-G2)."""
    body = child(nitf, "body")
    content = child(body, "body.content") if body is not None else None
    headline = child(body, "body.head", "hedline", "hl1") if body is not None else None
    title = element_text(headline) if headline is not None else None
    if not title:
        head_title = child(nitf, "head", "title")
        title = element_text(head_title) if head_title is not None else None
    return Story(
        title=title or None,
        date=_docdata_date(nitf, source),
        paragraphs=element_paragraphs(content) if content is not None else [],
    )


def _docdata_date(nitf: etree._Element, source: str) -> str | None:
    docdata = child(nitf, "head", "docdata")
    if docdata is None:
        return None
    for name in ("date.issue", "date.release"):
        element = child(docdata, name)
        if element is not None and element.get("norm"):
            return checked_date(element.get("norm", ""), f"{source}:{element.sourceline}")
    return None
