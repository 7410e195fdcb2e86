"""Word-level differences between a copy and its source, as an editor reads them.

Words are compared by a key that ignores case, typography and punctuation
("Haftar" and "Haftar," are the same word, so are "l'ONU" and l'ONU with a
typographic apostrophe), so
that only changed words are marked. Punctuation inside a figure is kept
("3.5" and "35" differ). Tokens that are punctuation alone ("—", ":") are
shown but never marked.

The alignment is RapidFuzz's Levenshtein alignment of the word keys (as
integers): bit-parallel and banded around a lower bound of the distance,
so two near-duplicate paragraphs of 100,000 words align in a fraction of a
second and unrelated ones in a few seconds, where difflib's matcher is
quadratic (minutes). The result depends on the texts only.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from markupsafe import Markup
from rapidfuzz.distance import Levenshtein

from dedup.report.markup import Node, h, to_html

# Punctuation (any non-word run) is dropped from a word's key unless it
# stands between two digits: "Haftar," is "haftar", "3.5" stays "3.5".
_PUNCTUATION = re.compile(r"(?<![0-9])\W+|\W+(?![0-9])")


def word_key(token: str) -> str:
    """The form under which two words count as the same: no case, no outer punctuation.

    >>> word_key("«Haftar»,"), word_key("L'ONU"), word_key("3,5%"), word_key("—")
    ('haftar', 'lonu', '3,5', '')
    """
    return _PUNCTUATION.sub("", unicodedata.normalize("NFKC", token).casefold())


@dataclass(frozen=True, slots=True)
class Words:
    """A text cut at whitespace: its tokens, and the words among them (tokens with a key).

    Word ``i`` spans tokens ``starts[i]`` up to ``starts[i + 1]`` (its trailing
    punctuation-only tokens with it); tokens before the first word are a prefix.
    """

    tokens: list[str]
    keys: list[str]
    starts: list[int]

    @classmethod
    def of(cls, text: str) -> Words:
        """The tokens and words of ``text``."""
        tokens = text.split()
        keys: list[str] = []
        starts: list[int] = []
        for position, token in enumerate(tokens):
            key = word_key(token)
            if key:
                keys.append(key)
                starts.append(position)
        starts.append(len(tokens))
        return cls(tokens, keys, starts)

    def span(self, first: int, last: int) -> str:
        """Words ``first`` to ``last`` (exclusive), with their punctuation, as text."""
        return " ".join(self.tokens[self.starts[first] : self.starts[last]])

    @property
    def prefix(self) -> str:
        """Punctuation-only tokens before the first word."""
        return " ".join(self.tokens[: self.starts[0]])


@dataclass(frozen=True, slots=True)
class Change:
    """One step of a difference: ``equal``, ``delete`` (source words), ``insert`` (copy words)."""

    op: str
    text: str


def diff_words(text: str, canonical: str) -> Iterator[Change]:
    """How ``text`` differs from ``canonical``, word by word, in reading order.

    >>> [(c.op, c.text) for c in diff_words("The cat sat, down.", "the cat sat on it")]
    [('equal', 'The cat sat,'), ('delete', 'on it'), ('insert', 'down.')]
    """
    old, new = Words.of(canonical), Words.of(text)
    if new.prefix:
        yield Change("equal", new.prefix)
    ids: dict[str, int] = {}
    old_ids = [ids.setdefault(key, len(ids)) for key in old.keys]
    new_ids = [ids.setdefault(key, len(ids)) for key in new.keys]
    opcodes = Levenshtein.opcodes(old_ids, new_ids, score_hint=_band(old_ids, new_ids))
    # Consecutive replacements, deletions and insertions read as one change:
    # the source's words struck, then the copy's words added.
    pending: tuple[int, int, int, int] | None = None
    for opcode in opcodes:
        tag, a1, a2, b1, b2 = (
            opcode.tag,
            opcode.src_start,
            opcode.src_end,
            opcode.dest_start,
            opcode.dest_end,
        )
        if tag != "equal":
            pending = (pending[0], a2, pending[2], b2) if pending else (a1, a2, b1, b2)
            continue
        yield from _replacement(old, new, pending)
        pending = None
        yield Change("equal", new.span(b1, b2))
    yield from _replacement(old, new, pending)


def _replacement(
    old: Words, new: Words, span: tuple[int, int, int, int] | None
) -> Iterator[Change]:
    if span is None:
        return
    a1, a2, b1, b2 = span
    if a2 > a1:
        yield Change("delete", old.span(a1, a2))
    if b2 > b1:
        yield Change("insert", new.span(b1, b2))


def _band(old: list[int], new: list[int]) -> int | None:
    """Where the alignment starts looking: a lower bound of the edit distance (the words
    one side has more of than the other), when it is small enough for a banded alignment
    to pay; widened as needed, so the alignment is the same either way."""
    longest = max(len(old), len(new))
    floor = longest - sum((Counter(old) & Counter(new)).values()) + 1
    return floor if floor * 4 <= longest else None


_TAGS = {"delete": "del", "insert": "ins"}


def diff_nodes(text: str, canonical: str) -> list[Node]:
    """``text`` against ``canonical`` as element-tree nodes: ``<del>`` for words it lacks,
    ``<ins>`` for words it adds, plain text for the rest."""
    nodes: list[Node] = []
    for change in diff_words(text, canonical):
        if nodes:
            nodes.append(" ")
        tag = _TAGS.get(change.op)
        nodes.append(h(tag, None, change.text) if tag else change.text)
    return nodes


def word_diff(text: str, canonical: str) -> Markup:
    """``text`` marked up against ``canonical``: words it lacks struck, words it adds marked.

    >>> str(word_diff("a b d", "a b c"))
    'a b <del>c</del> <ins>d</ins>'
    >>> str(word_diff("Haftar, a dit", "haftar a dit"))
    'Haftar, a dit'
    """
    return Markup("".join(to_html(node) for node in diff_nodes(text, canonical)))
