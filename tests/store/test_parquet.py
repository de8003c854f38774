"""Parquet results folders: written by `analyze --out`, read back by `wiretrace import`."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from wiretrace.cli import main
from wiretrace.errors import InputError
from wiretrace.store import open_store
from wiretrace.store.parquet import SCHEMAS, TABLES, import_results, scan_table


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def analyzed(tmp_path_factory, examples: Path) -> tuple[Path, dict]:
    """The example corpus analyzed by the local engine: its results folder and --json."""
    tmp = tmp_path_factory.mktemp("parquet")
    result = run(
        "analyze", str(examples), "--db", str(tmp / "a.sqlite"), "--workers", "1",
        "--json", str(tmp / "a.json"), "--out", str(tmp / "results"),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return tmp / "results", json.loads((tmp / "a.json").read_text())


def test_every_table_is_written_with_its_schema(analyzed) -> None:
    folder, record = analyzed
    for name in TABLES:
        (part,) = sorted((folder / name).glob("*.parquet"))
        assert pq.read_schema(part).equals(SCHEMAS[name]), name
    assert len(list(scan_table(folder, "documents"))) == len(record["documents"])
    assert len(list(scan_table(folder, "rejections"))) == 0


def test_pairs_and_stories_carry_the_json_fields(analyzed) -> None:
    folder, record = analyzed
    pairs = list(scan_table(folder, "pairs"))
    for row, expected in zip(pairs, record["pairs"], strict=True):
        # Divergences travel with their pair (`wiretrace import` stores them).
        assert {k: v for k, v in row.items() if k != "passages"} == {
            k: v for k, v in expected.items() if k != "passages"
        }
        assert [
            {k: v for k, v in p.items() if k != "sentence_pairs"} for p in row["passages"]
        ] == expected["passages"]
    # Stories carry their facts, as `--json` does (`wiretrace import` stores them).
    assert list(scan_table(folder, "stories")) == record["stories"]
    passages = list(scan_table(folder, "passages"))
    assert len(passages) == sum(len(p["passages"]) for p in record["pairs"])


def test_import_restores_documents_pairs_and_stories(analyzed, tmp_path: Path) -> None:
    folder, record = analyzed
    db = tmp_path / "imported.sqlite"
    result = run("import", str(folder), "--db", str(db))
    assert result.exit_code == 0, result.output
    assert f"imported {len(record['documents'])} documents" in result.output
    exported = tmp_path / "again.json"
    with open_store(db) as store:
        from wiretrace.report.files import write_json
        from wiretrace.report.records import analysis_record

        write_json(analysis_record(store), str(exported))
        assert store.get_document("wire_original").text
        # Divergences and facts arrive stored, as a detection stores them.
        assert all(store.pair_divergences(v.a, v.b) is not None for v in store.iter_pairs())
        assert all(store.story_facts(s.id) is not None for s in store.iter_stories())
    again = json.loads(exported.read_text())
    assert again["pairs"] == record["pairs"]
    assert again["stories"] == record["stories"]
    strip = ("version",)
    assert [{k: v for k, v in d.items() if k not in strip} for d in again["documents"]] == [
        {k: v for k, v in d.items() if k not in strip} for d in record["documents"]
    ]
    # The imported store serves the usual commands.
    shown = run("compare", "wire_original", "republish_edited", "--db", str(db))
    assert shown.exit_code == 0, shown.output


def test_a_folder_written_before_stories_had_facts_gets_them_computed(
    analyzed, tmp_path: Path
) -> None:
    import pyarrow.parquet as pq

    folder, record = analyzed
    old = tmp_path / "old"
    for name in ("documents", "pairs", "passages", "stories", "rejections"):
        (old / name).mkdir(parents=True)
        table = pq.read_table(folder / name)
        if name == "stories":
            table = table.drop_columns(["facts"])
        pq.write_table(table, old / name / "part-00000.parquet")
    with open_store(tmp_path / "old.sqlite") as store:
        import_results(store, old)
        stored = {
            s.id: [f.to_dict() for f in store.story_facts(s.id)[1]] for s in store.iter_stories()
        }
    assert stored == {s["id"]: s["facts"] for s in record["stories"]}


def test_importing_twice_changes_nothing(analyzed, tmp_path: Path) -> None:
    folder, _ = analyzed
    with open_store(tmp_path / "twice.sqlite") as store:
        first = import_results(store, folder)
        second = import_results(store, folder)
        assert first == second
        assert store.num_documents() == first["documents"]
        assert len(list(store.iter_pairs())) == first["pairs"]


def test_a_folder_without_tables_is_an_input_error(tmp_path: Path) -> None:
    with open_store(tmp_path / "x.sqlite") as store, pytest.raises(InputError, match="documents"):
        import_results(store, tmp_path)
    result = CliRunner().invoke(main, ["import", str(tmp_path), "--db", str(tmp_path / "y.sqlite")])
    assert result.exit_code == 1
    assert "results folder" in result.output


def test_spark_engine_needs_an_output_folder(examples: Path) -> None:
    result = CliRunner().invoke(main, ["analyze", "--engine", "spark", str(examples)])
    assert result.exit_code == 2
    assert "--out" in result.output


def test_an_import_keeps_the_ids_of_the_stories_it_continues(
    analyzed, tmp_path: Path, examples: Path
) -> None:
    from wiretrace.engines.ingest import ingest
    from wiretrace.engines.local import detect

    # A store that saw part of the corpus, then the results of the whole corpus imported
    # (as from a Spark run, which names stories after their members): a story that grew
    # keeps the store's id, and its facts are computed under that id.
    folder, record = analyzed
    files = sorted(str(p) for p in examples.iterdir())
    with open_store(tmp_path / "part.sqlite") as store:
        ingest(store, files[:8])
        detect(store, workers=1)
        earlier = {d: s.id for s in store.iter_stories() for d in s.documents}
        import_results(store, folder)
        now = {d: s.id for s in store.iter_stories() for d in s.documents}
        assert earlier and all(now[d] == story_id for d, story_id in earlier.items())
        for story in store.iter_stories():
            _, facts = store.story_facts(story.id)
            assert all(f.id.startswith(f"{story.id}-") for f in facts)
    assert {s["id"] for s in record["stories"]} != set(now.values())
