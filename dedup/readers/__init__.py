"""Readers: files, folders and standard input into ``Document`` records.

Each input format is one ``Format`` in ``FORMATS``: its name, the file name
endings it claims, a test on the text that recognises it, and the function
that reads it. Where the ending leaves a choice (``.xml`` is NITF or
NewsML-G2), or names no format (stdin, a file without a known ending), the
text decides; gzip is recognised by its bytes. Readers never print: what
they do not read goes to a ``Note`` callback, and the report lists it.
Which files of a folder are read is ``dedup.readers.files``'s matter.
"""

from __future__ import annotations

import codecs
import gzip
import os
import re
import stat
import sys
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

from dedup.config import ReadConfig, is_text_encoding
from dedup.errors import InputError
from dedup.readers.files import folder_files
from dedup.readers.folders import Note
from dedup.readers.html import read_html, recognise_html
from dedup.readers.jsonl import (
    read_json_lines,
    read_jsonl,
    recognise_json,
    recognise_ninjs,
    recognise_records,
)
from dedup.readers.markdown import read_markdown
from dedup.readers.newsml import read_newsml, recognise_newsml
from dedup.readers.nitf import read_nitf, recognise_nitf
from dedup.readers.rst import read_rst
from dedup.readers.text import read_text
from dedup.records import Document, Skipped

STDIN = "-"
#: The source name of standard input in documents and messages.
STDIN_SOURCE = "<stdin>"
#: The ending of gzip-compressed files, read as the format of the name before it.
GZIP = ".gz"
_GZIP_MAGIC = b"\x1f\x8b"
# An XML declaration naming its encoding: the document's own word, not a guess.
_XML_ENCODING = re.compile(
    rb"\A(?:\xef\xbb\xbf)?\s*<\?xml\s[^>]*?\bencoding\s*=\s*[\"']([A-Za-z][\w.:-]*)[\"']"
)


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


#: The formats. A file is read by the first of the formats its ending names
#: that recognises its text (for a name without a known ending, or stdin, the
#: first of all that does); else by the first its ending names; else as text.
FORMATS: tuple[Format, ...] = (
    Format("nitf", (".nitf", ".xml"), recognise_nitf, read_nitf),
    Format("newsml", (".xml",), recognise_newsml, read_newsml),
    Format("ninjs", (".ninjs",), recognise_ninjs, read_jsonl),
    Format("jsonl", (".jsonl", ".ndjson", ".json"), recognise_json, read_jsonl),
    Format("html", (".html", ".htm", ".xhtml"), recognise_html, read_html, takes_settings=True),
    Format("markdown", (".md", ".markdown"), _never, read_markdown, takes_settings=True),
    Format("rst", (".rst", ".rest"), _never, read_rst, takes_settings=True),
    Format("text", (".txt",), _never, read_text),
)
#: File name endings read when a folder is scanned (each also gzipped: ``.xml.gz``).
EXTENSIONS = tuple(dict.fromkeys(ending for format_ in FORMATS for ending in format_.extensions))


def format_of(path: str, text: str) -> Format:
    """The format to read ``path`` with (see ``FORMATS``); a ``.gz`` ending is looked through."""
    name = _without_gzip(path.lower())
    claimers = [f for f in FORMATS if name.endswith(f.extensions)]
    recognised = (f for f in (claimers or FORMATS) if f.recognise(text))
    fallback = claimers[0] if claimers else next(f for f in FORMATS if f.name == "text")
    return next(recognised, fallback)


def is_input_name(name: str) -> bool:
    """Whether a folder scan reads a file of this name: a format's ending, gzipped or not."""
    return _without_gzip(name.lower()).endswith(EXTENSIONS)


def _without_gzip(name: str) -> str:
    return name[: -len(GZIP)] if name.endswith(GZIP) else name


def _ignore(skipped: Skipped) -> None:
    """A ``Note`` that keeps nothing: for a look at the paths before the scan."""


