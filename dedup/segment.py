"""Segmentation: text into paragraphs, and paragraphs into dispatches.

A file with blank lines is read as blank-line separated blocks whose wrapped
lines are joined; a file without any is one paragraph per line (wire feeds
and the desk's own exports are often like that). A block whose lines are
long is not wrapped text but several one-line paragraphs, so it is split.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

# Lines longer than this are not the product of wrapping at a fixed width.
_WRAP_WIDTH = 100
# A headline: a few words, at most this many, on one line...
_HEADLINE_WORDS = (3, 25)
_HEADLINE_CHARS = 200
# ... with no closing punctuation (closing quotes or brackets may follow it).
_CLOSED = re.compile(r"[.!?\u2026:;,][\"'\u00bb\u201d\u2019)\]]*$")
# ... and followed by body text: a sentence of at least this many words.
_BODY_WORDS = 12
# A sentence ends at . ! ? (closing quotes or brackets may follow) before a space.
_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"')\]])) +")


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph as found in the text: its 1-based start line, its text, the line it ends on
    and the 1-based column where it starts."""

    line: int
    text: str
    end_line: int = 0
    column: int = 1


def split_paragraphs(text: str) -> list[Block]:
    """Split ``text`` into paragraphs, each with the line it starts on.

    >>> split_paragraphs("One line.\\nAnother line.")[1]
    Block(line=2, text='Another line.', end_line=2, column=1)
    >>> split_paragraphs("  Wrapped\\ntext.\\n\\nNext.")[0]
    Block(line=1, text='Wrapped text.', end_line=2, column=3)
    """
    # Lines end at "\n" (and "\r\n" or "\r"), as editors and grep -n count them;
    # str.splitlines would also cut at form feeds and Unicode separators.
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    numbered = [(number, line.strip()) for number, line in enumerate(lines, start=1)]
    columns = {n: len(line) - len(line.lstrip()) + 1 for n, line in enumerate(lines, start=1)}
    has_blank_between = _has_blank_between(numbered)
    blocks: list[Block] = []
    current: list[tuple[int, str]] = []
    for number, line in numbered:
        if line:
            current.append((number, line))
            if has_blank_between:
                continue
        blocks.extend(_close_block(current, columns))
        current = []
    blocks.extend(_close_block(current, columns))
    return blocks


def _has_blank_between(numbered: Sequence[tuple[int, str]]) -> bool:
    content = [i for i, (_, line) in enumerate(numbered) if line]
    if not content:
        return False
    return any(not line for _, line in numbered[content[0] : content[-1]])


def _close_block(lines: list[tuple[int, str]], columns: dict[int, int]) -> list[Block]:
    if not lines:
        return []
    if len(lines) > 1 and max(len(line) for _, line in lines[:-1]) > _WRAP_WIDTH:
        return [Block(number, line, number, columns[number]) for number, line in lines]
    first, last = lines[0][0], lines[-1][0]
    return [Block(first, " ".join(line for _, line in lines), last, columns[first])]


def is_headline(block: Block, following: Block | None) -> bool:
    """Whether ``block`` opens a new dispatch: a short unpunctuated line before body text.

    >>> body = Block(2, "Le trafic a repris jeudi soir, après avoir été suspendu des heures.")
    >>> is_headline(Block(1, "Libye : Reprise du trafic aérien à Tripoli"), body)
    True
    >>> is_headline(Block(1, "Photographie : Archive, Agence Anadolu"), Block(2, "Fin"))
    False
    """
    words = block.text.split()
    if not _HEADLINE_WORDS[0] <= len(words) <= _HEADLINE_WORDS[1]:
        return False
    if len(block.text) > _HEADLINE_CHARS or _CLOSED.search(block.text):
        return False
    if following is None:
        return False
    return len(following.text.split()) >= _BODY_WORDS and bool(_CLOSED.search(following.text))


def split_dispatches(blocks: Sequence[Block]) -> list[tuple[Block | None, list[Block]]]:
    """Group paragraphs into dispatches: ``(headline or None, body paragraphs)``.

    The text before the first headline, if any, is a dispatch without a title.
    """
    dispatches: list[tuple[Block | None, list[Block]]] = []
    title: Block | None = None
    body: list[Block] = []
    for position, block in enumerate(blocks):
        following = blocks[position + 1] if position + 1 < len(blocks) else None
        if is_headline(block, following):
            if title is not None or body:
                dispatches.append((title, body))
            title, body = block, []
        else:
            body.append(block)
    if title is not None or body:
        dispatches.append((title, body))
    return dispatches


def split_sentences(text: str) -> list[str]:
    """Sentences of a (normalised) paragraph; an abbreviation may split one in two.

    >>> split_sentences('he said "no." then he left. fine')
    ['he said "no."', 'then he left.', 'fine']
    """
    return [s for s in (part.strip() for part in _SENTENCE_END.split(text)) if s]
