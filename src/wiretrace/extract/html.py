"""HTML pages to article text and metadata through trafilatura, with guards."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from wiretrace.dates import parse_date
from wiretrace.errors import InputError
from wiretrace.extract.limits import time_limit

# libxml2 refuses trees deeper than this without its "huge" option; pages nested deeper
# are attacks or broken generators, and trafilatura can crawl on them.
MAX_NESTING_DEPTH = 256
_TAG_OPEN = "<"
# Void elements have no closing tag; counted as openings, a long article laid out with
# <br> or <img> would look nested thousands deep.
_VOID_TAG = re.compile(
    r"<(?:area|base|br|col|embed|hr|img|input|link|meta|param|source|track|wbr)\b",
    re.IGNORECASE,
)
# trafilatura (through htmldate) keeps only the day; these carry the time of publication,
# which decides the direction between two articles of the same day.
_PUBLISHED_TIME = re.compile(
    r"<meta[^>]+(?:property|name|itemprop)=[\"'](?:article:published_time|datePublished|"
    r"pubdate|publishdate|date)[\"'][^>]*content=[\"']([^\"']+)[\"']"
    r"|<meta[^>]+content=[\"']([^\"']+)[\"'][^>]*(?:property|name|itemprop)=[\"']"
    r"(?:article:published_time|datePublished)[\"']"
    r"|<time[^>]+datetime=[\"']([^\"']+)[\"']",
    re.IGNORECASE,
)
_HEAD_CHARS = 200_000
# htmldate (trafilatura's date finder) reads markup only: the page's metadata, its URL,
# <time> and date-classed elements. Its "extensive search" also reads dates out of the
# prose, and turned "since 2019" in an undated page into 2019-01-01, which then made the
# page the original of every copy. The publication date is the first one, not the last
# update.
_DATE_PARAMS = {"extensive_search": False, "original_date": True}
# UTC offsets run from -12 to +14 hours (IANA time zone database): a published time this
# far from the day htmldate read (a local calendar day) can still be a time of that day.
MAX_EAST_OFFSET = timedelta(hours=14)
MAX_WEST_OFFSET = timedelta(hours=12)
_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class ExtractedPage:
    """Article text and metadata that trafilatura found in an HTML page."""

    text: str
    title: str | None
    date: str | None
    author: str | None
    url: str | None
    sitename: str | None


def _nesting_depth(html: str) -> int:
    """A cheap upper bound of element nesting: opening minus closing tags, at the worst point."""
    depth = worst = 0
    pos = html.find(_TAG_OPEN)
    while pos != -1:
        nxt = html[pos + 1 : pos + 2]
        if nxt == "/":
            depth = max(depth - 1, 0)
        elif nxt.isalpha() and not _VOID_TAG.match(html, pos):
            depth += 1
            worst = max(worst, depth)
            if worst > MAX_NESTING_DEPTH * 8:
                break
        pos = html.find(_TAG_OPEN, pos + 1)
    return worst


def extract_html(html: str, where: str, timeout_s: float) -> ExtractedPage:
    """Extract the main article of ``html``, or raise :class:`InputError` saying why not."""
    import trafilatura

    # Elements whose end tag may be left out (<p>, <li>) still count as open, so the count
    # can overstate depth; the factor keeps ordinary pages well clear of the limit.
    if _nesting_depth(html) > MAX_NESTING_DEPTH * 8:
        raise InputError(
            f"{where}: HTML nested deeper than {MAX_NESTING_DEPTH * 8} elements; "
            "not an article page"
        )
    with time_limit(timeout_s, where, "HTML extraction"):
        try:
            found = trafilatura.bare_extraction(
                html,
                with_metadata=True,
                include_comments=False,
                include_tables=False,
                date_extraction_params=dict(_DATE_PARAMS),
            )
        except (ValueError, TypeError, RecursionError) as exc:
            raise InputError(f"{where}: HTML could not be parsed: {exc}") from None
    doc: dict = {}
    if isinstance(found, dict):
        doc = found
    elif found is not None:
        doc = found.as_dict()
    text = doc.get("text") or ""
    if not text.strip():
        raise InputError(f"{where}: no article text found in the HTML page")
    date = _publication_date(html, doc.get("date"), text)
    return ExtractedPage(
        text=text,
        title=doc.get("title"),
        date=date,
        author=doc.get("author"),
        url=doc.get("url"),
        sitename=doc.get("sitename"),
    )


def _publication_date(html: str, day: str | None, text: str) -> str | None:
    """The page's publication date as ISO 8601 UTC, from its markup only; ``None`` if unknown.

    Args:
        html: the page.
        day: the date htmldate found (``YYYY-MM-DD``), or ``None``.
        text: the article text trafilatura extracted.
    """
    if day is not None and _only_in_prose(day, html, text):
        # htmldate's last resort reads a bare ISO date out of the page text even without
        # its extensive search; a date in the story is not the story's date.
        day = None
    found = parse_date(day)
    published = _PUBLISHED_TIME.search(html[:_HEAD_CHARS])
    timed = parse_date(next(g for g in published.groups() if g)) if published else None
    if timed is not None and (found is None or _same_local_day(timed.moment, found.moment)):
        # The markup's own timestamp carries the time of day, which orders two copies of
        # one day; htmldate keeps only the day.
        found = timed
    return found.isoformat() if found is not None else None


def _only_in_prose(day: str, html: str, text: str) -> bool:
    """Whether ``day`` is written in the article text and nowhere in the page's markup."""
    if day not in text:
        return False
    head_end = html.find("</head>")
    if head_end != -1 and day in html[:head_end]:
        return False
    # Inside a tag (an attribute, a URL) or a <time> element.
    escaped = re.escape(day)
    in_markup = re.compile(rf"<[^<>]*{escaped}|<time\b[^>]*>[^<]*{escaped}", re.IGNORECASE)
    return in_markup.search(html) is None


def _same_local_day(moment: datetime, day: datetime) -> bool:
    """Whether a UTC ``moment`` can be a time of the local calendar ``day`` somewhere."""
    return day - MAX_EAST_OFFSET <= moment < day + _DAY + MAX_WEST_OFFSET
