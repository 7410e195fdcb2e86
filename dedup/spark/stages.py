"""What the Spark engine runs on its executors: the engine's own stages over Arrow batches.

Every function here takes record batches (or tables) of one partition and
returns batches, and does its work by calling the stage functions of the
embedded engine (readers, ``normalize_many``, ``sketch_units``,
``BandTable.pairs``, ``Verifier``, ``cluster_units``), never a copy of
them: what holds for the embedded engine holds here, and a change to a
stage reaches both. The job that wires them together is
``dedup.spark.engine``; nothing here imports pyspark but ``task_threads``.

Units are named by their **first position**: the place, in canonical order
over the whole input, of the first paragraph holding their text. Positions
order units as the embedded engine's unit rows do, so that each partition
can rebuild local rows in the global order, and every tie-break comes out
the same.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, fields

import numpy as np
import pyarrow as pa

from dedup.arrays import unique_pairs
from dedup.config import CandidateConfig, NormalizeConfig, ReadConfig, ScanConfig
from dedup.errors import InputError
from dedup.records import Cluster, Document, Kind, Paragraph, Scores, Skipped
from dedup.weights import Weights

# --- Documents --------------------------------------------------------------------------

PARAGRAPH = pa.struct(
    [
        ("index", pa.int32()),
        ("line", pa.int32()),
        ("text", pa.string()),
        ("column", pa.int32()),
        ("end_line", pa.int32()),
    ]
)
#: One row per document (``Document``'s fields, its canonical order key and its paragraphs),
#: or per input not read (``skipped`` holds the reason, ``source`` the input).
DOCUMENTS = pa.schema(
    [
        ("id", pa.string()),
        ("source", pa.string()),
        ("title", pa.string()),
        ("date", pa.string()),
        ("encoding", pa.string()),
        ("ordinal", pa.int32()),
        ("title_first", pa.int32()),
        ("title_last", pa.int32()),
        ("added", pa.string()),
        ("undated", pa.bool_()),
        ("stamp", pa.float64()),
        ("paragraphs", pa.list_(PARAGRAPH)),
        ("skipped", pa.string()),
    ]
)


@dataclass(frozen=True, slots=True)
class Root:
    """An input named on the command line, as the file system qualifies it (``qualified``) and
    as the user wrote it (``shown``): the files found under it are named ``shown`` + the rest
    of their path, as the embedded engine names files found in a folder."""

    qualified: str
    shown: str
    is_file: bool

    def source(self, path: str) -> str | None:
        """The name of ``path`` under this input, or None when it is not under it."""
        if path == self.qualified:
            return self.shown
        prefix = self.qualified.rstrip("/") + "/"
        if self.is_file or not path.startswith(prefix):
            return None
        return self.shown.rstrip("/") + "/" + path[len(prefix) :]


def source_of(path: str, roots: Sequence[Root]) -> tuple[str, bool]:
    """``(source, found in a folder)`` of a file read under one of ``roots``."""
    for root in roots:
        shown = root.source(path)
        if shown is not None:
            return shown, not root.is_file
    return path, False


def document_batch(
    documents: Iterable[Document], skipped: Iterable[Skipped] = ()
) -> pa.RecordBatch:
    """``documents`` (and inputs not read) as one batch of ``DOCUMENTS`` rows."""
    columns: dict[str, list[object]] = {name: [] for name in DOCUMENTS.names}
    for document in documents:
        undated, stamp, *_ = document.order_key()
        title_first, title_last = document.title_lines or (None, None)
        row = {
            "id": document.id,
            "source": document.source,
            "title": document.title,
            "date": document.date,
            "encoding": document.encoding,
            "ordinal": document.ordinal,
            "title_first": title_first,
            "title_last": title_last,
            "added": document.added,
            "undated": undated,
            "stamp": stamp,
            "paragraphs": [
                {
                    "index": p.index,
                    "line": p.line,
                    "text": p.text,
                    "column": p.column,
                    "end_line": p.end_line,
                }
                for p in document.paragraphs
            ],
            "skipped": None,
        }
        for name, value in row.items():
            columns[name].append(value)
    for item in skipped:
        for name in DOCUMENTS.names:
            value = {"source": item.source, "skipped": item.reason}.get(name)
            columns[name].append([] if name == "paragraphs" else value)
    return pa.RecordBatch.from_pydict(columns, schema=DOCUMENTS)


def documents_of(rows: pa.Table) -> tuple[list[Document], list[Skipped]]:
    """The documents and the inputs not read of ``DOCUMENTS`` rows (the reverse of
    ``document_batch``)."""
    documents, skipped = [], []
    for row in rows.to_pylist():
        if row["skipped"] is not None:
            skipped.append(Skipped(row["source"], row["skipped"]))
            continue
        doc, source = row["id"], row["source"]
        first, last = row["title_first"], row["title_last"]
        documents.append(
            Document(
                id=doc,
                source=source,
                title=row["title"],
                paragraphs=tuple(
                    Paragraph(
                        doc, p["index"], source, p["line"], p["text"], p["column"], p["end_line"]
                    )
                    for p in row["paragraphs"]
                ),
                date=row["date"],
                encoding=row["encoding"],
                ordinal=row["ordinal"],
                title_lines=(first, last) if first is not None else None,
                added=row["added"],
            )
        )
    return documents, skipped


def read_files(
    batches: Iterable[pa.RecordBatch], config: ReadConfig, roots: Sequence[Root]
) -> Iterator[pa.RecordBatch]:
    """Files (``path``, ``content`` bytes) into ``DOCUMENTS`` rows, each read by the reader its
    name and content call for (``dedup.readers.read_data``), as the embedded engine reads it.

    A file that cannot be read is an ``InputError``, or with ``skip_bad`` a row that says why.
    """
    from dedup.readers import read_data
    from dedup.units import canonical_order

    for batch in batches:
        documents: list[Document] = []
        skipped: list[Skipped] = []
        for path, content in zip(
            batch.column("path").to_pylist(), batch.column("content").to_pylist(), strict=True
        ):
            source, in_folder = source_of(path, roots)
            try:
                # canonical_order refuses a date that cannot be read, as a scan does.
                found = canonical_order(
                    read_data(content, source, source, config, in_folder=in_folder)
                )
                _check_unique_ids(found)
            except InputError as err:
                if not config.skip_bad:
                    raise
                skipped.append(Skipped(source, str(err)))
                continue
            documents += found
        yield document_batch(documents, skipped)


def _check_unique_ids(documents: Sequence[Document]) -> None:
    seen: set[str] = set()
    for document in documents:
        if document.id in seen:
            raise InputError(f"{document.source}: document id {document.id!r} appears twice")
        seen.add(document.id)


#: The columns of a table of records (Parquet) that a document is read from.
RECORD_FIELDS = ("id", "text", "paragraphs", "title", "date")


def read_records(
    batches: Iterable[pa.RecordBatch], roots: Sequence[Root]
) -> Iterator[pa.RecordBatch]:
    """Rows of a table of records (``id``, ``text`` or ``paragraphs``, optional ``title`` and
    ``date``, and the ``path`` of their file) into ``DOCUMENTS`` rows, each checked and read as
    a JSON Lines record is (``dedup.readers.jsonl.read_record``)."""
    from dedup.readers.jsonl import read_record
    from dedup.units import canonical_order

    for batch in batches:
        present = [name for name in RECORD_FIELDS if name in batch.schema.names]
        columns = {name: batch.column(name).to_pylist() for name in (*present, "path")}
        documents = []
        for number in range(batch.num_rows):
            record = {
                name: columns[name][number] for name in present if columns[name][number] is not None
            }
            source, _ = source_of(columns["path"][number], roots)
            where = f"{source}: record {record['id']!r}" if "id" in record else source
            documents.append(read_record(record, source, where))
        yield document_batch(canonical_order(documents))


# --- Normalisation ---------------------------------------------------------------------


def normalize_rows(
    batches: Iterable[pa.RecordBatch], config: NormalizeConfig
) -> Iterator[pa.RecordBatch]:
    """Paragraphs (``text`` and any other column) with their normalised texts (``norm``, by
    ``normalize_many``) added."""
    from dedup.normalize import normalize_many

    for batch in batches:
        normalized = normalize_many(batch.column("text").to_pylist(), config)
        yield batch.append_column("norm", pa.array(normalized, pa.string()))


# --- Sketches, band keys, weights --------------------------------------------------------

#: What a row of ``SKETCHED`` holds: a paragraph's band key, a sentence's band key, a
#: fingerprint of a run of letters, the document frequency of a shingle, or the number of
#: units a partition sketched. Key rows come first: ``table <= RUN_KEY``.
PARAGRAPH_KEY, SENTENCE_KEY, RUN_KEY, FREQUENCY, SKETCHED_UNITS = 0, 1, 2, 3, 4
SKETCHED = pa.schema(
    [
        ("table", pa.int8()),
        ("band", pa.int16()),
        ("key", pa.int64()),
        ("unit", pa.int64()),
        ("seq", pa.int32()),
        ("single", pa.bool_()),
        ("shingle", pa.int64()),
        ("count", pa.int64()),
    ]
)


def task_threads() -> None:
    """Let the compiled kernels of this task use the cores Spark allotted to it
    (``spark.task.cpus``), not every core of the executor, which other tasks share."""
    from pyspark import TaskContext

    from dedup.sketch import THREADS_VARIABLE

    context = TaskContext.get()
    if context is not None:
        os.environ[THREADS_VARIABLE] = str(context.cpus())


def sketch_rows(
    batches: Iterable[pa.RecordBatch], config: ScanConfig, threads: Callable[[], None] | None = None
) -> Iterator[pa.RecordBatch]:
    """Units (``unit``, ``norm``) into the long form of their band keys (``sketch_units``), and,
    once the partition is done, the document frequencies of their shingles.

    ``seq`` numbers the rows of one unit in a table (its sentences, in order): with the unit,
    it orders the rows of a bucket as the embedded engine's band tables do.
    """
    from dedup.sketch import sketch_units

    if threads is not None:
        threads()
    weights: list[Weights] = []
    for batch in batches:
        units = batch.column("unit").to_numpy()
        sketched = sketch_units(
            batch.column("norm").to_pylist(), config.shingle, config.sketch, config.candidates
        )
        weights.append(sketched.weights)
        for table, rows in (
            (PARAGRAPH_KEY, sketched.paragraphs),
            (SENTENCE_KEY, sketched.sentences),
            (RUN_KEY, sketched.runs),
        ):
            if len(rows):
                owner, band, key = rows.rows()
                yield _sketched_batch(
                    table,
                    band=band,
                    key=key.view(np.int64),
                    unit=units[owner],
                    seq=np.repeat(_run_ranks(rows.units), rows.bands),
                    single=sketched.one_sentence[owner],
                )
    total = Weights.total(weights)
    yield _sketched_batch(
        FREQUENCY, shingle=total.hashes.astype(np.int64), count=total.counts.astype(np.int64)
    )
    yield _sketched_batch(SKETCHED_UNITS, count=np.array([total.units], dtype=np.int64))


def _run_ranks(values: np.ndarray) -> np.ndarray:
    """The rank of each value inside its run of equal values: ``[7, 7, 9, 7] -> [0, 1, 0, 0]``."""
    if len(values) == 0:
        return np.zeros(0, dtype=np.int32)
    starts = np.flatnonzero(np.concatenate(([True], values[1:] != values[:-1])))
    lengths = np.diff(np.append(starts, len(values)))
    return (np.arange(len(values)) - np.repeat(starts, lengths)).astype(np.int32)


def _sketched_batch(table: int, **columns: np.ndarray) -> pa.RecordBatch:
    rows = len(next(iter(columns.values())))
    arrays = []
    for field in SKETCHED:
        if field.name == "table":
            arrays.append(pa.array(np.full(rows, table, dtype=np.int8)))
        elif field.name in columns:
            arrays.append(pa.array(columns[field.name], type=field.type))
        else:
            arrays.append(pa.nulls(rows, type=field.type))
    return pa.RecordBatch.from_arrays(arrays, schema=SKETCHED)


def weights_of(frequencies: pa.Table, units: int) -> Weights:
    """The ``Weights`` of summed ``(shingle, count)`` rows over ``units`` sketched units."""
    hashes = frequencies.column("shingle").to_numpy().astype(np.uint32)
    counts = frequencies.column("count").to_numpy().astype(np.int64)
    order = np.argsort(hashes, kind="stable")
    return Weights(hashes[order], counts[order], units)


# --- Candidate pairs -------------------------------------------------------------------

PAIRS = pa.schema([("a", pa.int64()), ("b", pa.int64())])


def bucket_pairs(
    batches: Iterable[pa.RecordBatch], config: CandidateConfig
) -> Iterator[pa.RecordBatch]:
    """Candidate unit pairs of band rows sorted by ``(table, band, key, unit, seq)`` within
    their partition, every row of a bucket in the same partition: each bucket is handed whole
    to ``BandTable.pairs`` (a large one is linked as a chain and a star, not expanded), rows
    in the order the embedded engine's tables hold them."""
    pending: list[pa.RecordBatch] = []
    for batch in batches:
        if batch.num_rows == 0:
            continue
        table, band, key = (batch.column(name).to_numpy() for name in ("table", "band", "key"))
        same = (table == table[-1]) & (band == band[-1]) & (key == key[-1])
        # The batch's last bucket may go on in the next batch: it waits for it.
        cut = 0 if same.all() else len(key) - int(np.argmin(same[::-1]))
        if cut == 0:
            pending.append(batch)
            continue
        yield from _bucket_pairs(pa.Table.from_batches([*pending, batch.slice(0, cut)]), config)
        pending = [batch.slice(cut)]
    if pending:
        yield from _bucket_pairs(pa.Table.from_batches(pending), config)


