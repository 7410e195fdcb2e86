"""Compiled kernels: numba's ``njit``, cached on disk where a cache can be written.

numba keeps compiled code next to the source or in the user's cache folder.
An install that is read-only for a user without a writable home has
neither, and numba then refuses ``cache=True`` outright; the kernels are
compiled in memory for that run instead (``NUMBA_CACHE_DIR`` points numba to
a writable folder). Every kernel releases the GIL, so threads can run them
on several cores.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import numba

Function = TypeVar("Function", bound=Callable[..., Any])


def njit(function: Function) -> Function:
    """``function`` compiled by numba (no Python objects, GIL released), cached if possible."""
    try:
        return numba.njit(cache=True, nogil=True)(function)  # type: ignore[return-value]
    except RuntimeError:  # "cannot cache function ...: no locator available"
        return numba.njit(cache=False, nogil=True)(function)  # type: ignore[return-value]
