"""Speed benchmark: dedup against plain MinHash-LSH peers and an exact join.

One run, one corpus, every tool in its own child process (so its peak memory
is its own; see ``common.py`` for how it is measured):

``dedup``
    ``dedup scan CORPUS --format json --output REPORT`` end to end.
``datasketch``
    one ``MinHash(num_perm=128)`` per paragraph, ``update()`` per shingle,
    ``MinHashLSH(threshold=0.8)`` insert, then a query per paragraph.
``datasketch-bulk``
    the same through ``MinHash.bulk`` and ``MinHashLSH.insertion_session``.
``rensa``
    ``RMinHash`` (Rust) sketches and ``RMinHashLSH`` (``num_perm`` must be a
    multiple of the band count, so the bands are those of the datasketch
    optimum restricted to divisors of 128: 8 bands of 16 rows).
``truth``
    the exact all-pairs Jaccard join of ``SetSimilaritySearch`` at 0.8.

The peers see the distinct paragraphs (casefold + collapsed spaces) of 8
words or more, shingled into word 3-grams; each is timed from those texts
(shingling included, also reported alone) to its list of candidate pairs.

Recall is measured against the truth pairs that also carry the same figures
(same multiset of digit runs): two paragraphs that differ only in a number
are different news, not a duplicate. A peer recalls a truth pair when it is
among its candidate pairs; dedup recalls it when both paragraphs (any copy of
each) sit in one ``exact`` or ``near`` cluster of its report.

Examples::

    python benchmarks/speed.py                      # full Reuters-21578, all tools
    python benchmarks/speed.py --limit 20000 --only datasketch-bulk,rensa,truth
    python benchmarks/speed.py --synthetic 100000   # generated wire copy
    python benchmarks/speed.py --scaling            # dedup on synthetic 100k and 1M
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import platform
import shlex
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from common import (
    DATA_DIR,
    DEFAULT_CORPUS,
    MIN_WORDS,
    PROJECT_ROOT,
    RESULTS_DIR,
    DistinctParagraphs,
    Measurement,
    ParagraphKey,
    dedup_command,
    distinct_paragraphs,
    human_count,
    load_paragraphs,
    paragraph_figures,
    run_measured,
    vm_hwm_mb,
    word_shingles,
    write_limited_corpus,
)

TOOLS = ("dedup", "datasketch", "datasketch-bulk", "rensa", "truth")
PEERS = TOOLS[1:]
NUM_PERM = 128
THRESHOLD = 0.8
SEED = 1
RECALLED_KINDS = frozenset({"exact", "near"})
SCALING_SIZES = (100_000, 1_000_000)
SYNTHETIC_SCRIPT = Path(__file__).resolve().parent / "synthetic.py"


# -- peers (each runs inside its own worker process) ---------------------------------


@dataclass(slots=True)
class PeerRun:
    """What one peer produced: its candidate pairs (encoded) and its timings."""

    pairs: np.ndarray
    shingle_s: float
    wall_s: float
    params: dict[str, object] = field(default_factory=dict)


def encode_pairs(pairs: Iterable[tuple[int, int]], count: int) -> np.ndarray:
    """Unordered pairs of distinct ids as sorted unique ``low * count + high`` int64 codes."""
    codes = {min(a, b) * count + max(a, b) for a, b in pairs if a != b}
    return np.array(sorted(codes), dtype=np.int64)


def _query_pairs(
    query: Callable[[Any], Iterable[int]], sketches: Sequence[Any]
) -> Iterator[tuple[int, int]]:
    """(key, found) for every key found by querying each sketch (keys are list positions)."""
    for key, sketch in enumerate(sketches):
        for other in query(sketch):
            yield key, other


# numpy 2 renamed trapz to trapezoid; the project allows numpy >= 1.24.
try:
    from numpy import trapezoid as _integral
except ImportError:  # pragma: no cover - numpy 1.x
    from numpy import trapz as _integral  # type: ignore[attr-defined,no-redef]


def lsh_bands(num_perm: int, threshold: float, divisors_only: bool) -> tuple[int, int]:
    """Bands and rows minimising false positives + false negatives, as datasketch does.

    Both error probabilities are integrals of the banding S-curve
    ``1 - (1 - s**r)**b``, below the threshold (false positives) and above it
    (false negatives), weighted equally like ``MinHashLSH``'s defaults. With
    ``divisors_only`` the bands must split ``num_perm`` exactly (rensa).
    """
    below = np.linspace(0.0, threshold, 2001)
    above = np.linspace(threshold, 1.0, 2001)
    best, best_error = (1, num_perm), float("inf")
    for bands in range(1, num_perm + 1):
        if divisors_only and num_perm % bands:
            continue
        rows_options = [num_perm // bands] if divisors_only else range(1, num_perm // bands + 1)
        for rows in rows_options:
            false_positive = _integral(1 - (1 - below**rows) ** bands, below)
            false_negative = _integral((1 - above**rows) ** bands, above)
            error = float(0.5 * false_positive + 0.5 * false_negative)
            if error < best_error:
                best, best_error = (bands, rows), error
    return best


def run_datasketch(texts: Sequence[str]) -> PeerRun:
    """Plain datasketch: a MinHash per paragraph fed shingle by shingle, LSH insert, query."""
    from datasketch import MinHash, MinHashLSH

    started = time.perf_counter()
    shingles = [{shingle.encode("utf-8") for shingle in word_shingles(text)} for text in texts]
    shingle_s = time.perf_counter() - started
    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    sketches = []
    for key, items in enumerate(shingles):
        sketch = MinHash(num_perm=NUM_PERM, seed=SEED)
        for item in items:
            sketch.update(item)
        lsh.insert(key, sketch)
        sketches.append(sketch)
    pairs = encode_pairs(_query_pairs(lsh.query, sketches), len(texts))
    wall_s = time.perf_counter() - started
    return PeerRun(pairs, shingle_s, wall_s, {"bands": lsh.b, "rows": lsh.r})


def run_datasketch_bulk(texts: Sequence[str]) -> PeerRun:
    """datasketch's batch path: ``MinHash.bulk`` and an LSH insertion session, then query."""
    from datasketch import MinHash, MinHashLSH

    started = time.perf_counter()
    shingles = [[shingle.encode("utf-8") for shingle in word_shingles(text)] for text in texts]
    shingle_s = time.perf_counter() - started
    sketches = MinHash.bulk(shingles, num_perm=NUM_PERM, seed=SEED)
    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    with lsh.insertion_session() as session:
        for key, sketch in enumerate(sketches):
            session.insert(key, sketch)
    pairs = encode_pairs(_query_pairs(lsh.query, sketches), len(texts))
    wall_s = time.perf_counter() - started
    return PeerRun(pairs, shingle_s, wall_s, {"bands": lsh.b, "rows": lsh.r})


