"""``dedup index add|remove|stats`` and ``dedup check --index`` end to end, as a desk uses them."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from test_cli import assert_one_line_error, report_of, run


@pytest.fixture(autouse=True)
def desk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed_path: str) -> Path:
    """An empty folder to work in, with the seed cut in two: yesterday's dispatches
    (``archive.txt``, lines 1-13) and today's (``incoming.txt``, the rest)."""
    monkeypatch.chdir(tmp_path)
    lines = Path(seed_path).read_text(encoding="utf-8").splitlines(keepends=True)
    (tmp_path / "archive.txt").write_text("".join(lines[:13]), encoding="utf-8")
    (tmp_path / "incoming.txt").write_text("".join(lines[13:]), encoding="utf-8")
    return tmp_path


def add_archive(index: str = "desk.db") -> None:
    result = run("index", "add", "--index", index, "archive.txt")
    assert result.exit_code == 0, result.output


def test_add_then_stats() -> None:
    result = run("index", "add", "--index", "desk.db", "archive.txt")
    assert result.exit_code == 0
    assert result.stdout == (
        "desk.db: 2 documents added, 0 replaced, 0 unchanged; 2 documents, 12 paragraphs indexed\n"
    )
    text = run("index", "stats", "--index", "desk.db").stdout
    assert "documents: 2\nparagraphs: 12\n" in text
    assert "schema version: 2" in text and "shingle_size=5" in text
    data = json.loads(run("index", "stats", "--index", "desk.db", "--format", "json").stdout)
    assert (data["documents"], data["paragraphs"], data["schema_version"]) == (2, 12, 2)
    assert data["parameters"]["num_perm"] == 128
    assert data["size_bytes"] == Path("desk.db").stat().st_size > 0


def test_adding_again_changes_nothing() -> None:
    add_archive()
    again = run("index", "add", "--index", "desk.db", "archive.txt")
    assert again.stdout.startswith("desk.db: 0 documents added, 0 replaced, 2 unchanged;")


def test_check_reports_what_the_index_ran_before() -> None:
    add_archive()
    result = run("check", "--index", "desk.db", "incoming.txt")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert "incoming.txt:13:1: near-duplicate of archive.txt:11 (cosine 0.98)" in lines
    assert "incoming.txt:14:1: exact duplicate of archive.txt:12" in lines
    assert "incoming.txt:15:1: exact duplicate of archive.txt:13" in lines
    assert lines[-1].startswith("4 documents, 19 paragraphs: 3 clusters")
    data = report_of(run("check", "--index", "desk.db", "incoming.txt", "--format", "json"))
    archived = [m for c in data["clusters"] for m in c["members"] if m["source"] == "archive.txt"]
    assert {m["line"] for m in archived} == {11, 12, 13}
    assert all(m["title"] and m["added"] for m in archived)


def test_check_passes_clean_copy(clough_dir: Path) -> None:
    add_archive()
    result = run("check", "--index", "desk.db", str(clough_dir / "g0pA_taska.txt"))
    assert result.exit_code == 0
    assert "no repeats" in result.stdout


def test_check_add_adds_what_it_checked() -> None:
    result = run("check", "--index", "desk.db", "--add", "archive.txt", "--fail-on", "none")
    assert result.exit_code == 0
    assert "no repeats" in result.stdout
    assert (
        json.loads(run("index", "stats", "--index", "desk.db", "--format", "json").stdout)[
            "documents"
        ]
        == 2
    )
    assert run("check", "--index", "desk.db", "incoming.txt").exit_code == 1


