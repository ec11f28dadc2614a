"""Dates typed by a person, and dates shown to one.

People reach the US Match from countries that write dates day-first and month-first, so a
numeric date that reads two ways is refused with a hint rather than guessed.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from imgplan.core.errors import UsageError, quoted

_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_SHORT_MONTHS = tuple(name[:3] for name in _MONTHS)
_SHORT_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

_MONTH_NUMBERS = {name.lower(): n for n, name in enumerate(_MONTHS, 1)}
_MONTH_NUMBERS.update({name.lower(): n for n, name in enumerate(_SHORT_MONTHS, 1)})
_MONTH_NUMBERS["sept"] = 9

_FORMS_HINT = "write it as 2026-03-15, 2026-03, 15 March 2026 or March 2026"

# re.ASCII keeps \d to 0-9: int() would otherwise accept other scripts' digits silently.
_ORD = r"(?:st|nd|rd|th)?"
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})", re.ASCII)
_ISO_MONTH = re.compile(r"(\d{4})-(\d{1,2})", re.ASCII)
_DAY_MONTH_YEAR = re.compile(rf"(\d{{1,2}}){_ORD}\s+([a-z]+)\.?,?\s+(\d+)", re.ASCII | re.I)
_MONTH_DAY_YEAR = re.compile(rf"([a-z]+)\.?\s+(\d{{1,2}}){_ORD},?\s+(\d+)", re.ASCII | re.I)
_MONTH_YEAR = re.compile(r"([a-z]+)\.?,?\s+(\d+)", re.ASCII | re.I)
_NUMERIC = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d+)", re.ASCII)


def parse_date(text: str, *, field: str | None = None) -> date:
    """Read a date a person typed; raise UsageError for anything that is not exactly one date."""
    if len(text) == 10 and text[4] == "-" and text[7] == "-" and text.isascii():
        # the form nearly every date is in (a cohort's thousands): read by Python at once
        try:
            iso = date.fromisoformat(text)
        except ValueError:
            pass  # read below, and told what is wrong with it
        else:
            if 1900 <= iso.year <= 2200:
                return iso
    s = " ".join(text.split())
    q = quoted(s)

    def fail(reason: str | None = None, hint: str | None = _FORMS_HINT) -> UsageError:
        message = f"{q} is not a date" + (f": {reason}" if reason else "")
        return UsageError(message, field=field, hint=hint)

    def year_of(digits: str) -> int:
        if len(digits) != 4:
            raise fail(f"the year must have 4 digits, not {len(digits)}",
                       "write the year in full, e.g. 2026")  # fmt: skip
        year = int(digits)
        if not 1900 <= year <= 2200:
            raise fail(f"the year {year} is outside 1900-2200", None)
        return year

    def month_of(word: str) -> int:
        month = _MONTH_NUMBERS.get(word.lower())
        if month is None:
            raise fail(f"'{word}' is not a month")
        return month

    def build(year: int, month: int, day: int) -> date:
        if not 1 <= month <= 12:
            raise fail(f"there is no month {month}", None)
        days = calendar.monthrange(year, month)[1]
        if day < 1:
            raise fail(f"there is no day {day}", None)
        if day > days:
            raise fail(f"{_MONTHS[month - 1]} {year} has {days} days", None)
        return date(year, month, day)

    if m := _ISO.fullmatch(s):
        return build(year_of(m[1]), int(m[2]), int(m[3]))
    if m := _ISO_MONTH.fullmatch(s):
        return build(year_of(m[1]), int(m[2]), 1)
    if m := _DAY_MONTH_YEAR.fullmatch(s):
        return build(year_of(m[3]), month_of(m[2]), int(m[1]))
    if m := _MONTH_DAY_YEAR.fullmatch(s):
        return build(year_of(m[3]), month_of(m[1]), int(m[2]))
    if m := _MONTH_YEAR.fullmatch(s):
        return build(year_of(m[2]), month_of(m[1]), 1)
    if m := _NUMERIC.fullmatch(s):
        a, b, year = int(m[1]), int(m[3]), year_of(m[4])
        if 1 <= a <= 12 and 1 <= b <= 12 and a != b:
            day_first = date(year, b, a)
            raise UsageError(
                f"{q} reads two ways ({a} {_MONTHS[b - 1]} {year} or {_MONTHS[a - 1]} {b}, {year})",
                field=field,
                hint=f"write it as {format_date(day_first)} or {a} {_MONTHS[b - 1]} {year}",
            )
        day, month = (b, a) if a <= 12 < b else (a, b)
        return build(year, month, day)
    raise fail()


def format_date(d: date) -> str:
    """The ISO form, YYYY-MM-DD, used in files and machine-readable output."""
    return d.isoformat()


def human_date(d: date) -> str:
    """A short form such as 'Wed 3 Mar 2027', the same in every locale."""
    return f"{_SHORT_DAYS[d.weekday()]} {d.day} {_SHORT_MONTHS[d.month - 1]} {d.year}"


def short_date(d: date) -> str:
    """'3 Mar 2027': for tables of planned dates, where the weekday adds nothing."""
    return f"{d.day} {_SHORT_MONTHS[d.month - 1]} {d.year}"
