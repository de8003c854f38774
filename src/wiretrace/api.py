"""The Python API: analyze articles, compare two, trace one against a store.

Everything the ``wiretrace`` command does to find reuse is a function here, and the
command calls these::

    import wiretrace

    result = wiretrace.analyze(["articles/"], db="w.sqlite")
    for pair in result.pairs:
        print(pair.a, pair.b, pair.type, pair.direction, len(pair.divergences))

Texts given in Python are :class:`Article` records; they are cleaned, dated and
segmented exactly like the records of a JSONL file. Every threshold is set through
``config=`` (see :mod:`wiretrace.config`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wiretrace.config import Config, as_config, config_dict
from wiretrace.diverge import find_divergences
from wiretrace.engines.ingest import IngestSummary, ingest
from wiretrace.engines.lifecycle import DeleteSummary, delete_documents, expired_ids
from wiretrace.engines.local import (
    DetectSummary,
    Progress,
    detect,
    evaluate_documents,
    no_progress,
    with_story_similarity,
)
from wiretrace.engines.local import trace_document as _trace_document
from wiretrace.engines.local import warm_up as _warm_up
from wiretrace.errors import InputError, StoreError
from wiretrace.extract.document import build_document, default_id
from wiretrace.model import Document, PairReport, PairVerdict, RawRecord, StoryReport
from wiretrace.pipeline import DetectConfig
from wiretrace.read import ReadOptions, check_inputs
from wiretrace.read.records import record_from_mapping
from wiretrace.report.records import (
    analysis_dict,
    pair_report,
    read_pair_reports,
    read_story_reports,
)
from wiretrace.store import SqliteStore, open_store

if TYPE_CHECKING:
    from wiretrace.engines.spark import SparkSummary

# Where the texts given in Python come from, as the ledger and `wiretrace show` name it.
PYTHON_SOURCE = "<python>"
IN_MEMORY = ":memory:"


@dataclass(frozen=True, slots=True)
class Article:
    """One article given as text: what a record of a JSONL file holds.

    Only ``id`` and ``text`` are required. ``date`` is any date a reader understands
    (``"2023-02-22"``, an RFC 2822 date, ...); ``source`` names the outlet;
    ``language`` (ISO 639-1, ``"en"``) is detected from the text when not given.
    """

    id: str
    text: str
    title: str | None = None
    date: str | None = None
    source: str | None = None
    url: str | None = None
    author: str | None = None
    language: str | None = None


def article_record(article: Article) -> RawRecord:
    """``article`` as a read record, through the reader of JSONL and CSV records.

    Raises:
        InputError: the article has no text.
    """
    mapping = {
        "id": article.id,
        "text": article.text,
        "title": article.title,
        "date": article.date,
        "source": article.source,
        "url": article.url,
        "author": article.author,
    }
    unit = f"{PYTHON_SOURCE}#{article.id}"
    record = record_from_mapping(mapping, unit, PYTHON_SOURCE, ReadOptions())
    if not isinstance(record, RawRecord):
        raise InputError(f"article {article.id!r} has no text: give it a non-empty text=")
    return replace(record, language=article.language)


def article_document(
    article: Article | RawRecord | Document, config: Config | None = None
) -> Document:
    """``article`` (or a record as read from a file) cleaned and segmented.

    A :class:`Document` is returned as it is.

    Raises:
        InputError: no article text remains after cleaning.
    """
    if isinstance(article, Document):
        return article
    raw = article if isinstance(article, RawRecord) else article_record(article)
    return build_document(raw, default_id(raw), (config or Config()).extract)


def configure(
    config: Config | DetectConfig | Mapping[str, Any] | None = None,
    *,
    semantic: str | None = None,
    source: str | None = None,
    **read_fields: str | None,
) -> Config:
    """``config`` with the options of one command on top.

    Args:
        config: the configuration tree, a :class:`DetectConfig` or a mapping of sections.
        semantic: the semantic layer's mode (``auto``, ``all``, ``off``), if given.
        source: the outlet of articles that name none (``--source``), if given.
        **read_fields: read options (``text_field="body"``, ``format="jsonl"``); ``None``
            values leave the configured ones.
    """
    tree = as_config(config)
    if semantic is not None:
        detect_config = tree.detect
        semantic_config = replace(detect_config.semantic, mode=semantic)
        tree = replace(tree, detect=replace(detect_config, semantic=semantic_config))
    if source is not None:
        tree = replace(tree, extract=replace(tree.extract, default_source=source))
    given: dict[str, Any] = {k: v for k, v in read_fields.items() if v is not None}
    if given:
        tree = replace(tree, read=replace(tree.read, **given))
    return tree


# What analyze and ingest read: paths (files, folders, globs, "-") and texts, mixed.
Inputs = Iterable[str | os.PathLike[str] | Article] | str | os.PathLike[str] | Article


@dataclass(frozen=True)
class Result:
    """What an analysis found: every stored document, related pair and story.

    ``pairs`` carry their divergences and ``stories`` their consolidated facts;
    ``ingested`` and ``detected`` say what the run did (``None`` when the result was read
    from a store without running). :meth:`as_dict` is the ``analyze --json`` output.
    """

    documents: tuple[Document, ...]
    pairs: tuple[PairReport, ...]
    stories: tuple[StoryReport, ...]
    ingested: IngestSummary | None = None
    detected: DetectSummary | None = None

    def as_dict(self) -> dict:
        """The JSON output of ``wiretrace analyze --json`` (documents without their texts)."""
        return analysis_dict(self.documents, self.pairs, self.stories)

    def pair(self, a: str, b: str) -> PairReport | None:
        """The pair of documents ``a`` and ``b`` (in either order), if they are related."""
        return next((p for p in self.pairs if {p.a, p.b} == {a, b}), None)


@dataclass
class Store:
    """An open store with its configuration: add articles, read results, trace texts.

    Use as a context manager, or call :meth:`close`. Opened by :func:`open`.
    """

    sqlite: SqliteStore
    config: Config = field(default_factory=Config)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        if exc[0] is not None:
            self.sqlite.rollback()
        self.close()

    def close(self) -> None:
        """Commit and close the store."""
        self.sqlite.close()

    def ingest(
        self,
        inputs: Inputs,
        *,
        workers: int = 0,
        command: str = "ingest",
        on_unit: Callable[[int], None] | None = None,
    ) -> IngestSummary:
        """Read files, folders, globs and :class:`Article` texts into the store.

        The run is recorded with the effective configuration (``wiretrace runs``).

        Raises:
            InputError: a path names nothing to read, or an article has no text.
        """
        paths, records = _split_inputs(inputs)
        check_inputs(paths)
        return ingest(
            self.sqlite,
            paths,
            self.config.read,
            self.config.extract,
            command=command,
            workers=workers,
            on_unit=on_unit,
            records=records,
            settings=config_dict(self.config),
        )

    def detect(
        self,
        *,
        full: bool = False,
        workers: int = 0,
        on_progress: Progress | None = None,
        after: IngestSummary | None = None,
    ) -> DetectSummary:
        """Find reuse among the stored documents (those added since the last detection).

        Args:
            full: re-examine every pair, not only those with a new document.
            workers: processes for fingerprinting and alignment (0: one per core).
            on_progress: called as ``(phase, done, total)``: ``fingerprinting``
                documents, ``candidates``, ``aligning`` candidate pairs, ``meaning`` (pairs
                of the semantic layer), ``stories``; ``total`` is ``None`` when unknown.
            after: the ingest this detection completes (``analyze``): its run records
                both; ``None``: the detection is recorded as a run of its own.
        """
        if after is None:
            run_id = self.sqlite.begin_run("detect", {"config": config_dict(self.config)})
            recorded: dict = {}
        else:
            run_id, recorded = after.run_id, after.as_dict()
        summary = detect(
            self.sqlite,
            self.config.detect,
            full=full,
            workers=workers,
            on_progress=on_progress or no_progress,
            story_config=self.config.story,
        )
        self.sqlite.finish_run(run_id, {**recorded, "detect": summary.as_dict()})
        return summary

    def analyze(
        self,
        inputs: Inputs,
        *,
        full: bool = False,
        workers: int = 0,
    ) -> Result:
        """Add articles (paths or :class:`Article` texts), detect, and read the result."""
        ingested = self.ingest(inputs, workers=workers, command="analyze")
        detected = self.detect(full=full, workers=workers, after=ingested)
        return replace(self.result(), ingested=ingested, detected=detected)

    def result(self) -> Result:
        """Every stored document, pair (with divergences) and story (with facts)."""
        return Result(
            documents=tuple(self.sqlite.iter_documents()),
            pairs=tuple(read_pair_reports(self.sqlite, config=self.config.diverge)),
            stories=tuple(read_story_reports(self.sqlite, config=self.config.story)),
        )

    def as_dict(self) -> dict:
        """The ``analyze --json`` output of the stored results."""
        return self.result().as_dict()

    def trace(self, article: Article | Document) -> list[PairReport]:
        """Match one text against every stored document without storing it.

        Returns the related stored documents' verdicts (with divergences), most similar
        first; the traced article is side ``a`` or ``b`` as the pair's order has it.
        """
        doc = article_document(article, self.config)
        verdicts = _trace_document(self.sqlite, doc, self.config.detect)
        others = self.sqlite.get_documents(v.b if v.a == doc.id else v.a for v in verdicts)
        documents = {**others, doc.id: doc}
        return [_with_divergences(v, documents, self.config) for v in verdicts]

    def delete(self, doc_ids: Iterable[str]) -> DeleteSummary:
        """Delete documents with their fingerprints, pairs and story membership.

        Stories are rebuilt from the pairs that remain (with this store's configuration).

        Raises:
            NotFoundError: an id is not stored; nothing was deleted.
        """
        return delete_documents(self.sqlite, doc_ids, self.config.detect, self.config.story)

    def expired(self, *, before: str | None = None, keep_days: float | None = None) -> list[str]:
        """Ids of the documents too old to keep: dated before ``before``, or outside.

        ``keep_days`` is a window up to the newest document; an undated document counts
        from when it was ingested.

        Raises:
            ConfigError: neither or both limits given, or ``before`` is not a date.
        """
        return expired_ids(self.sqlite, before=before, keep_days=keep_days)

    def write_parquet(self, directory: str | os.PathLike[str], run_id: int) -> dict[str, int]:
        """Write the store as a Parquet results folder (``analyze --out``).

        Rejections are those of run ``run_id``. Returns the rows written per table.
        """
        from wiretrace.store.parquet import write_store_results  # pyarrow: only here

        return write_store_results(self.sqlite, os.fspath(directory), run_id)

    def import_parquet(self, directory: str | os.PathLike[str]) -> dict[str, int]:
        """Load a Parquet results folder (from either engine) into the store.

        Raises:
            InputError: the folder is not a results folder.
        """
        from wiretrace.store.parquet import import_results  # pyarrow: only here

        return import_results(self.sqlite, os.fspath(directory))


def _with_divergences(
    verdict: PairVerdict, documents: Mapping[str, Document], config: Config
) -> PairReport:
    a, b = documents[verdict.a], documents[verdict.b]
    return pair_report(verdict, find_divergences(a, b, verdict, config.diverge))


def _split_inputs(inputs: Inputs) -> tuple[list[str], list[RawRecord]]:
    """Paths to read, and the records of the articles given as text."""
    if isinstance(inputs, str | os.PathLike | Article):
        # One path or one article, not a sequence of one-character paths.
        inputs = [inputs]
    paths: list[str] = []
    records: list[RawRecord] = []
    for item in inputs:
        if isinstance(item, Article):
            records.append(article_record(item))
        elif isinstance(item, str | os.PathLike):
            paths.append(os.fspath(item))
        else:
            raise InputError(
                "inputs are paths (str or pathlib.Path) or wiretrace.Article texts; "
                f"got {type(item).__name__}"
            )
    return paths, records


# Named like the builtin on purpose: wiretrace.open(path) reads as sqlite3's connect does.
def open(
    db: str | os.PathLike[str],
    *,
    config: Config | DetectConfig | Mapping[str, Any] | None = None,
    create: bool = False,
    semantic: str | None = None,
) -> Store:
    """Open a store written by ``wiretrace analyze`` (or by :func:`analyze`).

    Args:
        db: the SQLite file.
        config: the configuration for what this store does next (:mod:`wiretrace.config`).
        create: create the store if it does not exist (otherwise a missing file is an
            error, not an empty store).
        semantic: the semantic layer's mode, overriding ``config``.

    Raises:
        StoreError: no store at ``db`` (and not ``create``), or not a wiretrace store.
    """
    path = os.fspath(db)
    if not create and path != IN_MEMORY and not Path(path).exists():
        raise StoreError(
            f"no store at {path}: analyze articles into it first "
            f"(wiretrace.analyze(paths, db={path!r})), or pass create=True"
        )
    return Store(open_store(path), configure(config, semantic=semantic))


def analyze(
    inputs: Inputs,
    *,
    db: str | os.PathLike[str] | None = None,
    config: Config | DetectConfig | Mapping[str, Any] | None = None,
    full: bool = False,
    workers: int = 0,
    semantic: str | None = None,
    source: str | None = None,
    id_field: str | None = None,
    text_field: str | None = None,
    title_field: str | None = None,
    date_field: str | None = None,
    url_field: str | None = None,
    source_field: str | None = None,
    author_field: str | None = None,
    format: str | None = None,
    out: str | os.PathLike[str] | None = None,
    engine: str = "local",
) -> Result:
    """Ingest articles, find reuse, classify pairs and group stories: ``wiretrace analyze``.

    Args:
        inputs: files, folders, globs and :class:`Article` texts, mixed as you like.
        db: the SQLite store to add to (created on first use); ``None``: an in-memory
            store, gone when the call returns.
        config: thresholds (:mod:`wiretrace.config`); the keyword options below win.
        full: re-examine every stored pair, not only those with a new document.
        workers: processes for the CPU-bound stages (0: one per core; an in-memory store
            uses none).
        semantic: the semantic layer: ``auto``, ``all`` or ``off`` (default: ``config``'s).
        source: the outlet of every article that names none (``--source``).
        id_field: record field holding the id (likewise ``text_field`` … ``author_field``).
        text_field: record field holding the text.
        title_field: record field holding the title.
        date_field: record field holding the date.
        url_field: record field holding the URL.
        source_field: record field holding the outlet.
        author_field: record field holding the byline.
        format: force the input format (``txt``, ``html``, ``jsonl``, ``csv``, ``parquet``,
            ``warc``).
        out: also write the results as a Parquet results folder here (``--out``).
        engine: ``local`` (this process and its workers) or ``spark``: the paths are
            analysed on Spark into ``out`` (required), which is then loaded into ``db``.

    Returns:
        Every document, pair and story of the store after the run.

    Raises:
        InputError: a path names nothing to read, or an article has no text.
        ConfigError: an unknown configuration key or a value of the wrong type.
    """
    tree = configure(
        config,
        semantic=semantic,
        source=source,
        id_field=id_field,
        text_field=text_field,
        title_field=title_field,
        date_field=date_field,
        url_field=url_field,
        source_field=source_field,
        author_field=author_field,
        format=format,
    )
    if engine not in ("local", "spark"):
        raise InputError(f"engine is 'local' or 'spark', not {engine!r}")
    if engine == "spark":
        paths, records = _split_inputs(inputs)
        if out is None or records:
            raise InputError(
                "engine='spark' reads paths only and writes a Parquet folder: give out=DIR"
            )
        analyze_on_spark(paths, out, config=tree)
        with open(IN_MEMORY if db is None else db, config=tree, create=True) as store:
            store.import_parquet(out)
            return store.result()
    with open(IN_MEMORY if db is None else db, config=tree, create=True) as store:
        result = store.analyze(inputs, full=full, workers=workers)
        if out is not None and result.ingested is not None:
            store.write_parquet(out, result.ingested.run_id)
        return result


def warm_up(
    db: str | os.PathLike[str],
    *,
    config: Config | DetectConfig | Mapping[str, Any] | None = None,
    semantic: str | None = None,
) -> None:
    """Load what tracing against the store ``db`` needs: its index, the sentence models.

    The first trace of a long-running process (a server) is then as fast as the next.

    Raises:
        StoreError: no store at ``db``.
    """
    tree = configure(config, semantic=semantic)
    store = SqliteStore(os.fspath(db), read_only=True)
    try:
        _warm_up(store, tree.detect)
    finally:
        store.close()


def analyze_on_spark(
    paths: Iterable[str | os.PathLike[str]],
    out: str | os.PathLike[str],
    *,
    config: Config | DetectConfig | Mapping[str, Any] | None = None,
    master: str | None = None,
) -> SparkSummary:
    """``wiretrace analyze --engine spark``: analyze ``paths`` on Spark into ``out``.

    ``out`` is a Parquet results folder; load it with :meth:`Store.import_parquet`.

    Args:
        paths: files, folders and globs Spark reads (local, ``hdfs://``, ``s3a://``).
        out: the results folder.
        config: thresholds (:mod:`wiretrace.config`); detection on Spark is lexical.
        master: the Spark master (default: the active session's, ``$WIRETRACE_SPARK_MASTER``
            or ``local[*]``).

    Raises:
        ImportError: pyspark is not installed (``pip install 'wiretrace[spark]'``).
    """
    from wiretrace.engines.spark import analyze_paths

    tree = as_config(config)
    return analyze_paths(
        [os.fspath(p) for p in paths],
        os.fspath(out),
        tree.read,
        tree.detect,
        master=master,
        extract=tree.extract,
        story_config=tree.story,
    )


def compare(
    a: Article | Document,
    b: Article | Document,
    *,
    config: Config | DetectConfig | Mapping[str, Any] | None = None,
    semantic: str | None = None,
    source: str | None = None,
) -> PairReport | None:
    """The verdict on two texts alone, with its divergences; ``None`` if unrelated.

    No store: the two documents are their own corpus, so every name and number they
    share counts as rare (in a large corpus a name in many articles does not), and a
    pair can be judged related here that a whole-corpus analysis leaves out. The
    verdict carries its ``story_similarity`` (:func:`story_similarity`) unless the
    semantic layer is off or its USE model is not installed (``None`` then).

    Args:
        a: one article (side ``a`` of the verdict).
        b: the other.
        config: thresholds (:mod:`wiretrace.config`).
        semantic: the semantic layer's mode, overriding ``config``.
        source: the outlet of an article that names none.
    """
    tree = configure(config, semantic=semantic, source=source)
    doc_a, doc_b = article_document(a, tree), article_document(b, tree)
    if doc_a.id == doc_b.id:
        raise InputError(f"compare needs two different ids; both articles are {doc_a.id!r}")
    verdict = evaluate_documents(doc_a, doc_b, tree.detect)
    if verdict is None:
        return None
    verdict = with_story_similarity(verdict, doc_a, doc_b, tree.detect)
    return _with_divergences(verdict, {doc_a.id: doc_a, doc_b.id: doc_b}, tree)


def story_similarity(
    a: Article | Document,
    b: Article | Document,
    *,
    config: Config | DetectConfig | Mapping[str, Any] | None = None,
    source: str | None = None,
) -> float:
    """How likely two articles report the same event, in [0, 1], shared text or not.

    This is the story-level similarity of :mod:`wiretrace.semantic.story`.

    It combines a multilingual embedding of each article's title and lead (the Universal
    Sentence Encoder of the semantic extra), the rare names and figures they share, and
    the days between their dates; its logistic model was fit on half of SemEval-2022 Task
    8 and gives Pearson 0.747 with the human "same story" scores on the other half.

    Raises:
        ConfigError: the semantic extra (its USE model) is not installed.
    """
    from wiretrace.semantic.story import story_similarity as similarity

    tree = configure(config, source=source)
    return similarity(article_document(a, tree), article_document(b, tree))
