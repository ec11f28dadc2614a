"""The person's profile: who they are, what they have done, and what only they can confirm.

The profile is YAML a person may also edit by hand (see ``store``). This module is pure: the
model, the checks that need the rules (stage ids, score ranges), and the translation into the
planner's ``Person``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import field, replace
from typing import TYPE_CHECKING, Annotated, Literal

from imgplan.core.datatype import datatype
from imgplan.core.duration import Duration
from imgplan.core.fields import AfterCheck, DurationField, Limits, Name, about
from imgplan.core.planner import Person, Progress
from imgplan.core.rules import MAX_DURATION_YEARS, Pace, Rules, Stage, Visa
from imgplan.core.services import Applying

if TYPE_CHECKING:
    from typing import Any

SCHEMA_VERSION: Literal[2] = 2

# A stage's own status. An exam's results are its sittings, and its next exam day is
# ``booked``: "passed", "failed" and "scheduled" are what those amount to (``StageRecord.state``).
StageStatus = Literal["todo", "in_progress", "done"]
# What a stage amounts to, for the planner and the views.
StageState = Literal["todo", "scheduled", "in_progress", "done", "passed", "failed"]
SittingResult = Literal["passed", "failed", "incomplete"]
CONFIRMATIONS = ("personal_statement", "eras_consistency", "visa_strategy", "rank_strategy")
Confirmation = Literal["personal_statement", "eras_consistency", "visa_strategy", "rank_strategy"]
MatchOutcome = Literal["matched", "unmatched"]
USCEKind = Literal["observership", "externship", "research", "other"]
Score = Annotated[int, Limits(ge=0)]


def _plausible(day: dt.date) -> dt.date:
    # Found by the hostile-input tests: a hand-typed 9999-12-31 (or 0001-01-01) passed the model
    # and then crashed the planner with "date value out of range". The years a person may type
    # (imgplan.core.dates.parse_date) are the years a profile may hold.
    if not 1900 <= day.year <= 2200:
        raise ValueError(f"the year {day.year} is outside 1900-2200")
    return day


Day = Annotated[dt.date, AfterCheck(_plausible)]

# As for the rules (imgplan.core.rules): plain dataclasses, checked when a profile is read or
# changed (imgplan.files.checking), and rebuilt from the cache without checking. A field that is
# not declared is refused. ``__post_init__`` checks run on every construction; the checker
# reports their ValueError with the field's place.


@datatype(kw_only=True)
class OETScores:
    """One sitting's four sub-test scores (ECFMG counts only one sitting)."""

    listening: Score
    reading: Score
    writing: Score
    speaking: Score

    def as_dict(self) -> dict[str, int]:
        return {"listening": self.listening, "reading": self.reading, "writing": self.writing,
                "speaking": self.speaking}


@datatype(kw_only=True)
class Sitting:
    """One sitting of an exam: its day, its result and, where the exam has one, its score."""

    date: Day
    result: SittingResult
    score: Score | None = field(default=None, metadata=about("USMLE three-digit score"))
    scores: OETScores | None = field(default=None, metadata=about("OET sub-test scores"))


