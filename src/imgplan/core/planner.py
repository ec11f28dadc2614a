"""The planner: a forward pass from today and a backward pass from the Match year's deadlines.

Pure: rules, key dates, the person's progress and ``today`` in; a ``Plan`` out. Nothing here
reads a file, the clock or the terminal.

Forward: a stage starts at the latest of today, its predecessors' finish (or result) and its
window's opening; it finishes a duration later. Recorded stages are pinned to their dates.

Backward: a stage's latest finish is the earliest of its deadlines and the latest starts its
successors allow. Latest starts are exact inverses of the forward step (month arithmetic clamps
at the end of a month, so ``lf - 1 month`` is not always the last start that still works).

Slack is the least margin, in days, of a stage's own deadline checks and of the constraints its
successors put on it, where a successor's start is still planned (not recorded: done, scheduled
or in progress). So a stage has negative slack exactly when it, or a chain of stages it pushes
late, misses a deadline: some slack < 0 exactly when the plan is not feasible.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterator, Mapping
from dataclasses import field
from datetime import date, timedelta
from functools import cached_property, partial
from typing import Literal

from imgplan.core.cycle import KeyDate, first_open_match_year, key_dates
from imgplan.core.datatype import datatype
from imgplan.core.duration import FIRST_DAY, Duration
from imgplan.core.findings import Finding
from imgplan.core.provenance import stale_finding
from imgplan.core.retakes import next_sitting, steps_window_ends
from imgplan.core.rules import Deadline, Pace, Rules, Service, Stage, Visa
from imgplan.core.services import Applying, ServiceChoice, choose, for_service

Status = Literal["todo", "scheduled", "in_progress", "done", "passed", "failed"]
DONE: frozenset[str] = frozenset({"done", "passed"})
DAY = timedelta(days=1)
CRITICAL_TOLERANCE_DAYS = 3


@datatype
class Progress:
    """What the person has recorded for one stage."""

    status: Status = "todo"
    # dt.date: inside this class body the bare name ``date`` is the field below, not the type
    date: dt.date | None = None  # exam or finish date (scheduled, done, passed, failed)
    started: dt.date | None = None
    attempts: int = 0  # every attempt at an exam so far, passed or not
    implied_by: str | None = None  # inferred from this stage's record, not recorded itself
    sittings: tuple[dt.date, ...] = ()  # the days of the dated attempts, oldest first
    matched: bool = False  # the Match's outcome: matched


_UNRECORDED = Progress()  # a stage the person recorded nothing of (read, never changed)


@datatype
class Person:
    """Everything about the person the planner uses."""

    progress: Mapping[str, Progress] = field(default_factory=dict)
    graduation: date | None = None
    durations: Mapping[str, Duration] = field(default_factory=dict)  # per-stage overrides
    # periods recorded for a stage (first day, last day): US clinical experience
    periods: Mapping[str, list[tuple[date, date]]] = field(default_factory=dict)
    # checklist items the person confirmed, and when (a confirmation may complete a stage)
    confirmations: Mapping[str, date] = field(default_factory=dict)
    # the specialty and the application services it uses by Match year; None: no specialty
    applying: Applying | None = None


@datatype
class Check:
    """One deadline of one stage, against the plan."""

    stage_id: str
    level: Literal["hard", "target"]
    applies_to: Literal["start", "finish", "result"]
    anchor: str
    due: date
    actual: date
    reason: str
    source: str
    # the deadline's kind: official (the body's rule), secondary, or heuristic (imgplan's
    # own margin, or its reading of a calendar)
    kind: str = "official"

    @property
    def met(self) -> bool:
        return self.actual <= self.due

    @property
    def days_late(self) -> int:
        return (self.actual - self.due).days


StageStatus = Literal["upcoming", "scheduled", "in_progress", "done", "late", "overdue",
                      "closed"]
Driver = Literal["person", "calendar"]


@datatype
class StagePlan:
    """One stage's record in the plan: filled pass by pass (see ``_Planner.run``)."""

    id: str
    name: str
    label: str
    phase: str
    description: str
    status: StageStatus
    start: date
    finish: date
    result_date: date | None  # when the stage's result (a score) is out
    result_name: str | None
    # Recorded (done or booked): the dates are the person's, not the planner's.
    pinned: bool
    # Pinned, or in progress since a given day: its start no longer waits for its predecessors,
    # so it puts no constraint on them (see ``backward`` and ``slack``).
    fixed_start: bool
    # What set the start: the person's pace, or the calendar (a window, a stage that waits
    # for one).
    driven_by: Driver
    # The calendar, not the person, sets this stage's dates (it spans a window, waits for one
    # to open, or follows a stage that does): its slack is not the person's to use.
    calendar_bound: bool = False
    implied_by: str | None = None  # done because this recorded stage could not be otherwise
    latest_start: date | None = None
    latest_finish: date | None = None
    hard_latest_finish: date | None = None
    checks: list[Check] = field(default_factory=list)
    slack_days: int | None = None
    critical: bool = False


@datatype
class Plan:
    """The dated plan for one Match year: every stage's record, the key dates, the findings."""

    match_year: int
    today: date
    pace: Pace
    visa: Visa
    key_dates: dict[str, KeyDate]
    stages: list[StagePlan]
    findings: list[Finding]
    earliest_feasible_match: int | None = None
    # the rules' little_slack_days: under it, a stage is worth a look (None: not flagged)
    little_slack_days: int | None = None
    # why no Match can be planned on this road at all (a Step failed as often as the USMLE
    # allows), or None
    closed_by: Finding | None = None
    matched_on: date | None = None  # the Match's outcome recorded: matched, on this day
    # the service the application stages are planned with (None: rules without services)
    application_service: Service | None = None
    specialty: str | None = None  # the specialty's name, when one is recorded
    # what the plan was made from: a plan of the same person for another year or stage
    # (a retake, the earliest feasible Match) starts from the same
    person: Person = field(default_factory=Person)

    @property
    def warnings(self) -> list[str]:
        """The findings' messages (the JSON ``warnings`` of older releases)."""
        return [finding.message for finding in self.findings]

    @cached_property
    def checks(self) -> list[Check]:
        """Every stage's deadline checks, in stage order: made once, the plan being whole when
        it is made (its verdict, what breaks it and its findings all read them; a cohort asks
        a thousand plans several times each)."""
        return [check for stage in self.stages for check in stage.checks]

    @property
    def feasible(self) -> bool:
        # ``met``, written out: asked of every plan of a cohort several times
        return self.closed_by is None and all(c.actual <= c.due for c in self.checks)

    @property
    def eligible(self) -> bool:
        return self.closed_by is None and all(
            c.actual <= c.due for c in self.checks if c.level == "hard")

    def stage(self, stage_id: str) -> StagePlan | None:
        return self._by_id.get(stage_id)

    @cached_property
    def _by_id(self) -> dict[str, StagePlan]:
        return {s.id: s for s in self.stages}  # the plan is whole when it is asked (checks)

    def key_date(self, key_id: str) -> KeyDate | None:
        """The key date ``key_id``, or the one of the plan's service that stands for it (an
        ERAS id: ResidencyCAS's submission for ``eras_submit``)."""
        found = self.key_dates.get(key_id)
        if found is None and self.application_service is not None:
            own = self.application_service.stands_for.get(key_id)
            found = self.key_dates.get(own) if own is not None else None
        return found

    @property
    def cycle_ends(self) -> KeyDate:
        """The cycle's last key date: the day residency starts."""
        return _cycle_end(self.key_dates)

    @property
    def missed(self) -> list[Check]:
        """Missed deadlines, hard ones first, then by date."""
        late = [check for check in self.checks if not check.met]
        return sorted(late, key=lambda c: (c.level != "hard", c.actual, c.stage_id))

    @property
    def breaks(self) -> Check | None:
        """The deadline check that breaks the plan: the first missed, hard ones first."""
        missed = self.missed
        return missed[0] if missed else None

    @property
    def late_chain_start(self) -> StagePlan | None:
        """Where the late chain starts: a stage late itself, with nothing late before it."""
        late = {s.id for s in self.stages if s.slack_days is not None and s.slack_days < 0}
        if not late:
            return None
        roots = [s for s in self.stages if s.id in late and s.pinned is False] or [
            s for s in self.stages if s.id in late
        ]
        return min(roots, key=lambda s: (s.start, s.finish))


