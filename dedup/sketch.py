"""MinHash sketches, equal to ``datasketch.MinHash`` for the same parameters.

For a paragraph whose shingles hash (``dedup.shingle.hash_shingle``) to
values ``h``, the signature is exactly the ``hashvalues`` of
``datasketch.MinHash(num_perm, seed=seed, scheme=scheme,
hashfunc=hash_shingle)`` updated with those shingles: the permutation
parameters are drawn as datasketch draws them (same generator, seed and
order; a test compares them with datasketch's own, and importing datasketch
here would cost every scan a third of a second of start-up), and the
compiled loop below applies the same arithmetic (``affine32``: MurmurHash3
``fmix32`` pre-mix, then ``a*h + b`` mod 2^32; ``legacy``: ``(a*h + b) mod
(2^61 - 1)`` truncated to 32 bits). Only the loop is ours: one pass over the
shingles of a batch, split over the cores by threads (the loop releases the
GIL).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from typing import TYPE_CHECKING

import numba
import numpy as np

from dedup.candidates import BandTable, band_keys, band_params, run_fingerprints
from dedup.config import CandidateConfig, ShingleConfig, SketchConfig
from dedup.jit import njit
from dedup.shingle import Shingles, TextBuffer, shingle_spans
from dedup.weights import Weights

if TYPE_CHECKING:
    from datasketch import MinHash

#: Called as ``progress(stage, done, total)`` while a scan runs.
Progress = Callable[[str, int, int], None]

# Units sketched per batch: bounds the memory of shingles at any time.
BATCH = 20_000

_EMPTY = np.uint32(0xFFFFFFFF)
_PRIME = np.uint64((1 << 61) - 1)
# Fewer shingles than this are sketched on one thread: splitting costs more.
_THREADED_SHINGLES = 200_000


@lru_cache(maxsize=8)
def permutations(config: SketchConfig) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's permutation parameters ``(a, b)`` for ``config``, drawn as its
    ``MinHash._init_permutations`` draws them."""
    generator = np.random.RandomState(config.seed)
    if config.scheme == "legacy":
        drawn = [
            (
                generator.randint(1, _PRIME, dtype=np.uint64),
                generator.randint(0, _PRIME, dtype=np.uint64),
            )
            for _ in range(config.num_perm)
        ]
        a, b = np.array(drawn, dtype=np.uint64).T
        return np.ascontiguousarray(a), np.ascontiguousarray(b)
    # Odd multipliers make h -> a*h + b mod 2^32 a bijection.
    a = generator.randint(0, 1 << 31, config.num_perm, dtype=np.uint32) * np.uint32(2) + 1
    b = generator.randint(0, 1 << 32, config.num_perm, dtype=np.uint32)
    return a.astype(np.uint32), b


def sketch_batch(shingles: Shingles, config: SketchConfig, first: int | None = None) -> np.ndarray:
    """Signatures of every paragraph of ``shingles``: a ``(paragraphs, num_perm)`` uint32 array.

    With ``first``, only the first ``first`` permutations are applied: the
    result equals the first ``first`` columns of the full signatures.
    """
    a, b = permutations(config)
    if first is not None:
        a, b = np.ascontiguousarray(a[:first]), np.ascontiguousarray(b[:first])
    kernel = _sketch_affine32 if config.scheme == "affine32" else _sketch_legacy
    out = np.empty((len(shingles), len(a)), dtype=np.uint32)
    parts = _row_ranges(shingles.offsets, cores())
    if len(parts) == 1:
        kernel(shingles.hashes, shingles.offsets, a, b, out, 0, len(shingles))
    else:
        list(
            pool().map(
                lambda part: kernel(shingles.hashes, shingles.offsets, a, b, out, *part), parts
            )
        )
    return out


