"""Terminal and editor output: ``path:line:col: near-duplicate of path:line (cosine 0.97)``."""

from __future__ import annotations

from typing import TextIO

from dedup.errors import printable
from dedup.findings import report_findings
from dedup.records import Finding, Kind, Paragraph, Report


def location(paragraph: Paragraph) -> str:
    """Where a paragraph is: ``source:line``, or ``source:doc#index`` when it has no line.

    Paths and ids come from outside: a newline in them is written as ``\\n``,
    so that one finding is always one line.
    """
    if paragraph.line is not None:
        return printable(f"{paragraph.source}:{paragraph.line}")
    return printable(f"{paragraph.source}:{paragraph.doc}#{paragraph.index}")


def position(paragraph: Paragraph) -> str:
    """Where a paragraph starts, as editors jump to it: ``source:line:column``."""
    if paragraph.line is not None and paragraph.column is not None:
        return f"{location(paragraph)}:{paragraph.column}"
    return location(paragraph)


def evidence(finding: Finding) -> str:
    """The scores that make the pair a repeat, in words: ``cosine 0.97``, ``72% shared``."""
    scores = finding.pair.scores
    if finding.pair.relation is Kind.PARTIAL:
        return f"{scores.containment:.0%} shared"
    if finding.pair.relation is not Kind.EXACT:
        return f"cosine {scores.cosine:.2f}"
    return ""


def message(finding: Finding) -> str:
    """What a finding is, naming the copy it repeats: ``near-duplicate of path:line (...)``."""
    why = evidence(finding)
    return f"{finding.kind.phrase} {location(finding.reference.paragraph)}" + (
        f" ({why})" if why else ""
    )


def describe(finding: Finding) -> str:
    """One line for a repeated paragraph: where it is, what it repeats and the evidence."""
    return f"{position(finding.member.paragraph)}: {message(finding)}"


def summary(report: Report) -> str:
    """One line: what was read and what was found (and what a baseline accepted)."""
    kinds = ", ".join(f"{n} {kind}" for kind, n in report.kind_counts().items())
    found = f"{len(report.clusters)} clusters ({kinds})" if report.clusters else "no repeats"
    count = len(report.skipped)
    skipped = f"; {count} input{'s' if count > 1 else ''} skipped" if count else ""
    line = (
        f"{len(report.documents)} documents, {report.paragraph_count} paragraphs: "
        f"{found}, {report.repeated_count} repeated paragraphs{skipped}"
    )
    accepted = sum(m.accepted for c in report.clusters for m in c.members)
    if accepted:
        new = len(report_findings(report))
        line += f"; {new} new, {accepted} copies accepted by the baseline"
    return line


def write_text(report: Report, out: TextIO) -> None:
    """One line per repeated paragraph, then a summary line."""
    for finding in report_findings(report):
        out.write(describe(finding) + "\n")
    out.write(summary(report) + "\n")