def _bucket_pairs(rows: pa.Table, config: CandidateConfig) -> Iterator[pa.RecordBatch]:
    """The pairs of whole buckets, one ``(table, band)`` at a time."""
    from dedup.candidates import BandTable, rare_run_pairs

    table, band = rows.column("table").to_numpy(), rows.column("band").to_numpy()
    key = rows.column("key").to_numpy().view(np.uint64)
    unit, single = rows.column("unit").to_numpy(), rows.column("single").to_numpy()
    bounds = np.flatnonzero((table[1:] != table[:-1]) | (band[1:] != band[:-1])) + 1
    for start, end in zip(
        np.concatenate(([0], bounds)), np.concatenate((bounds, [len(key)])), strict=True
    ):
        # Local unit numbers in the order of the units' positions: pairs come out as the
        # embedded engine's, whose unit rows are in that order too.
        units, local = np.unique(unit[start:end], return_inverse=True)
        skip = None
        if table[start] == SENTENCE_KEY:
            skip = np.zeros(len(units), dtype=bool)
            skip[local] = single[start:end]
        rows_of_band = BandTable(local, key[start:end, None])
        if table[start] == RUN_KEY:
            found = rare_run_pairs(rows_of_band, config)
        else:
            found = rows_of_band.pairs(config.max_bucket, skip)
        if len(found):
            pairs = units[found]
            yield pa.RecordBatch.from_arrays(
                [pa.array(pairs[:, 0]), pa.array(pairs[:, 1])], schema=PAIRS
            )


