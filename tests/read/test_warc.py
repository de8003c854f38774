"""WARC and WARC.gz crawls: HTML responses become input units; truncation is a rejection."""

from __future__ import annotations

import io

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from wiretrace.model import RawRecord, Rejection
from wiretrace.read import ReadOptions, scan_inputs

PAGE = (
    "<!DOCTYPE html><html><head><title>Page {n}</title></head><body><article>"
    "<h1>Harbour story {n}</h1>"
    + "<p>The harbour board approved the plan on Wednesday after a long debate, "
    "officials said, adding that work would begin in September. Paragraph {n}.</p>" * 8
    + "</article></body></html>"
)


def _write_warc(path, *, gzip: bool, num_pages: int = 3, with_image: bool = False) -> None:
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
                f"https://example.org/story/{n}", "response", payload=io.BytesIO(body),
                length=len(body), http_headers=headers,
            )
            writer.write_record(record)
            if with_image and n == 0:
                image = StatusAndHeaders("200 OK", [("Content-Type", "image/png")],
                                         protocol="HTTP/1.1")
                png = b"\x89PNG\r\n\x1a\n" + bytes(200)
                writer.write_record(writer.create_warc_record(
                    "https://example.org/logo.png", "response", payload=io.BytesIO(png),
                    length=len(png), http_headers=image,
                ))


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


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
@pytest.mark.parametrize("keep", [0.55, 0.8, 0.97])
def test_truncated_warc_keeps_earlier_records_and_rejects_the_cut(tmp_path, name, keep):
    full = tmp_path / f"full-{name}"
    _write_warc(full, gzip=name.endswith(".gz"), num_pages=4)
    data = full.read_bytes()
    path = tmp_path / name
    path.write_bytes(data[: int(len(data) * keep)])
    items = list(scan_inputs([str(path)]))
    records = [i for i in items if isinstance(i, RawRecord)]
    rejections = [i for i in items if isinstance(i, Rejection)]
    assert len(rejections) == 1, items
    assert items[-1] is rejections[0]
    assert "truncated" in rejections[0].reason
    assert 1 <= len(records) < 4
    # Every record handed on is a complete page; the cut one is the rejection.
    assert all(r.text.endswith("</html>") for r in records)
    assert [r.url for r in records] == [f"https://example.org/story/{n}"
                                        for n in range(len(records))]


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


def test_not_a_warc_is_rejected(tmp_path):
    path = tmp_path / "fake.warc"
    path.write_text("this is not a web archive\n" * 10)
    items = list(scan_inputs([str(path)]))
    assert len(items) == 1
    assert isinstance(items[0], Rejection)
