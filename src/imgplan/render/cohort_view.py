"""An advisor's cohort: one line per candidate, most urgent first, for a terminal, as JSON,
Markdown and CSV."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from imgplan.core.dates import short_date
from imgplan.render.json_out import verdict_dict
from imgplan.render.next_view import action_json, when
from imgplan.render.words import breaks_text

if TYPE_CHECKING:
    from rich.console import Console

    from imgplan.core.cohort import Planned
    from imgplan.render.views import CohortView

VERDICT_STYLES = {"feasible": "green", "eligible but weak": "yellow", "out of reach": "red"}
HEADINGS = ("Name", "Target", "Verdict", "Earliest feasible", "Breaks", "Next action", "By")
# Below this width a table of seven columns folds every cell: one block per candidate instead.
BLOCKS_BELOW = 110


def target_text(row: Planned) -> str:
    """The Match planned (their target, else their earliest feasible), route and pace."""
    plan = row.plan
    whose = "target" if row.candidate.profile.match_year is not None else "earliest"
    return f"Match {plan.match_year}, {whose}\n{plan.visa}, {plan.pace}"


def earliest_text(row: Planned) -> str:
    year = row.plan.earliest_feasible_match
    return f"Match {year}" if year is not None else "none in imgplan's years"


def action_text(row: Planned, *, dated: bool = True) -> str:
    """The next action in words; ``dated``: with its date (else the date is a column)."""
    action = row.action
    if action is None:
        return "nothing left to plan"
    day = short_date(row.action_day) if row.action_day else ""
    if action.kind == "overdue":
        return f"{action.label}: overdue" + (f" (start by {day})" if dated else "")
    if action.kind == "blocked":
        return f"{action.label}: waits for {action.waits_for}" + (
            f", from {day}" if dated else "")
    if dated:
        return f"{action.label}: {when(action)}"
    return f"{action.label}: " + {"scheduled": "booked", "in_progress": "under way"}.get(
        action.status, "start")


def cells(row: Planned) -> dict[str, str]:
    """A candidate's row as text, by heading."""
    day = row.action_day
    return {"Name": row.candidate.name, "Target": target_text(row), "Verdict": row.verdict,
            "Earliest feasible": earliest_text(row), "Breaks": breaks_text(row.plan),
            "Next action": action_text(row, dated=False), "By": short_date(day) if day else "-"}


def skipped_lines(view: CohortView) -> list[str]:
    return [f"{row.message}; skipped" for row in view.skipped]


def title(view: CohortView) -> str:
    count = len(view.planned)
    return (f"Cohort {view.file}: {count} candidate{'s' if count != 1 else ''} as of "
            f"{view.today}, most urgent first")


def draw_cohort(console: Console, view: CohortView) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    if console.width < BLOCKS_BELOW:
        _draw_blocks(console, view)
    else:
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, padding=(0, 1, 0, 0),
                      header_style="bold", title=title(view), title_justify="left")
        for heading in HEADINGS:
            table.add_column(heading, overflow="fold")
        for row in view.planned:
            shown = cells(row)
            values = [Text(shown[h], style=_style(row, h)) for h in HEADINGS]
            table.add_row(*values)
        console.print(table)
    # the rows skipped are on stderr, one line each, as every error is


def _style(row: Planned, heading: str) -> str:
    if heading == "Verdict":
        return VERDICT_STYLES[row.verdict]
    if heading in ("Next action", "By") and row.action is not None \
            and row.action.kind == "overdue":
        return "red"
    return ""


def _draw_blocks(console: Console, view: CohortView) -> None:
    from rich.text import Text

    from imgplan.render.lists import hanging, print_lines

    console.print(Text(title(view), style="bold"))
    lines: list[Text] = []
    for row in view.planned:
        shown = cells(row)
        head = Text(f"{shown['Name']}, {shown['Target'].replace(chr(10), ', ')}: ",
                    style="bold")
        head.append(row.verdict, style=VERDICT_STYLES[row.verdict])
        lines += hanging(console, "", head, indent=2)
        for text in (f"earliest feasible: {shown['Earliest feasible']}; breaks: "
                     f"{shown['Breaks']}",
                     f"next: {action_text(row)}"):
            lines += hanging(console, "  ", Text(text), indent=4)
    print_lines(console, lines)


def candidate_json(row: Planned) -> dict[str, Any]:
    plan = verdict_dict(row.plan)
    profile = row.candidate.profile
    return {"name": row.candidate.name, "line": row.candidate.line,
            "target_match": profile.match_year, "specialty": profile.specialty,
            "graduation": profile.graduation.isoformat() if profile.graduation else None} | {
        key: plan[key] for key in ("match_year", "visa", "pace", "feasible", "eligible",
                                   "earliest_feasible_match", "breaks")} | {
        "verdict": row.verdict,
        "next_action": action_json(row.action) if row.action is not None else None}


def cohort_json(view: CohortView) -> str:
    """The cohort as JSON, a candidate (and a skipped row) a line: a thousand stay readable
    and each is one line to find. Written by Python's C encoder, which does not indent: the
    indenting one was 2% of a 1,000-candidate run (issue 15's budget)."""
    def listed(items: list[dict[str, Any]]) -> str:
        if not items:
            return "[]"
        return "[\n" + ",\n".join("    " + json.dumps(item, ensure_ascii=False)
                                  for item in items) + "\n  ]"

    fields = {"today": view.today.isoformat(), "file": view.file}
    return "{\n" + "".join(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},\n"
                           for key, value in fields.items()) + \
        f'  "candidates": {listed([candidate_json(row) for row in view.planned])},\n' + \
        '  "skipped": ' + listed([{"line": s.line, "column": s.column, "message": s.message}
                                  for s in view.skipped]) + "\n}\n"


def cohort_markdown(view: CohortView) -> str:
    from imgplan.render.markdown import table_lines
    from imgplan.render.words import made

    out = [f"# {title(view)}", "", f"{made(view.today)[0].upper()}{made(view.today)[1:]}.", ""]
    out += table_lines(list(HEADINGS), [[value.replace("\n", "; ") for value in
                                         cells(row).values()] for row in view.planned])
    if view.skipped:
        out += ["", "## Skipped", ""] + [f"- {line}" for line in skipped_lines(view)]
    return "\n".join(out) + "\n"


CSV_COLUMNS = ("name", "match_year", "planned_as", "visa", "pace", "verdict",
               "earliest_feasible_match", "breaks", "next_action", "next_action_date",
               "command")


def cohort_csv(view: CohortView) -> str:
    """One row per candidate, each value in a column of its own, to sort in a spreadsheet."""
    from imgplan.render.csv_out import csv_text

    rows = []
    for row in view.planned:
        plan, day = row.plan, row.action_day
        rows.append(dict(zip(CSV_COLUMNS, (
            row.candidate.name, str(plan.match_year),
            "target" if row.candidate.profile.match_year is not None else "earliest",
            plan.visa, plan.pace, row.verdict,
            str(plan.earliest_feasible_match or ""), breaks_text(plan),
            action_text(row, dated=False), day.isoformat() if day else "",
            (row.action.command if row.action else None) or ""), strict=True)))
    return csv_text(CSV_COLUMNS, rows)
