"""The Spark engine: the same stage functions as the embedded engine, on a cluster.

Every stage runs the pure functions of the local engine on executors; Spark only moves
data between them:

1. read: JSONL and Parquet files are split by Spark (line and row numbers are counted
   per file in two passes, so record ids match the local reader's); other files (text,
   HTML, CSV, WARC, gzip) are read whole, one task per file, by the local reader's
   dispatch (:func:`~wiretrace.read.sources.scan_file_bytes`). Extraction is
   :func:`~wiretrace.engines.ingest.extract_record`. A document id seen twice keeps its
   last record (the local store keeps the last version too).
2. fingerprint: :func:`~wiretrace.fingerprint.fingerprint_document` and the MinHash band
   keys, in ``mapInArrow``.
3. candidates: the inverted indexes of :class:`~wiretrace.candidates.CorpusIndex` as
   ``groupBy`` over exploded features, with the same document-frequency caps computed
   over the whole corpus, the same minimum shared counts and the same LSH bands.
4. align and classify: each candidate pair is joined with both documents and with the
   corpus-wide document frequencies of their features
   (:class:`~wiretrace.candidates.stats.DocStats`), then
   :func:`~wiretrace.engines.local.evaluate_pair` runs on executors.
5. cluster: connected components of the verdict graph (min-label propagation with
   pointer jumping, no collect to the driver), then
   :func:`~wiretrace.cluster.build_stories` per component on executors. Average linkage
   never merges across components, so this equals clustering the whole graph at once.

Nothing depends on how rows are partitioned: posting lists are sorted, counts are sums,
components are labelled by their smallest id, so any number of executors gives the same
output. Only this module imports pyspark.
"""

from __future__ import annotations

import os
import pickle
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
from pyspark import RDD
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.pandas.types import from_arrow_schema
from pyspark.sql.window import Window

from wiretrace.align import sentence_view
from wiretrace.align.sentences import SentenceView
from wiretrace.candidates.stats import DocStats, PairStats, anchor_probes
from wiretrace.classify import formula_of
from wiretrace.cluster import DocInfo, StoryEdge, build_stories
from wiretrace.consolidate import ConsolidateConfig, consolidate_story
from wiretrace.diverge import DivergeConfig, find_divergences
from wiretrace.errors import InputError
from wiretrace.extract.document import ExtractOptions, default_id
from wiretrace.fingerprint import fingerprint_document
from wiretrace.fingerprint.minhash import band_keys, minhash_signature, permutations
from wiretrace.model import (
    TEMPLATE_REASON,
    Divergence,
    Document,
    PairVerdict,
    RawRecord,
    Rejection,
    ReuseType,
    Story,
)
from wiretrace.pipeline import DetectConfig, evaluate_pair, extract_record, reason_class
from wiretrace.read import ReadOptions
from wiretrace.read.records import record_from_json_line, record_from_mapping
from wiretrace.read.sources import FORMATS, format_of, scan_file_bytes
from wiretrace.store.parquet import (
    DOCUMENT_SCHEMA,
    PAIR_SCHEMA,
    REJECTION_SCHEMA,
    STORY_SCHEMA,
    document_row,
    pair_row,
    story_row,
)

# Sentence views kept per task while aligning: pairs are sorted by their first document,
# so consecutive pairs share it and a small cache avoids re-tokenizing it.
VIEW_CACHE_SIZE = 256
LOCAL_MASTER = "local[*]"
LOCAL_PARTITIONS_PER_CORE = 2
ARROW_BATCH_ROWS = 1000
# Stories as clustering makes them, before their facts are consolidated.
_STORY_ONLY_SCHEMA = STORY_SCHEMA.remove(STORY_SCHEMA.get_field_index("facts"))
# Set by spark-submit's Python runner: the session then comes from spark-submit's options.
_SUBMIT_MARKER = "PYSPARK_GATEWAY_PORT"

_UNIT_SCHEMA = (
    "path string, pos long, id string, doc binary, unit string, source_path string, reason string"
)
_FINGERPRINT_SCHEMA = (
    "id string, shingles array<bigint>, anchors array<bigint>, vocabulary array<bigint>, "
    "frames array<bigint>, probes array<bigint>, bands array<bigint>, date string, chars long"
)


