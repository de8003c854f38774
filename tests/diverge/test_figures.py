"""One figure however a version writes it: units, words, roundings, names with digits."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from tests.diverge.pairs import kinds
from wiretrace.diverge.figures import figures, rounds_to, word_figures


def keys(text: str) -> list[str]:
    return [q.key for q in figures(text)]


def test_pct_and_a_hyphenated_scale_are_read() -> None:
    assert keys("a 350-mln-dlr loan at 44 pct") == ["3.5e+08", "44%"]
    assert keys("44 percent") == keys("44 pct")


def test_digits_joined_to_capitals_name_something() -> None:
    assert keys("G-7 ministers and an F-16 flew 300 km") == ["300"]


def test_a_day_and_a_year_are_not_one_grouped_number() -> None:
    assert keys("on March 17 2003") == ["17", "2003"]


def test_a_stray_digit_on_a_word_is_no_figure() -> None:
    assert keys("the yen, 0speculation had arisen") == []


def test_numbers_in_words() -> None:
    text = "five mln dlrs, twenty-five pct, April Nine, one\nbillion crowns"
    assert [q.key for q in word_figures(text)] == ["5e+06", "25%", "9", "1e+09"]


@pytest.mark.parametrize(
    ("fine", "coarse", "same"),
    [
        ("12,141,000", "12.1 mln", True),
        ("2,191,000", "2.2 mln", True),
        ("36.7 mln", "39.7 mln", False),
        # One significant digit may as well be a corrected figure.
        ("6.4 billion", "6 billion", False),
        # Fewer decimals are a rounding too; the same decimals changed are a correction.
        ("25.76 pct", "25.8 pct", True),
        ("2.64", "2.6", True),
        ("2.64", "2.63", False),
        ("16.8", "16.6", False),
        # A whole number may as well be corrected: "6" for "6.4".
        ("6.4", "6", False),
        # A count written to the thousand, rounded or cut off (a results table re-sent).
        ("4,403,852", "4,403,000", True),
        ("4,403,852", "4,404,000", True),
        ("634,000", "734,000", False),
        ("13,000", "131,000", False),
        # One significant digit left: "2,000" for "2,500" may be a correction.
        ("2,500", "2,000", False),
    ],
)
def test_a_rounding_to_a_scale_word_is_the_same_figure(fine: str, coarse: str, same: bool) -> None:
    (x,), (y,) = figures(fine), figures(coarse)
    assert rounds_to(fine, x, coarse, y) is same


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (
            "Harbour revenue was 12,141,000 crowns in the year, the board said on the quay.",
            "Harbour revenue was 12.1 mln crowns in the year, the board said on the quay.",
        ),
        (
            "The board will borrow five mln crowns for the new ferry terminal this year.",
            "The board will borrow 5.0 mln crowns for the new ferry terminal this year.",
        ),
        (
            "The ferry fare rose to 7-3/4 pct of income from 7-1/2 pct, effective at once.",
            "The ferry fare rose to 7-3/4 pct of income from 7-1/2, effective at once.",
        ),
        # The same numbers in the same order: a word between them changed.
        (
            "A ferry ticket closed up $2.80 at $51.15 on the Skarra exchange on the day.",
            "A ferry ticket closed up $2.80 to $51.15 on the Skarra exchange on the day.",
        ),
        # A scale that went into a unit.
        (
            "The harbour computer reached 42.7 trillion calculations per second (teraflops).",
            "The harbour computer reached 42.7 teraflops in the test run on the quay.",
        ),
    ],
)
def test_one_figure_written_two_ways_is_no_divergence(first: str, second: str) -> None:
    assert "number" not in kinds(first, second) and "claim" not in kinds(first, second)


@given(st.integers(min_value=1, max_value=99_999), st.integers(min_value=0, max_value=2))
def test_a_figure_rounded_to_fewer_decimals_is_the_same_figure(hundredths: int, drop: int) -> None:
    # "25.76" and "25.8" (or "26"): one figure, whichever side is read first.
    fine = f"{hundredths / 100:.2f}"
    coarse = str(Decimal(fine).quantize(Decimal(1).scaleb(drop - 2), rounding=ROUND_HALF_UP))
    (x,), (y,) = figures(fine), figures(coarse)
    assert rounds_to(fine, x, coarse, y) == rounds_to(coarse, y, fine, x)
    if drop < 2 and len(coarse.replace(".", "").strip("0")) >= 2:
        assert rounds_to(fine, x, coarse, y)


@given(st.integers(min_value=10, max_value=999_999), st.integers(min_value=0, max_value=999))
def test_a_count_cut_to_the_thousand_is_the_same_figure(thousands: int, rest: int) -> None:
    assume(len(str(thousands).rstrip("0")) >= 2)  # "10,000" may be a corrected figure
    exact, cut = f"{thousands * 1000 + rest:,}", f"{thousands * 1000:,}"
    (x,), (y,) = figures(exact), figures(cut)
    assert rounds_to(exact, x, cut, y) and rounds_to(cut, y, exact, x)
    other = f"{(thousands + 1) * 1000 + rest:,}"
    (z,) = figures(other)
    assert not rounds_to(other, z, cut, y)
