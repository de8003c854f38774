"""Options of the read stage: field names for record formats and safety limits."""

from __future__ import annotations

from dataclasses import dataclass

# Field names tried, in order, when the user names none. They cover passim's JSONL
# (`id`, `text`, `series`), Reuters-21578 as JSONL (`newid`, `body`) and common exports.
DEFAULT_ID_FIELDS = ("id", "newid", "doc_id", "docid", "uuid", "guid")
DEFAULT_TEXT_FIELDS = ("text", "body", "content", "article", "maintext")
DEFAULT_TITLE_FIELDS = ("title", "headline")
DEFAULT_DATE_FIELDS = ("date", "published", "pub_date", "date_publish", "timestamp")
DEFAULT_URL_FIELDS = ("url", "link", "uri")
DEFAULT_SOURCE_FIELDS = ("source", "series", "outlet", "publisher", "source_domain")
DEFAULT_AUTHOR_FIELDS = ("author", "authors", "byline")

MIB = 1024 * 1024


def format_bytes(num_bytes: int) -> str:
    """A size limit as a user wrote it: whole mebibytes as ``"64 MiB"``, else in bytes."""
    if num_bytes >= MIB and num_bytes % MIB == 0:
        return f"{num_bytes // MIB} MiB"
    return f"{num_bytes} bytes"


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """How to read record formats, and the limits that keep hostile input harmless.

    A field set to ``None`` means "try the defaults in order".
    """

    id_field: str | None = None
    text_field: str | None = None
    title_field: str | None = None
    date_field: str | None = None
    url_field: str | None = None
    source_field: str | None = None
    author_field: str | None = None
    # Forces a format for stdin or odd extensions: txt, html, jsonl, csv, parquet, warc.
    format: str | None = None
    # A news article is rarely over 200 KB of text; 64 MiB leaves room for odd records
    # while keeping one line from exhausting memory (see tests with a 100 MB line).
    max_record_bytes: int = 64 * MIB
    # An HTML page over 8 MiB is almost never an article; trafilatura slows sharply on such pages.
    max_html_bytes: int = 8 * MIB
    # Total decompressed size of one gzip member stream; guards against gzip bombs.
    max_decompressed_bytes: int = 2048 * MIB
    # Wall-clock limit for extracting one HTML document.
    html_timeout_s: float = 10.0
