"""WARC and WARC.gz crawls: HTML responses become input units; truncation is a rejection."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from wiretrace.model import RawRecord, Rejection
from wiretrace.read import ReadOptions, scan_inputs

PAGE = (
    "<!DOCTYPE html><html><head><title>Page {n}</title></head><body><article>"
    "<h1>Harbour story {n}</h1>"
    + "<p>The harbour board approved the plan on Wednesday after a long debate, "
    "officials said, adding that work would begin in September. Paragraph {n}.</p>"
    * 8
    + "</article></body></html>"
)


def _write_warc(
    path, *, gzip: bool, num_pages: int = 3, with_image: bool = False
) -> list[tuple[int, int]]:
    """Write a crawl of ``num_pages`` pages; return where each page's record starts and ends."""
    page_records = []
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=gzip)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test"}))
        for n in range(num_pages):
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            body = PAGE.format(n=n).encode()
            # With a length, warcio digests the payload in place instead of spooling it
            # into a temporary file it never closes.
            record = writer.create_warc_record(
                f"https://example.org/story/{n}",
                "response",
                payload=io.BytesIO(body),
                length=len(body),
                http_headers=headers,
            )
            start = out.tell()
            writer.write_record(record)
            page_records.append((start, out.tell()))
            if with_image and n == 0:
                image = StatusAndHeaders(
                    "200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1"
                )
                png = b"\x89PNG\r\n\x1a\n" + bytes(200)
                writer.write_record(
                    writer.create_warc_record(
                        "https://example.org/logo.png",
                        "response",
                        payload=io.BytesIO(png),
                        length=len(png),
                        http_headers=image,
                    )
                )
    return page_records


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_html_responses_become_html_records(tmp_path, name):
    path = tmp_path / name
    _write_warc(path, gzip=name.endswith(".gz"))
    records = list(scan_inputs([str(path)]))
    assert [type(r) for r in records] == [RawRecord] * 3
    assert [r.unit for r in records] == [f"{path}#record={n}" for n in (1, 2, 3)]
    assert [r.url for r in records] == [f"https://example.org/story/{n}" for n in range(3)]
    assert all(r.is_html and r.date for r in records)
    assert "Harbour story 1" in records[1].text


