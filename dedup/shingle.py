"""Shingling: normalised paragraphs into sets of hashed character or word n-grams.

The batch path works on one code-point buffer for many paragraphs at once
(compiled loops, no Python call per shingle). Each shingle is hashed to 32
bits by a polynomial over its code points (for words: over the words'
64-bit hashes) whose top half is kept. The hash is stable across runs and
machines, and ``hash_shingle`` computes the same value for one shingle
string, so it can be handed to ``datasketch.MinHash(hashfunc=...)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from dedup.config import ShingleConfig
from dedup.jit import njit

# An odd 64-bit multiplier (the golden-ratio constant): the polynomial over
# code points is then a bijection step by step, and its top bits mix them all.
_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)
_MASK64 = (1 << 64) - 1
_ONE = np.uint64(1)
_SHIFT = np.uint64(32)


@dataclass(frozen=True, slots=True)
class Shingles:
    """Hashed shingles of many paragraphs; paragraph i's are ``hashes[offsets[i]:offsets[i+1]]``."""

    hashes: np.ndarray
    offsets: np.ndarray

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def of(self, i: int) -> np.ndarray:
        """The shingle hashes of paragraph ``i``."""
        return self.hashes[self.offsets[i] : self.offsets[i + 1]]


def _poly(values: Sequence[int]) -> int:
    h = 0
    for value in values:
        h = ((h + value + 1) * int(_MULTIPLIER)) & _MASK64
    return h


def hash_shingle(shingle: str, kind: str = "char") -> int:
    """The 32-bit hash of one shingle, equal to what the batch path computes.

    A word shingle is its words joined by single spaces.

    >>> hash_shingle("libye") == hash_shingle("libye")
    True
    >>> 0 <= hash_shingle("la résolution 2510", "word") < 2**32
    True
    """
    if kind == "word":
        return _poly([_poly([ord(c) for c in word]) for word in shingle.split(" ")]) >> 32
    return _poly([ord(c) for c in shingle]) >> 32


def shingle_strings(text: str, config: ShingleConfig) -> list[str]:
    """The shingles of one normalised paragraph as strings (reference path, for tests and peers).

    >>> shingle_strings("abcdef", ShingleConfig(shingle_kind="char", shingle_size=5))
    ['abcde', 'bcdef']
    >>> shingle_strings("a b c", ShingleConfig(shingle_kind="word", shingle_size=2))
    ['a b', 'b c']
    """
    if config.shingle_kind == "word":
        words = [w for w in _split_words(text) if w]
        if len(words) < config.shingle_size:
            return [" ".join(words)] if words else []
        return [
            " ".join(words[i : i + config.shingle_size])
            for i in range(len(words) - config.shingle_size + 1)
        ]
    text = matching_form(text)
    if len(text) < config.shingle_size:
        return [text] if text else []
    return [text[i : i + config.shingle_size] for i in range(len(text) - config.shingle_size + 1)]


def matching_form(text: str) -> str:
    """The character stream that character shingles are cut from.

    Only letters and digits, with the confusions of OCR and keyboards folded:
    spaces and punctuation dropped (so a lost space, a hyphenation or a house
    style of quotes changes nothing), a doubled character taken once, "rn"
    read as "m", "0" as "o" and "1" as "l". The figures check, not this,
    compares numbers.

    >>> matching_form("last october, the govern- ment 1ost 100 mln")
    'lastoctoberthegovementlostlomln'
    """
    out: list[str] = []
    position = 0
    while position < len(text):
        char = text[position]
        position += 1
        if not char.isalnum():
            continue
        if char == "r" and text[position : position + 1] == "n":
            char, position = "m", position + 1
        char = _READ_AS.get(char, char)
        if not out or out[-1] != char:
            out.append(char)
    return "".join(out)


_READ_AS = {"0": "o", "1": "l"}


def _split_words(text: str) -> list[str]:
    words: list[str] = []
    current: list[str] = []
    for char in text:
        if char.isalnum():
            current.append(char)
        elif current:
            words.append("".join(current))
            current = []
    if current:
        words.append("".join(current))
    return words


