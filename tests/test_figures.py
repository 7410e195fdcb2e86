"""The figures check: figures read in order, in English and French, and when two lists of
figures tell one story."""

from __future__ import annotations

import doctest
import importlib
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dedup.config import ScanConfig
from dedup.figures import figures, same_figures
from dedup.figures import figures_agree as agree
from dedup.normalize import normalize_text
from dedup.pipeline import scan

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
FRENCH_PAIRS: list[dict[str, Any]] = [
    json.loads(line)
    for line in (FIXTURES / "figures-fr.jsonl").read_text(encoding="utf-8").splitlines()
]


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
        ("la 16e journée, le 1er tour, la 1re fois, la 3ème place", ("16e", "1e", "1e", "3e")),
        ("le xxe siècle, la iie république, françois ier", ("20e", "2e", "1e")),
        ("le huitième anniversaire, la vingt-deuxième édition", ("8e", "22e")),
        ("the 16th round, the 21st day, 1ost it", ("16e", "21e")),
        ("51 000, 51'000, 51.000 et 19 337 992,84 euros", ("51000",) * 3 + ("1933799284",)),
        ("à 14h30, à 14 h 30, vers 22h20, dès 9h", ("14h30", "14h30", "22h20", "9h")),
        (
            "huit, cent, mille, deux mille cinq cents, quatre-vingt-dix",
            ("8", "100", "1000", "2500", "90"),
        ),
        ("deux millions, soixante-dix-sept, vingt et un", ("2", "m", "77", "21")),
        ("5 pour cent et 6 per cent", ("5", "6")),
        ("la vie de civils, buy ive aircraft", ()),
        ("sold 400mln stg and 9.63billion, up 24pct, 0f them", ("400", "m", "963", "b", "24")),
        ("richmond, va., march 23 (reuters) - reynolds 200 mln", ("200", "m")),
        ("asterdam,march 31 (reuters) - 1.01 billion", ("101", "b")),
        ("tripoli, 12 janvier (aa) - 3 morts", ("3",)),
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
        "french-ordinals",
        "roman-ordinals",
        "ordinal-words",
        "english-ordinals-and-a-misread-word",
        "thousands-separators-and-decimal-comma",
        "times",
        "composed-number-words",
        "magnitudes-and-compounds",
        "percent-in-words",
        "words-that-only-look-like-romans",
        "digits-glued-to-words",
        "noisy-english-dateline",
        "dateline-with-a-lost-space",
        "french-dateline",
    ],
)
def test_figures(text: str, expected: tuple[str, ...]) -> None:
    assert figures(text) == expected


@pytest.mark.parametrize(
    ("left", "right", "plain", "noisy"),
    [
        (("12", "28"), ("12", "28"), True, True),
        ((), (), True, True),
        (("12", "28"), ("12", "1987", "28"), True, True),
        (("28", "6"), ("12", "28"), False, False),
        (("12",), ("13",), False, False),
        (("2", "12"), ("12", "2"), False, False),
        (("1985", "12"), ("19855", "12"), False, True),
        (("720000",), ("72000",), False, True),
        (("1985",), ("19855", "53"), False, True),
        (("60", "7"), ("0", "7"), False, True),
        (("22488", "b"), ("248", "b"), False, True),
        (("28",), ("29",), False, False),
        (("1985",), ("1958",), False, False),
        (("16e",), ("17e",), False, False),
        (("16e",), ("16",), False, False),
        (("12", "b", "101", "b"), ("46", "12", "101"), False, True),
        (("5", "m"), ("5", "b"), False, False),
        (("1", "2", "3", "4", "5"), ("11", "22", "33", "44", "55"), False, False),
    ],
    ids=[
        "same",
        "none",
        "one-side-adds-a-figure",
        "a-figure-changed",
        "only-figure-changed",
        "two-swapped",
        "one-digit-doubled",
        "one-digit-dropped",
        "slip-and-an-added-figure",
        "lone-digit-left-of-a-number",
        "two-slips-in-one-figure",
        "one-digit-changed",
        "digits-transposed",
        "ordinal-changed",
        "ordinal-is-no-cardinal",
        "magnitude-words-garbled",
        "magnitude-changed",
        "another-table",
    ],
)
def test_figures_agree(
    left: tuple[str, ...], right: tuple[str, ...], plain: bool, noisy: bool
) -> None:
    assert agree(left, right) is plain
    assert agree(right, left) is plain
    assert agree(left, right, noisy=True) is noisy
    assert agree(right, left, noisy=True) is noisy


