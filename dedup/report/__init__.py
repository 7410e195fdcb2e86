"""Renderers: one report model, many formats. Only ``write_report`` touches the disk."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from dedup.errors import ReportError
from dedup.records import Report
from dedup.report.html import render_html
from dedup.report.json import render_json
from dedup.report.text import render_text

RENDERERS: dict[str, Callable[[Report], str]] = {
    "text": render_text,
    "json": render_json,
    "html": render_html,
}


def render(report: Report, fmt: str, *, timings: bool = False) -> str:
    """The report in format ``fmt`` (one of ``RENDERERS``); wall time only if ``timings``."""
    if fmt == "json":
        return render_json(report, timings=timings)
    return RENDERERS[fmt](report)


def write_report(content: str, path: str) -> None:
    """Write ``content`` to ``path`` atomically: readers see the old file or the new, whole."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
                out.write(content)
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
        raise ReportError(f"{path}: cannot write report: {err.strerror or err}") from err


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


__all__ = ["RENDERERS", "render", "write_report"]
