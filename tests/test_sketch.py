"""MinHash: the vectorised sketch equals ``datasketch.MinHash`` for the same parameters."""

from __future__ import annotations

import os

import numpy as np
import pytest
from datasketch import MinHash, MinHashLSH
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.config import ShingleConfig, SketchConfig
from dedup.normalize import normalize_text
from dedup.shingle import hash_shingle, shingle_batch, shingle_strings
from dedup.sketch import permutations, sketch_batch, to_datasketch

SCHEMES = ["affine32", "legacy"]

any_character = st.characters(codec="utf-8")  # what a UTF-8 file can hold
paragraphs = st.lists(
    st.text(st.one_of(st.sampled_from("abcde fg.,'\u00e9\u00a0"), any_character), max_size=60),
    min_size=1,
    max_size=4,
)
shingle_configs = st.builds(
    ShingleConfig,
    shingle_kind=st.sampled_from(["char", "word"]),
    shingle_size=st.integers(1, 7),
)
sketch_configs = st.builds(
    SketchConfig,
    num_perm=st.integers(8, 300),
    seed=st.integers(0, 2**32 - 1),
    scheme=st.sampled_from(SCHEMES),
)


def datasketch_minhash(text: str, shingle: ShingleConfig, sketch: SketchConfig) -> MinHash:
    """The reference: datasketch's own MinHash over the shingle strings, hashed as dedup does."""
    kind = shingle.shingle_kind
    minhash = MinHash(
        num_perm=sketch.num_perm,
        seed=sketch.seed,
        scheme=sketch.scheme,
        hashfunc=lambda s: hash_shingle(s, kind),
    )
    for shingle_string in shingle_strings(text, shingle):
        minhash.update(shingle_string)
    return minhash


@settings(max_examples=80)
@given(paragraphs, shingle_configs, sketch_configs)
def test_sketch_equals_datasketch(
    texts: list[str], shingle: ShingleConfig, sketch: SketchConfig
) -> None:
    signatures = sketch_batch(shingle_batch(texts, shingle), sketch)
    assert signatures.shape == (len(texts), sketch.num_perm)
    assert signatures.dtype == np.uint32
    for text, signature in zip(texts, signatures, strict=True):
        expected = datasketch_minhash(text, shingle, sketch).hashvalues
        assert signature.astype(np.uint64).tolist() == expected.astype(np.uint64).tolist()


@settings(max_examples=50)
@given(paragraphs, shingle_configs, sketch_configs)
def test_to_datasketch_round_trips(
    texts: list[str], shingle: ShingleConfig, sketch: SketchConfig
) -> None:
    signatures = sketch_batch(shingle_batch(texts, shingle), sketch)
    for text, signature in zip(texts, signatures, strict=True):
        direct = datasketch_minhash(text, shingle, sketch)
        restored = to_datasketch(signature, sketch)
        assert restored.scheme == sketch.scheme
        assert restored.seed == sketch.seed
        assert restored.jaccard(direct) == 1.0
        assert direct.jaccard(restored) == 1.0


@pytest.mark.parametrize("scheme", SCHEMES)
def test_permutations_are_datasketchs(scheme: str) -> None:
    config = SketchConfig(num_perm=64, seed=42, scheme=scheme)
    a, b = permutations(config)
    expected_a, expected_b = MinHash(num_perm=64, seed=42, scheme=scheme).permutations
    assert a.tolist() == np.asarray(expected_a).tolist()
    assert b.tolist() == np.asarray(expected_b).tolist()


@pytest.mark.parametrize("scheme", SCHEMES)
def test_empty_paragraph_is_datasketchs_empty_minhash(scheme: str) -> None:
    config = SketchConfig(num_perm=32, seed=1, scheme=scheme)
    (signature,) = sketch_batch(shingle_batch([""], ShingleConfig()), config)
    empty = MinHash(num_perm=32, seed=1, scheme=scheme)
    assert signature.astype(np.uint64).tolist() == empty.hashvalues.astype(np.uint64).tolist()
    assert to_datasketch(signature, config).is_empty()


