"""Keeping start-up short: modules a dependency would load for nothing."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def hidden(name: str) -> Iterator[None]:
    """Make ``import name`` fail inside the block (an optional import of a dependency then
    takes its fallback), unless the module is loaded already; importable again after.

    scikit-learn loads pandas whenever it is installed, for DataFrame input dedup never
    passes: a third of a second of every scan's start in an environment with pandas.
    """
    if name in sys.modules:
        yield
        return
    sys.modules[name] = None  # type: ignore[assignment]  # the import system's "not found"
    try:
        yield
    finally:
        if sys.modules.get(name, False) is None:
            del sys.modules[name]
