"""Units: distinct normalised texts with stable ids, occurrences, and the canonical order."""

from __future__ import annotations

import doctest
import importlib
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dedup.errors import InputError
from dedup.records import Document, Paragraph
from dedup.units import canonical_order, distinct_units, unit_id, unit_key


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("reuter", "4a6edf3c95ddbf16"),
        ("", "7253502bba3cd95a"),
        ("la résolution 2510 du conseil de sécurité", "772752dc8729f018"),
    ],
    ids=["ascii", "empty", "french"],
)
def test_unit_ids_are_stable_across_releases(text: str, expected: str) -> None:
    # Indexes store these ids and Spark joins on them: they must never change.
    assert unit_key(unit_id(text)) == expected


@given(st.text())
def test_unit_ids_fit_a_signed_64_bit_integer(text: str) -> None:
    assert 0 <= unit_id(text) < 2**63


@given(st.lists(st.sampled_from(["a", "b", "c", "d"]), max_size=20))
def test_units_partition_the_paragraphs(texts: list[str]) -> None:
    units = distinct_units(texts)
    assert units.texts == list(dict.fromkeys(texts))
    assert [units.texts[u] for u in units.of_paragraph.tolist()] == texts
    places = sorted(p for u in range(len(units)) for p in units.occurrences(u))
    assert places == list(range(len(texts)))
    for u in range(len(units)):
        assert units.occurrences(u) == [p for p, t in enumerate(texts) if t == units.texts[u]]
        assert units.ids[u] == unit_id(units.texts[u])
    assert units.counts().tolist() == [texts.count(t) for t in units.texts]


def document(doc: str, source: str, date: str | None = None, ordinal: int = 0) -> Document:
    paragraph = Paragraph(doc=doc, index=0, source=source, line=None, text=doc)
    return Document(
        id=doc, source=source, title=None, paragraphs=(paragraph,), date=date, ordinal=ordinal
    )


def test_canonical_order_is_by_date_then_source_position_and_id() -> None:
    documents = [
        document("undated-b", "b.jsonl"),
        document("late", "z.jsonl", "2020-04-13T08:00:00Z"),
        document("early", "z.jsonl", "2020-04-12T15:00:00+02:00"),
        document("undated-a2", "a.txt", ordinal=1),
        document("undated-a1", "a.txt", ordinal=0),
        document("same-time-y", "y.jsonl", "12-APR-2020 14:00:00"),
        document("same-time-x", "x.jsonl", "2020-04-12T14:00:00Z"),
    ]
    assert [d.id for d in canonical_order(documents)] == [
        "early",  # 13:00 UTC: the date decides before the source name
        "same-time-x",  # the same moment: then by source
        "same-time-y",
        "late",
        "undated-a1",
        "undated-a2",
        "undated-b",
    ]


@given(st.randoms(use_true_random=False))
def test_canonical_order_does_not_depend_on_the_order_given(rng: random.Random) -> None:
    documents = [
        document(f"d{n}", f"{'ab'[n % 2]}.jsonl", f"2020-04-{10 + n % 3}" if n % 4 else None)
        for n in range(12)
    ]
    shuffled = list(documents)
    rng.shuffle(shuffled)
    assert canonical_order(shuffled) == canonical_order(documents)


def test_an_unreadable_date_is_an_input_error() -> None:
    with pytest.raises(InputError, match=r"feed\.jsonl: document 'd1': unrecognised date 'soon'"):
        canonical_order([document("d1", "feed.jsonl", "soon")])


def test_docstring_examples_hold() -> None:
    results = doctest.testmod(importlib.import_module("dedup.units"))
    assert results.attempted > 0
    assert results.failed == 0
