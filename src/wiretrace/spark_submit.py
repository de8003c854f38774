"""The script spark-submit runs: ``wiretrace analyze --engine spark`` in its session.

spark-submit runs a .py file: ``spark-submit .../wiretrace/spark_submit.py INPUT... --out
DIR`` is ``wiretrace analyze --engine spark INPUT... --out DIR`` (see docs/spark.md). It
sits above the engines, which never import the command line.
"""

from __future__ import annotations

import sys

if __name__ == "__main__":  # pragma: no cover - the entry point of spark-submit
    from wiretrace.cli import main as cli

    cli(["analyze", "--engine", "spark", *sys.argv[1:]])
