"""Dates of news metadata: parsing to UTC, and deciding which of two is earlier."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from wiretrace.dates import earlier, parse_date


@pytest.mark.parametrize(
    ("value", "moment", "has_time"),
    [
        ("2026-03-04T09:12:00Z", datetime(2026, 3, 4, 9, 12, tzinfo=UTC), True),
        ("2026-03-04T11:12:00+02:00", datetime(2026, 3, 4, 9, 12, tzinfo=UTC), True),
        ("2026-03-04T09:12:00", datetime(2026, 3, 4, 9, 12, tzinfo=UTC), True),
        ("2026-03-04", datetime(2026, 3, 4, tzinfo=UTC), False),
        (
            "26-FEB-1987 15:01:01.79",
            datetime(1987, 2, 26, 15, 1, 1, 790000, tzinfo=UTC),
            True,
        ),
        ("  5-MAR-1987 09:16:47.00 ", datetime(1987, 3, 5, 9, 16, 47, tzinfo=UTC), True),
        ("Wed, 04 Mar 2026 09:12:00 +0000", datetime(2026, 3, 4, 9, 12, tzinfo=UTC), True),
        ("March 4, 2026", datetime(2026, 3, 4, tzinfo=UTC), False),
        ("4 March 2026", datetime(2026, 3, 4, tzinfo=UTC), False),
        ("2026/03/04 09:12", datetime(2026, 3, 4, 9, 12, tzinfo=UTC), True),
    ],
)
def test_parse_date(value: str, moment: datetime, has_time: bool) -> None:
    parsed = parse_date(value)
    assert parsed is not None
    assert parsed.moment == moment
    assert parsed.moment.tzinfo is not None
    assert parsed.has_time is has_time


@pytest.mark.parametrize("value", [None, "", "   ", "yesterday", "not a date", "32-FOO-1987"])
def test_unparseable_dates_are_none(value: str | None) -> None:
    assert parse_date(value) is None


def test_earlier_decides_on_different_moments() -> None:
    a = parse_date("2026-03-04T09:12:00Z")
    b = parse_date("2026-03-04T12:40:00Z")
    assert earlier(a, b) == -1
    assert earlier(b, a) == 1
    assert earlier(a, a) == 0


def test_earlier_compares_across_time_zones() -> None:
    # 10:00 in Paris (+01:00) is 09:00 UTC, before 09:30 UTC.
    assert (
        earlier(parse_date("2026-03-04T10:00:00+01:00"), parse_date("2026-03-04T09:30:00Z")) == -1
    )


def test_same_day_without_times_is_undecided() -> None:
    day = parse_date("2026-03-04")
    timed = parse_date("2026-03-04T09:12:00Z")
    assert earlier(day, timed) == 0
    assert earlier(timed, day) == 0
    assert earlier(day, parse_date("March 4, 2026")) == 0


def test_different_days_decide_without_times() -> None:
    assert earlier(parse_date("2026-03-03"), parse_date("2026-03-04T00:10:00Z")) == -1
    assert earlier(parse_date("2026-03-05"), parse_date("2026-03-04")) == 1


def test_missing_dates_are_undecided() -> None:
    assert earlier(None, parse_date("2026-03-04")) == 0
    assert earlier(parse_date("2026-03-04"), None) == 0
    assert earlier(None, None) == 0


def test_reuters_21578_dates_order_within_a_day() -> None:
    first = parse_date("26-FEB-1987 15:01:01.79")
    second = parse_date("26-FEB-1987 15:02:20.00")
    assert earlier(first, second) == -1
