"""Ingest end to end: read → extract → segment → store, with a ledger that reconciles."""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import json
import sqlite3
import sys
from collections import Counter

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from wiretrace.cli import main
from wiretrace.engines.ingest import IngestSummary, ingest
from wiretrace.model import RemovedKind
from wiretrace.read import ReadOptions
from wiretrace.store import open_store

STATUSES = ("stored", "updated", "unchanged", "rejected")
PROSE = (
    "The harbour board approved the plan on Wednesday after a long debate. "
    "Officials said the work would start in September and take three years.\n"
)
SEED_000 = "000_a73e34097e29851d"
SEED_001 = "001_2db8fd4b41d54bad"
SEED_002 = "002_e0233033ce124939"
SEED_003 = "003_bc07cf1c3775fde8"
SEED_004 = "004_01d96e7be30289f2"


def run_ingest(store, paths, options: ReadOptions | None = None) -> IngestSummary:
    """Ingest, then check that the run's ledger reconciles with its summary."""
    summary = ingest(store, [str(p) for p in paths], options)
    rows = store.ledger(summary.run_id)
    assert len(rows) == summary.read
    counts = Counter(row["status"] for row in rows)
    assert set(counts) <= set(STATUSES)
    assert {s: counts[s] for s in STATUSES} == {s: getattr(summary, s) for s in STATUSES}
    assert sum(getattr(summary, s) for s in STATUSES) == summary.read
    for row in rows:
        if row["status"] == "rejected":
            assert row["reason"] and row["reason"].strip(), row
            assert row["doc_id"] is None
        else:
            assert store.lookup(row["doc_id"]) is not None, row
    assert sum(summary.reasons.values()) == summary.rejected
    return summary


def _ledger(store, summary) -> dict[str, dict]:
    """Ledger rows of a run by unit (rows of batched records come after rejections)."""
    return {row["unit"]: row for row in store.ledger(summary.run_id)}


@pytest.fixture
def store(tmp_path_factory):
    # Outside tmp_path, so tests that ingest tmp_path do not read the store itself.
    with open_store(tmp_path_factory.mktemp("store") / "wiretrace.sqlite") as opened:
        yield opened


# -- the seeds --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeded(seeds, tmp_path_factory):
    path = tmp_path_factory.mktemp("seeds") / "wiretrace.sqlite"
    with open_store(path) as store:
        first = run_ingest(store, [seeds])
        second = run_ingest(store, [seeds])
        docs = {doc.id: doc for doc in store.iter_documents()}
    return first, second, docs


@pytest.mark.shared
def test_seeds_are_all_stored_once(seeded):
    first, _, docs = seeded
    assert (first.read, first.stored, first.rejected) == (5, 5, 0)
    assert sorted(docs) == [SEED_000, SEED_001, SEED_002, SEED_003, SEED_004]
    assert all(doc.language == "en" for doc in docs.values())


@pytest.mark.shared
def test_ingesting_the_seeds_again_stores_nothing_new(seeded):
    _, second, docs = seeded
    assert (second.read, second.stored, second.updated, second.unchanged) == (5, 0, 0, 5)
    assert second.new_ids == []
    assert all(doc.version == 1 for doc in docs.values())


@pytest.mark.shared
def test_seed_000_loses_its_page_chrome_and_keeps_its_article(seeded):
    text = seeded[2][SEED_000].text
    for chrome in [
        "ArrowArtboardCreated with Sketch",
        "Sponsored Content",
        "Discover the all new Nikkei Asia app",
        "Celebrate our next chapter",
        "Nikkei Asia",
        "Free access for everyone",
        "Find out more",
    ]:
        assert chrome not in text, chrome
    assert "Putin welcomed China's top diplomat" in text
    assert "MOSCOW (Reuters) --\xa0President Vladimir Putin said on Wednesday" in text
    assert text.rstrip().endswith("including China.")
    kinds = {r.kind for r in seeded[2][SEED_000].removed}
    assert {RemovedKind.CHROME, RemovedKind.SPONSORED} <= kinds


