"""Record formats: JSONL, CSV and Parquet, with configurable field names."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO

from wiretrace.model import RawRecord, Rejection
from wiretrace.read.decode import repair_mojibake, sanitize_text
from wiretrace.read.options import (
    DEFAULT_AUTHOR_FIELDS,
    DEFAULT_DATE_FIELDS,
    DEFAULT_ID_FIELDS,
    DEFAULT_SOURCE_FIELDS,
    DEFAULT_TEXT_FIELDS,
    DEFAULT_TITLE_FIELDS,
    DEFAULT_URL_FIELDS,
    ReadOptions,
    format_bytes,
)

PARQUET_BATCH_ROWS = 1024
# Long lines are read in pieces of this size: small enough that an oversized line costs
# little beyond its limit, large enough that ordinary lines take one read.
_LINE_PIECE_BYTES = 1024 * 1024
# Fields whose mojibake is repaired: prose a reader sees. Ids, URLs and dates are left as
# given, so a repair never changes which document a record is.
_PROSE_FIELDS = ("text", "title", "source", "author")
# CSV is read with surrogateescape: each byte that is not UTF-8 becomes one of these lone
# surrogates (U+DC80-U+DCFF), so it can be counted and noted before it is replaced.
_ESCAPED_BYTE_MIN, _ESCAPED_BYTE_MAX = "\udc80", "\udcff"


def _pick(record: Mapping[str, Any], chosen: str | None, defaults: tuple[str, ...]) -> Any:
    """The value of the chosen field, or of the first default field present."""
    if chosen is not None:
        return record.get(chosen)
    for name in defaults:
        value = record.get(name)
        if value is not None and value != "":
            return value
    return None


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value if v is not None)
    text = sanitize_text(str(value)).strip()
    return text or None


def _repaired(fields: dict[str, str | None]) -> tuple[dict[str, str | None], tuple[str, ...]]:
    """``fields`` with mojibake repaired, and a note naming the fields that needed it."""
    out: dict[str, str | None] = {}
    mended: list[str] = []
    for name, value in fields.items():
        fixed = repair_mojibake(value) if value is not None else None
        if fixed != value:
            mended.append(name)
        out[name] = fixed
    if not mended:
        return out, ()
    plural = "s" if len(mended) > 1 else ""
    names = ", ".join(repr(name) for name in mended)
    note = (
        f"mojibake repaired in field{plural} {names} (text once decoded in the wrong "
        "encoding, 'Ã©' for 'é')"
    )
    return out, (note,)


def record_from_mapping(
    record: Mapping[str, Any],
    unit: str,
    path: str,
    options: ReadOptions,
    notes: tuple[str, ...] = (),
) -> RawRecord | Rejection:
    """Map one parsed record to a :class:`RawRecord`, or reject it with the reason.

    Mojibake in the prose fields (text, title, source, author) is repaired and noted;
    ``notes`` are what the caller already mended (bytes that were not UTF-8).
    """
    text = _pick(record, options.text_field, DEFAULT_TEXT_FIELDS)
    if not isinstance(text, str) or not text.strip():
        wanted = options.text_field or " or ".join(DEFAULT_TEXT_FIELDS)
        have = ", ".join(sorted(str(k) for k in record)[:12]) or "none"
        reason = (
            f"no text: field {wanted!r} is missing or empty (fields present: {have}); "
            "name the text field with --text-field"
        )
        return Rejection(unit, path, reason)
    prose, repair_notes = _repaired(
        {
            "text": sanitize_text(text),
            "title": _as_text(_pick(record, options.title_field, DEFAULT_TITLE_FIELDS)),
            "source": _as_text(_pick(record, options.source_field, DEFAULT_SOURCE_FIELDS)),
            "author": _as_text(_pick(record, options.author_field, DEFAULT_AUTHOR_FIELDS)),
        }
    )
    return RawRecord(
        unit=unit,
        source_path=path,
        text=prose["text"] or "",
        id=_as_text(_pick(record, options.id_field, DEFAULT_ID_FIELDS)),
        title=prose["title"],
        date=_as_text(_pick(record, options.date_field, DEFAULT_DATE_FIELDS)),
        url=_as_text(_pick(record, options.url_field, DEFAULT_URL_FIELDS)),
        source=prose["source"],
        author=prose["author"],
        is_html=False,
        notes=notes + repair_notes,
    )


def _read_line(stream: BinaryIO, limit: int) -> tuple[bytes, bool]:
    """The next line (``b""`` at the end), or ``(b"", True)`` for one over ``limit`` bytes.

    Reads in pieces and drops an oversized line as soon as it passes the limit, so memory
    stays within one limit (``readline(limit)`` would hold twice that while joining).
    """
    pieces: list[bytes] = []
    size = 0
    too_long = False
    while True:
        piece = stream.readline(_LINE_PIECE_BYTES)
        if not piece:
            break
        ends_line = piece.endswith(b"\n")
        size += len(piece)
        if not too_long:
            pieces.append(piece)
            if size - ends_line > limit:
                too_long = True
                pieces = []
        if ends_line:
            break
    return b"".join(pieces), too_long


def scan_jsonl(
    stream: BinaryIO, path: str, options: ReadOptions
) -> Iterator[RawRecord | Rejection]:
    """One record per line; a bad line is rejected with its line number, the rest go on."""
    limit = options.max_record_bytes
    line_no = 0
    while True:
        line, too_long = _read_line(stream, limit)
        if not line and not too_long:
            break
        line_no += 1
        unit = f"{path}#L{line_no}"
        if too_long:
            yield Rejection(
                unit,
                path,
                f"line longer than {format_bytes(limit)}; raise max_record_bytes if it is real",
            )
            continue
        if not line.strip():
            continue
        try:
            # Without its terminator, so an error's column is on the line (not "line 2").
            content = line.rstrip(b"\r\n").decode("utf-8-sig" if line_no == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            yield Rejection(unit, path, f"line is not UTF-8 ({exc.reason} at byte {exc.start})")
            continue
        yield record_from_json_line(content, unit, path, options)


def record_from_json_line(
    content: str, unit: str, path: str, options: ReadOptions
) -> RawRecord | Rejection:
    """One decoded, non-blank JSONL line as a record, or the rejection saying why not.

    Shared by :func:`scan_jsonl` and engines that split JSONL files into lines themselves.
    """
    try:
        parsed = json.loads(content)
    except json.JSONDecodeError as exc:
        return Rejection(unit, path, f"invalid JSON: {exc.msg} at column {exc.colno}")
    if not isinstance(parsed, dict):
        return Rejection(unit, path, f"expected a JSON object, got {type(parsed).__name__}")
    return record_from_mapping(parsed, unit, path, options)


def scan_csv(stream: BinaryIO, path: str, options: ReadOptions) -> Iterator[RawRecord | Rejection]:
    """CSV (or TSV by extension) with a header row; a bad row is rejected, the rest go on."""
    csv.field_size_limit(options.max_record_bytes)
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="surrogateescape", newline="")
    try:
        yield from _scan_csv_rows(text, path, options)
    finally:
        # The caller owns the stream and closes it; a wrapper left to the garbage collector
        # would close it a second time (and warn).
        text.detach()


def _scan_csv_rows(
    text: io.TextIOWrapper, path: str, options: ReadOptions
) -> Iterator[RawRecord | Rejection]:
    delimiter = "\t" if path.lower().removesuffix(".gz").endswith(".tsv") else ","
    reader = csv.reader(text, delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        yield Rejection(path, path, "empty CSV file (no header row)")
        return
    row_no = 0
    while True:
        row_no += 1
        unit = f"{path}#row={row_no}"
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            yield Rejection(unit, path, f"malformed CSV row: {exc}")
            continue
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            yield Rejection(unit, path, f"row has {len(row)} fields, the header has {len(header)}")
            continue
        yield record_from_mapping(
            dict(zip(header, row, strict=True)), unit, path, options, _escaped_byte_notes(row)
        )


def _escaped_byte_notes(row: list[str]) -> tuple[str, ...]:
    """A note on the bytes of a CSV row that were not UTF-8 (replaced with U+FFFD later)."""
    num_bytes = sum(
        1 for cell in row for ch in cell if _ESCAPED_BYTE_MIN <= ch <= _ESCAPED_BYTE_MAX
    )
    if not num_bytes:
        return ()
    plural = "s" if num_bytes > 1 else ""
    return (
        f"{num_bytes} byte{plural} that {'are' if plural else 'is'} not UTF-8 replaced with "
        "U+FFFD (the rest of the row is UTF-8)",
    )


def scan_parquet(
    stream: BinaryIO, path: str, options: ReadOptions
) -> Iterator[RawRecord | Rejection]:
    """Parquet, read in batches so a large file never sits in memory whole.

    A damaged file becomes a rejection saying where reading stopped; rows read before the
    damage are kept.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    # pyarrow reports damage as its own errors, as OSError, and, for names and strings in
    # the file that are not UTF-8, as UnicodeDecodeError (a ValueError): a fuzzed file
    # with one byte of a column name changed crashed ParquetFile() with it.
    damaged = (pa.ArrowException, OSError, ValueError)
    try:
        parquet = pq.ParquetFile(stream)
    except damaged as exc:
        yield Rejection(path, path, f"not a readable Parquet file: {_parquet_damage(exc)}")
        return
    batches = parquet.iter_batches(batch_size=PARQUET_BATCH_ROWS)
    row_no = 0
    while True:
        try:
            batch = next(batches, None)
            rows = [] if batch is None else batch.to_pylist()
        except damaged as exc:
            reason = f"damaged Parquet file: reading stopped after row {row_no}"
            yield Rejection(f"{path}#row={row_no + 1}", path, f"{reason}: {_parquet_damage(exc)}")
            return
        if batch is None:
            return
        for row in rows:
            row_no += 1
            yield record_from_mapping(row, f"{path}#row={row_no}", path, options)


def _parquet_damage(exc: Exception) -> str:
    """What pyarrow's error says about a damaged file, in words a user can act on."""
    if isinstance(exc, UnicodeDecodeError):
        return (
            f"its metadata or data holds bytes that are not UTF-8 (byte "
            f"0x{exc.object[exc.start]:02x} at position {exc.start} of a name or string); "
            "the file is damaged or was not written as Parquet"
        )
    return str(exc) or type(exc).__name__
