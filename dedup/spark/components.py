"""Connected components of a graph held as a DataFrame of edges, on the executors.

The alternating large-star / small-star algorithm (Kiveris, Lattanzi,
Mirrokni, Rastogi and Vassilvitskii, "Connected Components in MapReduce and
Beyond", SoCC 2014): each round links every node to the smallest node of
its neighbourhood, and the graph shrinks into one star per component, its
centre the smallest node, in O(log^2 n) rounds. Nothing is collected on the
driver; each round's edges are checkpointed so that the plan stays short.
"""

from __future__ import annotations

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

#: Rounds after which the graph must have become stars (2^64 nodes would need fewer).
MAX_ROUNDS = 200


def connected_components(edges: DataFrame, a: str = "a", b: str = "b") -> DataFrame:
    """``(node, component)`` for every node of the undirected ``edges`` (columns ``a``, ``b``
    of distinct long ids); a component is named by its smallest node."""
    graph = _normal(edges.select(F.col(a).alias("u"), F.col(b).alias("v")))
    graph = graph.localCheckpoint()
    for _ in range(MAX_ROUNDS):
        graph = _small_star(_large_star(graph)).localCheckpoint()
        if _is_star_forest(graph):
            break
    else:  # pragma: no cover - the algorithm converges in far fewer rounds
        raise RuntimeError("connected components did not converge")
    # Stars: ``(leaf, centre)`` with leaf > centre; a centre is its own component.
    leaves = graph.select(F.col("u").alias("node"), F.col("v").alias("component"))
    centres = graph.select(F.col("v").alias("node"), F.col("v").alias("component"))
    return leaves.union(centres).distinct()


def _normal(pairs: DataFrame) -> DataFrame:
    """Each edge once, as ``(larger, smaller)``, no loops."""
    return (
        pairs.select(F.greatest("u", "v").alias("u"), F.least("u", "v").alias("v"))
        .where(F.col("u") != F.col("v"))
        .distinct()
    )


def _both_ways(graph: DataFrame) -> DataFrame:
    return graph.union(graph.select(F.col("v").alias("u"), F.col("u").alias("v")))


def _smallest(neighbours: DataFrame) -> DataFrame:
    """``(u, m)``: the smallest of ``u`` and its neighbours in ``neighbours``."""
    return neighbours.groupBy("u").agg(F.least(F.min("v"), F.col("u")).alias("m"))


def _large_star(graph: DataFrame) -> DataFrame:
    """Each node's larger neighbours are linked to the smallest node of its neighbourhood."""
    both = _both_ways(graph)
    smallest = _smallest(both)
    linked = both.join(smallest, "u").where(F.col("v") > F.col("u"))
    return _normal(linked.select(F.col("v").alias("u"), F.col("m").alias("v")))


def _small_star(graph: DataFrame) -> DataFrame:
    """Each node and its smaller neighbours are linked to the smallest of them."""
    # In normal form every edge is (larger, smaller): the smaller neighbours of u.
    smallest = _smallest(graph)
    linked = graph.join(smallest, "u").select(F.col("v").alias("u"), F.col("m").alias("v"))
    itself = smallest.select(F.col("u"), F.col("m").alias("v"))
    return _normal(linked.union(itself))


def _is_star_forest(graph: DataFrame) -> bool:
    """Whether every node links to one node only, and no node is both a leaf and a centre."""
    several = graph.groupBy("u").agg(F.count("v").alias("n")).where(F.col("n") > 1)
    if not several.isEmpty():
        return False
    leaves = graph.select(F.col("u").alias("node"))
    centres = graph.select(F.col("v").alias("node"))
    return leaves.intersect(centres).isEmpty()


def bucket_of(component: Column, buckets: int) -> Column:
    """The bucket (``0 .. buckets - 1``) of a component: whole components per bucket."""
    return F.pmod(F.xxhash64(component), F.lit(buckets))
