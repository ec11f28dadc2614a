"""``imgplan profile path|show|set``: where the profile is, what it holds, and its settings."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from imgplan.cli.options import ProfileFile, RulesFile, Today
from imgplan.cli.output import format_option_enum
from imgplan.render.registry import formats_help

app = typer.Typer(help="Where your profile is, what it holds, and changing its settings.",
                  no_args_is_help=True, rich_markup_mode=None)

SETTINGS = ("name", "graduation", "school-listed", "specialty", "match", "visa", "pace")


if TYPE_CHECKING:  # a choice of the registry's formats; a str to the type checker
    ShowFormat = str
else:
    ShowFormat = format_option_enum("profile")


@app.command()
def path(profile: ProfileFile = None) -> None:
    """Print where the profile is (--profile, else $IMGPLAN_PROFILE, else your config folder)."""
    from imgplan.files.profile_store import profile_path

    found = profile_path(profile)
    typer.echo(str(found))
    if not found.exists():
        typer.echo("(no profile there yet: run 'imgplan init')", err=True)


@app.command()
def show(
    format: Annotated[ShowFormat, typer.Option(
        "--format", "-f", help=formats_help("profile"))
    ] = ShowFormat("summary"),
    today: Today = None,
    rules: RulesFile = None,
    profile: ProfileFile = None,
) -> None:
    """Show your profile: settings, progress per stage, clinical experience, letters."""
    from imgplan.cli.editing import open_profile
    from imgplan.cli.output import show
    from imgplan.render.views import ProfileView

    edit = open_profile(profile=profile, rules=rules, today=today, check_specialties=False,
                        to_change=False)
    show("profile", format, ProfileView(edit.profile, edit.rules, edit.specialties,
                                              str(edit.path), edit.path.read_text(
                                                  encoding="utf-8-sig")))


@app.command(name="set")
def set_(
    setting: Annotated[str, typer.Argument(
        help="name, graduation, school-listed (yes/no/unknown), specialty, match, visa "
        "(none/j1/h1b/undecided) or pace (fast/typical/steady).", show_default=False)],
    value: Annotated[str, typer.Argument(help="The new value.", show_default=False)],
    today: Today = None,
    rules: RulesFile = None,
    profile: ProfileFile = None,
) -> None:
    """Change one setting without touching your recorded progress.

    \b
    imgplan profile set visa h1b
    """
    from imgplan.cli.editing import choice, open_profile, typed_name, visa_choice
    from imgplan.core.dates import parse_date
    from imgplan.core.rules import PACES
    from imgplan.core.verdict import open_match_year
    from imgplan.files.checking import rebuilt

    edit = open_profile(profile=profile, rules=rules, today=today, check_specialties=False)
    choice(setting, SETTINGS, field="SETTING")
    new: object
    if setting == "name":
        new = typed_name(value, field="VALUE", what="the name")
    elif setting == "graduation":
        new = parse_date(value, field="VALUE")
    elif setting == "school-listed":
        answers = {"yes": True, "no": False, "unknown": None}
        new = answers[choice(value, tuple(answers), field="VALUE")]
    elif setting == "specialty":
        new = edit.specialties.get(value, field="VALUE").id
    elif setting == "match":
        new = open_match_year(edit.rules, value, edit.today, field="VALUE",
                              person=edit.profile.person())
    elif setting == "visa":
        new = visa_choice(value, field="VALUE")
    else:
        new = choice(value, PACES, field="VALUE")
    field = {"school-listed": "school_listed", "match": "match_year"}.get(setting, setting)
    edit.save(rebuilt(edit.profile, **{field: new}))
    shown = new if setting in ("specialty", "visa") else value  # the id "J-1" was read as
    typer.echo(f"Set {setting} to {shown if new is not None else 'unknown'}.")
    if edit.profile.match_year is not None and setting in ("match", "visa", "pace",
                                                           "graduation"):
        from imgplan.cli.editing import say_if_out_of_reach

        say_if_out_of_reach(edit.rules, edit.profile, edit.profile.match_year, edit.today)
