"""``imgplan timeline``: the dated plan for a Match year, and whether it can work."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Optional

import typer

from imgplan.cli.options import MatchYear, Pace, ProfileFile, RulesFile, Today, Visa


class TimelineFormat(str, Enum):
    table = "table"
    json = "json"


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
    rules: RulesFile = None,
    profile: ProfileFile = None,
    format: Annotated[
        TimelineFormat, typer.Option("--format", "-f", help="Output format.")
    ] = TimelineFormat.table,
) -> None:
    """Plan backwards from a Match year and forwards from today; say whether it can work.

    Without --match: your profile's target year, else the earliest feasible one. Without a
    profile: a plan from scratch (nothing done yet).
    """
    from imgplan.cli.context import load_context
    from imgplan.cycle import check_match_year, first_open_match_year, key_dates
    from imgplan.errors import UsageError
    from imgplan.planner import earliest_feasible_match, plan

    ctx = load_context(today=today, rules=rules, profile=profile,
                       pace=pace.value if pace else None, visa=visa.value if visa else None)
    earliest = earliest_feasible_match(ctx.rules, today=ctx.today, pace=ctx.pace,
                                       visa=ctx.visa, person=ctx.person)
    year = match or (ctx.profile.match_year if ctx.profile else None) or earliest
    if year is None:
        year = first_open_match_year(ctx.rules, ctx.today)
    check_match_year(ctx.rules, year, ctx.today)
    dates = key_dates(ctx.rules, year)
    rol = dates.get("rol_deadline")
    if rol is not None and rol.date < ctx.today:
        open_year = first_open_match_year(ctx.rules, ctx.today)
        raise UsageError(
            f"Match {year} is closed: its rank-order-list deadline was {rol.date}",
            field="--match", hint=f"the first Match still open is {open_year}")
    result = plan(ctx.rules, year, today=ctx.today, pace=ctx.pace, visa=ctx.visa,
                  person=ctx.person, dates=dates)
    result.earliest_feasible_match = earliest
    result.warnings[:0] = ctx.warnings

    if format is TimelineFormat.json:
        from imgplan.render.json_out import dumps, plan_dict

        typer.echo(dumps(plan_dict(result)))
        return
    from imgplan.render.console import make_console
    from imgplan.render.plan_view import render_plan

    render_plan(make_console(), result, note=ctx.note)
