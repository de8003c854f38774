"""The web's garbage at the default limits, through the real command in its own process.

One folder of hostile inputs, generated here (never committed): an HTML nesting bomb, a
page over the HTML limit, binary files named ``.html`` and ``.txt``, text in UTF-16 and
UTF-32 without BOM and in cp1252, NUL bytes and lone surrogates, a 100 MB JSON line, a CSV
field of 200,000 characters, a truncated and a corrupted WARC.gz, a gzip bomb past the
record limit, duplicate ids and empty files. ``wiretrace ingest`` must finish within its
time limit, in bounded memory, with every input unit in the ledger.
"""

from __future__ import annotations

import codecs
import gzip
import io
import json
import os
import sqlite3
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest

PROSE = (
    "The harbour board approved the plan on Wednesday after a long debate. "
    "Officials said the work would start in September and take three years."
)
# Generous ceilings for a run over this folder on a loaded two-core machine.
MAX_SECONDS = 240
MAX_PEAK_RSS_MIB = 512
HUGE_LINE_BYTES = 100 * 1000 * 1000
BOMB_BYTES = 512 * 1024 * 1024


def _gzip_bomb(path: Path, decompressed_bytes: int) -> None:
    """A gzip stream of zeros, compressed piece by piece (about 1,000:1)."""
    compressor = zlib.compressobj(1, zlib.DEFLATED, 31)
    piece = bytes(16 * 1024 * 1024)
    with open(path, "wb") as out:
        for _ in range(decompressed_bytes // len(piece)):
            out.write(compressor.compress(piece))
        out.write(compressor.flush())


def _warc_gz(path: Path, pages: int) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    for n in range(pages):
        body = f"<html><body><article><p>{PROSE} Page {n}.</p></article></body></html>".encode()
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            f"https://example.org/{n}",
            "response",
            payload=io.BytesIO(body),
            length=len(body),
            http_headers=headers,
        )
        writer.write_record(record)
    return out.getvalue()