@pytest.mark.parametrize(
    ("left", "right", "same"),
    [
        ("revs 40.1 mln vs 33.1 mln", "revs 4.0 mln vs 3.1 mln", False),
        ("orders totaling 5433 mln dlrs", "orders totaling 543 mln dlrs", False),
        ("the ec accounts for 60 pct of the market", "the ec acounts for 0 pct of te market", True),
        (
            "jat takes delivery between 1991 and 1994",
            "jat takes delivery betwen 1991 and 19994",
            True,
        ),
        ("sales rose to 1.08 billion dlrs", "sales rose to l.08 billionddlrs", True),
        ("la 16e journée de premier league", "la 17e journée de premiere league", False),
    ],
    ids=[
        "template-digits-dropped",
        "same-words-other-figure",
        "misread-copy-lost-a-digit",
        "misread-copy-doubled-a-digit",
        "misread-magnitude",
        "ordinal-changed-in-a-noisy-copy",
    ],
)
def test_digits_are_forgiven_only_where_the_text_slips_too(
    left: str, right: str, same: bool
) -> None:
    assert same_figures(figures(left), figures(right), lambda: (left, right)) is same
    assert same_figures(figures(right), figures(left), lambda: (right, left)) is same


@pytest.mark.parametrize("pair", FRENCH_PAIRS, ids=[pair["id"] for pair in FRENCH_PAIRS])
def test_french_pairs_report_the_figures_they_were_written_with(pair: dict[str, Any]) -> None:
    left, right = (normalize_text(text) for text in pair["paragraphs"])
    expected = pair["figures"] == "same"
    assert same_figures(figures(left), figures(right), lambda: (left, right)) is expected


def test_french_pairs_are_near_duplicates_or_figures_variants_end_to_end() -> None:
    report = scan([str(FIXTURES / "figures-fr.jsonl")], ScanConfig())
    found = {
        cluster.members[0].paragraph.doc: (cluster.kind.value, len(cluster.members))
        for cluster in report.clusters
    }
    expected = {
        pair["id"]: ("near" if pair["figures"] == "same" else "figures", 2) for pair in FRENCH_PAIRS
    }
    assert found == expected


figure_lists = st.lists(
    st.sampled_from(["0", "2", "12", "28", "1985", "19855", "m", "b", "16e", "14h30"]), max_size=5
)


@given(figure_lists, figure_lists, st.booleans())
def test_agreement_is_symmetric(left: list[str], right: list[str], noisy: bool) -> None:
    assert agree(tuple(left), tuple(right), noisy) is agree(tuple(right), tuple(left), noisy)


@given(figure_lists, st.booleans())
def test_figures_agree_with_themselves_and_with_a_figure_added(
    left: list[str], noisy: bool
) -> None:
    assert agree(tuple(left), tuple(left), noisy)
    assert agree(tuple(left), (*left, "1987"), noisy)


@given(figure_lists, figure_lists)
def test_noise_only_forgives(left: list[str], right: list[str]) -> None:
    if agree(tuple(left), tuple(right)):
        assert agree(tuple(left), tuple(right), noisy=True)


@pytest.mark.parametrize("module", ["dedup.figures", "dedup.align"])
def test_docstring_examples_hold(module: str) -> None:
    results = doctest.testmod(importlib.import_module(module))
    assert results.attempted > 0
    assert results.failed == 0
