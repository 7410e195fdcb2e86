"""Renderers: one report model, many formats. Only ``write_report`` touches the disk.

Every renderer has one signature, ``(report, out)``: it writes the report
to a text stream, so that a large report is written as it is produced.
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from dedup.errors import ReportError
from dedup.records import Report
from dedup.report.html import write_html
from dedup.report.json import write_json
from dedup.report.text import write_text

#: Writes a report to a text stream.
Renderer = Callable[[Report, TextIO], None]

RENDERERS: dict[str, Renderer] = {
    "text": write_text,
    "json": write_json,
    "html": write_html,
}


def render(report: Report, fmt: str) -> str:
    """The report in format ``fmt`` (one of ``RENDERERS``), as a string."""
    out = io.StringIO()
    RENDERERS[fmt](report, out)
    return out.getvalue()


def write_report(report: Report, fmt: str, path: str | None) -> None:
    """Write the report in format ``fmt`` to ``path``, or to standard output when it is None.

    A file is written atomically: readers see the old file or the new one,
    whole, never a part.
    """
    renderer = RENDERERS[fmt]
    if path is None:
        renderer(report, sys.stdout)
        sys.stdout.flush()
        return
    write_file(path, lambda out: renderer(report, out))


def write_file(
    path: str, write: Callable[[TextIO], None], *, encoding: str = "utf-8", what: str = "report"
) -> None:
    """Write a file atomically (a temporary file beside it, renamed into place) with ``write``.

    A failure is a ``ReportError`` naming the path and ``what`` was being written.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
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
    except OSError as err:
        raise ReportError(f"{path}: cannot write {what}: {err.strerror or err}") from err


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


__all__ = ["RENDERERS", "Renderer", "render", "write_file", "write_report"]