def test_check_html_report_with_indexed_copies() -> None:
    add_archive()
    result = run("check", "--index", "desk.db", "incoming.txt", "--format", "html", "-o", "r.html")
    assert result.exit_code == 1
    page = Path("r.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "archive.txt:12" in page


def test_remove_by_id_and_by_age() -> None:
    Path("wire.jsonl").write_text(
        '{"id": "old", "date": "2001-09-10T08:00:00Z", "text": "Markets were calm on Monday '
        'as traders waited for the central bank decision."}\n'
        '{"id": "recent", "text": "Markets fell sharply on Tuesday after the central bank '
        'raised its key rate by half a point."}\n',
        encoding="utf-8",
    )
    run("index", "add", "--index", "desk.db", "wire.jsonl", "archive.txt")
    aged = run("index", "remove", "--index", "desk.db", "--older-than", "30d")
    assert aged.stdout == "desk.db: 1 documents removed; 3 documents indexed\n"
    named = run("index", "remove", "--index", "desk.db", "--doc", "recent", "--doc", "nope")
    assert named.exit_code == 0
    assert named.stdout == "desk.db: 1 documents removed; 2 documents indexed\n"
    assert named.stderr == "dedup: desk.db: no document 'nope' in the index\n"


def spoil(path: str) -> None:
    Path(path).write_bytes(b"\x00\x01 this is the desk's rota, not an index" * 100)


def foreign(path: str) -> None:
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE rota (day TEXT, editor TEXT)")


@pytest.mark.parametrize(
    ("prepare", "args", "fragments"),
    [
        (None, ["check", "--add", "incoming.txt"], ["--add needs --index"]),
        (None, ["check", "--index", "nowhere.db", "incoming.txt"], ["nowhere.db", "no such index"]),
        (
            add_archive,
            ["check", "--index", "desk.db", "incoming.txt", "--shingle-size", "4"],
            ["desk.db", "built with shingle_size 5, not 4"],
        ),
        (
            add_archive,
            ["index", "add", "--index", "desk.db", "incoming.txt", "--num-perm", "64"],
            ["built with num_perm 128, not 64"],
        ),
        (
            lambda: spoil("desk.db"),
            ["check", "--index", "desk.db", "incoming.txt"],
            ["desk.db", "not a dedup index"],
        ),
        (
            lambda: foreign("desk.db"),
            ["index", "stats", "--index", "desk.db"],
            ["desk.db: not a dedup index (an SQLite file of another kind)"],
        ),
        (None, ["index", "stats", "--index", "ftp://desk/db"], ["unknown index scheme 'ftp'"]),
        (
            None,
            ["check", "--index", "redis://127.0.0.1:9/0", "incoming.txt"],
            ["redis://127.0.0.1:9/0", "cannot reach the Redis server"],
        ),
        (add_archive, ["index", "remove", "--index", "desk.db"], ["--doc ID or --older-than"]),
        (
            add_archive,
            ["index", "remove", "--index", "desk.db", "--older-than", "a fortnight"],
            ["'a fortnight' is not a duration"],
        ),
        (None, ["index", "add", "archive.txt"], ["--index"]),
        (None, ["index", "add", "--index", "desk.db", "missing.txt"], ["missing.txt"]),
    ],
    ids=[
        "add-without-index",
        "missing-index",
        "other-shingle-size",
        "add-with-other-num-perm",
        "corrupt-file",
        "foreign-sqlite-file",
        "unknown-scheme",
        "unreachable-redis",
        "remove-what",
        "bad-duration",
        "add-without-index-option",
        "add-missing-file",
    ],
)
def test_errors_are_one_line(
    prepare: object, args: list[str], fragments: list[str], desk: Path
) -> None:
    if callable(prepare):
        prepare()
    assert_one_line_error(run(*args), *fragments)
    assert not (desk / "nowhere.db").exists()


def test_settings_file_that_disagrees_with_the_index_is_refused() -> None:
    add_archive()
    Path("dedup.toml").write_text("fold-accents = true\n", encoding="utf-8")
    assert_one_line_error(
        run("check", "--index", "desk.db", "incoming.txt"), "built with fold_accents False"
    )
    # Verification settings are the check's own.
    Path("dedup.toml").write_text("cosine-threshold = 0.99\n", encoding="utf-8")
    result = run("check", "--index", "desk.db", "incoming.txt", "--format", "json")
    assert report_of(result)["params"]["cosine_threshold"] == 0.99


def test_an_index_keeps_the_settings_it_was_built_with() -> None:
    run("index", "add", "--index", "desk.db", "archive.txt", "--shingle-size", "4")
    # No setting given: the index's own are used.
    data = report_of(run("check", "--index", "desk.db", "incoming.txt", "--format", "json"))
    assert data["params"]["shingle_size"] == 4


def test_the_same_through_redis(redis_index: str) -> None:
    add_archive(redis_index)
    result = run("check", "--index", redis_index, "incoming.txt")
    assert result.exit_code == 1
    assert "incoming.txt:14:1: exact duplicate of archive.txt:12" in result.stdout.splitlines()
    stats = json.loads(run("index", "stats", "--index", redis_index, "--format", "json").stdout)
    assert (stats["documents"], stats["paragraphs"]) == (2, 12)


def test_copies_lists_the_earliest_and_counts_the_others() -> None:
    background = (
        "The central bank has kept its key rate unchanged since March, citing a slowdown "
        "in lending and weaker exports."
    )
    Path("wire.jsonl").write_text(
        "".join(
            json.dumps({"id": f"d{day}", "date": f"2020-03-{day:02d}", "text": background}) + "\n"
            for day in (5, 3, 9)
        ),
        encoding="utf-8",
    )
    Path("today.txt").write_text(background + "\n", encoding="utf-8")
    run("index", "add", "--index", "desk.db", "wire.jsonl")
    listed = report_of(
        run("check", "--index", "desk.db", "today.txt", "--copies", "1", "--format", "json")
    )
    (cluster,) = listed["clusters"]
    assert [m["doc"] for m in cluster["members"]] == ["d3", "today.txt"]
    assert cluster["unlisted"] == 2
    every = report_of(
        run("check", "--index", "desk.db", "today.txt", "--copies", "0", "--format", "json")
    )
    (cluster,) = every["clusters"]
    assert [m["doc"] for m in cluster["members"]] == ["d3", "d5", "d9", "today.txt"]
    assert "unlisted" not in cluster


def test_a_fallback_encoding_is_named_once(cp1252_path: str) -> None:
    add = run("index", "add", "--index", "desk.db", cp1252_path)
    assert add.stderr == f"dedup: {cp1252_path}: not UTF-8, read as cp1252\n"
    checked = run("check", "--index", "desk.db", cp1252_path, "--fail-on", "none")
    assert checked.stderr == f"dedup: {cp1252_path}: not UTF-8, read as cp1252\n"
