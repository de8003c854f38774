"""WARC and WARC.gz crawls: every HTML response record becomes one HTML input unit."""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from wiretrace.errors import InputError
from wiretrace.model import RawRecord, Rejection
from wiretrace.read.decode import decode_text
from wiretrace.read.options import ReadOptions

_HTML_TYPES = ("text/html", "application/xhtml+xml")


class _ShortReads:
    """A stream whose ``read(n)`` returns what one underlying read gives.

    A full ``read(n)`` drops the bytes it already had when the stream fails part-way (a
    truncated gzip), and with them whole records.
    """

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self.num_read = 0

    def read(self, size: int = -1) -> bytes:
        read1 = getattr(self._stream, "read1", None)
        data = read1(size) if read1 is not None else self._stream.read(size)
        self.num_read += len(data)
        return data


def scan_warc(stream: BinaryIO, path: str, options: ReadOptions) -> Iterator[RawRecord | Rejection]:
    """Yield one HTML record per ``response`` record; a truncated file ends in a rejection."""
    from warcio.archiveiterator import ArchiveIterator

    record_no = 0
    in_record = False  # whether record_no counts a record not yet handed on
    reader = _ShortReads(stream)
    try:
        archive = ArchiveIterator(reader)
        for record in archive:
            if record.format == "warc" and record.length is None:
                # Every WARC record declares its length: this one's headers were cut.
                where = f"after record {record_no}" if record_no else "at its start"
                yield Rejection(
                    f"{path}#record={record_no + 1}",
                    path,
                    f"truncated or corrupt WARC {where}: a record without Content-Length",
                )
                return
            if record.rec_type not in ("response", "resource"):
                continue
            record_no += 1
            in_record = True
            url = record.rec_headers.get_header("WARC-Target-URI")
            date = record.rec_headers.get_header("WARC-Date")
            unit = f"{path}#record={record_no}"
            content_type = ""
            if record.http_headers is not None:
                content_type = (record.http_headers.get_header("Content-Type") or "").lower()
            if content_type and not content_type.startswith(_HTML_TYPES):
                in_record = False
                yield Rejection(unit, path, f"not an HTML page (Content-Type {content_type})")
                continue
            body = record.content_stream().read(options.max_html_bytes + 1)
            if len(body) > options.max_html_bytes:
                in_record = False
                yield Rejection(unit, path, f"HTML page over {options.max_html_bytes} bytes")
                continue
            # warcio hands on a cut record as if whole; its length header says otherwise.
            missing = getattr(record.raw_stream, "limit", 0)
            if missing > 0:
                yield Rejection(
                    unit,
                    path,
                    f"truncated WARC: record {record_no} ends {missing} bytes short of the "
                    f"length its header declares ({record.length} bytes)",
                )
                return
            in_record = False
            try:
                html = decode_text(body, unit)
            except InputError as exc:
                yield Rejection(unit, path, str(exc))
                continue
            yield RawRecord(
                unit=unit,
                source_path=path,
                text=html.text,
                url=url,
                date=date,
                is_html=True,
                notes=html.notes,
            )
    except Exception as exc:  # noqa: BLE001
        # warcio fails on cut or corrupt input with more than its own errors (an
        # AttributeError on headers cut before WARC-Target-URI); none may stop the batch.
        done = record_no - 1 if in_record else record_no
        where = f"after record {done}" if done else "at its start"
        yield Rejection(
            f"{path}#record={done + 1}", path, f"truncated or corrupt WARC {where}: {exc}"
        )
        return
    # warcio ends quietly at a record whose headers are cut; bytes read past the end of
    # the last whole record are that cut record.
    leftover = reader.num_read - archive.offset
    if leftover > 0:
        where = f"after record {record_no}" if record_no else "at its start"
        yield Rejection(
            f"{path}#record={record_no + 1}",
            path,
            f"truncated or corrupt WARC {where}: its last {leftover} bytes are not a whole record",
        )
