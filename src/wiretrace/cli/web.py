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
from wiretrace.errors import ConfigError, WiretraceError

# The server's token, read from the environment so that it stays out of `ps` listings.
TOKEN_ENV = "WIRETRACE_TOKEN"


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
        f"{summary.num_comparisons} comparisons, {summary.num_documents} articles, "
        f"{summary.num_sources} outlets) "
        f"to {html_dir}/index.html"
    )


@main.command("serve")
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--allow-remote",
    is_flag=True,
    help="Allow binding an address other machines reach (needs a token; see below).",
)
@click.option(
    "--token",
    envvar=TOKEN_ENV,
    default=None,
    metavar="TOKEN",
    help=f"Require this token on every request (env {TOKEN_ENV}); with --allow-remote and "
    "none given, a fresh one is made and printed.",
)
@click.option(
    "--allowed-host",
    "allowed_hosts",
    multiple=True,
    metavar="NAME",
    help="A host name clients use to reach the server (repeatable; '*.example.org' allows "
    "subdomains). Others get 400.",
)
@click.option(
    "--rate-limit",
    default=200.0,
    show_default=True,
    type=click.FloatRange(min=0.1),
    help="Requests per second served to each client address (twice as many at once); more get 429.",
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
    db: str,
    host: str,
    port: int,
    allow_remote: bool,
    token: str | None,
    allowed_hosts: tuple[str, ...],
    rate_limit: float,
    max_body_kb: int,
    semantic: str | None,
) -> None:
    """Serve the web UI and the REST API (OpenAPI spec at /api/openapi.json).

    Binds to 127.0.0.1 unless told otherwise: the UI shows every stored article. Only
    requests whose Host header names this machine (localhost, the bound address, each
    --allowed-host) are answered, which stops a web page from reading the store through
    DNS rebinding. Binding any other address needs --allow-remote and a token: API clients
    send "Authorization: Bearer TOKEN"; a browser opens the printed ?token= link once.
    Thresholds from wiretrace.toml, --config and --set apply to traces.

    \b
    Example:
      wiretrace serve --db out/demo.sqlite --port 8000
      wiretrace serve --host 0.0.0.0 --allow-remote --allowed-host news.example.org
    """
    try:
        import uvicorn

        from wiretrace.server.access import allowed_hosts_for, is_loopback, new_token
        from wiretrace.server.app import ServerSettings, create_app
        from wiretrace.server.guard import GuardLimits
    except ImportError:
        fail(WEB_EXTRA_HINT)
    remote = not is_loopback(host)
    if remote and not allow_remote:
        raise click.UsageError(
            f"--host {host} lets other machines read every stored article: add "
            "--allow-remote (a token is then required; --token or one made for you)"
        )
    if remote and token is None:
        token = new_token()
    limits = GuardLimits(
        max_body_bytes=max_body_kb * 1000, rate_per_s=rate_limit, burst=max(1, int(2 * rate_limit))
    )
    if not os.path.exists(db):
        raise click.UsageError(
            f"no store at {db}: analyze articles into it first (wiretrace analyze PATH --db {db})"
        )
    try:
        settings = ServerSettings(
            limits=limits,
            config=invocation_config(),
            semantic=semantic,
            allowed_hosts=allowed_hosts_for(host, allowed_hosts),
            token=token,
            warm_up=True,
        )
        app = create_app(db, settings)
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from None
    except WiretraceError as exc:
        fail(str(exc))
    address = f"http://{host}:{port}/"
    console.print(f"serving {db} on {address} (Ctrl+C stops)")
    if token is not None:
        # The token goes to the terminal only (stderr), never into a log line of the server.
        console.print(
            f"open {address}?token={token} once in a browser; API clients send "
            "'Authorization: Bearer <token>'"
        )
    # proxy_headers=False: uvicorn would otherwise take X-Forwarded-For from a local
    # process as the client's address and hand it a fresh rate-limit bucket.
    uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=False)
