"""Element trees for the parts of the page shown on demand, and how they are written.

A large report holds far more than a browser should build at once (the
Reuters-21578 report: 20,000 copies, 35,000 paragraphs). So each dispatch's
and each cluster's body is written as HTML inside ``<noscript>``:

- a browser without script shows it as it is;
- a browser with script parses ``<noscript>`` content as plain text, which
  costs next to nothing, and the page's script builds the body's elements
  from that text when the body is opened.

The script does not hand the text to an HTML parser: it reads only the
little grammar ``to_html`` writes (``<tag name="value">``, ``</tag>``, text
whose only ``&`` are the five escapes markupsafe writes) and builds
whitelisted elements and attributes with ``createElement``, and text with
text nodes. Input text is escaped, so no input can add an element, close
the ``<noscript>`` or reach an attribute.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

from markupsafe import Markup

Node = Union[str, "Element"]


@dataclass(frozen=True, slots=True)
class Element:
    """An HTML element: tag, attributes (in order) and children (elements or text)."""

    tag: str
    attrs: tuple[tuple[str, str], ...]
    children: tuple[Node, ...]


def h(tag: str, attrs: dict[str, str] | None = None, *children: Node | None) -> Element:
    """An element; ``None`` children are left out (``h("p", None, "a", None)`` is ``<p>a</p>``)."""
    return Element(tag, tuple(attrs.items()) if attrs else (), tuple([c for c in children if c]))


def escape(text: str) -> str:
    """``text`` with ``& < > " '`` escaped as markupsafe escapes them (and the page's script
    reads them back).

    >>> escape("<a href=`x`>'&'</a>".replace("`", '"'))
    '&lt;a href=&#34;x&#34;&gt;&#39;&amp;&#39;&lt;/a&gt;'
    """
    # str.replace per character is several times faster than markupsafe's
    # escape on the hundreds of thousands of short strings of a large report.
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&#34;")
        .replace("'", "&#39;")
    )


def to_html(node: Node) -> str:
    """The node as HTML, every text and attribute value escaped.

    >>> to_html(h("p", {"class": "t"}, "a < b ", h("a", {"href": "#x"}, '"q"')))
    '<p class="t">a &lt; b <a href="#x">&#34;q&#34;</a></p>'
    """
    parts: list[str] = []
    _write(node, parts)
    return "".join(parts)


def _write(node: Node, parts: list[str]) -> None:
    if isinstance(node, str):
        parts.append(escape(node))
        return
    parts.append(f"<{node.tag}")
    for name, value in node.attrs:
        parts.append(f' {name}="{escape(value)}"')
    parts.append(">")
    for child in node.children:
        _write(child, parts)
    parts.append(f"</{node.tag}>")


def embed(nodes: list[Node]) -> Markup:
    """``nodes`` as a body shown on demand: their HTML inside ``<noscript>``.

    >>> str(embed([h("p", None, "</noscript><b>")]))
    '<noscript><p>&lt;/noscript&gt;&lt;b&gt;</p></noscript>'
    """
    parts = ["<noscript>"]
    for node in nodes:
        _write(node, parts)
    parts.append("</noscript>")
    return Markup("".join(parts))
