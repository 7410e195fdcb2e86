"""Segmentation: paragraphs with their start lines, dispatches opened by headlines."""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest
from conftest import SEED_BODY_LINES, SEED_HEADLINES
from hypothesis import given
from hypothesis import strategies as st

from dedup.segment import Block, is_headline, split_dispatches, split_paragraphs, split_sentences

BODY = Block(2, "Le trafic aérien a repris son cours normal, jeudi soir, après des heures d'arrêt.")
LONG_LINE = "x" * 120


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", []),
        ("\n \n\t\n", []),
        ("One line.\nAnother line.", [(1, "One line."), (2, "Another line.")]),
        ("Wrapped\ntext.\n\nNext\npara.", [(1, "Wrapped text."), (4, "Next para.")]),
        ("\n\nFirst.\n\n\n\nSecond.\n\n", [(3, "First."), (7, "Second.")]),
        ("  Indented\n  wrap.\n   \nNext.", [(1, "Indented wrap."), (4, "Next.")]),
        ("Wrapped\r\ntext.\r\n\r\nNext.\r\n", [(1, "Wrapped text."), (4, "Next.")]),
        (
            f"{LONG_LINE}\n{LONG_LINE}y\n\nShort\nwrap.",
            [(1, LONG_LINE), (2, LONG_LINE + "y"), (4, "Short wrap.")],
        ),
    ],
    ids=[
        "empty",
        "only-blank-lines",
        "no-blank-lines-one-per-line",
        "blank-separated-wrapped-joined",
        "leading-and-trailing-blanks",
        "whitespace-only-line-is-blank",
        "crlf",
        "long-lines-are-not-wrapping",
    ],
)
def test_split_paragraphs(text: str, expected: list[tuple[int, str]]) -> None:
    assert [(b.line, b.text) for b in split_paragraphs(text)] == expected


@pytest.mark.parametrize("separator", ["\x0c", "\x85", "\u2028"], ids=["ff", "nel", "u2028"])
def test_line_numbers_count_newlines_as_editors_do(separator: str) -> None:
    text = f"First paragraph{separator}with an odd break inside.\nSecond paragraph.\n"
    blocks = split_paragraphs(text)
    assert [(b.line, b.text) for b in blocks][-1] == (2, "Second paragraph.")


lines_of_words = st.lists(
    st.one_of(st.just(""), st.text(st.sampled_from("ab .\t"), min_size=1, max_size=130)),
    max_size=12,
)


@given(lines_of_words)
def test_paragraphs_keep_every_word_in_order(lines: list[str]) -> None:
    text = "\n".join(lines)
    blocks = split_paragraphs(text)
    assert " ".join(b.text for b in blocks).split() == text.split()


@given(lines_of_words)
def test_each_paragraph_starts_on_its_line(lines: list[str]) -> None:
    blocks = split_paragraphs("\n".join(lines))
    numbers = [b.line for b in blocks]
    assert numbers == sorted(set(numbers))
    for block in blocks:
        assert block.text.startswith(lines[block.line - 1].strip())
        assert lines[block.line - 1].strip()


@pytest.mark.parametrize(
    ("block", "following", "expected"),
    [
        (Block(1, "Libye : Reprise du trafic aérien à l'aéroport de Mitiga"), BODY, True),
        (Block(1, "Libye: une nouvelle attaque repoussée au sud de Tripoli"), BODY, True),
        (Block(1, "Photographie : Archive, Agence Anadolu"), Block(2, "Fin"), False),
        (Block(1, "Libye Tripoli"), BODY, False),
        (Block(1, "Le trafic a repris jeudi soir."), BODY, False),
        (Block(1, "Le porte-parole a déclaré ceci :"), BODY, False),
        (Block(1, 'Il a demandé "pourquoi?"'), BODY, False),
        (Block(1, "Libye : Reprise du trafic aérien à Tripoli"), None, False),
        (Block(1, " ".join(["mot"] * 26)), BODY, False),
        (Block(1, "Libye : Reprise du trafic aérien à Tripoli"), Block(2, "Libye : Suite"), False),
    ],
    ids=[
        "headline-french-colon",
        "headline-english-colon",
        "credit-line-before-short-line",
        "too-few-words",
        "ends-with-full-stop",
        "ends-with-colon",
        "ends-with-quoted-question",
        "nothing-follows",
        "too-many-words",
        "followed-by-another-headline",
    ],
)
def test_is_headline(block: Block, following: Block | None, expected: bool) -> None:
    assert is_headline(block, following) is expected


def test_seed_dispatches_open_at_its_headlines(seed_path: str) -> None:
    blocks = split_paragraphs(Path(seed_path).read_text(encoding="utf-8"))
    dispatches = split_dispatches(blocks)
    assert [title.line if title else None for title, _ in dispatches] == SEED_HEADLINES
    assert [[b.line for b in body] for _, body in dispatches] == SEED_BODY_LINES


def test_text_opening_with_a_headline_has_no_untitled_dispatch() -> None:
    title = Block(1, "Libye : Reprise du trafic aérien à Tripoli")
    dispatches = split_dispatches([title, BODY])
    assert dispatches == [(title, [BODY])]


def test_no_paragraphs_no_dispatches() -> None:
    assert split_dispatches([]) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('he said "no." then he left. fine', ['he said "no."', "then he left.", "fine"]),
        ("one sentence without an end", ["one sentence without an end"]),
        ("why? because! so.", ["why?", "because!", "so."]),
        ("figures 1.2 mln stay whole.", ["figures 1.2 mln stay whole."]),
        ("", []),
    ],
    ids=["quoted-end", "no-end", "question-exclamation", "decimal-point", "empty"],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_docstring_examples_hold() -> None:
    results = doctest.testmod(importlib.import_module("dedup.segment"))
    assert results.attempted > 0
    assert results.failed == 0


def test_a_paragraph_knows_where_it_ends_and_its_column() -> None:
    text = "Title line\n\n   Indented paragraph\n   wrapped over\n   three lines.\n\nLast."
    blocks = split_paragraphs(text)
    assert [(b.line, b.end_line, b.column) for b in blocks] == [(1, 1, 1), (3, 5, 4), (7, 7, 1)]


@given(st.text())
def test_any_text_segments_into_located_paragraphs(text: str) -> None:
    # Hostile or binary-looking text is segmented, never an exception: every block is
    # non-empty, one line of text, within the text's lines, and dispatches keep every block.
    blocks = split_paragraphs(text)
    last_line = text.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1
    for block in blocks:
        assert block.text and block.text == block.text.strip()
        assert "\n" not in block.text and "\r" not in block.text
        assert 1 <= block.line <= block.end_line <= last_line
        assert block.column >= 1
    assert [b.line for b in blocks] == sorted(b.line for b in blocks)
    grouped = split_dispatches(blocks)
    assert sum(len(body) + (title is not None) for title, body in grouped) == len(blocks)
