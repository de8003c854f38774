"""Typed anchors: language-neutral number keys, names, quotes."""

from __future__ import annotations

import pytest

from wiretrace.fingerprint.anchors import (
    AnchorKind,
    find_anchors,
    find_name_spans,
    find_numbers,
    find_quantities,
)


def keys(text: str, kind: AnchorKind, starts: frozenset[int] = frozenset()) -> list[str]:
    return [a.key for a in find_anchors(text, starts) if a.kind == kind]


def number_key(text: str) -> str:
    found = keys(text, AnchorKind.NUMBER)
    assert len(found) == 1, (text, found)
    return found[0]


@pytest.mark.parametrize(
    "group",
    [
        ["$200 billion", "US$200 billion", "200 milliards de dollars", "200bn", "200 Mrd"],
        ["14%", "14 %", "14 percent", "14 per cent", "14 pour cent"],
        ["1,800", "1 800", "1800", "1.800", "1\u202f800", "1\u00a0800"],
        ["2.4 billion", "2,4 milliards", "$2.4bn"],
        ["4.1 million", "4,1 millions", "4.1 mln"],
        ["3,200", "3 200", "3200"],
    ],
)
def test_number_spellings_share_one_key(group: list[str]) -> None:
    assert len({number_key(text) for text in group}) == 1


def test_number_keys_are_values() -> None:
    assert number_key("$200 billion") == "2e+11"
    assert number_key("14 %") == "14%"
    assert number_key("1 800") == "1800"
    assert number_key("up 6.5% on the year") == "6.5%"


def test_different_numbers_differ() -> None:
    assert number_key("S$268 billion") != number_key("$200 billion")
    assert number_key("14%") != number_key("41%")
    assert number_key("14%") != number_key("14")
    assert number_key("2.4 billion") != number_key("2.4 million")


def test_numbers_inside_words_or_decimals_are_not_split() -> None:
    # "6.5" is one number, not "6" and "5"; "A320" carries no number anchor.
    assert keys("up 6.5 points", AnchorKind.NUMBER) == ["6.5"]
    assert keys("an A320 jet", AnchorKind.NUMBER) == []


def test_names_skip_sentence_initial_words() -> None:
    text = "Officials met Putin in Moscow. Moscow said Putin was pleased."
    starts = frozenset({0, text.index("Moscow said")})
    names = keys(text, AnchorKind.NAME, starts)
    assert names == ["putin", "moscow", "putin"]
    # The same capitals count as names away from a sentence start.
    assert keys(text, AnchorKind.NAME) == ["officials", "putin", "moscow", "moscow", "putin"]


def test_names_drop_stopwords_short_words_and_digits() -> None:
    names = keys("They met in The Hague with EU and Xi officials.", AnchorKind.NAME, frozenset({0}))
    assert "hague" in names
    assert "the" not in names
    assert "eu" not in names and "xi" not in names  # fewer than 3 characters


def test_quotes_need_four_words() -> None:
    three = 'He called it "absolutely wonderful news" on Monday.'
    four = 'He called it "absolutely wonderful news today" on Monday.'
    assert keys(three, AnchorKind.QUOTE) == []
    assert keys(four, AnchorKind.QUOTE) == ["absolutely wonderful news today"]


def test_quote_marks_of_several_languages_give_one_key() -> None:
    body = "We are not against progress, but we will not accept it"
    variants = [f'"{body}"', f"“{body}”", f"« {body} »", f"„{body}“"]
    found = {tuple(keys(f"He said {v} yesterday.", AnchorKind.QUOTE)) for v in variants}
    assert found == {("we are not against progress but",)}


def test_quote_cut_short_or_extended_keeps_its_key() -> None:
    full = '"This is the largest single investment in the port since it was founded"'
    cut = '"This is the largest single investment"'
    assert keys(full, AnchorKind.QUOTE) == keys(cut, AnchorKind.QUOTE)


