"""The ``dedup.report/1`` JSON contract (see DESIGN.md): extend it, never break it."""

from __future__ import annotations

import json
from typing import Any, TextIO

from dedup import __version__
from dedup.records import Cluster, Member, Report
from dedup.units import unit_key

SCHEMA = "dedup.report/1"


def report_dict(report: Report) -> dict[str, Any]:
    """The report as plain data, in the contract's shape and key order."""
    return {
        "schema": SCHEMA,
        "tool": {"name": "dedup", "version": __version__},
        "params": report.params,
        "documents": [
            {
                "id": d.id,
                "source": d.source,
                "title": d.title,
                "paragraphs": len(d.paragraphs),
                **({"date": d.date} if d.date is not None else {}),
                **({"encoding": d.encoding} if d.encoding != "utf-8" else {}),
            }
            for d in report.documents
        ],
        "clusters": [_cluster(c) for c in report.clusters],
        "stats": {
            "documents": len(report.documents),
            "paragraphs": report.paragraph_count,
            "clusters": len(report.clusters),
            "kinds": report.kind_counts(),
            "repeated_paragraphs": report.repeated_count,
            # Wall time would make two runs on the same input differ: a report
            # carries it only when asked for (``--timings``).
            "seconds": round(report.seconds, 3) if report.seconds is not None else None,
        },
    }


def _cluster(cluster: Cluster) -> dict[str, Any]:
    return {
        "id": cluster.id,
        "kind": cluster.kind.value,
        "canonical": cluster.canonical,
        "members": [_member(m) for m in cluster.members],
    }


def _member(member: Member) -> dict[str, Any]:
    p = member.paragraph
    return {
        "doc": p.doc,
        "index": p.index,
        "source": p.source,
        "line": p.line,
        "text": p.text,
        "unit": unit_key(member.unit),
        "relation": member.relation.value,
        "scores": {
            "cosine": member.scores.cosine,
            "jaccard": member.scores.jaccard,
            "containment": member.scores.containment,
            "alignment": member.scores.alignment,
            "coverage": member.scores.coverage,
        },
    }


def write_json(report: Report, out: TextIO) -> None:
    """Write the report as ``dedup.report/1`` JSON text (stable key order, final newline).

    One document or cluster per line: readable, diffable, and written by
    json's C encoder (an indented dump goes through its pure-Python path,
    ten times slower on a large report).
    """
    data = report_dict(report)
    out.write("{\n")
    for number, (key, value) in enumerate(data.items()):
        out.write(",\n" if number else "")
        if isinstance(value, list) and value:
            out.write(f'  "{key}": [\n')
            for position, item in enumerate(value):
                out.write(",\n    " if position else "    ")
                out.write(_dump(item))
            out.write("\n  ]")
        else:
            out.write(f'  "{key}": {_dump(value)}')
    out.write("\n}\n")


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