@dataclass(frozen=True, slots=True)
class TextBuffer:
    """Many texts as one code-point buffer: text ``i`` is ``codepoints[begins[i]:ends[i]]``.

    Built once per scan; shingling, word counts and sentence splitting then
    run as compiled loops over spans of it, with no Python string per piece.
    """

    codepoints: np.ndarray
    begins: np.ndarray
    ends: np.ndarray
    #: For every code point up to the largest present, whether it is a letter or digit.
    alnum: np.ndarray
    #: ``words[k]``: how many words start before position ``k`` (a word starts at a letter
    #: or digit that follows none); spans of the buffer count their words from it.
    words: np.ndarray

    @classmethod
    def of(cls, texts: Sequence[str]) -> TextBuffer:
        """The buffer of ``texts``."""
        lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
        starts = np.zeros(len(texts) + 1, dtype=np.int64)
        np.cumsum(lengths, out=starts[1:])
        joined = "".join(texts)
        # One byte per character for ASCII copy (most wire copy): a quarter
        # of the memory and bandwidth of UTF-32. The kernels take either.
        if joined.isascii():
            codepoints = np.frombuffer(joined.encode("ascii"), dtype=np.uint8)
        else:
            encoded = joined.encode("utf-32-le", "surrogatepass")
            codepoints = np.frombuffer(encoded, dtype=np.uint32)
        alnum = _alnum_table(codepoints)
        return cls(codepoints, starts[:-1], starts[1:], alnum, _word_prefix(codepoints, alnum))

    def __len__(self) -> int:
        return len(self.begins)

    def text(self, i: int) -> str:
        """Text ``i`` as a string."""
        piece = self.codepoints[self.begins[i] : self.ends[i]]
        return piece.tobytes().decode("ascii" if piece.dtype == np.uint8 else "utf-32-le")

    def word_counts(self) -> np.ndarray:
        """Words (runs of letters or digits) of every text, as ``normalize.word_count``."""
        counts = self.words[self.ends] - self.words[self.begins]
        # A text that opens on a letter right after a letter (texts are joined
        # without a separator, sentences split at spaces) opens a word the
        # prefix did not count.
        opens = np.flatnonzero((self.ends > self.begins) & (self.begins > 0))
        letters = self.alnum[self.codepoints[self.begins[opens]]]
        counts[opens] += letters & self.alnum[self.codepoints[self.begins[opens] - 1]]
        return counts

    def sentences(self, rows: np.ndarray) -> tuple[TextBuffer, np.ndarray]:
        """The sentences of texts ``rows`` (as ``segment.split_sentences``), and each one's row."""
        begins, ends, owners = _sentence_spans(self.codepoints, self.begins, self.ends, rows)
        return TextBuffer(self.codepoints, begins, ends, self.alnum, self.words), owners


def _word_prefix(codepoints: np.ndarray, alnum: np.ndarray) -> np.ndarray:
    """How many words start before each position of ``codepoints`` (one more entry)."""
    letters = alnum[codepoints]
    starts = letters.copy()
    starts[1:] &= ~letters[:-1]
    words = np.zeros(len(codepoints) + 1, dtype=np.int64)
    np.cumsum(starts, out=words[1:])
    return words


# ``str.isalnum`` of the code points below this, computed once: Latin,
# Greek, Cyrillic, Arabic and their punctuation, most wire copy.
_COMMON_CODEPOINTS = 0x3000


def _alnum_table(codepoints: np.ndarray) -> np.ndarray:
    """``str.isalnum`` of every code point up to the largest in ``codepoints``."""
    common = _common_alnum()
    largest = int(codepoints.max()) if len(codepoints) else 0
    if largest < len(common):
        return common
    present = np.flatnonzero(np.bincount(codepoints))
    table = np.zeros(int(present[-1]) + 1, dtype=np.bool_)
    table[: len(common)] = common
    rare = present[present >= len(common)]
    table[rare] = [chr(c).isalnum() for c in rare.tolist()]
    return table


@lru_cache(maxsize=1)
def _common_alnum() -> np.ndarray:
    return np.array([chr(c).isalnum() for c in range(_COMMON_CODEPOINTS)], dtype=np.bool_)


