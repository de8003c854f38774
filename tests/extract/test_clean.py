"""Cleaning plain article text: page chrome out (and on record), article text kept."""

from __future__ import annotations

import json
from bisect import bisect_right

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from wiretrace.extract import clean as clean_module
from wiretrace.extract import clean_text
from wiretrace.model import RemovedKind

BODY = (
    "MOSCOW (Reuters) - President Vladimir Putin said on Wednesday that China's Xi Jinping "
    "would visit Russia, saying relations had reached new frontiers.\n\n"
    "Putin welcomed China's top diplomat, Wang Yi, to the Kremlin, telling him bilateral "
    "trade was better than expected.\n"
)


def _removed(cleaned, kind):
    return [r.text.strip() for r in cleaned.removed if r.kind == kind]


def _lines(text):
    return [line.strip() for line in text.splitlines()]


def test_prose_is_kept_whole():
    cleaned = clean_text(BODY)
    assert cleaned.text == BODY
    assert cleaned.removed == ()


def test_share_counters_are_removed_as_counters():
    cleaned = clean_text("Putin urges Xi to visit\n\n0\n177\n2.1K\n\n" + BODY)
    assert _removed(cleaned, RemovedKind.COUNTER) == ["0", "177", "2.1K"]
    assert not {"0", "177", "2.1K"} & set(_lines(cleaned.text))
    assert cleaned.text.startswith("Putin urges Xi to visit\n")


def test_a_figure_wrapped_onto_a_line_of_its_own_is_kept():
    # Wire copy wraps lines wherever the width runs out; the year or the day of a date can
    # land alone on the next line (Reuters-21578 has hundreds).
    text = (
        "The harbour board said that had not happened since August\n"
        "1984.\n"
        "    The dividend is payable to holders of record March\n"
        "12.\n"
    )
    cleaned = clean_text(text)
    assert cleaned.text == text
    assert cleaned.removed == ()


def test_share_counters_right_under_a_headline_are_removed():
    # Extracted web text often has no blank line between a headline and its counters.
    cleaned = clean_text("Putin urges Xi to visit\n0\n177\n2.1K\n" + BODY)
    assert _removed(cleaned, RemovedKind.COUNTER) == ["0", "177", "2.1K"]


def test_numbers_inside_prose_are_not_counters():
    text = "Trade could reach $200 billion, up from 177 billion in 2022, officials said.\n"
    assert clean_text(text).text == text


def test_social_buttons_and_glued_icon_labels_are_chrome():
    chrome = [
        "Share",
        "Tweet | Email | Print",
        "ArrowArtboardCreated with Sketch.Title ChevronTitle ChevronIcon FacebookIcon Print",
    ]
    cleaned = clean_text("\n".join(chrome) + "\n" + BODY)
    assert _removed(cleaned, RemovedKind.CHROME) == chrome
    assert cleaned.text == BODY


def test_sponsored_block_is_removed_up_to_the_next_paragraph():
    text = (
        BODY
        + "\nSponsored Content\n"
        + "Retire by the sea: five coastal towns where rents are still low\n"
        + "  • Take your reading anywhere with offline reading functions\n"
        + "\nThe authority said it would publish the full assessment before the end of "
        "March, officials told reporters at the harbour on Wednesday evening in a statement.\n"
    )
    cleaned = clean_text(text)
    (block,) = _removed(cleaned, RemovedKind.SPONSORED)
    assert block.startswith("Sponsored Content")
    assert "Retire by the sea" in block
    assert "offline reading" in block
    assert "Retire by the sea" not in cleaned.text
    assert "The authority said it would publish" in cleaned.text


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Read more: Port Callow ferry strike ends after 11 days", RemovedKind.NAVIGATION),
        ("Related: Harbour news", RemovedKind.NAVIGATION),
        ("Home › Business › Shipping", RemovedKind.NAVIGATION),
        ("Skip to main content", RemovedKind.NAVIGATION),
        ("Download our app for breaking news alerts", RemovedKind.PROMO),
        ("Subscribe to our newsletter", RemovedKind.PROMO),
        ("Celebrate our next chapter", RemovedKind.PROMO),
        ("© Reuters", RemovedKind.CAPTION),
        ("Photo: Jane Doe/Getty Images", RemovedKind.CAPTION),
        ("(Reporting by Jane Doe; Editing by John Roe)", RemovedKind.CREDIT),
    ],
)
def test_furniture_lines_are_removed_with_their_kind(line, kind):
    cleaned = clean_text(BODY + line + "\n")
    assert _removed(cleaned, kind) == [line]
    assert line not in cleaned.text
    assert cleaned.text == BODY


