"""Baselines: written sorted and stable, read back, keyed by path and text, not by line."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from dedup.baseline import SCHEMA, accept_known, baseline_of, read_baseline, write_baseline
from dedup.errors import InputError
from dedup.findings import report_findings
from dedup.records import Report


def test_written_sorted_one_entry_a_line(tmp_path: Path, seed_report: Report) -> None:
    path = tmp_path / "baseline.json"
    write_baseline(seed_report, str(path))
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[:3] == ["{", f'  "schema": "{SCHEMA}",', '  "accepted": [']
    entries = json.loads(path.read_text(encoding="utf-8"))["accepted"]
    assert len(lines) == len(entries) + 5
    keys = [(e["path"], e["unit"]) for e in entries]
    assert keys == sorted(set(keys))
    assert {e["kind"] for e in entries} == {"exact", "near"}
    assert all(len(e["text"]) <= 80 for e in entries)


def test_the_same_findings_write_the_same_bytes(tmp_path: Path, seed_report: Report) -> None:
    reordered = replace(seed_report, clusters=tuple(reversed(seed_report.clusters)))
    write_baseline(seed_report, str(tmp_path / "a.json"))
    write_baseline(reordered, str(tmp_path / "b.json"))
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()


def test_round_trip_accepts_every_copy(tmp_path: Path, seed_report: Report) -> None:
    written = write_baseline(seed_report, str(tmp_path / "baseline.json"))
    read = read_baseline(str(tmp_path / "baseline.json"))
    assert read.keys == written.keys
    accepted = accept_known(seed_report, read)
    assert report_findings(accepted) == []
    assert not accepted.has_findings("new")
    assert accepted.has_findings("any")


def test_paths_are_relative_to_the_baseline(tmp_path: Path, seed_report: Report) -> None:
    folder = tmp_path / "ci"
    baseline = baseline_of(seed_report, folder)
    ((path, _), *_) = sorted(baseline.keys)
    assert not path.startswith("/")
    assert (folder / path).resolve() == Path(seed_report.documents[0].source).resolve()


def test_an_empty_report_writes_an_empty_baseline(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    write_baseline(Report(documents=(), clusters=()), str(path))
    assert json.loads(path.read_text(encoding="utf-8")) == {"schema": SCHEMA, "accepted": []}
    assert read_baseline(str(path)).keys == frozenset()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "not valid JSON"),
        ("[]", "not a dedup baseline"),
        ('{"schema": "dedup.baseline/1"}', '"accepted" must be a list'),
        ('{"schema": "dedup.baseline/1", "accepted": [{"path": "a"}]}', '"accepted" must be'),
    ],
    ids=["empty", "list", "no-entries", "entry-without-unit"],
)
def test_malformed_baselines(tmp_path: Path, content: str, message: str) -> None:
    (tmp_path / "b.json").write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        read_baseline(str(tmp_path / "b.json"))


def test_missing_baseline_says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="--update-baseline"):
        read_baseline(str(tmp_path / "none.json"))
