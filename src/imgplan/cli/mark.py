"""``imgplan mark STAGE STATUS``: record progress on one stage of the pathway."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Optional

import typer

from imgplan.cli.options import ProfileFile, RulesFile, Today

if TYPE_CHECKING:
    from imgplan.core.rules import Rules

STATUSES = ("scheduled", "passed", "failed", "in_progress", "done")
EXAM_ONLY = ("scheduled", "passed", "failed")


def mark(
    stage: Annotated[str, typer.Argument(
        help="The stage id: credentials, step1, step2ck, oet, pathway, ecfmg_certification, "
        "usce, lors, application_documents, eras, nrmp_registration, ... ('imgplan rules "
        "show' lists them).", show_default=False)],
    status: Annotated[str, typer.Argument(
        help="scheduled, passed or failed (exams); in_progress or done (any stage).",
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
    started: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--started", help="When you started (in_progress; kept when you later mark it done).",
        show_default=False)] = None,
    today: Today = None,
    rules: RulesFile = None,
    profile: ProfileFile = None,
) -> None:
    """Record progress on a stage: an exam booked, passed or failed; a stage under way or done.

    \b
    imgplan mark step2ck passed --date 2025-09-20 --score 252
    """
    from imgplan.cli.editing import choice, on_or_before_today, open_profile
    from imgplan.core.dates import parse_date
    from imgplan.core.errors import UsageError
    from imgplan.core.profile import int_threshold, oet_shortfalls
    from imgplan.files.checking import dump, rebuilt

    edit = open_profile(profile=profile, rules=rules, today=today)
    known = edit.rules.stage_ids
    if stage not in known:
        raise UsageError(f"unknown stage '{stage}' (known: {', '.join(known)})", field="STAGE")
    rule = edit.rules.stage(stage)
    choice(status, STATUSES, field="STATUS")
    if status in EXAM_ONLY and not rule.exam:
        exams = ", ".join(s.id for s in edit.rules.stages if s.exam)
        raise UsageError(f"'{status}' is for exams ({exams}); {stage} takes in_progress or done",
                         field="STATUS")
    previous = edit.profile.record(stage)
    day = edit.today

    when = parse_date(date, field="--date") if date is not None else None
    begun = parse_date(started, field="--started") if started is not None else None
    if status == "scheduled" and when is None:
        raise UsageError("a booked exam needs its date", field="--date")
    if status == "in_progress":
        # for a stage under way, the only date is when it started
        begun = begun or when or day
        when = None
        on_or_before_today(begun, day, field="--started", what="started")
    else:
        when = when or day
        if status != "scheduled":
            on_or_before_today(when, day, field="--date", what=status.replace("_", " "))
        if begun is None and previous.status == "in_progress" and previous.started \
                and previous.started <= when:
            begun = previous.started  # the preparation recorded earlier
        if begun is not None:
            on_or_before_today(begun, day, field="--started", what="started")

    limit = int_threshold(edit.rules, "usmle_attempt_limit")
    attempts = previous.attempts
    if status in EXAM_ONLY and rule.usmle and limit is not None and attempts >= limit:
        raise UsageError(f"{rule.name}: {attempts} failed attempts reach the USMLE limit of "
                         f"{limit}; no further attempt is allowed", field="STATUS")
    if status == "failed":
        attempts += 1

    usmle_score = _score(score, stage, status, edit.rules)
    oet_scores = _oet_scores(scores, stage, status, edit.rules)
    applied = _programs(programs, stage, status)

    if begun is not None and when is not None and begun > when:
        raise UsageError(f"started {begun} is after its date {when}", field="--started")
    fields = {"status": status, "date": when, "started": begun, "attempts": attempts,
              "score": usmle_score, "scores": oet_scores or None, "programs": applied,
              "duration": dump(previous)["duration"]}
    changed = rebuilt(edit.profile, stages={**dump(edit.profile)["stages"],
                                            stage: fields})
    record = changed.record(stage)
    edit.save(changed)

    what = f"{rule.name}: {status.replace('_', ' ')}"
    what += f" since {begun}" if status == "in_progress" else f" on {when}"
    if usmle_score is not None:
        what += f", score {usmle_score}"
    if applied is not None:
        what += f", {applied} programs"
    if record.scores is not None:
        sitting = record.scores
        what += (f", L {sitting.listening}, R {sitting.reading}, W {sitting.writing}, "
                 f"S {sitting.speaking}")
    typer.echo(f"Recorded {what}.")
    if date is None and status not in ("scheduled", "in_progress"):
        typer.echo(f"Dated today ({day}); give --date to record another day.")
    if status == "scheduled" and when is not None and when < day:
        typer.echo(f"That date has passed: record the result (imgplan mark {stage} passed|failed "
                   f"--date {when}).")
    if status == "failed" and rule.usmle and limit is not None:
        typer.echo(f"{attempts} of {limit} USMLE attempts used for {rule.name}.")
    minimum = edit.rules.thresholds.get("oet_minimum")
    if record.scores is not None and minimum is not None and isinstance(minimum.value, dict):
        for part, value, least in oet_shortfalls(record.scores, minimum.value):
            typer.echo(f"Note: OET {part.capitalize()} {value} is below ECFMG's minimum of "
                       f"{least} in one sitting; 'imgplan check' flags it.")


def _score(text: str | None, stage: str, status: str, rules: Rules) -> int | None:
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
