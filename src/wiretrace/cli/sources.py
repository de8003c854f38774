"""``wiretrace sources``: the outlets, who reuses whom, and who credits."""

from __future__ import annotations

import click

from wiretrace.cli.app import console, emit_json, main, out, store_at
from wiretrace.cli.options import db_option, json_file_option
from wiretrace.report.sources import source_view, sources_view
from wiretrace.report.terminal_sources import (
    edge_lines,
    source_view_renderable,
    sources_table,
    summary_lines,
)


@main.command("sources")
@click.argument("name", required=False)
@db_option
@json_file_option
@click.option(
    "--limit",
    default=50,
    show_default=True,
    type=click.IntRange(min=0),
    help="With NAME: show at most this many reuses (0: all; --json always has all).",
)
def sources_cmd(name: str | None, db: str, json_out: str | None, limit: int) -> None:
    """Who reuses whom: per outlet, stories originated and text reused, with credit.

    For every outlet: the stories it published first, the other outlets' text its
    articles reused (credited or not, characters, divergences), and its own text reused
    by others; then who reuses whom. An outlet is an article's source, else its URL's
    domain, else "unknown". NAME (any case) shows one outlet's reuses pair by pair.

    \b
    Example:
      wiretrace sources
      wiretrace sources "Meridian Press"
      wiretrace sources --json
    """
    with store_at(db) as store:
        view = sources_view(store) if name is None else source_view(store, name)
    if json_out:
        emit_json(view, json_out)
        return
    if name is not None:
        out.print(source_view_renderable(view, limit))
        shown = len(view["reuses"]) if limit == 0 else min(limit, len(view["reuses"]))
        if shown < len(view["reuses"]):
            console.print(f"({len(view['reuses']) - shown} more; --limit 0 shows all)")
        return
    out.print(sources_table(view))
    out.print()
    for line in edge_lines(view):
        out.print(line)
    for line in summary_lines(view):
        console.print(line)
