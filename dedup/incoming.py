"""Incoming copy against an index: the stages of a scan over the documents checked and the
indexed paragraphs they could repeat.

A check does not scan the archive: it reads from the index (``dedup.store``)
the paragraphs that share a band key with the documents, or are exact copies
of theirs, and runs the stages over those and the documents, scoring with
the index's weights plus the documents' own, so that a pair scores as in a
scan of the index and the documents together. Adding and removing documents
keeps the index's units, band keys and weights up to date.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from functools import partial
from itertools import chain

import numpy as np

from dedup.arrays import distinct
from dedup.candidates import BandTable
from dedup.config import INDEX_COPIES, ScanConfig, ShingleConfig
from dedup.normalize import normalize_many
from dedup.pipeline import candidate_pairs, cluster_units, no_cycle_collection, scan_params
from dedup.records import Cluster, Document, Kind, Report
from dedup.shingle import TextBuffer, shingle_batch, shingle_spans
from dedup.sketch import Progress, Sketched, sketch_units
from dedup.store import Store, Tally
from dedup.store.changes import apply_change, entries_of, lookup_keys, lookup_limits
from dedup.units import Units, canonical_order, distinct_units
from dedup.weights import Weights

__all__ = ["check_and_add", "check_documents", "index_documents", "remove_documents"]

#: Paragraphs per index transaction: a batch is written whole or not at all.
INDEX_BATCH = 50_000


#: Band-mates of a batch beyond which a check reads only those that a paragraph of the batch
#: matches: a template (an earnings table, a bond issue) has a hundred look-alikes in an
#: archive, and clustering them all with one another was most of a check's time.
PRUNE_FROM = 16
#: Times a check widens the indexed side: a scan's cluster holds what matches its canonical
#: member, which may share no band key with the documents checked, only with that canonical.
#: On the index benchmark, one widening brings the pairs that differ from a scan's from 27 to
#: 3 of 799 (exact, near, partial, figures); a second changes nothing.
WIDENINGS = 1


def check_documents(
    documents: Iterable[Document],
    store: Store,
    config: ScanConfig,
    copies: int | None = INDEX_COPIES,
) -> Report:
    """The repeats of ``documents`` among themselves and in the index ``store``.

    The stages run over the documents and the indexed paragraphs they could repeat: exact
    copies of their texts, the texts that share a band key with one of them (as LSH would
    propose in a scan of everything; when there are more than ``PRUNE_FROM``, those that
    one of the documents' paragraphs matches), and then, up to ``WIDENINGS`` times, the
    band-mates of the canonical members of their clusters that relate to those canonicals.
    Pairs are scored with the index's weights plus those of the documents' new texts, so
    that a pair scores as in a scan of the index and the documents together. Clusters that
    hold none of the documents are left out; indexed documents of the same id as a checked
    one are left out of the index's side. Of a text the index holds more than ``copies``
    times, the earliest ``copies`` are listed (None: all), and clusters count the others as
    ``unlisted``. ``config`` must carry the index's parameters
    (``dedup.store.adopt_parameters``).
    """
    started = time.perf_counter()
    incoming = canonical_order(documents)
    checked = {d.id for d in incoming}
    normalized = normalize_many([p.text for d in incoming for p in d.paragraphs], config.normalize)
    units = distinct_units(normalized)
    with no_cycle_collection():
        sketched = sketch_units(units.texts, config.shingle, config.sketch, config.candidates)
        indexed = units.ids[store.references(units.ids) > 0]
        new_weights = _weights_of(
            [t for t, old in zip(units.texts, np.isin(units.ids, indexed), strict=True) if not old],
            config.shingle,
        )

        def weights(texts: Sequence[str]) -> Weights:
            hashes = distinct(shingle_batch(texts, config.shingle).hashes)
            return store.frequencies(hashes) + new_weights

        found = store.neighbours(*lookup_keys(sketched, config), lookup_limits(config))
        found = found[~np.isin(found, units.ids)]
        if len(found) > PRUNE_FROM:
            kinds = (Kind.NEAR, Kind.PARTIAL, Kind.FIGURES)
            found = _matching(units.ids, units.texts, found, weights, store, config, kinds)
        wanted = distinct(np.concatenate((found, indexed)))
        for widening in range(WIDENINGS + 1):
            everything, universe, local, clusters = _check_pass(
                incoming, normalized, units, sketched, wanted, weights, store, config, copies
            )
            kept = [c for c in clusters if any(m.paragraph.doc in checked for m in c.members)]
            if widening == WIDENINGS:
                break
            more = _missing_members(
                kept, universe, local, wanted, units.ids, weights, store, config
            )
            if not len(more):
                break
            wanted = distinct(np.concatenate((wanted, more)))
    if copies is not None:
        kept = _count_unlisted(kept, store, checked)
    kept = [replace(c, id=f"c{number}") for number, c in enumerate(kept, start=1)]
    cited = {m.paragraph.doc for c in kept for m in c.members} - checked
    return Report(
        tuple(incoming),
        tuple(kept),
        scan_params(config),
        time.perf_counter() - started,
        indexed=tuple(d for d in everything if d.id in cited),
    )


def _missing_members(
    clusters: Sequence[Cluster],
    universe: Units,
    local: Sketched,
    wanted: np.ndarray,
    incoming: np.ndarray,
    weights: Callable[[Sequence[str]], Weights],
    store: Store,
    config: ScanConfig,
) -> np.ndarray:
    """Indexed units not read yet that a scan could put in ``clusters``: band-mates of their
    canonical members that relate to one of them (near or partial).

    Figures variants (one template, other numbers) are not widened from: a template's
    band-mates are hundreds of other variants.
    """
    canonicals = distinct(
        np.array([c.members[c.canonical].unit for c in clusters if c.kind.is_content], np.int64)
    )
    rows = replace(
        local,
        paragraphs=_restricted(local.paragraphs, universe.ids, canonicals),
        sentences=_restricted(local.sentences, universe.ids, canonicals),
        runs=_restricted(local.runs, universe.ids, canonicals),
    )
    more = store.neighbours(*lookup_keys(rows, config), lookup_limits(config))
    more = more[~np.isin(more, wanted) & ~np.isin(more, incoming)]
    if not len(more):
        return more
    row_of = {unit: row for row, unit in enumerate(universe.ids.tolist())}
    texts = [universe.texts[row_of[u]] for u in canonicals.tolist()]
    found = _matching(canonicals, texts, more, weights, store, config)
    return found[~np.isin(found, canonicals)]


def _matching(
    units: np.ndarray,
    texts: list[str],
    others: np.ndarray,
    weights: Callable[[Sequence[str]], Weights],
    store: Store,
    config: ScanConfig,
    kinds: tuple[Kind, ...] = (Kind.NEAR, Kind.PARTIAL),
) -> np.ndarray:
    """Of the indexed units ``others``, those that share a band key with one of ``units``
    (whose normalised texts are ``texts``) and relate to it by one of ``kinds``."""
    from dedup.verify import Verifier

    texts = [*texts, *store.unit_texts(others)]
    ids = np.concatenate((units, others))
    parts = [
        (part, sketch_units(part_texts, config.shingle, config.sketch, config.candidates))
        for part, part_texts in ((units, texts[: len(units)]), (others, texts[len(units) :]))
    ]
    pairs = candidate_pairs(_merged(ids, parts), config)
    # Rows are in order of ``ids``: a pair across the two sides has its ``units`` row first.
    pairs = pairs[(pairs[:, 0] < len(units)) & (pairs[:, 1] >= len(units))]
    involved = distinct(pairs.ravel())
    chosen = [texts[u] for u in involved.tolist()]
    judge = Verifier(texts, involved, weights(chosen), config.shingle, config.verify)
    related = {m.right for m in judge.verify(pairs) if m.kind in kinds}
    return distinct(ids[sorted(related)])


def _restricted(table: BandTable, ids: np.ndarray, units: np.ndarray) -> BandTable:
    """The rows of ``table`` whose unit (a row of ``ids``) has a stable id among ``units``."""
    held = np.isin(ids[table.units], units)
    return BandTable(table.units[held], table.keys[held])


def _check_pass(
    incoming: list[Document],
    normalized: list[str],
    units: Units,
    sketched: Sketched,
    wanted: np.ndarray,
    weights: Callable[[Sequence[str]], Weights],
    store: Store,
    config: ScanConfig,
    copies: int | None,
) -> tuple[list[Document], Units, Sketched, list[Cluster]]:
    """The stages over the documents (``units``, ``sketched``) and the indexed paragraphs
    holding ``wanted`` units: every document in canonical order, the units of all of them,
    their band-key tables, and the clusters."""
    entries = store.occurrences(wanted, {d.id for d in incoming}, copies)
    held = distinct(np.fromiter(chain.from_iterable(e.units for e in entries), np.int64))
    others = held[~np.isin(held, units.ids)]
    text_of = dict(zip(units.ids.tolist(), units.texts, strict=True))
    text_of.update(zip(others.tolist(), store.unit_texts(others), strict=True))
    theirs = sketch_units(
        [text_of[u] for u in others.tolist()], config.shingle, config.sketch, config.candidates
    )
    everything = canonical_order([*incoming, *(entry.document for entry in entries)])
    texts_of = _texts_by_document(incoming, normalized)
    texts_of.update((e.document.id, [text_of[u] for u in e.units]) for e in entries)
    paragraphs = [p for document in everything for p in document.paragraphs]
    universe = distinct_units([t for document in everything for t in texts_of[document.id]])
    local = _merged(universe.ids, [(units.ids, sketched), (others, theirs)])

    def weights_of(involved: np.ndarray) -> Weights:
        return weights([universe.texts[u] for u in involved.tolist()])

    clusters = cluster_units(
        universe, paragraphs, candidate_pairs(local, config), weights_of, config
    )
    return everything, universe, local, clusters


def _count_unlisted(clusters: list[Cluster], store: Store, checked: set[str]) -> list[Cluster]:
    """``clusters`` with the indexed copies of their texts that are not listed counted."""
    units = distinct(np.array([m.unit for c in clusters for m in c.members], dtype=np.int64))
    held = dict(zip(units.tolist(), store.references(units).tolist(), strict=True))
    for unit, count in store.held_units(checked).items():
        if unit in held:
            held[unit] -= count
    counted = []
    for cluster in clusters:
        listed = Counter(m.unit for m in cluster.members if m.paragraph.doc not in checked)
        unlisted = sum(held[unit] - listed[unit] for unit in {m.unit for m in cluster.members})
        counted.append(replace(cluster, unlisted=unlisted))
    return counted


def _merged(ids: np.ndarray, parts: Sequence[tuple[np.ndarray, Sketched]]) -> Sketched:
    """The band-key tables of the units ``ids`` (stable ids, in order) from those of its
    parts, rows in unit order as a scan of them has them."""
    row_of = {unit: row for row, unit in enumerate(ids.tolist())}
    one_sentence = np.zeros(len(ids), dtype=bool)
    tables: dict[str, list[BandTable]] = {"paragraphs": [], "sentences": [], "runs": []}
    for ids, sketched in parts:
        rows = np.fromiter((row_of[u] for u in ids.tolist()), np.int64, len(ids))
        one_sentence[rows] = sketched.one_sentence
        for name, table in tables.items():
            part = getattr(sketched, name)
            table.append(BandTable(rows[part.units], part.keys))
    merged = {}
    for name, table in tables.items():
        whole = BandTable.concat(table, table[0].bands)
        order = np.argsort(whole.units, kind="stable")
        merged[name] = BandTable(whole.units[order], whole.keys[order])
    return Sketched(
        merged["paragraphs"], merged["sentences"], one_sentence, Weights.empty(), merged["runs"]
    )


def _texts_by_document(documents: Sequence[Document], texts: Sequence[str]) -> dict[str, list[str]]:
    """``texts`` (one per paragraph of ``documents``, in order) grouped by document id."""
    grouped: dict[str, list[str]] = {}
    start = 0
    for document in documents:
        grouped[document.id] = list(texts[start : start + len(document.paragraphs)])
        start += len(document.paragraphs)
    return grouped


def _weights_of(texts: Sequence[str], config: ShingleConfig) -> Weights:
    """The weights of ``texts`` as sketching counts them (those of ``min_words`` or more)."""
    buffer = TextBuffer.of(texts)
    chosen = np.flatnonzero(buffer.word_counts() >= config.min_words)
    return Weights.of(shingle_spans(buffer, chosen, config))


def check_and_add(
    documents: Sequence[Document],
    store: Store,
    config: ScanConfig,
    copies: int | None = INDEX_COPIES,
) -> Report:
    """``check_documents``, then add the documents to the index, in one transaction."""

    def work() -> Report:
        report = check_documents(documents, store, config, copies)
        entries, texts = entries_of(report.documents, config)
        apply_change(store, entries, texts, (), config)
        return report

    return store.transaction(work)


def index_documents(
    documents: Iterable[Document],
    store: Store,
    config: ScanConfig,
    batch: int = INDEX_BATCH,
    progress: Progress | None = None,
) -> Tally:
    """Add ``documents`` to the index (one transaction per ``batch`` paragraphs).

    A document whose id is indexed already replaces it, or is left alone when it is the same.
    """
    tally = Tally()
    done = 0
    for part in _batches(documents, batch):
        entries, texts = entries_of(part, config)
        tally += store.transaction(partial(apply_change, store, entries, texts, (), config))
        done += len(part)
        if progress:
            progress("index", done, done)
    return tally


def remove_documents(ids: Sequence[str], store: Store, config: ScanConfig) -> Tally:
    """Remove the documents ``ids`` from the index (ids not indexed are ignored)."""
    return store.transaction(lambda: apply_change(store, [], {}, ids, config))


def _batches(documents: Iterable[Document], paragraphs: int) -> Iterator[list[Document]]:
    """``documents`` in runs of about ``paragraphs`` paragraphs."""
    part: list[Document] = []
    held = 0
    for document in documents:
        part.append(document)
        held += len(document.paragraphs)
        if held >= paragraphs:
            yield part
            part, held = [], 0
    if part:
        yield part
