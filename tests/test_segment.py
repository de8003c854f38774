"""Segment: language, sentence spans with offsets, normalized tokens."""

from __future__ import annotations

import re
import string
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from wiretrace import segment as segment_module
from wiretrace.model import Span
from wiretrace.segment import (
    UNDETERMINED,
    detect_language,
    is_content,
    is_hard_wrapped,
    normalize_token,
    split_sentences,
    token_norms,
    tokenize,
)

# sentencex and the language model load lazily; the first example may take a second.
SLOW_FIRST_CALL = settings(deadline=None)

WORDS = st.sampled_from(
    [
        "the",
        "harbour",
        "board",
        "approved",
        "U.S.",
        "Putin",
        "said",
        "2.4",
        "1,800",
        "it's",
        "Dr.",
        "Mr.",
        "café",
        "naïve",
        "«",
        "»",
        "—",
        "(Reuters)",
        "e.g.",
        "No.",
        "$200",
        "14%",
    ]
)
PUNCT = st.sampled_from([".", "!", "?", ",", ";", ":", "...", '."', "?”"])


@st.composite
def prose(draw) -> str:
    """Prose-like text: words, sentence punctuation, spaces, line breaks and blank lines."""
    paragraphs = []
    for _ in range(draw(st.integers(1, 3))):
        sentences = []
        for _ in range(draw(st.integers(1, 3))):
            words = draw(st.lists(WORDS, min_size=1, max_size=10))
            sentences.append(" ".join(words) + draw(PUNCT))
        paragraphs.append(draw(st.sampled_from([" ", "  ", " \t"])).join(sentences))
    separators = st.sampled_from(["\n", "\n\n", "\n \n", "\r\n"])
    text = paragraphs[0]
    for para in paragraphs[1:]:
        text += draw(separators) + para
    return draw(st.sampled_from(["", " ", "\n"])) + text + draw(st.sampled_from(["", "\n", " "]))


def _check_sentence_spans(text: str, spans: tuple[Span, ...]) -> None:
    previous_end = 0
    for span in spans:
        assert isinstance(span, Span)
        assert 0 <= span.start < span.end <= len(text)
        assert span.start >= previous_end
        piece = text[span.start : span.end]
        assert piece == piece.strip()
        assert not re.search(r"\n[ \t]*\n", piece), "a blank line ends a sentence"
        previous_end = span.end


@SLOW_FIRST_CALL
@given(prose())
def test_sentence_spans_lie_in_the_text_sorted_disjoint_and_stripped(text):
    spans = split_sentences(text, "en")
    _check_sentence_spans(text, spans)
    # Every non-blank character belongs to some sentence.
    covered = set()
    for span in spans:
        covered.update(range(span.start, span.end))
    assert all(i in covered for i, ch in enumerate(text) if not ch.isspace())


@SLOW_FIRST_CALL
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300))
def test_sentence_spans_of_arbitrary_text(text):
    _check_sentence_spans(text, split_sentences(text, "en"))


def test_sentences_of_a_short_article():
    text = "MOSCOW (Reuters) - Putin met Wang. They spoke for an hour.\nHeadline without stop\n"
    spans = split_sentences(text, "en")
    assert [text[s.start : s.end] for s in spans] == [
        "MOSCOW (Reuters) - Putin met Wang.",
        "They spoke for an hour.",
        "Headline without stop",
    ]


def test_abbreviations_do_not_end_sentences():
    text = "The U.S. envoy met Mr. Wang on Monday. He left."
    spans = split_sentences(text, "en")
    assert [text[s.start : s.end] for s in spans] == [
        "The U.S. envoy met Mr. Wang on Monday.",
        "He left.",
    ]


def test_undetermined_language_splits_like_english():
    text = "One sentence here. Another one there."
    assert split_sentences(text, UNDETERMINED) == split_sentences(text, "en")


def test_empty_text_has_no_sentences():
    assert split_sentences("", "en") == ()
    assert split_sentences(" \n\n \t", "en") == ()


@given(st.text(max_size=30))
@example("'1,000")  # a number behind an apostrophe or dot
@example(".1,5")
def test_normalize_token_is_idempotent(raw):
    once = normalize_token(raw)
    assert normalize_token(once) == once


@given(st.sampled_from(["U.S.", "US", "u.s.", "U.S", "us"]))
def test_abbreviation_dots_and_case_do_not_matter(raw):
    assert normalize_token(raw) == normalize_token("US") == "us"


def test_normalization_examples():
    assert normalize_token("It’s") == normalize_token("it's") == "its"
    assert normalize_token("1,800") == "1800"
    assert normalize_token("2.4") == "2.4"
    assert normalize_token("Straße") == normalize_token("STRASSE")
    assert normalize_token("ﬁnance") == "finance"  # NFKC unfolds the ligature


def test_us_led_and_u_s_led_agree():
    a = [t.norm for t in tokenize("the U.S.-led alliance")]
    b = [t.norm for t in tokenize("the US-led alliance")]
    assert a == b


