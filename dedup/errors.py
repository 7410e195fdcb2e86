"""The exceptions dedup raises. The CLI maps them to exit code 2 in one place.

Messages name files and document ids, which come from outside and may hold
a newline: ``printable`` keeps each message, and each report line, one line.
"""

import re

# C0 and C1 controls (newline, carriage return, escape, NEL) and the Unicode
# line and paragraph separators: each could start a line that looks like ours.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def printable(text: str) -> str:
    """``text`` with control characters and line separators written as escapes.

    >>> print(printable("evil.txt\\n12: exact duplicate of x"))
    evil.txt\\n12: exact duplicate of x
    """
    return _CONTROL.sub(lambda found: found.group().encode("unicode_escape").decode(), text)


class DedupError(Exception):
    """Base of every error dedup reports to its user."""


class InputError(DedupError):
    """An input file or record cannot be read (missing, undecodable, malformed)."""


class ConfigError(DedupError):
    """A setting is out of range or unknown."""


class ReportError(DedupError):
    """A report cannot be written."""


class Interrupted(BaseException):
    """A signal (SIGTERM, SIGHUP) asked dedup to stop. Not an ``Exception``, so that nothing
    catches it on the way out but the cleanup it passes through."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


class StoreError(DedupError):
    """An index cannot be opened, read or written: missing, corrupt, foreign, built with other
    settings, busy, or its server unreachable."""


class EngineError(DedupError):
    """An engine other than the embedded one cannot run the scan: its library or runtime is
    missing (pyspark, Java), its cluster cannot be reached, or a job of it failed."""
