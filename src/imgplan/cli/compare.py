"""``imgplan compare``: Match years, visa routes and paces side by side, one row each."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from imgplan.cli.options import OutputFile, ProfileFile, RulesFile, Today, visa_text, year_text
from imgplan.cli.output import format_help, format_option_enum

CompareFormat = format_option_enum("compare")


def compare(
    match: Annotated[Optional[list[int]], typer.Option(  # noqa: UP045
        "--match", "-m", help="A Match year to compare (repeat it); default: your profile's "
        "and the next.", parser=year_text, metavar="YEAR", show_default=False)] = None,
    visa: Annotated[Optional[list[str]], typer.Option(  # noqa: UP045
        "--visa", help="A visa route to compare (repeat it: --visa j1 --visa h1b); default: "
        "your profile's.", show_default=False, metavar="ROUTE", parser=visa_text)] = None,
    pace: Annotated[Optional[list[str]], typer.Option(  # noqa: UP045
        "--pace", help="A pace to compare (fast, typical, steady; repeat it); default: your "
        "profile's.", show_default=False, metavar="PACE")] = None,
    today: Today = None,
    rules: RulesFile = None,
    profile: ProfileFile = None,
    format: Annotated[
        Optional[CompareFormat],  # type: ignore[valid-type]  # noqa: UP045
        typer.Option("--format", "-f", help=format_help("compare"), show_default=False),
    ] = None,
    output: OutputFile = None,
) -> None:
    """Compare plans side by side: each Match year x visa route x pace, with its verdict,
    least slack, what breaks, when to submit and start each exam, the years since
    graduation and the budget's total; the best row marked."""
    from dataclasses import replace
    from itertools import product

    from imgplan.cli.budget import priced, read_list
    from imgplan.cli.context import load_context, plan_match
    from imgplan.cli.output import prepare, show
    from imgplan.core.errors import UsageError
    from imgplan.core.fit import years_since_graduation
    from imgplan.core.scenarios import Scenario
    from imgplan.core.spelling import one_of
    from imgplan.render.views import CompareView

    chosen, protected = prepare("compare", format, output, profile=profile, rules=rules)
    ctx = load_context(today=today, rules=rules, profile=profile)
    routes = list(visa) if visa else [ctx.visa]
    paces = []
    for text in pace or [ctx.pace]:
        found = one_of(text, ("fast", "typical", "steady"))
        if found is None:
            raise UsageError(f"'{text}' is not a pace: fast, typical or steady", field="--pace")
        paces.append(found)
    years = list(dict.fromkeys(match or []))
    if not years:
        first = plan_match(ctx, None).match_year
        years = [first, first + 1]
    if len(years) * len(routes) * len(paces) > 24:
        raise UsageError("more than 24 combinations: compare fewer years, routes or paces",
                         field="--match")
    graduation = ctx.profile.graduation if ctx.profile is not None else None
    listed = read_list(ctx)
    scenarios = []
    for year, route, speed in product(sorted(years), dict.fromkeys(routes),
                                      dict.fromkeys(paces)):
        here = replace(ctx, visa=route, pace=speed)
        planned = plan_match(here, year)
        total = priced(here, planned, [], listed).total_usd
        since = years_since_graduation(graduation, year) if graduation else None
        scenarios.append(Scenario(planned, total, since))
    owner = ctx.profile.name if ctx.profile is not None else None
    show("compare", chosen, CompareView(scenarios, ctx.today, owner, ctx.note), output=output,
         protected=protected, title="imgplan compare")
