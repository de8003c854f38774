"""The ``wiretrace`` command: a thin layer over the Python API (:mod:`wiretrace.api`).

One module per group of commands; importing this package registers them all on
:data:`main`, the entry point.
"""

from wiretrace.cli import analyze, browse, maintain, sources, web  # noqa: F401 - they register commands
from wiretrace.cli.app import main

__all__ = ["main"]
