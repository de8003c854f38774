"""The Spark engine gives the local engine's pairs, types and stories (Spark local mode)."""

from __future__ import annotations

import os
import pickle
import shutil
from itertools import islice
from pathlib import Path

import pytest
from click.testing import CliRunner

from wiretrace.cli import main
from wiretrace.engines.ingest import ingest
from wiretrace.engines.local import DetectConfig, detect
from wiretrace.semantic import SemanticConfig
from wiretrace.store import open_store
from wiretrace.store.parquet import scan_table, write_store_results

pytestmark = [
    pytest.mark.spark,
    pytest.mark.slow,
    # pyspark's own deprecation notices about its Python internals (not our calls).
    pytest.mark.filterwarnings("ignore::DeprecationWarning:pyspark"),
]

REUTERS_SAMPLE = 2000
# Few shuffle partitions: the test corpora are small and each partition costs a task.
SHUFFLE_PARTITIONS = "2"
# Long enough that plain label propagation would need 20 rounds; pointer jumping needs ~6.
CHAIN = 20


def _require(module: str) -> None:
    """Skip without pyspark or Java, except in CI (WIRETRACE_REQUIRE_SHARED=1) where it fails."""
    missing = None
    try:
        __import__(module)
    except ImportError:
        missing = f"{module} is not installed (pip install 'wiretrace[spark]')"
    if missing is None and shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        missing = "no Java runtime (make java installs one)"
    if missing:
        if os.environ.get("WIRETRACE_REQUIRE_SHARED") == "1":
            pytest.fail(f"the Spark tests need {missing}")
        pytest.skip(missing)


