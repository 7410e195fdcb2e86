"""The command line: a thin click layer over the library.

Every command parses its options, builds the settings, calls one library
function and prints a summary; errors are mapped to exit codes here, once,
for every command:

- 0: clean, or findings the user did not ask to fail on;
- 1: findings of a kind named by ``--fail-on``, and nothing else;
- 2: usage, settings or input errors, and any unexpected error: one
  ``dedup: ...`` line on stderr, the traceback only with ``--debug``.
"""

from __future__ import annotations

import os
import signal
import sys
import traceback
from typing import Any

import click

from dedup.errors import DedupError, Interrupted, printable

#: Exit codes, as click's exceptions carry theirs.
EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130


class _OneLineErrors(click.Group):
    """Errors as one line on stderr (``dedup: ...``), never a usage dump or a traceback."""

    debug = False

    def invoke(self, ctx: click.Context) -> Any:
        # Inside click's own handling, which would turn a closed pipe into exit 1.
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            # The reader of our output went away (``dedup scan ... | head``): not an error.
            silence_stdout()
            sys.exit(EXIT_CLEAN)

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False
        try:
            code = super().main(*args, **kwargs)
        except click.ClickException as err:
            hint = ""
            if isinstance(err, click.UsageError) and err.ctx is not None:
                hint = f" (see '{err.ctx.command_path} --help')"
            _fail(f"{err.format_message()}{hint}", err.exit_code)
        except DedupError as err:
            _fail(str(err), EXIT_ERROR)
        except (click.Abort, KeyboardInterrupt):
            _fail("interrupted", EXIT_INTERRUPTED)
        except Interrupted as err:
            # The shell's convention for a process ended by a signal: 128 + its number.
            _fail(f"stopped by {signal.Signals(err.signum).name}", 128 + err.signum)
        except Exception as err:  # anything else is a bug, and must not look like findings
            if _OneLineErrors.debug:
                traceback.print_exc()
            _fail(
                f"internal error: {type(err).__name__}: {err} (run with --debug for details)",
                EXIT_ERROR,
            )
        sys.exit(code if isinstance(code, int) else EXIT_CLEAN)


def _fail(message: str, code: int) -> None:
    # Messages name paths and ids from outside: they stay one line whatever those hold.
    click.echo(f"dedup: {printable(message)}", err=True)
    sys.exit(code)


def silence_stdout() -> None:
    """Send what is left for standard output to the null device: its reader went away, and
    Python would otherwise complain when it flushes at exit."""
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, sys.stdout.fileno())
    finally:
        os.close(null)


def _set_debug(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
    _OneLineErrors.debug = value
    return value


@click.group(cls=_OneLineErrors, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="dedup", prog_name="dedup")
@click.option(
    "--debug",
    is_flag=True,
    is_eager=True,
    expose_value=False,
    callback=_set_debug,
    help="Show the traceback of an unexpected error.",
)
def main() -> None:
    """Find repeated and near-repeated paragraphs in news wire copy."""


# The commands register themselves on ``main``.
from dedup.cli import check as _check  # noqa: E402,F401
from dedup.cli import consolidate as _consolidate  # noqa: E402,F401
from dedup.cli import index as _index  # noqa: E402,F401
from dedup.cli import scan as _scan  # noqa: E402,F401
from dedup.cli import watch as _watch  # noqa: E402,F401

__all__ = ["EXIT_CLEAN", "EXIT_ERROR", "EXIT_FINDINGS", "main", "silence_stdout"]
