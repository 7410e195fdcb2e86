"""The Spark engine beside the embedded one on one corpus: time, the same report, and where
Spark's work and shuffle go.

Both run as ``dedup scan CORPUS --format json`` child processes, one after the
other, in one run: the embedded engine, then ``--engine spark`` on a local
master (``local[2]`` by default) with Spark's event log on. The two reports are
compared without their wall time; the event log gives, per part of the scan
(the job descriptions ``dedup: ...``), the jobs' wall time, the tasks' time,
the longest task and the shuffle written, per paragraph too. With
``--buckets``, the band-key table of the corpus is also built in this process
by the engine's own stages, to size the largest LSH bucket.

    python benchmarks/spark.py                                   # Reuters-21578, local[2]
    python benchmarks/spark.py --synthetic 1000000 --spark-conf spark.driver.memory=4g
    python benchmarks/spark.py --limit 20000 --repeat 2 --buckets
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

from common import (
    DATA_DIR,
    DEFAULT_CORPUS,
    PROJECT_ROOT,
    dedup_command,
    run_measured,
    write_limited_corpus,
)
from speed import environment, synthetic_corpus, write_results


def _report(path: Path) -> dict[str, Any]:
    report = json.loads(path.read_text(encoding="utf-8"))
    report["stats"].pop("seconds", None)
    return report


#: Peak memory metrics of Spark's event log, as the columns they fill (MB).
_MEMORY = {
    "JVMHeapMemory": "jvm_heap_mb",
    "ProcessTreeJVMRSSMemory": "jvm_rss_mb",
    "ProcessTreePythonRSSMemory": "python_rss_mb",
}


def phases(events: Path) -> dict[str, dict[str, float]]:
    """Per job description: jobs, wall seconds, task seconds, longest task, shuffle written."""
    stage_phase: dict[int, str] = {}
    totals: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    started: dict[int, tuple[str, int]] = {}
    for line in events.read_text(encoding="utf-8").splitlines():
        event = json.loads(line)
        kind = event["Event"]
        if kind == "SparkListenerJobStart":
            name = (event.get("Properties") or {}).get("spark.job.description") or "other"
            started[event["Job ID"]] = (name, event["Submission Time"])
            for stage in event["Stage IDs"]:
                stage_phase.setdefault(stage, name)
            totals[name]["jobs"] += 1
        elif kind == "SparkListenerJobEnd":
            name, submitted = started[event["Job ID"]]
            totals[name]["wall_s"] += (event["Completion Time"] - submitted) / 1000
        elif kind == "SparkListenerStageExecutorMetrics":
            name = stage_phase.get(event["Stage ID"], "other")
            for metric, key in _MEMORY.items():
                value = event["Executor Metrics"].get(metric, 0) / 2**20
                totals[name][key] = max(totals[name][key], value)
        elif kind == "SparkListenerTaskEnd" and event.get("Task Metrics"):
            metrics = event["Task Metrics"]
            name = stage_phase.get(event["Stage ID"], "other")
            seconds = metrics["Executor Run Time"] / 1000
            totals[name]["tasks"] += 1
            totals[name]["task_s"] += seconds
            totals[name]["longest_task_s"] = max(totals[name]["longest_task_s"], seconds)
            written = metrics.get("Shuffle Write Metrics") or {}
            totals[name]["shuffle_mb"] += written.get("Shuffle Bytes Written", 0) / 2**20
            totals[name]["shuffle_records"] += written.get("Shuffle Records Written", 0)
            totals[name]["peak_task_memory_mb"] = max(
                totals[name]["peak_task_memory_mb"], metrics.get("Peak Execution Memory", 0) / 2**20
            )
    return {name: dict(values) for name, values in totals.items()}


def largest_buckets(corpus: Path) -> dict[str, Any]:
    """The largest LSH buckets of the corpus's band-key tables, built by the engine's stages."""
    import numpy as np

    from dedup.config import ScanConfig
    from dedup.normalize import normalize_many
    from dedup.readers import read_paths
    from dedup.sketch import sketch_units
    from dedup.units import canonical_order, distinct_units

    config = ScanConfig()
    documents = canonical_order(read_paths([str(corpus)]))
    texts = [p.text for d in documents for p in d.paragraphs]
    units = distinct_units(normalize_many(texts, config.normalize))
    sketched = sketch_units(units.texts, config.shingle, config.sketch, config.candidates)
    found: dict[str, Any] = {"paragraphs": len(texts), "units": len(units)}
    for name, table in (("paragraph", sketched.paragraphs), ("sentence", sketched.sentences)):
        sizes = np.concatenate(
            [np.unique(table.keys[:, band], return_counts=True)[1] for band in range(table.bands)]
        )
        large = sizes[sizes > config.candidates.max_bucket]
        found[name] = {
            "rows": int(len(table) * table.bands),
            "largest_bucket": int(sizes.max()) if len(sizes) else 0,
            "buckets_over_max": len(large),
            "rows_in_buckets_over_max": int(large.sum()),
        }
    found["distinct_shingles"] = len(sketched.weights)
    return found


def _largest_cluster(report: dict[str, Any]) -> dict[str, int]:
    sizes = [
        (len(c["members"]), len({m["unit"] for m in c["members"]})) for c in report["clusters"]
    ]
    members, units = max(sizes, default=(0, 0))
    return {"members": members, "units": units}


def run(args: argparse.Namespace) -> int:
    command, reason = dedup_command()
    if command is None:
        print(f"skipped: {reason}", file=sys.stderr)
        return 0
    if args.synthetic:
        corpus = synthetic_corpus(args.synthetic)
    elif args.limit:
        corpus = DATA_DIR / f"{args.corpus.stem}-{args.limit}.jsonl"
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        write_limited_corpus(args.corpus, args.limit, corpus)
    else:
        corpus = args.corpus
    if not corpus.exists():
        print(
            f"skipped: corpus {corpus} not found (--corpus PATH or --synthetic N)", file=sys.stderr
        )
        return 0
    conf = [item for pair in args.spark_conf for item in ("--spark-conf", pair)]
    runs = []
    with tempfile.TemporaryDirectory(prefix="dedup-spark-bench-") as tmp:
        work = Path(tmp)
        for attempt in range(args.repeat):
            events = work / f"events-{attempt}"
            events.mkdir()
            outputs = {name: work / f"{name}-{attempt}.json" for name in ("embedded", "spark")}
            embedded = run_measured(
                [*command, "scan", str(corpus), "--format", "json", "-o", str(outputs["embedded"])],
                args.timeout,
                cwd=PROJECT_ROOT,
            )
            spark = run_measured(
                [
                    *command,
                    "scan",
                    "--engine",
                    "spark",
                    "--spark-master",
                    args.master,
                    *conf,
                    "--spark-conf",
                    "spark.eventLog.enabled=true",
                    "--spark-conf",
                    f"spark.eventLog.dir={events.as_uri()}",
                    # One plain file of JSON lines, read below.
                    "--spark-conf",
                    "spark.eventLog.rolling.enabled=false",
                    "--spark-conf",
                    "spark.eventLog.compress=false",
                    # Peak memory of the JVM and its Python workers, per stage.
                    "--spark-conf",
                    "spark.eventLog.logStageExecutorMetrics=true",
                    "--spark-conf",
                    "spark.executor.processTreeMetrics.enabled=true",
                    str(corpus),
                    "--format",
                    "json",
                    "-o",
                    str(outputs["spark"]),
                ],
                args.timeout,
                cwd=PROJECT_ROOT,
            )
            for name, measured in (("embedded", embedded), ("spark", spark)):
                if measured.returncode != 0:
                    print(
                        f"{name} failed ({measured.returncode}):\n{measured.stderr}",
                        file=sys.stderr,
                    )
                    return 1
            reports = {name: _report(path) for name, path in outputs.items()}
            (log,) = events.iterdir()
            paragraphs = reports["embedded"]["stats"]["paragraphs"]
            runs.append(
                {
                    "embedded": {"wall_s": embedded.wall_s, "peak_mb": embedded.peak_rss_mb},
                    "spark": {"wall_s": spark.wall_s, "driver_peak_mb": spark.peak_rss_mb},
                    "same_report": reports["embedded"] == reports["spark"],
                    "clusters": reports["embedded"]["stats"]["clusters"],
                    "paragraphs": paragraphs,
                    "largest_cluster": _largest_cluster(reports["embedded"]),
                    "phases": phases(log),
                }
            )
            _print_run(runs[-1], args.master)
    payload: dict[str, Any] = {
        "corpus": str(corpus),
        "master": args.master,
        "spark_conf": args.spark_conf,
        "runs": runs,
        "environment": environment(),
    }
    if args.buckets:
        payload["buckets"] = largest_buckets(corpus)
        print(json.dumps(payload["buckets"], indent=2))
    path = write_results(f"spark-{corpus.stem}", payload)
    print(f"results: {path.relative_to(PROJECT_ROOT)}")
    return 0 if all(r["same_report"] for r in runs) else 1


def _print_run(result: dict[str, Any], master: str) -> None:
    embedded, spark = result["embedded"], result["spark"]
    paragraphs = result["paragraphs"]
    print(
        f"\n{paragraphs:,} paragraphs, {result['clusters']:,} clusters; same report: "
        f"{'yes' if result['same_report'] else 'NO'}\n"
        f"embedded {embedded['wall_s']:.1f} s ({embedded['peak_mb']:,.0f} MB); "
        f"spark {master} {spark['wall_s']:.1f} s (driver {spark['driver_peak_mb']:,.0f} MB); "
        f"ratio {spark['wall_s'] / embedded['wall_s']:.1f}\n"
    )
    print(
        "| part | jobs | wall s | task s | longest task s | shuffle MB | shuffle B/para "
        "| JVM heap MB | JVM RSS MB | Python workers RSS MB |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, values in result["phases"].items():
        print(
            f"| {name} | {values.get('jobs', 0):.0f} | {values.get('wall_s', 0):.1f} "
            f"| {values.get('task_s', 0):.1f} | {values.get('longest_task_s', 0):.2f} "
            f"| {values.get('shuffle_mb', 0):,.1f} "
            f"| {values.get('shuffle_mb', 0) * 2**20 / paragraphs:,.0f} "
            f"| {values.get('jvm_heap_mb', 0):,.0f} | {values.get('jvm_rss_mb', 0):,.0f} "
            f"| {values.get('python_rss_mb', 0):,.0f} |"
        )


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="JSONL corpus")
    parser.add_argument("--limit", type=int, help="only the first N paragraphs of --corpus")
    parser.add_argument("--synthetic", type=int, help="generated wire copy of N paragraphs")
    parser.add_argument("--master", default="local[2]", help="Spark master (default local[2])")
    parser.add_argument(
        "--spark-conf", action="append", default=[], metavar="KEY=VALUE", help="(repeatable)"
    )
    parser.add_argument("--repeat", type=int, default=1, help="runs of the pair (default 1)")
    parser.add_argument("--buckets", action="store_true", help="also size the largest buckets")
    parser.add_argument("--timeout", type=float, default=7200, help="seconds per run")
    return parser.parse_args(argv)


if __name__ == "__main__":
    sys.exit(run(parse_args()))
