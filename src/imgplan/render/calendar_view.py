"""The key dates of one Match cycle as a table: date, what happens, official or estimated."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from imgplan.core.cycle import KeyDate
from imgplan.core.dates import human_date
from imgplan.render.notes import Notes
from imgplan.render.words import service_line

if TYPE_CHECKING:
    from imgplan.render.views import CalendarView


def render_calendar(console: Console, match_year: int, dates: dict[str, KeyDate],
                    service: str | None = None, stale: str | None = None) -> None:
    if stale:
        console.print(Text(stale, style="bold yellow"))
    # No vertical rules and the basis under the date: two wrapping columns share what is left,
    # so at 80 columns a name or a rule is a few lines, not a word a line (found by new users)
    table = Table(title=f"Match {match_year}: key dates", title_justify="left",
                  header_style="bold", box=box.SIMPLE_HEAD, show_edge=False, show_lines=True,
                  padding=(0, 1, 0, 0))
    table.add_column("Date", no_wrap=True)
    table.add_column("Key date", overflow="fold", ratio=1)
    table.add_column("Source or rule", overflow="fold", ratio=1)
    notes = Notes()
    for key_date in dates.values():
        name = key_date.name + (f" ({key_date.time})" if key_date.time and key_date.time
                                not in key_date.name else "")
        when = Text(human_date(key_date.date))
        if not key_date.estimated:
            # the basis in its one word (design.md): "published (secondary source)" widened
            # the date column by half
            when.append("\nofficial" if key_date.official else "\nsecondary",
                        style="green" if key_date.official else "cyan")
            origin = key_date.source
        else:
            when.append("\nestimated", style="yellow")
            origin = f"rule: {key_date.rule}"
        # Text, not a markup string: an id in brackets would be read as a Rich style
        what = Text(name)
        what.append(f"\n{key_date.id}", style="dim")
        table.add_row(when, what, notes.cite(origin))
    console.print(table)
    notes.print(console)
    if service:
        console.print(Text(service))
    console.print(Text("Estimated dates follow the cycle's pattern; confirm them on nrmp.org, "
                       "aamc.org and ecfmg.org when they are published.", style="dim"))


def draw_calendar(console: Console, view: CalendarView) -> None:
    render_calendar(console, view.match_year, view.dates, service_line(
        view.service, view.specialty, view.match_year, known=view.known),
        view.stale.message if view.stale is not None else None)
