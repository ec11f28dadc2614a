"""``imgplan calendar``: the key dates of one Match cycle, official or estimated."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from imgplan.cli.options import OutputFile, RulesFile, Today


class CalendarFormat(str, Enum):
    table = "table"
    json = "json"
    markdown = "markdown"
    ics = "ics"


def calendar(
    match: Annotated[int, typer.Option("--match", "-m", help="The Match year.")],
    today: Today = None,
    rules: RulesFile = None,
    format: Annotated[
        CalendarFormat, typer.Option(
            "--format", "-f", help="Output format: table (the terminal), json, markdown, ics "
            "(the key dates as a calendar to import).")
    ] = CalendarFormat.table,
    output: OutputFile = None,
) -> None:
    """The key dates of one Match cycle: each official (with its source) or estimated (with
    the rule that produced it)."""
    from imgplan.cli.options import resolve_today
    from imgplan.cycle import check_match_year, key_dates
    from imgplan.render.output import check_target, emit, protected_files
    from imgplan.rulesfile import load_rules

    protected = protected_files(rules=rules)
    if output is not None:
        check_target(output, protected)  # refuse before any work
    day = resolve_today(today)
    loaded = load_rules(rules)
    check_match_year(loaded, match, day)
    dates = key_dates(loaded, match)
    from imgplan.render.calendar_view import render_calendar

    if format is CalendarFormat.table and output is None:
        from imgplan.render.console import make_console

        render_calendar(make_console(), match, dates)
        return
    content: str | bytes
    if format is CalendarFormat.json:
        from imgplan.render.json_out import calendar_dict, dumps

        content = dumps(calendar_dict(match, dates)) + "\n"
    elif format is CalendarFormat.markdown:
        from imgplan.render.markdown import calendar_markdown

        content = calendar_markdown(match, dates)
    elif format is CalendarFormat.ics:
        from imgplan.render.ics import calendar_ics

        content = calendar_ics(match, dates, loaded, day)
    else:
        from imgplan.render.svg import plain_text

        content = plain_text(lambda console: render_calendar(console, match, dates))
    emit(content, output, protected)