@pytest.mark.shared
def test_seed_001_loses_its_share_counters(seeded):
    doc = seeded[2][SEED_001]
    counters = [r.text.strip() for r in doc.removed if r.kind == RemovedKind.COUNTER]
    assert counters == ["0", "177"]
    lines = {line.strip() for line in doc.text.splitlines()}
    assert not {"0", "177"} & lines
    assert doc.text.startswith("Putin urges Xi Jinping to visit Russia")


@pytest.mark.shared
@pytest.mark.parametrize(
    ("doc_id", "credits"),
    [
        (SEED_000, ("Reuters",)),
        (SEED_001, ("Reuters",)),
        (SEED_002, ("Reuters",)),
        (SEED_003, ("Reuters",)),
        (SEED_004, ()),
    ],
)
def test_seed_credits(seeded, doc_id, credits):
    assert seeded[2][doc_id].credits == credits


@pytest.mark.shared
def test_seed_002_french_byline(seeded):
    doc = seeded[2][SEED_002]
    assert doc.byline == "Guy Faulconbridge et Simon Lewis"
    assert "par Guy Faulconbridge et Simon Lewis" not in doc.text
    bylines = [r.text.strip() for r in doc.removed if r.kind == RemovedKind.BYLINE]
    assert bylines == ["par Guy Faulconbridge et Simon Lewis"]


@pytest.mark.shared
def test_seed_003_trailing_agency_word_is_not_text(seeded):
    doc = seeded[2][SEED_003]
    assert doc.text.rstrip().endswith("greater volumes of oil.")
    assert doc.date == "2023-02-22"


@pytest.mark.shared
def test_seed_documents_keep_their_offsets(seeded):
    for doc in seeded[2].values():
        assert doc.sentences
        for span in doc.sentences:
            piece = doc.text[span.start : span.end]
            assert piece and piece == piece.strip()
        for c, o, n in doc.kept:
            assert doc.text[c : c + n] == doc.original[o : o + n]
        for removed in doc.removed:
            assert doc.original[removed.start : removed.end] == removed.text


# -- the example corpus -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def example_docs(examples, tmp_path_factory):
    path = tmp_path_factory.mktemp("examples") / "wiretrace.sqlite"
    with open_store(path) as store:
        summary = run_ingest(store, [examples])
        docs = {doc.id: doc for doc in store.iter_documents()}
    assert summary.rejected == 0
    return docs


@pytest.fixture(scope="module")
def expected(examples):
    return json.loads((examples.parent / "expected.json").read_text(encoding="utf-8"))


def test_examples_boilerplate_is_removed(example_docs, expected):
    for doc_id, lines in expected["boilerplate"].items():
        doc = example_docs[doc_id]
        removed = {line.strip() for r in doc.removed for line in r.text.splitlines()}
        kept = {line.strip() for line in doc.text.splitlines()}
        for line in lines:
            assert line in removed, (doc_id, line)
            assert line not in kept, (doc_id, line)


def test_examples_credits(example_docs, expected):
    assert set(expected["credits"]) <= set(example_docs)
    got = {doc_id: list(example_docs[doc_id].credits) for doc_id in expected["credits"]}
    assert got == expected["credits"]


def test_examples_html_page(example_docs):
    doc = example_docs["wire_original_page"]
    assert doc.title == "Port Callow votes for $2.4bn terminal expansion despite union fears"
    assert doc.date.startswith("2026-03-04")
    assert doc.byline == "Ines Calloway-Roth"
    assert doc.text.startswith("PORT CALLOW, March 4 (Meridian Press) - Port Callow's Harbour")
    for chrome in [
        "cookies",
        "Accept all",
        "Podcasts",
        "Most read",
        "Subscribe",
        "Switch your business energy",
        "Dream kitchens",
        "Topics:",
    ]:
        assert chrome not in doc.text, chrome


def test_examples_header_metadata_and_languages(example_docs):
    doc = example_docs["wire_original"]
    assert doc.title == "Port Callow approves $2.4 billion container terminal expansion"
    assert doc.date == "2026-03-04T09:12:00Z"
    assert doc.source == "Meridian Press"
    assert not doc.text.startswith("Title:")
    assert example_docs["translation_fr"].language == "fr"
    assert example_docs["unrelated_de"].language == "de"


# -- formats ----------------------------------------------------------------------------------


def _article(n: int) -> str:
    return f"Story number {n}. " + PROSE