def plan(
    rules: Rules,
    match_year: int,
    *,
    today: date,
    pace: Pace = "typical",
    visa: Visa = "j1",
    person: Person | None = None,
    dates: dict[str, KeyDate] | None = None,
    earliest_feasible: int | None = None,
    searched: Searched | None = None,
) -> Plan:
    """The dated plan for Match ``match_year`` as seen on ``today``.

    ``earliest_feasible`` is carried into the plan as found by ``earliest_feasible_match``
    (``imgplan.core.verdict`` searches it once for the person); ``searched``, what that
    search found for the same person, so that a year it looked at is not started again.
    """
    person = person or Person()
    kept = searched.planners.get(match_year) if searched is not None and dates is None \
        else None
    if kept is not None and kept[0].forwarded_already is None:
        kept = None  # its forward pass stopped at a deadline missed: planned afresh
    planner, choice, service = kept or _planner_for(rules, match_year, today, pace, visa,
                                                    person, dates, searched)
    first = []
    if choice.service is None and service is not None and choice.specialty is not None:
        first.append(Finding(
            "service_unknown", "warning",
            f"imgplan's data does not say which application service {choice.specialty} uses "
            f"for Match {match_year}: planned with {service.name}'s dates. Ask the programs "
            "which service they take applications through."))
    planned = planner.run(match_year, first)
    planned.earliest_feasible_match = earliest_feasible
    planned.application_service = service
    planned.specialty = choice.specialty
    planned.person = person
    return planned


def _planner_for(rules: Rules, match_year: int, today: date, pace: Pace, visa: Visa,
                 person: Person, dates: dict[str, KeyDate] | None = None,
                 searched: Searched | None = None
                 ) -> tuple[_Planner, ServiceChoice, Service | None]:
    """The planner for one Match, with the rules as the person's application service has
    them, and that choice. ``searched``: what the person's other years found, to reuse."""
    choice = choose(rules, person.applying, match_year)
    service = choice.service or (rules.services[0] if rules.services else None)
    if service is not None:  # the application stages as that service's applicant meets them
        rules = for_service(rules, service.id)
    own_dates = dates is not None
    dates = dates if dates is not None else key_dates(rules, match_year)
    route = _route(rules, "j1" if visa == "undecided" else visa)
    # What the person recorded and what it implies is the same in every year of a search
    # unless a window it was bounded by closes on another day: found once, not every year.
    kept = searched.known.get(id(route)) if searched is not None else None
    known = kept[1] if kept is not None and all(
        dates[key].date == day for key, day in kept[0].items()) else None
    planner = _Planner(rules, route, dates, today, pace, visa, person, known,
                       year=None if own_dates else match_year)
    if searched is not None and known is None:
        searched.known[id(route)] = (planner.known_reads, planner.known)
    return planner, choice, service


@datatype(frozen=True)
class _Route:
    """A visa route's stages in order, by id, and each one's successors: the same for every
    plan made from one rules object (``_ROUTES``)."""

    stages: list[Stage]
    by_id: dict[str, Stage]
    successors: dict[str, list[tuple[Stage, str]]]
    # the stages whose window, not their pace, fixes their end (``calendar_bound``)
    fixed_end: frozenset[str]
    # the stages whose window's closing is a deadline of its own: no deadline of theirs is
    # the finish by that day (``checks``)
    window_checked: frozenset[str]
    # whether a stage takes no time at a pace, by (stage id, pace) (``calendar_bound``)
    zero_length: dict[tuple[str, str], bool] = field(default_factory=dict)
    # each stage's deadlines of some levels, by (stage id, levels), as ``deadlines`` finds them
    deadlines: dict[tuple[str, tuple[str, ...]], list[Deadline]] = field(default_factory=dict)
    # each stage with every stage before it on this route, by id (``chain``)
    chains: dict[str, frozenset[str]] = field(default_factory=dict)
    # the stages whose deadlines for a Match have passed on a day, by (Match year, day)
    # (``_Planner.past_due``: the route's rules give each year's key dates)
    past_due: dict[tuple[int, date], tuple[str, ...]] = field(default_factory=dict)

    def chain(self, stage_id: str) -> frozenset[str]:
        """``stage_id`` and every stage it waits for, directly or not, on this route."""
        found = self.chains.get(stage_id)
        if found is None:
            before = {stage_id}
            for stage in reversed(self.stages):  # successors first: each adds what it needs
                if stage.id in before:
                    before.update(p.stage for p in stage.after if p.stage in self.by_id)
            found = self.chains[stage_id] = frozenset(before)
        return found


# Kept by (rules, route), the rules object beside its route so that its id is not reused.
_ROUTES: dict[tuple[int, str], tuple[Rules, _Route]] = {}


def _route(rules: Rules, route: Visa) -> _Route:
    kept = _ROUTES.get((id(rules), route))
    if kept is None:
        stages = _in_order([s for s in rules.stages if s.applies(route)])
        by_id = {s.id: s for s in stages}
        successors: dict[str, list[tuple[Stage, str]]] = {s.id: [] for s in stages}
        for stage in stages:
            for pred in stage.after:
                if pred.stage in by_id:
                    successors[pred.stage].append((stage, pred.wait))
        fixed_end = frozenset(s.id for s in stages if s.window is not None and (
            s.window.span or s.window.earliest_finish is not None))
        window_checked = frozenset(
            s.id for s in stages if s.window is not None and s.window.closes and not any(
                d.anchor == s.window.closes and d.applies_to == "finish" for d in s.deadlines))
        kept = (rules, _Route(stages, by_id, successors, fixed_end, window_checked))
        _ROUTES[(id(rules), route)] = kept
    return kept[1]


