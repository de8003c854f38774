"""The headline of a plain-text article without a header."""

from __future__ import annotations

import pytest

from wiretrace.extract.headline import MAX_HEADLINE_CHARS, headline_of

BODY = (
    "The harbour board approved the plan on Wednesday after a long debate. Officials said "
    "the work would start in September and take three years.\n"
)


@pytest.mark.parametrize(
    "text",
    [
        f"Port board approves terminal plan\n\n{BODY}",
        f"Port board approves terminal plan\n{BODY}",
        f"\n\n  Port board approves terminal plan  \n\n{BODY}",
        f"Port board approves terminal plan\r\n\r\n{BODY}",
    ],
    ids=["blank-line", "body-next", "leading-blanks", "crlf"],
)
def test_a_headline_line_is_the_title(text: str) -> None:
    assert headline_of(text) == "Port board approves terminal plan"


@pytest.mark.parametrize(
    "headline",
    [
        "Will the port expansion pay for itself?",
        "Opinion: The robots are coming to the docks",
        '"Not without hope": museum reels after clock theft',
        "BAHIA COCOA REVIEW",
        "Port Callow approuve une extension de 2,4 milliards de dollars",
    ],
)
def test_headline_forms(headline: str) -> None:
    assert headline_of(f"{headline}\n\n{BODY}") == headline


def test_a_section_label_above_the_headline_is_skipped() -> None:
    text = f"International relations\n\nPutin says Xi to visit Russia\n\n{BODY}"
    assert headline_of(text) == "Putin says Xi to visit Russia"


def test_a_short_headline_without_a_headline_below_is_kept() -> None:
    assert headline_of(f"Port plan approved\n\n{BODY}") == "Port plan approved"


@pytest.mark.parametrize(
    "text",
    [
        BODY,  # the first line is a sentence
        f"The board met on Wednesday.\n\n{BODY}",  # final full stop
        f"{'Port board approves terminal plan ' * 6}\n\n{BODY}",  # too long
        f"Breaking\n\n{BODY}",  # one word
        f"(Updated with a statement from the union)\n\n{BODY}",  # editor's note
        f"By Ines Calloway-Roth\n\n{BODY}",  # byline
        f"PORT CALLOW, March 4 (Meridian Press) - The board met\n{BODY}",  # dateline
        "Port board approves terminal plan\n",  # nothing after it
        "",
        "\n\n",
        "2026 03 04\n\n" + BODY,  # no letters
    ],
    ids=[
        "sentence",
        "full-stop",
        "too-long",
        "one-word",
        "note",
        "byline",
        "dateline",
        "alone",
        "empty",
        "blank",
        "digits",
    ],
)
def test_lines_that_are_not_headlines(text: str) -> None:
    assert headline_of(text) is None


def test_wrapped_prose_is_not_a_headline() -> None:
    # Reuters-style copy wrapped at the line width: the first line is half a sentence.
    wrapped = (
        "Showers continued throughout the week in\n"
        "the Bahia cocoa zone, alleviating the drought since early\n"
        "January and improving prospects for the coming harvest.\n"
    )
    assert headline_of(wrapped) is None
    capitalised = (
        "Officials from the port and the union met\n"
        "Wednesday to discuss the plan, which the board had approved\n"
        "after a long debate\n"
        "in the council chamber.\n"
    )
    assert headline_of(capitalised) is None


def test_the_length_limit_is_inclusive() -> None:
    words = ("word " * MAX_HEADLINE_CHARS)[: MAX_HEADLINE_CHARS - 1].strip() + "s"
    assert len(words) <= MAX_HEADLINE_CHARS
    assert headline_of(f"{words}\n\n{BODY}") == words