def test_mojibake_accents_are_not_copyright_signs():
    # "é" written as UTF-8 and read as cp1252 is "Ã©": the "©" there marks no caption.
    line = "Le café était très bon, a déclaré la propriétaire du port mercredi.\n"
    garbled = line.encode("utf-8").decode("cp1252")
    assert "Ã©" in garbled
    cleaned = clean_text(garbled)
    assert cleaned.removed == ()
    assert cleaned.text == garbled


def test_removed_spans_are_sorted_and_hold_the_original_text():
    original = "Share\n" + BODY + "0\n" + "Read more: Other story\n"
    cleaned = clean_text(original)
    starts = [r.start for r in cleaned.removed]
    assert starts == sorted(starts)
    for span in cleaned.removed:
        assert original[span.start : span.end] == span.text


def test_header_block_is_read_and_removed_only_when_asked():
    header = "Title: Port plan\nDate: 2026-03-04T09:12:00Z\nSource: Ledger\nAuthor: Jane Doe\n\n"
    cleaned = clean_text(header + BODY, parse_header=True)
    assert cleaned.header == {
        "title": "Port plan",
        "date": "2026-03-04T09:12:00Z",
        "source": "Ledger",
        "author": "Jane Doe",
    }
    assert cleaned.text == BODY
    assert cleaned.removed[0].kind == RemovedKind.METADATA
    assert clean_text(header + BODY).header == {}


def test_an_unknown_key_means_no_header():
    text = "Note: this is prose\n\n" + BODY
    cleaned = clean_text(text, parse_header=True)
    assert cleaned.header == {}
    assert cleaned.text == text


def test_trailing_agency_word_is_a_credit_and_leaves_the_sentence():
    cleaned = clean_text("Russia has sold Asian powers greater volumes of oil. REUTERS")
    assert cleaned.text == "Russia has sold Asian powers greater volumes of oil."
    assert _removed(cleaned, RemovedKind.CREDIT) == ["REUTERS"]
    assert cleaned.credits == ("Reuters",)


def test_byline_line_is_removed_and_named():
    cleaned = clean_text("By Jane Doe and John Roe\n" + BODY)
    assert cleaned.byline == "Jane Doe and John Roe"
    assert _removed(cleaned, RemovedKind.BYLINE) == ["By Jane Doe and John Roe"]
    assert cleaned.text == BODY


def test_iso_date_near_the_start_is_found():
    assert clean_text(" date 2023-02-22 MOSCOW - Talks went on.").date_in_text == "2023-02-22"
    assert clean_text(BODY).date_in_text is None


@pytest.mark.parametrize("text", ["", "\n", "   \n\n", "0\n"])
def test_degenerate_texts(text):
    cleaned = clean_text(text)
    assert cleaned.text.strip() == ""


def test_crlf_line_endings():
    original = "Share\r\n" + BODY.replace("\n", "\r\n") + "0\r\n"
    cleaned = clean_text(original)
    assert cleaned.text == BODY.replace("\n", "\r\n")