def _write_warc(path, pages, gzip_records) -> list[int]:
    """Write a crawl of ``pages`` (url, html); return the offset where each record starts."""
    starts = []
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=gzip_records)
        for url, html in pages:
            starts.append(out.tell())
            body = html.encode()
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1"
            )
            writer.write_record(
                writer.create_warc_record(
                    url,
                    "response",
                    payload=io.BytesIO(body),
                    length=len(body),
                    http_headers=headers,
                )
            )
    return starts


def _html(n: int) -> str:
    return (
        f"<html><head><title>Page {n}</title></head><body><article><h1>Page {n}</h1>"
        + f"<p>{_article(n)}</p>" * 3
        + "</article></body></html>"
    )


def test_every_format_is_ingested(tmp_path, store):
    folder = tmp_path / "in"
    (folder / "sub" / "deeper").mkdir(parents=True)
    (folder / "a.txt").write_text(_article(1))
    (folder / "b.html").write_text(_html(2))
    (folder / "c.jsonl").write_text(json.dumps({"id": "c", "text": _article(3)}) + "\n")
    (folder / "d.ndjson").write_text(json.dumps({"id": "d", "text": _article(4)}) + "\n")
    with open(folder / "e.csv", "w", newline="") as out:
        csv.writer(out).writerows([["id", "text"], ["e", _article(5)]])
    with open(folder / "f.tsv", "w", newline="") as out:
        csv.writer(out, delimiter="\t").writerows([["id", "text"], ["f", _article(6)]])
    pq.write_table(pa.table({"id": ["g"], "text": [_article(7)]}), folder / "g.parquet")
    _write_warc(folder / "h.warc", [("https://example.org/h", _html(8))], gzip_records=False)
    _write_warc(folder / "i.warc.gz", [("https://example.org/i", _html(9))], gzip_records=True)
    (folder / "sub" / "j.jsonl.gz").write_bytes(
        gzip.compress((json.dumps({"id": "j", "text": _article(10)}) + "\n").encode())
    )
    (folder / "sub" / "deeper" / "k.txt.gz").write_bytes(gzip.compress(_article(11).encode()))
    (folder / ".hidden.txt").write_text(_article(12))
    (folder / ".cache").mkdir()
    (folder / ".cache" / "l.txt").write_text(_article(13))

    summary = run_ingest(store, [folder])
    assert (summary.read, summary.stored, summary.rejected) == (11, 11, 0)
    texts = {doc.id: doc.text for doc in store.iter_documents()}
    assert sorted(texts) == ["a", "b", "c", "d", "e", "f", "g", "h:1", "i:1", "j", "k"]
    for n, doc_id in enumerate(sorted(texts), start=1):
        assert f"Story number {n}." in texts[doc_id]
    assert store.get_document("h:1").url == "https://example.org/h"
    assert store.get_document("b").title == "Page 2"


def test_globs_and_several_paths(tmp_path, store):
    for n in range(3):
        (tmp_path / f"a{n}.txt").write_text(_article(n))
    (tmp_path / "b.txt").write_text(_article(9))
    summary = run_ingest(store, [tmp_path / "a*.txt", tmp_path / "b.txt"])
    assert summary.stored == 4


def test_same_file_name_in_two_folders_gets_two_ids(tmp_path, store):
    for folder in ["x", "y"]:
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "story.txt").write_text(f"From folder {folder}. " + PROSE)
    summary = run_ingest(store, [tmp_path])
    assert summary.stored == 2
    assert store.num_documents() == 2
    # The second is named by its path inside the input, not by where the input sits.
    assert {d["id"] for d in store.document_summaries()} == {"story", "y/story"}


def test_stdin(monkeypatch, store):
    data = "".join(json.dumps({"id": f"s{n}", "text": _article(n)}) + "\n" for n in range(3))
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data.encode())))
    summary = run_ingest(store, ["-"])
    assert summary.stored == 3
    assert store.get_document("s1").source_path == "-"


def test_plain_text_on_stdin_is_named_stdin(monkeypatch, store):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(PROSE.encode())))
    run_ingest(store, ["-"])
    assert store.get_document("stdin").text == PROSE