@dataclass
class SparkSummary:
    """What one Spark analysis did."""

    documents: int = 0
    rejected: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    candidates: int = 0
    pairs: int = 0
    types: Counter[str] = field(default_factory=Counter)
    stories: int = 0
    partitions: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict:
        """A JSON-ready form."""
        data = asdict(self)
        data["types"] = dict(sorted(self.types.items()))
        data["reasons"] = dict(self.reasons.most_common())
        return data


def spark_session(master: str | None = None, **conf: str) -> SparkSession:
    """The active Spark session, or a new one (``local[*]`` unless run by spark-submit).

    Args:
        master: a Spark master URL (``local[2]``, ``spark://host:7077``, ``yarn``); by
            default ``$WIRETRACE_SPARK_MASTER``, else spark-submit's, else ``local[*]``.
        conf: further Spark settings, e.g. ``{"spark.sql.shuffle.partitions": "8"}``.
    """
    active = SparkSession.getActiveSession()
    if active is not None and master is None and not conf:
        return active
    # Executors of a local session must run this interpreter, which has wiretrace.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName("wiretrace")
    master = master or os.environ.get("WIRETRACE_SPARK_MASTER")
    if master is None and _SUBMIT_MARKER not in os.environ:
        master = LOCAL_MASTER
    if master is not None:
        builder = builder.master(master)
    if master is not None and master.startswith("local"):
        # Spark's default of 200 shuffle partitions means 200 tasks per stage on one
        # machine; the example corpus took 7 minutes with it and under 2 with this.
        conf = {
            "spark.sql.shuffle.partitions": str(LOCAL_PARTITIONS_PER_CORE * (os.cpu_count() or 1)),
            # Rows per Arrow batch sent to the Python stages (Spark's default is 10,000): a
            # batch of candidate pairs carries both documents of each pair. On a cluster,
            # spark-submit's --conf decides (docs/spark.md), so only local sessions get this.
            "spark.sql.execution.arrow.maxRecordsPerBatch": str(ARROW_BATCH_ROWS),
            **conf,
        }
    if not sys.stderr.isatty():
        # Progress bars redrawn with carriage returns are noise in a log or a pipe.
        conf = {"spark.ui.showConsoleProgress": "false", **conf}
    for key, value in conf.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


# ---------------------------------------------------------------- read and extract


def _display_path(path: str) -> str:
    """A local file as a plain path (Spark names it ``file:/...``); other URLs unchanged."""
    if path.startswith("file://"):
        return path[len("file://") :]
    if path.startswith("file:"):
        return path[len("file:") :]
    return path


def _unit_row(path: str, pos: int, item: RawRecord | Rejection, options: ExtractOptions) -> dict:
    """One input unit as a row: a pickled document, or a rejection with its reason."""
    result: Document | Rejection
    if isinstance(item, Rejection):
        result = item
    else:
        result = extract_record((item, default_id(item), options))
    if isinstance(result, Rejection):
        return {
            "path": path,
            "pos": pos,
            "id": None,
            "doc": None,
            "unit": result.unit,
            "source_path": result.source_path,
            "reason": result.reason,
        }
    return {
        "path": path,
        "pos": pos,
        "id": result.id,
        "doc": pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL),
        "unit": item.unit,
        "source_path": result.source_path,
        "reason": None,
    }


def _list_files(spark: SparkSession, paths: list[str]) -> list[str]:
    """Every file under ``paths`` (folders recursively), as Spark names them, sorted."""
    try:
        listing = (
            spark.read.format("binaryFile")
            .option("recursiveFileLookup", "true")
            .load(paths)
            .select("path")
            .collect()
        )
    except Exception as exc:  # noqa: BLE001 - Spark raises its own AnalysisException types
        raise InputError(
            f"cannot list the inputs {paths}: {str(exc).splitlines()[0]}; "
            "expected files or folders that Spark can read"
        ) from exc
    return sorted(row.path for row in listing)


