"""The command line end to end on the fixtures: exit codes, formats, output, stdin, settings."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from dedup import __version__
from dedup.cli import main


@pytest.fixture(autouse=True)
def clean_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run every command in an empty folder: no settings file is found unless a test writes one."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str, stdin: str | bytes | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=stdin)


def assert_one_line_error(result: Result, *fragments: str) -> None:
    """Exit 2, one ``dedup: ...`` line on stderr naming ``fragments``, no traceback."""
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("dedup: ")
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in lines[0]
    # SystemExit is how the exit code is set; anything else escaped the error mapping.
    assert isinstance(result.exception, SystemExit)


def report_of(result: Result) -> dict[str, Any]:
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def test_scan_seed_prints_findings_and_summary(seed_path: str) -> None:
    result = run("scan", seed_path)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert f"{seed_path}:27:1: exact duplicate of {seed_path}:12" in lines
    assert f"{seed_path}:28:1: exact duplicate of {seed_path}:13" in lines
    assert any(line.startswith(f"{seed_path}:26:1: near-duplicate of ") for line in lines)
    assert lines[-1].startswith("6 documents, 31 paragraphs: 3 clusters")
    assert result.stderr == ""


@pytest.mark.parametrize(
    ("fail_on", "code"),
    [
        ("none", 0),
        ("any", 1),
        ("exact", 1),
        ("near", 1),
        ("figures", 0),
        ("boilerplate", 0),
    ],
)
def test_fail_on(seed_path: str, fail_on: str, code: int) -> None:
    result = run("scan", seed_path, "--fail-on", fail_on)
    assert result.exit_code == code
    assert "3 clusters" in result.stdout


def test_fail_on_boilerplate_fails_on_sign_offs(excerpt_path: str) -> None:
    assert run("scan", excerpt_path, "--fail-on", "boilerplate").exit_code == 1


@pytest.mark.parametrize("fail_on", ["none", "any"])
def test_clean_input_exits_zero(clough_dir: Path, fail_on: str) -> None:
    # The "non" answer was written independently: nothing in it repeats.
    result = run("scan", str(clough_dir / "g0pA_taska.txt"), "--fail-on", fail_on)
    assert result.exit_code == 0
    assert "no repeats" in result.stdout


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["scan", "missing.txt"], ["missing.txt", "no such file or folder"]),
        (["scan", "SEED", "--bogus"], ["--bogus"]),
        (["scan", "SEED", "--format", "xml"], ["--format", "xml"]),
        (["scan", "SEED", "--num-perm", "abc"], ["--num-perm", "abc"]),
        (["scan", "SEED", "--num-perm", "3"], ["num_perm", "8 to 1024", "3"]),
        (["scan", "SEED", "--lsh-threshold", "1.5"], ["lsh_threshold", "1.5"]),
        (["scan", "SEED", "--scheme", "md5"], ["--scheme", "md5"]),
        (["scan", "SEED", "--encoding", "klingon"], ["encoding", "klingon"]),
        (["scan", "SEED", "--format", "html"], ["--format html needs --output"]),
        (["scan", "SEED", "--config", "nowhere.toml"], ["nowhere.toml"]),
        (["scan"], ["PATHS"]),
        (["sacn", "SEED"], ["sacn"]),
        (["scan", "SEED", "SEED"], ["appears twice"]),
    ],
    ids=[
        "missing-file",
        "unknown-option",
        "unknown-format",
        "not-a-number",
        "num-perm-out-of-range",
        "threshold-out-of-range",
        "unknown-scheme",
        "unknown-encoding",
        "html-without-output",
        "missing-config-file",
        "no-paths",
        "unknown-command",
        "same-file-twice",
    ],
)
def test_usage_and_input_errors(seed_path: str, args: list[str], fragments: list[str]) -> None:
    result = run(*[seed_path if a == "SEED" else a for a in args])
    assert_one_line_error(result, *fragments)


def test_malformed_jsonl_names_file_and_line(clean_folder: Path, excerpt_path: str) -> None:
    lines = Path(excerpt_path).read_text(encoding="utf-8").splitlines(keepends=True)
    broken = clean_folder / "broken.jsonl"
    broken.write_text(
        "".join(lines[:3]) + lines[3][:-20] + "\n" + "".join(lines[4:10]), encoding="utf-8"
    )
    assert_one_line_error(run("scan", str(broken)), "broken.jsonl:4:", "not valid JSON")


def test_undecodable_file_names_file_and_line(clean_folder: Path, seed_path: str) -> None:
    bad = clean_folder / "bad.txt"
    bad.write_bytes(b"Premier paragraphe.\nOctet \x81 inconnu.\n")
    assert_one_line_error(run("scan", seed_path, str(bad)), "bad.txt:2:", "0x81")


def test_windows_1252_is_read_and_named_on_stderr(seed_path: str, cp1252_path: str) -> None:
    result = run("scan", seed_path, cp1252_path)
    assert result.exit_code == 0
    assert f"dedup: {cp1252_path}: not UTF-8, read as cp1252" in result.stderr.splitlines()
    assert "7 documents" in result.stdout


def test_utf8_only_refuses_windows_1252(seed_path: str, cp1252_path: str) -> None:
    result = run("scan", seed_path, cp1252_path, "--encoding", "utf-8")
    assert_one_line_error(result, "g1pB_taska.txt:1:", "not utf-8")


def test_unwritable_output_is_an_error(clean_folder: Path, seed_path: str) -> None:
    (clean_folder / "file").write_text("keep\n", encoding="utf-8")
    result = run("scan", seed_path, "--format", "json", "--output", "file/report.json")
    assert_one_line_error(result, "file/report.json", "cannot write report")
    assert (clean_folder / "file").read_text(encoding="utf-8") == "keep\n"


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"dedup, version {__version__}"


# --- Formats and output --------------------------------------------------------------------


def test_json_to_stdout(seed_path: str) -> None:
    data = report_of(run("scan", seed_path, "--format", "json"))
    assert data["schema"] == "dedup.report/1"
    assert data["stats"]["clusters"] == 3
    assert data["stats"]["seconds"] is None


def test_json_timings(seed_path: str) -> None:
    data = report_of(run("scan", seed_path, "--format", "json", "--timings"))
    assert data["stats"]["seconds"] >= 0.0


def test_json_to_a_file(clean_folder: Path, seed_path: str) -> None:
    result = run("scan", seed_path, "--format", "json", "--output", "reports/seed.json")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "report written to reports/seed.json" in result.stderr
    data = json.loads((clean_folder / "reports" / "seed.json").read_text(encoding="utf-8"))
    assert data["schema"] == "dedup.report/1"
    assert [c["kind"] for c in data["clusters"]].count("exact") == 2
    assert sorted(p.name for p in (clean_folder / "reports").iterdir()) == ["seed.json"]


def test_json_report_is_byte_identical_across_runs(clean_folder: Path, seed_path: str) -> None:
    for name in ("a.json", "b.json"):
        assert run("scan", seed_path, "--format", "json", "-o", name).exit_code == 0
    assert (clean_folder / "a.json").read_bytes() == (clean_folder / "b.json").read_bytes()


def test_html_to_a_file(clean_folder: Path, seed_path: str) -> None:
    result = run("scan", seed_path, "--format", "html", "--output", "seed.html")
    assert result.exit_code == 0
    page = (clean_folder / "seed.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    for cluster_id in ("c1", "c2", "c3"):
        assert f'id="{cluster_id}"' in page


def test_text_to_a_file(clean_folder: Path, seed_path: str) -> None:
    result = run("scan", seed_path, "--output", "seed.txt")
    assert result.exit_code == 0
    assert result.stdout == ""
    written = (clean_folder / "seed.txt").read_text(encoding="utf-8")
    assert written.splitlines()[-1].startswith("6 documents, 31 paragraphs")


def test_folder_scan(clough_dir: Path) -> None:
    data = report_of(run("scan", str(clough_dir), "--format", "json"))
    assert [Path(d["source"]).name for d in data["documents"]] == [
        "g0pA_taska.txt",
        "g0pD_taska.txt",
        "orig_taska.txt",
    ]
    assert data["clusters"]


# --- Standard input ------------------------------------------------------------------------


def test_text_from_stdin(seed_path: str) -> None:
    result = run("scan", "-", "--format", "json", stdin=Path(seed_path).read_bytes())
    data = report_of(result)
    assert {d["source"] for d in data["documents"]} == {"<stdin>"}
    members = {m["line"] for c in data["clusters"] for m in c["members"]}
    assert {11, 12, 13, 26, 27, 28} <= members


def test_jsonl_from_stdin(excerpt_path: str) -> None:
    result = run("scan", "-", "--format", "json", stdin=Path(excerpt_path).read_bytes())
    data = report_of(result)
    assert data["documents"][0]["id"] == "reuters-2"
    assert {m["line"] for c in data["clusters"] for m in c["members"]} == {None}


# --- Settings ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("dedup.toml", 'num_perm = 64\nshingle-kind = "word"\nshingle_size = 3\n'),
        (
            "pyproject.toml",
            '[project]\nname = "desk"\n\n[tool.dedup]\nnum-perm = 64\n'
            'shingle_kind = "word"\nshingle-size = 3\n',
        ),
    ],
    ids=["dedup-toml", "pyproject"],
)
def test_settings_file_is_applied(
    clean_folder: Path, seed_path: str, name: str, content: str
) -> None:
    (clean_folder / name).write_text(content, encoding="utf-8")
    params = report_of(run("scan", seed_path, "--format", "json"))["params"]
    assert (params["num_perm"], params["shingle_kind"], params["shingle_size"]) == (64, "word", 3)


def test_settings_file_in_a_parent_folder(
    clean_folder: Path, seed_path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    (clean_folder / "dedup.toml").write_text("seed = 7\n", encoding="utf-8")
    desk = clean_folder / "desk" / "today"
    desk.mkdir(parents=True)
    monkeypatch.chdir(desk)
    params = report_of(run("scan", seed_path, "--format", "json"))["params"]
    assert params["seed"] == 7


def test_flags_override_the_file(clean_folder: Path, seed_path: str) -> None:
    (clean_folder / "dedup.toml").write_text(
        "num_perm = 64\nfold_accents = true\nseed = 5\n", encoding="utf-8"
    )
    result = run("scan", seed_path, "--format", "json", "--num-perm", "256", "--no-fold-accents")
    params = report_of(result)["params"]
    assert (params["num_perm"], params["fold_accents"], params["seed"]) == (256, False, 5)


def test_explicit_config_file(clean_folder: Path, seed_path: str) -> None:
    (clean_folder / "dedup.toml").write_text("seed = 5\n", encoding="utf-8")
    (clean_folder / "other.toml").write_text("seed = 9\n", encoding="utf-8")
    params = report_of(run("scan", seed_path, "--format", "json", "--config", "other.toml"))
    assert params["params"]["seed"] == 9


def test_defaults_without_a_file(seed_path: str) -> None:
    params = report_of(run("scan", seed_path, "--format", "json"))["params"]
    assert (params["num_perm"], params["shingle_kind"], params["seed"]) == (128, "char", 1)


@pytest.mark.parametrize(
    ("content", "fragments"),
    [
        ("num_perm = 3\n", ["num_perm", "3"]),
        ("num_perms = 64\n", ["unknown setting 'num_perms'"]),
        ('fold_accents = "yes"\n', ["fold_accents", "true or false"]),
        ("num_perm = \n", ["dedup.toml", "cannot read settings"]),
    ],
    ids=["out-of-range", "unknown-key", "wrong-type", "broken-toml"],
)
def test_bad_settings_file(
    clean_folder: Path, seed_path: str, content: str, fragments: list[str]
) -> None:
    (clean_folder / "dedup.toml").write_text(content, encoding="utf-8")
    assert_one_line_error(run("scan", seed_path), *fragments)


# --- Unexpected errors and closed pipes ----------------------------------------------------


def test_an_unexpected_error_is_exit_2_never_findings(
    seed_path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import dedup.pipeline

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(dedup.pipeline, "scan", broken)
    result = run("scan", seed_path, "--fail-on", "any")
    assert_one_line_error(result, "internal error", "RuntimeError", "disk on fire", "--debug")
    debugged = run("--debug", "scan", seed_path)
    assert debugged.exit_code == 2
    assert "Traceback" in debugged.stderr
    assert debugged.stderr.splitlines()[-1].startswith("dedup: internal error")


@pytest.mark.parametrize(("fail_on", "code"), [("none", 0), ("any", 1)])
def test_a_reader_that_goes_away_is_not_an_error(
    excerpt_path: str, fail_on: str, code: int
) -> None:
    # ``dedup scan ... | head``: the pipe is closed before dedup writes to it. The
    # exit code still says whether there were findings, and nothing else.
    with subprocess.Popen(
        [sys.executable, "-m", "dedup", "scan", excerpt_path, "--fail-on", fail_on],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.close()
        stderr = process.stderr.read().decode()
        assert process.wait(timeout=120) == code
    assert stderr == ""


# --- check ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("paths", "code"),
    [(["SEED"], 1), (["CLEAN"], 0)],
    ids=["repeats-fail", "clean-passes"],
)
def test_check_fails_on_repeats_by_default(
    seed_path: str, clough_dir: Path, paths: list[str], code: int
) -> None:
    clean = str(clough_dir / "g0pA_taska.txt")
    result = run("check", *[seed_path if p == "SEED" else clean for p in paths])
    assert result.exit_code == code
    assert result.stderr == ""


# --- consolidate -----------------------------------------------------------------------------


def test_consolidate_writes_the_trimmed_copy_and_the_report(
    clean_folder: Path, seed_path: str
) -> None:
    result = run("consolidate", seed_path, "--output", "trimmed", "--mark", "--html", "seed.html")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "3 repeated paragraphs removed" in result.stderr
    assert "trimmed" in result.stderr
    lines = (clean_folder / "trimmed" / "anadolu-libye-fr.txt").read_text("utf-8").splitlines()
    assert lines[25].startswith("[ran in «Libye : Le Conseil de sécurité")
    assert "<del>libyennes</del>" in (clean_folder / "seed.html").read_text("utf-8")


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["consolidate", "{seed}"], ["Missing option '--output'"]),
        (["consolidate", "-", "-o", "out"], ["standard input"]),
        (["consolidate", "missing.txt", "-o", "out"], ["missing.txt", "no such file"]),
        (["consolidate", "{seed}", "-o", "{folder}"], ["would overwrite an input"]),
        (["consolidate", "{seed}", "{seed}", "-o", "out"], ["would both be written"]),
        (["consolidate", "{seed}", "-o", "out", "--lang", "x y"], ["lang must be"]),
    ],
    ids=["no-output", "stdin", "missing", "overwrite", "clash", "bad-setting"],
)
def test_consolidate_refuses_in_one_line(
    seed_path: str, args: list[str], fragments: list[str]
) -> None:
    folder = str(Path(seed_path).parent)
    result = run(*(a.format(seed=seed_path, folder=folder) for a in args))
    assert_one_line_error(result, *fragments)
    assert not Path("out").exists()


def test_consolidate_an_output_that_cannot_be_written(clean_folder: Path, seed_path: str) -> None:
    (clean_folder / "blocker").write_text("keep\n", encoding="utf-8")
    result = run("consolidate", seed_path, "-o", "blocker/out")
    assert_one_line_error(result, "cannot write copy", "blocker is not a folder")
    assert (clean_folder / "blocker").read_text(encoding="utf-8") == "keep\n"
