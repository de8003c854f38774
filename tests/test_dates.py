"""Dates of news metadata: parsing to UTC, and deciding which of two is earlier."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wiretrace.dates import ParsedDate, earlier, normalize_date, parse_date


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
        # The PM and the zone both count: 21:12 EST is 02:12 UTC the next day.
        ("March 4, 2026 9:12 PM EST", datetime(2026, 3, 5, 2, 12, tzinfo=UTC), True),
        ("Wednesday, March 4, 2026 at 9:12 p.m. ET", datetime(2026, 3, 5, 2, 12, tzinfo=UTC), True),
        # "ET" follows daylight saving time: UTC-4 in July.
        ("July 4, 2026 9:12 PM ET", datetime(2026, 7, 5, 1, 12, tzinfo=UTC), True),
        ("Mar 4, 2026 12:30 AM UTC", datetime(2026, 3, 4, 0, 30, tzinfo=UTC), True),
        ("4 March 2026 21:12 +01:00", datetime(2026, 3, 4, 20, 12, tzinfo=UTC), True),
        ("Mar. 4, 2026", datetime(2026, 3, 4, tzinfo=UTC), False),
        ("Sept. 4, 2026", datetime(2026, 9, 4, tzinfo=UTC), False),
        ("4 mars 2026", datetime(2026, 3, 4, tzinfo=UTC), False),
        ("le 4 mars 2026 à 21h12", datetime(2026, 3, 4, 21, 12, tzinfo=UTC), True),
        ("4. März 2026", datetime(2026, 3, 4, tzinfo=UTC), False),
        ("4 de marzo de 2026", datetime(2026, 3, 4, tzinfo=UTC), False),
        ("1677067200", datetime(2023, 2, 22, 12, tzinfo=UTC), True),
        ("1677067200000", datetime(2023, 2, 22, 12, tzinfo=UTC), True),
        ("04.03.2026", datetime(2026, 3, 4, tzinfo=UTC), False),
        ("13/03/2026", datetime(2026, 3, 13, tzinfo=UTC), False),
        ("03/13/2026", datetime(2026, 3, 13, tzinfo=UTC), False),
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


@pytest.mark.parametrize(
    "value",
    [
        "since 2019",  # trafilatura's text search made this 2019-01-01
        "2019",
        "March 2026",
        "2 days ago",
        "last Monday",
        "03/04/2026",  # March 4 in the US, 3 April in Europe: not guessed
        "12345678",
        "42",
        "31 February 2026",
    ],
)
def test_no_date_is_invented(value: str) -> None:
    assert parse_date(value) is None


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("26-FEB-1987 15:01:01.79", "1987-02-26T15:01:01.790Z"),
        ("26-FEB-1987 15:01:01.00", "1987-02-26T15:01:01Z"),
        # Reuters-21578's oddities: trailing category letters, a garbled time.
        ("27-MAR-1987 00:03:35.68F RM", "1987-03-27T00:03:35.680Z"),
        ("31-MAR-1987 605:12:19.12", "1987-03-31"),
        ("March 4, 2026 9:12 PM EST", "2026-03-05T02:12:00Z"),
        ("2026-03-04T11:12:00+02:00", "2026-03-04T09:12:00Z"),
        ("4 mars 2026", "2026-03-04"),
        ("1987-02-26", "1987-02-26"),
        ("not a date", None),
        (None, None),
    ],
)
def test_normalize_date_gives_iso_utc_and_keeps_date_only_values(
    value: str | None, iso: str | None
) -> None:
    assert normalize_date(value) == iso


@pytest.mark.parametrize(
    "value",
    ["26-FEB-1987 15:01:01.79", "1987-02-26", "March 4, 2026 9:12 PM EST", "4 mars 2026"],
)
def test_normalized_dates_read_back_unchanged(value: str) -> None:
    iso = normalize_date(value)
    assert normalize_date(iso) == iso
    assert parse_date(iso) == parse_date(value)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    st.datetimes(
        min_value=datetime(1980, 1, 1),
        max_value=datetime(2099, 12, 31),
        timezones=st.just(UTC),
    ),
    st.booleans(),
)
def test_iso_form_round_trips(moment: datetime, has_time: bool) -> None:
    if not has_time:
        moment = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    moment = moment.replace(microsecond=moment.microsecond // 1000 * 1000)
    parsed = ParsedDate(moment, has_time)
    assert parse_date(parsed.isoformat()) == parsed


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
