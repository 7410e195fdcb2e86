"""The figures check: figures read in order, and when two lists of figures tell one story."""

from __future__ import annotations

import doctest
import importlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dedup.figures import figures
from dedup.figures import figures_agree as agree


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("net profit 1.2 mln vs 900,000, up l0 pct", ("12", "m", "900000", "10")),
        ("shr 28 cts vs 12 cts", ("28", "12")),
        ("le 12 janvier 2020", ("12", "2020")),
        ("record 007 and 0", ("7", "0")),
        ("revs 1o.5 mln", ("105", "m")),
        ("loss six cts vs profit two cts", ("6", "2")),
        ("trois milliards de dollars", ("3", "b")),
        ("someone said none", ()),
        ("aucun chiffre ici", ()),
    ],
    ids=[
        "separators-magnitude-ocr",
        "in-order",
        "date",
        "leading-zeros",
        "ocr-o",
        "number-words",
        "french-words",
        "words-inside-words",
        "none",
    ],
)
def test_figures(text: str, expected: tuple[str, ...]) -> None:
    assert figures(text) == expected


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        (("12", "28"), ("12", "28"), True),
        ((), (), True),
        (("12", "28"), ("12", "1987", "28"), True),
        (("28", "6"), ("12", "28"), False),
        (("12",), ("13",), False),
        (("2", "12"), ("12", "2"), False),
        (("1985", "12"), ("19855", "12"), True),
        (("720000",), ("72000",), True),
        (("1985",), ("19855", "53"), True),
        (("28",), ("29",), False),
        (("5",), ("55",), False),
        (("1985",), ("1958",), False),
    ],
    ids=[
        "same",
        "none",
        "one-side-adds-a-figure",
        "a-figure-changed",
        "only-figure-changed",
        "two-swapped",
        "one-digit-doubled-is-noise",
        "one-digit-dropped-is-noise",
        "slip-and-an-added-figure",
        "one-digit-changed",
        "single-digit-doubled-is-another-figure",
        "digits-transposed",
    ],
)
def test_figures_agree(left: tuple[str, ...], right: tuple[str, ...], expected: bool) -> None:
    assert agree(left, right) is expected
    assert agree(right, left) is expected


figure_lists = st.lists(st.sampled_from(["0", "2", "12", "28", "1985", "19855", "m"]), max_size=5)


@given(figure_lists, figure_lists)
def test_agreement_is_symmetric(left: list[str], right: list[str]) -> None:
    assert agree(tuple(left), tuple(right)) is agree(tuple(right), tuple(left))


@given(figure_lists)
def test_figures_agree_with_themselves_and_with_a_figure_added(left: list[str]) -> None:
    assert agree(tuple(left), tuple(left))
    assert agree(tuple(left), (*left, "1987"))


def test_docstring_examples_hold() -> None:
    results = doctest.testmod(importlib.import_module("dedup.figures"))
    assert results.attempted > 0
    assert results.failed == 0
