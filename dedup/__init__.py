"""dedup: find repeated and near-repeated paragraphs in news wire copy."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("dedup")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

__all__ = ["__version__"]
