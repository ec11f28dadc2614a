"""One self-contained page a mentor opens in a browser or prints: the plan, the readiness
review, a comparison or a cohort.

Nothing is fetched: the style is inline, the Gantt is inline SVG drawn here from the plan's
dates (not a picture of the terminal), and there is no script; links to the sources are links,
followed only when clicked. The page reads on a phone (the tables scroll sideways inside their
box, the Gantt scales) and prints to A4 or Letter with the Gantt kept on one page. Every text
is escaped: a name or a note in a profile is never markup.
"""

from __future__ import annotations

import html
import re
from datetime import date
from typing import TYPE_CHECKING

from imgplan.core.dates import human_date, short_date

if TYPE_CHECKING:
    from collections.abc import Sequence

    from imgplan.core.planner import Plan, StagePlan
    from imgplan.render.views import CohortView, CompareView, PlanView, ReportView

# An address ends at a space, a quote, a bracket or a parenthesis it did not open (it is
# written inside one: "(see https://...)"); balanced ones are its own (Wikipedia's
# "Match_Day_(medicine)"). A full stop or comma after it ends the sentence (``linked``).
_URL = re.compile(r"https?://[^\s<>\"'()\[\]]+(?:\([^\s<>\"'()]*\)[^\s<>\"'()\[\]]*)*")
STYLE = """
:root { color-scheme: light; --ink: #1b1f24; --dim: #57606a; --line: #d0d7de; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       color: var(--ink); margin: 0 auto; padding: 16px; max-width: 1100px; }
h1 { font-size: 1.45em; margin: 0 0 4px; }
h2 { font-size: 1.1em; margin: 22px 0 6px; border-bottom: 1px solid var(--line); }
.made, .note, .caption { color: var(--dim); font-size: .9em; }
.verdict { font-weight: 600; font-size: 1.1em; }
.good { color: #1a7f37; } .weak { color: #9a6700; } .bad { color: #cf222e; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: .92em; }
th, td { text-align: left; vertical-align: top; padding: 3px 8px 3px 0;
         border-bottom: 1px solid var(--line); }
th { white-space: nowrap; }
td.num { text-align: right; white-space: nowrap; }
td.date { white-space: nowrap; }
code { font-size: .9em; word-break: break-all; }
a { color: #0969da; word-break: break-all; }
.gantt { overflow-x: auto; }
.gantt svg { width: 100%; min-width: 720px; height: auto; display: block; }
ol.sources { font-size: .85em; color: var(--dim); padding-left: 1.6em; }
.disclaimer { color: var(--dim); font-size: .85em; margin-top: 18px; }
@media (max-width: 600px) { body { font-size: 14px; padding: 10px; } }
@page { margin: 10mm; }
@media print {
  body { font-size: 9pt; line-height: 1.25; max-width: none; padding: 0; }
  h1 { font-size: 14pt; } h2 { font-size: 10pt; margin: 8px 0 3px; }
  p { margin: 3px 0; }
  table { font-size: 7.5pt; line-height: 1.2; } th, td { padding: 1px 6px 1px 0; }
  /* a plan out of reach has a warning for each deadline it misses, and the rules
     cite dozens of sources: in small type, so that a plan still prints on two pages */
  ul, ol { margin: 2px 0; padding-left: 1.3em; }
  ul { font-size: 7.5pt; line-height: 1.2; }
  ol.sources { columns: 3; column-gap: 12px; font-size: 6pt; line-height: 1.2; }
  .disclaimer { margin-top: 6px; }
  .gantt { break-inside: avoid; page-break-inside: avoid; }
  .gantt { overflow: visible; }
  .gantt svg { min-width: 0; max-height: 180mm; }
  tr { break-inside: avoid; }
  a { color: inherit; }
}
"""
DISCLAIMER = ("imgplan is a planning aid, not advice from NRMP, AAMC or ECFMG: confirm every "
              "date on nrmp.org, aamc.org and ecfmg.org before you act on it.")
VERDICT_CLASS = {"feasible": "good", "eligible but weak": "weak", "out of reach": "bad"}


def escaped(text: object) -> str:
    return html.escape(str(text), quote=True)


def linked(text: str) -> str:
    """``text`` escaped, each address in it a link."""
    out, at = [], 0
    for found in _URL.finditer(text):
        out.append(escaped(text[at:found.start()]))
        url = found.group(0).rstrip(".,;:")
        out.append(f'<a href="{escaped(url)}">{escaped(url)}</a>')
        at = found.start() + len(url)
    out.append(escaped(text[at:]))
    return "".join(out)


