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
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial
from typing import Literal

from imgplan.cycle import KeyDate, first_open_match_year, key_dates
from imgplan.duration import Duration
from imgplan.rules import Deadline, Pace, Rules, Stage, Visa

Status = Literal["todo", "scheduled", "in_progress", "done", "passed", "failed"]
DONE: frozenset[str] = frozenset({"done", "passed"})
DAY = timedelta(days=1)
CRITICAL_TOLERANCE_DAYS = 3


@dataclass(frozen=True)
class Progress:
    """What the person has recorded for one stage."""

    status: Status = "todo"
    # dt.date: inside this class body the bare name ``date`` is the field below, not the type
    date: dt.date | None = None  # exam or finish date (scheduled, done, passed, failed)
    started: dt.date | None = None
    attempts: int = 0


@dataclass(frozen=True)
class Person:
    """Everything about the person the planner uses."""

    progress: Mapping[str, Progress] = field(default_factory=dict)
    graduation: date | None = None
    durations: Mapping[str, Duration] = field(default_factory=dict)  # per-stage overrides


@dataclass(frozen=True)
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

    @property
    def met(self) -> bool:
        return self.actual <= self.due

    @property
    def days_late(self) -> int:
        return (self.actual - self.due).days


@dataclass
class StagePlan:
    id: str
    name: str
    label: str
    phase: str
    description: str
    status: str
    start: date
    finish: date
    result: date | None
    result_name: str | None
    latest_start: date | None
    latest_finish: date | None
    hard_latest_finish: date | None
    slack_days: int | None
    critical: bool
    pinned: bool
    # The calendar, not the person, sets this stage's dates (it spans a window, waits for one
    # to open, or follows a stage that does): its slack is not the person's to use.
    calendar_bound: bool
    checks: list[Check]


@dataclass
class Plan:
    match_year: int
    today: date
    pace: Pace
    visa: Visa
    key_dates: dict[str, KeyDate]
    stages: list[StagePlan]
    warnings: list[str]
    earliest_feasible_match: int | None = None

    @property
    def checks(self) -> list[Check]:
        return [check for stage in self.stages for check in stage.checks]

    @property
    def feasible(self) -> bool:
        return all(check.met for check in self.checks)

    @property
    def eligible(self) -> bool:
        return all(check.met for check in self.checks if check.level == "hard")

    def stage(self, stage_id: str) -> StagePlan | None:
        return next((s for s in self.stages if s.id == stage_id), None)

    @property
    def missed(self) -> list[Check]:
        """Missed deadlines, hard ones first, then by date."""
        late = [check for check in self.checks if not check.met]
        return sorted(late, key=lambda c: (c.level != "hard", c.actual, c.stage_id))

    @property
    def breaking(self) -> StagePlan | None:
        """The first stage that breaks the plan: late itself, with nothing late before it."""
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
) -> Plan:
    """The dated plan for Match ``match_year`` as seen on ``today``."""
    person = person or Person()
    dates = dates if dates is not None else key_dates(rules, match_year)
    route: Visa = "j1" if visa == "undecided" else visa
    stages = _in_order([s for s in rules.stages if s.applies(route)])
    return _Planner(rules, stages, dates, today, pace, visa, person).run(match_year)


