"""``dedup check`` end to end on a git repository of Markdown and reStructuredText pages, with
the tools CI uses to read what it writes: jsonschema and sarif-tools for SARIF, junitparser
for JUnit, and pre-commit for the hook."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from dedup.cli import main

ROOT = Path(__file__).resolve().parents[1]
SARIF_SCHEMA = ROOT / ".." / "shared" / "schemas" / "sarif-schema-2.1.0.json"

#: Paragraphs of the pages, as written.
INSTALL = (
    "Install the package with pip, then run the check once on the whole repository "
    "to see what repeats."
)
ARCHIVE = (
    "The desk keeps every dispatch for thirty days, after which the archive moves it "
    "to cold storage overnight."
)
# One word apart from ARCHIVE: a near-duplicate.
STORAGE = (
    "The desk keeps every dispatch for thirty days, after which the archive moves them "
    "to cold storage overnight."
)
LICENCE = "This licence paragraph is repeated on purpose in every page of the handbook."

PAGES = {
    ".gitignore": "build/\n",
    "docs/index.md": f"""---
title: Handbook
description: {INSTALL}
---
# Handbook

{INSTALL}

The handbook is kept by the standards desk; each chapter names its own editor at the top.

```sh
pip install dedup
```

<!-- dedup: ignore -->
{LICENCE}
""",
    "docs/guide.rst": f"""=====
Guide
=====

The guide walks a new editor through a day on the desk, from the morning list to the
last correction.

- {INSTALL.replace(" then ", chr(10) + "  then ")}

.. code-block:: sh

   pip install dedup

.. dedup: ignore

{LICENCE}
""",
    "docs/archive.md": f"# Archive\n\n{ARCHIVE}\n",
    "docs/storage.md": f"""# Storage

Old dispatches are kept in two places, and either may be searched from the desk tools.

