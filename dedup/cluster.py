"""Clustering: verified pairs into clusters of one kind, guarded against chaining.

The confirmed pairs of one kind make a graph; its connected components
(SciPy's ``csgraph``) are the first cut. Links are transitive but similarity
is not: A~B and B~C do not make A~C. So each component is split into stars
and every member is checked against its canonical member; members that do
not match it on their own leave and are clustered again among themselves.
``build_clusters`` layers the kinds: near duplicates first, exact copies of
a text, partial reuse attached to them or clustered apart, figures variants
last.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from itertools import chain

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from dedup.arrays import distinct, unique_pairs
from dedup.normalize import word_count
from dedup.records import SAME, Cluster, Kind, Matches, Member, Paragraph, Scores
from dedup.units import Units
from dedup.verify import RELATIONS, Verifier

#: Given ``(centre, unit)`` pairs, which units match their centre (a bool array).
CentreCheck = Callable[[Sequence[tuple[int, int]]], np.ndarray]


def cluster_pairs(
    edges: np.ndarray | Sequence[tuple[int, int]],
    check: CentreCheck,
    *,
    canonical_is_centre: bool = False,
) -> list[list[int]]:
    """Groups of units linked by ``edges``, every member verified against the group's canonical.

    The connected components come first. Links chain paragraphs that are not
    alike (A~B, B~C, A far from C), so each component is split into stars:
    the most linked unit still free becomes a centre and takes its free
    neighbours (ties go to the earliest unit), which keeps the dense core of
    a component together and lets weak links fall away. Then every member
    must match the canonical member itself (``check``, one batch per round
    for all components): the earliest unit of the star, or with
    ``canonical_is_centre`` the centre (partial reuse is a star around the
    paragraph the others draw on). Members that fail are clustered again
    among themselves; a unit left alone joins a neighbouring group whose
    canonical it matches.

    Returns groups of two or more units, canonical first and the rest sorted,
    ordered by canonical.
    """
    pairs = np.asarray(edges, dtype=np.int64).reshape(-1, 2)
    pairs = unique_pairs(pairs[pairs[:, 0] != pairs[:, 1]])
    if len(pairs) == 0:
        return []
    nodes = distinct(pairs.ravel())
    local = np.searchsorted(nodes, pairs)
    graph = sparse.coo_matrix(
        (np.ones(len(local), dtype=np.int8), (local[:, 0], local[:, 1])),
        shape=(len(nodes), len(nodes)),
    ).tocsr()
    count, labels = connected_components(graph, directed=False)
    sizes = np.bincount(labels, minlength=count)
    # A component of two units is one link: a group when the pair checks
    # out (whichever way the canonical is chosen, it is the earlier unit).
    single = sizes[labels[local[:, 0]]] == 2
    links = pairs[single]
    verdicts = check([tuple(pair) for pair in links.tolist()]) if len(links) else np.zeros(0, bool)
    groups: list[list[int]] = [list(pair) for pair in links[verdicts].tolist()]
    # Larger components: stars, with neighbour sets.
    larger = ~single
    neighbours: dict[int, set[int]] = {}
    for a, b in pairs[larger].tolist():
        neighbours.setdefault(a, set()).add(b)
        neighbours.setdefault(b, set()).add(a)
    members = np.flatnonzero(sizes[labels] > 2)
    order = members[np.argsort(labels[members], kind="stable")]
    bounds = np.flatnonzero(np.diff(labels[order])) + 1
    pending = [part.tolist() for part in np.split(nodes[order], bounds) if len(part)]
    larger_groups: list[list[int]] = []
    while pending:
        stars_of = [_stars(free, neighbours) for free in pending]
        checks = []
        for every_star in stars_of:
            for star in every_star:
                canonical = star[0] if canonical_is_centre else min(star)
                checks += [(canonical, unit) for unit in star if unit != canonical]
        passed = dict(zip(checks, check(checks), strict=True)) if checks else {}
        pending = []
        for every_star in stars_of:
            leftover, alone = [], []
            for star in every_star:
                if len(star) == 1:
                    alone.append(star[0])
                    continue
                canonical = star[0] if canonical_is_centre else min(star)
                kept = [canonical, *sorted(u for u in star if passed.get((canonical, u)))]
                if len(kept) > 1:
                    larger_groups.append(kept)
                leftover += [u for u in star if u != canonical and not passed[(canonical, u)]]
            # Units that left a star, and those whose neighbours were all taken,
            # are clustered again among themselves, while that still forms groups.
            if leftover:
                pending.append(sorted(leftover + alone))
    _rejoin_singles(larger_groups, neighbours, check)
    return sorted(groups + larger_groups)


def partial_stars(edges: np.ndarray | Iterable[tuple[int, int]]) -> list[list[int]]:
    """Stars that cover every edge of ``edges`` (verified partial reuse): centre first.

    The most linked paragraph becomes a centre and takes every neighbour it
    still shares an uncovered edge with; the edges among the members of a
    star are covered by it too (they draw on one paragraph, the centre); then
    the next, until every edge is covered. Unlike copies, a paragraph may be
    built from parts of several others (an answer drawing on three paragraphs
    of a source), so it may be a member of several stars; every member is
    linked to its centre itself.

    >>> partial_stars([(1, 2), (1, 3), (4, 3)])
    [[1, 2, 3], [3, 4]]
    >>> partial_stars([(1, 2), (1, 3), (2, 3)])
    [[1, 2, 3]]
    """
    neighbours = _neighbour_sets(edges)
    stars = []
    for centre in sorted(neighbours, key=lambda unit: (-len(neighbours[unit]), unit)):
        members = sorted(neighbours[centre])
        if not members:
            continue
        stars.append([centre, *members])
        star = {centre, *members}
        for unit in star:
            neighbours[unit] -= star
    return sorted(stars)


def _neighbour_sets(edges: np.ndarray | Iterable[tuple[int, int]]) -> dict[int, set[int]]:
    """Each unit's neighbours by ``edges`` (loops left out), built from sorted arrays."""
    pairs = np.asarray(edges if isinstance(edges, np.ndarray) else list(edges), dtype=np.int64)
    pairs = pairs.reshape(-1, 2)
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    if not len(pairs):
        return {}
    both = np.concatenate((pairs, pairs[:, ::-1]))
    both = both[np.argsort(both[:, 0], kind="stable")]
    units, starts = np.unique(both[:, 0], return_index=True)
    parts = np.split(both[:, 1], starts[1:])
    return {unit: set(part.tolist()) for unit, part in zip(units.tolist(), parts, strict=True)}


