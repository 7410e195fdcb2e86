"""Consolidation: each dispatch with its repeats removed, keeping the canonical occurrence.

A paragraph is removed when it is a copy (not the canonical member) in a
content cluster (``exact``, ``near``, ``partial``) and says the same as its
source (relation ``exact`` or ``near``). Partial reuse (a rewrite with new words), figures
variants (different news) and boilerplate (each dispatch's own sign-off)
stay. A dispatch left with nothing but boilerplate is a re-send and is
dropped whole, headline included. With ``mark``, a removed paragraph leaves
a short reference instead: ``[ran in «title», ¶3]``.

The copy is written in the input's own format and encoding: text and
Markdown files keep every other line as it was; JSON Lines records keep
their other fields, and unchanged records are copied byte for byte.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from dedup.config import ScanConfig
from dedup.errors import InputError, ReportError
from dedup.records import Cluster, Document, Kind, Member, Paragraph, Report
from dedup.segment import split_paragraphs

#: The relations of a copy to its source that mean it says the same: it is removed.
REMOVED_RELATIONS = frozenset({Kind.EXACT, Kind.NEAR})


def document_label(document: Document) -> str:
    """How a dispatch is named to a reader: its title (on one line), else its id."""
    return " ".join((document.title or "").split()) or document.id


@dataclass(frozen=True, slots=True)
class Reference:
    """Where a removed paragraph ran: the cluster, the copy, and the source it repeats."""

    cluster: Cluster
    copy: Member
    source: Member
    source_document: Document

    @property
    def mark(self) -> str:
        """The reference left in place of the copy: ``[ran in «title», ¶3]``."""
        label = document_label(self.source_document)
        return f"[ran in \u00ab{label}\u00bb, \u00b6{self.source.paragraph.index + 1}]"


ParagraphKey = tuple[str, int]


def paragraph_key(paragraph: Paragraph) -> ParagraphKey:
    """A paragraph's name in a report: its document id and position."""
    return (paragraph.doc, paragraph.index)


@dataclass(frozen=True, slots=True)
class Consolidation:
    """What consolidation removes: copies by paragraph, and the dispatches dropped whole."""

    removed: dict[ParagraphKey, Reference]
    boilerplate: frozenset[ParagraphKey]
    dropped: frozenset[str]

    def is_removed(self, paragraph: Paragraph) -> bool:
        """Whether ``paragraph`` is left out of the consolidated copy."""
        key = paragraph_key(paragraph)
        return key in self.removed or (paragraph.doc in self.dropped and key in self.boilerplate)

    def kept(self, document: Document) -> list[Paragraph]:
        """The paragraphs of ``document`` that the consolidated copy keeps."""
        return [p for p in document.paragraphs if not self.is_removed(p)]


def plan_consolidation(report: Report) -> Consolidation:
    """Which paragraphs of ``report`` a consolidated copy removes, and why."""
    # A check against an index cites indexed documents too, as sources.
    documents = {d.id: d for d in (*report.documents, *report.indexed)}
    removed: dict[ParagraphKey, Reference] = {}
    boilerplate: set[ParagraphKey] = set()
    for cluster in report.clusters:
        if cluster.kind is Kind.BOILERPLATE:
            boilerplate.update(paragraph_key(m.paragraph) for m in cluster.members)
            continue
        if not cluster.kind.is_content:
            continue  # figures variants are other news
        source = cluster.members[cluster.canonical]
        for position, member in enumerate(cluster.members):
            key = paragraph_key(member.paragraph)
            if position == cluster.canonical or member.relation not in REMOVED_RELATIONS:
                continue
            # A paragraph in two clusters is removed for the first (the report's order).
            removed.setdefault(
                key, Reference(cluster, member, source, documents[source.paragraph.doc])
            )
    dropped = frozenset(
        d.id
        for d in report.documents
        if any(paragraph_key(p) in removed for p in d.paragraphs)
        and all(
            paragraph_key(p) in removed or paragraph_key(p) in boilerplate for p in d.paragraphs
        )
    )
    return Consolidation(removed, frozenset(boilerplate), dropped)


# --- Writing the copy back in the input's own format -----------------------------------------


@dataclass(frozen=True, slots=True)
class Cut:
    """Lines ``first`` to ``last`` (1-based, inclusive) of a text, removed or replaced."""

    first: int
    last: int
    replacement: str | None = None


_LINE_BREAK = re.compile(r"(\r\n|\r|\n)")


