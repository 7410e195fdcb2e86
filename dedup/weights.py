"""Weights: how many units hold each shingle (document frequencies), and the IDF from them.

TF-IDF weighs a shared rare n-gram above a shared "the ". The rarity must
come from the corpus, not from which pairs happen to be candidates: a pair's
cosine would otherwise change with what else is in the batch. So document
frequencies are counted over **every sketched unit** (every distinct
paragraph of ``min_words`` or more) while it is sketched, and the IDF is
scikit-learn's smoothed one over them, exactly as ``TfidfTransformer``
computes it when fitted on all those units.

``Weights`` is a value: batches are counted apart and merged (``+``), an
index stores them and updates them as documents come and go (``-``), and a
Spark job computes them in one aggregation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dedup.arrays import distinct, run_lengths
from dedup.shingle import Shingles


@dataclass(frozen=True, slots=True)
class Weights:
    """Document frequencies: ``counts[k]`` units hold shingle ``hashes[k]``, of ``units`` counted.

    ``hashes`` are sorted and distinct (uint32), ``counts`` positive (int64).
    """

    hashes: np.ndarray
    counts: np.ndarray
    units: int

    @classmethod
    def empty(cls) -> Weights:
        """The weights of no unit."""
        return cls(np.zeros(0, dtype=np.uint32), np.zeros(0, dtype=np.int64), 0)

    @classmethod
    def of(cls, shingles: Shingles) -> Weights:
        """The document frequencies of the rows (units) of ``shingles``."""
        rows = np.repeat(np.arange(len(shingles), dtype=np.uint64), np.diff(shingles.offsets))
        # A shingle counts once per unit, however often the unit repeats it.
        # Rows are in order, so the keys come in sorted runs: the stable sort
        # (a merge sort) is several times faster on them than a quicksort.
        held = distinct((rows << np.uint64(32)) | shingles.hashes.astype(np.uint64))
        hashes, counts = run_lengths(np.sort(held.astype(np.uint32)))
        return cls(hashes, counts.astype(np.int64), len(shingles))

    @classmethod
    def total(cls, parts: list[Weights]) -> Weights:
        """The sum of ``parts`` (one sort for all of them, not one per addition)."""
        return _combine(parts, [1] * len(parts))

    def __add__(self, other: Weights) -> Weights:
        return _combine([self, other], [1, 1])

    def __sub__(self, other: Weights) -> Weights:
        return _combine([self, other], [1, -1])

    def __len__(self) -> int:
        return len(self.hashes)

    def frequencies(self, hashes: np.ndarray) -> np.ndarray:
        """The document frequency of each of ``hashes`` (0 for a shingle never counted)."""
        if len(self.hashes) == 0:
            return np.zeros(len(hashes), dtype=np.int64)
        at = np.minimum(np.searchsorted(self.hashes, hashes), len(self.hashes) - 1)
        return np.where(self.hashes[at] == hashes, self.counts[at], 0)

    def idf(self, hashes: np.ndarray) -> np.ndarray:
        """scikit-learn's smoothed IDF of each of ``hashes``: ``ln((1 + n) / (1 + df)) + 1``."""
        df = self.frequencies(hashes).astype(np.float64)
        return np.log((1.0 + self.units) / (1.0 + df)) + 1.0


def _combine(parts: list[Weights], signs: list[int]) -> Weights:
    """The signed sum of ``parts``; shingles whose count falls to zero are dropped."""
    if not parts:
        return Weights.empty()
    hashes = np.concatenate([part.hashes for part in parts])
    counts = np.concatenate([sign * part.counts for part, sign in zip(parts, signs, strict=True)])
    order = np.argsort(hashes, kind="stable")
    hashes, counts = hashes[order], counts[order]
    values, lengths = run_lengths(hashes)
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1])).astype(np.int64)
    totals = np.add.reduceat(counts, starts) if len(counts) else counts
    keep = totals > 0
    units = sum(sign * part.units for part, sign in zip(parts, signs, strict=True))
    return Weights(values[keep], totals[keep], units)