def page(title: str, heading: str, today: date, body: Sequence[str], *,
         note: str | None = None) -> str:
    from imgplan.render.words import made

    said = made(today)
    parts = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             # nothing may be loaded from anywhere: the page is whole as it is
             "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
             "style-src 'unsafe-inline'; img-src data:\">",
             f"<title>{escaped(title)}</title>", f"<style>{STYLE}</style>", "</head>",
             "<body>", f"<h1>{escaped(heading)}</h1>",
             f'<p class="made">{escaped(said[0].upper() + said[1:])}.</p>']
    if note:
        parts.append(f'<p class="note">{escaped(note)}</p>')
    parts += [*body, f'<p class="disclaimer">{escaped(DISCLAIMER)}</p>', "</body>",
              "</html>", ""]
    return "\n".join(parts)


def table(headings: Sequence[str], rows: Sequence[Sequence[str]], *,
          kinds: Sequence[str] = ()) -> str:
    """A table whose cells are already HTML; ``kinds``: a class per column ("num", "date")."""
    head = "".join(f"<th>{escaped(h)}</th>" for h in headings)
    body = []
    for row in rows:
        cells = []
        for index, cell in enumerate(row):
            kind = kinds[index] if index < len(kinds) and kinds[index] else ""
            cells.append(f'<td class="{kind}">{cell}</td>' if kind else f"<td>{cell}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (f'<div class="scroll"><table><thead><tr>{head}</tr></thead><tbody>'
            + "".join(body) + "</tbody></table></div>")


def multiline(text: str) -> str:
    return "<br>".join(escaped(part) for part in text.split("\n"))


# -- the plan ---------------------------------------------------------------------------------

_BAR = {"done": "#8c959f", "critical": "#cf222e", "late": "#bc4c00", "overdue": "#bc4c00",
        "scheduled": "#8250df", "in_progress": "#1a7f37"}
_LEFT, _WIDTH, _ROW, _TOP = 190, 960, 20, 34
# About how wide a character of the key dates' 9-pixel labels is, to keep them apart: an
# estimate (a proportional font's average), with room to spare between two labels.
_LABEL_CHAR = 5.0


def gantt_svg(plan: Plan) -> str:
    """The plan's stages as bars on a time axis, with today, each latest finish and the key
    dates that close the cycle (the application's submission, Match Day)."""
    shown = [s for s in plan.stages if s.status != "closed"]
    if not shown:
        return ""
    marks = [(kd.name, kd.date) for kd in (plan.key_date("eras_submit"),
                                           plan.key_date("match_day")) if kd is not None]
    open_starts = [s.start for s in shown if s.status != "done"] or [plan.today]
    first = min(min(open_starts), plan.today)
    first = date(first.year, first.month, 1)
    ends = [s.finish for s in shown] + [day for _, day in marks] + [
        s.latest_finish for s in shown if s.latest_finish is not None]
    last = max(ends)
    last = date(last.year + (last.month == 12), last.month % 12 + 1, 1)
    span = max((last - first).days, 1)
    chart = _WIDTH - _LEFT - 10
    bottom = _TOP + _ROW * len(shown) + 4

    def x(day: date) -> float:
        return _LEFT + chart * min(max((day - first).days, 0), span) / span

    # today and the key dates named below the chart, each where its line is, a row lower
    # where it would cover one named before it (found on a page: the submission's long name
    # ran over Match Day's, both pushed to the right edge)
    labels: list[tuple[float, int, str]] = []
    taken: list[tuple[float, float, int]] = []
    for index, (name, day) in enumerate([("today", plan.today), *marks]):
        said = f"today {short_date(day)}" if index == 0 else \
            f"{name.split(' (')[0]} {short_date(day)}"
        width = _LABEL_CHAR * len(said)
        left = max(min(x(day) + 2, _WIDTH - width), 0.0)
        row = 0
        while any(r == row and left < end + 6 and start < left + width + 6
                  for start, end, r in taken):
            row += 1
        taken.append((left, left + width, row))
        labels.append((left, row, said))
    height = bottom + 20 + 12 * max(row for _, row, _ in labels)

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_WIDTH} {height}" '
           f'role="img" aria-label="Gantt chart of the plan for Match {plan.match_year}" '
           'font-family="system-ui, sans-serif" font-size="11">']
    month = first
    while month < last:  # a line each month, the year at each January and at the start
        left = x(month)
        out.append(f'<line x1="{left:.1f}" y1="{_TOP - 6}" x2="{left:.1f}" '
                   f'y2="{bottom}" stroke="#eaeef2"/>')
        if month.month == 1 or (month == first and month.month < 11):
            out.append(f'<text x="{left + 2:.1f}" y="14" fill="#57606a">{month.year}</text>')
        if span < 1200 or month.month in (1, 4, 7, 10):
            out.append(f'<text x="{left + 2:.1f}" y="{_TOP - 10}" fill="#8c959f" '
                       f'font-size="9">{month.strftime("%b")[0]}</text>')
        month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    for row, stage in enumerate(shown):
        top = _TOP + row * _ROW
        out.append(f'<text x="0" y="{top + 13}">{escaped(_label(stage))}</text>')
        start, finish = x(stage.start), x(stage.finish)
        colour = _BAR.get("critical" if stage.critical else stage.status, "#0969da")
        tip = (f"{stage.name}: {stage.status.replace('_', ' ')}, {stage.start} to "
               f"{stage.finish}" + (f"; slack {stage.slack_days} days"
                                    if stage.slack_days is not None else ""))
        out.append(f'<rect x="{start:.1f}" y="{top + 3}" width="{max(finish - start, 2):.1f}" '
                   f'height="{_ROW - 7}" rx="2" fill="{colour}"><title>{escaped(tip)}</title>'
                   "</rect>")
        if stage.latest_finish is not None and stage.status not in ("done",):
            end = x(stage.latest_finish)
            out.append(f'<line x1="{end:.1f}" y1="{top + 1}" x2="{end:.1f}" '
                       f'y2="{top + _ROW - 2}" stroke="#1b1f24" stroke-width="1.5"/>')
    # today dashed, each key date a line, their names below the chart
    for index, (_, day) in enumerate([("today", plan.today), *marks]):
        at = x(day)
        dash = ' stroke-dasharray="4 3"' if index == 0 else ""
        out.append(f'<line x1="{at:.1f}" y1="{_TOP - 4}" x2="{at:.1f}" y2="{bottom}" '
                   f'stroke="#0969da" stroke-width="1"{dash}/>')
    for left, row, said in labels:
        out.append(f'<text x="{left:.1f}" y="{bottom + 12 + 12 * row}" fill="#0969da" '
                   f'font-size="9">{escaped(said)}</text>')
    out.append("</svg>")
    return "\n".join(out)


