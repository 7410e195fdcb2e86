"""Folder walks: any depth, sorted, links to folders and unreadable folders named, never skipped
in silence."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import DEPTH, unprivileged

from dedup.errors import InputError
from dedup.readers import is_input_name
from dedup.readers.folders import walk_folder
from dedup.records import Skipped


def walk(folder: Path, skip_bad: bool = False) -> tuple[list[str], list[Skipped]]:
    notes: list[Skipped] = []
    found = walk_folder(str(folder), is_input_name, skip_bad, notes.append)
    return [Path(p).relative_to(folder).as_posix() for p in found], notes


def test_a_folder_a_thousand_deep_is_walked(deep_folder: Path) -> None:
    found, notes = walk(deep_folder)
    assert found == ["/".join(["d"] * DEPTH + ["seed.txt"])]
    assert notes == []


def test_links_to_folders_are_named_not_followed(tmp_path: Path) -> None:
    (tmp_path / "desk" / "today").mkdir(parents=True)
    (tmp_path / "desk" / "today" / "a.txt").write_text("A.\n", encoding="utf-8")
    (tmp_path / "archive").mkdir()
    (tmp_path / "archive" / "old.txt").write_text("Old.\n", encoding="utf-8")
    (tmp_path / "desk" / "archive").symlink_to(tmp_path / "archive")
    (tmp_path / "desk" / "loop").symlink_to(tmp_path / "desk")
    (tmp_path / "desk" / "b.txt").symlink_to(tmp_path / "archive" / "old.txt")
    found, notes = walk(tmp_path / "desk")
    assert found == ["b.txt", "today/a.txt"]  # a link to a file is read
    assert [Path(n.source).name for n in notes] == ["archive", "loop"]
    assert all("link to a folder is not followed" in n.reason for n in notes)


def test_an_unreadable_subfolder_is_an_error_or_a_named_skip(open_folder: Path) -> None:
    (open_folder / "ok").mkdir()
    (open_folder / "ok" / "a.txt").write_text("Readable.\n", encoding="utf-8")
    locked = open_folder / "locked"
    locked.mkdir()
    (locked / "b.txt").write_text("Hidden.\n", encoding="utf-8")
    locked.chmod(0)
    try:
        with unprivileged():
            with pytest.raises(InputError, match=r"locked: cannot read folder: Permission denied"):
                walk(open_folder)
            found, notes = walk(open_folder, skip_bad=True)
    finally:
        locked.chmod(0o755)
    assert found == ["ok/a.txt"]
    assert notes == [Skipped(str(locked), f"{locked}: cannot read folder: Permission denied")]


@pytest.mark.parametrize(
    ("name", "read"),
    [
        ("a.txt", True),
        ("a.TXT", True),
        ("story.xml", True),
        ("story.xml.gz", True),
        ("feed.jsonl.GZ", True),
        ("item.json", True),
        ("item.ninjs", True),
        ("notes.md", True),
        ("backup.tar.gz", False),
        ("data.gz", False),
        ("picture.jpg", False),
        ("txt", False),
    ],
)
def test_is_input_name(name: str, read: bool) -> None:
    assert is_input_name(name) is read
