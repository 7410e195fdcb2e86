"""LSH banding: bands from the threshold, band keys, and candidate pairs from shared keys."""

from __future__ import annotations

import itertools
from unittest.mock import patch

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from dedup.candidates import (
    BandTable,
    band_keys,
    band_params,
    candidate_pairs,
    rare_run_pairs,
    run_fingerprints,
)
from dedup.config import CandidateConfig, ShingleConfig, SketchConfig
from dedup.normalize import normalize_text
from dedup.shingle import TextBuffer, shingle_batch
from dedup.sketch import sketch_batch


def pairs_of(found: np.ndarray) -> list[tuple[int, int]]:
    return [(int(a), int(b)) for a, b in found]


@pytest.mark.parametrize("num_perm", [16, 128, 256])
@pytest.mark.parametrize("threshold", [0.2, 0.4, 0.8], ids=["t0.2", "t0.4", "t0.8"])
def test_bands_fit_the_signature(threshold: float, num_perm: int) -> None:
    bands, rows = band_params(CandidateConfig(lsh_threshold=threshold), num_perm)
    assert bands >= 1 and rows >= 1
    assert bands * rows <= num_perm


def test_higher_threshold_means_longer_bands() -> None:
    rows = [band_params(CandidateConfig(lsh_threshold=t), 128)[1] for t in (0.2, 0.5, 0.9)]
    assert rows == sorted(rows)
    assert rows[0] < rows[-1]


def test_band_keys_change_only_in_the_band_that_changed() -> None:
    rng = np.random.default_rng(7)
    signature = rng.integers(0, 2**32, size=(1, 12), dtype=np.uint64).astype(np.uint32)
    changed = signature.copy()
    changed[0, 5] ^= 1  # column 5 lies in band 1 of 4 bands of 3 rows
    keys = band_keys(np.vstack([signature, signature, changed]), bands=4, rows=3)
    assert keys.shape == (3, 4)
    assert keys.dtype == np.uint64
    assert keys[0].tolist() == keys[1].tolist()
    assert [keys[0, b] == keys[2, b] for b in range(4)] == [True, False, True, True]


def test_equal_bands_at_different_positions_give_different_keys() -> None:
    signature = np.array([[9, 9, 9, 9]], dtype=np.uint32)
    keys = band_keys(signature, bands=2, rows=2)
    assert keys[0, 0] != keys[0, 1]


@pytest.mark.parametrize(
    ("column", "expected"),
    [
        ([5, 5, 6, 7], [(0, 1)]),
        ([1, 2, 3, 4], []),
        ([3, 1, 3, 1], [(0, 2), (1, 3)]),
        ([8], []),
        ([], []),
    ],
    ids=["one-shared", "none-shared", "two-buckets", "single-row", "no-rows"],
)
def test_candidate_pairs_from_one_band(column: list[int], expected: list[tuple[int, int]]) -> None:
    keys = np.array(column, dtype=np.uint64).reshape(-1, 1)
    assert pairs_of(candidate_pairs(keys, max_bucket=64)) == expected


@pytest.mark.parametrize(
    ("size", "max_bucket", "count"),
    [(5, 5, 10), (5, 4, 7), (40, 8, 2 * 39 - 1)],
    ids=["at-limit-all-pairs", "over-limit-chain-and-star", "large-bucket"],
)
def test_large_buckets_are_linked_not_expanded(size: int, max_bucket: int, count: int) -> None:
    keys = np.zeros((size, 1), dtype=np.uint64)
    found = pairs_of(candidate_pairs(keys, max_bucket=max_bucket))
    assert len(found) == count
    # Linked or expanded, the bucket stays one connected group around its first row.
    reached = {0} | {b for a, b in found if a == 0}
    assert reached == set(range(size))


key_matrices = hnp.arrays(
    np.uint64,
    st.tuples(st.integers(0, 12), st.integers(1, 4)),
    elements=st.integers(0, 3),
)


@given(key_matrices)
def test_candidates_are_the_rows_sharing_a_key(keys: np.ndarray) -> None:
    found = pairs_of(candidate_pairs(keys, max_bucket=100))
    expected = [
        (i, j)
        for i, j in itertools.combinations(range(keys.shape[0]), 2)
        if (keys[i] == keys[j]).any()
    ]
    assert found == expected


def test_near_duplicates_become_candidates(seed_lines: dict[int, str]) -> None:
    numbers = [11, 26, 16, 20, 9, 31]
    texts = [normalize_text(seed_lines[n]) for n in numbers]
    sketch = SketchConfig()
    bands, rows = band_params(CandidateConfig(), sketch.num_perm)
    signatures = sketch_batch(shingle_batch(texts, ShingleConfig()), sketch)
    found = pairs_of(candidate_pairs(band_keys(signatures, bands, rows), max_bucket=64))
    assert (0, 1) in found  # lines 11 and 26: one letter apart
    assert all(a < b for a, b in found)


