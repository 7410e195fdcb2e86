"""dedup: find repeated and near-repeated paragraphs in news wire copy."""

from __future__ import annotations

__all__ = ["__version__"]


def __getattr__(name: str) -> str:
    """``__version__``, read from the installed package when first asked for: reading package
    metadata costs a scan's start 40 ms that most commands never need."""
    if name != "__version__":
        raise AttributeError(f"module 'dedup' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("dedup")
    except PackageNotFoundError:  # running from a source tree that is not installed
        found = "0.0.0"
    globals()["__version__"] = found
    return found