def _stars(units: Sequence[int], neighbours: dict[int, set[int]]) -> list[list[int]]:
    """Stars covering ``units``: centre first, then its neighbours among ``units`` still free."""
    inside = set(units)
    degree = {unit: len(neighbours[unit] & inside) for unit in units}
    taken: set[int] = set()
    stars = []
    for centre in sorted(units, key=lambda unit: (-degree[unit], unit)):
        if centre in taken:
            continue
        star = [centre] + [v for v in sorted(neighbours[centre] & inside) if v not in taken]
        taken.update(star)
        stars.append(star)
    return stars


def _rejoin_singles(
    groups: list[list[int]], neighbours: dict[int, set[int]], check: CentreCheck
) -> None:
    """Put each linked unit in no group into the first neighbouring group whose canonical
    (first member) it matches."""
    group_of = {unit: g for g, group in enumerate(groups) for unit in group}
    tries = [
        (groups[group_of[v]][0], unit, group_of[v])
        for unit in sorted(neighbours)
        if unit not in group_of
        for v in sorted(neighbours[unit])
        if v in group_of
    ]
    if not tries:
        return
    verdicts = check([(canonical, unit) for canonical, unit, _ in tries])
    joined: set[int] = set()
    for (_, unit, g), ok in zip(tries, verdicts, strict=True):
        if ok and unit not in joined:
            groups[g].append(unit)
            joined.add(unit)
    for group in groups:
        group[1:] = sorted(group[1:])


def build_clusters(
    matches: Matches,
    judge: Verifier,
    units: Units,
    paragraphs: Sequence[Paragraph],
    min_words: int,
) -> list[Cluster]:
    """Clusters of every kind, ordered by their first paragraph, with ids ``c1``, ``c2``, ...

    Near-duplicate clusters come first; a unit that is not in one is an exact
    cluster of its copies (boilerplate when shorter than ``min_words``). A
    partial reuse of a clustered paragraph joins that cluster (relation
    ``partial``); partial reuse among unclustered paragraphs, and pairs that
    differ only in figures, form clusters of their own kind.
    """
    groups: list[tuple[Kind, list[int]]] = [
        (Kind.NEAR, group)
        for group in cluster_pairs(matches.pairs(Kind.NEAR), judge.check((Kind.NEAR,)))
    ]
    clustered = np.zeros(len(units), dtype=bool)
    for _, group in groups:
        clustered[group] = True
    for unit in np.flatnonzero((units.counts() > 1) & ~clustered).tolist():
        short = word_count(units.texts[unit]) < min_words
        groups.append((Kind.BOILERPLATE if short else Kind.EXACT, [unit]))
    partial_edges = matches.pairs(Kind.PARTIAL)
    taken = {unit for _, group in groups for unit in group}
    groups += [(Kind.NEAR, group) for group in _abridged_groups(partial_edges, taken, judge)]
    _merge_abridged(groups, partial_edges, judge)
    partial_layer = _attach_partials(groups, partial_edges, judge)
    # In the figures layer a near or exact cluster takes part through its
    # canonical only, so that a near pair is not reported again there.
    canonical_of = np.arange(len(units), dtype=np.int64)
    for _, group in groups:
        canonical_of[group] = group[0]
    groups += [(Kind.PARTIAL, group) for group in partial_stars(partial_layer)]
    figures_layer = canonical_of[matches.pairs(Kind.FIGURES)]
    groups += [
        (Kind.FIGURES, group)
        for group in cluster_pairs(figures_layer, judge.check((Kind.NEAR, Kind.FIGURES)))
    ]
    return _clusters(groups, judge, units, paragraphs)


