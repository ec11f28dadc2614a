"""``imgplan mark STAGE STATUS``: record progress on one stage of the pathway."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from imgplan.cli.options import ProfileFile, RulesFile, Today

if TYPE_CHECKING:
    from imgplan.cli.editing import Editing
    from imgplan.core.profile import Profile, Sitting
    from imgplan.core.rules import Rules

STATUSES = ("scheduled", "passed", "failed", "incomplete", "in_progress", "done")
EXAM_ONLY = ("scheduled", "passed", "failed", "incomplete")


def mark(
    stage: Annotated[str, typer.Argument(
        help="The stage id: credentials, step1, step2ck, oet, pathway, ecfmg_certification, "
        "usce, lors, application_documents, eras, nrmp_registration, rank_list, match, ... "
        "('imgplan rules show' lists them).", show_default=False)],
    status: Annotated[str, typer.Argument(
        help="scheduled (or booked), passed, failed or incomplete (exams: each sitting is "
        "kept); in_progress (or 'in progress') or done (any stage); matched or unmatched "
        "(match). The stage and status may be written as you read them: \"Step 1\" booked.",
        show_default=False)],
    date: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--date", help="The exam, booking or completion date (default: today; required for "
        "scheduled). ISO 2025-05-10, 2025-05 or 10 May 2025.", show_default=False)] = None,
    score: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--score", help="USMLE three-digit score (Step 2 CK, Step 3).",
        show_default=False)] = None,
    scores: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--scores", help="OET sub-test scores of one sitting: Listening,Reading,Writing,Speaking "
        "(e.g. 360,350,320,370).", show_default=False)] = None,
    programs: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--programs", help="ERAS: the number of programs you applied to.",
        show_default=False)] = None,
    program: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--program", help="match: the program you matched to.", show_default=False)] = None,
    started: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--started", help="When you started (in_progress; kept when you later mark it done).",
        show_default=False)] = None,
    today: Today = None,
    rules: RulesFile = None,
    profile: ProfileFile = None,
) -> None:
    """Record progress on a stage: an exam booked, passed or failed; a stage under way or done;
    the Match's outcome.

    \b
    imgplan mark step2ck passed --date 2025-09-20 --score 252
    imgplan mark match unmatched --date 2027-03-15
    """
    from imgplan.cli.editing import choice, open_profile, typed_name
    from imgplan.core import spelling
    from imgplan.core.errors import UsageError

    edit = open_profile(profile=profile, rules=rules, today=today)
    known = edit.rules.stage_ids
    # "Step 1", "step-2-ck", "ECFMG certification": the ids as people type them
    named = spelling.one_of(stage, known, names={s.id: (s.name, s.label) for s in
                                                  edit.rules.stages})
    if named is None:
        raise UsageError(f"unknown stage '{stage}'{spelling.suggestion(stage, known)} (known: "
                         f"{', '.join(known)})", field="STAGE")
    stage, status = named, spelling.status(status)
    rule = edit.rules.stage(stage)
    if rule.outcomes:
        choice(status, [*rule.outcomes, "in_progress"], field="STATUS")
    else:
        choice(status, STATUSES, field="STATUS")
    if status in EXAM_ONLY and not rule.exam:
        exams = ", ".join(s.id for s in edit.rules.stages if s.exam)
        raise UsageError(f"'{status}' is for exams ({exams}); {stage} takes in_progress or done",
                         field="STATUS")
    if program is not None and status != "matched":
        raise UsageError("the program comes with 'matched'", field="--program")
    if program is not None:
        program = typed_name(program, field="--program", what="the program")
    if rule.exam and status in ("passed", "failed", "incomplete", "done"):
        _sitting(edit, stage, "passed" if status == "done" else status, date, score, scores,
                 started)
    elif rule.exam and status == "scheduled":
        _booking(edit, stage, date, started, score, scores)
    elif status in rule.outcomes:
        _outcome(edit, stage, status, date, program)
    else:
        _status(edit, stage, status, date, started, score, scores, programs)


def _sitting(edit: Editing, stage: str, result: str, date: str | None, score: str | None,
             scores: str | None, started: str | None) -> None:
    """An exam sat: a sitting appended to the stage's history (the same one twice is one)."""
    from imgplan.cli.editing import on_or_before_today
    from imgplan.core.dates import parse_date
    from imgplan.core.errors import UsageError
    from imgplan.core.retakes import next_sitting
    from imgplan.files.checking import dump

    rule = edit.rules.stage(stage)
    previous = edit.profile.record(stage)
    day = on_or_before_today(parse_date(date, field="--date") if date else edit.today,
                             edit.today, field="--date", what=result)
    usmle_score = _score(score, stage, result, edit.rules, day)
    oet_scores = _oet_scores(scores, stage, result, edit.rules)
    sitting = {"date": day, "result": result, "score": usmle_score,
               "scores": oet_scores or None}
    begun = parse_date(started, field="--started") if started is not None else None
    if begun is None and result == "passed" and previous.status == "in_progress" \
            and previous.started and previous.started <= day:
        begun = previous.started  # the preparation recorded earlier: the pass's start
    if begun is not None:
        on_or_before_today(begun, edit.today, field="--started", what="started")
        if begun > day:
            raise UsageError(f"started {begun} is after its date {day}", field="--started")
    same_day = previous.sitting_on(day)
    if same_day is not None:
        known = dump(same_day)
        if all(value is None or known[key] == value for key, value in sitting.items()):
            typer.echo(f"{rule.name}: the sitting of {day} is already recorded "
                       f"({_sitting_words(same_day)}); nothing changed.")
            return
        raise UsageError(f"a sitting on {day} is already recorded ({_sitting_words(same_day)})",
                         field="--date", hint="'imgplan undo' takes back the last change; or "
                         "edit the profile by hand")
    if rule.usmle and previous.passed is not None and day > previous.passed.date:
        raise UsageError(f"{rule.name} was passed on {previous.passed.date}: a passed Step is "
                         "not sat again", field="STATUS")
    earlier = [s.date for s in previous.sittings if s.date < day]
    allowed = next_sitting(edit.rules, earlier, previous.attempts) if rule.usmle else None
    if allowed is not None and not allowed.allowed:
        raise UsageError(f"{rule.name}: {allowed.reason}", field="STATUS")
    record = dump(previous)
    sittings = sorted([*record["sittings"], {k: v for k, v in sitting.items()
                                             if v is not None}], key=lambda s: s["date"])
    booked = record["booked"] if record["booked"] is not None and record["booked"] > day \
        else None  # a booking on or before the day sat is that sitting, or has passed
    if rule.usmle and result != "passed" and not next_sitting(
            edit.rules, [*earlier, day], previous.attempts + 1).allowed:
        booked = None  # no further sitting is allowed: a booking left would be misleading
    # a failed sitting ends that preparation; the next one starts when the person says so
    record.update(sittings=sittings, booked=booked, status="todo",
                  started=begun if result == "passed" else None)
    changed = _save_stage(edit, stage, record)
    now = changed.record(stage)
    words = _sitting_words(now.sitting_on(day))
    typer.echo(f"Recorded {rule.name}: {words}.")
    if allowed is not None and allowed.earliest is not None and day < allowed.earliest:
        typer.echo(f"Note: the USMLE rules allowed this sitting only from {allowed.earliest} "
                   f"({allowed.reason}); check the date.")
    if date is None:
        typer.echo(f"Dated today ({edit.today}); give --date to record another day.")
    limit = edit.rules.thresholds.get("usmle_attempt_limit")
    if rule.usmle and limit is not None and result != "passed":
        typer.echo(f"{now.attempts} of {limit.value} USMLE attempts used for {rule.name}.")
        following = next_sitting(edit.rules, [s.date for s in now.sittings], now.attempts)
        if not following.allowed:
            typer.echo(f"{following.reason}: the USMLE pathway is closed ('imgplan check' "
                       "says what remains).")
        elif following.earliest is not None:
            typer.echo(f"The next sitting is allowed from {following.earliest} "
                       f"({following.reason}).")
    minimum = edit.rules.thresholds.get("oet_minimum")
    if now.scores is not None and minimum is not None and isinstance(minimum.value, dict):
        from imgplan.core.profile import oet_shortfalls

        for part, value, least in oet_shortfalls(now.scores, minimum.value):
            typer.echo(f"Note: OET {part.capitalize()} {value} is below ECFMG's minimum of "
                       f"{least} in one sitting; 'imgplan check' flags it.")


