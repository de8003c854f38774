"""Expand paths, folders, globs and stdin into input units, and dispatch them by format."""

from __future__ import annotations

import glob
import gzip
import io
import os
import sys
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from wiretrace.errors import InputError
from wiretrace.model import RawRecord, Rejection
from wiretrace.read.decode import decode_text
from wiretrace.read.options import ReadOptions, format_bytes
from wiretrace.read.records import scan_csv, scan_jsonl, scan_parquet
from wiretrace.read.warc import scan_warc

STDIN = "-"
FORMATS = ("txt", "html", "jsonl", "csv", "parquet", "warc")
_EXTENSIONS = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "txt",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".csv": "csv",
    ".tsv": "csv",
    ".parquet": "parquet",
    ".warc": "warc",
    ".arc": "warc",
}


def format_of(name: str) -> str | None:
    """The format named by a file's extension, looking through a trailing ``.gz``."""
    lower = name.lower()
    if lower.endswith(".gz"):
        lower = lower[:-3]
    return _EXTENSIONS.get(os.path.splitext(lower)[1])


_GLOB_CHARS = frozenset("*?[")


def check_inputs(paths: Iterable[str]) -> None:
    """Refuse, before anything is created, input paths that name nothing to read.

    Raises:
        InputError: a missing file or folder, a glob that matches nothing, an empty folder.
    """
    for path in paths:
        if path == STDIN:
            continue
        if _GLOB_CHARS & set(path):
            if not glob.glob(path, recursive=True):
                raise InputError(f"no file matches {path}")
        elif not os.path.exists(path):
            raise InputError(f"no such file or folder: {path}")
        elif os.path.isdir(path) and not any(files for _, _, files in os.walk(path)):
            raise InputError(f"the folder {path} holds no files to read")


def expand_inputs(paths: Iterable[str]) -> Iterator[str | Rejection]:
    """Yield files to read from files, folders (recursively, sorted), globs and ``-``.

    A path that matches nothing becomes a rejection rather than an exception, so one typo
    does not stop a batch.
    """
    for raw in paths:
        if raw == STDIN:
            yield STDIN
            continue
        path = Path(raw)
        if path.is_dir():
            found = False
            for sub in sorted(path.rglob("*")):
                rel_parts = sub.relative_to(path).parts
                if sub.is_file() and not any(part.startswith(".") for part in rel_parts):
                    found = True
                    yield str(sub)
            if not found:
                yield Rejection(raw, raw, "folder holds no files")
        elif path.is_file():
            yield raw
        elif glob.has_magic(raw):
            matches = sorted(p for p in glob.glob(raw, recursive=True) if Path(p).is_file())
            if not matches:
                yield Rejection(raw, raw, "glob pattern matched no files")
            yield from matches
        else:
            yield Rejection(raw, raw, "no such file or folder")


class _CappedReader(io.RawIOBase):
    """A gzip stream that raises once more than ``limit`` bytes were read (gzip bomb guard).

    Closing it closes ``raw``, the file under the gzip stream (``GzipFile`` leaves it open).
    """

    def __init__(
        self, inner: gzip.GzipFile, limit: int, where: str, raw: BinaryIO | None = None
    ) -> None:
        self._inner = inner
        self._left = limit
        self._limit = limit
        self._where = where
        self._raw = raw

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        try:
            # read1, not read: a truncated stream then yields all it holds before failing,
            # so the records before the cut are kept.
            data = self._inner.read1(len(buffer))
        except EOFError:
            # An InputError, not an EOFError, which readers such as warcio take for a
            # clean end of input.
            raise InputError(
                f"{self._where}: truncated gzip stream (it ends after "
                f"{self._limit - self._left} decompressed bytes, before its end marker)"
            ) from None
        self._left -= len(data)
        if self._left < 0:
            raise InputError(
                f"{self._where}: decompresses to more than {format_bytes(self._limit)}; "
                "raise max_decompressed_bytes if this is a real file"
            )
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self._inner.close()
            if self._raw is not None:
                self._raw.close()
        super().close()


def _open_binary(path: str, options: ReadOptions) -> BinaryIO:
    """Open a file (or stdin) for binary reading, transparently decompressing gzip."""
    raw: BinaryIO = sys.stdin.buffer if path == STDIN else open(path, "rb")  # noqa: SIM115
    return _decompressed(raw, path, options)