def run_rensa(texts: Sequence[str]) -> PeerRun:
    """rensa: ``RMinHash`` sketches built in bulk, ``RMinHashLSH`` insert and query."""
    from rensa import RMinHash, RMinHashLSH

    bands, rows = lsh_bands(NUM_PERM, THRESHOLD, divisors_only=True)
    started = time.perf_counter()
    shingles = [list(word_shingles(text)) for text in texts]
    shingle_s = time.perf_counter() - started
    sketches = RMinHash.from_token_sets(shingles, NUM_PERM, SEED)
    lsh = RMinHashLSH(THRESHOLD, NUM_PERM, bands)
    lsh.insert_many(sketches, 0)
    candidates = lsh.query_all(sketches)
    pairs = encode_pairs(
        ((key, other) for key, found in enumerate(candidates) for other in found), len(texts)
    )
    wall_s = time.perf_counter() - started
    return PeerRun(pairs, shingle_s, wall_s, {"bands": bands, "rows": rows})


def run_truth(texts: Sequence[str]) -> PeerRun:
    """The exact answer: every pair with word-3-gram Jaccard >= the threshold."""
    from SetSimilaritySearch import all_pairs

    started = time.perf_counter()
    shingles = [list(word_shingles(text)) for text in texts]
    shingle_s = time.perf_counter() - started
    found = all_pairs(shingles, similarity_func_name="jaccard", similarity_threshold=THRESHOLD)
    pairs = encode_pairs(((a, b) for a, b, _similarity in found), len(texts))
    wall_s = time.perf_counter() - started
    return PeerRun(pairs, shingle_s, wall_s, {"similarity": "jaccard"})


