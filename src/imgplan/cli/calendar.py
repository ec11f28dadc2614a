"""``imgplan calendar``: the key dates of one Match cycle, official or estimated."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from imgplan.cli.options import RulesFile, Today


class CalendarFormat(str, Enum):
    table = "table"
    json = "json"


def calendar(
    match: Annotated[int, typer.Option("--match", "-m", help="The Match year.")],
    today: Today = None,
    rules: RulesFile = None,
    format: Annotated[
        CalendarFormat, typer.Option("--format", "-f", help="Output format.")
    ] = CalendarFormat.table,
) -> None:
    """The key dates of one Match cycle: each official (with its source) or estimated (with
    the rule that produced it)."""
    from imgplan.cli.options import resolve_today
    from imgplan.cycle import check_match_year, key_dates
    from imgplan.rulesfile import load_rules

    day = resolve_today(today)
    loaded = load_rules(rules)
    check_match_year(loaded, match, day)
    dates = key_dates(loaded, match)
    if format is CalendarFormat.json:
        from imgplan.render.json_out import calendar_dict, dumps

        typer.echo(dumps(calendar_dict(match, dates)))
        return
    from imgplan.render.calendar_view import render_calendar
    from imgplan.render.console import make_console

    render_calendar(make_console(), match, dates)