def _decompressed(raw: BinaryIO, path: str, options: ReadOptions) -> BinaryIO:
    """``raw`` itself, or a capped reader of its gzip content; closing it closes ``raw``."""
    if not hasattr(raw, "peek"):
        # Sniffing gzip and the format needs peek; a replaced stdin (a test runner's, a
        # pipe wrapper) may be a bare byte stream.
        raw = io.BufferedReader(raw)  # type: ignore[type-var]
    head = raw.peek(2)[:2]
    if head == b"\x1f\x8b" or path.lower().endswith(".gz"):
        gz = gzip.GzipFile(fileobj=raw, mode="rb")
        capped = _CappedReader(
            gz, options.max_decompressed_bytes, path, raw=None if path == STDIN else raw
        )
        return io.BufferedReader(capped, buffer_size=1024 * 1024)
    return raw


def _sniff_format(head: bytes) -> str:
    """Guess the format of stdin or an unknown extension from its first bytes."""
    stripped = head.lstrip()
    if head.startswith(b"PAR1"):
        return "parquet"
    if stripped.startswith(b"WARC/"):
        return "warc"
    if stripped.startswith(b"{"):
        return "jsonl"
    lowered = stripped[:512].lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head", b"<body")):
        return "html"
    return "txt"


def _read_all(stream: BinaryIO, limit: int, limit_name: str, where: str) -> bytes:
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise InputError(
            f"{where}: larger than {format_bytes(limit)} for one document; "
            f"raise {limit_name} if this is a real article"
        )
    return data


def _scan_file(path: str, options: ReadOptions) -> Iterator[RawRecord | Rejection]:
    yield from _scan_stream(_open_binary(path, options), path, options)


def scan_file_bytes(
    data: bytes, path: str, options: ReadOptions | None = None
) -> Iterator[RawRecord | Rejection]:
    """The records of one file whose bytes were read elsewhere (a Spark ``binaryFile`` row).

    The same dispatch, limits and rejections as reading ``path`` from disk.
    """
    options = options or ReadOptions()
    emitted = 0
    try:
        for out in _scan_stream(_decompressed(io.BytesIO(data), path, options), path, options):
            emitted += 1
            yield out
    except InputError as exc:
        yield Rejection(path, path, str(exc))
    except (OSError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
        where = f"{path} (after {emitted} records)" if emitted else path
        yield Rejection(path, path, f"{where}: unreadable: {exc}")
    else:
        if not emitted:
            yield Rejection(
                path, path, f"{path}: no records found (an empty file, or only blank lines)"
            )


def _scan_stream(
    stream: BinaryIO, path: str, options: ReadOptions
) -> Iterator[RawRecord | Rejection]:
    fmt = options.format or (None if path == STDIN else format_of(path))
    if fmt is None:
        head = stream.peek(512)[:512] if hasattr(stream, "peek") else b""
        fmt = _sniff_format(head)
    try:
        if fmt == "jsonl":
            yield from scan_jsonl(stream, path, options)
        elif fmt == "csv":
            yield from scan_csv(stream, path, options)
        elif fmt == "parquet":
            yield from scan_parquet(stream, path, options)
        elif fmt == "warc":
            yield from scan_warc(stream, path, options)
        elif fmt in ("txt", "html"):
            if fmt == "html":
                limit, limit_name = options.max_html_bytes, "max_html_bytes"
            else:
                limit, limit_name = options.max_record_bytes, "max_record_bytes"
            decoded = decode_text(_read_all(stream, limit, limit_name, path), path)
            yield RawRecord(
                unit=path,
                source_path=path,
                text=decoded.text,
                is_html=fmt == "html",
                notes=decoded.notes,
            )
        else:
            yield Rejection(path, path, f"unknown format {fmt!r}; expected one of {FORMATS}")
    finally:
        if path != STDIN:
            stream.close()


def scan_inputs(
    paths: Iterable[str], options: ReadOptions | None = None
) -> Iterator[RawRecord | Rejection]:
    """Lazily read every input unit under ``paths``: records and rejections, in input order."""
    options = options or ReadOptions()
    if options.format is not None and options.format not in FORMATS:
        raise InputError(
            f"unknown --format {options.format!r}; expected one of {', '.join(FORMATS)}"
        )
    for item in expand_inputs(paths):
        if isinstance(item, Rejection):
            yield item
            continue
        emitted = 0
        try:
            for out in _scan_file(item, options):
                emitted += 1
                yield out
        except InputError as exc:
            yield Rejection(item, item, str(exc))
        except (OSError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
            where = f"{item} (after {emitted} records)" if emitted else item
            yield Rejection(item, item, f"{where}: unreadable: {exc}")
        else:
            if not emitted:
                # Every input unit leaves a trace; a record file with no record is one unit.
                yield Rejection(
                    item, item, f"{item}: no records found (an empty file, or only blank lines)"
                )
