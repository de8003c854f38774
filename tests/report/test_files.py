"""Writing records atomically as JSONL, CSV or Parquet, and ``wiretrace export``."""

from __future__ import annotations

import csv
import io
import json
import sys

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from wiretrace.cli import main
from wiretrace.errors import ConfigError
from wiretrace.report.files import write_json, write_records
from wiretrace.store import open_store

RECORDS = [
    {"id": "a", "n": 1, "tags": ["x", "y"], "text": 'line one\nline two, with "quotes"'},
    {"id": "b", "n": 2, "tags": [], "text": "café — «ok»"},
]
EXPORT_FIELDS = {
    "id",
    "source_path",
    "title",
    "date",
    "language",
    "credits",
    "byline",
    "text",
    "removed",
    "sentences",
}


def _no_part_files(folder) -> bool:
    return not [p for p in folder.iterdir() if p.name.endswith(".part")]


def test_jsonl(tmp_path):
    path = tmp_path / "out.jsonl"
    assert write_records(iter(RECORDS), str(path), "jsonl") == 2
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == RECORDS
    assert "café" in lines[1]  # UTF-8, not \\u escapes
    assert _no_part_files(tmp_path)


def test_a_write_removes_the_temporary_files_of_killed_writers_only(tmp_path):
    import os
    import subprocess

    finished = subprocess.Popen(["true"])
    finished.wait()
    orphan = tmp_path / f".wiretrace-{finished.pid}-abc123.part"
    live = tmp_path / f".wiretrace-{os.getpid()}-def456.part"  # a writer still at work
    unrelated = tmp_path / "notes.part"
    for path in (orphan, live, unrelated):
        path.write_text("half a file", encoding="utf-8")
    write_records(iter(RECORDS), str(tmp_path / "out.jsonl"), "jsonl")
    assert not orphan.exists()
    assert live.exists() and unrelated.exists()


def test_csv_flattens_lists_as_json(tmp_path):
    path = tmp_path / "out.csv"
    assert write_records(RECORDS, str(path), "csv") == 2
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["id"] for row in rows] == ["a", "b"]
    assert json.loads(rows[0]["tags"]) == ["x", "y"]
    assert rows[0]["text"] == RECORDS[0]["text"]
    assert _no_part_files(tmp_path)


def test_parquet(tmp_path):
    path = tmp_path / "out.parquet"
    assert write_records(RECORDS, str(path), "parquet") == 2
    assert pq.read_table(path).to_pylist() == RECORDS
    assert _no_part_files(tmp_path)


def test_a_failure_leaves_the_old_file_and_no_part_file(tmp_path):
    path = tmp_path / "out.jsonl"
    path.write_text("old content\n")

    def failing():
        yield RECORDS[0]
        raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError):
        write_records(failing(), str(path), "jsonl")
    assert path.read_text() == "old content\n"
    assert _no_part_files(tmp_path)


def test_output_folders_are_created(tmp_path):
    path = tmp_path / "new" / "folder" / "out.jsonl"
    write_records(RECORDS, str(path), "jsonl")
    assert path.exists()


def test_jsonl_to_stdout(monkeypatch):
    buffer = io.StringIO()
    monkeypatch.setattr(sys, "stdout", buffer)
    write_records(RECORDS, "-", "jsonl")
    assert [json.loads(line) for line in buffer.getvalue().splitlines()] == RECORDS


def test_parquet_to_stdout_is_a_config_error():
    with pytest.raises(ConfigError, match="stdout"):
        write_records(RECORDS, "-", "parquet")


def test_unknown_format_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="xlsx") as info:
        write_records(RECORDS, str(tmp_path / "out.xlsx"), "xlsx")
    assert isinstance(info.value, ValueError)
    assert not list(tmp_path.iterdir())


def test_write_json(tmp_path):
    path = tmp_path / "result.json"
    write_json({"a": [1, 2], "b": "é"}, str(path))
    assert json.loads(path.read_text(encoding="utf-8")) == {"a": [1, 2], "b": "é"}
    assert _no_part_files(tmp_path)


# -- wiretrace export -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def db(examples, tmp_path_factory):
    path = tmp_path_factory.mktemp("export") / "w.sqlite"
    result = CliRunner().invoke(main, ["ingest", str(examples), "--db", str(path)])
    assert result.exit_code == 0, result.output
    return path


def _export(db, fmt, output):
    return CliRunner().invoke(main, ["export", "--db", str(db), "--format", fmt, "-o", str(output)])


def _check_export_records(records):
    assert len(records) == 17
    by_id = {r["id"]: r for r in records}
    for record in records:
        assert set(record) >= EXPORT_FIELDS
    edited = by_id["republish_edited"]
    assert edited["title"] == "Port Callow harbour board backs $2.4bn terminal expansion"
    assert edited["language"] == "en"
    assert list(edited["credits"]) == ["Meridian Press"]
    assert "Download our app" not in edited["text"]
    assert {r["kind"] for r in edited["removed"]} >= {"promo", "sponsored", "navigation"}
    for sentence in edited["sentences"]:
        assert 0 <= sentence["start"] < sentence["end"] <= len(edited["text"])


def test_export_jsonl(db, tmp_path):
    output = tmp_path / "docs.jsonl"
    result = _export(db, "jsonl", output)
    assert result.exit_code == 0, result.output
    assert "wrote 17 documents" in result.stderr
    lines = output.read_text(encoding="utf-8").splitlines()
    _check_export_records([json.loads(line) for line in lines])
    assert _no_part_files(tmp_path)


def test_export_csv(db, tmp_path):
    output = tmp_path / "docs.csv"
    assert _export(db, "csv", output).exit_code == 0
    with open(output, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        for field in ("credits", "removed", "sentences"):
            row[field] = json.loads(row[field])
    _check_export_records(rows)
    assert _no_part_files(tmp_path)


def test_export_parquet(db, tmp_path):
    output = tmp_path / "docs.parquet"
    assert _export(db, "parquet", output).exit_code == 0
    _check_export_records(pq.read_table(output).to_pylist())
    assert _no_part_files(tmp_path)


def test_export_parquet_to_stdout_exits_1(db):
    result = CliRunner().invoke(main, ["export", "--db", str(db), "--format", "parquet"])
    assert result.exit_code == 1
    assert "stdout" in result.stderr


def test_export_of_an_empty_store(tmp_path):
    db = tmp_path / "empty.sqlite"
    output = tmp_path / "docs.jsonl"
    # A store that does not exist is refused (a mistyped --db), and not created.
    result = _export(db, "jsonl", output)
    assert result.exit_code == 2 and "no store at" in result.output
    assert not db.exists() and not output.exists()
    open_store(db).close()
    result = _export(db, "jsonl", output)
    assert result.exit_code == 0
    assert output.read_text() == ""


def test_export_to_a_full_disk_says_so_and_keeps_the_old_file(db, small_disk):
    target = small_disk.path / "docs.jsonl"
    target.write_text("old export\n")
    # Leave a few KiB free: the export (about 100 KiB) cannot fit.
    filler = small_disk.path / "filler"
    filler.write_bytes(b"\0" * ((small_disk.size_kib - 24) * 1024))
    result = _export(db, "jsonl", target)
    assert result.exit_code == 1
    assert "the disk is full" in result.stderr and "left as it was" in result.stderr
    assert "Traceback" not in result.output
    assert target.read_text() == "old export\n"
    assert _no_part_files(small_disk.path)
    filler.unlink()
    result = _export(db, "jsonl", target)
    assert result.exit_code == 0, result.output
    assert len(target.read_text(encoding="utf-8").splitlines()) == 17