def _booking(edit: Editing, stage: str, date: str | None, started: str | None,
             score: str | None, scores: str | None) -> None:
    """The next sitting booked: the history is not touched."""
    from imgplan.cli.editing import on_or_before_today
    from imgplan.core.dates import parse_date
    from imgplan.core.errors import UsageError
    from imgplan.core.retakes import next_sitting
    from imgplan.files.checking import dump

    rule = edit.rules.stage(stage)
    previous = edit.profile.record(stage)
    if date is None:
        raise UsageError("a booked exam needs its date", field="--date")
    if score is not None or scores is not None:
        raise UsageError("a score comes with passed or failed",
                         field="--score" if score is not None else "--scores")
    day = parse_date(date, field="--date")
    if previous.passed is not None:
        raise UsageError(f"{rule.name} was passed on {previous.passed.date}: a passed exam is "
                         "not sat again", field="STATUS")
    if previous.booked == day:
        typer.echo(f"{rule.name}: the booking for {day} is already recorded; nothing changed.")
        return
    last = previous.last
    if last is not None and day <= last.date:
        raise UsageError(f"{day} is not after the last sitting ({last.date})", field="--date")
    allowed = next_sitting(edit.rules, [s.date for s in previous.sittings],
                           previous.attempts) if rule.usmle else None
    if allowed is not None and not allowed.allowed:
        raise UsageError(f"{rule.name}: {allowed.reason}", field="STATUS")
    begun = parse_date(started, field="--started") if started is not None else (
        previous.started if previous.status == "in_progress" else None)
    if begun is not None:
        on_or_before_today(begun, edit.today, field="--started", what="started")
        if begun > day:
            raise UsageError(f"started {begun} is after its date {day}", field="--started")
    record = dump(previous)
    record.update(booked=day, started=begun,
                  status="in_progress" if begun is not None else "todo")
    _save_stage(edit, stage, record)
    typer.echo(f"Recorded {rule.name}: booked for {day}.")
    if day < edit.today:
        typer.echo(f"That date has passed: record the result (imgplan mark {stage} passed|failed "
                   f"--date {day}).")
    if allowed is not None and allowed.earliest is not None and day < allowed.earliest:
        typer.echo(f"Warning: the USMLE rules allow the next sitting from {allowed.earliest} "
                   f"({allowed.reason}): move the booking.")


