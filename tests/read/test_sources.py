"""Paths, folders, globs and stdin to input units; dispatch by format; gzip and its limits."""

from __future__ import annotations

import gzip
import io
import json
import sys

import pytest

from wiretrace.errors import InputError
from wiretrace.model import RawRecord, Rejection
from wiretrace.read import ReadOptions, expand_inputs, scan_inputs
from wiretrace.read.sources import format_of

PROSE = (
    "The harbour board approved the plan on Wednesday after a long debate. "
    "Officials said the work would start in September and take three years."
)
MIB = 1024 * 1024


def _records(items):
    return [i for i in items if isinstance(i, RawRecord)]


def _rejections(items):
    return [i for i in items if isinstance(i, Rejection)]


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("a.txt", "txt"),
        ("a.TXT", "txt"),
        ("a.html", "html"),
        ("a.htm", "html"),
        ("a.jsonl", "jsonl"),
        ("a.ndjson", "jsonl"),
        ("a.csv", "csv"),
        ("a.tsv", "csv"),
        ("a.parquet", "parquet"),
        ("a.warc", "warc"),
        ("a.warc.gz", "warc"),
        ("a.jsonl.gz", "jsonl"),
        ("a.txt.gz", "txt"),
        ("a.unknown", None),
        ("README", None),
    ],
)
def test_format_of(name, fmt):
    assert format_of(name) == fmt


