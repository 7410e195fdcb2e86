"""reStructuredText: prose paragraphs (in sections, lists, admonitions, footnotes), with
section titles, literal blocks, tables, comments and directives left out
(``ReadConfig.skip_blocks``).

Parsed by docutils without its transforms, includes or raw passthrough, and
with every message silenced: a Sphinx role or directive docutils does not
know is not an error here. Paragraph text is as docutils reads it (markup
removed); positions are found in the source from each block's raw text.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING, Any

from dedup.config import MarkupBlock, ReadConfig
from dedup.readers.markup import Found, marker_of, markup_document, source_lines, squeeze
from dedup.records import Document
from dedup.segment import Block

if TYPE_CHECKING:
    from docutils import nodes


def read_rst(text: str, source: str, config: ReadConfig) -> Iterator[Document]:
    """The document of one reStructuredText file: its paragraphs with their lines and columns."""
    from docutils import nodes
    from docutils.parsers.rst import Parser
    from docutils.utils import new_document

    lines = source_lines(text)
    tree = new_document(source, _settings())
    Parser().parse("\n".join(lines), tree)
    skipped = config.skipped()
    locate = _Locator(lines)
    blocks: list[Block] = []
    markers: list[Found] = []
    title: str | None = None
    for node in tree.findall(nodes.Element):
        kind, text_of = _kind(node)
        if text_of is None:
            continue
        found = locate(node.rawsource or node.astext())
        if found is None:
            continue
        line, end_line, column = found
        if isinstance(node, nodes.comment) and (marker := marker_of(node.astext())):
            markers.append((line, column, marker))
            continue
        if kind is MarkupBlock.HEADINGS and title is None:
            title = squeeze(text_of)
        if kind not in skipped and squeeze(text_of):
            blocks.append(Block(line, squeeze(text_of), end_line, column))
    yield markup_document(source, title, blocks, markers)


def _kind(node: nodes.Element) -> tuple[MarkupBlock | None, str | None]:
    """A node's block kind (None for prose) and text, or ``(None, None)`` for no block."""
    from docutils import nodes

    inside = {type(parent) for parent in _parents(node)}
    if nodes.system_message in inside:
        # An unknown directive: docutils keeps its source as a literal block in a message.
        if isinstance(node, nodes.literal_block):
            return MarkupBlock.DIRECTIVES, node.astext()
        return None, None
    if isinstance(node, (nodes.title, nodes.subtitle, nodes.rubric)):
        return MarkupBlock.HEADINGS, node.astext()
    if isinstance(node, (nodes.literal_block, nodes.doctest_block, nodes.line_block)):
        return MarkupBlock.CODE, node.astext()
    if isinstance(node, nodes.comment):
        return MarkupBlock.COMMENTS, node.astext()
    if isinstance(node, nodes.substitution_definition):
        return MarkupBlock.DIRECTIVES, node.astext()
    if isinstance(node, nodes.paragraph):
        if nodes.table in inside:
            return MarkupBlock.TABLES, node.astext()
        if inside & {nodes.title, nodes.literal_block, nodes.substitution_definition}:
            return None, None
        return None, node.astext()
    return None, None


def _parents(node: nodes.Element) -> Iterator[Any]:
    parent = node.parent
    while parent is not None:
        yield parent
        parent = parent.parent


class _Locator:
    """Finds blocks in the source in document order, from their raw text.

    docutils gives some nodes no line and others the line after their own;
    the raw text's first line, searched for from where the last block
    started, is exact.
    """

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.cursor = 0

    def __call__(self, raw: str) -> tuple[int, int, int] | None:
        raw_lines = [line.strip() for line in raw.strip("\n").split("\n")]
        first = raw_lines[0] if raw_lines else ""
        if not first:
            return None
        for number in range(self.cursor, len(self.lines)):
            column = self.lines[number].find(first)
            if column >= 0:
                self.cursor = number
                end = self._end(number, raw_lines[-1], len(raw_lines))
                return number + 1, end + 1, column + 1
        return None

    def _end(self, start: int, last: str, count: int) -> int:
        """The 0-based line where a block whose last raw line is ``last`` ends."""
        for number in range(start + count - 1, len(self.lines)):
            if last and last in self.lines[number]:
                return number
        return start + count - 1


@cache
def _settings() -> Any:
    from docutils.frontend import get_default_settings
    from docutils.parsers.rst import Parser

    settings = get_default_settings(Parser)
    # Silent and self-contained: no messages, no file inclusion, no raw HTML passthrough.
    settings.report_level = 5
    settings.halt_level = 5
    settings.warning_stream = False
    settings.file_insertion_enabled = False
    settings.raw_enabled = False
    return settings
