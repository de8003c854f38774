"""The API's lists a page at a time: stories, documents, pairs and sources, with filters.

Every list takes ``limit`` and ``offset`` and answers ``next``, the path and query of the
following page (``null`` on the last). The store has no query for these filters, so they
run here, never over texts: the documents list filters the store's document summaries
(id, title, date, source, language, size), and the pairs list streams the stored
verdicts and keeps only the page it answers. The stories list pages the stories view,
the sources list the sources view (its edges and picture whole), and an outlet's page
its rows of reuses.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from itertools import islice
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from wiretrace.dates import parse_date
from wiretrace.model import PairVerdict, ReuseType
from wiretrace.report import sources, views
from wiretrace.report.records import SCHEMA_ID

if TYPE_CHECKING:
    from wiretrace.store import SqliteStore

# Items a page lists unless asked for fewer, and at most (the stories list keeps its own
# default, all of ``views.MAX_STORIES``, so its old URLs answer as before).
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 500
# Largest offset accepted: far past any store, and small enough for every slice.
MAX_OFFSET = 1_000_000_000
# Distinct date strings whose parse is remembered: a written date ("4 mars 2026") takes
# dateparser milliseconds, and every filtered list reads every date.
DATE_CACHE_SIZE = 65_536


def next_link(
    path: str, query: Iterable[tuple[str, str]], limit: int, offset: int, has_more: bool
) -> str | None:
    """The path and query of the page after ``[offset, offset + limit)``, or ``None``.

    ``query`` is the request's own query (filters kept, its ``limit``/``offset`` replaced).
    """
    if not has_more:
        return None
    kept = [(k, v) for k, v in query if k not in ("limit", "offset")]
    return path + "?" + urlencode([*kept, ("limit", str(limit)), ("offset", str(offset + limit))])


@dataclass(frozen=True, slots=True)
class ListPage:
    """One page of a list, and whether another page follows.

    ``record`` has no ``next``: the link needs the request's URL.
    """

    record: dict
    has_more: bool


@functools.lru_cache(maxsize=DATE_CACHE_SIZE)
def _day(value: str | None) -> date | None:
    """The UTC day a stored date names, or ``None`` when it names none."""
    parsed = parse_date(value)
    return parsed.moment.date() if parsed is not None else None


def _same_text(a: str | None, b: str) -> bool:
    return a is not None and a.casefold() == b.casefold()


@dataclass(frozen=True, slots=True)
class DocumentFilter:
    """Which documents a list keeps; ``None`` keeps all.

    Attributes:
        source: the outlet, compared without regard to case.
        language: the ISO 639-1 code (``und``: undetermined).
        since: first day (UTC) of the document's date; undated documents are left out.
        until: last day (UTC) of the document's date, included.
    """

    source: str | None = None
    language: str | None = None
    since: date | None = None
    until: date | None = None

    def keeps(self, summary: Mapping) -> bool:
        """Whether a document summary (``SqliteStore.document_summaries`` row) passes."""
        if self.source is not None and not _same_text(summary["source"], self.source):
            return False
        if self.language is not None and not _same_text(summary["language"], self.language):
            return False
        if self.since is None and self.until is None:
            return True
        day = _day(summary["date"])
        if day is None:
            return False
        return (self.since is None or day >= self.since) and (
            self.until is None or day <= self.until
        )


def documents_page(store: SqliteStore, keep: DocumentFilter, limit: int, offset: int) -> ListPage:
    """One page of the documents that pass ``keep``, in the order they were stored.

    The record is a :class:`wiretrace.server.models.DocumentsPage`.
    """
    kept = [s for s in store.document_summaries() if keep.keeps(s)]
    page = kept[offset : offset + limit]
    record = {
        "schema": SCHEMA_ID,
        "num_documents": len(kept),
        "documents": [{**s, "story": store.story_of(s["id"])} for s in page],
        "limit": limit,
        "offset": offset,
    }
    return ListPage(record, offset + limit < len(kept))


@dataclass(frozen=True, slots=True)
class PairFilter:
    """Which pairs a list keeps; ``None`` (or no types) keeps all.

    Attributes:
        types: the reuse types kept.
        source: an outlet one of the two documents is from (without regard to case).
        credited: whether the reusing side credits its source.
        doc: the id of one of the two documents.
    """

    types: frozenset[ReuseType] = frozenset()
    source: str | None = None
    credited: bool | None = None
    doc: str | None = None

    def keeps(self, verdict: PairVerdict, source_of: Mapping[str, str | None]) -> bool:
        """Whether ``verdict`` passes (``source_of``: each document's outlet, by id)."""
        if self.types and verdict.type not in self.types:
            return False
        if self.credited is not None and verdict.credited != self.credited:
            return False
        if self.source is not None:
            sources = (source_of.get(verdict.a), source_of.get(verdict.b))
            if not any(_same_text(s, self.source) for s in sources):
                return False
        return True


def pairs_page(store: SqliteStore, keep: PairFilter, limit: int, offset: int) -> ListPage:
    """One page of the related pairs that pass ``keep``, ordered by ids.

    The record is a :class:`wiretrace.server.models.PairsPage`. Pairs are streamed from
    the store and only the page is kept; there is no total, which would mean reading
    every pair.
    """
    source_of: dict[str, str | None] = {}
    if keep.source is not None:
        source_of = {s["id"]: s["source"] for s in store.document_summaries()}
    verdicts = (v for v in store.iter_pairs(keep.doc) if keep.keeps(v, source_of))
    # One more than the page says whether another page follows.
    page = list(islice(verdicts, offset, offset + limit + 1))
    record = {
        "schema": SCHEMA_ID,
        "pairs": [v.to_dict() for v in page[:limit]],
        "limit": limit,
        "offset": offset,
    }
    return ListPage(record, len(page) > limit)


def stories_page(store: SqliteStore, query: str, limit: int, offset: int) -> ListPage:
    """One page of the stories list (largest first), narrowed by the search ``query``.

    The record is a :class:`wiretrace.server.models.StoriesPage`.
    """
    # The view summarises the first ``limit`` stories; the pages before are cut off here.
    record = views.stories_view(store, query, offset + limit)
    record["stories"] = record["stories"][offset:]
    record.update(limit=limit, offset=offset)
    return ListPage(record, offset + limit < record["num_stories"])


def sources_page(store: SqliteStore, limit: int, offset: int) -> ListPage:
    """One page of the outlets (most reuse first), with every edge and the whole picture.

    The record is a :class:`wiretrace.server.models.SourcesPage`.
    """
    record = sources.sources_view(store)
    record["sources"] = record["sources"][offset : offset + limit]
    record.update(limit=limit, offset=offset)
    return ListPage(record, offset + limit < record["num_sources"])


def source_page(store: SqliteStore, name: str, limit: int, offset: int) -> ListPage:
    """One outlet's view with one page of its rows of reuses.

    The record is a :class:`wiretrace.server.models.SourceView`.
    """
    record = sources.source_view(store, name)
    record["reuses"] = record["reuses"][offset : offset + limit]
    record.update(limit=limit, offset=offset)
    return ListPage(record, offset + limit < record["num_reuse_rows"])
