"""Connected components on Spark (large-star / small-star) equal SciPy's on the same graph."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from scipy import sparse
from scipy.sparse.csgraph import connected_components as scipy_components

pytest.importorskip("pyspark", reason="pyspark is not installed (pip install 'dedup[spark]')")

from dedup.spark.components import connected_components


def _expected(edges: np.ndarray) -> dict[int, int]:
    """Each node's component, named by its smallest node, by SciPy."""
    nodes = np.unique(edges)
    local = np.searchsorted(nodes, edges)
    graph = sparse.coo_matrix(
        (np.ones(len(edges)), (local[:, 0], local[:, 1])), shape=(len(nodes), len(nodes))
    )
    _, labels = scipy_components(graph, directed=False)
    smallest = {label: int(nodes[labels == label].min()) for label in np.unique(labels)}
    return {int(node): smallest[label] for node, label in zip(nodes, labels, strict=True)}


def _random_graph(seed: int) -> np.ndarray:
    generator = np.random.default_rng(seed)
    nodes = generator.choice(10**12, size=300, replace=False)
    edges = nodes[generator.integers(0, len(nodes), size=(250, 2))]
    return edges[edges[:, 0] != edges[:, 1]]


GRAPHS = {
    # A chain whose ids zigzag: many rounds of the algorithm, as a chained LSH bucket makes.
    "zigzag-chain": np.array(
        [[i, 999 - i] for i in range(500)] + [[999 - i, i + 1] for i in range(499)]
    ),
    "random-1": _random_graph(1),
    "random-2": _random_graph(2),
    "two-edges": np.array([[5, 3], [7, 9]]),
}


@pytest.mark.parametrize("name", list(GRAPHS))
def test_components_equal_scipy(spark: Any, name: str) -> None:
    edges = GRAPHS[name]
    frame = spark.createDataFrame([(int(a), int(b)) for a, b in edges], "a bigint, b bigint")
    found = {row.node: row.component for row in connected_components(frame).collect()}
    assert found == _expected(edges)


def test_no_edges(spark: Any) -> None:
    frame = spark.createDataFrame([], "a bigint, b bigint")
    assert connected_components(frame).collect() == []