@given(st.text(max_size=200))
def test_token_offsets_slice_back_to_the_raw_token(text):
    previous_end = 0
    for token in tokenize(text):
        assert previous_end <= token.start < token.end <= len(text)
        assert normalize_token(text[token.start : token.end]) == token.norm
        assert token.norm
        previous_end = token.end


@given(st.one_of(prose(), st.text(max_size=200)), st.data())
def test_token_norms_are_the_norms_of_tokenize(text, data):
    start = data.draw(st.integers(0, len(text)))
    assert token_norms(text, start) == [t.norm for t in tokenize(text, start)]


@given(prose(), st.data())
def test_tokenize_a_range_matches_offsets_into_the_whole_text(text, data):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    for token in tokenize(text, start, end):
        assert start <= token.start < token.end <= end
        assert normalize_token(text[token.start : token.end]) == token.norm


def test_sentence_final_dot_is_not_part_of_a_word_token():
    tokens = tokenize("He met Wang. Prices rose 2.4.")
    assert [t.norm for t in tokens] == ["he", "met", "wang", "prices", "rose", "2.4"]
    assert [t.norm for t in tokenize("in the U.S.")][-1] == "us"


def test_is_content():
    assert is_content("harbour")
    assert is_content("2")
    assert not is_content("the")
    assert not is_content("x")


@SLOW_FIRST_CALL
@given(st.text(alphabet=string.whitespace + ".,!", max_size=20))
def test_language_of_text_without_words_is_undetermined(text):
    assert detect_language(text) == UNDETERMINED


def test_language_of_articles():
    english = "The harbour authority approved a $2.4 billion expansion of the container terminal."
    french = "L'autorité portuaire a approuvé mercredi une extension du terminal à conteneurs."
    german = "Die Stadtbibliothek öffnet nach zwei Jahren Umbau am Montag wieder ihre Türen."
    assert detect_language(english) == "en"
    assert detect_language(french) == "fr"
    assert detect_language(german) == "de"


def test_company_names_and_tickers_do_not_change_the_language_of_english_copy():
    # Read cased, the lite model calls both of these Spanish (0.80 and 0.77).
    appointment = (
        "Harwell Brothers, a unit of Atlantic Express Co <ATX>, said Robert Pell has joined "
        "the company as managing director of its merger department. Harwell said Pell "
        "formerly worked at a rival bank."
    )
    spinoff = (
        "Atlantic Express Co <ATX>, rumoured to be considering a spinoff of part of "
        "<Harwell Brothers Inc>, said it is studying ways to improve Harwell's access to capital."
    )
    assert detect_language(appointment) == "en"
    assert detect_language(spinoff) == "en"


# The old form of the hard-wrapped paragraph pattern, one character per repetition.
_REFERENCE_WRAPPED_PARAGRAPH = re.compile(r"(?:[^\n]|\n(?![ \t]*\n|[ \t]{2,}\S|\t))+")


@given(st.text(alphabet="ab .\n\t ", max_size=200))
@example("a\n  b\n\tc\n\nd\n \n")
def test_wrapped_paragraphs_are_the_matches_of_the_old_pattern(text):
    def spans(pattern: re.Pattern[str]) -> list[tuple[int, int]]:
        return [match.span() for match in pattern.finditer(text)]

    assert spans(segment_module._WRAPPED_PARAGRAPH) == spans(_REFERENCE_WRAPPED_PARAGRAPH)


@SLOW_FIRST_CALL
@given(st.text(min_size=3, max_size=300))
@example("HARWELL BROTHERS, A UNIT OF ATLANTIC EXPRESS CO <ATX>, SAID")
@example("İSTANBUL, MARCH 3 - 𝐀𝐁𝐂 THE HARBOUR BOARD VOTED")
def test_a_lowercased_sample_needs_no_normalizing_by_the_library(text):
    # The library's normalizing lower-cases mostly upper-case input: a lower-cased sample
    # reads the same without it, so the detector for it has it off.
    sample = segment_module.language_sample(text).lower()[:80]
    with_normalizing: Any = segment_module._language_model(normalize=True)
    without: Any = segment_module._language_model(normalize=False)
    assert without.detect(sample, model="lite", k=1) == with_normalizing.detect(
        sample, model="lite", k=1
    )


def test_a_wrapped_line_opening_with_a_bracket_goes_on_from_the_line_above():
    # Wire copy wrapped at a fixed width: the lead's subject and its abbreviation land on
    # two lines, and the splitter reads "(CCC)" at a line start as a list item (a roman
    # numeral) and ends the sentence before it.
    text = (
        "The Coastal Cargo Corporation\n"
        "(CCC) has accepted a bid on an export bonus to cover the sale\n"
        "of 8,000 tonnes of barley to the islands, the harbour board\n"
        "said on Monday in its weekly notice to the ferry operators.\n"
        "    The barley is for shipment in May and the bonus of 39.32\n"
        "dlrs per tonne was paid to the island cooperatives, the board\n"
        "said in a statement issued at the quay on Monday afternoon.\n"
    )
    assert is_hard_wrapped(text)
    first, second = (text[s.start : s.end] for s in split_sentences(text))
    assert first.startswith("The Coastal Cargo Corporation\n(CCC) has accepted")
    assert first.endswith("ferry operators.")
    assert second.startswith("The barley")