# --- Verification ----------------------------------------------------------------------


def verify_rows(
    batches: Iterable[pa.RecordBatch], config: ScanConfig, weights: Callable[[], Weights]
) -> Iterator[pa.RecordBatch]:
    """Candidate pairs (``a``, ``b``, ``text_a``, ``text_b``) that relate, decided by the
    engine's ``Verifier`` with the corpus ``weights`` (a pair's scores depend on the pair and
    the weights only, so any batch of pairs is decided as the whole set would be)."""
    from dedup.verify import Verifier

    for batch in batches:
        a, b = batch.column("a").to_numpy(), batch.column("b").to_numpy()
        texts = np.concatenate(
            (
                np.array(batch.column("text_a").to_pylist(), dtype=object),
                np.array(batch.column("text_b").to_pylist(), dtype=object),
            )
        )
        units, first, local = np.unique(
            np.concatenate((a, b)), return_index=True, return_inverse=True
        )
        pairs = np.stack((local[: len(a)], local[len(a) :]), axis=1)
        pairs = pairs[np.lexsort((pairs[:, 1], pairs[:, 0]))]
        judge = Verifier(
            texts[first].tolist(), np.arange(len(units)), weights(), config.shingle, config.verify
        )
        matches = judge.verify(pairs)
        yield pa.RecordBatch.from_arrays(
            [pa.array(units[matches.left]), pa.array(units[matches.right])], schema=PAIRS
        )


