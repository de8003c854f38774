"""Commands that add articles and detect reuse: ingest, analyze, detect, trace, import."""

from __future__ import annotations

import sys
from typing import Any

import click

from wiretrace.api import (
    DetectSummary,
    IngestSummary,
    Store,
    analyze_on_spark,
    article_document,
)
from wiretrace.cli.app import (
    EXIT_REJECTED,
    check_paths,
    console,
    emit_json,
    fail,
    invocation_config,
    main,
    out,
    progress,
    read_config,
    store_at,
)
from wiretrace.cli.options import (
    db_option,
    full_option,
    json_file_option,
    read_options,
    semantic_option,
    workers_option,
)
from wiretrace.config import Config
from wiretrace.errors import ConfigError, InputError, WiretraceError
from wiretrace.model import Document, PairVerdict, Rejection
from wiretrace.read import scan_inputs
from wiretrace.report.terminal import (
    comparison,
    detect_summary_lines,
    ingest_summary_lines,
    pairs_table,
    spark_summary_lines,
)

# What each phase of a detection counts, as its progress bar says.
PHASE_UNITS = {
    "fingerprinting": "documents",
    "aligning": "candidate pairs",
    "meaning": "pairs by meaning",
}


def run_ingest(
    store: Store, paths: tuple[str, ...], command: str, workers: int = 0
) -> IngestSummary:
    """Read ``paths`` into the store with a progress bar; print the summary."""
    with progress("reading", "units") as update:
        summary = store.ingest(
            paths,
            command=command,
            workers=workers,
            on_unit=lambda n: update(n, None) if n % 50 == 0 else None,
        )
    for line in ingest_summary_lines(summary):
        console.print(line)
    return summary


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
    config = read_config(kwargs)
    check_paths(paths)
    with store_at(db, create=True) as store:
        summary = run_ingest(Store(store, config), paths, "ingest", workers)
    if summary.rejected:
        sys.exit(EXIT_REJECTED)


def run_detect(
    store: Store, full: bool, workers: int = 0, after: IngestSummary | None = None
) -> DetectSummary:
    """Detect reuse among the stored documents with a progress bar; print the summary."""
    with progress("fingerprinting", "documents") as update:

        def phase(name: str, done: int, total: int | None) -> None:
            update(done, total, label=name, unit=PHASE_UNITS.get(name, ""))

        try:
            summary = store.detect(full=full, workers=workers, on_progress=phase, after=after)
        except ConfigError as exc:
            fail(str(exc))
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
    config = read_config(kwargs, semantic)
    if engine == "spark":
        if config.detect.semantic.mode != "off":
            console.print(
                "note: the Spark engine finds reuse by words and facts only; rewrites and "
                "translations aligned by meaning need the local engine (--engine local)"
            )
        run_spark(paths, config, out_dir, json_out)
        return
    check_paths(paths)
    with store_at(db, create=True) as sqlite:
        store = Store(sqlite, config)
        summary = run_ingest(store, paths, "analyze", workers)
        run_detect(store, full, workers, after=summary)
        if json_out:
            emit_json(store.as_dict(), json_out)
        if out_dir:
            store.write_parquet(out_dir, summary.run_id)
            console.print(f"wrote {out_dir}")
    if summary.rejected:
        sys.exit(EXIT_REJECTED)


def run_spark(
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
        summary = analyze_on_spark(paths, out_dir, config=config)
    except ImportError as exc:
        fail(f"the Spark engine needs pyspark ({exc}); install it: pip install 'wiretrace[spark]'")
    except WiretraceError as exc:
        fail(str(exc))
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
    with store_at(db) as sqlite:
        store = Store(sqlite, invocation_config(semantic=semantic))
        run_detect(store, full, workers)
        if json_out:
            emit_json(store.as_dict(), json_out)


@main.command("trace")
@click.argument("path")
@db_option
@read_options
@click.option("--add", is_flag=True, help="Keep the article in the store (and its pairs).")
@click.option(
    "--passages",
    "num_shown",
    default=3,
    show_default=True,
    type=click.IntRange(min=0),
    help="Show the reused passages side by side for this many of the best matches.",
)
@semantic_option
@json_file_option
def trace_cmd(
    path: str,
    db: str,
    add: bool,
    num_shown: int,
    semantic: str | None,
    json_out: str | None,
    **kwargs: Any,
) -> None:
    """Match a new article against everything indexed; show what was reused.

    \b
    Example:
      wiretrace trace new-article.txt
      wiretrace trace new-article.html --add
    """
    config = read_config(kwargs, semantic)
    check_paths([path])
    with store_at(db, create=add) as sqlite:
        store = Store(sqlite, config)
        verdicts: list[PairVerdict] = []
        traced: dict[str, Document] = {}
        if add:
            summary = run_ingest(store, (path,), "trace", 0)
            run_detect(store, False, after=summary)
            # Every document the file settled to, including one that was already stored.
            ids = {r["doc_id"] for r in sqlite.ledger(summary.run_id) if r["doc_id"]}
            verdicts = [v for doc_id in sorted(ids) for v in sqlite.iter_pairs(doc_id)]
        else:
            for item in scan_inputs([path], config.read):
                if isinstance(item, Rejection):
                    fail(f"cannot read {item.unit}: {item.reason}")
                try:
                    doc = article_document(item, config)
                    verdicts.extend(store.trace(doc))
                except (InputError, ConfigError) as exc:
                    fail(str(exc))
                traced[doc.id] = doc
        if json_out:
            matches = [v.to_dict(divergences=getattr(v, "divergences", None)) for v in verdicts]
            emit_json({"matches": matches}, json_out)
            return
        out.print(pairs_table(verdicts))
        shown = [v for v in verdicts if v.passages][:num_shown]
        stored = sqlite.get_documents({v.a for v in shown} | {v.b for v in shown} - traced.keys())
        documents = {**stored, **traced}
        for verdict in shown:
            divergences = getattr(verdict, "divergences", ())
            out.print(comparison(documents[verdict.a], documents[verdict.b], verdict, divergences))
    console.print(f"{len(verdicts)} matches")


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
    with store_at(db, create=True) as sqlite:
        counts = Store(sqlite, invocation_config()).import_parquet(directory)
    console.print(
        f"imported {counts['documents']} documents, {counts['pairs']} pairs and "
        f"{counts['stories']} stories from {directory} into {db}"
    )
