"""Building one document: the time limit on cleaning and segmenting."""

from __future__ import annotations

import json
import time

import pytest

from wiretrace.engines.ingest import ingest
from wiretrace.errors import InputError
from wiretrace.extract import document
from wiretrace.extract.document import ExtractOptions, build_document
from wiretrace.model import RawRecord
from wiretrace.store import open_store

ARTICLE = (
    "The harbour board approved the plan on Wednesday after a long debate. Officials said "
    "the work would start in September and take three years."
)


def _never_ending(text: str, language: str) -> tuple:
    while True:
        time.sleep(0.01)


def test_segmenting_over_the_time_limit_is_an_input_error(monkeypatch):
    monkeypatch.setattr(document, "split_sentences", _never_ending)
    raw = RawRecord(unit="slow.txt", source_path="slow.txt", text=ARTICLE)
    with pytest.raises(InputError, match="slow.txt: cleaning and segmenting the text took"):
        build_document(raw, "slow", ExtractOptions(text_timeout_s=0.2))


def test_a_record_over_the_time_limit_is_rejected_and_the_rest_stored(monkeypatch, tmp_path):
    # The first document loads the language model: not what this test times.
    build_document(RawRecord(unit="warm.txt", source_path="warm.txt", text=ARTICLE), "warm")
    real = document.split_sentences

    def slow_on_one(text: str, language: str) -> tuple:
        if "hangs" in text:
            _never_ending(text, language)
        return real(text, language)

    monkeypatch.setattr(document, "split_sentences", slow_on_one)
    path = tmp_path / "in.jsonl"
    texts = {"a": ARTICLE, "b": ARTICLE + " This one hangs.", "c": ARTICLE + " Again."}
    lines = [json.dumps({"id": doc_id, "text": text}) for doc_id, text in texts.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with open_store(tmp_path / "s.sqlite") as store:
        summary = ingest(
            store, [str(path)], extract_options=ExtractOptions(text_timeout_s=1.0), workers=1
        )
        assert (summary.stored, summary.rejected) == (2, 1), summary.reasons
        (rejected,) = [r for r in store.ledger() if r["status"] == "rejected"]
    assert rejected["unit"].endswith("#L2")
    assert "took longer than 1 s" in rejected["reason"]


HEADLINE = "Port board approves terminal plan"


def test_a_plain_text_file_takes_its_headline_as_title_and_keeps_it_in_the_text():
    original = f"{HEADLINE}\n\n{ARTICLE}\n"
    doc = build_document(RawRecord(unit="a.txt", source_path="a.txt", text=original), "a")
    assert doc.title == HEADLINE
    assert doc.text.startswith(HEADLINE)
    # The title is metadata, not a removal: the clean text still maps back exactly.
    assert not doc.removed
    for clean_start, original_start, length in doc.kept:
        assert (
            doc.text[clean_start : clean_start + length]
            == (doc.original[original_start : original_start + length])
        )
    assert doc.original[doc.kept[0][1] :].startswith(HEADLINE)


def test_a_header_title_wins_over_the_first_line():
    original = f"Title: The real title\n\n{HEADLINE}\n\n{ARTICLE}\n"
    doc = build_document(RawRecord(unit="a.txt", source_path="a.txt", text=original), "a")
    assert doc.title == "The real title"


def test_a_record_of_a_jsonl_file_does_not_guess_a_title():
    raw = RawRecord(unit="in.jsonl#L1", source_path="in.jsonl", text=f"{HEADLINE}\n\n{ARTICLE}")
    assert build_document(raw, "r").title is None


@pytest.mark.parametrize(
    ("date", "stored"),
    [
        ("26-FEB-1987 15:01:01.79", "1987-02-26T15:01:01.790Z"),
        ("March 4, 2026 9:12 PM EST", "2026-03-05T02:12:00Z"),
        ("4 mars 2026", "2026-03-04"),
        ("1987-02-26", "1987-02-26"),
        ("since 2019", None),
    ],
)
def test_stored_dates_are_iso_utc(date, stored):
    raw = RawRecord(unit="in.jsonl#L1", source_path="in.jsonl", text=ARTICLE, date=date)
    assert build_document(raw, "r").date == stored


def test_an_unreadable_record_date_gives_way_to_the_header_date():
    original = f"Date: 2026-03-04T09:12:00Z\n\n{ARTICLE}\n"
    raw = RawRecord(unit="a.txt", source_path="a.txt", text=original, date="soon")
    assert build_document(raw, "a").date == "2026-03-04T09:12:00Z"