@datatype(kw_only=True)
class StageRecord:
    """What the person recorded for one stage: its status, or an exam's sittings."""

    status: StageStatus = "todo"
    date: Day | None = field(default=None, metadata=about("completion date (done)"))
    started: Day | None = field(default=None, metadata=about(
        "when the stage (an exam's preparation) began"))
    sittings: list[Sitting] = field(default_factory=list, metadata=about(
        "every sitting of an exam, oldest first"))
    booked: Day | None = field(default=None, metadata=about("the next exam day booked"))
    undated_attempts: Annotated[int, Limits(ge=0)] = field(default=0, metadata=about(
        "failed attempts recorded before imgplan kept their dates (an older profile)"))
    programs: Annotated[int, Limits(ge=0)] | None = field(default=None, metadata=about(
        "programs applied to (ERAS)"))
    outcome: MatchOutcome | None = field(default=None, metadata=about(
        "the Match: matched or unmatched"))
    program: Name | None = field(default=None, metadata=about("the program matched to"))
    duration: DurationField | None = field(default=None, metadata=about(
        "your own estimate for this stage"))

    def __post_init__(self) -> None:
        if self.status == "done" and self.date is None:
            raise ValueError("a 'done' stage needs its date")
        if self.started and self.date and self.started > self.date:
            raise ValueError(f"started {self.started} is after its date {self.date}")
        days = [s.date for s in self.sittings]
        if len(days) > 1:  # (one sitting, the usual record, is in order by itself)
            if days != sorted(days):
                raise ValueError("sittings are listed oldest first")
            if len(set(days)) != len(days):
                raise ValueError("two sittings on one day")
            if sum(s.result == "passed" for s in self.sittings) > 1:
                raise ValueError("a passed exam is not sat again: only one sitting can be "
                                 "passed")
        passed = self.passed
        if passed is not None and passed is not self.sittings[-1]:
            raise ValueError(f"a sitting after the pass of {passed.date}: a passed exam is not "
                             "sat again")
        if passed is not None and self.booked is not None:
            raise ValueError(f"booked for {self.booked} after the pass of {passed.date}: a "
                             "passed exam is not sat again")
        if passed is not None and self.started is not None and self.started > passed.date:
            raise ValueError(f"started {self.started} is after its date {passed.date}")
        if self.booked is not None and days and self.booked <= days[-1]:
            raise ValueError(f"booked for {self.booked}, not after the last sitting "
                             f"({days[-1]})")

    # -- what the record amounts to ----------------------------------------------------------

    @property
    def passed(self) -> Sitting | None:
        for sitting in self.sittings:  # a loop, not next(): read for each of a cohort's rows
            if sitting.result == "passed":
                return sitting
        return None

    @property
    def last(self) -> Sitting | None:
        return self.sittings[-1] if self.sittings else None

    @property
    def attempts(self) -> int:
        """Every attempt so far: sittings of any result, and the undated ones."""
        return len(self.sittings) + self.undated_attempts

    @property
    def failed_attempts(self) -> int:
        return sum(s.result != "passed" for s in self.sittings) + self.undated_attempts

    @property
    def state(self) -> StageState:
        """Passed, booked (scheduled), being prepared again, failed, or the status itself."""
        return self._state_when()[0]

    @property
    def when(self) -> dt.date | None:
        """The day that state is about: the pass, the booking, the last sitting, or done."""
        return self._state_when()[1]

    def _state_when(self) -> tuple[StageState, dt.date | None]:
        # both at once: the planner reads both of every record (``progress``)
        passed = self.passed
        if passed is not None:
            return "passed", passed.date
        if self.booked is not None:
            return "scheduled", self.booked
        if self.sittings and self.status != "in_progress":
            return "failed", self.sittings[-1].date
        return self.status, self.date

    @property
    def score(self) -> int | None:
        """The passing sitting's score, else the most recent one's."""
        sitting = self.passed or self.last
        return sitting.score if sitting is not None else None

    @property
    def scores(self) -> OETScores | None:
        sitting = self.passed or self.last
        return sitting.scores if sitting is not None else None

    def sitting_on(self, day: dt.date) -> Sitting | None:
        return next((s for s in self.sittings if s.date == day), None)

    def progress(self) -> Progress:
        """The record as the planner reads it."""
        state, when = self._state_when()
        return Progress(state, when, self.started, self.attempts,
                        sittings=tuple(s.date for s in self.sittings),
                        matched=self.outcome == "matched")


@datatype(kw_only=True)
class Cycle:
    """An earlier Match the person entered and did not match in: kept, not planned again."""

    match_year: Annotated[int, Limits(ge=1990, le=2200)]
    outcome: MatchOutcome
    date: Day = field(metadata=about("the day the outcome was known"))
    stages: dict[str, StageRecord] = field(default_factory=dict, metadata=about(
        "that cycle's records of the stages done once per cycle"))
    confirmations: dict[Confirmation, Day] = field(default_factory=dict)


