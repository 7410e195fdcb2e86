"""Safe XML and HTML: no entity expansion, no DTD or file loaded, paragraphs of elements."""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dedup.errors import InputError
from dedup.readers import read_paths
from dedup.readers.safexml import (
    element_paragraphs,
    element_text,
    html_paragraphs,
    parse_xml,
    root_name,
)

SECRET = "TOP-SECRET-PAYROLL-7731"


def billion_laughs(levels: int = 10) -> str:
    """The classic entity bomb: a few hundred bytes that expand to a gigabyte."""
    entities = ['  <!ENTITY lol0 "lol">']
    entities += [f'  <!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, levels)]
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE nitf [\n'
        + "\n".join(entities)
        + f"\n]>\n<nitf><body><body.content><p>&lol{levels - 1};</p></body.content></body></nitf>\n"
    )


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    """A file an external entity would leak."""
    path = tmp_path / "secret.txt"
    path.write_text(SECRET + "\n", encoding="utf-8")
    return path


def hostile_documents(secret: Path) -> dict[str, str]:
    """Documents that try to expand entities or read a file, keyed by what they try."""
    url = secret.as_uri()
    body = "<body><body.content><p>Before. {} After.</p></body.content></body>"
    return {
        "billion-laughs": billion_laughs(),
        "quadratic-blowup": (
            f'<!DOCTYPE nitf [<!ENTITY a "{"x" * 50_000}">]>\n'
            f"<nitf>{body.format('&a;' * 50_000)}</nitf>"
        ),
        "external-entity": (
            f'<!DOCTYPE nitf [<!ENTITY xxe SYSTEM "{url}">]>\n<nitf>{body.format("&xxe;")}</nitf>'
        ),
        "parameter-entity": (
            f'<!DOCTYPE nitf [<!ENTITY % xxe SYSTEM "{url}"> %xxe;]>\n'
            f"<nitf>{body.format('')}</nitf>"
        ),
        "external-dtd": (f'<!DOCTYPE nitf SYSTEM "{url}">\n<nitf>{body.format("")}</nitf>'),
        "xinclude": (
            '<nitf xmlns:xi="http://www.w3.org/2001/XInclude">'
            + body.format(f'<xi:include href="{url}" parse="text"/>')
            + "</nitf>"
        ),
    }


@pytest.mark.parametrize(
    "attack",
    [
        "billion-laughs",
        "quadratic-blowup",
        "external-entity",
        "parameter-entity",
        "external-dtd",
        "xinclude",
    ],
)
def test_hostile_xml_is_refused_or_read_without_expanding_or_leaking(
    tmp_path: Path, secret_file: Path, attack: str
) -> None:
    path = tmp_path / "attack.xml"
    path.write_text(hostile_documents(secret_file)[attack], encoding="utf-8")
    try:
        documents = list(read_paths([str(path)]))
    except InputError as err:
        message = str(err)
        assert message.startswith(str(path))
        assert "\n" not in message
        assert SECRET not in message
        if "ENTITY" in hostile_documents(secret_file)[attack]:
            assert "declares XML entities" in message
        return
    # Read without the entity: no expansion, nothing of the file.
    texts = [p.text for d in documents for p in d.paragraphs]
    assert texts == ["Before. After."]
    assert all(SECRET not in (d.title or "") for d in documents)


def test_the_entity_bomb_is_refused_before_any_expansion(tmp_path: Path) -> None:
    # Twelve levels would be a terabyte: only refusing to expand makes this return.
    path = tmp_path / "bomb.xml"
    path.write_text(billion_laughs(12), encoding="utf-8")
    with pytest.raises(InputError, match="declares XML entities"):
        list(read_paths([str(path)]))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<nitf><p>x &nbsp;y &eacute;t&eacute;</p></nitf>", None),
        (
            '<!DOCTYPE nitf SYSTEM "nitf-3-4.dtd">\n<nitf><p>x&nbsp;y &eacute;t&eacute; &amp; '
            "&#233;</p></nitf>",
            "x\u00a0y été & é",
        ),
    ],
    ids=["undeclared-without-dtd", "named-by-an-unloaded-dtd"],
)
def test_html_entities_of_an_unloaded_dtd_are_known(text: str, expected: str | None) -> None:
    if expected is None:
        # Without a DTD an undeclared entity is not well-formed XML: an error naming the line.
        with pytest.raises(InputError, match=r"story\.xml:1: not well-formed XML: .*nbsp"):
            parse_xml(text, "story.xml")
        return
    root = parse_xml(text, "story.xml")
    assert element_text(root) == expected


