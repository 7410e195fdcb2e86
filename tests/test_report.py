"""Renderers (JSON contract, text lines, self-contained HTML) and the atomic report writer."""

from __future__ import annotations

import doctest
import html as html_lib
import importlib
import json
import os
import re
import stat
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest

from dedup import __version__
from dedup.config import SETTINGS, ScanConfig
from dedup.errors import ReportError
from dedup.pipeline import scan
from dedup.records import Cluster, Document, Kind, Member, Paragraph, Report, Scores
from dedup.report import RENDERERS, render, write_report
from dedup.report import html as html_module
from dedup.report.html import content_security_policy
from dedup.report.json import SCHEMA
from dedup.report.text import location

SAME = Scores(cosine=1.0, jaccard=1.0, containment=1.0)
HOSTILE = "Il a dit <script>alert('x')</script> & \"tout\" <b>va</b> bien, 12 < 13."


def hostile_report() -> Report:
    """A report whose texts, ids and paths hold markup, built from records directly."""
    paragraphs = [
        Paragraph(doc="<d1>", index=0, source="wire/<a>.txt", line=3, text=HOSTILE),
        Paragraph(doc="d2&co", index=2, source="feed.jsonl", line=None, text=HOSTILE + " Fin."),
    ]
    documents = tuple(
        Document(id=p.doc, source=p.source, title="<i>titre</i>", paragraphs=(p,))
        for p in paragraphs
    )
    cluster = Cluster(
        id="c1",
        kind=Kind.NEAR,
        members=(
            Member(paragraphs[0], SAME, Kind.EXACT),
            Member(paragraphs[1], Scores(0.93, 0.88, 0.97), Kind.NEAR),
        ),
    )
    return Report(documents=documents, clusters=(cluster,), params={"num_perm": 128})


