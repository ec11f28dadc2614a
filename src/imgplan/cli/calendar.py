"""``imgplan calendar``: the key dates of one Match cycle, official or estimated."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Optional

import typer

from imgplan.cli.options import (
    OutputFile,
    ProfileFile,
    RulesFile,
    SpecialtyChoice,
    Today,
    year_text,
)
from imgplan.cli.output import format_help, format_option_enum

if TYPE_CHECKING:  # a choice of the registry's formats; a str to the type checker
    CalendarFormat = str
else:
    CalendarFormat = format_option_enum("calendar")


def calendar(
    match: Annotated[int, typer.Option("--match", "-m", help="The Match year.",
                                       parser=year_text, metavar="YEAR")],
    today: Today = None,
    specialty: SpecialtyChoice = None,
    rules: RulesFile = None,
    profile: ProfileFile = None,
    format: Annotated[
        Optional[CalendarFormat],  # noqa: UP045
        typer.Option("--format", "-f", help=format_help("calendar"), show_default=False),
    ] = None,
    output: OutputFile = None,
) -> None:
    """The key dates of one Match cycle: each official (with its source), published in a
    secondary source, or estimated (with the rule that produced it).

    The application dates are your specialty's service's (ERAS, ResidencyCAS, PSCA): from
    --specialty, else your profile's, else ERAS's.
    """
    from imgplan.cli.context import load_context
    from imgplan.cli.options import resolve_today
    from imgplan.cli.output import prepare, show
    from imgplan.core.cycle import check_match_year, key_dates
    from imgplan.core.provenance import stale_finding
    from imgplan.core.services import choose, for_service
    from imgplan.files.rules_file import load_rules
    from imgplan.render.views import CalendarView

    format, protected = prepare("calendar", format, output, profile=profile, rules=rules)
    day = resolve_today(today)
    check_match_year(load_rules(rules), match, day)  # the year first: no profile needed
    ctx = load_context(today=today, rules=rules, profile=profile, specialty=specialty)
    choice = choose(ctx.rules, ctx.person.applying, match)
    service = choice.service or (ctx.rules.services[0] if ctx.rules.services else None)
    rules_for = for_service(ctx.rules, service.id) if service is not None else ctx.rules
    view = CalendarView(match, key_dates(rules_for, match), rules_for, ctx.today, service,
                        choice.specialty, known=choice.service is not None,
                        stale=stale_finding(ctx.rules, ctx.today))
    show("calendar", format, view, output=output, protected=protected,
         title=f"imgplan calendar --match {match}")
