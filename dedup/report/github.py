"""GitHub Actions workflow commands: an annotation on the lines of each repeated paragraph.

Repeated content (exact, near, partial) is annotated as warnings; figures
variants and boilerplate are plain log lines. The runner shows only the
first few annotations of each kind per step (``ANNOTATIONS``), so the rest
are log lines too, counted in a closing notice.
"""

from __future__ import annotations

from typing import TextIO

from dedup.findings import report_findings
from dedup.records import Finding, Report
from dedup.report.text import describe, message, summary

#: Warning annotations GitHub shows per step; more are dropped by the runner.
ANNOTATIONS = 10


def escape_data(text: str) -> str:
    """A workflow command's message, escaped as the runner unescapes it.

    >>> escape_data("50% done\\nnext")
    '50%25 done%0Anext'
    """
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value: also ``:`` and ``,``, which delimit properties.

    >>> escape_property("docs/a,b.md: x")
    'docs/a%2Cb.md%3A x'
    """
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding) -> str:
    """The ``::warning`` command for one finding."""
    paragraph = finding.member.paragraph
    properties = [f"file={escape_property(paragraph.source)}"]
    if paragraph.line is not None:
        properties.append(f"line={paragraph.line}")
        properties.append(f"endLine={paragraph.end_line or paragraph.line}")
        if paragraph.column is not None:
            properties.append(f"col={paragraph.column}")
    properties.append(f"title={escape_property(finding.kind.label)}")
    return f"::warning {','.join(properties)}::{escape_data(message(finding))}"


def write_github(report: Report, out: TextIO) -> None:
    """Annotations for the first repeats of content (what ``--fail-on any`` fails on), every
    other finding as a log line, then a summary."""
    findings = report_findings(report)
    content = [f for f in findings if f.kind.is_content]
    annotated = content[:ANNOTATIONS]
    for finding in annotated:
        out.write(annotation(finding) + "\n")
    for finding in findings:
        if finding not in annotated:
            out.write(escape_data(describe(finding)) + "\n")
    if len(content) > ANNOTATIONS:
        out.write(
            f"::notice title=dedup::{len(content) - ANNOTATIONS} more repeated paragraphs than "
            f"the {ANNOTATIONS} annotated: see the log above, or --format sarif or markdown\n"
        )
    out.write(escape_data(summary(report)) + "\n")
