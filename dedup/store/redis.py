"""An index on a Redis server, for several ingest workers: ``redis://host:port/db``.

Every key starts with a prefix (``dedup`` unless the URL says ``?prefix=NAME``), so that
several indexes share a database:

- ``P:meta`` (hash): format, schema version, parameters (JSON), creation time, and
  counters (units weighted, paragraphs, band rows);
- ``P:docs`` (hash): document id -> the document as JSON (paragraphs with their units);
  ``P:digests`` (hash): document id -> digest; ``P:dated`` (sorted set): document id by
  date (or, undated, by the time it was added);
- ``P:units`` (hash): unit id -> normalised text; ``P:refs`` (hash): unit id -> paragraphs
  holding it; ``P:holders:UNIT`` (sorted set): the documents holding a unit, by date;
- ``P:pb:``, ``P:sb:`` and ``P:rb:``: the paragraph and sentence band-key tables and the
  fingerprints of runs of letters (partial reuse), each in the layout
  of a datasketch ``RedisSetStorage`` (a set of unit ids per 64-bit band key, as
  datasketch's own LSH keeps its buckets; its ``getmany`` reads them). They are written
  and read by server-side scripts doing what its ``insert`` and ``getmany`` do, thousands
  of rows a call: through the storage's own methods, each row costs a command built in
  Python (206 s to add Reuters-21578's 4.7 million rows; 10 of the 16 ms of a check);
- ``P:shingles`` (hash): the weights, shingle hash -> units holding it;
- ``P:version``: a counter every write increments.

A batch is written in one ``MULTI``/``EXEC`` transaction that ``WATCH``es the version:
when another worker wrote in between, the batch is planned again from what is now there,
so two workers adding at once never count a unit twice nor lose one. Band-key sets are
inserted before the transaction (they are idempotent: a unit found in a set whose text is
gone is skipped); the ones a batch removes are removed inside it.
"""

from __future__ import annotations

import json
import math
import random
import time
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any, TypeVar, cast
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import numpy as np
import redis
from redis.connection import parse_url

from dedup.arrays import distinct
from dedup.candidates import BandTable
from dedup.dates import parse_date
from dedup.errors import StoreError
from dedup.records import Document, Paragraph
from dedup.store import FORMAT, SCHEMA_VERSION, Change, Entry, IndexStats, Limits, UnitTables
from dedup.weights import Weights

T = TypeVar("T")

#: Key prefix when the URL names none.
DEFAULT_PREFIX = "dedup"
#: How many times a batch is planned again when other workers keep writing in between.
ATTEMPTS = 100
# Values per command or script call: bounds one request's size.
_CHUNK = 20_000
# Shingle counts a client keeps at most (about 100 MB) before reading them afresh.
_COUNTS_KEPT = 1_000_000

# Adds (key, unit) rows to a datasketch set storage, as RedisSetStorage.insert does: the
# key's set gets the unit, and the storage's key hash names the set. One script call per
# 10,000 rows instead of two Python-built commands per row (206 s for Reuters-21578's
# 4.7 million rows through ``insert``).
_INSERT_ROWS = """
local name = KEYS[1]
for i = 1, #ARGV, 2 do
    local key = name .. ARGV[i]
    redis.call('HSET', name, ARGV[i], key)
    redis.call('SADD', key, ARGV[i + 1])
end
"""
# The members of the sets of a datasketch set storage for the band keys ARGV[3], ARGV[4],
# ...: at most ARGV[1] of each (the first in string order), or, when ARGV[2] is 1 (rare
# runs), those of the sets of at most ARGV[1] members only; in one call, where the
# storage's getmany sends a command per key (a thousand for a dispatch).
_LOOKUP = """
local name, limit, rare, out = KEYS[1], tonumber(ARGV[1]), ARGV[2] == '1', {}
for i = 3, #ARGV do
    local members = redis.call('SMEMBERS', name .. ARGV[i])
    if not (rare and #members > limit) then
        if #members > limit then table.sort(members) end
        for j = 1, math.min(#members, limit) do out[#out + 1] = members[j] end
    end
end
return out
"""
# Adds counts to hash fields.
_ADD = """
for i = 1, #ARGV, 2 do
    redis.call('HINCRBY', KEYS[1], ARGV[i], ARGV[i + 1])
end
"""
# Removes (key, unit) rows from a datasketch set storage, dropping a key's entry from the
# storage's key hash once its set is empty, as RedisSetStorage.remove_val does.
_DROP_ROWS = """
local name = KEYS[1]
for i = 1, #ARGV, 2 do
    local key = name .. ARGV[i]
    redis.call('SREM', key, ARGV[i + 1])
    if redis.call('SCARD', key) == 0 then redis.call('HDEL', name, ARGV[i]) end
end
"""
# Subtracts counts from hash fields, dropping the fields that reach zero.
_SUBTRACT = """
for i = 1, #ARGV, 2 do
    if redis.call('HINCRBY', KEYS[1], ARGV[i], -tonumber(ARGV[i + 1])) <= 0 then
        redis.call('HDEL', KEYS[1], ARGV[i])
    end
end
"""


