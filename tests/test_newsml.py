"""IPTC NewsML-G2: newsItem and newsMessage, inline XHTML, NITF or data, headline and dates."""

from __future__ import annotations

import pytest
from conftest import FIXTURES

from dedup.errors import InputError
from dedup.readers import read_paths
from dedup.readers.newsml import NAR_NAMESPACE, read_newsml, recognise_newsml

ITEM = FIXTURES / "formats" / "d1-newsml-item-xhtml.xml"
MESSAGE = FIXTURES / "formats" / "d3-d4-newsml-message.xml"


def item(content_set: str, meta: str = "", guid: str = "urn:x") -> str:
    """A newsItem with ``content_set`` inside its contentSet."""
    return (
        f'<newsItem xmlns="{NAR_NAMESPACE}" guid="{guid}">\n{meta}\n'
        f"<contentSet>\n{content_set}\n</contentSet>\n</newsItem>"
    )


def test_news_item_with_inline_xhtml(seed_lines: dict[int, str]) -> None:
    (document,) = read_paths([str(ITEM)])
    assert document.id == str(ITEM)
    assert document.title is None  # the seed's first dispatch has no headline
    assert document.date == "2020-01-22T16:00:00+03:00"  # versionCreated before contentCreated
    assert [p.text for p in document.paragraphs] == [seed_lines[n] for n in range(1, 7)]
    lines = ITEM.read_text(encoding="utf-8").split("\n")
    assert all(lines[p.line - 1].strip().startswith("<p>") for p in document.paragraphs if p.line)


def test_news_message_items_in_order(seed_lines: dict[int, str]) -> None:
    first, second = read_paths([str(MESSAGE)])
    assert (first.id, second.id) == (str(MESSAGE), f"{MESSAGE}#2")
    assert (first.ordinal, second.ordinal) == (0, 1)
    assert (first.title, second.title) == (seed_lines[14], seed_lines[18])
    # The first is inline NITF dated by itemMeta; the second inline data dated by contentCreated.
    assert (first.date, second.date) == ("2020-01-23T12:00:00Z", "2020-01-23T15:30:00Z")
    assert [p.text for p in first.paragraphs] == [seed_lines[n] for n in range(15, 18)]
    assert [p.text for p in second.paragraphs] == [seed_lines[n] for n in range(19, 22)]
    lines = MESSAGE.read_text(encoding="utf-8").split("\n")
    for paragraph in second.paragraphs:
        assert paragraph.line is not None
        assert paragraph.text in lines[paragraph.line - 1]


def test_only_the_first_inline_rendition_is_read() -> None:
    text = item(
        '<inlineData contenttype="text/plain">Plain rendition.</inlineData>\n'
        '<inlineXML contenttype="application/xhtml+xml"><p>Plain rendition.</p></inlineXML>'
    )
    (document,) = read_newsml(text, "item.xml")
    assert [p.text for p in document.paragraphs] == ["Plain rendition."]


@pytest.mark.parametrize(
    ("content_set", "expected"),
    [
        (
            '<inlineData contenttype="text/html">'
            "&lt;p&gt;One.&lt;/p&gt;&lt;p&gt;Two.&lt;/p&gt;</inlineData>",
            [(None, "One."), (None, "Two.")],
        ),
        (
            '<inlineData contenttype="text/plain" encoding="base64">T25lLgoKVHdvLg==</inlineData>',
            [(None, "One."), (None, "Two.")],
        ),
        ('<remoteContent href="picture.jpg"/>', []),
        ("", []),
    ],
    ids=["html-data", "base64-data", "remote-only", "empty"],
)
def test_inline_data_forms(content_set: str, expected: list[tuple[int | None, str]]) -> None:
    (document,) = read_newsml(item(content_set), "item.xml")
    assert [(p.line, p.text) for p in document.paragraphs] == expected


def test_headline_and_content_created() -> None:
    meta = (
        "<contentMeta><contentCreated>2020-04-12T14:30:00Z</contentCreated>"
        "<headline>The <b>headline</b></headline></contentMeta>"
    )
    (document,) = read_newsml(item("", meta), "item.xml")
    assert (document.title, document.date) == ("The headline", "2020-04-12T14:30:00Z")


def test_inline_nitf_gives_title_and_date_when_the_item_has_none() -> None:
    nitf = (
        '<inlineXML><nitf xmlns="http://iptc.org/std/NITF/2006-10-18/"><head><docdata>'
        '<date.issue norm="20200412T143000Z"/></docdata></head><body><body.head><hedline>'
        "<hl1>From NITF</hl1></hedline></body.head><body.content><p>Text.</p></body.content>"
        "</body></nitf></inlineXML>"
    )
    (document,) = read_newsml(item(nitf), "item.xml")
    assert (document.title, document.date) == ("From NITF", "20200412T143000Z")


def test_an_unreadable_date_names_file_and_line() -> None:
    meta = "<itemMeta>\n<versionCreated>soon</versionCreated></itemMeta>"
    with pytest.raises(InputError, match=r"item\.xml:3: unrecognised date 'soon'"):
        list(read_newsml(item("", meta), "item.xml"))


def test_bad_base64_is_an_input_error() -> None:
    data = '<inlineData encoding="base64">//79</inlineData>'
    with pytest.raises(InputError, match="not base64-encoded UTF-8"):
        list(read_newsml(item(data), "item.xml"))


def test_recognised_by_root() -> None:
    assert recognise_newsml(ITEM.read_text(encoding="utf-8"))
    assert recognise_newsml(MESSAGE.read_text(encoding="utf-8"))
    assert not recognise_newsml("<nitf/>")
