"""LSH band parameters: the same choice as datasketch's MinHashLSH, without SciPy."""

from __future__ import annotations

import itertools

import pytest
from datasketch.lsh import _optimal_param

from dedup.bands import optimal_bands

GRID = list(
    itertools.product(
        [0.1, 0.3, 0.4, 0.5, 0.7, 0.8, 0.9],  # thresholds
        [(0.5, 0.5), (0.3, 0.7), (0.9, 0.1)],  # false positive / negative weights
        [8, 32, 64, 128],  # num_perm
    )
)


@pytest.mark.parametrize(
    ("threshold", "weights", "num_perm"),
    GRID,
    ids=[f"t{t}-w{w[0]}-p{p}" for t, w, p in GRID],
)
def test_equal_to_datasketch(threshold: float, weights: tuple[float, float], num_perm: int) -> None:
    assert optimal_bands(threshold, num_perm, *weights) == _optimal_param(
        threshold, num_perm, *weights
    )


@pytest.mark.parametrize("num_perm", [256, 512])
def test_equal_to_datasketch_for_long_signatures(num_perm: int) -> None:
    assert optimal_bands(0.4, num_perm, 0.5, 0.5) == _optimal_param(0.4, num_perm, 0.5, 0.5)


def test_bands_and_rows_fit_the_signature() -> None:
    for threshold, weights, num_perm in GRID:
        bands, rows = optimal_bands(threshold, num_perm, *weights)
        assert bands * rows <= num_perm
