"""XML and HTML parsed safely, and the paragraphs of their elements.

Wire XML comes from outside: it is parsed with entity resolution, DTD
loading and network access off, and a document that declares entities is
refused (declared entities are how entity bombs and external-file reads
work; news XML does not need them). Entities of a DTD that is referred to
but not loaded (``&nbsp;`` in NITF) are read as the HTML entities of that
name. Errors are ``InputError``s naming the file and line.
"""

from __future__ import annotations

import html.entities
import re

from lxml import etree

from dedup.errors import InputError
from dedup.records import Paragraph
from dedup.segment import split_paragraphs

#: The XML roots dedup reads, for messages about the ones it does not.
KNOWN_ROOTS = "NITF <nitf>, NewsML-G2 <newsItem> or <newsMessage>"

# The root element's start tag, once the prolog is passed.
_ROOT_TAG = re.compile(r"<(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)")
# Prolog items (the XML declaration, processing instructions, comments) and how each ends.
_PROLOG_ITEMS = (("<?", "?>"), ("<!--", "-->"))
# How much of a text is looked at to find its root element.
_SNIFF_CHARS = 65536
# Elements whose text is never paragraph text (an HTML head too: its title).
_NOT_TEXT = frozenset({"script", "style", "noscript", "template"})
_XHTML_HEAD = "{http://www.w3.org/1999/xhtml}head"
# Markup's own layout: ASCII white space other than one space. A no-break space is
# text (French typography puts one before a colon) and is kept. Single spaces are
# not matched: most of a text is left as it is, which keeps the pass cheap.
_SPACES = re.compile(r" ?[\t\n\r\f\v][ \t\n\r\f\v]*| {2,}")
# Elements that end a line of text inside a paragraph-less body.
_BREAKS = frozenset({"br", "div", "section", "article", "li", "tr", "h1", "h2", "h3", "h4"})


def root_name(text: str) -> str | None:
    """The local name of the root element of an XML text, or None when it does not look like XML.

    >>> root_name('<?xml version="1.0"?>\\n<!-- x -->\\n<n:newsItem xmlns:n="...">')
    'newsItem'
    >>> root_name("Plain text.") is None
    True
    """
    # A loop over the prolog, not one regular expression: a hostile text of many
    # processing instructions must cost one pass, not a backtracking search.
    head = text[:_SNIFF_CHARS]
    position = 1 if head.startswith("\ufeff") else 0
    while True:
        while position < len(head) and head[position].isspace():
            position += 1
        for opening, closing in _PROLOG_ITEMS:
            if head.startswith(opening, position):
                end = head.find(closing, position + len(opening))
                if end < 0:
                    return None
                position = end + len(closing)
                break
        else:
            if not head.startswith("<!DOCTYPE", position):
                found = _ROOT_TAG.match(head, position)
                return found.group(1) if found else None
            position = _doctype_end(head, position)
            if position < 0:
                return None


def _doctype_end(head: str, start: int) -> int:
    """Where a ``<!DOCTYPE ...>`` starting at ``start`` ends (past its internal subset), or -1."""
    close = head.find(">", start)
    subset = head.find("[", start, close if close >= 0 else len(head))
    if subset >= 0:
        end = head.find("]", subset)
        close = head.find(">", end) if end >= 0 else -1
    return close + 1 if close >= 0 else -1


def localname(element: etree._Element) -> str:
    """An element's name without its namespace ('' for comments and entities)."""
    tag = element.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def children(element: etree._Element, name: str) -> list[etree._Element]:
    """The child elements named ``name`` (in any namespace)."""
    return [c for c in element if isinstance(c.tag, str) and localname(c) == name]


def child(element: etree._Element, *path: str) -> etree._Element | None:
    """The first element down ``path`` (local names), or None."""
    for name in path:
        found = children(element, name)
        if not found:
            return None
        element = found[0]
    return element


