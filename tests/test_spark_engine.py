"""The Spark engine gives the embedded engine's report: same clusters, canonical members and
scores, byte for byte in JSON (Spark in local mode; skipped where pyspark or Java is absent)."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from dedup.cli import main
from dedup.config import ScanConfig, with_settings
from dedup.errors import InputError
from dedup.pipeline import scan
from dedup.records import Report
from dedup.report import render

pytest.importorskip("pyspark", reason="pyspark is not installed (pip install 'dedup[spark]')")

from dedup.spark.engine import scan_spark

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def _json(report: Report) -> str:
    """The JSON report without the wall time (it varies run to run)."""
    return render(replace(report, seconds=None), "json")


def _same(spark: Any, paths: list[str], config: ScanConfig | None = None) -> Report:
    config = config or ScanConfig()
    embedded = scan(paths, config)
    on_spark = scan_spark(spark, paths, config)
    assert _json(on_spark) == _json(embedded)
    return on_spark


def test_seed(spark: Any, seed_path: str) -> None:
    report = _same(spark, [seed_path])
    lines = sorted(sorted(m.paragraph.line for m in c.members) for c in report.clusters)
    assert lines == [[11, 15, 26], [12, 27], [13, 28]]


def test_clough_fixture(spark: Any, clough_dir: Path) -> None:
    report = _same(spark, [str(clough_dir)])
    assert report.clusters


def test_partial_stars_sharing_a_first_paragraph(spark: Any) -> None:
    """Clough-Stevenson task c: two partial clusters start at one paragraph, twice; they are
    numbered, and their members kept apart, as the embedded engine does."""
    report = _same(spark, [str(FIXTURES / "clough-taskc")])
    starts = Counter(
        (c.members[0].paragraph.doc, c.members[0].paragraph.index, c.kind) for c in report.clusters
    )
    assert sum(count > 1 for count in starts.values()) == 2


def test_reuters_excerpt(spark: Any, excerpt_path: str) -> None:
    report = _same(spark, [excerpt_path])
    assert {c.kind.value for c in report.clusters} >= {"exact", "near", "boilerplate"}


def test_clough_stevenson(spark: Any, shared_corpora: Path) -> None:
    report = _same(spark, [str(shared_corpora / "clough-stevenson")])
    assert len(report.clusters) > 30


@pytest.mark.parametrize(
    "settings",
    [
        {"max_bucket": 2},
        {"sentence_num_perm": 0},
        {"shingle_kind": "word", "shingle_size": 3, "min_words": 4},
    ],
    ids=["chained-buckets", "no-sentences", "word-shingles"],
)
def test_settings(spark: Any, excerpt_path: str, settings: dict[str, Any]) -> None:
    """Large buckets linked as chains and stars, other shingles, no sentence bands: the same."""
    _same(spark, [excerpt_path], with_settings(ScanConfig(), settings))


def test_any_order_of_inputs(spark: Any, seed_path: str, clough_dir: Path) -> None:
    """Inputs named in another order give the same report (canonical order)."""
    first = scan_spark(spark, [seed_path, str(clough_dir)], ScanConfig())
    second = scan_spark(spark, [str(clough_dir), seed_path], ScanConfig())
    assert _json(first) == _json(second)


def _records(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def test_hadoop_folder_of_json_lines(spark: Any, excerpt_path: str, tmp_path: Path) -> None:
    """A folder read by Spark itself (a file: URI, as hdfs:// or s3a:// would be): the same
    clusters, the files named by the URI given."""
    records = _records(Path(excerpt_path))
    folder = tmp_path / "wire"
    (folder / "day2").mkdir(parents=True)
    half = len(records) // 2
    for name, part in (("day1.jsonl", records[:half]), ("day2/all.jsonl", records[half:])):
        (folder / name).write_text("".join(json.dumps(r) + "\n" for r in part), encoding="utf-8")
    (folder / "_SUCCESS").write_text("", encoding="utf-8")
    uri = folder.as_uri()
    on_spark = scan_spark(spark, [uri], ScanConfig())
    embedded = scan([str(folder)], ScanConfig())
    assert _json(on_spark) == _json(embedded).replace(f'"{folder}/', f'"{uri}/')
    assert {d.source for d in on_spark.documents} == {f"{uri}/day1.jsonl", f"{uri}/day2/all.jsonl"}


def test_parquet_records(spark: Any, excerpt_path: str, tmp_path: Path) -> None:
    """A Parquet table of records (id, paragraphs or text, title, date) reads as the same
    records in JSON Lines do."""
    records = _records(Path(excerpt_path))
    for number, record in enumerate(records):
        if number % 2 and "paragraphs" in record:
            record["text"] = "\n\n".join(record.pop("paragraphs"))
    table = tmp_path / "wire.parquet"
    spark.createDataFrame(
        [
            (str(r["id"]), r.get("text"), r.get("paragraphs"), r.get("title"), r.get("date"))
            for r in records
        ],
        "id string, text string, paragraphs array<string>, title string, date string",
    ).coalesce(1).write.parquet(str(table))
    lines = tmp_path / "wire.jsonl"
    lines.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    on_spark = scan_spark(spark, [str(table)], ScanConfig())
    embedded = scan([str(lines)], ScanConfig())
    (part,) = {d.source for d in on_spark.documents}
    assert part.startswith(f"{table}/part-") and part.endswith(".parquet")
    assert _json(on_spark) == _json(embedded).replace(f'"{lines}"', f'"{part}"')


def test_parquet_without_text(spark: Any, tmp_path: Path) -> None:
    table = tmp_path / "bad.parquet"
    spark.createDataFrame([("a", "t")], "id string, title string").write.parquet(str(table))
    with pytest.raises(InputError, match="needs the columns id and text or paragraphs"):
        scan_spark(spark, [str(table)], ScanConfig())


def test_duplicate_ids_across_inputs(spark: Any, seed_path: str, tmp_path: Path) -> None:
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    first.write_text('{"id": "x", "text": "One."}\n', encoding="utf-8")
    second.write_text('{"id": "x", "text": "Two."}\n', encoding="utf-8")
    with pytest.raises(InputError, match="document id 'x' appears twice"):
        scan_spark(spark, [str(first), second.as_uri()], ScanConfig())


def test_missing_hadoop_path(spark: Any, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file or folder"):
        scan_spark(spark, [(tmp_path / "none").as_uri()], ScanConfig())


def test_malformed_record_on_an_executor(spark: Any, tmp_path: Path) -> None:
    """A reader's error raised on an executor reaches the user as the same one line."""
    from dedup.spark.session import spark_errors

    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "text": "Fine."}\n{"id": "b"}\n', encoding="utf-8")
    expected = r'bad.jsonl:2: a record needs "text" or "paragraphs"'
    with pytest.raises(InputError, match=expected), spark_errors():
        scan_spark(spark, [bad.as_uri()], ScanConfig())


