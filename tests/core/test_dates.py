from __future__ import annotations

from datetime import date

import pytest

from imgplan.core.dates import format_date, human_date, parse_date
from imgplan.core.errors import UsageError

FORMS_HINT = "write it as 2026-03-15, 2026-03, 15 March 2026 or March 2026"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-15", date(2026, 3, 15)),
        ("  2026-03-15\n", date(2026, 3, 15)),
        ("2026-3-5", date(2026, 3, 5)),
        ("2026-03", date(2026, 3, 1)),
        ("2026-12", date(2026, 12, 1)),
        ("15 March 2026", date(2026, 3, 15)),
        ("15 Mar 2026", date(2026, 3, 15)),
        ("15 MARCH 2026", date(2026, 3, 15)),
        ("15 march 2026", date(2026, 3, 15)),
        ("15th March 2026", date(2026, 3, 15)),
        ("1st Sept 2026", date(2026, 9, 1)),
        ("2nd Sep 2026", date(2026, 9, 2)),
        ("23rd September 2026", date(2026, 9, 23)),
        ("March 15, 2026", date(2026, 3, 15)),
        ("Mar 15 2026", date(2026, 3, 15)),
        ("Mar 15th, 2026", date(2026, 3, 15)),
        ("march  15,  2026", date(2026, 3, 15)),
        ("March 2026", date(2026, 3, 1)),
        ("Mar 2026", date(2026, 3, 1)),
        ("sept 2026", date(2026, 9, 1)),
        ("25/03/2026", date(2026, 3, 25)),
        ("25.03.2026", date(2026, 3, 25)),
        ("25-03-2026", date(2026, 3, 25)),
        ("3.25.2026", date(2026, 3, 25)),
        ("03/25/2026", date(2026, 3, 25)),
        ("04/04/2026", date(2026, 4, 4)),
        ("12/12/2026", date(2026, 12, 12)),
        ("31/12/2026", date(2026, 12, 31)),
        ("1900-01-01", date(1900, 1, 1)),
        ("2200-12-31", date(2200, 12, 31)),
    ],
)
def test_accepted_forms(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "message", "hint"),
    [
        ("", "'' is not a date", FORMS_HINT),
        ("   ", "'' is not a date", FORMS_HINT),
        ("tomorrow", "'tomorrow' is not a date", FORMS_HINT),
        ("next Friday", "'next Friday' is not a date", FORMS_HINT),
        ("2026/03/15", "'2026/03/15' is not a date", FORMS_HINT),
        ("25/03.2026", "'25/03.2026' is not a date", FORMS_HINT),
        ("15 Foo 2026", "'15 Foo 2026' is not a date: 'Foo' is not a month", FORMS_HINT),
        ("Marchh 2026", "'Marchh 2026' is not a date: 'Marchh' is not a month", FORMS_HINT),
        (
            "03/04/2026",
            "'03/04/2026' reads two ways (3 April 2026 or March 4, 2026)",
            "write it as 2026-04-03 or 3 April 2026",
        ),
        (
            "1.12.2026",
            "'1.12.2026' reads two ways (1 December 2026 or January 12, 2026)",
            "write it as 2026-12-01 or 1 December 2026",
        ),
        (
            "11-2-2027",
            "'11-2-2027' reads two ways (11 February 2027 or November 2, 2027)",
            "write it as 2027-02-11 or 11 February 2027",
        ),
        (
            "25/03/26",
            "'25/03/26' is not a date: the year must have 4 digits, not 2",
            "write the year in full, e.g. 2026",
        ),
        (
            "15 March 26",
            "'15 March 26' is not a date: the year must have 4 digits, not 2",
            "write the year in full, e.g. 2026",
        ),
        (
            "March 15, 26",
            "'March 15, 26' is not a date: the year must have 4 digits, not 2",
            "write the year in full, e.g. 2026",
        ),
        (
            "Mar 202",
            "'Mar 202' is not a date: the year must have 4 digits, not 3",
            "write the year in full, e.g. 2026",
        ),
        ("1899-12-31", "'1899-12-31' is not a date: the year 1899 is outside 1900-2200", None),
        ("2201-01-01", "'2201-01-01' is not a date: the year 2201 is outside 1900-2200", None),
        ("2026-02-30", "'2026-02-30' is not a date: February 2026 has 28 days", None),
        ("2026-04-31", "'2026-04-31' is not a date: April 2026 has 30 days", None),
        ("32 March 2026", "'32 March 2026' is not a date: March 2026 has 31 days", None),
        ("2026-13-01", "'2026-13-01' is not a date: there is no month 13", None),
        ("2026-00", "'2026-00' is not a date: there is no month 0", None),
        ("2026-03-00", "'2026-03-00' is not a date: there is no day 0", None),
        ("25/13/2026", "'25/13/2026' is not a date: there is no month 13", None),
        ("31/02/2026", "'31/02/2026' is not a date: February 2026 has 28 days", None),
        ("0/5/2026", "'0/5/2026' is not a date: there is no day 0", None),
    ],
)
def test_refusals(text: str, message: str, hint: str | None) -> None:
    with pytest.raises(UsageError) as info:
        parse_date(text, field="--today")
    err = info.value
    assert err.message == message
    assert err.hint == hint
    assert err.field == "--today"
    assert err.exit_code == 2
    assert "\n" not in str(err)


def test_field_defaults_to_none() -> None:
    with pytest.raises(UsageError) as info:
        parse_date("soon")
    assert info.value.field is None
    assert str(info.value) == f"'soon' is not a date ({FORMS_HINT})"


@pytest.mark.parametrize(
    "text", ["2028-02-29", "29 February 2028", "Feb 29, 2028", "29/02/2028", "2000-02-29"]
)
def test_leap_day_in_a_leap_year(text: str) -> None:
    assert parse_date(text).day == 29


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2027-02-29", "February 2027 has 28 days"),
        ("29 Feb 2027", "February 2027 has 28 days"),
        ("1900-02-29", "February 1900 has 28 days"),
        ("2028-02-30", "February 2028 has 29 days"),
    ],
)
def test_leap_day_outside_a_leap_year(text: str, reason: str) -> None:
    with pytest.raises(UsageError, match=reason) as info:
        parse_date(text)
    assert info.value.message == f"'{text}' is not a date: {reason}"


@pytest.mark.parametrize(
    ("d", "iso"),
    [(date(2026, 3, 15), "2026-03-15"), (date(1900, 1, 1), "1900-01-01")],
)
def test_format_date_round_trips(d: date, iso: str) -> None:
    assert format_date(d) == iso
    assert parse_date(iso) == d


@pytest.mark.parametrize(
    ("d", "shown"),
    [
        (date(2027, 3, 3), "Wed 3 Mar 2027"),
        (date(2026, 3, 15), "Sun 15 Mar 2026"),
        (date(2026, 3, 16), "Mon 16 Mar 2026"),
        (date(2026, 9, 1), "Tue 1 Sep 2026"),
        (date(2026, 12, 31), "Thu 31 Dec 2026"),
        (date(2027, 1, 1), "Fri 1 Jan 2027"),
        (date(2027, 1, 2), "Sat 2 Jan 2027"),
    ],
)
def test_human_date(d: date, shown: str) -> None:
    assert human_date(d) == shown
    assert parse_date(shown[4:]) == d
