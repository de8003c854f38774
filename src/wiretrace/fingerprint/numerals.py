"""Written numbers to values, in any of the usual ways of grouping digits and marking decimals.

"1,234.56", "1.234,56" and "1 234,56" are all 1234.56. A single mark before three digits is
the one ambiguous case: "1,234" is a thousand and more in English and a little over one in
French; the document's language decides, and without one it is read as grouping (the
English reading, and the continental reading of "1.234").

The parsing itself is babel's (``babel.numbers.parse_decimal``, strict, so misplaced group
marks are refused), which trafilatura already installs (through courlan); this module only
decides which marks are decimal and which group, and hands babel a locale that writes them
that way.
"""

from __future__ import annotations

from functools import lru_cache

from babel.core import UnknownLocaleError
from babel.numbers import NumberFormatError, get_decimal_symbol, parse_decimal

# Spaces that group thousands: no-break (U+00A0), narrow no-break (U+202F, French) and thin
# (U+2009) spaces, read as a plain space.
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " "})
_MARKS = ".,"
# Locales babel parses with: one writes "1,234.5", the other "1.234,5".
_POINT_DECIMAL_LOCALE = "en"
_COMMA_DECIMAL_LOCALE = "de"
_GROUP_OF = {_POINT_DECIMAL_LOCALE: ",", _COMMA_DECIMAL_LOCALE: "."}
DIGITS_PER_GROUP = 3
# Language codes that name no language (segment.detect_language's "undetermined").
_NO_LANGUAGE = frozenset({"", "und", "unknown"})


@lru_cache(maxsize=1 << 16)
def parse_number(written: str, language: str | None = None) -> float | None:
    """The value of a written number, or ``None`` if its marks contradict each other.

    Args:
        written: digits with optional group marks (``,`` ``.`` and spaces) and one decimal
            mark: ``"1,234.56"``, ``"1.234,56"``, ``"1 234,56"``, ``"12.5"``, ``"1,234"``.
        language: the document's language (ISO 639-1, ``"fr"``), which decides whether a
            single mark before three digits is decimal (``"1,234"`` in French is 1.234);
            ``None`` reads it as grouping.

    Cached: numbers repeat across a corpus, and babel costs ~15 µs a call (measured).
    """
    text = written.translate(_SPACES).strip()
    if text.isdigit():
        return float(text)
    decimal = _decimal_mark(text, language)
    if decimal is None:
        return None
    group = next((mark for mark in _MARKS if mark in text and mark != decimal), None)
    locale = _POINT_DECIMAL_LOCALE
    if decimal == "," or (not decimal and group == "."):
        locale = _COMMA_DECIMAL_LOCALE
    try:
        value = parse_decimal(text.replace(" ", _GROUP_OF[locale]), locale=locale, strict=True)
    except NumberFormatError:
        return None
    return float(value)


def _decimal_mark(text: str, language: str | None) -> str | None:
    """``"."`` or ``","`` for the decimal mark of ``text``, ``""`` if it has none.

    ``None`` when the marks contradict each other (a decimal mark written twice).
    """
    marks = [ch for ch in text if ch in _MARKS]
    if not marks:
        return ""
    if len(set(marks)) == len(_MARKS):
        # Both marks: the last one is the decimal mark and is written once.
        return marks[-1] if marks.count(marks[-1]) == 1 else None
    mark = marks[0]
    if len(marks) > 1:
        return ""  # "1.234.567": a mark written twice groups
    integer, _, fraction = text.partition(mark)
    if " " in integer or len(fraction) != DIGITS_PER_GROUP or integer in ("", "0"):
        # "1 234,5" (spaces group, so the mark is decimal), "12.5", "0,125", ".125".
        return mark
    language_mark = _decimal_symbol(language)
    return mark if mark == language_mark else ""


@lru_cache(maxsize=256)
def _decimal_symbol(language: str | None) -> str | None:
    """The decimal mark of ``language`` according to babel's CLDR data, or ``None``."""
    if language is None or language.lower() in _NO_LANGUAGE:
        return None
    try:
        return str(get_decimal_symbol(language.replace("-", "_")))
    except (UnknownLocaleError, ValueError, TypeError):
        return None
