"""Memory handed back to the system between stages.

A scan allocates and frees large arrays stage after stage. glibc's malloc
keeps much of what is freed in its heap, for reuse, and the process's
resident size then counts blocks no stage holds any longer (hundreds of
megabytes at a million paragraphs). Between stages they are handed back with
``malloc_trim``. Elsewhere (another C library) this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from functools import lru_cache
from typing import Any


def give_back() -> None:
    """Return the heap memory freed so far to the system, where the C library can."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@lru_cache(maxsize=1)
def _malloc_trim() -> Any:
    name = ctypes.util.find_library("c")
    try:
        return getattr(ctypes.CDLL(name), "malloc_trim", None) if name else None
    except OSError:
        return None
