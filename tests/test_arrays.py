"""Sort-based array helpers: equal to NumPy's own, whatever the values."""

from __future__ import annotations

import doctest
import importlib

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from dedup.arrays import distinct, run_lengths, unique_pairs

int_arrays = hnp.arrays(np.int64, st.integers(0, 50), elements=st.integers(-5, 2**40))


@given(int_arrays)
def test_distinct_equals_numpy_unique(values: np.ndarray) -> None:
    assert distinct(values).tolist() == np.unique(values).tolist()


@given(int_arrays)
def test_run_lengths_equal_numpy_unique_counts(values: np.ndarray) -> None:
    found, counts = run_lengths(np.sort(values))
    expected, expected_counts = np.unique(values, return_counts=True)
    assert (found.tolist(), counts.tolist()) == (expected.tolist(), expected_counts.tolist())


@given(hnp.arrays(np.int64, st.tuples(st.integers(0, 30), st.just(2)), elements=st.integers(0, 99)))
def test_unique_pairs_are_the_sorted_set_of_ordered_pairs(pairs: np.ndarray) -> None:
    expected = sorted({(min(a, b), max(a, b)) for a, b in pairs.tolist()})
    assert [tuple(p) for p in unique_pairs(pairs).tolist()] == expected


def test_docstring_examples_hold() -> None:
    results = doctest.testmod(importlib.import_module("dedup.arrays"))
    assert results.attempted > 0
    assert results.failed == 0
