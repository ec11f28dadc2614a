"""Plans side by side: one row per scenario, the best marked, and what a later year buys."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from imgplan.core.dates import short_date
from imgplan.core.scenarios import best, later_year_buys
from imgplan.render.words import breaks_text

if TYPE_CHECKING:
    from rich.console import Console

    from imgplan.core.scenarios import Scenario
    from imgplan.render.views import CompareView

CAPTION = ("★ best: feasible soonest, then the most slack. Budget: what you pay of the fees "
           "imgplan prices ('imgplan budget' lists the ones it does not).")
VERDICT_STYLES = {"feasible": "green", "eligible but weak": "yellow", "out of reach": "red"}


def rows(view: CompareView) -> list[dict[str, str]]:
    top = best(view.scenarios)
    out = []
    for scenario in view.scenarios:
        slack, where = scenario.least_slack
        exams = "; ".join(f"{label} by {short_date(day)}" for label, day in scenario.exams_by)
        out.append({
            "best": "★" if scenario is top else "",
            "scenario": f"Match {scenario.plan.match_year}\n{scenario.plan.visa}, "
                        f"{scenario.plan.pace}",
            "verdict": scenario.verdict,
            "least slack": f"{slack}d ({where})" if slack is not None else "-",
            "breaks": breaks_text(scenario.plan),
            "submit by": short_date(scenario.submit_by) if scenario.submit_by else "-",
            "start exams": exams or "-",
            "since graduation": f"{scenario.years_since_graduation} y"
            if scenario.years_since_graduation is not None else "-",
            "budget": f"${scenario.budget_total_usd:,}"
            if scenario.budget_total_usd is not None else "-",
        })
    return out


def buys_lines(view: CompareView) -> list[str]:
    lines = []
    for earlier in view.scenarios:
        for later in view.scenarios:
            if (later.plan.visa, later.plan.pace) == (earlier.plan.visa, earlier.plan.pace):
                found = later_year_buys(earlier, later)
                if found:
                    lines.append(found)
    return lines


def draw_compare(console: Console, view: CompareView) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    if view.note:
        console.print(Text(view.note, style="dim"))
    if console.width < CARDS_BELOW:
        _draw_cards(console, view)
        return
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, show_lines=True, padding=(0, 1, 0, 0),
                  header_style="bold", title=f"Compared as of {view.today}",
                  title_justify="left", caption=CAPTION, caption_justify="left")
    for name in ("", "Scenario", "Verdict", "Least slack", "Breaks", "Submit by",
                 "Start exams by", "Since grad.", "Budget"):
        table.add_column(name, overflow="fold")
    for row in rows(view):
        table.add_row(row["best"], row["scenario"],
                      Text(row["verdict"], style=VERDICT_STYLES[row["verdict"]]),
                      row["least slack"], row["breaks"], row["submit by"], row["start exams"],
                      row["since graduation"], row["budget"])
    console.print(table)
    for line in buys_lines(view):
        console.print(Text(line))


# Below this width each scenario is a block of lines, not a row: nine columns at 80 were a word
# a line (found trying it at 80 columns).
CARDS_BELOW = 120


def _draw_cards(console: Console, view: CompareView) -> None:
    from rich.text import Text

    from imgplan.render.lists import hanging, print_lines

    console.print(Text(f"Compared as of {view.today}", style="bold"))
    lines: list[Text] = []
    for row in rows(view):
        head = Text(f"{row['best'] or ' '} ")
        title = Text(row["scenario"].replace("\n", ", ") + ": ", style="bold")
        title.append(row["verdict"], style=VERDICT_STYLES[row["verdict"]])
        lines += hanging(console, head, title, indent=2)
        for text in (f"least slack {row['least slack']}; breaks: {row['breaks']}",
                     f"submit by {row['submit by']}; start exams by: {row['start exams']}",
                     f"since graduation: {row['since graduation']}; budget {row['budget']}"):
            lines += hanging(console, "    ", Text(text), indent=4)
    print_lines(console, lines)
    console.print(Text(CAPTION, style="dim"))
    for line in buys_lines(view):
        console.print(Text(line))


def _scenario_json(scenario: Scenario, top: Scenario | None) -> dict[str, Any]:
    from imgplan.render.json_out import verdict_dict

    plan = verdict_dict(scenario.plan)
    slack, where = scenario.least_slack
    return {key: plan[key] for key in ("match_year", "visa", "pace", "feasible", "eligible",
                                       "earliest_feasible_match", "breaks")} | {
        "verdict": scenario.verdict, "best": scenario is top, "least_slack_days": slack,
        "least_slack_stage": where,
        "submit_by": scenario.submit_by.isoformat() if scenario.submit_by else None,
        "exams_start_by": {label: day.isoformat() for label, day in scenario.exams_by},
        "years_since_graduation": scenario.years_since_graduation,
        "budget_total_usd": scenario.budget_total_usd}


def compare_json(view: CompareView) -> str:
    top = best(view.scenarios)
    data = {"today": view.today.isoformat(),
            "scenarios": [_scenario_json(s, top) for s in view.scenarios],
            "later_year": buys_lines(view)}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def compare_markdown(view: CompareView) -> str:
    from imgplan.render.words import made

    heads = ["", "Scenario", "Verdict", "Least slack", "Breaks", "Submit by",
             "Start exams by", "Since grad.", "Budget"]
    out = [f"# Compared{f' for {view.owner}' if view.owner else ''}", "",
           f"{made(view.today)[0].upper()}{made(view.today)[1:]}.", "",
           "| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)]
    for row in rows(view):
        out.append("| " + " | ".join(v.replace("|", "\\|").replace("\n", ", ")
                                     for v in row.values()) + " |")
    out += ["", CAPTION, ""]
    out += [f"{line}\n" for line in buys_lines(view)]
    return "\n".join(out).rstrip() + "\n"
