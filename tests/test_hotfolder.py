"""The hot folder: files are taken once unchanged for the settle time, hidden files and other
endings are left alone, and taken files are moved aside under a free name."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import dedup.hotfolder
from dedup.hotfolder import DONE, FAILED, HotFolder


class Clock:
    """A monotonic clock that moves only when told."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(dedup.hotfolder.time, "monotonic", clock)
    return clock


def test_a_file_is_taken_once_unchanged_for_the_settle_time(tmp_path: Path, clock: Clock) -> None:
    hot = HotFolder(tmp_path, settle=1.0)
    dispatch = tmp_path / "a.txt"
    dispatch.write_text("First paragraph.\n", encoding="utf-8")
    assert hot.ready() == []
    clock.now += 0.6
    with dispatch.open("a", encoding="utf-8") as handle:
        handle.write("\nSecond paragraph, still being written.\n")
    assert hot.ready() == []
    clock.now += 0.6  # 1.2 s since it appeared, 0.6 s since it last changed
    assert hot.ready() == []
    clock.now += 0.5
    assert hot.ready() == [dispatch]


def test_hidden_files_other_endings_and_folders_are_left_alone(
    tmp_path: Path, clock: Clock
) -> None:
    hot = HotFolder(tmp_path, settle=0.0)
    for name in (".a.txt", "b.txt.part", "c.pdf"):
        (tmp_path / name).write_text("x\n", encoding="utf-8")
    (tmp_path / "sub.txt").mkdir()
    (tmp_path / "sub.txt" / "d.txt").write_text("x\n", encoding="utf-8")
    wanted = [tmp_path / "e.jsonl", tmp_path / "f.md", tmp_path / "G.TXT"]
    for number, path in enumerate(wanted):
        path.write_text("x\n", encoding="utf-8")
        os.utime(path, ns=(number * 10**9, number * 10**9))
    assert hot.ready() == wanted  # oldest first


def test_taken_files_move_aside_under_a_free_name(tmp_path: Path, clock: Clock) -> None:
    hot = HotFolder(tmp_path, settle=0.0)
    for _ in range(3):
        (tmp_path / "a.txt").write_text("x\n", encoding="utf-8")
        (path,) = hot.ready()
        hot.move(path, DONE)
    assert sorted(p.name for p in (tmp_path / DONE).iterdir()) == ["a.2.txt", "a.3.txt", "a.txt"]
    (tmp_path / "b.txt").write_text("x\n", encoding="utf-8")
    assert hot.move(tmp_path / "b.txt", FAILED) == tmp_path / FAILED / "b.txt"
    assert hot.ready() == []
