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
