"""Indexes, the same laws for every store (an SQLite file, a Redis key prefix): adding is
idempotent, a changed document replaces the old one, removing undoes adding, the weights
are a scan's, and the parameters an index was built with are kept."""

from __future__ import annotations

import subprocess
import sys
import time
import uuid
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dedup.arrays import distinct
from dedup.config import ScanConfig, with_settings
from dedup.errors import StoreError
from dedup.incoming import index_documents, remove_documents
from dedup.normalize import normalize_many
from dedup.readers import read_paths
from dedup.records import Document, Paragraph
from dedup.shingle import shingle_batch
from dedup.sketch import sketch_units
from dedup.store import Limits, Tally, adopt_parameters, index_parameters, open_store
from dedup.units import distinct_units

CONFIG = ScanConfig()


@pytest.fixture(scope="module")
def excerpt(excerpt_path: str) -> list[Document]:
    """The Reuters excerpt's documents (re-sent stories, earnings tables, sign-offs)."""
    return list(read_paths([excerpt_path]))


def add(location: str, documents: list[Document]) -> Tally:
    store = open_store(location, create=True)
    try:
        return index_documents(documents, store, CONFIG, batch=200)
    finally:
        store.close()


def remove(location: str, ids: list[str]) -> Tally:
    store = open_store(location)
    try:
        return remove_documents(ids, store, CONFIG)
    finally:
        store.close()


def texts_of(documents: list[Document]) -> list[str]:
    return normalize_many([p.text for d in documents for p in d.paragraphs], CONFIG.normalize)


def state(location: str, documents: list[Document]) -> tuple[object, ...]:
    """What an index holds, as seen through the store: counts, and the weights and
    band-mates of every text of ``documents``."""
    store = open_store(location)
    try:
        stats = store.stats()
        texts = texts_of(documents)
        hashes = distinct(shingle_batch(texts, CONFIG.shingle).hashes)
        weights = store.frequencies(hashes)
        sketched = sketch_units(texts, CONFIG.shingle, CONFIG.sketch, CONFIG.candidates)
        mates = store.neighbours(
            sketched.paragraphs.keys,
            sketched.sentences.keys,
            sketched.runs.keys,
            Limits(bucket=10_000, run=10_000),
        )
        digests = store.digests([d.id for d in documents])
        return (
            stats.documents,
            stats.paragraphs,
            stats.units,
            stats.sketched_units,
            stats.paragraph_band_rows,
            stats.sentence_band_rows,
            stats.run_rows,
            stats.shingles,
            weights.hashes.tolist(),
            weights.counts.tolist(),
            weights.units,
            mates.tolist(),
            sorted(digests.items()),
        )
    finally:
        store.close()


def fresh(location: str, tmp_path: Path) -> str:
    """A new index of the same kind as ``location``."""
    if location.startswith("redis://"):
        base, _, _ = location.partition("?")
        return f"{base}?prefix=test-{uuid.uuid4().hex[:12]}"
    return str(tmp_path / f"fresh-{uuid.uuid4().hex[:8]}.db")


def edited(document: Document, suffix: str) -> Document:
    """``document`` with a sentence added to its first paragraph."""
    first, *rest = document.paragraphs
    return replace(document, paragraphs=(replace(first, text=f"{first.text} {suffix}"), *rest))


def test_adding_twice_changes_nothing(index_location: str, excerpt: list[Document]) -> None:
    assert add(index_location, excerpt) == Tally(added=len(excerpt))
    before = state(index_location, excerpt)
    assert add(index_location, excerpt) == Tally(unchanged=len(excerpt))
    assert state(index_location, excerpt) == before
    assert before[0] == len(excerpt)
    assert before[1] == sum(len(d.paragraphs) for d in excerpt)


def test_a_changed_document_replaces_the_old_one(
    index_location: str, excerpt: list[Document], tmp_path: Path
) -> None:
    add(index_location, excerpt[:40])
    changed = [edited(excerpt[3], "Officials declined to comment further on the talks.")]
    assert add(index_location, changed) == Tally(replaced=1)
    expected = fresh(index_location, tmp_path)
    add(expected, [*excerpt[:3], *changed, *excerpt[4:40]])
    assert state(index_location, excerpt[:40] + changed) == state(expected, excerpt[:40] + changed)


def test_removing_undoes_adding(
    index_location: str, excerpt: list[Document], tmp_path: Path
) -> None:
    add(index_location, excerpt)
    gone = [d.id for d in excerpt[::3]]
    assert remove(index_location, [*gone, "no-such-document"]) == Tally(removed=len(gone))
    kept = [d for d in excerpt if d.id not in set(gone)]
    expected = fresh(index_location, tmp_path)
    add(expected, kept)
    assert state(index_location, excerpt) == state(expected, excerpt)
    remove(index_location, [d.id for d in kept])
    emptied = state(index_location, excerpt)
    assert emptied[:8] == (0, 0, 0, 0, 0, 0, 0, 0)
    assert emptied[8:] == ([], [], 0, [], [])


def test_the_weights_are_those_of_a_scan(index_location: str, excerpt: list[Document]) -> None:
    add(index_location, excerpt)
    units = distinct_units(texts_of(excerpt))
    scanned = sketch_units(units.texts, CONFIG.shingle, CONFIG.sketch, CONFIG.candidates).weights
    store = open_store(index_location)
    try:
        indexed = store.frequencies(scanned.hashes)
    finally:
        store.close()
    assert indexed.units == scanned.units > 0
    assert np.array_equal(indexed.hashes, scanned.hashes)
    assert np.array_equal(indexed.counts, scanned.counts)


