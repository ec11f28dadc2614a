"""``imgplan programs``: your own program list, each program checked against your profile.

``programs import FILE.csv`` reads the list a spreadsheet exports (merged by program id, else
name and specialty), ``programs`` shows each program's fit, ``programs export`` writes it
back as CSV. The list lives beside the profile and is kept as safely (program_store).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from imgplan.cli.options import MatchYear, OutputFile, ProfileFile, RulesFile, Today
from imgplan.cli.output import format_help, format_option_enum

app = typer.Typer(help="Your own program list, each program checked against your profile: "
                  "import a CSV, see each program's fit, export it back.",
                  invoke_without_command=True, rich_markup_mode=None)
ProgramsFormat = format_option_enum("programs")


@app.callback()
def programs(
    context: typer.Context,
    match: MatchYear = None,
    today: Today = None,
    rules: RulesFile = None,
    profile: ProfileFile = None,
    format: Annotated[
        Optional[ProgramsFormat],  # type: ignore[valid-type]  # noqa: UP045
        typer.Option("--format", "-f", help=format_help("programs"), show_default=False),
    ] = None,
    output: OutputFile = None,
) -> None:
    """Each program of your list with its fit: eligible, or excluded and why (visa,
    graduation_year, step2ck, usce, attempts), with what the list leaves unknown; then a
    summary by status, signals and the count applied to."""
    if context.invoked_subcommand is not None:
        return
    from imgplan.cli.context import load_context, plan_match, program_fits
    from imgplan.cli.output import prepare, show
    from imgplan.core.profile import int_threshold
    from imgplan.files.program_store import load_programs, programs_path
    from imgplan.files.specialties_file import load_specialties
    from imgplan.render.views import ProgramsView

    chosen, protected = prepare("programs", format, output, profile=profile, rules=rules)
    ctx = load_context(today=today, rules=rules, profile=profile)
    listed = load_programs(programs_path(ctx.profile_path))
    if not listed:
        typer.echo(f"No program list yet ({programs_path(ctx.profile_path)}): make one in a "
                   "spreadsheet, export it as CSV and run 'imgplan programs import FILE.csv' "
                   "(docs/programs.md lists the columns).", err=True)
        raise typer.Exit(1)
    plan = plan_match(ctx, match)
    specialty = None
    if ctx.profile is not None and ctx.profile.specialty:
        specialty = load_specialties().find(ctx.profile.specialty)
    fits = program_fits(ctx, plan, listed)
    owner = ctx.profile.name if ctx.profile is not None else None
    show("programs", chosen, ProgramsView(fits, plan.match_year, ctx.visa, ctx.today,
                                          specialty, owner,
                                          int_threshold(ctx.rules, "programs_broad")),
         output=output, protected=protected, title=f"imgplan programs --match {plan.match_year}")


@app.command(name="import")
def import_(
    file: Annotated[Path, typer.Argument(help="The CSV file (UTF-8, comma or semicolon; the "
                                         "header of docs/programs.md, every column but name "
                                         "optional).", show_default=False)],
    today: Today = None,
    profile: ProfileFile = None,
) -> None:
    """Read a CSV program list and merge it into yours: by program_id, else name and
    specialty; an empty cell keeps what was there. A bad value names its row and column, and
    nothing is imported."""
    from imgplan.cli.options import resolve_today
    from imgplan.core.programs import merged
    from imgplan.files.locking import hold
    from imgplan.files.profile_store import profile_path
    from imgplan.files.program_csv import read_programs
    from imgplan.files.program_store import load_programs, programs_path, save_programs

    resolve_today(today)  # checked like every command's, though an import is not dated
    incoming = read_programs(file)
    path = profile_path(profile)
    hold(path)  # from reading the list to saving it, as for the profile
    target = programs_path(path)
    merge = merged(load_programs(target), incoming)
    if not merge.added and not merge.updated:
        typer.echo(f"Nothing changed: all {len(incoming)} programs are already in {target}.")
        return
    save_programs(target, merge.programs, profile=path)
    typer.echo(f"Imported {file} into {target} (readable by you only):")
    typer.echo(f"  {len(merge.added)} added, {len(merge.updated)} updated, "
               f"{merge.unchanged} unchanged; {len(merge.programs)} programs in all.")
    for program, columns in merge.updated[:20]:
        typer.echo(f"  updated {program.name}: {', '.join(columns)}")
    if len(merge.updated) > 20:
        typer.echo(f"  ... and {len(merge.updated) - 20} more")
    typer.echo("Next: 'imgplan programs' checks each one against your profile.")


@app.command()
def export(
    today: Today = None,
    profile: ProfileFile = None,
    output: OutputFile = None,
) -> None:
    """Write your program list as CSV (the documented header; a cell a spreadsheet would run
    as a formula starts with an apostrophe)."""
    from imgplan.cli.options import resolve_today
    from imgplan.files.exports import check_target, protected_files, write_file
    from imgplan.files.profile_store import profile_path
    from imgplan.files.program_store import load_programs, programs_path
    from imgplan.render.programs_view import programs_csv_text

    resolve_today(today)
    path = profile_path(profile)
    protected = protected_files(profile=profile, rules=None)
    if output is not None:
        check_target(output, protected)
    text = programs_csv_text(load_programs(programs_path(path)))
    if output is None:
        typer.echo(text, nl=False)
    else:
        write_file(output, text, protected)
