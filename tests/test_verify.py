"""Verification: exact scores on candidate pairs, with the corpus's weights, and the decision."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer

from dedup import verify
from dedup.align import alignment_scores
from dedup.config import ShingleConfig, VerifyConfig
from dedup.normalize import normalize_text
from dedup.records import Kind, Scores
from dedup.shingle import shingle_batch, shingle_strings
from dedup.verify import PairScorer, Verifier, decide, is_abridged, length_ratio
from dedup.weights import Weights

NEAR, PARTIAL, FIGURES = Kind.NEAR, Kind.PARTIAL, Kind.FIGURES

DEFAULTS = VerifyConfig()


@pytest.mark.parametrize(
    ("scores", "same_figures", "config", "expected"),
    [
        (Scores(0.9, 0.8, 0.9, 0.95, 0.97), True, DEFAULTS, NEAR),
        (Scores(0.7, 0.45, 0.5, 0.75, 0.8), True, DEFAULTS, NEAR),
        (Scores(0.9, 0.8, 0.9, 0.95, 0.97), False, DEFAULTS, FIGURES),
        (Scores(0.9, 0.8, 0.9, 0.95, 0.97), False, VerifyConfig(check_figures=False), NEAR),
        (Scores(0.5, 0.3, 0.8, 0.6, 0.9), True, DEFAULTS, PARTIAL),
        (Scores(0.9, 0.3, 0.6, 0.7, 0.9), True, DEFAULTS, PARTIAL),
        (Scores(0.5, 0.3, 0.8, 0.6, 0.9), False, DEFAULTS, None),
        (Scores(0.69, 0.9, 0.49, 0.85, 0.9), True, DEFAULTS, None),
        (Scores(0.1, 0.05, 0.1, 0.3, 0.4), True, DEFAULTS, None),
        (Scores(0.45, 0.3, 0.5, 0.92, 0.93), True, DEFAULTS, NEAR),
        (Scores(0.45, 0.3, 0.5, 0.92, 0.93), False, DEFAULTS, FIGURES),
        (Scores(0.35, 0.3, 0.4, 0.95, 0.96), True, DEFAULTS, None),
        (Scores(0.75, 0.55, 1.0, 0.67, 1.0), True, DEFAULTS, PARTIAL),
    ],
    ids=[
        "near",
        "near-at-thresholds",
        "other-figures",
        "figures-not-checked",
        "partial",
        "partial-when-jaccard-low",
        "partial-with-other-figures",
        "just-below",
        "unrelated",
        "noisy-copy-aligned",
        "noisy-copy-other-figures",
        "aligned-but-cosine-does-not-confirm",
        "alike-shingles-but-twice-as-long",
    ],
)
def test_decide(
    scores: Scores, same_figures: bool, config: VerifyConfig, expected: str | None
) -> None:
    assert decide(scores, same_figures, config) == expected


texts = st.lists(st.text(st.sampled_from("abcd efg"), max_size=40), min_size=1, max_size=6)


@given(texts, st.sampled_from([ShingleConfig(), ShingleConfig(shingle_kind="word")]))
def test_scores_are_symmetric_bounded_and_exact(texts: list[str], shingle: ShingleConfig) -> None:
    batch = shingle_batch(texts, shingle)
    assume(len(batch.of(len(texts) - 1)) > 0)  # see test_last_paragraph_without_shingles
    scorer = PairScorer(batch, Weights.of(batch))
    pairs = np.array(list(itertools.product(range(len(texts)), repeat=2)), dtype=np.int64)
    cosine, jaccard, containment = scorer.score(pairs[:, 0], pairs[:, 1])
    swapped = scorer.score(pairs[:, 1], pairs[:, 0])
    for values, mirrored in zip((cosine, jaccard, containment), swapped, strict=True):
        assert values.tolist() == mirrored.tolist()
        assert ((values >= 0.0) & (values <= 1.0)).all()
    for k, (i, j) in enumerate(pairs.tolist()):
        a, b = set(batch.of(i).tolist()), set(batch.of(j).tolist())
        union = len(a | b)
        assert jaccard[k] == pytest.approx(len(a & b) / union if union else 0.0)
        if a and b and (a <= b or b <= a):
            assert containment[k] == pytest.approx(1.0)  # one reuses all of the other
        if i == j and a:
            assert cosine[k] == pytest.approx(1.0)
        if not a & b:
            assert cosine[k] == containment[k] == 0.0


def test_last_paragraph_without_shingles() -> None:
    batch = shingle_batch(["abcdef", "abcdeg", ""], ShingleConfig())
    scorer = PairScorer(batch, Weights.of(batch))
    cosine, jaccard, containment = scorer.score(np.array([0, 0]), np.array([1, 2]))
    assert jaccard.tolist() == [pytest.approx(1 / 3), 0.0]
    assert (cosine[1], containment[1]) == (0.0, 0.0)


def test_a_shared_rare_shingle_weighs_more_than_a_shared_common_one() -> None:
    texts = ["the cat sat", "the dog ran", "the big fox", "a cat hid"]
    batch = shingle_batch(texts, ShingleConfig(shingle_kind="word", shingle_size=1))
    scorer = PairScorer(batch, Weights.of(batch))
    cosine, jaccard, _ = scorer.score(np.array([0, 0]), np.array([1, 3]))
    # Each pair shares one word of five: "the" (in three texts), "cat" (in two).
    assert jaccard[0] == jaccard[1] == pytest.approx(0.2)
    assert cosine[0] < cosine[1]


@pytest.fixture(scope="module")
def seed_verifier(seed_lines: dict[int, str]) -> tuple[Verifier, dict[int, int]]:
    """A verifier over some seed lines; returns it and unit id by line number."""
    numbers = [9, 11, 15, 16, 20, 26, 31]
    texts = [normalize_text(seed_lines[n]) for n in numbers]
    units = np.arange(len(texts), dtype=np.int64)
    weights = Weights.of(shingle_batch(texts, ShingleConfig()))
    verifier = Verifier(texts, units, weights, ShingleConfig(), VerifyConfig())
    return verifier, {n: u for u, n in enumerate(numbers)}


@pytest.mark.parametrize(
    ("left", "right", "kind"),
    [(11, 26, NEAR), (11, 15, PARTIAL), (16, 20, None), (9, 31, None), (11, 16, None)],
    ids=["one-letter-apart", "rewrite", "shared-attribution-only", "shared-formula-only", "other"],
)
def test_verifier_on_seed_pairs(
    seed_verifier: tuple[Verifier, dict[int, int]], left: int, right: int, kind: str | None
) -> None:
    verifier, unit = seed_verifier
    matches = verifier.verify(np.array([[unit[left], unit[right]]], dtype=np.int64))
    assert [m.kind for m in matches] == ([kind] if kind else [])
    for match in matches:
        assert (match.left, match.right) == (unit[left], unit[right])
        assert [match.scores] == verifier.score_pairs([(unit[right], unit[left])])


def test_near_match_carries_its_evidence(seed_verifier: tuple[Verifier, dict[int, int]]) -> None:
    verifier, unit = seed_verifier
    (match,) = verifier.verify(np.array([[unit[11], unit[26]]], dtype=np.int64))
    assert match.scores.cosine >= DEFAULTS.cosine_threshold
    assert match.scores.jaccard >= DEFAULTS.jaccard_threshold
    assert 0.9 < match.scores.containment <= 1.0


def test_chaining_guard_check(seed_verifier: tuple[Verifier, dict[int, int]]) -> None:
    verifier, unit = seed_verifier
    check = verifier.check((NEAR,))
    verdicts = check([(unit[11], unit[26]), (unit[11], unit[15]), (unit[16], unit[20])])
    assert verdicts.dtype == bool
    assert verdicts.tolist() == [True, False, False]
    assert verifier.check((NEAR, PARTIAL))([(unit[11], unit[15])]).tolist() == [True]


def test_verifier_without_candidates_finds_nothing() -> None:
    texts = ["one text"]
    units = np.empty(0, dtype=np.int64)
    verifier = Verifier(texts, units, Weights.empty(), ShingleConfig(), DEFAULTS)
    assert list(verifier.verify(np.empty((0, 2), dtype=np.int64))) == []


def sklearn_cosines(
    texts: list[str], pairs: list[tuple[int, int]], shingle: ShingleConfig
) -> list[float]:
    """Cosines of row pairs by scikit-learn alone: shingle strings counted by
    ``CountVectorizer``, ``TfidfTransformer(sublinear_tf=True)`` fitted on all ``texts``."""
    vectorizer = CountVectorizer(analyzer=lambda text: shingle_strings(text, shingle))
    matrix = TfidfTransformer(sublinear_tf=True).fit_transform(vectorizer.fit_transform(texts))
    return [float(matrix[i].multiply(matrix[j]).sum()) for i, j in pairs]


@given(
    st.lists(st.text(st.sampled_from("abcdefgh ij"), min_size=6, max_size=50), min_size=3),
    st.data(),
)
def test_cosine_equals_scikit_learn_fitted_on_every_unit(
    texts: list[str], data: st.DataObject
) -> None:
    # The scored pairs are a few rows; the IDF still comes from every text (the
    # corpus), exactly as TfidfTransformer fitted on all of them gives it.
    shingle = ShingleConfig()
    assume(all(shingle_strings(text, shingle) for text in texts))
    everything = shingle_batch(texts, shingle)
    left = data.draw(st.integers(0, len(texts) - 1))
    right = data.draw(st.integers(0, len(texts) - 1))
    scored = [left, right]
    scorer = PairScorer(shingle_batch([texts[i] for i in scored], shingle), Weights.of(everything))
    cosine, _, _ = scorer.score(np.array([0]), np.array([1]))
    # TF-IDF values are kept in float32 (half the memory); reports round to 4 decimals.
    expected = sklearn_cosines(texts, [(left, right)], shingle)[0]
    assert cosine[0] == pytest.approx(expected, abs=1e-6)


def test_a_pairs_cosine_does_not_depend_on_the_other_candidates(seed_lines: dict[int, str]) -> None:
    corpus = [normalize_text(seed_lines[n]) for n in (9, 11, 15, 16, 20, 26, 31)]
    weights = Weights.of(shingle_batch(corpus, ShingleConfig()))
    alone = Verifier(corpus, np.array([1, 5]), weights, ShingleConfig(), DEFAULTS)
    among = Verifier(corpus, np.arange(len(corpus)), weights, ShingleConfig(), DEFAULTS)
    pair = [(1, 5)]
    assert alone.score_pairs(pair) == among.score_pairs(pair)


def test_pairs_scored_on_several_threads_score_as_on_one(
    excerpt_path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every pair of the Reuters excerpt's first 120 paragraphs, scored in ranges on the
    thread pool (threads from two pairs up), gives what one thread gives, pair for pair."""
    from dedup.readers import read_paths

    texts = [normalize_text(p.text) for d in read_paths([excerpt_path]) for p in d.paragraphs][:120]
    pairs = np.array(list(itertools.combinations(range(len(texts)), 2)), dtype=np.int64)
    weights = Weights.of(shingle_batch(texts, ShingleConfig()))

    def scores() -> np.ndarray:
        judge = Verifier(texts, np.arange(len(texts)), weights, ShingleConfig(), DEFAULTS)
        return judge.scores_of(pairs[:, 0], pairs[:, 1])

    one = scores()
    monkeypatch.setattr(verify, "_THREADED_PAIRS", 2)
    monkeypatch.setattr(verify, "cores", lambda: 3)
    several = scores()
    assert np.array_equal(one, several)
    assert (one[:, 0] > 0.5).sum() > 10  # real near pairs among them, not only zeros