def _numbered_rows(frame: DataFrame) -> RDD:
    """``(path, number, row)`` for every row of a line or row source, numbered per file.

    Two passes over the same deterministic file splits: the first counts each file's rows
    in each partition, the second numbers them. Splits of one file are in offset order
    across partitions, so the numbers are the file's line (or row) numbers.
    """
    with_path = frame.withColumn("_wt_path", F.col("_metadata.file_path"))
    rdd = with_path.rdd

    def count(index: int, rows: Iterable[Any]) -> Iterator[tuple[int, str, int]]:
        counts: Counter[str] = Counter()
        for row in rows:
            counts[row["_wt_path"]] += 1
        for path, n in counts.items():
            yield index, path, n

    offsets: dict[tuple[int, str], int] = {}
    running: Counter[str] = Counter()
    for index, path, n in sorted(rdd.mapPartitionsWithIndex(count).collect()):
        offsets[(index, path)] = running[path]
        running[path] += n

    def number(index: int, rows: Iterable[Any]) -> Iterator[tuple[str, int, Any]]:
        seen: Counter[str] = Counter()
        for row in rows:
            path = row["_wt_path"]
            seen[path] += 1
            yield path, offsets[(index, path)] + seen[path], row

    return rdd.mapPartitionsWithIndex(number)


def _jsonl_units(
    spark: SparkSession, files: list[str], read: ReadOptions, extract: ExtractOptions
) -> RDD:
    def units(item: tuple[str, int, Any]) -> Iterator[dict]:
        spark_path, line_no, row = item
        path = _display_path(spark_path)
        line = row["value"]
        if line is None or not line.strip():
            return
        if line_no == 1:
            line = line.removeprefix("\ufeff")
        unit = f"{path}#L{line_no}"
        if len(line.encode("utf-8")) > read.max_record_bytes:
            reason = "line longer than max_record_bytes; raise it if the line is real"
            yield _unit_row(path, line_no, Rejection(unit, path, reason), extract)
            return
        yield _unit_row(path, line_no, record_from_json_line(line, unit, path, read), extract)

    return _numbered_rows(spark.read.text(files)).flatMap(units)


def _parquet_units(
    spark: SparkSession, files: list[str], read: ReadOptions, extract: ExtractOptions
) -> RDD:
    def units(item: tuple[str, int, Any]) -> Iterator[dict]:
        spark_path, row_no, row = item
        path = _display_path(spark_path)
        record = row.asDict(recursive=True)
        record.pop("_wt_path", None)
        unit = f"{path}#row={row_no}"
        yield _unit_row(path, row_no, record_from_mapping(record, unit, path, read), extract)

    frame = spark.read.option("mergeSchema", "true").parquet(*files)
    return _numbered_rows(frame).flatMap(units)


def _file_units(
    spark: SparkSession, files: list[str], read: ReadOptions, extract: ExtractOptions
) -> RDD:
    def units(row: Any) -> Iterator[dict]:
        path = _display_path(row["path"])
        for pos, item in enumerate(scan_file_bytes(bytes(row["content"]), path, read), start=1):
            yield _unit_row(path, pos, item, extract)

    return spark.read.format("binaryFile").load(files).select("path", "content").rdd.flatMap(units)


def read_units(
    spark: SparkSession,
    paths: Iterable[str],
    read: ReadOptions | None = None,
    extract: ExtractOptions | None = None,
) -> DataFrame:
    """Every input unit under ``paths`` as a row: a pickled document or a rejection."""
    read = read or ReadOptions()
    extract = extract or ExtractOptions()
    if read.format is not None and read.format not in FORMATS:
        raise InputError(f"unknown --format {read.format!r}; expected one of {', '.join(FORMATS)}")
    files = _list_files(spark, list(paths))
    by_format: dict[str, list[str]] = {"jsonl": [], "parquet": [], "file": []}
    for name in files:
        fmt = read.format or format_of(name)
        # Gzipped JSONL is read whole by the local reader's dispatch: Spark cannot split it.
        splittable = fmt in ("jsonl", "parquet") and not name.lower().endswith(".gz")
        by_format[fmt if splittable and fmt else "file"].append(name)
    parts = []
    if by_format["jsonl"]:
        parts.append(_jsonl_units(spark, by_format["jsonl"], read, extract))
    if by_format["parquet"]:
        parts.append(_parquet_units(spark, by_format["parquet"], read, extract))
    if by_format["file"]:
        parts.append(_file_units(spark, by_format["file"], read, extract))
    if not parts:
        raise InputError(f"no input files under {list(paths)}; expected files or folders")
    rdd = parts[0] if len(parts) == 1 else spark.sparkContext.union(parts)
    return spark.createDataFrame(rdd, schema=_UNIT_SCHEMA)


