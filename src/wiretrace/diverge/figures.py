"""Figures as the checks compare them: one fact however a version writes it.

:func:`wiretrace.fingerprint.anchors.find_quantities` reads figures written in digits.
Versions of one text also write one figure

- with its unit abbreviated: "44 pct" is "44 percent" (``pct`` is the financial
  press's percent sign);
- as one hyphenated modifier: "a 350-mln-dlr loan" is "350 mln dlrs";
- in words: "five mln dlrs" for "5.0 mln dlrs", "April Nine" for "April 9" (style books
  spell out small numbers, so a copy edit turns one form into the other);
- rounded: "12.1 mln" for "12,141,000", "2.2 mln" for "2,191,000".

None of these is a changed figure.
"""

from __future__ import annotations

import re

from wiretrace.fingerprint.anchors import Quantity, find_quantities
from wiretrace.model import Span

# The place of a dateline before its date ("PORT CALLOW, March 4 (Meridian Press) -",
# "PORT CALLOW, 4 mars (Meridian Press) -"): that date says when the copy was filed, not
# what happened.
DATELINE = re.compile(r"^\s*[A-Z][A-Z .'’-]{1,40},\s*(?:[A-Z][a-z]{2,8}\.?)?\s*$")
# Capitals joined to a figure by a hyphen make a name of it ("G-7 ministers", "an F-16").
_NAMED_BEFORE = re.compile(r"(?<![\w-])[A-Z]{1,4}-$")
# Digits in groups of three separated by spaces that run on into more digits: a space
# grouping that cut a longer run ("March 17 2003"), not one number.
_CUT_GROUPING = re.compile(r"\d{1,3}(?: \d{3})+\d")
# Letters written against a figure that are no unit or scale: a stray digit on a word.
_GLUED_AFTER = re.compile(r"[a-z]{3,}", re.IGNORECASE)
# "pct" after a figure: the percent sign of wire and financial copy.
_PCT_AFTER = re.compile(r"\s?pct\b", re.IGNORECASE)
# A scale joined to its figure by a hyphen ("350-mln-dlr", "a 12-billion-yen bond").
_HYPHEN_SCALE = re.compile(
    r"-(?P<scale>thousand|million|mln|billion|bln|trillion)\b", re.IGNORECASE
)
_SCALES = {
    "thousand": 1e3,
    "million": 1e6,
    "mln": 1e6,
    "billion": 1e9,
    "bln": 1e9,
    "trillion": 1e12,
}
_UNIT_WORDS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen "  # noqa: SIM905
        "fourteen fifteen sixteen seventeen eighteen nineteen".split()
    )
}
_TEN_WORDS = {
    w: 10 * (i + 2)
    for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())  # noqa: SIM905
}
_NUMBER_WORD = re.compile(
    rf"\b(?:(?P<tens>{'|'.join(_TEN_WORDS)})(?:[- ](?P<ones>{'|'.join(list(_UNIT_WORDS)[1:10])}))?"
    rf"|(?P<unit>{'|'.join(_UNIT_WORDS)}))\b"
    rf"(?:[-\s](?P<scale>{'|'.join(_SCALES)})\b)?"
    r"(?P<pct>\s(?:pct|percent|per cent)\b)?",
    re.IGNORECASE,
)
# A rounded figure keeps this many significant digits ("2.2 mln" for "2,191,000").
_MIN_ROUNDED_DIGITS = 2
# The digits of a written figure ("12.1" of "12.1 mln", "2,191,000").
_DIGITS = re.compile(r"\d[\d,]*(?:\.(?P<decimals>\d+))?")


def _percent(key: str) -> str:
    """``key`` as a percentage (each end of a range)."""
    return "..".join(end if end.endswith("%") else end + "%" for end in key.split(".."))


def _scaled(key: str, scale: float) -> str | None:
    try:
        return f"{float(key) * scale:g}"
    except ValueError:  # a fraction ("101-3/8") or a range: not scaled by a hyphen
        return None


def figures(text: str, start: int = 0, end: int | None = None) -> list[Quantity]:
    """Quantities of ``text[start:end]`` keyed by value, "pct" and hyphenated scales read."""
    stop = len(text) if end is None else end
    found = []
    skip_to = start
    for q in find_quantities(text, start, stop):
        if q.start < skip_to:
            continue
        if _NAMED_BEFORE.search(text, max(0, q.start - 6), q.start):
            continue  # part of a name: "G-7", "F-16", "MD-80"
        if _GLUED_AFTER.match(text, q.end, stop):
            continue  # a stray digit on a word ("0speculation"), not a figure
        run = _CUT_GROUPING.match(text, q.start, stop)
        if run:
            # "March 17 2003" read as 17,200 and 3: a day and a year, not one number.
            found += [
                Quantity(f"{float(m.group(0)):g}", m.start(), m.end())
                for m in re.finditer(r"\d+", text[: run.end()])
                if m.start() >= q.start
            ]
            skip_to = run.end()
            continue
        key = q.key
        hyphen = _HYPHEN_SCALE.match(text, q.end, stop)
        if hyphen and not any(c.isalpha() for c in text[q.start : q.end]):
            key = _scaled(key, _SCALES[hyphen.group("scale").lower()]) or key
        after = hyphen.end() if hyphen else q.end
        if _PCT_AFTER.match(text, after, stop) or text.startswith("-pct", after):
            key = _percent(key)
        found.append(Quantity(key, q.start, q.end, q.converted) if key != q.key else q)
    return found


