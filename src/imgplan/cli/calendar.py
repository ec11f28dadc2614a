"""``imgplan calendar``: the key dates of one Match cycle, official or estimated."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from imgplan.cli.options import OutputFile, RulesFile, Today
from imgplan.cli.output import format_option_enum
from imgplan.render.registry import formats_help

if TYPE_CHECKING:  # a choice of the registry's formats; a str to the type checker
    CalendarFormat = str
else:
    CalendarFormat = format_option_enum("calendar")


def calendar(
    match: Annotated[int, typer.Option("--match", "-m", help="The Match year.")],
    today: Today = None,
    rules: RulesFile = None,
    format: Annotated[
        CalendarFormat, typer.Option("--format", "-f", help=formats_help("calendar"))
    ] = CalendarFormat("table"),
    output: OutputFile = None,
) -> None:
    """The key dates of one Match cycle: each official (with its source) or estimated (with
    the rule that produced it)."""
    from imgplan.cli.options import resolve_today
    from imgplan.cli.output import show
    from imgplan.core.cycle import check_match_year, key_dates
    from imgplan.files.exports import check_target, protected_files
    from imgplan.files.rules_file import load_rules
    from imgplan.render.views import CalendarView

    protected = protected_files(rules=rules)
    if output is not None:
        check_target(output, protected)  # refuse before any work
    day = resolve_today(today)
    loaded = load_rules(rules)
    check_match_year(loaded, match, day)
    view = CalendarView(match, key_dates(loaded, match), loaded, day)
    show("calendar", format, view, output=output, protected=protected,
         title=f"imgplan calendar --match {match}")
