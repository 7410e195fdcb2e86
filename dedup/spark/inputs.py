"""Inputs of a Spark scan: local files read here, and paths Spark reads itself.

A path with a scheme (``hdfs://``, ``s3a://``, ``gs://``, ``file:``...) or
a Parquet dataset (a name ending ``.parquet``) is read by Spark, on the
executors: its files are listed through Hadoop's file system (any
Hadoop-compatible store), each file of a known format is read as bytes and
parsed by dedup's own readers (JSON Lines, text, Markdown, the wire
formats, gzipped or not), and Parquet tables of records (``id`` and
``text`` or ``paragraphs``, optional ``title`` and ``date``) are read as
JSON Lines records are. Any other path is a local file or folder, read on
the driver by the readers of the embedded engine, exactly as a scan reads it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import pyarrow as pa
from pyspark.sql import Column, DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T
from pyspark.sql.pandas.types import from_arrow_schema

from dedup.config import ReadConfig
from dedup.errors import InputError
from dedup.readers import EXTENSIONS, GZIP, expand_paths, read_paths
from dedup.records import Document, Skipped
from dedup.spark.stages import (
    DOCUMENTS,
    RECORD_FIELDS,
    Root,
    document_batch,
    read_files,
    read_records,
)

# A URI scheme of two letters or more (one letter is a Windows drive).
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")
PARQUET = ".parquet"
#: The column that tells documents read on the driver from those Spark read.
LOCAL = "local"
#: Parquet column types a record field may have (dates may also be timestamps or dates).
_TEXT_TYPES = (T.StringType,)


def is_spark_path(path: str) -> bool:
    """Whether Spark reads ``path`` itself (a URI, or a Parquet dataset), not the driver.

    >>> is_spark_path("hdfs://archive/wire"), is_spark_path("out.parquet"), is_spark_path("a.txt")
    (True, True, False)
    """
    return has_scheme(path) or path.rstrip("/").lower().endswith(PARQUET)


def has_scheme(path: str) -> bool:
    """Whether ``path`` is a URI (``hdfs://...``, ``file:...``), not a local path.

    >>> has_scheme("s3a://bucket/wire"), has_scheme("C:/wire"), has_scheme("wire")
    (True, False, False)
    """
    return bool(_SCHEME.match(path))


def split_paths(paths: Sequence[str]) -> tuple[list[str], list[str]]:
    """``(local paths, paths Spark reads)``, each in the order given."""
    return [p for p in paths if not is_spark_path(p)], [p for p in paths if is_spark_path(p)]


def check_local(paths: Sequence[str], config: ReadConfig) -> None:
    """Refuse, before Spark starts, a local path that is missing or holds nothing to read."""
    local, _ = split_paths(paths)
    if local:
        expand_paths(local, config)


@dataclass(frozen=True, slots=True)
class Listing:
    """The files found under the paths Spark reads: readable by dedup's readers, or Parquet."""

    roots: tuple[Root, ...]
    files: tuple[str, ...]
    tables: tuple[str, ...]


def list_inputs(spark: SparkSession, paths: Sequence[str]) -> Listing:
    """Every file to read under ``paths``, through Hadoop's file system; a path that is
    missing or holds nothing to read is an ``InputError``."""
    jvm: Any = spark.sparkContext._jvm
    hadoop = spark.sparkContext._jsc.hadoopConfiguration()
    roots, files, tables = [], [], []
    for path in paths:
        location = jvm.org.apache.hadoop.fs.Path(path)
        try:
            system = location.getFileSystem(hadoop)
            if not system.exists(location):
                raise InputError(f"{path}: no such file or folder")
            status = system.getFileStatus(location)
        except InputError:
            raise
        except Exception as err:  # py4j carries Hadoop's IOException (no file system for a scheme)
            raise InputError(f"{path}: cannot read: {_first_line(err)}") from err
        qualified = system.makeQualified(location).toString()
        root = Root(qualified, path, status.isFile())
        roots.append(root)
        found = [qualified] if root.is_file else _walk(system, location, qualified)
        parquet = [
            f
            for f in found
            if f.lower().endswith(PARQUET) or path.lower().rstrip("/").endswith(PARQUET)
        ]
        readable = [f for f in found if f not in parquet and _readable(f)]
        if not parquet and not readable:
            endings = ", ".join((*EXTENSIONS, PARQUET))
            raise InputError(f"{path}: no file to read ({endings}, or gzipped)")
        files += readable
        tables += parquet
    return Listing(tuple(roots), tuple(dict.fromkeys(files)), tuple(dict.fromkeys(tables)))


def _walk(system: object, location: object, qualified: str) -> list[str]:
    """Files under a folder, sorted, less those Hadoop tools hide (names starting ``_`` or
    ``.``, such as ``_SUCCESS`` or a ``.crc`` file, at any depth)."""
    listing = system.listFiles(location, True)  # type: ignore[attr-defined]
    prefix = qualified.rstrip("/") + "/"
    found = []
    while listing.hasNext():
        name = listing.next().getPath().toString()
        relative = name[len(prefix) :] if name.startswith(prefix) else name
        if not any(part.startswith(("_", ".")) for part in relative.split("/")):
            found.append(name)
    return sorted(found)


def _readable(name: str) -> bool:
    lowered = name.lower()
    return (lowered[: -len(GZIP)] if lowered.endswith(GZIP) else lowered).endswith(EXTENSIONS)


def _first_line(err: Exception) -> str:
    return next((line.strip() for line in str(err).splitlines() if line.strip()), repr(err))


def document_frame(
    spark: SparkSession, paths: Sequence[str], config: ReadConfig
) -> tuple[DataFrame, list[Document], list[Skipped]]:
    """Every document of ``paths`` as ``DOCUMENTS`` rows (and ``LOCAL``: read on the driver),
    with the documents and skipped inputs read on the driver (local paths, as the embedded
    engine reads them)."""
    local, remote = split_paths(paths)
    schema = from_arrow_schema(DOCUMENTS)
    skipped: list[Skipped] = []
    documents = list(read_paths(local, config, skipped.append)) if local else []
    frames = [_local_frame(spark, documents, schema)]
    if remote:
        listing = list_inputs(spark, remote)
        if listing.files:
            frames.append(_file_frame(spark, listing, config, schema))
        if listing.tables:
            frames.append(_table_frame(spark, listing, schema))
    frame = frames[0].withColumn(LOCAL, F.lit(True))
    for other in frames[1:]:
        frame = frame.unionByName(other.withColumn(LOCAL, F.lit(False)))
    return frame, documents, skipped


def _local_frame(spark: SparkSession, documents: list[Document], schema: T.StructType) -> DataFrame:
    table = pa.Table.from_batches([document_batch(documents)], schema=DOCUMENTS)
    return spark.createDataFrame(table, schema=schema)


def _file_frame(
    spark: SparkSession, listing: Listing, config: ReadConfig, schema: T.StructType
) -> DataFrame:
    raw = spark.read.format("binaryFile").load(list(listing.files)).select("path", "content")
    # A file is a task's work: spread them over the cores rather than packing small files.
    parts = min(len(listing.files), spark.sparkContext.defaultParallelism * 4)
    reader: Any = partial(read_files, config=config, roots=listing.roots)
    return raw.repartition(parts).mapInArrow(reader, schema)


def _table_frame(spark: SparkSession, listing: Listing, schema: T.StructType) -> DataFrame:
    table = spark.read.parquet(*listing.tables)
    fields = {field.name: field.dataType for field in table.schema.fields}
    if "id" not in fields or ("text" not in fields and "paragraphs" not in fields):
        names = ", ".join(fields) or "none"
        raise InputError(
            f"{listing.tables[0]}: a Parquet table of records needs the columns id and text "
            f"or paragraphs (optional: title, date); its columns: {names}"
        )
    columns = [
        _record_column(name, fields[name], listing.tables[0])
        for name in RECORD_FIELDS
        if name in fields
    ]
    rows = table.select(*columns, F.col("_metadata.file_path").alias("path"))
    return rows.mapInArrow(partial(read_records, roots=listing.roots), schema)


def _record_column(name: str, kind: T.DataType, table: str) -> Column:
    """A record field as the JSON record would hold it: dates as ISO 8601 text."""
    if name == "date" and isinstance(kind, T.TimestampType | T.TimestampNTZType):
        return F.date_format(F.col(name), "yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX").alias(name)
    if name == "date" and isinstance(kind, T.DateType):
        return F.date_format(F.col(name), "yyyy-MM-dd").alias(name)
    allowed = {
        "id": (T.StringType, T.IntegerType, T.LongType, T.ShortType),
        "paragraphs": (T.ArrayType,),
    }.get(name, _TEXT_TYPES)
    if not isinstance(kind, allowed) or (
        isinstance(kind, T.ArrayType) and not isinstance(kind.elementType, T.StringType)
    ):
        raise InputError(f"{table}: column {name} cannot be {kind.simpleString()}")
    return F.col(name)
