"""Commands that delete documents: by id, or by age."""

from __future__ import annotations

import click
from rich.markup import escape

from wiretrace.api import Store
from wiretrace.cli.app import (
    console,
    invocation_config,
    main,
    out,
    store_at,
)
from wiretrace.cli.options import (
    db_option,
)


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
    with store_at(db) as sqlite:
        summary = Store(sqlite, invocation_config()).delete(doc_ids)
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
    if (before is None) == (keep_days is None):
        raise click.UsageError("give one of --before DATE or --keep-days N")
    with store_at(db) as sqlite:
        store = Store(sqlite, invocation_config())
        ids = store.expired(before=before, keep_days=keep_days)
        if dry_run:
            for doc_id in ids:
                out.print(escape(doc_id))
            console.print(f"{len(ids)} documents would be deleted (dry run)")
            return
        summary = store.delete(ids)
    console.print(f"expired {len(summary.deleted)} documents; {summary.stories} stories remain")