def test_band_table_in_long_form() -> None:
    table = BandTable(np.array([4, 9]), np.array([[10, 11, 12], [20, 21, 22]], dtype=np.uint64))
    units, bands, keys = table.rows()
    assert units.tolist() == [4, 4, 4, 9, 9, 9]
    assert bands.tolist() == [0, 1, 2, 0, 1, 2]
    assert keys.tolist() == [10, 11, 12, 20, 21, 22]


def test_band_table_pairs_are_unit_pairs() -> None:
    # Rows 0 and 2 (units 7 and 3) share band 1; rows 1 and 3 are one unit's two sentences.
    keys = np.array([[1, 5], [2, 6], [3, 5], [2, 8]], dtype=np.uint64)
    table = BandTable(np.array([7, 4, 3, 4]), keys)
    assert table.pairs(max_bucket=64).tolist() == [[3, 7]]
    skip = np.zeros(8, dtype=bool)
    skip[[3, 7]] = True
    assert table.pairs(max_bucket=64, skip=skip).tolist() == []


# --- Runs of letters shared verbatim --------------------------------------------------------

RUN_TEXTS = [
    "the commission said on tuesday that the proposed merger would reduce competition in the "
    "market for industrial gases across the region",
    "analysts expect a ruling next month; the proposed merger would reduce competition in the "
    "market for industrial gases, they said",
    "the weather in the north was cold and wet for the whole of the week, forecasters said",
]


def run_table(texts: list[str], config: CandidateConfig) -> BandTable:
    buffer = TextBuffer.of(texts)
    rows = np.arange(len(texts))
    return run_fingerprints(buffer, rows, rows + 10, config)


def test_a_long_run_in_common_proposes_a_pair() -> None:
    config = CandidateConfig()
    assert pairs_of(rare_run_pairs(run_table(RUN_TEXTS, config), config)) == [(10, 11)]


def test_runs_shorter_than_the_window_guarantee_may_go_unseen_and_long_ones_never_do() -> None:
    config = CandidateConfig(run_length=40, run_window=10)
    short = ["a brief shared phrase here " + "x" * 60, "a brief shared phrase here " + "y" * 60]
    assert pairs_of(rare_run_pairs(run_table(short, config), config)) == []
    assert pairs_of(rare_run_pairs(run_table(RUN_TEXTS[:2], config), config)) == [(10, 11)]


def test_a_run_held_by_many_paragraphs_is_a_stock_phrase() -> None:
    config = CandidateConfig(run_max_share=3)
    stock = "proceeds will be used for general corporate purposes and to repay bank debt"
    texts = [f"{name} said {stock}" for name in ("acme", "globex", "initech", "umbrella")]
    assert pairs_of(rare_run_pairs(run_table(texts, config), config)) == []
    assert len(rare_run_pairs(run_table(texts[:3], config), config)) == 3


letters = st.text(st.sampled_from("abcdefghij"), min_size=0, max_size=40)


@given(letters, letters, st.text(st.sampled_from("klmnopqst"), min_size=100, max_size=140))
def test_every_run_shared_over_length_plus_window_letters_is_found(
    before: str, after: str, letters_shared: str
) -> None:
    # The shared run, of letters neither paragraph has elsewhere (a doubled
    # letter counts once in the folded stream), is long enough that one window
    # of runs lies inside it in both paragraphs.
    shared = "".join(c for k, c in enumerate(letters_shared) if c != letters_shared[k - 1 : k])
    assume(len(shared) >= 49)
    config = CandidateConfig(run_length=40, run_window=10)
    texts = [before + shared, shared + after]
    assert pairs_of(rare_run_pairs(run_table(texts, config), config)) == [(10, 11)]


def test_texts_shorter_than_a_run_have_no_fingerprints() -> None:
    table = run_table(["short text", ""], CandidateConfig())
    assert len(table) == 0


@given(
    hnp.arrays(
        np.uint64, st.tuples(st.integers(0, 40), st.integers(1, 6)), elements=st.integers(0, 5)
    ),
    st.integers(2, 6),
)
def test_every_band_at_once_gives_the_pairs_of_band_by_band(
    keys: np.ndarray, max_bucket: int
) -> None:
    """Small tables are grouped in one sort over all bands, large ones band by band: the same
    pairs, large buckets linked the same way."""
    at_once = candidate_pairs(keys, max_bucket)
    with patch("dedup.candidates.AT_ONCE", 0):
        band_by_band = candidate_pairs(keys, max_bucket)
    assert at_once.tolist() == band_by_band.tolist()
