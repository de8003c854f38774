"""Offsets of the clean text map back to the original it was cut from."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from wiretrace.extract import OffsetMap, clean_text

WORDS = st.sampled_from(
    [
        "the",
        "harbour",
        "board",
        "approved",
        "a",
        "plan",
        "on",
        "Wednesday",
        "Putin",
        "said",
        "China's",
        "top",
        "diplomat",
        "U.S.",
        "$2.4",
        "billion",
        "«new",
        "frontiers»",
        "café",
        "—",
        "(Reuters)",
        "1,800",
        "of",
        "in",
        "Moscow",
        "talks",
        "“We",
        "agreed”",
        "port",
    ]
)
END = st.sampled_from([".", ".", ".", "!", "?", '."', ".”"])

# Lines a web page adds around an article; each is a reason for cleaning to remove a line.
CHROME = st.sampled_from(
    [
        "0",
        "177",
        "2.1K",
        "Share",
        "Tweet",
        "Email",
        "Share | Tweet | Email",
        "Print",
        "Sponsored Content",
        "Advertisement",
        "Read more: Port strike ends after 11 days",
        "Related: Harbour news",
        "Home › Business › Shipping",
        "Download our app for alerts",
        "Subscribe to our newsletter",
        "Celebrate our next chapter",
        "Skip to main content",
        "ArrowArtboardCreated with Sketch.Title ChevronTitle ChevronIcon FacebookIcon",
        "(Reporting by Jane Doe; Editing by John Roe)",
        "By Jane Doe",
        "Photo: Getty Images",
        "© Reuters",
        "Back to top",
        "Find out more",
    ]
)


@st.composite
def sentence(draw) -> str:
    words = draw(st.lists(WORDS, min_size=6, max_size=16))
    first = words[0]
    words[0] = first[:1].upper() + first[1:]
    return " ".join(words) + draw(END)


@st.composite
def prose(draw) -> str:
    """Article-like prose: paragraphs of full sentences, separated by (blank) lines."""
    paragraphs = [
        " ".join(draw(st.lists(sentence(), min_size=1, max_size=3)))
        for _ in range(draw(st.integers(1, 4)))
    ]
    separator = draw(st.sampled_from(["\n", "\n\n", "\r\n\r\n"]))
    return separator.join(paragraphs) + draw(st.sampled_from(["", "\n"]))


@st.composite
def page_text(draw) -> str:
    """Prose with page chrome, stray text and odd line breaks mixed in."""
    lines = draw(
        st.lists(
            st.one_of(
                sentence(),
                CHROME,
                st.just(""),
                st.text(max_size=40).map(lambda t: t.replace("\r", "").replace("\n", " ")),
            ),
            min_size=1,
            max_size=20,
        )
    )
    breaks = st.sampled_from(["\n", "\n", "\r\n", "\n\n"])
    return "".join(line + draw(breaks) for line in lines)[: draw(st.integers(0, 5000))]


ORIGINALS = st.one_of(prose(), page_text(), st.text(max_size=300))


@given(ORIGINALS)
def test_kept_stretches_and_removed_spans_partition_the_original(original):
    cleaned = clean_text(original)
    kept = cleaned.offset_map.kept
    # The clean text is the kept stretches, in order, end to end.
    assert cleaned.text == "".join(original[o : o + n] for _, o, n in kept)
    clean_pos = original_pos = 0
    for c, o, n in kept:
        assert (c, n > 0) == (clean_pos, True)
        assert o >= original_pos
        clean_pos, original_pos = c + n, o + n
    # Each original character is kept or removed (on record with its text), never both.
    covered = [False] * len(original)
    for _, o, n in kept:
        covered[o : o + n] = [True] * n
    for span in cleaned.removed:
        assert 0 <= span.start <= span.end <= len(original)
        assert span.text == original[span.start : span.end]
        assert not any(covered[span.start : span.end]), "a removed character is also kept"
    for span in cleaned.removed:
        covered[span.start : span.end] = [True] * (span.end - span.start)
    assert all(covered)
    # Clean offsets map to increasing original offsets.
    mapped = [cleaned.offset_map.to_original(i) for i in range(len(cleaned.text))]
    assert all(a < b for a, b in itertools.pairwise(mapped))


@given(ORIGINALS, st.data())
def test_a_span_inside_one_kept_stretch_maps_to_the_same_text(original, data):
    cleaned = clean_text(original)
    kept = cleaned.offset_map.kept
    if not kept:
        return
    c, _, n = data.draw(st.sampled_from(kept))
    start = data.draw(st.integers(c, c + n))
    end = data.draw(st.integers(start, c + n))
    a, b = cleaned.offset_map.span_to_original(start, end)
    assert cleaned.text[start:end] == original[a:b]


@given(ORIGINALS, st.data())
def test_any_span_maps_to_an_original_span_holding_every_kept_character(original, data):
    cleaned = clean_text(original)
    text, offset_map = cleaned.text, cleaned.offset_map
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    a, b = offset_map.span_to_original(start, end)
    assert 0 <= a <= b <= len(original)
    for i in range(start, end):
        j = offset_map.to_original(i)
        assert a <= j < b
        assert original[j] == text[i]
    if end > start:
        # Tight: the mapped span starts and ends on kept characters.
        assert a == offset_map.to_original(start)
        assert b == offset_map.to_original(end - 1) + 1


@given(prose())
def test_ordinary_prose_loses_nothing(text):
    cleaned = clean_text(text)
    assert cleaned.removed == ()
    assert cleaned.text == text


@given(st.one_of(prose(), page_text()))
def test_cleaning_the_clean_text_of_prose_and_chrome_removes_nothing_more(original):
    once = clean_text(original)
    twice = clean_text(once.text)
    assert twice.text == once.text
    assert twice.removed == ()


def test_offset_map_examples():
    # original "ab--cd" with "--" removed: clean "abcd"
    offset_map = OffsetMap.from_kept_ranges([(0, 2), (4, 6)])
    assert offset_map.kept == ((0, 0, 2), (2, 4, 2))
    assert [offset_map.to_original(i) for i in range(4)] == [0, 1, 4, 5]
    assert offset_map.to_original(4) == 6
    # An end on the seam stays before the removed text; a start after it.
    assert offset_map.span_to_original(0, 2) == (0, 2)
    assert offset_map.span_to_original(2, 4) == (4, 6)
    assert offset_map.span_to_original(1, 3) == (1, 5)
    assert offset_map.span_to_original(2, 2) == (4, 4)


def test_empty_ranges_are_dropped_and_an_empty_map_is_the_identity():
    assert OffsetMap.from_kept_ranges([(3, 3), (5, 9)]).kept == ((0, 5, 4),)
    identity = OffsetMap(())
    assert identity.to_original(7) == 7
    assert identity.span_to_original(2, 5) == (2, 5)
