"""Parse the many date formats of news metadata into comparable UTC datetimes.

A fast path reads the forms news metadata uses most (ISO 8601, epoch seconds and
milliseconds, Reuters-21578, RFC 2822, written English dates with a time and a zone);
``dateparser`` then reads written dates in other languages ("4 mars 2026"). Nothing is
ever guessed: a date names its day, month and year, relative phrases ("yesterday",
"since 2019") give ``None``, and so does a numeric date whose day and month could be
swapped ("03/04/2026"). A date that gets the direction of a copy wrong is worse than none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
# The zone names of RFC 822 (section 5.1), which US news metadata still writes, and a few
# unambiguous ones common in wire copy. "IST" (India, Ireland, Israel) is left out on
# purpose: ``dateparser`` makes its own choice about it.
_FIXED_ZONES = {
    "z": 0,
    "ut": 0,
    "utc": 0,
    "gmt": 0,
    "est": -5,
    "edt": -4,
    "cst": -6,
    "cdt": -5,
    "mst": -7,
    "mdt": -6,
    "pst": -8,
    "pdt": -7,
    "bst": 1,
    "cet": 1,
    "cest": 2,
    "eet": 2,
    "eest": 3,
    "msk": 3,
    "hkt": 8,
    "sgt": 8,
    "jst": 9,
    "kst": 9,
    "aest": 10,
    "aedt": 11,
}
# "ET", "PT" and friends follow daylight saving time, which a fixed offset gets wrong for
# half the year (``dateparser`` reads "9:12 PM ET" in July as UTC-5).
_CIVIL_ZONES = {
    "et": "America/New_York",
    "ct": "America/Chicago",
    "mt": "America/Denver",
    "pt": "America/Los_Angeles",
}
# Epoch timestamps: 9-10 digits are seconds (1973-2286), 12-13 digits milliseconds. Only
# moments in this window are taken for dates; other digit strings are ids or counts.
_EPOCH = re.compile(r"^(?:(?P<s>\d{9,10})(?P<frac>\.\d{1,6})?|(?P<ms>\d{12,13}))$")
EPOCH_MIN_YEAR = 1980
EPOCH_MAX_YEAR = 2100
# Reuters-21578: "26-FEB-1987 15:01:01.79", sometimes with a double space, trailing
# category letters ("00:03:35.68F RM"), a comment, or a garbled time ("605:12:19.12",
# read as the day alone).
_REUTERS = re.compile(
    r"^(?P<day>\d{1,2})-(?P<month>[A-Za-z]{3})-(?P<year>\d{4})"
    r"(?:\s+(?P<hour>\d{1,2}):(?P<minute>\d{2}):(?P<second>\d{2})(?:\.(?P<frac>\d{1,6}))?"
    r"(?!\d))?"
)
_TIME = (
    r"(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?::(?P<second>\d{2}))?"
    r"(?:\s*(?P<ampm>[ap])\.?\s?m\b\.?)?"
    r"(?:\s*\(?(?P<zone>[a-z]{1,4}\b|(?:utc|gmt)?\s?[+-]\d{1,2}(?::?\d{2})?)\)?)?"
)
# "March 4, 2026", "Mar. 4, 2026", "Wednesday, 4 March 2026 at 9:12 p.m. EST".
_ENGLISH = re.compile(
    r"^(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
    r"(?:(?P<month_a>[a-z]{3,9})\.?\s+(?P<day_a>\d{1,2})(?:st|nd|rd|th)?,?"
    r"|(?P<day_b>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month_b>[a-z]{3,9})\.?,?)"
    r"\s+(?P<year>\d{4})"
    rf"(?:(?:\s*,\s*|\s+at\s+|\s+[-–—/|]\s+|\s+){_TIME})?\s*$",
    re.IGNORECASE,
)
# "2026/03/04 09:12", "04.03.2026", "03/04/2026": numbers only, with an optional time.
_NUMERIC = re.compile(
    r"^(?:(?P<y1>\d{4})[/.-](?P<a1>\d{1,2})[/.-](?P<b1>\d{1,2})"
    r"|(?P<a2>\d{1,2})(?P<sep>[/.-])(?P<b2>\d{1,2})[/.-](?P<y2>\d{4}))"
    rf"(?:(?:\s+|T){_TIME})?\s*$",
    re.IGNORECASE,
)
# "Wed, 04 Mar 2026 09:12:00 +0000": the shape RFC 2822 parsing is tried on, since the
# standard library's parser fills in what is missing rather than failing.
_RFC2822 = re.compile(r"^(?:[a-z]{3},\s*)?\d{1,2}\s+[a-z]{3}\s+\d{2,4}\s+\d{1,2}:\d{2}", re.I)
# Metadata dates are short; a longer value is prose, which dates are never read from.
MAX_DATE_CHARS = 120
# Written dates in these languages go to ``dateparser``; each one more costs a little time
# on every value no language reads. The languages of the evaluation data (SemEval-2022
# Task 8), with Portuguese and Dutch.
DATEPARSER_LANGUAGES = ("en", "fr", "de", "es", "it", "pt", "nl", "pl", "ru", "tr", "ar", "zh")
_DATEPARSER_SETTINGS: dict[str, Any] = {
    # Only absolute dates: no "2 days ago", no bare timestamps, no "20260304" guesses.
    "PARSERS": ["absolute-time"],
    # A year alone ("since 2019") or a month alone is not a date.
    "REQUIRE_PARTS": ["day", "month", "year"],
    "RETURN_AS_TIMEZONE_AWARE": True,
    # Values without a zone are taken as UTC, as everywhere else in this module.
    "TIMEZONE": "UTC",
    "TO_TIMEZONE": "UTC",
    # Says whether a time of day was read ("time") or only a day ("day").
    "RETURN_TIME_AS_PERIOD": True,
}
HOURS_PER_HALF_DAY = 12
MONTHS_PER_YEAR = 12
MS_PER_SECOND = 1000


@dataclass(frozen=True, slots=True)
class ParsedDate:
    """A moment in UTC, and whether the source gave a time of day or only a date."""

    moment: datetime
    has_time: bool

    def isoformat(self) -> str:
        """ISO 8601 in UTC: ``1987-02-26T15:01:01.790Z``, or ``1987-02-26`` without a time."""
        if not self.has_time:
            return self.moment.date().isoformat()
        timespec = "milliseconds" if self.moment.microsecond else "seconds"
        return self.moment.isoformat(timespec=timespec).replace("+00:00", "Z")


def parse_date(value: str | None) -> ParsedDate | None:
    """Parse a date of news metadata; ``None`` if it does not name a day without doubt.

    Args:
        value: ISO 8601, epoch seconds or milliseconds, Reuters-21578
            (``26-FEB-1987 15:01:01.79``), RFC 2822, written English
            (``March 4, 2026 9:12 PM EST``) or a written date in one of
            :data:`DATEPARSER_LANGUAGES` (``4 mars 2026``). Values without a zone are UTC.

    Returns:
        The moment in UTC and whether a time of day was given, or ``None``.
    """
    if not value:
        return None
    text = " ".join(value.split())
    if not text or len(text) > MAX_DATE_CHARS:
        return None
    for reader in (_from_epoch, _from_iso, _from_reuters, _from_english, _from_rfc2822):
        parsed = reader(text)
        if parsed is not None:
            return parsed
    numeric = _NUMERIC.match(text)
    if numeric:
        # Numbers only: decided here, never by dateparser's guess of the day order.
        return _from_numeric(numeric)
    return _from_dateparser(text)


def normalize_date(value: str | None) -> str | None:
    """``value`` as ISO 8601 in UTC (date-only values stay date-only), or ``None``.

    ``"26-FEB-1987 15:01:01.79"`` becomes ``"1987-02-26T15:01:01.790Z"``, ``"4 mars 2026"``
    becomes ``"2026-03-04"``; :func:`parse_date` reads the result back unchanged.
    """
    parsed = parse_date(value)
    return parsed.isoformat() if parsed is not None else None


def _in_utc(moment: datetime, has_time: bool) -> ParsedDate:
    """A parsed moment in UTC; a moment without a zone is taken to be in UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return ParsedDate(moment.astimezone(UTC), has_time)