def test_field_names(tmp_path, store):
    path = tmp_path / "reuters.jsonl"
    path.write_text(
        json.dumps(
            {
                "newid": "r1",
                "body": PROSE,
                "id": "not-this",
                "text": "Not this text, which is long enough to keep.",
            }
        )
        + "\n"
    )
    run_ingest(store, [path], ReadOptions(text_field="body", id_field="newid"))
    assert store.get_document("r1").text == PROSE


def test_passim_jsonl(tmp_path, store):
    path = tmp_path / "passim.jsonl"
    path.write_text(
        "".join(
            json.dumps({"id": f"p{n}", "text": _article(n), "series": "gazette"}) + "\n"
            for n in range(2)
        )
    )
    run_ingest(store, [path])
    assert store.get_document("p1").source == "gazette"


def test_duplicate_ids_in_one_file_make_a_new_version(tmp_path, store):
    path = tmp_path / "dups.jsonl"
    path.write_text(
        json.dumps({"id": "dup", "text": _article(1)})
        + "\n"
        + json.dumps({"id": "dup", "text": _article(1)})
        + "\n"
        + json.dumps({"id": "dup", "text": _article(2)})
        + "\n"
    )
    summary = run_ingest(store, [path])
    assert (summary.stored, summary.unchanged, summary.updated) == (1, 1, 1)
    statuses = {row["unit"]: row["status"] for row in store.ledger(summary.run_id)}
    assert statuses == {f"{path}#L1": "stored", f"{path}#L2": "unchanged", f"{path}#L3": "updated"}
    doc = store.get_document("dup")
    assert (doc.version, doc.text) == (2, _article(2))
    store.commit()
    # The store has no reader for earlier versions; its table is the record of them.
    with sqlite3.connect(store.path) as conn:
        versions = conn.execute(
            "SELECT version, text FROM document_versions WHERE id = 'dup'"
        ).fetchall()
    assert versions == [(1, _article(1))]


def test_changed_file_is_updated_on_the_next_run(tmp_path, store):
    path = tmp_path / "story.txt"
    path.write_text(_article(1))
    run_ingest(store, [path])
    path.write_text(_article(2))
    summary = run_ingest(store, [path])
    assert (summary.updated, summary.new_ids) == (1, ["story"])
    assert store.lookup("story")[1] == 2


# -- bad input --------------------------------------------------------------------------------

BAD_INPUTS = {
    # name: (bytes, outcome) with outcome "stored" or "rejected"
    "binary.html": (bytes(range(256)) * 64, "rejected"),
    "binary.txt": (bytes(range(256)) * 64, "rejected"),
    "utf16le_bom.txt": (codecs.BOM_UTF16_LE + PROSE.encode("utf-16-le"), "stored"),
    "utf16be_bom.txt": (codecs.BOM_UTF16_BE + PROSE.encode("utf-16-be"), "stored"),
    "utf16le.txt": (PROSE.encode("utf-16-le"), "stored"),
    "utf16be.txt": (PROSE.encode("utf-16-be"), "stored"),
    "utf8_bom.txt": (codecs.BOM_UTF8 + PROSE.encode(), "stored"),
    "cp1252.txt": (("Le café était très bon. " + PROSE).encode("cp1252"), "stored"),
    "mojibake.txt": (
        ("Le café était très bon. " + PROSE).encode().decode("latin-1").encode(),
        "stored",
    ),
    "empty.txt": (b"", "rejected"),
    "blank.txt": (b"  \n\n ", "rejected"),
    "nul.txt": (PROSE.encode().replace(b"board", b"bo\x00ard"), "stored"),
    "short.txt": (b"Share\n0\n", "rejected"),
}


def test_bad_files_become_rejections_or_documents_and_the_rest_is_stored(tmp_path, store):
    folder = tmp_path / "bad"
    folder.mkdir()
    for name, (data, _) in BAD_INPUTS.items():
        (folder / name).write_bytes(data)
    (folder / "zz_good.txt").write_text(_article(1))
    summary = run_ingest(store, [folder])
    rows = {r["unit"].split("/")[-1]: r for r in store.ledger(summary.run_id)}
    assert set(rows) == set(BAD_INPUTS) | {"zz_good.txt"}
    for name, (_, outcome) in BAD_INPUTS.items():
        assert rows[name]["status"] == outcome, (name, rows[name]["reason"])
    assert rows["zz_good.txt"]["status"] == "stored"
    assert store.get_document("utf16le").text == PROSE
    assert store.get_document("utf16be_bom").text == PROSE
    assert store.get_document("nul").text == PROSE
    assert store.get_document("cp1252").text.startswith("Le café était très bon.")


