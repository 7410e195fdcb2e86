"""``dedup check``: a check for CI and hooks; exit 1 when paragraphs repeat."""

from __future__ import annotations

from typing import Any

import click

from dedup.cli import main
from dedup.cli.index import check_index_options, check_with_index
from dedup.cli.options import report_options, scan_and_report, settings_options


@main.command("check")
@click.argument("paths", nargs=-1, required=True)
@report_options(fail_on="any")
@check_index_options
@settings_options
def check_command(
    paths: tuple[str, ...],
    fmt: str,
    output: str | None,
    fail_on: str,
    timings: bool,
    index: str | None,
    add: bool,
    copies: int,
    config_path: str | None,
    **settings: Any,
) -> None:
    """Check PATHS (files, folders, - for stdin) for repeated paragraphs: exit 1 when some
    paragraph repeats another (see --fail-on), 0 when none does, 2 on errors.

    With --index, PATHS are checked against the indexed dispatches too.
    """
    if index is not None or add:
        check_with_index(
            index, add, copies, paths, fmt, output, fail_on, timings, config_path, settings
        )
        return
    scan_and_report(paths, fmt, output, fail_on, timings, config_path, settings)
