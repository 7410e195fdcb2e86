"""Benchmarks of the persistent index: what a desk checking incoming copy against its archive
gets, how closely it agrees with a batch scan, and how fast it is.

Three parts, each printing Markdown tables and writing ``benchmarks/results/index-*.json``:

``quality``
    Archive 5,000 real Reuters-21578 dispatches (``dedup index add``), then check 300
    incoming ones (``dedup check --index``, timed from the command line): half of them
    noisy reprints of archived dispatches (``reprints.reprint``: abridged, OCR noise, a
    sentence dropped, a new lede, datelines and house style changed; no paragraphs run
    together), half never seen. Scores: the share of reprinted paragraphs (8+ words) put in
    an exact, near or partial cluster with the archived paragraph they came from (or a
    copy of its text), and the share of paragraphs never seen put in an exact or near
    cluster with an archived paragraph. Then the same check in-process against a scan of
    archive and incoming together: the pairs involving incoming paragraphs (cluster kind,
    both members' relations and scores, the canonical) that are the same, by kind.

``speed``
    ``dedup index add`` of all Reuters-21578 beside ``dedup scan`` of it (whole commands,
    one after the other, two rounds), the index file's size; then, inside one process, the
    latency of checking one dispatch (the 300 incoming ones) against that index, through
    SQLite and through Redis; and ``dedup watch``: how long after a file is dropped its
    report is written.

``million``
    A synthetic archive of a million paragraphs (``synthetic.py``): add time and size, and
    the latency of checking the next 300 dispatches of the same news cycle against it.

Usage::

    python benchmarks/index.py quality
    python benchmarks/index.py speed [--redis redis://127.0.0.1:6379/0]
    python benchmarks/index.py million
    python benchmarks/index.py all

Without ``--redis``, a ``redis-server`` is started on a free loopback port when one is
installed (and the Redis figures are skipped when none is). Timings are taken on whatever
else the machine is doing: compare figures of one run.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
from common import DATA_DIR, DEFAULT_CORPUS, PROJECT_ROOT, Measurement, iter_records, run_measured
from reprints import Knobs, load_corpus, near_identical, normalize_text, reprint, word_count
from speed import dedup_command, environment, synthetic_corpus, write_results

from dedup.config import ScanConfig
from dedup.incoming import check_documents, index_documents
from dedup.pipeline import scan_documents
from dedup.readers import read_paths
from dedup.records import Document, Pairing, Place
from dedup.store import open_store

MIN_WORDS = 8
CONTENT = frozenset({"exact", "near", "partial"})


# --------------------------------------------------------------------------- the desk


@dataclass(frozen=True, slots=True)
class Desk:
    """An archive of Reuters dispatches and the incoming copy checked against it.

    ``origins[(incoming id, index)]`` is the normalised text of the archived paragraph a
    reprinted paragraph came from; ``unseen`` holds the places of incoming paragraphs whose
    text the archive never ran (nor a near-identical one).
    """

    archive: list[dict[str, Any]]
    incoming: list[dict[str, Any]]
    origins: dict[Place, str]
    unseen: set[Place]
    archive_file: Path
    incoming_file: Path


def build_desk(corpus: Path, seed: int, archived: int, incoming: int) -> Desk:
    """Pick the archive and make the incoming copy (half reprints, half never seen)."""
    rng = random.Random(seed)
    records = [r for r in load_corpus(corpus) if r["paragraphs"]]
    rng.shuffle(records)
    archive, rest = records[:archived], records[archived:]
    unseen_records = rest[: incoming // 2]
    spare_ledes = iter(r for r in rest[incoming // 2 :] if word_count(r["paragraphs"][0]) >= 15)
    knobs = Knobs(merge=0.0)
    printed = []
    for source in rng.sample(archive, incoming - incoming // 2):
        printed.append((source, reprint(source, spare_ledes, knobs, rng)))
    archived_ids = {r["id"] for r in archive}
    copy: list[dict[str, Any]] = []
    origins: dict[Place, str] = {}
    candidates: dict[Place, str] = {}
    for number, (source, done) in enumerate(printed, start=1):
        doc = f"incoming-{number:03d}"
        copy.append({"id": doc, "title": done.title, "paragraphs": [p.text for p in done.paras]})
        for index, paragraph in enumerate(done.paras):
            if word_count(paragraph.text) < MIN_WORDS:
                continue
            if paragraph.origin and paragraph.origin[0] in archived_ids:
                text = source["paragraphs"][paragraph.origin[1]]
                origins[(doc, index)] = normalize_text(text)
            elif paragraph.origin:  # a new lede, from a dispatch not archived
                candidates[(doc, index)] = paragraph.text
    for number, record in enumerate(unseen_records, start=len(printed) + 1):
        doc = f"incoming-{number:03d}"
        copy.append({"id": doc, "title": record["title"], "paragraphs": record["paragraphs"]})
        for index, text in enumerate(record["paragraphs"]):
            if word_count(text) >= MIN_WORDS:
                candidates[(doc, index)] = text
    # Reuters re-sent and corrected its own stories: a paragraph "never seen" whose text
    # (or a near-identical one) the archive holds is no false positive when matched.
    archived_texts = [p for r in archive for p in r["paragraphs"]]
    groups = near_identical([*archived_texts, *candidates.values()])
    archived_groups = {groups[normalize_text(t)] for t in archived_texts}
    unseen = {
        place
        for place, text in candidates.items()
        if groups[normalize_text(text)] not in archived_groups
    }
    archive_file = DATA_DIR / f"index-archive-{seed}.jsonl"
    incoming_file = DATA_DIR / f"index-incoming-{seed}.jsonl"
    write_jsonl(archive_file, archive)
    write_jsonl(incoming_file, copy)
    return Desk(archive, copy, origins, unseen, archive_file, incoming_file)


def write_jsonl(path: Path, records: Sequence[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def command() -> list[str]:
    """How to run dedup here (the installed script, else ``python -m dedup``)."""
    found, why_not = dedup_command()
    if found is None:
        raise SystemExit(why_not)
    return found


def dedup(*args: str, timeout: float = 7200) -> Measurement:
    """Run the dedup command line, measured (wall time and peak memory)."""
    measured = run_measured([*command(), *args], timeout, PROJECT_ROOT)
    if measured.returncode not in (0, 1):
        raise SystemExit(f"dedup {' '.join(args)} failed:\n{measured.stderr[-2000:]}")
    return measured


def file_size(path: Path) -> int:
    """An index file's size, with its write-ahead log."""
    return sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())


