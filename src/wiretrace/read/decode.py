"""Bytes to text: BOMs, UTF-16 without BOM, damaged UTF-8, legacy encodings, mojibake.

What had to be mended on the way (bytes that are not UTF-8, text decoded twice, a guessed
legacy encoding) is said in :attr:`DecodedText.notes`, so a reader can show it.
"""

from __future__ import annotations

import codecs
import contextlib
import re
from dataclasses import dataclass

from charset_normalizer import CharsetMatch, from_bytes
from charset_normalizer.md import mess_ratio

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


# The legacy encodings of the WHATWG Encoding Standard, by their Python codec names: the
# ones browsers read, so the ones web pages and news archives are written in. Charset
# detection also weighs DOS and Mac code pages (cp775, cp852, mac_iceland…) that read short
# Western text just as well and got "é" or "ß" wrong.
_WEB_LEGACY = frozenset(
    {
        "cp866", "iso8859_2", "iso8859_3", "iso8859_4", "iso8859_5", "iso8859_6", "iso8859_7",
        "iso8859_8", "iso8859_10", "iso8859_13", "iso8859_14", "iso8859_15", "iso8859_16",
        "koi8_r", "koi8_u", "mac_roman", "mac_cyrillic", "cp874", "cp1250", "cp1251",
        "cp1252", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258", "latin_1",
        "gbk", "gb2312", "gb18030", "big5", "big5hkscs", "euc_jp", "iso2022_jp", "shift_jis",
        "cp932", "euc_kr", "cp949",
    }
)  # fmt: skip
# The code pages each language is written in, its Windows code page first, by the
# language names of charset_normalizer. Detection names the language of a text well and
# its code page poorly: Western European text decodes equally well as cp1250, cp1252,
# cp1257 or cp1258, English with a few curly quotes even as cp932, and the detector then
# returns whichever it tried first (a 41-byte Latin-1 French sentence came out as cp1257).
_WESTERN = ("cp1252", "latin_1", "iso8859_15")
_CENTRAL = ("cp1250", "iso8859_2", "mac_latin2")
_CYRILLIC = ("cp1251", "koi8_r", "koi8_u", "iso8859_5", "cp866", "mac_cyrillic")
_LANGUAGE_CODEPAGES: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(
        ("English", "French", "German", "Spanish", "Italian", "Portuguese", "Dutch",
         "Danish", "Norwegian", "Swedish", "Finnish", "Indonesian"),
        _WESTERN,
    ),
    **dict.fromkeys(("Polish", "Czech", "Slovak", "Hungarian", "Croatian", "Slovene"), _CENTRAL),
    "Romanian": (*_CENTRAL, "iso8859_16"),
    "Turkish": ("cp1254", "iso8859_9"),
    "Lithuanian": ("cp1257", "iso8859_13", "iso8859_4"),
    "Estonian": ("cp1257", "iso8859_13", "iso8859_4"),
    "Vietnamese": ("cp1258",),
    **dict.fromkeys(("Russian", "Ukrainian", "Bulgarian", "Serbian", "Kazakh"), _CYRILLIC),
    "Greek": ("cp1253", "iso8859_7"),
    "Hebrew": ("cp1255", "iso8859_8"),
    "Arabic": ("cp1256", "iso8859_6"),
    "Farsi": ("cp1256", "iso8859_6"),
    "Thai": ("cp874",),
}  # fmt: skip
# How much more chaos (charset_normalizer's 0-1 share of odd characters) a language's own
# code page may show than the detector's pick: code pages of one script differ by up to
# 0.02 on the Turkish and Italian SemEval articles whose detection went wrong.
MAX_CHAOS_SLACK = 0.02
# CJK encodings use two bytes above 0x7F per character, so CJK text is mostly such bytes
# (the test sentences: 69-99%). English with a "£" or two is under 1%, and the detector
# read the BBC's as cp932 Japanese (0xA3 is a half-width katakana there).
_CJK = frozenset(
    {"gbk", "gb2312", "gb18030", "big5", "big5hkscs", "euc_jp", "shift_jis", "cp932",
     "euc_kr", "cp949"}
)  # fmt: skip
MIN_CJK_HIGH_BYTE_SHARE = 0.2
# Below this many bytes charset detection often recognizes no language at all; cp1252 is
# then the likeliest legacy encoding of a news text.
SHORT_TEXT_BYTES = 1024
# A short text whose best detection scores under this coherence (0-1, how well its letters
# fit a language) has no language to go on: the Cyrillic, Greek, Hebrew, Arabic and Turkish
# test sentences score 0.57-0.78, short Western ones 0-0.19.
MIN_CONFIDENT_COHERENCE = 0.5


