"""GitLab Code Quality: a JSON array of issues (the Code Climate format GitLab reads)."""

from __future__ import annotations

import json
from typing import Any, TextIO

from dedup.findings import fingerprints, report_findings
from dedup.records import Finding, Kind, Report
from dedup.report.text import message

#: GitLab severities: repeated text is a major issue when verbatim.
SEVERITY = {
    Kind.EXACT: "major",
    Kind.NEAR: "major",
    Kind.PARTIAL: "minor",
    Kind.FIGURES: "info",
    Kind.BOILERPLATE: "info",
}


def gitlab_issues(report: Report) -> list[dict[str, Any]]:
    """One Code Quality issue per finding."""
    findings = report_findings(report)
    return [_issue(f, print_) for f, print_ in zip(findings, fingerprints(findings), strict=True)]


def _issue(finding: Finding, fingerprint: str) -> dict[str, Any]:
    paragraph = finding.member.paragraph
    line = paragraph.line if paragraph.line is not None else 1
    return {
        "type": "issue",
        "check_name": finding.kind.rule_id,
        "description": f"{finding.kind.label}: {message(finding)}",
        "categories": ["Duplication"],
        "fingerprint": fingerprint,
        "severity": SEVERITY[finding.kind],
        "location": {
            "path": paragraph.source,
            "lines": {"begin": line, "end": paragraph.end_line or line},
        },
    }


def write_gitlab(report: Report, out: TextIO) -> None:
    """Write the Code Quality report (indented JSON, final newline)."""
    json.dump(gitlab_issues(report), out, ensure_ascii=False, indent=2)
    out.write("\n")
