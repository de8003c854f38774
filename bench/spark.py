"""Spark engine scaling: local[1] against local[2] (and the local engine) on a Reuters slice.

``python -m bench.spark [--records N]`` takes the first N records of Reuters-21578
(``../shared/data/reuters21578/articles.jsonl``), analyzes them with the local engine
(one process) and with the Spark engine in ``local[1]`` and ``local[2]`` (each in a fresh
process: a JVM's master cannot change), checks that all three give the same pairs and
stories, and prints the wall times, the speed-up of local[2] over local[1] and the
throughput per task slot (records per second per concurrently running partition), the
figure ``docs/spark.md`` scales to a cluster.

Not part of ``make bench`` (``bench.run``): a Spark run costs minutes on a 2-core machine.
Times exclude starting the JVM (measured apart, as ``session_s``).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path

from bench import speed

DEFAULT_RECORDS = 4000
SHUFFLE_PARTITIONS_PER_SLOT = 2


def _slice(source: Path, records: int, folder: Path) -> Path:
    path = folder / f"reuters_{records}.jsonl"
    with source.open("rb") as src:
        path.write_bytes(b"".join(islice(src, records)))
    return path


def _rows(folder: Path, table: str) -> list[dict]:
    from wiretrace.store.parquet import scan_table

    rows = list(scan_table(folder, table))
    return sorted(rows, key=lambda r: json.dumps(r, sort_keys=True))


def run_local(path: Path, out: Path) -> dict:
    from wiretrace.engines.ingest import ingest
    from wiretrace.engines.local import detect
    from wiretrace.store import open_store
    from wiretrace.store.parquet import write_store_results

    started = time.monotonic()
    with open_store(":memory:") as store:
        ingested = ingest(store, [str(path)], workers=1)
        detected = detect(store, workers=1)
        seconds = time.monotonic() - started
        write_store_results(store, out, ingested.run_id)
    return {"seconds": round(seconds, 2), "documents": ingested.stored, "pairs": detected.pairs}


def run_spark_child(master: str, path: str, out: str) -> None:
    """In a fresh process: one Spark analysis; prints its summary as JSON."""
    from wiretrace.engines.spark import analyze, spark_session

    slots = int(master.removeprefix("local[").removesuffix("]"))
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    started = time.monotonic()
    spark = spark_session(
        master,
        **{
            "spark.sql.shuffle.partitions": str(slots * SHUFFLE_PARTITIONS_PER_SLOT),
            "spark.default.parallelism": str(slots * SHUFFLE_PARTITIONS_PER_SLOT),
            "spark.ui.enabled": "false",
            "spark.ui.showConsoleProgress": "false",
            "spark.driver.host": "127.0.0.1",
        },
    )
    spark.sparkContext.setLogLevel("ERROR")
    # A trivial job first, so JVM start and Python worker start-up are not counted.
    spark.range(slots * 4).repartition(slots).count()
    session_s = time.monotonic() - started
    summary = analyze(spark, [path], out)
    result = summary.as_dict()
    result["session_s"] = round(session_s, 2)
    result["slots"] = slots
    print(json.dumps(result))
    spark.stop()


def run_spark(master: str, path: Path, out: Path) -> dict:
    proc = subprocess.run(
        [sys.executable, "-m", "bench.spark", "--child", master, str(path), str(out)],
        capture_output=True,
        text=True,
        check=False,
        cwd=speed.REPO,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{master} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=DEFAULT_RECORDS)
    parser.add_argument("--child", nargs=3, metavar=("MASTER", "INPUT", "OUT"))
    args = parser.parse_args(argv)
    if args.child:
        run_spark_child(*args.child)
        return
    source = speed.reuters_jsonl(speed.shared_dir())
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = _slice(source, args.records, folder)
        print(f"Reuters-21578, first {args.records} records; load {os.getloadavg()[0]:.2f}")
        local = run_local(path, folder / "local")
        print(f"local engine (1 process): {local}")
        runs = {}
        for master in ("local[1]", "local[2]"):
            runs[master] = run_spark(master, path, folder / master)
            print(f"spark {master}: {runs[master]}")
        for master in runs:
            for table in ("pairs", "stories"):
                same = _rows(folder / master, table) == _rows(folder / "local", table)
                print(f"{master} {table} equal to the local engine's: {same}")
        one, two = runs["local[1]"], runs["local[2]"]
        docs = one["documents"]
        print(f"speed-up local[2] over local[1]: {one['seconds'] / two['seconds']:.2f}x")
        for master, run in runs.items():
            per_slot = docs / run["seconds"] / run["slots"]
            print(
                f"{master}: {docs / run['seconds']:.1f} documents/s, "
                f"{per_slot:.1f} documents/s per task slot"
            )
        print(f"load average at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
