"""``dedup watch`` as a desk runs it: a real process on a real folder, files dropped into it,
one written slowly, a bad one, and a stop by signal."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

# Generous: the machine may be busy; the watch itself reports within a second.
PATIENCE = 120.0


def wait_for(path: Path) -> None:
    deadline = time.monotonic() + PATIENCE
    while not path.exists():
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.05)


@pytest.fixture
def seed_halves(seed_path: str) -> tuple[str, str]:
    """The seed cut in two: lines 1-13 and the rest."""
    lines = Path(seed_path).read_text(encoding="utf-8").splitlines(keepends=True)
    return "".join(lines[:13]), "".join(lines[13:])


@pytest.fixture
def watch(tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    """``dedup watch inbox --index desk.db`` running in ``tmp_path``."""
    (tmp_path / "inbox").mkdir()
    process = subprocess.Popen(
        [sys.executable, "-m", "dedup", "watch", "inbox", "--index", "desk.db", "--settle", "1"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    # It says so once it is ready to take files.
    assert process.stderr.readline() == "dedup: watching inbox (Ctrl-C to stop)\n"
    yield process
    if process.poll() is None:
        process.kill()
    process.communicate()


def drop(folder: Path, name: str, text: str) -> None:
    """Write a file under a hidden name, then rename it into the folder, as transfer tools do."""
    hidden = folder / f".{name}"
    hidden.write_text(text, encoding="utf-8")
    hidden.rename(folder / name)


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["sigterm", "ctrl-c"])
def test_files_dropped_into_the_folder_are_checked_reported_and_moved(
    watch: subprocess.Popen[str],
    tmp_path: Path,
    seed_halves: tuple[str, str],
    stop: signal.Signals,
) -> None:
    inbox = tmp_path / "inbox"
    archive, incoming = seed_halves
    drop(inbox, "archive.txt", archive)
    wait_for(inbox / "reports" / "archive.txt.json")
    # Written slowly: half, a pause shorter than the settle time, the rest.
    with (inbox / "incoming.txt").open("w", encoding="utf-8") as handle:
        handle.write(incoming[: len(incoming) // 2])
        handle.flush()
        time.sleep(0.3)
        handle.write(incoming[len(incoming) // 2 :])
    (inbox / "bad.jsonl").write_text('{"id": "x", "text": "cut off\n', encoding="utf-8")
    wait_for(inbox / "reports" / "incoming.txt.json")
    wait_for(inbox / "failed" / "bad.jsonl")
    report = json.loads((inbox / "reports" / "incoming.txt.json").read_text(encoding="utf-8"))
    # The whole file was read, and checked against the file dropped before it.
    assert report["stats"]["paragraphs"] == 19
    sources = {m["source"] for c in report["clusters"] for m in c["members"]}
    assert sources == {"inbox/archive.txt", "inbox/incoming.txt"}
    watch.send_signal(stop)
    out, err = watch.communicate(timeout=PATIENCE)
    assert watch.returncode == 0
    assert sorted(p.name for p in (inbox / "done").iterdir()) == ["archive.txt", "incoming.txt"]
    assert sorted(p.name for p in inbox.iterdir() if p.is_file()) == []
    assert out.splitlines()[-1].startswith("inbox/incoming.txt: 4 documents, 19 paragraphs: 3")
    failure, stopped = err.splitlines()
    assert failure.startswith("dedup: inbox/bad.jsonl:1: not valid JSON")
    assert failure.endswith("(moved to inbox/failed/bad.jsonl)")
    assert stopped == "dedup: watch stopped"


def test_a_watch_without_an_index_option_is_a_usage_error(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "dedup", "watch", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=PATIENCE,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("dedup: Missing option '--index'")
