"""The person's profile: who they are, what they have done, and what only they can confirm.

The profile is YAML a person may also edit by hand (see ``store``). This module is pure: the
model, the checks that need the rules (stage ids, score ranges), and the translation into the
planner's ``Person``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Literal

from imgplan.core.duration import Duration
from imgplan.core.fields import AfterCheck, DurationField, Limits, about
from imgplan.core.planner import Person, Progress
from imgplan.core.rules import MAX_DURATION_YEARS, Pace, Rules, Stage, Visa

SCHEMA_VERSION: Literal[1] = 1

StageStatus = Literal["todo", "scheduled", "in_progress", "done", "passed", "failed"]
EXAM_STATUSES: tuple[str, ...] = ("scheduled", "passed", "failed")
CONFIRMATIONS = ("personal_statement", "eras_consistency", "visa_strategy", "rank_strategy")
Confirmation = Literal["personal_statement", "eras_consistency", "visa_strategy", "rank_strategy"]
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


@dataclass(kw_only=True)
class OETScores:
    """One sitting's four sub-test scores (ECFMG counts only one sitting)."""

    listening: Score
    reading: Score
    writing: Score
    speaking: Score

    def as_dict(self) -> dict[str, int]:
        return {"listening": self.listening, "reading": self.reading, "writing": self.writing,
                "speaking": self.speaking}


@dataclass(kw_only=True)
class StageRecord:
    """What the person recorded for one stage."""

    status: StageStatus = "todo"
    date: Day | None = field(default=None, metadata=about("exam, booking or completion date"))
    started: Day | None = None
    attempts: Annotated[int, Limits(ge=0)] = field(default=0, metadata=about(
        "failed attempts so far"))
    score: Score | None = field(default=None, metadata=about("USMLE three-digit score"))
    scores: OETScores | None = None
    programs: Annotated[int, Limits(ge=0)] | None = field(default=None, metadata=about(
        "programs applied to (ERAS)"))
    duration: DurationField | None = field(default=None, metadata=about(
        "your own estimate for this stage"))

    def __post_init__(self) -> None:
        if self.status in ("scheduled", "passed", "failed", "done") and self.date is None:
            raise ValueError(f"a '{self.status}' stage needs its date")
        if self.started and self.date and self.started > self.date:
            raise ValueError(f"started {self.started} is after its date {self.date}")


@dataclass(kw_only=True)
class USCEPeriod:
    """One period of clinical experience."""

    kind: USCEKind
    specialty: str | None = None
    start: Day
    end: Day
    in_us: bool = True
    place: str | None = None

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"ends {self.end}, before it starts {self.start}")


@dataclass(kw_only=True)
class Letter:
    """One letter of recommendation."""

    writer: Annotated[str, Limits(min_length=1)]
    us_attending: bool = False
    specialty: str | None = None
    received: Day | None = None


@dataclass(kw_only=True)
class Profile:
    """The person: settings, progress per stage, experience, letters, confirmations."""

    schema_version: Literal[1] = SCHEMA_VERSION
    name: str | None = field(default=None, metadata=about(
        "your name as on your documents (optional)"))
    graduation: Day | None = field(default=None, metadata=about(
        "graduation date, past or expected"))
    school_listed: bool | None = field(default=None, metadata=about(
        "school in the World Directory with an ECFMG sponsor note covering your graduation "
        "year"))
    specialty: str | None = None
    match_year: Annotated[int, Limits(ge=1990, le=2200)] | None = None
    visa: Visa = "undecided"
    pace: Pace = "typical"
    stages: dict[str, StageRecord] = field(default_factory=dict)
    usce: list[USCEPeriod] = field(default_factory=list)
    letters: list[Letter] = field(default_factory=list)
    confirmations: dict[Confirmation, Day] = field(default_factory=dict)

    def record(self, stage_id: str) -> StageRecord:
        return self.stages.get(stage_id) or StageRecord()

    def person(self) -> Person:
        progress = {
            stage_id: Progress(record.status, record.date, record.started, record.attempts)
            for stage_id, record in self.stages.items()
        }
        durations = {
            stage_id: record.duration
            for stage_id, record in self.stages.items()
            if record.duration is not None
        }
        # only US experience is the usce stage (US clinical experience)
        periods = [(p.start, p.end) for p in self.usce if p.in_us]
        return Person(progress=progress, graduation=self.graduation, durations=durations,
                      periods={"usce": periods} if periods else {},
                      confirmations={str(k): v for k, v in self.confirmations.items()})