def test_every_listed_boilerplate_line_of_the_examples_is_removed(examples):
    expected = json.loads((examples.parent / "expected.json").read_text(encoding="utf-8"))
    assert expected["boilerplate"]
    for doc_id, lines in expected["boilerplate"].items():
        original = (examples / f"{doc_id}.txt").read_text(encoding="utf-8")
        cleaned = clean_text(original, parse_header=True)
        removed = {line.strip() for r in cleaned.removed for line in r.text.splitlines()}
        kept = set(_lines(cleaned.text))
        for line in lines:
            assert line in removed, (doc_id, line)
            assert line not in kept, (doc_id, line)


# -- the cheap line filter against the whole-text passes it replaced --------------------

# Pieces of lines that reach every branch of the filter: furniture words at a line start
# (after blanks or "("), letters that only match case-insensitively ("ı", "ſ", "K") or
# change length when lower-cased ("İ"), line breaks the pattern's "^" does not know ("\r",
# "\x0b", "\u2028"), triggers, glued words, short lines, and prose that makes lines long.
_LINE_PIECES = st.sampled_from(
    [
        "Share",
        "SHARES",
        "ſhare",
        "lıke",
        "Lınkedin",
        "x",
        "X ",
        "xylophone",
        "Ad",
        "ad:",
        "Adding",
        "advertisement",
        "Rédaction",
        "RÉDACTION",
        "redacción",
        "see also",
        "Read more:",
        "  ",
        "\t",
        "(",
        " ( ",
        "Reporting by Jane Doe",
        " the harbour board voted on the plan again",
        " the harbour board voted on the plan again",
        " said on Wednesday.",
        "photo",
        "©",
        " | ",
        " / ",
        "ChevronTitle ChevronIcon FacebookIcon",
        "İstanbul",
        "Kelvin",
        "1.2K",
        "Reuter",
        "\n",
        "\n",
        "\n",
        "\r\n",
        "\r",
        "\x0b",
        "\u2028",
    ]
)


def _reference_suspects(original: str, lines: list[tuple[int, int, str]]) -> set[int] | None:
    """The filter as it was: short lines, one multi-line pattern pass, substring finds."""
    lowered = original.lower()
    if len(lowered) != len(original):
        return None
    starts = [start for start, _, _ in lines]
    suspects = {
        i
        for i, (_, _, content) in enumerate(lines)
        if len(content.strip()) <= clean_module.SHORT_FURNITURE_CHARS
    }
    for match in clean_module._LINE_START_WORDS.finditer(original):
        suspects.add(bisect_right(starts, match.start()) - 1)
    for trigger in clean_module._TRIGGERS:
        found = lowered.find(trigger)
        while found != -1:
            suspects.add(bisect_right(starts, found) - 1)
            found = lowered.find(trigger, found + 1)
    glued: dict[int, int] = {}
    for match in clean_module._GLUED.finditer(original):
        line = bisect_right(starts, match.start()) - 1
        glued[line] = glued.get(line, 0) + 1
    suspects.update(line for line, count in glued.items() if count >= clean_module.MIN_GLUED_WORDS)
    return suspects


def _reference_lines(text: str) -> list[tuple[int, int, str]]:
    out = []
    pos = 0
    for line in text.splitlines(keepends=True):
        out.append((pos, pos + len(line), line.rstrip("\r\n")))
        pos += len(line)
    return out


@given(st.lists(_LINE_PIECES, max_size=30).map("".join))
@example("Share\nlıke this\r Like\n  (ſee also: x\n")
@example("ſhare the harbour board voted on the plan again\n")
@example(" ( Lınkedin the harbour board voted on the plan again\n")
@example("(Share the harbour board voted on the plan again\rAdding the harbour board voted")
@example("x\rShare the harbour board voted on the plan again\u2028Like the harbour board")
def test_line_filter_finds_the_lines_the_whole_text_passes_found(text):
    lines = clean_module._lines(text)
    assert lines == _reference_lines(text)
    assert clean_module._suspect_lines(text, lines) == _reference_suspects(text, lines)
