"""WARC and WARC.gz crawls: every HTML response record becomes one HTML input unit."""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from wiretrace.errors import InputError
from wiretrace.model import RawRecord, Rejection
from wiretrace.read.decode import decode_bytes
from wiretrace.read.options import ReadOptions

_HTML_TYPES = ("text/html", "application/xhtml+xml")


def scan_warc(stream: BinaryIO, path: str, options: ReadOptions) -> Iterator[RawRecord | Rejection]:
    """Yield one HTML record per ``response`` record; a truncated file ends in a rejection."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    record_no = 0
    try:
        for record in ArchiveIterator(stream):
            if record.rec_type not in ("response", "resource"):
                continue
            record_no += 1
            url = record.rec_headers.get_header("WARC-Target-URI")
            date = record.rec_headers.get_header("WARC-Date")
            unit = f"{path}#record={record_no}"
            content_type = ""
            if record.http_headers is not None:
                content_type = (record.http_headers.get_header("Content-Type") or "").lower()
            if content_type and not content_type.startswith(_HTML_TYPES):
                yield Rejection(unit, path, f"not an HTML page (Content-Type {content_type})")
                continue
            body = record.content_stream().read(options.max_html_bytes + 1)
            if len(body) > options.max_html_bytes:
                yield Rejection(unit, path, f"HTML page over {options.max_html_bytes} bytes")
                continue
            try:
                html = decode_bytes(body, unit)
            except InputError as exc:
                yield Rejection(unit, path, str(exc))
                continue
            yield RawRecord(
                unit=unit, source_path=path, text=html, url=url, date=date, is_html=True
            )
    except (ArchiveLoadFailed, ValueError, EOFError, OSError) as exc:
        where = f"after record {record_no}" if record_no else "at its start"
        yield Rejection(
            f"{path}#record={record_no + 1}", path, f"truncated or corrupt WARC {where}: {exc}"
        )
