"""The JSON API under ``/api``: the JSON twin of every page, and the lists.

Each answer is a record of :mod:`wiretrace.report.views` (or of :mod:`.listing` for the
lists) declared by a model of :mod:`.models`, so the OpenAPI spec says what is sent. Lists
take ``limit`` and ``offset`` and answer ``next``. Files are named relative to the input
they were read from (:mod:`.paths`), never by a path of the server's disk.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, Field

from wiretrace.api import Store, article_document
from wiretrace.config import Config
from wiretrace.errors import InputError, NotFoundError
from wiretrace.model import RawRecord, ReuseType
from wiretrace.report import views
from wiretrace.server.listing import (
    DEFAULT_PAGE_SIZE,
    MAX_OFFSET,
    MAX_PAGE_SIZE,
    DocumentFilter,
    ListPage,
    PairFilter,
    documents_page,
    next_link,
    pairs_page,
    source_page,
    sources_page,
    stories_page,
)
from wiretrace.server.models import (
    CompareView,
    DocumentsPage,
    DocumentView,
    ErrorResponse,
    Health,
    PairsPage,
    SourcesPage,
    SourceView,
    StoriesPage,
    StoryView,
    TraceView,
)
from wiretrace.server.paths import InputNames, hide_server_paths
from wiretrace.server.reader import ApiError, StoreReader
from wiretrace.store import SqliteStore

# The id a traced text gets: it is never stored, so it only has to differ from stored ids.
TRACE_ID = "(traced text)"
# Longest id or search query accepted in a URL (longer ones are refused with 422).
MAX_ID_CHARS = 1000
MAX_QUERY_CHARS = 500
# Longest outlet name or language code accepted as a filter.
MAX_FILTER_CHARS = 200
NO_SOURCE = "No outlet of that name in this store; /sources lists them all."

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse, "description": description}
    for status, description in (
        (400, "The Host header names a host this server does not answer to"),
        (401, "The server has an access token and the request did not carry it"),
        (404, "No such story, document or pair"),
        (413, "Request body too large"),
        (422, "Invalid parameters"),
        (429, "Rate limited"),
        (503, "Busy: the store is locked or the server is at capacity"),
    )
}
Id = Annotated[str, Query(min_length=1, max_length=MAX_ID_CHARS)]
SearchQuery = Annotated[str, Query(max_length=MAX_QUERY_CHARS)]
StoriesLimit = Annotated[int, Query(ge=1, le=views.MAX_STORIES)]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Items on the page.")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items skipped first.")]
Filter = Annotated[str | None, Query(min_length=1, max_length=MAX_FILTER_CHARS)]


class TraceRequest(BaseModel):
    """A text to trace against the indexed articles."""

    text: str = Field(min_length=1, description="The article text (plain text or HTML).")
    title: str | None = Field(default=None, max_length=500)
    is_html: bool = False


def traced_view(store: SqliteStore, record: RawRecord, config: Config) -> dict:
    """The trace view of a text that is not stored (422 when no article text remains)."""
    try:
        doc = article_document(replace(record, id=TRACE_ID), config)
    except InputError:
        raise ApiError(
            422, "No article", "No article text remained after cleaning; paste more text."
        ) from None
    return views.trace_view(store, doc, Store(store, config).trace(doc))


def without_server_paths(build: Callable[[SqliteStore], dict]) -> Callable[[SqliteStore], dict]:
    """``build`` with every ``source_path`` of its record made relative to its input."""

    def read(store: SqliteStore) -> dict:
        return hide_server_paths(build(store), InputNames.of_store(store))

    return read


def outlet_page(store: SqliteStore, name: str, limit: int, offset: int) -> ListPage:
    """One outlet's page of reuses; 404 naming outlets (not stories) when there is none."""
    try:
        return source_page(store, name, limit, offset)
    except NotFoundError:
        raise ApiError(404, "Not found", NO_SOURCE) from None


def _paged(request: Request, page: ListPage) -> dict:
    """The page's record with the link to the next page."""
    limit, offset = page.record["limit"], page.record["offset"]
    query = request.query_params.multi_items()
    # The path as sent: a decoded outlet name (``/api/sources/Le Monde``) is no valid link.
    path = quote(request.url.path, safe="/")
    return {**page.record, "next": next_link(path, query, limit, offset, page.has_more)}