def _label(stage: StagePlan) -> str:
    return stage.label if len(stage.label) <= 28 else stage.label[:27] + "…"


def _verdict_html(plan: Plan) -> list[str]:
    from imgplan.render.words import verdict_lines

    out = []
    for text, style in verdict_lines(plan):
        kind = "good" if "green" in style else "weak" if "yellow" in style else \
            "bad" if "red" in style else ""
        weight = "verdict " if "bold" in style else ""
        out.append(f'<p class="{weight}{kind}">{linked(text)}</p>')
    return out


def _gantt_section(plan: Plan) -> list[str]:
    """The plan's Gantt with its heading and the key to it."""
    return ["<h2>Gantt</h2>", f'<div class="gantt">{gantt_svg(plan)}</div>',
            '<p class="caption">Bars: planned dates (red: the chain with the least slack, '
            "grey: done). A black tick: the latest finish that keeps every deadline. Blue "
            "lines: today (dashed) and the key dates.</p>"]


def plan_html(view: PlanView) -> str:
    from imgplan.core.provenance import plan_facts
    from imgplan.render.words import program_list_line, service_line, whose

    plan = view.plan
    body = [f"<p>{escaped(plan.pace.capitalize())} pace, visa {escaped(plan.visa)}.</p>",
            *_verdict_html(plan)]
    applying = service_line(plan.application_service, plan.specialty, plan.match_year,
                            known=not any(f.id == "service_unknown" for f in plan.findings))
    if applying:
        body.append(f"<p>{linked(applying)}</p>")
    listed = program_list_line(view)
    if listed:
        body.append(f"<p>{linked(listed)}</p>")
    body += [*_gantt_section(plan), "<h2>Stages</h2>"]
    rows = []
    for stage in plan.stages:
        closed = stage.status == "closed"
        rows.append([escaped(stage.label),
                     escaped(stage.status.replace("_", " ") + (" *" if stage.critical else "")),
                     "-" if closed else escaped(short_date(stage.start)),
                     "-" if closed else escaped(short_date(stage.finish)),
                     escaped(short_date(stage.latest_start)) if stage.latest_start else "",
                     escaped(short_date(stage.latest_finish)) if stage.latest_finish else "",
                     "" if stage.slack_days is None or stage.status in ("done", "closed")
                     else f"{stage.slack_days}d",
                     "" if stage.result_date is None or closed
                     else escaped(f"{stage.result_name} {short_date(stage.result_date)}")])
    body.append(table(["Stage", "Status", "Start", "Finish", "Latest start", "Latest finish",
                       "Slack", "Result"], rows,
                      kinds=["", "", "date", "date", "date", "date", "num", ""]))
    body.append('<p class="caption">Slack: days a stage can slip with every deadline met; '
                "* critical: the chain with the least slack.</p>")
    if plan.warnings:
        body += ["<h2>Warnings</h2>", "<ul>",
                 *(f"<li>{linked(w)}</li>" for w in plan.warnings), "</ul>"]
    body.append("<h2>Key dates</h2>")
    body.append(table(["Date", "Key date", "Basis"], [
        [escaped(human_date(kd.date)), escaped(kd.name), escaped(kd.label)]
        for kd in plan.key_dates.values()], kinds=["date", "", ""]))
    facts = plan_facts(view.rules, plan)
    sources = list(dict.fromkeys(fact.source for fact in facts if fact.source))
    if sources:
        body += ["<h2>Sources</h2>", '<ol class="sources">',
                 *(f"<li>{linked(source)}</li>" for source in sources), "</ol>"]
    heading = whose(view.owner, "plan", plan.match_year)
    return page(f"imgplan: {heading}", heading, plan.today, body, note=view.note)


