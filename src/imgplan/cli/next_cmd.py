"""``imgplan next``: what to do now, from the plan, one line each with the command that
records it."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from imgplan.cli.options import MatchYear, OutputFile, ProfileFile, RulesFile, Today
from imgplan.cli.output import format_help, format_option_enum

NextFormat = format_option_enum("next")


def next_(
    days: Annotated[int, typer.Option("--days", min=1, max=366, help="What must start within "
                                      "this many days is 'now'.")] = 14,
    match: MatchYear = None,
    today: Today = None,
    rules: RulesFile = None,
    profile: ProfileFile = None,
    format: Annotated[
        Optional[NextFormat],  # type: ignore[valid-type]  # noqa: UP045
        typer.Option("--format", "-f", help=format_help("next"), show_default=False),
    ] = None,
    output: OutputFile = None,
) -> None:
    """What to do now: overdue first, then what must start within --days, then what is
    coming; what waits on a result or a window apart. Each with its date, the deadline it
    protects and the command that records it."""
    from imgplan.cli.context import load_context, plan_match
    from imgplan.cli.output import prepare, show
    from imgplan.core.next_actions import next_actions
    from imgplan.render.views import NextView

    chosen, protected = prepare("next", format, output, profile=profile, rules=rules)
    ctx = load_context(today=today, rules=rules, profile=profile)
    planned = plan_match(ctx, match)
    show("next", chosen, NextView(next_actions(planned, ctx.rules, days), planned.match_year,
                                  ctx.note), output=output, protected=protected,
         title=f"imgplan next --match {planned.match_year}")
