"""The embedded index: one SQLite file (the standard library's ``sqlite3``), no server.

Layout (schema version 2):

- ``meta``: what the file is (``format``, ``schema``), the parameters it was built with
  (JSON), when it was created, and how many units the weights count;
- ``documents`` and ``paragraphs`` (each paragraph with the row of its unit, and its
  document's date, or infinity when undated, so that the earliest copies of a unit are the
  first entries of an index on (unit, date));
- ``units``: stable id, normalised text, and how many indexed paragraphs hold it;
- ``paragraph_bands``, ``sentence_bands`` and ``run_bands`` (the fingerprints of runs of
  letters, partial reuse): the key tables, one integer per (unit, band) row: the key's top
  32 bits, then the unit's row. The band number is mixed into the key already, so one
  ordered integer per row makes a lookup a range scan and an add an append of sorted
  integers (a third of the size and time of (key, unit) rows).
  32 bits of a key find a few units more than share the whole key; the check recomputes
  the keys of what it finds and keeps only true band-mates;
- ``shingles``: the weights, how many units hold each shingle hash.

The file is in WAL mode: readers keep working on their snapshot while a writer adds, and a
batch is one transaction, so a writer killed at any point (even ``kill -9``) leaves the
index as it was before that batch, and adding the same documents again completes it. A
second writer waits for the first (``busy_timeout``), then gives up with a clear error.
Bulk rows go through ``json_each`` (one statement per 200,000 rows instead of one Python
call per row).
"""

from __future__ import annotations

import json
import math
import sqlite3
import time
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from dedup.arrays import distinct
from dedup.candidates import BandTable
from dedup.dates import parse_date
from dedup.errors import StoreError
from dedup.records import Document, Paragraph
from dedup.store import FORMAT, SCHEMA_VERSION, Change, Entry, IndexStats, Limits, UnitTables
from dedup.weights import Weights

T = TypeVar("T")

