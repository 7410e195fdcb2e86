"""Clustering: verified pairs into groups, guarded against chaining.

Union-find joins the confirmed pairs of one kind. Links are transitive but
similarity is not: A~B and B~C do not make A~C. So every group is checked
against its canonical member (the earliest); members that do not match it
on their own leave the group and are clustered again among themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import numpy as np


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
    are not alike (A~B, B~C, A far from C), so a component is split into
    stars: the most linked unit still free becomes a centre and takes its
    free neighbours (ties go to the earliest unit), which keeps the dense
    core of a component together and lets weak links fall away. Then every
    member must match the canonical member itself (``check``, one batch per
    round): the earliest unit of the star, or with ``canonical_is_centre``
    the centre (partial reuse is a star around the paragraph the others draw
    on). Members that fail are clustered again among themselves; a unit left
    alone joins a neighbouring group whose canonical it matches.

    Returns groups of two or more units, canonical first and the rest sorted,
    ordered by canonical.
    """
    neighbours: dict[int, set[int]] = {}
    for a, b in edges:
        if a != b:
            neighbours.setdefault(a, set()).add(b)
            neighbours.setdefault(b, set()).add(a)
    groups: list[list[int]] = []
    free = sorted(neighbours)
    while free:
        every_star = _stars(free, neighbours)
        stars = [star for star in every_star if len(star) > 1]
        alone = [star[0] for star in every_star if len(star) == 1]
        pairs = []
        for star in stars:
            canonical = star[0] if canonical_is_centre else min(star)
            pairs += [(canonical, unit) for unit in star if unit != canonical]
        verdicts = dict(zip(pairs, check(pairs), strict=True)) if pairs else {}
        leftover = []
        for star in stars:
            canonical = star[0] if canonical_is_centre else min(star)
            kept = [canonical, *sorted(u for u in star if verdicts.get((canonical, u)))]
            if len(kept) > 1:
                groups.append(kept)
            leftover += [u for u in star if u != canonical and not verdicts[(canonical, u)]]
        # Units that left a star, and those whose neighbours were all taken,
        # are clustered again among themselves, while that still forms groups.
        if not leftover:
            break
        free = sorted(leftover + alone)
    _rejoin_singles(groups, neighbours, check)
    return sorted(groups)


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
