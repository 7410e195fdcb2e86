"""Records: the one vocabulary of finding kinds, and what it maps to."""

from __future__ import annotations

import doctest
import importlib

import pytest

from dedup.records import FAIL_POLICIES, SAME, Kind, Pairing, Report, failing_kinds


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


def test_a_report_as_pairs(seed_report: Report) -> None:
    near = next(c for c in seed_report.clusters if c.kind is Kind.NEAR)
    docs = {m.paragraph.doc for m in near.members}
    canonical = near.members[near.canonical].paragraph
    later = next(m for m in near.members if m.paragraph.doc != canonical.doc)
    pairs = seed_report.pairs({later.paragraph.doc})
    key = ((later.paragraph.doc, later.paragraph.index), (canonical.doc, canonical.index))
    assert pairs[key] == Pairing(
        Kind.NEAR, later.relation, later.scores, Kind.EXACT, SAME, (canonical.doc, canonical.index)
    )
    # Only pairs whose first paragraph is of the documents asked for; none for no document.
    assert {first[0] for first, _ in pairs} == {later.paragraph.doc}
    assert seed_report.pairs(set()) == {}
    every = seed_report.pairs(docs | {d.id for d in seed_report.documents})
    assert len(every) == sum(len(c.members) * (len(c.members) - 1) for c in seed_report.clusters)
