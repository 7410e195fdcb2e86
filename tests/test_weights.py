"""Weights: document frequencies over every sketched unit, and scikit-learn's IDF from them."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer

from dedup.config import ShingleConfig
from dedup.shingle import hash_shingle, shingle_batch, shingle_strings
from dedup.weights import Weights

texts = st.lists(st.text(st.sampled_from("abcde fgh"), max_size=30), max_size=8)
SHINGLE = ShingleConfig()


def expected_frequencies(batch: list[str]) -> dict[int, int]:
    """Units holding each shingle hash, counted one text at a time."""
    counts: dict[int, int] = {}
    for text in batch:
        for value in {hash_shingle(s) for s in shingle_strings(text, SHINGLE)}:
            counts[value] = counts.get(value, 0) + 1
    return counts


def as_dict(weights: Weights) -> dict[int, int]:
    return dict(zip(weights.hashes.tolist(), weights.counts.tolist(), strict=True))


@given(texts)
def test_frequencies_count_units_not_occurrences(batch: list[str]) -> None:
    weights = Weights.of(shingle_batch(batch, SHINGLE))
    assert as_dict(weights) == expected_frequencies(batch)
    assert weights.units == len(batch)
    assert weights.hashes.tolist() == sorted(weights.hashes.tolist())


@given(texts, texts)
def test_counted_apart_and_added_equals_counted_together(left: list[str], right: list[str]) -> None:
    apart = Weights.of(shingle_batch(left, SHINGLE)) + Weights.of(shingle_batch(right, SHINGLE))
    together = Weights.of(shingle_batch(left + right, SHINGLE))
    assert as_dict(apart) == as_dict(together)
    assert apart.units == together.units
    assert as_dict(
        Weights.total([Weights.of(shingle_batch(t, SHINGLE)) for t in (left, right)])
    ) == (as_dict(together))


@given(texts, texts)
def test_removing_what_was_added_gives_the_weights_back(
    kept: list[str], removed: list[str]
) -> None:
    base = Weights.of(shingle_batch(kept, SHINGLE))
    extra = Weights.of(shingle_batch(removed, SHINGLE))
    back = (base + extra) - extra
    assert as_dict(back) == as_dict(base)
    assert back.units == base.units


def test_idf_is_scikit_learns_fitted_on_the_same_units() -> None:
    batch = ["la résolution 2510", "la résolution 2510 du conseil", "un cessez-le-feu", "la trêve"]
    vectorizer = CountVectorizer(analyzer=lambda text: shingle_strings(text, SHINGLE))
    fitted = TfidfTransformer().fit(vectorizer.fit_transform(batch))
    names = vectorizer.get_feature_names_out()
    hashes = np.array([hash_shingle(name) for name in names], dtype=np.uint32)
    weights = Weights.of(shingle_batch(batch, SHINGLE))
    assert weights.idf(hashes) == pytest.approx(fitted.idf_)


def test_an_unseen_shingle_is_as_rare_as_can_be() -> None:
    weights = Weights.of(shingle_batch(["abcdefgh", "abcdexyz"], SHINGLE))
    unseen = np.array([hash_shingle("qqqqq")], dtype=np.uint32)
    common = np.array([hash_shingle("abcde")], dtype=np.uint32)
    assert weights.frequencies(unseen).tolist() == [0]
    assert weights.frequencies(common).tolist() == [2]
    assert weights.idf(unseen)[0] > weights.idf(common)[0]
    assert Weights.empty().idf(unseen).tolist() == [1.0]
