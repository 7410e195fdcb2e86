"""CI renderers (SARIF, GitHub, GitLab, Markdown, JUnit) on the seed, the Reuters excerpt
(no lines), hostile text and empty reports: valid, deterministic, escaped, capped."""

from __future__ import annotations

import doctest
import importlib
import json
from pathlib import Path
from typing import Any

import pytest
from test_report import hostile_report

from dedup.cli.options import FORMATS
from dedup.records import SAME, Cluster, Document, Kind, Member, Paragraph, Report
from dedup.report import RENDERERS, render
from dedup.report.github import ANNOTATIONS

SARIF_SCHEMA = Path(__file__).resolve().parents[1] / ".." / "shared" / "schemas"
CI_FORMATS = ["sarif", "github", "gitlab", "markdown", "junit"]


def many_repeats(count: int) -> Report:
    """``count`` exact clusters of two copies each, in two files."""
    documents = []
    clusters = []
    for source in ("a.md", "b.md"):
        paragraphs = tuple(
            Paragraph(doc=source, index=i, source=source, line=2 * i + 1, text=f"p{i}", column=1)
            for i in range(count)
        )
        documents.append(Document(id=source, source=source, title=None, paragraphs=paragraphs))
    for i in range(count):
        members = tuple(Member(d.paragraphs[i], SAME, Kind.EXACT, unit=i) for d in documents)
        clusters.append(Cluster(id=f"c{i + 1}", kind=Kind.EXACT, members=members))
    return Report(documents=tuple(documents), clusters=tuple(clusters))


@pytest.fixture(params=["seed", "excerpt", "hostile", "empty"])
def report(request: pytest.FixtureRequest) -> Report:
    if request.param == "hostile":
        return hostile_report()
    if request.param == "empty":
        return Report(documents=(), clusters=())
    found: Report = request.getfixturevalue(f"{request.param}_report")
    return Report(found.documents, found.clusters, found.params, None)


def test_every_renderer_is_offered() -> None:
    assert set(FORMATS) == set(RENDERERS)


@pytest.mark.parametrize("fmt", CI_FORMATS)
def test_renderers_are_deterministic(report: Report, fmt: str) -> None:
    assert render(report, fmt) == render(report, fmt)
    assert render(report, fmt).endswith("\n")


def test_sarif_is_schema_valid(report: Report) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema_path = SARIF_SCHEMA / "sarif-schema-2.1.0.json"
    if not schema_path.is_file():
        pytest.skip("the shared SARIF schema (../shared/schemas) is not present in this clone")
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    log = json.loads(render(report, "sarif"))
    jsonschema.Draft4Validator(schema).validate(log)
    results = log["runs"][0]["results"]
    assert len(results) == report.repeated_count
    for result in results:
        assert len(result["relatedLocations"]) >= 1
        assert "](1)" in result["message"]["text"]


def test_sarif_without_lines_has_no_region(excerpt_report: Report) -> None:
    log = json.loads(render(excerpt_report, "sarif"))
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert "region" not in location
    assert location["artifactLocation"]["uri"].endswith("reuters-excerpt.jsonl")


def test_sarif_escapes_link_text_and_uris() -> None:
    log = json.loads(render(hostile_report(), "sarif"))
    (result,) = log["runs"][0]["results"]
    assert result["message"]["text"].startswith("Near-duplicate of [wire/<a>.txt:3](1)")
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "feed.jsonl"
    related = result["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert related == "wire/%3Ca%3E.txt"


def test_github_caps_annotations_and_says_so() -> None:
    lines = render(many_repeats(ANNOTATIONS + 2), "github").splitlines()
    warnings = [line for line in lines if line.startswith("::warning ")]
    assert len(warnings) == ANNOTATIONS
    assert lines[ANNOTATIONS : ANNOTATIONS + 2] == [
        f"b.md:{2 * i + 1}:1: exact duplicate of a.md:{2 * i + 1}" for i in (10, 11)
    ]
    assert lines[-2].startswith("::notice title=dedup::2 more repeated paragraphs")
    assert lines[-1].startswith("2 documents, 24 paragraphs: 12 clusters")


def test_github_annotates_content_only(seed_report: Report, excerpt_report: Report) -> None:
    lines = render(excerpt_report, "github").splitlines()
    boilerplate = [line for line in lines if "boilerplate" in line]
    assert boilerplate and not any(line.startswith("::") for line in boilerplate)


def test_gitlab_without_lines_starts_at_line_one(excerpt_report: Report) -> None:
    issues: list[dict[str, Any]] = json.loads(render(excerpt_report, "gitlab"))
    assert {i["location"]["lines"]["begin"] for i in issues} == {1}
    assert {i["severity"] for i in issues} <= {"info", "minor", "major"}
    assert len({i["fingerprint"] for i in issues}) == len(issues)


def test_markdown_escapes_cells() -> None:
    page = render(hostile_report(), "markdown")
    assert "<script>" not in page and "<b>" not in page
    (row,) = [line for line in page.splitlines() if line.startswith("| feed")]
    assert row.count(" | ") == 4  # five cells: no '|' of the text opened another


def test_junit_is_read_by_junitparser(tmp_path: Path, report: Report) -> None:
    from junitparser import JUnitXml

    path = tmp_path / "junit.xml"
    path.write_text(render(report, "junit"), encoding="utf-8")
    xml = JUnitXml.fromfile(str(path))
    cases = [case for suite in xml for case in suite]
    assert sorted(case.name for case in cases) == sorted({d.source for d in report.documents})
    failing = {
        m.paragraph.source
        for c in report.clusters
        if c.kind.is_content
        for i, m in enumerate(c.members)
        if i != c.canonical
    }
    assert {case.name for case in cases if not case.is_passed} == failing


@pytest.mark.parametrize(
    "module", ["dedup.report.github", "dedup.report.markdown", "dedup.report.sarif"]
)
def test_docstring_examples_hold(module: str) -> None:
    results = doctest.testmod(importlib.import_module(module))
    assert results.attempted > 0
    assert results.failed == 0