@datatype(kw_only=True)
class USCEPeriod:
    """One period of clinical experience."""

    kind: USCEKind
    specialty: Name | None = None
    start: Day
    end: Day
    in_us: bool = True
    place: Name | None = None

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"ends {self.end}, before it starts {self.start}")


@datatype(kw_only=True)
class Letter:
    """One letter of recommendation."""

    writer: Name
    us_attending: bool = False
    specialty: Name | None = None
    received: Day | None = None


@datatype(kw_only=True)
class Profile:
    """The person: settings, progress per stage, experience, letters, confirmations."""

    schema_version: Literal[2] = SCHEMA_VERSION
    name: Name | None = field(default=None, metadata=about(
        "your name as on your documents (optional)"))
    graduation: Day | None = field(default=None, metadata=about(
        "graduation date, past or expected"))
    school_listed: bool | None = field(default=None, metadata=about(
        "school in the World Directory with an ECFMG sponsor note covering your graduation "
        "year"))
    specialty: Name | None = None
    match_year: Annotated[int, Limits(ge=1990, le=2200)] | None = None
    visa: Visa = "undecided"
    pace: Pace = "typical"
    stages: dict[str, StageRecord] = field(default_factory=dict)
    usce: list[USCEPeriod] = field(default_factory=list)
    letters: list[Letter] = field(default_factory=list)
    confirmations: dict[Confirmation, Day] = field(default_factory=dict)
    cycles: list[Cycle] = field(default_factory=list, metadata=about(
        "earlier Match cycles, unmatched: what was recorded for them, kept"))

    def record(self, stage_id: str) -> StageRecord:
        return self.stages.get(stage_id) or StageRecord()

    def person(self, applying: Applying | None = None) -> Person:
        """What the planner knows of the person; ``applying``: their specialty's services
        (from the specialties file, which the profile does not hold)."""
        progress = {stage_id: record.progress() for stage_id, record in self.stages.items()}
        durations = {
            stage_id: record.duration
            for stage_id, record in self.stages.items()
            if record.duration is not None
        }
        # only US experience is the usce stage (US clinical experience)
        periods = [(p.start, p.end) for p in self.usce if p.in_us]
        return Person(progress=progress, graduation=self.graduation, durations=durations,
                      applying=applying,
                      periods={"usce": periods} if periods else {},
                      confirmations={str(k): v for k, v in self.confirmations.items()})


# Every class a profile is made of: what the cache may rebuild, and nothing else.
PARTS: tuple[type, ...] = (OETScores, Sitting, StageRecord, Cycle, USCEPeriod, Letter, Profile,
                           Duration)


Loc = tuple[str | int, ...]


def profile_problems(profile: Profile, rules: Rules, today: dt.date | None = None) -> list[
        tuple[Loc, str]]:
    """What the rules (not the model alone) say is wrong with ``profile``, located."""
    found: list[tuple[Loc, str]] = []
    attempt_limit = int_threshold(rules, "usmle_attempt_limit")
    for stage_id, record in profile.stages.items():
        where: Loc = ("stages", stage_id)
        stage = rules.stages_by_id.get(stage_id)
        if stage is None:
            found.append((where, f"unknown stage '{stage_id}' (known: "
                                 f"{', '.join(rules.stage_ids)})"))
            continue
        if not stage.exam:
            for name in ("sittings", "booked", "undated_attempts"):
                if getattr(record, name):
                    what = f"'{record.sittings[0].result}'" if name == "sittings" and \
                        record.sittings else f"'{name}'"
                    found.append(((*where, name), f"{what} is for exams; use done or "
                                                  "in_progress"))
        if record.outcome is not None and record.outcome not in stage.outcomes:
            found.append(((*where, "outcome"), f"{stage_id} has no outcome '{record.outcome}'"))
        for index, sitting in enumerate(record.sittings):
            found += [((*where, "sittings", index, *loc), message)
                      for loc, message in _sitting_problems(stage, sitting, rules, today)]
        if record.duration is not None:
            length = record.duration.approx_days()
            if record.duration.negative or length > MAX_DURATION_YEARS * 366:
                found.append(((*where, "duration"),
                              f"'{record.duration}' is not a length for a stage (0 to "
                              f"{MAX_DURATION_YEARS} years)"))
        if stage.usmle and attempt_limit and record.attempts > attempt_limit:
            found.append(((*where, "undated_attempts" if record.undated_attempts else "sittings"),
                          f"{record.attempts} attempts exceed the USMLE limit of {attempt_limit}"))
        if today is not None and record.status == "done" and record.date is not None \
                and record.date > today:
            found.append(((*where, "date"), f"done on {record.date}, which is after today "
                                            f"({today})"))
        # Found by the hostile-input tests: a hand-typed start in the future was planned as a
        # stage "in progress" from that day on; 'imgplan mark --started' refuses it too.
        if today is not None and record.started is not None and record.started > today:
            found.append(((*where, "started"),
                          f"started {record.started}, which is after today ({today})"))
    return found


