"""HTML pages to article text and metadata, guarded against pathological pages."""

from __future__ import annotations

import contextlib
import time

import pytest

from wiretrace.errors import InputError
from wiretrace.extract.html import extract_html

# How long a stubbed extractor works before it would return: a time limit of 0.2 s must
# break it off well before (however busy the machine, the limit strikes first).
EXTRACTOR_S = 5

PAGE_CHROME = [
    "We use cookies",  # cookie banner
    "Accept all",
    "Independent news from the Veldran coast",  # header tagline
    "Subscribe from 1 crown a week",
    "Podcasts",  # main navigation
    "Newsletters",
    "Switch your business energy",  # in-article advertisement
    "Dream kitchens at warehouse prices",  # sidebar advertisement
    "Most read",  # sidebar
    "New spring ferry timetable",
    "The day's essential stories in your inbox",  # newsletter box
    "Topics:",
]


@pytest.fixture(scope="module")
def example_page(examples):
    html = (examples / "wire_original_page.html").read_text(encoding="utf-8")
    return html, extract_html(html, "wire_original_page.html", timeout_s=30)


def test_example_page_metadata(example_page):
    _, page = example_page
    assert page.title == "Port Callow votes for $2.4bn terminal expansion despite union fears"
    assert page.date is not None
    assert page.date.startswith("2026-03-04")
    assert page.author == "Ines Calloway-Roth"
    assert page.sitename == "The Veldra Ledger"


def test_example_page_article_text_without_page_chrome(example_page):
    html, page = example_page
    assert page.text.startswith("PORT CALLOW, March 4 (Meridian Press) - Port Callow's Harbour")
    assert "retraining programme" in page.text
    assert "environmental assessment" in page.text
    assert "(Reporting by Ines Calloway-Roth; Editing by Peter Adeyemi)" in page.text
    for chrome in PAGE_CHROME:
        assert chrome in html  # the test means something only if the page has it
        assert chrome not in page.text, chrome
    assert "footer" not in page.text.lower()


def test_deeply_nested_page_is_rejected_quickly():
    html = "<html><body>" + "<div>" * 100_000 + "<p>Deep text.</p>" + "</div>" * 100_000
    # Refused by the depth check ("nested deeper"), not by the time limit ("longer than").
    with pytest.raises(InputError, match="nested deeper"):
        extract_html(html + "</body></html>", "deep.html", timeout_s=30)


def test_nesting_of_an_ordinary_page_is_fine():
    html = "<html><body>" + "<div>" * 100 + "<p>" + "The board approved the plan. " * 30
    html += "</p>" + "</div>" * 100 + "</body></html>"
    page = extract_html(html, "ok.html", timeout_s=30)
    assert "The board approved the plan." in page.text


def test_void_elements_do_not_count_as_nesting():
    body = "<p>The board approved the plan on Wednesday.<br><img src='x.png'></p>" * 1500
    page = extract_html(f"<html><body><article>{body}</article></body></html>", "v.html", 30)
    assert "The board approved the plan" in page.text


def test_a_page_without_article_text_is_an_input_error():
    with pytest.raises(InputError, match="no article text"):
        extract_html("<html><head><title>Empty</title></head><body></body></html>", "e.html", 30)


def test_garbage_is_an_input_error_not_a_crash():
    with pytest.raises(InputError):
        extract_html("<<<>>>&&&;;;" * 10, "garbage.html", 30)


def test_extraction_over_the_time_limit_is_an_input_error(monkeypatch):
    import trafilatura

    def slow(*args, **kwargs):
        time.sleep(EXTRACTOR_S)

    monkeypatch.setattr(trafilatura, "bare_extraction", slow)
    started = time.monotonic()
    with pytest.raises(InputError, match="longer than"):
        extract_html("<html><body><p>text</p></body></html>", "slow.html", timeout_s=0.2)
    assert time.monotonic() - started < EXTRACTOR_S  # broken off, not waited for


def test_the_time_limit_holds_when_the_extractor_swallows_exceptions(monkeypatch):
    # trafilatura wraps some of its steps in "except Exception", which must not be able to
    # catch the time limit and carry on as if nothing happened.
    import trafilatura

    def swallowing(*args, **kwargs):
        deadline = time.monotonic() + EXTRACTOR_S
        while time.monotonic() < deadline:
            with contextlib.suppress(Exception):  # what the extractor does
                time.sleep(0.01)
        return {"text": "Some article text that was found after all, much too late."}

    monkeypatch.setattr(trafilatura, "bare_extraction", swallowing)
    started = time.monotonic()
    with pytest.raises(InputError, match="longer than"):
        extract_html("<html><body><p>text</p></body></html>", "slow.html", timeout_s=0.2)
    assert time.monotonic() - started < EXTRACTOR_S  # broken off, not waited for


PROSE = (
    "<p>" + "The harbour board said traffic through the port grew again last year. " * 6 + "</p>"
)


def page(head: str = "", body: str = PROSE) -> str:
    return (
        f"<html><head><title>Port plan</title>{head}</head><body><article>"
        f"<h1>Port plan approved</h1>{body}</article></body></html>"
    )


def test_example_page_date_is_iso_utc_with_its_time(example_page):
    _, found = example_page
    assert found.date == "2026-03-04T13:15:00Z"


@pytest.mark.parametrize(
    "sentence",
    [
        "The board has run the port since 2019 and traffic grew in March 2019.",
        "The plan was first announced on 2019-05-01 by the board.",
    ],
)
def test_no_date_is_read_from_the_article_prose(sentence):
    found = extract_html(page(body=PROSE + f"<p>{sentence}</p>"), "p.html", 30)
    assert sentence.split()[-1] in found.text
    assert found.date is None


@pytest.mark.parametrize(
    ("content", "date"),
    [
        ("2026-03-04T21:12:00-05:00", "2026-03-05T02:12:00Z"),
        ("March 4, 2026 9:12 PM EST", "2026-03-05T02:12:00Z"),
        ("1677067200", "2023-02-22T12:00:00Z"),
        ("2026-03-04", "2026-03-04"),
    ],
)
def test_published_time_in_the_markup_is_read(content, date):
    meta = f'<meta property="article:published_time" content="{content}">'
    assert extract_html(page(head=meta), "p.html", 30).date == date


def test_a_time_element_of_the_article_dates_it():
    body = '<p class="byline"><time datetime="2026-03-04T09:12:00Z">4 March</time></p>' + PROSE
    assert extract_html(page(body=body), "p.html", 30).date == "2026-03-04T09:12:00Z"
