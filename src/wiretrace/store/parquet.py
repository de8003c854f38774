"""Results as Parquet folders: the layout both engines write and ``wiretrace import`` reads.

A results folder holds one Parquet dataset per table, each row the dict form of a record
of :mod:`wiretrace.model` (the fields of the ``--json`` output):

* ``documents/``: :meth:`Document.to_dict` with ``exact``: text, ``original``, ``kept`` and
  ``content_hash``, so that an import restores the documents exactly;
* ``pairs/``: :meth:`PairVerdict.to_dict` with sentence pairs, token edits and divergences;
* ``passages/``: one row per passage (``a``, ``b``, ``passage`` index, then the passage
  fields), for queries that want passages without unnesting;
* ``stories/``: :meth:`Story.to_dict` with the story's consolidated facts, largest first;
* ``rejections/``: the input units that did not become documents, with the reason.

Both engines write divergences and facts, so an import stores them as a detection does.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.parquet as pq

from wiretrace.cluster import keep_story_ids
from wiretrace.consolidate import consolidate_story, facts_key
from wiretrace.errors import InputError
from wiretrace.model import Divergence, Document, Fact, PairVerdict, Rejection, Story
from wiretrace.store.derived import pair_divergences, stored_divergences, story_facts

if TYPE_CHECKING:
    from wiretrace.store.sqlite import SqliteStore

TABLES = ("documents", "pairs", "passages", "stories", "rejections")
# Rows per written file and per batch read back; keeps an import's memory flat.
ROWS_PER_BATCH = 2048

_SPAN_FIELDS = [
    pa.field("a_start", pa.int64()),
    pa.field("a_end", pa.int64()),
    pa.field("b_start", pa.int64()),
    pa.field("b_end", pa.int64()),
]
_EDIT = pa.struct([pa.field("op", pa.string()), *_SPAN_FIELDS])
_SENTENCE_PAIR = pa.struct(
    [
        *_SPAN_FIELDS,
        pa.field("kind", pa.string()),
        pa.field("similarity", pa.float64()),
        pa.field("edits", pa.list_(_EDIT)),
    ]
)
_PASSAGE_FIELDS = [
    *_SPAN_FIELDS,
    pa.field("kind", pa.string()),
    pa.field("similarity", pa.float64()),
    pa.field("a_source_start", pa.int64()),
    pa.field("a_source_end", pa.int64()),
    pa.field("b_source_start", pa.int64()),
    pa.field("b_source_end", pa.int64()),
    pa.field("num_sentence_pairs", pa.int64()),
]

DOCUMENT_SCHEMA = pa.schema(
    [
        pa.field("id", pa.string()),
        pa.field("version", pa.int64()),
        pa.field("source_path", pa.string()),
        pa.field("title", pa.string()),
        pa.field("date", pa.string()),
        pa.field("url", pa.string()),
        pa.field("source", pa.string()),
        pa.field("byline", pa.string()),
        pa.field("language", pa.string()),
        pa.field("credits", pa.list_(pa.string())),
        pa.field("text", pa.string()),
        pa.field(
            "removed",
            pa.list_(
                pa.struct(
                    [
                        pa.field("start", pa.int64()),
                        pa.field("end", pa.int64()),
                        pa.field("kind", pa.string()),
                        pa.field("text", pa.string()),
                    ]
                )
            ),
        ),
        pa.field(
            "sentences",
            pa.list_(pa.struct([pa.field("start", pa.int64()), pa.field("end", pa.int64())])),
        ),
        pa.field("original", pa.string()),
        pa.field("kept", pa.list_(pa.list_(pa.int64()))),
        pa.field("content_hash", pa.string()),
    ]
)
# Divergence.to_dict(), field for field.
_DIVERGENCE = pa.struct(
    [
        pa.field("a", pa.string()),
        pa.field("b", pa.string()),
        pa.field("kind", pa.string()),
        *(pa.field(f"{side}_{end}", pa.int64()) for side in "ab" for end in ("start", "end")),
        pa.field("a_text", pa.string()),
        pa.field("b_text", pa.string()),
        pa.field("explanation", pa.string()),
    ]
)
PAIR_SCHEMA = pa.schema(
    [
        pa.field("a", pa.string()),
        pa.field("b", pa.string()),
        pa.field("type", pa.string()),
        pa.field("coverage_a", pa.float64()),
        pa.field("coverage_b", pa.float64()),
        pa.field("direction", pa.string()),
        pa.field("credited", pa.bool_()),
        pa.field("uncredited_reuse", pa.bool_()),
        pa.field("similarity", pa.float64()),
        # Null where not computed (the semantic layer off, the Spark engine); folders
        # written before it existed have no such column and import as null.
        pa.field("story_similarity", pa.float64()),
        pa.field("reasons", pa.list_(pa.string())),
        pa.field(
            "passages",
            pa.list_(
                pa.struct([*_PASSAGE_FIELDS, pa.field("sentence_pairs", pa.list_(_SENTENCE_PAIR))])
            ),
        ),
        pa.field("divergences", pa.list_(_DIVERGENCE)),
    ]
)
PASSAGE_SCHEMA = pa.schema(
    [
        pa.field("a", pa.string()),
        pa.field("b", pa.string()),
        pa.field("passage", pa.int64()),
        *_PASSAGE_FIELDS,
    ]
)
# Fact.to_dict(), field for field.
_FACT = pa.struct(
    [
        pa.field("id", pa.string()),
        pa.field("status", pa.string()),
        pa.field("text", pa.string()),
        pa.field("support", pa.list_(pa.string())),
        pa.field(
            "variants",
            pa.list_(
                pa.struct(
                    [
                        pa.field("doc_id", pa.string()),
                        pa.field("start", pa.int64()),
                        pa.field("end", pa.int64()),
                        pa.field("text", pa.string()),
                    ]
                )
            ),
        ),
        pa.field("divergences", pa.list_(_DIVERGENCE)),
    ]
)
STORY_SCHEMA = pa.schema(
    [
        pa.field("id", pa.string()),
        pa.field("documents", pa.list_(pa.string())),
        pa.field("representative", pa.string()),
        pa.field("duplicate_groups", pa.list_(pa.list_(pa.string()))),
        pa.field("facts", pa.list_(_FACT)),
    ]
)
REJECTION_SCHEMA = pa.schema(
    [
        pa.field("unit", pa.string()),
        pa.field("source_path", pa.string()),
        pa.field("reason", pa.string()),
    ]
)
SCHEMAS = {
    "documents": DOCUMENT_SCHEMA,
    "pairs": PAIR_SCHEMA,
    "passages": PASSAGE_SCHEMA,
    "stories": STORY_SCHEMA,
    "rejections": REJECTION_SCHEMA,
}


def document_row(doc: Document) -> dict:
    """One document as a ``documents/`` row."""
    return doc.to_dict(exact=True)


def pair_row(verdict: PairVerdict, divergences: Sequence[Divergence] = ()) -> dict:
    """One verdict with its divergences as a ``pairs/`` row."""
    return verdict.to_dict(with_sentences=True, divergences=divergences)


def passage_rows(verdict: PairVerdict) -> list[dict]:
    """The ``passages/`` rows of one verdict."""
    return [
        {"a": verdict.a, "b": verdict.b, "passage": i, **passage.to_dict()}
        for i, passage in enumerate(verdict.passages)
    ]


def story_row(story: Story, facts: Sequence[Fact]) -> dict:
    """One story with its consolidated facts as a ``stories/`` row."""
    return story.to_dict(facts)


def rejection_row(rejection: Rejection) -> dict:
    """One rejected input unit as a ``rejections/`` row."""
    return {
        "unit": rejection.unit,
        "source_path": rejection.source_path,
        "reason": rejection.reason,
    }


def _write_table(directory: Path, name: str, rows: Iterable[dict]) -> int:
    """Write ``rows`` as ``directory/name/part-00000.parquet``; return how many."""
    folder = directory / name
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.parquet"):
        stale.unlink()
    schema = SCHEMAS[name]
    count = 0
    with pq.ParquetWriter(folder / "part-00000.parquet", schema) as writer:
        batch: list[dict] = []
        for row in rows:
            batch.append(row)
            count += 1
            if len(batch) >= ROWS_PER_BATCH:
                writer.write_batch(pa.RecordBatch.from_pylist(batch, schema=schema))
                batch = []
        writer.write_batch(pa.RecordBatch.from_pylist(batch, schema=schema))
    return count


def write_store_results(store: SqliteStore, directory: str | Path, run_id: int) -> dict[str, int]:
    """Write everything in ``store`` as a results folder (rejections: those of ``run_id``).

    Pairs carry their stored divergences and stories their stored facts.
    """
    out = Path(directory)
    verdicts = list(store.iter_pairs())
    rejections = [
        Rejection(r["unit"], r["source_path"], r["reason"])
        for r in store.ledger(run_id)
        if r["status"] == "rejected"
    ]
    pairs = (pair_row(v, pair_divergences(store, v)) for v in verdicts)
    stories = (story_row(s, story_facts(store, s)) for s in store.iter_stories())
    return {
        "documents": _write_table(out, "documents", map(document_row, store.iter_documents())),
        "pairs": _write_table(out, "pairs", pairs),
        "passages": _write_table(out, "passages", (r for v in verdicts for r in passage_rows(v))),
        "stories": _write_table(out, "stories", stories),
        "rejections": _write_table(out, "rejections", map(rejection_row, rejections)),
    }


def scan_table(directory: str | Path, name: str) -> Iterator[dict]:
    """Lazily read the rows of one table of a results folder, in file-name order.

    Raises:
        InputError: the folder lacks the table.
    """
    folder = Path(directory) / name
    files = sorted(folder.glob("*.parquet")) if folder.is_dir() else []
    if not folder.is_dir():
        raise InputError(
            f"{folder}: no {name!r} table; expected a results folder written by "
            "`wiretrace analyze --out DIR` (with documents/, pairs/ and stories/ inside)"
        )
    for path in files:
        for batch in pq.ParquetFile(path).iter_batches(batch_size=ROWS_PER_BATCH):
            yield from batch.to_pylist()


def import_results(store: SqliteStore, directory: str | Path) -> dict[str, int]:
    """Load a results folder into ``store``: documents, pairs and stories.

    Documents are stored as new versions where their content changed; the store's pairs
    of the imported documents and all its stories are replaced by the folder's.
    """
    run_id = store.begin_run("import", {"directory": str(directory)})
    counts = {"documents": 0, "pairs": 0, "stories": 0}
    ids = []
    for record in scan_table(directory, "documents"):
        doc = Document.from_dict(record)
        status = store.put_document(doc, run_id)
        store.log(run_id, doc.id, doc.source_path, status, doc.id)
        ids.append(doc.id)
        counts["documents"] += 1
    store.delete_pairs_of(ids)
    for record in scan_table(directory, "pairs"):
        divergences = record.get("divergences")
        store.put_pair(
            PairVerdict.from_dict(record),
            None if divergences is None else [Divergence.from_dict(d) for d in divergences],
        )
        counts["pairs"] += 1
    rows = list(scan_table(directory, "stories"))
    written = {tuple(r["documents"]): (r["id"], r.get("facts")) for r in rows}
    # A story already in the store keeps its id (a Spark run names stories after their
    # members); its written facts carry the folder's id, so they are computed again.
    stories = keep_story_ids([Story.from_dict(r) for r in rows], store.iter_stories())
    store.replace_stories(stories)
    counts["stories"] = len(stories)
    # The facts of the stories, as a detection stores them: views only read them. A folder
    # written before stories carried facts gets them computed here.
    versions = {d["id"]: d["version"] for d in store.document_summaries()}
    divergence_texts = store.pair_divergence_texts()
    for story in stories:
        pairs = store.pairs_among(story.documents)
        folder_id, folder_facts = written[story.documents]
        facts = (
            tuple(Fact.from_dict(f) for f in folder_facts)
            if folder_facts is not None and folder_id == story.id
            else consolidate_story(
                story,
                store.get_documents(story.documents),
                pairs,
                divergences=stored_divergences(store, pairs),
            )
        )
        key = facts_key(story, versions, pairs, divergence_texts)
        store.put_story_facts(story.id, key, facts)
    store.commit()
    store.finish_run(run_id, counts)
    return counts
