"""``dedup consolidate``: each input written again without its repeats, in its own format."""

from __future__ import annotations

from typing import Any

import click

from dedup.cli import main
from dedup.cli.options import build_config, settings_options


@main.command("consolidate")
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--output",
    "-o",
    "output_dir",
    required=True,
    type=click.Path(file_okay=False),
    help="Folder to write the consolidated files to (made if missing).",
)
@click.option(
    "--mark",
    is_flag=True,
    help="Leave a reference where a repeat was removed: [ran in «title», ¶3].",
)
@click.option(
    "--html",
    "html_path",
    type=click.Path(dir_okay=False),
    help="Also write the HTML report, with the same consolidated view per dispatch.",
)
@settings_options
def consolidate_command(
    paths: tuple[str, ...],
    output_dir: str,
    mark: bool,
    html_path: str | None,
    config_path: str | None,
    **settings: Any,
) -> None:
    """Write each file of PATHS to --output with the paragraphs that already ran removed.

    A paragraph that repeats an earlier one (exact or near copy) is removed and
    the earliest occurrence kept; partial reuse, figures variants and sign-offs
    stay. A dispatch left with nothing new is dropped whole. Files keep their
    format (text, Markdown, JSON Lines) and encoding; folders keep their layout.
    """
    from dedup.consolidate import consolidate_paths

    config = build_config(config_path, settings)
    # Inputs are checked (readable, a format that can be written back, no
    # clash of outputs) before the scan and its slow imports.
    outcome = consolidate_paths(paths, config, output_dir, mark=mark)
    if html_path is not None:
        from dedup.report import write_report

        write_report(outcome.report, "html", html_path)
    click.echo(f"{outcome.summary()} to {output_dir}", err=True)