def latest_documents(units: DataFrame) -> DataFrame:
    """``(id, doc)``: one row per document id, the last record in input order."""
    last = Window.partitionBy("id").orderBy(F.desc("path"), F.desc("pos"))
    return (
        units.where(F.col("id").isNotNull())
        .withColumn("_rank", F.row_number().over(last))
        .where(F.col("_rank") == 1)
        .select("id", "doc")
    )


# ---------------------------------------------------------------- fingerprint


def _as_int64(values: np.ndarray) -> list[int]:
    """A uint64 array as Spark longs (same bits, so joins on them stay exact)."""
    return values.astype(np.uint64).view(np.int64).tolist()


def _as_uint64(values: list[int] | None) -> np.ndarray:
    """The inverse of :func:`_as_int64`."""
    return np.asarray(values or [], dtype=np.int64).view(np.uint64)


def _fingerprint_batches(config: DetectConfig) -> Any:
    perms = permutations(config.candidates.num_perm)

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            rows = []
            for doc_id, blob in zip(
                batch.column("id").to_pylist(), batch.column("doc").to_pylist(), strict=True
            ):
                doc: Document = pickle.loads(blob)
                fp = fingerprint_document(doc, config.fingerprint)
                bands = (
                    band_keys(minhash_signature(fp.shingles, perms), config.candidates.num_bands)
                    if len(fp.shingles)
                    else np.zeros(0, dtype=np.uint64)
                )
                rows.append(
                    {
                        "id": doc_id,
                        "shingles": _as_int64(fp.shingles),
                        "anchors": _as_int64(fp.anchors),
                        "vocabulary": _as_int64(fp.vocabulary),
                        "frames": _as_int64(fp.frames),
                        "probes": _as_int64(anchor_probes(fp, sentence_view(doc))),
                        "bands": _as_int64(np.unique(bands)),
                        "date": doc.date,
                        "chars": len(doc.text),
                    }
                )
            yield pa.RecordBatch.from_pylist(rows, schema=_FINGERPRINT_ARROW)

    return run


_FINGERPRINT_ARROW = pa.schema(
    [
        pa.field("id", pa.string()),
        *(
            pa.field(name, pa.list_(pa.int64()))
            for name in ("shingles", "anchors", "vocabulary", "frames", "probes", "bands")
        ),
        pa.field("date", pa.string()),
        pa.field("chars", pa.int64()),
    ]
)


# ---------------------------------------------------------------- candidates

# All pairs (i < j) of a sorted posting list, as an SQL expression over its column ``ids``.
_PAIRS_OF_IDS = (
    "flatten(transform(sequence(0, size(ids) - 2), "
    "i -> transform(slice(ids, i + 2, size(ids) - i - 1), d -> named_struct('a', ids[i], 'b', d))))"
)


def _posting_pairs(fingerprints: DataFrame, column: str, max_df: int, name: str) -> DataFrame:
    """``(a, b, name)``: how many features of ``column`` each pair shares (df 2..max_df)."""
    groups = (
        fingerprints.select("id", F.explode(column).alias("feature"))
        .groupBy("feature")
        .agg(F.array_sort(F.collect_list("id")).alias("ids"))
        .where((F.size("ids") >= 2) & (F.size("ids") <= max_df))
    )
    pairs = groups.select(F.explode(F.expr(_PAIRS_OF_IDS)).alias("p")).select("p.a", "p.b")
    return pairs.groupBy("a", "b").agg(F.count(F.lit(1)).alias(name))


