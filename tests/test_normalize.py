"""Normalisation: one comparable form, idempotent, the batch equal to one text at a time."""

from __future__ import annotations

import doctest
import importlib
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dedup.config import NormalizeConfig
from dedup.normalize import normalize_many, normalize_text, word_count

# Characters that house styles, keyboards and OCR put in wire copy.
WIRE_CHARACTERS = (
    "\n\r\t\x0c\u00a0\u202f\u2009\u2002\u3000"  # line breaks, no-break, thin and wide spaces
    "\u00ab\u00bb\u2039\u203a\u201c\u201d\u201e\u2018\u2019\u02bc`\u00b4"  # quotes
    "\u2010\u2011\u2013\u2014\u2212\u2026-:;!?'\".,"  # dashes, ellipsis, punctuation
    "\u0301\u0300\u0308\u0327\u030c\u0342\u0345\u00b4"  # combining marks, spacing accent
    "e\u00e9E\u00c9\u0130\u0131\u00df\u1e9e\u03a3\u03c2\ufb01\uff11\u00bd"  # letters with traps
    "\u01f0\u0390\u1e96\u1fb7"  # case folding leaves these decomposed: NFKC must follow it
    "0123456789 "
)
any_character = st.characters(codec="utf-8")  # what a UTF-8 file can hold: no lone surrogates
wire_text = st.text(st.one_of(st.sampled_from(WIRE_CHARACTERS), any_character), max_size=40)
configs = st.builds(
    NormalizeConfig,
    fold_accents=st.booleans(),
    tight_punctuation=st.booleans(),
    join_hyphenation=st.booleans(),
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("L\u2019ONU", "l'onu"),
        ("\u201cNon\u201d, a-t-il dit", '"non", a-t-il dit'),
        ("\u00ab\u00a0Volcan de la Col\u00e8re\u00a0\u00bb", '"volcan de la colère"'),
        ("Libye : Tripoli", "libye: tripoli"),
        ("Vraiment ?  Oui !", "vraiment? oui!"),
        ("Libye \u2013 Tripoli \u2014 Benghazi", "libye - tripoli - benghazi"),
        ("Il attend\u2026", "il attend..."),
        ("12\u00a0000 dollars,\u202fjeudi", "12 000 dollars, jeudi"),
        ("  deux   espaces\tet\ttab  ", "deux espaces et tab"),
        ("ligne un\nligne deux", "ligne un ligne deux"),
        ("\ufb01nancement", "financement"),
        ("\uff11\uff19\uff18\uff17", "1987"),
        ("STRASSE und Stra\u00dfe", "strasse und strasse"),
        ("e\u0301te\u0301", "été"),
        ("exam- ple", "example"),
        ("1987- the year", "1987- the year"),
        ("net profit 1.2 mln vs 900,000", "net profit 1.2 mln vs 900,000"),
        ("", ""),
    ],
    ids=[
        "apostrophe",
        "curly-quotes",
        "guillemets-nbsp",
        "french-colon",
        "french-question-exclamation",
        "dashes",
        "ellipsis",
        "no-break-spaces",
        "whitespace-runs",
        "newline-inside",
        "ligature",
        "full-width-digits",
        "casefold-sharp-s",
        "combining-accents-composed",
        "hyphenation-joined",
        "hyphen-after-digit-kept",
        "figures-kept",
        "empty",
    ],
)
def test_normalize_text_examples(text: str, expected: str) -> None:
    assert normalize_text(text) == expected


@pytest.mark.parametrize(
    ("config", "text", "expected"),
    [
        (NormalizeConfig(fold_accents=False), "Résolution", "résolution"),
        (NormalizeConfig(fold_accents=True), "Résolution adoptée", "resolution adoptee"),
        (NormalizeConfig(tight_punctuation=False), "Libye : Tripoli", "libye : tripoli"),
        (NormalizeConfig(join_hyphenation=False), "exam- ple", "exam- ple"),
    ],
    ids=["accents-kept", "accents-folded", "loose-punctuation", "hyphenation-kept"],
)
def test_normalize_switches(config: NormalizeConfig, text: str, expected: str) -> None:
    assert normalize_text(text, config) == expected


def test_french_and_english_headline_typography_compare_equal(seed_lines: dict[int, str]) -> None:
    # The seed's own headlines use both "Libye :" (line 7) and "Libye:" (line 14).
    assert normalize_text(seed_lines[7]).startswith("libye: le conseil")
    assert normalize_text(seed_lines[14]).startswith("libye: une nouvelle")


def test_normalize_many_of_nothing() -> None:
    assert normalize_many([]) == []


@given(wire_text, configs)
def test_normalization_is_idempotent(text: str, config: NormalizeConfig) -> None:
    once = normalize_text(text, config)
    assert normalize_text(once, config) == once


@given(st.lists(wire_text, max_size=8), configs)
def test_batch_equals_one_by_one(texts: list[str], config: NormalizeConfig) -> None:
    assert normalize_many(texts, config) == [normalize_text(t, config) for t in texts]


@given(wire_text, configs)
def test_output_is_one_nfkc_line_with_single_spaces(text: str, config: NormalizeConfig) -> None:
    out = normalize_text(text, config)
    assert unicodedata.is_normalized("NFKC", out)
    assert "\n" not in out
    assert " ".join(out.split()) == out


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("Net profit 1.2 mln vs 900,000", 8),
        ("l'onu a dit: non.", 5),
        ("Reuter", 1),
        ("", 0),
        ("  a \n b\u00a0c ", 3),
        ("-- ... --", 0),
    ],
    ids=["figures-split", "apostrophe-splits", "sign-off", "empty", "whitespace", "no-word"],
)
def test_word_count(text: str, count: int) -> None:
    assert word_count(text) == count


def test_docstring_examples_hold() -> None:
    results = doctest.testmod(importlib.import_module("dedup.normalize"))
    assert results.attempted > 0
    assert results.failed == 0