def read_paths(
    paths: Sequence[str], config: ReadConfig | None = None, note: Note | None = None
) -> Iterator[Document]:
    """Read every document under ``paths`` (files, folders recursively, ``-`` for stdin).

    A file that cannot be read is an ``InputError``; with ``config.skip_bad``
    it is passed to ``note`` instead, whole (none of its documents is read),
    and the reading goes on.
    """
    config = config or ReadConfig()
    note = note or _ignore
    seen: set[str] = set()
    named = set(paths)
    for path in expand_paths(paths, config, note):
        try:
            documents = list(read_path(path, config, in_folder=path not in named))
            ids: set[str] = set()
            for document in documents:
                if document.id in seen or document.id in ids:
                    raise InputError(
                        f"{document.source}: document id {document.id!r} appears twice"
                    )
                ids.add(document.id)
        except InputError as err:
            if not config.skip_bad:
                raise
            note(Skipped(STDIN_SOURCE if path == STDIN else path, str(err)))
            continue
        seen |= ids
        yield from documents


def expand_paths(
    paths: Sequence[str], config: ReadConfig | None = None, note: Note | None = None
) -> list[str]:
    """Files to read, in a stable order: folders walked at any depth and sorted.

    A missing path is an ``InputError``. A folder with no file to read, a
    subfolder that cannot be read or a path that is neither file nor folder
    is one too, or, with ``config.skip_bad``, passed to ``note``.
    """
    config = config or ReadConfig()
    note = note or _ignore
    files: list[str] = []
    for raw in paths:
        if raw == STDIN:
            files.append(STDIN)
            continue
        try:
            mode = os.stat(raw).st_mode
        except FileNotFoundError as err:
            raise InputError(f"{raw}: no such file or folder") from err
        except OSError as err:
            _bad(f"{raw}: cannot read: {err.strerror or err}", raw, config, note)
            continue
        if stat.S_ISDIR(mode):
            found = folder_files(raw, is_input_name, config, note)
            if not found:
                endings = ", ".join(EXTENSIONS)
                message = f"{raw}: no file to read in this folder ({endings}, or gzipped)"
                _bad(message, raw, config, note)
            files.extend(found)
        elif stat.S_ISREG(mode):
            files.append(raw)
        else:
            _bad(f"{raw}: not a regular file or folder", raw, config, note)
    return files


def _bad(message: str, path: str, config: ReadConfig, note: Note) -> None:
    """An input that cannot be read: an error, or a note when bad inputs are skipped."""
    if not config.skip_bad:
        raise InputError(message)
    note(Skipped(path, message))


def read_path(
    path: str, config: ReadConfig | None = None, *, in_folder: bool = False
) -> Iterator[Document]:
    """Documents of one file (or of stdin for ``-``), by its format; gzip is undone first.

    ``in_folder``: the file was found in a folder, not named: one with an
    ending many files share (``GENERIC_ENDINGS``) is read only when its
    content is a format dedup reads, and gives no document otherwise.
    """
    if path == STDIN:
        data, source = sys.stdin.buffer.read(), STDIN_SOURCE
    else:
        streamed = _json_lines_stream(path)
        if streamed is not None:
            return streamed
        data, source = _read_bytes(path), path
    return read_data(data, path, source, config, in_folder=in_folder)


# A JSON Lines file at least this large is read a line at a time: its text,
# its lines and its documents are then never all in memory at once.
_STREAMED_BYTES = 16 << 20
_CHUNK_BYTES = 1 << 20