# --- Clusters ---------------------------------------------------------------------------

#: One row per member of a cluster; ``first`` (the position of its first paragraph),
#: ``kind_order`` and ``tie`` order the clusters as the embedded engine numbers them. Two
#: clusters of one kind can start at one paragraph (partial stars sharing a member): both
#: are then of one component, and ``tie``, their order in its clustering, keeps the
#: embedded engine's (a stable sort of the same groups).
MEMBERS = pa.schema(
    [
        ("first", pa.int64()),
        ("kind_order", pa.int8()),
        ("tie", pa.int32()),
        ("kind", pa.string()),
        ("canonical", pa.int32()),
        ("member", pa.int32()),
        ("position", pa.int64()),
        ("doc", pa.string()),
        ("index", pa.int32()),
        ("source", pa.string()),
        ("line", pa.int32()),
        ("column", pa.int32()),
        ("end_line", pa.int32()),
        ("text", pa.string()),
        ("unit", pa.int64()),
        ("relation", pa.string()),
        ("cosine", pa.float64()),
        ("jaccard", pa.float64()),
        ("containment", pa.float64()),
        ("alignment", pa.float64()),
        ("coverage", pa.float64()),
    ]
)
_KINDS = list(Kind)
#: ``Paragraph``'s and ``Scores``' fields, in order: the columns that hold them.
PARAGRAPH_FIELDS = tuple(f.name for f in fields(Paragraph))
SCORE_FIELDS = tuple(f.name for f in fields(Scores))


