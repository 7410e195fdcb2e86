"""Verification: every candidate pair is scored on its exact shingles and decided.

Three measures over the paragraphs' shingle sets: TF-IDF cosine
(scikit-learn's ``TfidfTransformer`` over shingle counts, with the IDF of
the corpus's document frequencies, ``dedup.weights``, so that a shared rare
n-gram counts for more than a shared "the " and a pair's score does not
depend on which other pairs are candidates), Jaccard similarity and
containment (the share of the smaller paragraph found in the larger). The
figures check (``dedup.figures``) then separates copies from templated
paragraphs that report other numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numba
import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfTransformer

from dedup.align import alignment_scores
from dedup.config import ShingleConfig, VerifyConfig
from dedup.figures import figures, same_figures
from dedup.records import Kind, Match, Scores
from dedup.shingle import Shingles, matching_forms, shingle_batch
from dedup.weights import Weights


class PairScorer:
    """Scores pairs of paragraphs (rows of ``shingles``) on their exact shingle sets,
    weighing shingles by the IDF of ``weights``."""

    def __init__(self, shingles: Shingles, weights: Weights) -> None:
        columns, counts = _count_matrix(shingles)
        if counts.shape[1] == 0:  # nothing to score: keep the shapes valid for sklearn
            columns = np.zeros(1, dtype=np.uint32)
            counts = sparse.csr_matrix((max(len(shingles), 1), 1), dtype=np.float32)
        transformer = TfidfTransformer(sublinear_tf=True)
        # The IDF is the corpus's (every sketched unit), not one fitted on the
        # rows scored here: scikit-learn applies it as it would its own.
        transformer.idf_ = weights.idf(columns)
        self._tfidf = sparse.csr_matrix(transformer.transform(counts))
        self._tfidf.sort_indices()
        self._sizes = np.diff(counts.indptr)
        # Containment counts each shingle by its rarity (IDF): sharing "said it
        # filed with the Securities and Exchange Commission" is phrasing every
        # dispatch of that kind has; sharing a rare sentence is reuse.
        self._idf = transformer.idf_.astype(np.float64)
        rows = np.repeat(np.arange(len(self._sizes)), np.diff(self._tfidf.indptr))
        self._weights = np.bincount(
            rows, weights=self._idf[self._tfidf.indices], minlength=len(self._sizes)
        )

    def score(self, left: np.ndarray, right: np.ndarray) -> tuple[np.ndarray, ...]:
        """``(cosine, jaccard, containment)`` arrays for row pairs ``left[k], right[k]``."""
        if len(left) == 0:
            empty = np.empty(0, dtype=np.float64)
            return empty, empty, empty
        matrix = self._tfidf
        cosine, shared, shared_weight = _pair_products(
            matrix.indptr,
            matrix.indices,
            matrix.data,
            self._idf,
            left.astype(np.int64),
            right.astype(np.int64),
        )
        size_left, size_right = self._sizes[left], self._sizes[right]
        union = size_left + size_right - shared
        jaccard = np.divide(shared, union, out=np.zeros(len(left)), where=union > 0)
        lighter = np.minimum(self._weights[left], self._weights[right])
        containment = np.divide(shared_weight, lighter, out=np.zeros(len(left)), where=lighter > 0)
        return np.clip(cosine, 0.0, 1.0), jaccard, np.clip(containment, 0.0, 1.0)


def _count_matrix(shingles: Shingles) -> tuple[np.ndarray, sparse.csr_matrix]:
    """``(column hashes, paragraph-by-shingle counts)``: shingle hashes renumbered to compact
    columns, in hash order.

    Shingles are already grouped by paragraph, so their offsets are the CSR
    row pointers: no coordinate lists are built.
    """
    values, columns = _renumber(shingles.hashes)
    matrix = sparse.csr_matrix(
        (np.ones(len(columns), dtype=np.float32), columns, shingles.offsets),
        shape=(len(shingles), len(values)),
    )
    matrix.sum_duplicates()
    return values, matrix


def _renumber(hashes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(distinct values, each value's rank among them)`` for uint32 ``hashes``.

    Equal to ``np.unique(hashes, return_inverse=True)`` but much faster: one
    sort of ``value << 32 | position`` instead of an argsort.
    """
    if len(hashes) == 0:
        return np.zeros(0, dtype=np.uint32), np.zeros(0, dtype=np.int32)
    packed = (hashes.astype(np.uint64) << np.uint64(32)) | np.arange(len(hashes), dtype=np.uint64)
    packed.sort()
    values = (packed >> np.uint64(32)).astype(np.uint32)
    starts = np.empty(len(hashes), dtype=bool)
    starts[0] = True
    np.not_equal(values[1:], values[:-1], out=starts[1:])
    ranks = np.cumsum(starts, dtype=np.int32) - 1
    inverse = np.empty(len(hashes), dtype=np.int32)
    inverse[(packed & np.uint64(0xFFFFFFFF)).astype(np.int64)] = ranks
    return values[starts], inverse