def candidate_pairs(fingerprints: DataFrame, config: DetectConfig) -> DataFrame:
    """``(a, b)`` with ``a < b``: the pairs :meth:`CorpusIndex.candidates` would give."""
    cc = config.candidates
    shingles = _posting_pairs(fingerprints, "shingles", cc.max_shingle_df, "num_shingles")
    anchors = _posting_pairs(fingerprints, "anchors", cc.max_anchor_df, "num_anchors")
    lsh = _posting_pairs(fingerprints, "bands", cc.max_bucket_size, "num_bands")
    joined = shingles.join(anchors, ["a", "b"], "full").join(lsh, ["a", "b"], "full")
    joined = joined.fillna(0, ["num_shingles", "num_anchors", "num_bands"])
    return joined.where(
        (F.col("num_shingles") >= cc.min_shared_shingles)
        | (F.col("num_anchors") >= cc.min_shared_anchors)
        | (F.col("num_bands") > 0)
    ).select("a", "b")


# ---------------------------------------------------------------- corpus statistics


def _feature_df(fingerprints: DataFrame, column: str, counted: DataFrame, name: str) -> DataFrame:
    """``(id, name)``: the document frequency of each ``column`` feature, in feature order."""
    exploded = fingerprints.select("id", F.posexplode(column).alias("pos", "feature"))
    joined = exploded.join(counted, "feature", "left").fillna(0, ["df"])
    return (
        joined.groupBy("id")
        .agg(F.array_sort(F.collect_list(F.struct("pos", "df"))).alias("_sorted"))
        .select("id", F.col("_sorted.df").alias(name))
    )


def document_stats(fingerprints: DataFrame) -> DataFrame:
    """Per document: its features and their corpus-wide document frequencies."""
    vocab_counts = (
        fingerprints.select(F.explode("vocabulary").alias("feature"))
        .groupBy("feature")
        .agg(F.count(F.lit(1)).alias("df"))
    )
    # Anchors and frame grams (their kind bits keep them apart): the probes look up both.
    anchor_counts = (
        fingerprints.select(F.explode(F.concat("anchors", "frames")).alias("feature"))
        .groupBy("feature")
        .agg(F.count(F.lit(1)).alias("df"))
    )
    vocab_df = _feature_df(fingerprints, "vocabulary", vocab_counts, "vocabulary_df")
    probe_df = _feature_df(fingerprints, "probes", anchor_counts, "probe_df")
    return (
        fingerprints.select("id", "vocabulary", "anchors", "probes")
        .join(vocab_df, "id", "left")
        .join(probe_df, "id", "left")
    )


# ---------------------------------------------------------------- align and classify


def _doc_stats(row: dict, side: str, num_docs: int) -> DocStats:
    return DocStats(
        doc_id=row[side],
        num_docs=num_docs,
        vocabulary=_as_uint64(row[f"{side}_vocabulary"]),
        vocabulary_df=np.asarray(row[f"{side}_vocabulary_df"] or [], dtype=np.int64),
        anchors=_as_uint64(row[f"{side}_anchors"]),
        probes=_as_uint64(row[f"{side}_probes"]),
        probe_df=np.asarray(row[f"{side}_probe_df"] or [], dtype=np.int64),
    )


def _evaluate_batches(config: DetectConfig, num_docs: int, diverge: DivergeConfig) -> Any:
    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        views: dict[str, SentenceView] = {}

        def view(doc_id: str, blob: bytes) -> SentenceView:
            found = views.get(doc_id)
            if found is None:
                if len(views) >= VIEW_CACHE_SIZE:
                    views.clear()
                found = views[doc_id] = sentence_view(pickle.loads(blob))
            return found

        for batch in batches:
            rows = []
            for row in batch.to_pylist():
                stats = PairStats(_doc_stats(row, "a", num_docs), _doc_stats(row, "b", num_docs))
                va, vb = view(row["a"], row["a_doc"]), view(row["b"], row["b_doc"])
                verdict = evaluate_pair(stats, va, vb, config)
                if verdict is not None:
                    formula = formula_of(stats.frame_df, (va, vb), config.classify)
                    divergences = find_divergences(va.doc, vb.doc, verdict, diverge, formula)
                    rows.append(pair_row(verdict, divergences))
            yield pa.RecordBatch.from_pylist(rows, schema=PAIR_SCHEMA)

    return run


