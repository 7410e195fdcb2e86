"""Findings: one per repeated copy, reported against the right copy, baseline or not; their
fingerprints are stable and unique."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from dedup.findings import cluster_findings, fingerprints, report_findings
from dedup.records import SAME, Cluster, Kind, Member, Paragraph, Report, Scores

NEAR = Scores(cosine=0.93, jaccard=0.81, containment=0.95)


def member(source: str, line: int, unit: int, relation: Kind = Kind.EXACT) -> Member:
    paragraph = Paragraph(doc=source, index=line, source=source, line=line, text=f"text {unit}")
    return Member(paragraph, SAME if relation is Kind.EXACT else NEAR, relation, unit)


def near_cluster() -> Cluster:
    return Cluster(
        id="c1",
        kind=Kind.NEAR,
        members=(member("a.md", 3, 1), member("b.md", 5, 2, Kind.NEAR), member("c.md", 7, 1)),
    )


def where(cluster: Cluster, accepted: set[str]) -> list[tuple[str, str, Kind]]:
    """(copy, reported against, kind) of each finding, with the named copies accepted."""
    marked = replace(
        cluster,
        members=tuple(replace(m, accepted=m.paragraph.source in accepted) for m in cluster.members),
    )
    return [
        (f.member.paragraph.source, f.reference.paragraph.source, f.kind)
        for f in cluster_findings(marked)
    ]


def test_every_copy_but_the_canonical_is_a_finding() -> None:
    assert where(near_cluster(), set()) == [
        ("b.md", "a.md", Kind.NEAR),
        ("c.md", "a.md", Kind.EXACT),
    ]


def test_accepted_copies_are_not_findings() -> None:
    assert where(near_cluster(), {"a.md", "b.md"}) == [("c.md", "a.md", Kind.EXACT)]
    assert where(near_cluster(), {"a.md", "b.md", "c.md"}) == []


def test_a_new_canonical_copy_is_reported_against_an_accepted_one() -> None:
    # b.md's relation to a.md describes the pair, whichever way it is reported.
    assert where(near_cluster(), {"b.md", "c.md"}) == [("a.md", "b.md", Kind.NEAR)]


def test_boilerplate_clusters_report_boilerplate() -> None:
    cluster = replace(near_cluster(), kind=Kind.BOILERPLATE)
    assert {kind for *_, kind in where(cluster, set())} == {Kind.BOILERPLATE}


def test_others_start_with_the_reference() -> None:
    (first, second) = cluster_findings(near_cluster())
    assert [m.paragraph.source for m in first.others] == ["a.md", "c.md"]
    assert [m.paragraph.source for m in second.others] == ["a.md", "b.md"]


def test_fingerprints_ignore_lines_and_tell_repeats_in_one_file_apart() -> None:
    cluster = Cluster(
        id="c1",
        kind=Kind.EXACT,
        members=(member("a.md", 1, 9), member("b.md", 4, 9), member("b.md", 8, 9)),
    )
    report = Report(documents=(), clusters=(cluster,))
    shifted = replace(
        cluster,
        members=tuple(
            replace(m, paragraph=replace(m.paragraph, line=(m.paragraph.line or 0) + 10))
            for m in cluster.members
        ),
    )
    before = fingerprints(report_findings(report))
    after = fingerprints(report_findings(replace(report, clusters=(shifted,))))
    assert before == after
    assert len(set(before)) == 2


@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), st.integers(0, 3)), max_size=12))
def test_fingerprints_are_unique(copies: list[tuple[str, int]]) -> None:
    members = tuple(member(source, n, unit) for n, (source, unit) in enumerate(copies))
    if len(members) < 2:
        return
    report = Report(documents=(), clusters=(Cluster("c1", Kind.EXACT, members),))
    prints = fingerprints(report_findings(report))
    assert len(prints) == len(members) - 1 == len(set(prints))
