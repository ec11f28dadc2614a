"""The calendar of one Match cycle: its key dates, published where known, estimated elsewhere.

Pure: rules and a Match year in, key dates out. A published date always wins over the rule,
and a relative rule starts from whatever its anchor resolved to (so the 2026 rank-order-list
deadline is estimated from the published 2026 Match Day).
"""

from __future__ import annotations

import datetime as dt
from datetime import date, timedelta
from typing import Literal

from dateutil.relativedelta import FR, MO, SA, SU, TH, TU, WE, relativedelta, weekday

from imgplan.core.datatype import datatype
from imgplan.core.errors import UsageError
from imgplan.core.rules import CalendarRule, KeyDateRule, RelativeRule, Rules

_WEEKDAYS: dict[str, weekday] = {
    "MO": MO, "TU": TU, "WE": WE, "TH": TH, "FR": FR, "SA": SA, "SU": SU,
}


# official: published by the body that sets it (NRMP, AAMC, ECFMG, FSMB/USMLE, the application
# service); secondary: a published date found only in a secondary source; estimated: from the
# cycle's pattern (a rule the body publishes itself, residency on July 1, is official).
Basis = Literal["official", "secondary", "estimated"]
BASIS_WORDS: dict[str, str] = {"official": "official", "secondary": "published (secondary source)",
                               "estimated": "estimated"}


@datatype(frozen=True)
class KeyDate:
    """One dated event of a Match cycle, with its basis: official or secondary (with its source)
    or estimated (with its rule)."""

    id: str
    name: str
    date: date
    basis: Basis
    source: str
    kind: str
    rule: str | None  # the estimating rule, for an estimated date
    time: str | None = None
    last_verified: dt.date | None = None  # when its source (or rule) was last checked

    @property
    def official(self) -> bool:
        return self.basis == "official"

    @property
    def estimated(self) -> bool:
        return self.basis == "estimated"

    @property
    def label(self) -> str:
        return BASIS_WORDS[self.basis]


def match_year_range(rules: Rules, today: date) -> tuple[int, int]:
    """The Match years imgplan can compute: from the first patterned cycle to a horizon."""
    return rules.calendar.first_match_year, today.year + rules.calendar.years_ahead


def check_match_year(rules: Rules, match_year: int, today: date) -> None:
    first, last = match_year_range(rules, today)
    if first > last:
        # A --today (or $IMGPLAN_TODAY) so early that no year is in reach: blaming --match
        # here would print a backwards range ("2023-1915") for a flag the person never gave.
        raise UsageError(
            f"{today} is too early: imgplan plans at most {rules.calendar.years_ahead} years "
            f"ahead, and its calendar starts with Match {first}",
            field="today",
        )
    if not first <= match_year <= last:
        raise UsageError(
            f"Match {match_year} is outside the years imgplan can compute ({first}-{last})",
            field="--match",
            hint=f"the calendar's pattern holds from Match {first}; give a year like "
            # a year inside the range, even when today is near one of its ends
            f"{min(max(today.year + 2, first), last)}",
        )


# A year's key dates are the same for every plan made from one rules object, and rules are
# read-only (imgplan.core.rules): computed once per (rules, year), they make the earliest-
# feasible search and a cohort's thousand plans cheap (issue 15). The rules object is kept
# beside its dates so that its id cannot be reused while cached.
_KEY_DATES: dict[tuple[int, int], tuple[Rules, dict[str, KeyDate]]] = {}


def key_dates(rules: Rules, match_year: int) -> dict[str, KeyDate]:
    """Every key date of Match ``match_year``, in date order (a new dict; the key dates in it
    are shared, and never changed)."""
    kept = _KEY_DATES.get((id(rules), match_year))
    if kept is None:
        kept = (rules, _computed(rules, match_year))
        _KEY_DATES[(id(rules), match_year)] = kept
    return dict(kept[1])


def _computed(rules: Rules, match_year: int) -> dict[str, KeyDate]:
    published = rules.published.get(match_year, {})
    by_id = {rule.id: rule for rule in rules.key_dates}
    resolved: dict[str, KeyDate] = {}

    def resolve(rule: KeyDateRule) -> KeyDate:
        if rule.id in resolved:
            return resolved[rule.id]
        if rule.id in published:
            fact = published[rule.id]
            found = KeyDate(rule.id, rule.name, fact.date,
                            "official" if fact.kind == "official" else "secondary",
                            fact.source, fact.kind, None, rule.time, fact.last_verified)
        else:
            estimate = rule.estimate
            if isinstance(estimate, RelativeRule):
                day = estimate.offset.after(resolve(by_id[estimate.from_]).date)
            else:
                day = _on_calendar(estimate, match_year)
            basis: Basis = "official" if rule.exact and rule.kind == "official" else \
                "estimated"
            found = KeyDate(rule.id, rule.name, day, basis, rule.source, rule.kind,
                            rule.rule, rule.time, rule.last_verified)
        resolved[rule.id] = found
        return found

    for rule in rules.key_dates:
        resolve(rule)
    return dict(sorted(resolved.items(), key=lambda item: (item[1].date, item[0])))


def _on_calendar(rule: CalendarRule, match_year: int) -> date:
    year = match_year + rule.year
    day = min(rule.day, _days_in_month(year, rule.month))
    found: date = date(year, rule.month, day)
    if rule.weekday is not None:
        found = found + relativedelta(weekday=_WEEKDAYS[rule.weekday](+rule.nth))
    if rule.roll is not None:
        step = timedelta(days=1 if rule.roll == "next_business_day" else -1)
        while found.weekday() >= 5:
            found += step
    return found


def _days_in_month(year: int, month: int) -> int:
    following = date(year + month // 12, month % 12 + 1, 1)
    return (following - timedelta(days=1)).day


def first_open_match_year(rules: Rules, today: date) -> int:
    """The first Match whose last door (``calendar.closes``: the rank-order-list deadline)
    has not passed."""
    year = max(today.year, rules.calendar.first_match_year)
    while True:
        dates = key_dates(rules, year)
        last = dates.get(rules.calendar.closes) or dates[list(dates)[-1]]
        if last.date >= today:
            return year
        year += 1