def cut_lines(text: str, cuts: Sequence[Cut]) -> str:
    """``text`` with the lines of each cut removed (or replaced by one line), line breaks kept.

    Blank lines that a removal leaves side by side are merged, and those it
    leaves at the start or end of the text dropped, so that blank-line
    separated paragraphs stay separated by one blank line.

    >>> cut_lines("A\\n\\nB\\n\\nC\\n", [Cut(3, 3)])
    'A\\n\\nC\\n'
    >>> cut_lines("A\\nB\\nC", [Cut(2, 2, "[ran]")])
    'A\\n[ran]\\nC'
    """
    # Lines end where the segmenter ends them ("\n", "\r\n" or "\r"), so that
    # line numbers mean the same here as in the report.
    pieces = _LINE_BREAK.split(text)
    lines, breaks = pieces[0::2], [*pieces[1::2], ""]
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()  # the text ends with a line break: no empty last line
        breaks.pop()
    removed = [False] * len(lines)
    for cut in cuts:
        first, last = cut.first - 1, min(cut.last, len(lines)) - 1
        for number in range(first, last + 1):
            removed[number] = True
        if cut.replacement is not None:
            indent = lines[first][: len(lines[first]) - len(lines[first].lstrip())]
            lines[first], breaks[first] = indent + cut.replacement, breaks[last]
            removed[first] = False
    kept: list[int] = []
    after_removal = False
    for number, line in enumerate(lines):
        if removed[number]:
            after_removal = True
            continue
        blank = not line.strip()
        if blank and after_removal and (not kept or not lines[kept[-1]].strip()):
            continue  # a blank line next to another, or at the start, only by a removal
        kept.append(number)
        after_removal = after_removal and blank
    if after_removal:
        while kept and not lines[kept[-1]].strip():
            kept.pop()  # blank lines left at the end by a removal
    out = [lines[n] + breaks[n] for n in kept]
    if out and kept[-1] != len(lines) - 1:
        out[-1] = lines[kept[-1]] + breaks[-1]  # the text ends as it ended
    return "".join(out)


def _cuts(documents: Sequence[Document], plan: Consolidation, mark: bool) -> list[Cut]:
    """The cuts that consolidate ``documents`` (all read from one text)."""
    cuts: list[Cut] = []
    for document in documents:
        whole = document.id in plan.dropped and not mark
        if whole and document.title_lines is not None:
            cuts.append(Cut(*document.title_lines))
        for paragraph in document.paragraphs:
            if paragraph.line is None or not plan.is_removed(paragraph):
                continue
            reference = plan.removed.get(paragraph_key(paragraph))
            replacement = reference.mark if mark and reference else None
            if mark and reference is None:
                continue  # boilerplate of a re-send: kept beside the marks
            cuts.append(Cut(paragraph.line, paragraph.end_line or paragraph.line, replacement))
    return cuts


def consolidate_text(
    text: str, source: str, documents: Sequence[Document], plan: Consolidation, mark: bool
) -> str:
    """A text or Markdown file, consolidated: only the lines of removed paragraphs change."""
    return cut_lines(text, _cuts(documents, plan, mark))


def consolidate_jsonl(
    text: str, source: str, documents: Sequence[Document], plan: Consolidation, mark: bool
) -> str:
    """A JSON Lines file, consolidated: records left with nothing new are dropped; the others
    lose their repeated paragraphs (or keep a reference), every other field unchanged."""
    by_id = {d.id: d for d in documents}
    out: list[str] = []
    for line in text.split("\n"):
        doc_id = _record_id(line) if line.strip() else None
        document = by_id.get(doc_id) if doc_id is not None else None
        if document is None or not any(plan.is_removed(p) for p in document.paragraphs):
            out.append(line)
            continue
        if document.id in plan.dropped and not mark:
            continue
        record = json.loads(line)
        if "paragraphs" in record:
            record["paragraphs"] = _kept_items(record["paragraphs"], document, plan, mark)
        else:
            record["text"] = _kept_text(record["text"], document, plan, mark)
        out.append(json.dumps(record, ensure_ascii=False) + ("\r" if line.endswith("\r") else ""))
    return "\n".join(out)


def _record_id(line: str) -> str | None:
    record = json.loads(line)
    return str(record["id"]) if isinstance(record, dict) and "id" in record else None


def _kept_items(items: list[str], document: Document, plan: Consolidation, mark: bool) -> list[str]:
    paragraphs = {p.index: p for p in document.paragraphs}
    kept: list[str] = []
    for index, item in enumerate(items):
        paragraph = paragraphs.get(index)
        if paragraph is None or not plan.is_removed(paragraph):
            kept.append(item)
        elif mark and (reference := plan.removed.get(paragraph_key(paragraph))):
            kept.append(reference.mark)
        elif mark:
            kept.append(item)
    return kept


def _kept_text(text: str, document: Document, plan: Consolidation, mark: bool) -> str:
    # The reader numbers a record's paragraphs as the blocks of its text.
    blocks = split_paragraphs(text)
    cuts = []
    for paragraph in document.paragraphs:
        reference = plan.removed.get(paragraph_key(paragraph))
        if not plan.is_removed(paragraph) or (mark and reference is None):
            continue
        block = blocks[paragraph.index]
        cuts.append(Cut(block.line, block.end_line, reference.mark if mark and reference else None))
    return cut_lines(text, cuts)


