"""An advisor's cohort: one candidate a row, each planned as their own profile would be.

A row holds what an advisor knows of a candidate: their graduation, specialty, visa route,
target Match and pace, the day each stage was passed or done, Step 2 CK's score, their US
clinical experience and how many letters they have. Each row becomes the profile a
candidate's own ``imgplan init`` and ``mark`` would have written, checked by the same rules,
and is planned by the same policy as ``imgplan timeline`` (``verdict.plan_for``): a
candidate's earliest feasible Match here is the one their own timeline gives. Pure: text
values in, candidates out; candidates in, the cohort's rows out, most urgent first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import TYPE_CHECKING, cast

from imgplan.core.cells import Cells
from imgplan.core.datatype import datatype
from imgplan.core.errors import UsageError
from imgplan.core.next_actions import Action, first_action
from imgplan.core.planner import Person, Plan, Progress
from imgplan.core.profile import (
    Profile,
    Sitting,
    StageRecord,
    USCEPeriod,
    int_threshold,
    profile_problems,
    usce_record,
)
from imgplan.core.rules import PACES, VISAS, Pace, Rules, Visa
from imgplan.core.scenarios import Verdict, verdict_of
from imgplan.core.spelling import visa_route

if TYPE_CHECKING:
    from imgplan.core.specialties import Specialties

# The stages a column holds the day of: passed (an exam) or done.
STAGE_COLUMNS: tuple[str, ...] = ("credentials", "step1", "step2ck", "oet", "pathway",
                                  "ecfmg_certification")
COLUMNS: tuple[str, ...] = ("name", "graduation", "specialty", "visa", "match_year", "pace",
                            *STAGE_COLUMNS[:3], "step2ck_score", *STAGE_COLUMNS[3:],
                            "usce_start", "usce_end", "lors")
# Where a problem the profile's checks find in a stage's record is shown: its column.
_STAGE_COLUMN = {"usce": "usce_start", "lors": "lors"}
# imgplan's own reading of a letter count, which has no dates: the letters are in hand today.
LETTERS_COUNTED = "the cohort's letter count"


@datatype(frozen=True)
class Candidate:
    name: str
    line: int  # the row's line in the file
    profile: Profile  # as their own profile would hold it
    person: Person  # what the planner knows of them


@datatype(frozen=True)
class Skipped:
    line: int
    column: str | None
    message: str  # names the row and column


@datatype(frozen=True)
class Planned:
    """One candidate planned: their target (or earliest feasible) Match and what to do next."""

    candidate: Candidate
    plan: Plan
    action: Action | None  # the first thing to do (None: nothing left in this cycle)

    @property
    def verdict(self) -> Verdict:
        return verdict_of(self.plan)

    @property
    def action_day(self) -> dt.date | None:
        if self.action is None:
            return None
        return self.action.start_by or self.action.start


def candidate_from(values: dict[str, str | None], *, line: int, rules: Rules,
                   specialties: Specialties, today: dt.date) -> Candidate:
    """A candidate from one row's text values; a bad value raises a UsageError naming its
    row and column (``field``: the column)."""
    cells = Cells(values, f"row {line}")
    name = cells.text("name")
    if name is None:
        raise cells.bad("name", "every candidate needs a name")
    graduation = cells.day("graduation")
    if graduation is None:
        raise cells.bad("graduation", "every candidate needs a graduation date (past or "
                                      "expected)")
    specialty = None
    typed = cells.text("specialty")
    if typed is not None:
        try:
            specialty = specialties.get(typed, field="specialty").id
        except UsageError as exc:
            raise cells.bad("specialty", exc.message) from None
    visa = "undecided"  # as a profile without a route: planned as J-1, and said so
    typed = cells.text("visa")
    if typed is not None:
        found = visa_route(typed, VISAS)
        if found is None:
            raise cells.bad("visa", f"'{typed}' is not a visa route: {', '.join(VISAS)}")
        visa = found
    pace = cells.choice("pace", PACES) or "typical"
    match_year = cells.whole("match_year", 2200, least=1990)

    stages: dict[str, StageRecord] = {}
    exams = {stage.id for stage in rules.stages if stage.exam}
    for column in STAGE_COLUMNS:
        day = cells.day(column)
        if day is None:
            continue
        score = cells.whole("step2ck_score", 300, least=1) if column == "step2ck" else None
        try:
            if column in exams:
                stages[column] = StageRecord(sittings=[Sitting(date=day, result="passed",
                                                                score=score)])
            else:
                stages[column] = StageRecord(status="done", date=day)
        except ValueError as exc:
            raise cells.bad(column, str(exc)) from None
    if cells.text("step2ck_score") is not None and "step2ck" not in stages:
        raise cells.bad("step2ck_score", "a score needs the day Step 2 CK was passed (column "
                                         "step2ck)")
    usce = _usce(cells, today)
    if usce:
        derived = usce_record(usce, today)
        if derived is not None:
            stages["usce"] = derived
    letters = cells.whole("lors", 20)
    needed = int_threshold(rules, "lors_needed") or 1
    if letters:
        # A count has no dates: letters in hand are taken as received by today
        stages["lors"] = StageRecord(status="done", date=today) if letters >= needed else \
            StageRecord(status="in_progress")
    profile = Profile(name=name, graduation=graduation, specialty=specialty,
                      match_year=match_year, visa=cast(Visa, visa), pace=cast(Pace, pace),
                      stages=stages, usce=usce)
    for loc, message in profile_problems(profile, rules, today):
        column = _column_of(loc)
        raise cells.bad(column, message)
    person = profile.person(specialties.applying(specialty))
    if letters and letters >= needed:
        # its day is not known: no deadline is checked against it (as for a stage implied)
        progress = dict(person.progress)
        progress["lors"] = Progress("done", today, implied_by=LETTERS_COUNTED)
        person = replace(person, progress=progress)
    return Candidate(name, line, profile, person)


def _usce(cells: Cells, today: dt.date) -> list[USCEPeriod]:
    start, end = cells.day("usce_start"), cells.day("usce_end")
    if start is None and end is None:
        return []
    if start is None or end is None:
        missing = "usce_end" if end is None else "usce_start"
        raise cells.bad(missing, "US clinical experience needs both its first day (usce_start) "
                                 "and its last (usce_end)")
    try:
        return [USCEPeriod(kind="other", start=start, end=end)]
    except ValueError as exc:
        raise cells.bad("usce_end", str(exc)) from None


def _column_of(loc: tuple[str | int, ...]) -> str:
    if loc[:1] == ("stages",) and len(loc) > 1:
        stage = str(loc[1])
        if stage == "step2ck" and "score" in loc:
            return "step2ck_score"
        return _STAGE_COLUMN.get(stage, stage)
    return str(loc[0]) if loc else "name"


def plan_cohort(candidates: list[Candidate], rules: Rules, today: dt.date, days: int
                ) -> tuple[list[Planned], list[Skipped]]:
    """Each candidate planned, most urgent first; one whose target Match cannot be planned
    (closed, beyond imgplan's years) skipped with why."""
    from imgplan.core.verdict import plan_for

    planned: list[Planned] = []
    skipped: list[Skipped] = []
    for candidate in candidates:
        profile = candidate.profile
        try:
            made = plan_for(rules, today=today, pace=profile.pace, visa=profile.visa,
                            person=candidate.person, requested=None,
                            target=profile.match_year)
        except UsageError as exc:
            skipped.append(Skipped(candidate.line, "match_year",
                                   f"row {candidate.line}, column match_year: {exc.message}"
                                   + (f" ({exc.hint})" if exc.hint else "")))
            continue
        planned.append(Planned(candidate, made, first_action(made, rules, days)))
    return sorted(planned, key=_urgency), skipped


_KIND_RANK = {"overdue": 0, "now": 1, "coming": 2, "blocked": 3}
_VERDICT_RANK = {"out of reach": 0, "eligible but weak": 1, "feasible": 2}


def _urgency(row: Planned) -> tuple[int, dt.date, int, str]:
    """Overdue first, then what must start soonest; of two alike, the weaker verdict."""
    kind = _KIND_RANK[row.action.kind] if row.action is not None else 4
    return (kind, row.action_day or dt.date.max, _VERDICT_RANK[row.verdict],
            row.candidate.name.casefold())
