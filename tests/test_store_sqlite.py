"""The SQLite index: WAL, readers while a writer adds, a second writer waits, a writer killed
with SIGKILL leaves a usable index, and files that are no index are refused in one line."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest

from dedup.config import ScanConfig
from dedup.errors import StoreError
from dedup.incoming import check_documents, index_documents
from dedup.readers import read_paths
from dedup.records import Document
from dedup.store import IndexStats, open_store
from dedup.store.changes import apply_change, entries_of
from dedup.store.sqlite import SqliteStore

CONFIG = ScanConfig()


@pytest.fixture(scope="module")
def excerpt(excerpt_path: str) -> list[Document]:
    return list(read_paths([excerpt_path]))


def renamed(document: Document, doc_id: str) -> Document:
    """``document`` under another id."""
    paragraphs = tuple(replace(p, doc=doc_id) for p in document.paragraphs)
    return replace(document, id=doc_id, paragraphs=paragraphs)


@pytest.fixture
def index(tmp_path: Path, excerpt: list[Document]) -> Path:
    """An index of the first 100 documents of the Reuters excerpt."""
    path = tmp_path / "desk.db"
    store = open_store(str(path), create=True)
    index_documents(excerpt[:100], store, CONFIG)
    store.close()
    return path


def test_the_file_is_in_wal_mode(index: Path) -> None:
    with sqlite3.connect(index) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


@contextmanager
def writer_holding(
    index: Path, work: Callable[[SqliteStore], object] = lambda store: None
) -> Iterator[threading.Event]:
    """A writer, in another thread, that runs ``work`` in a transaction and holds it open
    until the event given is set (or the block ends)."""
    holding, release = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def write() -> None:
        store = SqliteStore(str(index))
        try:
            store.transaction(lambda: (work(store), holding.set(), release.wait(60)))
        except BaseException as err:
            failures.append(err)
            holding.set()
        finally:
            store.close()

    thread = threading.Thread(target=write)
    thread.start()
    assert holding.wait(60)
    try:
        yield release
    finally:
        release.set()
        thread.join(60)
    assert not failures


def add_one(document: Document) -> Callable[[SqliteStore], object]:
    """Write the batch that adds ``document`` (inside the caller's transaction)."""

    def work(store: SqliteStore) -> object:
        entries, texts = entries_of([document], CONFIG)
        return apply_change(store, entries, texts, (), CONFIG)

    return work


def test_readers_see_their_snapshot_while_a_writer_adds(
    index: Path, excerpt: list[Document]
) -> None:
    newcomer = excerpt[120]
    copy = renamed(newcomer, "incoming")
    reader = SqliteStore(str(index), busy_seconds=0.5)
    try:
        with writer_holding(index, add_one(newcomer)):
            # The batch is written but not committed: the reader is not blocked, and sees
            # the index as it was.
            during = reader.snapshot(lambda: check_documents([copy], reader, CONFIG))
        after = reader.snapshot(lambda: check_documents([copy], reader, CONFIG))
    finally:
        reader.close()
    assert all(m.paragraph.doc == "incoming" for c in during.clusters for m in c.members)
    assert newcomer.id in {m.paragraph.doc for c in after.clusters for m in c.members}


def test_a_second_writer_waits_for_the_first_then_gives_up_clearly(
    index: Path, excerpt: list[Document]
) -> None:
    with writer_holding(index) as release:
        impatient = SqliteStore(str(index), busy_seconds=0.2)
        try:
            with pytest.raises(StoreError, match=r"busy: another writer has held it for 0\.2 s"):
                index_documents(excerpt[100:110], impatient, CONFIG)
        finally:
            impatient.close()
        patient = SqliteStore(str(index), busy_seconds=60)
        try:
            threading.Timer(0.3, release.set).start()
            assert index_documents(excerpt[100:110], patient, CONFIG).added == 10
            assert patient.stats().documents == 110
        finally:
            patient.close()


# A writer that adds many documents in small batches and says after each one it committed.
_WRITER = """
import sys
from dataclasses import replace
from dedup.config import ScanConfig
from dedup.incoming import index_documents
from dedup.readers import read_paths
from dedup.store import IndexStats, open_store

excerpt = list(read_paths([sys.argv[2]]))
documents = [replace(d, id=f"{d.id}/{n}") for n in range(30) for d in excerpt]
store = open_store(sys.argv[1], create=True)
index_documents(documents, store, ScanConfig(), batch=400,
                progress=lambda stage, done, total: print(done, flush=True))
"""


def test_a_writer_killed_mid_add_leaves_a_usable_index_that_a_second_add_completes(
    tmp_path: Path, excerpt_path: str, excerpt: list[Document]
) -> None:
    path = tmp_path / "desk.db"
    with subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(path), excerpt_path],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).parent,
    ) as writer:
        assert writer.stdout is not None
        committed = [writer.stdout.readline() for _ in range(2)]
        # The third batch is being written: kill the writer the hard way.
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait(60)
    assert all(line.strip() for line in committed), "the writer did not get going"
    everything = [renamed(d, f"{d.id}/{n}") for n in range(30) for d in excerpt]
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    store = open_store(str(path))
    try:
        held = set(store.digests([d.id for d in everything]))
        # Whole batches only: what is there is what a fresh index of it would hold.
        assert held and len(held) < len(everything)
        partial = store.stats()
        tally = index_documents(everything, store, CONFIG)
        complete = store.stats()
    finally:
        store.close()
    assert tally.unchanged == len(held) and tally.added == len(everything) - len(held)
    fresh = open_store(str(tmp_path / "reference.db"), create=True)
    try:
        index_documents([d for d in everything if d.id in held], fresh, CONFIG)
        assert same_content(fresh.stats(), partial)
        index_documents(everything, fresh, CONFIG)
        assert same_content(fresh.stats(), complete)
    finally:
        fresh.close()


