"""Fuzzing every reader: random and mutated files never crash and are always accounted for.

Two fuzzers share one harness (``fuzz_readers.py`` beside this file): Hypothesis, with
random bytes and with valid files of every format that are cut and corrupted, and a short
coverage-guided atheris run with a fixed seed. The longer atheris run is a documented
command (README, "Guarantees and limits").
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fuzz_readers import GZIP_FLAG, check_one, seed_inputs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wiretrace.model import RawRecord, Rejection
from wiretrace.read import ReadOptions, scan_inputs
from wiretrace.read.decode import repair_mojibake

HARNESS = Path(__file__).with_name("fuzz_readers.py")
ATHERIS_RUNS = 1000
ATHERIS_SEED = 1
FUZZ_SETTINGS = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
PROPERTY_SETTINGS = settings(FUZZ_SETTINGS, max_examples=80)


@FUZZ_SETTINGS
@given(selector=st.integers(0, 255), content=st.binary(max_size=4096))
def test_random_files_of_every_format_are_accounted_for(tmp_path, selector, content):
    assert check_one(bytes([selector]) + content, str(tmp_path)) >= 1


@st.composite
def corrupted_seeds(draw) -> bytes:
    """A valid file of some format with bytes overwritten, then possibly cut short."""
    seed = bytearray(draw(st.sampled_from(seed_inputs())))
    for _ in range(draw(st.integers(0, 8))):
        position = draw(st.integers(1, len(seed) - 1))
        seed[position] = draw(st.integers(0, 255))
    cut = draw(st.integers(2, len(seed)))
    return bytes(seed[:cut])


@FUZZ_SETTINGS
@given(data=corrupted_seeds())
def test_cut_and_corrupted_files_of_every_format_are_accounted_for(tmp_path, data):
    assert check_one(data, str(tmp_path)) >= 1


def test_the_seeds_cover_every_format_plain_and_gzipped():
    selectors = {seed[0] for seed in seed_inputs()}
    assert len(selectors) == 16
    assert sum(1 for s in selectors if s & GZIP_FLAG) == 8


# -- properties of the record readers -------------------------------------------------------

TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\x85"),
    min_size=1,
    max_size=80,
).filter(lambda t: t.strip() == t and t)
LINE = st.one_of(
    st.builds(lambda i, t: ("record", json.dumps({"id": f"r{i}", "text": t})), st.integers(), TEXT),
    st.builds(
        lambda junk: ("bad", "{" + junk),
        st.text(max_size=20).filter(lambda j: "\n" not in j and "\r" not in j),
    ),
    st.just(("blank", "   ")),
)


@PROPERTY_SETTINGS
@given(lines=st.lists(LINE, min_size=1, max_size=30))
def test_every_jsonl_line_is_one_record_or_one_rejection(tmp_path, lines):
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(text for _, text in lines) + "\n", encoding="utf-8")
    items = list(scan_inputs([str(path)]))
    kinds = [kind for kind, _ in lines if kind != "blank"]
    if not kinds:
        assert len(items) == 1 and isinstance(items[0], Rejection)
        return
    assert len(items) == len(kinds)
    for kind, item in zip(kinds, items, strict=True):
        assert isinstance(item, RawRecord if kind == "record" else Rejection)
    records = [json.loads(text) for kind, text in lines if kind == "record"]
    read = [i for i in items if isinstance(i, RawRecord)]
    assert [i.text for i in read] == [repair_mojibake(r["text"]) for r in records]
    for item, record in zip(read, records, strict=True):
        assert bool(item.notes) == (item.text != record["text"])


@PROPERTY_SETTINGS
@given(
    rows=st.lists(
        st.tuples(
            TEXT.filter(lambda t: "\r" not in t),
            st.text(
                alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r"),
                max_size=300,
            ).filter(str.strip),
        ),
        min_size=1,
        max_size=20,
    )
)
def test_csv_rows_with_quotes_commas_and_newlines_round_trip(tmp_path, rows):
    import csv

    path = tmp_path / "in.csv"
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "text"])
        writer.writerows(rows)
    items = list(scan_inputs([str(path)]))
    assert len(items) == len(rows)
    for (_, text), item in zip(rows, items, strict=True):
        if isinstance(item, RawRecord):
            # Text round-trips, but for mojibake repair ("\x80" is cp1252's "€" read as
            # Latin-1), which is always noted.
            assert item.text == repair_mojibake(text)
            assert bool(item.notes) == (item.text != text)
        else:
            assert item.reason


def test_a_corrupted_warc_gz_keeps_the_pages_before_the_damage(tmp_path):
    import gzip

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = tmp_path / "crawl.warc.gz"
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        for n in range(4):
            body = f"<html><body><p>Page {n} about the harbour plan.</p></body></html>".encode()
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1"
            )
            writer.write_record(
                writer.create_warc_record(
                    f"https://example.org/{n}",
                    "response",
                    payload=__import__("io").BytesIO(body),
                    length=len(body),
                    http_headers=headers,
                )
            )
    data = bytearray(path.read_bytes())
    middle = len(data) * 5 // 8
    data[middle : middle + 16] = bytes(16)  # zeros in the middle of the third member
    path.write_bytes(bytes(data))
    items = list(scan_inputs([str(path)]))
    records = [i for i in items if isinstance(i, RawRecord)]
    rejections = [i for i in items if isinstance(i, Rejection)]
    assert 1 <= len(records) < 4
    assert rejections and all(r.reason for r in rejections)
    assert gzip  # the stdlib gzip is what the reader decompresses with


# -- the coverage-guided fuzzer ---------------------------------------------------------------


def _atheris_installed() -> bool:
    try:
        import atheris  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.mark.slow
def test_a_short_atheris_run_finds_no_crash(tmp_path):
    if not _atheris_installed():
        message = "atheris is not installed (pip install -e '.[dev]' installs it on Linux x86-64)"
        if os.environ.get("WIRETRACE_REQUIRE_SHARED") == "1":
            pytest.fail(message + "; CI installs it, so its absence is a failure there")
        pytest.skip(message)
    corpus = tmp_path / "corpus"
    subprocess.run([sys.executable, str(HARNESS), "--seeds", str(corpus)], check=True)
    done = subprocess.run(
        [
            sys.executable,
            str(HARNESS),
            str(corpus),
            f"-runs={ATHERIS_RUNS}",
            f"-seed={ATHERIS_SEED}",
            f"-artifact_prefix={tmp_path}/crash-",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    assert f"Done {ATHERIS_RUNS} runs" in done.stderr
    assert not list(tmp_path.glob("crash-*"))


def test_options_of_the_harness_are_smaller_than_the_defaults():
    from fuzz_readers import FUZZ_LIMIT_BYTES

    assert ReadOptions().max_record_bytes > FUZZ_LIMIT_BYTES