# -- the readiness review ---------------------------------------------------------------------

def report_html(view: ReportView) -> str:
    from imgplan.render.words import (
        MARKS,
        actions_heading,
        advice_and_command,
        urgency_text,
        verdict,
        whose,
    )

    report = view.report
    text, style = verdict(report)
    kind = "bad" if "red" in style else "good" if "green" in style else \
        "weak" if "yellow" in style else ""
    body = [f'<p class="verdict {kind}">{linked(text)}</p>', "<h2>Items</h2>"]
    rows = [[escaped(MARKS[item.status]), escaped(item.title),
             escaped(short_date(item.due)) if item.due else "", linked(item.detail)]
            for item in report.items]
    body.append(table(["Status", "Item", "Due", "Detail"], rows, kinds=["date", "", "date"]))
    if view.plan is not None:  # the dates the items are due by, as the timeline draws them
        body += _gantt_section(view.plan)
    actions = report.next_actions
    if actions:
        body += [f"<h2>{escaped(actions_heading(report))}</h2>", "<ol>"]
        for item in actions:
            when = [short_date(item.due)] if item.due else []
            if urgency_text(item):
                when.append(urgency_text(item))
            advice, command = advice_and_command(item.advice or item.detail)
            line = f"<b>{escaped(item.title)}</b>: {linked(advice)}"
            if when:
                line += f" (due {escaped(', '.join(when))})"
            if command:
                line += f"<br><code>{escaped(command)}</code>"
            body.append(f"<li>{line}</li>")
        body.append("</ol>")
    heading = whose(view.owner, "readiness", report.match_year)
    return page(f"imgplan: {heading}", heading, report.today, body, note=view.note)


# -- plans side by side, and a cohort ---------------------------------------------------------

def compare_html(view: CompareView) -> str:
    from imgplan.render.compare_view import CAPTION, buys_lines, rows

    shown = rows(view)
    headings = ["", "Scenario", "Verdict", "Least slack", "Breaks", "Submit by",
                "Start exams by", "Since grad.", "Budget"]
    cells = [[escaped(r["best"]), multiline(r["scenario"]),
              f'<span class="{VERDICT_CLASS[r["verdict"]]}">{escaped(r["verdict"])}</span>',
              escaped(r["least slack"]), escaped(r["breaks"]), escaped(r["submit by"]),
              multiline(r["start exams"].replace("; ", "\n")), escaped(r["since graduation"]),
              escaped(r["budget"])] for r in shown]
    body = [table(headings, cells, kinds=["", "", "", "", "", "date", "", "num", "num"]),
            f'<p class="caption">{escaped(CAPTION)}</p>',
            *(f"<p>{escaped(line)}</p>" for line in buys_lines(view))]
    heading = f"Compared{f' for {view.owner}' if view.owner else ''}"
    return page(f"imgplan: {heading}", heading, view.today, body, note=view.note)


def cohort_html(view: CohortView) -> str:
    from imgplan.render.cohort_view import HEADINGS, cells, skipped_lines, title

    rows = []
    for row in view.planned:
        shown = cells(row)
        values = [multiline(shown[h]) for h in HEADINGS]
        values[2] = f'<span class="{VERDICT_CLASS[row.verdict]}">{values[2]}</span>'
        if row.action is not None and row.action.kind == "overdue":
            values[5] = f'<span class="bad">{values[5]}</span>'
        rows.append(values)
    body = [table(list(HEADINGS), rows, kinds=["", "", "", "", "", "", "date"])]
    if view.skipped:
        body += ["<h2>Skipped</h2>", "<ul>",
                 *(f"<li>{escaped(line)}</li>" for line in skipped_lines(view)), "</ul>"]
    heading = title(view)
    return page(f"imgplan: {heading}", heading, view.today, body)
