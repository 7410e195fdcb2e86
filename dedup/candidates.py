"""LSH banding: signatures into band keys, band keys into candidate pairs.

Bands and rows come from datasketch's own optimisation for the threshold
(``MinHashLSH``'s ``b`` and ``r``), so a pair whose Jaccard similarity is at
the threshold becomes a candidate as often as it would in a datasketch index.
Candidates are only proposals: verification decides.
"""

from __future__ import annotations

from functools import lru_cache

import numba
import numpy as np
from datasketch import MinHashLSH

from dedup.config import CandidateConfig

_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)
_ONE = np.uint64(1)


@lru_cache(maxsize=16)
def band_params(config: CandidateConfig, num_perm: int) -> tuple[int, int]:
    """``(bands, rows)`` that datasketch's ``MinHashLSH`` picks for this threshold and weights."""
    lsh = MinHashLSH(
        threshold=config.lsh_threshold,
        num_perm=num_perm,
        weights=(config.false_positive_weight, config.false_negative_weight),
    )
    return lsh.b, lsh.r


def band_keys(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """One 64-bit key per band and paragraph: a ``(paragraphs, bands)`` uint64 array."""
    keys = np.zeros((signatures.shape[0], bands), dtype=np.uint64)
    for band in range(bands):
        key = np.full(signatures.shape[0], band, dtype=np.uint64)
        for column in range(band * rows, (band + 1) * rows):
            key = (key + signatures[:, column].astype(np.uint64) + _ONE) * _MULTIPLIER
        keys[:, band] = key
    return keys


def candidate_pairs(keys: np.ndarray, max_bucket: int) -> np.ndarray:
    """Unique pairs ``(i, j)``, ``i < j``, of rows sharing a key in any band: an ``(m, 2)`` array.

    A bucket of more than ``max_bucket`` rows is linked as a chain of
    neighbours plus a star to its first row, not as all its pairs.
    """
    n = keys.shape[0]
    if n < 2:
        return np.empty((0, 2), dtype=np.int64)
    found = []
    for band in range(keys.shape[1]):
        # Order inside a bucket does not matter: its members are sorted below.
        order = np.argsort(keys[:, band])
        ordered = keys[order, band]
        boundaries = np.flatnonzero(ordered[1:] != ordered[:-1]) + 1
        starts = np.concatenate(([0], boundaries))
        ends = np.concatenate((boundaries, [n]))
        shared = ends - starts > 1
        if shared.any():
            found.append(_bucket_pairs(order, starts[shared], ends[shared], max_bucket))
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    codes = distinct(np.concatenate(found))
    return np.stack((codes // n, codes % n), axis=1)


def distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values of a 1-d array, sorted.

    Equal to ``np.unique(values)``, whose hash-based path in NumPy 2.x is two
    orders of magnitude slower than a sort on millions of int64 values.

    >>> distinct(np.array([3, 1, 3, 2]))
    array([1, 2, 3])
    """
    ordered = np.sort(values, kind="stable")
    if len(ordered) == 0:
        return ordered
    keep = np.empty(len(ordered), dtype=bool)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]


@numba.njit(cache=True)
def _bucket_pairs(
    order: np.ndarray, starts: np.ndarray, ends: np.ndarray, max_bucket: int
) -> np.ndarray:  # pragma: no cover - compiled
    n = len(order)
    total = 0
    for b in range(len(starts)):
        size = ends[b] - starts[b]
        total += size * (size - 1) // 2 if size <= max_bucket else 2 * (size - 1)
    codes = np.empty(total, dtype=np.int64)
    count = 0
    for b in range(len(starts)):
        members = np.sort(order[starts[b] : ends[b]])
        size = len(members)
        if size <= max_bucket:
            for x in range(size):
                for y in range(x + 1, size):
                    codes[count] = members[x] * n + members[y]
                    count += 1
        else:
            for x in range(1, size):
                codes[count] = members[x - 1] * n + members[x]
                codes[count + 1] = members[0] * n + members[x]
                count += 2
    return codes
