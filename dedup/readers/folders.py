"""Folders walked for input files: at any depth, in a stable order, nothing passed over unsaid.

The walk keeps its own stack (a folder nested a thousand deep is no
recursion), does not follow links to folders (they could lead outside the
folder or round in a loop; each is named), and treats a subfolder it
cannot read as an input error, or, with ``skip_bad``, as a named skip.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from dedup.errors import InputError
from dedup.records import Skipped

#: Where the readers report an input they do not read (they never print).
Note = Callable[[Skipped], None]


def walk_folder(
    folder: str, wanted: Callable[[str], bool], skip_bad: bool, note: Note
) -> list[str]:
    """Paths of the files under ``folder`` whose names ``wanted`` accepts, sorted as paths.

    An unreadable subfolder is an ``InputError``, or a ``Skipped`` noted when
    ``skip_bad``; a link to a folder is always noted, never followed.
    """
    files: list[str] = []
    stack = [folder]
    while stack:
        current = stack.pop()
        try:
            with os.scandir(current) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as err:
            message = f"{current}: cannot read folder: {err.strerror or err}"
            if not skip_bad:
                raise InputError(message) from err
            note(Skipped(current, message))
            continue
        for entry in entries:
            path = str(Path(current, entry.name))
            if _is_folder(entry, follow=False):
                stack.append(path)
            elif entry.is_symlink() and _is_folder(entry, follow=True):
                message = f"{path}: a link to a folder is not followed (name it to scan it)"
                note(Skipped(path, message))
            elif wanted(entry.name):
                files.append(path)
    return sorted(files, key=lambda path: Path(path).parts)


def _is_folder(entry: os.DirEntry[str], follow: bool) -> bool:
    try:
        return entry.is_dir(follow_symlinks=follow)
    except OSError:  # a link that points nowhere, or through an unreadable folder
        return False