def dispatch(doc: str, date: str | None, text: str) -> Document:
    paragraph = Paragraph(doc, 0, f"{doc}.txt", 1, text)
    return Document(doc, f"{doc}.txt", None, (paragraph,), date=date)


def test_documents_by_age(index_location: str) -> None:
    add(
        index_location,
        [
            dispatch("old", "2020-01-01T00:00:00Z", "Oil prices fell sharply on Monday."),
            dispatch("new", "2020-03-01T00:00:00Z", "Oil prices rose sharply on Tuesday."),
            dispatch("undated", None, "Gold prices were steady in quiet trade."),
        ],
    )
    store = open_store(index_location)
    try:
        february = 1580515200.0  # 2020-02-01, UTC
        assert store.dated_before(february) == ["old"]
        # Undated documents count from the moment they were added.
        assert store.dated_before(time.time() + 60) == ["new", "old", "undated"]
    finally:
        store.close()


def test_an_index_keeps_its_parameters(index_location: str) -> None:
    built = with_settings(ScanConfig(), {"shingle_size": 4, "num_perm": 64})
    store = open_store(index_location, create=True)
    try:
        index_documents([dispatch("d1", None, "Oil prices fell sharply on Monday.")], store, built)
        stored = store.parameters()
    finally:
        store.close()
    assert stored == index_parameters(built)
    # Not given: the index's own. Given and equal: fine. Given and other: refused, naming both.
    adopted = adopt_parameters(ScanConfig(), stored, set(), index_location)
    assert (adopted.shingle.shingle_size, adopted.sketch.num_perm) == (4, 64)
    assert adopt_parameters(built, stored, {"shingle_size"}, index_location) == adopted
    with pytest.raises(StoreError, match="built with shingle_size 4, not 5"):
        adopt_parameters(ScanConfig(), stored, {"shingle_size"}, index_location)
    # Verification settings are the check's own.
    stricter = with_settings(ScanConfig(), {"cosine_threshold": 0.9})
    assert adopt_parameters(stricter, stored, {"cosine_threshold"}, index_location).verify == (
        stricter.verify
    )


@pytest.mark.parametrize(
    "location", ["http://desk.example/index", "postgres://localhost/desk"], ids=["http", "postgres"]
)
def test_an_unknown_scheme_is_refused(location: str) -> None:
    with pytest.raises(StoreError, match="unknown index scheme"):
        open_store(location)


# --- Any history of adds, edits and removals ------------------------------------------------

STEPS = st.lists(
    st.tuples(st.sampled_from(["add", "edit", "remove"]), st.lists(st.integers(0, 11), max_size=6)),
    min_size=1,
    max_size=6,
)


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(STEPS)
def test_any_history_leaves_what_a_fresh_index_of_the_result_holds(
    excerpt: list[Document], tmp_path: Path, steps: list[tuple[str, list[int]]]
) -> None:
    # Twelve dispatches that share paragraphs (re-sends, sign-offs): units come and go.
    pool = excerpt[:12]
    location = fresh("", tmp_path)
    add(location, [])
    held: dict[str, Document] = {}
    for action, chosen in steps:
        documents = [pool[i] for i in sorted(set(chosen))]
        if action == "remove":
            remove(location, [d.id for d in documents])
            for document in documents:
                held.pop(document.id, None)
            continue
        if action == "edit":
            documents = [edited(d, "A sentence added on a later send.") for d in documents]
        add(location, documents)
        held.update((d.id, d) for d in documents)
    expected = fresh("", tmp_path)
    add(expected, list(held.values()))
    every = pool + [edited(d, "A sentence added on a later send.") for d in pool]
    assert state(location, every) == state(expected, every)


# --- Several workers at once ----------------------------------------------------------------

# A worker adding the documents of an excerpt slice in small batches, each one a transaction.
_WORKER = """
import sys
from dedup.config import ScanConfig
from dedup.incoming import index_documents
from dedup.readers import read_paths
from dedup.store import open_store

documents = list(read_paths([sys.argv[2]]))[int(sys.argv[3]) : int(sys.argv[4])]
store = open_store(sys.argv[1], create=True)
print(index_documents(documents, store, ScanConfig(), batch=40).added)
"""


def test_two_workers_adding_at_once_lose_nothing(
    index_location: str, excerpt_path: str, excerpt: list[Document], tmp_path: Path
) -> None:
    # Overlapping slices: both workers add documents 60 to 139, and the paragraphs that
    # many dispatches share (sign-offs, templates) enter the index from either side.
    add(index_location, [])
    slices = [(0, 140), (60, len(excerpt))]
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", _WORKER, index_location, excerpt_path, str(a), str(b)],
            stdout=subprocess.PIPE,
            text=True,
        )
        for a, b in slices
    ]
    added = []
    for worker in workers:
        output, _ = worker.communicate(timeout=600)
        assert worker.returncode == 0
        added.append(int(output))
    # Each document was added once, by one worker or the other.
    assert sum(added) == len(excerpt)
    expected = fresh(index_location, tmp_path)
    add(expected, excerpt)
    assert state(index_location, excerpt) == state(expected, excerpt)