def earliest_feasible_match(
    rules: Rules,
    *,
    today: date,
    pace: Pace = "typical",
    visa: Visa = "j1",
    person: Person | None = None,
) -> int | None:
    """The first Match year, from the first still open, whose plan is feasible."""
    first = first_open_match_year(rules, today)
    for year in range(first, today.year + rules.calendar.years_ahead + 1):
        if plan(rules, year, today=today, pace=pace, visa=visa, person=person).feasible:
            return year
    return None


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
        stages: list[Stage],
        dates: dict[str, KeyDate],
        today: date,
        pace: Pace,
        visa: Visa,
        person: Person,
    ) -> None:
        self.rules = rules
        self.stages = stages
        self.by_id = {s.id: s for s in stages}
        self.dates = dates
        self.today = today
        self.pace = pace
        self.visa = visa
        self.person = person
        self.warnings: list[str] = []
        self.pinned: dict[str, bool] = {}
        # Stages whose start is recorded rather than planned: pinned ones, and those in progress
        # since a given day. Their start no longer waits for their predecessors, so they put no
        # constraint on them (see ``backward`` and ``slack``).
        self.fixed_start: dict[str, bool] = {}
        self.driven: dict[str, str] = {}  # what set each start: "person" or "calendar"
        self.successors: dict[str, list[tuple[Stage, str]]] = {s.id: [] for s in stages}
        for stage in stages:
            for pred in stage.after:
                if pred.stage in self.by_id:
                    self.successors[pred.stage].append((stage, pred.wait))

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
        window = stage.window
        fixed_end = window is not None and (window.span or window.earliest_finish is not None)
        return fixed_end or self.duration(stage).is_zero

    def forward_finish(self, stage: Stage, start: date) -> date:
        """When ``stage`` finishes if it starts on ``start``."""
        window = stage.window
        if window is not None and window.span and window.closes:
            return max(start, self.day(window.closes))
        finish = self.duration(stage).after(start)
        if window is not None and window.earliest_finish:
            finish = max(finish, self.day(window.earliest_finish))
        return finish

    # -- the passes --------------------------------------------------------------------------

    def run(self, match_year: int) -> Plan:
        start, finish, result, pinned, status = self.forward()
        self.pinned = pinned
        self.fixed_start = {sid: pinned[sid] or status[sid] == "in_progress" for sid in pinned}
        results: list[StagePlan] = []
        target = self.backward(("hard", "target"), finish, result, pinned)
        hard = self.backward(("hard",), finish, result, pinned)
        for stage in self.stages:
            checks = self.checks(stage, start, finish, result, pinned[stage.id])
            slack = self.slack(stage, checks, start, finish, result, target[0])
            results.append(StagePlan(
                id=stage.id,
                name=stage.name,
                label=stage.label,
                phase=stage.phase,
                description=stage.description,
                status=status[stage.id],
                start=start[stage.id],
                finish=finish[stage.id],
                result=result.get(stage.id),
                result_name=stage.result.name if stage.result else None,
                latest_start=target[0].get(stage.id),
                latest_finish=target[1].get(stage.id),
                hard_latest_finish=hard[1].get(stage.id),
                slack_days=slack,
                critical=False,
                pinned=pinned[stage.id],
                calendar_bound=self.calendar_bound(stage) or self.driven[stage.id] == "calendar",
                checks=checks,
            ))
        self.mark_critical(results)
        for entry in results:
            if entry.status == "upcoming":
                entry.status = _lateness(entry) or entry.status
        plan = Plan(match_year, self.today, self.pace, self.visa, self.dates, results,
                    self.warnings)
        plan.warnings.extend(_missed_messages(plan))
        return plan

    def forward(
        self,
    ) -> tuple[dict[str, date], dict[str, date], dict[str, date], dict[str, bool], dict[str, str]]:
        start: dict[str, date] = {}
        finish: dict[str, date] = {}
        result: dict[str, date] = {}
        pinned: dict[str, bool] = {}
        status: dict[str, str] = {}
        for stage in self.stages:
            progress = self.progress(stage)
            ready, self.driven[stage.id] = self.ready(stage, finish, result)
            if progress.status in DONE and progress.date is not None:
                finish[stage.id] = progress.date
                start[stage.id] = min(progress.started or progress.date, progress.date)
                pinned[stage.id] = True
                status[stage.id] = "done"
            elif progress.status == "scheduled" and progress.date is not None:
                booked = progress.date
                finish[stage.id] = booked
                start[stage.id] = min(max(self.today, self.duration(stage).before(booked)), booked)
                pinned[stage.id] = True
                status[stage.id] = "scheduled"
                if booked < self.today:
                    self.warnings.append(
                        f"{stage.name} was booked for {booked}, which has passed: record the "
                        f"result (imgplan mark {stage.id} passed|failed --date {booked})")
                elif ready > booked:
                    self.warnings.append(
                        f"{stage.name} is booked for {booked}, before what it needs is ready "
                        f"({ready}): check its prerequisites")
            elif progress.status == "in_progress":
                begun = progress.started or self.today
                start[stage.id] = begun
                finish[stage.id] = max(self.forward_finish(stage, begun), self.today)
                pinned[stage.id] = False
                status[stage.id] = "in_progress"
            else:
                start[stage.id] = ready
                finish[stage.id] = self.forward_finish(stage, ready)
                pinned[stage.id] = False
                status[stage.id] = "upcoming"
            if stage.result is not None:
                due_result = stage.result.lag.after(finish[stage.id])
                if progress.status == "passed" and progress.date is not None:
                    due_result = min(due_result, max(self.today, progress.date))
                result[stage.id] = due_result
        return start, finish, result, pinned, status

    def progress(self, stage: Stage) -> Progress:
        progress = self.person.progress.get(stage.id, Progress())
        window = stage.window
        if (progress.status in DONE and progress.date is not None and window is not None
                and window.strict and window.opens
                and progress.date < self.day(window.opens)):
            opens = self.day(window.opens)
            self.warnings.append(
                f"{stage.name} of {progress.date} is older than {opens}, the earliest this Match "
                f"accepts ({window.reason or 'recency rule'}): plan a new one")
            return Progress()
        if progress.status == "failed":
            limit = self.rules.thresholds.get("usmle_attempt_limit")
            if stage.exam and limit is not None and isinstance(limit.value, int) \
                    and progress.attempts >= limit.value and stage.id.startswith("step"):
                self.warnings.append(
                    f"{stage.name}: {progress.attempts} failed attempts reach the USMLE limit of "
                    f"{limit.value}; a further attempt is not allowed")
            return Progress(status="todo")
        return progress

    def ready(self, stage: Stage, finish: dict[str, date], result: dict[str, date]
              ) -> tuple[date, str]:
        """The earliest day ``stage`` can start, and whether the person or the calendar set it."""
        ready, driver = self.today, "person"
        for pred in stage.after:
            if pred.stage not in finish:
                continue  # not on this visa route
            before = result[pred.stage] if pred.wait == "result" else finish[pred.stage]
            if before > ready:
                pred_bound = self.calendar_bound(self.by_id[pred.stage]) \
                    or self.driven.get(pred.stage) == "calendar"
                ready, driver = before, "calendar" if pred_bound else "person"
        if stage.window is not None and stage.window.opens:
            opens = self.day(stage.window.opens)
            if opens > ready:
                ready, driver = opens, "calendar"
        graduation = self.person.graduation
        if stage.not_before_graduation and graduation is not None and graduation > ready:
            ready, driver = graduation, "calendar"
        return ready, driver

    def deadlines(self, stage: Stage, levels: tuple[str, ...]) -> list[Deadline]:
        return [d for d in stage.deadlines if d.level in levels]

    def due(self, deadline: Deadline) -> date:
        return deadline.offset.after(self.day(deadline.anchor))

    def result_of(self, stage: Stage, finish: date, actual: dict[str, date],
                  planned: dict[str, date], pinned: bool) -> date:
        """The result date for a finish on ``finish`` (a pinned stage keeps its known lag)."""
        if pinned and stage.id in actual:
            return finish + (actual[stage.id] - planned[stage.id])
        assert stage.result is not None
        return stage.result.lag.after(finish)

    def result_after(self, stage: Stage, actual: dict[str, date], planned: dict[str, date],
                     pinned: bool) -> Callable[[date], date]:
        """``result_of`` as a function of the finish alone, for ``_last`` (typed, unlike a
        lambda with default arguments)."""
        return partial(self.result_of, stage, actual=actual, planned=planned, pinned=pinned)

    def backward(
        self,
        levels: tuple[str, ...],
        finish: dict[str, date],
        result: dict[str, date],
        pinned: dict[str, bool],
    ) -> tuple[dict[str, date], dict[str, date]]:
        latest_start: dict[str, date] = {}
        latest_finish: dict[str, date] = {}
        for stage in reversed(self.stages):
            bounds: list[date] = []
            for deadline in self.deadlines(stage, levels):
                due = self.due(deadline)
                if deadline.applies_to == "finish":
                    bounds.append(due)
                elif deadline.applies_to == "result":
                    bounds.append(_last(
                        self.result_after(stage, result, finish, pinned[stage.id]), due))
            if stage.window is not None and stage.window.closes:
                bounds.append(self.day(stage.window.closes))
            for succ, wait in self.successors[stage.id]:
                if self.fixed_start[succ.id] or succ.id not in latest_start:
                    continue
                if wait == "result":
                    bounds.append(_last(
                        self.result_after(stage, result, finish, pinned[stage.id]),
                        latest_start[succ.id]))
                else:
                    bounds.append(latest_start[succ.id])
            if not bounds:
                continue
            lf = min(bounds)
            latest_finish[stage.id] = lf
            ls = lf if stage.spans_window else _last(partial(self.forward_finish, stage), lf)
            for deadline in self.deadlines(stage, levels):
                if deadline.applies_to == "start":
                    ls = min(ls, self.due(deadline))
            latest_start[stage.id] = ls
        return latest_start, latest_finish

    def checks(self, stage: Stage, start: dict[str, date], finish: dict[str, date],
               result: dict[str, date], pinned: bool) -> list[Check]:
        found: list[Check] = []
        actual = {"start": start[stage.id], "finish": finish[stage.id],
                  "result": result.get(stage.id, finish[stage.id])}
        for deadline in stage.deadlines:
            if deadline.applies_to == "start" and pinned:
                continue  # a recorded stage was evidently started in time
            found.append(Check(stage.id, deadline.level, deadline.applies_to, deadline.anchor,
                               self.due(deadline), actual[deadline.applies_to], deadline.reason,
                               deadline.source))
        window = stage.window
        if window is not None and window.closes and not any(
                d.anchor == window.closes and d.applies_to == "finish" for d in stage.deadlines):
            closes = self.dates[window.closes]
            found.append(Check(stage.id, "hard", "finish", window.closes, closes.date,
                               finish[stage.id], f"its window closes: {closes.name}",
                               closes.source))
        return found

    def slack(self, stage: Stage, checks: list[Check], start: dict[str, date],
              finish: dict[str, date], result: dict[str, date],
              latest_start: dict[str, date]) -> int | None:
        margins: list[int] = []
        for check in checks:
            if stage.spans_window and check.met:
                # a window-spanning stage always ends when its window closes; how far its
                # start may slip is what a person can use
                margins.append((check.due - start[stage.id]).days)
            else:
                margins.append((check.due - check.actual).days)
        for succ, wait in self.successors[stage.id]:
            # An in-progress successor started already: a late predecessor no longer delays it
            # (its own checks catch a late finish), so a negative margin here would be negative
            # slack on a feasible plan.
            if succ.id not in latest_start or self.fixed_start[succ.id]:
                continue
            before = result[stage.id] if wait == "result" else finish[stage.id]
            margins.append((latest_start[succ.id] - before).days)
        return min(margins) if margins else None

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


