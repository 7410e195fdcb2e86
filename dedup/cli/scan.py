"""``dedup scan``: the repeated paragraphs of a batch of files."""

from __future__ import annotations

from typing import Any

import click

from dedup.cli import main
from dedup.cli.options import report_options, scan_and_report, settings_options


@main.command("scan")
@click.argument("paths", nargs=-1, required=True)
@report_options()
@settings_options
def scan_command(
    paths: tuple[str, ...],
    fmt: str,
    output: str | None,
    fail_on: str,
    timings: bool,
    config_path: str | None,
    **settings: Any,
) -> None:
    """Report the paragraphs of PATHS (files, folders, - for stdin) that repeat one another.

    Folders are read at any depth (text, Markdown, JSON Lines, NITF,
    NewsML-G2, ninjs; gzipped too). The report goes to --output, or to
    standard output for text and json.
    """
    scan_and_report(paths, fmt, output, fail_on, timings, config_path, settings)
