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


def cluster_pairs(edges: Iterable[tuple[int, int]], check: CentreCheck) -> list[list[int]]:
    """Groups of units linked by ``edges``, each a star around a centre it matches.

    Union-find gives the connected components. A component whose most linked
    unit (the hub) is linked to every other is one group. Otherwise links
    chained paragraphs that are not alike, and the component is split into
    stars: the most linked unit still free becomes a centre and takes its
    free neighbours, and so on (ties go to the earliest unit). A unit left
    alone joins the group of one of its neighbours if it matches that
    group's centre (``check``, one batch for all). Every member is thus
    verified against its centre, never only through a chain.

    Returns groups of two or more units, centre first and the rest sorted,
    ordered by centre.
    """
    neighbours: dict[int, set[int]] = {}
    for a, b in edges:
        if a != b:
            neighbours.setdefault(a, set()).add(b)
            neighbours.setdefault(b, set()).add(a)
    units = sorted(neighbours)
    position = {unit: i for i, unit in enumerate(units)}
    components = UnionFind(len(units))
    for a in units:
        for b in neighbours[a]:
            components.union(position[a], position[b])
    groups: dict[int, list[int]] = {}
    centre_of: dict[int, int] = {}
    for component in components.groups():
        members = [units[i] for i in component]
        order = sorted(members, key=lambda unit: (-len(neighbours[unit]), unit))
        for unit in order:
            if unit in centre_of:
                continue
            taken = [v for v in sorted(neighbours[unit]) if v not in centre_of]
            groups[unit] = [unit, *taken]
            centre_of.update(dict.fromkeys(groups[unit], unit))
    _rejoin_singles(groups, centre_of, neighbours, check)
    return sorted(group for group in groups.values() if len(group) > 1)


def _rejoin_singles(
    groups: dict[int, list[int]],
    centre_of: dict[int, int],
    neighbours: dict[int, set[int]],
    check: CentreCheck,
) -> None:
    """Move each unit left alone into the first neighbouring group whose centre it matches."""
    singles = [centre for centre, group in groups.items() if len(group) == 1]
    tries = [
        (centre_of[v], unit)
        for unit in singles
        for v in sorted(neighbours[unit])
        if len(groups[centre_of[v]]) > 1
    ]
    if not tries:
        return
    for (centre, unit), ok in zip(tries, check(tries), strict=True):
        if ok and len(groups.get(unit, ())) == 1:
            del groups[unit]
            groups[centre].append(unit)
            centre_of[unit] = centre
    for group in groups.values():
        group[1:] = sorted(group[1:])
