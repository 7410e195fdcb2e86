"""SARIF 2.1.0 (OASIS), for code scanning: a rule per finding kind, a result per repeated
paragraph located at that copy, the other copies as related locations linked from the
message, and fingerprints that hold when lines shift.
"""

from __future__ import annotations

import json
from typing import Any, TextIO
from urllib.parse import quote

from dedup import __version__
from dedup.findings import fingerprints, report_findings
from dedup.records import Finding, Kind, Member, Paragraph, Report
from dedup.report.text import evidence, location, summary

SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
#: The key of dedup's own fingerprint in ``partialFingerprints`` (versioned, as SARIF asks).
FINGERPRINT = "dedupParagraph/v1"
#: Paths are relative to the folder the check ran in: the repository's root in CI.
ROOT = "%SRCROOT%"
#: Other copies listed per result: a sign-off repeated in a hundred pages would
#: otherwise list every page in every one of its hundred results.
RELATED = 10

_HELP = {
    Kind.EXACT: "The same paragraph, after normalising case, punctuation and spacing, "
    "appears in several places.",
    Kind.NEAR: "A paragraph nearly repeats another: a few words, letters or figures apart.",
    Kind.PARTIAL: "A paragraph reuses a large part of another (sentences or clauses taken "
    "over), or the other way round.",
    Kind.FIGURES: "Two paragraphs are the same text with other figures: often an update or "
    "a template, reported apart from repeated content.",
    Kind.BOILERPLATE: "A short paragraph (under min_words words) repeats verbatim: sign-offs, "
    "bylines, credits.",
}
_REMEDY = (
    "Keep one copy and link to it, or reword one of them. A repeat that is meant to be "
    "there can be marked with a `dedup: ignore` comment before the paragraph, or accepted "
    "in a baseline (`dedup check --baseline FILE --update-baseline`)."
)


def level(kind: Kind) -> str:
    """The SARIF level of a kind: repeated content warns, figures and boilerplate are notes."""
    return "warning" if kind.is_content else "note"


def sarif_dict(report: Report) -> dict[str, Any]:
    """The report as a SARIF 2.1.0 log (one run)."""
    kinds = list(Kind)
    findings = report_findings(report)
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "dedup",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": [_rule(kind) for kind in kinds],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": [
                    _result(finding, kinds.index(finding.kind), fingerprint)
                    for finding, fingerprint in zip(findings, fingerprints(findings), strict=True)
                ],
                "properties": {"settings": report.params, "summary": summary(report)},
            }
        ],
    }


def _rule(kind: Kind) -> dict[str, Any]:
    text = f"{_HELP[kind]} {_REMEDY}"
    return {
        "id": kind.rule_id,
        "name": "".join(part.capitalize() for part in kind.rule_id.split("-")),
        "shortDescription": {"text": kind.label},
        "fullDescription": {"text": _HELP[kind]},
        "help": {"text": text, "markdown": text},
        "defaultConfiguration": {"level": level(kind)},
        "properties": {"tags": ["duplication", kind.value]},
    }


def _result(finding: Finding, rule_index: int, fingerprint: str) -> dict[str, Any]:
    others = finding.others[:RELATED]
    links = ", ".join(f"[{_link_text(m.paragraph)}]({n})" for n, m in enumerate(others, start=1))
    more = len(finding.others) - len(others)
    links += f" and {more} more" if more else ""
    why = evidence(finding)
    phrase = finding.kind.phrase
    text = f"{phrase[0].upper()}{phrase[1:]} {links}" + (f" ({why})" if why else "")
    return {
        "ruleId": finding.kind.rule_id,
        "ruleIndex": rule_index,
        "level": level(finding.kind),
        "message": {"text": text + "."},
        "locations": [{"physicalLocation": _physical(finding.member.paragraph)}],
        "relatedLocations": [_related(n, m) for n, m in enumerate(others, start=1)],
        "partialFingerprints": {FINGERPRINT: fingerprint},
    }


def _link_text(paragraph: Paragraph) -> str:
    # Brackets in a link's text are escaped (SARIF 3.11.6).
    return location(paragraph).replace("[", "\\[").replace("]", "\\]")


def _related(number: int, member: Member) -> dict[str, Any]:
    return {
        "id": number,
        "physicalLocation": _physical(member.paragraph),
        "message": {"text": f"copy at {location(member.paragraph)}"},
    }


def _physical(paragraph: Paragraph) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": uri(paragraph.source)}}
    if paragraph.line is not None:
        # No endColumn: a region then runs to the end of its last line, as a paragraph does.
        region: dict[str, Any] = {"startLine": paragraph.line}
        if paragraph.column is not None:
            region["startColumn"] = paragraph.column
        region["endLine"] = paragraph.end_line or paragraph.line
        physical["region"] = region
    if not paragraph.source.startswith("/"):
        physical["artifactLocation"]["uriBaseId"] = ROOT
    return physical


def uri(source: str) -> str:
    """A source path as a URI reference: relative paths stay relative, escaped.

    >>> uri("docs/a b.md"), uri("/srv/x.md")
    ('docs/a%20b.md', 'file:///srv/x.md')
    """
    escaped = quote(source.replace("\\", "/"), safe="/")
    return f"file://{escaped}" if source.startswith("/") else escaped


def write_sarif(report: Report, out: TextIO) -> None:
    """Write the report as a SARIF 2.1.0 log (indented JSON, final newline)."""
    json.dump(sarif_dict(report), out, ensure_ascii=False, indent=2)
    out.write("\n")