def test_a_non_html_response_is_rejected_and_the_rest_read(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    _write_warc(path, gzip=True, with_image=True)
    items = list(scan_inputs([str(path)]))
    assert [type(i) for i in items] == [RawRecord, Rejection, RawRecord, RawRecord]
    assert "image/png" in items[1].reason


def test_a_page_over_the_html_limit_is_rejected(tmp_path):
    path = tmp_path / "crawl.warc"
    _write_warc(path, gzip=False, num_pages=1)
    (item,) = scan_inputs([str(path)], ReadOptions(max_html_bytes=100))
    assert isinstance(item, Rejection)
    assert "100 bytes" in item.reason


# Where in a page's record a cut falls, in bytes from its start (or from its end).
CUTS = {
    "in-first-header": lambda start, end: start + 15,  # "WARC/1.0\r\nWARC-"
    "in-headers": lambda start, end: start + 60,  # after "WARC-Type: response"
    "in-body": lambda start, end: (start + end) // 2,
    "near-end": lambda start, end: end - 30,
}


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
@pytest.mark.parametrize("cut_page", [1, 3])
@pytest.mark.parametrize("where", list(CUTS))
def test_truncated_warc_keeps_earlier_records_and_rejects_the_cut(tmp_path, name, cut_page, where):
    full = tmp_path / f"full-{name}"
    page_records = _write_warc(full, gzip=name.endswith(".gz"), num_pages=4)
    path = tmp_path / name
    path.write_bytes(full.read_bytes()[: CUTS[where](*page_records[cut_page])])
    items = list(scan_inputs([str(path)]))
    assert [type(i) for i in items] == [RawRecord] * cut_page + [Rejection]
    # Every record handed on is a complete page; the cut one is the rejection.
    assert all(r.text.endswith("</html>") for r in items[:-1])
    assert [r.url for r in items[:-1]] == [
        f"https://example.org/story/{n}" for n in range(cut_page)
    ]
    assert items[-1].unit == f"{path}#record={cut_page + 1}"
    assert "truncated" in items[-1].reason


def test_truncated_at_the_start_is_one_rejection(tmp_path):
    full = tmp_path / "full.warc.gz"
    _write_warc(full, gzip=True)
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(full.read_bytes()[:60])
    items = list(scan_inputs([str(path)]))
    assert len(items) == 1
    assert isinstance(items[0], Rejection)


def test_a_warc_without_pages_is_rejected(tmp_path):
    path = tmp_path / "info.warc"
    _write_warc(path, gzip=False, num_pages=0)
    items = list(scan_inputs([str(path)]))
    assert len(items) == 1
    assert isinstance(items[0], Rejection)


def test_trailing_blank_lines_are_not_a_truncation(tmp_path):
    path = tmp_path / "crawl.warc"
    _write_warc(path, gzip=False)
    path.write_bytes(path.read_bytes() + b"\r\n" * 5)
    assert [type(i) for i in scan_inputs([str(path)])] == [RawRecord] * 3


def test_not_a_warc_yields_only_rejections(tmp_path):
    path = tmp_path / "fake.warc"
    path.write_text("this is not a web archive\n" * 10)
    items = list(scan_inputs([str(path)]))
    assert items
    assert all(isinstance(i, Rejection) and i.reason for i in items)


@pytest.fixture(scope="module")
def crawls(tmp_path_factory):
    folder = tmp_path_factory.mktemp("crawls")
    out = {}
    for name in ["crawl.warc", "crawl.warc.gz"]:
        page_records = _write_warc(folder / name, gzip=name.endswith(".gz"), num_pages=3)
        out[name] = ((folder / name).read_bytes(), page_records)
    return out


# Bytes at the end of a record that hold no content: the record separator and, in a
# WARC.gz, the gzip trailer. A cut there may or may not cost the record.
RECORD_TAIL_BYTES = 16


@settings(max_examples=60, deadline=None)
@given(name=st.sampled_from(["crawl.warc", "crawl.warc.gz"]), cut=st.floats(0, 1))
def test_a_crawl_cut_anywhere_is_whole_pages_then_a_rejection(crawls, tmp_path_factory, name, cut):
    data, page_records = crawls[name]
    keep = int(len(data) * cut)
    path = tmp_path_factory.mktemp("cut") / name
    path.write_bytes(data[:keep])
    items = list(scan_inputs([str(path)]))  # never raises
    records = [i for i in items if isinstance(i, RawRecord)]
    rejections = [i for i in items if isinstance(i, Rejection)]
    # Whole pages, in order, none lost before the cut.
    assert [r.url for r in records] == [
        f"https://example.org/story/{n}" for n in range(len(records))
    ]
    assert all(r.text.endswith("</html>") for r in records)
    assert len(records) >= sum(1 for _, end in page_records if end <= keep)
    # At most one rejection, last, with a reason; there is one when a page is cut short.
    assert len(rejections) <= 1
    assert items == records + rejections
    assert all(r.reason for r in rejections)
    cuts_a_page = any(start < keep < end - RECORD_TAIL_BYTES for start, end in page_records)
    if cuts_a_page or keep == 0:
        assert len(rejections) == 1


def test_a_stray_byte_in_a_page_is_replaced_and_noted(tmp_path):
    path = tmp_path / "crawl.warc"
    body = PAGE.format(n=0).replace("debate", "débat").encode().replace(b"Paragraph", b"\xffP", 1)
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=False)
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                "https://example.org/story/0",
                "response",
                payload=io.BytesIO(body),
                length=len(body),
                http_headers=headers,
            )
        )
    (record,) = scan_inputs([str(path)])
    assert "débat" in record.text
    assert "\ufffdP" in record.text
    assert any("not UTF-8 replaced with U+FFFD" in note for note in record.notes)


def test_clean_pages_have_no_notes(tmp_path):
    path = tmp_path / "crawl.warc"
    _write_warc(path, gzip=False)
    assert all(record.notes == () for record in scan_inputs([str(path)]))
