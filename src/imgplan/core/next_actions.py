"""What to do now: the plan's stages still open, as actions in the order a person takes them.

Overdue first (a deadline already out of reach, or a latest start passed), then what must
start (or is under way, or booked) within the next days, then what is coming; stages that
cannot start yet (a window not open, a result still to come) are listed apart with what they
wait for. Each action says why (the deadline it protects and its slack) and the command that
records it when done. Pure: a plan and its rules in, the actions out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Literal

from imgplan.core.datatype import datatype
from imgplan.core.planner import Plan, StagePlan
from imgplan.core.rules import Rules, Stage

Kind = Literal["overdue", "now", "coming", "blocked"]
COMING = 3  # how many later actions are shown after the ones due now
# a command in an item's advice: up to ", then ...", "; ...", a closing quote or the end
_COMMAND = re.compile(r"(imgplan [a-z]+ .+?)\s*(?=,\s*then\b|;\s|'|$)")


@datatype(frozen=True)
class Action:
    kind: Kind
    stage: str
    label: str
    status: str
    start: date  # the planned start; for a booked exam, the day it is booked for
    start_by: date | None  # the latest start that keeps every deadline
    due: date | None  # the deadline it protects
    slack_days: int | None
    reason: str | None  # the deadline it protects, in its words (None: the plan's own dates)
    command: str | None
    waits_for: str | None = None  # a blocked action's reason


@datatype(frozen=True)
class Next:
    today: date
    horizon: date
    actions: list[Action]  # overdue, now, coming: in the order shown
    blocked: list[Action]


def next_actions(plan: Plan, rules: Rules, days: int) -> Next:
    horizon = plan.today + timedelta(days=days)
    found = sorted(_open(plan, rules, horizon), key=_order)  # stable: ties in plan order
    made = [_action(kind, planned, stage, plan, waits) for planned, stage, kind, waits in found]
    actions = [a for a in made if a.kind in ("overdue", "now")] + \
        [a for a in made if a.kind == "coming"][:COMING]
    return Next(plan.today, horizon, actions, [a for a in made if a.kind == "blocked"])


def first_action(plan: Plan, rules: Rules, days: int) -> Action | None:
    """The first of ``next_actions``'s actions, else of its blocked ones: found without
    making the others (a cohort wants only this one of each of a thousand plans)."""
    horizon = plan.today + timedelta(days=days)
    first = min(_open(plan, rules, horizon), key=_order, default=None)  # the first of ties
    if first is None:
        return None
    planned, stage, kind, waits = first
    return _action(kind, planned, stage, plan, waits)


_GROUP: dict[Kind, int] = {"overdue": 0, "now": 1, "coming": 2, "blocked": 3}
_Open = tuple[StagePlan, Stage, Kind, str | None]


def _order(found: _Open) -> tuple[int, date, int]:
    """Overdue, then now, each by its latest start (else its start) and slack; then coming
    and blocked, each by its start."""
    planned, _, kind, _ = found
    start = _day(planned)
    if kind in ("coming", "blocked"):
        return (_GROUP[kind], start, 0)
    return (_GROUP[kind], planned.latest_start or start, planned.slack_days or 0)


def _open(plan: Plan, rules: Rules, horizon: date) -> Iterator[_Open]:
    """Each stage still to act on, with the rules' stage, its kind and what it waits for."""
    by_id = rules.stages_by_id
    for planned in plan.stages:
        stage = by_id.get(planned.id)
        if stage is None or planned.status in ("done", "closed") or not stage.advice:
            continue
        waits = _waits_for(plan, stage, planned)
        late = planned.status in ("overdue", "late") or (
            planned.slack_days is not None and planned.slack_days < 0)
        if late:
            yield planned, stage, "overdue", None
        elif waits is not None and planned.status == "upcoming":
            yield planned, stage, "blocked", waits
        elif _day(planned) <= horizon or (planned.status != "scheduled" and (
                planned.latest_start is not None and planned.latest_start <= horizon)):
            yield planned, stage, "now", None
        else:
            yield planned, stage, "coming", None


def _action(kind: Kind, planned: StagePlan, stage: Stage, plan: Plan,
            waits: str | None = None) -> Action:
    due, reason = _protects(planned)
    return Action(kind, planned.id, planned.label, planned.status, _day(planned),
                  planned.latest_start, due, planned.slack_days, reason,
                  _command(planned, stage), waits)


def _day(planned: StagePlan) -> date:
    """When the action is: its planned start; a booked exam's plan runs from its preparation
    to its day, and the day is what is booked."""
    return planned.finish if planned.status == "scheduled" else planned.start


def _protects(planned: StagePlan) -> tuple[date | None, str | None]:
    """The deadline with the least room: its day and its words."""
    checks = sorted(planned.checks, key=lambda c: ((c.due - c.actual).days, c.due))
    if checks:
        return checks[0].due, checks[0].reason
    return planned.latest_finish, None


def _waits_for(plan: Plan, stage: Stage, planned: StagePlan) -> str | None:
    """Why the stage cannot start now, or None: a result still to come, a window not open."""
    for before in stage.after:
        pred = plan.stage(before.stage)
        if pred is None or before.wait != "result" or pred.result_date is None:
            continue
        if pred.status in ("done", "scheduled", "in_progress") and pred.result_date > plan.today:
            return f"{pred.label}'s {pred.result_name or 'result'} on {pred.result_date}"
    if planned.driven_by == "calendar" and planned.start > plan.today:
        return f"its window, which opens on {planned.start}"
    return None


def _command(planned: StagePlan, stage: Stage) -> str | None:
    """The command that records the stage once done: a booked exam's result, else the one
    its advice gives last (``then: imgplan mark ...``)."""
    if stage.exam and planned.status == "scheduled":
        day = planned.finish
        result = stage.result
        # a numeric score where the rules say that day's exam has one (Step 1 is pass/fail
        # after its scored_until); OET's four scores, as 'imgplan mark' takes them
        scored = stage.usmle and result is not None and (
            result.scored_until is None or day <= result.scored_until)
        extra = " --score N" if scored else " --scores L,R,W,S" if stage.id == "oet" else ""
        return f"imgplan mark {stage.id} passed --date {day}{extra}"
    advice = stage.advice or ""
    command = _ADVISED.get(advice)
    if command is None:  # (a cohort asks for a thousand plans' first actions)
        found = _COMMAND.findall(advice)
        command = _ADVISED[advice] = found[-1].strip() if found else ""
    return command or None


_ADVISED: dict[str, str] = {}  # an advice's last command ("": none), found once
