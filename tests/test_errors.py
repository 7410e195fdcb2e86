"""Messages stay one line: control characters and line separators in names are escaped."""

from __future__ import annotations

import doctest
import importlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dedup.errors import printable


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain/path.txt", "plain/path.txt"),
        ("a\nb", "a\\nb"),
        ("a\r\nb", "a\\r\\nb"),
        ("\x1b[31mred", "\\x1b[31mred"),
        ("next\x85line", "next\\x85line"),
        ("a\u2028b\u2029c", "a\\u2028b\\u2029c"),
        ("café, Ünïcode, 東京", "café, Ünïcode, 東京"),
    ],
    ids=["plain", "newline", "crlf", "escape", "nel", "unicode-separators", "letters-kept"],
)
def test_printable(text: str, expected: str) -> None:
    assert printable(text) == expected


@given(st.text())
def test_printable_is_always_one_line(text: str) -> None:
    assert printable(text).splitlines() in ([], [printable(text)])


def test_docstring_examples_hold() -> None:
    results = doctest.testmod(importlib.import_module("dedup.errors"))
    assert results.attempted > 0
    assert results.failed == 0
