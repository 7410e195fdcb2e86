"""A hot folder: files dropped into a folder, taken once they are completely written.

Wire systems and editors drop dispatches into a folder. A file is taken when it has not
changed (size and modification time) for ``settle`` seconds, so that a file still being
written is left alone; a writer that pauses longer than that mid-file should write under
another name (a dot file, or an ending no reader claims, such as ``.part``) and rename it
when done, as most transfer tools do. Taken files are moved aside, into ``done/`` or
``failed/`` inside the folder, never deleted.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from dedup.readers import EXTENSIONS

DONE = "done"
FAILED = "failed"


@dataclass(frozen=True, slots=True)
class _Sighting:
    """A file's size and modification time, and since when (monotonic) they have not changed."""

    size: int
    mtime_ns: int
    since: float


class HotFolder:
    """The files of ``folder`` that are ready to read, and where they go once read."""

    def __init__(self, folder: Path, settle: float) -> None:
        self.folder = folder
        self.settle = settle
        self._seen: dict[Path, _Sighting] = {}

    def ready(self) -> list[Path]:
        """Files of the folder (not of its subfolders) that a reader claims, not hidden, and
        unchanged for ``settle`` seconds, oldest first."""
        now = time.monotonic()
        present: dict[Path, _Sighting] = {}
        for entry in os.scandir(self.folder):
            if entry.name.startswith(".") or not entry.name.lower().endswith(EXTENSIONS):
                continue
            try:
                if not entry.is_file():
                    continue
                status = entry.stat()
            except FileNotFoundError:  # moved away between listing and looking
                continue
            path = Path(entry.path)
            before = self._seen.get(path)
            unchanged = (
                before is not None
                and before.size == status.st_size
                and before.mtime_ns == status.st_mtime_ns
            )
            present[path] = (
                before
                if unchanged and before is not None
                else _Sighting(status.st_size, status.st_mtime_ns, now)
            )
        self._seen = present
        taken = [path for path, seen in present.items() if now - seen.since >= self.settle]
        return sorted(taken, key=lambda path: (present[path].mtime_ns, path.name))

    def move(self, path: Path, to: str) -> Path:
        """Move a taken file into the subfolder ``to`` (``done`` or ``failed``), under a new
        name if one of that name is there already; return where it went."""
        target_folder = self.folder / to
        target_folder.mkdir(exist_ok=True)
        target = target_folder / path.name
        number = 1
        while target.exists():
            number += 1
            target = target_folder / f"{path.stem}.{number}{path.suffix}"
        path.replace(target)
        self._seen.pop(path, None)
        return target