def _status(edit: Editing, stage: str, status: str, date: str | None, started: str | None,
            score: str | None, scores: str | None, programs: str | None) -> None:
    """A stage under way or done (an exam under way: its preparation)."""
    from imgplan.cli.editing import on_or_before_today
    from imgplan.core.dates import parse_date
    from imgplan.core.errors import UsageError
    from imgplan.files.checking import dump

    rule = edit.rules.stage(stage)
    previous = edit.profile.record(stage)
    if score is not None or scores is not None:
        raise UsageError("a score comes with passed or failed",
                         field="--score" if score is not None else "--scores")
    when = parse_date(date, field="--date") if date is not None else None
    begun = parse_date(started, field="--started") if started is not None else None
    if status == "in_progress":
        # for a stage under way, the only date is when it started
        begun = begun or when or edit.today
        when = None
        on_or_before_today(begun, edit.today, field="--started", what="started")
    else:
        when = on_or_before_today(when or edit.today, edit.today, field="--date", what="done")
        if begun is None and previous.status == "in_progress" and previous.started \
                and previous.started <= when:
            begun = previous.started  # the preparation recorded earlier
        if begun is not None:
            on_or_before_today(begun, edit.today, field="--started", what="started")
    if begun is not None and when is not None and begun > when:
        raise UsageError(f"started {begun} is after its date {when}", field="--started")
    applied = _programs(programs, stage, status)
    record = dump(previous)
    update = {"status": status, "date": when, "started": begun, "programs": applied}
    if all(record[key] == value for key, value in update.items()):
        typer.echo(f"{rule.name}: already recorded; nothing changed.")
        return
    record.update(update)
    _save_stage(edit, stage, record)
    what = f"{rule.name}: {status.replace('_', ' ')}"
    what += f" since {begun}" if status == "in_progress" else f" on {when}"
    if applied is not None:
        what += f", {applied} programs"
    typer.echo(f"Recorded {what}.")
    if date is None and status != "in_progress":
        typer.echo(f"Dated today ({edit.today}); give --date to record another day.")