def api_router(reader: StoreReader, trace_config: Config) -> APIRouter:
    """The routes of the JSON API, reading through ``reader``."""
    router = APIRouter(prefix="/api", tags=["api"], responses=ERROR_RESPONSES)

    @router.get("/health", response_model=Health)
    def health() -> dict:
        """Liveness and the number of indexed documents."""
        return {"status": "ok", "documents": reader(lambda s: s.num_documents())}

    @router.get("/stories", response_model=StoriesPage)
    def api_stories(
        request: Request,
        q: SearchQuery = "",
        limit: StoriesLimit = views.MAX_STORIES,
        offset: Offset = 0,
    ) -> dict:
        """Stories, largest first, with size, sources, first/last date and dominant type.

        ``q`` keeps the stories with an article whose title or text holds every word, and
        lists those articles in ``matches``.
        """
        return _paged(request, reader(lambda s: stories_page(s, q, limit, offset)))

    @router.get("/stories/{story_id}", response_model=StoryView)
    def api_story(story_id: str) -> dict:
        """One story: articles by date, reuse graph, pairs and consolidated facts."""
        return reader(without_server_paths(lambda s: views.story_view(s, story_id)))

    @router.get("/compare", response_model=CompareView)
    def api_compare(a: Id, b: Id) -> dict:
        """Two articles with the verdict of their pair, its passages and divergences."""
        return reader(without_server_paths(lambda s: views.compare_view(s, a, b)))

    @router.get("/documents", response_model=DocumentsPage | DocumentView)
    def api_documents(
        request: Request,
        source: Filter = None,
        language: Filter = None,
        since: Annotated[date | None, Query(description="First day (UTC), included.")] = None,
        until: Annotated[date | None, Query(description="Last day (UTC), included.")] = None,
        limit: Limit = DEFAULT_PAGE_SIZE,
        offset: Offset = 0,
        id: Annotated[  # noqa: A002 - the query parameter is named id
            str | None,
            Query(
                min_length=1,
                max_length=MAX_ID_CHARS,
                deprecated=True,
                description="Answers that one document instead, as /api/documents/{doc_id} "
                "does (kept for links made before that existed).",
            ),
        ] = None,
    ) -> dict:
        """Documents in the order they were stored: metadata, size and story, no text.

        ``source`` (an outlet, any case), ``language`` (ISO 639-1) and the date range
        ``since``/``until`` (days, both included; undated documents are then left out)
        narrow the list.
        """
        if id is not None:
            return reader(without_server_paths(lambda s: views.document_view(s, id)))
        keep = DocumentFilter(source=source, language=language, since=since, until=until)
        return _paged(request, reader(lambda s: documents_page(s, keep, limit, offset)))

    @router.get("/documents/{doc_id:path}", response_model=DocumentView)
    def api_document(doc_id: Annotated[str, Path(min_length=1, max_length=MAX_ID_CHARS)]) -> dict:
        """One article: metadata, clean and original text, removed stretches, pairs."""
        return reader(without_server_paths(lambda s: views.document_view(s, doc_id)))

    @router.get("/pairs", response_model=PairsPage)
    def api_pairs(
        request: Request,
        types: Annotated[
            list[ReuseType] | None, Query(alias="type", description="Reuse types kept.")
        ] = None,
        source: Filter = None,
        credited: Annotated[
            bool | None, Query(description="Whether the reusing side credits its source.")
        ] = None,
        doc: Annotated[
            str | None,
            Query(min_length=1, max_length=MAX_ID_CHARS, description="One of the two ids."),
        ] = None,
        limit: Limit = DEFAULT_PAGE_SIZE,
        offset: Offset = 0,
    ) -> dict:
        """Related pairs ordered by their ids, with passages but no divergences.

        ``type`` (repeatable), ``source`` (either article's outlet, any case), ``credited``
        and ``doc`` (either article's id) narrow the list; ``/api/compare`` shows one pair
        in full.
        """
        keep = PairFilter(frozenset(types or ()), source, credited, doc)
        return _paged(request, reader(lambda s: pairs_page(s, keep, limit, offset)))

    @router.get("/sources", response_model=SourcesPage)
    def api_sources(request: Request, limit: Limit = DEFAULT_PAGE_SIZE, offset: Offset = 0) -> dict:
        """Outlets, most reuse first, and who reuses whom (with its picture).

        Per outlet: stories originated, other outlets' text reused (credited or not,
        characters, divergences), its own text reused by others. An outlet is a document's
        source, else its URL's domain, else ``unknown``. ``edges`` and ``graph`` cover
        every outlet whatever the page.
        """
        return _paged(request, reader(lambda s: sources_page(s, limit, offset)))

    @router.get("/sources/{name:path}", response_model=SourceView)
    def api_source(
        request: Request,
        name: Annotated[str, Path(min_length=1, max_length=MAX_FILTER_CHARS)],
        limit: Limit = DEFAULT_PAGE_SIZE,
        offset: Offset = 0,
    ) -> dict:
        """One outlet (any case): counts, edges, stories originated, and its reuses.

        ``reuses`` lists the pairs with reused text that involve it, seen from its side
        (a page of them).
        """
        return _paged(request, reader(lambda s: outlet_page(s, name, limit, offset)))

    @router.post("/trace", response_model=TraceView)
    def api_trace(body: TraceRequest) -> dict:
        """Which indexed articles a text reuses (nothing is stored)."""
        record = RawRecord(
            unit="api", source_path="api", text=body.text, title=body.title, is_html=body.is_html
        )
        return reader(lambda s: traced_view(s, record, trace_config))

    return router
