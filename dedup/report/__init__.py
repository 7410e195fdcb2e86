"""Renderers: one report model, many formats. Only ``write_report`` touches the disk.

Every renderer has one signature, ``(report, out)``: it writes the report
to a text stream, so that a large report is written as it is produced.
"""

from __future__ import annotations

import errno
import importlib
import io
import os
import signal
import stat
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from dedup.errors import Interrupted, ReportError
from dedup.records import Report

#: Writes a report to a text stream.
Renderer = Callable[[Report, TextIO], None]


class _Renderer:
    """A renderer imported when first used: a scan writes one format, and some (HTML, SARIF)
    import templates or XML libraries that the others should not wait for."""

    def __init__(self, module: str, function: str) -> None:
        self._module, self._function = module, function

    def __call__(self, report: Report, out: TextIO) -> None:
        write: Renderer = getattr(importlib.import_module(self._module), self._function)
        write(report, out)


#: The ``--output`` name of standard output.
STDOUT = "-"
# Signals that end a process by default and that a writer can clean up after.
_STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)
)

RENDERERS: dict[str, Renderer] = {
    name: _Renderer(f"dedup.report.{name}", f"write_{name}")
    for name in ("text", "json", "html", "sarif", "github", "gitlab", "markdown", "junit")
}


def render(report: Report, fmt: str) -> str:
    """The report in format ``fmt`` (one of ``RENDERERS``), as a string."""
    out = io.StringIO()
    RENDERERS[fmt](report, out)
    return out.getvalue()


def write_report(report: Report, fmt: str, path: str | None) -> None:
    """Write the report in format ``fmt`` to ``path``, or to standard output (None or ``-``).

    A regular file (or a new one) is written atomically: readers see the old
    file or the new one, whole, never a part, and no temporary file survives
    an error, Ctrl-C, SIGTERM or SIGHUP. A device or a FIFO is written
    directly; a symbolic link's target is replaced, never the link.
    """
    renderer = RENDERERS[fmt]
    if path is None or path == STDOUT:
        try:
            renderer(report, sys.stdout)
            sys.stdout.flush()
        except BrokenPipeError:
            raise  # the reader went away: the caller decides (not an error for the CLI)
        except OSError as err:
            raise ReportError(
                f"cannot write report to standard output: {err.strerror or err}"
            ) from err
        return
    check_target(path)
    write_file(path, lambda out: renderer(report, out))


def write_file(
    path: str, write: Callable[[TextIO], None], *, encoding: str = "utf-8", what: str = "report"
) -> None:
    """Write a text file through ``write``: a regular (or new) file through a temporary
    file renamed into place, a device or FIFO directly, a symbolic link's target, never the
    link; an error is a ``ReportError`` naming ``path`` and ``what`` it is (``report``)."""
    target = Path(os.path.realpath(path))
    try:
        if target.exists() and not target.is_file():
            with target.open("w", encoding=encoding, newline="\n") as out:
                write(out)
        else:
            _replace_atomically(target, write, encoding)
    except OSError as err:
        raise ReportError(f"{path}: cannot write {what}: {err.strerror or err}") from err


def check_target(path: str | None) -> None:
    """Refuse a report path that cannot be written, with the reason, before any work is done.

    The report replaces a regular file through a temporary file beside it,
    so the folder must be writable (or creatable); a device or FIFO must be
    writable itself.
    """
    if path is None or path == STDOUT:
        return
    target = os.path.realpath(path)
    try:
        mode: int | None = os.stat(target).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as err:
        raise ReportError(f"{path}: cannot write report: {err.strerror or err}") from err
    if mode is not None and stat.S_ISDIR(mode):
        raise ReportError(f"{path}: cannot write report: {os.strerror(errno.EISDIR)}")
    if mode is not None and not stat.S_ISREG(mode):
        if not _may(target, os.W_OK):
            raise ReportError(f"{path}: cannot write report: {os.strerror(errno.EACCES)}")
        return
    folder = os.path.dirname(target)
    while not os.path.lexists(folder):  # folders still to be made: the nearest existing one
        folder = os.path.dirname(folder)
    if not os.path.isdir(folder):
        raise ReportError(f"{path}: cannot write report: {os.strerror(errno.ENOTDIR)}")
    if not _may(folder, os.W_OK | os.X_OK):
        raise ReportError(f"{path}: cannot write report: {os.strerror(errno.EACCES)}")


def _may(path: str, mode: int) -> bool:
    """Whether this process may use ``path`` so, by its effective ids (as opening it will)."""
    return os.access(path, mode, effective_ids=os.access in os.supports_effective_ids)


def _replace_atomically(target: Path, write: Callable[[TextIO], None], encoding: str) -> None:
    """Write ``target`` through a temporary file renamed into place, removed on any failure."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with _signals_raised():
        handle, temporary = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
        )
        try:
            with os.fdopen(handle, "w", encoding=encoding, newline="\n") as out:
                write(out)
                out.flush()
                os.fsync(out.fileno())
            # mkstemp makes the file private (0600); a report is as readable as
            # any file the user creates.
            os.chmod(temporary, 0o666 & ~_umask())
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


@contextmanager
def _signals_raised() -> Iterator[None]:
    """While a temporary file exists, SIGTERM and SIGHUP raise ``Interrupted`` (as Ctrl-C raises
    KeyboardInterrupt), so that the cleanup runs instead of the process vanishing."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set handlers; the caller then owns the signals
        return

    def stop(signum: int, frame: object) -> None:
        raise Interrupted(signum)

    previous = {}
    for number in _STOP_SIGNALS:
        # A signal that was ignored (nohup) or handled stays as it was.
        if signal.getsignal(number) is signal.SIG_DFL:
            previous[number] = signal.signal(number, stop)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


__all__ = [
    "RENDERERS",
    "STDOUT",
    "Renderer",
    "check_target",
    "render",
    "write_file",
    "write_report",
]