#: How long a writer waits for another one to finish its batch before giving up.
BUSY_SECONDS = 60.0
# Rows per bulk statement: bounds the size of one JSON parameter (about 4 MB).
_CHUNK = 200_000
_LOW32 = np.int64(0xFFFFFFFF)
# Shingle counts a connection keeps at most (about 100 MB) before reading them afresh.
_COUNTS_KEPT = 1_000_000
# A shingle's weight row travels as one integer: hash * 2^31 + count.
_COUNT_SPAN = 1 << 31

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;
CREATE TABLE documents (
    row INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    source TEXT NOT NULL,
    title TEXT,
    date TEXT,
    moment REAL,
    encoding TEXT NOT NULL,
    ordinal INTEGER NOT NULL,
    added REAL NOT NULL,
    digest BLOB NOT NULL,
    paragraphs INTEGER NOT NULL
);
CREATE TABLE units (
    row INTEGER PRIMARY KEY,
    id INTEGER NOT NULL UNIQUE,
    text TEXT NOT NULL,
    refs INTEGER NOT NULL
);
CREATE TABLE paragraphs (
    doc INTEGER NOT NULL,
    idx INTEGER NOT NULL,
    unit INTEGER NOT NULL,
    line INTEGER,
    col INTEGER,
    end_line INTEGER,
    text TEXT NOT NULL,
    rank REAL NOT NULL,
    PRIMARY KEY (doc, idx)
) WITHOUT ROWID;
CREATE INDEX paragraphs_by_unit ON paragraphs (unit, rank);
CREATE TABLE paragraph_bands (code INTEGER PRIMARY KEY);
CREATE TABLE sentence_bands (code INTEGER PRIMARY KEY);
CREATE TABLE run_bands (code INTEGER PRIMARY KEY);
CREATE TABLE shingles (hash INTEGER PRIMARY KEY, units INTEGER NOT NULL);
"""
_BAND_TABLES = ("paragraph_bands", "sentence_bands", "run_bands")
# Indexed paragraphs with their documents, and the stable id of their unit.
_OCCURRENCES = (
    "SELECT d.row, d.id, d.source, d.title, d.date, d.encoding, d.ordinal, d.added, d.digest, "
    "p.idx, p.line, p.col, p.end_line, p.text, u.id "
    "FROM paragraphs p JOIN documents d ON d.row = p.doc JOIN units u ON u.row = p.unit"
)


class SqliteStore:
    """An index in one SQLite file (see the module's docstring for the layout)."""

    def __init__(self, path: str, *, create: bool = False, busy_seconds: float = BUSY_SECONDS):
        self.location = path
        self._busy_seconds = busy_seconds
        self._depth = 0
        self._counts_version: int | None = None
        self._counts: dict[int, int] = {}
        self._units: int | None = None
        file = Path(path)
        if file.is_dir():
            raise StoreError(f"{path}: is a folder, not an index file")
        if not file.exists() and not create:
            raise StoreError(f"{path}: no such index (dedup index add --index {path} creates it)")
        try:
            self._db = sqlite3.connect(path, timeout=busy_seconds, isolation_level=None)
        except sqlite3.Error as err:
            raise StoreError(f"{path}: cannot open the index: {err}") from err
        try:
            with self._errors():
                self._configure()
                self._check_or_create(create)
        except BaseException:
            self._db.close()
            raise

    # --- opening -------------------------------------------------------------------------

    def _configure(self) -> None:
        # synchronous=NORMAL in WAL mode: a crashed or killed writer never corrupts the
        # file nor loses a committed batch (a power cut may lose the last batches).
        for pragma in (
            "journal_mode = WAL",
            "synchronous = NORMAL",
            "cache_size = -65536",
            "mmap_size = 268435456",
            "temp_store = MEMORY",
        ):
            self._db.execute(f"PRAGMA {pragma}")

    def _check_or_create(self, create: bool) -> None:
        tables = {row[0] for row in self._db.execute("SELECT name FROM sqlite_master")}
        if not tables and create:
            self.transaction(self._create)
            return
        if "meta" not in tables:
            raise StoreError(f"{self.location}: not a dedup index (an SQLite file of another kind)")
        meta = dict(self._db.execute("SELECT key, value FROM meta").fetchall())
        if meta.get("format") != FORMAT:
            raise StoreError(f"{self.location}: not a dedup index (an SQLite file of another kind)")
        if meta.get("schema") != SCHEMA_VERSION:
            raise StoreError(
                f"{self.location}: index schema version {meta.get('schema')}, "
                f"this dedup reads version {SCHEMA_VERSION}"
            )

    def _create(self) -> None:
        for statement in _SCHEMA.split(";"):
            if statement.strip():
                self._db.execute(statement)
        self._db.executemany(
            "INSERT INTO meta VALUES (?, ?)",
            [
                ("format", FORMAT),
                ("schema", SCHEMA_VERSION),
                ("created", time.time()),
                ("units", 0),
            ],
        )

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """SQLite's errors as one-line ``StoreError``s naming the file."""
        try:
            yield
        except sqlite3.OperationalError as err:
            if "locked" in str(err) or "busy" in str(err):
                raise StoreError(
                    f"{self.location}: the index is busy: another writer has held it for "
                    f"{self._busy_seconds:g} s"
                ) from err
            raise StoreError(f"{self.location}: {err}") from err
        except sqlite3.DatabaseError as err:
            raise StoreError(f"{self.location}: not a dedup index, or damaged ({err})") from err

    def close(self) -> None:
        """Close the file (a last checkpoint folds the write-ahead log into it)."""
        self._db.close()

    # --- transactions ----------------------------------------------------------------------

    def transaction(self, work: Callable[[], T]) -> T:
        """Run ``work`` in one write transaction (``BEGIN IMMEDIATE``: other writers wait)."""
        return self._within("BEGIN IMMEDIATE", work)

    def snapshot(self, work: Callable[[], T]) -> T:
        """Run ``work`` on one consistent view of the index (a read transaction)."""
        return self._within("BEGIN", work)

    def _within(self, begin: str, work: Callable[[], T]) -> T:
        if self._depth:
            return work()
        with self._errors():
            self._db.execute(begin)
        self._depth += 1
        try:
            result = work()
        except BaseException:
            self._depth -= 1
            self._db.rollback()
            self._forget_counts()
            raise
        self._depth -= 1
        try:
            with self._errors():
                self._db.execute("COMMIT")
        except BaseException:
            self._db.rollback()
            raise
        return result

    # --- reads ---------------------------------------------------------------------------

    def _rows(self, sql: str, *values: Any) -> list[tuple[Any, ...]]:
        with self._errors():
            return self._db.execute(sql, values).fetchall()

    def parameters(self) -> dict[str, Any] | None:
        """The settings the index was built with (None before its first batch)."""
        found = self._rows("SELECT value FROM meta WHERE key = 'params'")
        return json.loads(found[0][0]) if found else None

    def digests(self, ids: Collection[str]) -> dict[str, bytes]:
        """The digest of each of ``ids`` that is indexed."""
        return dict(
            self._rows(
                "SELECT id, digest FROM documents WHERE id IN (SELECT value FROM json_each(?))",
                json.dumps(sorted(ids)),
            )
        )

    def held_units(self, ids: Collection[str]) -> dict[int, int]:
        """For the indexed documents ``ids``: how many of their paragraphs hold each unit."""
        return dict(
            self._rows(
                "SELECT u.id, count(*) FROM documents d JOIN paragraphs p ON p.doc = d.row "
                "JOIN units u ON u.row = p.unit "
                "WHERE d.id IN (SELECT value FROM json_each(?)) GROUP BY u.id",
                json.dumps(sorted(ids)),
            )
        )

    def _unit_column(self, column: str, units: np.ndarray) -> dict[int, Any]:
        return dict(
            self._rows(
                f"SELECT id, {column} FROM units WHERE id IN (SELECT value FROM json_each(?))",
                _json_ints(units),
            )
        )

    def references(self, units: np.ndarray) -> np.ndarray:
        """How many indexed paragraphs hold each of ``units`` (0: not indexed)."""
        refs = self._unit_column("refs", units)
        return np.fromiter((refs.get(u, 0) for u in units.tolist()), np.int64, len(units))

    def unit_texts(self, units: np.ndarray) -> list[str]:
        """The normalised texts of indexed ``units``, in that order."""
        texts = self._unit_column("text", units)
        try:
            return [texts[u] for u in units.tolist()]
        except KeyError as err:
            raise StoreError(f"{self.location}: unit {err.args[0]:016x} is not indexed") from err

    def neighbours(
        self, paragraphs: np.ndarray, sentences: np.ndarray, runs: np.ndarray, limits: Limits
    ) -> np.ndarray:
        """Stable ids of indexed units sharing a key's top 32 bits with ``paragraphs`` (in the
        paragraph table) or ``sentences`` (in the sentence table), ``limits.bucket`` per key
        at most, or with ``runs`` (in the run table) that ``limits.run`` units at most hold."""
        rows = [
            self._band_mates(_BAND_TABLES[0], paragraphs, limits.bucket),
            self._band_mates(_BAND_TABLES[1], sentences, limits.bucket),
            self._band_mates(_BAND_TABLES[2], runs, limits.run, rare=True),
        ]
        found = distinct(np.concatenate(rows))
        if len(found) == 0:
            return np.zeros(0, dtype=np.int64)
        ids = self._rows(
            "SELECT id FROM units WHERE row IN (SELECT value FROM json_each(?))", _json_ints(found)
        )
        return np.sort(np.array([row[0] for row in ids], dtype=np.int64))

    def _band_mates(
        self, table: str, keys: np.ndarray, limit: int, rare: bool = False
    ) -> np.ndarray:
        # The earliest indexed units of each key: a hot key (a template hundreds of
        # dispatches share) gives ``limit`` units, as an LSH bucket beyond max_bucket is
        # not expanded into all its pairs; with ``rare``, a key more than ``limit`` units
        # hold gives none.
        if not len(keys):
            return np.zeros(0, dtype=np.int64)
        starts = distinct(_high32(keys.reshape(-1)) << np.int64(32))
        found = self._rows(
            f"SELECT code FROM json_each(?) JOIN {table} "
            "ON code BETWEEN value AND value + 4294967295 ORDER BY code",
            _json_ints(starts),
        )
        codes = np.array([row[0] for row in found], dtype=np.int64)
        if not len(codes):
            return codes
        # Rows of one key are consecutive, units in the order they entered the index.
        keys = codes >> np.int64(32)
        first = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
        sizes = np.diff(np.append(first, len(codes)))
        if rare:
            return codes[np.repeat(sizes <= limit, sizes)] & _LOW32
        position = np.arange(len(codes)) - np.repeat(first, sizes)
        return codes[position < limit] & _LOW32

    def occurrences(
        self, units: np.ndarray, besides: Collection[str], limit: int | None = None
    ) -> list[Entry]:
        """The indexed paragraphs holding ``units`` (the ``limit`` earliest of each), grouped
        into their documents.

        Units held at most ``limit`` times are read in one statement; each of the others
        (sign-offs, background held thousands of times) through the index on (unit, date),
        which stops after ``limit`` rows instead of ranking every copy.
        """
        held = self._rows(
            "SELECT id, row, refs FROM units WHERE id IN (SELECT value FROM json_each(?))",
            _json_ints(units),
        )
        few = [row for _, row, refs in held if limit is None or refs <= limit]
        many = [(unit, row) for unit, row, refs in held if limit is not None and refs > limit]
        skip = json.dumps(sorted(besides))
        found = self._rows(
            f"{_OCCURRENCES} WHERE p.unit IN (SELECT value FROM json_each(?)) "
            "AND d.id NOT IN (SELECT value FROM json_each(?))",
            str(few),
            skip,
        )
        for _, row in many:
            found += self._rows(
                f"{_OCCURRENCES} WHERE p.unit = ? AND d.id NOT IN (SELECT value FROM json_each(?)) "
                "ORDER BY p.rank, p.doc, p.idx LIMIT ?",
                row,
                skip,
                limit,
            )
        found.sort(key=lambda row: (row[0], row[9]))
        entries = []
        start = 0
        while start < len(found):
            end = start
            while end < len(found) and found[end][0] == found[start][0]:
                end += 1
            entries.append(_entry(found[start:end]))
            start = end
        return entries

    def frequencies(self, hashes: np.ndarray) -> Weights:
        """The weights of ``hashes`` only (sorted, distinct), with the index's unit count.

        Counts read are kept until the index changes (a write of this connection, or
        ``data_version`` moved by another's), so that a process checking dispatch after
        dispatch reads the frequent shingles once.
        """
        version = self._rows("PRAGMA data_version")[0][0]
        if version != self._counts_version or len(self._counts) > _COUNTS_KEPT:
            self._forget_counts()
            self._counts_version = version
        counts = self._counts
        wanted = hashes.tolist()
        missing = [h for h in wanted if h not in counts]
        if missing:
            found = dict(
                self._rows(
                    "SELECT hash, units FROM shingles "
                    "WHERE hash IN (SELECT value FROM json_each(?))",
                    str(missing),
                )
            )
            counts.update((h, found.get(h, 0)) for h in missing)
        if self._units is None:
            self._units = int(self._meta("units"))
        held = np.fromiter((counts[h] for h in wanted), np.int64, len(wanted))
        present = held > 0
        return Weights(hashes[present].astype(np.uint32), held[present], self._units)

    def _forget_counts(self) -> None:
        self._counts = {}
        self._units = None

    def _meta(self, key: str) -> Any:
        found = self._rows("SELECT value FROM meta WHERE key = ?", key)
        return found[0][0] if found else None

    def dated_before(self, moment: float) -> list[str]:
        """Ids of documents dated (or, undated, added) before ``moment``."""
        return [
            row[0]
            for row in self._rows(
                "SELECT id FROM documents WHERE coalesce(moment, added) < ? ORDER BY id", moment
            )
        ]

    def stats(self) -> IndexStats:
        """Counts, parameters and the size of the file (and its write-ahead log)."""

        def count(sql: str) -> int:
            return int(self._rows(sql)[0][0] or 0)

        size = sum(
            Path(self.location + suffix).stat().st_size
            for suffix in ("", "-wal")
            if Path(self.location + suffix).exists()
        )
        return IndexStats(
            location=self.location,
            schema_version=SCHEMA_VERSION,
            documents=count("SELECT count(*) FROM documents"),
            paragraphs=count("SELECT sum(paragraphs) FROM documents"),
            units=count("SELECT count(*) FROM units"),
            sketched_units=int(self._meta("units") or 0),
            paragraph_band_rows=count("SELECT count(*) FROM paragraph_bands"),
            sentence_band_rows=count("SELECT count(*) FROM sentence_bands"),
            run_rows=count("SELECT count(*) FROM run_bands"),
            shingles=count("SELECT count(*) FROM shingles"),
            size_bytes=size,
            parameters=self.parameters() or {},
            size_of="file",
        )

    # --- writes --------------------------------------------------------------------------

    def initialise(self, parameters: dict[str, Any]) -> None:
        """Record the parameters of a new index."""
        with self._errors():
            self._db.execute(
                "INSERT INTO meta VALUES ('params', ?)", (json.dumps(parameters, sort_keys=True),)
            )

    def write(self, change: Change) -> None:
        """Apply one batch: documents out, units in, references, units out, documents in."""
        self._forget_counts()
        with self._errors():
            self._remove_documents(change.removed)
            self._add_units(change.new_units)
            self._db.executemany(
                "UPDATE units SET refs = refs + ? WHERE id = ?",
                [(delta, unit) for unit, delta in sorted(change.references.items()) if delta],
            )
            self._drop_units(change.dead_units)
            self._add_documents(change.added)

    def _remove_documents(self, ids: Sequence[str]) -> None:
        if not ids:
            return
        chosen = json.dumps(sorted(ids))
        self._db.execute(
            "DELETE FROM paragraphs WHERE doc IN "
            "(SELECT row FROM documents WHERE id IN (SELECT value FROM json_each(?)))",
            (chosen,),
        )
        self._db.execute(
            "DELETE FROM documents WHERE id IN (SELECT value FROM json_each(?))", (chosen,)
        )

    def _unit_rows(self, ids: np.ndarray) -> np.ndarray:
        rows = self._unit_column("row", ids)
        return np.fromiter((rows[u] for u in ids.tolist()), np.int64, len(ids))

    def _add_units(self, units: UnitTables) -> None:
        if not len(units):
            return
        self._db.executemany(
            "INSERT INTO units (id, text, refs) VALUES (?, ?, 0)",
            zip(units.ids.tolist(), units.texts, strict=True),
        )
        rows = self._unit_rows(units.ids)
        if rows.max() > _LOW32:
            raise StoreError(f"{self.location}: more than 2^32 units have entered this index")
        self._band_rows("INSERT OR IGNORE INTO {table} SELECT value FROM json_each(?)", units, rows)
        for start in range(0, len(units.weights), _CHUNK):
            self._db.execute(
                "INSERT INTO shingles SELECT value / ?1, value % ?1 FROM json_each(?2) WHERE true "
                "ON CONFLICT (hash) DO UPDATE SET units = units + excluded.units",
                (_COUNT_SPAN, _json_weights(units.weights, start)),
            )
        self._db.execute(
            "UPDATE meta SET value = value + ? WHERE key = 'units'", (units.weights.units,)
        )

    def _band_rows(self, statement: str, units: UnitTables, rows: np.ndarray) -> None:
        """Run ``statement`` (on ``{table}``, with a JSON array of band-table integers) over
        the band rows of ``units``, whose rows in the units table are ``rows``."""
        tables = (units.paragraphs, units.sentences, units.runs)
        for table, bands in zip(_BAND_TABLES, tables, strict=True):
            codes = _codes(bands, rows)
            for start in range(0, len(codes), _CHUNK):
                self._db.execute(
                    statement.format(table=table), (_json_ints(codes[start : start + _CHUNK]),)
                )

    def _drop_units(self, units: UnitTables) -> None:
        if not len(units):
            return
        rows = self._unit_rows(units.ids)
        self._band_rows(
            "DELETE FROM {table} WHERE code IN (SELECT value FROM json_each(?))", units, rows
        )
        for start in range(0, len(units.weights), _CHUNK):
            rows_json = _json_weights(units.weights, start)
            self._db.execute(
                "UPDATE shingles SET units = units - j.value % ?1 FROM json_each(?2) j "
                "WHERE hash = j.value / ?1",
                (_COUNT_SPAN, rows_json),
            )
            self._db.execute(
                "DELETE FROM shingles WHERE units <= 0 AND hash IN "
                "(SELECT value / ?1 FROM json_each(?2))",
                (_COUNT_SPAN, rows_json),
            )
        self._db.execute(
            "UPDATE meta SET value = value - ? WHERE key = 'units'", (units.weights.units,)
        )
        self._db.execute(
            "DELETE FROM units WHERE id IN (SELECT value FROM json_each(?))",
            (_json_ints(units.ids),),
        )

    def _add_documents(self, entries: Sequence[Entry]) -> None:
        if not entries:
            return
        held = np.array(sorted({u for entry in entries for u in entry.units}), dtype=np.int64)
        row_of = dict(zip(held.tolist(), self._unit_rows(held).tolist(), strict=True))
        added = time.time()
        for entry in entries:
            document = entry.document
            moment = parse_date(document.date) if document.date is not None else None
            cursor = self._db.execute(
                "INSERT INTO documents (id, source, title, date, moment, encoding, ordinal, "
                "added, digest, paragraphs) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    document.id,
                    document.source,
                    document.title,
                    document.date,
                    moment.timestamp() if moment is not None else None,
                    document.encoding,
                    document.ordinal,
                    added,
                    entry.digest,
                    len(document.paragraphs),
                ),
            )
            rank = moment.timestamp() if moment is not None else math.inf
            self._db.executemany(
                "INSERT INTO paragraphs VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        cursor.lastrowid,
                        p.index,
                        row_of[unit],
                        p.line,
                        p.column,
                        p.end_line,
                        p.text,
                        rank,
                    )
                    for p, unit in zip(document.paragraphs, entry.units, strict=True)
                ],
            )