def parse_xml(text: str, source: str) -> etree._Element:
    """The root element of an XML text, parsed safely, or an ``InputError``."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as err:
        raise InputError(f"{source}: not XML text (a lone surrogate code point)") from err
    # The text is already decoded: the parser is told it is UTF-8 whatever its
    # declaration says.
    parser = etree.XMLParser(
        encoding="utf-8",
        resolve_entities=False,
        load_dtd=False,
        dtd_validation=False,
        no_network=True,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as err:
        if "<!ENTITY" in text:
            raise _declared_entities(source) from err
        line = err.lineno or 1
        raise InputError(f"{source}:{line}: not well-formed XML: {_message(err)}") from err
    except ValueError as err:  # e.g. a document lxml refuses outright
        raise InputError(f"{source}: not XML: {err}") from err
    if root is None:
        raise InputError(f"{source}: not XML: no root element")
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise _declared_entities(source)
    for entity in root.iter(etree.Entity):
        if _entity_text(entity) is None:
            raise InputError(
                f"{source}:{entity.sourceline}: unknown entity &{entity.name}; "
                "(entities of a DTD are not loaded; only the HTML ones are known)"
            )
    return _prepared(root, html=False)


def _prepared(root: etree._Element, html: bool) -> etree._Element:
    """The tree made ready for reading text, once: entities replaced by their text, scripts
    and styles (and an HTML head) removed, a line break where ``br`` and blocks are."""
    for node in list(root.iter()):
        if isinstance(node, etree._Entity):
            _replace(node, _entity_text(node) or "")
            continue
        name = localname(node).lower()
        if name in _NOT_TEXT or (name == "head" and (html or node.tag == _XHTML_HEAD)):
            _replace(node, "")
        elif name in _BREAKS:
            node.tail = "\n" + (node.tail or "")
            if name != "br":
                node.text = "\n" + (node.text or "")
    return root


def _replace(node: etree._Element, text: str) -> None:
    """Take ``node`` (and what it holds) out of its tree, leaving ``text`` in its place."""
    parent = node.getparent()
    if parent is None:
        return
    kept = text + (node.tail or "")
    previous = node.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + kept
    else:
        parent.text = (parent.text or "") + kept
    parent.remove(node)


def unknown_root(root: etree._Element, source: str) -> InputError:
    """The error for an XML document whose root is no format dedup reads."""
    return InputError(
        f"{source}:{root.sourceline}: XML root <{localname(root)}> is not a wire format "
        f"dedup reads ({KNOWN_ROOTS})"
    )


def _declared_entities(source: str) -> InputError:
    return InputError(
        f"{source}: the document declares XML entities (<!ENTITY ...>): refused, since "
        "expanding them is how entity bombs and external-file reads work"
    )


def _message(err: etree.XMLSyntaxError) -> str:
    # lxml appends ", line N, column M (<string>, line N)": the line is given once, in front.
    return re.sub(r"(, line \d+, column \d+)? \(<string>, line \d+\)$", "", str(err))


def _entity_text(entity: etree._Entity) -> str | None:
    """The text of an HTML entity by name (``nbsp``), or None when it has none."""
    name = entity.name
    if name.startswith("#"):  # a character reference kept as such
        try:
            code = int(name[2:], 16) if name[1:2] in ("x", "X") else int(name[1:])
            return chr(code)
        except (ValueError, OverflowError):
            return None
    return html.entities.html5.get(f"{name};")


def parse_html(fragment: str) -> etree._Element | None:
    """The tree of an HTML text (a page or a fragment), or None when it holds no element.

    The HTML parser loads nothing from outside either: no DTD, no network.
    """
    parser = etree.HTMLParser(
        encoding="utf-8", no_network=True, remove_comments=True, remove_pis=True
    )
    data = fragment.encode("utf-8", "replace")
    if not data.strip():
        return None
    try:
        root = etree.fromstring(data, parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None
    return _prepared(root, html=True) if root is not None else None


def html_paragraphs(fragment: str) -> list[str]:
    """The paragraphs of an HTML text: its ``p`` elements, or its lines when it has none.

    >>> html_paragraphs("<p>One &amp; <b>two</b>.</p><script>x()</script><p>Three.</p>")
    ['One & two.', 'Three.']
    >>> html_paragraphs("First line<br>Second line")
    ['First line', 'Second line']
    """
    tree = parse_html(fragment)
    # Lines of a fragment are not lines of the file it came in.
    return [text for _, text in element_paragraphs(tree)] if tree is not None else []


def element_text(element: etree._Element) -> str:
    """The text of an element and its descendants, the markup's white space collapsed.

    >>> element_text(etree.fromstring("<p>One <em>two</em>\\n  three</p>"))
    'One two three'
    """
    return _collapsed("".join(element.itertext()))


def _collapsed(text: str) -> str:
    # Most paragraph text holds no layout white space: a substring test spares it the
    # regular expression, which costs more than the rest of reading an HTML body.
    if "  " in text or any(space in text for space in "\t\n\r\f\v"):
        text = _SPACES.sub(" ", text)
    return text.strip()


def element_paragraphs(element: etree._Element) -> list[tuple[int | None, str]]:
    """``(line, text)`` of the paragraphs inside an element: its ``p`` elements, in order.

    An element without any ``p`` (a body of bare text, or of ``br``-separated
    lines) is split as plain text is, at blank lines or at each line. The line
    is the source line of the element (None in a parsed fragment).
    """
    paragraphs = [
        (p.sourceline, element_text(p))
        for p in element.iter()
        if isinstance(p.tag, str) and localname(p).lower() == "p" and not _inside_p(p, element)
    ]
    if paragraphs:
        return [(line, text) for line, text in paragraphs if text]
    text = "".join(element.itertext())
    start = element.sourceline
    return [
        (start + block.line - 1 if start is not None else None, _collapsed(block.text))
        for block in split_paragraphs(text)
    ]


def _inside_p(element: etree._Element, top: etree._Element) -> bool:
    parent = element.getparent()
    while parent is not None and parent is not top:
        if isinstance(parent.tag, str) and localname(parent).lower() == "p":
            return True
        parent = parent.getparent()
    return False


def paragraph_records(
    doc_id: str, source: str, found: list[tuple[int | None, str]]
) -> tuple[Paragraph, ...]:
    """``Paragraph`` records of the ``(line, text)`` pairs found in one document."""
    return tuple(
        Paragraph(doc=doc_id, index=index, source=source, line=line, text=text)
        for index, (line, text) in enumerate(found)
    )
