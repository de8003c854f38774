"""Typed anchors: numbers, names and quotes, the facts that survive rewording and translation.

An anchor's key is language-neutral where it can be: "$200 billion", "US$200 billion" and
"200 milliards de dollars" all give the number key ``2e+11``; "14%" and "14 %" give
``14%``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from wiretrace.fingerprint.numerals import parse_number
from wiretrace.segment import STOPWORDS, normalize_token


class AnchorKind(StrEnum):
    """What an anchor is."""

    NUMBER = "number"
    NAME = "name"
    QUOTE = "quote"


@dataclass(frozen=True, slots=True)
class Anchor:
    """One anchor: its kind, a normalized key, and where it sits in the text."""

    kind: AnchorKind
    key: str
    start: int
    end: int


_SCALE_WORDS = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "millions": 1e6,
    "mn": 1e6,
    "m": 1e6,
    "mln": 1e6,
    "billion": 1e9,
    "billions": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "bln": 1e9,
    "milliard": 1e9,
    "milliards": 1e9,
    "mrd": 1e9,
    "milliarden": 1e9,
    "trillion": 1e12,
    "trillions": 1e12,
    "tn": 1e12,
    "billions de": 1e12,
}
_NUMBER = re.compile(
    r"(?<![\w.,/])(?:(?P<frac>\d+-\d+/\d+|\d+/\d+)"
    r"|(?P<num>\d{1,3}(?:[ ,.\u202f\u00a0]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?))"
    r"(?:\s?(?P<pct>%|percent\b|per cent\b|pour cent\b|prozent\b))?"
    r"(?:\s?(?P<scale>thousand|millions?|mn|mln|m|billions?|bn|bln|b|milliards?|milliarden|"
    r"mrd|trillions?|tn|k)\b)?",
    re.IGNORECASE,
)
_NAME_TOKEN = re.compile(r"\b[A-ZÀ-Ý][\w'’-]*[\w]")
# Typographic quotes pair unambiguously; straight quotes are paired in order within a
# paragraph, so a short quoted word cannot turn the narration after it into a "quote".
_CURLY_QUOTE = re.compile(
    r"“(?P<a>[^“”\n]{1,600})”|«(?P<b>[^«»\n]{1,600})»|„(?P<c>[^„“”\n]{1,600})[“”]"
)
_STRAIGHT_QUOTE = '"'
_POSSESSIVE = re.compile(r"['’]s?$")
# Characters that may precede the first word of a sentence.
_SENTENCE_OPENERS = "\"“”'‘’«»„([ \t"
MIN_QUOTE_WORDS = 4
# Two-letter capitals are mostly initials and abbreviations ("US", "UK"), too common to name.
MIN_NAME_CHARS = 3
# Key of a quote: its first words, so a quote cut short or extended still matches.
QUOTE_KEY_WORDS = 6


def _number_key(match: re.Match[str], language: str | None = None) -> str | None:
    """The key of one number match: its value (scaled, with "%"), or a written fraction."""
    fraction = match.group("frac")
    if fraction:
        # Bond prices and coupons ("101-3/4 pct"): keep the written form as the key.
        return fraction + ("%" if match.group("pct") else "")
    value = parse_number(match.group("num"), language)
    if value is None:
        return None
    scale = match.group("scale")
    if scale:
        value *= _SCALE_WORDS.get(scale.lower(), 1.0)
    if match.group("pct"):
        return f"{value:g}%"
    return f"{value:g}"


def find_numbers(text: str, language: str | None = None) -> list[Anchor]:
    """Only the number anchors of ``text``, in order of position.

    Args:
        text: the clean text.
        language: the text's language, which decides whether "1,234" is 1234 (English,
            and the reading without a language) or 1.234 (French, German…).
    """
    anchors = []
    for match in _NUMBER.finditer(text):
        key = _number_key(match, language)
        if key is not None:
            anchors.append(Anchor(AnchorKind.NUMBER, key, match.start(), match.end()))
    return anchors


def find_names(text: str, start: int = 0, end: int | None = None) -> set[str]:
    """Name keys in ``text[start:end]``, a sentence: capitalized words, not its first word."""
    names = set()
    for match in _NAME_TOKEN.finditer(text, start, len(text) if end is None else end):
        if not text[start : match.start()].strip():
            continue
        norm = normalize_token(match.group(0))
        if len(norm) >= MIN_NAME_CHARS and norm not in STOPWORDS and not norm.isdigit():
            names.add(norm)
    return names


def find_name_spans(text: str, start: int = 0, end: int | None = None) -> list[Anchor]:
    """Name anchors of ``text[start:end]``, a sentence, without a possessive "'s".

    Like :func:`find_names` (the sentence's first word is not a name), but with offsets,
    and "Blinken's" keyed as ``blinken`` so a possessive is not a different name.
    """
    anchors = []
    opening = _skip_openers(text, start)
    for match in _NAME_TOKEN.finditer(text, start, len(text) if end is None else end):
        if match.start() <= opening:
            continue
        raw = _POSSESSIVE.sub("", match.group(0))
        norm = normalize_token(raw)
        if len(norm) >= MIN_NAME_CHARS and norm not in STOPWORDS and not norm.isdigit():
            anchors.append(Anchor(AnchorKind.NAME, norm, match.start(), match.start() + len(raw)))
    return anchors


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number as a fact: a value (or a range of values) and where it is written.

    ``key`` is the number key of :func:`find_numbers` or, for a range ("$185 billion to
    $200 billion", "185-200 bn"), ``"low..high"``. ``converted`` marks an amount in
    parentheses right after another one ("US$200 billion (S$268 billion)", "1,800 metres
    (5,900 feet)"): an editor's conversion of the same fact, not a fact of its own.
    """

    key: str
    start: int
    end: int
    converted: bool = False


# Between the two ends of a range: "185 to 200", "185-200", "between 185 and 200".
_RANGE_JOIN = re.compile(r"\s*(?:to|-|–|—|and)\s*(?:[A-Z]{0,3}[$€£¥₹])?\s*$")
# Between an amount and its conversion: an optional unit word, "(", an optional hedge
# ("about", "around") and an optional currency ("S$", "€").
_CONVERSION_JOIN = re.compile(
    r"^(?:\s+[^\W\d]+)?\s*\(\s*(?:about|around|approximately|approx\.?|roughly|some|nearly|"
    r"almost|ca\.?|c\.|environ|soit)?\s*(?:[A-Z]{0,3}[$€£¥₹]|Rs\.?|EUR|USD|GBP)?\s*$",
    re.IGNORECASE,
)
# A currency sign written before an amount ("$", "US$", "S$", "€").
_CURRENCY_BEFORE = re.compile(r"(?:[A-Z]{1,3})?[$€£¥₹]$")


def find_quantities(
    text: str, start: int = 0, end: int | None = None, language: str | None = None
) -> list[Quantity]:
    """Numbers of ``text[start:end]`` as facts: ranges joined, conversions marked.

    A range ("$185 billion to $200 billion") is one quantity, so it does not agree with a
    sentence that states the two ends as separate figures ("$200 billion, up from $185
    billion"); a lower end without a scale takes the upper end's ("185-200 billion").
    ``language`` reads the numbers as in :func:`find_numbers`.
    """
    stop = len(text) if end is None else end
    matches = [
        m for m in _NUMBER.finditer(text, start, stop) if _number_key(m, language) is not None
    ]
    quantities: list[Quantity] = []
    i = 0
    while i < len(matches):
        match = matches[i]
        key = _number_key(match, language) or ""
        q_end = match.end()
        if i + 1 < len(matches):
            upper = matches[i + 1]
            between = text[match.end() : upper.start()]
            is_range = bool(_RANGE_JOIN.match(between)) and (
                not between.strip().lower().startswith("and")
                or text[max(start, match.start() - 12) : match.start()]
                .lower()
                .rstrip(" $€£")
                .endswith("between")
            )
            if is_range and not match.group("frac") and not upper.group("frac"):
                low = parse_number(match.group("num"), language) or 0.0
                if upper.group("scale") and not match.group("scale"):
                    low *= _SCALE_WORDS.get(upper.group("scale").lower(), 1.0)
                    key = f"{low:g}%" if upper.group("pct") else f"{low:g}"
                elif match.group("scale"):
                    low *= _SCALE_WORDS.get(match.group("scale").lower(), 1.0)
                high = parse_number(upper.group("num"), language) or 0.0
                if upper.group("scale"):
                    high *= _SCALE_WORDS.get(upper.group("scale").lower(), 1.0)
                # "7 to 2" is a vote or a score: a range runs upwards.
                if low < high:
                    key = f"{key}..{_number_key(upper, language) or ''}"
                    q_end = upper.end()
                    i += 1
        q_start = match.start()
        currency = _CURRENCY_BEFORE.search(text, max(start, q_start - 4), q_start)
        if currency:
            q_start = currency.start()
        converted = bool(quantities) and bool(
            _CONVERSION_JOIN.match(text[quantities[-1].end : q_start])
        )
        quantities.append(Quantity(key, q_start, q_end, converted))
        i += 1
    return quantities


def _skip_openers(text: str, start: int) -> int:
    """The offset of the first word of a sentence that starts at ``start``."""
    while start < len(text) and text[start] in _SENTENCE_OPENERS:
        start += 1
    return start


def quote_spans(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of every quotation of ``text``, quote marks included."""
    return _quote_spans(text)


def _quote_spans(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of every quotation, quote marks included."""
    spans = [(m.start(), m.end()) for m in _CURLY_QUOTE.finditer(text)]
    marks: list[int] = []
    paragraph_end = -1
    found = text.find(_STRAIGHT_QUOTE)
    while found != -1:
        if found > paragraph_end:
            # A new paragraph: an unmatched mark of the previous one pairs with nothing.
            marks = []
            paragraph_end = text.find("\n", found)
            paragraph_end = len(text) if paragraph_end == -1 else paragraph_end
        marks.append(found)
        if len(marks) == 2:
            spans.append((marks[0], marks[1] + 1))
            marks = []
        found = text.find(_STRAIGHT_QUOTE, found + 1)
    return sorted(spans)


def find_anchors(
    text: str, sentence_starts: frozenset[int] = frozenset(), language: str | None = None
) -> list[Anchor]:
    """Numbers, names and quotes in ``text``, in order of position.

    Args:
        text: the clean text.
        sentence_starts: offsets where sentences start; capitals there are not names.
        language: the text's language, for reading numbers (see :func:`find_numbers`).
    """
    anchors = find_numbers(text, language)
    sentence_starts = sentence_starts | {_skip_openers(text, s) for s in sentence_starts}
    for match in _NAME_TOKEN.finditer(text):
        norm = normalize_token(match.group(0))
        if len(norm) < MIN_NAME_CHARS or norm in STOPWORDS or norm.isdigit():
            continue
        if match.start() in sentence_starts:
            # A capital at a sentence start says nothing; the name shows up again elsewhere.
            continue
        anchors.append(Anchor(AnchorKind.NAME, norm, match.start(), match.end()))
    for start, end in _quote_spans(text):
        words = [normalize_token(w) for w in re.findall(r"\w+", text[start + 1 : end - 1])]
        if len(words) >= MIN_QUOTE_WORDS:
            key = " ".join(words[:QUOTE_KEY_WORDS])
            anchors.append(Anchor(AnchorKind.QUOTE, key, start, end))
    anchors.sort(key=lambda a: (a.start, a.kind))
    return anchors