def _outcome(edit: Editing, stage: str, outcome: str, date: str | None,
             program: str | None) -> None:
    """The Match's outcome. Unmatched: that cycle is kept apart and the target moves on."""
    from imgplan.cli.editing import on_or_before_today
    from imgplan.core.cycle import key_dates
    from imgplan.core.dates import parse_date
    from imgplan.core.errors import UsageError
    from imgplan.core.profile import after_unmatched, back_to_cycle
    from imgplan.files.checking import dump, profile_from

    rule = edit.rules.stage(stage)
    day = on_or_before_today(parse_date(date, field="--date") if date else edit.today,
                             edit.today, field="--date", what=outcome)
    year = day.year  # the Match is in March: a result is known in its own year
    window = rule.window
    opens_id = window.opens if window is not None else None
    dates = key_dates(edit.rules, year)
    closes_id = window.closes if window is not None else None
    if opens_id is not None and opens_id in dates and day < dates[opens_id].date:
        raise UsageError(f"{day} is before Match Week {year} ({dates[opens_id].date}): the "
                         "result comes then", field="--date")
    if closes_id is not None and closes_id in dates and day > dates[closes_id].date:
        raise UsageError(f"{day} is after Match Day {year} ({dates[closes_id].date}): the "
                         "outcome is known by then (SOAP included)", field="--date",
                         hint="date it within Match Week, the day you learnt it")
    record = {"status": "done", "date": day, "outcome": outcome, "program": program}
    current = edit.profile
    last = current.cycles[-1] if current.cycles else None
    if outcome == "unmatched" and last is not None and last.match_year == year:
        typer.echo(f"Match {year} is already recorded as unmatched; nothing changed.")
        return
    entered_by = edit.rules.calendar.entered_by
    soap = outcome == "matched" and last is not None and last.match_year == year
    if entered_by is not None and not soap and not _entered(edit, year, entered_by):
        raise UsageError(f"no rank-order list for Match {year} is recorded: only a person "
                         "in the Match has an outcome", field="STATUS",
                         hint=f"record it first: imgplan mark {entered_by} done --date DATE")
    if outcome == "matched" and last is not None and last.match_year == year:
        current = back_to_cycle(current, last, stage)  # a SOAP offer in that Match Week
        typer.echo(f"Match {year} is your current Match again (SOAP): its records are back.")
    previous = dump(current.record(stage))
    if previous["outcome"] == outcome and previous["date"] == day \
            and (program is None or previous["program"] == program):
        typer.echo(f"{rule.name}: already recorded; nothing changed.")
        return
    if outcome == "matched":
        previous.update(record)
        changed = profile_from({**dump(current), "match_year": year,
                                "stages": {**dump(current)["stages"], stage: previous}})
        edit.save(changed)
        where = f" to {program}" if program else ""
        typer.echo(f"Recorded Match {year}: matched{where} on {day}. What remains before "
                   f"residency starts: 'imgplan timeline' (visa, ECFMG certificate).")
        return
    from imgplan.core.profile import StageRecord

    moved = after_unmatched(current, edit.rules, year, day,
                            (stage, StageRecord(status="done", date=day, outcome="unmatched")))
    edit.save(moved)
    archived = moved.cycles[-1].stages
    again = [s.label for s in edit.rules.stages if s.id in archived and s.id != stage]
    typer.echo(f"Recorded Match {year}: unmatched on {day}. Your target is now Match "
               f"{moved.match_year}.")
    if again:
        typer.echo(f"Kept apart as Match {year}'s, to do again for Match {moved.match_year}: "
                   f"{', '.join(again)}. Passed exams, experience, letters and documents "
                   "stay; an OET counts only if that Match's Pathways accept its date.")
    for renewed in edit.rules.stages:
        if renewed.id in archived and renewed.renewal:
            typer.echo(renewed.renewal)  # e.g. an accepted Pathway may carry over
    # the day is within Match Week (refused otherwise): SOAP may still bring an offer
    typer.echo(f"SOAP runs until the Thursday of Match Week: if you accept an offer, record "
               f"it: imgplan mark {stage} matched --date DATE --program NAME")
    from imgplan.cli.editing import say_if_out_of_reach

    assert moved.match_year is not None
    say_if_out_of_reach(edit.rules, moved, moved.match_year, edit.today)


