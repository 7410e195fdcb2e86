"""Persistent indexes: what a scan computes, kept between runs so that incoming copy can be
checked against everything received before.

An index keeps what the engine already produces, never anything else:

- **documents** by id (source, title, date, position in the source, when it was added) and
  their **paragraphs** (index, line, text) with the stable id of each one's normalised text;
- **units** by stable id (``dedup.units.unit_id``) with their normalised text and how many
  indexed paragraphs hold them;
- the **band-key tables** of paragraphs and of sentences (``BandTable.rows()``), and the
  fingerprints of their runs of letters (partial reuse), for lookup;
- the **weights** (``dedup.weights.Weights``: how many units hold each shingle), updated as
  units come and go, so that a check scores pairs exactly as a scan of everything would;
- the **parameters** it was built with (the settings that change normalised texts,
  shingles, sketches and band keys) and a schema version.

Two stores keep it: one SQLite file (``dedup.store.sqlite``, the embedded default) and a
Redis server for several ingest workers (``dedup.store.redis``). Both do storage only: what
goes in and out is computed by ``dedup.incoming``, the same for both.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, fields
from typing import Any, Protocol, TypeVar

import numpy as np

from dedup.candidates import BandTable
from dedup.config import ScanConfig, with_settings
from dedup.errors import StoreError
from dedup.records import Document
from dedup.weights import Weights

#: The version of the layout an index is written in; an index of another version is refused.
SCHEMA_VERSION = 2
#: What an index file or key space says it is.
FORMAT = "dedup.index"
#: The settings sections an index is bound to: they change normalised texts, shingles,
#: sketches or band keys. Reading and verification settings may differ from check to check.
INDEX_SECTIONS = ("normalize", "shingle", "sketch", "candidates")
#: How a Redis index is named.
REDIS_SCHEME = "redis://"

T = TypeVar("T")


def index_parameters(config: ScanConfig) -> dict[str, Any]:
    """The flat settings an index is bound to (``INDEX_SECTIONS``), by name."""
    return {
        item.name: getattr(getattr(config, section), item.name)
        for section in INDEX_SECTIONS
        for item in fields(getattr(config, section))
    }


def adopt_parameters(
    config: ScanConfig, stored: dict[str, Any], given: Collection[str], location: str
) -> ScanConfig:
    """``config`` with the index's own parameters, or a ``StoreError`` naming both values when a
    setting the user gave (flag or settings file) differs from what the index was built with."""
    wanted = index_parameters(config)
    for name, value in wanted.items():
        if name in given and name in stored and stored[name] != value:
            raise StoreError(
                f"{location}: the index was built with {name} {stored[name]!r}, not {value!r}; "
                "an index keeps the settings it was built with (drop the setting, "
                "or use another index)"
            )
    unknown = sorted(set(stored) - set(wanted))
    if unknown:
        raise StoreError(f"{location}: the index has settings this dedup does not know: {unknown}")
    return with_settings(config, {name: stored[name] for name in wanted if name in stored})


@dataclass(frozen=True, slots=True)
class Entry:
    """A document as an index holds it: the document, the stable unit id of each of its
    paragraphs (in order), and a digest of everything in it (to add it again only if changed)."""

    document: Document
    units: tuple[int, ...]
    digest: bytes


@dataclass(frozen=True, slots=True)
class Limits:
    """How many indexed units a band key (``bucket``) or a run fingerprint (``run``) yields."""

    bucket: int
    run: int


@dataclass(frozen=True, slots=True)
class UnitTables:
    """Units entering or leaving an index, with the rows they hold in its tables.

    ``paragraphs`` and ``sentences`` are band-key tables whose units are positions in ``ids``,
    ``runs`` the fingerprints of their runs of letters (a one-band table); ``weights`` are the
    document frequencies of their shingles.
    """

    ids: np.ndarray
    texts: list[str]
    paragraphs: BandTable
    sentences: BandTable
    runs: BandTable
    weights: Weights

    def __len__(self) -> int:
        return len(self.ids)


@dataclass(frozen=True, slots=True)
class Change:
    """One batch written to an index, in one transaction.

    ``removed``: ids of documents taken out (or replaced by a document of ``added``);
    ``references``: per unit id, how many more (or fewer) indexed paragraphs hold it;
    ``new_units`` enter the index, ``dead_units`` (held by no paragraph any more) leave it.
    """

    added: tuple[Entry, ...]
    removed: tuple[str, ...]
    references: dict[int, int]
    new_units: UnitTables
    dead_units: UnitTables


@dataclass(frozen=True, slots=True)
class Tally:
    """What adding or removing documents did: how many were added (new ids), replaced (an id
    already indexed, with other content), unchanged (the same content again) and removed."""

    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    removed: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            self.added + other.added,
            self.replaced + other.replaced,
            self.unchanged + other.unchanged,
            self.removed + other.removed,
        )


@dataclass(frozen=True, slots=True)
class IndexStats:
    """What ``dedup index stats`` shows."""

    location: str
    schema_version: int
    documents: int
    paragraphs: int
    units: int
    sketched_units: int
    paragraph_band_rows: int
    sentence_band_rows: int
    run_rows: int
    shingles: int
    size_bytes: int
    parameters: dict[str, Any]
    #: What ``size_bytes`` measures (the file, or the server's memory).
    size_of: str


class Store(Protocol):
    """Storage of an index. Reads may run at any time; writes run inside ``transaction``."""

    location: str

    def close(self) -> None:
        """Release the file or connection."""

    def parameters(self) -> dict[str, Any] | None:
        """The flat settings the index was built with; None for an index not yet written."""

    def transaction(self, work: Callable[[], T]) -> T:
        """Run ``work`` (reads, then ``write``) as one transaction: all of its writes or none,
        with no other writer in between (a second writer waits, or it is retried)."""

    def snapshot(self, work: Callable[[], T]) -> T:
        """Run ``work`` (reads only) on one consistent view of the index, where the store
        has one."""

    def initialise(self, parameters: dict[str, Any]) -> None:
        """Record the parameters of a new index (inside a transaction)."""

    def write(self, change: Change) -> None:
        """Apply ``change`` (inside a transaction)."""

    def digests(self, ids: Collection[str]) -> dict[str, bytes]:
        """The digest of each of ``ids`` that is indexed."""

    def held_units(self, ids: Collection[str]) -> dict[int, int]:
        """For the indexed documents ``ids``: how many of their paragraphs hold each unit."""

    def references(self, units: np.ndarray) -> np.ndarray:
        """How many indexed paragraphs hold each of ``units`` (stable ids; 0: not indexed)."""

    def unit_texts(self, units: np.ndarray) -> list[str]:
        """The normalised texts of indexed ``units`` (stable ids), in that order."""

    def neighbours(
        self, paragraphs: np.ndarray, sentences: np.ndarray, runs: np.ndarray, limits: Limits
    ) -> np.ndarray:
        """Stable ids of indexed units with a paragraph (sentence) band key among ``paragraphs``
        (``sentences``), at most ``limits.bucket`` per key (the earliest indexed), or with a
        run fingerprint among ``runs`` that at most ``limits.run`` units hold (more make a
        stock phrase, as in a scan: none of them), sorted.

        May hold a few more units than share a key (a store may compare shorter keys): the
        caller recomputes the keys of what it keeps.
        """

    def occurrences(
        self, units: np.ndarray, besides: Collection[str], limit: int | None = None
    ) -> list[Entry]:
        """The indexed paragraphs holding ``units``, as entries of their documents (each with
        only those paragraphs), leaving out the documents ``besides``; of each unit, the
        ``limit`` earliest (by date; undated ones after, in the order they were added)."""

    def frequencies(self, hashes: np.ndarray) -> Weights:
        """The index's weights for ``hashes`` only (sorted, distinct), with its unit count."""

    def dated_before(self, moment: float) -> list[str]:
        """Ids of documents dated (or, undated, added) before ``moment`` (Unix seconds)."""

    def stats(self) -> IndexStats:
        """Counts, parameters and size."""


def open_store(location: str, *, create: bool = False) -> Store:
    """The index at ``location``: a file path (SQLite) or ``redis://host:port/db``.

    ``create``: a missing index file is created (empty, parameters unset) instead of
    being an error.
    """
    scheme, separator, _ = location.partition("://")
    if separator and location.startswith(REDIS_SCHEME):
        try:
            from dedup.store.redis import RedisStore
        except ImportError as err:
            raise StoreError(
                f"{location}: a Redis index needs the redis package (pip install 'dedup[redis]')"
            ) from err
        return RedisStore(location)
    if separator:
        raise StoreError(
            f"{location}: unknown index scheme {scheme!r} (a file path or redis://host:port/db)"
        )
    from dedup.store.sqlite import SqliteStore

    return SqliteStore(location, create=create)


__all__ = [
    "FORMAT",
    "INDEX_SECTIONS",
    "SCHEMA_VERSION",
    "Change",
    "Entry",
    "IndexStats",
    "Limits",
    "Store",
    "Tally",
    "UnitTables",
    "adopt_parameters",
    "index_parameters",
    "open_store",
]
