"""The readiness review for a person at a terminal: a verdict, one row per item, next actions.

A mark and a word per status, so the table reads without colour; colour adds meaning only:
red for what fails (a real blocker), yellow for what is at risk, green for what passes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich import box
from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from imgplan.core.dates import short_date
from imgplan.core.readiness import Report, Status
from imgplan.render.lists import hanging, print_lines
from imgplan.render.words import MARKS, actions_heading, advice_and_command, urgency_text, verdict

if TYPE_CHECKING:
    from imgplan.render.views import ReportView

STYLES: dict[Status, str] = {"pass": "green", "warn": "yellow", "fail": "bold red", "todo": ""}


# Below this width an item's detail goes under its title, in one column: side by side at 80
# columns each was a word or two a line (found by new users).
COMPACT_BELOW = 100


def item_table(report: Report, width: int = COMPACT_BELOW) -> Table:
    compact = width < COMPACT_BELOW
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, show_lines=True, padding=(0, 1, 0, 0),
                  header_style="bold", expand=compact)
    table.add_column("Status", no_wrap=True)
    table.add_column("Item", ratio=2, overflow="fold")
    table.add_column("Due", no_wrap=True)
    if not compact:
        table.add_column("Detail", ratio=5, overflow="fold")
    for item in report.items:
        style = STYLES[item.status]
        # a due date matters only for what is still open
        due = short_date(item.due) if item.due and item.status != "pass" else ""
        title = Text(item.title, style="bold" if compact else "")
        cells: list[Text | str] = [Text(MARKS[item.status], style=style), title, due]
        if compact:
            title.append(f"\n{item.detail}", style="")
        else:
            cells.append(Text(item.detail))
        table.add_row(*cells)
    return table


def render_check(console: Console, report: Report, *, note: str | None = None,
                 title: str | None = None) -> None:
    if note:
        console.print(Text(note, style="dim"))
    text, style = verdict(report)
    heading = title or f"Readiness for Match {report.match_year} - today {report.today}"
    # Text, not a markup string: a title is shown as it is (and Rich loads no emoji codes)
    console.print(Panel(Text(text, style=style), title=Text(heading), title_align="left",
                        expand=False))
    for finding in report.findings:
        if finding.id == "rules_stale":  # the data's age: said once, before anything it dates
            console.print(Text(finding.message, style="yellow"))
    console.print(item_table(report, console.width))
    actions = report.next_actions
    if actions:
        console.print(Text(actions_heading(report), style="bold"))
        # What wraps hangs under the text, past the number and mark, and the command is on a
        # line of its own, whole, to copy.
        indent = 6
        shown: list[Text] = []
        for number, item in enumerate(actions, 1):
            head = Text(f"{number:>2}. ")
            head.append(MARKS[item.status].split()[0], style=STYLES[item.status])
            head.append(" ")
            advice, command = advice_and_command(item.advice or item.detail)
            body = Text(f"{item.title}: {advice}")
            when = [short_date(item.due)] if item.due else []
            if urgency_text(item):
                when.append(urgency_text(item))
            if when:
                body.append(f" (due {', '.join(when)})", style="dim")
            shown += hanging(console, head, body, indent=indent)
            if command:
                shown.append(Text(" " * (indent + 2) + command, style="bold"))
        print_lines(console, shown)
    console.print(Text(
        "imgplan is a planning aid, not advice from NRMP, AAMC or ECFMG: confirm every date and "
        "requirement on their sites.", style="dim"))


def draw_report(console: Console, view: ReportView) -> None:
    render_check(console, view.report, note=view.note)