PEER_RUNNERS: dict[str, Callable[[Sequence[str]], PeerRun]] = {
    "datasketch": run_datasketch,
    "datasketch-bulk": run_datasketch_bulk,
    "rensa": run_rensa,
    "truth": run_truth,
}


def worker_main(tool: str, corpus: Path, out_dir: Path) -> int:
    """Child process: prepare the distinct paragraphs, run one peer, save its pairs."""
    started = time.perf_counter()
    distinct = distinct_paragraphs(load_paragraphs(corpus))
    prepare_s = time.perf_counter() - started
    prepare_hwm_mb = vm_hwm_mb()
    run = PEER_RUNNERS[tool](distinct.texts)
    np.save(out_dir / f"{tool}.npy", run.pairs)
    meta = {
        "tool": tool,
        "distinct": len(distinct.texts),
        "prepare_s": prepare_s,
        "prepare_hwm_mb": prepare_hwm_mb,
        "shingle_s": run.shingle_s,
        "wall_s": run.wall_s,
        "pairs": len(run.pairs),
        "self_hwm_mb": vm_hwm_mb(),
        "params": run.params,
    }
    (out_dir / f"{tool}.json").write_text(json.dumps(meta), encoding="utf-8")
    return 0


# -- measuring and evaluating (driver process) ---------------------------------------


@dataclass(slots=True)
class ToolResult:
    """One row of the results table."""

    tool: str
    status: str = "ok"
    wall_s: float | None = None
    shingle_s: float | None = None
    process_s: float | None = None
    cpu_s: float | None = None
    peak_rss_mb: float | None = None
    pairs: int | None = None
    clusters: int | None = None
    recall: float | None = None
    precision: float | None = None
    ratio_to_dedup: float | None = None
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Truth:
    """Exact pairs at the threshold, split by whether their figures agree."""

    all_pairs: np.ndarray
    pairs: np.ndarray
    figure_mismatch: int


def _tail(text: str, lines: int = 8) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def failure_status(measured: Measurement) -> str:
    """Why a measured run failed, with how long and how big it got (lower bounds)."""
    code = measured.returncode
    if code < 0:
        try:
            cause = f"killed by {signal.Signals(-code).name}"
        except ValueError:
            cause = f"killed by signal {-code}"
    else:
        cause = f"failed (exit {code})"
    return f"{cause} after {measured.wall_s:,.0f} s at {measured.peak_rss_mb:,.0f} MB"


def run_peer(tool: str, corpus: Path, work_dir: Path, timeout_s: float) -> ToolResult:
    """Run one peer in a measured worker process and read back its timings."""
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--worker",
        tool,
        "--corpus",
        str(corpus),
        "--worker-out",
        str(work_dir),
    ]
    measured = run_measured(command, timeout_s=timeout_s)
    result = ToolResult(
        tool, process_s=measured.wall_s, cpu_s=measured.cpu_s, peak_rss_mb=measured.peak_rss_mb
    )
    meta_path = work_dir / f"{tool}.json"
    if measured.timed_out:
        result.status = f"timed out after {timeout_s:,.0f} s at {measured.peak_rss_mb:,.0f} MB"
    elif measured.returncode != 0 or not meta_path.exists():
        result.status = failure_status(measured)
        result.details["stderr"] = _tail(measured.stderr)
    else:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        result.wall_s, result.shingle_s = meta["wall_s"], meta["shingle_s"]
        result.pairs = meta["pairs"]
        result.details.update(
            params=meta["params"],
            prepare_s=meta["prepare_s"],
            prepare_hwm_mb=meta["prepare_hwm_mb"],
            self_hwm_mb=meta["self_hwm_mb"],
        )
    return result


