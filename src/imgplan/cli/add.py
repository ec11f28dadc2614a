"""``imgplan add usce`` and ``imgplan add lor``: clinical experience and letters, one at a time.

Each also brings the matching stage (``usce``, ``lors``) up to date, so the timeline pins what
the periods and letters already amount to; a stage the person marked done stays as it is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Optional, cast

import typer

from imgplan.cli.options import ProfileFile, RulesFile, Today

if TYPE_CHECKING:
    from imgplan.core.profile import USCEKind

app = typer.Typer(help="Record US clinical experience or a letter of recommendation.",
                  no_args_is_help=True, rich_markup_mode=None)

USCE_KINDS = ("observership", "externship", "research", "other")

Specialty = Annotated[Optional[str], typer.Option(  # noqa: UP045
    "--specialty", help="Its specialty id, e.g. internal_medicine (an unknown id is refused "
    "with the list of known ones).", show_default=False)]


@app.command()
def usce(
    kind: Annotated[str, typer.Option("--kind", help="observership, externship, research or "
                                      "other.", show_default=False)],
    start: Annotated[str, typer.Option("--start", help="First day, e.g. 2026-03-01.",
                                       show_default=False)],
    end: Annotated[str, typer.Option("--end", help="Last day, e.g. 2026-05-31.",
                                     show_default=False)],
    specialty: Specialty = None,
    outside_us: Annotated[bool, typer.Option(
        "--outside-us", help="It was outside the US (does not count as US clinical "
        "experience).")] = False,
    place: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--place", help="Hospital or program, for your own records.", show_default=False)] = None,
    today: Today = None,
    rules: RulesFile = None,
    profile: ProfileFile = None,
) -> None:
    """Add a period of clinical experience.

    \b
    imgplan add usce --kind externship --specialty internal_medicine --start 2026-03-01
    --end 2026-05-31
    """
    from imgplan.cli.editing import choice, open_profile, typed_name
    from imgplan.core.dates import parse_date
    from imgplan.core.errors import UsageError
    from imgplan.core.profile import USCEPeriod, usce_record
    from imgplan.files.checking import dump, rebuilt

    edit = open_profile(profile=profile, rules=rules, today=today)
    choice(kind, USCE_KINDS, field="--kind")
    first = parse_date(start, field="--start")
    last = parse_date(end, field="--end")
    if last < first:
        raise UsageError(f"ends {last}, before it starts {first}", field="--end")
    if specialty is not None:
        specialty = edit.specialties.get(specialty).id  # "Internal Medicine" as its id
    period = USCEPeriod(kind=cast("USCEKind", kind),  # one of them: checked by choice() above
                        specialty=specialty, start=first, end=last, in_us=not outside_us,
                        place=typed_name(place, field="--place", what="the place")
                        if place is not None else None)
    if period in edit.profile.usce:
        raise UsageError(f"already recorded, as period {edit.profile.usce.index(period) + 1}",
                         hint="'imgplan profile show' lists them; nothing was added")
    periods = [*edit.profile.usce, period]
    changes: dict[str, object] = {"usce": [dump(p) for p in periods]}
    current = edit.profile.record("usce")
    derived = usce_record(periods, edit.today)
    stage_note = None
    if derived is not None and current.status not in ("done", "passed") \
            and derived.status != current.status:
        changes["stages"] = {**dump(edit.profile)["stages"],
                             "usce": {**dump(current), **dump(derived, exclude_defaults=True)}}
        stage_note = (f"US clinical experience: done on {derived.date}."
                      if derived.status == "done" else
                      f"US clinical experience: in progress since {derived.started}.")
    edit.save(rebuilt(edit.profile, **changes))

    where = "outside the US" if outside_us else "in the US"
    typer.echo(f"Added {kind} {where}, {first} to {last}.")
    if stage_note:
        typer.echo(stage_note)
    elif outside_us:
        typer.echo("Experience outside the US does not count as US clinical experience.")
    elif last > edit.today:
        typer.echo("It counts as US clinical experience once it ends.")


@app.command()
def lor(
    writer: Annotated[str, typer.Option("--writer", help="Who wrote it, e.g. \"Dr A Smith\".",
                                        show_default=False)],
    us: Annotated[bool, typer.Option("--us", help="The writer is a US attending.")] = False,
    specialty: Specialty = None,
    date: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--date", help="When you received it (default: today).", show_default=False)] = None,
    today: Today = None,
    rules: RulesFile = None,
    profile: ProfileFile = None,
) -> None:
    """Add a letter of recommendation you have received.

    \b
    imgplan add lor --writer "Dr A" --us --specialty internal_medicine --date 2026-06-01
    """
    from imgplan.cli.editing import on_or_before_today, open_profile, typed_name
    from imgplan.core.dates import parse_date
    from imgplan.core.errors import UsageError
    from imgplan.core.profile import Letter, int_threshold, letters_record
    from imgplan.files.checking import dump, rebuilt

    edit = open_profile(profile=profile, rules=rules, today=today)
    name = typed_name(writer, field="--writer", what="the writer's name")
    if name is None:
        raise UsageError("the writer's name is empty", field="--writer")
    received = parse_date(date, field="--date") if date is not None else edit.today
    on_or_before_today(received, edit.today, field="--date", what="received")
    if specialty is not None:
        specialty = edit.specialties.get(specialty).id  # "Internal Medicine" as its id
    letter = Letter(writer=name, us_attending=us, specialty=specialty, received=received)
    if letter in edit.profile.letters:
        raise UsageError(f"already recorded, as letter {edit.profile.letters.index(letter) + 1}",
                         hint="'imgplan profile show' lists them; nothing was added")
    letters = [*edit.profile.letters, letter]
    changes: dict[str, object] = {"letters": [dump(x) for x in letters]}
    needed = int_threshold(edit.rules, "lors_needed")
    us_needed = int_threshold(edit.rules, "lors_us_needed")
    current = edit.profile.record("lors")
    derived = None
    if needed is not None and us_needed is not None:
        derived = letters_record(letters, needed, us_needed)
    if derived is not None and current.status not in ("done", "passed") \
            and derived.status != current.status:
        changes["stages"] = {**dump(edit.profile)["stages"],
                             "lors": {**dump(current), **dump(derived, exclude_defaults=True)}}
    edit.save(rebuilt(edit.profile, **changes))

    count = len(letters)
    from_us = sum(x.us_attending for x in letters)
    typer.echo(f"Added a letter from {name}" + (" (US attending)" if us else "") +
               f", received {received}. You have {count} letter{'s' if count != 1 else ''}, "
               f"{from_us} from US attendings.")
    if derived is not None and derived.status == "done" and "stages" in changes:
        typer.echo(f"Letters of recommendation: done on {derived.date}.")
    elif needed is not None and us_needed is not None and derived is not None \
            and derived.status != "done":
        typer.echo(f"The timeline counts letters done at {needed}, with {us_needed} from a US "
                   "attending.")