def _from_epoch(text: str) -> ParsedDate | None:
    """Epoch seconds (``1677067200``) or milliseconds (``1677067200000``)."""
    match = _EPOCH.match(text)
    if not match:
        return None
    if match.group("ms"):
        seconds = int(match.group("ms")) / MS_PER_SECOND
    else:
        seconds = float(match.group("s") + (match.group("frac") or ""))
    moment = datetime.fromtimestamp(seconds, UTC)
    if not EPOCH_MIN_YEAR <= moment.year < EPOCH_MAX_YEAR:
        return None
    return ParsedDate(moment, True)


def _from_iso(text: str) -> ParsedDate | None:
    """ISO 8601: a date alone stays a date, anything longer carries a time."""
    try:
        return _in_utc(datetime.combine(date.fromisoformat(text), datetime.min.time()), False)
    except ValueError:
        pass
    try:
        return _in_utc(datetime.fromisoformat(text), True)
    except ValueError:
        return None


def _from_reuters(text: str) -> ParsedDate | None:
    """Reuters-21578's ``26-FEB-1987 15:01:01.79``, ignoring what trails the time."""
    match = _REUTERS.match(text)
    month = _MONTHS.get(match.group("month").lower()) if match else None
    if match is None or month is None:
        return None
    try:
        day = datetime(int(match.group("year")), month, int(match.group("day")))
    except ValueError:
        return None
    if match.group("hour") is None:
        return _in_utc(day, False)
    fraction = match.group("frac") or "0"
    try:
        moment = day.replace(
            hour=int(match.group("hour")),
            minute=int(match.group("minute")),
            second=int(match.group("second")),
            microsecond=int(fraction.ljust(6, "0")),
        )
    except ValueError:
        # An impossible time of a real day: the day is still known.
        return _in_utc(day, False)
    return _in_utc(moment, True)


