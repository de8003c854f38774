"""Written numbers to values: digit grouping, decimal marks, and the language's reading."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wiretrace.fingerprint.numerals import parse_number


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("1,234.56", 1234.56),  # English
        ("1.234,56", 1234.56),  # German, Spanish, Italian
        ("1 234,56", 1234.56),  # French with a space
        ("1\u202f234,56", 1234.56),  # French with a narrow no-break space
        ("1\u00a0234,56", 1234.56),
        ("1 234.56", 1234.56),  # SI style
        ("12.5", 12.5),
        ("12,5", 12.5),
        ("1,234", 1234.0),
        ("1.234.567", 1234567.0),
        ("1,234,567.8", 1234567.8),
        ("1 800", 1800.0),
        ("0,125", 0.125),  # a leading zero is never a group
        ("0.125", 0.125),
        ("1800", 1800.0),
    ],
)
def test_written_numbers(written: str, value: float) -> None:
    assert parse_number(written) == value


@pytest.mark.parametrize(
    ("written", "language", "value"),
    [
        # English text: a comma groups, a point is decimal.
        ("1,234", "en", 1234.0),
        ("7.125", "en", 7.125),  # "a coupon of 7.125 pct"
        # French and German text: a comma is decimal.
        ("1,5", "fr", 1.5),
        ("1,234", "fr", 1.234),
        ("1,500", "de", 1.5),
        ("1.500", "de", 1500.0),
        # Both marks or a space settle it whatever the language.
        ("1,234.56", "fr", 1234.56),
        ("1.234,56", "en", 1234.56),
        ("1 234,567", "en", 1234.567),
        # No language, or one babel does not know: a single mark before three digits groups.
        ("1,234", None, 1234.0),
        ("1.800", None, 1800.0),
        ("1,234", "und", 1234.0),
        ("1,234", "xx", 1234.0),
        ("1,234", "pt-BR", 1.234),
    ],
)
def test_the_language_decides_a_single_mark_before_three_digits(
    written: str, language: str | None, value: float
) -> None:
    assert parse_number(written, language) == value


@pytest.mark.parametrize("written", ["1.2.3", "1,234.567,8", "1,23,456", "1.23.456", "", "abc"])
def test_contradictory_marks_give_none(written: str) -> None:
    assert parse_number(written) is None


def _reference(integer: int, cents: int, group: str, decimal: str) -> str:
    """A slow, obviously correct writer: digits grouped by three, then the decimal part."""
    digits = str(integer)
    groups = []
    while digits:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    return group.join(groups) + decimal + f"{cents:02d}"


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    st.integers(min_value=0, max_value=10**12),
    st.integers(min_value=0, max_value=99),
    st.sampled_from([(",", "."), (".", ","), (" ", ","), (" ", "."), ("\u202f", ",")]),
)
def test_any_grouped_number_with_cents_reads_back(integer: int, cents: int, marks) -> None:
    group, decimal = marks
    written = _reference(integer, cents, group, decimal)
    assert parse_number(written) == pytest.approx(integer + cents / 100)
