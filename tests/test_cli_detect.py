"""The command line: analyze → pairs / stories / compare / trace, on the example corpus."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from wiretrace.cli import main
from wiretrace.store import open_store

REPO = Path(__file__).resolve().parent.parent
SCHEMA = json.loads(
    (REPO / "src" / "wiretrace" / "schema" / "wiretrace-output.schema.json").read_text()
)


def validator() -> jsonschema.protocols.Validator:
    cls = jsonschema.validators.validator_for(SCHEMA)
    cls.check_schema(SCHEMA)
    return cls(SCHEMA)


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def analyzed(tmp_path_factory, examples: Path) -> tuple[Path, dict]:
    """`analyze examples/corpus --json out.json` once: the store and the JSON it wrote."""
    folder = tmp_path_factory.mktemp("cli")
    db, out = folder / "wiretrace.sqlite", folder / "out.json"
    result = run("analyze", str(examples), "--db", str(db), "--json", str(out))
    assert result.exit_code == 0, result.output
    return db, json.loads(out.read_text(encoding="utf-8"))


@pytest.fixture
def db(analyzed, tmp_path: Path) -> str:
    """A private copy of the analyzed store."""
    copy = tmp_path / "wiretrace.sqlite"
    for suffix in ("", "-wal", "-shm"):
        source = Path(f"{analyzed[0]}{suffix}")
        if source.exists():
            shutil.copy(source, f"{copy}{suffix}")
    return str(copy)


def test_analyze_json_validates_against_the_schema(analyzed, examples: Path) -> None:
    _db, data = analyzed
    errors = sorted(validator().iter_errors(data), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    assert data["schema"] == "wiretrace-output/1"
    assert {d["id"] for d in data["documents"]} == {p.stem for p in examples.iterdir()}
    assert len(data["pairs"]) > 0 and len(data["stories"]) > 0
    ids = {d["id"] for d in data["documents"]}
    for pair in data["pairs"]:
        assert {pair["a"], pair["b"]} <= ids
    for story in data["stories"]:
        assert set(story["documents"]) <= ids
        assert story["representative"] in story["documents"]


def test_pairs_table(analyzed) -> None:
    db, data = analyzed
    result = run("pairs", "--db", str(db))
    assert result.exit_code == 0
    assert "wire_original" in result.stdout and "republish_verbatim" in result.stdout
    assert f"{len(data['pairs'])} pairs" in result.output


def test_pairs_json_lines(analyzed) -> None:
    db, data = analyzed
    result = run("pairs", "--jsonl", "--db", str(db))
    assert result.exit_code == 0
    records = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert len(records) == len(data["pairs"])
    # --json: the same records in one document.
    document = json.loads(run("pairs", "--json", "--db", str(db)).stdout)
    assert document["schema"] == SCHEMA["$id"] and document["pairs"] == records
    pair_schema = {**SCHEMA, "$ref": "#/$defs/pair"}
    pair_schema.pop("required")
    pair_schema.pop("properties")
    pair_schema.pop("additionalProperties")
    for record in records:
        jsonschema.validate(record, pair_schema)
    assert {(r["a"], r["b"]) for r in records} == {(p["a"], p["b"]) for p in data["pairs"]}


def test_pairs_filtered_by_type_and_document(analyzed) -> None:
    db, data = analyzed
    result = run(
        "pairs", "--jsonl", "--type", "duplicate", "--doc", "wire_original", "--db", str(db)
    )
    assert result.exit_code == 0
    records = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    expected = [
        p for p in data["pairs"] if p["type"] == "duplicate" and "wire_original" in (p["a"], p["b"])
    ]
    assert len(records) == len(expected) >= 1


def test_stories(analyzed) -> None:
    db, data = analyzed
    result = run("stories", "--db", str(db))
    assert result.exit_code == 0
    for story in data["stories"]:
        assert story["id"] in result.stdout
        assert f"representative: {story['representative']}" in result.stdout
    assert f"{len(data['stories'])} stories" in result.output


def test_compare_mentions_both_ids_and_the_type(analyzed) -> None:
    db, data = analyzed
    (pair,) = [
        p for p in data["pairs"] if {p["a"], p["b"]} == {"wire_original", "republish_edited"}
    ]
    result = run("compare", "wire_original", "republish_edited", "--db", str(db))
    assert result.exit_code == 0
    assert "wire_original" in result.stdout
    assert "republish_edited" in result.stdout
    assert pair["type"] in result.stdout


def test_compare_with_an_unknown_id_fails_naming_it(analyzed) -> None:
    db, _data = analyzed
    result = run("compare", "wire_original", "no_such_article", "--db", str(db))
    assert result.exit_code == 1
    assert "no_such_article" in result.output


def copy_of(examples: Path, name: str, folder: Path, new_name: str) -> Path:
    folder.mkdir(exist_ok=True)
    target = folder / f"{new_name}.txt"
    target.write_text((examples / f"{name}.txt").read_text(encoding="utf-8"), encoding="utf-8")
    return target


def test_trace_matches_without_storing(db: str, examples: Path, tmp_path: Path) -> None:
    path = copy_of(examples, "republish_trimmed", tmp_path / "in", "incoming_brief")
    result = run("trace", str(path), "--db", db)
    assert result.exit_code == 0
    assert "incoming_brief" in result.stdout
    assert "wire_original" in result.stdout
    with open_store(db) as store:
        assert "incoming_brief" not in {d["id"] for d in store.document_summaries()}
        assert list(store.iter_pairs("incoming_brief")) == []


def test_trace_shows_the_reused_passages_of_its_best_matches(
    db: str, examples: Path, tmp_path: Path
) -> None:
    path = copy_of(examples, "republish_trimmed", tmp_path / "in", "incoming_brief")
    words = {w for w in path.read_text(encoding="utf-8").split() if w.isalpha() and len(w) > 7}
    result = run("trace", str(path), "--db", db, "--passages", "1")
    assert result.exit_code == 0, result.output
    # One side-by-side view after the table: its header, and the article's words in it.
    assert result.stdout.count("aligned sentence pairs in") == 1
    view = result.stdout.split("aligned sentence pairs in", 1)[1]
    assert len({w for w in words if w in view}) >= len(words) * 0.8
    quiet = run("trace", str(path), "--db", db, "--passages", "0")
    assert "aligned sentence pairs in" not in quiet.stdout


def test_trace_add_stores_the_article_and_its_pairs(
    db: str, examples: Path, tmp_path: Path
) -> None:
    path = copy_of(examples, "republish_trimmed", tmp_path / "in", "incoming_brief")
    result = run("trace", str(path), "--add", "--db", db)
    assert result.exit_code == 0
    assert "wire_original" in result.stdout
    with open_store(db) as store:
        pairs = list(store.iter_pairs("incoming_brief"))
        assert store.get_document("incoming_brief").id == "incoming_brief"
    assert any("wire_original" in (v.a, v.b) for v in pairs)
    assert f"{len(pairs)} matches" in result.output


def test_trace_add_of_an_already_indexed_article_lists_its_matches(db: str, examples: Path) -> None:
    result = run("trace", str(examples / "republish_trimmed.txt"), "--add", "--db", db)
    assert result.exit_code == 0
    assert "wire_original" in result.stdout


def test_detect_on_an_empty_store(tmp_path: Path) -> None:
    db = str(tmp_path / "empty.sqlite")
    result = run("detect", "--db", db)
    # A store that does not exist is refused (a mistyped --db), and not created.
    assert result.exit_code == 2 and "no store at" in result.output
    assert not Path(db).exists()
    open_store(db).close()
    result = run("detect", "--db", db)
    assert result.exit_code == 0
    assert "0 new documents" in result.output
    out = tmp_path / "empty.json"
    result = run("detect", "--db", db, "--json", str(out))
    assert result.exit_code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data == {"schema": "wiretrace-output/1", "documents": [], "pairs": [], "stories": []}
    validator().validate(data)


def test_detect_after_analyze_has_nothing_new(db: str) -> None:
    result = run("detect", "--db", db)
    assert result.exit_code == 0
    assert "0 new documents, 0 candidate pairs" in " ".join(result.output.split())


def test_any_unique_start_of_an_id_names_a_document(analyzed) -> None:
    db, _ = analyzed
    whole = run("compare", "wire_original", "republish_verbatim", "--json", "--db", str(db))
    short = run("compare", "wire_original", "republish_v", "--json", "--db", str(db))
    assert short.exit_code == 0, short.output
    assert json.loads(short.stdout) == json.loads(whole.stdout)
    # An exact id wins over the longer ids it starts (wire_original_page).
    assert json.loads(whole.stdout)["a"]["id"] == "wire_original"
    ambiguous = run("show", "republish", "--db", str(db))
    assert ambiguous.exit_code == 1
    assert "several document ids" in ambiguous.output and "republish_edited" in ambiguous.output