def _json_lines_stream(path: str) -> Iterator[Document] | None:
    """The documents of a large JSON Lines file read line by line, or None where the file is
    to be read whole (small, compressed, not UTF-8 throughout, not one record per line)."""
    if not _without_gzip(path.lower()).endswith((".jsonl", ".ndjson")) or path.endswith(GZIP):
        return None
    try:
        status = os.stat(path)
        if not stat.S_ISREG(status.st_mode) or status.st_size < _STREAMED_BYTES:
            return None
        with open(path, "rb") as handle:
            # One pass to make sure the whole file is UTF-8 text: only then can
            # its lines be read as they come (the other cases have their own
            # messages and fallbacks, in the whole-file path).
            checker = codecs.getincrementaldecoder("utf-8")()
            first = handle.read(_CHUNK_BYTES)
            if first.startswith((b"\xff\xfe", b"\xfe\xff", _GZIP_MAGIC)):
                return None
            chunk = first
            while chunk:
                if b"\x00" in chunk:
                    return None
                checker.decode(chunk)
                chunk = handle.read(_CHUNK_BYTES)
            checker.decode(b"", final=True)
    except (OSError, UnicodeDecodeError):
        return None
    opening = first.removeprefix(b"\xef\xbb\xbf").lstrip()
    if not opening.startswith(b"{") or opening.split(b"\n", 1)[0].strip() == b"{":
        return None  # an indented JSON document, or no records at all
    return read_json_lines(_lines(path), path)


def _lines(path: str) -> Iterator[str]:
    """The lines of a UTF-8 file, cut at "\\n" only (JSON strings may hold other separators)."""
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle):
            line = raw.decode("utf-8")
            yield line.removeprefix("\ufeff") if number == 0 else line


_HTML_ENDINGS = (".html", ".htm")
#: Endings that configuration, build files and reports share with wire copy
#: (``package.json``, ``pom.xml``, a JSON report): in a folder, such a file is
#: read only when its content is NITF, NewsML-G2, ninjs or dedup's own records.
GENERIC_ENDINGS = {".xml": (recognise_nitf, recognise_newsml), ".json": (recognise_records,)}


def read_data(
    data: bytes,
    path: str,
    source: str,
    config: ReadConfig | None = None,
    *,
    in_folder: bool = False,
) -> Iterator[Document]:
    """Documents of the bytes of a file named ``path`` (``-`` for stdin), named ``source``."""
    config = config or ReadConfig()
    if data.startswith(_GZIP_MAGIC):
        data = _gunzip(data, source)
    encodings = config.encoding.split(",")
    ending = os.path.splitext(_without_gzip(path.lower()))[1]
    # An XML declaration names the encoding of XML; HTML ignores it (its own
    # reader finds a meta charset).
    declared = [] if ending in _HTML_ENDINGS else _declared_encoding(data)
    text, encoding = decode(data, source, declared + encodings)
    recognisers = GENERIC_ENDINGS.get(ending, ()) if in_folder else ()
    if recognisers and not any(recognise(text) for recognise in recognisers):
        return
    for document in format_of(path, text).documents(text, source, config):
        yield replace(document, encoding=encoding) if encoding != "utf-8" else document


def _read_bytes(path: str) -> bytes:
    """The bytes of a regular file; anything else (a FIFO that would block, a device) is refused."""
    try:
        # Non-blocking: opening a FIFO found in a folder must not wait for a writer.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as err:
        raise InputError(f"{path}: cannot read: {err.strerror or err}") from err
    with os.fdopen(descriptor, "rb") as handle:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise InputError(f"{path}: not a regular file")
        try:
            return handle.read()
        except OSError as err:
            raise InputError(f"{path}: cannot read: {err.strerror or err}") from err


def _gunzip(data: bytes, source: str) -> bytes:
    try:
        return gzip.decompress(data)
    except (OSError, EOFError, zlib.error) as err:
        raise InputError(f"{source}: not a valid gzip file: {err}") from err


def _declared_encoding(data: bytes) -> list[str]:
    """The encoding an XML declaration names, when it is a text encoding other than UTF-8/16."""
    found = _XML_ENCODING.match(data[:1024])
    if found is None or data.isascii():  # ASCII reads the same in any of them, and as UTF-8
        return []
    name = found.group(1).decode("ascii")
    if not is_text_encoding(name) or codecs.lookup(name).name.startswith("utf-"):
        return []
    return [name]


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
    "STDIN",
    "STDIN_SOURCE",
    "Format",
    "Note",
    "decode",
    "expand_paths",
    "format_of",
    "is_input_name",
    "read_data",
    "read_path",
    "read_paths",
]
