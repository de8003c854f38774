"""Commands that publish the store: the static HTML report and the web server."""

from __future__ import annotations

import os

import click

from wiretrace.cli.app import (
    WEB_EXTRA_HINT,
    console,
    fail,
    invocation_config,
    main,
    store_at,
)
from wiretrace.cli.options import (
    db_option,
    semantic_option,
)
from wiretrace.errors import WiretraceError


@main.command("report")
@db_option
@click.option(
    "--html",
    "html_dir",
    required=True,
    metavar="DIR",
    help="Write a self-contained HTML report into DIR (opens from disk, no server).",
)
def report_cmd(db: str, html_dir: str) -> None:
    """Write a static HTML report: stories, story views and side-by-side comparisons.

    \b
    Example:
      wiretrace report --html out/report && xdg-open out/report/index.html
    """
    try:
        from wiretrace.report.html import write_html_report
    except ImportError:
        fail(WEB_EXTRA_HINT)
    with store_at(db) as store:
        summary = write_html_report(store, html_dir)
    console.print(
        f"wrote {summary.num_pages} pages ({summary.num_stories} stories, "
        f"{summary.num_comparisons} comparisons, {summary.num_documents} articles) "
        f"to {html_dir}/index.html"
    )


@main.command("serve")
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--rate-limit",
    default=200.0,
    show_default=True,
    type=click.FloatRange(min=0.1),
    help="Requests per second served (twice as many at once); more get 429.",
)
@click.option(
    "--max-body-kb",
    default=2000,
    show_default=True,
    type=click.IntRange(min=1),
    help="Largest request body (pasted text or upload) accepted; larger get 413.",
)
@semantic_option
def serve_cmd(
    db: str, host: str, port: int, rate_limit: float, max_body_kb: int, semantic: str | None
) -> None:
    """Serve the web UI and the REST API (OpenAPI spec at /api/openapi.json).

    Binds to 127.0.0.1 unless told otherwise: the UI shows every stored article.

    \b
    Example:
      wiretrace serve --db out/demo.sqlite --port 8000
    """
    try:
        import uvicorn

        from wiretrace.server.app import ServerSettings, create_app
        from wiretrace.server.guard import GuardLimits
    except ImportError:
        fail(WEB_EXTRA_HINT)
    limits = GuardLimits(
        max_body_bytes=max_body_kb * 1000, rate_per_s=rate_limit, burst=max(1, int(2 * rate_limit))
    )
    if not os.path.exists(db):
        raise click.UsageError(
            f"no store at {db}: analyze articles into it first (wiretrace analyze PATH --db {db})"
        )
    try:
        mode = invocation_config(semantic=semantic).detect.semantic.mode
        app = create_app(db, ServerSettings(limits=limits, semantic=mode))
    except WiretraceError as exc:
        fail(str(exc))
    console.print(f"serving {db} on http://{host}:{port}/ (Ctrl+C stops)")
    uvicorn.run(app, host=host, port=port, log_level="warning")
