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
from dedup.report.github import write_github
from dedup.report.gitlab import write_gitlab
from dedup.report.html import write_html
from dedup.report.json import write_json
from dedup.report.junit import write_junit
from dedup.report.markdown import write_markdown
from dedup.report.sarif import write_sarif
from dedup.report.text import write_text

#: Writes a report to a text stream.
Renderer = Callable[[Report, TextIO], None]

RENDERERS: dict[str, Renderer] = {
    "text": write_text,
    "json": write_json,
    "html": write_html,
    "sarif": write_sarif,
    "github": write_github,
    "gitlab": write_gitlab,
    "markdown": write_markdown,
    "junit": write_junit,
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
    write_atomically(path, lambda out: renderer(report, out), "report")


def write_atomically(path: str, write: Callable[[TextIO], None], what: str) -> None:
    """Write a text file through ``write`` into a temporary file renamed into place; an
    error is a ``ReportError`` naming ``path`` and ``what`` it is (``report``)."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
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


__all__ = ["RENDERERS", "Renderer", "render", "write_atomically", "write_report"]