def same_content(left: IndexStats, right: IndexStats) -> bool:
    """Whether two indexes hold the same (whatever their files and sizes)."""
    return replace(left, location="", size_bytes=0) == replace(right, location="", size_bytes=0)


def foreign(path: Path) -> None:
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE invoices (number INTEGER, amount REAL)")


def garbage(path: Path) -> None:
    path.write_bytes(b"not a database, only the desk's shopping list\n" * 200)


def newer(path: Path) -> None:
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = 3 WHERE key = 'schema'")


def older(path: Path) -> None:
    """An index of the first layout (no run fingerprints: checks would miss partial reuse)."""
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = 1 WHERE key = 'schema'")


def truncated(path: Path) -> None:
    with open(path, "r+b") as handle:
        handle.truncate(path.stat().st_size // 3)


@pytest.mark.parametrize(
    ("spoil", "fragment"),
    [
        (foreign, "not a dedup index (an SQLite file of another kind)"),
        (garbage, "not a dedup index, or damaged"),
        (newer, "index schema version 3, this dedup reads version 2"),
        (older, "index schema version 1, this dedup reads version 2"),
        (truncated, "damaged"),
    ],
    ids=["foreign", "garbage", "newer-schema", "older-schema", "truncated"],
)
def test_a_file_that_is_no_usable_index_is_refused(
    index: Path,
    tmp_path: Path,
    excerpt: list[Document],
    spoil: Callable[[Path], None],
    fragment: str,
) -> None:
    path = index if spoil is not foreign and spoil is not garbage else tmp_path / "other.db"
    spoil(path)
    with pytest.raises(StoreError, match=fragment.replace("(", r"\(").replace(")", r"\)")):
        store = open_store(str(path), create=True)
        try:
            store.snapshot(lambda: check_documents(excerpt[150:160], store, CONFIG))
        finally:
            store.close()


def test_a_missing_index_is_named(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no such index"):
        open_store(str(tmp_path / "nowhere.db"))
    assert not (tmp_path / "nowhere.db").exists()
