"""The program list with each program's fit: terminal, JSON, Markdown and CSV.

The summary's words come from ``summary_lines`` so that every format says the same thing.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import TYPE_CHECKING, Any

from imgplan.core.programs import APPLIED, STATUSES

if TYPE_CHECKING:
    from rich.console import Console

    from imgplan.core.fit import Fit
    from imgplan.core.programs import Program
    from imgplan.render.views import ProgramsView

VERDICT_STYLES = {"eligible": "green", "excluded": "red", "unknown": "yellow"}


def summary_lines(view: ProgramsView) -> list[str]:
    verdicts = Counter(f.verdict for f in view.fits)
    statuses: Counter[str] = Counter(f.program.status for f in view.fits)
    lines = [f"{len(view.fits)} programs for Match {view.match_year} (visa {view.visa}): "
             f"{verdicts['eligible']} eligible, {verdicts['excluded']} excluded, "
             f"{verdicts['unknown']} with something unknown to ask."]
    lines.append("By status: " + ", ".join(f"{statuses[s]} {s}" for s in STATUSES
                                           if statuses[s]) + ".")
    applied = sum(statuses[s] for s in APPLIED)
    if view.broad is not None:
        lines.append(f"Applied to {applied}: IMG guides say most successful IMG applicants "
                     f"apply to {view.broad}+ (a rule of thumb, not an NRMP figure).")
    else:
        lines.append(f"Applied to {applied}.")
    signals = Counter(f.program.signal for f in view.fits if f.program.signal not in (None, "no"))
    if signals or view.specialty is not None:
        used = ", ".join(f"{n} {kind}" for kind, n in sorted(signals.items())) or "none"
        allowance = ""
        if view.specialty is not None and view.specialty.signals:
            allowance = (f"; {view.specialty.name}'s allowance: {view.specialty.signals} "
                         f"({view.specialty.signals_season}, the newest season in imgplan's "
                         "data)")
        lines.append(f"Signals used: {used}{allowance}.")
    excluded_to = [f.program.name for f in view.fits
                   if not f.eligible and f.program.status in APPLIED]
    if excluded_to:
        shown = ", ".join(excluded_to[:3]) + (f" and {len(excluded_to) - 3} more"
                                              if len(excluded_to) > 3 else "")
        lines.append(f"Applied to, but a stated requirement excludes you: {shown}.")
    return lines


def _reasons(fit: Fit) -> list[str]:
    return [f"{r.level} ({r.id}): {r.message}" for r in fit.reasons]


def draw_programs(console: Console, view: ProgramsView) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(box=box.SIMPLE_HEAD, show_edge=False, show_lines=True, padding=(0, 1, 0, 0),
                  header_style="bold", title=f"Match {view.match_year}: your program list",
                  title_justify="left")
    table.add_column("Program", overflow="fold", ratio=2)
    table.add_column("Fit", no_wrap=True)
    table.add_column("Why", overflow="fold", ratio=3)
    for fit in view.fits:
        program = fit.program
        name = Text(program.name)
        where = ", ".join(p for p in (program.specialty, program.city, program.state) if p)
        extra = [where] if where else []
        extra.append(program.status + (f", interview {program.interview_date}"
                                       if program.interview_date else ""))
        name.append("\n" + "\n".join(extra), style="dim")
        ordered = sorted(fit.reasons, key=lambda r: r.level != "excluded")  # bars first
        why = Text("\n".join(f"{'✗' if r.level == 'excluded' else '!'} {r.id}: {r.message}"
                             for r in ordered) or "meets every requirement it states")
        table.add_row(name, Text(fit.verdict, style=VERDICT_STYLES[fit.verdict]), why)
    console.print(table)
    for line in summary_lines(view):
        console.print(Text(line))
    console.print(Text("Requirements are as your list states them: programs' pages often mix "
                       "strict rules and preferences, so confirm with each program.", style="dim"))


def programs_json(view: ProgramsView) -> str:
    def one(fit: Fit) -> dict[str, Any]:
        from imgplan.core.programs import as_record

        return {**as_record(fit.program), "eligible": fit.eligible, "verdict": fit.verdict,
                "reasons": [{"id": r.id, "level": r.level, "message": r.message,
                             "field": r.field} for r in fit.reasons]}

    verdicts = Counter(f.verdict for f in view.fits)
    statuses: Counter[str] = Counter(f.program.status for f in view.fits)
    data = {
        "match_year": view.match_year, "visa": view.visa, "today": view.today.isoformat(),
        "programs": [one(fit) for fit in view.fits],
        "summary": {"eligible": verdicts["eligible"], "excluded": verdicts["excluded"],
                    "unknown": verdicts["unknown"],
                    "by_status": {s: statuses[s] for s in STATUSES},
                    "applied": sum(statuses[s] for s in APPLIED),
                    "signals_used": dict(Counter(f.program.signal for f in view.fits
                                                 if f.program.signal not in (None, "no"))),
                    "signals_allowance": view.specialty.signals if view.specialty else None},
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def programs_markdown(view: ProgramsView) -> str:
    from imgplan.render.words import made, whose

    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    out = [f"# {whose(view.owner, 'program list', view.match_year)}", "",
           f"Visa {view.visa}; {made(view.today)}.", "",
           "| Program | Status | Fit | Why |", "|---|---|---|---|"]
    for fit in view.fits:
        out.append(f"| {cell(fit.program.name)} | {fit.program.status} | {fit.verdict} | "
                   f"{cell('; '.join(_reasons(fit)) or 'meets every requirement it states')} |")
    out += ["", *summary_lines(view), ""]
    return "\n".join(out)


def programs_csv_text(programs: list[Program]) -> str:
    """The list as CSV: every column of the documented header, formulas made harmless."""
    from imgplan.core.programs import COLUMNS, as_row
    from imgplan.render.csv_out import csv_text

    return csv_text(COLUMNS, [as_row(program) for program in programs])


def programs_csv(view: ProgramsView) -> str:
    return programs_csv_text([fit.program for fit in view.fits])
