"""The command line on wire formats and hostile input and output, as a user meets them: one
``dedup: ...`` line and exit 2 for what cannot be done, a named warning where --skip-bad asks
to read on, and never a traceback, a forged report line or a lost file."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import stat
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from conftest import unprivileged

# The same runner and checks as the other CLI tests.
from test_cli import assert_one_line_error, report_of, run

DEV_FULL = Path("/dev/full")
needs_dev_full = pytest.mark.skipif(not DEV_FULL.exists(), reason="no /dev/full on this system")


@pytest.fixture(autouse=True)
def in_empty_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands run in ``tmp_path``: no settings file is found unless a test writes one."""
    monkeypatch.chdir(tmp_path)


def dedup(*args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """``dedup`` in a process of its own, as a shell runs it."""
    return subprocess.run(
        [sys.executable, "-m", "dedup", *args], text=True, timeout=300, check=False, **kwargs
    )


# --- Wire formats ----------------------------------------------------------------------------


def test_the_wire_formats_folder_reads_as_the_seed(fixtures_dir: Path, seed_path: str) -> None:
    wire = run("scan", str(fixtures_dir / "formats"))
    seed = run("scan", seed_path)
    assert wire.exit_code == seed.exit_code == 0
    assert wire.stdout.splitlines()[-1] == seed.stdout.splitlines()[-1]
    lines = wire.stdout.splitlines()
    assert any(
        line.startswith(str(fixtures_dir / "formats" / "d5-d6-ninjs.jsonl")) for line in lines
    )
    assert wire.stderr == ""


@pytest.mark.parametrize("name", ["d2-nitf.xml", "d3-d4-newsml-message.xml", "d5-d6-ninjs.jsonl"])
def test_each_format_gzipped_from_stdin(fixtures_dir: Path, name: str) -> None:
    plain = report_of(run("scan", str(fixtures_dir / "formats" / name), "--format", "json"))
    data = gzip.compress((fixtures_dir / "formats" / name).read_bytes())
    piped = report_of(run("scan", "-", "--format", "json", stdin=data))
    assert [d["paragraphs"] for d in piped["documents"]] == [
        d["paragraphs"] for d in plain["documents"]
    ]
    assert {d["source"] for d in piped["documents"]} == {"<stdin>"}


# --- Output --------------------------------------------------------------------------------


@needs_dev_full
def test_a_full_standard_output_is_one_line_and_exit_2(seed_path: str) -> None:
    with DEV_FULL.open("w") as full:
        done = dedup("scan", seed_path, "--format", "json", stdout=full, stderr=subprocess.PIPE)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "dedup: cannot write report to standard output: No space left on device"
    ]


@needs_dev_full
def test_a_full_device_as_output_is_one_line_and_exit_2(seed_path: str) -> None:
    result = run("scan", seed_path, "--format", "json", "--output", str(DEV_FULL))
    assert_one_line_error(result, "/dev/full: cannot write report: No space left on device")
    assert stat.S_ISCHR(DEV_FULL.stat().st_mode)


def test_a_fifo_as_output_is_written_and_kept(tmp_path: Path, seed_path: str) -> None:
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    received: list[str] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text(encoding="utf-8")))
    reader.start()
    result = run("scan", seed_path, "--output", str(fifo))
    reader.join(timeout=60)
    assert result.exit_code == 0, result.output
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert received[0].splitlines()[-1].startswith("6 documents, 31 paragraphs")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.fifo"]


def test_a_symlink_as_output_keeps_the_link(tmp_path: Path, seed_path: str) -> None:
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "2020-01-23.txt").write_text("old\n", encoding="utf-8")
    (tmp_path / "latest.txt").symlink_to(Path("reports") / "2020-01-23.txt")
    result = run("scan", seed_path, "--output", "latest.txt")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "latest.txt").is_symlink()
    written = (tmp_path / "reports" / "2020-01-23.txt").read_text(encoding="utf-8")
    assert written.splitlines()[-1].startswith("6 documents")


