"""Element trees written as HTML: every text escaped, so no input can add markup."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from hypothesis import given
from hypothesis import strategies as st

from dedup.report.markup import embed, h, to_html

# What the page's script reads (see report.js): tags, quoted attributes, escaped text.
GRAMMAR = re.compile(r'(?:<(/?)([a-z]+)((?: [a-z-]+="[^"<>]*")*)>|[^<]+)*')


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


@given(st.text(), st.text())
def test_any_text_stays_text(text: str, attribute: str) -> None:
    html = to_html(h("p", {"title": attribute}, text, h("b", None, text)))
    assert GRAMMAR.fullmatch(html)
    parser = Tags()
    parser.feed(html.replace("\r", ""))
    parser.close()
    assert parser.tags == ["p", "b"]
    assert "".join(parser.text) == (text + text).replace("\r", "")


@given(st.text())
def test_embedded_text_cannot_close_its_noscript(text: str) -> None:
    body = embed([h("p", None, text)])
    assert body.count("</noscript>") == 1 and body.endswith("</noscript>")


def test_empty_children_are_left_out() -> None:
    assert to_html(h("p", None, "a", None, "", h("i"))) == "<p>a<i></i></p>"
