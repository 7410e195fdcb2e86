"""``dedup watch``: check the files dropped into a folder against an index as they arrive."""

from __future__ import annotations

import signal
import time
from dataclasses import replace
from pathlib import Path
from types import FrameType
from typing import Any

import click

from dedup.cli import main
from dedup.cli.index import copies_option, index_option, opened, settings_given
from dedup.cli.options import settings_options
from dedup.errors import DedupError, StoreError

#: Seconds between two looks at the folder.
POLL_SECONDS = 0.1
#: Seconds to wait after the index could not be reached before trying again.
RETRY_SECONDS = 5.0
_ENDINGS = {"text": "txt", "json": "json", "html": "html"}


class _Stop:
    """Set by SIGINT or SIGTERM: the file in hand is finished, then the watch ends."""

    requested = False

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        self.requested = True


@main.command("watch")
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@index_option
@click.option(
    "--reports",
    type=click.Path(file_okay=False),
    default=None,
    help="Folder for the report of each file (default: FOLDER/reports).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(tuple(_ENDINGS)),
    default="json",
    show_default=True,
    help="Report format.",
)
@click.option(
    "--settle",
    type=click.FloatRange(0.0, 3600.0),
    default=0.3,
    show_default=True,
    help="Seconds a file must stay unchanged before it is taken (it is still being written).",
)
@copies_option
@click.option(
    "--add/--no-add",
    default=True,
    show_default=True,
    help="Add each checked file to the index (in the same transaction as its check).",
)
@settings_options
def watch_command(
    folder: str,
    location: str,
    reports: str | None,
    fmt: str,
    settle: float,
    copies: int,
    add: bool,
    config_path: str | None,
    **settings: Any,
) -> None:
    """Check each file dropped into FOLDER against the index, once it is completely written:
    a report per file in --reports, the file then moved to FOLDER/done/ (or, when it cannot
    be read, named on stderr and moved to FOLDER/failed/). Runs until Ctrl-C or SIGTERM,
    finishing the file in hand.
    """
    config, given = settings_given(config_path, settings)
    report_folder = Path(reports) if reports is not None else Path(folder) / "reports"
    stop = _Stop()
    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    with opened(location, config, given, create=add) as (store, config):
        from dedup.hotfolder import DONE, FAILED, HotFolder
        from dedup.incoming import check_and_add, check_documents
        from dedup.readers import read_path
        from dedup.records import Document, Paragraph
        from dedup.report import write_report
        from dedup.report.text import summary

        def check(documents: list[Document]) -> Any:
            if add:
                return check_and_add(documents, store, config, copies or None)
            return store.snapshot(lambda: check_documents(documents, store, config, copies or None))

        # A first check loads the compiled loops and libraries, so that the first file
        # dropped is reported as fast as the others.
        warm = Paragraph("warm-up", 0, "warm-up", 1, "A paragraph to warm up with, never kept.")
        warm_up = [Document("warm-up", "warm-up", None, (warm,))]
        store.snapshot(lambda: check_documents(warm_up, store, config))
        hot = HotFolder(Path(folder), settle)
        click.echo(f"dedup: watching {folder} (Ctrl-C to stop)", err=True)
        while not stop.requested:
            for path in hot.ready():
                if stop.requested:
                    break
                try:
                    report = check(list(read_path(str(path), config.read)))
                except StoreError as err:
                    # The index, not the file, is at fault: the file stays for another try.
                    click.echo(f"dedup: {err}; trying again in {RETRY_SECONDS:g} s", err=True)
                    time.sleep(RETRY_SECONDS)
                    continue
                except DedupError as err:
                    moved = hot.move(path, FAILED)
                    click.echo(f"dedup: {err} (moved to {moved})", err=True)
                    continue
                except Exception as err:  # a bug: this file is set aside, the watch goes on
                    moved = hot.move(path, FAILED)
                    click.echo(
                        f"dedup: {path}: internal error: {type(err).__name__}: {err} "
                        f"(moved to {moved})",
                        err=True,
                    )
                    continue
                target = report_folder / f"{path.name}.{_ENDINGS[fmt]}"
                write_report(replace(report, seconds=None), fmt, str(target))
                hot.move(path, DONE)
                click.echo(f"{path}: {summary(report)}; report written to {target}")
            time.sleep(POLL_SECONDS)
    click.echo("dedup: watch stopped", err=True)
