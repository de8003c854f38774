"""The web UI and REST API over one store: ``create_app(db_path, settings)``.

Every HTML page has a JSON twin under ``/api`` built from the same record
(:mod:`wiretrace.report.views`, served by :mod:`.api`); the OpenAPI spec is at
``/api/openapi.json``. Each request opens its own read-only connection
(:class:`.reader.StoreReader`), so the server keeps answering while ``analyze`` writes.

In front of the app, outermost first: :class:`.guard.Guard` (per-client rate limit, load
shedding, body limits, security headers), then :class:`.access.Access` (allowed ``Host``
names against DNS rebinding, and the access token when there is one). Errors never echo
request text back, and have one shape: JSON for the API, a page for the pages.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import FastAPI, File, Form, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from wiretrace.api import configure, warm_up
from wiretrace.config import Config
from wiretrace.errors import InputError
from wiretrace.model import RawRecord
from wiretrace.read.decode import decode_bytes
from wiretrace.report import views
from wiretrace.server.access import Access
from wiretrace.server.api import (
    MAX_FILTER_CHARS,
    Id,
    Limit,
    Offset,
    SearchQuery,
    StoriesLimit,
    api_router,
    outlet_page,
    traced_view,
    without_server_paths,
)
from wiretrace.server.guard import Guard, is_api_path
from wiretrace.server.listing import DEFAULT_PAGE_SIZE, sources_page, stories_page
from wiretrace.server.models import ErrorDetail, ErrorResponse
from wiretrace.server.reader import NOT_FOUND, ApiError, StoreReader
from wiretrace.server.settings import ServerSettings
from wiretrace.server.templating import (
    Page,
    ServerLinks,
    compare_segments,
    document_segments,
    make_environment,
)
from wiretrace.store import open_store

__all__ = ["ApiError", "ServerSettings", "StoreReader", "create_app"]


def _with_bearer_scheme(app: FastAPI) -> None:
    """Declare in the OpenAPI spec that every operation needs the bearer token."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        spec = build()
        schemes = spec.setdefault("components", {}).setdefault("securitySchemes", {})
        schemes["bearer"] = {"type": "http", "scheme": "bearer"}
        spec["security"] = [{"bearer": []}]
        return spec

    app.openapi = openapi  # type: ignore[method-assign]


def _query(items: list[tuple[str, str]]) -> str:
    """``?k=v&...`` of ``items``, or nothing when there are none."""
    return "?" + urlencode(items) if items else ""

logger = logging.getLogger(__name__)


def _warm_up(db: str, config: Config) -> None:
    """:func:`wiretrace.api.warm_up`, in the background: a failure only costs its speed."""
    try:
        warm_up(db, config=config)
    except Exception:  # noqa: BLE001 - the first trace will load what it needs itself
        logger.warning("could not load the trace index and models in advance", exc_info=True)


def create_app(db_path: str | Path, settings: ServerSettings | None = None) -> FastAPI:
    """The FastAPI application serving the store at ``db_path``.

    The store is opened once for writing here, to create or migrate it; requests then
    only read. Wrap nothing around the returned app: the guard and the access checks are
    already part of it. Without ``settings`` the server answers only to the loopback
    names and needs no token.
    """
    settings = settings or ServerSettings()
    db = str(db_path)
    open_store(db).close()
    reader = StoreReader(db, settings)
    trace_config = configure(settings.config, semantic=settings.semantic)
    if settings.warm_up:
        threading.Thread(target=_warm_up, args=(db, trace_config), daemon=True).start()
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
    # Starlette wraps each middleware added around the ones before: Guard is outermost.
    app.add_middleware(Access, allowed_hosts=settings.allowed_hosts, token=settings.token)
    app.add_middleware(Guard, limits=settings.limits)
    app.include_router(api_router(reader, trace_config))
    if settings.token is not None:
        _with_bearer_scheme(app)

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

    # -- HTML pages -------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def stories_list_page(
        q: SearchQuery = "", limit: StoriesLimit = views.MAX_STORIES, offset: Offset = 0
    ) -> HTMLResponse:
        listed = reader(lambda s: stories_page(s, q, limit, offset))
        # The JSON twin takes the same parameters; defaults are left out of both links.
        kept = [("q", q)] if q else []
        kept += [("limit", str(limit))] if limit != views.MAX_STORIES else []
        json_url = "/api/stories" + _query(kept + ([("offset", str(offset))] if offset else []))
        next_page = "/" + _query([*kept, ("offset", str(offset + limit))])
        return render(
            "stories.html",
            json_url,
            view=listed.record,
            next_page=next_page if listed.has_more else None,
        )

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(story_id: str) -> HTMLResponse:
        view = reader(without_server_paths(lambda s: views.story_view(s, story_id)))
        return render("story.html", "/api/stories/" + quote(story_id, safe=""), view=view)

    @app.get("/compare", response_class=HTMLResponse, include_in_schema=False)
    def compare_page(a: Id, b: Id) -> HTMLResponse:
        view = reader(without_server_paths(lambda s: views.compare_view(s, a, b)))
        a_segments, b_segments = compare_segments(view)
        json_url = "/api" + links.compare(a, b)
        return render(
            "compare.html", json_url, view=view, a_segments=a_segments, b_segments=b_segments
        )

    @app.get("/documents", response_class=HTMLResponse, include_in_schema=False)
    def document_page(id: Id) -> HTMLResponse:  # noqa: A002
        view = reader(without_server_paths(lambda s: views.document_view(s, id)))
        segments = document_segments(view)
        return render("document.html", "/api" + links.document(id), view=view, segments=segments)

    def paged_links(path: str, limit: int, offset: int, has_more: bool) -> tuple[str, str | None]:
        """The JSON twin of a paged page and the link to its next page (or ``None``)."""
        kept = [("limit", str(limit))] if limit != DEFAULT_PAGE_SIZE else []
        json_url = "/api" + path + _query(kept + ([("offset", str(offset))] if offset else []))
        next_page = path + _query([*kept, ("offset", str(offset + limit))])
        return json_url, next_page if has_more else None

    @app.get("/sources", response_class=HTMLResponse, include_in_schema=False)
    def sources_list_page(limit: Limit = DEFAULT_PAGE_SIZE, offset: Offset = 0) -> HTMLResponse:
        listed = reader(lambda s: sources_page(s, limit, offset))
        json_url, next_page = paged_links("/sources", limit, offset, listed.has_more)
        return render("sources.html", json_url, view=listed.record, next_page=next_page)

    @app.get("/sources/{name:path}", response_class=HTMLResponse, include_in_schema=False)
    def source_page(
        name: Annotated[str, PathParam(min_length=1, max_length=MAX_FILTER_CHARS)],
        limit: Limit = DEFAULT_PAGE_SIZE,
        offset: Offset = 0,
    ) -> HTMLResponse:
        listed = reader(lambda s: outlet_page(s, name, limit, offset))
        path = links.source(name)
        json_url, next_page = paged_links(path, limit, offset, listed.has_more)
        return render("source.html", json_url, view=listed.record, next_page=next_page)

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
        view = await run_in_threadpool(reader, lambda s: traced_view(s, record, trace_config))
        return render("trace.html", None, view=view, max_kb=max_kb)

    return app