def test_jsonl_with_bad_lines(tmp_path, store):
    path = tmp_path / "mixed.jsonl"
    lines = [
        json.dumps({"id": "ok1", "text": _article(1)}),
        '{"id": "broken", "text": ',
        '{"id": "lone", "text": "\\ud800 ' + PROSE.strip() + '"}',
        json.dumps({"id": "notext", "title": "No text here"}),
        json.dumps({"id": "ok2", "text": _article(2)}),
    ]
    path.write_text("\n".join(lines) + "\n")
    summary = run_ingest(store, [path])
    rows = _ledger(store, summary)
    assert [rows[f"{path}#L{n}"]["status"] for n in range(1, 6)] == [
        "stored",
        "rejected",
        "stored",
        "rejected",
        "stored",
    ]
    assert "invalid JSON" in rows[f"{path}#L2"]["reason"]
    assert store.get_document("lone").text.startswith("\ufffd The harbour board")


# -- what reading mended, kept in the ledger -----------------------------------------------

FRENCH = "Le café était très bon, a déclaré le maire. "


def test_a_stray_byte_in_a_text_file_is_stored_with_a_note_in_the_ledger(tmp_path, store):
    path = tmp_path / "fr.txt"
    path.write_bytes(FRENCH.encode() + b"\xff " + PROSE.encode())
    summary = run_ingest(store, [path])
    (row,) = store.ledger(summary.run_id)
    assert row["status"] == "stored"
    (note,) = row["notes"]
    assert "1 byte sequence that is not UTF-8 replaced with U+FFFD" in note
    text = store.get_document("fr").text
    assert "café était très bon" in text  # the rest stays UTF-8, no mojibake
    assert "\ufffd" in text
    assert summary.mended == 1
    (line,) = summary.notes
    assert line.startswith("1 document stored with repaired text")
    assert "`wiretrace rejections`" in line


def test_mojibake_in_a_jsonl_field_is_repaired_and_noted_in_the_ledger(tmp_path, store):
    path = tmp_path / "m.jsonl"
    garbled = (FRENCH + PROSE).encode().decode("cp1252")
    path.write_text(json.dumps({"id": "m", "text": garbled}) + "\n", encoding="utf-8")
    summary = run_ingest(store, [path])
    (row,) = store.ledger(summary.run_id)
    assert row["status"] == "stored"
    assert store.get_document("m").text.startswith(FRENCH.strip())
    (note,) = row["notes"]
    assert "mojibake repaired in field 'text'" in note
    assert summary.mended == 1


def test_notes_are_kept_when_a_mended_file_is_read_again_unchanged(tmp_path, store):
    path = tmp_path / "fr.txt"
    path.write_bytes(FRENCH.encode() + b"\xff " + PROSE.encode())
    run_ingest(store, [path])
    again = run_ingest(store, [path])
    (row,) = store.ledger(again.run_id)
    assert row["status"] == "unchanged"
    assert len(row["notes"]) == 1
    assert again.mended == 1


def test_clean_input_has_no_notes(tmp_path, store):
    (tmp_path / "fr.txt").write_text(FRENCH + PROSE, encoding="utf-8")
    (tmp_path / "a.jsonl").write_text(json.dumps({"id": "j", "text": FRENCH + PROSE}) + "\n")
    summary = run_ingest(store, [tmp_path])
    rows = store.ledger(summary.run_id)
    assert [row["status"] for row in rows] == ["stored", "stored"]
    assert all(row["notes"] == () for row in rows)
    assert summary.mended == 0
    assert summary.notes == []


