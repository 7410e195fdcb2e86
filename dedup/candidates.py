"""LSH banding: signatures into a band-key table, the table into candidate pairs.

Bands and rows are the ones datasketch's ``MinHashLSH`` picks for the
threshold and weights (``dedup.bands``), so a pair at the threshold becomes a
candidate as often as it would in a datasketch index. Candidates are only
proposals: verification decides.

The **band-key table** is what flows to the next stage, to an index and to
a Spark job: for every sketched text, its unit and one 64-bit key per band.
Two texts that share a key in a band are candidates.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dedup.arrays import distinct, unique_pairs
from dedup.bands import optimal_bands
from dedup.config import CandidateConfig
from dedup.jit import njit
from dedup.shingle import TextBuffer, matching_streams

_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)
_ONE = np.uint64(1)


def band_params(config: CandidateConfig, num_perm: int) -> tuple[int, int]:
    """``(bands, rows)`` for ``num_perm`` permutations under ``config``'s threshold and weights."""
    return optimal_bands(
        config.lsh_threshold, num_perm, config.false_positive_weight, config.false_negative_weight
    )


def band_keys(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """One 64-bit key per band and signature: a ``(signatures, bands)`` uint64 array.

    The band's number is mixed in, so equal values in different bands give
    different keys.
    """
    keys = np.zeros((signatures.shape[0], bands), dtype=np.uint64)
    for band in range(bands):
        key = np.full(signatures.shape[0], band, dtype=np.uint64)
        for column in range(band * rows, (band + 1) * rows):
            key = (key + signatures[:, column].astype(np.uint64) + _ONE) * _MULTIPLIER
        keys[:, band] = key
    return keys


@dataclass(frozen=True, slots=True)
class BandTable:
    """Band keys of sketched texts: row ``i`` is a text of unit ``units[i]`` with keys
    ``keys[i]`` (one per band).

    Several rows may belong to one unit (its sentences, in the sentence table).
    """

    units: np.ndarray
    keys: np.ndarray

    @classmethod
    def empty(cls, bands: int) -> BandTable:
        """A table with no rows."""
        return cls(np.zeros(0, dtype=np.int64), np.zeros((0, bands), dtype=np.uint64))

    @classmethod
    def concat(cls, tables: list[BandTable], bands: int) -> BandTable:
        """The rows of ``tables``, one after the other; ``tables`` is emptied as they are
        copied, so that at most one of them is held twice at any time."""
        rows = sum(len(t) for t in tables)
        units = np.empty(rows, dtype=np.int64)
        keys = np.empty((rows, bands), dtype=np.uint64)
        at = 0
        while tables:
            table = tables.pop(0)
            units[at : at + len(table)], keys[at : at + len(table)] = table.units, table.keys
            at += len(table)
        return cls(units, keys)

    def __len__(self) -> int:
        return len(self.units)

    @property
    def bands(self) -> int:
        """Number of bands (key columns)."""
        return int(self.keys.shape[1])

    def rows(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The table in long form, ``(unit, band, key)`` arrays: one row per text and band,
        as an index stores it and a Spark job groups it."""
        n, bands = self.keys.shape
        return (
            np.repeat(self.units, bands),
            np.tile(np.arange(bands, dtype=np.int16), n),
            self.keys.reshape(-1),
        )

    def pairs(self, max_bucket: int, skip: np.ndarray | None = None) -> np.ndarray:
        """Pairs of distinct units whose texts share a key in a band (``(m, 2)``, sorted).

        ``skip`` (a mask over units): pairs of two skipped units are dropped.
        """
        found = self.units[candidate_pairs(self.keys, max_bucket)]
        useful = found[:, 0] != found[:, 1]
        if skip is not None:
            useful &= ~(skip[found[:, 0]] & skip[found[:, 1]])
        return unique_pairs(found[useful])


def propose_pairs(
    paragraphs: BandTable,
    sentences: BandTable,
    one_sentence: np.ndarray,
    runs: BandTable,
    config: CandidateConfig,
) -> np.ndarray:
    """Candidate unit pairs, ``(m, 2)`` sorted: units whose paragraphs share a band key, one
    of whose sentences does, or that share a rare run of letters (partial reuse)."""
    pairs = paragraphs.pairs(config.max_bucket)
    if config.sentence_num_perm:
        # Two one-sentence paragraphs have met at paragraph level already.
        found = sentences.pairs(config.max_bucket, skip=one_sentence)
        pairs = unique_pairs(np.concatenate((pairs, found)))
    if config.run_length:
        pairs = unique_pairs(np.concatenate((pairs, rare_run_pairs(runs, config))))
    return pairs


def candidate_pairs(keys: np.ndarray, max_bucket: int) -> np.ndarray:
    """Unique pairs ``(i, j)``, ``i < j``, of rows sharing a key in any band: an ``(m, 2)`` array.

    A bucket of more than ``max_bucket`` rows is linked as a chain of
    neighbours plus a star to its first row, not as all its pairs.
    """
    n = keys.shape[0]
    if n < 2:
        return np.empty((0, 2), dtype=np.int64)
    if keys.size <= AT_ONCE:
        # A small table (an incoming batch and its band-mates): one sort for every band,
        # not a round of array calls per band.
        found = [_bucket_pairs(keys.T.ravel(), max_bucket, n)]
    else:
        found = [_bucket_pairs(keys[:, band], max_bucket, n) for band in range(keys.shape[1])]
    codes = distinct(np.concatenate(found))
    return np.stack((codes // n, codes % n), axis=1)


#: Band tables of at most this many keys are grouped in one sort (``candidate_pairs``).
AT_ONCE = 65_536


def _bucket_pairs(keys: np.ndarray, max_bucket: int, n: int) -> np.ndarray:
    """Pairs of rows sharing a key, each as ``low * n + high``: ``keys`` holds one band's
    column of ``n`` rows, or several bands' columns one after another (row ``i`` of band
    ``b`` at ``b * n + i``), whose buckets are then kept apart by band."""
    if len(keys) > n:
        band = np.arange(len(keys)) // n
        order = np.lexsort((keys, band))
        same = band[order[1:]] == band[order[:-1]]
    else:
        order = np.argsort(keys)
        same = np.ones(max(len(keys) - 1, 0), dtype=bool)
    ordered = keys[order]
    same &= ordered[1:] == ordered[:-1]
    # Most keys are unique: only rows in shared buckets go on, in ascending
    # row order inside each bucket.
    shared = np.zeros(len(keys), dtype=bool)
    shared[1:] |= same
    shared[:-1] |= same
    members = np.flatnonzero(shared)
    if len(members) == 0:
        return np.zeros(0, dtype=np.int64)
    bucket = np.cumsum(np.concatenate(([True], ~same))) - 1
    bucket = bucket[members]
    rows = order[members] % n
    regrouped = np.argsort(bucket * n + rows)
    bucket, rows = bucket[regrouped], rows[regrouped]
    starts = np.flatnonzero(np.concatenate(([True], bucket[1:] != bucket[:-1])))
    sizes = np.diff(np.append(starts, len(rows)))
    count = len(rows)
    small = sizes <= max_bucket
    # Every row of a small bucket pairs with each row after it in the bucket.
    bucket_end = np.repeat(starts + sizes, sizes)
    later = np.where(np.repeat(small, sizes), bucket_end - np.arange(count) - 1, 0)
    left = np.repeat(np.arange(count), later)
    step = np.arange(len(left)) - np.repeat(np.cumsum(later) - later, later)
    right = left + 1 + step
    # A large bucket: each row after the first to its predecessor and to the first.
    large = np.flatnonzero(~small)
    inside = np.concatenate(
        [np.arange(starts[b] + 1, starts[b] + sizes[b]) for b in large]
        or [np.zeros(0, dtype=np.int64)]
    )
    heads = np.repeat(starts[large], sizes[large] - 1)
    low = np.concatenate((rows[left], rows[inside - 1], rows[heads]))
    high = np.concatenate((rows[right], rows[inside], rows[inside]))
    return low.astype(np.int64) * n + high


def run_fingerprints(
    buffer: TextBuffer, rows: np.ndarray, units: np.ndarray, config: CandidateConfig
) -> BandTable:
    """Winnowed fingerprints of the runs of ``run_length`` letters of texts ``rows`` of
    ``buffer`` (units ``units``), as a one-band table: row ``i`` is one fingerprint of unit
    ``units[i]``.

    A paragraph that reuses a clause or a sentence of another, rewritten
    around it, can share too few shingles with it for the bands to meet; a
    run of forty letters in common (in the matching forms,
    ``dedup.shingle.matching_form``) is still plain to see. Each text keeps
    the smallest hash of every ``run_window`` consecutive runs, so every run
    shared over ``run_length + run_window - 1`` letters gives a common
    fingerprint.
    """
    stream, starts = matching_streams(buffer, rows)
    hashes, owners = _winnowed_runs(stream, starts, config.run_length, config.run_window)
    # A copy: the kernel's output is a view of a buffer sized for the whole stream.
    return BandTable(units[owners], hashes[:, None].copy())


def rare_run_pairs(runs: BandTable, config: CandidateConfig) -> np.ndarray:
    """Pairs of units sharing a fingerprint of ``runs`` that at most ``run_max_share`` rows
    hold: an ``(m, 2)`` array, sorted. A run that more paragraphs share is a stock phrase
    ("said it filed with the securities and exchange commission"), not evidence of reuse."""
    keys = runs.keys[:, 0]
    order = np.argsort(keys, kind="stable")
    keys = keys[order]
    first = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    sizes = np.diff(np.r_[first, len(keys)])
    rare = order[np.repeat((sizes >= 2) & (sizes <= config.run_max_share), sizes)]
    return BandTable(runs.units[rare], runs.keys[rare]).pairs(config.run_max_share)


@njit
def _winnowed_runs(
    stream: np.ndarray, starts: np.ndarray, length: int, window: int
) -> tuple[np.ndarray, np.ndarray]:  # pragma: no cover - compiled
    """Winnowed fingerprints of the ``length``-letter runs of each text ``starts[i]:starts[i+1]``
    of ``stream``, and the text each belongs to.

    Run hashes are rolled along the stream (a polynomial, then mixed); of
    every ``window`` consecutive ones the smallest is kept (the rightmost on
    a tie), each position once. A text shorter than a run keeps nothing.
    """
    out_hashes = np.empty(len(stream), dtype=np.uint64)
    out_rows = np.empty(len(stream), dtype=np.int64)
    count = 0
    power = np.uint64(1)
    for _ in range(length):
        power = power * _MULTIPLIER
    for i in range(len(starts) - 1):
        begin, end = starts[i], starts[i + 1]
        runs = end - begin - length + 1
        if runs <= 0:
            continue
        hashes = np.empty(runs, dtype=np.uint64)
        h = np.uint64(0)
        for position in range(begin, end):
            h = h * _MULTIPLIER + np.uint64(stream[position]) + _ONE
            if position - begin >= length:
                h = h - (np.uint64(stream[position - length]) + _ONE) * power
            if position - begin >= length - 1:
                mixed = h ^ (h >> np.uint64(29))
                hashes[position - begin - length + 1] = mixed * _MULTIPLIER
        width = min(window, runs)
        chosen = -1
        for left in range(runs - width + 1):
            if chosen < left:
                chosen = left
                for k in range(left + 1, left + width):
                    if hashes[k] <= hashes[chosen]:
                        chosen = k
                out_hashes[count], out_rows[count] = hashes[chosen], i
                count += 1
            elif hashes[left + width - 1] <= hashes[chosen]:
                chosen = left + width - 1
                out_hashes[count], out_rows[count] = hashes[chosen], i
                count += 1
    return out_hashes[:count], out_rows[:count]