def cluster_rows(
    paragraphs: pa.Table, matches: pa.Table, config: ScanConfig, weights: Callable[[], Weights]
) -> pa.Table:
    """The clusters of whole connected components (``cluster_units``): their paragraphs
    (``position``, ``unit``, ``norm`` and ``Paragraph``'s fields) and the pairs of units that
    relate (``a``, ``b``), as ``MEMBERS`` rows.

    Every cluster, chaining check and canonical choice of the embedded engine stays inside a
    component of related units, so a component is clustered alone as it is among all: its
    units get local rows in the global order, which keeps every tie-break.
    """
    from dedup.pipeline import cluster_units
    from dedup.units import distinct_units

    paragraphs = paragraphs.sort_by("position")
    position = paragraphs.column("position").to_numpy()
    columns = [paragraphs.column(name).to_pylist() for name in PARAGRAPH_FIELDS]
    records = [Paragraph(*values) for values in zip(*columns, strict=True)]
    units = distinct_units(paragraphs.column("norm").to_pylist())
    # A unit's global name is the position of its first paragraph, ascending with its row.
    names = paragraphs.column("unit").to_numpy()[units.places[units.bounds[:-1]]]
    pairs = np.stack(
        (
            np.searchsorted(names, matches.column("a").to_numpy()),
            np.searchsorted(names, matches.column("b").to_numpy()),
        ),
        axis=1,
    ).reshape(-1, 2)
    clusters = cluster_units(units, records, unique_pairs(pairs), lambda _: weights(), config)
    place = {(p.doc, p.index): int(at) for p, at in zip(records, position.tolist(), strict=True)}
    return pa.Table.from_pylist(list(_member_rows(clusters, place)), schema=MEMBERS)


def _member_rows(clusters: list[Cluster], place: dict[tuple[str, int], int]) -> Iterator[dict]:
    for tie, cluster in enumerate(clusters):
        first = place[(cluster.members[0].paragraph.doc, cluster.members[0].paragraph.index)]
        for number, member in enumerate(cluster.members):
            p = member.paragraph
            yield {
                "first": first,
                "kind_order": _KINDS.index(cluster.kind),
                "tie": tie,
                "kind": cluster.kind.value,
                "canonical": cluster.canonical,
                "member": number,
                "position": place[(p.doc, p.index)],
                **{name: getattr(p, name) for name in PARAGRAPH_FIELDS},
                "unit": member.unit,
                "relation": member.relation.value,
                **{name: getattr(member.scores, name) for name in SCORE_FIELDS},
            }
