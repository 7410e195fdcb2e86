"""MinHash sketches, equal to ``datasketch.MinHash`` for the same parameters.

For a paragraph whose shingles hash (``dedup.shingle.hash_shingle``) to
values ``h``, the signature is exactly the ``hashvalues`` of
``datasketch.MinHash(num_perm, seed=seed, scheme=scheme,
hashfunc=hash_shingle)`` updated with those shingles: the permutation
parameters are datasketch's own, and the compiled loop below applies the same
arithmetic (``affine32``: MurmurHash3 ``fmix32`` pre-mix, then ``a*h + b``
mod 2^32; ``legacy``: ``(a*h + b) mod (2^61 - 1)`` truncated to 32 bits).
Only the loop is ours: one pass over all shingles of a batch, both cores.
"""

from __future__ import annotations

from functools import lru_cache

import numba
import numpy as np
from datasketch import MinHash

from dedup.config import SketchConfig
from dedup.shingle import Shingles

_EMPTY = np.uint32(0xFFFFFFFF)
_PRIME = np.uint64((1 << 61) - 1)


@lru_cache(maxsize=8)
def permutations(config: SketchConfig) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's permutation parameters ``(a, b)`` for ``config``."""
    a, b = MinHash(num_perm=config.num_perm, seed=config.seed, scheme=config.scheme).permutations
    dtype = np.uint32 if config.scheme == "affine32" else np.uint64
    return np.ascontiguousarray(a, dtype=dtype), np.ascontiguousarray(b, dtype=dtype)


def sketch_batch(shingles: Shingles, config: SketchConfig, first: int | None = None) -> np.ndarray:
    """Signatures of every paragraph of ``shingles``: a ``(paragraphs, num_perm)`` uint32 array.

    With ``first``, only the first ``first`` permutations are applied: the
    result equals the first ``first`` columns of the full signatures.
    """
    a, b = permutations(config)
    if first is not None:
        a, b = np.ascontiguousarray(a[:first]), np.ascontiguousarray(b[:first])
    if config.scheme == "affine32":
        return _sketch_affine32(shingles.hashes, shingles.offsets, a, b)
    return _sketch_legacy(shingles.hashes, shingles.offsets, a, b)


def to_datasketch(signature: np.ndarray, config: SketchConfig) -> MinHash:
    """A ``datasketch.MinHash`` holding ``signature``, to compare or store with datasketch."""
    dtype = np.uint32 if config.scheme == "affine32" else np.uint64
    return MinHash(
        seed=config.seed,
        scheme=config.scheme,
        hashvalues=signature.astype(dtype),
        permutations=permutations(config),
    )


# numba widens 32-bit scalar arithmetic to 64 bits: every step is cast back
# to uint32 so that it wraps as datasketch's uint32 numpy arrays do.
@numba.njit(inline="always")
def _fmix32(h: np.uint32) -> np.uint32:  # pragma: no cover - compiled
    h = np.uint32(h ^ (h >> np.uint32(16)))
    h = np.uint32(h * np.uint32(0x85EBCA6B))
    h = np.uint32(h ^ (h >> np.uint32(13)))
    h = np.uint32(h * np.uint32(0xC2B2AE35))
    return np.uint32(h ^ (h >> np.uint32(16)))


# The inner loop is written branch-free over the output row so that LLVM
# vectorises it (8 lanes of 32-bit multiply and min): ten times faster than
# ``if value < row[k]: row[k] = value``.
@numba.njit(cache=True, parallel=True, nogil=True)
def _sketch_affine32(
    hashes: np.ndarray, offsets: np.ndarray, a: np.ndarray, b: np.ndarray
) -> np.ndarray:  # pragma: no cover - compiled
    n = len(offsets) - 1
    num_perm = len(a)
    out = np.empty((n, num_perm), dtype=np.uint32)
    for i in numba.prange(n):
        row = out[i]
        row[:] = _EMPTY
        for position in range(offsets[i], offsets[i + 1]):
            h = _fmix32(hashes[position])
            for k in range(num_perm):
                value = np.uint32(a[k] * h + b[k])
                row[k] = value if value < row[k] else row[k]
    return out


@numba.njit(cache=True, parallel=True, nogil=True)
def _sketch_legacy(
    hashes: np.ndarray, offsets: np.ndarray, a: np.ndarray, b: np.ndarray
) -> np.ndarray:  # pragma: no cover - compiled
    n = len(offsets) - 1
    num_perm = len(a)
    out = np.empty((n, num_perm), dtype=np.uint32)
    for i in numba.prange(n):
        row = np.full(num_perm, np.uint64(_EMPTY), dtype=np.uint64)
        for position in range(offsets[i], offsets[i + 1]):
            h = np.uint64(hashes[position])
            for k in range(num_perm):
                value = ((a[k] * h + b[k]) % _PRIME) & np.uint64(0xFFFFFFFF)
                row[k] = value if value < row[k] else row[k]
        out[i] = row.astype(np.uint32)
    return out
