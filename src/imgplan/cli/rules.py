"""``imgplan rules show`` and ``imgplan rules validate``: the pathway's data, readable and
checkable."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from imgplan.cli.options import (
    MatchYear,
    OutputFile,
    ProfileFile,
    RulesFile,
    SpecialtyChoice,
    Today,
    VisaRoute,
)
from imgplan.cli.output import format_help, format_option_enum

if TYPE_CHECKING:  # a choice of the registry's formats; a str to the type checker
    SourcesFormat = str
else:
    SourcesFormat = format_option_enum("sources")

app = typer.Typer(help="Show or check the rules: the stages, their durations and deadlines.",
                  no_args_is_help=True, rich_markup_mode=None)


@app.command()
def show(rules: RulesFile = None, today: Today = None) -> None:
    """List the stages in order, with durations per pace, predecessors and deadlines."""
    from imgplan.cli.options import resolve_today
    from imgplan.files.rules_file import load_rules

    resolve_today(today)  # taken like every command's (the stages' rules have no date)
    from imgplan.render.console import make_console
    from imgplan.render.rules_view import render_rules

    render_rules(make_console(), load_rules(rules))


@app.command()
def sources(
    match: MatchYear = None,
    today: Today = None,
    visa: VisaRoute = None,
    specialty: SpecialtyChoice = None,
    rules: RulesFile = None,
    profile: ProfileFile = None,
    format: Annotated[
        Optional[SourcesFormat],  # noqa: UP045
        typer.Option("--format", "-f", help=format_help("sources"), show_default=False),
    ] = None,
    output: OutputFile = None,
) -> None:
    """List the facts a plan rests on, by basis (official, secondary, estimated, heuristic)
    and age, oldest first: what to re-check first.

    The plan is the one 'imgplan timeline' makes with the same options: your profile's target
    year, else the earliest feasible one.
    """
    from imgplan.cli.context import load_context, plan_match
    from imgplan.cli.output import prepare, show
    from imgplan.core.provenance import plan_facts, stale_finding
    from imgplan.core.services import for_service
    from imgplan.render.views import SourcesView

    format, protected = prepare("sources", format, output, profile=profile, rules=rules)
    ctx = load_context(today=today, rules=rules, profile=profile,
                       visa=visa, specialty=specialty)
    planned = plan_match(ctx, match)
    service = planned.application_service
    read = for_service(ctx.rules, service.id) if service is not None else ctx.rules
    view = SourcesView(planned, plan_facts(read, planned), ctx.today,
                       ctx.rules.newest_verified(), stale_finding(ctx.rules, ctx.today))
    show("sources", format, view, output=output, protected=protected,
         title=f"imgplan rules sources --match {planned.match_year}")


@app.command()
def validate(
    file: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Argument(help="The rules file to check (default: the packaged rules).",
                       show_default=False),
    ] = None,
) -> None:
    """Load a rules file with every check and report every problem (exit 2 if any)."""
    from imgplan.core.errors import RulesError
    from imgplan.files.rules_file import data_path, rules_problems

    path = file or data_path("rules.yaml")
    found = rules_problems(path)
    if found:
        for problem in found:
            typer.echo(f"imgplan: error: {problem}", err=True)
        count = len(found)
        raise RulesError(f"{count} problem{'s' if count != 1 else ''} found", file=path)
    typer.echo(f"{path}: valid")