def fresh_path(name: str) -> Path:
    path = DATA_DIR / name
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)
    return path


# --------------------------------------------------------------------------- quality


def placed_with(report: dict[str, Any]) -> dict[Place, list[tuple[str, Place]]]:
    """For every member of a report: its clusters' kinds and the other members."""
    found: dict[Place, list[tuple[str, Place]]] = {}
    for cluster in report["clusters"]:
        places = [(m["doc"], m["index"]) for m in cluster["members"]]
        for place in places:
            found.setdefault(place, []).extend((cluster["kind"], p) for p in places if p != place)
    return found


def agreement(
    scanned: dict[tuple[Place, Place], Pairing], checked: dict[tuple[Place, Place], Pairing]
) -> dict[str, Any]:
    """How many of a scan's pairs a check gives the same (the cluster's kind, both members'
    relations and scores, the canonical), overall and by kind."""
    by_kind: dict[str, list[int]] = {}
    for key, value in scanned.items():
        counts = by_kind.setdefault(value.kind.value, [0, 0])
        counts[0] += 1
        counts[1] += checked.get(key) == value
    same = sum(same for _, same in by_kind.values())
    content = [by_kind.get(kind, [0, 0]) for kind in ("exact", "near", "partial", "figures")]
    return {
        "scan_pairs": len(scanned),
        "same": same,
        "share": same / max(1, len(scanned)),
        "content_share": sum(s for _, s in content) / max(1, sum(n for n, _ in content)),
        "check_only": len(set(checked) - set(scanned)),
        "by_kind": {kind: {"pairs": n, "same": s} for kind, (n, s) in sorted(by_kind.items())},
    }


