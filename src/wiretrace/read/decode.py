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
# The escape sequences that switch ISO-2022-JP into JIS X 0208 (kanji and kana).
_ISO2022_JP_ESCAPES = (b"\x1b$B", b"\x1b$@")


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
        return _unicode_of_one_script(data)
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


# Alphabets of one script (Cyrillic, Greek, Hebrew, Arabic, Latin) in UTF-16 put at most
# two values in the high byte of each code unit: the script's block and 0 for spaces,
# digits and punctuation. Binary data spreads over many; this share sets the line.
_ONE_SCRIPT_HIGH_BYTES = 2
_MIN_ONE_SCRIPT_SHARE = 0.97
_MIN_UNITS = 8


def _top_share(values: bytes, top: int) -> tuple[float, set[int]]:
    """The share of the ``top`` most common byte values in ``values``, and those values."""
    counts: dict[int, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    common = sorted(counts, key=counts.__getitem__, reverse=True)[:top]
    return sum(counts[v] for v in common) / max(len(values), 1), set(common)


def _unicode_of_one_script(data: bytes) -> str | None:
    """UTF-32 or UTF-16 without BOM of text in one alphabet, told from the bytes' layout."""
    sample = data[:_SAMPLE_BYTES]
    for width, high_offsets in ((4, {"le": (2, 3), "be": (0, 1)}), (2, {"le": (1,), "be": (0,)})):
        units = len(sample) // width
        if units < _MIN_UNITS or len(data) % width:
            continue
        for order, offsets in high_offsets.items():
            low = (3 if order == "be" else 0) if width == 4 else (1 if order == "be" else 0)
            shares = [_top_share(sample[o::width], _ONE_SCRIPT_HIGH_BYTES) for o in offsets]
            if width == 4 and any(share < 1.0 or values != {0} for share, values in shares):
                continue
            share, values = shares[-1] if width == 4 else shares[0]
            low_share, _ = _top_share(sample[low::width], _ONE_SCRIPT_HIGH_BYTES)
            if share >= _MIN_ONE_SCRIPT_SHARE and 0 in values and low_share < share:
                with contextlib.suppress(UnicodeDecodeError):
                    return data.decode(f"utf-{width * 8}-{order}")
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
    if text is None and any(escape in data[:_SAMPLE_BYTES] for escape in _ISO2022_JP_ESCAPES):
        # 7-bit Japanese mail and news encoding: valid ASCII, so also valid UTF-8.
        with contextlib.suppress(UnicodeDecodeError):
            text = data.decode("iso-2022-jp-2")
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
