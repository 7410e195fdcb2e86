"""Where a report goes: regular files atomically, devices and FIFOs directly, a link's target,
standard output; bad targets refused first; no temporary file after a signal."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import unprivileged

from dedup.errors import ReportError
from dedup.records import Report
from dedup.report import check_target, render, write_report

EMPTY = Report(documents=(), clusters=())
DEV_FULL = Path("/dev/full")
needs_dev_full = pytest.mark.skipif(not DEV_FULL.exists(), reason="no /dev/full on this system")


def leftovers(folder: Path) -> list[str]:
    """Temporary report files left in ``folder``."""
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.fixture
def fifo(tmp_path: Path) -> Iterator[tuple[Path, Callable[[], bytes]]]:
    """A FIFO, and what a reader at its other end received (once the writer has closed it)."""
    path = tmp_path / "report.fifo"
    os.mkfifo(path)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(path.read_bytes()), daemon=True)
    reader.start()

    def collected() -> bytes:
        reader.join(timeout=60)
        return b"".join(received)

    yield path, collected
    collected()


def test_a_fifo_is_written_directly_and_stays_a_fifo(
    seed_report: Report, fifo: tuple[Path, Callable[[], bytes]]
) -> None:
    path, received = fifo
    write_report(seed_report, "json", str(path))
    assert received() == render(seed_report, "json").encode("utf-8")
    assert stat.S_ISFIFO(path.lstat().st_mode)
    assert leftovers(path.parent) == []


@needs_dev_full
def test_a_full_device_is_a_report_error() -> None:
    with pytest.raises(
        ReportError, match="/dev/full: cannot write report: No space left on device"
    ):
        write_report(EMPTY, "text", str(DEV_FULL))
    assert stat.S_ISCHR(DEV_FULL.stat().st_mode)


def test_a_symlinks_target_is_replaced_not_the_link(seed_report: Report, tmp_path: Path) -> None:
    (tmp_path / "archive").mkdir()
    target = tmp_path / "archive" / "today.json"
    target.write_text("old\n", encoding="utf-8")
    link = tmp_path / "latest.json"
    link.symlink_to(Path("archive") / "today.json")
    write_report(seed_report, "json", str(link))
    assert link.is_symlink() and os.readlink(link) == str(Path("archive") / "today.json")
    assert target.read_text(encoding="utf-8") == render(seed_report, "json")
    assert leftovers(tmp_path) == leftovers(tmp_path / "archive") == []


def test_a_dangling_symlink_gets_its_target(tmp_path: Path) -> None:
    link = tmp_path / "latest.txt"
    link.symlink_to(tmp_path / "new.txt")
    write_report(EMPTY, "text", str(link))
    assert link.is_symlink()
    assert (tmp_path / "new.txt").read_text(encoding="utf-8") == render(EMPTY, "text")


@pytest.mark.parametrize("path", [None, "-"], ids=["none", "dash"])
def test_standard_output(capsys: pytest.CaptureFixture[str], path: str | None) -> None:
    write_report(EMPTY, "text", path)
    assert capsys.readouterr().out == render(EMPTY, "text")


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda tmp: (tmp / "file").write_text("x") and str(tmp / "file" / "r.json"), "Not a"),
        (lambda tmp: (tmp / "dir").mkdir() or str(tmp / "dir"), "Is a directory"),
        (lambda tmp: (tmp / "f").write_text("x") and str(tmp / "f" / "a" / "b.json"), "Not a"),
    ],
    ids=["under-a-file", "a-folder", "deep-under-a-file"],
)
def test_check_target_names_the_real_reason(tmp_path: Path, make: object, reason: str) -> None:
    path = make(tmp_path)  # type: ignore[operator]
    with pytest.raises(ReportError, match=f"cannot write report: {reason}"):
        check_target(path)


def test_check_target_accepts_what_can_be_written(tmp_path: Path) -> None:
    check_target(str(tmp_path / "new" / "folders" / "report.json"))
    check_target(str(tmp_path / "report.json"))
    check_target(os.devnull)
    check_target(None)
    check_target("-")
    assert list(tmp_path.iterdir()) == []  # checking creates nothing


def test_check_target_refuses_a_folder_without_write_permission(open_folder: Path) -> None:
    locked = open_folder / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    with unprivileged(), pytest.raises(ReportError, match="Permission denied"):
        check_target(str(locked / "report.json"))


def test_the_signal_handlers_are_given_back(tmp_path: Path) -> None:
    before = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGHUP)}
    write_report(EMPTY, "json", str(tmp_path / "r.json"))
    assert {s: signal.getsignal(s) for s in before} == before


# --- Signals while the report is being written (a real process, a real signal) -------------

# A renderer that writes part of the report, says so, then waits to be stopped: the moment a
# signal finds the temporary file in place. The rest is the real code, library or CLI.
SLOW_WRITER = """
import sys, time
from dedup.report import RENDERERS

def slow(report, out):
    out.write("{\\\\n"); out.flush()
    print("writing", flush=True)
    time.sleep(60)

RENDERERS["json"] = slow
if sys.argv[1] == "library":
    from dedup.records import Report
    from dedup.report import write_report
    write_report(Report((), ()), "json", sys.argv[2])
else:
    from dedup.cli import main
    main(["scan", sys.argv[3], "--format", "json", "--output", sys.argv[2]])
"""


@pytest.mark.parametrize("entry", ["library", "cli"])
@pytest.mark.parametrize(
    ("signum", "code"),
    [(signal.SIGTERM, 143), (signal.SIGINT, 130), (signal.SIGHUP, 129)],
    ids=["SIGTERM", "SIGINT", "SIGHUP"],
)
def test_no_temporary_file_survives_a_signal(
    tmp_path: Path, seed_path: str, entry: str, signum: int, code: int
) -> None:
    script = tmp_path / "slow_writer.py"
    script.write_text(SLOW_WRITER, encoding="utf-8")
    target = tmp_path / "out" / "report.json"
    target.parent.mkdir()
    target.write_text("the previous report\n", encoding="utf-8")
    with subprocess.Popen(
        [sys.executable, str(script), entry, str(target), seed_path],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        assert process.stdout.readline() == "writing\n", process.stderr.read()
        assert len(leftovers(target.parent)) == 1  # the temporary file is there now
        process.send_signal(signum)
        stderr = process.stderr.read()
        returncode = process.wait(timeout=60)
    assert leftovers(target.parent) == []
    assert target.read_text(encoding="utf-8") == "the previous report\n"
    if entry == "cli":
        assert returncode == code
        name = signal.Signals(signum).name
        expected = "dedup: interrupted" if signum == signal.SIGINT else f"dedup: stopped by {name}"
        # (click starts a line of its own after Ctrl-C, as a terminal shows ^C.)
        assert stderr.strip().splitlines() == [expected]
    else:
        assert returncode != 0