def test_a_damaged_parquet_file_is_a_rejection_and_the_rest_is_stored(tmp_path, store):
    out = io.BytesIO()
    pq.write_table(pa.table({"id": ["p"], "text": [PROSE]}), out)
    # A column name made invalid UTF-8, as in the file that crashed the fuzzer.
    (tmp_path / "damaged.parquet").write_bytes(out.getvalue().replace(b"text", b"\xf4ext"))
    (tmp_path / "good.txt").write_text(_article(1))
    summary = run_ingest(store, [tmp_path])
    rows = _ledger(store, summary)
    assert rows[str(tmp_path / "good.txt")]["status"] == "stored"
    damaged = rows[str(tmp_path / "damaged.parquet")]
    assert damaged["status"] == "rejected"
    assert "not a readable Parquet file" in damaged["reason"]
    assert "not UTF-8" in damaged["reason"]


def test_oversized_line_among_good_ones(tmp_path, store):
    path = tmp_path / "big.jsonl"
    path.write_text(
        json.dumps({"id": "a", "text": _article(1)})
        + "\n"
        + json.dumps({"id": "big", "text": "word " * 2000})
        + "\n"
        + json.dumps({"id": "c", "text": _article(3)})
        + "\n"
    )
    summary = run_ingest(store, [path], ReadOptions(max_record_bytes=2000))
    assert (summary.stored, summary.rejected) == (2, 1)
    assert _ledger(store, summary)[f"{path}#L2"]["status"] == "rejected"


