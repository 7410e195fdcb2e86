"""Readers: text, Markdown, JSON Lines, folders and stdin into documents; clear input errors."""

from __future__ import annotations

import doctest
import gzip
import importlib
import io
import json
import os
import shutil
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
from conftest import SEED_BODY_LINES, unprivileged
from hypothesis import given
from hypothesis import strategies as st

from dedup.config import ReadConfig, ScanConfig
from dedup.errors import InputError
from dedup.pipeline import scan
from dedup.readers import (
    FORMATS,
    Format,
    decode,
    expand_paths,
    format_of,
    read_data,
    read_path,
    read_paths,
)
from dedup.records import Document, Report, Skipped


def write(path: Path, content: str | bytes) -> str:
    """Write a file (creating its folders) and return its path as a string."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return str(path)


def located(document: Document) -> list[tuple[int, int | None, str]]:
    """``(index, line, text)`` of each paragraph of ``document``."""
    return [(p.index, p.line, p.text) for p in document.paragraphs]


def test_seed_is_six_dispatches_titled_by_their_headlines(
    seed_path: str, seed_lines: dict[int, str]
) -> None:
    documents = list(read_paths([seed_path]))
    assert [d.id for d in documents] == [seed_path] + [f"{seed_path}#{n}" for n in range(2, 7)]
    assert [d.title for d in documents] == [None] + [seed_lines[n] for n in (7, 14, 18, 22, 29)]
    assert all(d.source == seed_path for d in documents)
    assert [[p.line for p in d.paragraphs] for d in documents] == SEED_BODY_LINES
    for document in documents:
        for index, paragraph in enumerate(document.paragraphs):
            assert paragraph.index == index
            assert paragraph.doc == document.id
            assert paragraph.line is not None
            assert paragraph.text == seed_lines[paragraph.line]


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        (
            "wrapped.txt",
            "First paragraph\nwrapped at a width.\n\nSecond one.\n",
            [(0, 1, "First paragraph wrapped at a width."), (1, 4, "Second one.")],
        ),
        (
            "lines.txt",
            "First paragraph.\nSecond paragraph.\nThird.\n",
            [(0, 1, "First paragraph."), (1, 2, "Second paragraph."), (2, 3, "Third.")],
        ),
        (
            "notes.md",
            "# Heading\n\nBody text\nwrapped.\n\n```\ncode = 1\n\nmore = 2\n```\n"
            "\n## Sub\n\nEnd.\n",
            [(0, 3, "Body text wrapped."), (1, 14, "End.")],
        ),
        (
            "hash.txt",
            "# not a heading in plain text\n\nBody.\n",
            [(0, 1, "# not a heading in plain text"), (1, 3, "Body.")],
        ),
        (
            "bom.txt",
            "\ufeffFirst line.\nSecond line.\n",
            [(0, 1, "First line."), (1, 2, "Second line.")],
        ),
    ],
    ids=["blank-lines-join-wrapped", "no-blank-lines", "markdown", "hash-in-text", "utf8-bom"],
)
def test_text_paragraphs(
    tmp_path: Path, name: str, content: str, expected: list[tuple[int, int, str]]
) -> None:
    path = write(tmp_path / name, content)
    (document,) = read_paths([path])
    assert document.id == path
    assert located(document) == expected


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        (
            {"id": "a", "text": "First paragraph\nwrapped.\n\nSecond."},
            [(0, None, "First paragraph wrapped."), (1, None, "Second.")],
        ),
        (
            {"id": "a", "paragraphs": ["First.", "  ", "Third, after a blank entry. "]},
            [(0, None, "First."), (2, None, "Third, after a blank entry.")],
        ),
        ({"id": "a", "paragraphs": []}, []),
    ],
    ids=["text-form", "paragraphs-form-keeps-list-positions", "no-paragraphs"],
)
def test_jsonl_paragraphs(
    tmp_path: Path, record: dict[str, object], expected: list[tuple[int, None, str]]
) -> None:
    path = write(tmp_path / "feed.jsonl", json.dumps(record) + "\n")
    (document,) = read_paths([path])
    assert located(document) == expected
    assert all(p.source == path and p.doc == "a" for p in document.paragraphs)


def test_jsonl_record_fields(tmp_path: Path) -> None:
    records = [
        {"id": "r-1", "title": "BAHIA COCOA REVIEW", "date": "26-FEB-1987", "paragraphs": ["x"]},
        {"id": 7, "text": "Body."},
    ]
    lines = "\n".join(json.dumps(r) for r in records[:1]) + "\n\n" + json.dumps(records[1])
    documents = list(read_paths([write(tmp_path / "feed.jsonl", lines)]))
    assert [(d.id, d.title, d.date) for d in documents] == [
        ("r-1", "BAHIA COCOA REVIEW", "26-FEB-1987"),
        ("7", None, None),
    ]


def test_reuters_excerpt_records(excerpt_path: str) -> None:
    documents = list(read_paths([excerpt_path]))
    lines = Path(excerpt_path).read_text(encoding="utf-8").splitlines()
    assert len(documents) == len(lines)
    for document, line in zip(documents, lines, strict=True):
        record = json.loads(line)
        assert document.id == record["id"]
        assert document.title == record["title"]
        assert [p.text for p in document.paragraphs] == [
            t.strip() for t in record["paragraphs"] if t.strip()
        ]
        assert all(p.line is None for p in document.paragraphs)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"id": "a", "text": "unterminated', "not valid JSON"),
        ('["a", "b"]', "must be a JSON object"),
        ('{"text": "no id"}', '"id"'),
        ('{"id": "", "text": "empty id"}', '"id"'),
        ('{"id": true, "text": "boolean id"}', '"id"'),
        ('{"id": "a"}', '"text" or "paragraphs"'),
        ('{"id": "a", "text": 3}', '"text" must be a string'),
        ('{"id": "a", "paragraphs": "one string"}', '"paragraphs" must be a list of strings'),
        ('{"id": "a", "paragraphs": ["ok", 2]}', '"paragraphs" must be a list of strings'),
        ('{"id": "a", "text": "x", "title": 12}', '"title" must be a string'),
        ('{"id": "a", "text": "x", "date": ["1987"]}', '"date" must be a string'),
    ],
    ids=[
        "invalid-json",
        "not-an-object",
        "no-id",
        "empty-id",
        "boolean-id",
        "no-text",
        "text-not-string",
        "paragraphs-not-list",
        "paragraph-not-string",
        "title-not-string",
        "date-not-string",
    ],
)
def test_malformed_jsonl_names_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    path = write(tmp_path / "feed.jsonl", '{"id": "ok", "text": "Fine."}\n' + line + "\n")
    with pytest.raises(InputError, match=r"feed\.jsonl:2: ") as raised:
        list(read_paths([path]))
    assert message in str(raised.value)


@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\x85"], ids=["u2028", "u2029", "nel"])
def test_jsonl_string_may_hold_unicode_line_separators(tmp_path: Path, char: str) -> None:
    record = {"id": "a", "paragraphs": [f"Tripoli{char}airport reopened on Thursday."]}
    path = write(tmp_path / "feed.jsonl", json.dumps(record, ensure_ascii=False) + "\n")
    (document,) = read_paths([path])
    assert document.paragraphs[0].text == f"Tripoli{char}airport reopened on Thursday."


@pytest.mark.parametrize(
    "files",
    [
        {"a.jsonl": '{"id": "x", "text": "One."}\n{"id": "x", "text": "Two."}\n'},
        {"a.jsonl": '{"id": "x", "text": "One."}\n', "b.jsonl": '{"id": "x", "text": "Two."}\n'},
    ],
    ids=["same-file", "two-files"],
)
def test_duplicate_document_ids_are_an_error(tmp_path: Path, files: dict[str, str]) -> None:
    paths = [write(tmp_path / name, content) for name, content in files.items()]
    with pytest.raises(InputError, match="'x' appears twice"):
        list(read_paths(paths))


def test_same_text_file_twice_is_an_error(seed_path: str) -> None:
    with pytest.raises(InputError, match="appears twice"):
        list(read_paths([seed_path, seed_path]))


def test_folder_walk_is_sorted_recursive_and_filtered(tmp_path: Path) -> None:
    for name in [
        "z.md",
        "a.txt",
        "b/d/e.jsonl",
        "b/c.md",
        "b/upper.TXT",
        "notes.csv",
        "image.png",
        "b/d/data.json",
        "b/d/story.xml",
        "b/d/story.nitf.gz",
        "backup.tar.gz",
        "b-c/x.txt",
    ]:
        write(tmp_path / name, "{}\n" if name.endswith("json") else "Text.\n")
    (tmp_path / "folder.txt").mkdir()
    found = [Path(p).relative_to(tmp_path).as_posix() for p in expand_paths([str(tmp_path)])]
    assert found == [
        "a.txt",
        "b/c.md",
        "b/d/data.json",
        "b/d/e.jsonl",
        "b/d/story.nitf.gz",
        "b/d/story.xml",
        "b/upper.TXT",
        "b-c/x.txt",
        "z.md",
    ]


def test_explicit_files_keep_their_order_and_any_suffix(tmp_path: Path) -> None:
    second = write(tmp_path / "b.csv", "Read as text.\n")
    first = write(tmp_path / "a.txt", "Text.\n")
    assert expand_paths([second, first, "-"]) == [second, first, "-"]
    (document,) = read_paths([second])
    assert located(document) == [(0, 1, "Read as text.")]


def test_missing_path_is_an_error(tmp_path: Path) -> None:
    missing = str(tmp_path / "nope.txt")
    with pytest.raises(InputError, match=r"nope\.txt: no such file or folder"):
        list(read_paths([missing]))


def test_undecodable_bytes_name_file_and_line(tmp_path: Path) -> None:
    # 0x81 is unassigned in Windows-1252 too: no encoding of the default list fits.
    path = write(tmp_path / "bad.txt", b"Good first line.\nBad \x81 byte.\n")
    with pytest.raises(InputError, match=r"bad\.txt:2: .*0x81"):
        list(read_paths([path]))


def test_windows_1252_is_read_and_says_so(cp1252_path: str) -> None:
    (document,) = read_paths([cp1252_path])
    assert document.encoding == "cp1252"
    assert document.paragraphs[0].text.startswith(
        "Inheritance is one of the basic concepts of Object Oriented Programming.  It\u2019s"
    )


def test_utf8_only_refuses_windows_1252(cp1252_path: str) -> None:
    with pytest.raises(InputError, match=r"g1pB_taska\.txt:1: not utf-8 text \(byte 0x92"):
        list(read_paths([cp1252_path], ReadConfig(encoding="utf-8")))


def test_utf16_with_its_mark_is_read_as_utf16(tmp_path: Path, seed_path: str) -> None:
    text = Path(seed_path).read_text(encoding="utf-8")
    path = write(tmp_path / "utf16.txt", text.encode("utf-16"))
    documents = list(read_paths([path]))
    expected = list(read_paths([seed_path]))
    assert [[p.text for p in d.paragraphs] for d in documents] == [
        [p.text for p in d.paragraphs] for d in expected
    ]
    assert {d.encoding for d in documents} == {"utf-16"}


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_its_mark_is_refused_never_read_as_windows_1252(
    tmp_path: Path, seed_path: str, codec: str
) -> None:
    text = Path(seed_path).read_text(encoding="utf-8")
    path = write(tmp_path / "utf16.txt", text.encode(codec))
    with pytest.raises(InputError, match="NUL byte"):
        list(read_paths([path]))


def test_utf8_files_keep_the_default_encoding(seed_path: str) -> None:
    assert {d.encoding for d in read_paths([seed_path])} == {"utf-8"}


@pytest.mark.parametrize(
    ("data", "encodings", "expected"),
    [
        (b"\xef\xbb\xbfcaf\xc3\xa9", ("utf-8",), ("café", "utf-8")),
        (b"caf\xe9", ("utf-8", "cp1252"), ("café", "cp1252")),
        (b"caf\xe9", ("utf-8", "latin-1"), ("café", "latin-1")),
    ],
    ids=["bom-dropped", "fallback-cp1252", "fallback-latin1"],
)
def test_decode(data: bytes, encodings: tuple[str, ...], expected: tuple[str, str]) -> None:
    assert decode(data, "x.txt", encodings) == expected


@pytest.mark.parametrize(
    ("data", "ids"),
    [
        (b'{"id": "s1", "text": "From a pipe."}\n', ["s1"]),
        ("Première ligne.\nDeuxième ligne.\n".encode(), ["<stdin>"]),
    ],
    ids=["jsonl", "text"],
)
def test_stdin(monkeypatch: pytest.MonkeyPatch, data: bytes, ids: list[str]) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    documents = list(read_path("-"))
    assert [d.id for d in documents] == ids
    assert all(d.source == "<stdin>" for d in documents)
    assert documents[0].paragraphs


# --- Wire formats, detection, gzip -----------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "text", "name"),
    [
        ("story.xml", "<nitf/>", "nitf"),
        ("story.xml", '<?xml version="1.0"?>\n<newsItem xmlns="x"/>', "newsml"),
        ("story.nitf", "<urlset/>", "nitf"),
        ("story.xml", "<urlset/>", "nitf"),
        ("story", "<newsMessage/>", "newsml"),
        ("-", "<nitf/>", "nitf"),
        # JSON endings are read by the one JSON reader, which reads ninjs items too.
        ("feed.jsonl", '{"uri": "u", "headline": "h"}', "jsonl"),
        ("item.ninjs", '{"uri": "u", "headline": "h"}', "ninjs"),
        ("-", '{"uri": "u", "headline": "h"}', "ninjs"),
        ("feed.jsonl", '{"id": "a", "text": "t"}', "jsonl"),
        ("feed.jsonl", "not json", "jsonl"),
        ("item.json", '{\n "uri": "u"\n}', "jsonl"),
        ("item", '{\n "uri": "u"\n}', "ninjs"),
        ("-", '{"id": "a", "text": "t"}', "jsonl"),
        ("-", '[{"id": "a", "text": "t"}]', "jsonl"),
        ("-", "[UPDATE 1] Oil prices rise.", "text"),
        ("notes.txt", "<nitf/>", "text"),
        ("notes.txt", '{"id": "a", "text": "t"}', "text"),
        ("notes.md", "{% include x %}", "markdown"),
        ("-", "Plain text.", "text"),
        ("story.xml.gz", "<nitf/>", "nitf"),
        ("notes.txt.gz", "Plain.", "text"),
    ],
)
def test_format_of(path: str, text: str, name: str) -> None:
    assert format_of(path, text).name == name


def test_the_seed_split_across_formats_finds_the_seeds_repeats(
    tmp_path: Path, fixtures_dir: Path, seed_report: Report
) -> None:
    # The seed's six dispatches as NewsML-G2 (XHTML, inline NITF, inline data), NITF and
    # ninjs 2.x/3.x, one file gzipped: the same paragraphs, so the same clusters.
    folder = tmp_path / "wire"
    shutil.copytree(fixtures_dir / "formats", folder)
    nitf = folder / "d2-nitf.xml"
    (folder / "d2-nitf.xml.gz").write_bytes(gzip.compress(nitf.read_bytes()))
    nitf.unlink()
    report = scan([str(folder)], ScanConfig())
    assert [len(d.paragraphs) for d in report.documents] == [
        len(d.paragraphs) for d in seed_report.documents
    ]
    assert [[p.text for p in d.paragraphs] for d in report.documents] == [
        [p.text for p in d.paragraphs] for d in seed_report.documents
    ]

    def clusters(found: Report) -> list[tuple[str, list[tuple[str, str]]]]:
        return [
            (c.kind.value, [(m.relation.value, m.paragraph.text) for m in c.members])
            for c in found.clusters
        ]

    assert clusters(report) == clusters(seed_report)
    sources = {Path(m.paragraph.source).name for c in report.clusters for m in c.members}
    assert sources == {"d2-nitf.xml.gz", "d3-d4-newsml-message.xml", "d5-d6-ninjs.jsonl"}
    canonical = {c.members[c.canonical].paragraph.source for c in report.clusters}
    assert canonical == {str(folder / "d2-nitf.xml.gz")}  # the earliest dated copy


def test_dates_decide_the_canonical_copy_whatever_the_names(
    tmp_path: Path, fixtures_dir: Path
) -> None:
    # Named so that the later NewsML item sorts first: the NITF dispatch, dated earlier,
    # stays the canonical copy.
    shutil.copy(fixtures_dir / "formats" / "d2-nitf.xml", tmp_path / "z-nitf.xml")
    shutil.copy(fixtures_dir / "formats" / "d5-d6-ninjs.jsonl", tmp_path / "a-ninjs.jsonl")
    report = scan([str(tmp_path)], ScanConfig())
    assert {c.members[c.canonical].paragraph.source for c in report.clusters} == {
        str(tmp_path / "z-nitf.xml")
    }


@pytest.mark.parametrize(
    ("name", "data", "fragment"),
    [
        ("x.txt.gz", b"\x1f\x8b\x08\x00garbage", "not a valid gzip file"),
        ("x.txt.gz", gzip.compress(b"Fine text.\n")[:-6], "not a valid gzip file"),
        ("x.txt.gz", gzip.compress(b"Bad \x81 byte.\n"), r"x\.txt\.gz:1: not utf-8 text"),
    ],
    ids=["corrupt", "truncated", "undecodable-inside"],
)
def test_bad_gzip_is_an_input_error(tmp_path: Path, name: str, data: bytes, fragment: str) -> None:
    path = write(tmp_path / name, data)
    with pytest.raises(InputError, match=fragment):
        list(read_paths([path]))


def test_gzip_is_recognised_by_its_bytes(monkeypatch: pytest.MonkeyPatch, seed_path: str) -> None:
    data = gzip.compress(Path(seed_path).read_bytes())
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    documents = list(read_path("-"))
    assert [len(d.paragraphs) for d in documents] == [len(lines) for lines in SEED_BODY_LINES]
    assert [p.line for p in documents[1].paragraphs] == SEED_BODY_LINES[1]


def test_an_ascii_file_declared_latin1_is_plain_utf8(tmp_path: Path) -> None:
    text = '<?xml version="1.0" encoding="ISO-8859-1"?>\n<nitf><p>Plain.</p></nitf>\n'
    (document,) = read_paths([write(tmp_path / "story.xml", text.encode("ascii"))])
    assert document.encoding == "utf-8"  # nothing to name on stderr


def test_an_xml_declaration_names_its_encoding(tmp_path: Path) -> None:
    text = '<?xml version="1.0" encoding="ISO-8859-15"?>\n<nitf><body><body.content>'
    text += "<p>Prix : 5 \u20ac, caf\u00e9.</p></body.content></body></nitf>\n"
    path = write(tmp_path / "story.xml", text.encode("iso-8859-15"))
    (document,) = read_paths([path], ReadConfig(encoding="utf-8"))
    assert [p.text for p in document.paragraphs] == ["Prix : 5 \u20ac, caf\u00e9."]
    assert document.encoding == "ISO-8859-15"


# --- Skipping bad input ----------------------------------------------------------------------


def test_skip_bad_passes_over_a_bad_file_whole_and_notes_it(tmp_path: Path, seed_path: str) -> None:
    good = write(tmp_path / "a.jsonl", '{"id": "a", "text": "Fine."}\n')
    bad = write(tmp_path / "b.jsonl", '{"id": "b", "text": "Fine."}\n{"id": "c", "text": \n')
    clash = write(tmp_path / "c.jsonl", '{"id": "a", "text": "Same id."}\n')
    with pytest.raises(InputError, match=r"b\.jsonl:2: not valid JSON"):
        list(read_paths([good, bad, clash]))
    notes: list[Skipped] = []
    documents = list(read_paths([good, bad, clash], ReadConfig(skip_bad=True), notes.append))
    assert [d.id for d in documents] == ["a"]  # nothing of b.jsonl, not even its good record
    assert [(n.source, n.reason.split(": ", 1)[1]) for n in notes] == [
        (bad, "not valid JSON: Expecting value"),
        (clash, "document id 'a' appears twice"),
    ]


def test_skip_bad_still_refuses_a_missing_path(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file or folder"):
        list(read_paths([str(tmp_path / "typo.txt")], ReadConfig(skip_bad=True)))


def test_an_unreadable_file_is_an_error_or_a_named_skip(open_folder: Path) -> None:
    readable = write(open_folder / "a.txt", "Readable.\n")
    locked = write(open_folder / "b.txt", "Locked.\n")
    os.chmod(locked, 0)
    notes: list[Skipped] = []
    with unprivileged():
        with pytest.raises(InputError, match=r"b\.txt: cannot read: Permission denied"):
            list(read_paths([str(open_folder)]))
        documents = list(read_paths([str(open_folder)], ReadConfig(skip_bad=True), notes.append))
    assert [d.id for d in documents] == [readable]
    assert notes == [Skipped(locked, f"{locked}: cannot read: Permission denied")]


def test_a_fifo_in_a_folder_is_refused_without_waiting(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    write(tmp_path / "a.txt", "Text.\n")
    with pytest.raises(InputError, match=r"pipe\.txt: not a regular file"):
        list(read_paths([str(tmp_path)]))


@pytest.mark.parametrize("names", [[], ["image.png", "notes.csv"]], ids=["empty", "no-input"])
def test_a_folder_with_nothing_to_read_is_an_error(tmp_path: Path, names: list[str]) -> None:
    for name in names:
        write(tmp_path / name, "x")
    with pytest.raises(InputError, match="no file to read in this folder"):
        expand_paths([str(tmp_path)])
    notes: list[Skipped] = []
    assert expand_paths([str(tmp_path)], ReadConfig(skip_bad=True), notes.append) == []
    assert [n.source for n in notes] == [str(tmp_path)]


# --- Fuzzing: documents or an InputError, nothing else ---------------------------------------

NAMES = ["x.txt", "x.md", "x.jsonl", "x.json", "x.xml", "x.nitf", "x.txt.gz", "-", "noending"]
MARKUP = st.sampled_from(
    [
        "<nitf>",
        "</nitf>",
        "<body>",
        "</body>",
        "<body.content>",
        "</body.content>",
        "<p>",
        "</p>",
        "<block>",
        "<hedline><hl1>",
        "</hl1></hedline>",
        "<newsItem>",
        "</newsItem>",
        "<newsMessage><itemSet>",
        "<contentSet>",
        "<inlineXML>",
        "</inlineXML>",
        '<inlineData encoding="base64">',
        '<inlineData contenttype="text/html">',
        "</inlineData>",
        "<contentMeta><headline>",
        '<docdata><date.issue norm="',
        '"/>',
        "&nbsp;",
        "&amp;",
        "&x;",
        '<!DOCTYPE nitf [<!ENTITY a "b">]>',
        '<?xml version="1.0"?>',
        "<br/>",
        "<versionCreated>",
        "\n",
        " ",
        "Le texte.",
        "20200412T1430Z",
        "\x00",
        "\ud800",
    ]
)
JSON_KEYS = st.sampled_from(
    [
        "uri",
        "id",
        "text",
        "paragraphs",
        "headline",
        "headlines",
        "bodies",
        "body_text",
        "body_html",
        "versioncreated",
        "versionCreated",
        "version",
        "title",
        "date",
        "value",
        "role",
        "contenttype",
    ]
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(JSON_KEYS, inner, max_size=5),
    max_leaves=12,
)


def consume(documents: Iterable[Document]) -> None:
    """Read every document, and check what a reader promises of each."""
    for document in documents:
        assert isinstance(document, Document)
        for index, paragraph in enumerate(document.paragraphs):
            assert paragraph.doc == document.id
            assert isinstance(paragraph.text, str) and paragraph.text.strip()
            assert paragraph.line is None or paragraph.line >= 1
            assert paragraph.index >= index


def documents_or_input_error(read: Callable[[], Iterable[Document]]) -> None:
    """Any other exception fails the test (hypothesis then shows the input)."""
    try:
        consume(read())
    except InputError as err:
        assert str(err)


@given(st.binary(max_size=400), st.sampled_from(NAMES))
def test_any_bytes_give_documents_or_an_input_error(data: bytes, name: str) -> None:
    documents_or_input_error(lambda: read_data(data, name, name))


@given(st.text(max_size=400), st.sampled_from(FORMATS))
def test_any_text_gives_documents_or_an_input_error(text: str, format_: Format) -> None:
    documents_or_input_error(lambda: format_.documents(text, "x", ReadConfig()))


@given(st.lists(MARKUP, max_size=40), st.sampled_from(["x.xml", "-"]))
def test_markup_soup_gives_documents_or_an_input_error(parts: list[str], name: str) -> None:
    text = "".join(parts)
    documents_or_input_error(lambda: format_of(name, text).read(text, name))
    documents_or_input_error(
        lambda: read_data(gzip.compress(text.encode("utf-8", "replace")), name, name)
    )


@given(st.lists(JSON_VALUES, min_size=1, max_size=4), st.booleans())
def test_json_soup_gives_documents_or_an_input_error(values: list[object], lines: bool) -> None:
    text = "\n".join(json.dumps(v) for v in values) if lines else json.dumps(values, indent=2)
    documents_or_input_error(lambda: read_data(text.encode(), "feed.jsonl", "feed.jsonl"))


@pytest.mark.parametrize("module", ["dedup.readers.jsonl", "dedup.readers.ninjs"])
def test_docstring_examples_hold(module: str) -> None:
    results = doctest.testmod(importlib.import_module(module))
    assert results.attempted > 0
    assert results.failed == 0


def test_a_folder_reads_generic_endings_only_when_they_hold_wire_copy(
    tmp_path: Path, seed_path: str
) -> None:
    # package.json, pom.xml and a JSON report are not inputs; records and NITF are.
    (tmp_path / "package.json").write_text('{"name": "site", "version": "1.0.0"}\n')
    (tmp_path / "pom.xml").write_text("<project><modelVersion>4.0.0</modelVersion></project>\n")
    (tmp_path / "report.json").write_text('{"schema": "dedup.report/1", "clusters": []}\n')
    records = '{"id": "d1", "text": "Le Conseil de sécurité a adopté la résolution 2510."}\n'
    (tmp_path / "wire.json").write_text(records, encoding="utf-8")
    nitf = Path(seed_path).parent / "formats" / "d2-nitf.xml"
    (tmp_path / "story.xml").write_bytes(nitf.read_bytes())
    documents = list(read_paths([str(tmp_path)]))
    assert sorted(Path(d.source).name for d in documents) == ["story.xml", "wire.json"]
    # Named on the command line, a file is read whatever it holds: here, an error.
    with pytest.raises(InputError, match=r"package\.json"):
        list(read_paths([str(tmp_path / "package.json")]))


def test_a_large_json_lines_file_read_line_by_line_gives_the_same_documents(
    excerpt_path: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import dedup.readers

    whole = list(read_paths([excerpt_path]))
    monkeypatch.setattr(dedup.readers, "_STREAMED_BYTES", 1)
    streamed_reader = dedup.readers._json_lines_stream(excerpt_path)
    assert streamed_reader is not None  # the excerpt is read a line at a time now
    assert list(streamed_reader) == whole
    assert list(read_paths([excerpt_path])) == whole
    # A line that is not JSON still names its line; a file that is not UTF-8
    # throughout goes the whole-file way (its encoding is named on the report).
    broken = tmp_path / "broken.jsonl"
    lines = Path(excerpt_path).read_text(encoding="utf-8").splitlines(keepends=True)
    broken.write_text("".join(lines[:3]) + "{not json\n" + "".join(lines[3:6]), encoding="utf-8")
    with pytest.raises(InputError, match=r"broken\.jsonl:4:"):
        list(read_paths([str(broken)]))
    latin = tmp_path / "latin.jsonl"
    latin.write_bytes('{"id": "a", "text": "Caf\u00e9 cr\u00e8me."}\n'.encode("cp1252"))
    assert dedup.readers._json_lines_stream(str(latin)) is None
    assert [d.encoding for d in read_paths([str(latin)])] == ["cp1252"]