@pytest.mark.parametrize("scheme", SCHEMES)
def test_stored_signatures_work_in_a_datasketch_index(
    scheme: str, seed_lines: dict[int, str]
) -> None:
    shingle, sketch = ShingleConfig(), SketchConfig(scheme=scheme)
    texts = [normalize_text(seed_lines[n]) for n in (11, 26, 16)]
    signatures = sketch_batch(shingle_batch(texts, shingle), sketch)
    index = MinHashLSH(threshold=0.5, num_perm=sketch.num_perm)
    for number, signature in zip((11, 26, 16), signatures, strict=True):
        index.insert(f"line-{number}", to_datasketch(signature, sketch))
    # Line 26 repeats line 11 but for one letter; line 16 is another story.
    query = datasketch_minhash(texts[0], shingle, sketch)
    assert set(index.query(query)) == {"line-11", "line-26"}


def test_estimated_similarity_follows_the_text(seed_lines: dict[int, str]) -> None:
    shingle, sketch = ShingleConfig(), SketchConfig()
    texts = [normalize_text(seed_lines[n]) for n in (11, 26, 16)]
    near, same, other = (
        to_datasketch(s, sketch) for s in sketch_batch(shingle_batch(texts, shingle), sketch)
    )
    assert near.jaccard(same) > 0.8
    assert near.jaccard(other) < 0.2


def test_sketch_units_bands_every_long_enough_unit_and_counts_its_shingles(
    seed_lines: dict[int, str],
) -> None:
    from dedup.candidates import band_keys, band_params
    from dedup.config import CandidateConfig
    from dedup.normalize import word_count
    from dedup.segment import split_sentences
    from dedup.sketch import sketch_units
    from dedup.weights import Weights

    texts = [normalize_text(seed_lines[n]) for n in (11, 26, 12, 7, 1)] + ["reuter"]
    shingle, sketch, candidates = ShingleConfig(), SketchConfig(), CandidateConfig()
    sketched = sketch_units(texts, shingle, sketch, candidates)
    long_enough = [u for u, text in enumerate(texts) if word_count(text) >= shingle.min_words]
    assert sketched.paragraphs.units.tolist() == long_enough
    signatures = sketch_batch(shingle_batch([texts[u] for u in long_enough], shingle), sketch)
    bands, rows = band_params(candidates, sketch.num_perm)
    assert (sketched.paragraphs.keys == band_keys(signatures, bands, rows)).all()
    counted = Weights.of(shingle_batch([texts[u] for u in long_enough], shingle))
    assert sketched.weights.hashes.tolist() == counted.hashes.tolist()
    assert sketched.weights.counts.tolist() == counted.counts.tolist()
    assert sketched.weights.units == len(long_enough)
    # Sentence rows: one per sentence of a long-enough unit (8+ words, or its only sentence).
    owners = sketched.sentences.units.tolist()
    for unit in long_enough:
        sentences = split_sentences(texts[unit])
        several = [s for s in sentences if word_count(s) >= shingle.min_words]
        assert owners.count(unit) == (1 if len(sentences) == 1 else len(several))
        assert sketched.one_sentence[unit] == (len(sentences) == 1)


@pytest.mark.parametrize(("allotted", "expected"), [("3", 3), ("", None), ("zero", None)])
def test_threads_as_allotted(
    monkeypatch: pytest.MonkeyPatch, allotted: str, expected: int | None
) -> None:
    """An engine running several sketches on one machine gives each its cores (DEDUP_THREADS);
    unset or malformed, the process's own cores."""
    from dedup import sketch

    monkeypatch.setenv(sketch.THREADS_VARIABLE, allotted)
    sketch.cores.cache_clear()
    try:
        found = sketch.cores()
    finally:
        sketch.cores.cache_clear()
    own = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert found == (expected if expected is not None else own)
