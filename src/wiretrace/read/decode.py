"""Bytes to text: BOMs, UTF-16 without BOM, legacy encodings, and binary detection."""

from __future__ import annotations

import codecs
import contextlib
import re

from charset_normalizer import from_bytes

from wiretrace.errors import InputError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Share of control characters (other than tab/newline/CR/form feed) above which decoded
# "text" is taken to be binary. Real articles have none; 5% leaves room for stray junk.
MAX_CONTROL_SHARE = 0.05
_SAMPLE_BYTES = 64 * 1024
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_PREFERRED_LEGACY = "cp1252"


def _utf16_without_bom(data: bytes) -> str | None:
    """Guess UTF-16 without BOM from NUL bytes at every other position (ASCII-heavy text)."""
    sample = data[:_SAMPLE_BYTES]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even_nuls = sample[0::2].count(0) / (len(sample) // 2)
    odd_nuls = sample[1::2].count(0) / (len(sample) // 2)
    encoding = None
    if odd_nuls > 0.4 and even_nuls < 0.05:
        encoding = "utf-16-le"
    elif even_nuls > 0.4 and odd_nuls < 0.05:
        encoding = "utf-16-be"
    if encoding is None:
        return None
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _legacy_encoding(sample: bytes) -> str | None:
    """The encoding charset detection finds best, preferring cp1252 among equally good ones.

    Western European text often decodes equally well (same chaos and coherence) as cp1250,
    cp1252 and cp1257, and the detector then returns the first; cp1252 is by far the most
    common legacy encoding of news pages (the WHATWG treats even "latin-1" as it).
    """
    matches = from_bytes(sample)
    best = matches.best()
    if best is None or best.encoding is None:
        return None
    for match in matches:
        if (
            match.encoding == _PREFERRED_LEGACY
            and match.chaos <= best.chaos
            and match.coherence >= best.coherence
        ):
            return _PREFERRED_LEGACY
    return str(best.encoding)


def _control_share(text: str) -> float:
    sample = text[:_SAMPLE_BYTES]
    if not sample:
        return 0.0
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f")
    return controls / len(sample)


def decode_bytes(data: bytes, where: str) -> str:
    """Decode ``data`` to text, or raise :class:`InputError` saying why it is not text.

    Tries a byte-order mark, UTF-16 without BOM, strict UTF-8, then charset detection.
    NUL characters are dropped from text that is otherwise clean.
    """
    if not data.strip():
        raise InputError(f"{where}: empty input (no text to read)")
    text: str | None = None
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"{where}: starts with a {encoding} byte-order mark but is not valid "
                    f"{encoding} ({exc.reason} at byte {exc.start})"
                ) from None
            break
    if text is None:
        # Before UTF-8: all-ASCII UTF-16 is valid UTF-8 too (NUL is a code point).
        text = _utf16_without_bom(data)
    if text is None:
        with contextlib.suppress(UnicodeDecodeError):
            text = data.decode("utf-8")
    if text is None:
        legacy = _legacy_encoding(data[: 4 * _SAMPLE_BYTES])
        if legacy is None:
            raise InputError(f"{where}: binary or undecodable content (no text encoding fits)")
        text = data.decode(legacy, errors="replace")
    if _control_share(text) > MAX_CONTROL_SHARE:
        raise InputError(
            f"{where}: looks binary ({_control_share(text):.0%} control characters); "
            "expected a text, HTML, JSONL, CSV, Parquet or WARC file"
        )
    return sanitize_text(text)


def sanitize_text(text: str) -> str:
    """Drop NUL characters and replace lone surrogates, which SQLite and UTF-8 cannot hold."""
    if "\x00" in text:
        text = text.replace("\x00", "")
    return _LONE_SURROGATE.sub("\ufffd", text)