def _abridged_groups(edges: np.ndarray, clustered: set[int], judge: Verifier) -> list[list[int]]:
    """Near-duplicate groups of paragraphs in no cluster yet and their abridged copies (a
    sentence or two dropped), each member related to every other one.

    Every member is checked against the others, not only the canonical: two
    paragraphs run together hold both as abridged copies, which are not
    copies of each other. Adds the grouped units to ``clustered``.
    """
    free = [(a, b) for a, b in edges.tolist() if a not in clustered and b not in clustered]
    pairs = np.array(free, dtype=np.int64).reshape(-1, 2)
    linked = pairs[judge.abridged_of(pairs[:, 0], pairs[:, 1])] if len(pairs) else pairs
    check = judge.check((Kind.NEAR,), abridged=True)
    groups = []
    for group in cluster_pairs(linked, check):
        kept = group[:1]
        for unit in group[1:]:
            if all(check([(other, unit) for other in kept[1:]])):
                kept.append(unit)
        if len(kept) > 1:
            groups.append(kept)
            clustered.update(kept)
    return groups


def _merge_abridged(
    groups: list[tuple[Kind, list[int]]], edges: np.ndarray, judge: Verifier
) -> None:
    """Fold each group of abridged copies into the group of the paragraph they abridge.

    Copies with a sentence dropped find one another first and make a group
    of their own beside the group of full copies. When the canonical of one
    group is an abridged copy of the other's, and every member of the
    shorter group lies within the longer group's canonical, the shorter
    group joins the longer one (its members keep their relation, ``partial``
    when abridged). A group is folded once, into one group; a group that
    took another in is not folded itself.
    """
    group_of = _group_of(groups, edges)
    ga, gb = group_of[edges[:, 0]], group_of[edges[:, 1]]
    foldable = np.array([kind is Kind.NEAR or kind is Kind.EXACT for kind, _ in groups] + [False])
    # (-1, no group, indexes the last entry: not foldable.)
    proposed = (ga != gb) & foldable[ga] & foldable[gb]
    ordered = unique_pairs(np.stack((ga[proposed], gb[proposed]), axis=1))
    if not len(ordered):
        return
    first, second = ordered[:, 0], ordered[:, 1]
    canonicals = np.array([group[0] for _, group in groups], dtype=np.int64)
    abridged = np.flatnonzero(judge.abridged_of(canonicals[first], canonicals[second]))
    first, second = first[abridged], second[abridged]
    # The group whose canonical lies within the other's is the shorter one.
    inside = judge.within_of(canonicals[second], canonicals[first])
    folds = [
        (ga, gb) if second_inside else (gb, ga)
        for ga, gb, second_inside in zip(
            first.tolist(), second.tolist(), inside.tolist(), strict=True
        )
    ]
    taken: set[int] = set()
    folded: set[int] = set()
    check = judge.check((Kind.NEAR, Kind.PARTIAL))
    for longer, shorter in folds:
        if shorter in taken or shorter in folded or longer in folded or longer in taken:
            continue
        canonical = groups[longer][1][0]
        members = groups[shorter][1]
        verdicts = check([(canonical, unit) for unit in members])
        outer = np.full(len(members), canonical, dtype=np.int64)
        if all(verdicts) and judge.within_of(np.array(members, dtype=np.int64), outer).all():
            groups[longer][1].extend(members)
            groups[longer][1][1:] = sorted(groups[longer][1][1:])
            groups[shorter][1].clear()
            folded.add(shorter)
            taken.add(longer)
    groups[:] = [(kind, group) for kind, group in groups if group]


