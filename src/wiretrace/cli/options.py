"""Options that several ``wiretrace`` commands share, as click decorators.

Each names its unit or format in its help, and ``read_options`` adds the record field
names of :class:`wiretrace.read.ReadOptions`; :data:`READ_FIELDS` lists the keyword
arguments it adds, which a command hands to :func:`wiretrace.api.configure`.
"""

from __future__ import annotations

import os
from collections.abc import Callable

import click

from wiretrace.semantic import MODES

DEFAULT_DB = "wiretrace.sqlite"


def db_option(func: Callable) -> Callable:
    """``--db FILE``: the SQLite store (``$WIRETRACE_DB`` or ./wiretrace.sqlite)."""
    return click.option(
        "--db",
        default=lambda: os.environ.get("WIRETRACE_DB", DEFAULT_DB),
        show_default=DEFAULT_DB,
        metavar="FILE",
        help="SQLite store; created on first use (env WIRETRACE_DB).",
    )(func)


def read_options(func: Callable) -> Callable:
    """Field-name and format options shared by ``ingest`` and ``analyze``."""
    fields = [
        ("id", "id, newid, doc_id"),
        ("text", "text, body, content"),
        ("title", "title, headline"),
        ("date", "date, published"),
        ("url", "url, link"),
        ("source", "source, series, outlet"),
        ("author", "author, byline"),
    ]
    for name, defaults in reversed(fields):
        func = click.option(
            f"--{name}-field",
            default=None,
            metavar="NAME",
            help=f"Record field holding the {name} (default: first of {defaults}).",
        )(func)
    func = click.option(
        "--source",
        "default_source",
        default=None,
        metavar="NAME",
        help="Outlet of every article whose record, page or header names none, e.g. "
        "--source Reuters for a wire archive (articles of one outlet need no credit to "
        "reuse each other's text). Applies as articles are first stored.",
    )(func)
    func = click.option(
        "--format",
        "fmt",
        type=click.Choice(["txt", "html", "jsonl", "csv", "parquet", "warc"]),
        default=None,
        help="Force the input format (default: from the extension, or sniffed for stdin).",
    )(func)
    return func


def workers_option(func: Callable) -> Callable:
    """``--workers N``: processes for extraction and alignment."""
    return click.option(
        "--workers",
        default=0,
        show_default="one per core",
        type=click.IntRange(min=0),
        help="Worker processes for the CPU-bound stages (1: no extra processes).",
    )(func)


def semantic_option(func: Callable) -> Callable:
    """``--semantic MODE``: when sentence embeddings are used."""
    return click.option(
        "--semantic",
        type=click.Choice(MODES),
        default=None,
        show_default="auto, or semantic.mode of the configuration",
        help="Sentence embeddings for rewrites and translations: auto (only for pairs that "
        "words cannot decide; off if the models are not installed), all (also search "
        "every sentence for neighbours), off.",
    )(func)


# The keyword arguments of ``read_options``' field names.
READ_FIELDS = (
    "id_field",
    "text_field",
    "title_field",
    "date_field",
    "url_field",
    "source_field",
    "author_field",
)


def full_option(func: Callable) -> Callable:
    """``--full``: re-examine every pair instead of only those of new documents."""
    return click.option(
        "--full", is_flag=True, help="Re-examine every pair, not only new documents."
    )(func)


def json_file_option(func: Callable) -> Callable:
    """``--json [FILE]``: the whole result as one JSON document, passed as ``json_out``.

    Every command with machine output names it so: ``--json`` alone prints the document
    on stdout, ``--json FILE`` writes it to FILE (atomically).
    """
    return click.option(
        "--json",
        "json_out",
        default=None,
        is_flag=False,
        flag_value="-",
        metavar="[FILE]",
        help="One JSON document on stdout (or in FILE) instead of the table.",
    )(func)


def json_options(func: Callable) -> Callable:
    """``--json [FILE]`` and ``--jsonl [FILE]``: a list command's machine output.

    ``--jsonl`` prints one record per line (``jsonl_out``), for streams and ``jq -c``.
    """
    func = click.option(
        "--jsonl",
        "jsonl_out",
        default=None,
        is_flag=False,
        flag_value="-",
        metavar="[FILE]",
        help="One JSON record per line on stdout (or in FILE).",
    )(func)
    return json_file_option(func)