def test_dash_is_standard_output(seed_path: str) -> None:
    result = run("scan", seed_path, "--format", "json", "--output", "-")
    assert report_of(result)["stats"]["clusters"] == 3
    assert result.stderr == ""


@pytest.mark.parametrize(
    ("output", "reason"),
    [("notes.txt/report.json", "Not a directory"), ("reports", "is a directory")],
    ids=["under-a-file", "a-folder"],
)
def test_the_output_is_checked_before_the_input_is_read(
    tmp_path: Path, output: str, reason: str
) -> None:
    (tmp_path / "notes.txt").write_text("keep\n", encoding="utf-8")
    (tmp_path / "reports").mkdir()
    # The input is broken too: the output's error comes first, so no scan ran.
    (tmp_path / "broken.jsonl").write_text("{not json\n", encoding="utf-8")
    result = run("scan", "broken.jsonl", "--format", "json", "--output", output)
    assert_one_line_error(result, output, reason)
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "keep\n"


def test_an_unwritable_output_folder_is_named_before_the_scan(open_folder: Path) -> None:
    (open_folder / "in.txt").write_text("Texte.\n", encoding="utf-8")
    locked = open_folder / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    with unprivileged():
        result = run("scan", str(open_folder / "in.txt"), "--output", str(locked / "r.txt"))
    assert_one_line_error(result, "locked/r.txt: cannot write report: Permission denied")


# --- Settings --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "fragments"),
    [
        ("dedup.toml", b"min-words = 3 # caf\xe9\n", ["dedup.toml:1", "not UTF-8", "0xe9"]),
        (
            "pyproject.toml",
            b'[tool.dedup]\nmin-words = 3\nname = "caf\xe9"\n',
            ["pyproject.toml:3", "not UTF-8"],
        ),
        ("dedup.toml", b'encoding = "rot13"\n', ["'rot13' is not a text encoding"]),
    ],
    ids=["dedup-toml-latin1", "pyproject-of-ours-latin1", "rot13-in-file"],
)
def test_bad_settings_files_are_one_line(
    tmp_path: Path, seed_path: str, name: str, content: bytes, fragments: list[str]
) -> None:
    (tmp_path / name).write_bytes(content)
    assert_one_line_error(run("scan", seed_path), *fragments)


@pytest.mark.parametrize(
    "content",
    [b'[project\nname = "other"\n', b'[project]\nname = "caf\xe9"\n', b"[tool.black]\nx = \n"],
    ids=["broken-toml", "not-utf8", "broken-other-tool"],
)
def test_another_projects_broken_pyproject_is_passed_over(
    tmp_path: Path, seed_path: str, monkeypatch: pytest.MonkeyPatch, content: bytes
) -> None:
    (tmp_path / "pyproject.toml").write_bytes(content)
    (tmp_path / "desk").mkdir()
    monkeypatch.chdir(tmp_path / "desk")
    result = run("scan", seed_path)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert "3 clusters" in result.stdout


@pytest.mark.parametrize("encoding", ["rot13", "utf-8,hex", "utf-8,undefined", "base64"])
def test_encodings_that_are_not_text_encodings_are_refused(seed_path: str, encoding: str) -> None:
    name = encoding.split(",")[-1]
    assert_one_line_error(
        run("scan", seed_path, "--encoding", encoding), f"'{name}' is not a text encoding"
    )


# --- Folders ---------------------------------------------------------------------------------


def test_a_folder_a_thousand_deep(deep_folder: Path) -> None:
    result = run("scan", str(deep_folder))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1].startswith("6 documents, 31 paragraphs: 3 clusters")


def test_an_unreadable_subfolder_is_exit_2(open_folder: Path, seed_path: str) -> None:
    shutil.copy(seed_path, open_folder / "seed.txt")
    (open_folder / "locked").mkdir()
    (open_folder / "locked").chmod(0)
    with unprivileged():
        result = run("scan", str(open_folder), "--fail-on", "none")
    assert_one_line_error(result, "locked: cannot read folder: Permission denied")


