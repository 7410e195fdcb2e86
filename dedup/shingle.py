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

import numba
import numpy as np

from dedup.config import ShingleConfig

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
    if len(text) < config.shingle_size:
        return [text] if text else []
    return [text[i : i + config.shingle_size] for i in range(len(text) - config.shingle_size + 1)]


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


def shingle_batch(texts: Sequence[str], config: ShingleConfig) -> Shingles:
    """Hashed shingles of many normalised paragraphs at once."""
    codepoints, starts = _codepoints(texts)
    if config.shingle_kind == "word":
        hashes, offsets = _word_shingles(codepoints, starts, _word_table(), config.shingle_size)
    else:
        hashes, offsets = _char_shingles(codepoints, starts, config.shingle_size)
    return Shingles(hashes=hashes, offsets=offsets)


def _codepoints(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """All texts as one uint32 code-point buffer, with each text's start (and the end)."""
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    starts = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(lengths, out=starts[1:])
    buffer = "".join(texts).encode("utf-32-le", "surrogatepass")
    return np.frombuffer(buffer, dtype=np.uint32), starts


@lru_cache(maxsize=1)
def _word_table() -> np.ndarray:
    """For every code point, whether it belongs to a word (``str.isalnum``)."""
    return np.fromiter((chr(c).isalnum() for c in range(0x110000)), dtype=np.bool_, count=0x110000)


@numba.njit(cache=True, nogil=True)
def _char_shingles(
    codepoints: np.ndarray, starts: np.ndarray, size: int
) -> tuple[np.ndarray, np.ndarray]:  # pragma: no cover - compiled
    n = len(starts) - 1
    offsets = np.zeros(n + 1, dtype=np.int64)
    for i in range(n):
        length = starts[i + 1] - starts[i]
        count = length - size + 1 if length >= size else (1 if length > 0 else 0)
        offsets[i + 1] = offsets[i] + count
    hashes = np.empty(offsets[n], dtype=np.uint32)
    for i in range(n):
        start = starts[i]
        length = starts[i + 1] - start
        width = size if length >= size else length
        for j in range(offsets[i + 1] - offsets[i]):
            h = np.uint64(0)
            for k in range(width):
                h = (h + np.uint64(codepoints[start + j + k]) + _ONE) * _MULTIPLIER
            hashes[offsets[i] + j] = np.uint32(h >> _SHIFT)
    return hashes, offsets


@numba.njit(cache=True, nogil=True)
def _word_shingles(
    codepoints: np.ndarray, starts: np.ndarray, table: np.ndarray, size: int
) -> tuple[np.ndarray, np.ndarray]:  # pragma: no cover - compiled
    n = len(starts) - 1
    # Pass 1: the 64-bit hash of every word, and where each text's words start.
    word_hashes = np.empty(len(codepoints), dtype=np.uint64)
    word_starts = np.zeros(n + 1, dtype=np.int64)
    count = 0
    for i in range(n):
        h = np.uint64(0)
        in_word = False
        for position in range(starts[i], starts[i + 1]):
            if table[codepoints[position]]:
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
    # Pass 2: n-grams of words, hashed over the word hashes.
    offsets = np.zeros(n + 1, dtype=np.int64)
    for i in range(n):
        words = word_starts[i + 1] - word_starts[i]
        grams = words - size + 1 if words >= size else (1 if words > 0 else 0)
        offsets[i + 1] = offsets[i] + grams
    hashes = np.empty(offsets[n], dtype=np.uint32)
    for i in range(n):
        words = word_starts[i + 1] - word_starts[i]
        width = size if words >= size else words
        for j in range(offsets[i + 1] - offsets[i]):
            h = np.uint64(0)
            for k in range(width):
                h = (h + word_hashes[word_starts[i] + j + k] + _ONE) * _MULTIPLIER
            hashes[offsets[i] + j] = np.uint32(h >> _SHIFT)
    return hashes, offsets