def test_cli_report_and_clusters_table(spark: Any, seed_path: str, tmp_path: Path) -> None:
    """``dedup scan --engine spark``: the embedded engine's JSON report, and the clusters as a
    Parquet table, one row per member."""
    report, table = tmp_path / "seed.json", tmp_path / "clusters.parquet"
    runner = CliRunner()
    result = runner.invoke(
        main,
        [
            "scan",
            "--engine",
            "spark",
            seed_path,
            "--format",
            "json",
            "-o",
            str(report),
            "--clusters-parquet",
            str(table),
        ],
    )
    assert result.exit_code == 0, result.output
    embedded = runner.invoke(main, ["scan", seed_path, "--format", "json"])
    assert report.read_text(encoding="utf-8") == embedded.stdout
    rows = spark.read.parquet(str(table)).orderBy("cluster", "doc", "index").collect()
    data = json.loads(embedded.stdout)
    expected = sorted(
        (c["id"], m["doc"], m["index"], m["line"], m["relation"], m["unit"], n == c["canonical"])
        for c in data["clusters"]
        for n, m in enumerate(c["members"])
    )
    columns = ("cluster", "doc", "index", "line", "relation", "unit", "canonical")
    found = sorted(tuple(row[name] for name in columns) for row in rows)
    assert found == expected
    assert not [p for p in tmp_path.iterdir() if ".partial-" in p.name]


def test_cli_refuses_an_existing_clusters_table(seed_path: str, tmp_path: Path) -> None:
    table = tmp_path / "clusters.parquet"
    table.mkdir()
    result = CliRunner().invoke(
        main, ["scan", "--engine", "spark", seed_path, "--clusters-parquet", str(table)]
    )
    assert result.exit_code == 2
    assert "already exists" in result.stderr


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--spark-master", "local[2]"], "--spark-master needs --engine spark"),
        (["--clusters-parquet", "x.parquet"], "--clusters-parquet needs --engine spark"),
        (["--engine", "spark", "--spark-conf", "spark.executor.memory"], "takes KEY=VALUE"),
        (["--engine", "spark", "missing.txt"], "missing.txt: no such file or folder"),
    ],
    ids=["master-alone", "parquet-alone", "conf-without-value", "missing-input"],
)
def test_cli_usage_errors(seed_path: str, arguments: list[str], message: str) -> None:
    paths = [] if "missing.txt" in arguments else [seed_path]
    result = CliRunner().invoke(main, ["scan", *paths, *arguments])
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_without_java(seed_path: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A machine without Java: one line that says what to install."""
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    result = CliRunner().invoke(main, ["scan", "--engine", "spark", seed_path])
    assert result.exit_code == 2
    assert "needs Java 17 or later" in result.stderr
    assert shutil.which("java") is None


def test_tasks_sketch_with_their_cores(spark: Any) -> None:
    """On an executor, the compiled kernels of a task use the cores Spark gives a task."""

    # Defined here, so that it travels to the executors by value.
    def threads_of_task(batches: Any) -> Any:
        import os

        import pyarrow as pa

        from dedup.sketch import THREADS_VARIABLE
        from dedup.spark.stages import task_threads

        task_threads()
        for _ in batches:
            pass
        yield pa.record_batch([pa.array([os.environ[THREADS_VARIABLE]])], names=["threads"])

    frame = spark.range(4, numPartitions=2).mapInArrow(threads_of_task, "threads string")
    assert {row.threads for row in frame.collect()} == {spark.conf.get("spark.task.cpus", "1")}
