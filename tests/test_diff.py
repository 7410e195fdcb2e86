"""Word differences: case and punctuation ignored, edits marked, fast on huge paragraphs."""

from __future__ import annotations

import doctest
import importlib
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dedup.report.diff import Words, diff_words, word_diff, word_key

WORDS = st.lists(
    st.sampled_from(["a", "b", "c", "Haftar,", "l\u2019ONU", "3.5", "—", "x"]), max_size=30
)


@pytest.mark.parametrize(
    ("text", "canonical", "expected"),
    [
        ("a b d", "a b c", "a b <del>c</del> <ins>d</ins>"),
        ("a b c", "a b c", "a b c"),
        ("a <b>", "a", "a <ins>&lt;b&gt;</ins>"),
        ("a", "a <b>&", "a <del>&lt;b&gt;&amp;</del>"),
        ("Haftar, a dit", "haftar a dit", "Haftar, a dit"),
        ("l\u2019ONU dit", "l'ONU dit", "l\u2019ONU dit"),
        ("a — b", "a b", "a — b"),
        ("3.5 mln", "35 mln", "<del>35</del> <ins>3.5</ins> mln"),
        ("", "a b", "<del>a b</del>"),
    ],
    ids=[
        "replaced",
        "same",
        "added-escaped",
        "removed-escaped",
        "punctuation-and-case",
        "apostrophe",
        "dash-alone",
        "figure-punctuation",
        "empty",
    ],
)
def test_word_diff(text: str, canonical: str, expected: str) -> None:
    assert str(word_diff(text, canonical)) == expected


@given(WORDS, WORDS)
def test_the_copy_is_its_equal_and_inserted_words(new: list[str], old: list[str]) -> None:
    changes = list(diff_words(" ".join(new), " ".join(old)))
    shown = " ".join(c.text for c in changes if c.op != "delete")
    assert shown.split() == new
    # The source's words are the equal and the deleted ones (compared as keys).
    kept = [word_key(t) for c in changes if c.op != "insert" for t in c.text.split()]
    assert [k for k in kept if k] == Words.of(" ".join(old)).keys


@given(WORDS)
def test_a_text_against_itself_has_no_marks(words: list[str]) -> None:
    assert "<" not in str(word_diff(" ".join(words), " ".join(words)).replace("&lt;", ""))


def test_huge_near_duplicates_mark_exactly_their_edits() -> None:
    rng = random.Random(7)
    vocabulary = [f"w{n}" for n in range(20_000)]
    source = [rng.choice(vocabulary) for _ in range(100_000)]
    copy = list(source)
    edited = sorted(rng.sample(range(len(copy)), 150))
    for position in edited:
        copy[position] = f"new{position}"
    changes = list(diff_words(" ".join(copy), " ".join(source)))
    inserted = [word for c in changes if c.op == "insert" for word in c.text.split()]
    deleted = [word for c in changes if c.op == "delete" for word in c.text.split()]
    assert inserted == [f"new{p}" for p in edited]
    assert deleted == [source[p] for p in edited]


def test_docstring_examples_hold() -> None:
    results = doctest.testmod(importlib.import_module("dedup.report.diff"))
    assert results.attempted > 0
    assert results.failed == 0
