"""The ``dedup.report/1`` JSON contract (see DESIGN.md): extend it, never break it."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from dedup import __version__
from dedup.records import Cluster, Document, Member, Report
from dedup.units import unit_key

SCHEMA = "dedup.report/1"


def report_dict(report: Report) -> dict[str, Any]:
    """The report as plain data, in the contract's shape and key order."""
    return {
        key: list(value) if isinstance(value, Iterator) else value
        for key, value in _sections(report).items()
    }


def _sections(report: Report) -> dict[str, Any]:
    """The report's top-level keys in order; documents and clusters as iterators, so that
    a writer converts one at a time."""
    indexed = {d.id: d for d in report.indexed}
    return {
        "schema": SCHEMA,
        "tool": {"name": "dedup", "version": __version__},
        "params": report.params,
        "documents": (
            {
                "id": d.id,
                "source": d.source,
                "title": d.title,
                "paragraphs": len(d.paragraphs),
                **({"date": d.date} if d.date is not None else {}),
                **({"encoding": d.encoding} if d.encoding != "utf-8" else {}),
            }
            for d in report.documents
        ),
        "clusters": (_cluster(c, indexed) for c in report.clusters),
        # Only when something was not read: a report of a clean read is unchanged.
        **(
            {"skipped": [{"source": s.source, "reason": s.reason} for s in report.skipped]}
            if report.skipped
            else {}
        ),
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


def _cluster(cluster: Cluster, indexed: dict[str, Document]) -> dict[str, Any]:
    return {
        "id": cluster.id,
        "kind": cluster.kind.value,
        "canonical": cluster.canonical,
        "members": [_member(m, indexed.get(m.paragraph.doc)) for m in cluster.members],
        **({"unlisted": cluster.unlisted} if cluster.unlisted else {}),
    }


def _member(member: Member, indexed: Document | None) -> dict[str, Any]:
    """A member; one read back from an index also carries its document's title and the time
    the index received it."""
    p = member.paragraph
    return {
        "doc": p.doc,
        "index": p.index,
        "source": p.source,
        "line": p.line,
        "column": p.column,
        "end_line": p.end_line,
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
        # Only with a baseline that lists this copy, so that other reports stay as they were.
        **({"accepted": True} if member.accepted else {}),
        **({"title": indexed.title, "added": indexed.added} if indexed is not None else {}),
    }


def write_json(report: Report, out: TextIO) -> None:
    """Write the report as ``dedup.report/1`` JSON text (stable key order, final newline).

    One document or cluster per line: readable, diffable, and written by
    json's C encoder (an indented dump goes through its pure-Python path,
    ten times slower on a large report).
    """
    out.write("{\n")
    for number, (key, value) in enumerate(_sections(report).items()):
        out.write(",\n" if number else "")
        if isinstance(value, Iterator):
            out.write(f'  "{key}": ')
            _write_items(value, out)
        else:
            out.write(f'  "{key}": {_dump(value)}')
    out.write("\n}\n")


def _write_items(items: Iterable[Any], out: TextIO) -> None:
    """A JSON list, one item per line (``[]`` when empty)."""
    opened = False
    for item in items:
        out.write(",\n    " if opened else "[\n    ")
        out.write(_dump(item))
        opened = True
    out.write("\n  ]" if opened else "[]")


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
