"""``imgplan profile path|show|set``: where the profile is, what it holds, and its settings."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Annotated

import typer

from imgplan.cli.options import ProfileFile, RulesFile, Today

if TYPE_CHECKING:
    from rich.console import Console

    from imgplan.profile import Profile
    from imgplan.rules import Rules
    from imgplan.specialties import Specialties

app = typer.Typer(help="Where your profile is, what it holds, and changing its settings.",
                  no_args_is_help=True)

SETTINGS = ("name", "graduation", "school-listed", "specialty", "match", "visa", "pace")


class ShowFormat(str, Enum):
    summary = "summary"
    yaml = "yaml"
    json = "json"


@app.command()
def path(profile: ProfileFile = None) -> None:
    """Print where the profile is (--profile, else $IMGPLAN_PROFILE, else your config folder)."""
    from imgplan.store import profile_path

    found = profile_path(profile)
    typer.echo(str(found))
    if not found.exists():
        typer.echo("(no profile there yet: run 'imgplan init')", err=True)


@app.command()
def show(
    format: Annotated[ShowFormat, typer.Option(
        "--format", "-f", help="summary (readable), yaml (the file) or json.")
    ] = ShowFormat.summary,
    today: Today = None,
    rules: RulesFile = None,
    profile: ProfileFile = None,
) -> None:
    """Show your profile: settings, progress per stage, clinical experience, letters."""
    from imgplan.cli.editing import open_profile

    edit = open_profile(profile=profile, rules=rules, today=today, check_specialties=False)
    if format is ShowFormat.yaml:
        typer.echo(edit.path.read_text(encoding="utf-8-sig"), nl=False)
        return
    if format is ShowFormat.json:
        from imgplan.profile import dump
        from imgplan.render.json_out import dumps

        typer.echo(dumps(dump(edit.profile, json=True)))
        return
    from imgplan.render.console import make_console

    _summary(make_console(), edit.profile, edit.rules, edit.specialties, str(edit.path))


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

    [bold]imgplan profile set visa h1b[/bold]
    """
    from imgplan.cli.editing import choice, open_profile, rebuilt
    from imgplan.cli.init import check_open_match_year
    from imgplan.dates import parse_date
    from imgplan.rules import PACES, VISAS

    edit = open_profile(profile=profile, rules=rules, today=today, check_specialties=False)
    choice(setting, SETTINGS, field="SETTING")
    new: object
    if setting == "name":
        new = value.strip() or None
    elif setting == "graduation":
        new = parse_date(value, field="VALUE")
    elif setting == "school-listed":
        answers = {"yes": True, "no": False, "unknown": None}
        new = answers[choice(value, tuple(answers), field="VALUE")]
    elif setting == "specialty":
        new = edit.specialties.get(value, field="VALUE").id
    elif setting == "match":
        new = check_open_match_year(edit.rules, value, edit.today, field="VALUE")
    elif setting == "visa":
        new = choice(value, VISAS, field="VALUE")
    else:
        new = choice(value, PACES, field="VALUE")
    field = {"school-listed": "school_listed", "match": "match_year"}.get(setting, setting)
    edit.save(rebuilt(edit.profile, **{field: new}))
    typer.echo(f"Set {setting} to {value if new is not None else 'unknown'}.")


def _summary(console: Console, profile: Profile, rules: Rules, specialties: Specialties,
             where: str) -> None:
    from rich.table import Table
    from rich.text import Text

    specialty = specialties.find(profile.specialty) if profile.specialty else None
    listed = {True: "yes", False: "no", None: "not checked"}[profile.school_listed]
    settings = Table.grid(padding=(0, 2))
    settings.add_column(style="bold")
    settings.add_column()
    rows = [
        ("Profile", where),
        ("Name", profile.name or "-"),
        ("Graduation", str(profile.graduation) if profile.graduation else "-"),
        ("School listed (WDOMS sponsor note)", listed),
        ("Target specialty", specialty.name if specialty else (profile.specialty or "-")),
        ("Target Match", str(profile.match_year) if profile.match_year else "-"),
        ("Visa route", profile.visa),
        ("Pace", profile.pace),
    ]
    for label, value in rows:
        settings.add_row(label, Text(value))  # Text: a name is never read as markup
    console.print(settings)

    stages = Table(title="Progress", title_justify="left", header_style="bold")
    for column in ("Stage", "Status", "Date", "Details"):
        stages.add_column(column)
    names = {stage.id: stage.name for stage in rules.stages}
    for stage_id, record in profile.stages.items():
        details = []
        if record.started:
            details.append(f"started {record.started}")
        if record.score is not None:
            details.append(f"score {record.score}")
        if record.scores is not None:
            s = record.scores
            details.append(f"L {s.listening}, R {s.reading}, W {s.writing}, S {s.speaking}")
        if record.attempts:
            details.append(f"{record.attempts} failed attempt(s)")
        if record.programs is not None:
            details.append(f"{record.programs} programs")
        stages.add_row(Text(names.get(stage_id, stage_id)), record.status.replace("_", " "),
                       str(record.date or ""), "; ".join(details))
    if profile.stages:
        console.print(stages)
    else:
        console.print(Text("No progress recorded yet: imgplan mark STAGE STATUS", style="dim"))

    if profile.usce:
        usce = Table(title="Clinical experience", title_justify="left", header_style="bold")
        for column in ("Kind", "Specialty", "From", "To", "Where"):
            usce.add_column(column)
        for period in profile.usce:
            usce.add_row(period.kind, Text(period.specialty or ""), str(period.start),
                         str(period.end), "US" if period.in_us else "outside the US")
        console.print(usce)
    if profile.letters:
        letters = Table(title="Letters", title_justify="left", header_style="bold")
        for column in ("Writer", "US attending", "Specialty", "Received"):
            letters.add_column(column)
        for letter in profile.letters:
            letters.add_row(Text(letter.writer), "yes" if letter.us_attending else "no",
                            Text(letter.specialty or ""), str(letter.received or ""))
        console.print(letters)
    if profile.confirmations:
        console.print(Text("Confirmed", style="bold"))
        for item, day in profile.confirmations.items():
            console.print(f"  {item.replace('_', ' ')}: {day}")
