"""Durations as the rules file writes them: ``6m``, ``7m2w``, ``4w``, ``16bd``, ``-16d``, ``0d``.

Units: ``y`` years, ``m`` months, ``w`` weeks, ``d`` calendar days, ``bd`` business days
(Monday to Friday; OET counts its results turnaround in business days). A leading ``-``
makes the whole duration negative, for offsets before a key date.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from imgplan.core.datatype import datatype

# re.ASCII keeps \d to 0-9, as in imgplan.core.dates: without it "١٢m" (Arabic-Indic digits) or a
# full-width "６m" would be read silently as a number of months.
_TOKEN = re.compile(r"(\d+)(bd|y|m|w|d)", re.ASCII)
_WHOLE = re.compile(r"-?(?:\d+(?:bd|y|m|w|d))+", re.ASCII)


@datatype(frozen=True)
class Duration:
    """A length of time as the rules write it: months, weeks, days and business days."""

    years: int = 0
    months: int = 0
    weeks: int = 0
    days: int = 0
    business_days: int = 0
    negative: bool = False
    text: str = "0d"

    @classmethod
    def parse(cls, text: str) -> Duration:
        """Parse ``text``; raise ValueError with a message a person can act on."""
        compact = str(text).replace(" ", "").lower()
        if not _WHOLE.fullmatch(compact):
            raise ValueError(
                f"'{text}' is not a duration: write a number and a unit, "
                "e.g. 6m, 7m2w, 4w, 16bd (business days), 10d, -16d"
            )
        parts = {"y": 0, "m": 0, "w": 0, "d": 0, "bd": 0}
        for amount, unit in _TOKEN.findall(compact):
            parts[unit] += int(amount)
        if parts["bd"] and (parts["y"] or parts["m"] or parts["w"] or parts["d"]):
            raise ValueError(f"'{text}': business days (bd) cannot be mixed with other units")
        return cls(
            years=parts["y"],
            months=parts["m"],
            weeks=parts["w"],
            days=parts["d"],
            business_days=parts["bd"],
            negative=compact.startswith("-"),
            text=str(text).strip(),
        )

    @property
    def is_zero(self) -> bool:
        return not (self.years or self.months or self.weeks or self.days or self.business_days)

    def approx_days(self) -> float:
        """A length in days for comparing durations (validation, display), never for dates."""
        days = self.years * 365.25 + self.months * 30.44 + self.weeks * 7 + self.days
        days += self.business_days * 7 / 5
        return -days if self.negative else days

    def after(self, start: date) -> date:
        """The date this duration after ``start`` (before it, when negative)."""
        return _shift(start, self, forward=not self.negative)

    def before(self, end: date) -> date:
        """The date this duration before ``end`` (after it, when negative)."""
        return _shift(end, self, forward=self.negative)

    def __str__(self) -> str:
        return self.text

    @property
    def spoken(self) -> str:
        """The length in words, for a sentence: "12 months", "1 year 2 weeks"."""
        parts = [(self.years, "year"), (self.months, "month"), (self.weeks, "week"),
                 (self.days, "day"), (self.business_days, "business day")]
        words = [f"{n} {unit}{'s' if n != 1 else ''}" for n, unit in parts if n]
        return " ".join(words) or "0 days"


ZERO = Duration()


def _shift_business_days(day: date, count: int, *, forward: bool) -> date:
    """``day`` moved by ``count`` business days (Monday to Friday), in constant time.

    Found by the fault review: counting a day at a time, a rules file with 2600bd stages took
    two minutes to plan. A weekend day counts as the weekday before it (going forward) or
    after it (going back): the days met next are the same. From a weekday, five business days
    are one week; what is left (under five) is counted day by day.
    """
    if count == 0:
        return day
    step = 1 if forward else -1
    weekday = day.weekday()
    if weekday >= 5:  # Saturday or Sunday
        day += timedelta(days=(4 - weekday) if forward else (7 - weekday))
    weeks, left = divmod(count, 5)
    day += timedelta(days=7 * weeks * step)
    while left:
        day += timedelta(days=step)
        if day.weekday() < 5:
            left -= 1
    return day


# Every shifted date is held between these: far outside any plan, far inside what Python's
# dates can hold. Found by the fault review: rules that validated (798 stages of ten years in
# a chain) shifted dates past year 9999, a traceback; a plan that reaches these days is one no
# person can follow, and is shown as such, never a crash.
FIRST_DAY, LAST_DAY = date(1800, 1, 1), date(2999, 12, 31)


def _shift(day: date, duration: Duration, *, forward: bool) -> date:
    try:
        shifted = _shifted(day, duration, forward=forward)
    except (OverflowError, ValueError):  # beyond year 1 or 9999
        return LAST_DAY if forward else FIRST_DAY
    return min(max(shifted, FIRST_DAY), LAST_DAY)


def _shifted(day: date, duration: Duration, *, forward: bool) -> date:
    if duration.business_days:
        return _shift_business_days(day, duration.business_days, forward=forward)
    # The arithmetic of dateutil's relativedelta(years=, months=, weeks=, days=), written out:
    # whole months first, the day clamped to the end of a shorter month (31 January + 1 month
    # is 28 or 29 February), then the days. The planner shifts dates thousands of times a run
    # (its backward pass inverts durations by search), and building a relativedelta for each
    # was most of its time. tests/core/test_duration.py checks the dates against relativedelta's.
    sign = 1 if forward else -1
    months = sign * (duration.years * 12 + duration.months)
    if months:
        year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
        month += 1
        day = day.replace(year=year, month=month,
                          day=min(day.day, calendar.monthrange(year, month)[1]))
    days = sign * (duration.weeks * 7 + duration.days)
    return day + timedelta(days=days) if days else day