#: Writes one consolidated file: ``(text, source, its documents, plan, mark) -> text``.
Writer = Callable[[str, str, Sequence[Document], Consolidation, bool], str]

#: The input formats a consolidated copy can be written in, by reader format name.
WRITERS: dict[str, Writer] = {
    "text": consolidate_text,
    "markdown": consolidate_text,
    "jsonl": consolidate_jsonl,
}


# --- Files --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Source:
    """One input file: where it is, where its copy goes, its text, encoding and format."""

    path: str
    target: Path
    text: str
    encoding: str
    format: str


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a consolidation did: the report it was made from, the plan, the files written."""

    report: Report
    plan: Consolidation
    written: tuple[Path, ...]

    def summary(self) -> str:
        """One line: what was removed, from how much."""
        removed = len(self.plan.removed)
        dropped = len(self.plan.dropped)
        files = len(self.written)
        return (
            f"{len(self.report.documents)} documents, {self.report.paragraph_count} paragraphs: "
            f"{removed} repeated paragraph{'s' * (removed != 1)} removed, "
            f"{dropped} dispatch{'es' * (dropped != 1)} dropped whole; "
            f"{files} file{'s' * (files != 1)} written"
        )


def plan_sources(paths: Sequence[str], output_dir: str, encodings: str) -> list[Source]:
    """The input files under ``paths``, each read, with the path its copy is written to.

    Refused before any work: standard input, a format that cannot be written
    back, two inputs that would be written to one file, a copy that would
    overwrite an input.
    """
    from dedup.readers import STDIN, decode, expand_paths, format_of

    out = Path(output_dir)
    _check_folder(out)
    sources: list[Source] = []
    claimed: dict[Path, str] = {}
    inputs = {Path(f).resolve() for f in expand_paths(paths) if f != STDIN}
    for raw in paths:
        if raw == STDIN:
            raise InputError("consolidate needs files: standard input (-) has no file to write")
        root = Path(raw)
        for path in expand_paths([raw]):
            target = out / (Path(path).relative_to(root) if root.is_dir() else Path(path).name)
            if target in claimed:
                raise InputError(f"{claimed[target]} and {path} would both be written to {target}")
            if target.resolve() in inputs:
                raise InputError(f"{path}: its consolidated copy {target} would overwrite an input")
            try:
                data = Path(path).read_bytes()
            except OSError as err:
                raise InputError(f"{path}: cannot read: {err.strerror}") from err
            text, encoding = decode(data, path, encodings.split(","))
            format_name = format_of(path, text).name
            if format_name not in WRITERS:
                writable = ", ".join(sorted(WRITERS))
                raise InputError(
                    f"{path}: cannot write a consolidated copy of {format_name} input "
                    f"(consolidate writes {writable})"
                )
            claimed[target] = path
            sources.append(Source(path, target, text, encoding, format_name))
    return sources


def _writer(text: str) -> Callable[[TextIO], None]:
    def write(out: TextIO) -> None:
        out.write(text)

    return write


def _check_folder(out: Path) -> None:
    """Refuse, before any work, an output folder that cannot be made or written to."""
    existing = next(p for p in (out, *out.parents) if p.exists() or p == Path(p.anchor))
    if not existing.is_dir():
        raise ReportError(f"{out}: cannot write copy: {existing} is not a folder")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise ReportError(f"{out}: cannot write copy: {existing} is not writable")


def consolidate_paths(
    paths: Sequence[str], config: ScanConfig, output_dir: str, *, mark: bool = False
) -> Outcome:
    """Scan ``paths`` and write each input file, consolidated, under ``output_dir``."""
    from dedup.pipeline import scan
    from dedup.report import write_file

    sources = plan_sources(paths, output_dir, config.read.encoding)
    report = scan([s.path for s in sources], config)
    plan = plan_consolidation(report)
    by_source: dict[str, list[Document]] = {}
    for document in report.documents:
        by_source.setdefault(document.source, []).append(document)
    written: list[Path] = []
    for source in sources:
        documents = sorted(by_source.get(source.path, []), key=lambda d: d.ordinal)
        copy = WRITERS[source.format](source.text, source.path, documents, plan, mark)
        try:
            copy.encode(source.encoding)
        except UnicodeEncodeError as err:
            raise ReportError(
                f"{source.target}: the consolidated copy cannot be written in {source.encoding} "
                f"(the input's encoding): {err.reason}"
            ) from err
        write_file(str(source.target), _writer(copy), encoding=source.encoding, what="copy")
        written.append(source.target)
    return Outcome(report, plan, tuple(written))