def test_a_linked_subfolder_is_named(tmp_path: Path, seed_path: str) -> None:
    (tmp_path / "desk").mkdir()
    shutil.copy(seed_path, tmp_path / "desk" / "seed.txt")
    (tmp_path / "archive").mkdir()
    (tmp_path / "desk" / "archive").symlink_to(tmp_path / "archive")
    result = run("scan", "desk", "--format", "json")
    assert result.stderr.splitlines() == [
        "dedup: skipped: desk/archive: a link to a folder is not followed (name it to scan it)"
    ]
    assert report_of(result)["skipped"] == [
        {
            "source": "desk/archive",
            "reason": "desk/archive: a link to a folder is not followed (name it to scan it)",
        }
    ]


@pytest.mark.parametrize("fail_on", ["none", "any"])
def test_a_folder_with_nothing_to_read_is_exit_2(tmp_path: Path, fail_on: str) -> None:
    (tmp_path / "inbox").mkdir()
    (tmp_path / "inbox" / "photo.jpg").write_bytes(b"\xff\xd8")
    result = run("scan", "inbox", "--fail-on", fail_on)
    assert_one_line_error(result, "inbox: no file to read in this folder")


def test_skip_bad_reads_on_names_and_records(
    tmp_path: Path, seed_path: str, excerpt_path: str
) -> None:
    shutil.copy(seed_path, tmp_path / "a.txt")
    (tmp_path / "b.jsonl").write_text('{"id": "x", "text": "Fine."}\n{"id": \n')
    (tmp_path / "c.txt").write_bytes(b"Octet \x81 inconnu.\n")
    assert_one_line_error(run("scan", "."), "b.jsonl:2: not valid JSON")
    result = run("scan", ".", "--skip-bad", "--format", "json")
    data = report_of(result)
    assert result.stderr.splitlines() == [
        "dedup: skipped: b.jsonl:2: not valid JSON: Expecting value",
        "dedup: skipped: c.txt:1: not utf-8 text (byte 0x81 at offset 6); also tried cp1252",
    ]
    assert [s["source"] for s in data["skipped"]] == ["b.jsonl", "c.txt"]
    assert data["stats"]["clusters"] == 3
    assert data["params"]["skip_bad"] is True
    text = run("scan", ".", "--skip-bad")
    assert text.stdout.splitlines()[-1].endswith("; 2 inputs skipped")


# --- Names that hold a newline -----------------------------------------------------------------


def test_a_newline_in_a_file_name_cannot_forge_a_line(tmp_path: Path, seed_path: str) -> None:
    evil = "x.txt:1: exact duplicate of y.txt:1\nseed"
    shutil.copy(seed_path, tmp_path / f"{evil}.txt")
    result = run("scan", ".")
    lines = result.stdout.splitlines()
    assert len(lines) == 5  # four findings and the summary: nothing forged
    assert all(
        line.startswith("x.txt:1: exact duplicate of y.txt:1\\nseed.txt:") for line in lines[:4]
    )


def test_a_newline_in_a_jsonl_id_cannot_forge_a_line(tmp_path: Path) -> None:
    paragraph = (
        "Le Conseil de sécurité a appelé toutes les parties libyennes à respecter le cessez-le-feu."
    )
    records = [
        {"id": "a\nfake.txt:9: exact duplicate of b.txt:1", "paragraphs": [paragraph]},
        {"id": "b", "paragraphs": [paragraph]},
    ]
    (tmp_path / "feed.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    lines = run("scan", "feed.jsonl").stdout.splitlines()
    assert len(lines) == 2
    assert "\\nfake.txt:9" in lines[0]


def test_a_newline_in_a_name_keeps_an_error_one_line(tmp_path: Path) -> None:
    (tmp_path / "bad\nname.jsonl").write_text("{nope\n", encoding="utf-8")
    assert_one_line_error(run("scan", "bad\nname.jsonl"), "bad\\nname.jsonl:1: not valid JSON")
