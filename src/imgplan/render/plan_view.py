"""The plan for a person at a terminal: the verdict, the stage table and a Gantt chart.

Colour carries meaning only: red for overdue or impossible, yellow for little slack, green for
done; everything else is plain.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from rich import box
from rich.cells import cell_len
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from imgplan.core.dates import short_date
from imgplan.core.planner import Plan, StagePlan
from imgplan.render.lists import hanging, print_lines
from imgplan.render.words import program_list_line, service_line, verdict_lines

if TYPE_CHECKING:
    from imgplan.render.views import PlanView

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def stage_style(stage: StagePlan, little_slack_days: int | None) -> str:
    if stage.status == "done":
        return "green"
    if stage.slack_days is not None and stage.slack_days < 0:
        return "red"
    if stage.slack_days is not None and little_slack_days is not None \
            and stage.slack_days < little_slack_days and not stage.calendar_bound:
        return "yellow"
    return ""


def render_plan(console: Console, plan: Plan, *, note: str | None = None,
                list_line: str | None = None) -> None:
    if note:
        console.print(Text(note, style="dim"))
    console.print(verdict_panel(plan))
    applying = service_line(plan.application_service, plan.specialty, plan.match_year,
                            known=not any(f.id == "service_unknown" for f in plan.findings))
    if applying:
        console.print(Text(applying))
    console.print(stage_table(plan, console.width))
    if list_line:
        console.print(Text(list_line))
    console.print(gantt(plan, width=console.width))
    if plan.warnings:
        console.print(Text("Warnings", style="bold"))
        print_lines(console, [line for warning in plan.warnings
                              for line in hanging(console, "  - ", Text(warning), indent=4)])
    console.print(Text(
        "Dates marked ~ are estimated from the cycle's pattern; confirm every date with NRMP, "
        "AAMC and ECFMG. 'imgplan calendar' shows each key date's source; 'imgplan explain "
        "slack' (or critical, hard, target...) says what a word means.", style="dim"))


def verdict_panel(plan: Plan) -> Panel:
    lines = verdict_lines(plan)
    body = Text()
    for index, (text, style) in enumerate(lines):
        if index:
            body.append("\n")
        body.append(text, style=style)
    title = f"Match {plan.match_year} - {plan.pace} pace, visa {plan.visa}, today {plan.today}"
    # Text, not a markup string: a title is shown as it is (and Rich loads no emoji codes)
    return Panel(body, title=Text(title), title_align="left", expand=False)


# The stage table's layouts, widest first; the first that fits the terminal is shown. Found by
# new users at 80 columns: the one wide layout cut years, slack and status to "…" (18 of the
# rows). Every layout holds every value: a narrower one shows planned months without their
# day ("Jan 2027": a plan's start is a month's work, not a day's) and the result on a line
# under the stage; deadlines ("Finish by") and booked or done dates keep their day.
FULL, COMPACT, NARROW = "full", "compact", "narrow"
LAYOUTS = (FULL, COMPACT, NARROW)

# the words of the table, under it (`imgplan explain slack` says more)
LEGEND = ("slack: days it can slip with every deadline met   * critical: least slack   "
          "~ estimated")


def month_year(d: date) -> str:
    return f"{MONTHS[d.month - 1]} {d.year}"


def stage_table(plan: Plan, width: int | None = None) -> Table:
    """The stage table in the widest layout that fits ``width`` (None: the full one)."""
    if width is None:
        return _stage_table(plan, FULL)
    for layout in LAYOUTS:
        table = _stage_table(plan, layout)
        natural = _natural_width(table)
        if natural <= width:
            return table
    # The narrowest, narrower still than the terminal: the stage column takes what the dates,
    # slack and status leave, and its names wrap there (Rich alone squeezed every wrapping
    # column, statuses broken mid-line, at 60 columns).
    # Never narrower than its longest word (found by a new user at 60 columns: "Credenti" /
    # "als"): the status wraps at its space first ("done" / "(implied)").
    stage, status = table.columns[0], table.columns[-1]
    lines = [line for cell in stage.cells for line in str(cell).splitlines()]
    widest = max(cell_len(line) for line in lines)
    longest_word = max(cell_len(word) for line in lines for word in line.split())
    spare = width - (natural - widest)
    if spare < longest_word:
        status.no_wrap = False
        words = max(cell_len(w) for cell in status.cells for w in str(cell).split())
        spare += max(0, max(cell_len(str(cell)) for cell in status.cells) - words)
    # what is left, even when a word must then fold: folded, a name is still all there,
    # while a table wider than the terminal would be cut
    stage.width = max(6, spare)
    return table


def _natural_width(table: Table) -> int:
    """The width ``table`` takes unwrapped: each column its widest line, its right padding,
    and the box's one-character divider between columns. Counted here rather than asked of
    Rich's measurement, which costs milliseconds of start-up (docs/performance.md) for what
    these plain cells make a sum."""
    padding = table.padding[1]
    widths = [max(cell_len(line) for cell in (column.header, *column.cells)
                  for line in str(cell).splitlines() or [""]) + padding
              for column in table.columns]
    return sum(widths) + len(widths) - 1


def _stage_table(plan: Plan, layout: str) -> Table:
    # no vertical rules: a line of the table is its values and single spaces
    # no padding in the narrowest: the box's divider alone parts the columns
    table = Table(box=box.SIMPLE_HEAD, show_edge=False,
                  padding=(0, 0 if layout == NARROW else 1, 0, 0), header_style="bold",
                  caption_justify="left")
    full = layout == FULL
    table.add_column("Stage", no_wrap=full, overflow="fold")
    table.add_column("Start", no_wrap=True)
    table.add_column("Finish", no_wrap=True)
    if full:
        table.add_column("Result", no_wrap=True)
    table.add_column("Finish by", no_wrap=True)
    table.add_column("Slack", justify="right", no_wrap=True)
    table.add_column("Status", no_wrap=True)
    estimated = {kd.date for kd in plan.key_dates.values() if kd.estimated}
    for stage in plan.stages:
        style = stage_style(stage, plan.little_slack_days)
        latest = stage.latest_finish
        latest_text = "" if latest is None else short_date(latest)
        if latest is not None and latest in estimated:
            latest_text = "~" + latest_text
        slack = "" if stage.slack_days is None or stage.status in ("done", "closed") \
            else f"{stage.slack_days}d"
        # in the narrowest layout the status may wrap, but "in progress" stays one word
        status = stage.status.replace("_", "-" if layout == NARROW else " ")
        if stage.implied_by is not None:
            status = "done (implied)"  # recorded by what came after it: see --format json
        if stage.critical:
            status += " *"
        result = ""
        if stage.result_date is not None:
            result = f"{stage.result_name} {short_date(stage.result_date)}"
        # a booked exam or a recorded date is a day; a planned span is a month's work
        day_matters = full or (layout == COMPACT and stage.pinned)
        shown = short_date if day_matters else month_year
        start, finish = shown(stage.start), shown(stage.finish)
        if stage.status == "closed":  # no date: it can no longer happen in this cycle
            start = finish = result = "-"
        label = Text(stage.label)
        if not full and result and result != "-":
            label.append(f"\n  {result}", style="dim")
        cells: list[RenderableType] = [label, start, finish]
        if full:
            cells.append(result)
        cells += [latest_text, slack, Text(status, style=style)]
        table.add_row(*cells)
    table.caption = LEGEND
    if any(s.status == "closed" for s in plan.stages):
        table.caption += "\nclosed: can no longer happen in this Match's cycle"
    return table


def gantt(plan: Plan, *, width: int) -> RenderableType:
    """One row per stage on a month axis, with a marker for today."""
    label_width = min(24, max(len(s.label) for s in plan.stages))
    # From the month before today to the end of the plan: what was done long ago (a Step
    # passed two years back) is a marker at the left edge with its date, not a stretch of
    # empty chart squeezing the plan against the right edge (found by a new user).
    last = max(s.finish for s in plan.stages)
    month = plan.today.month - 2  # the month before today's, counted from 0
    first = date(plan.today.year + month // 12, month % 12 + 1, 1)
    last = date(last.year + (last.month == 12), last.month % 12 + 1, 1)
    columns = max(20, width - label_width - 3)
    span = (last - first).days or 1

    def column(day: date) -> int:
        return min(columns - 1, max(0, round((day - first).days * (columns - 1) / span)))

    rows: list[Text] = [_axis(first, last, column, columns, label_width)]
    today_col = column(plan.today)
    for stage in plan.stages:
        cells = [" "] * columns
        styles = [""] * columns
        start, end = column(stage.start), column(stage.finish)
        glyph = "▓" if stage.status == "done" else "█"
        bar = range(0) if stage.status == "closed" else range(start, max(start, end) + 1)
        taken = 0  # cells a note holds: nothing is drawn over them (its spaces included)
        if stage.finish < first and stage.status != "closed":  # before the axis: its date
            bar = range(0)
            note = f"◂ {short_date(stage.finish)}"
            cells[:len(note)] = list(note[:columns])
            styles[:len(note)] = ["dim"] * min(len(note), columns)
            taken = len(note)
        for index in bar:
            cells[index] = glyph
            styles[index] = stage_style(stage, plan.little_slack_days)
        if stage.latest_finish is not None and stage.status != "done":
            mark = column(stage.latest_finish)
            if cells[mark] == " " and mark >= taken:
                cells[mark] = "|"
                styles[mark] = "dim"
        if cells[today_col] == " " and today_col >= taken:
            cells[today_col] = "┊"
            styles[today_col] = "cyan"
        row = Text(stage.label[:label_width].ljust(label_width) + "  ")
        for cell, style in zip(cells, styles, strict=True):
            row.append(cell, style=style)
        rows.append(row)
    words = "█ planned  ▓ done  | latest finish  ┊ today"
    if label_width + 2 + len(words) > width:  # two lines rather than a word wrapped alone
        words = "█ planned  ▓ done\n| latest finish  ┊ today"
    legend = Text("\n".join(" " * (label_width + 2) + line for line in words.split("\n")),
                  style="dim")
    return Group(*rows, legend)


def _axis(first: date, last: date, column: object, columns: int, label_width: int) -> Text:
    assert callable(column)
    months = (last.year - first.year) * 12 + last.month - first.month
    # a label is at most 7 characters ("Jan '27") and needs a space on each side
    step = next((s for s in (1, 2, 3, 4, 6, 12) if months / s * 9 <= columns), 24)
    cells = [" "] * columns
    # Ticks on months a step apart counted from January (each step divides a year, so every
    # January is a tick): every January, and the first tick, say their year (found by a new
    # user: "Dec26 Apr Aug Dec Apr" gave no year after the first).
    month = first.month - 1 + (-(first.month - 1)) % min(step, 12)
    cursor = date(first.year + month // 12, month % 12 + 1, 1)
    labelled = False
    while cursor < last:
        name = MONTHS[cursor.month - 1]
        label = str(cursor.year) if step >= 12 else \
            f"{name} '{cursor.year % 100:02d}" if cursor.month == 1 or not labelled else name
        at = column(cursor)
        free = all(c == " " for c in cells[max(0, at - 1):at + len(label) + 1])
        if free and at + len(label) <= columns:
            cells[at:at + len(label)] = list(label)
            labelled = True
        month = cursor.month - 1 + step
        cursor = date(cursor.year + month // 12, month % 12 + 1, 1)
    return Text(" " * (label_width + 2) + "".join(cells), style="bold")


def draw_plan(console: Console, view: PlanView) -> None:
    render_plan(console, view.plan, note=view.note, list_line=program_list_line(view))