# Every class a profile is made of: what the cache may rebuild, and nothing else.
PARTS: tuple[type, ...] = (OETScores, StageRecord, USCEPeriod, Letter, Profile, Duration)


Loc = tuple[str | int, ...]


def profile_problems(profile: Profile, rules: Rules, today: dt.date | None = None) -> list[
        tuple[Loc, str]]:
    """What the rules (not the model alone) say is wrong with ``profile``, located."""
    found: list[tuple[Loc, str]] = []
    stage_ids = rules.stage_ids
    score_max = int_threshold(rules, "usmle_score_max")
    oet_max = int_threshold(rules, "oet_subtest_max")
    attempt_limit = int_threshold(rules, "usmle_attempt_limit")
    for stage_id, record in profile.stages.items():
        where: Loc = ("stages", stage_id)
        if stage_id not in stage_ids:
            found.append((where, f"unknown stage '{stage_id}' (known: {', '.join(stage_ids)})"))
            continue
        stage = rules.stage(stage_id)
        if record.status in EXAM_STATUSES and not stage.exam:
            found.append(((*where, "status"),
                          f"'{record.status}' is for exams; use done or in_progress"))
        if record.score is not None and score_max and not 1 <= record.score <= score_max:
            found.append(((*where, "score"),
                          f"{record.score} is outside the USMLE score range (1-{score_max})"))
        elif record.score is not None and record.date is not None:
            found += [((*where, "score"), message)
                      for message in score_problems(stage, record.status, record.score,
                                                    record.date)]
        if record.duration is not None:
            length = record.duration.approx_days()
            if record.duration.negative or length > MAX_DURATION_YEARS * 366:
                found.append(((*where, "duration"),
                              f"'{record.duration}' is not a length for a stage (0 to "
                              f"{MAX_DURATION_YEARS} years)"))
        if record.scores is not None and oet_max:
            for part, value in record.scores.as_dict().items():
                if not 0 <= value <= oet_max:
                    found.append(((*where, "scores", part),
                                  f"{value} is outside the OET range (0-{oet_max})"))
        if stage.usmle and attempt_limit and record.attempts > attempt_limit:
            found.append(((*where, "attempts"),
                          f"{record.attempts} attempts exceed the USMLE limit of {attempt_limit}"))
        if today is not None and record.status in ("passed", "done", "failed") \
                and record.date is not None and record.date > today:
            found.append(((*where, "date"),
                          f"{record.status} on {record.date}, which is after today ({today})"))
        # Found by the hostile-input tests: a hand-typed start in the future was planned as a
        # stage "in progress" from that day on; 'imgplan mark --started' refuses it too.
        if today is not None and record.started is not None and record.started > today:
            found.append(((*where, "started"),
                          f"started {record.started}, which is after today ({today})"))
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
    return []


def specialty_problems(profile: Profile, known: Collection[str]) -> list[tuple[Loc, str]]:
    """Specialty ids in ``profile`` that ``data/specialties.yaml`` does not list."""
    found: list[tuple[Loc, str]] = []
    places: list[tuple[Loc, str | None]] = [(("specialty",), profile.specialty)]
    places += [(("usce", i, "specialty"), p.specialty) for i, p in enumerate(profile.usce)]
    places += [(("letters", i, "specialty"), x.specialty) for i, x in enumerate(profile.letters)]
    for loc, value in places:
        if value is not None and value not in known:
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
    when = f" {record.date}" if record.date else (f" since {record.started}"
                                                 if record.started else "")
    return f"{record.status.replace('_', ' ')}{when}"
