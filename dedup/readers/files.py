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
import subprocess
from collections.abc import Sequence
from pathlib import Path

from dedup.config import ReadConfig


def folder_files(folder: Path, extensions: Sequence[str], config: ReadConfig) -> list[Path]:
    """The files under ``folder`` to read, sorted: known endings, not ignored, not excluded."""
    listed = _git_files(folder) if config.gitignore else None
    if listed is None:
        listed = [p.relative_to(folder) for p in folder.rglob("*") if ".git" not in p.parts]
    wanted = (p for p in listed if p.suffix.lower() in extensions)
    if config.exclude:
        from pathspec import GitIgnoreSpec

        spec = GitIgnoreSpec.from_lines(config.exclude)
        wanted = (p for p in wanted if not spec.match_file(p.as_posix()))
    return sorted(folder / p for p in wanted if (folder / p).is_file())


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
