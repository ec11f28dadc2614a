"""``imgplan check``: the readiness review, item by item, and the next actions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Optional

import typer

from imgplan.cli.options import MatchYear, OutputFile, ProfileFile, RulesFile, Today
from imgplan.cli.output import format_help, format_option_enum

if TYPE_CHECKING:  # a choice of the registry's formats; a str to the type checker
    CheckFormat = str
else:
    CheckFormat = format_option_enum("report")


def check(
    match: MatchYear = None,
    today: Today = None,
    rules: RulesFile = None,
    profile: ProfileFile = None,
    format: Annotated[
        Optional[CheckFormat],  # noqa: UP045
        typer.Option("--format", "-f", help=format_help("report"), show_default=False),
    ] = None,
    output: OutputFile = None,
) -> None:
    """Review readiness: the IMG Match checklist and the official eligibility rules, each
    pass, warn, fail or todo with its due date from the plan; then the next actions.

    Exits 1 when any item fails. Without --match: your profile's target year, else the
    earliest feasible one. Without a profile: a review from scratch (nothing done yet).
    """
    from imgplan.cli.context import load_context, plan_match
    from imgplan.cli.output import picture_title, prepare, show
    from imgplan.core.errors import ProfileError
    from imgplan.core.profile import specialty_problems
    from imgplan.core.readiness import readiness
    from imgplan.files.specialties_file import load_specialties
    from imgplan.render.views import ReportView

    format, protected = prepare("report", format, output, profile=profile, rules=rules)
    ctx = load_context(today=today, rules=rules, profile=profile)
    specialties = load_specialties()
    if ctx.profile is not None:
        found = specialty_problems(ctx.profile, specialties.ids)
        if found:
            loc, message = found[0]
            raise ProfileError(message, file=ctx.profile_path, field=".".join(map(str, loc)))
    planned = plan_match(ctx, match)
    from imgplan.cli.context import program_fits

    report = readiness(ctx.rules, specialties, ctx.profile, planned, ctx.today,
                       program_fits(ctx, planned))
    # the review shows the plan's findings about the person's choices above the items
    choices = [f.message for f in planned.findings if f.id == "visa_undecided"]
    note = " ".join(n for n in [ctx.note, *choices] if n) or None
    owner = ctx.profile.name if ctx.profile is not None else None
    show("report", format, ReportView(report, note, owner, planned), output=output,
         protected=protected, title=picture_title(owner, "check", report.match_year, ctx.today))
    if report.failed:
        raise typer.Exit(1)