def _web_encoding(match: CharsetMatch) -> str | None:
    """The encoding of a detection result among :data:`_WEB_LEGACY`, cp1252 first."""
    names = [str(match.encoding), *match.could_be_from_charset]
    if _PREFERRED_LEGACY in names:
        return _PREFERRED_LEGACY
    return next((name for name in names if name in _WEB_LEGACY), None)


_HIGH_BYTES = bytes(range(0x80, 0x100))


def _high_byte_share(sample: bytes) -> float:
    """The share of bytes above 0x7F (outside ASCII) in ``sample``."""
    num_high = len(sample) - len(sample.translate(None, _HIGH_BYTES))
    return num_high / max(len(sample), 1)


def _reads_cleanly(sample: bytes, encoding: str, max_chaos: float) -> bool:
    """Whether ``sample`` decodes in ``encoding`` with at most ``max_chaos`` odd characters."""
    try:
        text = sample.decode(encoding)
    except UnicodeDecodeError:
        return False
    return mess_ratio(text, maximum_threshold=1.0) <= max_chaos


def _legacy_encoding(sample: bytes) -> str | None:
    """The legacy encoding of ``sample``: charset detection, corrected by its language.

    Among the web's encodings, the detector's pick stands when it is a code page of the
    language it recognized; otherwise that language's own code page is taken if it reads
    the bytes about as cleanly. A short text in no recognized language is read as cp1252
    when that reads cleanly: by far the most common legacy encoding of news pages (the
    WHATWG treats even "latin-1" as it).
    """
    matches = list(from_bytes(sample))
    if not matches:
        return None
    ranked = [(match, name) for match in matches if (name := _web_encoding(match))]
    if not ranked:
        return str(matches[0].encoding)
    best, best_name = ranked[0]
    if (
        best_name in _CJK
        and _high_byte_share(sample) < MIN_CJK_HIGH_BYTE_SHARE
        and _reads_cleanly(sample, _PREFERRED_LEGACY, best.chaos + MAX_CHAOS_SLACK)
    ):
        return _PREFERRED_LEGACY
    # "English—" and "Japanese——" are the detector's variants of one language.
    codepages = _LANGUAGE_CODEPAGES.get(str(best.language).rstrip("—"))
    if codepages is not None:
        if best_name in codepages:
            return best_name
        if _reads_cleanly(sample, codepages[0], best.chaos + MAX_CHAOS_SLACK):
            return codepages[0]
        return best_name
    if (
        len(sample) < SHORT_TEXT_BYTES
        and best.coherence < MIN_CONFIDENT_COHERENCE
        and _reads_cleanly(sample, _PREFERRED_LEGACY, best.chaos)
    ):
        return _PREFERRED_LEGACY
    return best_name


def _control_share(text: str) -> float:
    sample = text[:_SAMPLE_BYTES]
    if not sample:
        return 0.0
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f")
    return controls / len(sample)


# A text whose invalid UTF-8 sequences are at most this share of its non-ASCII characters
# is UTF-8 with damage (a stray byte, a cut multi-byte character) and stays UTF-8. Legacy
# text seldom forms a valid multi-byte sequence (an accented capital followed by a symbol,
# as in "Ã©"): of 947 SemEval and BBC articles encoded in their language's code page, 900
# formed none and the rest at most 1 per 10 invalid ones; a UTF-8 article with one stray
# byte has at least as many valid as invalid (1:1 when it holds a single "’").
MAX_INVALID_UTF8_SHARE = 0.5
_REPLACEMENT = "\ufffd"
_REPLACEMENT_BYTES = _REPLACEMENT.encode("utf-8")


@dataclass(frozen=True, slots=True)
class DecodedText:
    """Text decoded from bytes, the encoding it was read as, and what was mended.

    ``notes`` are sentences a user can read ("3 byte sequences that are not UTF-8 replaced
    with U+FFFD …"), empty when the bytes were clean UTF-8 (or UTF-16/32).
    """

    text: str
    encoding: str
    notes: tuple[str, ...] = ()


def decode_bytes(data: bytes, where: str) -> str:
    """Decode ``data`` to text, or raise :class:`InputError` saying why it is not text.

    The text of :func:`decode_text`, without its notes.
    """
    return decode_text(data, where).text