@datatype
class Searched:
    """What an earliest-feasible search made for one person, by Match year: the planners
    whose forward pass it ran (``plan`` goes on from one rather than start again)."""

    planners: dict[int, tuple[_Planner, ServiceChoice, Service | None]] = field(
        default_factory=dict)
    # ``_Planner.known`` by the id of its route (kept in ``_ROUTES``), with the key dates it
    # read (``_planner_for``)
    known: dict[int, tuple[dict[str, date], dict[str, Progress]]] = field(
        default_factory=dict)


def earliest_feasible_match(
    rules: Rules,
    *,
    today: date,
    pace: Pace = "typical",
    visa: Visa = "j1",
    person: Person | None = None,
    searched: Searched | None = None,
) -> int | None:
    """The first Match year, from the first still open, whose plan is feasible.

    Only what decides feasibility is computed for each year (the forward pass and its
    deadline checks: ``Plan.feasible``), not the latest dates and slack, which feasibility
    does not read: a cohort plans a thousand people, each searching several years (issue 15;
    ``tests/core/test_planner.py`` checks it against whole plans). ``searched``, when given,
    keeps what was made, for ``plan`` to go on from."""
    person = person or Person()
    searched = searched if searched is not None else Searched()
    first = first_open_year(rules, today, person)
    broke: str | None = None
    for year in range(first, today.year + rules.calendar.years_ahead + 1):
        made = _planner_for(rules, year, today, pace, visa, person, searched=searched)
        searched.planners[year] = made
        past = made[0].past_due()
        if past is not None:  # (the first open Match, for most: its application is in)
            broke = past
            continue
        # what broke the year before is tried first: a road that cannot be made in any year
        # (a Step 3 that never comes before Match Day) is then found out in half a pass
        feasible, closed, broke = made[0].feasibility(broke)
        if feasible:
            return year
        if closed:
            return None  # closed in every year alike
    return None


def entered(rules: Rules, match_year: int, today: date, person: Person) -> bool:
    """Whether ``person`` entered Match ``match_year`` in time (``calendar.entered_by``: the
    rank-order list certified by its deadline) and the cycle is not over: it is still theirs
    to plan, from Match Week to the day residency starts, after it has closed to others."""
    stage_id = rules.calendar.entered_by
    if stage_id is None:
        return False
    recorded = person.progress.get(stage_id)
    if recorded is None or recorded.status not in DONE or recorded.date is None:
        return False
    dates = key_dates(rules, match_year)
    closes = dates.get(rules.calendar.closes)
    cycle_ends = _cycle_end(dates).date
    if closes is None or not closes.date.year - 1 <= recorded.date.year <= closes.date.year:
        return False
    return recorded.date <= closes.date and today <= cycle_ends


def first_open_year(rules: Rules, today: date, person: Person) -> int:
    """The first Match still open on ``today``: for everyone (``first_open_match_year``), or
    the one before it when ``person`` entered it in time (``entered``)."""
    first = first_open_match_year(rules, today)
    if first - 1 >= rules.calendar.first_match_year and entered(rules, first - 1, today, person):
        return first - 1
    return first


def _in_order(stages: list[Stage]) -> list[Stage]:
    """Predecessors before successors, otherwise in the rules file's order."""
    ids = {s.id for s in stages}
    placed: list[Stage] = []
    done: set[str] = set()
    waiting = list(stages)
    while waiting:
        for stage in waiting:
            if all(p.stage in done or p.stage not in ids for p in stage.after):
                placed.append(stage)
                done.add(stage.id)
                waiting.remove(stage)
                break
        else:  # a loop; rules validation refuses these, so this only guards against hangs
            raise ValueError("dependency loop among " + ", ".join(s.id for s in waiting))
    return placed