class Page(HTMLParser):
    """What a browser would load and show of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def render_json(report: Report) -> str:
    return render(report, "json")


def untimed_json(report: Report) -> str:
    """The JSON report without its wall time (which varies run to run)."""
    return render_json(replace(report, seconds=None))


def parse(page: str) -> Page:
    parser = Page()
    parser.feed(page)
    parser.close()
    return parser


# --- JSON ----------------------------------------------------------------------------------


def test_json_follows_the_contract(seed_report: Report, seed_path: str) -> None:
    data = json.loads(render_json(seed_report))
    assert {"schema", "tool", "params", "documents", "clusters", "stats"} <= set(data)
    assert data["schema"] == SCHEMA == "dedup.report/1"
    assert data["tool"] == {"name": "dedup", "version": __version__}
    assert set(SETTINGS) <= set(data["params"])
    assert data["params"]["num_perm"] == ScanConfig().sketch.num_perm
    assert [d["id"] for d in data["documents"]] == [seed_path] + [
        f"{seed_path}#{n}" for n in range(2, 7)
    ]
    for document in data["documents"]:
        assert {"id", "source", "title", "paragraphs"} <= set(document)
        assert document["source"] == seed_path
    assert [d["paragraphs"] for d in data["documents"]] == [6, 6, 3, 3, 6, 7]
    assert data["documents"][0]["title"] is None
    for cluster in data["clusters"]:
        assert {"id", "kind", "canonical", "members"} <= set(cluster)
        for member in cluster["members"]:
            assert {"doc", "index", "source", "line", "text", "scores"} <= set(member)
            assert {"cosine", "jaccard"} <= set(member["scores"])
    stats = data["stats"]
    assert {"documents", "paragraphs", "clusters", "seconds"} <= set(stats)
    assert (stats["documents"], stats["paragraphs"], stats["clusters"]) == (6, 31, 3)


def test_json_members_say_where_and_what(seed_report: Report, seed_lines: dict[int, str]) -> None:
    data = json.loads(render_json(seed_report))
    (exact,) = [c for c in data["clusters"] if {m["line"] for m in c["members"]} == {12, 27}]
    assert exact["kind"] == "exact"
    assert exact["members"][exact["canonical"]]["line"] == 12
    for member in exact["members"]:
        assert member["text"] == seed_lines[member["line"]]
        assert member["scores"]["cosine"] == member["scores"]["jaccard"] == 1.0


def test_json_of_a_paragraph_list_has_null_lines(excerpt_report: Report) -> None:
    data = json.loads(render_json(excerpt_report))
    members = [m for c in data["clusters"] for m in c["members"]]
    assert members
    assert {m["line"] for m in members} == {None}
    assert all(isinstance(m["index"], int) for m in members)


def test_json_wall_time_only_when_the_report_has_it(seed_report: Report) -> None:
    assert json.loads(untimed_json(seed_report))["stats"]["seconds"] is None
    timed = json.loads(render_json(seed_report))["stats"]["seconds"]
    assert isinstance(timed, float)
    assert timed >= 0.0


def test_json_is_byte_identical_across_runs(seed_path: str, seed_report: Report) -> None:
    assert untimed_json(scan([seed_path], ScanConfig())) == untimed_json(seed_report)


def test_json_names_a_fallback_encoding(seed_path: str, cp1252_path: str) -> None:
    data = json.loads(render_json(scan([seed_path, cp1252_path], ScanConfig())))
    encodings = {d["source"]: d.get("encoding") for d in data["documents"]}
    assert encodings[cp1252_path] == "cp1252"
    assert encodings[seed_path] is None


def test_json_of_an_empty_report_is_valid() -> None:
    data = json.loads(render_json(Report(documents=(), clusters=())))
    assert (data["documents"], data["clusters"]) == ([], [])
    assert data["stats"]["clusters"] == 0


# --- Text ----------------------------------------------------------------------------------


def render_text_of(report: Report) -> str:
    return render(report, "text")


LINE = re.compile(
    r"^(?P<where>.+:\d+:\d+): (?:exact duplicate|near-duplicate|partial reuse) of "
    r"(?P<of>.+:\d+)(?: \((?:cosine \d\.\d\d|\d+% shared)\))?$"
)


def test_text_lines_for_editors(seed_report: Report, seed_path: str) -> None:
    *findings, last = render_text_of(seed_report).splitlines()
    assert f"{seed_path}:27:1: exact duplicate of {seed_path}:12" in findings
    assert f"{seed_path}:28:1: exact duplicate of {seed_path}:13" in findings
    (near,) = [f for f in findings if f.startswith(f"{seed_path}:26:1: ")]
    assert re.fullmatch(
        rf"{re.escape(seed_path)}:26:1: near-duplicate of .*:11 \(cosine 0\.9\d\)", near
    )
    assert all(LINE.match(line) for line in findings)
    assert len(findings) == sum(len(c.members) - 1 for c in seed_report.clusters)
    assert last.startswith("6 documents, 31 paragraphs: 3 clusters (2 exact, 1 near)")


def test_text_without_lines_names_document_and_index(excerpt_report: Report) -> None:
    text = render_text_of(excerpt_report)
    path = excerpt_report.documents[0].source
    assert re.search(
        rf"^{re.escape(path)}:reuters-190#0: exact duplicate of .*reuters-175#0$", text, re.M
    )


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        (Paragraph("a.txt#2", 3, "a.txt", 12, "x"), "a.txt:12"),
        (Paragraph("r-1", 4, "feed.jsonl", None, "x"), "feed.jsonl:r-1#4"),
    ],
    ids=["with-line", "without-line"],
)
def test_location(paragraph: Paragraph, expected: str) -> None:
    assert location(paragraph) == expected


def test_text_of_nothing_found() -> None:
    assert render_text_of(Report(documents=(), clusters=())) == (
        "0 documents, 0 paragraphs: no repeats, 0 repeated paragraphs\n"
    )


# --- HTML ----------------------------------------------------------------------------------


def render_html_of(report: Report) -> str:
    return render(report, "html")


@pytest.mark.parametrize("source", ["seed", "hostile"])
def test_html_is_a_self_contained_page(seed_report: Report, source: str) -> None:
    report = seed_report if source == "seed" else hostile_report()
    html = render_html_of(report)
    page = parse(html)
    for tag, attrs in page.tags:
        assert not (tag == "script" and attrs.get("src")), "no external script"
        assert not (tag == "link" and attrs.get("href")), "no external stylesheet"
        for name in ("src", "href", "action", "srcset"):
            value = attrs.get(name) or ""
            assert not value or value.startswith("#"), f"{name}={value!r} on <{tag}>"
    ids = [attrs.get("id") for _, attrs in page.tags if attrs.get("id")]
    assert len(ids) == len(set(ids)), "every anchor is unique"
    assert {c.id for c in report.clusters} <= set(ids)
    assert {f"d{n}" for n in range(1, len(report.documents) + 1)} <= set(ids)


def test_html_policy_allows_only_its_own_style_and_script(seed_report: Report) -> None:
    html = render_html_of(seed_report)
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html)
    assert policy is not None
    text = html_lib.unescape(policy.group(1))
    rules = dict(rule.strip().split(" ", 1) for rule in text.split(";"))
    assert rules["default-src"] == "'none'"
    for directive in ("connect-src", "img-src", "font-src", "form-action", "base-uri"):
        assert rules[directive] == "'none'"
    (style,) = re.findall(r"<style>(.*?)</style>", html, re.S)
    (script,) = re.findall(r"<script>(.*?)</script>", html, re.S)
    assert text == content_security_policy(style, script)
    assert "sha256-" in rules["script-src"] and "unsafe" not in text


def test_html_script_never_parses_text_as_html() -> None:
    source = (Path(html_module.__file__).parent / "templates" / "report.js").read_text("utf-8")
    script = re.sub(r"//[^\n]*", "", source)  # comments may name what the code never does
    for forbidden in (
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
        "DOMParser",
        "createContextualFragment",
        "Function(",
    ):
        assert forbidden not in script


def test_html_escapes_texts_ids_and_paths() -> None:
    report = hostile_report()
    html = render_html_of(report)
    page = parse(html)
    assert [tag for tag, _ in page.tags].count("script") == 1  # the page's own
    assert "<script>alert" not in html and "<i>titre</i>" not in html and "<d1>" not in html
    # What the browser without script shows: the texts as they are.
    shown = "".join(page.text)
    assert HOSTILE in shown
    assert "wire/<a>.txt:3" in shown
    assert "<i>titre</i>" in shown
    assert "d2&co" in shown


def test_html_lang_comes_from_the_content_or_the_setting(seed_report: Report) -> None:
    assert '<html lang="fr">' in render_html_of(seed_report)
    english = replace(seed_report, params={**seed_report.params, "lang": "en-GB"})
    assert '<html lang="en-GB">' in render_html_of(english)


def test_html_marks_the_differences(seed_report: Report) -> None:
    html = render_html_of(seed_report)
    assert "<del>libyennes</del> <ins>libyenne</ins>" in html


def test_html_of_an_empty_report() -> None:
    html = render_html_of(Report(documents=(), clusters=()))
    assert "No paragraph repeats another." in html


def test_html_is_byte_identical_whatever_the_order_of_inputs(
    seed_path: str, excerpt_path: str
) -> None:
    one = render_html_of(scan([seed_path, excerpt_path], ScanConfig()))
    other = render_html_of(scan([excerpt_path, seed_path], ScanConfig()))
    assert one == other


def test_every_format_renders(seed_report: Report) -> None:
    for fmt in RENDERERS:
        assert render(seed_report, fmt).strip()
    assert json.loads(render(seed_report, "json"))["schema"] == SCHEMA


# --- Writing -------------------------------------------------------------------------------


def test_write_report_replaces_the_old_file_whole(seed_report: Report, tmp_path: Path) -> None:
    target = tmp_path / "reports" / "today.json"
    write_report(Report(documents=(), clusters=()), "json", str(target))
    write_report(seed_report, "json", str(target))
    assert target.read_text(encoding="utf-8") == render_json(seed_report)
    assert [p.name for p in target.parent.iterdir()] == ["today.json"]


def test_write_report_into_a_file_is_an_error_and_harms_nothing(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("keep me\n", encoding="utf-8")
    with pytest.raises(ReportError, match=r"not-a-folder/report\.json: cannot write report"):
        write_report(hostile_report(), "json", str(blocker / "report.json"))
    assert blocker.read_text(encoding="utf-8") == "keep me\n"
    assert [p.name for p in tmp_path.iterdir()] == ["not-a-folder"]


def test_failed_replace_leaves_the_old_content_and_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    target.mkdir()  # the old "report" cannot be replaced by a file
    (target / "inside.txt").write_text("old\n", encoding="utf-8")
    with pytest.raises(ReportError, match="cannot write report"):
        write_report(hostile_report(), "html", str(target))
    assert (target / "inside.txt").read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_written_report_has_ordinary_permissions(tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        write_report(hostile_report(), "html", str(tmp_path / "today.html"))
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "today.html").stat().st_mode) == 0o644


def test_docstring_examples_hold() -> None:
    results = doctest.testmod(importlib.import_module("dedup.report.diff"))
    assert results.attempted > 0
    assert results.failed == 0
