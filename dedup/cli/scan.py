"""``dedup scan``: the repeated paragraphs of a batch of files."""

from __future__ import annotations

from typing import Any

import click

from dedup.cli import main
from dedup.cli.options import (
    build_config,
    check_report_target,
    emit_report,
    progress_bar,
    report_options,
    settings_options,
)
from dedup.readers import expand_paths


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

    Folders are read recursively (.txt, .md, .jsonl). The report goes to
    --output, or to standard output for text and json.
    """
    check_report_target(fmt, output)
    config = build_config(config_path, settings)
    expand_paths(list(paths))  # a missing path fails before the slow imports below
    # Imported here: scikit-learn, SciPy and numba take a second to load,
    # which ``dedup --help`` and a usage error should not wait for.
    from dedup.pipeline import scan

    report = scan(list(paths), config, progress_bar())
    emit_report(report, fmt, output, fail_on, timings)