def test_folders_are_read_recursively_sorted_without_hidden_files(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    for rel in ["z.txt", "a.txt", "b/c.txt", ".hidden.txt", ".git/config.txt", "b/.x.txt"]:
        (tmp_path / rel).write_text(PROSE)
    found = list(expand_inputs([str(tmp_path)]))
    assert found == [
        str(tmp_path / "a.txt"),
        str(tmp_path / "b" / "c.txt"),
        str(tmp_path / "z.txt"),
    ]


def test_a_hidden_parent_folder_named_explicitly_is_still_read(tmp_path):
    folder = tmp_path / ".cache" / "articles"
    folder.mkdir(parents=True)
    (folder / "a.txt").write_text(PROSE)
    assert list(expand_inputs([str(folder)])) == [str(folder / "a.txt")]


def test_globs_expand_to_sorted_files(tmp_path):
    for name in ["b.txt", "a.txt", "c.csv"]:
        (tmp_path / name).write_text(PROSE)
    assert list(expand_inputs([str(tmp_path / "*.txt")])) == [
        str(tmp_path / "a.txt"),
        str(tmp_path / "b.txt"),
    ]


def test_missing_path_empty_folder_and_empty_glob_are_rejections(tmp_path):
    (tmp_path / "empty").mkdir()
    found = list(
        expand_inputs(
            [str(tmp_path / "nope.txt"), str(tmp_path / "empty"), str(tmp_path / "*.none")]
        )
    )
    assert [type(f) for f in found] == [Rejection, Rejection, Rejection]
    assert "no such file" in found[0].reason
    assert "no files" in found[1].reason
    assert "matched no files" in found[2].reason
    assert found[0].unit == str(tmp_path / "nope.txt")


def test_a_missing_path_does_not_stop_the_batch(tmp_path):
    (tmp_path / "a.txt").write_text(PROSE)
    items = list(scan_inputs([str(tmp_path / "missing.txt"), str(tmp_path / "a.txt")]))
    assert [type(i) for i in items] == [Rejection, RawRecord]


def test_text_file_becomes_one_record(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(PROSE, encoding="utf-8")
    (record,) = scan_inputs([str(path)])
    assert record == RawRecord(unit=str(path), source_path=str(path), text=PROSE)


def test_html_file_is_marked_html(tmp_path):
    path = tmp_path / "page.htm"
    path.write_text(f"<html><body><p>{PROSE}</p></body></html>")
    (record,) = scan_inputs([str(path)])
    assert record.is_html


@pytest.mark.parametrize("name", ["junk.html", "junk.txt"])
def test_binary_files_are_rejected(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(bytes(range(256)) * 64)
    (item,) = scan_inputs([str(path)])
    assert isinstance(item, Rejection)
    assert str(path) in item.reason


def test_empty_file_is_rejected(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    (item,) = scan_inputs([str(path)])
    assert isinstance(item, Rejection)
    assert "empty" in item.reason


@pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
def test_empty_record_file_is_rejected(tmp_path, suffix):
    # A record file that holds no record must still leave a trace in the ledger.
    path = tmp_path / f"empty{suffix}"
    path.write_bytes(b"")
    items = list(scan_inputs([str(path)]))
    assert len(items) == 1
    assert isinstance(items[0], Rejection)
    assert items[0].reason


def test_jsonl_of_blank_lines_is_rejected(tmp_path):
    path = tmp_path / "blank.jsonl"
    path.write_text("\n\n  \n")
    items = list(scan_inputs([str(path)]))
    assert len(items) == 1
    assert isinstance(items[0], Rejection)


def test_gzip_of_text_and_jsonl(tmp_path):
    (tmp_path / "a.txt.gz").write_bytes(gzip.compress(PROSE.encode()))
    line = json.dumps({"id": "g1", "text": PROSE}) + "\n"
    (tmp_path / "b.jsonl.gz").write_bytes(gzip.compress(line.encode()))
    records = list(scan_inputs([str(tmp_path)]))
    assert [r.text for r in records] == [PROSE, PROSE]
    assert records[1].id == "g1"


def test_gzip_is_recognized_by_magic_bytes_without_gz_suffix(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(gzip.compress(PROSE.encode()))
    (record,) = scan_inputs([str(path)])
    assert record.text == PROSE


def test_gzip_bomb_is_rejected(tmp_path):
    path = tmp_path / "bomb.txt.gz"
    with gzip.open(path, "wb", compresslevel=9) as out:
        zeros = b"\0" * MIB
        for _ in range(50):
            out.write(zeros)
    assert path.stat().st_size < MIB  # 50 MiB of zeros squeeze into ~50 KB
    (item,) = scan_inputs([str(path)], ReadOptions(max_decompressed_bytes=MIB))
    assert isinstance(item, Rejection)
    assert "decompresses to more than" in item.reason
    assert "max_decompressed_bytes" in item.reason


def test_gzip_bomb_after_good_lines_keeps_the_good_lines(tmp_path):
    path = tmp_path / "bomb.jsonl.gz"
    with gzip.open(path, "wb") as out:
        out.write((json.dumps({"id": "ok", "text": PROSE}) + "\n").encode())
        for _ in range(8):
            out.write(b" " * MIB)
    items = list(scan_inputs([str(path)], ReadOptions(max_decompressed_bytes=2 * MIB)))
    assert [type(i) for i in items] == [RawRecord, Rejection]
    assert items[0].id == "ok"


def test_size_limits_are_reported_in_readable_units(tmp_path):
    # A limit below 1 MiB must not be reported as "0 MiB".
    path = tmp_path / "bomb.txt.gz"
    path.write_bytes(gzip.compress(b"a" * 100_000))
    (item,) = scan_inputs([str(path)], ReadOptions(max_decompressed_bytes=10_000))
    assert "0 MiB" not in item.reason
    assert "10000 bytes" in item.reason


def test_truncated_gzip_keeps_earlier_records_and_rejects_the_rest(tmp_path):
    lines = "".join(
        json.dumps({"id": f"d{i}", "text": f"{PROSE} Number {i} of many, {i * 7919}."}) + "\n"
        for i in range(2000)
    )
    data = gzip.compress(lines.encode())
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    items = list(scan_inputs([str(path)]))
    records, rejections = _records(items), _rejections(items)
    assert len(records) > 100
    assert [r.id for r in records] == [f"d{i}" for i in range(len(records))]
    assert len(rejections) == 1
    assert items[-1] is rejections[0]
    assert rejections[0].reason


def test_text_file_over_the_record_limit_is_rejected(tmp_path):
    path = tmp_path / "long.txt"
    path.write_text(PROSE * 100)
    (item,) = scan_inputs([str(path)], ReadOptions(max_record_bytes=1000))
    assert isinstance(item, Rejection)
    assert "max_record_bytes" in item.reason


def test_html_file_over_the_html_limit_names_the_html_limit(tmp_path):
    path = tmp_path / "huge.html"
    path.write_text("<html><body>" + f"<p>{PROSE}</p>" * 200 + "</body></html>")
    (item,) = scan_inputs([str(path)], ReadOptions(max_html_bytes=5000))
    assert isinstance(item, Rejection)
    assert "max_html_bytes" in item.reason


def _fake_stdin(monkeypatch, data: bytes) -> None:
    # A bare BytesIO under the text layer, as test runners (click's among them) install.
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


def test_stdin_plain_text(monkeypatch):
    _fake_stdin(monkeypatch, PROSE.encode())
    (record,) = scan_inputs(["-"])
    assert record.text == PROSE
    assert record.unit == "-"
    assert not record.is_html


def test_stdin_jsonl_is_sniffed(monkeypatch):
    lines = "".join(json.dumps({"id": f"s{i}", "text": PROSE}) + "\n" for i in range(3))
    _fake_stdin(monkeypatch, lines.encode())
    records = list(scan_inputs(["-"]))
    assert [r.id for r in records] == ["s0", "s1", "s2"]
    assert records[0].unit == "-#L1"


def test_stdin_html_is_sniffed(monkeypatch):
    _fake_stdin(monkeypatch, f"<!DOCTYPE html><html><body><p>{PROSE}</p></body></html>".encode())
    (record,) = scan_inputs(["-"])
    assert record.is_html


def test_stdin_gzip(monkeypatch):
    _fake_stdin(monkeypatch, gzip.compress(PROSE.encode()))
    (record,) = scan_inputs(["-"])
    assert record.text == PROSE


def test_stdin_with_a_forced_format(monkeypatch):
    _fake_stdin(monkeypatch, b"id,text\nc1," + PROSE.encode() + b"\n")
    (record,) = scan_inputs(["-"], ReadOptions(format="csv"))
    assert record.id == "c1"


def test_an_unknown_forced_format_is_an_error():
    with pytest.raises(InputError, match="unknown --format"):
        list(scan_inputs(["-"], ReadOptions(format="docx")))


def test_unknown_extension_is_sniffed(tmp_path):
    path = tmp_path / "data.dump"
    path.write_text(json.dumps({"id": "x1", "text": PROSE}) + "\n")
    (record,) = scan_inputs([str(path)])
    assert record.id == "x1"


def test_a_gz_file_that_is_not_gzip_is_rejected(tmp_path):
    path = tmp_path / "fake.txt.gz"
    path.write_text(PROSE)
    (item,) = scan_inputs([str(path)])
    assert isinstance(item, Rejection)
    assert "unreadable" in item.reason


def test_concatenated_gzip_members_are_read_whole(tmp_path):
    path = tmp_path / "two.jsonl.gz"
    lines = [json.dumps({"id": f"m{i}", "text": PROSE}) + "\n" for i in range(2)]
    path.write_bytes(b"".join(gzip.compress(line.encode()) for line in lines))
    assert [r.id for r in scan_inputs([str(path)])] == ["m0", "m1"]


def test_scanning_file_bytes_equals_scanning_the_file(tmp_path, examples) -> None:
    import gzip as gz
    from pathlib import Path

    from wiretrace.read.sources import scan_file_bytes

    lines = tmp_path / "records.jsonl.gz"
    lines.write_bytes(gz.compress(b'{"id": "r1", "text": "One."}\nnot json\n\n{"id": "r2"}\n'))
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    files = [*sorted(str(p) for p in examples.iterdir()), str(lines), str(empty)]
    for path in files:
        data = Path(path).read_bytes()
        assert list(scan_file_bytes(data, path)) == list(scan_inputs([path])), path


def test_a_json_line_becomes_a_record_or_a_rejection() -> None:
    from wiretrace.read.records import record_from_json_line

    options = ReadOptions()
    good = record_from_json_line('{"newid": 7, "body": "Text."}', "f#L1", "f", options)
    assert isinstance(good, RawRecord) and good.id == "7" and good.text == "Text."
    bad = record_from_json_line("[1, 2]", "f#L2", "f", options)
    assert isinstance(bad, Rejection) and "expected a JSON object" in bad.reason
    broken = record_from_json_line("{oops", "f#L3", "f", options)
    assert isinstance(broken, Rejection) and "invalid JSON" in broken.reason


# -- what reading mended, as notes ------------------------------------------------------------


def test_a_stray_byte_in_a_text_file_is_replaced_and_noted(tmp_path):
    path = tmp_path / "fr.txt"
    path.write_bytes("Le café était très bon. ".encode() + b"\xff " + PROSE.encode())
    (record,) = scan_inputs([str(path)])
    assert record.text == "Le café était très bon. \ufffd " + PROSE
    (note,) = record.notes
    assert "1 byte sequence that is not UTF-8 replaced with U+FFFD" in note


def test_clean_text_has_no_notes(tmp_path):
    path = tmp_path / "fr.txt"
    path.write_text("Le café était très bon. " + PROSE, encoding="utf-8")
    (record,) = scan_inputs([str(path)])
    assert record.notes == ()


def test_a_legacy_encoded_html_file_is_noted(tmp_path):
    path = tmp_path / "fr.html"
    html = f"<html><body><p>Le café était très bon. {PROSE}</p></body></html>"
    path.write_bytes(html.encode("cp1252"))
    (record,) = scan_inputs([str(path)])
    assert "café" in record.text
    assert any("read as cp1252" in note for note in record.notes)
