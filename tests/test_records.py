"""Records: the one vocabulary of finding kinds, and what it maps to."""

from __future__ import annotations

import doctest
import importlib

import pytest

from dedup.records import FAIL_POLICIES, Kind, failing_kinds


def test_every_kind_has_a_phrase_and_a_distinct_rule_id() -> None:
    assert all(kind.phrase for kind in Kind)
    assert len({kind.rule_id for kind in Kind}) == len(Kind)


@pytest.mark.parametrize(
    ("policy", "kinds"),
    [
        ("none", set()),
        ("any", {"exact", "near", "partial"}),
        ("exact", {"exact"}),
        ("figures", {"figures"}),
        ("boilerplate", {"boilerplate"}),
    ],
)
def test_failing_kinds(policy: str, kinds: set[str]) -> None:
    assert {kind.value for kind in failing_kinds(policy)} == kinds


def test_every_kind_is_a_fail_policy() -> None:
    assert set(FAIL_POLICIES) == {"none", "any", "new"} | {kind.value for kind in Kind}


def test_a_kind_reads_and_prints_as_its_name() -> None:
    assert Kind("near") is Kind.NEAR
    assert f"{Kind.NEAR}" == str(Kind.NEAR) == "near"


def test_docstring_examples_hold() -> None:
    results = doctest.testmod(importlib.import_module("dedup.records"))
    assert results.attempted > 0
    assert results.failed == 0
