"""Terminal and editor output: ``path:line: near-duplicate of path:line (cosine 0.97)``."""

from __future__ import annotations

from dedup.records import Cluster, Member, Paragraph, Report
from dedup.report.json import kind_counts

_PHRASES = {
    "exact": "exact duplicate of",
    "near": "near-duplicate of",
    "partial": "partial reuse of",
    "figures": "same text, other figures than",
}


def location(paragraph: Paragraph) -> str:
    """Where a paragraph is: ``source:line``, or ``source:doc#index`` when it has no line."""
    if paragraph.line is not None:
        return f"{paragraph.source}:{paragraph.line}"
    return f"{paragraph.source}:{paragraph.doc}#{paragraph.index}"


def describe(member: Member, canonical: Member, cluster: Cluster) -> str:
    """One line for a repeated paragraph, naming what it repeats and the evidence."""
    phrase = _PHRASES.get(member.relation, "duplicate of")
    if cluster.kind == "boilerplate":
        phrase = "boilerplate, " + phrase
    evidence = ""
    if member.relation == "partial":
        evidence = f" ({member.scores.containment:.0%} shared)"
    elif member.relation != "exact":
        evidence = f" (cosine {member.scores.cosine:.2f})"
    return f"{location(member.paragraph)}: {phrase} {location(canonical.paragraph)}{evidence}"


def summary(report: Report) -> str:
    """One line: what was read and what was found."""
    counts = kind_counts(report)
    kinds = ", ".join(f"{n} {kind}" for kind, n in counts.items())
    found = f"{len(report.clusters)} clusters ({kinds})" if report.clusters else "no repeats"
    repeated = sum(len(c.members) - 1 for c in report.clusters)
    return (
        f"{len(report.documents)} documents, {report.paragraph_count} paragraphs: "
        f"{found}, {repeated} repeated paragraphs"
    )


def render_text(report: Report) -> str:
    """One line per repeated paragraph, then a summary line."""
    lines = []
    for cluster in report.clusters:
        canonical = cluster.members[cluster.canonical]
        for position, member in enumerate(cluster.members):
            if position != cluster.canonical:
                lines.append(describe(member, canonical, cluster))
    lines.append(summary(report))
    return "\n".join(lines) + "\n"
