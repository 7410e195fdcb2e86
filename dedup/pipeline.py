"""The one place that knows the order of the stages.

read -> segment -> normalize -> shingle -> sketch -> candidates -> verify -> cluster -> report
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from dedup.candidates import band_keys, band_params, candidate_pairs, distinct
from dedup.cluster import cluster_pairs
from dedup.config import ScanConfig
from dedup.normalize import normalize_many, word_count
from dedup.readers import read_paths
from dedup.records import Cluster, Document, Match, Member, Paragraph, Report, Scores
from dedup.shingle import TextBuffer, shingle_spans
from dedup.sketch import sketch_batch
from dedup.verify import FIGURES, NEAR, PARTIAL, Verifier

EXACT = "exact"
BOILERPLATE = "boilerplate"
#: Cluster kinds, in the order a report lists them for one location.
KINDS = (EXACT, NEAR, PARTIAL, FIGURES, BOILERPLATE)

#: Called as ``progress(stage, done, total)`` while a scan runs.
Progress = Callable[[str, int, int], None]

# Paragraphs sketched per batch: bounds the memory of shingles at any time.
_BATCH = 20_000
_SAME = Scores(cosine=1.0, jaccard=1.0, containment=1.0)


def scan(paths: Sequence[str], config: ScanConfig, progress: Progress | None = None) -> Report:
    """Read ``paths`` and find their repeated paragraphs."""
    started = time.perf_counter()
    documents = tuple(read_paths(paths, config.read))
    report = scan_documents(documents, config, progress)
    return Report(
        documents=report.documents,
        clusters=report.clusters,
        params=report.params,
        seconds=time.perf_counter() - started,
    )


@dataclass(frozen=True, slots=True)
class _Units:
    """Distinct normalised texts ("units") and where each occurs."""

    texts: list[str]
    occurrences: list[list[int]]


def scan_documents(
    documents: Sequence[Document], config: ScanConfig, progress: Progress | None = None
) -> Report:
    """Find the repeated paragraphs of ``documents``."""
    started = time.perf_counter()
    paragraphs = [p for document in documents for p in document.paragraphs]
    units = _distinct(normalize_many([p.text for p in paragraphs], config.normalize))
    sketches = _sketch(units.texts, config, progress)
    pairs = sketches.paragraphs.pairs(config.candidates.max_bucket)
    if config.candidates.sentence_num_perm:
        # Two one-sentence paragraphs have met at paragraph level already.
        found = sketches.sentences.pairs(config.candidates.max_bucket, skip=sketches.one_sentence)
        pairs = _unique_pairs(np.concatenate((pairs, found)))
    involved = distinct(pairs.ravel())
    judge = Verifier(units.texts, involved, config.shingle, config.verify)
    matches = judge.verify(pairs)
    if progress:
        progress("verify", len(pairs), len(pairs))
    clusters = _clusters(matches, judge, units, paragraphs, config)
    bands, rows = band_params(config.candidates, config.sketch.num_perm)
    params: dict[str, object] = {**config.as_params(), "lsh_bands": bands, "lsh_rows": rows}
    return Report(
        documents=tuple(documents),
        clusters=tuple(clusters),
        params=params,
        seconds=time.perf_counter() - started,
    )


def _distinct(normalized: Sequence[str]) -> _Units:
    """Units in order of first occurrence: exact duplicates are found here, by identity."""
    first: dict[str, int] = {}
    of_paragraph = np.fromiter(
        (first.setdefault(text, len(first)) for text in normalized),
        dtype=np.int64,
        count=len(normalized),
    )
    # Occurrences of each unit, in reading order: a stable sort groups them.
    order = np.argsort(of_paragraph, kind="stable")
    bounds = np.searchsorted(of_paragraph[order], np.arange(len(first) + 1))
    places = order.tolist()
    occurrences = [places[bounds[u] : bounds[u + 1]] for u in range(len(first))]
    return _Units(texts=list(first), occurrences=occurrences)


@dataclass(slots=True)
class _Keys:
    """LSH band keys of sketched texts, and the unit each text belongs to."""

    owners: list[np.ndarray]
    keys: list[np.ndarray]

    def pairs(self, max_bucket: int, skip: np.ndarray | None = None) -> np.ndarray:
        """Unit pairs whose texts share a band key (``skip``: pairs of two such units dropped)."""
        if not self.keys:
            return np.empty((0, 2), dtype=np.int64)
        owners = np.concatenate(self.owners)
        found = owners[candidate_pairs(np.concatenate(self.keys), max_bucket)]
        useful = found[:, 0] != found[:, 1]
        if skip is not None:
            useful &= ~(skip[found[:, 0]] & skip[found[:, 1]])
        return _unique_pairs(found[useful])


@dataclass(slots=True)
class _Sketches:
    """What sketching leaves for the candidate stage."""

    paragraphs: _Keys
    sentences: _Keys
    #: Per unit: whether it is a single sentence (so met at paragraph level already).
    one_sentence: np.ndarray


def _sketch(texts: Sequence[str], config: ScanConfig, progress: Progress | None) -> _Sketches:
    """Band keys of every unit of ``min_words`` or more, and of their sentences.

    Units are taken in batches, each turned into one code-point buffer that
    is dropped after: memory holds keys, not shingles or text copies.
    Sentence signatures use the first ``sentence_num_perm`` permutations of
    the paragraph sketch, so a one-sentence paragraph's is the start of its
    paragraph signature, not sketched twice.
    """
    min_words = config.shingle.min_words
    bands, rows = band_params(config.candidates, config.sketch.num_perm)
    sentence_perm = config.candidates.sentence_num_perm
    sentence_bands = band_params(config.candidates, sentence_perm) if sentence_perm else (0, 0)
    result = _Sketches(_Keys([], []), _Keys([], []), np.zeros(len(texts), dtype=bool))
    for start in range(0, len(texts), _BATCH):
        buffer = TextBuffer.of(texts[start : start + _BATCH])
        chosen = np.flatnonzero(buffer.word_counts() >= min_words)
        signatures = sketch_batch(shingle_spans(buffer, chosen, config.shingle), config.sketch)
        result.paragraphs.owners.append(chosen + start)
        result.paragraphs.keys.append(band_keys(signatures, bands, rows))
        if sentence_perm:
            sentences, owners = buffer.sentences(chosen)
            single = np.bincount(owners, minlength=len(buffer))[owners] == 1
            several = np.flatnonzero(~single & (sentences.word_counts() >= min_words))
            sentence_signatures = np.concatenate(
                (
                    signatures[np.searchsorted(chosen, owners[single]), :sentence_perm],
                    sketch_batch(
                        shingle_spans(sentences, several, config.shingle),
                        config.sketch,
                        first=sentence_perm,
                    ),
                )
            )
            result.sentences.owners.append(
                np.concatenate((owners[single], owners[several])) + start
            )
            result.sentences.keys.append(band_keys(sentence_signatures, *sentence_bands))
            result.one_sentence[owners[single] + start] = True
        if progress:
            progress("sketch", min(start + _BATCH, len(texts)), len(texts))
    return result


def _unique_pairs(pairs: np.ndarray) -> np.ndarray:
    """Distinct rows of an ``(m, 2)`` array of non-negative ids, each ordered ``(low, high)``."""
    if len(pairs) == 0:
        return pairs.reshape(0, 2)
    low, high = pairs.min(axis=1), pairs.max(axis=1)
    scale = int(high.max()) + 1
    codes = distinct(low * scale + high)
    return np.stack((codes // scale, codes % scale), axis=1)


def _clusters(
    matches: Sequence[Match],
    judge: Verifier,
    units: _Units,
    paragraphs: Sequence[Paragraph],
    config: ScanConfig,
) -> list[Cluster]:
    """Clusters of every kind, ordered by their canonical paragraph, with stable ids.

    Near-duplicate clusters come first; a unit that is not in one is an exact
    cluster of its copies (boilerplate when shorter than ``min_words``). A
    partial reuse of a clustered paragraph joins that cluster (relation
    ``partial``); partial reuse among unclustered paragraphs, and pairs that
    differ only in figures, form clusters of their own kind.
    """
    edges: dict[str, list[tuple[int, int]]] = {NEAR: [], FIGURES: [], PARTIAL: []}
    for match in matches:
        edges[match.kind].append((match.left, match.right))
    groups: list[tuple[str, list[int]]] = [
        (NEAR, group) for group in cluster_pairs(edges[NEAR], judge.check((NEAR,)))
    ]
    clustered = {unit for _, group in groups for unit in group}
    for unit, places in enumerate(units.occurrences):
        if len(places) > 1 and unit not in clustered:
            short = word_count(units.texts[unit]) < config.shingle.min_words
            groups.append((BOILERPLATE if short else EXACT, [unit]))
            clustered.add(unit)
    partial_layer = _attach_partials(groups, edges[PARTIAL], judge)
    # In the figures layer a near or exact cluster takes part through its
    # canonical only, so that a near pair is not reported again there.
    canonical_of = {unit: group[0] for _, group in groups for unit in group}
    groups += [
        (PARTIAL, g)
        for g in cluster_pairs(partial_layer, judge.check((PARTIAL,)), canonical_is_centre=True)
    ]
    figures_layer = _through_canonicals(edges[FIGURES], canonical_of)
    groups += [(FIGURES, g) for g in cluster_pairs(figures_layer, judge.check((NEAR, FIGURES)))]
    built = [_cluster(kind, group, judge, units, paragraphs) for kind, group in groups]
    built.sort(key=lambda item: (item[0], KINDS.index(item[1].kind)))
    return [replace(cluster, id=f"c{number}") for number, (_, cluster) in enumerate(built, start=1)]


def _through_canonicals(
    edges: Sequence[tuple[int, int]], canonical_of: dict[int, int]
) -> list[tuple[int, int]]:
    """``edges`` with each clustered unit replaced by its cluster's canonical; pairs inside
    one cluster dropped."""
    mapped = {
        (min(a2, b2), max(a2, b2))
        for a, b in edges
        if (a2 := canonical_of.get(a, a)) != (b2 := canonical_of.get(b, b))
    }
    return sorted(mapped)


def _attach_partials(
    groups: list[tuple[str, list[int]]], edges: Sequence[tuple[int, int]], judge: Verifier
) -> list[tuple[int, int]]:
    """Add to ``groups`` the units that partially reuse a clustered unit; return the other edges.

    An unclustered unit joins the earliest cluster it relates to, when it also
    relates to that cluster's canonical (the chaining guard). The partial
    pairs left over (between two clusters, or not attachable) are returned:
    they make clusters of kind ``partial`` of their own.
    """
    group_of = {unit: g for g, (_, group) in enumerate(groups) for unit in group}
    joins: dict[int, set[int]] = {}
    for a, b in edges:
        if a in group_of and b not in group_of:
            joins.setdefault(b, set()).add(group_of[a])
        elif b in group_of and a not in group_of:
            joins.setdefault(a, set()).add(group_of[b])
    tries = [(g, unit) for unit in sorted(joins) for g in sorted(joins[unit])]
    verdicts = judge.check((PARTIAL, NEAR))([(groups[g][1][0], unit) for g, unit in tries])
    for (g, unit), ok in zip(tries, verdicts, strict=True):
        if ok and unit not in group_of:
            groups[g][1].append(unit)
            group_of[unit] = g
    return [(a, b) for a, b in edges if a not in group_of or group_of.get(b) != group_of[a]]


def _cluster(
    kind: str, group: list[int], judge: Verifier, units: _Units, paragraphs: Sequence[Paragraph]
) -> tuple[int, Cluster]:
    """The cluster of ``group`` (canonical unit first), keyed by its first paragraph.

    The canonical member is the earliest occurrence, except for partial reuse,
    where it is the paragraph the others draw on (the centre of the star).
    """
    canonical = group[0]
    others = [unit for unit in group if unit != canonical]
    scored = dict(zip(others, judge.score_pairs([(canonical, u) for u in others]), strict=True))
    members = []
    for unit in group:
        if unit == canonical:
            scores, relation = _SAME, EXACT
        else:
            scores, relation = scored[unit], judge.kind(canonical, unit) or kind
        for place in units.occurrences[unit]:
            members.append((place, Member(paragraphs[place], scores, relation)))
    members.sort(key=lambda item: item[0])
    first_canonical = units.occurrences[canonical][0]
    position = next(i for i, (place, _) in enumerate(members) if place == first_canonical)
    cluster = Cluster(id="", kind=kind, members=tuple(m for _, m in members), canonical=position)
    return members[0][0], cluster
