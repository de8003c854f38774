"""Write records as JSONL, CSV, Parquet or one JSON object, atomically.

Every file is written to a temporary name beside its target and renamed when complete,
so a reader (or a crash) sees the old file or the new one, never half of one. A temporary
file left by a killed writer is removed by the next write to that folder.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import json
import os
import re
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import IO

from wiretrace.errors import ConfigError, OutputError

EXPORT_FORMATS = ("jsonl", "csv", "parquet")


@contextmanager
def atomic_output(path: str, mode: str = "w") -> Iterator[IO]:
    """Open ``path`` for writing through a temporary file renamed on success; ``-`` is stdout."""
    if path == "-":
        if "b" in mode:
            raise ConfigError("binary output (parquet) cannot go to stdout; give a file name")
        yield sys.stdout
        sys.stdout.flush()
        return
    folder = os.path.dirname(os.path.abspath(path))
    try:
        os.makedirs(folder, exist_ok=True)
        _remove_orphaned_parts(folder)
        fd, tmp = tempfile.mkstemp(prefix=f".wiretrace-{os.getpid()}-", suffix=".part", dir=folder)
    except OSError as exc:
        raise _output_error(path, exc) from exc
    try:
        handle_cm = (
            os.fdopen(fd, "wb") if "b" in mode else os.fdopen(fd, "w", encoding="utf-8", newline="")
        )
        with handle_cm as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        if os.path.exists(tmp):
            os.unlink(tmp)
        if isinstance(exc, OSError) and not isinstance(exc, OutputError):
            raise _output_error(path, exc) from exc
        raise


# Temporary files are named after the writing process, so that the next write to the same
# folder can tell those of a killed writer (kill -9 runs no clean-up) from live ones.
_PART_NAME = re.compile(r"\.wiretrace-(\d+)-[^/]*\.part")


def _remove_orphaned_parts(folder: str) -> None:
    """Delete temporary files whose writing process no longer exists."""
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            match = _PART_NAME.fullmatch(entry.name)
            if match and not _process_exists(int(match[1])):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # e.g. another user's process
        return True
    return True


def _output_error(path: str, exc: OSError) -> OutputError:
    """Why ``path`` could not be written, and that an earlier file there is untouched."""
    cause = "the disk is full" if exc.errno == errno.ENOSPC else (exc.strerror or str(exc))
    return OutputError(
        f"cannot write {path}: {cause} ({exc}); an earlier file of that name is left as it "
        "was. Free space or choose another place, then run the command again"
    )


def _flat(value: object) -> object:
    """CSV cells: lists and dicts as JSON, the rest as is."""
    return json.dumps(value, ensure_ascii=False) if isinstance(value, list | dict) else value


def write_records(records: Iterable[dict], path: str, fmt: str) -> int:
    """Write ``records`` to ``path`` in ``fmt``; return how many were written."""
    if fmt not in EXPORT_FORMATS:
        raise ConfigError(
            f"unknown export format {fmt!r}; expected one of {', '.join(EXPORT_FORMATS)}"
        )
    count = 0
    if fmt == "jsonl":
        with atomic_output(path) as out:
            for record in records:
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
                count += 1
    elif fmt == "csv":
        with atomic_output(path) as out:
            writer: csv.DictWriter | None = None
            for record in records:
                if writer is None:
                    writer = csv.DictWriter(out, fieldnames=list(record), lineterminator="\n")
                    writer.writeheader()
                writer.writerow({k: _flat(v) for k, v in record.items()})
                count += 1
    else:
        import pyarrow as pa
        import pyarrow.parquet as pq

        rows = list(records)
        count = len(rows)
        table = pa.Table.from_pylist(rows)
        with atomic_output(path, "wb") as out:
            pq.write_table(table, out)
    return count


def write_json(data: dict, path: str) -> None:
    """Write one JSON object (the ``--json`` output) to ``path`` or stdout."""
    with atomic_output(path) as out:
        json.dump(data, out, ensure_ascii=False, indent=1)
        out.write("\n")
