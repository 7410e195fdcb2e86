"""Markdown (CommonMark with tables): prose paragraphs, with the markup that is not prose
left out (headings, code, tables, front matter, comments, template directives; see
``ReadConfig.skip_blocks``).

Parsed by markdown-it-py, whose block tokens carry their source lines; a
paragraph's text is its inline content as read (link targets, inline HTML
and emphasis marks left out), so that markup never makes two copies differ.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import cache
from typing import TYPE_CHECKING

from dedup.config import MarkupBlock, ReadConfig
from dedup.readers.markup import Found, marker_of, markup_document, source_lines, squeeze
from dedup.records import Document
from dedup.segment import Block

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

# Front matter: YAML between "---" lines (Jekyll, Hugo, MkDocs), or TOML between "+++" (Hugo).
_FRONT_MATTER = {"---": ("---", "..."), "+++": ("+++",)}
_COMMENT = re.compile(r"^\s*<!--(.*?)-->\s*$", re.DOTALL)
# A paragraph made of template tags only (Hugo shortcodes, Liquid and Jinja tags) or a
# MyST colon fence is a directive to a site generator, not prose.
# Each tag's body excludes its own delimiters, so that a paragraph splits into tags one way
# only (no backtracking over ways to split a long hostile one).
_DIRECTIVE = re.compile(r"^(?:\s*(?:\{\{[<%][^{}]*[%>]\}\}|\{%[^%]*%\}|:::+[^\n]*))+\s*$")


def read_markdown(text: str, source: str, config: ReadConfig) -> Iterator[Document]:
    """The document of one Markdown file: its paragraphs with their lines and columns."""
    lines = source_lines(text)
    blocks: list[tuple[MarkupBlock | None, Block]] = []
    front = _front_matter(lines)
    if front is not None:
        first, last = front
        body = "\n".join(lines[first:last])
        blocks.append((MarkupBlock.FRONT_MATTER, Block(1, squeeze(body), last + 1, 1)))
        lines = [""] * (last + 1) + lines[last + 1 :]
    markers: list[Found] = []
    title: str | None = None
    tokens = _parser().parse("\n".join(lines))
    for position, token in enumerate(tokens):
        found = _block(token, tokens, position, lines, markers)
        if found is None:
            continue
        kind, block = found
        if kind is MarkupBlock.HEADINGS and title is None:
            title = block.text
        blocks.append((kind, block))
    skipped = config.skipped()
    kept = [block for kind, block in blocks if block.text and kind not in skipped]
    yield markup_document(source, title, kept, markers)


def _block(
    token: Token, tokens: Sequence[Token], position: int, lines: list[str], markers: list[Found]
) -> tuple[MarkupBlock | None, Block] | None:
    """The block a token opens (its kind, None for prose), or None; markers go to ``markers``."""
    if token.map is None:
        return None
    start, end = token.map
    if token.type in ("paragraph_open", "heading_open"):
        inline = tokens[position + 1]
        text = _plain(inline)
        if token.type == "heading_open":
            kind: MarkupBlock | None = MarkupBlock.HEADINGS
        elif _DIRECTIVE.match(inline.content):
            kind = MarkupBlock.DIRECTIVES
        else:
            kind = None
        first = inline.content.split("\n", 1)[0].strip()
        # A setext heading's map covers its underline too; it ends on its text.
        end = start + inline.content.count("\n") + 1 if kind is MarkupBlock.HEADINGS else end
        return kind, Block(start + 1, text, end, _column(lines[start], first))
    if token.type in ("fence", "code_block"):
        # A fence whose info string is "{name}" is a MyST directive.
        kind = MarkupBlock.DIRECTIVES if token.info.startswith("{") else MarkupBlock.CODE
        return kind, Block(start + 1, squeeze(token.content), end, _column(lines[start], ""))
    if token.type == "tr_open":
        cells = []
        for inner in tokens[position + 1 :]:
            if inner.type == "tr_close":
                break
            if inner.type == "inline":
                cells.append(_plain(inner))
        text = squeeze(" ".join(cells))
        return MarkupBlock.TABLES, Block(start + 1, text, end, _column(lines[start], ""))
    if token.type == "html_block":
        comment = _COMMENT.match(token.content)
        if comment is None:
            return None  # raw HTML is layout, not prose
        marker = marker_of(comment.group(1))
        if marker is not None:
            markers.append((start + 1, 1, marker))
            return None
        text = squeeze(comment.group(1))
        return MarkupBlock.COMMENTS, Block(start + 1, text, end, _column(lines[start], ""))
    return None


def _plain(inline: Token) -> str:
    """The text of an inline token as a reader sees it: no markup, link targets or HTML."""
    parts: list[str] = []
    for child in inline.children or ():
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(child.content)  # the alt text
    return squeeze("".join(parts))


def _column(line: str, first: str) -> int:
    """1-based column where a block's text starts on its first line (after list and quote
    marks), or its first non-blank character."""
    found = line.find(first) if first else -1
    if found < 0:
        found = len(line) - len(line.lstrip())
    return found + 1


def _front_matter(lines: list[str]) -> tuple[int, int] | None:
    """``(first, last)`` 0-based lines of the front matter's body and closing fence, if any."""
    closers = _FRONT_MATTER.get(lines[0].rstrip()) if lines else None
    if closers is None:
        return None
    for number in range(1, len(lines)):
        if lines[number].rstrip() in closers:
            return 1, number
    return None


@cache
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table")