def run_dedup(
    corpus: Path, work_dir: Path, extra_args: Sequence[str], timeout_s: float
) -> tuple[ToolResult, dict[str, Any] | None]:
    """Run ``dedup scan`` end to end in a measured process; return its row and report."""
    result = ToolResult("dedup")
    command, reason = dedup_command()
    if command is None:
        result.status = reason
        return result, None
    report_path = work_dir / "dedup-report.json"
    command = [
        *command,
        "scan",
        str(corpus),
        "--format",
        "json",
        "--output",
        str(report_path),
        *extra_args,
    ]
    result.details["command"] = shlex.join(command)
    measured = run_measured(command, timeout_s=timeout_s, cwd=PROJECT_ROOT)
    result.wall_s = result.process_s = measured.wall_s
    result.cpu_s = measured.cpu_s
    result.peak_rss_mb = measured.peak_rss_mb
    if measured.timed_out:
        result.status = f"timed out after {timeout_s:,.0f} s at {measured.peak_rss_mb:,.0f} MB"
        return result, None
    # Exit 1 means findings the user asked to fail on: the report is still valid.
    if measured.returncode not in (0, 1) or not report_path.exists():
        result.status = failure_status(measured)
        result.details["stderr"] = _tail(measured.stderr)
        return result, None
    report = json.loads(report_path.read_text(encoding="utf-8"))
    if report.get("schema") != "dedup.report/1":
        result.details["warning"] = f"unexpected report schema {report.get('schema')!r}"
    return result, report


