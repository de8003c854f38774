"""What a figure measures: the figure stays, its sign, month or period changes."""

from __future__ import annotations

import pytest

from tests.diverge.pairs import SHARED, divergences, doc, kinds, verdict_of
from wiretrace.diverge import find_divergences
from wiretrace.model import DivergenceKind

# A results table as a wire files it, and the same table corrected (both say "profit"
# and "loss": the year's lines keep their signs).
TABLE = (
    "Shr profit six cts vs loss 43 cts\n\n"
    "Net profit 336,000 vs loss 2,176,000\n\n"
    "Revs 38.5 mln vs 50.3 mln\n\n"
    "Year shr profit 1.12 dlrs vs loss 12 cts\n"
)


def test_a_sign_changed_next_to_an_unchanged_figure_is_a_number_divergence() -> None:
    a = doc("a", SHARED, TABLE)
    b = doc("b", SHARED, TABLE.replace("profit six", "loss six").replace("profit 336", "loss 336"))
    found = find_divergences(a, b, verdict_of(a, b))
    assert [(d.kind, d.a_text, d.b_text) for d in found] == [
        (DivergenceKind.NUMBER, "profit six", "loss six"),
        (DivergenceKind.NUMBER, "profit 336,000", "loss 336,000"),
    ]
    assert "what six measures changed" in found[0].explanation


def test_a_sign_added_before_a_figure_counts_once_made_explicit_does_not() -> None:
    year = "Year oper shr loss 53 cts vs loss 43 cts"
    a = doc("a", SHARED, "Oper shr 24 cts vs 19 cts", year)
    b = doc("b", SHARED, "Oper shr loss 24 cts vs 19 cts", year)
    added = find_divergences(a, b, verdict_of(a, b))
    assert [(d.kind, d.a_text, d.b_text) for d in added] == [
        (DivergenceKind.NUMBER, "24", "loss 24")
    ]
    explicit = kinds("Net loss 578,900 vs 713,300", "Net loss 578,900 vs loss 713,300")
    assert explicit == []


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # A copy edit's synonym: a word one text never uses.
        (
            "Harbour fees are expected to rise by 14% over the next five years, it said.",
            "Harbour fees are expected to increase by 14% over the next five years, it said.",
        ),
        # An abbreviation of the same word.
        (
            "The ferry carried 4,200 passengers and 12 mln dlrs of freight last year.",
            "The ferry carried 4,200 passengers and 12 mln dollars of freight last year.",
        ),
        # A currency written against the figure.
        (
            "The terminal will cost $200 billion over ten years, the harbour board said.",
            "The terminal will cost US$200 billion over ten years, the harbour board said.",
        ),
    ],
)
def test_rewordings_next_to_a_figure_are_no_change(first: str, second: str) -> None:
    assert "number" not in kinds(first, second)


def test_a_month_changed_next_to_a_day_is_a_change() -> None:
    found = divergences(
        "The ferry yards will close for a week starting August six, the board said in April.",
        "The ferry yards will close for a week starting April six, the board said in April.",
    )
    assert [(d.kind, d.a_text, d.b_text) for d in found] == [
        (DivergenceKind.NUMBER, "August six", "April six")
    ]


@pytest.mark.parametrize(
    ("first", "second", "changed"),
    [
        # A period: per day is not per year, even where only one text says "day".
        (
            "The mill makes 46,000 tonnes of pressed fibre boards a day, the owner said.",
            "The mill makes 46,000 tonnes of pressed fibre boards a year, the owner said.",
            (
                "46,000 tonnes of pressed fibre boards a day",
                "46,000 tonnes of pressed fibre boards a year",
            ),
        ),
        # The same with a figure written as a word that is also a function word.
        (
            "The mill makes one tonne of pressed fibre boards a day, the owner said.",
            "The mill makes one tonne of pressed fibre boards a year, the owner said.",
            ("one tonne of pressed fibre boards a day", "one tonne of pressed fibre boards a year"),
        ),
        # The sign of a result, where only one text ever says "profit".
        (
            "Oper shr loss six cts vs loss 43 cts",
            "Oper shr profit six cts vs loss 43 cts",
            ("loss six", "profit six"),
        ),
        # The session of a rates table.
        (
            "HARBOUR EXCHS CLOSING - APRIL 7 US 0.4920/27 STG",
            "HARBOUR EXCHS OPENING - APRIL 7 US 0.4920/27 STG",
            ("CLOSING - APRIL 7", "OPENING - APRIL 7"),
        ),
    ],
)
def test_words_of_one_kind_that_exclude_each_other_are_a_change(
    first: str, second: str, changed: tuple[str, str]
) -> None:
    found = divergences(first, second)
    assert [(d.kind, d.a_text, d.b_text) for d in found] == [(DivergenceKind.NUMBER, *changed)]


def test_two_words_of_one_kind_with_one_value_are_a_copy_edit() -> None:
    # "profit" and "gain" are one sign; "annual" and "year" one period.
    assert "number" not in kinds(
        "The ferry line reported a profit of 4.2 mln dlrs for the season, the owner said.",
        "The ferry line reported a gain of 4.2 mln dlrs for the season, the owner said.",
    )
    assert "number" not in kinds(
        "The mill makes 46,000 tonnes of boards a year, the owner said on the quay.",
        "The mill makes 46,000 tonnes of boards annually, the owner said on the quay.",
    )
