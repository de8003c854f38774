"""Commands that read the store: documents, pairs, stories, comparisons, runs, export."""

from __future__ import annotations

import click

from wiretrace.cli.app import (
    console,
    emit_json,
    emit_jsonl,
    fail,
    invocation_config,
    main,
    out,
    resolve_document,
    resolve_story,
    store_at,
)
from wiretrace.cli.options import (
    db_option,
    json_file_option,
    json_options,
)
from wiretrace.errors import WiretraceError
from wiretrace.report.files import EXPORT_FORMATS, write_records
from wiretrace.report.terminal import (
    comparison,
    document_view,
    documents_table,
    mended_lines,
    pairs_table,
    rejected_lines,
    run_lines,
    story_list_lines,
    story_view,
)
from wiretrace.store.derived import pair_divergences, story_facts


@main.command("docs")
@db_option
@click.option(
    "--limit",
    default=50,
    show_default=True,
    help="Show at most this many in the table (0: all; --json and --jsonl have all).",
)
@json_options
def docs_cmd(db: str, limit: int, json_out: str | None, jsonl_out: str | None) -> None:
    """List stored documents.

    \b
    Example:
      wiretrace docs --limit 0
      wiretrace docs --jsonl | jq -r .id
    """
    with store_at(db) as store:
        rows = store.document_summaries()
    if json_out:
        emit_json({"documents": rows}, json_out)
        return
    if jsonl_out:
        emit_jsonl(rows, jsonl_out)
        return
    shown = rows if limit == 0 else rows[:limit]
    out.print(documents_table(shown))
    if len(shown) < len(rows):
        console.print(f"({len(rows) - len(shown)} more; --limit 0 shows all)")


@main.command("show")
@click.argument("doc_id")
@db_option
@json_file_option
def show_cmd(doc_id: str, db: str, json_out: str | None) -> None:
    """Print one document with its removed parts struck through and labelled.

    DOC_ID is a document id, or any unique start of one.

    \b
    Example:
      wiretrace show spun_rewrite
      wiretrace show spun --json
    """
    with store_at(db) as store:
        doc = store.get_document(resolve_document(store, doc_id))
    if json_out:
        emit_json({"document": doc.to_dict(exact=True)}, json_out)
        return
    for markup, end in document_view(doc):
        out.print(markup, end=end)


@main.command("rejections")
@db_option
@click.option("--run", "run_id", type=int, default=None, help="Only this run (default: all).")
@json_options
def rejections_cmd(
    db: str, run_id: int | None, json_out: str | None, jsonl_out: str | None
) -> None:
    """List rejected input units with their reasons, and units whose text was mended.

    Mended: bytes that were not UTF-8 replaced, mojibake repaired (from the ledger).
    --json and --jsonl give the ledger rows of both (status, unit, reason, notes).

    \b
    Example:
      wiretrace rejections
      wiretrace rejections --jsonl | jq -r .reason | sort | uniq -c
    """
    with store_at(db) as store:
        ledger = store.ledger(run_id)
    rows = [dict(r) for r in ledger if r["status"] == "rejected" or r["notes"]]
    if json_out:
        emit_json({"rejections": rows}, json_out)
        return
    if jsonl_out:
        emit_jsonl(rows, jsonl_out)
        return
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
    with store_at(db) as store:
        try:
            count = write_records((d.to_dict() for d in store.iter_documents()), output, fmt)
        except WiretraceError as exc:
            fail(str(exc))
    console.print(f"wrote {count} documents to {output}")


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
@json_options
def pairs_cmd(
    db: str,
    doc_id: str | None,
    types: tuple[str, ...],
    json_out: str | None,
    jsonl_out: str | None,
) -> None:
    """List related pairs with type, coverage, direction and credit.

    \b
    Example:
      wiretrace pairs --type partial --type edited
      wiretrace pairs --doc wire_orig --jsonl
    """
    with store_at(db) as store:
        if doc_id is not None:
            doc_id = resolve_document(store, doc_id)
        verdicts = [v for v in store.iter_pairs(doc_id) if not types or v.type in types]
    if json_out:
        emit_json({"pairs": [v.to_dict() for v in verdicts]}, json_out)
        return
    if jsonl_out:
        emit_jsonl((v.to_dict() for v in verdicts), jsonl_out)
        return
    out.print(pairs_table(verdicts))
    console.print(f"{len(verdicts)} pairs")