def _hostile_folder(folder: Path) -> dict[str, int]:
    """Write the hostile inputs; return each file's least number of input units."""
    folder.mkdir()
    units: dict[str, int] = {}

    def put(name: str, data: bytes, least_units: int = 1) -> None:
        (folder / name).write_bytes(data)
        units[name] = least_units

    put("deep.html", b"<html><body>" + b"<div>" * 200_000 + b"<p>x</p>" + b"</body></html>")
    page = f"<p>{PROSE}</p>".encode()
    put("huge.html", b"<html><body>" + page * (9 * 1024 * 1024 // len(page)) + b"</body></html>")
    put("photo.html", os.urandom(64 * 1024))
    put("archive.txt", gzip.compress(os.urandom(32 * 1024))[:20_000])
    put("utf16.txt", PROSE.encode("utf-16-le"))
    put("utf32.txt", PROSE.encode("utf-32-be"))
    put("bom32.txt", codecs.BOM_UTF32_LE + PROSE.encode("utf-32-le"))
    put("latin.txt", ("Café: " + PROSE).encode("cp1252"))
    put("nul.txt", PROSE.replace("board", "bo\x00ard").encode())
    lines = [
        json.dumps({"id": "lone", "text": PROSE + " \ud800 end"}),
        json.dumps({"id": "dup", "text": PROSE}),
        json.dumps({"id": "dup", "text": PROSE + " Updated."}),
        json.dumps({"id": "dup", "text": PROSE}),
        "{not json",
        json.dumps({"id": "notext"}),
    ]
    put("records.jsonl", ("\n".join(lines) + "\n").encode(), least_units=len(lines))
    with open(folder / "huge-line.jsonl", "wb") as out:
        out.write(b'{"id": "huge", "text": "')
        chunk = b"y " * (512 * 1024)
        for _ in range(HUGE_LINE_BYTES // len(chunk)):
            out.write(chunk)
        out.write(b'"}\n' + json.dumps({"id": "after-huge", "text": PROSE}).encode() + b"\n")
    units["huge-line.jsonl"] = 2
    wide = "word " * 40_000
    put("wide.csv", f'id,text\nwide,"{wide}"\nnext,"{PROSE}"\n'.encode(), least_units=2)
    crawl = _warc_gz(folder / "x", 4)
    put("truncated.warc.gz", crawl[: len(crawl) * 2 // 3], least_units=2)
    corrupted = bytearray(crawl)
    corrupted[len(crawl) // 2 : len(crawl) // 2 + 32] = bytes(32)
    put("corrupted.warc.gz", bytes(corrupted), least_units=2)
    # Stopped by the record limit long before the 2 GiB decompression limit.
    _gzip_bomb(folder / "bomb.txt.gz", BOMB_BYTES)
    units["bomb.txt.gz"] = 1
    put("empty.txt", b"")
    put("blank.jsonl", b"\n\n   \n")
    put("good.txt", PROSE.encode())
    return units


# Linux keeps a process's peak RSS across exec, so a child started straight from this test
# process (large once other tests loaded models) would report at least the test's own
# peak. A small launcher starts the ingest and writes the peak of its children.
_LAUNCHER = (
    "import resource, subprocess, sys; code = subprocess.call(sys.argv[2:]); "
    "open(sys.argv[1], 'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)); "
    "sys.exit(code)"
)


@pytest.mark.slow
def test_hostile_inputs_at_the_default_limits_are_all_accounted_for(tmp_path: Path) -> None:
    folder = tmp_path / "hostile"
    least_units = _hostile_folder(folder)
    db = tmp_path / "w.sqlite"
    started = time.monotonic()
    peak_file = tmp_path / "peak_kib.txt"
    with open(tmp_path / "stderr.txt", "w+", encoding="utf-8") as err:
        done = subprocess.run(
            [sys.executable, "-c", _LAUNCHER, str(peak_file), sys.executable, "-m"]
            + ["wiretrace.cli", "ingest", str(folder), "--db", str(db)],
            stdout=subprocess.DEVNULL,
            stderr=err,
            timeout=MAX_SECONDS,
        )
        err.seek(0)
        done.stderr = err.read()
    seconds = time.monotonic() - started
    peak_mib = int(peak_file.read_text()) / 1024
    assert done.returncode == 3, done.stderr  # some input rejected, the rest stored
    assert "Traceback" not in done.stderr
    assert seconds < MAX_SECONDS
    assert peak_mib < MAX_PEAK_RSS_MIB

    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        ledger = conn.execute("SELECT unit, status, doc_id, reason FROM ledger").fetchall()
        docs = {row[0]: row[1] for row in conn.execute("SELECT id, version FROM documents")}
    finally:
        conn.close()
    per_file: dict[str, int] = {}
    for unit, status, _, reason in ledger:
        name = Path(unit.split("#")[0]).name
        per_file[name] = per_file.get(name, 0) + 1
        assert status in ("stored", "updated", "unchanged", "rejected")
        assert status != "rejected" or reason
    for name, least in least_units.items():
        assert per_file.get(name, 0) >= least, f"{name} is not accounted for"
    assert set(per_file) == set(least_units)
    stored_ids = {doc_id for _, status, doc_id, _ in ledger if status != "rejected"}
    assert stored_ids == set(docs)
    assert docs["dup"] == 3  # three lines with one id: versions 1, 2 and 3
    for doc_id in ("good", "utf16", "utf32", "bom32", "latin", "nul", "lone", "after-huge"):
        assert doc_id in docs, doc_id
    reasons = {Path(unit.split("#")[0]).name: reason for unit, _, _, reason in ledger if reason}
    assert "nested deeper" in reasons["deep.html"]
    assert "max_html_bytes" in reasons["huge.html"]
    assert "binary" in reasons["photo.html"]
    assert "larger than 64 MiB" in reasons["bomb.txt.gz"]
    assert (
        "max_record_bytes" in reasons["huge-line.jsonl"] or "64 MiB" in reasons["huge-line.jsonl"]
    )
