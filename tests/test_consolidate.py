"""Consolidation: which paragraphs go, and the copy written back in the input's own format."""

from __future__ import annotations

import doctest
import importlib
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dedup.config import ScanConfig
from dedup.consolidate import (
    Cut,
    consolidate_paths,
    cut_lines,
    paragraph_key,
    plan_consolidation,
    plan_sources,
)
from dedup.errors import InputError
from dedup.pipeline import scan
from dedup.readers import FORMATS, Format
from dedup.records import Report

TITLE_2 = "Libye : Le Conseil de sécurité appelle Haftar à respecter le cessez-le-feu"


def lines_of(report: Report, keys: set[tuple[str, int]]) -> list[int | None]:
    paragraphs = [p for d in report.documents for p in d.paragraphs if paragraph_key(p) in keys]
    return sorted(p.line or 0 for p in paragraphs)


def test_the_seed_loses_its_exact_and_near_copies_only(seed_report: Report) -> None:
    plan = plan_consolidation(seed_report)
    assert lines_of(seed_report, set(plan.removed)) == [26, 27, 28]
    # Line 15 reuses part of line 11 with new words: it stays.
    sources = {key: ref.source.paragraph.line for key, ref in plan.removed.items()}
    assert sorted(sources.values()) == [11, 12, 13]
    assert plan.dropped == frozenset()
    (reference, *_) = sorted(plan.removed.values(), key=lambda r: r.copy.paragraph.line or 0)
    assert reference.mark == f"[ran in «{TITLE_2}», ¶4]"


def test_the_consolidated_seed(seed_path: str, tmp_path: Path, seed_lines: dict[int, str]) -> None:
    outcome = consolidate_paths([seed_path], ScanConfig(), str(tmp_path / "out"))
    (written,) = outcome.written
    assert written == tmp_path / "out" / "anadolu-libye-fr.txt"
    kept = written.read_text(encoding="utf-8").split("\n")
    original = Path(seed_path).read_text(encoding="utf-8").split("\n")
    assert kept == [line for number, line in enumerate(original, 1) if number not in (26, 27, 28)]
    assert "3 repeated paragraphs removed" in outcome.summary()


def test_marks_replace_the_copies(seed_path: str, tmp_path: Path) -> None:
    consolidate_paths([seed_path], ScanConfig(), str(tmp_path), mark=True)
    lines = (tmp_path / "anadolu-libye-fr.txt").read_text(encoding="utf-8").split("\n")
    assert lines[25:28] == [f"[ran in «{TITLE_2}», ¶{n}]" for n in (4, 5, 6)]


def test_consolidating_twice_changes_nothing(excerpt_path: str, tmp_path: Path) -> None:
    first = consolidate_paths([excerpt_path], ScanConfig(), str(tmp_path / "once"))
    assert first.plan.removed and first.plan.dropped
    again = consolidate_paths(
        [str(p) for p in first.written], ScanConfig(), str(tmp_path / "twice")
    )
    assert not again.plan.removed
    assert (tmp_path / "twice" / "reuters-excerpt.jsonl").read_bytes() == first.written[
        0
    ].read_bytes()


def test_jsonl_records_keep_their_fields_and_resends_go(excerpt_path: str, tmp_path: Path) -> None:
    outcome = consolidate_paths([excerpt_path], ScanConfig(), str(tmp_path))
    before = {json.loads(line)["id"]: line for line in Path(excerpt_path).read_text().splitlines()}
    after = {json.loads(line)["id"]: line for line in outcome.written[0].read_text().splitlines()}
    assert set(before) - set(after) == set(outcome.plan.dropped)
    for doc_id, line in after.items():
        record, original = json.loads(line), json.loads(before[doc_id])
        removed = {i for d, i in outcome.plan.removed if d == doc_id}
        if not removed:
            assert line == before[doc_id]  # untouched records are copied byte for byte
            continue
        assert {k: v for k, v in record.items() if k != "paragraphs"} == {
            k: v for k, v in original.items() if k != "paragraphs"
        }
        assert record["paragraphs"] == [
            p for i, p in enumerate(original["paragraphs"]) if i not in removed
        ]


HEADLINE = "Markets close higher on strong earnings reports"
BODY = [
    "Shares rose across the board on Tuesday as several large companies reported earnings "
    "well above forecasts, traders said.",
    "The main index gained two percent, its best day in a month, with banks and technology "
    "groups leading the way up.",
]
OTHER = [
    "Oil falls as stocks build up in storage tanks",
    "Crude prices fell on Tuesday after figures showed stocks building up faster than "
    "expected in storage tanks.",
]
#: A dispatch, the same dispatch sent again, another dispatch; blank-line separated.
RESENT = "\n\n".join([HEADLINE, *BODY, HEADLINE, *BODY, *OTHER]) + "\n"


