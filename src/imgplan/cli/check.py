"""``imgplan check``: the readiness review, item by item, and the next actions."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Annotated

import typer

from imgplan.cli.options import MatchYear, OutputFile, ProfileFile, RulesFile, Today

if TYPE_CHECKING:
    from rich.console import Console


class CheckFormat(str, Enum):
    table = "table"
    json = "json"
    markdown = "markdown"
    svg = "svg"


def check(
    match: MatchYear = None,
    today: Today = None,
    rules: RulesFile = None,
    profile: ProfileFile = None,
    format: Annotated[
        CheckFormat, typer.Option(
            "--format", "-f", help="Output format: table (the terminal), json, markdown (to "
            "paste into an email), svg (a picture of the table).")
    ] = CheckFormat.table,
    output: OutputFile = None,
) -> None:
    """Review readiness: the IMG Match checklist and the official eligibility rules, each
    pass, warn, fail or todo with its due date from the plan; then the next actions.

    Exits 1 when any item fails. Without --match: your profile's target year, else the
    earliest feasible one. Without a profile: a review from scratch (nothing done yet).
    """
    from imgplan.cli.context import load_context, plan_match
    from imgplan.errors import ProfileError
    from imgplan.profile import specialty_problems
    from imgplan.readiness import readiness
    from imgplan.render.output import check_target, emit, protected_files
    from imgplan.specialties import load_specialties

    protected = protected_files(profile=profile, rules=rules)
    if output is not None:
        check_target(output, protected)  # refuse before any work
    ctx = load_context(today=today, rules=rules, profile=profile)
    specialties = load_specialties()
    if ctx.profile is not None:
        found = specialty_problems(ctx.profile, specialties.ids)
        if found:
            loc, message = found[0]
            raise ProfileError(message, file=ctx.profile_path, field=".".join(map(str, loc)))
    planned = plan_match(ctx, match)
    year = planned.match_year
    report = readiness(ctx.rules, specialties, ctx.profile, planned, ctx.today)

    from imgplan.render.check_view import render_check

    notes = [ctx.note, *ctx.warnings]
    note = " ".join(n for n in notes if n) or None
    if format is CheckFormat.table and output is None:
        from imgplan.render.console import make_console

        render_check(make_console(), report, note=note)
    elif format is CheckFormat.json:
        from imgplan.render.check_json import report_dict
        from imgplan.render.json_out import dumps

        emit(dumps(report_dict(report)) + "\n", output, protected)
    elif format is CheckFormat.markdown:
        from imgplan.render.markdown import report_markdown

        emit(report_markdown(report, note=note), output, protected)
    else:
        from imgplan.render.svg import plain_text, svg

        def draw(console: Console) -> None:
            render_check(console, report, note=note)

        emit(svg(draw, title=f"imgplan check --match {year}") if format is CheckFormat.svg
             else plain_text(draw), output, protected)
    if report.failed:
        raise typer.Exit(1)
