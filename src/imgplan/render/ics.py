"""A plan as an iCalendar file (RFC 5545) that a calendar app imports, and imports again.

Every entry is a VEVENT, not a VTODO: Google Calendar and Outlook ignore or mangle imported
to-dos and Apple Calendar sends them to Reminders, while an event shows in every month view.
Entries are all day (a stage as planned spans its days), except a key date whose rule names its
hour ("9 p.m. ET"): it is at that hour in that zone (TZID), so that a person in Lagos or
Karachi sees when the rank-order list really closes. A deadline's weight is carried by its
summary and a reminder (VALARM) one week before each hard deadline.

Nothing here reads the clock: UIDs come from the Match year and the stage or key-date id
(``imgplan-2029-key-match_day@imgplan``), so importing a newer plan updates the entries
instead of duplicating them; DTSTAMP is midnight UTC of ``today`` and SEQUENCE counts days
from 2000-01-01 to ``today``, so the same plan gives byte-identical files and a later plan
carries the higher sequence number that calendar apps honour.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import field
from datetime import date, datetime, timedelta, timezone
from typing import TYPE_CHECKING

from imgplan.core.cycle import KeyDate
from imgplan.core.datatype import datatype
from imgplan.core.dates import human_date
from imgplan.core.planner import Check, Plan, StagePlan
from imgplan.core.rules import Deadline, Rules, Stage

if TYPE_CHECKING:
    from imgplan.core.programs import Program
    from imgplan.render.views import CalendarView, PlanView

PRODID = "-//imgplan//imgplan Match plan//EN"
UID_DOMAIN = "imgplan"
REMINDER = timedelta(weeks=1)
SEQUENCE_EPOCH = date(2000, 1, 1)
DISCLAIMER = ("imgplan is a planning aid, not advice from NRMP, AAMC or ECFMG: confirm every date "
              "on their sites.")
LEVEL_NAMES = {"hard": "hard deadline", "target": "target"}


@datatype
class Entry:
    """One event, before it becomes iCalendar: all day (``until``: the last day of a span), or
    at ``at`` (a key date whose rule names its hour)."""

    uid: str
    day: date
    summary: str
    description: str
    categories: list[str]
    alarm: bool = False
    extra: dict[str, str] = field(default_factory=dict)
    until: date | None = None
    at: datetime | None = None


# The zones the rules' times are given in ("9 p.m. ET"), by their abbreviation.
ZONES = {"ET": "America/New_York", "CT": "America/Chicago", "MT": "America/Denver",
         "PT": "America/Los_Angeles"}
_TIME = re.compile(r"^(\d{1,2})(?::(\d\d))?\s*([ap])\.?m\.?\s+(ET|CT|MT|PT)$", re.IGNORECASE)


def timed(day: date, text: str | None) -> datetime | None:
    """``day`` at the time a rule names ("9 p.m. ET", "11:59 p.m. PT", "12 p.m. ET"), in its
    zone; None when there is no such time, or this system has no zone data (then the entry
    stays all day, as before)."""
    found = _TIME.match(text.strip()) if text else None
    if found is None:
        return None
    hour, minute = int(found[1]) % 12, int(found[2] or 0)
    hour += 12 if found[3].lower() == "p" else 0
    try:
        from zoneinfo import ZoneInfo

        zone = ZoneInfo(ZONES[found[4].upper()])
    except Exception:  # no tz database (a Windows without tzdata): all day it is
        return None
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)


def uid(match_year: int, *parts: str) -> str:
    return f"imgplan-{match_year}-{'-'.join(parts)}@{UID_DOMAIN}"


def plan_ics(plan: Plan, rules: Rules, owner: str | None = None,
             programs: Sequence[Program] = ()) -> bytes:
    """The plan's key dates, each stage's latest start and finish, and its deadlines; the
    interviews on the person's program list."""
    from imgplan.render.words import made, whose

    entries = list(key_date_entries(plan.match_year, plan.key_dates, rules))
    entries += stage_entries(plan, rules)
    entries += interview_entries(plan.match_year, programs)
    name = f"imgplan: {whose(owner, 'plan', plan.match_year)}"
    about = (f"{whose(owner, 'plan', plan.match_year)} ({plan.pace} pace, visa {plan.visa}), "
             f"{made(plan.today)}. {DISCLAIMER}")
    return _calendar(entries, plan.today, name, about)


