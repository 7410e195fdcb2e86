"""Terminal and editor output: ``path:line: near-duplicate of path:line (cosine 0.97)``."""

from __future__ import annotations

from typing import TextIO

from dedup.errors import printable
from dedup.records import Cluster, Kind, Member, Paragraph, Report


def location(paragraph: Paragraph) -> str:
    """Where a paragraph is: ``source:line``, or ``source:doc#index`` when it has no line.

    Paths and ids come from outside: a newline in them is written as ``\\n``,
    so that one finding is always one line.
    """
    if paragraph.line is not None:
        return printable(f"{paragraph.source}:{paragraph.line}")
    return printable(f"{paragraph.source}:{paragraph.doc}#{paragraph.index}")


def describe(member: Member, canonical: Member, cluster: Cluster) -> str:
    """One line for a repeated paragraph, naming what it repeats and the evidence."""
    kind = Kind.BOILERPLATE if cluster.kind is Kind.BOILERPLATE else member.relation
    evidence = ""
    if member.relation is Kind.PARTIAL:
        evidence = f" ({member.scores.containment:.0%} shared)"
    elif member.relation is not Kind.EXACT:
        evidence = f" (cosine {member.scores.cosine:.2f})"
    return f"{location(member.paragraph)}: {kind.phrase} {location(canonical.paragraph)}{evidence}"


def summary(report: Report) -> str:
    """One line: what was read and what was found."""
    kinds = ", ".join(f"{n} {kind}" for kind, n in report.kind_counts().items())
    found = f"{len(report.clusters)} clusters ({kinds})" if report.clusters else "no repeats"
    count = len(report.skipped)
    skipped = f"; {count} input{'s' if count > 1 else ''} skipped" if count else ""
    return (
        f"{len(report.documents)} documents, {report.paragraph_count} paragraphs: "
        f"{found}, {report.repeated_count} repeated paragraphs{skipped}"
    )


def write_text(report: Report, out: TextIO) -> None:
    """One line per repeated paragraph, then a summary line."""
    for cluster in report.clusters:
        canonical = cluster.members[cluster.canonical]
        for position, member in enumerate(cluster.members):
            if position != cluster.canonical:
                out.write(describe(member, canonical, cluster) + "\n")
    out.write(summary(report) + "\n")
