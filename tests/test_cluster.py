"""Clustering: verified pairs become groups within their components, guarded against chaining."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dedup.cluster import CentreCheck, cluster_pairs, partial_stars

edges_over_12 = st.lists(
    st.tuples(st.integers(0, 11), st.integers(0, 11)).filter(lambda e: e[0] != e[1]),
    max_size=20,
)


def components(edges: Sequence[tuple[int, int]]) -> list[list[int]]:
    """Connected components (two or more units), each sorted, by a plain graph search."""
    neighbours: dict[int, set[int]] = {}
    for a, b in edges:
        neighbours.setdefault(a, set()).add(b)
        neighbours.setdefault(b, set()).add(a)
    seen: set[int] = set()
    found = []
    for start in sorted(neighbours):
        if start in seen:
            continue
        stack, group = [start], set()
        while stack:
            unit = stack.pop()
            if unit not in group:
                group.add(unit)
                stack.extend(neighbours[unit] - group)
        seen |= group
        found.append(sorted(group))
    return found


def relation_check(related: set[frozenset[int]]) -> CentreCheck:
    """A chaining guard that accepts exactly the ``related`` pairs."""

    def check(pairs: Sequence[tuple[int, int]]) -> np.ndarray:
        return np.array([frozenset(pair) in related for pair in pairs], dtype=bool)

    return check


def accept_all(pairs: Sequence[tuple[int, int]]) -> np.ndarray:
    return np.ones(len(pairs), dtype=bool)


@given(edges=edges_over_12)
def test_with_an_accepting_check_every_linked_unit_is_grouped_within_its_component(
    edges: list[tuple[int, int]],
) -> None:
    groups = cluster_pairs(edges, accept_all)
    grouped = sorted(unit for group in groups for unit in group)
    assert grouped == sorted({unit for edge in edges for unit in edge})
    component_of = {unit: n for n, c in enumerate(components(edges)) for unit in c}
    assert all(len({component_of[unit] for unit in group}) == 1 for group in groups)


@given(edges=edges_over_12, data=st.data())
def test_groups_are_disjoint_sorted_stars_of_related_units(
    edges: list[tuple[int, int]], data: st.DataObject
) -> None:
    # Edges are verified pairs: related. The check may accept a few more (never fewer).
    linked = {frozenset(e) for e in edges}
    others = [frozenset(p) for p in itertools.combinations(range(12), 2)]
    related = linked | set(data.draw(st.lists(st.sampled_from(others), max_size=6)))
    groups = cluster_pairs(edges, relation_check(related))
    units = [unit for group in groups for unit in group]
    assert len(units) == len(set(units))
    assert set(units) <= {unit for edge in edges for unit in edge}
    assert groups == sorted(groups)
    for centre, *rest in groups:
        assert rest
        assert rest == sorted(rest)
        assert all(frozenset((centre, unit)) in related for unit in rest)


def test_chaining_is_cut_at_the_canonical() -> None:
    # A~B and B~C, but C is far from A: A and C never share a group.
    a, b, c = 0, 1, 2
    check = relation_check({frozenset((a, b)), frozenset((b, c))})
    groups = cluster_pairs([(a, b), (b, c)], check)
    assert not any({a, c} <= set(group) for group in groups)


CHAIN = [(0, 1), (1, 2), (2, 3)]


@pytest.mark.parametrize(
    ("extra", "expected"),
    [(set(), [[0, 1], [2, 3]]), ({frozenset((0, 2))}, [[0, 1, 2]])],
    ids=["chain-cut-in-two-pairs", "end-of-chain-kept-when-it-matches-the-canonical"],
)
def test_a_chain_is_cut_at_the_canonical(
    extra: set[frozenset[int]], expected: list[list[int]]
) -> None:
    # The chain 0-1-2-3: unit 1 (most linked, earliest of the ties) is the centre of 0, 1, 2;
    # the canonical is the earliest, 0, which 2 must match itself to stay.
    related = {frozenset(edge) for edge in CHAIN} | extra
    assert cluster_pairs(CHAIN, relation_check(related)) == expected


@pytest.mark.parametrize(
    ("canonical_is_centre", "expected"),
    [(True, [[2, 0, 1, 3]]), (False, [[0, 1, 2, 3]])],
    ids=["partial-reuse-star-around-the-source", "earliest-is-canonical"],
)
def test_canonical_of_a_star(canonical_is_centre: bool, expected: list[list[int]]) -> None:
    # 0, 1 and 3 each draw on paragraph 2, the most linked unit.
    edges = [(0, 2), (1, 2), (2, 3)]
    groups = cluster_pairs(edges, accept_all, canonical_is_centre=canonical_is_centre)
    assert groups == expected


def test_two_stars_in_one_component() -> None:
    # Two wire templates bridged by one link between two of their versions (3 and 7).
    edges = [(0, 1), (0, 2), (0, 3), (5, 6), (5, 7), (5, 8), (3, 7)]
    groups = cluster_pairs(edges, relation_check({frozenset(e) for e in edges}))
    assert groups == [[0, 1, 2, 3], [5, 6, 7, 8]]


def test_no_edges_no_groups() -> None:
    assert cluster_pairs([], accept_all) == []


@pytest.mark.parametrize(
    ("edges", "related", "expected"),
    [
        ([(4, 9)], {frozenset({4, 9})}, [[4, 9]]),
        ([(4, 9)], set(), []),
        ([(4, 9), (9, 4), (4, 4)], {frozenset({4, 9})}, [[4, 9]]),
        ([(1, 2), (7, 8)], {frozenset({7, 8})}, [[7, 8]]),
    ],
    ids=["one-link", "one-link-refused", "repeated-and-self-links", "two-components"],
)
def test_components_of_one_link(
    edges: list[tuple[int, int]], related: set[frozenset[int]], expected: list[list[int]]
) -> None:
    assert cluster_pairs(edges, relation_check(related)) == expected
    assert cluster_pairs(edges, relation_check(related), canonical_is_centre=True) == expected


@given(edges=edges_over_12)
def test_partial_stars_cover_every_edge_with_members_linked_to_their_centre(
    edges: list[tuple[int, int]],
) -> None:
    stars = partial_stars(edges)
    linked = {frozenset(edge) for edge in edges}
    # Every member is linked to its centre, and every link lies inside a star.
    assert all(frozenset((star[0], member)) in linked for star in stars for member in star[1:])
    assert all(any(edge <= set(star) for star in stars) for edge in linked)
    assert stars == sorted(stars)
    for star in stars:
        assert star[1:] == sorted(star[1:]) and star[0] not in star[1:]


def test_paragraphs_drawing_on_one_paragraph_make_one_star() -> None:
    # 2, 3 and 4 draw on 1, and on one another: one star around 1, not four.
    edges = [(1, 2), (1, 3), (1, 4), (2, 3), (3, 4), (2, 4)]
    assert partial_stars(edges) == [[1, 2, 3, 4]]


def test_a_paragraph_built_from_two_others_is_in_the_star_of_each() -> None:
    # 5 draws on 1 and on 2; 1 is also drawn on by 3 and 4.
    stars = partial_stars([(1, 5), (2, 5), (1, 3), (1, 4)])
    assert stars == [[1, 3, 4, 5], [5, 2]]