def _sitting_problems(stage: Stage, sitting: Sitting, rules: Rules, today: dt.date | None
                      ) -> list[tuple[Loc, str]]:
    found: list[tuple[Loc, str]] = []
    score_max = int_threshold(rules, "usmle_score_max")
    oet_max = int_threshold(rules, "oet_subtest_max")
    if today is not None and sitting.date > today:
        found.append((("date",), f"{sitting.result} on {sitting.date}, which is after today "
                                 f"({today}): book it instead"))
    if sitting.score is not None:
        if not stage.usmle:
            found.append((("score",), f"{stage.id} has no three-digit score"))
        elif score_max and not 1 <= sitting.score <= score_max:
            found.append((("score",), f"{sitting.score} is outside the USMLE score range "
                                      f"(1-{score_max})"))
        else:
            found += [(("score",), message) for message in
                      score_problems(stage, sitting.result, sitting.score, sitting.date)]
    if sitting.scores is not None and oet_max:
        for part, value in sitting.scores.as_dict().items():
            if not 0 <= value <= oet_max:
                found.append((("scores", part), f"{value} is outside the OET range "
                                                f"(0-{oet_max})"))
    return found


def score_problems(stage: Stage, status: str, score: int, day: dt.date) -> list[str]:
    """What the rules say a score recorded for a sitting on ``day`` cannot be."""
    result = stage.result
    if result is None:
        return []
    if result.scored_until is not None and day > result.scored_until:
        return [f"{stage.name} is reported pass/fail for exams after {result.scored_until}: "
                f"a sitting on {day} has no score (record it without --score)"]
    least = result.passing_score(day)
    if status == "passed" and least is not None and score < least:
        return [f"{score} is below {least}, the {stage.name} passing standard for exams on "
                f"{day}: a pass needs at least {least} (a score under it is a failed attempt)"]
    if status == "failed" and least is not None and score >= least:
        return [f"{score} meets {least}, the {stage.name} passing standard for exams on "
                f"{day}: a sitting with that score passed"]
    return []


def specialty_problems(profile: Profile, known: Collection[str]) -> list[tuple[Loc, str]]:
    """Specialty ids in ``profile`` that ``data/specialties.yaml`` does not list."""
    found: list[tuple[Loc, str]] = []
    places: list[tuple[Loc, str | None]] = [(("specialty",), profile.specialty)]
    places += [(("usce", i, "specialty"), p.specialty) for i, p in enumerate(profile.usce)]
    places += [(("letters", i, "specialty"), x.specialty) for i, x in enumerate(profile.letters)]
    for loc, value in places:
        # an earlier release's kebab-case id is the same id (core.specialties)
        if value is not None and value not in known and value.replace("-", "_") not in known:
            found.append((loc, f"unknown specialty '{value}' (known: {', '.join(known)})"))
    return found


def oet_shortfalls(scores: OETScores, minimum: Mapping[str, int]) -> list[tuple[str, int, int]]:
    """(sub-test, score, minimum) for each sub-test below ECFMG's minimum in this sitting."""
    values = scores.as_dict()
    return [(part, values[part], least) for part, least in minimum.items()
            if part in values and values[part] < least]


