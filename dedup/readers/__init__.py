"""Readers: files, folders and standard input into ``Document`` records."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from dedup.errors import InputError
from dedup.readers.jsonl import read_jsonl
from dedup.readers.text import read_text
from dedup.records import Document

#: File name endings read when a folder is scanned.
EXTENSIONS = (".txt", ".md", ".jsonl")
STDIN = "-"


def read_paths(paths: Sequence[str]) -> Iterator[Document]:
    """Read every document under ``paths`` (files, folders recursively, ``-`` for stdin)."""
    seen: set[str] = set()
    for path in expand_paths(paths):
        for document in read_path(path):
            if document.id in seen:
                raise InputError(f"{document.source}: document id {document.id!r} appears twice")
            seen.add(document.id)
            yield document


def expand_paths(paths: Sequence[str]) -> list[str]:
    """Files to read, in a stable order: folders walked recursively and sorted."""
    files: list[str] = []
    for raw in paths:
        if raw == STDIN:
            files.append(STDIN)
            continue
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in EXTENSIONS
            )
            files.extend(str(p) for p in found)
        elif path.is_file():
            files.append(raw)
        elif path.exists():
            raise InputError(f"{raw}: not a regular file or folder")
        else:
            raise InputError(f"{raw}: no such file or folder")
    return files


def read_path(path: str) -> Iterator[Document]:
    """Documents of one file (or of stdin for ``-``), by its format."""
    if path == STDIN:
        data = sys.stdin.buffer.read()
        source = "<stdin>"
    else:
        try:
            data = Path(path).read_bytes()
        except OSError as err:
            raise InputError(f"{path}: cannot read: {err.strerror}") from err
        source = path
    text = decode(data, source)
    if path.lower().endswith(".jsonl") or (path == STDIN and text.lstrip().startswith("{")):
        yield from read_jsonl(text, source)
    else:
        yield from read_text(text, source, markdown=path.lower().endswith(".md"))


def decode(data: bytes, source: str) -> str:
    """UTF-8 text (a byte-order mark is dropped); undecodable bytes are an ``InputError``."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise InputError(
            f"{source}:{line}: not UTF-8 text (byte 0x{data[err.start]:02x} at offset {err.start})"
        ) from err


__all__ = ["EXTENSIONS", "decode", "expand_paths", "read_path", "read_paths"]
