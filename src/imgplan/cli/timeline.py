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
    Visa,
)
from imgplan.cli.output import format_option_enum
from imgplan.render.registry import formats_help

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
    visa: Annotated[
        Optional[Visa],  # noqa: UP045
        typer.Option(help="Visa route; h1b adds USMLE Step 3.", show_default=False),
    ] = None,
    specialty: SpecialtyChoice = None,
    rules: RulesFile = None,
    profile: ProfileFile = None,
    format: Annotated[
        TimelineFormat, typer.Option("--format", "-f", help=formats_help("plan"))
    ] = TimelineFormat("table"),
    output: OutputFile = None,
) -> None:
    """Plan backwards from a Match year and forwards from today; say whether it can work.

    Without --match: your profile's target year, else the earliest feasible one. Without a
    profile: a plan from scratch (nothing done yet).
    """
    from imgplan.cli.context import load_context, plan_match
    from imgplan.cli.output import show
    from imgplan.files.exports import check_target, protected_files
    from imgplan.render.views import PlanView

    protected = protected_files(profile=profile, rules=rules)
    if output is not None:
        check_target(output, protected)  # refuse before any work
    ctx = load_context(today=today, rules=rules, profile=profile,
                       pace=pace.value if pace else None, visa=visa.value if visa else None,
                       specialty=specialty)
    result = plan_match(ctx, match)
    show("plan", format, PlanView(result, ctx.rules, ctx.note), output=output,
         protected=protected, title=f"imgplan timeline --match {result.match_year}")
