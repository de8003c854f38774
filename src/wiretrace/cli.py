"""The ``wiretrace`` command: a thin layer over the Python API.

Errors exit 1, usage errors exit 2 (click's convention); a run that rejected some input
still stores the rest and exits 3 so scripts can notice.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from wiretrace.api import Store, configure
from wiretrace.cli_options import (
    READ_FIELDS,
    db_option,
    full_option,
    json_file_option,
    read_options,
    semantic_option,
    workers_option,
)
from wiretrace.config import CONFIG_ENV, Config, load_config
from wiretrace.engines.ingest import IngestSummary
from wiretrace.engines.local import DetectSummary
from wiretrace.errors import ConfigError, InputError, WiretraceError
from wiretrace.extract.document import build_document, default_id
from wiretrace.model import PairVerdict, Rejection
from wiretrace.read import check_inputs, scan_inputs
from wiretrace.report.files import EXPORT_FORMATS, write_json, write_records
from wiretrace.report.records import (
    document_record,
    pair_divergences,
    pair_record,
    story_facts,
    story_record,
)
from wiretrace.report.terminal import (
    comparison,
    detect_summary_lines,
    document_view,
    documents_table,
    ingest_summary_lines,
    mended_lines,
    pairs_table,
    rejected_lines,
    run_lines,
    spark_summary_lines,
    story_list_lines,
    story_view,
)
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


def _fail(message: str) -> NoReturn:
    raise click.ClickException(message)


@contextmanager
def _store(db: str, *, create: bool = False) -> Iterator[SqliteStore]:
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
        _fail(str(exc))
    try:
        yield store
    except WiretraceError as exc:
        # The open transaction is unfinished work (and may be what a full disk refused).
        store.rollback()
        store.close()
        _fail(str(exc))
    else:
        store.close()


def _check_inputs(paths: Iterable[str]) -> None:
    """Refuse, before anything is created, input paths that name nothing to read (exit 2)."""
    try:
        check_inputs(paths)
    except InputError as exc:
        raise click.UsageError(str(exc)) from None


def _config(**options: Any) -> Config:
    """The configuration of this invocation (file and ``--set``) with a command's options.

    ``options`` are those of :func:`wiretrace.api.configure` (``semantic``, ``source``,
    read fields); a ``None`` leaves the configured value.
    """
    base = click.get_current_context().find_root().obj
    try:
        return configure(base if isinstance(base, Config) else Config(), **options)
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from None


def _read_config(kwargs: dict[str, Any], semantic: str | None = None) -> Config:
    """The configuration with the read options of a command (taken out of ``kwargs``)."""
    fields = {name: kwargs.pop(name) for name in READ_FIELDS}
    return _config(
        semantic=semantic, source=kwargs.pop("default_source"), format=kwargs.pop("fmt"), **fields
    )


@contextmanager
def _progress(label: str, counter: str) -> Iterator[Callable[[int, int | None], None]]:
    """A transient progress bar on stderr (only on a terminal); yields its update function."""
    with Progress(
        TextColumn(f"[bold]{label}[/bold]"),
        BarColumn(),
        TextColumn(counter),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    ) as progress:
        task = progress.add_task(label, total=None)
        yield lambda done, total: progress.update(task, completed=done, total=total)


def _run_ingest(
    store: Store, paths: tuple[str, ...], command: str, workers: int = 0
) -> IngestSummary:
    with _progress("reading", "{task.completed} units") as update:
        summary = store.ingest(
            paths,
            command=command,
            workers=workers,
            on_unit=lambda n: update(n, None) if n % 50 == 0 else None,
        )
    for line in ingest_summary_lines(summary):
        console.print(line)
    return summary


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
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


@main.command("ingest")
@click.argument("paths", nargs=-1, required=True)
@db_option
@read_options
@workers_option
def ingest_cmd(paths: tuple[str, ...], db: str, workers: int, **kwargs: Any) -> None:
    """Read articles into the store: files, folders, globs, or - for stdin.

    \b
    Formats: .txt, .html/.htm, .jsonl/.ndjson, .csv/.tsv, .parquet, .warc/.warc.gz,
    and gzip of any of them. Ingest is idempotent: the same content twice stores nothing
    new; the same id with new content stores a new version.

    \b
    Example:
      wiretrace ingest examples/corpus
      wiretrace ingest reuters.jsonl --text-field body --id-field newid
    """
    config = _read_config(kwargs)
    _check_inputs(paths)
    with _store(db, create=True) as store:
        summary = _run_ingest(Store(store, config), paths, "ingest", workers)
    if summary.rejected:
        sys.exit(EXIT_REJECTED)


@main.command("docs")
@db_option
@click.option("--limit", default=50, show_default=True, help="Show at most this many (0: all).")
def docs_cmd(db: str, limit: int) -> None:
    """List stored documents.

    \b
    Example:
      wiretrace docs --limit 0
    """
    with _store(db) as store:
        rows = store.document_summaries()
    shown = rows if limit == 0 else rows[:limit]
    out.print(documents_table(shown))
    if len(shown) < len(rows):
        console.print(f"({len(rows) - len(shown)} more; --limit 0 shows all)")


@main.command("show")
@click.argument("doc_id")
@db_option
def show_cmd(doc_id: str, db: str) -> None:
    """Print one document with its removed parts struck through and labelled.

    \b
    Example:
      wiretrace show spun_rewrite
    """
    with _store(db) as store:
        doc = store.get_document(doc_id)
    for markup, end in document_view(doc):
        out.print(markup, end=end)


@main.command("rejections")
@db_option
@click.option("--run", "run_id", type=int, default=None, help="Only this run (default: all).")
def rejections_cmd(db: str, run_id: int | None) -> None:
    """List rejected input units with their reasons, and units whose text was mended.

    Mended: bytes that were not UTF-8 replaced, mojibake repaired (from the ledger).

    \b
    Example:
      wiretrace rejections
    """
    with _store(db) as store:
        ledger = store.ledger(run_id)
    rejected = rejected_lines(ledger)
    for line in rejected:
        out.print(line)
    console.print(f"{len(rejected)} rejected units")
    mended = mended_lines(ledger)
    for line in mended:
        out.print(line)
    if mended:
        console.print(f"{len(mended)} units stored with repaired text")


@main.command("export")
@db_option
@click.option(
    "--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="jsonl", show_default=True
)
@click.option(
    "-o",
    "--output",
    default="-",
    show_default=True,
    help="Output file (- for stdout; parquet needs a file).",
)
def export_cmd(db: str, fmt: str, output: str) -> None:
    """Write one record per document: id, metadata, clean text, removed spans, sentences.

    \b
    Example:
      wiretrace export --format parquet -o documents.parquet
    """
    with _store(db) as store:
        try:
            count = write_records((document_record(d) for d in store.iter_documents()), output, fmt)
        except WiretraceError as exc:
            _fail(str(exc))
    console.print(f"wrote {count} documents to {output}")


def _run_detect(
    store: Store, full: bool, workers: int = 0, after: IngestSummary | None = None
) -> DetectSummary:
    with _progress("detecting", "{task.completed}/{task.total} candidate pairs") as update:
        try:
            summary = store.detect(full=full, workers=workers, on_progress=update, after=after)
        except ConfigError as exc:
            _fail(str(exc))
    for line in detect_summary_lines(summary):
        console.print(line)
    return summary


@main.command("analyze")
@click.argument("paths", nargs=-1, required=True)
@db_option
@read_options
@json_file_option
@full_option
@workers_option
@semantic_option
@click.option(
    "--engine",
    type=click.Choice(["local", "spark"]),
    default="local",
    show_default=True,
    help="local: the SQLite store; spark: Apache Spark (needs wiretrace[spark] and --out).",
)
@click.option(
    "--out",
    "out_dir",
    default=None,
    metavar="DIR",
    help="Also write the results as Parquet tables in DIR (load with `wiretrace import`).",
)
def analyze_cmd(
    paths: tuple[str, ...],
    db: str,
    json_out: str | None,
    full: bool,
    workers: int,
    semantic: str | None,
    engine: str,
    out_dir: str | None,
    **kwargs: Any,
) -> None:
    """Ingest articles, then find reuse, classify pairs and group stories.

    Incremental: a second run with one new article only aligns the pairs that involve it.
    With --engine spark the whole input is analyzed on Spark (local[*], or the cluster of
    spark-submit or $WIRETRACE_SPARK_MASTER) and written to --out; --db is not used.

    \b
    Example:
      wiretrace analyze examples/corpus --json result.json
      wiretrace analyze reuters.jsonl --text-field body --id-field newid --db reuters.sqlite
      wiretrace analyze --engine spark articles.jsonl --out results/
    """
    config = _read_config(kwargs, semantic)
    if engine == "spark":
        if config.detect.semantic.mode != "off":
            console.print(
                "note: the Spark engine finds reuse by words and facts only; rewrites and "
                "translations aligned by meaning need the local engine (--engine local)"
            )
        _run_spark(paths, config, out_dir, json_out)
        return
    _check_inputs(paths)
    with _store(db, create=True) as sqlite:
        store = Store(sqlite, config)
        summary = _run_ingest(store, paths, "analyze", workers)
        _run_detect(store, full, workers, after=summary)
        if json_out:
            write_json(store.as_dict(), json_out)
            if json_out != "-":
                console.print(f"wrote {json_out}")
        if out_dir:
            from wiretrace.report.parquet import write_store_results  # pyarrow: only here

            write_store_results(sqlite, out_dir, summary.run_id)
            console.print(f"wrote {out_dir}")
    if summary.rejected:
        sys.exit(EXIT_REJECTED)


def _run_spark(
    paths: tuple[str, ...], config: Config, out_dir: str | None, json_out: str | None
) -> None:
    """``analyze --engine spark``: the Spark engine, with its summary on stderr."""
    if not out_dir:
        raise click.UsageError("--engine spark writes Parquet tables: name a folder with --out")
    if json_out:
        raise click.UsageError(
            "--json is for the local engine; with --engine spark, run `wiretrace import DIR` "
            "and then `wiretrace export`"
        )
    try:
        from wiretrace.engines.spark import analyze_paths
    except ImportError as exc:
        _fail(f"the Spark engine needs pyspark ({exc}); install it: pip install 'wiretrace[spark]'")
    try:
        summary = analyze_paths(paths, out_dir, config.read, config.detect, extract=config.extract)
    except WiretraceError as exc:
        _fail(str(exc))
    for line in spark_summary_lines(summary):
        console.print(line)
    console.print(f"wrote {out_dir}")
    if summary.rejected:
        sys.exit(EXIT_REJECTED)


@main.command("detect")
@db_option
@full_option
@json_file_option
@workers_option
@semantic_option
def detect_cmd(
    db: str, full: bool, json_out: str | None, workers: int, semantic: str | None
) -> None:
    """Run detection on the documents already stored.

    \b
    Example:
      wiretrace detect --full
    """
    with _store(db) as sqlite:
        store = Store(sqlite, _config(semantic=semantic))
        _run_detect(store, full, workers)
        if json_out:
            write_json(store.as_dict(), json_out)


@main.command("pairs")
@db_option
@click.option("--doc", "doc_id", default=None, help="Only pairs that involve this document.")
@click.option(
    "--type",
    "types",
    multiple=True,
    type=click.Choice(["duplicate", "edited", "partial", "paraphrase", "translation", "related"]),
    help="Only these types (repeatable).",
)
@click.option("--json", "as_json", is_flag=True, help="JSON lines instead of a table.")
def pairs_cmd(db: str, doc_id: str | None, types: tuple[str, ...], as_json: bool) -> None:
    """List related pairs with type, coverage, direction and credit.

    \b
    Example:
      wiretrace pairs --type partial --type edited
    """
    import json

    with _store(db) as store:
        if doc_id is not None:
            store.get_document(doc_id)
        verdicts = [v for v in store.iter_pairs(doc_id) if not types or v.type in types]
    if as_json:
        for v in verdicts:
            click.echo(json.dumps(pair_record(v), ensure_ascii=False))
        return
    out.print(pairs_table(verdicts))
    console.print(f"{len(verdicts)} pairs")


@main.command("stories")
@db_option
@click.option("--min-size", default=2, show_default=True, help="Hide smaller stories.")
def stories_cmd(db: str, min_size: int) -> None:
    """List stories: groups of related articles, with their representative.

    \b
    Example:
      wiretrace stories
    """
    with _store(db) as store:
        stories = [s for s in store.iter_stories() if len(s.documents) >= min_size]
        titles = {d["id"]: d["title"] for d in store.document_summaries()}
    for line in story_list_lines(stories, titles):
        out.print(line)
    console.print(f"{len(stories)} stories")


@main.command("compare")
@click.argument("doc_a")
@click.argument("doc_b")
@db_option
def compare_cmd(doc_a: str, doc_b: str, db: str) -> None:
    """Show two documents side by side with their aligned passages highlighted.

    \b
    Example:
      wiretrace compare wire_original republish_edited
    """
    with _store(db) as store:
        a, b = store.get_document(doc_a), store.get_document(doc_b)
        verdict = store.get_pair(doc_a, doc_b)
        diverge = _config().diverge
        divergences = pair_divergences(store, verdict, diverge) if verdict is not None else ()
    out.print(comparison(a, b, verdict, divergences))


@main.command("trace")
@click.argument("path")
@db_option
@read_options
@click.option("--add", is_flag=True, help="Keep the article in the store (and its pairs).")
@semantic_option
def trace_cmd(path: str, db: str, add: bool, semantic: str | None, **kwargs: Any) -> None:
    """Match a new article against everything indexed.

    \b
    Example:
      wiretrace trace new-article.txt
      wiretrace trace new-article.html --add
    """
    config = _read_config(kwargs, semantic)
    _check_inputs([path])
    with _store(db, create=add) as sqlite:
        store = Store(sqlite, config)
        verdicts: list[PairVerdict] = []
        if add:
            summary = _run_ingest(store, (path,), "trace", 0)
            _run_detect(store, False, after=summary)
            # Every document the file settled to, including one that was already stored.
            ids = {r["doc_id"] for r in sqlite.ledger(summary.run_id) if r["doc_id"]}
            verdicts = [v for doc_id in sorted(ids) for v in sqlite.iter_pairs(doc_id)]
        else:
            for item in scan_inputs([path], config.read):
                if isinstance(item, Rejection):
                    _fail(f"cannot read {item.unit}: {item.reason}")
                try:
                    doc = build_document(item, default_id(item), config.extract)
                except InputError as exc:
                    _fail(str(exc))
                try:
                    verdicts.extend(store.trace(doc))
                except ConfigError as exc:
                    _fail(str(exc))
    out.print(pairs_table(verdicts))
    console.print(f"{len(verdicts)} matches")


WEB_EXTRA_HINT = "the web UI needs the web extra: pip install 'wiretrace[web]'"


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
        _fail(WEB_EXTRA_HINT)
    with _store(db) as store:
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
        _fail(WEB_EXTRA_HINT)
    limits = GuardLimits(
        max_body_bytes=max_body_kb * 1000, rate_per_s=rate_limit, burst=max(1, int(2 * rate_limit))
    )
    if not os.path.exists(db):
        raise click.UsageError(
            f"no store at {db}: analyze articles into it first (wiretrace analyze PATH --db {db})"
        )
    try:
        mode = _config(semantic=semantic).detect.semantic.mode
        app = create_app(db, ServerSettings(limits=limits, semantic=mode))
    except WiretraceError as exc:
        _fail(str(exc))
    console.print(f"serving {db} on http://{host}:{port}/ (Ctrl+C stops)")
    uvicorn.run(app, host=host, port=port, log_level="warning")


@main.command("story")
@click.argument("story_id")
@db_option
@click.option("--json", "as_json", is_flag=True, help="The story with its facts as JSON.")
@click.option(
    "--max-single",
    default=3,
    show_default=True,
    help="Single-source facts shown per source (0: all; --json always has all).",
)
def story_cmd(story_id: str, db: str, as_json: bool, max_single: int) -> None:
    """Show one story consolidated: consensus facts, conflicts, what each source adds.

    STORY_ID is a story id (see `wiretrace stories`) or the id of a document in it.

    \b
    Example:
      wiretrace story wire_original
      wiretrace story s8b804edb05 --json
    """
    import json

    with _store(db) as store:
        story = store.get_story(story_id)
        facts = story_facts(store, story, _config().story)
        documents = store.get_documents(story.documents)
    if as_json:
        click.echo(json.dumps(story_record(story, facts), ensure_ascii=False, indent=2))
        return
    out.print(story_view(story, facts, documents, max_single))


@main.command("delete")
@click.argument("doc_ids", nargs=-1, required=True)
@db_option
def delete_cmd(doc_ids: tuple[str, ...], db: str) -> None:
    """Delete documents with their fingerprints, pairs and story membership.

    Stories are rebuilt from the pairs that remain. An unknown id deletes nothing.
    To update a document instead, ingest its id again with the new text.

    \b
    Example:
      wiretrace delete spun_rewrite translation_fr
    """
    from wiretrace.engines.lifecycle import delete_documents

    with _store(db) as store:
        summary = delete_documents(store, doc_ids)
    console.print(f"deleted {len(summary.deleted)} documents; {summary.stories} stories remain")


@main.command("expire")
@db_option
@click.option("--before", default=None, metavar="DATE", help="Delete documents dated before.")
@click.option(
    "--keep-days",
    type=click.FloatRange(min=0),
    default=None,
    metavar="N",
    help="Keep only the N days up to the newest document (a window for streaming use).",
)
@click.option("--dry-run", is_flag=True, help="List what would be deleted; delete nothing.")
def expire_cmd(db: str, before: str | None, keep_days: float | None, dry_run: bool) -> None:
    """Delete old documents: dated before DATE, or outside a window of N days.

    A document without a readable date counts from when it was ingested. Pairs and
    stories are updated as by `wiretrace delete`.

    \b
    Example:
      wiretrace expire --before 2024-01-01
      wiretrace expire --keep-days 30 --dry-run
    """
    from wiretrace.engines.lifecycle import delete_documents, expired_ids

    if (before is None) == (keep_days is None):
        raise click.UsageError("give one of --before DATE or --keep-days N")
    with _store(db) as store:
        ids = expired_ids(store, before=before, keep_days=keep_days)
        if dry_run:
            for doc_id in ids:
                out.print(escape(doc_id))
            console.print(f"{len(ids)} documents would be deleted (dry run)")
            return
        summary = delete_documents(store, ids)
    console.print(f"expired {len(summary.deleted)} documents; {summary.stories} stories remain")


@main.command("runs")
@db_option
@click.option("--json", "as_json", is_flag=True, help="JSON lines with the whole configuration.")
def runs_cmd(db: str, as_json: bool) -> None:
    """List the recorded runs: command, time, inputs and the configuration they used.

    The table shows the settings that differ from today's defaults; --json has every
    value each run recorded and what it did.

    \b
    Example:
      wiretrace runs
      wiretrace runs --json
    """
    import json

    with _store(db) as store:
        runs = store.runs()
    if as_json:
        for run in runs:
            click.echo(json.dumps(run, ensure_ascii=False, sort_keys=True))
        return
    for line in run_lines(runs):
        click.echo(line)
    console.print(f"{len(runs)} runs")


@main.command("import")
@click.argument("directory")
@db_option
def import_cmd(directory: str, db: str) -> None:
    """Load a Parquet results folder (from `analyze --out`) into the store.

    Then `stories`, `pairs`, `compare`, `export` and the other commands work on it.

    \b
    Example:
      wiretrace analyze --engine spark articles.jsonl --out results/
      wiretrace import results/ --db archive.sqlite
    """
    with _store(db, create=True) as store:
        from wiretrace.report.parquet import import_results  # pyarrow: only here

        counts = import_results(store, directory)
    console.print(
        f"imported {counts['documents']} documents, {counts['pairs']} pairs and "
        f"{counts['stories']} stories from {directory} into {db}"
    )


if __name__ == "__main__":  # pragma: no cover
    main()
