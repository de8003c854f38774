"""Coverage-guided fuzzing of every reader (text, HTML, JSONL, CSV, Parquet, WARC, gzip).

Each input is one file: its first byte picks the format (and whether it is gzipped), the
rest is the file's content. Every reader must turn it into records and rejections with
reasons, at least one item, with clean text; any exception is a crash.

Short bounded run (CI runs this through ``tests/read/test_fuzz.py``)::

    python tests/read/fuzz_readers.py --seeds fuzz-corpus
    python tests/read/fuzz_readers.py fuzz-corpus -runs=3000 -seed=1

Longer run (ten minutes; new inputs that reach new code are added to ``fuzz-corpus``)::

    python tests/read/fuzz_readers.py fuzz-corpus -max_total_time=600

``check_one`` is also used without atheris, by the Hypothesis tests of the readers.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import sys
import tempfile
from pathlib import Path

# Extensions the first byte chooses among; a set high bit also gzips the file.
EXTENSIONS = (".txt", ".html", ".jsonl", ".csv", ".tsv", ".parquet", ".warc", ".bin")
GZIP_FLAG = 0x80
# Small limits, so that size guards are reached by small inputs and runs stay fast.
FUZZ_LIMIT_BYTES = 64 * 1024


def _options():
    from wiretrace.read import ReadOptions

    return ReadOptions(
        max_record_bytes=FUZZ_LIMIT_BYTES,
        max_html_bytes=FUZZ_LIMIT_BYTES,
        max_decompressed_bytes=4 * FUZZ_LIMIT_BYTES,
    )


def file_for(data: bytes) -> tuple[str, bytes]:
    """The file name suffix and the file content that one fuzz input stands for."""
    if not data:
        return ".txt", b""
    selector, content = data[0], data[1:]
    suffix = EXTENSIONS[(selector & ~GZIP_FLAG) % len(EXTENSIONS)]
    if selector & GZIP_FLAG:
        return suffix + ".gz", gzip.compress(content, mtime=0)
    return suffix, content


def check_one(data: bytes, folder: str) -> int:
    """Read one fuzz input as a file and check every invariant; return the item count."""
    from wiretrace.model import RawRecord, Rejection
    from wiretrace.read import scan_inputs

    suffix, content = file_for(data)
    path = os.path.join(folder, "input" + suffix)
    with open(path, "wb") as out:
        out.write(content)
    items = list(scan_inputs([path], _options()))
    if not items:
        raise AssertionError(f"{suffix}: an input file left no trace")
    for item in items:
        if isinstance(item, Rejection):
            if not item.reason:
                raise AssertionError(f"{suffix}: a rejection without a reason")
        elif isinstance(item, RawRecord):
            if "\x00" in item.text or any(0xD800 <= ord(c) <= 0xDFFF for c in item.text):
                raise AssertionError(f"{suffix}: a record with NUL or a lone surrogate")
            if len(item.text.encode("utf-8", "replace")) > 4 * FUZZ_LIMIT_BYTES:
                raise AssertionError(f"{suffix}: a record over the size limit")
        else:
            raise AssertionError(f"{suffix}: the reader yielded {type(item).__name__}")
    return len(items)


def _warc_bytes() -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=False)
    body = b"<html><body><p>The harbour board approved the plan on Wednesday.</p></body></html>"
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    record = writer.create_warc_record(
        "https://example.org/a",
        "response",
        payload=io.BytesIO(body),
        length=len(body),
        http_headers=headers,
    )
    writer.write_record(record)
    return out.getvalue()


def _parquet_bytes() -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    out = io.BytesIO()
    table = pa.Table.from_pylist([{"id": "a", "text": "The harbour board approved the plan."}])
    pq.write_table(table, out)
    return out.getvalue()


def seed_inputs() -> list[bytes]:
    """Small valid files of every format, as fuzz inputs (selector byte + content)."""
    prose = "The harbour board approved the plan on Wednesday after a long debate.\n"
    record = {"id": "a", "text": prose, "title": "Harbour", "date": "2024-05-01"}
    by_suffix = {
        ".txt": ("Title: Harbour\nDate: 2024-05-01\n\n" + prose).encode(),
        ".html": f"<html><head><title>H</title></head><body><p>{prose}</p></body></html>".encode(),
        ".jsonl": (json.dumps(record) + "\n" + json.dumps({"id": "b"}) + "\n{bad\n").encode(),
        ".csv": f'id,text\na,"{prose}"\nb,"two, ""quoted"""\n'.encode(),
        ".tsv": f"id\ttext\na\t{prose}".encode(),
        ".parquet": _parquet_bytes(),
        ".warc": _warc_bytes(),
        ".bin": "\ufeffSome text in UTF-16.".encode("utf-16"),
    }
    seeds = []
    for index, suffix in enumerate(EXTENSIONS):
        seeds.append(bytes([index]) + by_suffix[suffix])
        seeds.append(bytes([index | GZIP_FLAG]) + by_suffix[suffix])
    return seeds


def write_seeds(folder: Path) -> None:
    """Write :func:`seed_inputs` into ``folder`` (the fuzzer's starting corpus)."""
    folder.mkdir(parents=True, exist_ok=True)
    for n, seed in enumerate(seed_inputs()):
        (folder / f"seed-{n:02d}").write_bytes(seed)


def main() -> None:
    """Run atheris (libFuzzer flags and corpus folders on the command line)."""
    if len(sys.argv) == 3 and sys.argv[1] == "--seeds":
        write_seeds(Path(sys.argv[2]))
        return
    import atheris

    with atheris.instrument_imports(include=["wiretrace"]):
        import wiretrace.read.decode  # noqa: F401
        import wiretrace.read.records  # noqa: F401
        import wiretrace.read.sources  # noqa: F401
        import wiretrace.read.warc  # noqa: F401

    folder = tempfile.mkdtemp(prefix="wiretrace-fuzz-")

    def one_input(data: bytes) -> None:
        check_one(data, folder)

    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