def report_clusters(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The report's clusters, checked to be a list of objects as the contract says."""
    clusters = report.get("clusters", [])
    if not isinstance(clusters, list) or not all(isinstance(c, dict) for c in clusters):
        raise ValueError("dedup report: 'clusters' is not a list of objects (dedup.report/1)")
    return clusters


def cluster_distinct_sets(
    report: dict[str, Any], distinct: DistinctParagraphs
) -> tuple[list[tuple[str, set[int]]], int]:
    """Each report cluster as (kind, ids of its distinct paragraphs of 8+ words).

    Also returns how many member keys name no paragraph of the corpus (a
    mismatch between report and input).
    """
    clusters: list[tuple[str, set[int]]] = []
    unknown = 0
    for cluster in report_clusters(report):
        ids: set[int] = set()
        for member in cluster.get("members", []):
            key: ParagraphKey = (str(member.get("doc")), int(member.get("index", -1)))
            distinct_id = distinct.ids_by_key.get(key)
            if distinct_id is not None:
                ids.add(distinct_id)
            elif key not in distinct.short_keys:
                unknown += 1
        clusters.append((str(cluster.get("kind")), ids))
    return clusters, unknown


def together_mask(pairs: np.ndarray, count: int, cluster_sets: Sequence[set[int]]) -> np.ndarray:
    """For each encoded pair, whether both its paragraphs are in one of the clusters."""
    clusters_of: dict[int, set[int]] = {}
    for number, ids in enumerate(cluster_sets):
        for distinct_id in ids:
            clusters_of.setdefault(distinct_id, set()).add(number)
    empty: set[int] = set()
    return np.array(
        [
            not clusters_of.get(code // count, empty).isdisjoint(
                clusters_of.get(code % count, empty)
            )
            for code in pairs.tolist()
        ],
        dtype=bool,
    )


def evaluate_dedup(
    result: ToolResult,
    report: dict[str, Any],
    distinct: DistinctParagraphs,
    truth: Truth | None,
    examples: int = 0,
) -> None:
    """Fill dedup's row from its report: clusters, pairs implied, recall of the truth pairs.

    ``examples`` missed truth pairs are kept in the details, with the kinds of
    the clusters each of their paragraphs ended up in.
    """
    count = len(distinct.texts)
    clusters, unknown = cluster_distinct_sets(report, distinct)
    recalled = [ids for kind, ids in clusters if kind in RECALLED_KINDS]
    per_kind: dict[str, int] = {}
    for kind, _ids in clusters:
        per_kind[kind] = per_kind.get(kind, 0) + 1
    members = [len(cluster.get("members", [])) for cluster in report_clusters(report)]
    result.clusters = len(clusters)
    result.pairs = sum(len(ids) * (len(ids) - 1) // 2 for ids in recalled)
    result.details.update(
        clusters_per_kind=per_kind,
        members=sum(members),
        occurrence_pairs=sum(size * (size - 1) // 2 for size in members),
        unknown_member_keys=unknown,
        report_params=report.get("params"),
        report_stats=report.get("stats"),
    )
    if unknown:
        result.details["warning"] = (
            f"{unknown} report members name no (doc, index) of the corpus: recall is unreliable"
        )
    if truth is None:
        return
    if len(truth.pairs):
        found = together_mask(truth.pairs, count, recalled)
        result.recall = float(found.mean())
        any_kind = together_mask(truth.pairs, count, [ids for _kind, ids in clusters])
        result.details["recall_any_kind"] = float(any_kind.mean())
        kinds_of: dict[int, set[str]] = {}
        for kind, ids in clusters:
            for distinct_id in ids:
                kinds_of.setdefault(distinct_id, set()).add(kind)
        result.details["missed_pairs"] = int((~found).sum())
        # dedup counts whitespace-separated words for --min-words, where the peers'
        # \w+ words split figures ("2,332,397" is three): a pair with a side under
        # 8 of dedup's words is one dedup deliberately matches exactly only.
        texts = distinct.texts
        short_side = np.array(
            [
                min(len(texts[code // count].split()), len(texts[code % count].split())) < MIN_WORDS
                for code in truth.pairs.tolist()
            ],
            dtype=bool,
        )
        result.details["missed_short_for_dedup"] = int((~found & short_side).sum())
        if (~short_side).any():
            result.details["recall_dedup_long"] = float(found[~short_side].mean())
        result.details["missed_examples"] = [
            {
                "texts": [distinct.texts[code // count], distinct.texts[code % count]],
                "cluster_kinds": [
                    sorted(kinds_of.get(code // count, ())),
                    sorted(kinds_of.get(code % count, ())),
                ],
            }
            for code in truth.pairs[~found][:examples].tolist()
        ]
    if result.pairs:
        together = together_mask(truth.all_pairs, count, recalled)
        result.precision = float(together.sum()) / result.pairs


def load_truth(work_dir: Path, distinct: DistinctParagraphs) -> Truth:
    """The truth worker's pairs, split by whether the two paragraphs' figures agree."""
    all_pairs = np.load(work_dir / "truth.npy")
    count = len(distinct.texts)
    figures = [paragraph_figures(text) for text in distinct.texts]
    same = np.array(
        [figures[code // count] == figures[code % count] for code in all_pairs.tolist()],
        dtype=bool,
    )
    return Truth(all_pairs, all_pairs[same], int((~same).sum()))


def evaluate_peer(result: ToolResult, work_dir: Path, truth: Truth | None) -> None:
    """Recall (truth pairs among the candidates) and precision (candidates at >= 0.8)."""
    if truth is None or result.status != "ok":
        return
    candidates = np.load(work_dir / f"{result.tool}.npy")
    if len(truth.pairs):
        result.recall = float(np.isin(truth.pairs, candidates).mean())
    if len(candidates):
        result.precision = float(np.isin(candidates, truth.all_pairs).mean())


# -- output -------------------------------------------------------------------------


def _number(value: float | int | None, digits: int = 2) -> str:
    if value is None:
        return "-"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.{digits}f}"


def markdown_table(results: Sequence[ToolResult]) -> str:
    """The results as a Markdown table, one row per tool."""
    header = (
        "| tool | wall s | shingle s | process s | cpu s | peak MB | pairs | clusters | recall "
        "| precision | x dedup wall |"
    )
    lines = [header, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for row in results:
        if row.status != "ok":
            lines.append(f"| {row.tool} | {row.status} |" + "  |" * 10)
            continue
        cells = [
            row.tool,
            _number(row.wall_s),
            _number(row.shingle_s),
            _number(row.process_s),
            _number(row.cpu_s),
            _number(row.peak_rss_mb, 0),
            _number(row.pairs),
            _number(row.clusters),
            _number(row.recall, 3),
            _number(row.precision, 3),
            _number(row.ratio_to_dedup) if row.ratio_to_dedup is not None else "-",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def environment() -> dict[str, Any]:
    """Interpreter, machine and library versions, for the results file."""
    versions: dict[str, str | None] = {}
    for package in ("dedup", "datasketch", "rensa", "SetSimilaritySearch", "numpy"):
        try:
            versions[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            versions[package] = None
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "versions": versions,
    }


def write_results(name: str, payload: dict[str, Any]) -> Path:
    """Write a results JSON file under ``benchmarks/results/``."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{name}.json"
    path.write_text(json.dumps(payload, indent=2, default=str) + "\n", encoding="utf-8")
    return path


# -- the two modes --------------------------------------------------------------------


def synthetic_corpus(paragraphs: int, seed: int = SEED) -> Path:
    """The synthetic corpus of that size in ``benchmarks/data/``, generated when missing.

    A file older than ``synthetic.py`` is generated again: it may come from an
    earlier version of the generator.
    """
    suffix = "" if seed == SEED else f"-seed{seed}"
    path = DATA_DIR / f"synthetic-{human_count(paragraphs)}{suffix}.jsonl"
    if not path.exists() or path.stat().st_mtime < SYNTHETIC_SCRIPT.stat().st_mtime:
        print(f"generating {path.relative_to(PROJECT_ROOT)} ...", file=sys.stderr)
        command = [
            sys.executable,
            str(SYNTHETIC_SCRIPT),
            "--paragraphs",
            str(paragraphs),
            "--seed",
            str(seed),
            "--output",
            str(path),
        ]
        subprocess.run(command, check=True)
    return path


def compare(args: argparse.Namespace) -> int:
    """Run the chosen tools on one corpus; print the table and write the results file."""
    corpus: Path = synthetic_corpus(args.synthetic) if args.synthetic else args.corpus
    if not corpus.exists():
        print(
            f"skipped: corpus {corpus} not found (give --corpus PATH or --synthetic N)",
            file=sys.stderr,
        )
        return 0
    label = corpus.stem
    if args.limit is not None:
        limited = DATA_DIR / f"{corpus.stem}-first{human_count(args.limit)}.jsonl"
        write_limited_corpus(corpus, args.limit, limited)
        corpus, label = limited, limited.stem
    tools = [tool for tool in TOOLS if tool in args.only]
    distinct = distinct_paragraphs(load_paragraphs(corpus))
    print(
        f"corpus {corpus}: {distinct.paragraphs:,} paragraphs, {distinct.short:,} under 8 words, "
        f"{len(distinct.texts):,} distinct of 8+ words",
        file=sys.stderr,
    )
    results: list[ToolResult] = []
    report: dict[str, Any] | None = None
    with tempfile.TemporaryDirectory(prefix="dedup-speed-") as tmp:
        work_dir = Path(tmp)
        for tool in tools:
            print(f"running {tool} ...", file=sys.stderr)
            if tool == "dedup":
                result, report = run_dedup(
                    corpus, work_dir, shlex.split(args.dedup_args), args.timeout
                )
            else:
                result = run_peer(tool, corpus, work_dir, args.timeout)
            print(f"  {result.status}, {_number(result.wall_s)} s", file=sys.stderr)
            results.append(result)
        truth_row = next((row for row in results if row.tool == "truth"), None)
        truth = (
            load_truth(work_dir, distinct)
            if truth_row is not None and truth_row.status == "ok"
            else None
        )
        for row in results:
            if row.tool == "dedup" and report is not None:
                evaluate_dedup(row, report, distinct, truth, args.show_missed)
            elif row.tool != "dedup":
                evaluate_peer(row, work_dir, truth)
    dedup_row = next((row for row in results if row.tool == "dedup" and row.status == "ok"), None)
    if dedup_row is not None and dedup_row.wall_s:
        for row in results:
            if row.status == "ok" and row.wall_s is not None:
                row.ratio_to_dedup = row.wall_s / dedup_row.wall_s

    print(markdown_table(results))
    print()
    print(
        f"{distinct.paragraphs:,} paragraphs, {len(distinct.texts):,} distinct of 8+ words. "
        "wall: the tool's own work (peers: shingling to candidate pairs; dedup: the whole "
        "command); process: the whole child process; cpu: its user + system time; "
        f"precision: share of pairs with word-3-gram Jaccard >= {THRESHOLD}."
    )
    if truth is not None:
        print(
            f"truth: {len(truth.all_pairs):,} pairs at Jaccard >= {THRESHOLD}, "
            f"{truth.figure_mismatch:,} excluded for different figures, "
            f"{len(truth.pairs):,} left to recall."
        )
    for row in results:
        if "missed_pairs" in row.details:
            print(
                f"{row.tool} missed {row.details['missed_pairs']:,} truth pairs; "
                f"{row.details['missed_short_for_dedup']:,} of them have a paragraph under "
                f"{MIN_WORDS} whitespace-separated words (dedup matches those exactly only); "
                f"recall on the other pairs: {_number(row.details.get('recall_dedup_long'), 3)}."
            )
        for number, missed in enumerate(row.details.get("missed_examples", []), start=1):
            print(f"\nmissed by {row.tool} #{number} (clusters: {missed['cluster_kinds']}):")
            for text in missed["texts"]:
                print(f"  > {text}")
        if "warning" in row.details:
            print(f"warning ({row.tool}): {row.details['warning']}")
        if "stderr" in row.details:
            print(f"{row.tool} stderr:\n{row.details['stderr']}")
    payload = {
        "benchmark": "speed",
        "corpus": str(corpus),
        "paragraphs": distinct.paragraphs,
        "short_paragraphs": distinct.short,
        "distinct_paragraphs": len(distinct.texts),
        "num_perm": NUM_PERM,
        "threshold": THRESHOLD,
        "truth": None
        if truth is None
        else {
            "pairs_at_threshold": len(truth.all_pairs),
            "figure_mismatch_excluded": truth.figure_mismatch,
            "pairs": len(truth.pairs),
        },
        "environment": environment(),
        "results": [asdict(row) for row in results],
    }
    path = write_results(args.results_name or f"speed-{label}", payload)
    print(f"\nresults: {path.relative_to(PROJECT_ROOT)}")
    return 0


@dataclass(slots=True)
class ScalingRow:
    """dedup on one synthetic corpus size, for ``--scaling``."""

    paragraphs: int
    status: str
    wall_s: float | None
    cpu_s: float | None
    peak_rss_mb: float | None
    clusters: int | None
    time_ratio: float | None = None
    memory_ratio: float | None = None
    stderr: str | None = None


def scaling(args: argparse.Namespace) -> int:
    """dedup alone on synthetic corpora of growing size: time and memory ratios."""
    command, reason = dedup_command()
    if command is None:
        print(reason, file=sys.stderr)
        return 1
    rows: list[ScalingRow] = []
    with tempfile.TemporaryDirectory(prefix="dedup-scaling-") as tmp:
        for size in args.scaling_sizes:
            corpus = synthetic_corpus(size)
            print(f"running dedup on {corpus.name} ...", file=sys.stderr)
            result, report = run_dedup(
                corpus, Path(tmp), shlex.split(args.dedup_args), args.timeout
            )
            stderr = result.details.get("stderr")
            rows.append(
                ScalingRow(
                    paragraphs=size,
                    status=result.status,
                    wall_s=result.wall_s,
                    cpu_s=result.cpu_s,
                    peak_rss_mb=result.peak_rss_mb,
                    clusters=None if report is None else len(report_clusters(report)),
                    stderr=None if stderr is None else str(stderr),
                )
            )
    base = rows[0]
    print("| paragraphs | wall s | cpu s | peak MB | paragraphs/s | clusters | time x | memory x |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        if row.status != "ok" or row.wall_s is None or row.peak_rss_mb is None:
            print(f"| {row.paragraphs:,} | {row.status} |" + "  |" * 6)
            continue
        if base.status == "ok" and base.wall_s and base.peak_rss_mb:
            row.time_ratio = row.wall_s / base.wall_s
            row.memory_ratio = row.peak_rss_mb / base.peak_rss_mb
        print(
            f"| {row.paragraphs:,} | {row.wall_s:,.2f} | {_number(row.cpu_s)} "
            f"| {row.peak_rss_mb:,.0f} | {row.paragraphs / row.wall_s:,.0f} "
            f"| {_number(row.clusters)} | {_number(row.time_ratio)} "
            f"| {_number(row.memory_ratio)} |"
        )
    size_ratio = rows[-1].paragraphs / rows[0].paragraphs
    print(f"\nsize ratio {size_ratio:g}: linear scaling means a time ratio near it.")
    payload = {
        "benchmark": "scaling",
        "environment": environment(),
        "results": [asdict(row) for row in rows],
    }
    path = write_results(args.results_name or "scaling", payload)
    print(f"results: {path.relative_to(PROJECT_ROOT)}")
    return 0 if all(row.status == "ok" for row in rows) else 1


# -- command line ---------------------------------------------------------------------


def _tool_list(text: str) -> list[str]:
    tools = [tool.strip() for tool in text.split(",") if tool.strip()]
    unknown = sorted(set(tools) - set(TOOLS))
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown tool(s) {', '.join(unknown)}; choose from {', '.join(TOOLS)}"
        )
    return tools


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _sizes(text: str) -> list[int]:
    return [_positive_int(size) for size in text.split(",")]


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Time dedup against MinHash-LSH peers and an exact join on one corpus.",
        epilog="Tools: " + ", ".join(TOOLS) + ". Recall needs the truth tool in --only.",
    )
    parser.add_argument(
        "--corpus",
        type=Path,
        default=DEFAULT_CORPUS,
        help="JSONL corpus (default: ../shared/corpora/reuters21578.jsonl)",
    )
    parser.add_argument(
        "--synthetic",
        type=_positive_int,
        metavar="N",
        help="use N generated paragraphs (benchmarks/data/synthetic-N.jsonl) instead",
    )
    parser.add_argument(
        "--only",
        type=_tool_list,
        default=list(TOOLS),
        metavar="TOOLS",
        help="comma-separated tools to run (default: all)",
    )
    parser.add_argument(
        "--limit", type=_positive_int, metavar="N", help="use only the first N paragraphs"
    )
    parser.add_argument(
        "--dedup-args", default="", metavar="ARGS", help="extra flags for `dedup scan`, quoted"
    )
    parser.add_argument(
        "--show-missed",
        type=int,
        default=0,
        metavar="N",
        help="print N truth pairs that dedup did not put in one exact/near cluster",
    )
    parser.add_argument(
        "--scaling",
        action="store_true",
        help="instead: dedup alone on synthetic corpora of --scaling-sizes paragraphs",
    )
    parser.add_argument(
        "--scaling-sizes",
        type=_sizes,
        default=list(SCALING_SIZES),
        metavar="N,N",
        help="paragraph counts for --scaling (default: 100000,1000000)",
    )
    parser.add_argument(
        "--timeout", type=float, default=3600.0, help="seconds allowed per tool (default 3600)"
    )
    parser.add_argument(
        "--results-name",
        metavar="NAME",
        help="results file stem under benchmarks/results/ (default from the corpus)",
    )
    parser.add_argument("--worker", choices=PEERS, help=argparse.SUPPRESS)
    parser.add_argument("--worker-out", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.worker:
        return worker_main(args.worker, args.corpus, args.worker_out)
    if args.scaling:
        return scaling(args)
    return compare(args)


if __name__ == "__main__":
    sys.exit(main())
