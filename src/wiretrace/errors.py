"""One root for every error wiretrace raises on purpose.

Subclasses also inherit the matching builtin, so ``except ValueError`` keeps working for
callers that do not know about wiretrace (the scikit-learn convention).
"""


class WiretraceError(Exception):
    """Root of all wiretrace errors."""


class ConfigError(WiretraceError, ValueError):
    """A parameter or option has a value wiretrace cannot use."""


class InputError(WiretraceError, ValueError):
    """An input unit (file, line, record) cannot become a document."""


class StoreError(WiretraceError, RuntimeError):
    """The store cannot be opened, migrated or written."""


class StoreBusyError(StoreError):
    """Another process holds the store's lock: the same call may succeed in a moment."""


class NotFoundError(WiretraceError, KeyError):
    """A document, pair or story id that the store does not hold."""

    def __str__(self) -> str:
        # KeyError quotes its argument; a user-facing message should read as plain text.
        return str(self.args[0]) if self.args else ""


class OutputError(WiretraceError, OSError):
    """An output file (export, ``--json``) cannot be written: disk full, no permission."""
