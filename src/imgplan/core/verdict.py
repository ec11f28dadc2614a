"""Which Match to plan, and whether it can still be entered: the policy every planning command
follows, as one pure function.

``--match`` wins over the profile's target; without either, the earliest feasible Match is
planned (else the first still open). A year outside the computable range, or a Match already
closed, is refused, and the person is told the first Match still open. The earliest feasible
Match is searched once and carried in the plan.
"""

from __future__ import annotations

from datetime import date

from imgplan.core.cycle import (
    check_match_year,
    first_open_match_year,
    key_dates,
    match_year_range,
)
from imgplan.core.errors import UsageError, quoted
from imgplan.core.planner import (
    Person,
    Plan,
    Searched,
    earliest_feasible_match,
    entered,
    first_open_year,
    plan,
)
from imgplan.core.rules import Pace, Rules, Visa

# Where a refusal points when the year came from the profile, not from --match.
PROFILE_FIELD = "match_year"
PROFILE_HINT = "run 'imgplan profile set match YEAR' or give --match"


def plan_for(rules: Rules, *, today: date, pace: Pace, visa: Visa, person: Person,
             requested: int | None, target: int | None) -> Plan:
    """The plan for ``requested`` (``--match``), else ``target`` (the profile's), else the
    earliest feasible Match. A refusal of the profile's year names the field ``match_year``,
    so that the edge can name the profile's file."""
    searched = Searched()
    earliest = earliest_feasible_match(rules, today=today, pace=pace, visa=visa, person=person,
                                       searched=searched)
    from_profile = requested is None and target is not None
    if requested is not None:
        year = requested
    elif target is not None:
        year = target
    else:
        year = earliest or first_open_year(rules, today, person)
    try:
        check_match_year(rules, year, today)
    except UsageError as exc:
        # Found by the hostile-input tests: a year out of range in the profile was blamed on
        # --match, a flag the person never gave.
        if not from_profile or exc.field != "--match":
            raise
        raise UsageError(exc.message, field=PROFILE_FIELD, hint=PROFILE_HINT) from None
    dates = key_dates(rules, year)
    closes = dates.get(rules.calendar.closes)
    if closes is not None and closes.date < today and not entered(rules, year, today, person):
        hint = f"the first Match still open is {first_open_match_year(rules, today)}"
        if from_profile:
            raise UsageError(f"your target Match {year} is closed: its "
                             f"{rules.calendar.closes_name} was {closes.date}", field=PROFILE_FIELD,
                             hint=f"{hint}; {PROFILE_HINT}")
        raise UsageError(f"Match {year} is closed: its {rules.calendar.closes_name} was "
                         f"{closes.date}", field="--match", hint=hint)
    return plan(rules, year, today=today, pace=pace, visa=visa, person=person,
                earliest_feasible=earliest, searched=searched)


def open_match_year(rules: Rules, value: object, today: date, *,
                    field: str = "--match", person: Person | None = None) -> int:
    """``value`` (a year as a person typed it) as a Match year imgplan can plan and that is
    still open on ``today``: what ``init`` and ``profile set match`` accept as a target."""
    text = str(value).strip()
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        raise UsageError(f"{quoted(value)} is not a year", field=field, hint="e.g. 2028")
    year = int(text)
    open_year = first_open_year(rules, today, person or Person())
    last = match_year_range(rules, today)[1]
    if year < open_year:
        raise UsageError(f"Match {year} is closed", field=field,
                         hint=f"the first Match still open is {open_year}")
    if year > last:
        raise UsageError(f"Match {year} is beyond the years imgplan can plan (up to {last})",
                         field=field)
    return year


def target_note(rules: Rules, year: int, *, today: date, pace: Pace, visa: Visa,
                person: Person) -> tuple[str | None, int | None]:
    """What to tell a person who picks Match ``year`` as their target, and the earliest
    feasible Match: (None, year) when the year works."""
    chosen = plan(rules, year, today=today, pace=pace, visa=visa, person=person)
    if chosen.feasible:
        return None, year
    earliest = earliest_feasible_match(rules, today=today, pace=pace, visa=visa, person=person)
    later = (f"the earliest Match that works is {earliest}" if earliest is not None
             else "no Match in imgplan's horizon works at this pace")
    if chosen.eligible:
        return (f"Match {year} is possible but weak from where you stand (a strong application "
                f"needs more time): {later}."), earliest
    return (f"Match {year} cannot be made from where you stand: {later} ('imgplan timeline "
            f"--match {year}' shows what breaks it)."), earliest
