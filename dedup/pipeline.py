"""The one place that knows the order of the stages.

read -> segment -> normalize -> units -> shingle/sketch -> candidates -> verify -> cluster -> report

Each stage lives in its own module and takes only its own settings; this
module calls them in order and holds nothing else.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence

import numpy as np

from dedup.arrays import distinct, unique_pairs
from dedup.candidates import band_params, rare_run_pairs
from dedup.cluster import build_clusters
from dedup.config import ScanConfig
from dedup.normalize import normalize_many
from dedup.readers import read_paths
from dedup.records import Document, Report
from dedup.sketch import Progress, sketch_units
from dedup.units import canonical_order, distinct_units
from dedup.verify import Verifier

__all__ = ["Progress", "scan", "scan_documents"]


def scan(paths: Sequence[str], config: ScanConfig, progress: Progress | None = None) -> Report:
    """Read ``paths`` and find their repeated paragraphs."""
    started = time.perf_counter()
    report = scan_documents(read_paths(paths, config.read), config, progress)
    return Report(report.documents, report.clusters, report.params, time.perf_counter() - started)


def scan_documents(
    documents: Iterable[Document], config: ScanConfig, progress: Progress | None = None
) -> Report:
    """Find the repeated paragraphs of ``documents`` (in any order: the report is the same)."""
    started = time.perf_counter()
    ordered = canonical_order(documents)
    paragraphs = [p for document in ordered for p in document.paragraphs]
    units = distinct_units(normalize_many([p.text for p in paragraphs], config.normalize))
    sketched = sketch_units(units.texts, config.shingle, config.sketch, config.candidates, progress)
    max_bucket = config.candidates.max_bucket
    pairs = sketched.paragraphs.pairs(max_bucket)
    if config.candidates.sentence_num_perm:
        # Two one-sentence paragraphs have met at paragraph level already.
        found = sketched.sentences.pairs(max_bucket, skip=sketched.one_sentence)
        pairs = unique_pairs(np.concatenate((pairs, found)))
    if config.candidates.run_length:
        runs = rare_run_pairs(sketched.runs, config.candidates)
        pairs = unique_pairs(np.concatenate((pairs, runs)))
    judge = Verifier(
        units.texts, distinct(pairs.ravel()), sketched.weights, config.shingle, config.verify
    )
    matches = judge.verify(pairs)
    if progress:
        progress("verify", len(pairs), len(pairs))
    clusters = build_clusters(matches, judge, units, paragraphs, config.shingle.min_words)
    bands, rows = band_params(config.candidates, config.sketch.num_perm)
    params: dict[str, object] = {**config.as_params(), "lsh_bands": bands, "lsh_rows": rows}
    return Report(tuple(ordered), tuple(clusters), params, time.perf_counter() - started)
