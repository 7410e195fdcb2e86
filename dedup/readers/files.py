"""Which files of a folder are read: the known formats, less what ``.gitignore`` and the
``exclude`` patterns leave out.

Inside a git work tree, git itself lists the files (tracked ones, and
untracked ones it does not ignore), so that every ignore rule git knows
(nested ``.gitignore`` files, ``.git/info/exclude``, the user's global
excludes) holds; elsewhere, or with ``gitignore = false``, the folder is
walked. ``exclude`` patterns have ``.gitignore`` syntax and are matched
against paths relative to the folder named.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from collections.abc import Callable
from pathlib import Path

from dedup.config import ReadConfig
from dedup.readers.folders import Note, walk_folder


def folder_files(
    folder: str, wanted: Callable[[str], bool], config: ReadConfig, note: Note
) -> list[str]:
    """The files under ``folder`` to read, sorted as paths: names ``wanted`` accepts, not
    ignored by git, not excluded, regular files only."""
    root = Path(folder)
    listed = _git_files(root) if config.gitignore else None
    if listed is None:
        found = walk_folder(folder, wanted, config.skip_bad, note)
        relative = [Path(path).relative_to(root) for path in found]
        relative = [p for p in relative if ".git" not in p.parts]
    else:
        relative = [p for p in listed if wanted(p.name) and _is_regular(root / p)]
    if config.exclude:
        from pathspec import GitIgnoreSpec

        spec = GitIgnoreSpec.from_lines(config.exclude)
        relative = [p for p in relative if not spec.match_file(p.as_posix())]
    return [str(root / p) for p in sorted(relative, key=lambda p: p.parts)]


def _is_regular(path: Path) -> bool:
    """Whether ``path`` is a regular file, not followed through a link (FIFOs and devices
    would block or never end)."""
    try:
        return stat.S_ISREG(path.lstat().st_mode)
    except OSError:
        return False


def _git_files(folder: Path) -> list[Path] | None:
    """Files under ``folder`` that git does not ignore (relative to it), or None outside a
    git work tree (or without git)."""
    git = shutil.which("git")
    if git is None:
        return None
    try:
        listed = subprocess.run(
            [git, "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=folder,
            capture_output=True,
            check=True,
            # Git may be asked about a folder it does not own (another user's checkout).
            env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"},
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    names = listed.stdout.decode("utf-8", "surrogateescape").split("\0")
    return [Path(name) for name in names if name]