def _entered(edit: Editing, year: int, stage: str) -> bool:
    """Whether the profile records ``stage`` (the rank list) done for Match ``year``."""
    from imgplan.core.cycle import key_dates

    record = edit.profile.record(stage)
    closes = key_dates(edit.rules, year).get(edit.rules.calendar.closes)
    return record.status == "done" and record.date is not None and closes is not None \
        and year - 1 <= record.date.year and record.date <= closes.date


def _save_stage(edit: Editing, stage: str, record: dict[str, object]) -> Profile:
    from imgplan.files.checking import dump, rebuilt

    changed = rebuilt(edit.profile, stages={**dump(edit.profile)["stages"], stage: record})
    edit.save(changed)
    return changed


def _sitting_words(sitting: Sitting | None) -> str:
    if sitting is None:  # pragma: no cover - the sitting was just written
        return ""
    words = f"{sitting.result} on {sitting.date}"
    if sitting.score is not None:
        words += f", score {sitting.score}"
    if sitting.scores is not None:
        part = sitting.scores
        words += f", L {part.listening}, R {part.reading}, W {part.writing}, S {part.speaking}"
    return words


def _score(text: str | None, stage: str, status: str, rules: Rules, day: dt.date
           ) -> int | None:
    from imgplan.cli.editing import whole_number
    from imgplan.core.errors import UsageError
    from imgplan.core.profile import int_threshold

    value = whole_number(text, field="--score")
    if value is None:
        return None
    if not rules.stage(stage).usmle:
        hint = "OET takes --scores L,R,W,S" if stage == "oet" else None
        raise UsageError(f"{stage} has no three-digit score", field="--score", hint=hint)
    if status not in ("passed", "failed", "done"):
        raise UsageError("a score comes with passed or failed", field="--score")
    most = int_threshold(rules, "usmle_score_max")
    if most is not None and not 1 <= value <= most:
        raise UsageError(f"{value} is outside the USMLE score range (1-{most})", field="--score")
    from imgplan.core.profile import score_problems

    for problem in score_problems(rules.stage(stage), status, value, day):
        raise UsageError(problem, field="--score")
    return value


def _oet_scores(text: str | None, stage: str, status: str, rules: Rules) -> dict[str, int]:
    from imgplan.cli.editing import whole_number
    from imgplan.core.errors import UsageError
    from imgplan.core.profile import int_threshold

    if text is None:
        return {}
    if stage != "oet":
        raise UsageError(f"{stage} has no OET sub-test scores", field="--scores")
    if status not in ("passed", "failed", "done"):
        raise UsageError("scores come with passed or failed", field="--scores")
    parts = [part.strip() for part in text.split(",")]
    if len(parts) != 4:
        raise UsageError(f"'{text}' is not four scores", field="--scores",
                         hint="Listening,Reading,Writing,Speaking, e.g. 360,350,320,370")
    values = [whole_number(part, field="--scores") or 0 for part in parts]  # never None here
    most = int_threshold(rules, "oet_subtest_max")
    names = ("listening", "reading", "writing", "speaking")
    for name, value in zip(names, values, strict=True):
        if most is not None and not 0 <= value <= most:
            raise UsageError(f"{name} {value} is outside the OET range (0-{most})",
                             field="--scores")
    return dict(zip(names, values, strict=True))


def _programs(text: str | None, stage: str, status: str) -> int | None:
    from imgplan.cli.editing import whole_number
    from imgplan.core.errors import UsageError

    value = whole_number(text, field="--programs")
    if value is None:
        return None
    if stage != "eras":
        raise UsageError("only the eras stage counts programs", field="--programs")
    if status != "done":
        raise UsageError("the number of programs comes with 'done'", field="--programs")
    if value < 1:
        raise UsageError("an ERAS application goes to at least one program", field="--programs")
    return value
