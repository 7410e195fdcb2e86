"""Clustering: verified pairs into clusters of one kind, guarded against chaining.

Union-find joins the confirmed pairs of one kind into connected components.
Links are transitive but similarity is not: A~B and B~C do not make A~C. So
each component is split into stars and every member is checked against its
canonical member; members that do not match it on their own leave and are
clustered again among themselves. ``build_clusters`` layers the kinds: near
duplicates first, exact copies of a text, partial reuse attached to them or
clustered apart, figures variants last.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

import numpy as np

from dedup.normalize import word_count
from dedup.records import SAME, Cluster, Kind, Match, Member, Paragraph
from dedup.units import Units
from dedup.verify import Verifier


class UnionFind:
    """Disjoint sets over ``0..n-1``; the root of a set is its smallest element.

    >>> sets = UnionFind(5)
    >>> sets.union(3, 1); sets.union(1, 4)
    >>> sets.find(4), sets.groups()
    (1, [[1, 3, 4]])
    """

    def __init__(self, size: int) -> None:
        self._parent = list(range(size))

    def find(self, item: int) -> int:
        """The root of ``item``'s set (path halving)."""
        parent = self._parent
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    def union(self, left: int, right: int) -> None:
        """Join the sets of ``left`` and ``right``."""
        a, b = self.find(left), self.find(right)
        if a != b:
            self._parent[max(a, b)] = min(a, b)

    def groups(self, min_size: int = 2) -> list[list[int]]:
        """Sets of at least ``min_size`` elements, each sorted, ordered by their smallest."""
        found: dict[int, list[int]] = {}
        for item in range(len(self._parent)):
            found.setdefault(self.find(item), []).append(item)
        return [members for _, members in sorted(found.items()) if len(members) >= min_size]


#: Given ``(centre, unit)`` pairs, which units match their centre (a bool array).
CentreCheck = Callable[[Sequence[tuple[int, int]]], np.ndarray]


def cluster_pairs(
    edges: Iterable[tuple[int, int]], check: CentreCheck, *, canonical_is_centre: bool = False
) -> list[list[int]]:
    """Groups of units linked by ``edges``, every member verified against the group's canonical.

    Union-find gives the connected components. Links chain paragraphs that
    are not alike (A~B, B~C, A far from C), so each component is split into
    stars: the most linked unit still free becomes a centre and takes its
    free neighbours (ties go to the earliest unit), which keeps the dense
    core of a component together and lets weak links fall away. Then every
    member must match the canonical member itself (``check``, one batch per
    round for all components): the earliest unit of the star, or with
    ``canonical_is_centre`` the centre (partial reuse is a star around the
    paragraph the others draw on). Members that fail are clustered again
    among themselves; a unit left alone joins a neighbouring group whose
    canonical it matches.

    Returns groups of two or more units, canonical first and the rest sorted,
    ordered by canonical.
    """
    neighbours: dict[int, set[int]] = {}
    for a, b in edges:
        if a != b:
            neighbours.setdefault(a, set()).add(b)
            neighbours.setdefault(b, set()).add(a)
    nodes = sorted(neighbours)
    position = {unit: k for k, unit in enumerate(nodes)}
    components = UnionFind(len(nodes))
    for unit in nodes:
        for other in neighbours[unit]:
            components.union(position[unit], position[other])
    pending = [[nodes[k] for k in members] for members in components.groups()]
    groups: list[list[int]] = []
    while pending:
        stars_of = [_stars(free, neighbours) for free in pending]
        pairs = []
        for every_star in stars_of:
            for star in every_star:
                canonical = star[0] if canonical_is_centre else min(star)
                pairs += [(canonical, unit) for unit in star if unit != canonical]
        verdicts = dict(zip(pairs, check(pairs), strict=True)) if pairs else {}
        pending = []
        for every_star in stars_of:
            leftover, alone = [], []
            for star in every_star:
                if len(star) == 1:
                    alone.append(star[0])
                    continue
                canonical = star[0] if canonical_is_centre else min(star)
                kept = [canonical, *sorted(u for u in star if verdicts.get((canonical, u)))]
                if len(kept) > 1:
                    groups.append(kept)
                leftover += [u for u in star if u != canonical and not verdicts[(canonical, u)]]
            # Units that left a star, and those whose neighbours were all taken,
            # are clustered again among themselves, while that still forms groups.
            if leftover:
                pending.append(sorted(leftover + alone))
    _rejoin_singles(groups, neighbours, check)
    return sorted(groups)