@pytest.mark.parametrize("suffix", [".txt"])
def test_a_resent_dispatch_is_dropped_whole(tmp_path: Path, suffix: str) -> None:
    wire = tmp_path / f"wire{suffix}"
    wire.write_text(RESENT, encoding="utf-8")
    outcome = consolidate_paths([str(wire)], ScanConfig(), str(tmp_path / "out"))
    assert outcome.plan.dropped == {f"{wire}#2"}
    blocks = RESENT.split("\n\n")
    expected = "\n\n".join(blocks[:3] + blocks[6:])
    assert (tmp_path / "out" / wire.name).read_text(encoding="utf-8") == expected
    marked = consolidate_paths([str(wire)], ScanConfig(), str(tmp_path / "marked"), mark=True)
    text = (tmp_path / "marked" / wire.name).read_text(encoding="utf-8")
    assert text.count("[ran in «Markets close higher on strong earnings reports», ¶") == 2
    assert marked.written


def test_encoding_and_line_endings_are_kept(cp1252_path: str, tmp_path: Path) -> None:
    data = Path(cp1252_path).read_bytes()
    copy = tmp_path / "in" / "answer.txt"
    copy.parent.mkdir()
    copy.write_bytes(data.replace(b"\n", b"\r\n") + b"\r\n\r\n" + data.replace(b"\n", b"\r\n"))
    outcome = consolidate_paths([str(copy.parent)], ScanConfig(), str(tmp_path / "out"))
    assert outcome.plan.removed
    written = (tmp_path / "out" / "answer.txt").read_bytes()
    assert written == data.replace(b"\n", b"\r\n")
    written.decode("cp1252")


def test_folders_keep_their_layout(clough_dir: Path, tmp_path: Path) -> None:
    sources = plan_sources([str(clough_dir)], str(tmp_path), "utf-8,cp1252")
    assert {s.target.relative_to(tmp_path).as_posix() for s in sources} == {
        p.name for p in clough_dir.iterdir()
    }


@pytest.mark.parametrize(
    ("paths", "message"),
    [
        (["-"], "standard input"),
        (["{seed}", "{seed}"], "would both be written"),
        (["{seed}"], "would overwrite an input"),
    ],
    ids=["stdin", "clash", "overwrite"],
)
def test_refusals(seed_path: str, paths: list[str], message: str) -> None:
    output = str(Path(seed_path).parent) if message == "would overwrite an input" else "out"
    with pytest.raises(InputError, match=message):
        plan_sources([p.format(seed=seed_path) for p in paths], output, "utf-8")


def test_a_format_that_cannot_be_written_back_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    xml = FORMATS[0]
    wire = tmp_path / "story.nitf"
    wire.write_text("<nitf><body/></nitf>", encoding="utf-8")
    nitf = Format("nitf", (".nitf",), lambda text: text.startswith("<nitf"), xml.read)
    monkeypatch.setattr("dedup.readers.FORMATS", (nitf, *FORMATS))
    with pytest.raises(InputError, match=r"story\.nitf: cannot write a consolidated copy of nitf"):
        plan_sources([str(wire)], str(tmp_path / "out"), "utf-8")


@given(
    st.lists(st.sampled_from(["A", "B", "", "  ", "C"]), max_size=12),
    st.sampled_from(["\n", "\r\n"]),
)
def test_cutting_nothing_keeps_the_text(lines: list[str], newline: str) -> None:
    text = newline.join(lines)
    assert cut_lines(text, []) == text


@given(st.lists(st.sampled_from(["A", "B", "C"]), min_size=1, max_size=12), st.data())
def test_cut_lines_removes_exactly_the_lines_cut(lines: list[str], data: st.DataObject) -> None:
    cut = data.draw(st.sets(st.integers(1, len(lines))))
    text = "\n".join(lines) + "\n"
    kept = cut_lines(text, [Cut(n, n) for n in sorted(cut)])
    assert kept == "".join(f"{line}\n" for n, line in enumerate(lines, 1) if n not in cut)


def test_docstring_examples_hold() -> None:
    results = doctest.testmod(importlib.import_module("dedup.consolidate"))
    assert results.attempted > 0
    assert results.failed == 0


def test_scan_of_the_copy_finds_no_repeat(seed_path: str, tmp_path: Path) -> None:
    outcome = consolidate_paths([seed_path], ScanConfig(), str(tmp_path))
    report = scan([str(outcome.written[0])], ScanConfig())
    assert not plan_consolidation(report).removed


def test_a_markdown_page_keeps_its_headings_and_loses_the_repeat(tmp_path: Path) -> None:
    # Markdown is one document per page: the second copy of a paragraph goes,
    # headings and the first copy stay, the rest of the page is as written.
    page = tmp_path / "page.md"
    page.write_text(
        "# Markets\n\n" + BODY[0] + "\n\n## Again\n\n" + BODY[0] + "\n\n" + BODY[1] + "\n",
        encoding="utf-8",
    )
    consolidate_paths([str(page)], ScanConfig(), str(tmp_path / "out"))
    trimmed = (tmp_path / "out" / "page.md").read_text(encoding="utf-8")
    assert trimmed.count(BODY[0]) == 1
    assert "# Markets" in trimmed and "## Again" in trimmed and BODY[1] in trimmed