def shingle_batch(texts: Sequence[str], config: ShingleConfig) -> Shingles:
    """Hashed shingles of many normalised paragraphs at once."""
    buffer = TextBuffer.of(texts)
    return shingle_spans(buffer, np.arange(len(buffer), dtype=np.int64), config)


def shingle_spans(buffer: TextBuffer, rows: np.ndarray, config: ShingleConfig) -> Shingles:
    """Hashed shingles of texts ``rows`` of ``buffer``, in that order."""
    begins, ends = buffer.begins[rows], buffer.ends[rows]
    if config.shingle_kind == "word":
        hashes, offsets = _word_shingles(
            buffer.codepoints, begins, ends, buffer.alnum, config.shingle_size
        )
    else:
        hashes, offsets = _char_shingles(
            buffer.codepoints, begins, ends, buffer.alnum, config.shingle_size
        )
    return Shingles(hashes=hashes, offsets=offsets)


def _spans(lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(offsets, rows)`` of runs of ``lengths``: run ``r`` is ``offsets[r]:offsets[r+1]`` of a
    flat array, and ``rows[k]`` is the run that flat position ``k`` belongs to."""
    offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    return offsets, np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)


def _sentence_spans(
    codepoints: np.ndarray, begins: np.ndarray, ends: np.ndarray, rows: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(begins, ends, owners)`` of the sentences of spans ``rows`` (as
    ``segment.split_sentences``): a sentence ends at a space that follows . ! ? or one
    closing quote or bracket after them, inside its span."""
    if len(rows) == 0:
        none = np.zeros(0, dtype=np.int64)
        return none, none, none
    spaces = np.flatnonzero(codepoints[1:] == 32) + 1
    after_mark = np.isin(codepoints[spaces - 1], _SENTENCE_MARKS)
    after_quote = np.zeros(len(spaces), dtype=bool)
    deep = np.flatnonzero(spaces >= 2)
    after_quote[deep] = np.isin(codepoints[spaces[deep] - 1], _CLOSERS) & np.isin(
        codepoints[spaces[deep] - 2], _SENTENCE_MARKS
    )
    first, last = begins[rows], ends[rows]
    owner = np.searchsorted(first, spaces, side="right") - 1
    at = np.maximum(owner, 0)
    # The break and the mark before it lie inside the span (a span's first
    # character never breaks it).
    inside = (owner >= 0) & (spaces > first[at]) & (spaces < last[at])
    breaks_here = inside & (after_mark | (after_quote & (spaces - 2 >= first[at])))
    breaks, owner = spaces[breaks_here], owner[breaks_here]
    per_row = np.bincount(owner, minlength=len(rows)) + 1
    offsets, owners = _spans(per_row)
    out_begins = np.empty(offsets[-1], dtype=np.int64)
    out_ends = np.empty(offsets[-1], dtype=np.int64)
    out_begins[offsets[:-1]] = first
    out_ends[offsets[1:] - 1] = last
    # The k-th break of a span ends its k-th sentence and opens the next.
    rank = np.arange(len(breaks)) - np.searchsorted(owner, owner)
    slot = offsets[:-1][owner] + rank
    out_ends[slot] = breaks
    out_begins[slot + 1] = breaks + 1
    return out_begins, out_ends, rows[owners]


_SENTENCE_MARKS = np.array([46, 33, 63], dtype=np.uint32)  # . ! ?
_CLOSERS = np.array([34, 39, 41, 93], dtype=np.uint32)  # " ' ) ]


@njit
def _matching_chars(
    codepoints: np.ndarray, begin: int, end: int, alnum: np.ndarray, out: np.ndarray
) -> int:  # pragma: no cover - compiled
    """Write ``matching_form`` of one text into ``out``; return its length."""
    length = 0
    position = begin
    while position < end:
        char = np.uint32(codepoints[position])
        position += 1
        if not alnum[char]:
            continue
        if char == 114 and position < end and codepoints[position] == 110:  # "rn"
            char = np.uint32(109)  # "m"
            position += 1
        if char == 48:  # "0"
            char = np.uint32(111)  # "o"
        elif char == 49:  # "1"
            char = np.uint32(108)  # "l"
        if length == 0 or out[length - 1] != char:
            out[length] = char
            length += 1
    return length


@njit
def _char_shingles(
    codepoints: np.ndarray, begins: np.ndarray, ends: np.ndarray, alnum: np.ndarray, size: int
) -> tuple[np.ndarray, np.ndarray]:  # pragma: no cover - compiled
    stream, starts = _matching_streams(codepoints, begins, ends, alnum)
    return _gram_hashes(stream, starts, size)


@njit
def _word_shingles(
    codepoints: np.ndarray, begins: np.ndarray, ends: np.ndarray, alnum: np.ndarray, size: int
) -> tuple[np.ndarray, np.ndarray]:  # pragma: no cover - compiled
    n = len(begins)
    # The 64-bit hash of every word, and where each text's words start.
    word_hashes = np.empty(np.sum(ends - begins), dtype=np.uint64)
    word_starts = np.zeros(n + 1, dtype=np.int64)
    count = 0
    for i in range(n):
        h = np.uint64(0)
        in_word = False
        for position in range(begins[i], ends[i]):
            if alnum[codepoints[position]]:
                h = (h + np.uint64(codepoints[position]) + _ONE) * _MULTIPLIER
                in_word = True
            elif in_word:
                word_hashes[count] = h
                count += 1
                h = np.uint64(0)
                in_word = False
        if in_word:
            word_hashes[count] = h
            count += 1
        word_starts[i + 1] = count
    return _gram_hashes(word_hashes, word_starts, size)


@njit
def _gram_hashes(
    values: np.ndarray, starts: np.ndarray, size: int
) -> tuple[np.ndarray, np.ndarray]:  # pragma: no cover - compiled
    """32-bit hashes of the ``size``-grams of each run ``values[starts[i]:starts[i+1]]``
    (a run shorter than ``size`` is one gram, an empty one none), and their offsets."""
    n = len(starts) - 1
    offsets = np.zeros(n + 1, dtype=np.int64)
    for i in range(n):
        length = starts[i + 1] - starts[i]
        grams = length - size + 1 if length >= size else (1 if length > 0 else 0)
        offsets[i + 1] = offsets[i] + grams
    hashes = np.empty(offsets[n], dtype=np.uint32)
    for i in range(n):
        length = starts[i + 1] - starts[i]
        width = size if length >= size else length
        for j in range(offsets[i + 1] - offsets[i]):
            h = np.uint64(0)
            for k in range(width):
                h = (h + values[starts[i] + j + k] + _ONE) * _MULTIPLIER
            hashes[offsets[i] + j] = np.uint32(h >> _SHIFT)
    return hashes, offsets


def matching_forms(texts: Sequence[str]) -> list[str]:
    """``matching_form`` of many texts at once, by the compiled loop of character shingles.

    >>> matching_forms(["last october, the govern- ment 1ost", ""])
    ['lastoctoberthegovementlost', '']
    """
    stream, starts = matching_streams(TextBuffer.of(texts), np.arange(len(texts)))
    joined = stream.tobytes().decode("utf-32-le", "surrogatepass")
    bounds = starts.tolist()
    return [joined[bounds[i] : bounds[i + 1]] for i in range(len(texts))]


def matching_streams(buffer: TextBuffer, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The matching forms of texts ``rows`` of ``buffer`` as one code-point array, and where
    each starts (``starts[i]:starts[i + 1]``)."""
    return _matching_streams(
        buffer.codepoints, buffer.begins[rows], buffer.ends[rows], buffer.alnum
    )


@njit
def _matching_streams(
    codepoints: np.ndarray, begins: np.ndarray, ends: np.ndarray, alnum: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:  # pragma: no cover - compiled
    """The matching forms of texts ``begins[i]:ends[i]`` one after the other, and where each
    starts."""
    stream = np.empty(np.sum(ends - begins), dtype=np.uint32)
    starts = np.zeros(len(begins) + 1, dtype=np.int64)
    for i in range(len(begins)):
        length = _matching_chars(codepoints, begins[i], ends[i], alnum, stream[starts[i] :])
        starts[i + 1] = starts[i] + length
    return stream[: starts[-1]], starts