def _attach_partials(
    groups: list[tuple[Kind, list[int]]], edges: np.ndarray, judge: Verifier
) -> np.ndarray:
    """Add to ``groups`` the units that partially reuse a clustered unit; return the other edges.

    An unclustered unit joins the earliest cluster it relates to, when it also
    relates to that cluster's canonical (the chaining guard) and lies mostly
    within it (an excerpt or a rewrite of it, not a paragraph quoting it
    among other text: two such paragraphs are not copies of one another).
    The partial pairs left over (between two clusters, or not attachable) are
    returned: they make clusters of kind ``partial`` of their own.
    """
    group_of = _group_of(groups, edges)
    ga, gb = group_of[edges[:, 0]], group_of[edges[:, 1]]
    # (unit, group) of every unclustered unit and the groups it relates to, in that order.
    outward, inward = (ga >= 0) & (gb < 0), (gb >= 0) & (ga < 0)
    joins = np.concatenate(
        (
            np.stack((edges[outward, 1], ga[outward]), axis=1),
            np.stack((edges[inward, 0], gb[inward]), axis=1),
        )
    )
    joins = np.unique(joins, axis=0).tolist() if len(joins) else []
    verdicts = judge.check((Kind.PARTIAL, Kind.NEAR))(
        [(groups[g][1][0], unit) for unit, g in joins]
    )
    for (unit, g), ok in zip(joins, verdicts, strict=True):
        if ok and group_of[unit] < 0 and judge.within(unit, groups[g][1][0]):
            groups[g][1].append(unit)
            group_of[unit] = g
    ga, gb = group_of[edges[:, 0]], group_of[edges[:, 1]]
    return edges[(ga < 0) | (ga != gb)].reshape(-1, 2)


def _group_of(groups: list[tuple[Kind, list[int]]], edges: np.ndarray) -> np.ndarray:
    """The group of each unit (``-1`` for none), over every unit of ``groups`` and ``edges``."""
    members = [group for _, group in groups]
    lengths = np.fromiter(map(len, members), np.int64, len(members))
    units = np.fromiter(chain.from_iterable(members), np.int64, int(lengths.sum()))
    size = max(int(units.max(initial=-1)), int(edges.max(initial=-1))) + 1
    found = np.full(size, -1, dtype=np.int64)
    found[units] = np.repeat(np.arange(len(members)), lengths)
    return found


def _clusters(
    groups: list[tuple[Kind, list[int]]],
    judge: Verifier,
    units: Units,
    paragraphs: Sequence[Paragraph],
) -> list[Cluster]:
    """The clusters of ``groups`` (canonical unit first), ordered by their first paragraph,
    with ids ``c1``, ``c2``, ...

    Members are in canonical order (``dedup.units.canonical_order``). The
    canonical member is the first occurrence of the group's canonical unit:
    the earliest copy, except for partial reuse, where it is the paragraph
    the others draw on (the centre of the star). Every member's scores and
    relation are against the canonical, computed for all groups at once.
    """
    left = np.array([group[0] for _, group in groups for _ in group[1:]], dtype=np.int64)
    right = np.array([unit for _, group in groups for unit in group[1:]], dtype=np.int64)
    scores = judge.scores_of(left, right).tolist()
    codes = judge.kinds_of(left, right).tolist()
    every_unit = np.array([unit for _, group in groups for unit in group], dtype=np.int64)
    counts = units.counts()[every_unit]
    places = units.places[_ranges(units.bounds[every_unit], counts)].tolist()
    counts_list, ids = counts.tolist(), units.ids[every_unit].tolist()
    built = []
    at = unit_at = place_at = 0
    for kind, group in groups:
        members = []
        for position in range(len(group)):
            if position == 0:
                unit_scores, relation = SAME, Kind.EXACT
            else:
                unit_scores = Scores(*scores[at])
                relation = RELATIONS[codes[at]] or kind
                at += 1
            occurring = places[place_at : place_at + counts_list[unit_at]]
            if position == 0:
                first_canonical = occurring[0]
            members += [
                (place, Member(paragraphs[place], unit_scores, relation, ids[unit_at]))
                for place in occurring
            ]
            place_at += counts_list[unit_at]
            unit_at += 1
        members.sort(key=lambda item: item[0])
        canonical = next(i for i, (place, _) in enumerate(members) if place == first_canonical)
        built.append((members[0][0], kind, tuple(m for _, m in members), canonical))
    kinds = list(Kind)
    built.sort(key=lambda item: (item[0], kinds.index(item[1])))
    return [
        Cluster(id=f"c{number}", kind=kind, members=members, canonical=canonical)
        for number, (_, kind, members, canonical) in enumerate(built, start=1)
    ]


def _ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The positions ``starts[k] .. starts[k] + lengths[k] - 1`` of every range, in order."""
    offsets = np.cumsum(lengths) - lengths
    return np.arange(lengths.sum()) + np.repeat(starts - offsets, lengths)
