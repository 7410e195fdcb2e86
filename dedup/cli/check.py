"""``dedup check``: a check for CI and hooks; exit 1 when paragraphs repeat."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from dedup.cli import main
from dedup.cli.index import check_index_options, check_with_index
from dedup.cli.options import (
    Command,
    ReportRequest,
    report_options,
    scan_and_report,
    settings_options,
)
from dedup.records import Report


def baseline_options(command: Command) -> Command:
    """``--baseline FILE`` and ``--update-baseline``."""
    command = click.option(
        "--update-baseline",
        is_flag=True,
        help="Write the repeats found into the --baseline file (accepting them all).",
    )(command)
    return click.option(
        "--baseline",
        "baseline_path",
        type=click.Path(dir_okay=False),
        help="Repeats accepted so far (a file written by --update-baseline): only new "
        "ones are reported, and --fail-on defaults to 'new'.",
    )(command)


def baseline_review(path: str | None, update: bool) -> Callable[[Report], Report] | None:
    """What ``check`` does to the report with a baseline: read it (before the scan, so that a
    bad file fails fast) or write it, then mark the copies it accepts."""
    if update and path is None:
        raise click.UsageError("--update-baseline needs --baseline FILE")
    if path is None:
        return None
    from dedup.baseline import accept_known, read_baseline, write_baseline

    known = None if update else read_baseline(path)

    def review(report: Report) -> Report:
        baseline = write_baseline(report, path) if known is None else known
        if known is None:
            click.echo(f"dedup: {path}: {len(baseline.keys)} repeated copies accepted", err=True)
        return accept_known(report, baseline)

    return review


def fail_policy(fail_on: str, baseline_path: str | None) -> str:
    """``--fail-on`` as given, else ``new`` with a baseline and ``any`` without."""
    source = click.get_current_context().get_parameter_source("fail_on")
    if baseline_path is not None and source is click.core.ParameterSource.DEFAULT:
        return "new"
    return fail_on


@main.command("check")
@click.argument("paths", nargs=-1, required=True)
@report_options(fail_on="any")
@baseline_options
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
    baseline_path: str | None,
    update_baseline: bool,
    **settings: Any,
) -> None:
    """Check PATHS (files, folders, - for stdin) for repeated paragraphs: exit 1 when some
    paragraph repeats another (see --fail-on), 0 when none does, 2 on errors.

    Folders are read recursively (.md, .rst, .html, .txt, .jsonl and the wire
    formats), less what .gitignore and --exclude leave out. With --index, PATHS are
    checked against the indexed dispatches too.
    """
    request = ReportRequest(
        paths,
        fmt,
        output,
        fail_policy(fail_on, baseline_path),
        timings,
        config_path,
        settings,
        baseline_review(baseline_path, update_baseline),
    )
    if index is not None or add:
        check_with_index(request, index, add, copies)
    else:
        scan_and_report(request)