def partial_stars(edges: Iterable[tuple[int, int]]) -> list[list[int]]:
    """Stars that cover every edge of ``edges`` (verified partial reuse): centre first.

    The most linked paragraph becomes a centre and takes every neighbour it
    still shares an uncovered edge with, then the next, until every edge is
    in a star. Unlike copies, a paragraph may be built from parts of several
    others (an answer drawing on three paragraphs of a source), so it may be
    a member of several stars; every member is linked to its centre itself.

    >>> partial_stars([(1, 2), (1, 3), (4, 3)])
    [[1, 2, 3], [3, 4]]
    """
    neighbours: dict[int, set[int]] = {}
    for a, b in edges:
        if a != b:
            neighbours.setdefault(a, set()).add(b)
            neighbours.setdefault(b, set()).add(a)
    stars = []
    for centre in sorted(neighbours, key=lambda unit: (-len(neighbours[unit]), unit)):
        members = sorted(neighbours[centre])
        if members:
            stars.append([centre, *members])
        for member in members:
            neighbours[member].discard(centre)
        neighbours[centre] = set()
    return sorted(stars)


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
    matches: Sequence[Match],
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
    edges: dict[Kind, list[tuple[int, int]]] = {Kind.NEAR: [], Kind.FIGURES: [], Kind.PARTIAL: []}
    for match in matches:
        edges[match.kind].append((match.left, match.right))
    groups: list[tuple[Kind, list[int]]] = [
        (Kind.NEAR, group) for group in cluster_pairs(edges[Kind.NEAR], judge.check((Kind.NEAR,)))
    ]
    clustered = {unit for _, group in groups for unit in group}
    repeated = np.flatnonzero(units.counts() > 1).tolist()
    for unit in repeated:
        if unit not in clustered:
            short = word_count(units.texts[unit]) < min_words
            groups.append((Kind.BOILERPLATE if short else Kind.EXACT, [unit]))
            clustered.add(unit)
    groups += [
        (Kind.NEAR, group) for group in _abridged_groups(edges[Kind.PARTIAL], clustered, judge)
    ]
    _merge_abridged(groups, edges[Kind.PARTIAL], judge)
    partial_layer = _attach_partials(groups, edges[Kind.PARTIAL], judge)
    # In the figures layer a near or exact cluster takes part through its
    # canonical only, so that a near pair is not reported again there.
    canonical_of = {unit: group[0] for _, group in groups for unit in group}
    groups += [(Kind.PARTIAL, group) for group in partial_stars(partial_layer)]
    figures_layer = _through_canonicals(edges[Kind.FIGURES], canonical_of)
    groups += [
        (Kind.FIGURES, group)
        for group in cluster_pairs(figures_layer, judge.check((Kind.NEAR, Kind.FIGURES)))
    ]
    built = [_cluster(kind, group, judge, units, paragraphs) for kind, group in groups]
    kinds = list(Kind)
    built.sort(key=lambda item: (item[0], kinds.index(item[1].kind)))
    return [replace(cluster, id=f"c{number}") for number, (_, cluster) in enumerate(built, start=1)]