fractions = st.floats(0, 1)


@given(st.lists(st.tuples(fractions, fractions, fractions, fractions, fractions), max_size=20))
def test_decide_decides_each_pair_as_the_rules_say(
    rows: list[tuple[float, float, float, float, float]],
) -> None:
    for cosine, jaccard, containment, alignment, coverage in rows:
        scores = Scores(cosine, jaccard, containment, alignment=alignment, coverage=coverage)
        alike = (
            cosine >= DEFAULTS.cosine_threshold
            and jaccard >= DEFAULTS.jaccard_threshold
            and length_ratio(scores) >= DEFAULTS.near_length_ratio
        )
        aligned = (
            alignment >= DEFAULTS.alignment_threshold
            and cosine >= DEFAULTS.alignment_cosine_threshold
        )
        for same in (True, False):
            kind = decide(scores, same, DEFAULTS)
            if alike or aligned:
                assert kind == (NEAR if same else FIGURES)
            elif containment >= DEFAULTS.containment_threshold and same:
                assert kind == PARTIAL
            else:
                assert kind is None
        unchecked = decide(scores, False, VerifyConfig(check_figures=False))
        assert unchecked == decide(scores, True, DEFAULTS)


@given(
    st.text(st.sampled_from("abcde"), min_size=1, max_size=30),
    st.text(st.sampled_from("abcde"), min_size=1, max_size=30),
)
def test_length_ratio_is_the_shorter_over_the_longer(a: str, b: str) -> None:
    alignment, coverage = alignment_scores([a], [b])
    assume(coverage[0] > 0)
    scores = Scores(0.0, 0.0, 0.0, alignment=float(alignment[0]), coverage=float(coverage[0]))
    assert length_ratio(scores) == pytest.approx(min(len(a), len(b)) / max(len(a), len(b)))


@pytest.mark.parametrize(
    ("scores", "abridged"),
    [
        (Scores(0.6, 0.4, 1.0, alignment=0.8, coverage=1.0), True),
        (Scores(0.6, 0.4, 1.0, alignment=0.6, coverage=1.0), False),
        (Scores(0.6, 0.4, 0.9, alignment=0.8, coverage=0.9), False),
        (Scores(0.3, 0.2, 1.0, alignment=0.8, coverage=1.0), False),
    ],
    ids=["two-thirds-kept", "less-than-half-kept", "not-all-inside", "cosine-does-not-confirm"],
)
def test_abridged_copies(scores: Scores, abridged: bool) -> None:
    assert is_abridged(scores, DEFAULTS) is abridged
