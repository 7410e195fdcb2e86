"""Verification: every candidate pair is scored on its exact shingles and decided.

Three measures over the paragraphs' shingle sets: TF-IDF cosine
(scikit-learn's ``TfidfTransformer`` over shingle counts, with the IDF of
the corpus's document frequencies, ``dedup.weights``, so that a shared rare
n-gram counts for more than a shared "the " and a pair's score does not
depend on which other pairs are candidates), Jaccard similarity and
containment (the share of the smaller paragraph found in the larger), and,
for pairs whose cosine could confirm a match, a character alignment
(``dedup.align``) that judges noisy copies for what they are. The figures
check (``dedup.figures``) then separates copies from templated paragraphs
that report other numbers.

Pairs are scored and decided as columns (arrays), never one Python object
per pair: a million paragraphs make millions of candidate pairs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import partial
from itertools import pairwise

import numpy as np
from scipy import sparse

from dedup.align import alignment_scores
from dedup.arrays import distinct
from dedup.config import ShingleConfig, VerifyConfig
from dedup.figures import figures, same_figures
from dedup.imports import hidden
from dedup.jit import njit
from dedup.records import RELATIONS, Kind, Matches, Scores
from dedup.shingle import Shingles, matching_forms, shingle_batch
from dedup.sketch import cores, pool
from dedup.weights import Weights

with hidden("pandas"):
    from sklearn.feature_extraction.text import TfidfTransformer

CODE_OF_KIND = {kind: code for code, kind in enumerate(RELATIONS) if kind is not None}
# Pairs per thread below which scoring stays on one (a thread's start costs more).
_THREADED_PAIRS = 20_000
# Units whose shingles are counted per batch while the TF-IDF rows are built.
_BATCH = 20_000


class PairScorer:
    """Scores pairs of paragraphs (rows of the given shingle batches, one after the other)
    on their exact shingle sets, weighing shingles by the IDF of ``weights``.

    Columns are the positions of shingles in ``weights`` (the corpus's
    shingles, in hash order), so rows built in separate batches line up.
    """

    def __init__(self, shingles: Shingles | Iterable[Shingles], weights: Weights) -> None:
        parts = [shingles] if isinstance(shingles, Shingles) else list(shingles)
        self._weights = weights
        self._extra: dict[int, int] = {}  # shingles the weights never counted: own columns
        self._idf = weights.idf(weights.hashes)
        indptr, indices, data, sizes, row_weights = [np.zeros(1, dtype=np.int64)], [], [], [], []
        for part in parts:
            tfidf, part_sizes = self._rows(part)
            indptr.append(tfidf.indptr[1:].astype(np.int64) + indptr[-1][-1])
            indices.append(tfidf.indices)
            data.append(tfidf.data)
            sizes.append(part_sizes)
            rows = np.repeat(np.arange(len(part_sizes)), np.diff(tfidf.indptr))
            # Containment counts each shingle by its rarity (IDF): sharing "said it
            # filed with the Securities and Exchange Commission" is phrasing every
            # dispatch of that kind has; sharing a rare sentence is reuse.
            row_weights.append(
                np.bincount(rows, weights=self._idf[tfidf.indices], minlength=len(part_sizes))
            )
        self._indptr = np.concatenate(indptr)
        self._indices = np.concatenate(indices) if indices else np.zeros(0, dtype=np.int32)
        self._data = np.concatenate(data) if data else np.zeros(0, dtype=np.float32)
        self._sizes = np.concatenate(sizes) if sizes else np.zeros(0, dtype=np.int64)
        self._row_weights = np.concatenate(row_weights) if row_weights else np.zeros(0)

    def _rows(self, shingles: Shingles) -> tuple[sparse.csr_matrix, np.ndarray]:
        """The TF-IDF rows of one batch (sorted columns), and each row's distinct shingles."""
        columns = self._columns(shingles.hashes)
        width = len(self._idf)
        counts = sparse.csr_matrix(
            (np.ones(len(columns), dtype=np.float32), columns, shingles.offsets),
            shape=(len(shingles), width),
        )
        counts.sum_duplicates()  # sorts each row's columns and counts repeats
        transformer = TfidfTransformer(sublinear_tf=True)
        # The IDF is the corpus's (every sketched unit), not one fitted on the
        # rows scored here: scikit-learn applies it as it would its own.
        transformer.idf_ = self._idf
        tfidf = sparse.csr_matrix(transformer.transform(counts))
        tfidf.sort_indices()
        return tfidf, np.diff(counts.indptr)

    def _columns(self, hashes: np.ndarray) -> np.ndarray:
        """The column of each shingle hash; a hash the weights lack gets a column of its own."""
        known = self._weights.hashes
        # Look up each distinct hash once, in ascending order (cache-friendly).
        values, inverse = _renumber(hashes)
        positions = np.searchsorted(known, values).astype(np.int32)
        missing = positions >= len(known)
        missing[~missing] = known[positions[~missing]] != values[~missing]
        if missing.any():
            for value in values[missing].tolist():
                self._extra.setdefault(value, len(known) + len(self._extra))
            positions[missing] = [self._extra[value] for value in values[missing].tolist()]
            grown = len(known) + len(self._extra) - len(self._idf)
            # A shingle no unit was counted with is as rare as can be (df = 0).
            rarest = np.log(1.0 + self._weights.units) + 1.0
            self._idf = np.concatenate((self._idf, np.full(grown, rarest)))
        return positions[inverse]

    def score(self, left: np.ndarray, right: np.ndarray) -> tuple[np.ndarray, ...]:
        """``(cosine, jaccard, containment)`` arrays for row pairs ``left[k], right[k]``."""
        if len(left) == 0:
            empty = np.empty(0, dtype=np.float64)
            return empty, empty, empty
        left, right = left.astype(np.int64), right.astype(np.int64)
        columns = (self._indptr, self._indices, self._data, self._idf)
        bounds = np.linspace(0, len(left), min(cores(), len(left) // _THREADED_PAIRS) + 1)
        if len(bounds) <= 2:
            cosine, shared, shared_weight = _pair_products(*columns, left, right)
        else:
            # Both cores (the loop releases the GIL): consecutive ranges of pairs.
            ranges = list(pairwise(bounds.astype(np.int64).tolist()))
            parts = pool().map(
                lambda part: _pair_products(*columns, left[slice(*part)], right[slice(*part)]),
                ranges,
            )
            cosine, shared, shared_weight = (np.concatenate(c) for c in zip(*parts, strict=True))
        size_left, size_right = self._sizes[left], self._sizes[right]
        union = size_left + size_right - shared
        jaccard = np.divide(shared, union, out=np.zeros(len(left)), where=union > 0)
        lighter = np.minimum(self._row_weights[left], self._row_weights[right])
        containment = np.divide(shared_weight, lighter, out=np.zeros(len(left)), where=lighter > 0)
        return np.clip(cosine, 0.0, 1.0), jaccard, np.clip(containment, 0.0, 1.0)


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


@njit
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


#: Score columns, in the order score arrays hold them.
COLUMNS = ("cosine", "jaccard", "containment", "alignment", "coverage")
_COSINE, _JACCARD, _CONTAINMENT, _ALIGNMENT, _COVERAGE = range(len(COLUMNS))


def length_ratios(alignment: np.ndarray, coverage: np.ndarray) -> np.ndarray:
    """The shorter paragraph's length as a share of the longer's (of their matching forms).

    With ``common`` letters lined up, alignment is ``2 common / (short + long)``
    and coverage ``common / short``, so ``short / long`` is ``a / (2c - a)``.

    >>> length_ratios(np.array([2 / 3, 1.0]), np.array([1.0, 1.0])).round(4).tolist()
    [0.5, 1.0]
    """
    spread = 2 * coverage - alignment
    ratio = np.divide(alignment, spread, out=np.zeros(len(spread)), where=spread > 0)
    return np.minimum(ratio, 1.0)


def length_ratio(scores: Scores) -> float:
    """The shorter paragraph's length as a share of the longer's, for one scored pair.

    >>> round(length_ratio(Scores(0.8, 0.6, 1.0, alignment=2 / 3, coverage=1.0)), 4)
    0.5
    """
    ratio = length_ratios(np.array([scores.alignment]), np.array([scores.coverage]))
    return float(ratio[0])


def _near(values: np.ndarray, config: VerifyConfig) -> np.ndarray:
    """Whether each scored pair is a near-duplicate by its text (figures aside): alike in
    shingles and of comparable length, or a noisy copy whose letters line up and whose
    cosine still confirms it."""
    cosine = values[:, _COSINE]
    alike = (
        (cosine >= config.cosine_threshold)
        & (values[:, _JACCARD] >= config.jaccard_threshold)
        & (length_ratios(values[:, _ALIGNMENT], values[:, _COVERAGE]) >= config.near_length_ratio)
    )
    aligned = (values[:, _ALIGNMENT] >= config.alignment_threshold) & (
        cosine >= config.alignment_cosine_threshold
    )
    return alike | aligned


def abridged_many(values: np.ndarray, config: VerifyConfig) -> np.ndarray:
    """Whether each scored pair is one paragraph and an abridged copy of it (a sentence or two
    dropped): nearly all the shorter one's letters line up in the longer, it keeps enough of
    it, and the cosine confirms it."""
    return (
        (values[:, _COVERAGE] >= config.abridged_threshold)
        & (length_ratios(values[:, _ALIGNMENT], values[:, _COVERAGE]) >= config.abridged_share)
        & (values[:, _COSINE] >= config.alignment_cosine_threshold)
    )


def decide_many(values: np.ndarray, same_figures: np.ndarray, config: VerifyConfig) -> np.ndarray:
    """The relation code (``RELATIONS``) of each scored pair (``values``: ``COLUMNS``)."""
    figures_ok = same_figures | (not config.check_figures)
    near = _near(values, config)
    partial = ~near & (values[:, _CONTAINMENT] >= config.containment_threshold) & figures_ok
    codes = np.zeros(len(values), dtype=np.int8)
    codes[near & figures_ok] = CODE_OF_KIND[Kind.NEAR]
    codes[near & ~figures_ok] = CODE_OF_KIND[Kind.FIGURES]
    codes[partial] = CODE_OF_KIND[Kind.PARTIAL]
    return codes


def _values(scores: Scores) -> np.ndarray:
    return np.array(
        [[scores.cosine, scores.jaccard, scores.containment, scores.alignment, scores.coverage]]
    )


def decide(scores: Scores, same_figures: bool, config: VerifyConfig) -> Kind | None:
    """The kind of relation a scored pair shows, or ``None`` for no relation."""
    return RELATIONS[decide_many(_values(scores), np.array([same_figures]), config)[0]]


def is_abridged(scores: Scores, config: VerifyConfig) -> bool:
    """Whether a scored pair is one paragraph and an abridged copy of it."""
    return bool(abridged_many(_values(scores), config)[0])


class _ScoreBook:
    """Scores already computed, by pair code ``low * n + high`` (sorted arrays)."""

    def __init__(self, codes: np.ndarray | None = None, values: np.ndarray | None = None) -> None:
        self.codes = np.zeros(0, dtype=np.int64) if codes is None else codes
        self.values = np.zeros((0, len(COLUMNS))) if values is None else values

    def find(self, codes: np.ndarray) -> np.ndarray:
        """Where each of ``codes`` is kept, or -1."""
        if len(self.codes) == 0:
            return np.full(len(codes), -1, dtype=np.int64)
        at = np.minimum(np.searchsorted(self.codes, codes), len(self.codes) - 1)
        return np.where(self.codes[at] == codes, at, -1)

    def add(self, codes: np.ndarray, values: np.ndarray) -> None:
        """Keep the scores of ``codes`` (distinct) not kept yet."""
        new = self.find(codes) < 0
        codes, values = codes[new], values[new]
        codes = np.concatenate((self.codes, codes))
        order = np.argsort(codes, kind="stable")
        self.codes = codes[order]
        self.values = np.concatenate((self.values, values))[order]


class Verifier:
    """Scores and decides pairs of units (distinct normalised paragraphs).

    Built over the units that take part in candidate pairs, with the weights
    of the whole corpus; it serves the candidates and then the chaining guard,
    and remembers every score it gave. Scores and figures are symmetric, so a
    pair is the same in either order.
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
        self._size = max(len(texts), 1)
        self._row_of = np.full(len(texts), -1, dtype=np.int64)
        self._row_of[units] = np.arange(len(units))
        batches = (
            shingle_batch([texts[u] for u in units[start : start + _BATCH].tolist()], shingle)
            for start in range(0, len(units), _BATCH)
        )
        self._scorer = PairScorer(batches, weights)
        # Scores of verified pairs (the matches, kept as they are) and of pairs
        # scored later (the chaining guard).
        self._matched = _ScoreBook()
        self._book = _ScoreBook()
        self._forms: dict[int, str] = {}
        # Figures of each unit, as an id of their tuple: equal ids, equal figures.
        self._figure_id = np.full(len(texts), -1, dtype=np.int64)
        self._figure_ids: dict[tuple[str, ...], int] = {}
        self._figure_lists: list[tuple[str, ...]] = []
        self._same_figures: dict[tuple[int, int, bool], bool] = {}

    def _codes(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        return np.minimum(left, right) * self._size + np.maximum(left, right)

    def _forms_of(self, units: Sequence[int]) -> list[str]:
        """The matching forms of ``units`` (computed once per unit, in batches)."""
        missing = [unit for unit in dict.fromkeys(units) if unit not in self._forms]
        if missing:
            forms = matching_forms([self._texts[unit] for unit in missing])
            self._forms.update(zip(missing, forms, strict=True))
        return [self._forms[unit] for unit in units]

    def _scored(
        self,
        left: np.ndarray,
        right: np.ndarray,
        aligned: np.ndarray | None = None,
        products: tuple[np.ndarray, ...] | None = None,
    ) -> np.ndarray:
        """``(pairs, 5)`` scores (``COLUMNS``) of unit pairs, rounded once, here, so that
        decisions and reports see the same numbers; the alignment only where ``aligned``
        (everywhere when None). ``products``: the shingle scores, when already computed."""
        cosine, jaccard, containment = products or self._scorer.score(
            self._row_of[left], self._row_of[right]
        )
        if aligned is None:
            aligned = np.ones(len(left), dtype=bool)
        values = np.zeros((len(left), len(COLUMNS)))
        values[:, _COSINE], values[:, _JACCARD] = cosine, jaccard
        values[:, _CONTAINMENT] = containment
        chosen = np.flatnonzero(aligned)
        if len(chosen):
            alignment, coverage = alignment_scores(
                self._forms_of(left[chosen].tolist()),
                self._forms_of(right[chosen].tolist()),
                workers=cores() if len(chosen) >= _THREADED_PAIRS else 1,
            )
            values[chosen, _ALIGNMENT], values[chosen, _COVERAGE] = alignment, coverage
        return np.round(values, 4)

    def scores_of(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        """``(pairs, 5)`` scores (``COLUMNS``) of unit pairs, computing (in one batch) those
        not scored yet."""
        left, right = np.asarray(left, dtype=np.int64), np.asarray(right, dtype=np.int64)
        codes = self._codes(left, right)
        matched = self._matched.find(codes)
        elsewhere = matched < 0
        fresh = distinct(codes[elsewhere][self._book.find(codes[elsewhere]) < 0])
        if len(fresh):
            low, high = fresh // self._size, fresh % self._size
            self._book.add(fresh, self._scored(low, high))
        found = np.empty((len(codes), len(COLUMNS)), dtype=np.float64)
        found[~elsewhere] = self._matched.values[matched[~elsewhere]]
        found[elsewhere] = self._book.values[self._book.find(codes[elsewhere])]
        return found

    def score_pairs(self, pairs: Sequence[tuple[int, int]]) -> list[Scores]:
        """Scores of unit pairs (records), computing those not scored yet."""
        if not pairs:
            return []
        values = self.scores_of(
            np.array([a for a, _ in pairs], dtype=np.int64),
            np.array([b for _, b in pairs], dtype=np.int64),
        )
        return [Scores(*row) for row in values.tolist()]

    def _figures_agree(self, left: np.ndarray, right: np.ndarray, copies: np.ndarray) -> np.ndarray:
        """Whether each pair of units reports the same figures (``same_figures``), slips
        forgiven in ``copies`` (near or abridged), where the text slips too."""
        unknown = distinct(np.concatenate((left, right)))
        unknown = unknown[self._figure_id[unknown] < 0]
        for unit in unknown.tolist():
            found = figures(self._texts[unit])
            self._figure_id[unit] = self._figure_ids.setdefault(found, len(self._figure_ids))
            if self._figure_id[unit] == len(self._figure_lists):
                self._figure_lists.append(found)
        same = self._figure_id[left] == self._figure_id[right]
        # Pairs whose figures differ are compared one by one (the texts may be read).
        for k in np.flatnonzero(~same).tolist():
            a, b, forgiven = int(left[k]), int(right[k]), bool(copies[k])
            key = (min(a, b), max(a, b), forgiven)
            agreed = self._same_figures.get(key)
            if agreed is None:
                agreed = same_figures(
                    self._figure_lists[self._figure_id[a]],
                    self._figure_lists[self._figure_id[b]],
                    partial(self._pair_texts, a, b),
                    slips_forgiven=forgiven,
                )
                self._same_figures[key] = agreed
            same[k] = agreed
        return same

    def _pair_texts(self, left: int, right: int) -> tuple[str, str]:
        return self._texts[left], self._texts[right]

    def _decide(self, left: np.ndarray, right: np.ndarray, values: np.ndarray) -> np.ndarray:
        """Relation codes of scored unit pairs."""
        config = self._config
        codes = np.zeros(len(left), dtype=np.int8)
        # Only pairs that could relate need their figures compared.
        promising = np.flatnonzero(
            _near(values, config) | (values[:, _CONTAINMENT] >= config.containment_threshold)
        )
        if len(promising):
            chosen = values[promising]
            copies = _near(chosen, config) | abridged_many(chosen, config)
            same = self._figures_agree(left[promising], right[promising], copies)
            codes[promising] = decide_many(chosen, same, config)
        return codes

    def kinds_of(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        """The relation code of each unit pair (``RELATIONS``), scoring what is new."""
        left, right = np.asarray(left, dtype=np.int64), np.asarray(right, dtype=np.int64)
        return self._decide(left, right, self.scores_of(left, right))

    def kind(self, left: int, right: int) -> Kind | None:
        """The relation of two units (``None`` for none)."""
        return RELATIONS[self.kinds_of(np.array([left]), np.array([right]))[0]]

    def abridged_of(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        """Whether each unit pair is a paragraph and an abridged copy of it (partial reuse by
        its shingles, the same paragraph to a desk)."""
        left, right = np.asarray(left, dtype=np.int64), np.asarray(right, dtype=np.int64)
        values = self.scores_of(left, right)
        partial = self._decide(left, right, values) == CODE_OF_KIND[Kind.PARTIAL]
        return partial & abridged_many(values, self._config)

    def abridged(self, left: int, right: int) -> bool:
        """Whether two units are a paragraph and an abridged copy of it."""
        return bool(self.abridged_of(np.array([left]), np.array([right]))[0])

    def within_of(self, units: np.ndarray, outers: np.ndarray) -> np.ndarray:
        """Whether each of ``units`` lies within its ``outers``: most of its letters line up
        within it and most of its rare shingles are found there. The unit is then an excerpt
        or a rewrite of the outer paragraph, not a paragraph quoting it among other text."""
        units, outers = np.asarray(units, dtype=np.int64), np.asarray(outers, dtype=np.int64)
        values = self.scores_of(units, outers)
        sizes = np.fromiter(map(len, self._forms_of(units.tolist())), np.float64, len(units))
        outer_sizes = np.fromiter(map(len, self._forms_of(outers.tolist())), np.float64, len(units))
        common = values[:, _COVERAGE] * np.minimum(sizes, outer_sizes)
        return (common >= self._config.within_threshold * sizes) & (
            values[:, _CONTAINMENT] >= self._config.join_containment_threshold
        )

    def within(self, unit: int, outer: int) -> bool:
        """Whether ``unit`` lies within ``outer`` (``within_of`` for one pair)."""
        return bool(self.within_of(np.array([unit]), np.array([outer]))[0])

    def verify(self, pairs: np.ndarray, chunk: int = 500_000) -> Matches:
        """Matches among candidate ``pairs`` of units (an ``(m, 2)`` array, left < right)."""
        config = self._config
        found = []
        for start in range(0, len(pairs), chunk):
            part = pairs[start : start + chunk]
            left, right = part[:, 0].astype(np.int64), part[:, 1].astype(np.int64)
            products = self._scorer.score(self._row_of[left], self._row_of[right])
            cosine, containment = np.round(products[0], 4), np.round(products[2], 4)
            # Only pairs whose cosine could confirm a match are aligned letter by letter.
            aligned = (cosine >= config.alignment_cosine_threshold) | (
                containment >= config.containment_threshold
            )
            values = self._scored(left, right, aligned, products)
            codes = self._decide(left, right, values)
            kept = np.flatnonzero(codes)
            found.append((left[kept], right[kept], codes[kept], values[kept]))
        if not found:
            return Matches.empty()
        left, right, codes, values = (np.concatenate(column) for column in zip(*found, strict=True))
        # Every pair that relates is remembered for the chaining guard, as the
        # matches hold it (candidate pairs come sorted, so their codes do too).
        self._matched = _ScoreBook(self._codes(left, right), values)
        return Matches(left, right, codes, values)

    def check(
        self, kinds: tuple[Kind, ...], abridged: bool = False
    ) -> Callable[[Sequence[tuple[int, int]]], np.ndarray]:
        """A chaining guard: for ``(canonical, unit)`` pairs, whether they relate by ``kinds``
        (or, with ``abridged``, as a paragraph and its abridged copy)."""
        wanted = np.array([CODE_OF_KIND[kind] for kind in kinds], dtype=np.int8)

        def matches_canonical(pairs: Sequence[tuple[int, int]]) -> np.ndarray:
            if not len(pairs):
                return np.zeros(0, dtype=bool)
            array = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
            related = np.isin(self.kinds_of(array[:, 0], array[:, 1]), wanted)
            if abridged:
                related |= self.abridged_of(array[:, 0], array[:, 1])
            return related

        return matches_canonical
