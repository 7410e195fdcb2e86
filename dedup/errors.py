"""The exceptions dedup raises. The CLI maps them to exit code 2 in one place."""


class DedupError(Exception):
    """Base of every error dedup reports to its user."""


class InputError(DedupError):
    """An input file or record cannot be read (missing, undecodable, malformed)."""


class ConfigError(DedupError):
    """A setting is out of range or unknown."""


class ReportError(DedupError):
    """A report cannot be written."""


class StoreError(DedupError):
    """An index cannot be opened, read or written: missing, corrupt, foreign, built with other
    settings, busy, or its server unreachable."""
