"""Findings: the repeats a report names, one per copy, and their stable fingerprints.

A cluster of n copies is n - 1 findings: every copy but the canonical one,
each reported against the canonical. With a baseline (``dedup.baseline``),
copies it accepts are not findings; a new copy of accepted text is one, even
when it is the canonical (the earliest) copy: it is then reported against
the first accepted copy.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence

from dedup.records import Cluster, Finding, Report
from dedup.units import unit_key


def report_findings(report: Report) -> list[Finding]:
    """Every finding of ``report``, cluster by cluster, in member order."""
    return [finding for cluster in report.clusters for finding in cluster_findings(cluster)]


def cluster_findings(cluster: Cluster) -> Iterator[Finding]:
    """The findings of one cluster: its copies that are neither canonical nor accepted."""
    canonical = cluster.members[cluster.canonical]
    accepted = [m for m in cluster.members if m.accepted]
    for member in cluster.members:
        if member.accepted:
            continue
        if member is canonical:
            if accepted:
                yield Finding(cluster, member, accepted[0])
            continue
        yield Finding(cluster, member, canonical)


def fingerprints(findings: Sequence[Finding]) -> list[str]:
    """A stable fingerprint per finding: its file, its text's unit id and, for the same text
    repeated within one file, which occurrence it is. Never a line number, so it holds when
    lines shift.
    """
    seen: dict[tuple[str, int], int] = {}
    prints: list[str] = []
    for finding in findings:
        key = (finding.member.paragraph.source, finding.member.unit)
        occurrence = seen.get(key, 0)
        seen[key] = occurrence + 1
        material = f"{key[0]}\0{unit_key(key[1])}\0{occurrence}".encode("utf-8", "surrogatepass")
        prints.append(hashlib.blake2b(material, digest_size=16).hexdigest())
    return prints