def _lateness(stage: StagePlan) -> str | None:
    """``overdue`` when this Match can no longer be made (a hard deadline is missed, here or
    down the chain), ``late`` when only a strong application's target is; else None."""
    hard_missed = any(not c.met for c in stage.checks if c.level == "hard")
    hard_last = stage.hard_latest_finish
    if hard_missed or (hard_last is not None and stage.finish > hard_last):
        return "overdue"
    if stage.slack_days is not None and stage.slack_days < 0:
        return "late"
    return None


def _last(forward: Callable[[date], date], bound: date) -> date:
    """The last day ``x`` with ``forward(x) <= bound`` (``forward`` never decreases)."""
    x = bound
    for _ in range(4000):  # a guard: durations in the rules stay far below ten years
        reached = forward(x)  # once a step: the backward pass calls this thousands of times
        if reached <= bound:
            break
        x -= DAY if (reached - bound).days < 3 else (reached - bound)
    while forward(x + DAY) <= bound:
        x += DAY
    return x


def _missed_messages(plan: Plan) -> list[str]:
    messages: list[str] = []
    for check in plan.missed:
        stage = plan.stage(check.stage_id)
        name = stage.name if stage else check.stage_id
        what = {"start": "starts", "finish": "finishes"}.get(check.applies_to)
        if what is None:
            what = (stage.result_name if stage and stage.result_name else "result") + " expected"
        level = "hard deadline" if check.level == "hard" else "target"
        days = check.days_late
        messages.append(
            f"{name}: {what} {check.actual}, {days} day{'s' if days != 1 else ''} after the "
            f"{level} {check.due} ({check.reason})")
    return messages
