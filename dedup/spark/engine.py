"""The scan as a Spark job: the same stages, run on the executors, and the same report.

```
documents -> canonical order (positions) -> normalize -> units -> sketch (band rows, weights)
  -> buckets (candidate pairs) -> verify (related pairs) -> connected components
  -> cluster each component -> clusters numbered as the embedded engine numbers them
```

Each arrow is a DataFrame; each stage's work is a function of
``dedup.spark.stages`` applied per partition, which calls the embedded
engine's own stage function. The driver lists and reads local inputs,
collects the weights (one aggregation, then broadcast) and, at the end,
the documents and clusters the report holds; candidate pairs, related pairs
and the graph of components stay on the executors.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import numpy as np
import pyarrow as pa
from pyspark import StorageLevel
from pyspark.broadcast import Broadcast
from pyspark.sql import DataFrame, SparkSession, Window
from pyspark.sql import functions as F
from pyspark.sql.pandas.types import from_arrow_schema
from pyspark.sql.types import StringType, StructField, StructType

from dedup.config import ScanConfig
from dedup.errors import InputError, ReportError
from dedup.pipeline import scan_params
from dedup.records import Cluster, Document, Kind, Member, Paragraph, Report, Scores, Skipped
from dedup.spark import stages
from dedup.spark.components import bucket_of, connected_components
from dedup.spark.inputs import LOCAL, document_frame
from dedup.units import canonical_order
from dedup.weights import Weights

_KEEP = StorageLevel.MEMORY_AND_DISK


class BroadcastWeights:
    """The corpus weights as the executors see them: a broadcast, read once per process."""

    def __init__(self, broadcast: Broadcast[tuple[np.ndarray, np.ndarray, int]]) -> None:
        self.broadcast = broadcast

    def __call__(self) -> Weights:
        hashes, counts, units = self.broadcast.value
        return Weights(hashes, counts, units)


@dataclass
class _Kept:
    """DataFrames persisted for the job, released at its end."""

    frames: list[DataFrame] = field(default_factory=list)

    def __call__(self, frame: DataFrame) -> DataFrame:
        self.frames.append(frame.persist(_KEEP))
        return self.frames[-1]

    def release(self) -> None:
        for frame in self.frames:
            frame.unpersist()


def scan_spark(
    spark: SparkSession,
    paths: Sequence[str],
    config: ScanConfig,
    clusters_parquet: str | None = None,
) -> Report:
    """Find the repeated paragraphs of ``paths`` on Spark: the report ``dedup.pipeline.scan``
    gives for the same documents; with ``clusters_parquet``, the clusters are also written there
    as a Parquet table, one row per member."""
    started = time.perf_counter()
    if clusters_parquet is not None:
        check_clusters_target(spark, clusters_parquet)
    keep = _Kept()
    try:
        with phase(spark, "read"):
            frame, local, skipped = document_frame(spark, paths, config.read)
            documents = keep(frame)
            remote_documents, remote_skipped = _collect_documents(documents)
            _check_ids(documents)
        members = _members(spark, documents.where(F.col("skipped").isNull()), config, keep)
        with phase(spark, "report"):
            if clusters_parquet is not None:
                write_clusters(members, clusters_parquet)
            clusters = _clusters(members)
    finally:
        keep.release()
    every = canonical_order([*local, *remote_documents])
    return Report(
        documents=tuple(every),
        clusters=tuple(clusters),
        params=scan_params(config),
        seconds=time.perf_counter() - started,
        skipped=tuple(sorted([*skipped, *remote_skipped], key=lambda s: (s.source, s.reason))),
    )


def _collect_documents(documents: DataFrame) -> tuple[list[Document], list[Skipped]]:
    """The documents Spark read (the report lists every document), and the inputs it skipped."""
    read = documents.where(~F.col(LOCAL)).drop(LOCAL)
    return stages.documents_of(read.toArrow())


def _check_ids(documents: DataFrame) -> None:
    """Refuse two documents with one id, as reading them on one machine does."""
    twice = (
        documents.where(F.col("skipped").isNull())
        .groupBy("id")
        .agg(F.count("*").alias("n"), F.max("source").alias("source"))
        .where(F.col("n") > 1)
        .orderBy("id")
        .take(1)
    )
    if twice:
        raise InputError(f"{twice[0]['source']}: document id {twice[0]['id']!r} appears twice")


def _members(
    spark: SparkSession, documents: DataFrame, config: ScanConfig, keep: _Kept
) -> DataFrame:
    """The members of every cluster (``stages.MEMBERS`` rows, plus ``number``: the cluster's
    place in the report)."""
    paragraphs = _positions(documents)
    normalized = paragraphs.mapInArrow(
        partial(stages.normalize_rows, config=config.normalize),
        StructType([*paragraphs.schema.fields, StructField("norm", StringType())]),
    )
    # A unit is named by the position of its first paragraph; the window finds it, and how
    # many paragraphs hold the text, in one shuffle.
    by_text = Window.partitionBy("norm")
    occurrences = keep(
        normalized.withColumn("unit", F.min("position").over(by_text)).withColumn(
            "copies", F.count("*").over(by_text)
        )
    )
    units = occurrences.where(F.col("position") == F.col("unit")).select("unit", "norm", "copies")
    sketched = keep(
        units.select("unit", "norm").mapInArrow(
            partial(stages.sketch_rows, config=config, threads=stages.task_threads),
            from_arrow_schema(stages.SKETCHED),
        )
    )
    with phase(spark, "normalize, units, sketch, weights"):
        weights = BroadcastWeights(spark.sparkContext.broadcast(_weights(sketched)))
    pairs = _candidate_pairs(sketched, config)
    texts = units.select("unit", "norm")
    related = keep(
        pairs.join(texts.withColumnsRenamed({"unit": "a", "norm": "text_a"}), "a")
        .join(texts.withColumnsRenamed({"unit": "b", "norm": "text_b"}), "b")
        .select("a", "b", "text_a", "text_b")
        .mapInArrow(
            partial(stages.verify_rows, config=config, weights=weights),
            from_arrow_schema(stages.PAIRS),
        )
    )
    with phase(spark, "candidates, verify"):
        related.count()
    with phase(spark, "components"):
        components = keep(connected_components(related))
    # Units that repeat but relate to no other text are components of their own.
    alone = (
        units.where(F.col("copies") > 1)
        .select(F.col("unit").alias("node"))
        .join(components, "node", "left_anti")
        .select("node", F.col("node").alias("component"))
    )
    buckets = int(spark.conf.get("spark.sql.shuffle.partitions") or 200)
    placed = components.union(alone)
    cluster_paragraphs = occurrences.join(placed.withColumnRenamed("node", "unit"), "unit").select(
        bucket_of(F.col("component"), buckets).alias("bucket"),
        "position",
        "unit",
        "norm",
        "doc",
        "index",
        "source",
        "line",
        "text",
        "column",
        "end_line",
    )
    cluster_pairs = related.join(placed.withColumnRenamed("node", "a"), "a").select(
        bucket_of(F.col("component"), buckets).alias("bucket"), "a", "b"
    )
    members = keep(
        cluster_paragraphs.groupBy("bucket")
        .cogroup(cluster_pairs.groupBy("bucket"))
        .applyInArrow(
            partial(_cluster_bucket, config=config, weights=weights),
            from_arrow_schema(stages.MEMBERS),
        )
    )
    with phase(spark, "cluster"):
        return keep(_numbered(members))


@contextmanager
def phase(spark: SparkSession, name: str) -> Iterator[None]:
    """Name the Spark jobs of a part of the scan (``dedup: name``), as Spark's UI and event
    log show them."""
    spark.sparkContext.setJobDescription(f"dedup: {name}")
    try:
        yield
    finally:
        spark.sparkContext.setJobDescription(None)  # type: ignore[arg-type]


def _cluster_bucket(
    paragraphs: pa.Table, pairs: pa.Table, config: ScanConfig, weights: BroadcastWeights
) -> pa.Table:
    return stages.cluster_rows(paragraphs, pairs, config, weights)


def _positions(documents: DataFrame) -> DataFrame:
    """Every paragraph with its ``position``: a number that grows in canonical order
    (``Document.order_key``, then the paragraph's place in its document), as the embedded
    engine lays paragraphs out."""
    order = ["undated", "stamp", "source", "ordinal", "id", "rank"]
    exploded = documents.select(
        "undated",
        "stamp",
        "source",
        "ordinal",
        F.col("id").alias("doc"),
        F.col("id"),
        F.posexplode("paragraphs").alias("rank", "paragraph"),
    )
    # Ids that grow along a global sort (partition, then row): the canonical order.
    return exploded.orderBy(*order).select(
        F.monotonically_increasing_id().alias("position"),
        "doc",
        F.col("paragraph.index").alias("index"),
        "source",
        F.col("paragraph.line").alias("line"),
        F.col("paragraph.text").alias("text"),
        F.col("paragraph.column").alias("column"),
        F.col("paragraph.end_line").alias("end_line"),
    )


def _weights(sketched: DataFrame) -> tuple[np.ndarray, np.ndarray, int]:
    """The corpus weights: document frequencies summed over every partition (one aggregation),
    as the arrays ``BroadcastWeights`` rebuilds."""
    frequencies = (
        sketched.where(F.col("table") == stages.FREQUENCY)
        .groupBy("shingle")
        .agg(F.sum("count").alias("count"))
        .toArrow()
    )
    units = sketched.where(F.col("table") == stages.SKETCHED_UNITS).agg(F.sum("count")).first()
    weights = stages.weights_of(frequencies, int(units[0] or 0) if units else 0)
    return weights.hashes, weights.counts, weights.units


def _candidate_pairs(sketched: DataFrame, config: ScanConfig) -> DataFrame:
    """Distinct unit pairs ``(a, b)``, ``a < b``, sharing a bucket: rows grouped by
    (table, band, key) into partitions, each bucket whole, and handed to ``BandTable.pairs``."""
    rows = sketched.where(F.col("table") <= stages.RUN_KEY).select(
        "table", "band", "key", "unit", "seq", "single"
    )
    grouped = rows.repartition("table", "band", "key").sortWithinPartitions(
        "table", "band", "key", "unit", "seq"
    )
    found = grouped.mapInArrow(
        partial(stages.bucket_pairs, config=config.candidates), from_arrow_schema(stages.PAIRS)
    )
    return found.distinct()


def _numbered(members: DataFrame) -> DataFrame:
    """Members with ``number``: their cluster's place when clusters are sorted by their first
    paragraph, then kind, as the embedded engine numbers them (``c1``, ``c2``...)."""
    keys = (
        members.where(F.col("member") == 0)
        .select("first", "kind_order", "tie")
        .orderBy("first", "kind_order", "tie")
    )
    numbers = keys.rdd.zipWithIndex().map(lambda item: (*item[0], item[1] + 1))
    table = members.sparkSession.createDataFrame(
        numbers, "first bigint, kind_order tinyint, tie int, number bigint"
    )
    return members.join(table, ["first", "kind_order", "tie"])


def _clusters(members: DataFrame) -> list[Cluster]:
    """The clusters of numbered members, collected for the report."""
    rows = members.orderBy("number", "member").toArrow().to_pylist()
    clusters: list[Cluster] = []
    start = 0
    while start < len(rows):
        number = rows[start]["number"]
        end = start
        while end < len(rows) and rows[end]["number"] == number:
            end += 1
        part = rows[start:end]
        clusters.append(
            Cluster(
                id=f"c{number}",
                kind=Kind(part[0]["kind"]),
                members=tuple(_member(row) for row in part),
                canonical=part[0]["canonical"],
            )
        )
        start = end
    return clusters


def _member(row: dict[str, Any]) -> Member:
    paragraph = Paragraph(*(row[name] for name in stages.PARAGRAPH_FIELDS))
    scores = Scores(*(row[name] for name in stages.SCORE_FIELDS))
    return Member(paragraph, scores, Kind(row["relation"]), row["unit"])


def _hadoop_path(spark: SparkSession, path: str) -> tuple[Any, Any]:
    """``(file system, path)`` of a local or Hadoop path, through Hadoop's API."""
    jvm: Any = spark.sparkContext._jvm
    location = jvm.org.apache.hadoop.fs.Path(path)
    return location.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration()), location


