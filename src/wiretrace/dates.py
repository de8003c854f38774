"""Parse the many date formats of news metadata into comparable UTC datetimes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

_FORMATS = (
    ("%d-%b-%Y %H:%M:%S.%f", True),  # Reuters-21578: 26-FEB-1987 15:01:01.79
    ("%d-%b-%Y %H:%M:%S", True),
    ("%Y/%m/%d %H:%M", True),
    ("%Y/%m/%d", False),
    ("%d/%m/%Y", False),
    ("%B %d, %Y", False),
    ("%d %B %Y", False),
    ("%b %d, %Y", False),
)
_HAS_TIME = re.compile(r"\d{1,2}:\d{2}")


@dataclass(frozen=True, slots=True)
class ParsedDate:
    """A moment in UTC, and whether the source gave a time of day or only a date."""

    moment: datetime
    has_time: bool


def parse_date(value: str | None) -> ParsedDate | None:
    """Parse an ISO 8601, RFC 2822, Reuters-21578 or common written date; ``None`` if unknown."""
    if not value:
        return None
    text = value.strip()
    has_time = bool(_HAS_TIME.search(text))
    moment: datetime | None = None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        for fmt, _ in _FORMATS:
            try:
                moment = datetime.strptime(
                    text.title() if "%b" in fmt or "%B" in fmt else text, fmt
                )
                break
            except ValueError:
                continue
    if moment is None:
        try:
            moment = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return ParsedDate(moment.astimezone(UTC), has_time)


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
