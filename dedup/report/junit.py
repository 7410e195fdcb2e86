"""JUnit XML, for CI test views: a test case per file read, failing when the file holds
repeated content; figures variants and boilerplate are listed in its output instead."""

from __future__ import annotations

from typing import TextIO
from xml.etree import ElementTree

from dedup.findings import report_findings
from dedup.records import Finding, Report
from dedup.report.text import describe

SUITE = "dedup"


def junit_tree(report: Report) -> ElementTree.Element:
    """The report as a ``testsuites`` element of one ``testsuite``."""
    by_file: dict[str, list[Finding]] = {d.source: [] for d in report.documents}
    for finding in report_findings(report):
        by_file.setdefault(finding.member.paragraph.source, []).append(finding)
    failing = sum(any(f.kind.is_content for f in found) for found in by_file.values())
    counts = {"tests": str(len(by_file)), "failures": str(failing), "errors": "0"}
    suites = ElementTree.Element("testsuites", {"name": SUITE, **counts})
    suite = ElementTree.SubElement(suites, "testsuite", {"name": SUITE, **counts, "skipped": "0"})
    for source in sorted(by_file):
        case = ElementTree.SubElement(suite, "testcase", {"classname": SUITE, "name": source})
        found = by_file[source]
        content = [f for f in found if f.kind.is_content]
        if content:
            failure = ElementTree.SubElement(
                case,
                "failure",
                {"message": _count(len(content)), "type": content[0].kind.rule_id},
            )
            failure.text = "\n".join(describe(f) for f in content)
        notes = [f for f in found if not f.kind.is_content]
        if notes:
            ElementTree.SubElement(case, "system-out").text = "\n".join(describe(f) for f in notes)
    return suites


def _count(repeats: int) -> str:
    return f"{repeats} repeated paragraph" + ("" if repeats == 1 else "s")


def write_junit(report: Report, out: TextIO) -> None:
    """Write the report as JUnit XML (UTF-8, indented, final newline)."""
    tree = junit_tree(report)
    ElementTree.indent(tree)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(ElementTree.tostring(tree, encoding="unicode"))
    out.write("\n")
