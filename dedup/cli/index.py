"""``dedup index add|remove|stats``, and ``dedup check --index``: a persistent index of the
dispatches received, and incoming copy checked against it."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, replace
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from dedup.cli import main
from dedup.cli.options import (
    Command,
    ReportRequest,
    build_config,
    progress_bar,
    settings_options,
)
from dedup.config import INDEX_COPIES, ScanConfig, find_config_file, load_settings
from dedup.records import Skipped

if TYPE_CHECKING:
    from dedup.records import Document
    from dedup.store import Store

INDEX_HELP = (
    "a file (SQLite; 'dedup index add' creates it) or redis://host:port/db "
    "(?prefix=NAME for another key prefix than 'dedup')"
)


def index_option(command: Command) -> Command:
    """``--index PATH_OR_URL``, required."""
    return click.option(
        "--index",
        "location",
        required=True,
        metavar="PATH_OR_URL",
        help=f"The index: {INDEX_HELP}.",
    )(command)


def copies_option(command: Command) -> Command:
    """``--copies N``: how many indexed copies of one text a report lists."""
    return click.option(
        "--copies",
        type=click.IntRange(min=0),
        default=INDEX_COPIES,
        show_default=True,
        help="Indexed copies of one text listed, the earliest first (the others are counted "
        "as 'unlisted'); 0: all.",
    )(command)


def check_index_options(command: Command) -> Command:
    """``--index``, ``--add`` and ``--copies`` for ``dedup check``."""
    command = copies_option(command)
    command = click.option(
        "--add",
        is_flag=True,
        help="Add the checked documents to the index afterwards (same transaction).",
    )(command)
    return click.option(
        "--index",
        "index",
        metavar="PATH_OR_URL",
        default=None,
        help=f"Check against an index too: {INDEX_HELP}.",
    )(command)


_DURATION_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


class Duration(click.ParamType):
    """A duration such as ``30d``, ``12h``, ``90m``, ``45s`` or ``2w``."""

    name = "duration"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        """The ``timedelta`` that ``value`` names."""
        if isinstance(value, timedelta):
            return value
        found = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*", str(value))
        if found is None:
            self.fail(f"{value!r} is not a duration such as 30d, 12h, 90m, 45s or 2w", param, ctx)
        return timedelta(**{_DURATION_UNITS[found[2]]: float(found[1])})


def settings_given(
    config_path: str | None, settings: dict[str, Any]
) -> tuple[ScanConfig, set[str]]:
    """The settings, and the names of those the user gave (settings file or flags): an
    index's own parameters stand for the others."""
    config = build_config(config_path, settings)
    path = Path(config_path) if config_path else find_config_file(Path.cwd())
    given = set(load_settings(path)) if path is not None else set()
    return config, given | {name for name, value in settings.items() if value is not None}


@contextmanager
def opened(
    location: str, config: ScanConfig, given: set[str], *, create: bool = False
) -> Iterator[tuple[Store, ScanConfig]]:
    """The index at ``location``, and ``config`` with the index's parameters."""
    from dedup.store import adopt_parameters, open_store

    store = open_store(location, create=create)
    try:
        stored = store.parameters()
        if stored is not None:
            config = adopt_parameters(config, stored, given, location)
        yield store, config
    finally:
        store.close()


def _read(paths: tuple[str, ...], config: ScanConfig) -> Iterator[Document]:
    """The documents of ``paths``, one by one; a source read with a fallback encoding is
    named on stderr when it is met."""
    from dedup.readers import read_paths

    named: set[str] = set()
    for document in read_paths(list(paths), config.read):
        if document.encoding != "utf-8" and document.source not in named:
            named.add(document.source)
            click.echo(
                f"dedup: {document.source}: not UTF-8, read as {document.encoding}", err=True
            )
        yield document


