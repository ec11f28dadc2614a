"""``imgplan timeline``: the dated plan for a Match year, and whether it can work."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from imgplan.cli.options import MatchYear, OutputFile, Pace, ProfileFile, RulesFile, Today, Visa

if TYPE_CHECKING:
    from rich.console import Console


class TimelineFormat(str, Enum):
    table = "table"
    json = "json"
    markdown = "markdown"
    ics = "ics"
    svg = "svg"


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
        TimelineFormat, typer.Option(
            "--format", "-f", help="Output format: table (the terminal), json, markdown (to "
            "paste into an email), ics (a calendar to import), svg (a picture of the table).")
    ] = TimelineFormat.table,
    output: OutputFile = None,
) -> None:
    """Plan backwards from a Match year and forwards from today; say whether it can work.

    Without --match: your profile's target year, else the earliest feasible one. Without a
    profile: a plan from scratch (nothing done yet).
    """
    from imgplan.cli.context import load_context, plan_match
    from imgplan.render.output import check_target, emit, protected_files

    protected = protected_files(profile=profile, rules=rules)
    if output is not None:
        check_target(output, protected)  # refuse before any work
    ctx = load_context(today=today, rules=rules, profile=profile,
                       pace=pace.value if pace else None, visa=visa.value if visa else None)
    result = plan_match(ctx, match)
    year = result.match_year

    # The table's renderer (Rich) is imported only where a table is drawn: JSON, Markdown
    # and ICS do without it.
    if format is TimelineFormat.table and output is None:
        from imgplan.render.console import make_console
        from imgplan.render.plan_view import render_plan

        render_plan(make_console(), result, note=ctx.note)
        return
    content: str | bytes
    if format is TimelineFormat.json:
        from imgplan.render.json_out import dumps, plan_dict

        content = dumps(plan_dict(result)) + "\n"
    elif format is TimelineFormat.markdown:
        from imgplan.render.markdown import plan_markdown

        content = plan_markdown(result, note=ctx.note)
    elif format is TimelineFormat.ics:
        from imgplan.render.ics import plan_ics

        content = plan_ics(result, ctx.rules)
    else:
        from imgplan.render.plan_view import render_plan
        from imgplan.render.svg import plain_text, svg

        def draw(console: Console) -> None:
            render_plan(console, result, note=ctx.note)

        content = svg(draw, title=f"imgplan timeline --match {year}") \
            if format is TimelineFormat.svg else plain_text(draw)
    emit(content, output, protected)
