"""A Markdown summary: a table of the repeats, for ``$GITHUB_STEP_SUMMARY`` or a
merge-request comment."""

from __future__ import annotations

import re
from typing import TextIO

from dedup.findings import report_findings
from dedup.records import Report
from dedup.report.text import evidence, location, position, summary

#: Rows in the table; the rest are counted below it (a step summary holds 1 MiB at most).
ROWS = 200
#: Other copies named per row (the first is the one it repeats).
OTHERS = 3
EXCERPT_CHARS = 60
# Characters that would turn cell text into markup, a link or a new cell.
_MARKUP = re.compile(r"([\\`*_{}\[\]()<>#+!|~])")


def cell(text: str) -> str:
    """Text safe inside a Markdown table cell: markup escaped, on one line.

    >>> cell("a|b *c*\\nd")
    'a\\\\|b \\\\*c\\\\* d'
    """
    return _MARKUP.sub(r"\\\1", " ".join(text.split()))


def write_markdown(report: Report, out: TextIO) -> None:
    """A heading, the summary, and a table: where each repeat is, what it repeats, evidence."""
    findings = report_findings(report)
    out.write("### dedup: repeated paragraphs\n\n")
    out.write(f"{cell(summary(report))}\n")
    if not findings:
        return
    out.write("\n| Where | Kind | Repeats | Evidence | Text |\n")
    out.write("|---|---|---|---|---|\n")
    for finding in findings[:ROWS]:
        text = finding.member.paragraph.text
        excerpt = text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1] + "…"
        others = ", ".join(location(m.paragraph) for m in finding.others[:OTHERS])
        if len(finding.others) > OTHERS:
            others += f" and {len(finding.others) - OTHERS} more"
        out.write(
            f"| {cell(position(finding.member.paragraph))} | {finding.kind.value} "
            f"| {cell(others)} | {cell(evidence(finding)) or 'exact'} | {cell(excerpt)} |\n"
        )
    if len(findings) > ROWS:
        out.write(f"\n… and {len(findings) - ROWS} more (see the full report).\n")
