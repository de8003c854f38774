"""The web UI and REST API over one store: ``create_app(db_path)``.

Every HTML page has a JSON twin under ``/api`` built from the same record
(:mod:`wiretrace.report.views`); the OpenAPI spec is at ``/api/openapi.json``. Each request
opens its own read-only connection, so the server keeps answering while ``analyze``
writes to the same file (WAL: readers never wait for the one writer); a reader that still
meets a lock retries, then answers 503. Errors never echo request text back.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, TypeVar
from urllib.parse import quote

from fastapi import FastAPI, File, Form, Query, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from wiretrace.engines.local import DetectConfig, trace_document
from wiretrace.errors import InputError, NotFoundError, StoreBusyError, StoreError
from wiretrace.extract.document import build_document
from wiretrace.model import RawRecord
from wiretrace.read.decode import decode_bytes
from wiretrace.report import views
from wiretrace.semantic import SemanticConfig
from wiretrace.server.guard import Guard, GuardLimits, is_api_path
from wiretrace.server.templating import (
    Page,
    ServerLinks,
    compare_segments,
    document_segments,
    make_environment,
)
from wiretrace.store import SqliteStore, open_store

T = TypeVar("T")

# The id a traced text gets: it is never stored, so it only has to differ from stored ids.
TRACE_ID = "(traced text)"
# Longest id or search query accepted in a URL (longer ones are refused with 422).
MAX_ID_CHARS = 1000
MAX_QUERY_CHARS = 500


@dataclass(frozen=True, slots=True)
class ServerSettings:
    """How the server reads the store and what it accepts.

    Attributes:
        limits: body size, rate and concurrency limits (see :class:`GuardLimits`).
        busy_timeout_s: how long one read waits on a lock before a retry.
        lock_retries: retries of a read that met a lock, before answering 503.
        retry_backoff_s: first wait between retries (doubles each time).
        semantic: when a trace uses sentence embeddings (``auto``, ``all`` or ``off``, as
            ``analyze --semantic``). The server cannot cache vectors in the store it only
            reads, so on a store analysed without them ``off`` answers far faster.
    """

    limits: GuardLimits = field(default_factory=GuardLimits)
    busy_timeout_s: float = 2.0
    lock_retries: int = 4
    retry_backoff_s: float = 0.05
    semantic: str = "auto"


class ApiError(Exception):
    """An error answered with the shared shape; ``detail`` must not quote the request."""

    def __init__(self, status: int, title: str, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.title = title
        self.detail = detail


class ErrorDetail(BaseModel):
    """The body of every error."""

    status: int
    title: str
    detail: str


class ErrorResponse(BaseModel):
    """Every JSON error: ``{"error": {"status", "title", "detail"}}``."""

    error: ErrorDetail


class TraceRequest(BaseModel):
    """A text to trace against the indexed articles."""

    text: str = Field(min_length=1, description="The article text (plain text or HTML).")
    title: str | None = Field(default=None, max_length=500)
    is_html: bool = False


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse, "description": description}
    for status, description in (
        (404, "No such story, document or pair"),
        (413, "Request body too large"),
        (422, "Invalid parameters"),
        (429, "Rate limited"),
        (503, "Busy: the store is locked or the server is at capacity"),
    )
}
Id = Annotated[str, Query(min_length=1, max_length=MAX_ID_CHARS)]
SearchQuery = Annotated[str, Query(max_length=MAX_QUERY_CHARS)]
Limit = Annotated[int, Query(ge=1, le=views.MAX_STORIES)]
NOT_FOUND = "No story or article with that id in this store; the stories list links to all."


class StoreReader:
    """Runs one read against a fresh read-only connection, retrying on a lock."""

    def __init__(self, db_path: str, settings: ServerSettings) -> None:
        self.db_path = db_path
        self.settings = settings

    def __call__(self, read: Callable[[SqliteStore], T]) -> T:
        """``read(store)`` with retries; NotFound → 404, persistent lock → 503."""
        wait = self.settings.retry_backoff_s
        for attempt in range(self.settings.lock_retries + 1):
            try:
                store = SqliteStore(
                    self.db_path, read_only=True, busy_timeout_s=self.settings.busy_timeout_s
                )
                try:
                    return read(store)
                finally:
                    store.close()
            except NotFoundError:
                raise ApiError(404, "Not found", NOT_FOUND) from None
            except StoreBusyError:
                if attempt == self.settings.lock_retries:
                    break
                # Backing off lets the writer finish its transaction (commits are short).
                time.sleep(wait)
                wait *= 2
            except StoreError:
                raise ApiError(
                    503, "Store unavailable", "The store cannot be read; see the server log."
                ) from None
        raise ApiError(503, "Busy", "The store is busy with a write; retry in a moment.")


def _traced(store: SqliteStore, record: RawRecord, config: DetectConfig) -> dict:
    try:
        doc = build_document(record, TRACE_ID)
    except InputError:
        raise ApiError(
            422, "No article", "No article text remained after cleaning; paste more text."
        ) from None
    return views.trace_view(store, doc, trace_document(store, doc, config))


def create_app(db_path: str | Path, settings: ServerSettings | None = None) -> FastAPI:
    """The FastAPI application serving the store at ``db_path``.

    The store is opened once for writing here, to create or migrate it; requests then
    only read. Wrap nothing around the returned app: the guard is already part of it.
    """
    settings = settings or ServerSettings()
    db = str(db_path)
    open_store(db).close()
    reader = StoreReader(db, settings)
    trace_config = DetectConfig(semantic=SemanticConfig(mode=settings.semantic))
    env = make_environment()
    links = ServerLinks()
    app = FastAPI(
        title="wiretrace",
        version="1",
        summary="Who reused which news article, and what they changed.",
        openapi_url="/api/openapi.json",
        # The interactive docs pages load scripts from a CDN: no network, so none.
        docs_url=None,
        redoc_url=None,
    )
    app.mount(
        "/static",
        StaticFiles(directory=str(Path(__file__).parent / "static")),
        name="static",
    )
    app.add_middleware(Guard, limits=settings.limits)

    def render(name: str, json_url: str | None, status: int = 200, **context: Any) -> HTMLResponse:
        page = Page(links=links, json_url=json_url)
        html = env.get_template(name).render(page=page, **context)
        return HTMLResponse(html, status_code=status)

    def error_response(request: Request, status: int, title: str, detail: str) -> Response:
        if is_api_path(request.url.path):
            body = ErrorResponse(error=ErrorDetail(status=status, title=title, detail=detail))
            return JSONResponse(body.model_dump(), status_code=status)
        error = {"status": status, "title": title, "detail": detail}
        return render("error.html", None, status=status, error=error)

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> Response:
        return error_response(request, exc.status, exc.title, exc.detail)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        # Name the fields, never their values: the values are the request's own text.
        fields = sorted({".".join(str(p) for p in e.get("loc", ())) for e in exc.errors()})
        detail = "Invalid or missing: " + ", ".join(fields) + "; see /api/openapi.json."
        return error_response(request, 422, "Invalid request", detail)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        titles = {404: "Not found", 405: "Method not allowed"}
        title = titles.get(exc.status_code, "Request failed")
        detail = NOT_FOUND if exc.status_code == 404 else f"{title}; see /api/openapi.json."
        return error_response(request, exc.status_code, title, detail)

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> Response:
        return error_response(
            request, 500, "Internal error", "The server failed on this request; see its log."
        )

    # -- JSON API ---------------------------------------------------------------------

    @app.get("/api/health", tags=["api"])
    def health() -> dict:
        """Liveness and the number of indexed documents."""
        return {"status": "ok", "documents": reader(lambda s: s.num_documents())}

    @app.get("/api/stories", tags=["api"], responses=ERROR_RESPONSES)
    def api_stories(q: SearchQuery = "", limit: Limit = views.MAX_STORIES) -> dict:
        """Stories with size, sources, first/last date and dominant reuse type.

        ``q`` keeps the stories with an article whose title or text holds every word.
        """
        return reader(lambda s: views.stories_view(s, q, limit))

    @app.get("/api/stories/{story_id}", tags=["api"], responses=ERROR_RESPONSES)
    def api_story(story_id: str) -> dict:
        """One story: articles by date, reuse graph, pairs and consolidated facts."""
        return reader(lambda s: views.story_view(s, story_id))

    @app.get("/api/compare", tags=["api"], responses=ERROR_RESPONSES)
    def api_compare(a: Id, b: Id) -> dict:
        """Two articles with the verdict of their pair, its passages and divergences."""
        return reader(lambda s: views.compare_view(s, a, b))

    @app.get("/api/documents", tags=["api"], responses=ERROR_RESPONSES)
    def api_document(id: Id) -> dict:  # noqa: A002 - the query parameter is named id
        """One article: metadata, clean and original text, removed stretches, pairs."""
        return reader(lambda s: views.document_view(s, id))

    @app.post("/api/trace", tags=["api"], responses=ERROR_RESPONSES)
    def api_trace(body: TraceRequest) -> dict:
        """Which indexed articles a text reuses (nothing is stored)."""
        record = RawRecord(
            unit="api", source_path="api", text=body.text, title=body.title, is_html=body.is_html
        )
        return reader(lambda s: _traced(s, record, trace_config))

    # -- HTML pages -------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def stories_page(q: SearchQuery = "") -> HTMLResponse:
        view = reader(lambda s: views.stories_view(s, q))
        json_url = "/api/stories" + (f"?q={quote(q, safe='')}" if q else "")
        return render("stories.html", json_url, view=view)

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(story_id: str) -> HTMLResponse:
        view = reader(lambda s: views.story_view(s, story_id))
        return render("story.html", "/api/stories/" + quote(story_id, safe=""), view=view)

    @app.get("/compare", response_class=HTMLResponse, include_in_schema=False)
    def compare_page(a: Id, b: Id) -> HTMLResponse:
        view = reader(lambda s: views.compare_view(s, a, b))
        a_segments, b_segments = compare_segments(view)
        json_url = "/api" + links.compare(a, b)
        return render(
            "compare.html", json_url, view=view, a_segments=a_segments, b_segments=b_segments
        )

    @app.get("/documents", response_class=HTMLResponse, include_in_schema=False)
    def document_page(id: Id) -> HTMLResponse:  # noqa: A002
        view = reader(lambda s: views.document_view(s, id))
        segments = document_segments(view)
        return render("document.html", "/api" + links.document(id), view=view, segments=segments)

    max_kb = settings.limits.max_body_bytes // 1000

    @app.get("/trace", response_class=HTMLResponse, include_in_schema=False)
    def trace_form() -> HTMLResponse:
        return render("trace.html", None, view=None, max_kb=max_kb)

    @app.post("/trace", response_class=HTMLResponse, include_in_schema=False)
    async def trace_page(
        text: Annotated[str, Form()] = "",
        title: Annotated[str, Form(max_length=500)] = "",
        file: Annotated[UploadFile | None, File()] = None,
    ) -> HTMLResponse:
        name = "pasted text"
        is_html = False
        if file is not None and file.filename:
            data = await file.read()
            try:
                text = decode_bytes(data, "the uploaded file")
            except InputError:
                raise ApiError(
                    422, "Unreadable file", "The file is empty or not text; upload .txt or .html."
                ) from None
            name = "uploaded file"
            is_html = file.filename.lower().endswith((".html", ".htm"))
        if not text.strip():
            raise ApiError(422, "No text", "Paste an article or choose a file to trace.")
        is_html = is_html or text.lstrip()[:1] == "<"
        record = RawRecord(
            unit=name, source_path=name, text=text, title=title or None, is_html=is_html
        )
        view = await run_in_threadpool(reader, lambda s: _traced(s, record, trace_config))
        return render("trace.html", None, view=view, max_kb=max_kb)

    return app