{STORAGE}
""",
    # Ignored by git: its repeat is not the repository's.
    "build/copy.md": f"{INSTALL}\n",
}

#: Where the repeats are: (file, line, column) of each copy, as editors count them.
INSTALL_IN_GUIDE = ("docs/guide.rst", 8, 3, 9)
INSTALL_IN_INDEX = ("docs/index.md", 7, 1, 7)
ARCHIVE_AT = ("docs/archive.md", 3, 1, 3)
STORAGE_AT = ("docs/storage.md", 5, 1, 5)


def git(repo: Path, *args: str) -> str:
    """Run git in ``repo`` with an identity of its own."""
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Desk",
        "GIT_AUTHOR_EMAIL": "desk@example.org",
        "GIT_COMMITTER_NAME": "Desk",
        "GIT_COMMITTER_EMAIL": "desk@example.org",
    }
    done = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True)
    assert done.returncode == 0, f"git {' '.join(args)}: {done.stderr}"
    return done.stdout


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git work tree of documentation pages, committed, and the current folder."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = tmp_path / "handbook"
    for name, text in PAGES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Handbook")
    monkeypatch.chdir(root)
    return root


def check(*args: str) -> Result:
    return CliRunner().invoke(main, ["check", *args])


def where(location: dict[str, Any]) -> tuple[str, int, int, int]:
    """(uri, start line, start column, end line) of a SARIF location."""
    physical = location["physicalLocation"]
    region = physical["region"]
    return (
        physical["artifactLocation"]["uri"],
        region["startLine"],
        region["startColumn"],
        region["endLine"],
    )


# --- Exit codes and the text report --------------------------------------------------------


def test_repeats_fail_with_one_line_each(repo: Path) -> None:
    result = check(".")
    assert result.exit_code == 1, result.output
    # Near clusters first, then exact copies; each copy against the earliest (by path).
    assert result.stdout.splitlines() == [
        "docs/storage.md:5:1: near-duplicate of docs/archive.md:3 (cosine 0.88)",
        "docs/index.md:7:1: exact duplicate of docs/guide.rst:8",
        "4 documents, 7 paragraphs: 2 clusters (1 exact, 1 near), 2 repeated paragraphs",
    ]
    assert result.stderr == ""


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["--fail-on", "none"], 0),
        (["--fail-on", "any"], 1),
        (["--fail-on", "exact"], 1),
        (["--fail-on", "near"], 1),
        (["--fail-on", "partial"], 0),
        (["--fail-on", "figures"], 0),
        (["--fail-on", "new"], 1),
    ],
    ids=lambda value: "-".join(value) if isinstance(value, list) else str(value),
)
def test_fail_on(repo: Path, args: list[str], code: int) -> None:
    assert check(".", *args).exit_code == code


def test_a_clean_folder_passes(repo: Path) -> None:
    result = check("docs/archive.md", "docs/index.md")
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith("no repeats, 0 repeated paragraphs\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing/"], "missing/: no such file or folder"),
        ([".", "--format", "xml"], "'xml' is not one of"),
        ([".", "--update-baseline"], "--update-baseline needs --baseline FILE"),
        ([".", "--baseline", "none.json"], "none.json: no such baseline"),
        ([".", "--skip-blocks", "headings,prose"], "skip_blocks: unknown 'prose'"),
        ([".", "--exclude", "!"], "exclude: bad pattern '!'"),
    ],
    ids=["missing", "format", "update-without-file", "no-baseline", "block-kind", "glob"],
)
def test_errors_exit_2_with_one_line(repo: Path, args: list[str], message: str) -> None:
    result = check(*args)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("dedup: ")
    assert message in result.stderr


# --- Which files: .gitignore, exclude, markup ----------------------------------------------


def test_git_ignored_files_are_read_only_when_asked(repo: Path) -> None:
    assert "build/copy.md" not in check(".").stdout
    result = check(".", "--no-gitignore")
    assert "docs/guide.rst:8:3: exact duplicate of build/copy.md:1" in result.stdout


def test_untracked_files_are_read(repo: Path) -> None:
    (repo / "docs" / "new.md").write_text(f"{ARCHIVE}\n", encoding="utf-8")
    assert "docs/new.md:1:1: exact duplicate of docs/archive.md:3" in check(".").stdout


@pytest.mark.parametrize(
    ("settings", "args"),
    [("", ["--exclude", "storage.md"]), ('exclude = ["docs/storage.*"]\n', [])],
    ids=["flag", "settings-file"],
)
def test_excluded_files_are_not_read(repo: Path, settings: str, args: list[str]) -> None:
    (repo / "dedup.toml").write_text(settings, encoding="utf-8")
    result = check(".", *args)
    assert "storage.md" not in result.stdout
    assert "3 documents" in result.stdout


def test_code_front_matter_and_headings_count_when_asked(repo: Path) -> None:
    lines = check(".", "--skip-blocks", "").stdout.splitlines()
    # The front matter's description and the install command (code) now repeat too.
    assert lines == [
        "docs/storage.md:5:1: near-duplicate of docs/archive.md:3 (cosine 0.88)",
        "docs/index.md:1:1: near-duplicate of docs/guide.rst:8 (cosine 0.83)",
        "docs/index.md:7:1: exact duplicate of docs/guide.rst:8",
        "docs/index.md:11:1: boilerplate, exact duplicate of docs/guide.rst:13",
        "4 documents, 14 paragraphs: 3 clusters (1 boilerplate, 2 near), 4 repeated paragraphs",
    ]


def test_ignore_markers_leave_paragraphs_out(repo: Path) -> None:
    assert "2 repeated paragraphs" in check(".").stdout
    page = repo / "docs" / "index.md"
    page.write_text(page.read_text().replace("<!-- dedup: ignore -->\n", ""), encoding="utf-8")
    # One copy unmarked: still no repeat, since the other copy is marked in the guide.
    assert "2 repeated paragraphs" in check(".").stdout
    guide = repo / "docs" / "guide.rst"
    guide.write_text(guide.read_text().replace(".. dedup: ignore\n", ""), encoding="utf-8")
    assert "docs/index.md:15:1: exact duplicate of docs/guide.rst:16" in check(".").stdout


# --- SARIF ---------------------------------------------------------------------------------


@pytest.fixture
def sarif(repo: Path) -> dict[str, Any]:
    result = check(".", "--format", "sarif", "--output", "dedup.sarif")
    assert result.exit_code == 1, result.output
    log: dict[str, Any] = json.loads((repo / "dedup.sarif").read_text(encoding="utf-8"))
    return log


def test_sarif_is_valid_against_the_oasis_schema(sarif: dict[str, Any]) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    if not SARIF_SCHEMA.is_file():
        pytest.skip("the shared SARIF schema (../shared/schemas) is not present in this clone")
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    jsonschema.Draft4Validator(schema).validate(sarif)


def test_sarif_locates_both_copies(sarif: dict[str, Any]) -> None:
    (run,) = sarif["runs"]
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["tool"]["driver"]["version"]
    assert run["properties"]["settings"]["gitignore"] is True
    rules = {rule["id"] for rule in run["tool"]["driver"]["rules"]}
    assert {"exact-duplicate", "near-duplicate", "partial-reuse"} <= rules
    near, exact = run["results"]
    assert exact["ruleId"] == "exact-duplicate"
    assert where(exact["locations"][0]) == INSTALL_IN_INDEX
    assert [where(r) for r in exact["relatedLocations"]] == [INSTALL_IN_GUIDE]
    assert "[docs/guide.rst:8](1)" in exact["message"]["text"]
    assert exact["relatedLocations"][0]["id"] == 1
    assert near["ruleId"] == "near-duplicate"
    assert where(near["locations"][0]) == STORAGE_AT
    assert [where(r) for r in near["relatedLocations"]] == [ARCHIVE_AT]
    rule_ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    assert all(rule_ids[r["ruleIndex"]] == r["ruleId"] for r in run["results"])


def test_sarif_fingerprints_hold_when_lines_shift(repo: Path, sarif: dict[str, Any]) -> None:
    page = repo / "docs" / "storage.md"
    page.write_text(page.read_text().replace("# Storage\n", "# Storage\n\nA new lede.\n"))
    check(".", "--format", "sarif", "--output", "moved.sarif")
    moved = json.loads((repo / "moved.sarif").read_text(encoding="utf-8"))
    before = [r["partialFingerprints"] for r in sarif["runs"][0]["results"]]
    after = [r["partialFingerprints"] for r in moved["runs"][0]["results"]]
    assert before == after
    assert len({next(iter(p.values())) for p in before}) == 2
    assert where(moved["runs"][0]["results"][0]["locations"][0])[1] == STORAGE_AT[1] + 2


def test_sarif_tools_reads_it_back(repo: Path, sarif: dict[str, Any]) -> None:
    sarif_cli = shutil.which("sarif") or str(Path(sys.executable).with_name("sarif"))
    if not Path(sarif_cli).exists():
        pytest.skip("sarif-tools is not installed (pip install '.[test]')")
    subprocess.run([sarif_cli, "csv", "dedup.sarif", "--output", "found.csv"], check=True)
    rows = (repo / "found.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0] == "Tool,Severity,Code,Description,Location,Line"
    found = sorted(tuple(row.split(",")[i] for i in (2, 4, 5)) for row in rows[1:])
    assert found == [
        ("exact-duplicate", "docs/index.md", "7"),
        ("near-duplicate", "docs/storage.md", "5"),
    ]
    from sarif import loader

    records = loader.load_sarif_file(str(repo / "dedup.sarif")).get_records()
    assert {(r["Location"], r["Line"], r["Severity"]) for r in records} == {
        ("docs/index.md", 7, "warning"),
        ("docs/storage.md", 5, "warning"),
    }


# --- GitHub, GitLab, JUnit, Markdown -------------------------------------------------------


def test_github_annotations(repo: Path) -> None:
    result = check(".", "--format", "github")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "::warning file=docs/storage.md,line=5,endLine=5,col=1,title=Near-duplicate paragraph"
        "::near-duplicate of docs/archive.md:3 (cosine 0.88)",
        "::warning file=docs/index.md,line=7,endLine=7,col=1,title=Exact duplicate paragraph"
        "::exact duplicate of docs/guide.rst:8",
        "4 documents, 7 paragraphs: 2 clusters (1 exact, 1 near), 2 repeated paragraphs",
    ]


def test_github_escapes_paths_the_runner_would_split(repo: Path) -> None:
    odd = repo / "docs" / "z,b: 100%.md"
    odd.write_text(f"{ARCHIVE}\n", encoding="utf-8")
    lines = check(".", "--format", "github").stdout.splitlines()
    assert any(
        line.startswith("::warning file=docs/z%2Cb%3A 100%25.md,line=1,endLine=1,col=1,")
        for line in lines
    )


def test_gitlab_code_quality(repo: Path) -> None:
    result = check(".", "--format", "gitlab")
    issues = json.loads(result.stdout)
    assert [
        (i["check_name"], i["location"]["path"], i["location"]["lines"]["begin"]) for i in issues
    ] == [
        ("near-duplicate", "docs/storage.md", 5),
        ("exact-duplicate", "docs/index.md", 7),
    ]
    for issue in issues:
        assert issue["severity"] in ("info", "minor", "major", "critical", "blocker")
        assert issue["description"]
        assert len(issue["fingerprint"]) == 32
    assert len({i["fingerprint"] for i in issues}) == len(issues)


def test_junit_read_by_a_junit_reader(repo: Path) -> None:
    from junitparser import Failure, JUnitXml

    assert check(".", "--format", "junit", "--output", "dedup.xml").exit_code == 1
    xml = JUnitXml.fromfile(str(repo / "dedup.xml"))
    cases = {case.name: case for suite in xml for case in suite}
    assert sorted(cases) == [
        "docs/archive.md",
        "docs/guide.rst",
        "docs/index.md",
        "docs/storage.md",
    ]
    failing = {name for name, case in cases.items() if not case.is_passed}
    assert failing == {"docs/index.md", "docs/storage.md"}
    (failure,) = cases["docs/index.md"].result
    assert isinstance(failure, Failure)
    assert failure.type == "exact-duplicate"
    assert "docs/index.md:7:1: exact duplicate of docs/guide.rst:8" in failure.text
    assert xml.failures == 2 and xml.tests == 4


def test_markdown_summary_table(repo: Path) -> None:
    lines = check(".", "--format", "markdown").stdout.splitlines()
    assert lines[0] == "### dedup: repeated paragraphs"
    assert (
        "| docs/index.md:7:1 | exact | docs/guide.rst:8 | exact | Install the package"
        in "\n".join(lines)
    )
    assert sum(line.startswith("| docs/") for line in lines) == 2


# --- Baselines -----------------------------------------------------------------------------


def test_baseline_lets_known_repeats_pass_and_fails_new_ones(repo: Path) -> None:
    written = check(".", "--baseline", ".dedup-baseline.json", "--update-baseline")
    assert written.exit_code == 0, written.output
    assert "4 repeated copies accepted" in written.stderr
    baseline = json.loads((repo / ".dedup-baseline.json").read_text(encoding="utf-8"))
    assert [(e["path"], e["kind"]) for e in baseline["accepted"]] == [
        ("docs/archive.md", "near"),
        ("docs/guide.rst", "exact"),
        ("docs/index.md", "exact"),
        ("docs/storage.md", "near"),
    ]
    # Known repeats pass, even after the paragraphs move within their files.
    page = repo / "docs" / "index.md"
    page.write_text(page.read_text().replace("# Handbook\n", "# Handbook\n\nA new lede.\n"))
    known = check(".", "--baseline", ".dedup-baseline.json")
    assert known.exit_code == 0, known.output
    assert known.stdout.splitlines()[-1].endswith("; 0 new, 4 copies accepted by the baseline")
    # A new copy fails, and is the only one reported.
    (repo / "docs" / "faq.md").write_text(f"# FAQ\n\n{STORAGE}\n", encoding="utf-8")
    new = check(".", "--baseline", ".dedup-baseline.json")
    assert new.exit_code == 1
    assert new.stdout.splitlines()[:-1] == [
        "docs/faq.md:3:1: near-duplicate of docs/archive.md:3 (cosine 0.88)"
    ]
    assert check(".", "--baseline", ".dedup-baseline.json", "--fail-on", "none").exit_code == 0


def test_baseline_is_read_the_same_from_another_folder(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert check(".", "--baseline", "ci/baseline.json", "--update-baseline").exit_code == 0
    monkeypatch.chdir(repo / "docs")
    assert check(".", "--baseline", "../ci/baseline.json").exit_code == 0
    assert check(".", "--baseline", "../ci/baseline.json", "--fail-on", "any").exit_code == 1


def test_a_new_earliest_copy_of_accepted_text_is_reported(repo: Path) -> None:
    check(".", "--baseline", "b.json", "--update-baseline")
    # "docs/000.md" sorts first, so it becomes the canonical copy.
    (repo / "docs" / "000.md").write_text(f"{ARCHIVE}\n", encoding="utf-8")
    result = check(".", "--baseline", "b.json")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == "docs/000.md:1:1: exact duplicate of docs/archive.md:3"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", "b.json:1: not valid JSON"),
        ('{"schema": "other"}', "not a dedup baseline"),
        ('{"schema": "dedup.baseline/1", "accepted": [1]}', '"accepted" must be a list'),
    ],
    ids=["not-json", "not-a-baseline", "bad-entry"],
)
def test_a_broken_baseline_is_an_error(repo: Path, content: str, message: str) -> None:
    (repo / "b.json").write_text(content, encoding="utf-8")
    result = check(".", "--baseline", "b.json")
    assert result.exit_code == 2
    assert message in result.stderr


# --- pre-commit ----------------------------------------------------------------------------


def pre_commit_tool() -> str:
    """The ``pre-commit`` command of this environment, or a skip."""
    found = shutil.which("pre-commit") or str(Path(sys.executable).with_name("pre-commit"))
    if not Path(found).exists():
        pytest.skip("pre-commit is not installed (pip install '.[test]')")
    return found


def test_hook_manifest_and_readme_example_are_valid(tmp_path: Path) -> None:
    """pre-commit itself accepts the manifest and the README's example configuration."""
    tool = pre_commit_tool()
    manifest = subprocess.run(
        [tool, "validate-manifest", str(ROOT / ".pre-commit-hooks.yaml")],
        capture_output=True,
        text=True,
    )
    assert manifest.returncode == 0, manifest.stdout + manifest.stderr
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = readme.split("# .pre-commit-config.yaml\n", 1)[1].split("```", 1)[0]
    (tmp_path / ".pre-commit-config.yaml").write_text(example, encoding="utf-8")
    config = subprocess.run(
        [tool, "validate-config", str(tmp_path / ".pre-commit-config.yaml")],
        capture_output=True,
        text=True,
    )
    assert config.returncode == 0, config.stdout + config.stderr
    assert "id: dedup" in example


def test_the_hook_through_pre_commit_try_repo(
    repo: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The real pre-commit installs the hook from this repository and runs it in ``repo``."""
    pre_commit = pre_commit_tool()
    if not (ROOT / ".git").exists():
        pytest.skip("try-repo needs this project as a git repository")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path_factory.mktemp("pre-commit-home"))}
    env.pop("VIRTUAL_ENV", None)

    def try_repo() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [pre_commit, "try-repo", str(ROOT), "dedup", "--all-files"],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )

    failed = try_repo()
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "dedup (repeated paragraphs)" in failed.stdout
    assert "docs/index.md:7:1: exact duplicate of docs/guide.rst:8" in failed.stdout
    assert "docs/storage.md:5:1: near-duplicate of docs/archive.md:3" in failed.stdout
    (repo / "docs" / "storage.md").unlink()
    page = repo / "docs" / "index.md"
    page.write_text(page.read_text().replace(INSTALL + "\n", ""), encoding="utf-8")
    git(repo, "add", "-A")
    passed = try_repo()
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout
