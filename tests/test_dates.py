"""Dispatch dates, in the forms wire inputs write them."""

from __future__ import annotations

import doctest
import importlib

import pytest

from dedup.dates import parse_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020-04-12", "2020-04-12T00:00:00+00:00"),
        ("2020-04-12T14:30:00Z", "2020-04-12T14:30:00+00:00"),
        ("2020-04-12T14:30:00+02:00", "2020-04-12T12:30:00+00:00"),
        ("2020-04-12 14:30", "2020-04-12T14:30:00+00:00"),
        ("26-FEB-1987 15:01:01.79", "1987-02-26T15:01:01.790000+00:00"),
        ("5-MAR-1987 09:12:55.11 F A", "1987-03-05T09:12:55.110000+00:00"),
        ("Sun, 12 Apr 2020 14:30:00 +0200", "2020-04-12T12:30:00+00:00"),
        ("20200412T143000Z", "2020-04-12T14:30:00+00:00"),
        ("20200412T143000+0200", "2020-04-12T12:30:00+00:00"),
        ("20200412", "2020-04-12T00:00:00+00:00"),
    ],
    ids=[
        "iso-day",
        "iso-utc",
        "iso-offset",
        "iso-space",
        "reuters",
        "reuters-with-codes",
        "rfc-2822",
        "nitf-compact",
        "nitf-compact-offset",
        "nitf-day",
    ],
)
def test_parse_date(text: str, expected: str) -> None:
    moment = parse_date(text)
    assert moment is not None
    assert moment.isoformat() == expected


@pytest.mark.parametrize("text", ["", "soon", "31-FOO-1987", "2020-13-45", "12/04/2020"])
def test_what_is_not_a_date(text: str) -> None:
    assert parse_date(text) is None


def test_docstring_examples_hold() -> None:
    results = doctest.testmod(importlib.import_module("dedup.dates"))
    assert results.attempted > 0
    assert results.failed == 0
