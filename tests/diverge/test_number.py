"""Number divergences: a changed figure, and figures that only look different."""

from __future__ import annotations

import pytest

from tests.diverge.pairs import SHARED, divergences, doc, kinds, verdict_of
from wiretrace.diverge import find_divergences
from wiretrace.model import DivergenceKind


def test_a_changed_figure_is_a_number_divergence_with_both_spans() -> None:
    found = divergences(
        "Harbour fees will rise by 14% over the next five years, the board said on the day.",
        "Harbour fees will rise by 41% over the next five years, the board said on the day.",
    )
    assert [d.kind for d in found] == [DivergenceKind.NUMBER]
    (d,) = found
    assert (d.a_text, d.b_text) == ("14%", "41%")
    assert d.a_span is not None and d.b_span is not None
    assert d.a_span.length == 3 and d.b_span.length == 3


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # A conversion in parentheses restates the figure.
        (
            "The ferry operator will invest US$200 billion (S$268 billion) a year in new boats.",
            "The ferry operator will invest $200 billion a year in new boats, the board said.",
        ),
        # Locale spellings and scale words.
        (
            "Le ferry coûtera 2,4 milliards de dollars et transportera 1 800 passagers par jour.",
            "Le ferry coûtera $2.4 billion et transportera 1,800 passagers par jour.",
        ),
        # The same two figures in another order are the same facts.
        (
            "Trade could reach $200 billion a year, up from $185 billion in 2022, he said.",
            "Trade could reach 200 billion this year, after 185 billion in 2022, he said.",
        ),
    ],
)
def test_equal_figures_written_differently_do_not_diverge(first: str, second: str) -> None:
    assert "number" not in kinds(first, second)


def test_a_range_does_not_agree_with_its_two_ends_stated_apart() -> None:
    found = divergences(
        "Trade was better than expected and could soon reach $200 billion a year, up from "
        "$185 billion in 2022.",
        "Trade was better than expected and could reach $185 billion to $200 billion a year "
        "in 2022.",
    )
    assert [d.kind for d in found] == [DivergenceKind.NUMBER]
    assert found[0].b_text == "$185 billion to $200 billion"


def test_a_figure_moved_to_another_sentence_is_not_a_change() -> None:
    a = doc(
        "a",
        SHARED,
        "The new ferry will carry 450 passengers on each crossing to the islands, officials said.",
        "Tickets will cost 12 crowns.",
    )
    b = doc(
        "b",
        SHARED,
        "The new ferry will carry 12 crowns worth of passengers on each crossing to the islands.",
        "It seats 450 passengers.",
    )
    assert not [d for d in find_divergences(a, b, verdict_of(a, b)) if d.kind == "number"]


def test_a_scale_word_lost_from_one_copy_is_the_same_figure() -> None:
    # A re-send with "181 miln dlrs" (a scale word the parser does not know) for "181 mln".
    assert (
        kinds(
            "The harbour board agreed to reschedule some 181 miln crowns due in 2031 and 2032.",
            "The harbour board agreed to reschedule some 181 mln crowns due in 2031 and 2032.",
        )
        == []
    )


def test_news_told_in_place_of_a_figure_kept_elsewhere_is_no_changed_figure() -> None:
    # A later report: "a further 20 mln" where the earlier said "just 17 mln"; the later
    # one still states the 17 mln in another sentence.
    a = doc(
        "a",
        SHARED,
        "The harbour board said it provided just 17 mln crowns to the ferry fund in an "
        "early round of grants.",
    )
    b = doc(
        "b",
        SHARED,
        "The harbour board said it gave the ferry fund a further 20 mln crowns during the "
        "morning session.",
        "It had given 17 mln crowns earlier in the day.",
    )
    assert [d for d in find_divergences(a, b, verdict_of(a, b)) if d.kind == "number"] == []


def test_a_table_row_corrected_to_a_value_another_row_has_is_a_change() -> None:
    table = "HARBOUR COPPER 1030\n\nMAY7 6270 UP {may}\n\nJUL7 6245 UP 10\n\nSEP7 6265 UP 15\n"
    a, b = doc("a", table.format(may="5")), doc("b", table.format(may="15"))
    found = find_divergences(a, b, verdict_of(a, b))
    assert [(d.kind, d.a_text, d.b_text) for d in found] == [(DivergenceKind.NUMBER, "5", "15")]


def test_a_fraction_and_its_decimal_are_one_figure() -> None:
    assert (
        kinds(
            "Shares of the ferry operator rose a total of 5-1/2 crowns in two days on the bourse.",
            "Shares of the ferry operator rose a total of 5.50 crowns in two days on the bourse.",
        )
        == []
    )
    assert kinds(
        "Shares of the ferry operator rose a total of 5-1/2 crowns in two days on the bourse.",
        "Shares of the ferry operator rose a total of 5-3/4 crowns in two days on the bourse.",
    ) == ["number"]
