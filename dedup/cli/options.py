"""What the commands share: option bundles, the settings they build, running and reporting.

A command is its own options plus bundles from here (``settings_options``,
``report_options``); ``build_config`` turns the settings file and flags into
a ``ScanConfig``; ``emit_report`` writes the report and sets the exit code
the same way for every command.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import click

from dedup.config import CHOICES, ScanConfig, find_config_file, load_settings, with_settings
from dedup.errors import ReportError, printable
from dedup.records import FAIL_POLICIES, Report

if TYPE_CHECKING:
    from dedup.sketch import Progress

#: Report formats every command that reports offers (``dedup.report.RENDERERS``).
FORMATS = ("text", "json", "html", "sarif", "github", "gitlab", "markdown", "junit")

Command = Callable[..., Any]


class Engine(Protocol):
    """What runs a scan other than the embedded engine (``dedup scan --engine``)."""

    def check(self, paths: Sequence[str], config: ScanConfig) -> None:
        """Refuse, before any work, inputs or settings this engine cannot take."""

    def scan(self, paths: Sequence[str], config: ScanConfig, progress: Progress | None) -> Report:
        """The report of ``paths``: the one the embedded engine gives."""


def settings_options(command: Command) -> Command:
    """``--config`` and one option per setting of ``ScanConfig``, named after it, with its
    help and default; the values reach the command in ``**settings``."""
    defaults = ScanConfig()
    for section in reversed(fields(ScanConfig)):
        for item in reversed(fields(getattr(defaults, section.name))):
            default = getattr(getattr(defaults, section.name), item.name)
            flag = item.name.replace("_", "-")
            shown = ",".join(default) or "none" if isinstance(default, tuple) else default
            help_text = f"{item.metadata['help']} [default: {str(shown).lower()}]"
            if isinstance(default, bool):
                option = click.option(
                    f"--{flag}/--no-{flag}", item.name, default=None, help=help_text
                )
            elif isinstance(default, tuple):
                # A list setting: the flag is repeated, and replaces the file's list.
                option = click.option(
                    f"--{flag}",
                    item.name,
                    multiple=True,
                    default=None,
                    metavar="GLOB",
                    help=help_text,
                )
            else:
                kind = click.Choice(CHOICES[item.name]) if item.name in CHOICES else type(default)
                option = click.option(
                    f"--{flag}", item.name, type=kind, default=None, help=help_text
                )
            command = option(command)
    return click.option(
        "--config",
        "config_path",
        type=click.Path(dir_okay=False, exists=True),
        help="Settings file (default: the nearest dedup.toml or [tool.dedup] of pyproject.toml).",
    )(command)


def report_options(
    *, formats: tuple[str, ...] = FORMATS, fail_on: str = "none"
) -> Callable[[Command], Command]:
    """``--format``, ``--output``, ``--fail-on`` and ``--timings``."""

    def decorate(command: Command) -> Command:
        for option in reversed(
            [
                click.option(
                    "--format",
                    "fmt",
                    type=click.Choice(formats),
                    default="text",
                    show_default=True,
                    help="Report format.",
                ),
                click.option(
                    "--output",
                    "-o",
                    type=click.Path(dir_okay=False),
                    help="Write the report to this file (atomically; '-' or absent: "
                    "standard output).",
                ),
                click.option(
                    "--fail-on",
                    type=click.Choice(FAIL_POLICIES),
                    default=fail_on,
                    show_default=True,
                    help="Exit 1 when clusters of this kind are found "
                    "('any': exact, near or partial).",
                ),
                click.option(
                    "--timings",
                    is_flag=True,
                    help="Put the wall time in the JSON report (it then varies run to run).",
                ),
            ]
        ):
            command = option(command)
        return command

    return decorate


def build_config(config_path: str | None, settings: dict[str, Any]) -> ScanConfig:
    """Defaults, then the settings file (explicit or found), then the flags given."""
    path = Path(config_path) if config_path else find_config_file(Path.cwd())
    config = ScanConfig()
    if path is not None:
        config = with_settings(config, load_settings(path))
    given = {k: v for k, v in settings.items() if v is not None and v != ()}
    return with_settings(config, given)


def progress_bar() -> Progress | None:
    """A progress bar on stderr, only when stderr is a terminal."""
    if not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    bars: dict[str, tqdm] = {}

    def update(stage: str, done: int, total: int) -> None:
        bar = bars.get(stage)
        if bar is None:
            bar = bars[stage] = tqdm(total=total, desc=stage, unit="para", leave=False)
        bar.update(done - bar.n)
        if done >= total:
            bar.close()

    return update


def check_report_target(fmt: str, output: str | None) -> None:
    """Refuse, before any work, a report that could not be shown or written (with the reason)."""
    if fmt == "html" and output is None:
        raise click.UsageError("--format html needs --output FILE")
    from dedup.report import check_target

    check_target(output)


def emit_report(report: Report, fmt: str, output: str | None, fail_on: str, timings: bool) -> None:
    """Name fallback encodings and skipped inputs, write the report, print a summary, and
    exit 1 on findings that ``fail_on`` names."""
    from dedup.cli import silence_stdout
    from dedup.report import STDOUT, write_report
    from dedup.report.text import summary

    for source in sorted({d.source for d in report.documents if d.encoding != "utf-8"}):
        encoding = next(d.encoding for d in report.documents if d.source == source)
        click.echo(f"dedup: {printable(source)}: not UTF-8, read as {encoding}", err=True)
    for skipped in report.skipped:
        click.echo(f"dedup: skipped: {printable(skipped.reason)}", err=True)
    if not timings:
        report = replace(report, seconds=None)
    try:
        write_report(report, fmt, output)
    except BrokenPipeError:
        # ``dedup check ... | head``: the reader went away, the findings are still findings.
        silence_stdout()
    except ReportError:
        if output in (None, STDOUT):
            # What is still buffered for stdout would fail again when Python exits.
            silence_stdout()
        raise
    if output not in (None, STDOUT):
        click.echo(f"{summary(report)}; report written to {printable(str(output))}", err=True)
    if report.has_findings(fail_on):
        sys.exit(1)


@dataclass(frozen=True, slots=True)
class ReportRequest:
    """What a command that reports was asked for: its inputs, settings and report.

    ``review`` sees the report before it is written (``check`` applies a baseline there).
    """

    paths: tuple[str, ...]
    fmt: str
    output: str | None
    fail_on: str
    timings: bool
    config_path: str | None
    settings: dict[str, Any]
    review: Callable[[Report], Report] | None = None

    def check_target(self) -> None:
        """Refuse, before any work, a report that could not be shown or written."""
        check_report_target(self.fmt, self.output)

    def emit(self, report: Report) -> None:
        """Review the report, write it, and exit as its findings and ``fail_on`` say."""
        if self.review is not None:
            report = self.review(report)
        emit_report(report, self.fmt, self.output, self.fail_on, self.timings)


def scan_and_report(request: ReportRequest, engine: Engine | None = None) -> None:
    """What ``scan`` and ``check`` share: settings, the paths checked, the engine, the report.

    ``engine`` runs the scan instead of the embedded engine.
    """
    request.check_target()
    config = build_config(request.config_path, request.settings)
    paths = list(request.paths)
    if engine is not None:
        engine.check(request.paths, config)
        report = engine.scan(paths, config, progress_bar())
    else:
        from dedup.readers import expand_paths

        # A missing path, or an unreadable or empty folder, fails before the slow imports below.
        expand_paths(paths, config.read)
        # Imported here: scikit-learn, SciPy and numba take a second to load,
        # which ``dedup --help`` and a usage error should not wait for.
        from dedup.pipeline import scan

        report = scan(paths, config, progress_bar())
    request.emit(report)
