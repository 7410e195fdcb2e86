"""The executors' work, without Spark: each stage over Arrow batches gives what the embedded
engine's stage gives over the whole input, however the input is cut into partitions."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest

pa = pytest.importorskip("pyarrow", reason="pyarrow is not installed (pip install 'dedup[spark]')")

from dedup.config import ScanConfig, with_settings  # noqa: E402
from dedup.normalize import normalize_many  # noqa: E402
from dedup.pipeline import candidate_pairs  # noqa: E402
from dedup.readers import read_paths  # noqa: E402
from dedup.sketch import sketch_units  # noqa: E402
from dedup.spark import stages  # noqa: E402
from dedup.units import canonical_order, distinct_units  # noqa: E402


def _units(path: str, config: ScanConfig) -> list[str]:
    documents = canonical_order(read_paths([path]))
    texts = [p.text for d in documents for p in d.paragraphs]
    return distinct_units(normalize_many(texts, config.normalize)).texts


def _parts(table: pa.Table, size: int) -> Iterator[pa.RecordBatch]:
    for start in range(0, table.num_rows, size):
        yield from table.slice(start, size).to_batches()


@pytest.mark.parametrize("max_bucket", [2, 64])
@pytest.mark.parametrize("partitions", [1, 3])
@pytest.mark.parametrize("batch", [1, 7, 100_000])
def test_sketched_partitions_give_the_embedded_pairs_and_weights(
    excerpt_path: str, max_bucket: int, partitions: int, batch: int
) -> None:
    """Units sketched in partitions, their band rows grouped by key and cut into batches of
    any size: the candidate pairs and weights of the whole excerpt, sketched at once."""
    config = with_settings(ScanConfig(), {"max_bucket": max_bucket})
    texts = _units(excerpt_path, config)
    # Units named by a number that grows with their row, as positions do.
    names = np.arange(len(texts), dtype=np.int64) * 10 + 3
    rows = []
    for part in np.array_split(np.arange(len(texts)), partitions):
        units = pa.record_batch(
            [pa.array(names[part]), pa.array([texts[i] for i in part.tolist()])],
            names=["unit", "norm"],
        )
        rows += list(stages.sketch_rows([units], config))
    sketched = pa.Table.from_batches(rows)
    keys = sketched.filter(pa.compute.less_equal(sketched.column("table"), stages.RUN_KEY))
    keys = keys.sort_by([(name, "ascending") for name in ("table", "band", "key", "unit", "seq")])
    found = pa.Table.from_batches(
        list(stages.bucket_pairs(_parts(keys, batch), config.candidates)), schema=stages.PAIRS
    )
    pairs = {(a, b) for a, b in zip(*(found.column(n).to_pylist() for n in "ab"), strict=True)}

    whole = sketch_units(texts, config.shingle, config.sketch, config.candidates)
    expected = {(int(names[a]), int(names[b])) for a, b in candidate_pairs(whole, config).tolist()}
    assert pairs == expected
    frequencies = sketched.filter(pa.compute.equal(sketched.column("table"), stages.FREQUENCY))
    counted = sketched.filter(pa.compute.equal(sketched.column("table"), stages.SKETCHED_UNITS))
    summed = frequencies.group_by("shingle").aggregate([("count", "sum")])
    weights = stages.weights_of(
        summed.rename_columns(["shingle", "count"]), pa.compute.sum(counted.column("count")).as_py()
    )
    assert np.array_equal(weights.hashes, whole.weights.hashes)
    assert np.array_equal(weights.counts, whole.weights.counts)
    assert weights.units == whole.weights.units


def test_documents_round_trip(seed_path: str, excerpt_path: str, clough_dir: object) -> None:
    """Documents through Arrow rows and back are the same records."""
    documents = list(read_paths([seed_path, excerpt_path, str(clough_dir)]))
    table = pa.Table.from_batches([stages.document_batch(documents)])
    back, skipped = stages.documents_of(table)
    assert back == documents
    assert skipped == []


def test_run_ranks() -> None:
    ranks = stages._run_ranks(np.array([7, 7, 9, 7, 7, 7]))
    assert ranks.tolist() == [0, 1, 0, 0, 1, 2]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("file:/data/wire/a/b.jsonl", ("/in/wire/a/b.jsonl", True)),
        ("file:/data/wires/b.jsonl", ("file:/data/wires/b.jsonl", False)),
        ("file:/data/one.jsonl", ("one.jsonl", False)),
    ],
    ids=["inside", "a-neighbour-with-the-same-prefix", "a-named-file"],
)
def test_sources_as_named(path: str, expected: tuple[str, bool]) -> None:
    """A file found under a named folder is named after the folder as the user wrote it."""
    roots = [
        stages.Root("file:/data/wire", "/in/wire", is_file=False),
        stages.Root("file:/data/one.jsonl", "one.jsonl", is_file=True),
    ]
    assert stages.source_of(path, roots) == expected
