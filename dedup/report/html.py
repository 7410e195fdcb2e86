"""A self-contained HTML page: clusters, where each copy sits, and how it differs."""

from __future__ import annotations

import difflib
from functools import lru_cache
from typing import TextIO

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from dedup import __version__
from dedup.records import Report
from dedup.report.text import location, summary


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("dedup", "report/templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["location"] = location
    env.filters["diff"] = word_diff
    return env


def word_diff(text: str, canonical: str) -> Markup:
    """``text`` marked up against ``canonical``: words it lacks struck, words it adds marked.

    >>> str(word_diff("a b d", "a b c"))
    'a b <del>c</del> <ins>d</ins>'
    """
    old, new = canonical.split(), text.split()
    parts: list[str] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(str(escape(" ".join(new[b1:b2]))))
            continue
        if a2 > a1:
            parts.append(f"<del>{escape(' '.join(old[a1:a2]))}</del>")
        if b2 > b1:
            parts.append(f"<ins>{escape(' '.join(new[b1:b2]))}</ins>")
    return Markup(" ".join(parts))


def write_html(report: Report, out: TextIO) -> None:
    """Write the report as one HTML page with its styles inline (no external resources)."""
    template = _environment().get_template("report.html")
    for chunk in template.generate(
        report=report, kinds=report.kind_counts(), summary=summary(report), version=__version__
    ):
        out.write(chunk)
