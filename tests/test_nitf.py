"""IPTC NITF: paragraphs of body.content (blocks too), hl1 title, docdata date, lines."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES

from dedup.errors import InputError
from dedup.readers import format_of, read_paths
from dedup.readers.nitf import NITF_NAMESPACE, read_nitf, recognise_nitf

NITF = FIXTURES / "formats" / "d2-nitf.xml"


def nitf(content: str, namespace: str | None = None, head: str = "") -> str:
    """A NITF document around ``content`` (the inside of body.content)."""
    xmlns = f' xmlns="{namespace}"' if namespace else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<nitf{xmlns}>\n<head>{head}</head>\n'
        f"<body>\n<body.head><hedline><hl1>Headline <em>here</em></hl1></hedline></body.head>\n"
        f"<body.content>\n{content}\n</body.content>\n</body>\n</nitf>\n"
    )


def test_the_fixture_is_the_seeds_second_dispatch(seed_lines: dict[int, str]) -> None:
    (document,) = read_paths([str(NITF)])
    assert document.id == document.source == str(NITF)
    assert document.title == seed_lines[7]
    assert document.date == "20200123T081500Z"
    # &eacute; in the first paragraph reads as the seed's é.
    assert [p.text for p in document.paragraphs] == [seed_lines[n] for n in range(8, 14)]
    lines = NITF.read_text(encoding="utf-8").split("\n")
    for paragraph in document.paragraphs:
        assert paragraph.line is not None
        assert lines[paragraph.line - 1].strip().startswith("<p>")
    assert [p.index for p in document.paragraphs] == list(range(6))


@pytest.mark.parametrize("namespace", [None, NITF_NAMESPACE], ids=["plain", "namespaced"])
def test_with_and_without_the_namespace(namespace: str | None) -> None:
    text = nitf(
        "<p>First.</p>\n<block>\n<p>In a <b>block</b>.</p>\n</block>\n"
        "<table><tr><td>x</td></tr></table>",
        namespace,
        head='<docdata><date.release norm="20200412T143000+0200"/></docdata>',
    )
    assert recognise_nitf(text)
    (document,) = read_nitf(text, "story.xml")
    assert document.title == "Headline here"
    assert document.date == "20200412T143000+0200"
    assert [(p.line, p.text) for p in document.paragraphs] == [(7, "First."), (9, "In a block.")]


def test_date_issue_comes_before_date_release() -> None:
    head = (
        '<docdata><date.release norm="20200413T000000Z"/>'
        '<date.issue norm="20200412T143000Z"/></docdata>'
    )
    (document,) = read_nitf(nitf("<p>x</p>", head=head), "story.xml")
    assert document.date == "20200412T143000Z"


def test_the_head_title_stands_in_for_a_missing_headline() -> None:
    text = (
        "<nitf><head><title>Head title</title></head>"
        "<body><body.content><p>x</p></body.content></body></nitf>"
    )
    (document,) = read_nitf(text, "story.xml")
    assert document.title == "Head title"


def test_an_unreadable_date_names_file_and_line() -> None:
    text = nitf("<p>x</p>", head='<docdata>\n<date.issue norm="yesterday"/></docdata>')
    with pytest.raises(InputError, match=r"story\.xml:4: unrecognised date 'yesterday'"):
        list(read_nitf(text, "story.xml"))


def test_another_xml_root_is_named() -> None:
    with pytest.raises(InputError, match=r"sitemap\.xml:2: XML root <urlset> is not a wire format"):
        list(read_paths_of("sitemap.xml", "<?xml version='1.0'?>\n<urlset><url/></urlset>"))


def test_nitf_is_recognised_without_its_ending(tmp_path: Path) -> None:
    path = tmp_path / "story-0412"
    path.write_text(nitf("<p>Recognised by its root.</p>"), encoding="utf-8")
    assert format_of(str(path), path.read_text(encoding="utf-8")).name == "nitf"
    (document,) = read_paths([str(path)])
    assert [p.text for p in document.paragraphs] == ["Recognised by its root."]


def read_paths_of(name: str, text: str) -> list[object]:
    """Read ``text`` as a file named ``name`` (the format its ending and text give)."""
    return list(format_of(name, text).read(text, name))
