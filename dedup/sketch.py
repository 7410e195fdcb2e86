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

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numba
import numpy as np
from datasketch import MinHash

from dedup.candidates import BandTable, band_keys, band_params, run_fingerprints
from dedup.config import CandidateConfig, ShingleConfig, SketchConfig
from dedup.shingle import Shingles, TextBuffer, shingle_spans
from dedup.weights import Weights

#: Called as ``progress(stage, done, total)`` while a scan runs.
Progress = Callable[[str, int, int], None]

# Units sketched per batch: bounds the memory of shingles at any time.
BATCH = 20_000

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


@dataclass(frozen=True, slots=True)
class Sketched:
    """What sketching leaves for the next stages.

    ``paragraphs``: the band keys of every unit of ``min_words`` or more;
    ``sentences``: those of the sentences of such units (partial reuse);
    ``one_sentence``: per unit, whether it is a single sentence (met at
    paragraph level already); ``weights``: the document frequencies of the
    shingles of every sketched unit.
    """

    paragraphs: BandTable
    sentences: BandTable
    one_sentence: np.ndarray
    weights: Weights
    #: Fingerprints of the runs of letters of the same units (``dedup.candidates``).
    runs: BandTable = field(default_factory=lambda: BandTable.empty(1))


def sketch_units(
    texts: Sequence[str],
    shingle: ShingleConfig,
    sketch: SketchConfig,
    candidates: CandidateConfig,
    progress: Progress | None = None,
) -> Sketched:
    """Band keys of every unit text of ``min_words`` or more and of their sentences, and the
    document frequencies of their shingles.

    Units are taken in batches, each turned into one code-point buffer that
    is dropped after: memory holds keys and frequencies, not shingles or text
    copies. Sentence signatures use the first ``sentence_num_perm``
    permutations of the paragraph sketch, so a one-sentence paragraph's is the
    start of its paragraph signature, not sketched twice.
    """
    bands, rows = band_params(candidates, sketch.num_perm)
    sentence_perm = candidates.sentence_num_perm
    sentence_bands = band_params(candidates, sentence_perm) if sentence_perm else (0, 0)
    paragraph_tables: list[BandTable] = []
    sentence_tables: list[BandTable] = []
    one_sentence = np.zeros(len(texts), dtype=bool)
    weights: list[Weights] = []
    run_tables: list[BandTable] = []
    for start in range(0, len(texts), BATCH):
        buffer = TextBuffer.of(texts[start : start + BATCH])
        chosen = np.flatnonzero(buffer.word_counts() >= shingle.min_words)
        shingles = shingle_spans(buffer, chosen, shingle)
        weights.append(Weights.of(shingles))
        signatures = sketch_batch(shingles, sketch)
        paragraph_tables.append(BandTable(chosen + start, band_keys(signatures, bands, rows)))
        if sentence_perm:
            sentences, owners = buffer.sentences(chosen)
            single = np.bincount(owners, minlength=len(buffer))[owners] == 1
            several = np.flatnonzero(~single & (sentences.word_counts() >= shingle.min_words))
            sentence_signatures = np.concatenate(
                (
                    signatures[np.searchsorted(chosen, owners[single]), :sentence_perm],
                    sketch_batch(
                        shingle_spans(sentences, several, shingle), sketch, first=sentence_perm
                    ),
                )
            )
            sentence_tables.append(
                BandTable(
                    np.concatenate((owners[single], owners[several])) + start,
                    band_keys(sentence_signatures, *sentence_bands),
                )
            )
            one_sentence[owners[single] + start] = True
        if candidates.run_length:
            run_tables.append(run_fingerprints(buffer, chosen, chosen + start, candidates))
        if progress:
            progress("sketch", min(start + BATCH, len(texts)), len(texts))
    return Sketched(
        paragraphs=BandTable.concat(paragraph_tables, bands),
        sentences=BandTable.concat(sentence_tables, sentence_bands[0]),
        one_sentence=one_sentence,
        weights=Weights.total(weights),
        runs=BandTable.concat(run_tables, 1),
    )


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
