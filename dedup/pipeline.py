"""The one place that knows the order of the stages.

read -> segment -> normalize -> units -> shingle/sketch -> candidates -> verify -> cluster -> report

Each stage lives in its own module and takes only its own settings; this
module calls them in order and holds nothing else.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace

from dedup.arrays import distinct
from dedup.candidates import band_params, propose_pairs
from dedup.cluster import build_clusters
from dedup.config import ScanConfig
from dedup.normalize import normalize_many
from dedup.readers import read_paths
from dedup.records import Document, Report, Skipped
from dedup.sketch import Progress, sketch_units
from dedup.units import canonical_order, distinct_units
from dedup.verify import Verifier

__all__ = ["Progress", "scan", "scan_documents"]


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector: a scan holds millions of records and makes no cycles,
    and every collection would walk them all (a third of a scan's time at a million
    paragraphs)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def scan(paths: Sequence[str], config: ScanConfig, progress: Progress | None = None) -> Report:
    """Read ``paths`` and find their repeated paragraphs."""
    started = time.perf_counter()
    skipped: list[Skipped] = []
    with _no_cycle_collection():
        report = scan_documents(read_paths(paths, config.read, skipped.append), config, progress)
    return replace(
        report,
        seconds=time.perf_counter() - started,
        skipped=tuple(sorted(skipped, key=lambda s: (s.source, s.reason))),
    )


def scan_documents(
    documents: Iterable[Document], config: ScanConfig, progress: Progress | None = None
) -> Report:
    """Find the repeated paragraphs of ``documents`` (in any order: the report is the same)."""
    with _no_cycle_collection():
        return _scan_documents(documents, config, progress)


def _scan_documents(
    documents: Iterable[Document], config: ScanConfig, progress: Progress | None
) -> Report:
    started = time.perf_counter()
    ordered = canonical_order(documents)
    paragraphs = [p for document in ordered for p in document.paragraphs]
    units = distinct_units(normalize_many([p.text for p in paragraphs], config.normalize))
    sketched = sketch_units(units.texts, config.shingle, config.sketch, config.candidates, progress)
    pairs = propose_pairs(
        sketched.paragraphs, sketched.sentences, sketched.one_sentence, config.candidates
    )
    weights = sketched.weights
    del sketched  # the band keys are done with: their memory goes to verification
    judge = Verifier(units.texts, distinct(pairs.ravel()), weights, config.shingle, config.verify)
    matches = judge.verify(pairs)
    if progress:
        progress("verify", len(pairs), len(pairs))
    clusters = build_clusters(matches, judge, units, paragraphs, config.shingle.min_words)
    bands, rows = band_params(config.candidates, config.sketch.num_perm)
    params: dict[str, object] = {**config.as_params(), "lsh_bands": bands, "lsh_rows": rows}
    return Report(tuple(ordered), tuple(clusters), params, time.perf_counter() - started)
