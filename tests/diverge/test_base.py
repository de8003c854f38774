"""The per-document and per-sentence facts the divergence checks share, read once."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from tests.diverge.pairs import SHARED, doc
from wiretrace.diverge.base import side_of, span_tokens
from wiretrace.diverge.versions import _LOWER_WORD, lower_words
from wiretrace.segment import normalize_token, tokenize


def test_a_document_changed_under_the_same_id_gets_its_own_side() -> None:
    first = doc("a", SHARED, "Mayor Ilse Brandvik opened the new pier on Tuesday.")
    assert "brandvik" in side_of(first).name_keys
    second = replace(first, text=first.text.replace("Brandvik", "Osterholm"))
    assert side_of(second).doc is second
    assert "osterholm" in side_of(second).name_keys
    assert "brandvik" not in side_of(second).name_keys
    retitled = replace(first, title="Pier opens")
    assert side_of(retitled).doc.title == "Pier opens"


def test_an_equal_document_read_again_gets_an_equal_side() -> None:
    first = doc("a", SHARED, "The board approved 3 new ferries.")
    again = doc("a", SHARED, "The board approved 3 new ferries.")
    assert first is not again and side_of(first) == side_of(again)


_TEXT = st.text(
    alphabet=st.sampled_from(list("abcXYZ .,'-’0123456789\n\"é")), min_size=0, max_size=80
)


@given(_TEXT, st.integers(0, 90), st.integers(0, 90))
def test_span_tokens_are_the_tokens_of_the_span(text: str, start: int, end: int) -> None:
    assert list(span_tokens(text, start, end)) == tokenize(text, start, end)
    assert list(span_tokens(text, start, end)) == tokenize(text, start, end)  # kept copy


@given(_TEXT)
def test_lower_words_are_the_normalized_lower_case_words(text: str) -> None:
    assert lower_words(text) == {normalize_token(w) for w in _LOWER_WORD.findall(text)}
