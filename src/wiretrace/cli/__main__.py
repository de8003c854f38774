"""``python -m wiretrace.cli``: the ``wiretrace`` command."""

from wiretrace.cli import main

main()
