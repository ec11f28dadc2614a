"""Durations as the rules file writes them, and the dates they lead to."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

from imgplan.core.duration import ZERO, Duration

REFUSAL = (
    "is not a duration: write a number and a unit, "
    "e.g. 6m, 7m2w, 4w, 16bd (business days), 10d, -16d"
)


# -- parsing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "years", "months", "weeks", "days", "business_days", "negative"),
    [
        ("6m", 0, 6, 0, 0, 0, False),
        ("7m2w", 0, 7, 2, 0, 0, False),
        ("4w", 0, 0, 4, 0, 0, False),
        ("16bd", 0, 0, 0, 0, 16, False),
        ("-16d", 0, 0, 0, 16, 0, True),
        ("0d", 0, 0, 0, 0, 0, False),
        ("1y", 1, 0, 0, 0, 0, False),
        ("1y2m3w4d", 1, 2, 3, 4, 0, False),
        ("-4w", 0, 0, 4, 0, 0, True),
        ("6M", 0, 6, 0, 0, 0, False),  # case does not matter
        ("7m 2w", 0, 7, 2, 0, 0, False),  # nor do spaces
        ("10d", 0, 0, 0, 10, 0, False),
    ],
)
def test_parse_reads_each_unit(
    text: str, years: int, months: int, weeks: int, days: int, business_days: int, negative: bool
) -> None:
    parsed = Duration.parse(text)
    assert (parsed.years, parsed.months, parsed.weeks, parsed.days, parsed.business_days,
            parsed.negative) == (years, months, weeks, days, business_days, negative)
    assert str(parsed) == text.strip()


def test_parse_keeps_the_text_as_written() -> None:
    assert str(Duration.parse(" 7m2w ")) == "7m2w"
    assert Duration.parse("7m2w").text == "7m2w"


@pytest.mark.parametrize(
    ("text", "zero"),
    [("0d", True), ("0bd", True), ("0m0w", True), ("-0d", True), ("1d", False), ("1bd", False)],
)
def test_is_zero(text: str, zero: bool) -> None:
    assert Duration.parse(text).is_zero is zero


def test_zero_constant_is_zero_days() -> None:
    assert ZERO.is_zero
    assert str(ZERO) == "0d"
    assert ZERO.after(date(2027, 3, 3)) == date(2027, 3, 3)
    assert ZERO.before(date(2027, 3, 3)) == date(2027, 3, 3)


@pytest.mark.parametrize(
    "text",
    ["six months", "", "6", "m", "-", "--16d", "6 months", "6mo", "1.5m", "6m-2w", "+6m", "d6",
     "6x"],
)
def test_parse_refuses_what_is_not_a_duration(text: str) -> None:
    with pytest.raises(ValueError) as caught:
        Duration.parse(text)
    assert str(caught.value) == f"'{text}' {REFUSAL}"


@pytest.mark.parametrize("text", ["١٢m", "1٢m", "６m"])
def test_parse_refuses_digits_of_other_scripts(text: str) -> None:
    # As for typed dates (imgplan.core.dates): only 0-9 count as digits, so a lookalike is refused
    # rather than read silently.
    with pytest.raises(ValueError) as caught:
        Duration.parse(text)
    assert str(caught.value) == f"'{text}' {REFUSAL}"


@pytest.mark.parametrize("text", ["2w3bd", "16bd1d", "1m1bd"])
def test_parse_refuses_business_days_mixed_with_other_units(text: str) -> None:
    with pytest.raises(ValueError) as caught:
        Duration.parse(text)
    assert str(caught.value) == f"'{text}': business days (bd) cannot be mixed with other units"


def test_approx_days_orders_durations() -> None:
    assert Duration.parse("4w").approx_days() == 28
    assert Duration.parse("10bd").approx_days() == 14
    assert Duration.parse("-16d").approx_days() == -16
    assert Duration.parse("6m").approx_days() < Duration.parse("7m2w").approx_days() \
        < Duration.parse("9m").approx_days()


# -- after / before: calendar units ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "expected"),
    [
        ("6m", date(2026, 11, 22), date(2027, 5, 22)),
        ("7m2w", date(2027, 1, 17), date(2027, 8, 31)),  # the typical Step 1 from scratch
        ("4w", date(2027, 8, 31), date(2027, 9, 28)),
        ("10d", date(2026, 12, 25), date(2027, 1, 4)),
        ("1y", date(2027, 3, 19), date(2028, 3, 19)),
        ("0d", date(2027, 3, 19), date(2027, 3, 19)),
        ("-16d", date(2027, 3, 19), date(2027, 3, 3)),  # ROL deadline from Match Day 2027
        ("-4d", date(2025, 3, 21), date(2025, 3, 17)),  # Match Week from Match Day 2025
        ("21d", date(2026, 9, 2), date(2026, 9, 23)),  # ERAS review from submission 2027
    ],
)
def test_after(text: str, start: date, expected: date) -> None:
    assert Duration.parse(text).after(start) == expected


@pytest.mark.parametrize(
    ("text", "end", "expected"),
    [
        ("6m", date(2027, 5, 22), date(2026, 11, 22)),
        ("4w", date(2027, 3, 3), date(2027, 2, 3)),
        ("-16d", date(2027, 3, 3), date(2027, 3, 19)),  # negative: before goes forwards
        ("1y", date(2028, 3, 1), date(2027, 3, 1)),
    ],
)
def test_before(text: str, end: date, expected: date) -> None:
    assert Duration.parse(text).before(end) == expected


@pytest.mark.parametrize(
    ("text", "start", "expected"),
    [
        ("1m", date(2027, 1, 31), date(2027, 2, 28)),  # clamps to the month's last day
        ("1m", date(2028, 1, 31), date(2028, 2, 29)),  # a leap year
        ("1m", date(2027, 3, 31), date(2027, 4, 30)),
        ("7m2w", date(2027, 7, 31), date(2028, 3, 14)),  # 2028-02-29, then two weeks
        ("1y", date(2028, 2, 29), date(2029, 2, 28)),
        ("-1m", date(2027, 3, 31), date(2027, 2, 28)),
    ],
)
def test_after_clamps_at_month_end(text: str, start: date, expected: date) -> None:
    assert Duration.parse(text).after(start) == expected


@pytest.mark.parametrize(
    ("text", "end", "expected"),
    [
        ("1m", date(2027, 3, 31), date(2027, 2, 28)),
        ("1m", date(2028, 3, 30), date(2028, 2, 29)),
        ("6m", date(2027, 8, 31), date(2027, 2, 28)),
    ],
)
def test_before_clamps_at_month_end(text: str, end: date, expected: date) -> None:
    assert Duration.parse(text).before(end) == expected


def test_month_arithmetic_is_not_always_reversible() -> None:
    # Why the planner searches for latest starts instead of subtracting: Jan 31 + 1m is
    # Feb 28, but Feb 28 - 1m is Jan 28.
    month = Duration.parse("1m")
    assert month.before(month.after(date(2027, 1, 31))) == date(2027, 1, 28)


# -- after / before: business days ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "expected"),
    [
        ("1bd", date(2027, 1, 1), date(2027, 1, 4)),  # Friday -> Monday
        ("1bd", date(2027, 1, 2), date(2027, 1, 4)),  # Saturday -> Monday
        ("1bd", date(2027, 1, 3), date(2027, 1, 4)),  # Sunday -> Monday
        ("1bd", date(2027, 1, 4), date(2027, 1, 5)),  # Monday -> Tuesday
        ("5bd", date(2027, 1, 4), date(2027, 1, 11)),  # a working week
        ("16bd", date(2026, 12, 27), date(2027, 1, 18)),  # OET results, from a Sunday
        ("16bd", date(2027, 2, 5), date(2027, 3, 1)),  # from a Friday
        ("0bd", date(2027, 1, 2), date(2027, 1, 2)),  # no days: no move, even on a weekend
        ("-1bd", date(2027, 1, 4), date(2027, 1, 1)),  # Monday -> Friday
        ("-16bd", date(2027, 1, 18), date(2026, 12, 25)),  # Monday, back over New Year
    ],
)
def test_after_business_days(text: str, start: date, expected: date) -> None:
    assert Duration.parse(text).after(start) == expected


@pytest.mark.parametrize(
    ("text", "end", "expected"),
    [
        ("1bd", date(2027, 1, 4), date(2027, 1, 1)),  # Monday -> Friday
        ("1bd", date(2027, 1, 3), date(2027, 1, 1)),  # Sunday -> Friday
        ("16bd", date(2027, 1, 18), date(2026, 12, 25)),
        ("-1bd", date(2027, 1, 1), date(2027, 1, 4)),  # negative: before goes forwards
    ],
)
def test_before_business_days(text: str, end: date, expected: date) -> None:
    assert Duration.parse(text).before(end) == expected


@pytest.mark.parametrize("count", [1, 2, 5, 7, 16, 23])
def test_business_days_skip_every_weekend(count: int) -> None:
    # counted independently: each weekday after the start, weekends not counted
    start = date(2026, 11, 22)
    for offset in range(14):
        day = start + timedelta(days=offset)
        cursor, left = day, count
        while left:
            cursor += timedelta(days=1)
            if cursor.weekday() < 5:
                left -= 1
        landed = Duration.parse(f"{count}bd").after(day)
        assert landed == cursor
        assert landed.weekday() < 5


# -- the same dates as dateutil's relativedelta ----------------------------------------------


@settings(max_examples=500, deadline=None)
@given(
    start=st.dates(min_value=date(1950, 1, 1), max_value=date(2150, 12, 31)),
    years=st.integers(0, 10),
    months=st.integers(0, 30),
    weeks=st.integers(0, 60),
    days=st.integers(0, 400),
    negative=st.booleans(),
)
def test_calendar_arithmetic_matches_relativedelta(
    start: date, years: int, months: int, weeks: int, days: int, negative: bool
) -> None:
    # Duration shifts dates itself (a relativedelta per shift was most of the planner's time);
    # relativedelta is the reference for what a month after 31 January is.
    duration = Duration(years=years, months=months, weeks=weeks, days=days, negative=negative)
    delta = relativedelta(years=years, months=months, weeks=weeks, days=days)
    forward, backward = (start - delta, start + delta) if negative else (start + delta,
                                                                          start - delta)
    assert duration.after(start) == forward
    assert duration.before(start) == backward


def _counted(day: date, count: int, forward: bool) -> date:
    """Business days counted one day at a time: what the constant-time shift must equal."""
    step = timedelta(days=1 if forward else -1)
    while count:
        day += step
        if day.weekday() < 5:
            count -= 1
    return day


@pytest.mark.parametrize("forward", [True, False])
def test_business_days_shift_as_if_counted_one_by_one(forward: bool) -> None:
    start = date(2026, 1, 1)
    for offset in range(21):  # three weeks of starting days, weekends included
        day = start + timedelta(days=offset)
        for count in range(1, 40):
            text = f"{count}bd" if forward else f"-{count}bd"
            assert Duration.parse(text).after(day) == _counted(day, count, forward), (day, count)
