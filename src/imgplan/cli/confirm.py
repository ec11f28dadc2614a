"""``imgplan confirm ITEM``: the checklist items only the person can judge."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from imgplan.cli.options import ProfileFile, RulesFile, Today

ITEMS = {
    "personal_statement": "personal statement reviewed by someone who knows US applications",
    "eras_consistency": "ERAS application consistent: dates, names and qualifications match "
                        "across documents",
    "visa_strategy": "visa route chosen and the programs' sponsorship checked",
    "rank_strategy": "rank-order list strategy discussed with a mentor",
}


def confirm(
    item: Annotated[str, typer.Argument(
        help="personal_statement, eras_consistency, visa_strategy or rank_strategy.",
        show_default=False)],
    date: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--date", help="When (default: today).", show_default=False)] = None,
    today: Today = None,
    rules: RulesFile = None,
    profile: ProfileFile = None,
) -> None:
    """Confirm a readiness item only you can judge.

    \b
    imgplan confirm personal_statement --date 2026-08-15
    """
    from imgplan.cli.editing import choice, on_or_before_today, open_profile
    from imgplan.core.dates import parse_date
    from imgplan.files.checking import rebuilt

    edit = open_profile(profile=profile, rules=rules, today=today)
    choice(item, tuple(ITEMS), field="ITEM")
    when = parse_date(date, field="--date") if date is not None else edit.today
    on_or_before_today(when, edit.today, field="--date", what="confirmed")
    confirmations = {str(key): day for key, day in edit.profile.confirmations.items()}
    confirmations[item] = when
    edit.save(rebuilt(edit.profile, confirmations=confirmations))
    typer.echo(f"Confirmed on {when}: {ITEMS[item]}.")
    if item == "visa_strategy" and edit.profile.visa == "undecided":
        typer.echo("Your profile's visa route is still undecided: imgplan profile set visa "
                   "j1|h1b")