def decode_text(data: bytes, where: str) -> DecodedText:
    """Decode ``data`` to text, or raise :class:`InputError` saying why it is not text.

    Tries a byte-order mark, UTF-16 without BOM, UTF-8 (also when a few bytes are not
    UTF-8: they become U+FFFD), then charset detection among the web's legacy encodings.
    Mojibake (UTF-8 that was once read as cp1252, "Ã©" for "é") is repaired. NUL
    characters are dropped from text that is otherwise clean.

    Args:
        data: the bytes of one input.
        where: names the input in error messages.

    Returns:
        The text, the encoding it was read as, and notes on what was mended.
    """
    if not data.strip():
        raise InputError(f"{where}: empty input (no text to read)")
    decoded: DecodedText | None = None
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                decoded = DecodedText(data[len(bom) :].decode(encoding), encoding)
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"{where}: starts with a {encoding} byte-order mark but is not valid "
                    f"{encoding} ({exc.reason} at byte {exc.start})"
                ) from None
            break
    if decoded is None:
        # Before UTF-8: all-ASCII UTF-16 is valid UTF-8 too (NUL is a code point).
        text = _utf16_without_bom(data)
        decoded = DecodedText(text, "utf-16") if text is not None else None
    if decoded is None and any(escape in data[:_SAMPLE_BYTES] for escape in _ISO2022_JP_ESCAPES):
        # 7-bit Japanese mail and news encoding: valid ASCII, so also valid UTF-8.
        with contextlib.suppress(UnicodeDecodeError):
            decoded = DecodedText(data.decode("iso-2022-jp-2"), "iso-2022-jp-2")
    if decoded is None:
        decoded = _utf8(data) or _legacy(data, where)
    if _control_share(decoded.text) > MAX_CONTROL_SHARE:
        raise InputError(
            f"{where}: looks binary ({_control_share(decoded.text):.0%} control characters); "
            "expected a text, HTML, JSONL, CSV, Parquet or WARC file"
        )
    repaired = repair_mojibake(decoded.text)
    notes = decoded.notes
    if repaired != decoded.text:
        notes += ("mojibake repaired (text once decoded in the wrong encoding, 'Ã©' for 'é')",)
    return DecodedText(sanitize_text(repaired), decoded.encoding, notes)


def _utf8(data: bytes) -> DecodedText | None:
    """``data`` as UTF-8 if it is UTF-8, bar a few damaged bytes; else ``None``."""
    try:
        return DecodedText(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="replace")
    num_replaced = text.count(_REPLACEMENT) - data.count(_REPLACEMENT_BYTES)
    num_non_ascii = len(text) - len(text.encode("ascii", errors="ignore"))
    num_valid = num_non_ascii - num_replaced
    if num_valid <= 0 or num_replaced > MAX_INVALID_UTF8_SHARE * num_non_ascii:
        return None
    plural = "s" if num_replaced > 1 else ""
    note = (
        f"{num_replaced} byte sequence{plural} that {'are' if plural else 'is'} not UTF-8 "
        f"replaced with U+FFFD (the rest of the text is UTF-8)"
    )
    return DecodedText(text, "utf-8", (note,))


def _legacy(data: bytes, where: str) -> DecodedText:
    """``data`` in the legacy encoding charset detection finds, or an :class:`InputError`."""
    legacy = _legacy_encoding(data[: 4 * _SAMPLE_BYTES])
    if legacy is None:
        raise InputError(f"{where}: binary or undecodable content (no text encoding fits)")
    note = f"not UTF-8: read as {legacy} (the encoding is a guess of charset detection)"
    return DecodedText(data.decode(legacy, errors="replace"), legacy, (note,))


def repair_mojibake(text: str) -> str:
    """``text`` with mojibake repaired ("cafÃ©" → "café"); other text is returned as is.

    Uses ftfy's encoding fixes (re-encoding and decoding, also when only parts of the text
    were garbled), line by line, so one garbled line does not decide for the rest.
    """
    if text.isascii():
        return text
    import ftfy
    from ftfy.badness import is_bad

    if not is_bad(text):
        return text
    # fix_encoding, not fix_text: the other fixes (curly quotes, ligatures, line breaks,
    # HTML entities, NFC) would change text that is not damaged.
    lines = text.splitlines(keepends=True)
    return "".join(ftfy.fix_encoding(line) if is_bad(line) else line for line in lines)


def sanitize_text(text: str) -> str:
    """Drop NUL characters and replace lone surrogates, which SQLite and UTF-8 cannot hold."""
    if "\x00" in text:
        text = text.replace("\x00", "")
    # An ASCII text (checked in constant time) holds no surrogate: no pass over it.
    if text.isascii():
        return text
    return _LONE_SURROGATE.sub("\ufffd", text)