def check_with_index(request: ReportRequest, location: str | None, add: bool, copies: int) -> None:
    """``dedup check --index``: the report of the request's paths against the index (and
    ``--add``)."""
    if location is None:
        raise click.UsageError("--add needs --index PATH_OR_URL")
    request.check_target()
    paths = request.paths
    config, given = settings_given(request.config_path, request.settings)
    from dedup.readers import expand_paths, read_paths

    expand_paths(list(paths), config.read)  # a missing path fails before the slow imports
    with opened(location, config, given, create=add) as (store, config):
        from dedup.incoming import check_and_add, check_documents

        # The report names the sources read with a fallback encoding (``emit_report``).
        skipped: list[Skipped] = []
        documents = list(read_paths(list(paths), config.read, skipped.append))
        listed = copies or None
        if add:
            report = check_and_add(documents, store, config, listed)
        else:
            report = store.snapshot(lambda: check_documents(documents, store, config, listed))
    request.emit(
        replace(report, skipped=tuple(sorted(skipped, key=lambda s: (s.source, s.reason))))
    )


@main.group("index")
def index_group() -> None:
    """Keep an index of the dispatches received, to check incoming copy against
    ('dedup check --index', 'dedup watch')."""


@index_group.command("add")
@index_option
@click.argument("paths", nargs=-1, required=True)
@settings_options
def add_command(
    location: str, paths: tuple[str, ...], config_path: str | None, **settings: Any
) -> None:
    """Add the documents of PATHS (files, folders, - for stdin) to the index.

    A document already indexed under the same id is replaced when it changed, and left
    alone when it did not. A new index keeps the settings it is built with.
    """
    config, given = settings_given(config_path, settings)
    from dedup.readers import expand_paths

    expand_paths(list(paths))
    with opened(location, config, given, create=True) as (store, config):
        from dedup.incoming import index_documents

        tally = index_documents(_read(paths, config), store, config, progress=progress_bar())
        stats = store.stats()
    click.echo(
        f"{location}: {tally.added} documents added, {tally.replaced} replaced, "
        f"{tally.unchanged} unchanged; {stats.documents} documents, "
        f"{stats.paragraphs} paragraphs indexed"
    )


@index_group.command("remove")
@index_option
@click.option("--doc", "doc_ids", multiple=True, metavar="ID", help="A document id (repeatable).")
@click.option(
    "--older-than",
    type=Duration(),
    metavar="DURATION",
    help="Documents dated (or, undated, added) longer ago than this: 30d, 12h, 2w, ...",
)
def remove_command(location: str, doc_ids: tuple[str, ...], older_than: timedelta | None) -> None:
    """Remove documents from the index, by id or by age (a rolling window)."""
    if not doc_ids and older_than is None:
        raise click.UsageError("give --doc ID or --older-than DURATION")
    with opened(location, ScanConfig(), set()) as (store, config):
        from dedup.incoming import remove_documents

        ids = list(doc_ids)
        if older_than is not None:
            ids += store.dated_before(time.time() - older_than.total_seconds())
        missing = sorted(set(doc_ids) - set(store.digests(doc_ids)))
        tally = remove_documents(ids, store, config)
        left = store.stats().documents
    for doc_id in missing:
        click.echo(f"dedup: {location}: no document {doc_id!r} in the index", err=True)
    click.echo(f"{location}: {tally.removed} documents removed; {left} documents indexed")


@index_group.command("stats")
@index_option
@click.option(
    "--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True
)
def stats_command(location: str, fmt: str) -> None:
    """What the index holds: documents, paragraphs, units, band keys, its size, its settings."""
    import json

    from dedup.store import open_store

    store = open_store(location)
    try:
        stats = store.stats()
    finally:
        store.close()
    if fmt == "json":
        click.echo(json.dumps(asdict(stats), indent=2, sort_keys=True))
        return
    settings = ", ".join(f"{name}={value}" for name, value in sorted(stats.parameters.items()))
    click.echo(
        "\n".join(
            [
                f"index: {stats.location}",
                f"schema version: {stats.schema_version}",
                f"documents: {stats.documents}",
                f"paragraphs: {stats.paragraphs}",
                f"units: {stats.units} distinct texts, {stats.sketched_units} sketched",
                f"band keys: {stats.paragraph_band_rows} paragraph rows, "
                f"{stats.sentence_band_rows} sentence rows, {stats.run_rows} run fingerprints",
                f"shingles weighted: {stats.shingles}",
                f"size: {stats.size_bytes} bytes ({stats.size_of})",
                f"settings: {settings or '(none yet)'}",
            ]
        )
    )