def interview_entries(match_year: int, programs: Sequence[Program]) -> list[Entry]:
    """Each interview date on the program list, all day; its UID from the program's id (else
    its name and specialty), so a re-export after a change moves the same event."""
    entries = []
    for program in programs:
        if program.interview_date is None:
            continue
        key = "-".join(part for part in program.key if part and part not in ("id", "name"))
        where = ", ".join(p for p in (program.city, program.state) if p)
        lines = [f"Interview with {program.name}" + (f" ({where})" if where else "") + ".",
                 f"On your imgplan program list (status: {program.status})."]
        entries.append(Entry(uid(match_year, "interview", _uid_part(key)),
                             program.interview_date, f"Interview: {program.name}",
                             "\n".join(lines), ["imgplan", "interview"], alarm=True))
    return entries


def _uid_part(text: str) -> str:
    """``text`` as the characters a UID part keeps (letters, digits, hyphens)."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "program"


def calendar_ics(match_year: int, dates: dict[str, KeyDate], rules: Rules, today: date) -> bytes:
    """The key dates of one Match cycle only (the same UIDs as in a plan)."""
    entries = list(key_date_entries(match_year, dates, rules))
    name = f"imgplan: Match {match_year} key dates"
    about = f"Key dates of Match {match_year}, official or estimated. {DISCLAIMER}"
    return _calendar(entries, today, name, about)


# -- the entries ------------------------------------------------------------------------------


def _hard_anchors(rules: Rules) -> set[str]:
    """Key dates that close a door for someone: a hard deadline is anchored on them."""
    return {d.anchor for s in rules.stages for d in s.deadlines if d.level == "hard"}


def key_date_summary(key_date: KeyDate) -> str:
    summary = key_date.name
    if key_date.time and key_date.time not in key_date.name:
        summary += f", {key_date.time}"
    return summary if not key_date.estimated else summary + " (estimated)"


def key_date_origin(key_date: KeyDate) -> str:
    """Official or estimated, with the source or the rule: the honesty line of every entry."""
    if key_date.official:
        return f"Official date. Source: {key_date.source} ({key_date.kind})."
    if not key_date.estimated:
        return (f"Published date, found in a secondary source: {key_date.source}. Confirm it "
                "with the body that sets it.")
    return (f"Estimated from the rule: {key_date.rule}. Confirm it when it is published. "
            f"Source of the rule: {key_date.source} ({key_date.kind}).")


def key_date_entries(match_year: int, dates: dict[str, KeyDate], rules: Rules
                     ) -> Iterator[Entry]:
    hard = _hard_anchors(rules)
    for key_date in dates.values():
        lines = [f"Match {match_year} key date: {key_date.name} ({key_date.id})"
                 + (f", {key_date.time}." if key_date.time else "."),
                 key_date_origin(key_date)]
        categories = ["imgplan", "key date"]
        if key_date.id in hard:
            categories.append("hard deadline")
            lines.append("Hard deadlines of the pathway fall on this date: a reminder comes "
                         "a week before.")
        lines.append(DISCLAIMER)
        yield Entry(uid(match_year, "key", key_date.id), key_date.date,
                    key_date_summary(key_date), "\n".join(lines), categories,
                    alarm=key_date.id in hard, at=timed(key_date.date, key_date.time))


def _rule_of(stage: Stage, check: Check) -> Deadline | None:
    """The rules file's deadline behind a check (None for a window's closing)."""
    for deadline in stage.deadlines:
        if (deadline.level, deadline.anchor, deadline.applies_to) == \
                (check.level, check.anchor, check.applies_to):
            return deadline
    return None


def _is_milestone(stage: Stage) -> bool:
    return stage.duration is not None and all(
        stage.duration.for_pace(p).is_zero for p in ("fast", "typical", "steady"))


def stage_entries(plan: Plan, rules: Rules) -> list[Entry]:
    by_id = {stage.id: stage for stage in rules.stages}
    entries: list[Entry] = []
    for planned in plan.stages:
        stage = by_id.get(planned.id)
        # Done stages need no reminders; a milestone (residency start) is its key date already.
        if stage is None or planned.status == "done" or _is_milestone(stage):
            continue
        own_finish = {check.due for check in planned.checks if check.applies_to == "finish"}
        # every stage the table dates, the interview season too (found by a new user: the
        # one stage of the table missing from the calendar)
        if planned.status != "closed":
            entries.append(_planned(plan, stage, planned))
        if planned.status == "scheduled":
            entries.append(_booked(plan, stage, planned))
        if not stage.spans_window:  # the calendar, not the person, sets a window's dates
            # a stage under way or booked has started: its latest start no longer helps
            if planned.latest_start is not None and planned.status not in (
                    "in_progress", "scheduled"):
                entries.append(_latest(plan, stage, planned, "start", planned.latest_start))
            if planned.latest_finish is not None and planned.latest_finish not in own_finish:
                entries.append(_latest(plan, stage, planned, "finish", planned.latest_finish))
        for check in planned.checks:
            deadline = _rule_of(stage, check)
            if deadline is not None:
                entries.append(_deadline(plan, stage, planned, check, deadline))
    return entries


def _stage_line(stage: Stage) -> str:
    return f"Stage: {stage.name} ({stage.id}). {stage.description}"


def _latest(plan: Plan, stage: Stage, planned: StagePlan, which: str, day: date) -> Entry:
    if which == "start":
        summary = f"Start {stage.label}{' preparation' if stage.exam else ''} (latest)"
        mine, yours = "start", planned.start
    else:
        summary = f"{'Take' if stage.exam else 'Finish'} {stage.label} (latest)"
        mine, yours = "finish", planned.finish
    lines = [
        _stage_line(stage),
        f"The latest day to {mine} it so that every deadline of Match {plan.match_year} is met "
        f"({plan.pace} pace, visa {plan.visa}); your plan has it on {human_date(yours)}.",
        "Computed by imgplan (an estimate, not an official date) from the deadlines of this stage "
        "and of the stages after it; each deadline's key date is official or estimated as "
        "'imgplan calendar' shows.",
    ]
    own = [check for check in planned.checks if _rule_of(stage, check) is not None]
    if own:
        lines.append("Its own deadlines: " + "; ".join(
            f"{LEVEL_NAMES[c.level]} {c.due} ({c.reason})" for c in own) + ".")
    lines.append(DISCLAIMER)
    return Entry(uid(plan.match_year, "stage", stage.id, "latest", which), day, summary,
                 "\n".join(lines), ["imgplan", f"latest {which}"])


def _planned(plan: Plan, stage: Stage, planned: StagePlan) -> Entry:
    """The stage as the plan has it, its first day to its last: the dates the table shows.

    Found by a new user: the calendar held only the latest dates, so a person who followed it
    worked with no slack at all.
    """
    lines = [
        _stage_line(stage),
        f"Planned by imgplan for Match {plan.match_year} ({plan.pace} pace, visa {plan.visa}): "
        f"{human_date(planned.start)} to {human_date(planned.finish)}"
        + (f", {planned.slack_days} days before it must be done." if planned.slack_days
           is not None and planned.slack_days >= 0 else "."),
        "The latest days to start and finish are entries of their own.",
        DISCLAIMER,
    ]
    return Entry(uid(plan.match_year, "stage", stage.id, "planned"), planned.start,
                 f"{stage.label} (planned)", "\n".join(lines), ["imgplan", "planned"],
                 until=max(planned.finish, planned.start))


def _booked(plan: Plan, stage: Stage, planned: StagePlan) -> Entry:
    if stage.exam:  # an exam is booked for its day
        day, summary = planned.finish, f"{stage.label} exam (booked)"
        said = "Booked for this day"
    else:  # a booked period (a US clinical rotation) is shown on its first day
        day = planned.start
        summary = f"{stage.label} begins (booked, until {human_date(planned.finish)})"
        said = f"Booked from this day to {human_date(planned.finish)}"
    lines = [_stage_line(stage),
             f"{said}, as your profile records (Match {plan.match_year} plan).", DISCLAIMER]
    return Entry(uid(plan.match_year, "stage", stage.id, "booked"), day, summary,
                 "\n".join(lines), ["imgplan", "booked"])


def _deadline(plan: Plan, stage: Stage, planned: StagePlan, check: Check,
              deadline: Deadline) -> Entry:
    level = LEVEL_NAMES[check.level]
    if check.applies_to == "start":
        summary, what = f"Start {stage.label} ({level})", "start"
    elif check.applies_to == "result":
        result = stage.result.name if stage.result else "result"
        summary, what = f"{stage.label} {result} out ({level})", f"have its {result}"
    else:
        summary, what = f"Finish {stage.label} ({level})", "finish"
    anchor = plan.key_dates[check.anchor]
    gap = (anchor.date - check.due).days
    when = "on" if gap == 0 else (f"{gap} days before" if gap > 0 else f"{-gap} days after")
    state = "met" if check.met else f"missed by {check.days_late} days"
    kind = ("Hard deadline: an eligibility rule; miss it and Match "
            f"{plan.match_year} is lost." if check.level == "hard" else
            "Target: what a strong application needs.")
    lines = [
        _stage_line(stage),
        f"{kind} {what.capitalize()} by this day: {check.reason}.",
        f"The date: {when} {anchor.name} ({anchor.date}). {key_date_origin(anchor)}",
        f"Your plan: {check.actual} ({state}).",
        f"Source of the deadline: {deadline.source} ({deadline.kind}, last verified "
        f"{deadline.last_verified}).",
        DISCLAIMER,
    ]
    key = uid(plan.match_year, "stage", stage.id, check.level, check.applies_to, check.anchor)
    return Entry(key, check.due, summary, "\n".join(lines), ["imgplan", level],
                 alarm=check.level == "hard")


# -- iCalendar --------------------------------------------------------------------------------


def _calendar(entries: list[Entry], today: date, name: str, about: str) -> bytes:
    from icalendar import Alarm, Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-caldesc", about)
    stamp = datetime(today.year, today.month, today.day, tzinfo=timezone.utc)
    sequence = (today - SEQUENCE_EPOCH).days
    for entry in sorted(entries, key=lambda e: (e.day, e.uid)):
        event = Event()
        event.add("uid", entry.uid)
        event.add("dtstamp", stamp)
        event.add("sequence", sequence)
        if entry.at is not None:  # at its hour, in its zone (TZID): the ROL closes at 9 p.m. ET
            event.add("dtstart", entry.at)
            event.add("dtend", entry.at)
        else:  # all day: the end is exclusive
            event.add("dtstart", entry.day)
            event.add("dtend", (entry.until or entry.day) + timedelta(days=1))
        event.add("summary", entry.summary)
        event.add("description", entry.description)
        event.add("categories", entry.categories)
        event.add("transp", "TRANSPARENT")  # a reminder, not a busy day
        if entry.alarm:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", f"In one week: {entry.summary}")
            alarm.add("trigger", -REMINDER)
            event.add_component(alarm)
        calendar.add_component(event)
    if hasattr(calendar, "add_missing_timezones"):  # icalendar 6.1+: VTIMEZONEs, as RFC 5545
        calendar.add_missing_timezones()                 # asks; older ones name the zone only
    data: bytes = calendar.to_ical()
    return data


def plan_ics_view(view: PlanView) -> bytes:
    return plan_ics(view.plan, view.rules, view.owner,
                    [f.program for f in view.fits])


def calendar_ics_view(view: CalendarView) -> bytes:
    return calendar_ics(view.match_year, view.dates, view.rules, view.today)