class _Planner:
    def __init__(
        self,
        rules: Rules,
        route: _Route,
        dates: dict[str, KeyDate],
        today: date,
        pace: Pace,
        visa: Visa,
        person: Person,
        known: dict[str, Progress] | None = None,
        *,
        year: int | None = None,
    ) -> None:
        self.rules = rules
        # the Match whose ``key_dates`` (of these rules) ``dates`` are; None: the caller's own
        self.year = year
        self.route = route
        self.stages = route.stages
        self.by_id = route.by_id
        self.successors = route.successors
        self.dates = dates
        self.today = today
        self.pace = pace
        self.visa = visa
        self.person = person
        self.findings: list[Finding] = []
        # USMLE Steps no further sitting of which is allowed, and the first day the next
        # sitting of the others is (with the rule that sets it); filled by ``progress``
        self.barred: dict[str, Finding] = {}
        self.retake_from: dict[str, tuple[date, str]] = {}
        # the key dates ``recorded_and_implied`` read, by id, with their days
        self.known_reads: dict[str, date] = {}
        # read, never written: one planner's may be given to another (``_planner_for``)
        self.known = known if known is not None else self.recorded_and_implied()
        self._forward: dict[str, StagePlan] | None = None
        self._checked = False  # the forward pass's records hold their deadline checks
        # the records the backward passes' key was made from, and that key (``backward``)
        self._backward_key: tuple[Mapping[str, StagePlan], tuple[object, ...]] | None = None

    # -- helpers -----------------------------------------------------------------------------

    def day(self, key_id: str) -> date:
        return self.dates[key_id].date

    def duration(self, stage: Stage) -> Duration:
        if stage.id in self.person.durations:
            return self.person.durations[stage.id]
        if stage.duration is None:
            return Duration()
        return stage.duration.for_pace(self.pace)

    def calendar_bound(self, stage: Stage) -> bool:
        """Whether the calendar, not the person's pace, sets this stage's dates."""
        if stage.id in self.route.fixed_end:
            return True
        if stage.id in self.person.durations:
            return self.person.durations[stage.id].is_zero
        key = (stage.id, self.pace)  # the rules' duration at a pace: the same in every plan
        bound = self.route.zero_length.get(key)
        if bound is None:
            bound = self.route.zero_length[key] = self.duration(stage).is_zero
        return bound

    def forward_finish(self, stage: Stage, start: date) -> date:
        """When ``stage`` finishes if it starts on ``start``."""
        window = stage.window
        if window is not None and window.span and window.closes:
            return max(start, self.day(window.closes))
        if stage.id in self.person.durations:
            finish = self.person.durations[stage.id].after(start)
        else:  # the rules' duration at this pace: the same for everyone who starts that day
            key = (id(stage), self.pace, start)
            kept = _PACED.get(key)
            if kept is None:
                if len(_PACED) > _LATEST_LIMIT:
                    _PACED.clear()
                kept = _PACED[key] = (stage, self.duration(stage).after(start))
            finish = kept[1]
        if window is not None and window.earliest_finish:
            finish = max(finish, self.day(window.earliest_finish))
        return finish

    # -- the passes, in the order they run ---------------------------------------------------

    def run(self, match_year: int, first: list[Finding] | None = None) -> Plan:
        """The whole plan; ``first``: findings the caller has, shown before the plan's own."""
        ahead = list(first or [])
        if self.visa == "undecided":
            ahead.append(Finding(
                "visa_undecided", "warning",
                "Visa route undecided: planned as J-1. Choose J-1 or H-1B before you rank: "
                "H-1B adds USMLE Step 3 before Match Day (imgplan timeline --visa h1b shows "
                "that plan)."))
        # Every fact was checked against its source on a day: a plan made long after rests on
        # old knowledge, and says so
        stale = stale_finding(self.rules, self.today)
        if stale is not None:
            ahead.append(stale)
        route = "j1" if self.visa == "undecided" else self.visa
        for notice in self.rules.notices:
            if route in notice.routes:
                ahead.append(Finding(notice.id, notice.level,
                                     f"{notice.message} (source: {notice.source})"))
        records = self.forwarded()  # 1. from today and what is recorded: start, finish, result
        self.findings[:0] = ahead
        for bound in self.backward(records, ("hard", "target")).items():  # 2. latest dates
            stage_id, (latest_start, latest_finish) = bound
            records[stage_id].latest_start = latest_start
            records[stage_id].latest_finish = latest_finish
        for stage_id, (_, latest_finish) in self.backward(records, ("hard",)).items():
            records[stage_id].hard_latest_finish = latest_finish  # 3. the last day it can work
        if not self._checked:  # 4. every deadline against the plan, then the slack
            for stage in self.stages:
                records[stage.id].checks = self.checks(stage, records[stage.id])
        for stage in self.stages:
            records[stage.id].slack_days = self.slack(stage, records)
        planned = list(records.values())
        self.mark_critical(planned)  # 5. the chain with the least slack
        for entry in planned:  # 6. what is late, and what can no longer be made
            if entry.status == "upcoming":
                entry.status = _lateness(entry) or entry.status
        self.mark_closed(records)  # 7. what can no longer happen in this cycle at all
        little = self.rules.thresholds.get("little_slack_days")
        result = Plan(match_year, self.today, self.pace, self.visa, self.dates, planned,
                      self.findings, little_slack_days=little.value if little is not None
                      and isinstance(little.value, int) else None)
        result.closed_by = next(iter(self.barred.values()), None)
        result.matched_on = next((p.date for stage_id, p in self.known.items()
                                  if p.matched and stage_id in self.by_id), None)
        result.findings.extend(_missed_findings(result))
        result.findings.extend(self.steps_window(records))
        return result

    def past_due(self) -> str | None:
        """A stage of which nothing is recorded whose deadline for this Match has passed:
        the Match is out of reach, found without a pass (such a stage is planned from today
        on, so it meets no deadline before today: ``forwarding``; a stage with outcomes is
        not one, its event pinned to its dates once over). None when there is none, or the
        pass must say (``feasibility``). Kept by the route, whose rules give each year's key
        dates: only for a planner of ``key_dates`` (the search's), not of dates of its own."""
        if self.year is None:
            return None
        key = (self.year, self.today)
        past = self.route.past_due.get(key)
        if past is None:
            if len(self.route.past_due) > _LATEST_LIMIT:
                self.route.past_due.clear()
            past = self.route.past_due[key] = tuple(
                stage.id for stage in self.stages
                if not stage.outcomes and min(self.deadline_days(stage), default=self.today)
                < self.today)
        for stage_id in past:
            if self.known.get(stage_id, _UNRECORDED).status == "todo":
                return stage_id
        return None

    def deadline_days(self, stage: Stage) -> list[date]:
        """The days of ``stage``'s deadline checks (``checks``) in these dates."""
        days = [self.due(deadline) for deadline in stage.deadlines]
        window = stage.window
        if window is not None and window.closes and stage.id in self.route.window_checked:
            days.append(self.day(window.closes))
        return days

    def feasibility(self, first: str | None = None) -> tuple[bool, bool, str | None]:
        """(feasible, closed, the stage that broke it) as ``run``'s plan would say
        (``Plan.feasible``, ``closed_by``), from the forward pass and the deadline checks
        alone. A deadline missed ends the pass there: the year is not feasible, whatever
        comes after (``closed`` is then what the stages passed so far say: a Step barred is
        found among the first).

        ``first``: a stage to plan and check first, with what it needs (a stage's record
        depends only on its predecessors', so any order that keeps them first gives the same
        records; the whole pass is put back in the rules' order, its findings too)."""
        order = self.stages
        if first is not None and first in self.by_id:
            chain = self.route.chain(first)
            order = [s for s in self.stages if s.id in chain] + \
                [s for s in self.stages if s.id not in chain]
        records: dict[str, StagePlan] = {}
        for stage in self.forwarding(records, order):
            record = records[stage.id]
            record.checks = self.checks(stage, record)  # kept: ``run`` does not make them again
            for check in record.checks:
                if check.actual > check.due:  # not met
                    return False, bool(self.barred), stage.id
        if order is not self.stages:
            place = {stage.id: index for index, stage in enumerate(self.stages)}
            records = {stage.id: records[stage.id] for stage in self.stages}
            # every finding of the forward pass is about the stage it was found at
            self.findings.sort(key=lambda found: place.get(found.stage or "", len(place)))
        self._forward = records  # whole, and checked: ``run`` goes on from it
        self._checked = True
        return not self.barred, bool(self.barred), None

    @property
    def forwarded_already(self) -> dict[str, StagePlan] | None:
        return self._forward

    def forwarded(self) -> dict[str, StagePlan]:
        """The forward pass, run once (``feasibility`` and then ``run`` share it)."""
        if self._forward is None:
            self._forward = self.forward()
        return self._forward

    def forward(self) -> dict[str, StagePlan]:
        records: dict[str, StagePlan] = {}
        for _ in self.forwarding(records):
            pass
        return records

    def forwarding(self, records: dict[str, StagePlan], order: list[Stage] | None = None
                   ) -> Iterator[Stage]:
        """The forward pass, a stage at a time: each stage once its record is in
        ``records``; in the rules' order, or in ``order`` (predecessors still first)."""
        for stage in order or self.stages:
            progress = self.progress(stage)
            ready, driven_by = self.ready(stage, records)
            status: StageStatus
            if progress.status in DONE and progress.date is not None:
                finish = progress.date
                start = min(progress.started or progress.date, progress.date)
                pinned, status = True, "done"
            elif stage.id in self.barred:
                start = finish = ready  # not shown: the stage is closed (see closed_by)
                pinned, status = False, "closed"
            elif progress.status == "scheduled" and progress.date is not None \
                    and not self.too_soon(stage, progress.date):
                booked = finish = progress.date
                # a booked period (a USCE) starts on its first day; an exam's preparation
                # is its duration before the booking
                start = progress.started if progress.started is not None else \
                    min(max(self.today, self.duration(stage).before(booked)), booked)
                pinned, status = True, "scheduled"
                if booked < self.today:
                    self.findings.append(Finding(
                        "booking_passed", "warning",
                        f"{stage.name} was booked for {booked}, which has passed: record the "
                        f"result (imgplan mark {stage.id} passed|failed --date {booked})",
                        stage=stage.id, date=booked))
                elif ready > booked:
                    self.findings.append(Finding(
                        "booked_before_ready", "warning",
                        f"{stage.name} is booked for {booked}, before what it needs is ready "
                        f"({ready}): check its prerequisites",
                        stage=stage.id, date=booked, days=(ready - booked).days))
            elif stage.outcomes and progress.status == "todo" and self.passed_window(stage):
                # the calendar's event is over (Match Day has come) and only its outcome is
                # missing: it happened on its dates, and the person is asked to record it
                window = stage.window
                assert window is not None and window.closes is not None  # passed_window
                start = self.day(window.opens) if window.opens else self.day(window.closes)
                finish = self.day(window.closes)
                pinned, status = True, "upcoming"
                self.findings.append(Finding(
                    "outcome_not_recorded", "warning",
                    f"{stage.name} ended on {finish}: record the outcome (imgplan mark "
                    f"{stage.id} {'|'.join(stage.outcomes)} --date DATE)",
                    stage=stage.id, date=finish))
            elif progress.status == "in_progress":
                start = progress.started or self.today
                planned_end = progress.date  # a period under way ends on its last day
                finish = max(planned_end or self.forward_finish(stage, start), self.today)
                held = self.held(stage, records)
                if planned_end is None and held is not None and held > start:
                    # begun early, it still needs what comes before it (``holds``): the
                    # letters are finished after the rotation they come from
                    finish = max(finish, self.forward_finish(stage, held))
                retake = self.retake_from.get(stage.id)
                if retake is not None:  # the next sitting waits for the day the rules allow
                    finish = max(finish, retake[0])
                pinned, status = False, "in_progress"
            else:
                start = ready
                finish = self.forward_finish(stage, ready)
                retake = self.retake_from.get(stage.id)
                if retake is not None and finish < retake[0]:
                    # the sitting waits for the day the rules allow; so does its preparation
                    start = max(ready, self.duration(stage).before(retake[0]))
                    finish = max(self.forward_finish(stage, start), retake[0])
                pinned, status = False, "upcoming"
            result_date = None
            if stage.result is not None:
                result_date = self.result_out(stage, finish)
                if progress.status == "passed" and progress.date is not None:
                    result_date = min(result_date, max(self.today, progress.date))
            # By position, in StagePlan's order (id, name, label, phase, description; status,
            # start, finish, result_date, result_name; pinned, fixed_start, driven_by,
            # calendar_bound, implied_by): a cohort makes tens of thousands, and matching
            # fifteen keywords was 0.4 us of each one's 0.7.
            records[stage.id] = StagePlan(
                stage.id, stage.name, stage.label, stage.phase, stage.description,
                status, start, finish, result_date, stage.result.name if stage.result else None,
                pinned, pinned or status == "in_progress", driven_by,
                self.calendar_bound(stage) or driven_by == "calendar", progress.implied_by)
            yield stage

    def too_soon(self, stage: Stage, booked: date) -> bool:
        """A booking before the USMLE rules allow the next sitting: reported, and planned as
        if it were not there (the sitting cannot happen that day)."""
        retake = self.retake_from.get(stage.id)
        if retake is None or booked >= retake[0]:
            return False
        self.findings.append(Finding(
            "retake_too_soon", "error",
            f"{stage.name} is booked for {booked}, before the USMLE rules allow the next "
            f"sitting ({retake[0]}; {retake[1]}): move the booking; planned from "
            f"{retake[0]}", stage=stage.id, date=booked, days=(retake[0] - booked).days))
        return True

    def held(self, stage: Stage, records: Mapping[str, StagePlan]) -> date | None:
        """The latest finish of the predecessors that hold ``stage`` even once under way."""
        days = [records[p.stage].finish for p in stage.after if p.holds and p.stage in records]
        return max(days, default=None)

    def passed_window(self, stage: Stage) -> bool:
        window = stage.window
        return window is not None and window.closes is not None \
            and self.day(window.closes) < self.today

    def recorded_and_implied(self) -> dict[str, Progress]:
        """What the person recorded, with what it pins and implies.

        A stage's recorded periods (a USCE from its first to its last day) are its dates; a
        confirmation that completes a stage (the personal statement reviewed) makes it done;
        and a stage that cannot happen without a predecessor (``implied`` in the rules: a
        USMLE Step needs the ECFMG application) shows that predecessor done, by the day the
        stage began, instead of planning it after.
        """
        known = dict(self.person.progress)
        for stage in self.stages:
            recorded = known.get(stage.id, _UNRECORDED)
            spans = sorted(self.person.periods.get(stage.id, []))
            if spans and recorded.status in ("todo", "in_progress"):
                first, last = spans[0]
                status: Status = ("done" if last <= self.today else
                                  "in_progress" if first <= self.today else "scheduled")
                known[stage.id] = Progress(status, last, first, recorded.attempts)
        for item in self.rules.checklist:
            day = self.person.confirmations.get(item.id)
            if item.completes and item.stage and day is not None \
                    and known.get(item.stage, _UNRECORDED).status == "todo":
                known[item.stage] = Progress("done", day, implied_by=f"confirmation {item.id}")
        for stage in reversed(self.stages):  # successors first: what they imply, transitively
            recorded = known.get(stage.id, _UNRECORDED)
            # sat, booked or done: a stage only being prepared for implies nothing yet
            if recorded.status not in ("done", "passed", "failed", "scheduled"):
                continue
            # the first sitting, not the pass: an exam sat in March and passed in July was
            # applied for before March (found by a new user: credentials dated in July)
            began = min(d for d in (recorded.started, recorded.date, self.today,
                                    *recorded.sittings) if d)
            for pred in stage.after:
                before = known.get(pred.stage, _UNRECORDED)
                earlier = before.implied_by is not None and before.date is not None \
                    and began < before.date  # implied by another stage, begun later
                # a recorded result (passed, failed) stands: only what was not done is filled in
                if pred.implied and pred.stage in self.by_id and (earlier or before.status in (
                        "todo", "in_progress", "scheduled")):
                    # by the day the stage began, and within its own window (the interviews
                    # were over when ranking opened)
                    window = self.by_id[pred.stage].window
                    by = began
                    if window is not None and window.closes is not None:
                        closes = self.known_reads[window.closes] = self.day(window.closes)
                        by = min(began, closes)
                    known[pred.stage] = Progress("done", by, implied_by=stage.id)
        return known

    def progress(self, stage: Stage) -> Progress:
        progress = self.known.get(stage.id, _UNRECORDED)
        window = stage.window
        if (progress.status in DONE and progress.date is not None and window is not None
                and window.strict and window.opens
                and progress.date < self.day(window.opens)):
            opens = self.day(window.opens)
            self.findings.append(Finding(
                "record_too_old", "warning",
                f"{stage.name} of {progress.date} is older than {opens}, the earliest this "
                f"Match accepts ({window.reason or 'recency rule'}): plan a new one",
                stage=stage.id, date=progress.date))
            return _UNRECORDED
        if stage.usmle and progress.status not in DONE and progress.attempts:
            rule = next_sitting(self.rules, progress.sittings, progress.attempts)
            if not rule.allowed:
                finding = Finding(
                    "attempt_limit_reached", "error",
                    f"{stage.name}: {rule.reason}. The USMLE pathway to ECFMG certification "
                    "is closed.", stage=stage.id)
                self.findings.append(finding)
                self.barred[stage.id] = finding
            elif rule.earliest is not None:
                self.retake_from[stage.id] = (rule.earliest, rule.reason)
        if progress.status == "failed":  # the next sitting is still to plan
            return Progress(status="todo", attempts=progress.attempts,
                            sittings=progress.sittings)
        return progress

    def ready(self, stage: Stage, records: Mapping[str, StagePlan]) -> tuple[date, Driver]:
        """The earliest day ``stage`` can start, and whether the person or the calendar set it."""
        ready: date = self.today
        driver: Driver = "person"
        for pred in stage.after:
            before_stage = records.get(pred.stage)
            if before_stage is None:
                continue  # not on this visa route
            before = before_stage.result_date if pred.wait == "result" else before_stage.finish
            assert before is not None  # rules validation: a stage waited on has a result
            if before > ready:
                ready = before
                driver = "calendar" if before_stage.calendar_bound else "person"
        if stage.window is not None and stage.window.opens:
            opens = self.day(stage.window.opens)
            if opens > ready:
                ready, driver = opens, "calendar"
        graduation = self.person.graduation
        if graduation is not None and (stage.not_before_graduation or stage.graduation_wait):
            earliest = stage.graduation_wait.length.after(graduation) \
                if stage.graduation_wait is not None else graduation
            if earliest > ready:
                ready, driver = earliest, "calendar"
        return ready, driver

    def deadlines(self, stage: Stage, levels: tuple[str, ...]) -> list[Deadline]:
        key = (stage.id, levels)
        found = self.route.deadlines.get(key)
        if found is None:
            found = self.route.deadlines[key] = [d for d in stage.deadlines if d.level in levels]
        return found

    def due(self, deadline: Deadline) -> date:
        anchor = self.day(deadline.anchor)
        key = (id(deadline), anchor)
        kept = _DUE.get(key)
        if kept is None:
            if len(_DUE) > _LATEST_LIMIT:
                _DUE.clear()
            kept = _DUE[key] = (deadline, deadline.offset.after(anchor))
        return kept[1]

    def result_out(self, stage: Stage, finish: date) -> date:
        """The day the result of ``stage`` finished on ``finish`` comes out, by its lag."""
        assert stage.result is not None
        key = (id(stage), id(self.rules.score_blackouts), finish)
        kept = _RESULT_OUT.get(key)
        if kept is None:
            if len(_RESULT_OUT) > _LATEST_LIMIT:
                _RESULT_OUT.clear()
            kept = _RESULT_OUT[key] = (stage, self.rules.score_blackouts, self.released(
                stage, stage.result.lag.after(finish)))
        return kept[2]

    def released(self, stage: Stage, due: date) -> date:
        """The day a result due on ``due`` comes out: a USMLE score due in a week USMLE
        releases none comes out on the Monday after it (never earlier, so the backward
        pass's search over finish days still sees results in order)."""
        blackouts = self.rules.score_blackouts
        if blackouts is None or not stage.usmle:
            return due
        return _after_blackouts(blackouts.weeks_of, due)  # kept by ``result_out``

    def backward(self, records: Mapping[str, StagePlan], levels: tuple[str, ...]
                 ) -> dict[str, tuple[date, date]]:
        """Each stage's (latest start, latest finish) that keeps the deadlines of ``levels``.

        The latest dates depend on the rules, the Match's key dates, the pace and the
        person's own durations, and of what the forward pass found only on which stages are
        fixed and the result lag of those pinned: the same for many people (a cohort's
        from-scratch candidates, one person's plans for one year), so kept once computed.
        One not kept yet is made from the pass with nothing recorded (kept too), with only
        the stages the records change made again (``_backward``)."""
        if self._backward_key is None or self._backward_key[0] is not records:
            # what the key takes of the forward pass: the stages fixed, whether pinned, with
            # a pinned one's result lag (the others are neither, in every plan of the route);
            # made once for both passes (the records' fixed dates do not change between them)
            self._backward_key = (records, (self.unrecorded_key, tuple(
                (r.id, r.pinned, r.result_date - r.finish if r.pinned and r.result_date
                 else None) for r in records.values() if r.fixed_start)))
        key = (levels, self._backward_key[1])
        kept = _LATEST.get(key)
        if kept is not None and kept[0] is self.rules:
            return dict(kept[1])
        if len(_LATEST) > _LATEST_LIMIT:
            _LATEST.clear()
        unrecorded_key = (levels, self.unrecorded_key)
        unrecorded = _LATEST.get(unrecorded_key)
        if unrecorded is None or unrecorded[0] is not self.rules:
            unrecorded = _LATEST[unrecorded_key] = (self.rules, self._backward(None, levels))
        latest = self._backward(records, levels, unrecorded[1])
        _LATEST[key] = (self.rules, latest)
        return dict(latest)

    @cached_property
    def unrecorded_key(self) -> int:
        """What a backward pass with nothing recorded depends on, as a number (a part of
        ``_LATEST``'s keys): its many parts hashed and compared once a plan, not at each
        look-up (two a plan, a thousand plans a cohort)."""
        # the rules and their routes are kept for the process (``_ROUTES``): their ids are
        # theirs alone; a year stands for its key dates of these rules
        parts = (id(self.rules), self.pace, id(self.route),
                 tuple(sorted(self.person.durations.items())),
                 self.year if self.year is not None else
                 tuple((k, d.date) for k, d in self.dates.items()))
        number = _UNRECORDED_KEYS.get(parts)
        if number is None:
            if len(_UNRECORDED_KEYS) > _LATEST_LIMIT:
                _UNRECORDED_KEYS.clear()  # (a number is never given twice: none is mistaken)
            number = _UNRECORDED_KEYS[parts] = next(_NUMBERS)
        return number

    def _backward(self, records: Mapping[str, StagePlan] | None, levels: tuple[str, ...],
                  unrecorded: Mapping[str, tuple[date, date]] | None = None
                  ) -> dict[str, tuple[date, date]]:
        """The backward pass over ``records`` (None: as if nothing were recorded, no stage
        fixed or pinned). ``unrecorded``: that pass's dates, taken for every stage whose
        dates the records do not change: one not pinned (its result lag is the rules'), none
        of whose successors is fixed (a constraint dropped) or changed."""
        latest: dict[str, tuple[date, date]] = {}
        changed: set[str] = set()
        fixed = {r.id for r in records.values() if r.fixed_start} if records is not None \
            else set()
        for stage in reversed(self.stages):
            record = records[stage.id] if records is not None else None
            successors = self.successors[stage.id]
            if unrecorded is not None and record is not None and not record.pinned and not any(
                    succ.id in changed or succ.id in fixed for succ, _ in successors):
                same = unrecorded.get(stage.id)
                if same is not None:
                    latest[stage.id] = same
                continue
            changed.add(stage.id)
            bounds: list[date] = []
            for deadline in self.deadlines(stage, levels):
                due = self.due(deadline)
                if deadline.applies_to == "finish":
                    bounds.append(due)
                elif deadline.applies_to == "result":
                    bounds.append(self.last_finish_for_result(stage, record, due))
            window = stage.window
            if window is not None and window.closes and window.closes_level in levels:
                bounds.append(self.day(window.closes))
            for succ, wait in successors:
                if succ.id in fixed or succ.id not in latest:
                    continue
                succ_start = latest[succ.id][0]
                bounds.append(self.last_finish_for_result(stage, record, succ_start)
                              if wait == "result" else succ_start)
            if not bounds:
                continue
            lf = min(bounds)
            ls = lf if stage.spans_window else self.last_start(stage, lf)
            for deadline in self.deadlines(stage, levels):
                if deadline.applies_to == "start":
                    ls = min(ls, self.due(deadline))
            latest[stage.id] = (ls, lf)
        return latest

    def last_start(self, stage: Stage, finish_by: date) -> date:
        """The last day ``stage`` can start and still finish by ``finish_by`` (``_last`` over
        ``forward_finish``), kept: the same for everyone who takes it at one pace (or for one
        length of their own), with the window's earliest finish the same."""
        window = stage.window
        floor = self.day(window.earliest_finish) if window is not None \
            and window.earliest_finish else None
        own = self.person.durations.get(stage.id)
        key = (id(stage), self.pace if own is None else own, finish_by, floor)
        kept = _LAST_START.get(key)
        if kept is None:
            if len(_LAST_START) > _LATEST_LIMIT:
                _LAST_START.clear()
            kept = _LAST_START[key] = (stage, _last(partial(self.forward_finish, stage),
                                                    finish_by))
        return kept[1]

    def last_finish_for_result(self, stage: Stage, record: StagePlan | None, out_by: date
                               ) -> date:
        """The last day ``stage`` can finish with its result out by ``out_by`` (``_last``
        over the result day): a pinned stage's known lag, counted back; the rules' lag,
        searched once for every plan (it depends on the finish day alone)."""
        if record is not None and record.pinned and record.result_date is not None:
            lag = record.result_date - record.finish
            return out_by - lag if out_by - EARLIEST_DAY > lag else EARLIEST_DAY
        key = (id(stage), id(self.rules.score_blackouts), out_by)
        kept = _LAST_RESULT.get(key)
        if kept is None:
            if len(_LAST_RESULT) > _LATEST_LIMIT:
                _LAST_RESULT.clear()
            kept = _LAST_RESULT[key] = (stage, self.rules.score_blackouts, _last(
                partial(self.result_out, stage), out_by))
        return kept[2]

    def checks(self, stage: Stage, record: StagePlan) -> list[Check]:
        if record.implied_by is not None:
            return []  # its day is inferred, not known: done in time is what the record says
        found: list[Check] = []
        for deadline in stage.deadlines:
            applies_to = deadline.applies_to
            if applies_to == "start":
                if record.pinned:
                    continue  # a recorded stage was evidently started in time
                actual = record.start
            elif applies_to == "finish":
                actual = record.finish
            else:
                actual = record.result_date or record.finish
            found.append(Check(stage.id, deadline.level, applies_to, deadline.anchor,
                               self.due(deadline), actual, deadline.reason, deadline.source,
                               deadline.kind))
        window = stage.window
        if window is not None and stage.id in self.route.window_checked:
            assert window.closes is not None  # window_checked
            closes = self.dates[window.closes]
            hard = window.closes_level == "hard"
            found.append(Check(stage.id, window.closes_level, "finish", window.closes,
                               closes.date, record.finish,
                               f"its window closes: {closes.name}" if hard else
                               f"{window.reason or 'the season usually ends'}: {closes.name}",
                               closes.source, closes.kind if hard else "heuristic"))
        return found

    def slack(self, stage: Stage, records: Mapping[str, StagePlan]) -> int | None:
        record = records[stage.id]
        margins: list[int] = []
        for check in record.checks:
            if stage.spans_window and check.met:
                # a window-spanning stage always ends when its window closes; how far its
                # start may slip is what a person can use
                margins.append((check.due - record.start).days)
            else:
                margins.append((check.due - check.actual).days)
        for succ, wait in self.successors[stage.id]:
            # An in-progress successor started already: a late predecessor no longer delays it
            # (its own checks catch a late finish), so a negative margin here would be negative
            # slack on a feasible plan.
            following = records[succ.id]
            if following.latest_start is None or following.fixed_start:
                continue
            before = record.result_date if wait == "result" else record.finish
            assert before is not None
            margins.append((following.latest_start - before).days)
        return min(margins) if margins else None

    def steps_window(self, records: Mapping[str, StagePlan]) -> list[Finding]:
        """ECFMG's window: once one Step certification needs is passed, the others must be
        passed within ``steps_window``. A finding for each planned to pass after it ends."""
        window = self.rules.steps_window
        certification = self.by_id.get(window.certification) if window is not None else None
        if window is None or certification is None:
            return []
        needed = [self.by_id[p.stage] for p in certification.after
                  if p.stage in self.by_id and self.by_id[p.stage].usmle]
        recorded = [self.known.get(s.id, _UNRECORDED) for s in needed]
        first = min((p.date for p in recorded if p.status in DONE and p.date), default=None)
        ends = steps_window_ends(self.rules, first) if first is not None else None
        found: list[Finding] = []
        for step in needed:
            record = records[step.id]
            if ends is None or record.status in ("done", "closed") or record.finish <= ends:
                continue
            found.append(Finding(
                "steps_window_lapses", "error",
                f"{step.name} is planned for {record.finish}, after {ends}: ECFMG allows "
                f"{window.length.spoken} from the first Step passed ({first}) to pass the "
                "others, and the earlier pass would no longer count", stage=step.id, date=ends,
                days=(record.finish - ends).days))
        return found

    def mark_closed(self, records: Mapping[str, StagePlan]) -> None:
        """A stage still to do whose window closes before it could start, or that would finish
        after the cycle ends (its last key date: residency starts), and every stage after one,
        can no longer happen in this cycle: ``closed``, not dated (a zero-length interview
        season a year late, a residency starting in May)."""
        closed: set[str] = set()
        cycle_ends = _cycle_end(self.dates).date
        for stage in self.stages:
            record = records[stage.id]
            if record.status == "closed":  # barred already (no further sitting allowed)
                closed.add(stage.id)
                continue
            if record.status not in ("upcoming", "late", "overdue"):
                continue
            window = stage.window
            shut = window is not None and window.closes is not None \
                and record.start > self.day(window.closes)
            # a Step barred closes the whole road, not only what follows it
            if self.barred or shut or record.finish > cycle_ends or any(
                    p.stage in closed for p in stage.after):
                closed.add(stage.id)
                record.status = "closed"
        for record in records.values():
            if record.status == "closed":
                record.critical = False  # nothing to speed up: it cannot happen

    def mark_critical(self, stages: list[StagePlan]) -> None:
        open_stages = [s for s in stages if s.status != "done" and s.slack_days is not None]
        # Only stages whose pace the person sets can be critical: a calendar-fixed stage (the
        # interviews, a milestone) has the calendar's slack, not theirs.
        open_stages = [s for s in open_stages if not s.calendar_bound]
        if not open_stages:
            return
        least = min(s.slack_days for s in open_stages if s.slack_days is not None)
        for entry in open_stages:
            # months differ in length, so the stages of one chain can differ by a day or two
            assert entry.slack_days is not None
            entry.critical = entry.slack_days <= least + CRITICAL_TOLERANCE_DAYS


