"""The command line: parse options, build the config, call the library, map errors to exit codes.

Exit codes: 0 clean (or findings not asked to fail on), 1 findings the user
asked to fail on, 2 usage, configuration or input error.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from dedup import __version__
from dedup.config import (
    CHOICES,
    SETTINGS,
    ScanConfig,
    find_config_file,
    load_settings,
    with_settings,
)
from dedup.errors import DedupError
from dedup.readers import expand_paths
from dedup.records import Report
from dedup.report import RENDERERS, render, write_report
from dedup.report.text import summary

if TYPE_CHECKING:
    from dedup.pipeline import Progress

#: Kinds that ``--fail-on any`` fails on: content repeats, not boilerplate or figure variants.
CONTENT_KINDS = ("exact", "near", "partial")
FAIL_CHOICES = ("none", "any", "exact", "near", "partial", "figures", "boilerplate")


class DedupClickError(click.ClickException):
    """A library error shown as one line, exit code 2."""

    exit_code = 2


def _setting_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """One option per setting of ``ScanConfig``, named after it, with its help and default."""
    defaults = ScanConfig()
    for section in reversed(fields(ScanConfig)):
        for item in reversed(fields(getattr(defaults, section.name))):
            default = getattr(getattr(defaults, section.name), item.name)
            flag = item.name.replace("_", "-")
            help_text = f"{item.metadata['help']} [default: {str(default).lower()}]"
            if isinstance(default, bool):
                option = click.option(
                    f"--{flag}/--no-{flag}", item.name, default=None, help=help_text
                )
            else:
                kind = click.Choice(CHOICES[item.name]) if item.name in CHOICES else type(default)
                option = click.option(
                    f"--{flag}", item.name, type=kind, default=None, help=help_text
                )
            command = option(command)
    return command


def build_config(config_path: str | None, flags: dict[str, Any]) -> ScanConfig:
    """Defaults, then the settings file (explicit or found), then the flags given."""
    path = Path(config_path) if config_path else find_config_file(Path.cwd())
    config = ScanConfig()
    if path is not None:
        config = with_settings(config, load_settings(path))
    return with_settings(config, {k: v for k, v in flags.items() if v is not None})


def _progress_bar() -> Progress | None:
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


def failing(report: Report, fail_on: str) -> bool:
    """Whether the report holds a finding of a kind the user asked to fail on."""
    if fail_on == "none":
        return False
    kinds = CONTENT_KINDS if fail_on == "any" else (fail_on,)
    return any(cluster.kind in kinds for cluster in report.clusters)


class _OneLineErrors(click.Group):
    """Usage errors as one line on stderr (``dedup: ...``), never a usage dump or traceback."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False
        try:
            code = super().main(*args, **kwargs)
        except click.ClickException as err:
            hint = ""
            if isinstance(err, click.UsageError) and err.ctx is not None:
                hint = f" (see '{err.ctx.command_path} --help')"
            click.echo(f"dedup: {err.format_message()}{hint}", err=True)
            sys.exit(err.exit_code)
        except (click.Abort, KeyboardInterrupt):
            click.echo("dedup: interrupted", err=True)
            sys.exit(130)
        except BrokenPipeError:
            # The reader of our output went away (``dedup scan ... | head``): not an error.
            sys.stderr.close()
            sys.exit(0)
        sys.exit(code if isinstance(code, int) else 0)


@click.group(cls=_OneLineErrors, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dedup")
def main() -> None:
    """Find repeated and near-repeated paragraphs in news wire copy."""


@main.command("scan")
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(RENDERERS)),
    default="text",
    show_default=True,
    help="Report format.",
)
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the report here.")
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_CHOICES),
    default="none",
    show_default=True,
    help="Exit 1 when clusters of this kind are found ('any': exact, near or partial).",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, exists=True),
    help="Settings file (default: the nearest dedup.toml or [tool.dedup] of pyproject.toml).",
)
@click.option(
    "--timings", is_flag=True, help="Put the wall time in the JSON report (it then varies)."
)
@_setting_options
def scan_command(
    paths: tuple[str, ...],
    fmt: str,
    output: str | None,
    fail_on: str,
    config_path: str | None,
    timings: bool,
    **flags: Any,
) -> None:
    """Report the paragraphs of PATHS (files, folders, - for stdin) that repeat one another.

    Folders are read recursively (.txt, .md, .jsonl). The report goes to
    --output, or to standard output for text and json.
    """
    if fmt == "html" and output is None:
        raise click.UsageError("--format html needs --output FILE")
    try:
        config = build_config(config_path, flags)
        expand_paths(list(paths))  # a missing path fails before the slow imports below
        # Imported here: scikit-learn, SciPy and numba take a second and a half
        # to load, which ``dedup --help`` and a usage error should not wait for.
        from dedup.pipeline import scan

        report = scan(list(paths), config, _progress_bar())
        for source in sorted({d.source for d in report.documents if d.encoding != "utf-8"}):
            encoding = next(d.encoding for d in report.documents if d.source == source)
            click.echo(f"dedup: {source}: not UTF-8, read as {encoding}", err=True)
        content = render(report, fmt, timings=timings)
        if output is None:
            click.echo(content, nl=False)
        else:
            write_report(content, output)
            click.echo(f"{summary(report)}; report written to {output}", err=True)
    except DedupError as err:
        raise DedupClickError(str(err)) from None
    if failing(report, fail_on):
        sys.exit(1)


__all__ = ["SETTINGS", "build_config", "main"]