def run_quality(args: argparse.Namespace) -> dict[str, Any]:
    """Archive, incoming copy, the command-line check, and its agreement with a scan."""
    desk = build_desk(args.corpus, args.seed, args.archive, args.incoming)
    index = fresh_path(f"index-archive-{args.seed}.db")
    added = dedup("index", "add", "--index", str(index), str(desk.archive_file))
    report_file = DATA_DIR / f"index-check-{args.seed}.json"
    checked = dedup(
        "check",
        "--index",
        str(index),
        str(desk.incoming_file),
        "--format",
        "json",
        "-o",
        str(report_file),
        "--fail-on",
        "none",
    )
    report = json.loads(report_file.read_text(encoding="utf-8"))
    placed = placed_with(report)
    archived = {r["id"]: r for r in desk.archive}
    matched = matched_near = 0
    for place, origin in desk.origins.items():
        partners = {
            kind
            for kind, (doc, index_) in placed.get(place, [])
            if doc in archived and normalize_text(archived[doc]["paragraphs"][index_]) == origin
        }
        matched += bool(partners & CONTENT)
        matched_near += bool(partners & {"exact", "near"})
    false = sum(
        any(kind in ("exact", "near") and doc in archived for kind, (doc, _) in placed.get(p, []))
        for p in desk.unseen
    )
    print(f"\n### Incoming copy against {len(desk.archive):,} archived dispatches\n")
    print("| measure | value |\n|---|---:|")
    print(f"| reprinted paragraphs (8+ words) | {len(desk.origins):,} |")
    print(
        f"| ... matched to their archived paragraph (exact, near or partial) | "
        f"{matched / len(desk.origins):.1%} |"
    )
    print(f"| ... matched as exact or near | {matched_near / len(desk.origins):.1%} |")
    print(f"| paragraphs never seen (8+ words) | {len(desk.unseen):,} |")
    print(
        f"| ... put in an exact or near cluster with an archived one | "
        f"{false / max(1, len(desk.unseen)):.2%} ({false}) |"
    )
    print(f"| `dedup index add` of the archive, s | {added.wall_s:.2f} |")
    print(
        f"| `dedup check --index` of the {len(desk.incoming)} incoming, s | {checked.wall_s:.2f} |"
    )
    same = same_as_scan(desk, index)
    return {
        "archive": len(desk.archive),
        "incoming": len(desk.incoming),
        "reprinted_paragraphs": len(desk.origins),
        "matched": matched,
        "matched_exact_or_near": matched_near,
        "unseen_paragraphs": len(desk.unseen),
        "unseen_in_exact_or_near": false,
        "add_seconds": added.wall_s,
        "check_seconds": checked.wall_s,
        "check_peak_mb": checked.peak_rss_mb,
        "same_as_scan": same,
    }


def same_as_scan(desk: Desk, index: Path) -> dict[str, Any]:
    """The check in-process (every copy listed, then the default), beside a scan of all."""
    config = ScanConfig()
    archive = list(read_paths([str(desk.archive_file)]))
    incoming = list(read_paths([str(desk.incoming_file)]))
    names = {d.id for d in incoming}
    scanned = scan_documents([*archive, *incoming], config).pairs(names)
    store = open_store(str(index))
    try:
        every = store.snapshot(lambda: check_documents(incoming, store, config, None))
        listed = store.snapshot(lambda: check_documents(incoming, store, config))
    finally:
        store.close()
    results = {
        "every_copy": agreement(scanned, every.pairs(names)),
        "default": agreement(scanned, listed.pairs(names)),
    }
    print("\n### The same answer as a scan of archive and incoming together\n")
    print("| kind | scan pairs | same, every copy listed | same, default (50 copies) |")
    print("|---|---:|---:|---:|")
    kinds = results["every_copy"]["by_kind"]
    for kind in sorted(kinds):
        whole, default = kinds[kind], results["default"]["by_kind"][kind]
        print(
            f"| {kind} | {whole['pairs']:,} | {whole['same'] / whole['pairs']:.1%} | "
            f"{default['same'] / default['pairs']:.1%} |"
        )
    for name in ("share", "content_share"):
        print(
            f"| **all** ({'every kind' if name == 'share' else 'exact, near, partial, figures'}) "
            f"| | {results['every_copy'][name]:.2%} | {results['default'][name]:.2%} |"
        )
    return results


# --------------------------------------------------------------------------- speed