def check_clusters_target(spark: SparkSession, path: str) -> None:
    """Refuse, before any work, a clusters table that would replace something."""
    system, target = _hadoop_path(spark, path)
    if system.exists(target):
        raise ReportError(f"{path}: already exists (a clusters table is never replaced)")


def write_clusters(members: DataFrame, path: str) -> None:
    """The clusters as a Parquet table at ``path``, one row per member, written beside it and
    renamed into place when whole (a failed job leaves no table behind)."""
    spark = members.sparkSession
    system, target = _hadoop_path(spark, path)
    written = _hadoop_path(spark, f"{path.rstrip('/')}.partial-{uuid.uuid4().hex[:12]}")[1]
    table = members.orderBy("number", "member").select(
        F.concat(F.lit("c"), F.col("number").cast("string")).alias("cluster"),
        "kind",
        (F.col("member") == F.col("canonical")).alias("canonical"),
        "doc",
        "index",
        "source",
        "line",
        "column",
        "end_line",
        "text",
        F.lpad(F.lower(F.hex("unit")), 16, "0").alias("unit"),
        "relation",
        "cosine",
        "jaccard",
        "containment",
        "alignment",
        "coverage",
    )
    try:
        table.write.parquet(written.toString())
        if system.exists(target) or not system.rename(written, target):
            raise ReportError(
                f"{path}: cannot write the clusters there (exists, or renaming failed)"
            )
    finally:
        if system.exists(written):
            system.delete(written, True)