class RedisStore:
    """An index under one key prefix of a Redis database (see the module's docstring)."""

    def __init__(self, location: str) -> None:
        self.location = location
        parts = urlsplit(location)
        query = parse_qs(parts.query)
        self._prefix = query.pop("prefix", [DEFAULT_PREFIX])[-1]
        plain = urlunsplit(parts._replace(query=urlencode(query, doseq=True)))
        try:
            options = parse_url(plain)
        except ValueError as err:
            raise StoreError(f"{location}: not a Redis URL: {err}") from err
        options.setdefault("socket_connect_timeout", 5.0)
        self._client = redis.Redis(**options)
        with self._errors():
            self._client.ping()
        self._lookup = self._client.register_script(_LOOKUP)
        self._insert_rows = self._client.register_script(_INSERT_ROWS)
        self._drop_rows = self._client.register_script(_DROP_ROWS)
        self._add = self._client.register_script(_ADD)
        self._subtract = self._client.register_script(_SUBTRACT)
        self._pipe: Any = None
        self._queued: list[Callable[[Any], None]] = []
        self._counts: dict[int, int] = {}
        self._counts_version: bytes | None = None
        with self._errors():
            meta = self._client.hgetall(self._key("meta"))
        if meta and meta.get(b"format") != FORMAT.encode():
            raise StoreError(f"{location}: prefix {self._prefix!r} holds something else")
        if meta and int(meta.get(b"schema", 0)) != SCHEMA_VERSION:
            raise StoreError(
                f"{location}: index schema version {int(meta[b'schema'])}, "
                f"this dedup reads version {SCHEMA_VERSION}"
            )

    def _key(self, name: str) -> str:
        return f"{self._prefix}:{name}"

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """Connection and server errors as one-line ``StoreError``s naming the URL."""
        try:
            yield
        except redis.ConnectionError as err:
            raise StoreError(f"{self.location}: cannot reach the Redis server ({err})") from err
        except redis.RedisError as err:
            raise StoreError(f"{self.location}: {err}") from err

    def close(self) -> None:
        """Close the connections."""
        self._client.close()

    # --- transactions ----------------------------------------------------------------------

    def transaction(self, work: Callable[[], T]) -> T:
        """Run ``work`` and its writes as one ``MULTI``/``EXEC``, planned again when another
        writer changed the index meanwhile."""
        if self._pipe is not None:
            return work()
        with self._errors():
            for attempt in range(ATTEMPTS):
                with self._client.pipeline(transaction=True) as pipe:
                    pipe.watch(self._key("version"))
                    self._pipe, self._queued = pipe, []
                    try:
                        result = work()
                        pipe.multi()
                        for command in self._queued:
                            command(pipe)
                        pipe.incr(self._key("version"))
                        pipe.execute()
                        return result
                    except redis.WatchError:
                        # Another worker wrote first: plan again on what it wrote.
                        time.sleep(random.uniform(0, 0.01 * (attempt + 1)))
                    finally:
                        self._pipe, self._queued = None, []
        raise StoreError(f"{self.location}: the index is busy: other writers kept changing it")

    def snapshot(self, work: Callable[[], T]) -> T:
        """Run ``work`` (Redis has no read snapshot: units that vanish meanwhile are skipped)."""
        return work()

    def _later(self, command: Callable[[Any], None]) -> None:
        if self._pipe is None:
            raise RuntimeError("index writes run inside a transaction")
        self._queued.append(command)

    # --- reads ---------------------------------------------------------------------------

    def parameters(self) -> dict[str, Any] | None:
        """The settings the index was built with (None before its first batch)."""
        with self._errors():
            found = self._client.hget(self._key("meta"), "params")
        return json.loads(found) if found else None

    def _hash_values(self, name: str, fields: Sequence[Any]) -> list[Any]:
        values: list[Any] = []
        with self._errors():
            for start in range(0, len(fields), _CHUNK):
                values += self._client.hmget(self._key(name), fields[start : start + _CHUNK])
        return values

    def digests(self, ids: Collection[str]) -> dict[str, bytes]:
        """The digest of each of ``ids`` that is indexed."""
        ordered = sorted(ids)
        found = self._hash_values("digests", ordered)
        return {i: bytes.fromhex(d.decode()) for i, d in zip(ordered, found, strict=True) if d}

    def _documents(self, ids: Sequence[str]) -> list[tuple[str, dict[str, Any]]]:
        found = self._hash_values("docs", ids)
        return [(i, json.loads(d)) for i, d in zip(ids, found, strict=True) if d]

    def held_units(self, ids: Collection[str]) -> dict[int, int]:
        """For the indexed documents ``ids``: how many of their paragraphs hold each unit."""
        held: dict[int, int] = {}
        for _, record in self._documents(sorted(ids)):
            for *_, unit in record["paragraphs"]:
                held[unit] = held.get(unit, 0) + 1
        return held

    def references(self, units: np.ndarray) -> np.ndarray:
        """How many indexed paragraphs hold each of ``units`` (0: not indexed)."""
        found = self._hash_values("refs", units.tolist())
        return np.array([int(v) if v else 0 for v in found], dtype=np.int64)

    def unit_texts(self, units: np.ndarray) -> list[str]:
        """The normalised texts of indexed ``units``, in that order."""
        found = self._hash_values("units", units.tolist())
        for unit, text in zip(units.tolist(), found, strict=True):
            if text is None:
                raise StoreError(f"{self.location}: unit {unit:016x} is not indexed")
        return [text.decode() for text in found]

    def neighbours(
        self, paragraphs: np.ndarray, sentences: np.ndarray, runs: np.ndarray, limits: Limits
    ) -> np.ndarray:
        """Stable ids of indexed units sharing a band key with ``paragraphs`` (in the paragraph
        table) or ``sentences`` (sentence table), of a larger set ``limits.bucket`` of them
        (the first in string order), or a run fingerprint with ``runs`` (run table) that
        ``limits.run`` units at most hold."""
        found: list[bytes] = []
        lookups = (
            ("pb", paragraphs, limits.bucket, 0),
            ("sb", sentences, limits.bucket, 0),
            ("rb", runs, limits.run, 1),
        )
        with self._errors():
            pipe = self._client.pipeline(transaction=False)
            for name, keys, limit, rare in lookups:
                wanted = _key_bytes(distinct(keys.reshape(-1)))
                for start in range(0, len(wanted), _CHUNK):
                    self._lookup(
                        keys=[self._key(f"{name}:")],
                        args=[limit, rare, *wanted[start : start + _CHUNK]],
                        client=pipe,
                    )
            for members in pipe.execute():
                found += members
        # Units whose text is gone (a batch that failed after its band keys went in) are not
        # indexed: skip them.
        candidates = distinct(np.array([int(m) for m in found], dtype=np.int64))
        return candidates[self.references(candidates) > 0]

    def occurrences(
        self, units: np.ndarray, besides: Collection[str], limit: int | None = None
    ) -> list[Entry]:
        """The indexed paragraphs holding ``units`` (those of the ``limit`` earliest documents
        of each), grouped into their documents."""
        skip = set(besides)
        last = -1 if limit is None else limit + len(skip) - 1
        with self._errors():
            pipe = self._client.pipeline(transaction=False)
            for unit in units.tolist():
                pipe.zrange(self._key(f"holders:{unit}"), 0, last)
            holders = pipe.execute()
        wanted: dict[str, set[int]] = {}
        for unit, members in zip(units.tolist(), holders, strict=True):
            kept = [d for d in (m.decode() for m in members) if d not in skip][:limit]
            for doc_id in kept:
                wanted.setdefault(doc_id, set()).add(unit)
        entries = []
        for doc_id, record in self._documents(sorted(wanted)):
            rows = [row for row in record["paragraphs"] if row[5] in wanted[doc_id]]
            entries.append(_entry(doc_id, record, rows))
        return entries

    def frequencies(self, hashes: np.ndarray) -> Weights:
        """The weights of ``hashes`` only (sorted, distinct), with the index's unit count.

        Counts read are kept until the index's version moves (any worker's write), so that
        a process checking dispatch after dispatch reads the frequent shingles once.
        """
        with self._errors():
            pipe = self._client.pipeline()
            pipe.get(self._key("version"))
            pipe.hget(self._key("meta"), "units")
            version, units = pipe.execute()
        if version != self._counts_version or len(self._counts) > _COUNTS_KEPT:
            self._counts, self._counts_version = {}, version
        counts = self._counts
        wanted = hashes.tolist()
        missing = [h for h in wanted if h not in counts]
        counts.update(
            (h, int(v) if v else 0)
            for h, v in zip(missing, self._hash_values("shingles", missing), strict=True)
        )
        held = np.fromiter((counts[h] for h in wanted), np.int64, len(wanted))
        present = held > 0
        return Weights(hashes[present].astype(np.uint32), held[present], int(units or 0))

    def _counter(self, name: str) -> int:
        with self._errors():
            return int(self._client.hget(self._key("meta"), name) or 0)

    def dated_before(self, moment: float) -> list[str]:
        """Ids of documents dated (or, undated, added) before ``moment``."""
        with self._errors():
            found = cast(
                "list[bytes]",
                self._client.zrangebyscore(self._key("dated"), "-inf", f"({moment!r}"),
            )
        return sorted(d.decode() for d in found)

    def stats(self) -> IndexStats:
        """Counts, parameters and the server's memory."""
        with self._errors():
            documents = self._client.hlen(self._key("docs"))
            units = self._client.hlen(self._key("units"))
            shingles = self._client.hlen(self._key("shingles"))
            memory = int(self._client.info("memory")["used_memory"])
        return IndexStats(
            location=self.location,
            schema_version=SCHEMA_VERSION,
            documents=documents,
            paragraphs=self._counter("paragraphs"),
            units=units,
            sketched_units=self._counter("units"),
            paragraph_band_rows=self._counter("pb_rows"),
            sentence_band_rows=self._counter("sb_rows"),
            run_rows=self._counter("rb_rows"),
            shingles=shingles,
            size_bytes=memory,
            parameters=self.parameters() or {},
            size_of="memory of the whole Redis server",
        )

    # --- writes --------------------------------------------------------------------------

    def initialise(self, parameters: dict[str, Any]) -> None:
        """Record the parameters of a new index."""
        meta = {
            "format": FORMAT,
            "schema": SCHEMA_VERSION,
            "created": time.time(),
            "params": json.dumps(parameters, sort_keys=True),
        }
        self._later(lambda pipe: pipe.hset(self._key("meta"), mapping=meta))

    def write(self, change: Change) -> None:
        """Insert the new units' band keys now, and queue the rest of the batch."""
        with self._errors():
            pipe = self._client.pipeline(transaction=False)
            self._band_rows(pipe, self._insert_rows, change.new_units)
            pipe.execute()
        self._later(lambda pipe: self._apply(pipe, change))

    def _band_rows(self, pipe: Any, script: Any, units: UnitTables) -> None:
        """Call ``script`` (insert or drop) on every (key, unit) row of ``units``."""
        for name, bands in (("pb", units.paragraphs), ("sb", units.sentences), ("rb", units.runs)):
            rows = _flat_rows(bands, units.ids)
            for start in range(0, len(rows), _CHUNK):
                script(keys=[self._key(f"{name}:")], args=rows[start : start + _CHUNK], client=pipe)

    def _apply(self, pipe: Any, change: Change) -> None:
        for doc_id, record in self._documents(list(change.removed)):
            pipe.hdel(self._key("docs"), doc_id)
            pipe.hdel(self._key("digests"), doc_id)
            pipe.zrem(self._key("dated"), doc_id)
            for unit in {row[5] for row in record["paragraphs"]}:
                pipe.zrem(self._key(f"holders:{unit}"), doc_id)
            pipe.hincrby(self._key("meta"), "paragraphs", -len(record["paragraphs"]))
        self._count_units(pipe, change.new_units, 1)
        for unit, delta in sorted(change.references.items()):
            pipe.hincrby(self._key("refs"), str(unit), delta)
        dead = change.dead_units
        if len(dead):
            pipe.hdel(self._key("units"), *dead.ids.tolist())
            pipe.hdel(self._key("refs"), *dead.ids.tolist())
            self._band_rows(pipe, self._drop_rows, dead)
            self._count_units(pipe, dead, -1)
        added = time.time()
        for entry in change.added:
            self._add_document(pipe, entry, added)

    def _count_units(self, pipe: Any, units: UnitTables, sign: int) -> None:
        """Add (``sign`` 1) or take out (-1) the texts, weights and row counts of ``units``."""
        if not len(units):
            return
        if sign > 0:
            for start in range(0, len(units), _CHUNK):
                pipe.hset(
                    self._key("units"),
                    mapping=dict(
                        zip(
                            units.ids[start : start + _CHUNK].tolist(),
                            units.texts[start : start + _CHUNK],
                            strict=True,
                        )
                    ),
                )
        weights = units.weights
        script = self._add if sign > 0 else self._subtract
        for start in range(0, len(weights), _CHUNK // 2):
            end = start + _CHUNK // 2
            flat = np.stack((weights.hashes[start:end], weights.counts[start:end]), axis=1)
            script(keys=[self._key("shingles")], args=flat.reshape(-1).tolist(), client=pipe)
        meta = self._key("meta")
        pipe.hincrby(meta, "units", sign * weights.units)
        pipe.hincrby(meta, "pb_rows", sign * _row_count(units.paragraphs))
        pipe.hincrby(meta, "sb_rows", sign * _row_count(units.sentences))
        pipe.hincrby(meta, "rb_rows", sign * _row_count(units.runs))

    def _add_document(self, pipe: Any, entry: Entry, added: float) -> None:
        document = entry.document
        moment = parse_date(document.date) if document.date is not None else None
        record = {
            "source": document.source,
            "title": document.title,
            "date": document.date,
            "encoding": document.encoding,
            "ordinal": document.ordinal,
            "added": added,
            "paragraphs": [
                [p.index, p.line, p.column, p.end_line, p.text, unit]
                for p, unit in zip(document.paragraphs, entry.units, strict=True)
            ],
        }
        pipe.hset(self._key("docs"), document.id, json.dumps(record))
        pipe.hset(self._key("digests"), document.id, entry.digest.hex())
        when = moment.timestamp() if moment is not None else added
        pipe.zadd(self._key("dated"), {document.id: when})
        # Holders by date, undated ones last: a check lists the earliest copies first.
        rank = moment.timestamp() if moment is not None else math.inf
        for unit in set(entry.units):
            pipe.zadd(self._key(f"holders:{unit}"), {document.id: rank})
        pipe.hincrby(self._key("meta"), "paragraphs", len(document.paragraphs))


def _entry(doc_id: str, record: dict[str, Any], rows: list[list[Any]]) -> Entry:
    """An entry of the document ``record`` with only the paragraphs ``rows``."""
    source = record["source"]
    document = Document(
        id=doc_id,
        source=source,
        title=record["title"],
        paragraphs=tuple(
            Paragraph(doc_id, index, source, line, text, column, end_line)
            for index, line, column, end_line, text, _ in rows
        ),
        date=record["date"],
        encoding=record["encoding"],
        ordinal=record["ordinal"],
        added=datetime.fromtimestamp(record["added"], timezone.utc).isoformat(timespec="seconds"),
    )
    return Entry(document, tuple(row[5] for row in rows), b"")


def _key_bytes(keys: np.ndarray) -> list[bytes]:
    """64-bit band keys as the 8 big-endian bytes a set storage names them by."""
    raw = keys.astype(">u8").tobytes()
    return [raw[i : i + 8] for i in range(0, len(raw), 8)]


def _distinct_rows(bands: BandTable) -> tuple[np.ndarray, np.ndarray]:
    """The distinct (key, unit) rows of a band table, as two arrays sorted by key."""
    units, _, keys = bands.rows()
    order = np.lexsort((units, keys))
    keys, units = keys[order], units[order]
    fresh = np.concatenate(([True], (keys[1:] != keys[:-1]) | (units[1:] != units[:-1])))
    return keys[fresh[: len(keys)]], units[fresh[: len(keys)]]


def _flat_rows(bands: BandTable, ids: np.ndarray) -> list[bytes | int]:
    """The rows of ``bands`` (units are positions in ``ids``), flat: key, unit id, key, unit
    id, ... (keys as a set storage names them)."""
    keys, units = _distinct_rows(bands)
    names = _key_bytes(keys)
    return [value for pair in zip(names, ids[units].tolist(), strict=True) for value in pair]


def _row_count(bands: BandTable) -> int:
    """Distinct (key, unit) rows of a band table."""
    return len(_distinct_rows(bands)[0])