def _abridged_groups(
    edges: Sequence[tuple[int, int]], clustered: set[int], judge: Verifier
) -> list[list[int]]:
    """Near-duplicate groups of paragraphs in no cluster yet and their abridged copies (a
    sentence or two dropped), each member related to every other one.

    Every member is checked against the others, not only the canonical: two
    paragraphs run together hold both as abridged copies, which are not
    copies of each other. Adds the grouped units to ``clustered``.
    """
    linked = [
        (a, b)
        for a, b in edges
        if a not in clustered and b not in clustered and judge.abridged(a, b)
    ]
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
    groups: list[tuple[Kind, list[int]]], edges: Sequence[tuple[int, int]], judge: Verifier
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
    group_of = {unit: g for g, (kind, group) in enumerate(groups) for unit in group}
    proposals: set[tuple[int, int]] = set()
    for a, b in edges:
        ga, gb = group_of.get(a), group_of.get(b)
        if ga is None or gb is None or ga == gb:
            continue
        if groups[ga][0] is not Kind.NEAR and groups[ga][0] is not Kind.EXACT:
            continue
        if groups[gb][0] is not Kind.NEAR and groups[gb][0] is not Kind.EXACT:
            continue
        proposals.add((min(ga, gb), max(ga, gb)))
    pairs = [(groups[ga][1][0], groups[gb][1][0]) for ga, gb in sorted(proposals)]
    judge.score_pairs(pairs)
    folds = []
    for (ga, gb), (ca, cb) in zip(sorted(proposals), pairs, strict=True):
        if not judge.abridged(ca, cb):
            continue
        longer, shorter = (ga, gb) if judge.within(cb, ca) else (gb, ga)
        folds.append((longer, shorter))
    taken: set[int] = set()
    folded: set[int] = set()
    check = judge.check((Kind.NEAR, Kind.PARTIAL))
    for longer, shorter in folds:
        if shorter in taken or shorter in folded or longer in folded or longer in taken:
            continue
        canonical = groups[longer][1][0]
        members = groups[shorter][1]
        verdicts = check([(canonical, unit) for unit in members])
        if all(verdicts) and all(judge.within(unit, canonical) for unit in members):
            groups[longer][1].extend(members)
            groups[longer][1][1:] = sorted(groups[longer][1][1:])
            groups[shorter][1].clear()
            folded.add(shorter)
            taken.add(longer)
    groups[:] = [(kind, group) for kind, group in groups if group]


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
    groups: list[tuple[Kind, list[int]]], edges: Sequence[tuple[int, int]], judge: Verifier
) -> list[tuple[int, int]]:
    """Add to ``groups`` the units that partially reuse a clustered unit; return the other edges.

    An unclustered unit joins the earliest cluster it relates to, when it also
    relates to that cluster's canonical (the chaining guard) and lies mostly
    within it (an excerpt or a rewrite of it, not a paragraph quoting it
    among other text: two such paragraphs are not copies of one another).
    The partial pairs left over (between two clusters, or not attachable) are
    returned: they make clusters of kind ``partial`` of their own.
    """
    group_of = {unit: g for g, (_, group) in enumerate(groups) for unit in group}
    joins: dict[int, set[int]] = {}
    for a, b in edges:
        if a in group_of and b not in group_of:
            joins.setdefault(b, set()).add(group_of[a])
        elif b in group_of and a not in group_of:
            joins.setdefault(a, set()).add(group_of[b])
    tries = [(g, unit) for unit in sorted(joins) for g in sorted(joins[unit])]
    verdicts = judge.check((Kind.PARTIAL, Kind.NEAR))(
        [(groups[g][1][0], unit) for g, unit in tries]
    )
    for (g, unit), ok in zip(tries, verdicts, strict=True):
        if ok and unit not in group_of and judge.within(unit, groups[g][1][0]):
            groups[g][1].append(unit)
            group_of[unit] = g
    return [(a, b) for a, b in edges if a not in group_of or group_of.get(b) != group_of[a]]


def _cluster(
    kind: Kind, group: list[int], judge: Verifier, units: Units, paragraphs: Sequence[Paragraph]
) -> tuple[int, Cluster]:
    """The cluster of ``group`` (canonical unit first), keyed by its first paragraph.

    Members are in canonical order (``dedup.units.canonical_order``). The
    canonical member is the first occurrence of the group's canonical unit:
    the earliest copy, except for partial reuse, where it is the paragraph
    the others draw on (the centre of the star).
    """
    canonical = group[0]
    others = [unit for unit in group if unit != canonical]
    scored = dict(zip(others, judge.score_pairs([(canonical, u) for u in others]), strict=True))
    members = []
    for unit in group:
        if unit == canonical:
            scores, relation = SAME, Kind.EXACT
        else:
            scores, relation = scored[unit], judge.kind(canonical, unit) or kind
        stable = int(units.ids[unit])
        for place in units.occurrences(unit):
            members.append((place, Member(paragraphs[place], scores, relation, stable)))
    members.sort(key=lambda item: item[0])
    first_canonical = units.occurrences(canonical)[0]
    position = next(i for i, (place, _) in enumerate(members) if place == first_canonical)
    cluster = Cluster(id="", kind=kind, members=tuple(m for _, m in members), canonical=position)
    return members[0][0], cluster
