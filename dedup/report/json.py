"""The ``dedup.report/1`` JSON contract (see DESIGN.md): extend it, never break it."""

from __future__ import annotations

import json
from typing import Any

from dedup import __version__
from dedup.records import Cluster, Member, Report

SCHEMA = "dedup.report/1"


def report_dict(report: Report, *, timings: bool = False) -> dict[str, Any]:
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
            "kinds": kind_counts(report),
            "repeated_paragraphs": sum(len(c.members) - 1 for c in report.clusters),
            # Wall time would make two runs on the same input differ: it is
            # reported only when asked for (``--timings``).
            "seconds": round(report.seconds, 3) if timings else None,
        },
    }


def kind_counts(report: Report) -> dict[str, int]:
    """Number of clusters of each kind present, in a stable order."""
    counts: dict[str, int] = {}
    for cluster in report.clusters:
        counts[cluster.kind] = counts.get(cluster.kind, 0) + 1
    return dict(sorted(counts.items()))


def _cluster(cluster: Cluster) -> dict[str, Any]:
    return {
        "id": cluster.id,
        "kind": cluster.kind,
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
        "relation": member.relation,
        "scores": {
            "cosine": member.scores.cosine,
            "jaccard": member.scores.jaccard,
            "containment": member.scores.containment,
        },
    }


def render_json(report: Report, *, timings: bool = False) -> str:
    """The report as ``dedup.report/1`` JSON text (UTF-8, stable key order, final newline).

    One document or cluster per line: readable, diffable, and written by
    json's C encoder (an indented dump goes through its pure-Python path,
    ten times slower on a large report).
    """
    data = report_dict(report, timings=timings)
    parts = []
    for key, value in data.items():
        if isinstance(value, list):
            items = ",\n    ".join(_dump(item) for item in value)
            parts.append(f'  "{key}": [\n    {items}\n  ]' if value else f'  "{key}": []')
        else:
            parts.append(f'  "{key}": {_dump(value)}')
    return "{\n" + ",\n".join(parts) + "\n}\n"


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
