"""Turn one raw record into a clean, segmented :class:`~wiretrace.model.Document`."""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, replace

from wiretrace.dates import normalize_date
from wiretrace.errors import InputError
from wiretrace.extract.clean import clean_text
from wiretrace.extract.headline import headline_of
from wiretrace.extract.html import extract_html
from wiretrace.extract.limits import time_limit
from wiretrace.model import Document, RawRecord
from wiretrace.segment import detect_language, split_sentences

_UNIT_SUFFIX = re.compile(r"#(?:L|row=|record=)(\d+)$")
# Text shorter than this after cleaning is not an article (a stray menu, a counter).
MIN_CLEAN_CHARS = 20


@dataclass(frozen=True, slots=True)
class ExtractOptions:
    """Options of the extract stage: the time limits of the work on one document."""

    html_timeout_s: float = 10.0
    # The outlet of every article whose record, page or file header names none (a wire
    # archive such as Reuters-21578 names its outlet nowhere): two articles of one outlet
    # need no credit to reuse each other's text.
    default_source: str | None = None
    # Cleaning, language detection and sentence splitting take milliseconds for an
    # article and about 5 s for a 5 MB text (measured); past this, the record is rejected.
    text_timeout_s: float = 30.0
    # A news article is a few thousand characters (the longest of Reuters-21578 and BBC
    # News are under 30,000); a text a hundred times longer is a book, a dump or a feed
    # read as one record, and would cost minutes of detection. It is rejected, saying so.
    max_chars: int = 2_000_000


def default_id(raw: RawRecord) -> str:
    """The id a record gets when its input names none.

    A file's id is its name without extension (``seeds/000_x.txt`` → ``000_x``); a record
    inside a file adds its position (``articles:12``); stdin is ``stdin``.
    """
    if raw.id:
        return raw.id
    name = os.path.basename(raw.source_path) if raw.source_path != "-" else "stdin"
    for _ in range(2):  # "x.warc.gz" and "x.txt.gz" lose both extensions
        stem, ext = os.path.splitext(name)
        if ext:
            name = stem
    match = _UNIT_SUFFIX.search(raw.unit)
    return f"{name}:{match.group(1)}" if match else name


# ``json.dumps(fields, ensure_ascii=False)``, without building an encoder for each record.
_HASH_ENCODER = json.JSONEncoder(ensure_ascii=False)


def content_hash(raw: RawRecord) -> str:
    """A digest of everything that defines a version of a document."""
    fields = [raw.text, raw.title, raw.date, raw.url, raw.source, raw.author, raw.is_html]
    # A given language joins the digest only when there is one, so the digests of stored
    # documents (which never had one) stay what they were.
    if raw.language is not None:
        fields.append(raw.language)
    payload = _HASH_ENCODER.encode(fields)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]


def build_document(raw: RawRecord, doc_id: str, options: ExtractOptions | None = None) -> Document:
    """Extract, clean and segment ``raw``; raise :class:`InputError` if no article remains."""
    options = options or ExtractOptions()
    title, date, author, url, source = raw.title, raw.date, raw.author, raw.url, raw.source
    original = raw.text
    if raw.is_html:
        page = extract_html(raw.text, raw.unit, options.html_timeout_s)
        original = page.text
        title = title or page.title
        date = date or page.date
        author = author or page.author
        url = url or page.url
        source = source or page.sitename
    if len(original) > options.max_chars:
        raise InputError(
            f"{raw.unit}: the text has {len(original):,} characters, far beyond a news "
            f"article (the limit is {options.max_chars:,}); split it into articles, or "
            "raise the limit with --set extract.max_chars=N"
        )
    with time_limit(options.text_timeout_s, raw.unit, "cleaning and segmenting the text"):
        document = _clean_and_segment(raw, doc_id, original, (title, date, author, url, source))
    if document.source is None and options.default_source:
        document = replace(document, source=options.default_source)
    return document


def _clean_and_segment(
    raw: RawRecord,
    doc_id: str,
    original: str,
    metadata: tuple[str | None, str | None, str | None, str | None, str | None],
) -> Document:
    """The text part of :func:`build_document`: clean, detect the language, split sentences."""
    title, date, author, url, source = metadata
    # A plain-text file (not a record of a JSONL/CSV file, whose metadata are its fields).
    is_text_file = not raw.is_html and raw.unit == raw.source_path
    cleaned = clean_text(original, parse_header=is_text_file)
    header = cleaned.header
    title = title or header.get("title")
    if not title and is_text_file:
        title = headline_of(cleaned.text)
    # Stored as ISO 8601 in UTC (a date alone stays a date), so stored dates compare and
    # sort as text; a value no reader understands is not kept as if it were a date.
    written_dates = (date, header.get("date"), cleaned.date_in_text)
    date = next(filter(None, map(normalize_date, written_dates)), None)
    url = url or header.get("url")
    source = source or header.get("source")
    byline = author or header.get("author") or cleaned.byline
    if len(cleaned.text.strip()) < MIN_CLEAN_CHARS:
        raise InputError(
            f"{raw.unit}: only {len(cleaned.text.strip())} characters of article text after "
            f"cleaning (need {MIN_CLEAN_CHARS})"
        )
    language = raw.language or detect_language(cleaned.text)
    return Document(
        id=doc_id,
        text=cleaned.text,
        original=original,
        source_path=raw.source_path,
        title=title,
        date=date,
        url=url,
        source=source,
        byline=byline,
        language=language,
        credits=cleaned.credits,
        removed=cleaned.removed,
        kept=cleaned.offset_map.kept,
        sentences=split_sentences(cleaned.text, language),
        content_hash=content_hash(raw),
    )