def _after_blackouts(weeks_of: list[str], due: date) -> date:
    monday = due - timedelta(days=due.weekday())
    for year in (due.year - 1, due.year):  # the week of Dec 31 may end in January
        if monday in _blackout_mondays(weeks_of, year):
            return monday + timedelta(days=7)
    return due


# The Mondays of a year's blackout weeks, by the id of the rules' list and the year (the list
# kept beside them so that its id is not reused while cached).
_MONDAYS: dict[tuple[int, int], tuple[list[str], frozenset[date]]] = {}


def _blackout_mondays(weeks_of: list[str], year: int) -> frozenset[date]:
    kept = _MONDAYS.get((id(weeks_of), year))
    if kept is None:
        mondays = set()
        for month_day in weeks_of:
            month, day = (int(part) for part in month_day.split("-"))
            last = (date(year + month // 12, month % 12 + 1, 1) - DAY).day
            anchor = date(year, month, min(day, last))
            mondays.add(anchor - timedelta(days=anchor.weekday()))
        kept = _MONDAYS[(id(weeks_of), year)] = (weeks_of, frozenset(mondays))
    return kept[1]


# A stage's finish at a pace from a start, and a deadline's day from its anchor's: the same in
# every plan, and computed thousands of times in a cohort. The stage or deadline is kept
# beside its day so that its id is not reused while cached.
_PACED: dict[tuple[int, str, date], tuple[Stage, date]] = {}
# A stage's result day from its finish, by its lag and the rules' blackout weeks: the same in
# every plan (kept with the stage and the blackouts, whose ids are in the key).
_RESULT_OUT: dict[tuple[int, int, date], tuple[Stage, object, date]] = {}
_DUE: dict[tuple[int, date], tuple[Deadline, date]] = {}
# The backward pass's searches over those (``last_start``, ``last_finish_for_result``): a
# backward pass not kept in ``_LATEST`` (a person with a stage pinned) makes the same ones.
_LAST_START: dict[tuple[object, ...], tuple[Stage, date]] = {}
_LAST_RESULT: dict[tuple[int, int, date], tuple[Stage, object, date]] = {}


# The backward passes computed, by what they depend on (``_Planner.backward``); the rules
# object is kept beside them so that its id cannot be reused while cached.
_LATEST: dict[tuple[object, ...], tuple[Rules, dict[str, tuple[date, date]]]] = {}
_LATEST_LIMIT = 20_000  # some megabytes at most; cleared, not trimmed, when full
_UNRECORDED_KEYS: dict[tuple[object, ...], int] = {}  # ``_Planner.unrecorded_key``
_NUMBERS = itertools.count()


def _cycle_end(dates: Mapping[str, KeyDate]) -> KeyDate:
    return max(dates.values(), key=lambda key_date: key_date.date)


def _lateness(stage: StagePlan) -> StageStatus | None:
    """``overdue`` when this Match can no longer be made (a hard deadline is missed, here or
    down the chain), ``late`` when only a strong application's target is; else None."""
    hard_missed = any(not c.met for c in stage.checks if c.level == "hard")
    hard_last = stage.hard_latest_finish
    if hard_missed or (hard_last is not None and stage.finish > hard_last):
        return "overdue"
    if stage.slack_days is not None and stage.slack_days < 0:
        return "late"
    return None


# No plan reaches further back than the first day a duration shifts to: a latest start before
# it means "long ago" (the stage is overdue whatever its exact latest day). Found by the fault
# review: rules whose every stage takes ten years stepped back past year 1 here.
EARLIEST_DAY = FIRST_DAY


def _last(forward: Callable[[date], date], bound: date) -> date:
    """The last day ``x`` with ``forward(x) <= bound`` (``forward`` never decreases), or
    ``EARLIEST_DAY`` when even that is too late."""
    x = bound
    for _ in range(4000):  # a guard: durations in the rules stay far below ten years
        reached = forward(x)  # once a step: the backward pass calls this thousands of times
        if reached <= bound:
            break
        if x <= EARLIEST_DAY:
            return EARLIEST_DAY
        step = DAY if (reached - bound).days < 3 else (reached - bound)
        x = max(x - step, EARLIEST_DAY) if (x - EARLIEST_DAY) > step else EARLIEST_DAY
    while forward(x + DAY) <= bound:
        x += DAY
    return x


def _missed_findings(plan: Plan) -> list[Finding]:
    found: list[Finding] = []
    for check in plan.missed:
        stage = plan.stage(check.stage_id)
        name = stage.name if stage else check.stage_id
        what = {"start": "starts", "finish": "finishes"}.get(check.applies_to)
        if what is None:
            what = (stage.result_name if stage and stage.result_name else "result") + " expected"
        level = "hard deadline" if check.level == "hard" else "target"
        days = check.days_late
        found.append(Finding(
            "deadline_missed", "error" if check.level == "hard" else "warning",
            f"{name}: {what} {check.actual}, {days} day{'s' if days != 1 else ''} after the "
            f"{level} {check.due} ({check.reason})",
            stage=check.stage_id, date=check.actual, days=days))
    return found