def evaluate_candidates(
    candidates: DataFrame,
    documents: DataFrame,
    stats: DataFrame,
    num_docs: int,
    config: DetectConfig,
    diverge: DivergeConfig | None = None,
) -> DataFrame:
    """The verdicts (``pairs/`` rows) of the related candidate pairs, with divergences."""
    payload = documents.join(stats, "id")

    def side(name: str) -> DataFrame:
        return payload.select(
            F.col("id").alias(name),
            *(
                F.col(c).alias(f"{name}_{c}")
                for c in ("doc", "vocabulary", "vocabulary_df", "anchors", "probes", "probe_df")
            ),
        )

    joined = candidates.join(side("a"), "a").join(side("b"), "b").sortWithinPartitions("a", "b")
    run = _evaluate_batches(config, num_docs, diverge or DivergeConfig())
    return joined.mapInArrow(run, from_arrow_schema(PAIR_SCHEMA))


# ---------------------------------------------------------------- cluster


def connected_components(edges: DataFrame) -> DataFrame:
    """``(node, component)``: each node of the ``(a, b)`` graph with its smallest node id.

    Min-label propagation with pointer jumping: every round a node takes the smallest
    label among itself and its neighbours, then the label of its label. Labels only
    decrease and stay inside the component, so the fixpoint labels every node with the
    component's smallest id; pointer jumping makes long chains converge in about
    log2(diameter) rounds instead of one round per hop. Each round is checkpointed
    locally so the query plan does not grow with the number of rounds.
    """
    both = edges.select(F.col("a").alias("src"), F.col("b").alias("dst")).union(
        edges.select(F.col("b").alias("src"), F.col("a").alias("dst"))
    )
    # Round zero needs no join: a node's smallest neighbour (or itself).
    labels = both.groupBy(F.col("src").alias("node")).agg(F.min("dst").alias("nearest"))
    labels = labels.select("node", F.least("node", "nearest").alias("label"))
    while True:
        incoming = (
            both.join(
                labels.select(F.col("node").alias("src"), F.col("label").alias("seen")), "src"
            )
            .groupBy(F.col("dst").alias("node"))
            .agg(F.min("seen").alias("seen"))
        )
        propagated = labels.join(incoming, "node", "left").select(
            "node",
            F.col("label").alias("old"),
            F.least("label", F.coalesce("seen", "label")).alias("label"),
        )
        jump = propagated.select(F.col("node").alias("label"), F.col("label").alias("jump"))
        # One checkpoint per round holds both the new and the old label, so telling
        # whether anything changed is a scan of cached rows, not another shuffle.
        rounds = (
            propagated.join(jump, "label", "left")
            .select("node", "old", F.least("label", F.coalesce("jump", "label")).alias("label"))
            .localCheckpoint()
        )
        labels = rounds.select("node", "label")
        if rounds.where(F.col("label") != F.col("old")).isEmpty():
            return labels.withColumnRenamed("label", "component")