def word_figures(text: str, start: int = 0, end: int | None = None) -> list[Quantity]:
    """Figures written in words: "five mln dlrs", "twenty-five pct", "April Nine"."""
    found = []
    for m in _NUMBER_WORD.finditer(text, start, len(text) if end is None else end):
        value: float
        if m.group("tens"):
            value = _TEN_WORDS[m.group("tens").lower()]
            value += _UNIT_WORDS[m.group("ones").lower()] if m.group("ones") else 0
        else:
            value = _UNIT_WORDS[m.group("unit").lower()]
        if m.group("scale"):
            value *= _SCALES[m.group("scale").lower()]
        key = f"{float(value):g}" + ("%" if m.group("pct") else "")
        found.append(Quantity(key, m.start(), m.end()))
    return found


def scaled_word_figures(text: str, start: int = 0, end: int | None = None) -> list[Quantity]:
    """Word figures that are surely amounts: with a scale or a percent ("two billion dlrs").

    A bare number word ("one of them", "two new roads") is as often no figure at all.
    """
    return [
        q
        for q in word_figures(text, start, end)
        if q.key.endswith("%") or float(q.key) >= _SCALES["thousand"]
    ]


def _unit_of(text: str, q: Quantity) -> float | None:
    """The rounding unit of a figure written with a scale word or with decimals.

    "12.1 mln" is rounded to 0.1 mln, "25.8" to 0.1. ``None`` for a whole number without
    a scale word, or a figure with one significant digit: "6 billion" for "6.4 billion"
    may as well be a corrected figure.
    """
    written = text[q.start : q.end]
    digits = _DIGITS.search(written)
    if digits is None:
        return None
    if not any(c.isalpha() for c in written[digits.end() :]) and not digits.group("decimals"):
        return None
    if len(digits.group(0).replace(",", "").replace(".", "").strip("0")) < _MIN_ROUNDED_DIGITS:
        return None
    try:
        value = float(q.key.rstrip("%"))
        number = float(digits.group(0).replace(",", ""))
    except ValueError:
        return None
    if number == 0:
        return None
    decimals = len(digits.group("decimals") or "")
    return value / number * 10.0**-decimals


# A count cut or rounded to the thousand ("4,403,000" for "4,403,852") is that count.
_THOUSAND = 1000


def _to_the_thousand(text: str, q: Quantity) -> bool:
    """Whether a figure is a whole number written to the thousand ("4,403,000").

    Only with at least :data:`_MIN_ROUNDED_DIGITS` significant digits ("2,000" for "2,500"
    may as well be a corrected figure); "110,000" is read to the thousand too, not to
    the ten thousand: it may be exact.
    """
    value = _whole(text, q)
    return (
        value is not None
        and value % _THOUSAND == 0
        and len(str(value).rstrip("0")) >= _MIN_ROUNDED_DIGITS
    )


def rounds_to(text_x: str, x: Quantity, text_y: str, y: Quantity) -> bool:
    """Whether one figure is the other rounded or cut off.

    Rounded: "12.1 mln" / "12,141,000", "25.8" / "25.76"; cut to the thousand, as results
    tables write a count: "4,403,000" / "4,403,852".
    """
    if x.key.endswith("%") != y.key.endswith("%") or ".." in x.key + y.key:
        return False
    try:
        vx, vy = float(x.key.rstrip("%")), float(y.key.rstrip("%"))
    except ValueError:
        return False
    for text, q in ((text_x, x), (text_y, y)):
        unit = _unit_of(text, q)
        # Half a unit either way, with room for the float error of the scaled key.
        if unit is not None and abs(vx - vy) <= unit / 2 * (1 + 1e-9):
            return True
        # Cut off rather than rounded: within a whole unit below or above (read from the
        # digits: a key keeps six significant digits).
        if _to_the_thousand(text, q):
            wx, wy = _whole(text_x, x), _whole(text_y, y)
            if wx is not None and wy is not None and abs(wx - wy) < _THOUSAND:
                return True
    return False


def _whole(text: str, q: Quantity) -> int | None:
    """The value of a figure written as a whole number in digits alone ("4,403,852")."""
    written = text[q.start : q.end].strip()
    if not re.fullmatch(r"\d{1,3}(?:,\d{3})*|\d+", written):
        return None
    return int(written.replace(",", ""))


# Any run of digits: what a text states, however a figure is written ("1000 EDT/1400 GMT").
_DIGIT_RUN = re.compile(r"\d+(?:[.,]\d+)*")


def digit_keys(text: str) -> set[str]:
    """Every number the text writes in digits, keyed as :func:`figures` keys a plain one."""
    keys = set()
    for m in _DIGIT_RUN.finditer(text):
        try:
            keys.add(f"{float(m.group(0).replace(',', '')):g}")
        except ValueError:
            continue
    return keys


def sentence_figures(text: str, sentence: Span) -> list[Quantity]:
    """Quantities of a sentence that state facts: no conversions, no dateline dates.

    Amounts written in words ("two billion dlrs") are facts too; a bare number word ("two
    new roads", "one of them") only shows that a figure is stated (see ``_unchanged``).
    """
    found = []
    quantities = figures(text, sentence.start, sentence.end)
    quantities += scaled_word_figures(text, sentence.start, sentence.end)
    for q in sorted(quantities, key=lambda q: q.start):
        before = text[sentence.start : q.start]
        if q.converted or DATELINE.match(before):
            continue
        found.append(q)
    return found
