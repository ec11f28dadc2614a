"""``imgplan remove usce N`` and ``imgplan remove lor N``: take one entry out of the profile.

The entries are numbered as ``imgplan profile show`` lists them. The matching stage
(``usce``, ``lors``) follows what the entries left amount to, unless the person marked it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from imgplan.cli.options import ProfileFile, RulesFile, Today

if TYPE_CHECKING:
    from imgplan.cli.editing import Editing

app = typer.Typer(help="Remove a clinical-experience period or a letter from your profile.",
                  no_args_is_help=True, rich_markup_mode=None)

Number = Annotated[str, typer.Argument(help="Its number, as 'imgplan profile show' lists them.",
                                       show_default=False, metavar="N")]


@app.command()
def usce(number: Number, today: Today = None, rules: RulesFile = None,
         profile: ProfileFile = None) -> None:
    """Remove clinical-experience period N."""
    from imgplan.cli.editing import open_profile
    from imgplan.core.profile import usce_record

    edit = open_profile(profile=profile, rules=rules, today=today)
    periods = edit.profile.usce
    index = _index(number, len(periods), "clinical-experience periods")
    removed = periods[index]
    kept = [p for n, p in enumerate(periods) if n != index]
    stage_note = _save(edit, "usce", kept, usce_record(periods, edit.today),
                       usce_record(kept, edit.today))
    typer.echo(f"Removed {removed.kind} {removed.start} to {removed.end}.")
    if stage_note:
        typer.echo(stage_note)


@app.command()
def lor(number: Number, today: Today = None, rules: RulesFile = None,
        profile: ProfileFile = None) -> None:
    """Remove letter N."""
    from imgplan.cli.editing import open_profile
    from imgplan.core.profile import int_threshold, letters_record

    edit = open_profile(profile=profile, rules=rules, today=today)
    letters = edit.profile.letters
    index = _index(number, len(letters), "letters")
    removed = letters[index]
    kept = [x for n, x in enumerate(letters) if n != index]
    needed = int_threshold(edit.rules, "lors_needed")
    us_needed = int_threshold(edit.rules, "lors_us_needed")
    before = after = None
    if needed is not None and us_needed is not None:
        before = letters_record(letters, needed, us_needed)
        after = letters_record(kept, needed, us_needed)
    stage_note = _save(edit, "letters", kept, before, after)
    typer.echo(f"Removed the letter from {removed.writer}.")
    if stage_note:
        typer.echo(stage_note)


def _index(text: str, count: int, what: str) -> int:
    from imgplan.cli.editing import whole_number
    from imgplan.core.errors import UsageError

    number = whole_number(text, field="N")
    if count == 0:
        raise UsageError(f"there are no {what} to remove", field="N")
    if number is None or not 1 <= number <= count:
        listed = "the only one is 1" if count == 1 else f"they are 1-{count}"
        raise UsageError(f"{text} is not one of the {what} recorded ({listed})", field="N",
                         hint="'imgplan profile show' numbers them")
    return number - 1


def _save(edit: Editing, entries: str, kept: list[Any], before: Any, after: Any) -> str | None:
    """Save the profile with ``kept`` as its ``entries``; the stage they amount to follows
    them when it was what the entries amounted to before (the person did not mark it)."""
    from imgplan.files.checking import dump, rebuilt

    stage = "usce" if entries == "usce" else "lors"
    changes: dict[str, object] = {entries: [dump(x) for x in kept]}
    current = edit.profile.stages.get(stage)
    note = None
    if current is not None and current == before and after != before:
        stages = dump(edit.profile)["stages"]
        if after is None:
            del stages[stage]
            note = f"The {stage} stage is no longer recorded as started."
        else:
            stages[stage] = dump(after, exclude_defaults=True)
            when = f"done on {after.date}" if after.status == "done" \
                else f"in progress since {after.started}"
            note = f"The {stage} stage is now {when}."
        changes["stages"] = stages
    edit.save(rebuilt(edit.profile, **changes))
    return note
