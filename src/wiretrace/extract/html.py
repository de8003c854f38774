"""HTML pages to article text and metadata through trafilatura, with guards."""

from __future__ import annotations

import re
from dataclasses import dataclass

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
    published = _PUBLISHED_TIME.search(html[:_HEAD_CHARS])
    date = doc.get("date")
    if published:
        value = next(g for g in published.groups() if g)
        if date is None or value.startswith(date[:10]):
            date = value
    return ExtractedPage(
        text=text,
        title=doc.get("title"),
        date=date,
        author=doc.get("author"),
        url=doc.get("url"),
        sitename=doc.get("sitename"),
    )