def _from_english(text: str) -> ParsedDate | None:
    """``March 4, 2026``, ``4 Mar. 2026``, ``Wed, March 4, 2026 9:12 PM EST``."""
    match = _ENGLISH.match(text)
    if not match:
        return None
    month = _MONTHS.get((match.group("month_a") or match.group("month_b")).lower())
    if month is None:
        return None
    day = int(match.group("day_a") or match.group("day_b"))
    return _dated(int(match.group("year")), month, day, match)


def _from_numeric(match: re.Match[str]) -> ParsedDate | None:
    """``2026/03/04``, ``04.03.2026``, and slashed dates that only one day order fits.

    Dotted dates are day first wherever they are written; in ``03/04/2026`` either number
    may be the month (US and European usage differ), so it is read only when one of the
    two cannot be a month, or both are the same.
    """
    if match.group("y1"):
        return _dated(int(match.group("y1")), int(match.group("a1")), int(match.group("b1")), match)
    first, second = int(match.group("a2")), int(match.group("b2"))
    year = int(match.group("y2"))
    if match.group("sep") == "." or first == second:
        return _dated(year, second, first, match)
    if first > MONTHS_PER_YEAR >= second:
        return _dated(year, second, first, match)
    if second > MONTHS_PER_YEAR >= first:
        return _dated(year, first, second, match)
    return None


def _dated(year: int, month: int, day: int, match: re.Match[str]) -> ParsedDate | None:
    """The day, with the time of ``match`` (``hour``, ``minute``, ``ampm``, ``zone``) if any."""
    try:
        moment = datetime(year, month, day)
    except ValueError:
        return None
    if match.group("hour") is None:
        return _in_utc(moment, False)
    hour = int(match.group("hour"))
    ampm = (match.group("ampm") or "").lower()
    if ampm:
        if not 1 <= hour <= HOURS_PER_HALF_DAY:
            return None
        hour = hour % HOURS_PER_HALF_DAY + (HOURS_PER_HALF_DAY if ampm == "p" else 0)
    try:
        moment = moment.replace(
            hour=hour, minute=int(match.group("minute")), second=int(match.group("second") or 0)
        )
    except ValueError:
        return None
    zone = match.group("zone")
    if zone:
        found = _zone(zone, moment)
        if found is None:
            return None  # a zone this table does not know: let dateparser read it
        moment = moment.replace(tzinfo=found)
    return _in_utc(moment, True)


_OFFSET = re.compile(r"^(?:utc|gmt)?\s?(?P<sign>[+-])(?P<h>\d{1,2})(?::?(?P<m>\d{2}))?$")


def _zone(name: str, moment: datetime) -> tzinfo | None:
    """The time zone an abbreviation or offset names, or ``None`` if unknown."""
    key = name.lower()
    if key in _FIXED_ZONES:
        return timezone(timedelta(hours=_FIXED_ZONES[key]))
    if key in _CIVIL_ZONES:
        return ZoneInfo(_CIVIL_ZONES[key])
    offset = _OFFSET.match(key)
    if offset is None:
        return None
    delta = timedelta(hours=int(offset.group("h")), minutes=int(offset.group("m") or 0))
    try:
        return timezone(-delta if offset.group("sign") == "-" else delta)
    except ValueError:
        return None


def _from_rfc2822(text: str) -> ParsedDate | None:
    """RFC 2822 as in e-mail and RSS: ``Wed, 04 Mar 2026 09:12:00 +0000``."""
    if not _RFC2822.match(text):
        return None
    try:
        return _in_utc(parsedate_to_datetime(text), True)
    except (TypeError, ValueError, IndexError):
        return None


@lru_cache(maxsize=1)
def _date_parser() -> Any:
    """One ``dateparser`` parser for the process (it loads its language data lazily)."""
    from dateparser.date import DateDataParser

    return DateDataParser(languages=list(DATEPARSER_LANGUAGES), settings=_DATEPARSER_SETTINGS)


@lru_cache(maxsize=1 << 14)
def _from_dateparser(text: str) -> ParsedDate | None:
    """A written date in another language (``4 mars 2026``) through ``dateparser``.

    Cached: archives repeat a handful of date strings per day, and dateparser costs about a
    millisecond a value (measured).
    """
    if not any(ch.isdigit() for ch in text):
        return None  # no day and no year: "yesterday", "Monday"
    found = _date_parser().get_date_data(text)
    if found is None or found.date_obj is None:
        return None
    return _in_utc(found.date_obj, found.period == "time")


def earlier(a: ParsedDate | None, b: ParsedDate | None) -> int:
    """-1 if ``a`` is surely earlier, 1 if ``b`` is, 0 if unknown or not decidable.

    Two dates of one day decide only when both carry a time of day.
    """
    if a is None or b is None:
        return 0
    if a.moment.date() == b.moment.date() and not (a.has_time and b.has_time):
        return 0
    if a.moment < b.moment:
        return -1
    if b.moment < a.moment:
        return 1
    return 0
