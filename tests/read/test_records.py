"""Record formats: JSONL, CSV/TSV and Parquet, with configurable field names."""

from __future__ import annotations

import csv
import io
import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from wiretrace.model import RawRecord, Rejection
from wiretrace.read import ReadOptions, scan_inputs
from wiretrace.read.records import record_from_mapping

PROSE = (
    "The harbour board approved the plan on Wednesday after a long debate. "
    "Officials said the work would start in September and take three years."
)
# The largest field Python's csv module reads by default; the issue requires more.
CSV_DEFAULT_FIELD_LIMIT = 131_072


def _line(**fields) -> str:
    return json.dumps(fields) + "\n"


def _write_csv(path, rows, delimiter=","):
    with open(path, "w", newline="", encoding="utf-8") as out:
        csv.writer(out, delimiter=delimiter).writerows(rows)


def test_jsonl_fields_map_to_a_raw_record(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(
        _line(
            id="d1",
            text=PROSE,
            title="T",
            date="2026-03-04",
            url="https://example.org/a",
            source="Ledger",
            author=["A", "B"],
        )
    )
    (record,) = scan_inputs([str(path)])
    assert record == RawRecord(
        unit=f"{path}#L1",
        source_path=str(path),
        text=PROSE,
        id="d1",
        title="T",
        date="2026-03-04",
        url="https://example.org/a",
        source="Ledger",
        author="A, B",
    )


def test_passim_jsonl_works_unchanged(tmp_path):
    path = tmp_path / "passim.jsonl"
    path.write_text(
        _line(id="p1", text=PROSE, series="gazette", seq=3)
        + _line(id="p2", text=PROSE, series="courier", seq=4)
    )
    records = list(scan_inputs([str(path)]))
    assert [(r.id, r.source) for r in records] == [("p1", "gazette"), ("p2", "courier")]


def test_reuters_style_fields_are_found_by_default(tmp_path):
    path = tmp_path / "reuters.ndjson"
    path.write_text(_line(newid="17", body=PROSE, headline="H"))
    (record,) = scan_inputs([str(path)])
    assert (record.id, record.text, record.title) == ("17", PROSE, "H")


def test_named_fields_override_the_defaults(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(_line(id="wrong", newid="right", text="not this one", body=PROSE))
    options = ReadOptions(text_field="body", id_field="newid")
    (record,) = scan_inputs([str(path)], options)
    assert (record.id, record.text) == ("right", PROSE)


def test_numeric_ids_become_text(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(_line(id=42, text=PROSE))
    (record,) = scan_inputs([str(path)])
    assert record.id == "42"


def test_a_record_without_text_is_rejected_with_the_fields_present():
    item = record_from_mapping({"id": "x", "headline": "H"}, "a.jsonl#L3", "a.jsonl", ReadOptions())
    assert isinstance(item, Rejection)
    assert item.unit == "a.jsonl#L3"
    assert "headline" in item.reason
    assert "--text-field" in item.reason


def test_malformed_line_is_rejected_with_its_line_number_and_the_rest_read(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(
        _line(id="a", text=PROSE)
        + '{"id": "b", "text": \n'
        + _line(id="c", text=PROSE)
        + '"a string"\n'
        + "[1, 2]\n"
    )
    items = list(scan_inputs([str(path)]))
    assert [type(i) for i in items] == [RawRecord, Rejection, RawRecord, Rejection, Rejection]
    assert items[1].unit == f"{path}#L2"
    assert "invalid JSON" in items[1].reason
    assert items[3].unit == f"{path}#L4"
    assert "JSON object" in items[3].reason


def test_malformed_line_reason_points_at_the_column(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text('{"id": "b", "text": \n')
    (item,) = scan_inputs([str(path)])
    # The value is missing at column 21, not at "column 1" of the line terminator.
    assert "column 21" in item.reason


def test_blank_lines_are_skipped_but_count_for_line_numbers(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text("\n" + _line(id="a", text=PROSE) + "\n   \n" + _line(id="b", text=PROSE))
    units = [r.unit for r in scan_inputs([str(path)])]
    assert units == [f"{path}#L2", f"{path}#L5"]


def test_crlf_line_endings_and_a_bom_on_the_first_line(tmp_path):
    path = tmp_path / "a.jsonl"
    content = _line(id="a", text=PROSE).replace("\n", "\r\n") + _line(id="b", text=PROSE)
    path.write_bytes(b"\xef\xbb\xbf" + content.encode())
    assert [r.id for r in scan_inputs([str(path)])] == ["a", "b"]


def test_lone_surrogate_escapes_are_replaced(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text('{"id": "s\\udfff", "text": "\\ud800 ' + PROSE + '", "title": "\\udc00"}\n')
    (record,) = scan_inputs([str(path)])
    assert record.text == "\ufffd " + PROSE
    assert record.id == "s\ufffd"
    assert record.title == "\ufffd"
    record.text.encode("utf-8")  # storable


def test_a_line_that_is_not_utf8_is_rejected(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_bytes(b'{"id": "x", "text": "caf\xe9"}\n' + _line(id="ok", text=PROSE).encode())
    items = list(scan_inputs([str(path)]))
    assert [type(i) for i in items] == [Rejection, RawRecord]
    assert "UTF-8" in items[0].reason


def test_a_line_over_the_limit_is_rejected_and_the_next_line_is_read(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(
        _line(id="a", text=PROSE) + _line(id="big", text="x" * 50_000) + _line(id="c", text=PROSE)
    )
    items = list(scan_inputs([str(path)], ReadOptions(max_record_bytes=1000)))
    assert [type(i) for i in items] == [RawRecord, Rejection, RawRecord]
    assert items[1].unit == f"{path}#L2"
    assert "longer than 1000 bytes" in items[1].reason
    assert items[2].id == "c"


def test_a_last_line_over_the_limit_without_newline(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(_line(id="a", text=PROSE) + json.dumps({"id": "big", "text": "x" * 5000}))
    items = list(scan_inputs([str(path)], ReadOptions(max_record_bytes=1000)))
    assert [type(i) for i in items] == [RawRecord, Rejection]


def test_a_line_of_exactly_the_limit_is_read(tmp_path):
    limit = 1000
    head = '{"id": "edge", "text": "'
    line = head + "y" * (limit - len(head) - 2) + '"}'
    assert len(line) == limit
    path = tmp_path / "a.jsonl"
    path.write_text(line + "\n" + _line(id="next", text=PROSE))
    items = list(scan_inputs([str(path)], ReadOptions(max_record_bytes=limit)))
    assert [getattr(i, "id", None) for i in items] == ["edge", "next"]


def test_csv_with_header_and_field_names(tmp_path):
    path = tmp_path / "a.csv"
    _write_csv(path, [["newid", "headline", "body"], ["c1", "T1", PROSE], ["c2", "T2", PROSE]])
    records = list(scan_inputs([str(path)]))
    assert [(r.id, r.title, r.unit) for r in records] == [
        ("c1", "T1", f"{path}#row=1"),
        ("c2", "T2", f"{path}#row=2"),
    ]


def test_tsv_uses_tabs(tmp_path):
    path = tmp_path / "a.tsv"
    _write_csv(path, [["id", "text"], ["t1", PROSE + ", with a comma"]], delimiter="\t")
    (record,) = scan_inputs([str(path)])
    assert record.text == PROSE + ", with a comma"


def test_csv_field_over_the_default_csv_limit_is_read(tmp_path):
    long_text = PROSE + " " + "word " * (CSV_DEFAULT_FIELD_LIMIT // 5 + 1000)
    assert len(long_text) > CSV_DEFAULT_FIELD_LIMIT
    path = tmp_path / "a.csv"
    _write_csv(path, [["id", "text"], ["long", long_text], ["short", PROSE]])
    records = list(scan_inputs([str(path)]))
    assert [r.id for r in records] == ["long", "short"]
    assert records[0].text == long_text


def test_csv_row_with_wrong_field_count_is_rejected_and_the_rest_read(tmp_path):
    path = tmp_path / "a.csv"
    _write_csv(
        path,
        [
            ["id", "title", "text"],
            ["c1", "T", PROSE],
            ["c2", "only two"],
            ["c3", "T", PROSE, "extra"],
            ["c4", "T", PROSE],
        ],
    )
    items = list(scan_inputs([str(path)]))
    assert [type(i) for i in items] == [RawRecord, Rejection, Rejection, RawRecord]
    assert items[1].unit == f"{path}#row=2"
    assert "2 fields" in items[1].reason
    assert "header has 3" in items[1].reason


def test_csv_header_only_is_rejected(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("id,text\n")
    (item,) = scan_inputs([str(path)])
    assert isinstance(item, Rejection)


def test_parquet_rows_with_field_names(tmp_path):
    path = tmp_path / "a.parquet"
    table = pa.table(
        {
            "newid": ["p1", "p2", "p3"],
            "body": [PROSE, PROSE, None],
            "series": ["gazette", None, "x"],
        }
    )
    pq.write_table(table, path)
    items = list(scan_inputs([str(path)], ReadOptions(id_field="newid", text_field="body")))
    assert [type(i) for i in items] == [RawRecord, RawRecord, Rejection]
    assert [(r.id, r.source) for r in items[:2]] == [("p1", "gazette"), ("p2", None)]
    assert items[2].unit == f"{path}#row=3"


def test_parquet_read_in_several_batches(tmp_path):
    path = tmp_path / "many.parquet"
    num_rows = 2500  # more than one batch of PARQUET_BATCH_ROWS
    pq.write_table(
        pa.table({"id": [f"r{i}" for i in range(num_rows)], "text": [PROSE] * num_rows}), path
    )
    records = list(scan_inputs([str(path)]))
    assert [r.id for r in records] == [f"r{i}" for i in range(num_rows)]


def test_not_a_parquet_file_is_rejected(tmp_path):
    path = tmp_path / "fake.parquet"
    path.write_bytes(b"PAR1 this is not parquet at all")
    (item,) = scan_inputs([str(path)])
    assert isinstance(item, Rejection)
    assert "Parquet" in item.reason


@pytest.mark.slow
def test_a_100_mb_line_is_rejected_with_bounded_memory(tmp_path):
    import tracemalloc

    num_bytes = 100 * 1000 * 1000
    path = tmp_path / "huge.jsonl"
    with open(path, "wb") as out:
        out.write(b'{"id": "huge", "text": "')
        chunk = b"x" * (1024 * 1024)
        for _ in range(num_bytes // len(chunk)):
            out.write(chunk)
        out.write(b'"}\n')
        out.write(_line(id="after", text=PROSE).encode())
    options = ReadOptions()  # the default 64 MiB limit
    tracemalloc.start()
    try:
        items = list(scan_inputs([str(path)], options))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [type(i) for i in items] == [Rejection, RawRecord]
    assert items[1].id == "after"
    # At most one limit's worth of the line is held at a time, never the whole line.
    assert peak < options.max_record_bytes + 16 * 1024 * 1024
    assert peak < num_bytes


# -- what reading mended, as notes ------------------------------------------------------------

# UTF-8 once decoded as cp1252: "café" became "cafÃ©".
MOJIBAKE_TITLE = "Le café était très bon".encode().decode("cp1252")


def test_mojibake_in_a_jsonl_field_is_repaired_and_noted(tmp_path):
    path = tmp_path / "a.jsonl"
    text = ("Le café était très bon. " + PROSE).encode().decode("cp1252")
    path.write_text(_line(id="m", text=text, title=MOJIBAKE_TITLE), encoding="utf-8")
    (record,) = scan_inputs([str(path)])
    assert record.text == "Le café était très bon. " + PROSE
    assert record.title == "Le café était très bon"
    (note,) = record.notes
    assert "mojibake repaired in fields 'text', 'title'" in note


def test_mojibake_is_not_repaired_in_ids():
    record = record_from_mapping({"id": MOJIBAKE_TITLE, "text": PROSE}, "u", "p", ReadOptions())
    assert record.id == MOJIBAKE_TITLE
    assert record.notes == ()


def test_clean_records_have_no_notes(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(_line(id="c", text="Le café était très bon. " + PROSE, title="Café"))
    (record,) = scan_inputs([str(path)])
    assert record.notes == ()


def test_a_stray_byte_in_a_csv_row_is_replaced_and_noted(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(
        b"id,text\n"
        + b'bad,"Le caf\xc3\xa9 \xff '
        + PROSE.encode()
        + b'"\n'
        + b'good,"'
        + PROSE.encode()
        + b'"\n'
    )
    bad, good = scan_inputs([str(path)])
    assert bad.text == "Le café \ufffd " + PROSE
    (note,) = bad.notes
    assert "1 byte that is not UTF-8 replaced with U+FFFD" in note
    assert good.notes == ()


def _damaged_parquet_bytes() -> bytes:
    """A Parquet file whose footer names a column in bytes that are not UTF-8.

    The shape of the input on which the atheris fuzzer crashed ``scan_parquet``: one byte
    of the column name "text" changed to 0xF4, a UTF-8 lead byte without its continuation.
    """
    out = io.BytesIO()
    pq.write_table(pa.table({"id": ["a"], "text": [PROSE]}), out)
    data = out.getvalue()
    assert data.count(b"text") >= 1
    return data.replace(b"text", b"\xf4ext")


def test_a_parquet_file_with_a_damaged_footer_is_a_rejection_not_a_crash(tmp_path):
    path = tmp_path / "damaged.parquet"
    path.write_bytes(_damaged_parquet_bytes())
    (item,) = scan_inputs([str(path)])
    assert isinstance(item, Rejection)
    assert item.unit == str(path)
    assert item.reason.startswith("not a readable Parquet file:")
    assert "not UTF-8 (byte 0xf4" in item.reason


def test_a_parquet_file_damaged_in_its_data_keeps_the_rows_before_the_damage(tmp_path, monkeypatch):
    path = tmp_path / "rows.parquet"
    pq.write_table(pa.table({"id": ["a", "b"], "text": [PROSE, PROSE]}), path)

    def fail_after_first_batch(self, *args, **kwargs):
        yield pa.RecordBatch.from_pylist([{"id": "a", "text": PROSE}])
        raise OSError("Couldn't deserialize thrift: TProtocolException: Invalid data")

    monkeypatch.setattr(pq.ParquetFile, "iter_batches", fail_after_first_batch)
    record, rejection = scan_inputs([str(path)])
    assert isinstance(record, RawRecord)
    assert record.id == "a"
    assert isinstance(rejection, Rejection)
    assert rejection.unit == f"{path}#row=2"
    assert "damaged Parquet file: reading stopped after row 1" in rejection.reason
