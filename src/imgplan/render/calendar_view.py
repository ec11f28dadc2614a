"""The key dates of one Match cycle as a table: date, what happens, official or estimated."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table
from rich.text import Text

from imgplan.core.cycle import KeyDate
from imgplan.core.dates import human_date
from imgplan.render.words import service_line

if TYPE_CHECKING:
    from imgplan.render.views import CalendarView


def render_calendar(console: Console, match_year: int, dates: dict[str, KeyDate],
                    service: str | None = None, stale: str | None = None) -> None:
    if stale:
        console.print(Text(stale, style="bold yellow"))
    table = Table(title=f"Match {match_year}: key dates", title_justify="left",
                  header_style="bold")
    table.add_column("Date", no_wrap=True)
    table.add_column("Key date")
    table.add_column("", no_wrap=True)
    table.add_column("Source or rule")
    for key_date in dates.values():
        name = key_date.name + (f" ({key_date.time})" if key_date.time and key_date.time
                                not in key_date.name else "")
        if not key_date.estimated:
            label = Text(key_date.label, style="green" if key_date.official else "cyan")
            origin = key_date.source
        else:
            label, origin = Text("estimated", style="yellow"), f"rule: {key_date.rule}"
        # Text, not a markup string: "[match_day]" would be read as a Rich style and vanish
        table.add_row(human_date(key_date.date), Text(f"{name} [{key_date.id}]"), label,
                      Text(origin))
    console.print(table)
    if service:
        console.print(Text(service))
    console.print(Text("Estimated dates follow the cycle's pattern; confirm them on nrmp.org, "
                       "aamc.org and ecfmg.org when they are published.", style="dim"))


def draw_calendar(console: Console, view: CalendarView) -> None:
    render_calendar(console, view.match_year, view.dates, service_line(
        view.service, view.specialty, view.match_year, known=view.known),
        view.stale.message if view.stale is not None else None)