@pytest.fixture(scope="session")
def spark():
    _require("pyspark")
    from wiretrace.engines.spark import spark_session

    os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"
    session = spark_session(
        "local[2]",
        **{
            "spark.sql.shuffle.partitions": SHUFFLE_PARTITIONS,
            "spark.default.parallelism": SHUFFLE_PARTITIONS,
            "spark.ui.enabled": "false",
            "spark.ui.showConsoleProgress": "false",
            "spark.driver.host": "127.0.0.1",
            "spark.driver.bindAddress": "127.0.0.1",
            # Tiny inputs: planning and code generation cost more than they save here
            # (measured: a 40-node chain's components in 16 s instead of 37 s).
            "spark.sql.adaptive.enabled": "false",
            "spark.sql.codegen.wholeStage": "false",
        },
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def _local_results(paths: list[str], out: Path) -> Path:
    with open_store(":memory:") as store:
        summary = ingest(store, paths, workers=1)
        # The Spark engine is lexical: compare with the local engine's lexical layer.
        detect(store, DetectConfig(semantic=SemanticConfig(mode="off")), workers=1)
        write_store_results(store, out, summary.run_id)
    return out


def _spark_results(spark, paths: list[str], out: Path) -> Path:
    from wiretrace.engines.spark import analyze

    analyze(spark, paths, out)
    return out


def _assert_same_results(local: Path, spark: Path) -> None:
    local_pairs = list(scan_table(local, "pairs"))
    assert local_pairs, "a parity test needs a corpus with related pairs"
    # Every field of every pair: type, coverage, direction, credit, passages, sentence pairs.
    assert list(scan_table(spark, "pairs")) == local_pairs
    assert list(scan_table(spark, "stories")) == list(scan_table(local, "stories"))
    assert list(scan_table(spark, "passages")) == list(scan_table(local, "passages"))

    def docs(folder: Path) -> list[dict]:
        # Spark names local files by their absolute path; the rest must match.
        rows = [
            {k: v for k, v in d.items() if k != "source_path"}
            for d in scan_table(folder, "documents")
        ]
        return sorted(rows, key=lambda d: d["id"])

    assert docs(spark) == docs(local)
    reasons = sorted(r["reason"].split(": ", 1)[-1] for r in scan_table(local, "rejections"))
    assert (
        sorted(r["reason"].split(": ", 1)[-1] for r in scan_table(spark, "rejections")) == reasons
    )


def test_cli_runs_the_example_corpus_on_spark_as_the_local_engine_does(
    spark, examples: Path, tmp_path: Path
) -> None:
    out = tmp_path / "spark"
    result = CliRunner().invoke(
        main, ["analyze", "--engine", "spark", str(examples), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "17 documents" in result.output
    _assert_same_results(_local_results([str(examples)], tmp_path / "local"), out)
    db = tmp_path / "imported.sqlite"
    imported = CliRunner().invoke(main, ["import", str(out), "--db", str(db)])
    assert imported.exit_code == 0, imported.output
    stories = CliRunner().invoke(main, ["stories", "--db", str(db)])
    assert "wire_original" in stories.output


def test_seeds_give_the_same_results_on_spark(spark, seeds: Path, tmp_path: Path) -> None:
    _assert_same_results(
        _local_results([str(seeds)], tmp_path / "local"),
        _spark_results(spark, [str(seeds)], tmp_path / "spark"),
    )


def test_reuters_sample_gives_the_same_results_on_spark(
    spark, shared: Path, tmp_path: Path
) -> None:
    sample = tmp_path / "reuters.jsonl"
    with (shared / "data" / "reuters21578" / "articles.jsonl").open("rb") as source:
        sample.write_bytes(b"".join(islice(source, REUTERS_SAMPLE)))
    local = _local_results([str(sample)], tmp_path / "local")
    assert len(list(scan_table(local, "rejections"))) > 0  # records without a body
    _assert_same_results(local, _spark_results(spark, [str(sample)], tmp_path / "spark"))


def test_every_input_format_gets_the_local_ids_and_rejections(spark, tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from wiretrace.engines.spark import latest_documents, read_units

    folder = tmp_path / "inputs"
    folder.mkdir()
    # JSONL without ids (numbered by line, blank lines counted), a bad line, a repeated id.
    lines = ['{"text": "First article about the harbour."}', "", "not json",
             '{"text": "Second article about the harbour."}',
             '{"id": "same", "text": "An early version."}',
             '{"id": "same", "text": "The later version wins."}']  # fmt: skip
    (folder / "feed.jsonl").write_text("\n".join(lines) + "\n")
    rows = [{"text": "A row of a Parquet file.", "title": "Row"}, {"title": "No text"}]
    pq.write_table(pa.Table.from_pylist(rows), folder / "table.parquet")
    (folder / "note.txt").write_text("Title: A note\n\nA plain text article about the harbour.\n")
    units = read_units(spark, [str(folder)])
    docs = {r["id"]: pickle.loads(r["doc"]) for r in latest_documents(units).collect()}
    rejected = sorted(r["reason"] for r in units.where("id is null").collect())
    rejected = sorted(rejected, key=lambda r: r.split(": ", 1)[-1])
    with open_store(":memory:") as store:
        ingest(store, [str(folder)], workers=1)
        local = {d.id: d for d in store.iter_documents()}
        local_rejected = sorted(
            (r["reason"] for r in store.ledger() if r["status"] == "rejected"),
            key=lambda r: r.split(": ", 1)[-1],
        )
    assert sorted(docs) == sorted(local) == ["feed:1", "feed:4", "note", "same", "table:1"]
    assert docs["same"].text == local["same"].text == "The later version wins."
    assert [docs[i].text for i in sorted(docs)] == [local[i].text for i in sorted(local)]
    # A bad line, a too-short record and a row without text; the reasons name the unit.
    assert len(rejected) == 3
    assert [r.split(": ", 1)[-1] for r in rejected] == [
        r.split(": ", 1)[-1] for r in local_rejected
    ]


def test_connected_components_label_each_node_with_its_smallest_member(spark) -> None:
    from wiretrace.engines.spark import connected_components

    # A long chain (pointer jumping must still converge), a star and a separate pair.
    chain = [(f"c{i:03d}", f"c{i + 1:03d}") for i in range(CHAIN)]
    star = [("s0", f"s{i}") for i in range(1, 6)]
    edges = spark.createDataFrame([*reversed(chain), *star, ("x", "y")], "a string, b string")
    labels = {r["node"]: r["component"] for r in connected_components(edges).collect()}
    assert {labels[f"c{i:03d}"] for i in range(CHAIN + 1)} == {"c000"}
    assert {labels[f"s{i}"] for i in range(6)} == {"s0"}
    assert labels["x"] == labels["y"] == "x"
    assert len(labels) == CHAIN + 1 + 6 + 2


def test_the_python_api_runs_the_spark_engine_and_loads_its_results(
    spark, seeds: Path, tmp_path: Path
) -> None:
    import wiretrace

    result = wiretrace.analyze([seeds], engine="spark", out=tmp_path / "spark")
    local = wiretrace.analyze([seeds], semantic="off")
    assert {(p.a, p.b, p.type) for p in result.pairs} == {(p.a, p.b, p.type) for p in local.pairs}
    assert [s.facts for s in result.stories] == [s.facts for s in local.stories]


def test_template_verdicts_link_no_story_on_spark(spark) -> None:
    from wiretrace.engines.spark import stories_of

    # As the local engine: a verdict on two fillings of one form is reported but links no
    # story (wiretrace.cluster.build_stories).
    pairs = spark.createDataFrame(
        [
            ("a", "b", "duplicate", []),
            ("b", "c", "related", ["template: one form filled twice"]),
            ("x", "y", "edited", None),
        ],
        "a string, b string, type string, reasons array<string>",
    )
    docs = spark.createDataFrame(
        [(d, None, 100) for d in "abcxy"], "id string, date string, chars long"
    )
    stories = sorted(sorted(r["documents"]) for r in stories_of(pairs, docs).collect())
    assert stories == [["a", "b"], ["x", "y"]]
