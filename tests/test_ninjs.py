"""IPTC ninjs 1.x, 2.x and 3.x items, alone, in JSON Lines or in an array."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES

from dedup.errors import InputError
from dedup.readers import format_of, read_paths
from dedup.readers.ninjs import is_ninjs, ninjs_document

NINJS = FIXTURES / "formats" / "d5-d6-ninjs.jsonl"


def test_the_fixture_holds_a_2x_and_a_3x_item(seed_lines: dict[int, str]) -> None:
    first, second = read_paths([str(NINJS)])
    assert first.id == "urn:newsml:aa.com.tr:20200123:mitiga@1"
    assert first.title == seed_lines[22]
    assert first.date == "2020-01-23T19:00:00Z"
    # Two renditions of one body: the HTML one is read, once.
    assert [p.text for p in first.paragraphs] == [seed_lines[n] for n in range(23, 29)]
    assert second.id == "urn:newsml:aa.com.tr:20200123:blindes"
    assert (second.title, second.date) == (seed_lines[29], "2020-01-23T20:30:00Z")
    assert [p.text for p in second.paragraphs] == [seed_lines[n] for n in range(30, 37)]
    assert all(p.line is None and p.source == str(NINJS) for p in first.paragraphs)


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        (
            {"uri": "u", "headline": "H", "body_text": "One.\n\nTwo\nwrapped."},
            ("H", ["One.", "Two wrapped."]),
        ),
        (
            {"uri": "u", "headline": "H", "body_text": "plain", "body_html": "<p>A</p><p>B</p>"},
            ("H", ["A", "B"]),
        ),
        (
            {
                "uri": "u",
                "headlines": [{"role": "sub", "value": "Sub"}, {"role": "main", "value": "Main"}],
                "bodies": [
                    {"role": "summary", "contenttype": "text/plain", "value": "Summary."},
                    {"role": "main", "contenttype": "text/plain", "value": "Body."},
                ],
            },
            ("Main", ["Body."]),
        ),
        (
            {"uri": "u", "headlines": [{"value": "Only"}], "bodies": [{"value": "One\nTwo"}]},
            ("Only", ["One", "Two"]),
        ),
        (
            {"uri": "u", "headlines": [{"contentType": "text/html", "value": "<b>Bold</b>"}]},
            ("Bold", []),
        ),
        ({"uri": "u", "type": "picture"}, (None, [])),
    ],
    ids=["1x-text", "1x-html-first", "2x-main-roles", "3x-no-roles", "html-headline", "no-body"],
)
def test_headline_and_body(record: dict[str, Any], expected: tuple[str | None, list[str]]) -> None:
    document = ninjs_document(record, "feed.json", "feed.json:1")
    assert (document.title, [p.text for p in document.paragraphs]) == expected


@pytest.mark.parametrize(
    ("record", "date"),
    [
        (
            {"uri": "u", "versioncreated": "2020-01-02T00:00:00Z", "firstcreated": "2020-01-01"},
            "2020-01-02T00:00:00Z",
        ),
        ({"uri": "u", "firstCreated": "2020-01-01T10:00:00+01:00"}, "2020-01-01T10:00:00+01:00"),
        (
            {"uri": "u", "contentcreated": "Sun, 12 Apr 2020 14:30:00 GMT"},
            "Sun, 12 Apr 2020 14:30:00 GMT",
        ),
        ({"uri": "u"}, None),
    ],
    ids=["versioncreated-first", "3x-spelling", "contentcreated", "none"],
)
def test_date(record: dict[str, Any], date: str | None) -> None:
    assert ninjs_document(record, "f", "f:1").date == date


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ({"headline": "No uri"}, '"uri"'),
        ({"uri": 5, "headline": "x"}, '"uri"'),
        ({"uri": "u", "version": [1]}, '"version"'),
        ({"uri": "u", "headline": ["x"]}, '"headline" must be a string'),
        ({"uri": "u", "headlines": "x"}, '"headlines" must be a list of objects'),
        ({"uri": "u", "bodies": [{"value": 3}]}, '"value" must be a string'),
        ({"uri": "u", "body_html": {"p": 1}}, '"body_html" must be a string'),
        ({"uri": "u", "versioncreated": "tomorrow"}, "unrecognised date 'tomorrow'"),
    ],
    ids=[
        "no-uri",
        "uri-not-string",
        "version-list",
        "headline-list",
        "headlines-string",
        "body-value-number",
        "body-html-object",
        "bad-date",
    ],
)
def test_malformed_items_name_the_field(record: dict[str, Any], message: str) -> None:
    with pytest.raises(InputError, match=r"^feed\.jsonl:7: ") as raised:
        ninjs_document(record, "feed.jsonl", "feed.jsonl:7")
    assert message in str(raised.value)


def test_version_tells_updates_of_one_item_apart(tmp_path: Path) -> None:
    records = [{"uri": "urn:a", "version": v, "body_text": f"Version {v}."} for v in (1, 2)]
    path = tmp_path / "feed.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    assert [d.id for d in read_paths([str(path)])] == ["urn:a@1", "urn:a@2"]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("item.json", json.dumps({"uri": "urn:a", "body_text": "Indented."}, indent=2)),
        ("items.json", json.dumps([{"uri": "urn:a", "body_text": "Indented."}], indent=2)),
        ("items.json", json.dumps([{"uri": "urn:a", "body_text": "Indented."}])),
        ("item.ninjs", '{ "uri": "urn:a",\n  "body_text": "Indented." }'),
        ("no-ending", json.dumps({"uri": "urn:a", "body_text": "Indented."}, indent=1)),
    ],
    ids=["indented-object", "indented-array", "one-line-array", "key-on-first-line", "no-ending"],
)
def test_one_item_or_an_array_of_them(tmp_path: Path, name: str, content: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    (document,) = read_paths([str(path)])
    assert (document.id, [p.text for p in document.paragraphs]) == ("urn:a", ["Indented."])


def test_ninjs_is_recognised_without_its_ending() -> None:
    text = json.dumps({"uri": "urn:a", "headline": "x"})
    assert format_of("-", text).name == "ninjs"
    assert format_of("-", '{"id": "a", "text": "x"}').name == "jsonl"


def test_an_indented_document_names_the_line_of_its_error(tmp_path: Path) -> None:
    path = tmp_path / "item.json"
    path.write_text('{\n  "uri": "urn:a",\n  "body_text": "x",,\n}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"item\.json:3: not valid JSON"):
        list(read_paths([str(path)]))


def test_is_ninjs() -> None:
    assert is_ninjs({"uri": "x"})
    assert is_ninjs({"bodies": []})
    assert not is_ninjs({"id": "a", "text": "x", "uri": "also"})
    assert not is_ninjs({"id": "a"})
