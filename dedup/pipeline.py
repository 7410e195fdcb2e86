"""The one place that knows the order of the stages.

read -> segment -> normalize -> units -> shingle/sketch -> candidates -> verify -> cluster -> report

Each stage lives in its own module and takes only its own settings; this
module calls them in order and holds nothing else. Checking documents
against an index (``dedup.incoming``) runs the same stages, through
``cluster_units``, over the documents and the indexed paragraphs they could
repeat, with the index's weights.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace

import numpy as np

from dedup.arrays import distinct
from dedup.candidates import band_params, propose_pairs
from dedup.config import ScanConfig
from dedup.memory import give_back
from dedup.normalize import normalize_many
from dedup.readers import read_paths
from dedup.records import Cluster, Document, Paragraph, Report, Skipped
from dedup.sketch import Progress, Sketched, sketch_units
from dedup.units import Units, canonical_order, distinct_units
from dedup.weights import Weights

__all__ = [
    "Progress",
    "candidate_pairs",
    "cluster_units",
    "no_cycle_collection",
    "scan",
    "scan_documents",
    "scan_params",
]


@contextmanager
def no_cycle_collection() -> Iterator[None]:
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
    with no_cycle_collection():
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
    with no_cycle_collection():
        started = time.perf_counter()
        ordered = canonical_order(documents)
        paragraphs = [p for document in ordered for p in document.paragraphs]
        units = distinct_units(normalize_many([p.text for p in paragraphs], config.normalize))
        sketched = sketch_units(
            units.texts, config.shingle, config.sketch, config.candidates, progress
        )
        give_back()  # what sketching freed (its batches) goes before candidates take more
        pairs, weights = candidate_pairs(sketched, config), sketched.weights
        del sketched  # the band keys are done with: their memory goes to verification
        give_back()
        clusters = cluster_units(units, paragraphs, pairs, lambda _: weights, config, progress)
        seconds = time.perf_counter() - started
        return Report(tuple(ordered), tuple(clusters), scan_params(config), seconds)


def candidate_pairs(sketched: Sketched, config: ScanConfig) -> np.ndarray:
    """The candidate unit pairs of sketched units: they share a paragraph or sentence key."""
    return propose_pairs(
        sketched.paragraphs,
        sketched.sentences,
        sketched.one_sentence,
        sketched.runs,
        config.candidates,
    )


def cluster_units(
    units: Units,
    paragraphs: Sequence[Paragraph],
    pairs: np.ndarray,
    weights: Callable[[np.ndarray], Weights],
    config: ScanConfig,
    progress: Progress | None = None,
) -> list[Cluster]:
    """verify -> cluster: the candidate ``pairs`` of ``units`` decided, scored with
    ``weights(units in pairs)``, and clustered."""
    # Verification loads scikit-learn (half a second), which adding to an index never needs.
    from dedup.cluster import build_clusters
    from dedup.verify import Verifier

    involved = distinct(pairs.ravel())
    judge = Verifier(units.texts, involved, weights(involved), config.shingle, config.verify)
    give_back()  # what building the TF-IDF rows freed
    matches = judge.verify(pairs)
    if progress:
        progress("verify", len(pairs), len(pairs))
    return build_clusters(matches, judge, units, paragraphs, config.shingle.min_words)


def scan_params(config: ScanConfig) -> dict[str, object]:
    """Every effective parameter, with the LSH bands and rows they give, for reports."""
    bands, rows = band_params(config.candidates, config.sketch.num_perm)
    return {**config.as_params(), "lsh_bands": bands, "lsh_rows": rows}
