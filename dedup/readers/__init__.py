"""Readers: files, folders and standard input into ``Document`` records.

Each input format is one ``Format`` in ``FORMATS``: its name, the file name
endings it claims, a test on the text that recognises it, and the function
that reads it. A file is read by the format its ending names, else by the
first format that recognises its text, else as plain text. Which files of a
folder are read is ``dedup.readers.files``'s matter.
"""

from __future__ import annotations

import codecs
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from dedup.config import ReadConfig
from dedup.errors import InputError
from dedup.readers.files import folder_files
from dedup.readers.html import read_html, recognise_html
from dedup.readers.jsonl import read_jsonl
from dedup.readers.markdown import read_markdown
from dedup.readers.rst import read_rst
from dedup.readers.text import read_text
from dedup.records import Document

STDIN = "-"


@dataclass(frozen=True, slots=True)
class Format:
    """An input format: ``read(text, source)`` yields the documents of one decoded file;
    a format with ``takes_settings`` is read as ``read(text, source, read_config)``."""

    name: str
    extensions: tuple[str, ...]
    recognise: Callable[[str], bool]
    read: Callable[..., Iterator[Document]]
    takes_settings: bool = False

    def documents(self, text: str, source: str, config: ReadConfig) -> Iterator[Document]:
        """The documents of one decoded file in this format."""
        arguments: tuple[Any, ...] = (
            (text, source, config) if self.takes_settings else (text, source)
        )
        return self.read(*arguments)


def _never(text: str) -> bool:
    return False


def _json_lines(text: str) -> bool:
    return text.lstrip().startswith("{")


#: The formats, in the order they are tried on a file whose ending names none.
FORMATS: tuple[Format, ...] = (
    Format("jsonl", (".jsonl",), _json_lines, read_jsonl),
    Format("html", (".html", ".htm", ".xhtml"), recognise_html, read_html, takes_settings=True),
    Format("markdown", (".md", ".markdown"), _never, read_markdown, takes_settings=True),
    Format("rst", (".rst", ".rest"), _never, read_rst, takes_settings=True),
    Format("text", (".txt",), _never, read_text),
)
#: File name endings read when a folder is scanned.
EXTENSIONS = tuple(ending for format_ in FORMATS for ending in format_.extensions)


def format_of(path: str, text: str) -> Format:
    """The format to read ``path`` with: by its ending, else by its text, else plain text."""
    lowered = path.lower()
    for format_ in FORMATS:
        if lowered.endswith(format_.extensions):
            return format_
    return next((f for f in FORMATS if f.recognise(text)), FORMATS[-1])


def read_paths(paths: Sequence[str], config: ReadConfig | None = None) -> Iterator[Document]:
    """Read every document under ``paths`` (files, folders recursively, ``-`` for stdin)."""
    config = config or ReadConfig()
    seen: set[str] = set()
    for path in expand_paths(paths, config):
        for document in read_path(path, config):
            if document.id in seen:
                raise InputError(f"{document.source}: document id {document.id!r} appears twice")
            seen.add(document.id)
            yield document


def expand_paths(paths: Sequence[str], config: ReadConfig | None = None) -> list[str]:
    """Files to read, in a stable order: files as named, folders walked recursively and
    sorted (``dedup.readers.files``)."""
    config = config or ReadConfig()
    files: list[str] = []
    for raw in paths:
        if raw == STDIN:
            files.append(STDIN)
            continue
        path = Path(raw)
        if path.is_dir():
            files.extend(str(p) for p in folder_files(path, EXTENSIONS, config))
        elif path.is_file():
            files.append(raw)
        elif path.exists():
            raise InputError(f"{raw}: not a regular file or folder")
        else:
            raise InputError(f"{raw}: no such file or folder")
    return files


def read_path(path: str, config: ReadConfig | None = None) -> Iterator[Document]:
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
    config = config or ReadConfig()
    text, encoding = decode(data, source, config.encoding.split(","))
    for document in format_of(path, text).documents(text, source, config):
        yield replace(document, encoding=encoding) if encoding != "utf-8" else document


def decode(data: bytes, source: str, encodings: Sequence[str] = ("utf-8",)) -> tuple[str, str]:
    """``(text, encoding)``: the first of ``encodings`` that decodes ``data`` whole.

    A UTF-8 byte-order mark is dropped. When none fits, an ``InputError``
    names the first undecodable byte for the first encoding.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as err:
            raise InputError(
                f"{source}: not valid UTF-16 text (it starts with a UTF-16 mark)"
            ) from err
    if b"\x00" in data:
        # Text in any 8-bit encoding has no NUL byte: this is binary, or UTF-16
        # without its byte-order mark, and decoding it as Windows-1252 would be a guess.
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise InputError(f"{source}:{line}: not text (a NUL byte; UTF-16 needs a byte-order mark)")
    first_error: UnicodeDecodeError | None = None
    for encoding in encodings:
        codec = "utf-8-sig" if codecs.lookup(encoding).name == "utf-8" else encoding
        try:
            return data.decode(codec), encoding
        except UnicodeDecodeError as err:
            first_error = first_error or err
    if first_error is None:  # no encoding was given at all
        raise InputError(f"{source}: no encoding to read it with")
    start = first_error.start
    line = data.count(b"\n", 0, start) + 1
    raise InputError(
        f"{source}:{line}: not {encodings[0]} text (byte 0x{data[start]:02x} at offset {start})"
        + (f"; also tried {', '.join(encodings[1:])}" if len(encodings) > 1 else "")
    ) from first_error


__all__ = [
    "EXTENSIONS",
    "FORMATS",
    "Format",
    "decode",
    "expand_paths",
    "format_of",
    "read_path",
    "read_paths",
]