def _entry(rows: Sequence[tuple[Any, ...]]) -> Entry:
    """An entry from the joined rows of one document's paragraphs."""
    _, doc_id, source, title, date, encoding, ordinal, added, digest = rows[0][:9]
    paragraphs = tuple(
        Paragraph(doc_id, index, source, line, text, column, end_line)
        for index, line, column, end_line, text in (row[9:14] for row in rows)
    )
    document = Document(
        id=doc_id,
        source=source,
        title=title,
        paragraphs=paragraphs,
        date=date,
        encoding=encoding,
        ordinal=ordinal,
        added=datetime.fromtimestamp(added, timezone.utc).isoformat(timespec="seconds"),
    )
    return Entry(document, tuple(row[14] for row in rows), digest)


def _high32(keys: np.ndarray) -> np.ndarray:
    """The top 32 bits of 64-bit band keys, as signed integers (SQLite's are signed)."""
    return (keys >> np.uint64(32)).astype(np.uint32).view(np.int32).astype(np.int64)


def _codes(bands: BandTable, rows: np.ndarray) -> np.ndarray:
    """The sorted distinct band-table integers of ``bands`` whose units are rows ``rows``."""
    units, _, keys = bands.rows()
    return distinct((_high32(keys) << np.int64(32)) | rows[units])


def _json_ints(values: np.ndarray) -> str:
    """Integers as a JSON array (a list's ``str`` is one, and faster than ``json.dumps``)."""
    return str(values.tolist())


def _json_weights(weights: Weights, start: int) -> str:
    """Rows ``start`` to ``start + _CHUNK`` of ``weights`` as JSON integers hash * 2^31 + count."""
    hashes = weights.hashes[start : start + _CHUNK].astype(np.int64)
    return _json_ints(hashes * _COUNT_SPAN + weights.counts[start : start + _CHUNK])