@main.command("stories")
@db_option
@click.option("--min-size", default=2, show_default=True, help="Hide smaller stories.")
@json_options
def stories_cmd(db: str, min_size: int, json_out: str | None, jsonl_out: str | None) -> None:
    """List stories: groups of related articles, with their representative.

    --json and --jsonl give each story's members, representative and near-duplicate
    groups; `wiretrace story ID --json` adds its facts.

    \b
    Example:
      wiretrace stories
    """
    with store_at(db) as store:
        stories = [s for s in store.iter_stories() if len(s.documents) >= min_size]
        titles = {d["id"]: d["title"] for d in store.document_summaries()}
    if json_out:
        emit_json({"stories": [s.to_dict() for s in stories]}, json_out)
        return
    if jsonl_out:
        emit_jsonl((s.to_dict() for s in stories), jsonl_out)
        return
    for line in story_list_lines(stories, titles):
        out.print(line)
    console.print(f"{len(stories)} stories")


@main.command("compare")
@click.argument("doc_a")
@click.argument("doc_b")
@db_option
@json_file_option
def compare_cmd(doc_a: str, doc_b: str, db: str, json_out: str | None) -> None:
    """Show two documents side by side with their aligned passages highlighted.

    DOC_A and DOC_B are document ids, or unique starts of them. --json gives both
    documents and the pair oriented as asked (null when they are not related), with its
    sentence pairs, token edits and divergences.

    \b
    Example:
      wiretrace compare wire_original republish_edited
      wiretrace compare wire_original spun --json
    """
    with store_at(db) as store:
        doc_a, doc_b = resolve_document(store, doc_a), resolve_document(store, doc_b)
        a, b = store.get_document(doc_a), store.get_document(doc_b)
        verdict = store.get_pair(doc_a, doc_b)
        diverge = invocation_config().diverge
        divergences = pair_divergences(store, verdict, diverge) if verdict is not None else ()
    if json_out:
        pair = None
        if verdict is not None:
            pair = verdict.to_dict(with_sentences=True, divergences=divergences)
        emit_json({"a": a.to_dict(), "b": b.to_dict(), "pair": pair}, json_out)
        return
    out.print(comparison(a, b, verdict, divergences))


@main.command("story")
@click.argument("story_id")
@db_option
@json_file_option
@click.option(
    "--max-single",
    default=3,
    show_default=True,
    help="Single-source facts shown per source (0: all; --json always has all).",
)
def story_cmd(story_id: str, db: str, json_out: str | None, max_single: int) -> None:
    """Show one story consolidated: consensus facts, conflicts, what each source adds.

    STORY_ID is a story id (see `wiretrace stories`) or the id of a document in it, or a
    unique start of either.

    \b
    Example:
      wiretrace story wire_original
      wiretrace story s8b804edb05 --json
    """
    with store_at(db) as store:
        story = store.get_story(resolve_story(store, story_id))
        facts = story_facts(store, story, invocation_config().story)
        documents = store.get_documents(story.documents)
    if json_out:
        emit_json({"story": story.to_dict(facts)}, json_out)
        return
    out.print(story_view(story, facts, documents, max_single))


@main.command("runs")
@db_option
@json_options
def runs_cmd(db: str, json_out: str | None, jsonl_out: str | None) -> None:
    """List the recorded runs: command, time, inputs and the configuration they used.

    The table shows the settings that differ from today's defaults; --json and --jsonl
    have every value each run recorded and what it did.

    \b
    Example:
      wiretrace runs
      wiretrace runs --json
    """
    with store_at(db) as store:
        runs = store.runs()
    if json_out:
        emit_json({"runs": runs}, json_out)
        return
    if jsonl_out:
        emit_jsonl(runs, jsonl_out)
        return
    for line in run_lines(runs):
        click.echo(line)
    console.print(f"{len(runs)} runs")