def usce_record(periods: list[USCEPeriod], today: dt.date) -> StageRecord | None:
    """The ``usce`` stage that the recorded periods amount to, or None when they say nothing.

    Only experience in the US counts (the stage is *US* clinical experience). The stage is done
    when the first US period ended; one under way makes it in progress.
    """
    in_us = [p for p in periods if p.in_us]
    ended = sorted((p for p in in_us if p.end <= today), key=lambda p: p.end)
    if ended:
        return StageRecord(status="done", date=ended[0].end, started=ended[0].start)
    running = sorted((p for p in in_us if p.start <= today), key=lambda p: p.start)
    if running:
        return StageRecord(status="in_progress", started=running[0].start)
    return None


def letters_record(letters: list[Letter], needed: int, us_needed: int) -> StageRecord | None:
    """The ``lors`` stage that the received letters amount to, or None when none is received.

    Done on the day the letters first reached ``needed`` with ``us_needed`` from US attendings.
    """
    received = sorted((x for x in letters if x.received is not None),
                      key=lambda x: x.received or dt.date.min)
    if not received:
        return None
    first = received[0].received
    us = 0
    for count, letter in enumerate(received, 1):
        us += letter.us_attending
        if count >= needed and us >= us_needed:
            return StageRecord(status="done", date=letter.received, started=first)
    return StageRecord(status="in_progress", started=first)


def int_threshold(rules: Rules, key: str) -> int | None:
    """A numeric threshold from the rules; None (the check is skipped) when a file lacks it."""
    threshold = rules.thresholds.get(key)
    if threshold is not None and isinstance(threshold.value, int):
        return threshold.value
    return None


SETTING_NAMES = {"name": "name", "graduation": "graduation", "school_listed": "school listed",
                 "specialty": "specialty", "match_year": "target Match", "visa": "visa route",
                 "pace": "pace"}


def differences(before: Profile, after: Profile) -> list[str]:
    """What changes from ``before`` to ``after``, one short line each, for a person."""
    found: list[str] = []
    for key, shown in SETTING_NAMES.items():
        old, new = getattr(before, key), getattr(after, key)
        if old != new:
            found.append(f"{shown}: {_shown(old)} -> {_shown(new)}")
    for stage_id in dict.fromkeys([*before.stages, *after.stages]):
        old_record, new_record = before.stages.get(stage_id), after.stages.get(stage_id)
        if old_record != new_record:
            found.append(f"{stage_id}: {_record(old_record)} -> {_record(new_record)}")
    for what, old_list, new_list in (("clinical experience", before.usce, after.usce),
                                     ("letters", before.letters, after.letters)):
        if old_list != new_list:
            found.append(f"{what}: {len(old_list)} -> {len(new_list)} recorded")
    if before.confirmations != after.confirmations:
        found.append("confirmations: " + ", ".join(before.confirmations or ["none"]) + " -> "
                     + ", ".join(after.confirmations or ["none"]))
    return found


def _shown(value: object) -> str:
    return "not set" if value is None else str(value)


def _record(record: StageRecord | None) -> str:
    if record is None:
        return "nothing recorded"
    when = f" {record.when}" if record.when else (f" since {record.started}"
                                                 if record.started else "")
    sat = len(record.sittings)
    count = f" ({sat} sitting{'s' if sat != 1 else ''})" if sat else ""
    return f"{record.state.replace('_', ' ')}{when}{count}"


def migrated(data: dict[str, Any]) -> dict[str, Any]:
    """A profile's data in the current schema (2). Schema 1 kept one status per stage
    (an exam's last result and a count of failed attempts): its results become sittings, its
    booking ``booked``, and failed attempts it kept no date for ``undated_attempts``. Anything
    that is not the shape expected is left for the checker to report where it is."""
    # A record in the old shape is read in any version: "status: passed" and its date is how
    # a person editing the file by hand writes a result.
    stages = data.get("stages")
    changed = dict(data, schema_version=SCHEMA_VERSION) if data.get("schema_version", 1) == 1 \
        else dict(data)
    if isinstance(stages, dict):
        changed["stages"] = {stage_id: _record_v2(record) if isinstance(record, dict) else record
                             for stage_id, record in stages.items()}
    return changed


