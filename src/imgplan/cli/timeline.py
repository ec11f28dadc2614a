"""``imgplan timeline``: the dated plan for a Match year, and whether it can work."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Optional

import typer

from imgplan.cli.options import (
    MatchYear,
    OutputFile,
    Pace,
    ProfileFile,
    RulesFile,
    SpecialtyChoice,
    Today,
    VisaRoute,
)
from imgplan.cli.output import format_help, format_option_enum

if TYPE_CHECKING:  # a choice of the registry's formats; a str to the type checker
    TimelineFormat = str
else:
    TimelineFormat = format_option_enum("plan")


def timeline(
    match: MatchYear = None,
    today: Today = None,
    pace: Annotated[
        Optional[Pace],  # noqa: UP045
        typer.Option(help="How fast you prepare: picks each stage's duration from its range.",
                     show_default=False),
    ] = None,
    visa: VisaRoute = None,
    specialty: SpecialtyChoice = None,
    rules: RulesFile = None,
    profile: ProfileFile = None,
    format: Annotated[
        Optional[TimelineFormat],  # noqa: UP045
        typer.Option("--format", "-f", help=format_help("plan"), show_default=False),
    ] = None,
    output: OutputFile = None,
) -> None:
    """Plan backwards from a Match year and forwards from today; say whether it can work.

    Without --match: your profile's target year, else the earliest feasible one. Without a
    profile: a plan from scratch (nothing done yet).
    """
    from imgplan.cli.context import load_context, plan_match, program_fits
    from imgplan.cli.output import picture_title, prepare, show
    from imgplan.render.views import PlanView

    format, protected = prepare("plan", format, output, profile=profile, rules=rules)
    ctx = load_context(today=today, rules=rules, profile=profile,
                       pace=pace.value if pace else None, visa=visa,
                       specialty=specialty)
    result = plan_match(ctx, match)
    owner = ctx.profile.name if ctx.profile is not None else None
    fits = program_fits(ctx, result)
    show("plan", format, PlanView(result, ctx.rules, ctx.note, owner, fits), output=output,
         protected=protected, title=picture_title(owner, "timeline", result.match_year,
                                                  ctx.today))
