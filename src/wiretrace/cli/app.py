"""The ``wiretrace`` command group and what its commands share.

Consoles, the store, the configuration of one invocation, progress bars and exit codes.

Errors exit 1, usage errors exit 2 (click's convention); a run that rejected some input
still stores the rest and exits 3 so scripts can notice.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from wiretrace.api import configure
from wiretrace.cli.options import (
    READ_FIELDS,
)
from wiretrace.config import CONFIG_ENV, Config, load_config
from wiretrace.errors import ConfigError, InputError, NotFoundError, WiretraceError
from wiretrace.read import check_inputs
from wiretrace.report.files import write_json, write_records
from wiretrace.report.records import SCHEMA_ID
from wiretrace.store import SqliteStore, open_store

EXIT_REJECTED = 3

# Piped output (files, README transcripts) gets a fixed width instead of rich's 80 columns,
# so ids are not cut; a terminal keeps its own width.
PIPE_WIDTH = 150


def _console(stderr: bool) -> Console:
    console = Console(stderr=stderr, highlight=False)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console = Console(stderr=stderr, highlight=False, width=PIPE_WIDTH)
    return console


console = _console(stderr=True)
out = _console(stderr=False)


def fail(message: str) -> NoReturn:
    """Stop the command with ``message`` (exit 1)."""
    raise click.ClickException(message)


@contextmanager
def store_at(db: str, *, create: bool = False) -> Iterator[SqliteStore]:
    """The store at ``db``; only commands that add articles (``create``) may make a new one.

    A read command given a mistyped path would otherwise create an empty store and report
    "0 pairs" as if that were an answer.
    """
    if not create and db != ":memory:" and not os.path.exists(db):
        raise click.UsageError(
            f"no store at {db}: analyze articles into it first "
            f"(wiretrace analyze PATH --db {db}), or name an existing one with --db"
        )
    try:
        store = open_store(db)
    except WiretraceError as exc:
        fail(str(exc))
    try:
        yield store
    except WiretraceError as exc:
        # The open transaction is unfinished work (and may be what a full disk refused).
        store.rollback()
        store.close()
        fail(str(exc))
    else:
        store.close()


def check_paths(paths: Iterable[str]) -> None:
    """Refuse, before anything is created, input paths that name nothing to read (exit 2)."""
    try:
        check_inputs(paths)
    except InputError as exc:
        raise click.UsageError(str(exc)) from None


def resolve_document(store: SqliteStore, prefix: str) -> str:
    """The id of the one document whose id is or starts with ``prefix`` (as git does)."""
    return store.resolve_id(prefix, "document")


def resolve_story(store: SqliteStore, reference: str) -> str:
    """A story id from a story id, a document id, or a unique prefix of either."""
    try:
        return store.resolve_id(reference, "story")
    except NotFoundError as as_story:
        try:
            return resolve_document(store, reference)
        except NotFoundError:
            raise as_story from None


def emit_json(document: dict, path: str) -> None:
    """The ``--json`` output: ``document`` on stdout (``-``) or in the file ``path``."""
    write_json({"schema": SCHEMA_ID, **document}, path)
    if path != "-":
        console.print(f"wrote {path}")


def emit_jsonl(records: Iterable[dict], path: str) -> None:
    """The ``--jsonl`` output: one record per line on stdout (``-``) or in ``path``."""
    count = write_records(records, path, "jsonl")
    if path != "-":
        console.print(f"wrote {count} records to {path}")


def invocation_config(**options: Any) -> Config:
    """The configuration of this invocation (file and ``--set``) with a command's options.

    ``options`` are those of :func:`wiretrace.api.configure` (``semantic``, ``source``,
    read fields); a ``None`` leaves the configured value.
    """
    base = click.get_current_context().find_root().obj
    try:
        return configure(base if isinstance(base, Config) else Config(), **options)
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from None


def read_config(kwargs: dict[str, Any], semantic: str | None = None) -> Config:
    """The configuration with the read options of a command (taken out of ``kwargs``)."""
    fields = {name: kwargs.pop(name) for name in READ_FIELDS}
    return invocation_config(
        semantic=semantic, source=kwargs.pop("default_source"), format=kwargs.pop("fmt"), **fields
    )


@contextmanager
def progress(label: str, unit: str) -> Iterator[Callable[..., None]]:
    """A transient progress bar on stderr (only on a terminal); yields its update function.

    ``update(done, total)`` advances it (``total`` ``None``: unknown); ``label=`` and
    ``unit=`` rename the phase it shows, for work that goes through several.
    """
    with Progress(
        TextColumn("[bold]{task.description}[/bold]"),
        BarColumn(),
        TextColumn("{task.fields[counter]}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    ) as bar:
        task = bar.add_task(label, total=None, counter="")
        shown = {"label": label, "unit": unit}

        def update(
            done: int, total: int | None, label: str | None = None, unit: str | None = None
        ) -> None:
            shown["label"] = label or shown["label"]
            shown["unit"] = unit if unit is not None else shown["unit"]
            of = f"/{total:,}" if total is not None else ""
            counter = f"{done:,}{of} {shown['unit']}" if shown["unit"] else ""
            bar.update(
                task, description=shown["label"], completed=done, total=total, counter=counter
            )

        yield update


WEB_EXTRA_HINT = "the web UI needs the web extra: pip install 'wiretrace[web]'"


class _Commands(click.Group):
    """The command group; a file the system refuses to write is one line, not a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; an :class:`OSError` (a read-only folder, a full disk) fails it."""
        try:
            return super().invoke(ctx)
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            fail(f"cannot write {where}{exc.strerror or exc}")


@click.group(
    cls=_Commands,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(package_name="wiretrace")
@click.option(
    "--config",
    "config_path",
    default=None,
    envvar=CONFIG_ENV,
    metavar="PATH",
    type=click.Path(dir_okay=False),
    help=f"TOML file of stage thresholds (default: ./wiretrace.toml if present; env {CONFIG_ENV}).",
)
@click.option(
    "--set",
    "overrides",
    multiple=True,
    metavar="STAGE.KEY=VALUE",
    help="Set one threshold over the file, e.g. --set classify.edited_min_coverage=0.6 "
    "(repeatable).",
)
@click.pass_context
def main(ctx: click.Context, config_path: str | None, overrides: tuple[str, ...]) -> None:
    """Where a news story came from, who reused it, and what they changed.

    \b
    Quick start:
      wiretrace analyze examples/corpus --json result.json
      wiretrace stories
      wiretrace compare wire_original spun_rewrite
      wiretrace --set classify.edited_min_coverage=0.6 analyze examples/corpus
    """
    try:
        ctx.obj = load_config(config_path, overrides)
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from None