def test_csv_with_a_huge_field_and_a_bad_row(tmp_path, store):
    path = tmp_path / "a.csv"
    huge = PROSE * (140_000 // len(PROSE) + 1)
    assert len(huge) > 131_072
    with open(path, "w", newline="") as out:
        csv.writer(out).writerows([["id", "text"], ["huge", huge], ["bad"], ["ok", PROSE]])
    summary = run_ingest(store, [path])
    assert (summary.stored, summary.rejected) == (2, 1)
    assert store.get_document("huge").text == huge
    assert "fields" in _ledger(store, summary)[f"{path}#row=2"]["reason"]


def test_truncated_warc_gz(tmp_path, store):
    full = tmp_path / "full.warc.gz"
    starts = _write_warc(
        full, [(f"https://example.org/{n}", _html(n)) for n in range(4)], gzip_records=True
    )
    data = full.read_bytes()
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(data[: (starts[2] + starts[3]) // 2])  # in the middle of the third page
    summary = run_ingest(store, [path])
    assert (summary.read, summary.stored, summary.rejected) == (3, 2, 1)
    rows = _ledger(store, summary)
    assert {unit: row["status"] for unit, row in rows.items()} == {
        f"{path}#record=1": "stored",
        f"{path}#record=2": "stored",
        f"{path}#record=3": "rejected",
    }
    assert "truncated" in rows[f"{path}#record=3"]["reason"]


def test_gzip_bomb(tmp_path, store):
    path = tmp_path / "bomb.txt.gz"
    with gzip.open(path, "wb") as out:
        for _ in range(50):
            out.write(bytes(1024 * 1024))
    (tmp_path / "good.txt").write_text(PROSE)
    summary = run_ingest(
        store, [path, tmp_path / "good.txt"], ReadOptions(max_decompressed_bytes=1024 * 1024)
    )
    assert (summary.stored, summary.rejected) == (1, 1)


def test_deeply_nested_and_huge_html(tmp_path, store):
    (tmp_path / "deep.html").write_text(
        "<html><body>" + "<div>" * 100_000 + "<p>Deep.</p>" + "</div>" * 100_000 + "</body></html>"
    )
    (tmp_path / "huge.html").write_text(
        "<html><body><article>" + f"<p>{PROSE}</p>" * 20_000 + "</article></body></html>"
    )
    (tmp_path / "good.txt").write_text(PROSE)
    summary = run_ingest(
        store,
        [tmp_path / "deep.html", tmp_path / "huge.html", tmp_path / "good.txt"],
        ReadOptions(max_html_bytes=2 * 1024 * 1024),
    )
    assert (summary.stored, summary.rejected) == (1, 2)
    reasons = " ".join(r["reason"] for r in store.ledger(summary.run_id) if r["reason"])
    assert "nested deeper" in reasons
    assert "max_html_bytes" in reasons


def test_missing_path_and_empty_glob(tmp_path, store):
    (tmp_path / "good.txt").write_text(PROSE)
    summary = run_ingest(
        store, [tmp_path / "missing.txt", tmp_path / "*.none", tmp_path / "good.txt"]
    )
    assert (summary.read, summary.stored, summary.rejected) == (3, 1, 2)
    assert len(summary.reasons) == 2


def test_empty_record_files_leave_a_trace(tmp_path, store):
    (tmp_path / "empty.jsonl").write_bytes(b"")
    (tmp_path / "empty.csv").write_bytes(b"")
    (tmp_path / "header.csv").write_text("id,text\n")
    summary = run_ingest(store, [tmp_path])
    assert (summary.read, summary.rejected) == (3, 3)


# -- the command line -------------------------------------------------------------------------


def _cli(*args, db):
    return CliRunner().invoke(main, [*map(str, args), "--db", str(db)])


def test_cli_ingest_clean_input_exits_0(tmp_path, examples):
    db = tmp_path / "w.sqlite"
    result = _cli("ingest", examples, db=db)
    assert result.exit_code == 0, result.output
    assert "17 stored" in result.stderr
    assert "0 rejected" in result.stderr
    again = _cli("ingest", examples, db=db)
    assert again.exit_code == 0
    assert "0 stored" in again.stderr
    assert "17 unchanged" in again.stderr


def test_cli_ingest_with_rejections_exits_3(tmp_path):
    (tmp_path / "good.txt").write_text(PROSE)
    (tmp_path / "bad.txt").write_bytes(bytes(range(256)) * 16)
    result = _cli("ingest", tmp_path / "good.txt", tmp_path / "bad.txt", db=tmp_path / "w.sqlite")
    assert result.exit_code == 3
    assert "1 stored" in result.stderr
    assert "1 rejected" in result.stderr
    with open_store(tmp_path / "w.sqlite") as store:
        assert store.num_documents() == 1


def test_cli_ingest_field_options(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_text(json.dumps({"newid": "r9", "body": PROSE}) + "\n")
    db = tmp_path / "w.sqlite"
    result = _cli("ingest", path, "--text-field", "body", "--id-field", "newid", db=db)
    assert result.exit_code == 0, result.output
    with open_store(db) as store:
        assert store.get_document("r9").text == PROSE


def test_cli_docs_and_show(tmp_path, examples):
    db = tmp_path / "w.sqlite"
    assert _cli("ingest", examples, db=db).exit_code == 0
    docs = _cli("docs", "--limit", "0", db=db)
    assert docs.exit_code == 0
    assert "wire_original" in docs.stdout
    assert "spun_rewrite" in docs.stdout
    show = _cli("show", "republish_edited", db=db)
    assert show.exit_code == 0
    assert "Port Callow Harbour Authority" in show.stdout
    assert "Download our app for breaking news alerts" in show.stdout


def test_cli_show_marks_removed_parts(tmp_path, examples):
    db = tmp_path / "w.sqlite"
    assert _cli("ingest", examples / "republish_edited.txt", db=db).exit_code == 0
    show = _cli("show", "republish_edited", db=db)
    assert show.exit_code == 0
    for kind in ["[promo]", "[sponsored]", "[navigation]", "[metadata]"]:
        assert kind in show.stdout, kind


def test_cli_show_unknown_id_exits_1_naming_it(tmp_path, examples):
    db = tmp_path / "w.sqlite"
    _cli("ingest", examples / "wire_original.txt", db=db)
    result = _cli("show", "no_such_article", db=db)
    assert result.exit_code == 1
    assert "no_such_article" in result.stderr


@pytest.mark.slow
def test_a_huge_html_page_at_the_default_limits_neither_crashes_nor_hangs(tmp_path, store):
    import time

    options = ReadOptions()
    paragraph = f"<div class='x'><p>{PROSE}</p><span>{PROSE}</span></div>\n"
    html = "<html><body><article>" + paragraph * (options.max_html_bytes // len(paragraph) - 10)
    (tmp_path / "huge.html").write_text(html + "</article></body></html>")
    assert (tmp_path / "huge.html").stat().st_size < options.max_html_bytes
    (tmp_path / "good.txt").write_text(PROSE)
    started = time.monotonic()
    summary = run_ingest(store, [tmp_path / "huge.html", tmp_path / "good.txt"], options)
    assert time.monotonic() - started < options.html_timeout_s + 20
    assert summary.stored >= 1
    assert summary.stored + summary.rejected == 2
