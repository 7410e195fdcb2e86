"""Small sort-based helpers over integer arrays, shared by the stages.

NumPy 2.x finds distinct values of large int64 arrays by hashing, which is
two orders of magnitude slower than a sort on millions of values: these
helpers sort.
"""

from __future__ import annotations

import numpy as np


def distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values of a 1-d array, sorted (equal to ``np.unique(values)``).

    >>> distinct(np.array([3, 1, 3, 2]))
    array([1, 2, 3])
    """
    ordered = np.sort(values, kind="stable")
    if len(ordered) == 0:
        return ordered
    keep = np.empty(len(ordered), dtype=bool)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]


def run_lengths(ordered: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(values, counts)`` of the runs of equal values in a sorted 1-d array.

    >>> run_lengths(np.array([1, 1, 2, 5, 5, 5]))
    (array([1, 2, 5]), array([2, 1, 3]))
    """
    if len(ordered) == 0:
        return ordered, np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
    counts = np.diff(np.append(starts, len(ordered)))
    return ordered[starts], counts


def unique_pairs(pairs: np.ndarray) -> np.ndarray:
    """Distinct rows of an ``(m, 2)`` array of non-negative ids, each ordered ``(low, high)``,
    sorted.

    >>> unique_pairs(np.array([[3, 1], [1, 3], [0, 2]])).tolist()
    [[0, 2], [1, 3]]
    """
    if len(pairs) == 0:
        return np.empty((0, 2), dtype=np.int64)
    low, high = pairs.min(axis=1), pairs.max(axis=1)
    scale = int(high.max()) + 1
    codes = distinct(low.astype(np.int64) * scale + high)
    return np.stack((codes // scale, codes % scale), axis=1)