def _row_ranges(offsets: np.ndarray, parts: int) -> list[tuple[int, int]]:
    """Up to ``parts`` consecutive row ranges holding about as many shingles each."""
    rows, total = len(offsets) - 1, int(offsets[-1])
    if parts < 2 or total < _THREADED_SHINGLES:
        return [(0, rows)]
    cuts = np.searchsorted(offsets, np.linspace(0, total, parts + 1)[1:-1]).tolist()
    bounds = [0, *cuts, rows]
    return [(low, high) for low, high in pairwise(bounds) if high > low]


#: Threads a sketch may use, when set: an engine running several sketches side by side on
#: one machine (Spark tasks on an executor) gives each the cores it was allotted.
THREADS_VARIABLE = "DEDUP_THREADS"


@lru_cache(maxsize=1)
def cores() -> int:
    """The cores this process may run on (or ``DEDUP_THREADS``, when set)."""
    allotted = os.environ.get(THREADS_VARIABLE, "")
    if allotted.isdigit() and int(allotted) > 0:
        return int(allotted)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


@lru_cache(maxsize=1)
def pool() -> ThreadPoolExecutor:
    """``cores()`` threads for compiled loops that release the GIL (sketching, pair scores)."""
    return ThreadPoolExecutor(max_workers=cores(), thread_name_prefix="dedup-work")


@lru_cache(maxsize=1)
def _counter() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="dedup-weights")


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
    # Counting document frequencies (sorts, which release the GIL) goes on
    # beside the next batch's shingling and sketching.
    # The frequencies so far, and the batch being counted (one behind at most:
    # bounded memory; sorted runs merge in linear time).
    weights = Weights.empty()
    counting: Future[Weights] | None = None
    run_tables: list[BandTable] = []
    for start in range(0, len(texts), BATCH):
        buffer = TextBuffer.of(texts[start : start + BATCH])
        chosen = np.flatnonzero(buffer.word_counts() >= shingle.min_words)
        shingles = shingle_spans(buffer, chosen, shingle)
        if counting is not None:
            weights = weights + counting.result()
        counting = _counter().submit(Weights.of, shingles)
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
            # Rows in the order of their sentences in the text (unit, then position),
            # whatever the batching: a large bucket links its rows in that order.
            sentence_owners = np.concatenate((owners[single], owners[several]))
            order = np.argsort(np.concatenate((np.flatnonzero(single), several)), kind="stable")
            sentence_tables.append(
                BandTable(
                    sentence_owners[order] + start,
                    band_keys(sentence_signatures[order], *sentence_bands),
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
        weights=weights + counting.result() if counting is not None else weights,
        runs=BandTable.concat(run_tables, 1),
    )


def to_datasketch(signature: np.ndarray, config: SketchConfig) -> MinHash:
    """A ``datasketch.MinHash`` holding ``signature``, to compare or store with datasketch."""
    from datasketch import MinHash

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
@njit
def _sketch_affine32(
    hashes: np.ndarray,
    offsets: np.ndarray,
    a: np.ndarray,
    b: np.ndarray,
    out: np.ndarray,
    first_row: int,
    end_row: int,
) -> None:  # pragma: no cover - compiled
    num_perm = len(a)
    for i in range(first_row, end_row):
        row = out[i]
        row[:] = _EMPTY
        for position in range(offsets[i], offsets[i + 1]):
            h = _fmix32(hashes[position])
            for k in range(num_perm):
                value = np.uint32(a[k] * h + b[k])
                row[k] = value if value < row[k] else row[k]


@njit
def _sketch_legacy(
    hashes: np.ndarray,
    offsets: np.ndarray,
    a: np.ndarray,
    b: np.ndarray,
    out: np.ndarray,
    first_row: int,
    end_row: int,
) -> None:  # pragma: no cover - compiled
    num_perm = len(a)
    for i in range(first_row, end_row):
        row = np.full(num_perm, np.uint64(_EMPTY), dtype=np.uint64)
        for position in range(offsets[i], offsets[i + 1]):
            h = np.uint64(hashes[position])
            for k in range(num_perm):
                value = ((a[k] * h + b[k]) % _PRIME) & np.uint64(0xFFFFFFFF)
                row[k] = value if value < row[k] else row[k]
        out[i] = row.astype(np.uint32)
