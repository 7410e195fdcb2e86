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


#: Given ``(canonical, unit)`` pairs, which units match their canonical (a bool array).
CanonicalCheck = Callable[[Sequence[tuple[int, int]]], np.ndarray]


def cluster_pairs(
    edges: Iterable[tuple[int, int]], check: CanonicalCheck, *, hub: bool = True
) -> list[list[int]]:
    """Groups of units linked by ``edges`` whose every member matches the group's centre.

    The centre of a component is its most linked unit (the earliest of
    ties), or with ``hub=False`` its earliest unit. A hub keeps the dense core
    of a component together (the versions of one paragraph all match it) and
    lets a weak link fall away, where the earliest unit may be the weak link
    itself; partial reuse is a star around the paragraph the others draw on.
    Returns groups of two or more units, centre first and the rest sorted,
    ordered by centre. The members of all components are checked in one batch
    per round; those that fail are clustered again among themselves.
    """
    neighbours: dict[int, set[int]] = {}
    for a, b in edges:
        neighbours.setdefault(a, set()).add(b)
        neighbours.setdefault(b, set()).add(a)
    all_edges = [(a, b) for a in neighbours for b in neighbours[a] if a < b]
    worklist = _components(all_edges, sorted(neighbours))
    if hub:
        worklist = [_hub_first(component, neighbours) for component in worklist]
    result: list[list[int]] = []
    while worklist:
        verdicts = check([(component[0], unit) for component in worklist for unit in component[1:]])
        position = 0
        next_round: list[list[int]] = []
        for component in worklist:
            canonical, rest = component[0], component[1:]
            matched = verdicts[position : position + len(rest)]
            position += len(rest)
            group = [canonical] + [u for u, ok in zip(rest, matched, strict=True) if ok]
            if len(group) > 1:
                result.append(group)
            leftover = [u for u, ok in zip(rest, matched, strict=True) if not ok]
            if len(leftover) > 1:
                inside = set(leftover)
                sub_edges = [
                    (a, b) for a in leftover for b in neighbours[a] if a < b and b in inside
                ]
                components = _components(sub_edges, leftover)
                if hub:
                    components = [_hub_first(c, neighbours, inside) for c in components]
                next_round.extend(components)
        worklist = next_round
    return sorted(result)


def _hub_first(
    component: list[int], neighbours: dict[int, set[int]], inside: set[int] | None = None
) -> list[int]:
    """``component`` with its most linked unit (the earliest of ties) moved to the front."""
    members = set(component) if inside is None else inside & set(component)
    degree = {unit: len(neighbours[unit] & members) for unit in component}
    centre = min(component, key=lambda unit: (-degree[unit], unit))
    return [centre] + [unit for unit in component if unit != centre]


def _components(edges: Sequence[tuple[int, int]], units: Sequence[int]) -> list[list[int]]:
    """Connected components (two or more units) of ``edges`` over ``units``."""
    position = {unit: i for i, unit in enumerate(units)}
    sets = UnionFind(len(units))
    for a, b in edges:
        sets.union(position[a], position[b])
    return [[units[i] for i in group] for group in sets.groups()]