def latencies(location: str, documents: Sequence[Document]) -> dict[str, float]:
    """Milliseconds to check each document alone against the index, in this process: wall
    time, and the processor time of this process (what a busy machine does not inflate)."""
    store = open_store(location)
    config = ScanConfig()
    try:
        store.snapshot(lambda: check_documents(documents[:1], store, config))  # warm-up
        wall, cpu = [], []
        for document in documents:
            started, used = time.perf_counter(), time.process_time()
            store.snapshot(partial(check_documents, [document], store, config))
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - used) * 1000)
    finally:
        store.close()
    p50, p90, p99 = np.percentile(wall, [50, 90, 99])
    cpu50, cpu99 = np.percentile(cpu, [50, 99])
    return {
        "checks": len(wall),
        "p50_ms": p50,
        "p90_ms": p90,
        "p99_ms": p99,
        "max_ms": max(wall),
        "cpu_p50_ms": cpu50,
        "cpu_p99_ms": cpu99,
    }


@contextmanager
def redis_server(url: str | None) -> Iterator[str | None]:
    """``url``, or a redis-server started on a free loopback port (None without one)."""
    if url is not None:
        yield url
        return
    binary = shutil.which("redis-server")
    if binary is None:
        yield None
        return
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with tempfile.TemporaryDirectory() as folder:
        server = subprocess.Popen(
            [
                binary,
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            cwd=folder,
            stdout=subprocess.DEVNULL,
        )
        try:
            time.sleep(0.5)
            yield f"redis://127.0.0.1:{port}/0"
        finally:
            server.terminate()
            server.wait(30)


def watch_delays(index: Path, documents: Sequence[dict[str, Any]]) -> dict[str, float]:
    """Seconds from a file's rename into a watched folder to its report being written."""
    with tempfile.TemporaryDirectory() as folder:
        inbox = Path(folder) / "inbox"
        inbox.mkdir()
        watcher = subprocess.Popen(
            [*command(), "watch", str(inbox), "--index", str(index), "--no-add"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert watcher.stderr is not None
        watcher.stderr.readline()  # "watching ...": ready
        delays = []
        for number, record in enumerate(documents):
            hidden = inbox / f".{number}.jsonl"
            hidden.write_text(json.dumps(record) + "\n", encoding="utf-8")
            report = inbox / "reports" / f"{number}.jsonl.json"
            started = time.perf_counter()
            hidden.rename(inbox / f"{number}.jsonl")
            while not report.exists():
                time.sleep(0.005)
            delays.append(time.perf_counter() - started)
        watcher.send_signal(signal.SIGTERM)
        watcher.communicate(timeout=120)
    return {"files": len(delays), "p50_s": float(np.median(delays)), "max_s": max(delays)}


def run_speed(args: argparse.Namespace) -> dict[str, Any]:
    """Index all of Reuters beside a scan of it; check latency; the watch's delay."""
    rounds = []
    for _ in range(2):
        scan = dedup("scan", str(args.corpus), "--format", "json", "-o", str(DATA_DIR / "s.json"))
        index = fresh_path("index-reuters.db")
        add = dedup("index", "add", "--index", str(index), str(args.corpus))
        rounds.append((scan, add, file_size(index)))
    print("\n### Indexing Reuters-21578 (19,043 dispatches, 106,023 paragraphs)\n")
    print("| round | `dedup scan` s | `dedup index add` s | ratio | add peak MB | file MB |")
    print("|---:|---:|---:|---:|---:|---:|")
    for number, (scan, add, size) in enumerate(rounds, start=1):
        print(
            f"| {number} | {scan.wall_s:.2f} | {add.wall_s:.2f} | {add.wall_s / scan.wall_s:.2f} "
            f"| {add.peak_rss_mb:.0f} | {size / 1e6:.0f} |"
        )
    desk = build_desk(args.corpus, args.seed, args.archive, args.incoming)
    incoming = list(read_paths([str(desk.incoming_file)]))
    results: dict[str, Any] = {
        "rounds": [
            {"scan_s": s.wall_s, "add_s": a.wall_s, "add_peak_mb": a.peak_rss_mb, "bytes": b}
            for s, a, b in rounds
        ],
        "sqlite": latencies(str(index), incoming),
    }
    with redis_server(args.redis) as url:
        if url is not None:
            location = f"{url}?prefix=bench-{args.seed}"
            store = open_store(location, create=True)
            started = time.perf_counter()
            index_documents(read_paths([str(args.corpus)]), store, ScanConfig())
            results["redis_add_s"] = time.perf_counter() - started
            results["redis_bytes"] = store.stats().size_bytes
            store.close()
            results["redis"] = latencies(location, incoming)
    print(
        f"\n### Checking one dispatch against all of Reuters-21578, in one process "
        f"({len(incoming)} dispatches)\n"
    )
    print("| store | p50 ms | p90 ms | p99 ms | max ms | cpu p50 ms | cpu p99 ms |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name in ("sqlite", "redis"):
        if name in results:
            row = results[name]
            print(
                f"| {name} | {row['p50_ms']:.1f} | {row['p90_ms']:.1f} | {row['p99_ms']:.1f} "
                f"| {row['max_ms']:.1f} | {row['cpu_p50_ms']:.1f} | {row['cpu_p99_ms']:.1f} |"
            )
    if "redis_add_s" in results:
        print(
            f"\nRedis: index added in {results['redis_add_s']:.1f} s, server memory "
            f"{results['redis_bytes'] / 1e6:.0f} MB."
        )
    results["watch"] = watch_delays(index, desk.incoming[:20])
    print(
        f"\n`dedup watch`: a dropped file's report written after {results['watch']['p50_s']:.2f} s "
        f"(median of {results['watch']['files']}; longest {results['watch']['max_s']:.2f} s)."
    )
    return results


# --------------------------------------------------------------------------- a million


def run_million(args: argparse.Namespace) -> dict[str, Any]:
    """A synthetic archive of a million paragraphs, then the next dispatches checked."""
    corpus = synthetic_corpus(args.million)
    records = list(iter_records(corpus))
    archive, incoming = records[: -args.incoming], records[-args.incoming :]
    archive_file, incoming_file = DATA_DIR / "index-million.jsonl", DATA_DIR / "index-next.jsonl"
    write_jsonl(archive_file, archive)
    write_jsonl(incoming_file, incoming)
    index = fresh_path("index-million.db")
    added = dedup("index", "add", "--index", str(index), str(archive_file))
    paragraphs = sum(len(r["paragraphs"]) for r in archive)
    checks = latencies(str(index), list(read_paths([str(incoming_file)])))
    print(f"\n### A synthetic archive of {paragraphs:,} paragraphs\n")
    print("| measure | value |\n|---|---:|")
    print(f"| `dedup index add`, s | {added.wall_s:.1f} |")
    print(f"| add peak memory, MB | {added.peak_rss_mb:.0f} |")
    print(f"| file, MB | {file_size(index) / 1e6:.0f} |")
    print(f"| check one dispatch, p50 / p99 ms | {checks['p50_ms']:.1f} / {checks['p99_ms']:.1f} |")
    cpu = f"{checks['cpu_p50_ms']:.1f} / {checks['cpu_p99_ms']:.1f}"
    print(f"| ... processor time, p50 / p99 ms | {cpu} |")
    return {
        "paragraphs": paragraphs,
        "add_s": added.wall_s,
        "add_peak_mb": added.peak_rss_mb,
        "bytes": file_size(index),
        "check": checks,
    }


# --------------------------------------------------------------------------- command line


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("part", choices=("quality", "speed", "million", "all"))
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--archive", type=int, default=5000, help="dispatches archived")
    parser.add_argument("--incoming", type=int, default=300, help="dispatches checked")
    parser.add_argument("--million", type=int, default=1_000_000, help="synthetic paragraphs")
    parser.add_argument("--redis", default=None, help="a Redis server URL (default: start one)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if not args.corpus.exists():
        print(f"skipped: corpus not found: {args.corpus}", file=sys.stderr)
        return 0
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    parts = ("quality", "speed", "million") if args.part == "all" else (args.part,)
    runners = {"quality": run_quality, "speed": run_speed, "million": run_million}
    for part in parts:
        results = runners[part](args)
        path = write_results(f"index-{part}", {"environment": environment(), **results})
        print(f"\nresults: {path.relative_to(PROJECT_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
