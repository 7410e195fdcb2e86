"""Baselines: the repeats a repository has accepted, so that a check fails on new ones only.

A baseline lists copies by the file they are in and the stable id of their
normalised text (``dedup.units.unit_key``), never by line: it holds when a
file is edited elsewhere or the paragraph moves within it. Paths are
relative to the baseline file's folder, so that a check run from another
folder reads it the same. The file is JSON sorted by path and id, one entry
per line, with the start of each paragraph to read in a code review.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TextIO

from dedup.errors import InputError
from dedup.records import Report
from dedup.units import unit_key

SCHEMA = "dedup.baseline/1"
#: How much of a paragraph an entry shows, for a reviewer (it is not part of the key).
EXCERPT_CHARS = 80


@dataclass(frozen=True, slots=True)
class Baseline:
    """Accepted copies as ``(path relative to folder, unit key)``."""

    folder: Path
    keys: frozenset[tuple[str, str]]

    def key(self, source: str, unit: int) -> tuple[str, str]:
        """The key of a copy of unit ``unit`` found in ``source``."""
        return _relative(source, self.folder), unit_key(unit)


def _relative(source: str, folder: Path) -> str:
    if source.startswith("<"):  # standard input has no path
        return source
    return Path(os.path.relpath(os.path.abspath(source), os.path.abspath(folder))).as_posix()


def read_baseline(path: str) -> Baseline:
    """Read a baseline file; a missing or malformed one is an ``InputError``."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: no such baseline (write one with --update-baseline)") from None
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"{path}: cannot read baseline: {err}") from err
    except json.JSONDecodeError as err:
        raise InputError(f"{path}:{err.lineno}: not valid JSON: {err.msg}") from err
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise InputError(f'{path}: not a dedup baseline (no "schema": "{SCHEMA}")')
    entries = data.get("accepted")
    if not isinstance(entries, list) or not all(_is_entry(e) for e in entries):
        raise InputError(f'{path}: "accepted" must be a list of {{"path", "unit"}} entries')
    keys = frozenset((e["path"], e["unit"]) for e in entries)
    return Baseline(Path(path).parent, keys)


def _is_entry(entry: Any) -> bool:
    return (
        isinstance(entry, dict)
        and isinstance(entry.get("path"), str)
        and isinstance(entry.get("unit"), str)
    )


def accept_known(report: Report, baseline: Baseline) -> Report:
    """``report`` with the copies the baseline lists marked ``accepted``."""
    clusters = tuple(
        replace(
            cluster,
            members=tuple(
                replace(m, accepted=baseline.key(m.paragraph.source, m.unit) in baseline.keys)
                for m in cluster.members
            ),
        )
        for cluster in report.clusters
    )
    return replace(report, clusters=clusters)


def baseline_of(report: Report, folder: Path) -> Baseline:
    """The baseline that accepts every copy in every cluster of ``report``."""
    empty = Baseline(folder, frozenset())
    keys = frozenset(
        empty.key(m.paragraph.source, m.unit) for c in report.clusters for m in c.members
    )
    return Baseline(folder, keys)


def write_baseline(report: Report, path: str) -> Baseline:
    """Write the baseline of ``report`` (every copy of every cluster) to ``path``, atomically;
    return it."""
    from dedup.report import write_file

    baseline = baseline_of(report, Path(path).parent)
    entries: dict[tuple[str, str], dict[str, str]] = {}
    for cluster in report.clusters:
        for member in cluster.members:
            key = baseline.key(member.paragraph.source, member.unit)
            text = member.paragraph.text
            excerpt = text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1] + "…"
            entries.setdefault(
                key,
                {"path": key[0], "unit": key[1], "kind": cluster.kind.value, "text": excerpt},
            )

    def write(out: TextIO) -> None:
        out.write(f'{{\n  "schema": "{SCHEMA}",\n  "accepted": [')
        for number, key in enumerate(sorted(entries)):
            out.write(",\n    " if number else "\n    ")
            out.write(json.dumps(entries[key], ensure_ascii=False))
        out.write("\n  ]\n}\n" if entries else "]\n}\n")

    write_file(path, write, what="baseline")
    return baseline
