"""Shingling: the compiled batch path equals ``hash_shingle`` over ``shingle_strings``."""

from __future__ import annotations

import doctest
import importlib

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from dedup.config import ShingleConfig
from dedup.normalize import normalize_text, word_count
from dedup.segment import split_sentences
from dedup.shingle import (
    TextBuffer,
    hash_shingle,
    matching_form,
    matching_forms,
    shingle_batch,
    shingle_spans,
    shingle_strings,
)

CHAR5 = ShingleConfig(shingle_kind="char", shingle_size=5)
WORD2 = ShingleConfig(shingle_kind="word", shingle_size=2)
WORD3 = ShingleConfig(shingle_kind="word", shingle_size=3)

any_character = st.characters(codec="utf-8")  # what a UTF-8 file can hold
texts = st.lists(
    st.text(st.one_of(st.sampled_from("ab cé'-.\n\u00a0"), any_character), max_size=40),
    max_size=6,
)


@pytest.mark.parametrize(
    ("text", "config", "expected"),
    [
        ("abcdef", CHAR5, ["abcde", "bcdef"]),
        ("abcde", CHAR5, ["abcde"]),
        ("abc", CHAR5, ["abc"]),
        ("", CHAR5, []),
        ("a b c", WORD2, ["a b", "b c"]),
        ("l'onu a dit: non.", WORD2, ["l onu", "onu a", "a dit", "dit non"]),
        ("deux mots", WORD3, ["deux mots"]),
        ("... --- ...", WORD2, []),
        ("net 1.2 mln", WORD2, ["net 1", "1 2", "2 mln"]),
    ],
    ids=[
        "char-grams",
        "char-exact-size",
        "char-short-text-whole",
        "char-empty",
        "word-grams",
        "word-punctuation-splits",
        "word-short-text-whole",
        "word-no-words",
        "word-figures-split-at-points",
    ],
)
def test_shingle_strings(text: str, config: ShingleConfig, expected: list[str]) -> None:
    assert shingle_strings(text, config) == expected


@given(texts, st.sampled_from(["char", "word"]), st.integers(1, 8))
def test_batch_equals_hash_shingle_over_strings(texts: list[str], kind: str, size: int) -> None:
    config = ShingleConfig(shingle_kind=kind, shingle_size=size)
    batch = shingle_batch(texts, config)
    assert len(batch) == len(texts)
    assert batch.hashes.dtype == np.uint32
    for i, text in enumerate(texts):
        expected = [hash_shingle(s, kind) for s in shingle_strings(text, config)]
        assert batch.of(i).tolist() == expected


@given(texts, st.sampled_from(["char", "word"]), st.integers(1, 6), st.data())
def test_spans_of_a_buffer_equal_the_batch(
    texts: list[str], kind: str, size: int, data: st.DataObject
) -> None:
    config = ShingleConfig(shingle_kind=kind, shingle_size=size)
    buffer = TextBuffer.of(texts)
    assert [buffer.text(i) for i in range(len(buffer))] == texts
    rows = data.draw(st.lists(st.integers(0, max(len(texts) - 1, 0)), max_size=len(texts)))
    spans = shingle_spans(buffer, np.array(rows, dtype=np.int64), config)
    batch = shingle_batch([texts[r] for r in rows], config)
    assert spans.offsets.tolist() == batch.offsets.tolist()
    assert spans.hashes.tolist() == batch.hashes.tolist()


@given(texts)
def test_buffer_word_counts_equal_word_count(texts: list[str]) -> None:
    assert TextBuffer.of(texts).word_counts().tolist() == [word_count(t) for t in texts]


sentence_texts = st.lists(
    st.text(st.sampled_from("ab .!?\"')]\u00bb,"), min_size=1, max_size=40).map(normalize_text),
    min_size=1,
    max_size=5,
)


@given(sentence_texts)
def test_buffer_sentences_equal_split_sentences(texts: list[str]) -> None:
    assume(all(texts))  # the pipeline splits paragraphs of several words only
    buffer = TextBuffer.of(texts)
    sentences, owners = buffer.sentences(np.arange(len(texts), dtype=np.int64))
    found = [(int(o), sentences.text(i)) for i, o in enumerate(owners.tolist())]
    expected = [(row, s) for row, text in enumerate(texts) for s in split_sentences(text)]
    assert found == expected


def test_batch_of_nothing() -> None:
    batch = shingle_batch([], CHAR5)
    assert len(batch) == 0
    assert batch.hashes.size == 0


def test_empty_paragraph_has_no_shingles_while_a_short_one_has_one() -> None:
    batch = shingle_batch(["", "qtly", "reuter"], CHAR5)
    assert [len(batch.of(i)) for i in range(3)] == [0, 1, 2]


def test_word_shingles_ignore_punctuation_and_spacing() -> None:
    batch = shingle_batch(["net profit, up 12 pct", "net  profit up 12 pct."], WORD3)
    assert batch.of(0).tolist() == batch.of(1).tolist()


def test_one_typo_spoils_only_the_shingles_that_cover_it(seed_lines: dict[int, str]) -> None:
    # Seed lines 11 and 26 differ by one letter ("libyennes" / "libyenne").
    left, right = normalize_text(seed_lines[11]), normalize_text(seed_lines[26])
    batch = shingle_batch([left, right], CHAR5)
    a, b = set(batch.of(0).tolist()), set(batch.of(1).tolist())
    assert 0 < len(a - b) <= CHAR5.shingle_size
    assert 0 < len(b - a) <= CHAR5.shingle_size


@pytest.mark.parametrize(
    ("shingle", "kind", "expected"),
    [
        ("libye", "char", 1271136908),
        ("a b", "word", 2974853754),
        ("la résolution 2510", "word", 4256389950),
    ],
    ids=["char", "word", "word-accented"],
)
def test_hash_shingle_is_stable_across_releases(shingle: str, kind: str, expected: int) -> None:
    # Stored signatures depend on these values: a change here invalidates every index.
    assert hash_shingle(shingle, kind) == expected


def test_docstring_examples_hold() -> None:
    results = doctest.testmod(importlib.import_module("dedup.shingle"))
    assert results.attempted > 0
    assert results.failed == 0


def test_sentences_of_no_text_are_none() -> None:
    buffer = TextBuffer.of(["Deux phrases. Et une autre.", "Fin."])
    sentences, owners = buffer.sentences(np.zeros(0, dtype=np.int64))
    assert (len(sentences), owners.tolist()) == (0, [])


@given(texts)
def test_matching_forms_equal_matching_form(texts: list[str]) -> None:
    assert matching_forms(texts) == [matching_form(text) for text in texts]