def v1_place(loc: tuple[str | int, ...]) -> tuple[str | int, ...]:
    """Where a place in a migrated profile is in the schema-1 file it was read from."""
    if len(loc) >= 3 and loc[0] == "stages":
        head, rest = loc[:2], loc[2:]
        if rest == ("sittings",):
            return (*head, "status")  # a v1 record said "passed" or "failed" in its status
        if rest[:1] == ("sittings",):
            return (*head, *rest[2:])  # a v1 record held its one sitting's fields itself
        renamed = {"booked": "date", "undated_attempts": "attempts"}
        if isinstance(rest[0], str) and rest[0] in renamed:
            return (*head, renamed[rest[0]], *rest[1:])
    return loc


def _record_v2(record: dict[str, Any]) -> dict[str, Any]:
    new = dict(record)
    status = new.get("status", "todo")
    failed_before = new.pop("attempts", 0)
    score, scores = new.pop("score", None), new.pop("scores", None)
    if status == "done" and (score is not None or scores is not None):
        status = "passed"  # an exam marked done with its result is a pass
    if status in ("passed", "failed"):
        sitting = {"result": status}
        if "date" in new:  # else the checker says the sitting needs its date
            sitting["date"] = new.pop("date")
        sitting.update({k: v for k, v in (("score", score), ("scores", scores)) if v is not None})
        new["sittings"] = [sitting]
        new["status"] = "todo"
        if status == "failed" and isinstance(failed_before, int):
            failed_before = max(failed_before - 1, 0)  # the count included this sitting
    elif status == "scheduled":
        new["booked"] = new.pop("date", None)
        new["status"] = "in_progress" if new.get("started") else "todo"
    if failed_before:
        new["undated_attempts"] = failed_before
    if new.get("status") == "todo":
        del new["status"]
    return new


def renewing(rules: Rules) -> tuple[set[str], set[str]]:
    """The stages done once per Match cycle, and the confirmations about them."""
    stages = {stage.id for stage in rules.stages if stage.renews}
    return stages, {item.id for item in rules.checklist if item.stage in stages}


def after_unmatched(profile: Profile, rules: Rules, match_year: int, day: dt.date,
                    outcome: tuple[str, StageRecord]) -> Profile:
    """``profile`` once Match ``match_year`` ended unmatched on ``day``: that cycle's records
    of the stages done once per cycle (ERAS, registration, the rank list, the Match itself)
    and the confirmations about them are kept in ``cycles``, and the target is the next
    Match. What stays valid (passed Steps, the OET, letters, the documents) stays."""
    stages, confirmations = renewing(rules)
    cycle = Cycle(match_year=match_year, outcome="unmatched", date=day,
                  stages={**{k: v for k, v in profile.stages.items() if k in stages},
                          outcome[0]: outcome[1]},
                  confirmations={k: v for k, v in profile.confirmations.items()
                                 if k in confirmations})
    target = profile.match_year if profile.match_year and profile.match_year > match_year \
        else match_year + 1
    return replace(profile, match_year=target, cycles=[*profile.cycles, cycle],
                   stages={k: v for k, v in profile.stages.items() if k not in stages},
                   confirmations={k: v for k, v in profile.confirmations.items()
                                  if k not in confirmations})


def back_to_cycle(profile: Profile, cycle: Cycle, outcome_stage: str) -> Profile:
    """``profile`` with ``cycle`` (its last, unmatched) current again: a SOAP offer accepted
    in that Match Week. The records made since for the next cycle give way to that cycle's."""
    stages = {**profile.stages, **cycle.stages}
    stages.pop(outcome_stage, None)
    return replace(profile, match_year=cycle.match_year, cycles=profile.cycles[:-1],
                   stages=stages, confirmations={**profile.confirmations,
                                                 **cycle.confirmations})
