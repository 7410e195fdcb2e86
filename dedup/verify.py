"""Verification: every candidate pair is scored on its exact shingles and decided.

Three measures over the paragraphs' shingle sets: TF-IDF cosine
(scikit-learn's ``TfidfTransformer`` over shingle counts, so that a shared
rare n-gram counts for more than a shared "the "), Jaccard similarity and
containment (the share of the smaller paragraph found in the larger). A
figures check then separates copies from templated paragraphs that report
other numbers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

import numba
import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfTransformer

from dedup.config import ShingleConfig, VerifyConfig
from dedup.records import Match, Scores
from dedup.shingle import Shingles, shingle_batch

NEAR = "near"
FIGURES = "figures"
PARTIAL = "partial"

# OCR reads 0 as o and 1 as l: next to a digit, they are taken back.
_OCR_DIGIT = re.compile(r"(?<=\d)[ol]+|(?<=\d[.,])[ol]+|[ol]+(?=[.,]?\d)")
_OCR_NEAR_DIGIT = re.compile(r"\d[.,]?[ol]|[ol][.,]?\d")
# Wire style writes small numbers in words ("loss six cts vs profit two cts")
# and magnitudes as words ("1.2 mln", "1.2 billion"): both are figures.
_NUMBER_WORDS = {
    word: str(value)
    for value, word in enumerate(
        [
            "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
            "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
            "seventeen", "eighteen", "nineteen",
        ]
    )
} | {
    "twenty": "20", "thirty": "30", "forty": "40", "fifty": "50", "sixty": "60",
    "seventy": "70", "eighty": "80", "ninety": "90", "hundred": "100",
    "deux": "2", "trois": "3", "quatre": "4", "cinq": "5", "sept": "7", "huit": "8",
    "neuf": "9", "dix": "10", "vingt": "20", "trente": "30", "cent": "100",
    "thousand": "k", "mille": "k", "million": "m", "millions": "m", "mln": "m",
    "billion": "b", "billions": "b", "bln": "b", "milliard": "b", "milliards": "b",
    "trillion": "t",
}  # fmt: skip
# A figure stands apart from letters: a digit inside a word is OCR noise
# ("bi1lion", "d1rs"), not a number.
# Possessive: "1.75dlr" must not yield "1.7"; nor may a figure start inside
# another ("plus200,000" must not yield "000").
_FIGURE = re.compile(
    r"(?<![\w.,])\d++(?:[.,]\d++)*+(?![^\W\d_])|\b(?:"
    + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
    + r")\b"
)
# A dateline ("new york, march 11 -", "(reuters) -") is the desk's, not the story's.
_DATELINE = re.compile(r"^(?:[^\W\d_][\w .,'&/-]{0,40}?, [^\W\d_]+\.? \d{1,2} ?-|\(reuters\) ?-) ?")


def figures(text: str) -> tuple[str, ...]:
    """The figures of a normalised paragraph, in order: digits without separators or
    leading zeros, number words as digits, magnitudes as ``k``, ``m``, ``b``, ``t``.

    >>> figures("new york, march 3 - net profit 1.2 mln vs 900,000, up l0 pct from six d1rs")
    ('12', 'm', '900000', '10', '6')
    """
    text = _DATELINE.sub("", text, count=1)
    if _OCR_NEAR_DIGIT.search(text):
        text = _OCR_DIGIT.sub(lambda m: m.group().replace("o", "0").replace("l", "1"), text)
    return tuple(
        _NUMBER_WORDS.get(token) or token.replace(",", "").replace(".", "").lstrip("0") or "0"
        for token in _FIGURE.findall(text)
    )


def figures_agree(left: Sequence[str], right: Sequence[str]) -> bool:
    """Whether two paragraphs report the same figures.

    They disagree when a figure of one is gone and another figure stands in
    the other: a figure changed ("28 cts" against "12 cts"), or two swapped
    ("profit two vs loss 12" against "profit 12 vs loss two"). A figure on
    one side only is a clause added or dropped, which the text similarity
    already weighs.

    >>> figures_agree(("12", "28"), ("12", "28", "1987"))
    True
    >>> figures_agree(("28", "6"), ("12", "28"))
    False
    >>> figures_agree(("2", "12"), ("12", "2"))
    False
    """
    if left == right:
        return True
    ordered_left, ordered_right = sorted(left), sorted(right)
    if ordered_left == ordered_right:
        return False  # the same figures in another order: swapped
    # Walk both sorted lists for the figures found on one side only.
    i = j = 0
    only_left: list[str] = []
    only_right: list[str] = []
    while i < len(ordered_left) and j < len(ordered_right):
        if ordered_left[i] == ordered_right[j]:
            i, j = i + 1, j + 1
        elif ordered_left[i] < ordered_right[j]:
            only_left.append(ordered_left[i])
            i += 1
        else:
            only_right.append(ordered_right[j])
            j += 1
    only_left += ordered_left[i:]
    only_right += ordered_right[j:]
    return _one_sided_after_slips(only_left, only_right)


def _one_sided_after_slips(only_left: list[str], only_right: list[str]) -> bool:
    """Whether, once figures that are the same but for one digit dropped or doubled are
    paired up (noise: "1985" / "19855", "720000" / "72000"), what is left is on one side.

    >>> _one_sided_after_slips(["1985"], ["19855"])
    True
    >>> _one_sided_after_slips(["1985"], ["19855", "53"])
    True
    >>> _one_sided_after_slips(["28"], ["29"])
    False
    """
    if not (only_left and only_right):
        return True
    only_right = list(only_right)
    unpaired = []
    for figure in only_left:
        match = next((other for other in only_right if _one_dropped(figure, other)), None)
        if match is None:
            unpaired.append(figure)
        else:
            only_right.remove(match)
    # What is left must be on one side only, as in ``figures_agree``.
    return not (unpaired and only_right)


def _one_dropped(a: str, b: str) -> bool:
    """Whether one of ``a``, ``b`` is the other with one digit dropped (at least 2 digits)."""
    shorter, longer = sorted((a, b), key=len)
    if len(longer) != len(shorter) + 1 or len(shorter) < 2:
        return False
    return any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer)))


class PairScorer:
    """Scores pairs of paragraphs (rows of ``shingles``) on their exact shingle sets."""

    def __init__(self, shingles: Shingles) -> None:
        counts = _count_matrix(shingles)
        if counts.shape[1] == 0:  # nothing to score: keep the shapes valid for sklearn
            counts = sparse.csr_matrix((max(len(shingles), 1), 1), dtype=np.float32)
        transformer = TfidfTransformer(sublinear_tf=True)
        self._tfidf = transformer.fit_transform(counts).tocsr()
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


def _count_matrix(shingles: Shingles) -> sparse.csr_matrix:
    """Paragraph-by-shingle counts, shingle hashes renumbered to compact columns.

    Shingles are already grouped by paragraph, so their offsets are the CSR
    row pointers: no coordinate lists are built.
    """
    distinct, columns = _renumber(shingles.hashes)
    matrix = sparse.csr_matrix(
        (np.ones(len(columns), dtype=np.float32), columns, shingles.offsets),
        shape=(len(shingles), distinct),
    )
    matrix.sum_duplicates()
    return matrix


def _renumber(hashes: np.ndarray) -> tuple[int, np.ndarray]:
    """``(number of distinct values, each value's rank among them)`` for uint32 ``hashes``.

    Equal to ``np.unique(hashes, return_inverse=True)`` but much faster: one
    sort of ``value << 32 | position`` instead of an argsort.
    """
    if len(hashes) == 0:
        return 0, np.zeros(0, dtype=np.int32)
    packed = (hashes.astype(np.uint64) << np.uint64(32)) | np.arange(len(hashes), dtype=np.uint64)
    packed.sort()
    values = packed >> np.uint64(32)
    ranks = np.empty(len(hashes), dtype=np.int32)
    ranks[0] = 0
    np.cumsum(values[1:] != values[:-1], out=ranks[1:])
    del values
    inverse = np.empty(len(hashes), dtype=np.int32)
    inverse[(packed & np.uint64(0xFFFFFFFF)).astype(np.int64)] = ranks
    return int(ranks[-1]) + 1, inverse


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


def decide(scores: Scores, same_figures: bool, config: VerifyConfig) -> str | None:
    """The kind of relation a scored pair shows, or ``None`` for no relation."""
    figures_ok = same_figures or not config.check_figures
    if _alike(scores.cosine, scores.jaccard, config):
        return NEAR if figures_ok else FIGURES
    if scores.containment >= config.containment_threshold and figures_ok:
        return PARTIAL
    return None


def _alike(cosine: Any, jaccard: Any, config: VerifyConfig) -> Any:
    return (cosine >= config.cosine_threshold) & (jaccard >= config.jaccard_threshold)


class Verifier:
    """Scores and decides pairs of units (distinct normalised paragraphs).

    Built over the units that take part in candidate pairs; it serves the
    candidates and then the chaining guard, and remembers every score it gave.
    """

    def __init__(
        self, texts: Sequence[str], units: np.ndarray, shingle: ShingleConfig, config: VerifyConfig
    ) -> None:
        self._texts = texts
        self._config = config
        self._row_of = np.full(len(texts), -1, dtype=np.int64)
        self._row_of[units] = np.arange(len(units))
        self._scorer = PairScorer(shingle_batch([texts[u] for u in units.tolist()], shingle))
        self._figures: dict[int, tuple[str, ...]] = {}
        self.scores: dict[tuple[int, int], Scores] = {}

    def _figures_of(self, unit: int) -> tuple[str, ...]:
        if unit not in self._figures:
            self._figures[unit] = figures(self._texts[unit])
        return self._figures[unit]

    def _score(
        self, left: Sequence[int] | np.ndarray, right: Sequence[int] | np.ndarray
    ) -> tuple[np.ndarray, ...]:
        rows_left = self._row_of[np.asarray(left, dtype=np.int64)]
        rows_right = self._row_of[np.asarray(right, dtype=np.int64)]
        cosine, jaccard, containment = self._scorer.score(rows_left, rows_right)
        # Rounded once, here: decisions and reports then see the same numbers.
        return np.round(cosine, 4), np.round(jaccard, 4), np.round(containment, 4)

    def kind(self, left: int, right: int) -> str | None:
        """The relation of two units already scored (``None`` for none)."""
        same = figures_agree(self._figures_of(left), self._figures_of(right))
        return decide(self.scores[(left, right)], same, self._config)

    def verify(self, pairs: np.ndarray, chunk: int = 200_000) -> list[Match]:
        """Matches among candidate ``pairs`` of units (an ``(m, 2)`` array, left < right)."""
        matches = []
        for start in range(0, len(pairs), chunk):
            part = pairs[start : start + chunk]
            cosine, jaccard, containment = self._score(part[:, 0], part[:, 1])
            # The thresholds are applied to whole arrays first; only the pairs
            # that pass one are decided (figures compared) one by one.
            promising = np.flatnonzero(
                _alike(cosine, jaccard, self._config)
                | (containment >= self._config.containment_threshold)
            )
            for left, right, c, j, k in zip(
                part[promising, 0].tolist(),
                part[promising, 1].tolist(),
                cosine[promising].tolist(),
                jaccard[promising].tolist(),
                containment[promising].tolist(),
                strict=True,
            ):
                self.scores[(left, right)] = Scores(cosine=c, jaccard=j, containment=k)
                kind = self.kind(left, right)
                if kind is not None:
                    matches.append(Match(left, right, kind, self.scores[(left, right)]))
        return matches

    def score_pairs(self, pairs: Sequence[tuple[int, int]]) -> list[Scores]:
        """Scores of unit pairs, computing (in one batch) those not scored yet."""
        fresh = [pair for pair in dict.fromkeys(pairs) if pair not in self.scores]
        if fresh:
            cosine, jaccard, containment = self._score([a for a, _ in fresh], [b for _, b in fresh])
            for k, pair in enumerate(fresh):
                self.scores[pair] = Scores(
                    cosine=float(cosine[k]),
                    jaccard=float(jaccard[k]),
                    containment=float(containment[k]),
                )
        return [self.scores[pair] for pair in pairs]

    def check(self, kinds: tuple[str, ...]) -> Callable[[Sequence[tuple[int, int]]], np.ndarray]:
        """A chaining guard: for ``(canonical, unit)`` pairs, whether they relate by ``kinds``."""

        def matches_canonical(pairs: Sequence[tuple[int, int]]) -> np.ndarray:
            self.score_pairs(pairs)
            return np.array([self.kind(a, b) in kinds for a, b in pairs], dtype=bool)

        return matches_canonical