def test_an_unknown_entity_of_an_unloaded_dtd_is_an_error() -> None:
    text = '<!DOCTYPE nitf SYSTEM "nitf-3-4.dtd">\n<nitf>\n<p>&madeup;</p></nitf>'
    with pytest.raises(InputError, match=r"story\.xml:3: unknown entity &madeup;"):
        parse_xml(text, "story.xml")


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("<nitf><p>unclosed</nitf>", r"x\.xml:1: not well-formed XML"),
        ("\n\n<nitf>\x01</nitf>", r"x\.xml:3: not well-formed XML"),
        ("", r"x\.xml:1: not well-formed XML"),
        ("<nitf>\ud800</nitf>", r"x\.xml: not XML text"),
    ],
    ids=["unclosed", "control-character", "empty", "lone-surrogate"],
)
def test_malformed_xml_is_an_input_error_naming_the_line(text: str, fragment: str) -> None:
    with pytest.raises(InputError, match=fragment):
        parse_xml(text, "x.xml")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ('<?xml version="1.0"?>\n<nitf>', "nitf"),
        ('\ufeff<?xml version="1.0"?><!-- c --><!DOCTYPE nitf SYSTEM "x.dtd"><nitf>', "nitf"),
        ('<!DOCTYPE x [<!ENTITY a "b">]>\n<g2:newsItem xmlns:g2="...">', "newsItem"),
        ("<newsMessage>", "newsMessage"),
        ("Plain text <nitf>", None),
        ('{"uri": "<nitf>"}', None),
        # Thousands of prolog items: one pass (a backtracking pattern never returned).
        ("<?x?>" * 13_000 + "<!--", None),
        ("<?x?>" * 14_000 + "<nitf>", None),  # the root lies past what is looked at
        ("<?x?>" * 100 + "<nitf>", "nitf"),
    ],
    ids=[
        "declaration",
        "bom-comment-doctype",
        "prefixed-with-subset",
        "bare",
        "text",
        "json",
        "unclosed-after-many-items",
        "root-too-far",
        "many-items",
    ],
)
def test_root_name(text: str, name: str | None) -> None:
    assert root_name(text) == name


def test_paragraphs_are_p_elements_with_their_lines() -> None:
    root = parse_xml(
        "<body>\n<p>One <em>two</em>\n three.</p>\n<block>\n<p>Four.</p>\n</block>\n"
        "<p><p>nested</p> outer</p>\n<p>  </p>\n</body>",
        "x.xml",
    )
    assert element_paragraphs(root) == [
        (2, "One two three."),
        (5, "Four."),
        (7, "nested outer"),
    ]


def test_a_body_without_p_is_split_as_text() -> None:
    root = parse_xml("<body>\nFirst line.\nSecond line.\n\n</body>", "x.xml")
    assert element_paragraphs(root) == [(2, "First line."), (3, "Second line.")]


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ("<p>One &amp; <b>two</b>.</p><script>x()</script><p>Three.</p>", ["One & two.", "Three."]),
        ("<section><p>A&nbsp;b</p><style>p{}</style></section>", ["A\u00a0b"]),
        ("First line<br>Second line", ["First line", "Second line"]),
        ("Just text.", ["Just text."]),
        ("", []),
        ("<p></p>", []),
        ('<?xml version="1.0" encoding="latin-1"?><p>Declared.</p>', ["Declared."]),
    ],
    ids=["p-elements", "entities-and-style", "br", "bare-text", "empty", "empty-p", "xml-decl"],
)
def test_html_paragraphs(fragment: str, expected: list[str]) -> None:
    assert html_paragraphs(fragment) == expected


@given(st.text())
def test_html_paragraphs_of_any_text_are_strings(fragment: str) -> None:
    paragraphs = html_paragraphs(fragment)
    assert all(isinstance(p, str) and p.strip() == p and p for p in paragraphs)


@given(st.text())
def test_parse_xml_of_any_text_is_a_tree_or_an_input_error(text: str) -> None:
    try:
        root = parse_xml(text, "x.xml")
    except InputError as err:
        assert str(err).startswith("x.xml")
        return
    assert isinstance(element_text(root), str)


def test_docstring_examples_hold() -> None:
    results = doctest.testmod(importlib.import_module("dedup.readers.safexml"))
    assert results.attempted > 0
    assert results.failed == 0
