"""The Match-cycle calendar: published dates as published, other years by the cycle's pattern.

The expected dates are written here from domain-facts.md §0-§2 and computed with plain
``datetime`` loops, independently of the relativedelta rules in ``data/rules.yaml``.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from imgplan.core.cycle import check_match_year, first_open_match_year, key_dates, match_year_range
from imgplan.core.errors import UsageError
from packaged import packaged_rules

KEY_DATE_IDS = {
    "eras_opens", "eras_tokens", "eras_submit", "eras_review", "nrmp_registration_opens",
    "nrmp_registration_deadline", "ranking_opens", "rol_deadline", "match_week", "match_day",
    "residency_start",
}  # fmt: skip
MON, WED, FRI = 0, 2, 4


def _dates(year: int) -> dict[str, date]:
    return {key_id: kd.date for key_id, kd in key_dates(packaged_rules(), year).items()}


# -- independent calendar helpers ------------------------------------------------------------


def nth_weekday(year: int, month: int, weekday: int, nth: int) -> date:
    found = [date(year, month, d) for d in range(1, 32)
             if d <= _month_days(year, month) and date(year, month, d).weekday() == weekday]
    return found[nth - 1]


def first_weekday_on_or_after(day: date, weekday: int) -> date:
    while day.weekday() != weekday:
        day += timedelta(days=1)
    return day


def roll(day: date, step: int) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=step)
    return day


def _month_days(year: int, month: int) -> int:
    return ((date(year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)).day


# -- published years -------------------------------------------------------------------------

# (match year, key date, published date, official?) from domain-facts.md §0-§2.
PUBLISHED = [
    (2023, "rol_deadline", date(2023, 3, 1), "official"),
    (2023, "match_day", date(2023, 3, 17), "official"),
    (2023, "match_week", date(2023, 3, 13), "official"),
    (2023, "eras_opens", date(2022, 6, 8), "official"),
    (2023, "eras_submit", date(2022, 9, 7), "official"),
    (2023, "eras_review", date(2022, 9, 28), "official"),
    (2023, "ranking_opens", date(2023, 2, 1), "official"),
    (2024, "rol_deadline", date(2024, 2, 28), "official"),
    (2024, "match_day", date(2024, 3, 15), "official"),
    (2024, "match_week", date(2024, 3, 11), "secondary"),
    (2024, "ranking_opens", date(2024, 2, 1), "official"),
    (2024, "eras_opens", date(2023, 6, 7), "secondary"),
    (2024, "eras_tokens", date(2023, 6, 28), "official"),
    (2024, "eras_submit", date(2023, 9, 6), "secondary"),
    (2024, "eras_review", date(2023, 9, 27), "secondary"),
    (2024, "nrmp_registration_opens", date(2023, 9, 15), "secondary"),
    (2024, "residency_start", date(2024, 7, 1), "official"),
    (2025, "rol_deadline", date(2025, 3, 5), "secondary"),
    (2025, "match_day", date(2025, 3, 21), "official"),
    (2025, "match_week", date(2025, 3, 17), "official"),
    (2025, "ranking_opens", date(2025, 2, 3), "secondary"),
    (2025, "nrmp_registration_opens", date(2024, 9, 16), "official"),  # NRMP newsletter
    (2025, "nrmp_registration_deadline", date(2025, 1, 31), "secondary"),
    (2025, "eras_submit", date(2024, 9, 4), "secondary"),
    (2025, "eras_review", date(2024, 9, 25), "secondary"),
    (2025, "eras_opens", date(2024, 6, 5), "estimated"),  # [D]: derived, not published
    (2025, "residency_start", date(2025, 7, 1), "official"),
    (2026, "match_day", date(2026, 3, 20), "official"),
    (2026, "match_week", date(2026, 3, 16), "official"),  # NRMP newsletter: Mar 16-20
    (2026, "rol_deadline", date(2026, 3, 4), "estimated"),  # [D]: 16 days before the official day
    (2026, "eras_opens", date(2025, 6, 4), "official"),
    (2026, "eras_submit", date(2025, 9, 3), "official"),
    (2026, "eras_review", date(2025, 9, 24), "official"),
    (2026, "nrmp_registration_opens", date(2025, 9, 15), "official"),
    (2026, "ranking_opens", date(2026, 2, 2), "estimated"),  # "presumably Mon Feb 2"
    (2026, "nrmp_registration_deadline", date(2026, 1, 30), "estimated"),  # ~Jan 30 [D,L]
    (2026, "residency_start", date(2026, 7, 1), "official"),
    (2027, "eras_opens", date(2026, 6, 3), "secondary"),  # Quanta Prep, [S2]
    (2027, "eras_submit", date(2026, 9, 2), "estimated"),
    (2027, "eras_review", date(2026, 9, 23), "estimated"),
    (2027, "nrmp_registration_opens", date(2026, 9, 15), "estimated"),
    (2027, "ranking_opens", date(2027, 2, 1), "estimated"),
    (2027, "rol_deadline", date(2027, 3, 3), "estimated"),
    (2027, "match_week", date(2027, 3, 15), "estimated"),
    (2027, "match_day", date(2027, 3, 19), "estimated"),
]


@pytest.mark.parametrize(("year", "key_id", "expected", "basis"), PUBLISHED)
def test_published_and_derived_dates_of_domain_facts(
    year: int, key_id: str, expected: date, basis: str
) -> None:
    # official only from the body that sets the date; a date from a university page, a prep
    # blog or a press wire is published but secondary (issue 11)
    found = key_dates(packaged_rules(), year)[key_id]
    assert found.date == expected
    assert found.basis == basis
    assert found.official is (basis == "official")
    assert found.label == {"official": "official", "secondary": "published (secondary source)",
                           "estimated": "estimated"}[basis]


@pytest.mark.parametrize(
    ("year", "rol", "match_day"),
    [
        (2024, date(2024, 2, 28), date(2024, 3, 15)),
    ],
)
def test_official_rol_deadline_and_match_day(year: int, rol: date, match_day: date) -> None:
    # 2025's deadline is known only from a university's copy of NRMP's calendar: secondary
    dates = key_dates(packaged_rules(), year)
    assert (dates["rol_deadline"].date, dates["rol_deadline"].official) == (rol, True)
    assert (dates["match_day"].date, dates["match_day"].official) == (match_day, True)
    # an official date carries its source and no estimating rule
    for key_id in ("rol_deadline", "match_day"):
        assert dates[key_id].rule is None
        assert dates[key_id].source.strip()


def test_match_2026_rol_deadline_is_estimated_from_the_official_match_day() -> None:
    dates = key_dates(packaged_rules(), 2026)
    assert dates["match_day"].date == date(2026, 3, 20)
    assert dates["match_day"].official is True
    assert dates["rol_deadline"].date == date(2026, 3, 4)
    assert dates["rol_deadline"].official is False
    assert dates["rol_deadline"].rule == (
        "the Wednesday 16 days before Match Day (observed for Match 2023-2025; earlier cycles "
        "used about 23 days; early March in most years)")


def test_published_sources_are_the_ones_in_the_rules_file() -> None:
    dates = key_dates(packaged_rules(), 2025)
    assert dates["match_day"].source == (
        "NRMP Medical School Welcome Newsletter "
        "https://www.nrmp.org/about/news/2024/09/medical-school-welcome-newsletter/")
    assert dates["match_day"].kind == "official"
    assert dates["rol_deadline"].source == (
        "UPR copy of the NRMP 2025 calendar https://md.rcm.upr.edu/adsa/careers-in-medicine/")
    assert dates["rol_deadline"].kind == "secondary"
    assert dates["match_day"].time == "12 p.m. ET"
    assert dates["rol_deadline"].time == "9 p.m. ET"


# -- estimated years -------------------------------------------------------------------------

FUTURE = range(2027, 2041)


@pytest.mark.parametrize("year", FUTURE)
def test_estimated_years_follow_the_pattern(year: int) -> None:
    dates = _dates(year)
    match_day = nth_weekday(year, 3, FRI, 3)
    expected = {
        "match_day": match_day,
        "rol_deadline": match_day - timedelta(days=16),
        "match_week": match_day - timedelta(days=4),
        "eras_opens": first_weekday_on_or_after(date(year - 1, 6, 3), WED),
        "eras_submit": nth_weekday(year - 1, 9, WED, 1),
        "nrmp_registration_opens": roll(date(year - 1, 9, 15), +1),
        "nrmp_registration_deadline": roll(date(year, 1, 31), -1),
        "ranking_opens": roll(date(year, 2, 1), +1),
        "residency_start": date(year, 7, 1),
    }
    expected["eras_review"] = expected["eras_submit"] + timedelta(days=21)
    expected["eras_tokens"] = expected["eras_opens"] + timedelta(days=21)
    for key_id, day in expected.items():
        assert dates[key_id] == day, key_id
    # the shape of the pattern, stated as domain-facts.md states it
    assert dates["match_day"].weekday() == FRI and 15 <= dates["match_day"].day <= 21
    assert dates["rol_deadline"].weekday() == WED
    assert dates["match_week"].weekday() == MON
    assert dates["eras_opens"].weekday() == WED
    assert date(year - 1, 6, 3) <= dates["eras_opens"] <= date(year - 1, 6, 9)
    assert dates["eras_submit"].weekday() == WED and dates["eras_submit"].day <= 7
    assert dates["eras_review"].weekday() == WED
    assert dates["nrmp_registration_opens"].weekday() < 5
    assert date(year - 1, 9, 15) <= dates["nrmp_registration_opens"] <= date(year - 1, 9, 17)


@pytest.mark.parametrize("year", FUTURE)
def test_estimated_years_are_labelled_estimated_with_their_rule(year: int) -> None:
    dates = key_dates(packaged_rules(), year)
    assert set(dates) >= KEY_DATE_IDS
    for key_id, found in dates.items():
        if key_id == "residency_start":
            # the rule itself is official: residency starts July 1 of the Match year
            assert found.official is True
            continue
        if year == 2027 and key_id == "eras_opens":
            continue  # published for ERAS 2027
        assert found.official is False, key_id
        assert found.rule, key_id
        assert found.label == "estimated"


def test_match_2031_match_day_is_the_third_friday_estimated() -> None:
    found = key_dates(packaged_rules(), 2031)["match_day"]
    assert found.date == date(2031, 3, 21)
    assert found.official is False
    assert found.rule == "third Friday of March of the Match year"


@pytest.mark.parametrize(
    ("year", "match_day", "rol"),
    [
        (2028, date(2028, 3, 17), date(2028, 3, 1)),
        (2029, date(2029, 3, 16), date(2029, 2, 28)),  # Feb: Match Day on or before Mar 16
        (2030, date(2030, 3, 15), date(2030, 2, 27)),
        (2031, date(2031, 3, 21), date(2031, 3, 5)),
        (2032, date(2032, 3, 19), date(2032, 3, 3)),
        (2035, date(2035, 3, 16), date(2035, 2, 28)),
        (2036, date(2036, 3, 21), date(2036, 3, 5)),
        (2040, date(2040, 3, 16), date(2040, 2, 29)),  # a leap year
    ],
)
def test_match_day_and_rol_deadline_by_hand(year: int, match_day: date, rol: date) -> None:
    dates = _dates(year)
    assert (dates["match_day"], dates["rol_deadline"]) == (match_day, rol)


@pytest.mark.parametrize(
    ("year", "opens"),
    [
        (2028, date(2027, 9, 15)),  # Wednesday
        (2029, date(2028, 9, 15)),  # Friday
        (2031, date(2030, 9, 16)),  # Sep 15 2030 is a Sunday
        (2032, date(2031, 9, 15)),  # Monday
        (2034, date(2033, 9, 15)),  # Thursday
        (2037, date(2036, 9, 15)),  # Monday
        (2036, date(2035, 9, 17)),  # Sep 15 2035 is a Saturday
    ],
)
def test_nrmp_registration_rolls_to_the_next_business_day(year: int, opens: date) -> None:
    assert _dates(year)["nrmp_registration_opens"] == opens


def test_key_dates_come_in_date_order() -> None:
    for year in (2024, 2026, 2029, 2040):
        days = list(_dates(year).values())
        assert days == sorted(days)
        assert list(key_dates(packaged_rules(), year))[-1] == "residency_start"


def test_a_published_date_wins_and_relative_rules_start_from_it() -> None:
    # ERAS 2027 opening is published (June 3, 2026); tokens are 21 days after it.
    dates = key_dates(packaged_rules(), 2027)
    assert dates["eras_opens"].date == date(2026, 6, 3)
    assert dates["eras_tokens"].date == date(2026, 6, 24)
    assert dates["eras_tokens"].official is False


# -- the range of years ----------------------------------------------------------------------

TODAY = date(2026, 11, 22)


def test_match_year_range() -> None:
    assert match_year_range(packaged_rules(), TODAY) == (2023, 2041)


@pytest.mark.parametrize("year", [2023, 2027, 2041])
def test_check_match_year_accepts_the_range(year: int) -> None:
    check_match_year(packaged_rules(), year, TODAY)  # no error


@pytest.mark.parametrize("year", [-5, 0, 1999, 2022, 2042, 2100])
def test_check_match_year_refuses_outside_the_range(year: int) -> None:
    with pytest.raises(UsageError) as caught:
        check_match_year(packaged_rules(), year, TODAY)
    assert str(caught.value) == (
        f"--match: Match {year} is outside the years imgplan can compute (2023-2041) "
        "(the calendar's pattern holds from Match 2023; give a year like 2028)")
    assert caught.value.exit_code == 2


@pytest.mark.parametrize(
    ("today", "first"),
    [
        (date(2026, 11, 22), 2027),
        (date(2026, 3, 4), 2026),  # the ROL deadline day itself is still open
        (date(2026, 3, 5), 2027),
        (date(2026, 1, 1), 2026),
        (date(2027, 3, 3), 2027),
        (date(2027, 3, 4), 2028),
        (date(2027, 12, 31), 2028),
        (date(2029, 2, 28), 2029),  # ROL deadline 2029-02-28
        (date(2029, 3, 1), 2030),
        (date(2020, 6, 1), 2023),  # never before the first computed year
    ],
)
def test_first_open_match_year(today: date, first: int) -> None:
    assert first_open_match_year(packaged_rules(), today) == first


def test_check_match_year_hints_at_a_year_inside_the_range() -> None:
    # today 2019: two years ahead would be 2021, before the first year imgplan computes
    with pytest.raises(UsageError) as caught:
        check_match_year(packaged_rules(), 2019, date(2019, 1, 1))
    assert str(caught.value) == (
        "--match: Match 2019 is outside the years imgplan can compute (2023-2034) "
        "(the calendar's pattern holds from Match 2023; give a year like 2023)")


def test_a_today_too_early_for_any_year_blames_today() -> None:
    # found while testing: this said "Match 2023 is outside ... (2023-1915)" and blamed
    # --match, which the person had not given
    with pytest.raises(UsageError) as caught:
        check_match_year(packaged_rules(), 2023, date(1900, 1, 1))
    assert str(caught.value) == (
        "today: 1900-01-01 is too early: imgplan plans at most 15 years ahead, and its "
        "calendar starts with Match 2023")
