"""What a batch changes in an index: entries for documents, and the plan of one write.

An index holds each distinct normalised text once, as a unit, with a count of the indexed
paragraphs that hold it. Adding, replacing or removing documents moves those counts; a
unit whose count rises from zero enters the index (its band keys and weights are added),
one whose count falls to zero leaves it (its band keys and weights, recomputed from its
text with the index's own parameters, are taken out). The arithmetic is done here, the
same for every store; the store only reads and writes.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Sequence

import numpy as np

from dedup.candidates import BandTable, band_params
from dedup.config import ScanConfig
from dedup.errors import StoreError
from dedup.normalize import normalize_many
from dedup.records import Document
from dedup.sketch import Sketched, sketch_units
from dedup.store import Change, Entry, Limits, Store, Tally, UnitTables, index_parameters
from dedup.units import unit_id


def entries_of(
    documents: Sequence[Document], config: ScanConfig
) -> tuple[list[Entry], dict[int, str]]:
    """The index entries of ``documents``, and the normalised text of each unit they hold."""
    texts = normalize_many([p.text for d in documents for p in d.paragraphs], config.normalize)
    ids = [unit_id(text) for text in texts]
    entries = []
    start = 0
    for document in documents:
        end = start + len(document.paragraphs)
        entries.append(Entry(document, tuple(ids[start:end]), digest_of(document)))
        start = end
    return entries, dict(zip(ids, texts, strict=True))


def digest_of(document: Document) -> bytes:
    """A hash of everything an index keeps of ``document`` (equal digests: nothing to update)."""
    content = [
        document.id,
        document.source,
        document.title,
        document.date,
        document.encoding,
        document.ordinal,
        [[p.index, p.line, p.column, p.end_line, p.text] for p in document.paragraphs],
    ]
    return hashlib.blake2b(json.dumps(content).encode("utf-8"), digest_size=16).digest()


def unit_tables(ids: np.ndarray, texts: list[str], config: ScanConfig) -> UnitTables:
    """Units with the band-key rows an index keeps of them, and the weights of their shingles.

    A one-sentence paragraph's sentence signature is the start of its paragraph signature;
    when sentence bands have as many rows as paragraph bands, its sentence keys are its
    first paragraph keys, and are not kept twice (``lookup_keys`` looks for both kinds of
    keys in both tables). A fifth of Reuters-21578's band rows.
    """
    sketched = sketch_units(texts, config.shingle, config.sketch, config.candidates)
    sentences = sketched.sentences
    if shared_bands(config):
        kept = ~sketched.one_sentence[sentences.units]
        sentences = BandTable(sentences.units[kept], sentences.keys[kept])
    return UnitTables(ids, texts, sketched.paragraphs, sentences, sketched.runs, sketched.weights)


def shared_bands(config: ScanConfig) -> bool:
    """Whether sentence bands are the first paragraph bands (same rows per band)."""
    candidates = config.candidates
    if not candidates.sentence_num_perm:
        return False
    _, rows = band_params(candidates, config.sketch.num_perm)
    _, sentence_rows = band_params(candidates, candidates.sentence_num_perm)
    return bool(rows == sentence_rows)


def lookup_keys(
    sketched: Sketched, config: ScanConfig
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The keys to look up in an index's paragraph, sentence and run tables to find every
    unit that would share a band key or a run fingerprint with ``sketched`` in a scan (see
    ``unit_tables``): the sentences of multi-sentence paragraphs are looked up among
    paragraph rows too, where one-sentence paragraphs keep their sentence keys."""
    runs = sketched.runs.keys.reshape(-1)
    if not shared_bands(config):
        return sketched.paragraphs.keys, sketched.sentences.keys, runs
    sentences = sketched.sentences
    several = sentences.keys[~sketched.one_sentence[sentences.units]]
    paragraph_side = np.concatenate((sketched.paragraphs.keys.reshape(-1), several.reshape(-1)))
    return paragraph_side, sentences.keys, runs


def lookup_limits(config: ScanConfig) -> Limits:
    """How many indexed units a key yields in a lookup: a bucket's ``max_bucket`` earliest; a
    run fingerprint's units when ``run_max_share`` at most hold it (a scan's rare runs)."""
    candidates = config.candidates
    return Limits(bucket=candidates.max_bucket, run=candidates.run_max_share)


def apply_change(
    store: Store,
    entries: Sequence[Entry],
    texts: dict[int, str],
    removed: Sequence[str],
    config: ScanConfig,
) -> Tally:
    """Add ``entries`` (units' normalised texts in ``texts``) and remove the documents
    ``removed``, as one write; call it inside ``store.transaction``.

    An entry whose document is indexed with the same digest is left as it is; with another
    digest, it replaces it.
    """
    parameters = index_parameters(config)
    stored = store.parameters()
    if stored is None:
        store.initialise(parameters)
    elif stored != parameters:
        raise StoreError(f"{store.location}: the index was built with other settings")
    known = store.digests([entry.document.id for entry in entries])
    fresh = [entry for entry in entries if known.get(entry.document.id) != entry.digest]
    replaced = {entry.document.id for entry in fresh if entry.document.id in known}
    present = set(store.digests(removed))
    gone = sorted(replaced | present)
    references: Counter[int] = Counter(unit for entry in fresh for unit in entry.units)
    references.subtract(store.held_units(gone))
    touched = np.array(sorted(u for u, n in references.items() if n), dtype=np.int64)
    before = store.references(touched)
    after = before + np.array([references[u] for u in touched.tolist()], dtype=np.int64)
    new = touched[(before == 0) & (after > 0)]
    dead = touched[(before > 0) & (after <= 0)]
    store.write(
        Change(
            added=tuple(fresh),
            removed=tuple(gone),
            references={u: n for u, n in references.items() if n},
            new_units=unit_tables(new, [texts[u] for u in new.tolist()], config),
            dead_units=unit_tables(dead, store.unit_texts(dead), config),
        )
    )
    return Tally(
        added=len(fresh) - len(replaced),
        replaced=len(replaced),
        unchanged=len(entries) - len(fresh),
        removed=len(present),
    )