@numba.njit(cache=True)
def _pair_products(
    indptr: np.ndarray,
    indices: np.ndarray,
    data: np.ndarray,
    column_weights: np.ndarray,
    left: np.ndarray,
    right: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:  # pragma: no cover - compiled
    """Dot products, shared-column counts and shared column weights of row pairs of a CSR
    matrix with sorted indices."""
    dots = np.zeros(len(left), dtype=np.float64)
    shared = np.zeros(len(left), dtype=np.int64)
    shared_weight = np.zeros(len(left), dtype=np.float64)
    for k in range(len(left)):
        a, a_end = indptr[left[k]], indptr[left[k] + 1]
        b, b_end = indptr[right[k]], indptr[right[k] + 1]
        dot = 0.0
        common = 0
        weight = 0.0
        while a < a_end and b < b_end:
            if indices[a] == indices[b]:
                dot += data[a] * data[b]
                common += 1
                weight += column_weights[indices[a]]
                a += 1
                b += 1
            elif indices[a] < indices[b]:
                a += 1
            else:
                b += 1
        dots[k] = dot
        shared[k] = common
        shared_weight[k] = weight
    return dots, shared, shared_weight


def decide(scores: Scores, same_figures: bool, config: VerifyConfig) -> Kind | None:
    """The kind of relation a scored pair shows, or ``None`` for no relation."""
    figures_ok = same_figures or not config.check_figures
    if (
        _alike(scores.cosine, scores.jaccard, config)
        and length_ratio(scores) >= config.near_length_ratio
    ) or _aligned(scores.cosine, scores.alignment, config):
        return Kind.NEAR if figures_ok else Kind.FIGURES
    if scores.containment >= config.containment_threshold and figures_ok:
        return Kind.PARTIAL
    return None


def is_copy(scores: Scores, config: VerifyConfig) -> bool:
    """Whether a pair's text makes it a copy, figures aside: a near-duplicate or an abridged
    copy."""
    return bool(
        (
            _alike(scores.cosine, scores.jaccard, config)
            and length_ratio(scores) >= config.near_length_ratio
        )
        or _aligned(scores.cosine, scores.alignment, config)
        or is_abridged(scores, config)
    )


def _alike(cosine: Any, jaccard: Any, config: VerifyConfig) -> Any:
    return (cosine >= config.cosine_threshold) & (jaccard >= config.jaccard_threshold)


def length_ratio(scores: Scores) -> float:
    """The shorter paragraph's length as a share of the longer's (of their matching forms).

    With ``common`` letters lined up, alignment is ``2 common / (short + long)``
    and coverage ``common / short``, so ``short / long`` is ``a / (2c - a)``.

    >>> round(length_ratio(Scores(0.8, 0.6, 1.0, alignment=2 / 3, coverage=1.0)), 4)
    0.5
    """
    spread = 2 * scores.coverage - scores.alignment
    return min(scores.alignment / spread, 1.0) if spread > 0 else 0.0


def is_abridged(scores: Scores, config: VerifyConfig) -> bool:
    """Whether a pair is one paragraph and an abridged copy of it (a sentence or two dropped):
    nearly all the shorter one's letters line up in the longer, and the cosine confirms it."""
    return (
        scores.coverage >= config.abridged_threshold
        and length_ratio(scores) >= config.abridged_share
        and scores.cosine >= config.alignment_cosine_threshold
    )


def _aligned(cosine: Any, alignment: Any, config: VerifyConfig) -> Any:
    """Whether a pair is a noisy copy: its letters line up, and its cosine still confirms it."""
    return (alignment >= config.alignment_threshold) & (cosine >= config.alignment_cosine_threshold)


class Verifier:
    """Scores and decides pairs of units (distinct normalised paragraphs).

    Built over the units that take part in candidate pairs, with the weights
    of the whole corpus; it serves the candidates and then the chaining guard,
    and remembers every score it gave.
    """

    def __init__(
        self,
        texts: Sequence[str],
        units: np.ndarray,
        weights: Weights,
        shingle: ShingleConfig,
        config: VerifyConfig,
    ) -> None:
        self._texts = texts
        self._config = config
        self._row_of = np.full(len(texts), -1, dtype=np.int64)
        self._row_of[units] = np.arange(len(units))
        shingles = shingle_batch([texts[u] for u in units.tolist()], shingle)
        self._scorer = PairScorer(shingles, weights)
        self._figures: dict[int, tuple[str, ...]] = {}
        self._forms: dict[int, str] = {}
        self._same_figures: dict[tuple[int, int], bool] = {}
        self.scores: dict[tuple[int, int], Scores] = {}

    def _figures_of(self, unit: int) -> tuple[str, ...]:
        if unit not in self._figures:
            self._figures[unit] = figures(self._texts[unit])
        return self._figures[unit]

    def _forms_of(self, units: Sequence[int]) -> list[str]:
        """The matching forms of ``units`` (computed once per unit, in batches)."""
        missing = [unit for unit in dict.fromkeys(units) if unit not in self._forms]
        if missing:
            texts = [self._texts[unit] for unit in missing]
            self._forms.update(zip(missing, matching_forms(texts), strict=True))
        return [self._forms[unit] for unit in units]

    def _score(
        self, left: Sequence[int] | np.ndarray, right: Sequence[int] | np.ndarray
    ) -> tuple[np.ndarray, ...]:
        rows_left = self._row_of[np.asarray(left, dtype=np.int64)]
        rows_right = self._row_of[np.asarray(right, dtype=np.int64)]
        cosine, jaccard, containment = self._scorer.score(rows_left, rows_right)
        # Rounded once, here: decisions and reports then see the same numbers.
        return np.round(cosine, 4), np.round(jaccard, 4), np.round(containment, 4)

    def _align(self, left: Sequence[int], right: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
        """Alignment and coverage of unit pairs ``left[k], right[k]`` (rounded as the scores)."""
        alignment, coverage = alignment_scores(self._forms_of(left), self._forms_of(right))
        return np.round(alignment, 4), np.round(coverage, 4)

    def kind(self, left: int, right: int) -> Kind | None:
        """The relation of two units already scored (``None`` for none)."""
        pair = (left, right)
        scores = self.scores[pair]
        if pair not in self._same_figures:
            # Slips in figures are forgiven in copies (near or abridged), where the
            # text slips too; a paragraph that only reuses part of another is read
            # as it stands.
            self._same_figures[pair] = same_figures(
                self._figures_of(left),
                self._figures_of(right),
                lambda: (self._texts[left], self._texts[right]),
                slips_forgiven=is_copy(scores, self._config),
            )
        return decide(scores, self._same_figures[pair], self._config)

    def verify(self, pairs: np.ndarray, chunk: int = 200_000) -> list[Match]:
        """Matches among candidate ``pairs`` of units (an ``(m, 2)`` array, left < right)."""
        matches = []
        for start in range(0, len(pairs), chunk):
            part = pairs[start : start + chunk]
            cosine, jaccard, containment = self._score(part[:, 0], part[:, 1])
            # The thresholds are applied to whole arrays first; only the pairs
            # that pass one are decided (figures compared) one by one. Only
            # pairs whose cosine could confirm a match are aligned.
            related = np.flatnonzero(
                (cosine >= self._config.alignment_cosine_threshold)
                | (containment >= self._config.containment_threshold)
            )
            alignment, coverage = self._align(part[related, 0].tolist(), part[related, 1].tolist())
            promising = (
                _alike(cosine[related], jaccard[related], self._config)
                | _aligned(cosine[related], alignment, self._config)
                | (containment[related] >= self._config.containment_threshold)
            )
            chosen = related[promising]
            for left, right, c, j, k, a, v in zip(
                part[chosen, 0].tolist(),
                part[chosen, 1].tolist(),
                cosine[chosen].tolist(),
                jaccard[chosen].tolist(),
                containment[chosen].tolist(),
                alignment[promising].tolist(),
                coverage[promising].tolist(),
                strict=True,
            ):
                self.scores[(left, right)] = Scores(
                    cosine=c, jaccard=j, containment=k, alignment=a, coverage=v
                )
                kind = self.kind(left, right)
                if kind is not None:
                    matches.append(Match(left, right, kind, self.scores[(left, right)]))
        return matches

    def score_pairs(self, pairs: Sequence[tuple[int, int]]) -> list[Scores]:
        """Scores of unit pairs, computing (in one batch) those not scored yet."""
        fresh = []
        for pair in dict.fromkeys(pairs):
            if pair not in self.scores:
                # Every score is symmetric: a pair scored the other way round is scored.
                swapped = self.scores.get((pair[1], pair[0]))
                if swapped is None:
                    fresh.append(pair)
                else:
                    self.scores[pair] = swapped
        if fresh:
            left, right = [a for a, _ in fresh], [b for _, b in fresh]
            cosine, jaccard, containment = self._score(left, right)
            alignment, coverage = self._align(left, right)
            for k, pair in enumerate(fresh):
                self.scores[pair] = Scores(
                    cosine=float(cosine[k]),
                    jaccard=float(jaccard[k]),
                    containment=float(containment[k]),
                    alignment=float(alignment[k]),
                    coverage=float(coverage[k]),
                )
        return [self.scores[pair] for pair in pairs]

    def abridged(self, left: int, right: int) -> bool:
        """Whether two units already scored are a paragraph and an abridged copy of it."""
        return self.kind(left, right) is Kind.PARTIAL and is_abridged(
            self.scores[(left, right)], self._config
        )

    def within(self, unit: int, outer: int) -> bool:
        """Whether ``unit`` lies within ``outer`` (a pair already scored): most of its letters
        line up within ``outer`` and most of its rare shingles are found there. ``unit`` is
        then an excerpt or a rewrite of ``outer``, not a paragraph quoting it."""
        scores = self.scores.get((unit, outer)) or self.scores[(outer, unit)]
        size, outer_size = len(self._forms[unit]), len(self._forms[outer])
        common = scores.coverage * min(size, outer_size)
        return (
            common >= self._config.within_threshold * size
            and scores.containment >= self._config.join_containment_threshold
        )

    def check(
        self, kinds: tuple[Kind, ...], abridged: bool = False
    ) -> Callable[[Sequence[tuple[int, int]]], np.ndarray]:
        """A chaining guard: for ``(canonical, unit)`` pairs, whether they relate by ``kinds``
        (or, with ``abridged``, as a paragraph and its abridged copy)."""

        def matches_canonical(pairs: Sequence[tuple[int, int]]) -> np.ndarray:
            self.score_pairs(pairs)
            return np.array(
                [self.kind(a, b) in kinds or (abridged and self.abridged(a, b)) for a, b in pairs],
                dtype=bool,
            )

        return matches_canonical