def test_anchors_are_ordered_and_located() -> None:
    text = 'Chair Solberg said "fees will rise by 14% over five years" in Callow.'
    anchors = find_anchors(text)
    assert [a.start for a in anchors] == sorted(a.start for a in anchors)
    for a in anchors:
        assert 0 <= a.start < a.end <= len(text)
    number = next(a for a in anchors if a.kind == AnchorKind.NUMBER)
    assert text[number.start : number.end] == "14%"


def test_narration_between_two_quotes_is_not_a_quote() -> None:
    text = '"Yes," said the harbour authority chair on Monday, "we will."'
    assert keys(text, AnchorKind.QUOTE, frozenset({0})) == []


def test_first_word_after_an_opening_quote_is_sentence_initial() -> None:
    text = "“Everything is progressing, developing,” said Putin."
    assert keys(text, AnchorKind.NAME, frozenset({0})) == ["putin"]


def quantity_keys(text: str) -> list[tuple[str, bool]]:
    return [(q.key, q.converted) for q in find_quantities(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A parenthesised conversion, hedged or not, with a unit word before it.
        ("US$200 billion (S$268 billion) a year", [("2e+11", False), ("2.68e+11", True)]),
        ("a $2.4 billion (about €2.2 billion) plan", [("2.4e+09", False), ("2.2e+09", True)]),
        ("1,800 metres (5,900 feet) of berths", [("1800", False), ("5900", True)]),
        # Ranges are one quantity; a lower end takes the upper end's scale.
        ("$185 billion to $200 billion", [("1.85e+11..2e+11", False)]),
        ("185-200 billion", [("1.85e+11..2e+11", False)]),
        ("between 3 and 5 percent", [("3..5%", False)]),
        # A vote runs downwards: two figures, not a range.
        ("voted 7 to 2 in favour", [("7", False), ("2", False)]),
        ("200 milliards de dollars", [("2e+11", False)]),
    ],
)
def test_quantities_join_ranges_and_mark_conversions(
    text: str, expected: list[tuple[str, bool]]
) -> None:
    assert quantity_keys(text) == expected


def test_a_quantity_span_includes_its_currency_sign() -> None:
    text = "could soon reach US$200 billion a year"
    (q,) = find_quantities(text)
    assert text[q.start : q.end] == "US$200 billion"


def test_name_spans_skip_the_first_word_and_possessives() -> None:
    text = "After Blinken's warning, Okonkwo spoke."
    assert [(a.key, text[a.start : a.end]) for a in find_name_spans(text)] == [
        ("blinken", "Blinken"),
        ("okonkwo", "Okonkwo"),
    ]


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("sales of 1,234.56 crowns", "1234.56"),
        ("ventes de 1.234,56 couronnes", "1234.56"),
        ("ventes de 1 234,56 couronnes", "1234.56"),
        ("up 12.5 points", "12.5"),
        ("1,234 jobs", "1234"),
        ("1,234.56 million crowns", "1.23456e+09"),
    ],
)
def test_locale_formatted_numbers_are_anchors(text: str, key: str) -> None:
    # "1,234.56" and "1.234,56" gave no number at all.
    assert number_key(text) == key


def test_the_documents_language_reads_a_single_comma() -> None:
    english = find_numbers("a coupon of 7.125 pct on 1,234 bonds", language="en")
    assert [a.key for a in english] == ["7.125", "1234"]
    french = find_numbers("un taux de 1,5 % sur 1,234 tonne", language="fr")
    assert [a.key for a in french] == ["1.5%", "1.234"]
    assert [a.key for a in find_anchors("1,234 tonnes", language="fr")] == ["1.234"]
    (quantity,) = find_quantities("1,234 tonnes", language="fr")
    assert quantity.key == "1.234"


def test_translations_share_number_keys_when_languages_are_known() -> None:
    english = find_numbers("exports of 1,234.5 tonnes, up 2.5%", language="en")
    german = find_numbers("Exporte von 1.234,5 Tonnen, plus 2,5 %", language="de")
    assert [a.key for a in english] == [a.key for a in german] == ["1234.5", "2.5%"]