def _story_batches(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """Stories of each component; rows arrive sorted by component within a partition."""

    def flush(edges: list[StoryEdge], docs: dict[str, DocInfo]) -> list[dict]:
        return [s.to_dict() for s in build_stories(edges, docs)]

    current: str | None = None
    edges: list[StoryEdge] = []
    docs: dict[str, DocInfo] = {}
    for batch in batches:
        rows = []
        for row in batch.to_pylist():
            if row["component"] != current:
                rows.extend(flush(edges, docs))
                current, edges, docs = row["component"], [], {}
            edges.append(StoryEdge(row["a"], row["b"], ReuseType(row["type"])))
            docs[row["a"]] = DocInfo(row["a_date"], row["a_chars"])
            docs[row["b"]] = DocInfo(row["b_date"], row["b_chars"])
        yield pa.RecordBatch.from_pylist(rows, schema=_STORY_ONLY_SCHEMA)
    yield pa.RecordBatch.from_pylist(flush(edges, docs), schema=_STORY_ONLY_SCHEMA)


def stories_of(pairs: DataFrame, fingerprints: DataFrame) -> DataFrame:
    """The stories of the verdict graph, largest first (ties by id).

    Verdicts on two instances of one template link no story (``PairVerdict.template``).
    """
    one_form = F.exists("reasons", lambda reason: reason.startswith(TEMPLATE_REASON))
    # A pair without reasons (null) is no template: exists() is null there.
    edges = pairs.where(~F.coalesce(one_form, F.lit(False))).select("a", "b", "type")
    components = connected_components(edges)
    info = fingerprints.select("id", "date", "chars")

    def side(name: str) -> DataFrame:
        return info.select(
            F.col("id").alias(name),
            F.col("date").alias(f"{name}_date"),
            F.col("chars").alias(f"{name}_chars"),
        )

    tagged = (
        edges.join(components.withColumnRenamed("node", "a"), "a")
        .join(side("a"), "a")
        .join(side("b"), "b")
        .repartition("component")
        .sortWithinPartitions("component", "a", "b")
    )
    stories = tagged.mapInArrow(_story_batches, from_arrow_schema(_STORY_ONLY_SCHEMA))
    return stories.orderBy(F.desc(F.size("documents")), "id")


def _with_facts(config: ConsolidateConfig) -> Any:
    def run(group: tuple[str, Iterable[tuple[str, Any]]]) -> dict:
        story: Story | None = None
        documents: dict[str, Document] = {}
        verdicts: list[PairVerdict] = []
        divergences: dict[tuple[str, str], list[Divergence]] = {}
        for part, value in group[1]:
            if part == "story":
                story = Story.from_dict(value)
            elif part == "doc":
                doc = pickle.loads(value)
                documents[doc.id] = doc
            else:
                verdicts.append(PairVerdict.from_dict(value))
                found = value.get("divergences")
                if found is not None:
                    divergences[value["a"], value["b"]] = [Divergence.from_dict(d) for d in found]
        assert story is not None  # every group is keyed by a story's id
        verdicts.sort(key=lambda v: (v.a, v.b))
        facts = consolidate_story(story, documents, verdicts, config, divergences)
        return story_row(story, facts)

    return run


def stories_with_facts(
    stories: DataFrame, documents: DataFrame, pairs: DataFrame, config: ConsolidateConfig
) -> DataFrame:
    """``stories/`` rows: each story with its consolidated facts, largest first.

    A story's documents and the verdicts among them meet on one executor, keyed by the
    story's id, where :func:`~wiretrace.consolidate.consolidate_story` runs as locally.
    """
    members = stories.select(F.col("id").alias("story"), F.explode("documents").alias("id"))
    side_a = members.withColumnRenamed("id", "a")
    side_b = members.withColumnRenamed("id", "b")
    parts = stories.rdd.map(lambda r: (r["id"], ("story", r.asDict(recursive=True)))).union(
        members.join(documents.select("id", "doc"), "id").rdd.map(
            lambda r: (r["story"], ("doc", r["doc"]))
        )
    )
    parts = parts.union(
        pairs.join(side_a, "a")
        .join(side_b, ["b", "story"])
        .rdd.map(lambda r: (r["story"], ("pair", r.asDict(recursive=True))))
    )
    rows = parts.groupByKey().map(_with_facts(config))
    spark = stories.sparkSession
    with_facts = spark.createDataFrame(rows, schema=from_arrow_schema(STORY_SCHEMA))
    return with_facts.orderBy(F.desc(F.size("documents")), "id")


# ---------------------------------------------------------------- outputs


def _document_batches(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    for batch in batches:
        rows = [document_row(pickle.loads(blob)) for blob in batch.column("doc").to_pylist()]
        yield pa.RecordBatch.from_pylist(rows, schema=DOCUMENT_SCHEMA)


def _passages(pairs: DataFrame) -> DataFrame:
    """One row per passage, without its sentence pairs."""
    exploded = pairs.select("a", "b", F.posexplode("passages").alias("passage", "p"))
    fields = [f.name for f in PAIR_SCHEMA.field("passages").type.value_type]
    return exploded.select(
        "a", "b", "passage", *(F.col(f"p.{f}").alias(f) for f in fields if f != "sentence_pairs")
    )


def analyze(
    spark: SparkSession,
    paths: Iterable[str],
    out: str | Path,
    config: DetectConfig | None = None,
    read: ReadOptions | None = None,
    extract: ExtractOptions | None = None,
    story_config: ConsolidateConfig | None = None,
) -> SparkSummary:
    """Read, detect and cluster ``paths`` on Spark; write a results folder to ``out``.

    Pairs carry their divergences and stories their facts (checked with ``story_config``),
    as the local engine stores them.

    The folder has the layout of :mod:`wiretrace.store.parquet` (``documents/``,
    ``pairs/``, ``passages/``, ``stories/``, ``rejections/``); ``out`` may be any path
    Spark writes (a local folder, ``hdfs://``, ``s3a://``).
    """
    config = config or DetectConfig()
    # Detection on Spark is lexical: the semantic layer's models load in one process of
    # the local engine (its parity tests compare with the local engine's --semantic off).
    config = replace(config, semantic=replace(config.semantic, mode="off"))
    started = time.monotonic()
    summary = SparkSummary()
    out = str(out).rstrip("/")
    units = read_units(spark, list(paths), read, extract).persist()
    rejections = units.where(F.col("id").isNull()).select("unit", "source_path", "reason")
    documents = latest_documents(units).persist()
    summary.documents = documents.count()
    fingerprints = documents.mapInArrow(_fingerprint_batches(config), _FINGERPRINT_SCHEMA).persist()
    candidates = candidate_pairs(fingerprints, config).persist()
    summary.candidates = candidates.count()
    stats = document_stats(fingerprints)
    story_config = story_config or ConsolidateConfig()
    pairs = evaluate_candidates(
        candidates, documents, stats, summary.documents, config, story_config.diverge
    ).persist()
    for row in pairs.groupBy("type").count().collect():
        summary.types[row["type"]] = row["count"]
    summary.pairs = sum(summary.types.values())
    stories = stories_with_facts(
        stories_of(pairs, fingerprints), documents, pairs, story_config
    ).persist()
    summary.stories = stories.count()
    for row in rejections.groupBy("reason").count().collect():
        summary.reasons[reason_class(row["reason"])] += row["count"]
    summary.rejected = sum(summary.reasons.values())
    documents.mapInArrow(_document_batches, from_arrow_schema(DOCUMENT_SCHEMA)).write.mode(
        "overwrite"
    ).parquet(f"{out}/documents")
    ordered_pairs = pairs.orderBy("a", "b")
    ordered_pairs.write.mode("overwrite").parquet(f"{out}/pairs")
    _passages(ordered_pairs).write.mode("overwrite").parquet(f"{out}/passages")
    stories.write.mode("overwrite").parquet(f"{out}/stories")
    rejections.select(*REJECTION_SCHEMA.names).write.mode("overwrite").parquet(f"{out}/rejections")
    summary.partitions = documents.rdd.getNumPartitions()
    for frame in (units, documents, fingerprints, candidates, pairs, stories):
        frame.unpersist()
    summary.seconds = round(time.monotonic() - started, 3)
    return summary


def analyze_paths(
    paths: Iterable[str],
    out: str | Path,
    read: ReadOptions | None = None,
    config: DetectConfig | None = None,
    master: str | None = None,
    extract: ExtractOptions | None = None,
    story_config: ConsolidateConfig | None = None,
) -> SparkSummary:
    """:func:`analyze` in the active Spark session, or in a new one (see :func:`spark_session`).

    The Python API of ``wiretrace analyze --engine spark``.
    """
    spark = spark_session(master)
    return analyze(spark, paths, out, config, read, extract, story_config)
