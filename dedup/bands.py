"""LSH band parameters: how many bands of how many rows a signature is cut into.

The choice is datasketch's (``MinHashLSH``'s ``_optimal_param``): the
``(bands, rows)`` that minimise the weighted areas of false positives (below
the threshold) and false negatives (above it) under the S-curve
``1 - (1 - s^rows)^bands``. datasketch integrates with SciPy's ``quad``;
the integrands are polynomials of degree ``bands * rows <= num_perm``, so a
Gauss-Legendre rule with ``num_perm / 2 + 1`` nodes integrates them exactly
(to rounding) with NumPy alone, and neither the settings check nor a scan
has to import SciPy's integrator. A test proves the choice equal to
datasketch's over a grid of thresholds, weights and permutation counts.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from numpy.polynomial.legendre import leggauss


@lru_cache(maxsize=32)
def optimal_bands(
    threshold: float, num_perm: int, false_positive_weight: float, false_negative_weight: float
) -> tuple[int, int]:
    """``(bands, rows)`` minimising the weighted false positive and negative probabilities,
    as datasketch's ``MinHashLSH`` chooses them (its ``_optimal_param``)."""
    bands, rows = zip(
        *((b, r) for b in range(1, num_perm + 1) for r in range(1, num_perm // b + 1)),
        strict=True,
    )
    b = np.array(bands, dtype=np.float64)[:, None]
    r = np.array(rows, dtype=np.float64)[:, None]
    # The integrands are polynomials of degree b * r <= num_perm: this many
    # nodes integrate them exactly (to rounding).
    nodes, node_weights = leggauss(num_perm // 2 + 1)

    def area(low: float, high: float, probability: np.ndarray) -> np.ndarray:
        return (probability @ node_weights) * (high - low) / 2

    def at(low: float, high: float) -> np.ndarray:
        return ((high - low) / 2 * nodes + (high + low) / 2)[None, :]

    false_positive = area(0.0, threshold, 1 - (1 - at(0.0, threshold) ** r) ** b)
    false_negative = area(threshold, 1.0, (1 - at(threshold, 1.0) ** r) ** b)
    error = false_positive * false_positive_weight + false_negative * false_negative_weight
    best = int(np.argmin(error))  # the first minimum, as datasketch's strict "<" keeps it
    return bands[best], rows[best]
