"""Measure dedup's match quality against truth, beside simple reference baselines.

Modes:

- ``reprints``: seeded Reuters reprint sets (``benchmarks/reprints.py``,
  OCR noise up to ``--noise-max``, 7 % of characters by default; generated
  when missing). Runs ``dedup scan SET --format json`` and scores its
  ``exact`` + ``near`` clusters with pairwise precision, recall, F1 and the
  adjusted Rand index over scored paragraphs (8+ words). The set of
  ``--seed`` (7: the one thresholds were tuned on) is shown next to
  union-find baselines over exact character/word n-gram Jaccard (computed
  over the scored paragraphs only, cached as ``NAME.baselines.json``); the
  sets of the ``--held-out`` seeds (1 and 2) follow. Targets: recall >= 0.98
  with precision >= 0.99 (F1 >= 0.985). Every paragraph a report leaves out
  of exact/near clusters is its own singleton; one in two such clusters
  joins them. ``--regenerate`` rebuilds the sets after a change to
  ``reprints.py``.
- ``french``: the same measure on French reprint sets built only from what
  the project ships (``reprints.py --french``: the seed and the French
  paragraphs written for the figures tests, each pair's other paragraph a
  variant written with other figures or the same figures written otherwise),
  for the same seeds.
- ``clough``: the Clough-Stevenson corpus of plagiarised short answers.
  Counts, per category, the answers that share a cluster (any kind) with
  their task's source text. Targets: cut + light >= 36 of 38, non <= 1.
- ``all``: the three, then a summary table.

The exit status is always 0: this is a measurement; PASS/FAIL lines say how
it compares with the targets.

Usage::

    python benchmarks/quality.py reprints [--explain] [--dedup-args="--flag ..."]
    python benchmarks/quality.py reprints --noise-max 0.11 --held-out ""
    python benchmarks/quality.py reprints -- --no-check-figures
    python benchmarks/quality.py french
    python benchmarks/quality.py clough
    python benchmarks/quality.py all
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import random
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.metrics import adjusted_rand_score

HERE = Path(__file__).resolve().parent
SHARED = HERE.parents[1] / "shared"
DATA = HERE / "data"
CLOUGH_DIR = SHARED / "corpora" / "clough-stevenson"
SCORED_KINDS = frozenset({"exact", "near"})
RECALL_TARGET = 0.98
PRECISION_TARGET = 0.99
F1_TARGET = 0.985
CLOUGH_REUSE_TARGET = 36  # of the 38 cut and light answers
CLOUGH_NON_MAX = 1

Pair = tuple[int, int]


# --------------------------------------------------------------------------- text


def normalize(text: str) -> str:
    """Baseline normalisation: NFKC, casefold, whitespace collapsed to one space.

    >>> normalize("  The  FED\\u00a0said ")
    'the fed said'
    """
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def char_shingles(text: str, size: int) -> frozenset[str]:
    """Character n-grams of normalised text (the whole text when shorter).

    >>> sorted(char_shingles("Abcd", 3))
    ['abc', 'bcd']
    """
    text = normalize(text)
    if len(text) <= size:
        return frozenset({text})
    return frozenset(text[i : i + size] for i in range(len(text) - size + 1))


def word_shingles(text: str, size: int) -> frozenset[str]:
    """Word n-grams (whitespace tokens) of normalised text.

    >>> sorted(word_shingles("a b c d", 3))
    ['a b c', 'b c d']
    """
    words = normalize(text).split()
    if len(words) <= size:
        return frozenset({" ".join(words)})
    return frozenset(" ".join(words[i : i + size]) for i in range(len(words) - size + 1))


# fmt: off
_NUMBER_WORDS = frozenset({
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    "hundred", "thousand", "half", "quarter",
})
# fmt: on


def figures(text: str) -> Counter[str]:
    """The figures a paragraph states: digit groups and number words.

    >>> sorted(figures("Qtly div five cts vs 4.5 cts, 1,200 shrs").elements())
    ['1200', '4.5', 'five']
    """
    words = re.findall(r"\d[\d,./]*\d|\d|[a-z]+", normalize(text))
    return Counter(w.replace(",", "") for w in words if w[0].isdigit() or w in _NUMBER_WORDS)


# --------------------------------------------------------------------------- similarity


def similar_pairs(
    sets: Sequence[frozenset[str]], threshold: float, k_max: int = 8, block: int = 4000
) -> dict[Pair, float]:
    """All pairs (i < j) with exact Jaccard >= ``threshold`` (AllPairs prefix filtering).

    Tokens are ranked rarest first. For |y| <= |x| and J(x, y) >= t the overlap
    o is at least t|x| and at least 2t/(1+t)|y|, so the smallest k common
    tokens (k <= o) lie in x's first |x| - ceil(t|x|) + k tokens (probe prefix)
    and in y's first |y| - ceil(2t/(1+t)|y|) + k (index prefix): pairs sharing
    fewer than k prefix tokens are skipped unverified, the rest are verified
    exactly. A sparse product of the two prefix matrices counts shared tokens.

    >>> similar_pairs([frozenset("abc"), frozenset("abd"), frozenset("xyz")], 0.5)
    {(0, 1): 0.5}
    """
    eps = 1e-9  # keeps ceil(0.45 * 40) at 18 despite floating point
    sizes = np.array([len(s) for s in sets], dtype=np.int64)
    hashes = np.fromiter((hash(token) for s in sets for token in s), np.int64, int(sizes.sum()))
    _, tokens = np.unique(hashes, return_inverse=True)  # 64-bit hashes: collisions negligible
    vocab_size = int(tokens.max()) + 1 if len(tokens) else 0
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    rows = np.repeat(np.arange(len(sets)), sizes)
    freq = np.bincount(tokens, minlength=vocab_size)
    rank = np.empty(vocab_size, dtype=np.int64)
    rank[np.lexsort((np.arange(vocab_size), freq))] = np.arange(vocab_size)
    tokens = tokens[np.lexsort((rank[tokens], rows))]  # each row's tokens rarest first
    position = np.arange(len(tokens)) - starts[rows]
    k = np.minimum(k_max, np.ceil(threshold * sizes - eps)).astype(np.int64)

    def matrix(keep: np.ndarray) -> sp.csr_matrix:
        data = np.ones(int(keep.sum()), dtype=np.float32)
        return sp.csr_matrix((data, (rows[keep], tokens[keep])), shape=(len(sets), vocab_size))

    full = matrix(np.ones(len(tokens), dtype=bool))
    probe = matrix(position < (sizes - np.ceil(threshold * sizes - eps) + k)[rows])
    index_lengths = sizes - np.ceil(2 * threshold / (1 + threshold) * sizes - eps) + k
    index = matrix(position < index_lengths[rows]).T.tocsr()
    found: dict[Pair, float] = {}
    for start in range(0, len(sets), block):
        product = probe[start : start + block] @ index
        product.data[product.data < k.min()] = 0  # cheap first cut before indexing
        product.eliminate_zeros()
        shared = product.tocoo()
        i, j = shared.row + start, shared.col
        smaller = (sizes[j] < sizes[i]) | ((sizes[j] == sizes[i]) & (j < i))
        keep = smaller & (sizes[j] >= threshold * sizes[i] - eps)
        keep &= shared.data >= np.minimum(k[i], k[j])
        i, j = i[keep], j[keep]
        overlap = np.asarray(full[i].multiply(full[j]).sum(axis=1)).ravel()
        score = overlap / (sizes[i] + sizes[j] - overlap)
        hit = score >= threshold - eps
        for a, b, s in zip(i[hit].tolist(), j[hit].tolist(), score[hit].tolist(), strict=True):
            found[(min(a, b), max(a, b))] = s
    return found


class UnionFind:
    """Disjoint sets over 0..n-1 with path halving and union by size."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))
        self.size = [1] * n

    def find(self, x: int) -> int:
        """Root of ``x``'s set."""
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        """Merge the sets of ``a`` and ``b``."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if self.size[ra] < self.size[rb]:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.size[ra] += self.size[rb]

    def labels(self) -> list[int]:
        """A cluster id per element (its root)."""
        return [self.find(x) for x in range(len(self.parent))]


def cluster_pairs(n: int, pairs: Iterable[Pair]) -> list[int]:
    """Cluster ids for n items joined transitively by ``pairs`` (union-find).

    >>> cluster_pairs(4, [(0, 1), (1, 2)])
    [0, 0, 0, 3]
    """
    uf = UnionFind(n)
    for a, b in pairs:
        uf.union(a, b)
    return uf.labels()


# --------------------------------------------------------------------------- metrics


@dataclass(frozen=True)
class Scores:
    """Pairwise counts and the metrics derived from them."""

    tp: int
    fp: int
    fn: int
    ari: float

    @property
    def precision(self) -> float:
        """Share of predicted pairs that are true."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        """Share of true pairs that are predicted."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _pairs_within(counts: Iterable[int]) -> int:
    return sum(c * (c - 1) // 2 for c in counts)


def pairwise_scores(predicted: Sequence[int], truth: Sequence[int]) -> Scores:
    """Pairwise precision/recall/F1 and ARI of two flat clusterings of the same items.

    >>> s = pairwise_scores([0, 0, 0, 1], [0, 0, 1, 1])
    >>> (s.tp, s.fp, s.fn)
    (1, 2, 1)
    """
    both = _pairs_within(Counter(zip(predicted, truth, strict=True)).values())
    predicted_pairs = _pairs_within(Counter(predicted).values())
    true_pairs = _pairs_within(Counter(truth).values())
    ari = float(adjusted_rand_score(truth, predicted))
    return Scores(both, predicted_pairs - both, true_pairs - both, ari)


def pairs_of(labels: Sequence[int]) -> Iterator[Pair]:
    """Every pair (i < j) of items sharing a cluster id."""
    groups: dict[int, list[int]] = defaultdict(list)
    for i, label in enumerate(labels):
        groups[label].append(i)
    for members in groups.values():
        yield from combinations(members, 2)


# --------------------------------------------------------------------------- reprint set


@dataclass(frozen=True)
class ReprintSet:
    """The scored paragraphs of a reprint set, with their truth."""

    keys: list[tuple[str, int]]  # (doc id, paragraph index)
    texts: list[str]
    truth: list[int]  # cluster id; unique paragraphs get their own
    tags: list[list[str]]
    roles: list[str]

    def position(self) -> dict[tuple[str, int], int]:
        """Map (doc id, index) to the scored position."""
        return {key: i for i, key in enumerate(self.keys)}


def load_reprint_set(path: Path, truth_file: Path) -> ReprintSet:
    """Read the set and its truth; keep the scored paragraphs only."""
    truth = json.loads(truth_file.read_text(encoding="utf-8"))["documents"]
    keys, texts, labels, tags, roles = [], [], [], [], []
    label_ids: dict[str, int] = {}
    with path.open(encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            t = truth[record["id"]]
            for i, text in enumerate(record["paragraphs"]):
                if not t["scored"][i]:
                    continue
                label = t["labels"][i]
                keys.append((record["id"], i))
                texts.append(text)
                unique = f"#{len(keys)}"
                labels.append(label_ids.setdefault(label or unique, len(label_ids)))
                tags.append(t["transforms"][i])
                roles.append(t["role"])
    return ReprintSet(keys, texts, labels, tags, roles)


def truth_path_of(path: Path) -> Path:
    """The truth file beside a set: ``NAME.truth.json`` (as ``reprints.py`` writes it)."""
    return path.with_name(path.name.removesuffix(".jsonl") + ".truth.json")


def set_path(french: bool, seed: int, noise_max: float, sources: int) -> Path:
    """Where a generated set lives: ``data/reprints-s7-n7-1500.jsonl``, ``french-s7-n7.jsonl``."""
    noise = f"n{noise_max * 100:g}"
    if french:
        return DATA / f"french-s{seed}-{noise}.jsonl"
    return DATA / f"reprints-s{seed}-{noise}-{sources}.jsonl"


def ensure_set(
    path: Path, seed: int, sources: int, noise_max: float, french: bool, regenerate: bool
) -> Path:
    """Generate a reprint set with ``reprints.py`` unless a matching one exists; return the
    path of its truth file."""
    truth_file = truth_path_of(path)
    if path.exists() and truth_file.exists() and not regenerate:
        generator = json.loads(truth_file.read_text(encoding="utf-8"))["generator"]
        wanted = (seed, noise_max, sources if not french else None)
        found = (generator["seed"], generator["knobs"]["noise_max"], generator.get("sources"))
        if found == wanted:
            return truth_file
    command = [
        sys.executable,
        str(HERE / "reprints.py"),
        "--seed",
        str(seed),
        "--noise-max",
        str(noise_max),
        "--output",
        str(path),
        *(["--french"] if french else ["--sources", str(sources)]),
    ]
    subprocess.run(command, check=True)
    return truth_file


# --------------------------------------------------------------------------- dedup


def dedup_command() -> list[str]:
    """How to run dedup: the installed script, else ``python -m dedup``."""
    script = shutil.which("dedup") or str(Path(sys.executable).parent / "dedup")
    return [script] if Path(script).exists() else [sys.executable, "-m", "dedup"]


def run_dedup(paths: Sequence[Path], extra_args: str) -> dict | None:
    """Run ``dedup scan PATHS --format json`` and return the report (None on failure)."""
    with tempfile.TemporaryDirectory() as tmp:
        output = Path(tmp) / "report.json"
        command = [
            *dedup_command(),
            "scan",
            *map(str, paths),
            "--format",
            "json",
            "--output",
            str(output),
            *shlex.split(extra_args),
        ]
        print(f"$ {shlex.join(command)}")
        started = time.perf_counter()
        try:
            done = subprocess.run(command, capture_output=True, text=True)
        except OSError as error:
            print(f"dedup did not run: {error}")
            return None
        seconds = time.perf_counter() - started
        if done.returncode not in (0, 1) or not output.exists():
            print(f"dedup failed (exit {done.returncode}) after {seconds:.1f}s:")
            print(done.stderr.strip()[-2000:] or done.stdout.strip()[-2000:])
            return None
        print(f"dedup finished in {seconds:.1f}s (exit {done.returncode})")
        return json.loads(output.read_text(encoding="utf-8"))


def report_labels(report: dict, data: ReprintSet, kinds: frozenset[str]) -> list[int]:
    """Flat clustering of the scored paragraphs from a report's clusters of ``kinds``.

    A paragraph in several such clusters joins them (union-find), so the
    result is a partition; members that are not scored paragraphs are ignored.
    """
    position = data.position()
    uf = UnionFind(len(data.keys))
    for cluster in report.get("clusters", []):
        if cluster.get("kind") not in kinds:
            continue
        members = [position.get((m["doc"], m["index"])) for m in cluster["members"]]
        scored = [p for p in members if p is not None]
        for other in scored[1:]:
            uf.union(scored[0], other)
    return uf.labels()


# --------------------------------------------------------------------------- reporting


def score_line(name: str, scores: Scores) -> str:
    """One row of the results table."""
    return (
        f"  {name:<28} P {scores.precision:.3f}  R {scores.recall:.3f}  F1 {scores.f1:.3f}"
        f"  ARI {scores.ari:.3f}   (tp {scores.tp}, fp {scores.fp}, fn {scores.fn})"
    )


BASELINES: list[tuple[str, Callable[[str], frozenset[str]], list[float]]] = [
    ("char-5", lambda t: char_shingles(t, 5), [0.45, 0.5, 0.6]),
    ("char-4", lambda t: char_shingles(t, 4), [0.5]),
    ("word-3", lambda t: word_shingles(t, 3), [0.5]),
]


def baseline_labels(data: ReprintSet) -> dict[str, list[int]]:
    """Union-find clusterings for each baseline (shingling, Jaccard threshold)."""
    results: dict[str, list[int]] = {}
    for name, shingle, thresholds in BASELINES:
        sets = [shingle(t) for t in data.texts]
        found = similar_pairs(sets, min(thresholds))
        for threshold in thresholds:
            pairs = (pair for pair, score in found.items() if score >= threshold)
            results[f"{name} Jaccard >= {threshold:g}"] = cluster_pairs(len(sets), pairs)
    return results


BASELINE_VERSION = 1  # bump when baseline code changes, to invalidate cached results


def cached_baseline_labels(data: ReprintSet, set_path: Path) -> dict[str, list[int]]:
    """Baseline clusterings, cached beside the set (``NAME.baselines.json``) by content hash."""
    digest = hashlib.sha256(f"baselines/{BASELINE_VERSION}".encode())
    for path in (set_path, truth_path_of(set_path)):
        digest.update(path.read_bytes())
    cache = set_path.with_name(set_path.name.removesuffix(".jsonl") + ".baselines.json")
    if cache.exists():
        stored = json.loads(cache.read_text(encoding="utf-8"))
        if stored.get("key") == digest.hexdigest():
            print(f"baselines read from {cache}")
            return stored["labels"]
    started = time.perf_counter()
    labels = baseline_labels(data)
    print(f"baselines computed in {time.perf_counter() - started:.1f}s")
    cache.write_text(json.dumps({"key": digest.hexdigest(), "labels": labels}), encoding="utf-8")
    return labels


def _tag_kinds(tags: Iterable[str]) -> set[str]:
    kinds = set()
    for tag in tags:
        if tag.startswith("noise:"):
            rate = float(tag[6:-1])
            kinds.add("noise <1%" if rate < 1 else "noise 1-3%" if rate < 3 else "noise >=3%")
        else:
            kinds.add(tag)
    return kinds or {"untouched"}


_DATELINE = re.compile(r"^(.{0,60}?)\s(?:-|--|\u2014|\u2013)\s")
_DATELINE_END = re.compile(
    r"(?:\(reuters\)|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2})$"
)


def strip_dateline(text: str) -> str:
    """Drop a leading dateline (``WASHINGTON, March 3 -``, ``LONDON (Reuters) -``).

    >>> strip_dateline("NEW YORK, Feb 26 - Shr 34 cts vs 1.19 dlrs")
    'Shr 34 cts vs 1.19 dlrs'
    """
    match = _DATELINE.match(text)
    if match and (match.group(1).isupper() or _DATELINE_END.search(match.group(1).casefold())):
        return text[match.end() :]
    return text


def explain(
    data: ReprintSet,
    predicted: Sequence[int],
    examples: int,
    rng: random.Random,
    linked: dict[str, list[int]] | None = None,
) -> None:
    """Break errors down: false negatives by transformation, false positives by cause.

    ``linked`` holds, per other cluster kind of a report (partial, figures...),
    its clustering: a missed pair that one joins was found, as that kind.
    """
    pred_pairs = set(pairs_of(predicted))
    true_pairs = set(pairs_of(data.truth))
    fn = sorted(true_pairs - pred_pairs)
    fp = sorted(pred_pairs - true_pairs)
    shingles = [char_shingles(t, 5) for t in data.texts]

    def jaccard(a: int, b: int) -> float:
        x, y = shingles[a], shingles[b]
        return len(x & y) / len(x | y)

    print(
        f"  false negatives: {len(fn)} pairs; by transformation (a pair counts under each"
        " tag of either side):"
    )
    total: Counter[str] = Counter()
    missed: Counter[str] = Counter()
    for pair in true_pairs:
        kinds = _tag_kinds(data.tags[pair[0]] + data.tags[pair[1]])
        total.update(kinds)
        if pair not in pred_pairs:
            missed.update(kinds)
    for kind, n in sorted(total.items(), key=lambda kv: -missed[kv[0]]):
        print(f"    {kind:<18} missed {missed[kind]:>6} of {n:>6} ({missed[kind] / n:6.1%})")
    if linked:
        clustered = Counter(predicted)
        where: Counter[str] = Counter()
        for a, b in fn:
            joined = [kind for kind, labels in linked.items() if labels[a] == labels[b]]
            if joined:
                where["together in " + "+".join(joined)] += 1
            elif clustered[predicted[a]] > 1 and clustered[predicted[b]] > 1:
                where["split between two exact/near clusters"] += 1
            elif clustered[predicted[a]] > 1 or clustered[predicted[b]] > 1:
                where["one side in no exact/near cluster"] += 1
            else:
                where["neither side in an exact/near cluster"] += 1
        print("    missed pairs: " + ", ".join(f"{w} {n}" for w, n in where.most_common()))
    bands = Counter(min(int(jaccard(a, b) * 10), 9) / 10 for a, b in fn)
    print(
        "    missed pairs by char-5 Jaccard: "
        + ", ".join(f"{b:.1f}-{b + 0.1:.1f}: {n}" for b, n in sorted(bands.items()))
    )
    print(f"  false positives: {len(fp)} pairs; by cause (figures compared without datelines):")
    causes: Counter[tuple[str, str]] = Counter()
    roles: Counter[str] = Counter()
    by_cause: dict[str, list[Pair]] = defaultdict(list)
    for a, b in fp:
        differ = figures(strip_dateline(data.texts[a])) != figures(strip_dateline(data.texts[b]))
        cause = "figures differ" if differ else "other"
        link = "direct (char-5 J>=0.5)" if jaccard(a, b) >= 0.5 else "chained (char-5 J<0.5)"
        causes[cause, link] += 1
        roles["+".join(sorted((data.roles[a], data.roles[b])))] += 1
        by_cause[cause].append((a, b))
    for (cause, link), n in sorted(causes.items()):
        print(f"    {n:>7}  {cause}, {link}")
    print("    by roles: " + ", ".join(f"{r} {n}" for r, n in roles.most_common(6)))
    sizes = sorted(Counter(predicted).values(), reverse=True)[:5]
    print(f"  largest predicted clusters (scored members): {sizes}")
    for title, pairs in [
        ("missed pairs", fn),
        *((f"false pairs, {c}", p) for c, p in sorted(by_cause.items())),
    ]:
        print(f"  examples of {title}:")
        for a, b in rng.sample(pairs, min(examples, len(pairs))):
            print(
                f"    char-5 J {jaccard(a, b):.2f}  {data.keys[a][0]}#{data.keys[a][1]}"
                f" {sorted(_tag_kinds(data.tags[a]))}  {data.keys[b][0]}#{data.keys[b][1]}"
                f" {sorted(_tag_kinds(data.tags[b]))}"
            )
            print(f"      a: {data.texts[a][:220]}")
            print(f"      b: {data.texts[b][:220]}")


#: Figures of every set measured in this run, for the summary: (set name, scores).
MEASURED: list[tuple[str, Scores]] = []


def verdict(scores: Scores) -> str:
    """PASS or FAIL against the targets, with what is short."""
    short = [
        f"{name} {value:.3f} < {target}"
        for name, value, target in (
            ("recall", scores.recall, RECALL_TARGET),
            ("precision", scores.precision, PRECISION_TARGET),
            ("F1", scores.f1, F1_TARGET),
        )
        if value < target
    ]
    return "FAIL: " + ", ".join(short) if short else "PASS"


def measure_set(args: argparse.Namespace, french: bool, seed: int, baselines: bool) -> None:
    """Generate (when missing) and score one reprint set; print its lines."""
    path = set_path(french, seed, args.noise_max, args.sources)
    truth_file = ensure_set(path, seed, args.sources, args.noise_max, french, args.regenerate)
    data = load_reprint_set(path, truth_file)
    n_true = _pairs_within(Counter(data.truth).values())
    role = "tuned on" if seed == args.seed else "held out"
    name = f"{'French' if french else 'Reuters'} seed {seed} ({role})"
    print(f"{name}: {path.name}, {len(data.keys)} scored paragraphs, {n_true} true pairs")
    rng = random.Random(0)
    results: list[tuple[str, list[int]]] = []
    other_kinds: dict[str, list[int]] | None = None
    if not args.no_dedup:
        report = run_dedup([path], args.dedup_args)
        if report is not None:
            kinds = Counter(c.get("kind") for c in report.get("clusters", []))
            print(f"dedup clusters by kind: {dict(sorted(kinds.items()))}")
            results.append(("dedup exact+near", report_labels(report, data, SCORED_KINDS)))
            results.append(("dedup (any kind)", report_labels(report, data, frozenset(kinds))))
            other_kinds = {
                kind: report_labels(report, data, frozenset({kind}))
                for kind in sorted(kinds.keys() - SCORED_KINDS)
            }
    if baselines and not args.no_baselines:
        results += list(cached_baseline_labels(data, path).items())
    print("pairwise scores over scored paragraphs (8+ words):")
    for label, labels in results:
        print(score_line(label, pairwise_scores(labels, data.truth)))
    if other_kinds is not None:
        scores = pairwise_scores(results[0][1], data.truth)
        MEASURED.append((name, scores))
        print(f"{verdict(scores)}: dedup exact+near on {name}")
    elif not args.no_dedup:
        print("FAIL: no dedup report")
    if args.explain:
        for label, labels in results:
            if label == "dedup exact+near" or label == args.explain_baseline:
                print(f"explain: {label}")
                explain(data, labels, args.examples, rng, other_kinds if "dedup" in label else None)


def run_reprints(args: argparse.Namespace, french: bool = False) -> None:
    """The ``reprints`` mode: the set tuned on, with baselines, then the held-out sets."""
    measure_set(args, french, args.seed, baselines=not french)
    for seed in args.held_out:
        measure_set(args, french, seed, baselines=False)


def run_french(args: argparse.Namespace) -> None:
    """The ``french`` mode."""
    run_reprints(args, french=True)


def run_summary(args: argparse.Namespace) -> None:
    """The summary of ``all``: one line per set measured."""
    print(f"reprint sets, OCR noise up to {args.noise_max:.0%} (exact + near, pairwise):")
    print("| set | precision | recall | F1 | true pairs | |")
    print("|---|---:|---:|---:|---:|---|")
    for name, scores in MEASURED:
        print(
            f"| {name} | {scores.precision:.4f} | {scores.recall:.4f} | {scores.f1:.4f} |"
            f" {scores.tp + scores.fn:,} | {verdict(scores).split(':')[0]} |"
        )


# --------------------------------------------------------------------------- clough


def member_file(member: dict) -> str:
    """File name a report member comes from (its ``source``, else its document id)."""
    source = member.get("source") or str(member.get("doc", "")).split("#")[0]
    return Path(source).name


def clough_shares(report: dict) -> dict[str, set[str]]:
    """For each file, the kinds of clusters it shares with each other file."""
    links: dict[str, set[str]] = defaultdict(set)
    for cluster in report.get("clusters", []):
        files = {member_file(m) for m in cluster["members"]}
        for a in files:
            for b in files - {a}:
                links[f"{a}|{b}"].add(cluster.get("kind", "?"))
    return links


def run_clough(args: argparse.Namespace) -> None:
    """The ``clough`` mode."""
    folder: Path = args.clough_dir
    with (folder / "file_information.csv").open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["Category"] != "orig"]
    report = run_dedup([folder], args.dedup_args)
    if report is None:
        print("FAIL: no report for Clough-Stevenson")
        return
    links = clough_shares(report)
    totals: Counter[str] = Counter()
    shared: Counter[str] = Counter()
    via: dict[str, Counter[str]] = defaultdict(Counter)
    shared_files: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        category = row["Category"]
        totals[category] += 1
        kinds = links.get(f"{row['File']}|orig_task{row['Task']}.txt")
        if kinds:
            shared[category] += 1
            via[category].update(kinds)
            shared_files[category].append(row["File"])
    print("answers sharing a cluster with their source text:")
    for category in ("cut", "light", "heavy", "non"):
        n, k = totals[category], shared[category]
        print(
            f"  {category:<6} {k:>3} / {n:<3} ({k / max(n, 1):6.1%})  "
            f"by kind {dict(sorted(via[category].items()))}"
        )
    reused = shared["cut"] + shared["light"]
    reused_total = totals["cut"] + totals["light"]
    share = reused / max(reused_total, 1)
    print(
        f"{'PASS' if reused >= CLOUGH_REUSE_TARGET else 'FAIL'}: cut+light {reused}/"
        f"{reused_total} = {share:.1%} (target >= {CLOUGH_REUSE_TARGET} of 38)"
    )
    print(
        f"{'PASS' if shared['non'] <= CLOUGH_NON_MAX else 'FAIL'}: non {shared['non']}/"
        f"{totals['non']} (target <= {CLOUGH_NON_MAX})"
    )
    if args.explain:
        missed = [
            r["File"]
            for r in rows
            if r["Category"] in ("cut", "light") and r["File"] not in shared_files[r["Category"]]
        ]
        print(f"  cut/light answers not linked: {missed}")
        print(f"  non answers linked: {shared_files['non']}")


def main(argv: Sequence[str] | None = None) -> int:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mode", choices=["reprints", "french", "clough", "all"])
    parser.add_argument("--seed", type=int, default=7, help="seed of the set tuned on")
    parser.add_argument(
        "--held-out",
        type=lambda text: [int(seed) for seed in text.split(",") if seed],
        default=[1, 2],
        help="comma-separated seeds of held-out sets (empty: none)",
    )
    parser.add_argument(
        "--noise-max", type=float, default=0.07, help="top OCR noise rate of the reprints"
    )
    parser.add_argument("--sources", type=int, default=1500)
    parser.add_argument("--regenerate", action="store_true", help="rebuild the reprint set")
    parser.add_argument("--clough-dir", type=Path, default=CLOUGH_DIR)
    parser.add_argument(
        "--dedup-args",
        default="",
        help='extra flags for dedup scan; write --dedup-args="--flag ..." or put them after --',
    )
    parser.add_argument("--no-dedup", action="store_true", help="baselines only")
    parser.add_argument("--no-baselines", action="store_true", help="dedup only")
    parser.add_argument("--explain", action="store_true", help="break errors down, examples")
    parser.add_argument(
        "--explain-baseline",
        default="char-5 Jaccard >= 0.5",
        help="baseline to break down too with --explain",
    )
    parser.add_argument("--examples", type=int, default=4, help="examples per error kind")
    argv = list(sys.argv[1:] if argv is None else argv)
    extra = argv[argv.index("--") + 1 :] if "--" in argv else []
    args = parser.parse_args(argv[: len(argv) - len(extra) - (1 if extra else 0)])
    args.dedup_args = shlex.join([*shlex.split(args.dedup_args), *extra])
    modes = {
        "reprints": [run_reprints],
        "french": [run_french],
        "clough": [run_clough],
        "all": [run_reprints, run_french, run_clough, run_summary],
    }
    for run in modes[args.mode]:
        print(f"== {run.__name__.removeprefix('run_')} ==")
        try:
            run(args)
        except (OSError, ValueError, KeyError, subprocess.CalledProcessError) as error:
            # A measurement that could not be taken is a FAIL line, not a crash.
            print(f"FAIL: {run.__name__.removeprefix('run_')} not measured: {error!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
