"""A plan, a Match calendar or a readiness review as Markdown: pastes into an email, a notes
app or an issue.

The verdicts come from ``imgplan.render.words``, as the terminal's do, so the terminal and the
document can never disagree; the tables have the terminal's columns.
Pipe tables read well rendered and as plain text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from imgplan.core.cycle import KeyDate
from imgplan.core.dates import human_date, short_date
from imgplan.core.planner import Plan
from imgplan.render.words import (
    MARKS,
    actions_heading,
    advice_and_command,
    age_text,
    made,
    program_list_line,
    service_line,
    sources_heading,
    urgency_text,
    verdict,
    verdict_lines,
    whose,
)

if TYPE_CHECKING:
    from imgplan.render.views import CalendarView, PlanView, ReportView, SourcesView

if TYPE_CHECKING:
    from imgplan.core.readiness import Report

DISCLAIMER = ("imgplan is a planning aid, not advice from NRMP, AAMC or ECFMG: confirm every date "
              "on nrmp.org, aamc.org and ecfmg.org before you act on it.")
NEXT_STEPS = 3


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def table_lines(header: list[str], rows: list[list[str]], right: set[int] | None = None
                ) -> list[str]:
    """A Markdown table, its cells escaped; ``right``: the columns aligned right."""
    right = right or set()
    lines = ["| " + " | ".join(header) + " |",
             "|" + "|".join("---:" if i in right else "---" for i in range(len(header))) + "|"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines


def _verdict(plan: Plan) -> list[str]:
    lines: list[str] = []
    for text, style in verdict_lines(plan):
        # a paragraph each: a line break inside a paragraph needs trailing spaces, which
        # editors and mail programs strip
        lines += [f"**{text}**" if "bold" in style else text, ""]
    return lines[:-1]


def plan_markdown(plan: Plan, *, note: str | None = None, owner: str | None = None,
                  list_line: str | None = None) -> str:
    out = [f"# {whose(owner, 'plan', plan.match_year)}", "",
           f"{plan.pace.capitalize()} pace, visa {plan.visa}; {made(plan.today)}.", ""]
    if note:
        out += [f"_{note}_", ""]
    applying = service_line(plan.application_service, plan.specialty, plan.match_year,
                            known=not any(f.id == "service_unknown" for f in plan.findings))
    out += [*_verdict(plan), ""]
    if applying:
        out += [applying, ""]
    out += ["## Stages", ""]
    estimated = {kd.date for kd in plan.key_dates.values() if kd.estimated}
    rows: list[list[str]] = []
    for stage in plan.stages:
        latest = "" if stage.latest_finish is None else short_date(stage.latest_finish)
        if stage.latest_finish is not None and stage.latest_finish in estimated:
            latest = "~" + latest
        slack = "" if stage.slack_days is None or stage.status in ("done", "closed") \
            else f"{stage.slack_days}d"
        status = stage.status.replace("_", " ") + (" *" if stage.critical else "")
        if stage.implied_by is not None:
            by = plan.stage(stage.implied_by)
            status = f"done (implied by {by.label if by else 'your confirmation'})"
        result = "" if stage.result_date is None \
            else f"{stage.result_name} {short_date(stage.result_date)}"
        start, finish = short_date(stage.start), short_date(stage.finish)
        if stage.status == "closed":  # no date: it can no longer happen in this cycle
            start = finish = result = "-"
        rows.append([stage.label, start, finish, result, latest, slack, status])
    out += table_lines(["Stage", "Start", "Finish", "Result", "Latest finish", "Slack", "Status"],
                  rows, right={5})
    out += ["", "Slack: days a stage can slip with every deadline met; \\* critical: the "
            "chain with the least slack; ~ an estimated date (`imgplan explain TERM` says "
            "more).", ""]
    if list_line:
        out += [list_line, ""]
    upcoming = sorted((s for s in plan.stages if s.status != "done"),
                      key=lambda s: (s.start, s.finish))[:NEXT_STEPS]
    if upcoming:
        out += ["## Next steps", ""]
        for stage in upcoming:
            if stage.status == "in_progress":
                line = f"- {stage.name}: in progress, finish {short_date(stage.finish)}"
            elif stage.status == "scheduled":
                line = f"- {stage.name}: booked for {short_date(stage.finish)}"
            else:
                line = f"- {stage.name}: start {short_date(stage.start)}"
                if stage.latest_start is not None:
                    line += f" (at the latest {short_date(stage.latest_start)})"
            out.append(line + ".")
        out.append("")
    if plan.warnings:
        out += ["## Warnings", "", *(f"- {warning}" for warning in plan.warnings), ""]
    out += ["## Key dates", "", *_key_date_rows(plan.key_dates), ""]
    out += [f"_{DISCLAIMER}_", ""]
    return "\n".join(out)


def _key_date_rows(dates: dict[str, KeyDate]) -> list[str]:
    rows: list[list[str]] = []
    for key_date in dates.values():
        name = key_date.name + (f" ({key_date.time})" if key_date.time and key_date.time
                                not in key_date.name else "")
        origin = key_date.source if not key_date.estimated else f"rule: {key_date.rule}"
        rows.append([human_date(key_date.date), f"{name} `{key_date.id}`", key_date.label,
                     origin])
    return table_lines(["Date", "Key date", "", "Source or rule"], rows)


def calendar_markdown(match_year: int, dates: dict[str, KeyDate],
                      service: str | None = None, stale: str | None = None) -> str:
    out = [f"# Match {match_year}: key dates", ""]
    if stale:
        out += [f"**{stale}**", ""]
    if service:
        out += [service, ""]
    out += [*_key_date_rows(dates), ""]
    out += ["Estimated dates follow the cycle's pattern; confirm them when they are published.",
            "", f"_{DISCLAIMER}_", ""]
    return "\n".join(out)


def report_markdown(report: Report, *, note: str | None = None, owner: str | None = None
                    ) -> str:
    """The readiness review: the verdict, one row per item, the next actions in order."""
    text, style = verdict(report)
    made_on = made(report.today)
    out = [f"# {whose(owner, 'readiness', report.match_year)}", "",
           f"{made_on[0].upper()}{made_on[1:]}.", ""]
    if note:
        out += [f"_{note}_", ""]
    out += [f"**{text}**" if "bold" in style else text, "", "## Items", ""]
    rows = [[MARKS[item.status], item.title, short_date(item.due) if item.due else "",
             item.detail] for item in report.items]
    out += [*table_lines(["Status", "Item", "Due", "Detail"], rows), ""]
    actions = report.next_actions
    if actions:
        out += [f"## {actions_heading(report)}", ""]
        for number, item in enumerate(actions, 1):
            when = [short_date(item.due)] if item.due else []
            if urgency_text(item):
                when.append(urgency_text(item))
            due = f" (due {', '.join(when)})" if when else ""
            advice, command = advice_and_command(item.advice or item.detail)
            out.append(f"{number}. {item.title}: {advice}{due}")
            if command:
                out.append(f"   `{command}`")
        out.append("")
    out += [f"_{DISCLAIMER}_", ""]
    return "\n".join(out)


def plan_markdown_view(view: PlanView) -> str:
    return plan_markdown(view.plan, note=view.note, owner=view.owner,
                         list_line=program_list_line(view))


def report_markdown_view(view: ReportView) -> str:
    return report_markdown(view.report, note=view.note, owner=view.owner)


def calendar_markdown_view(view: CalendarView) -> str:
    return calendar_markdown(view.match_year, view.dates, service_line(
        view.service, view.specialty, view.match_year, known=view.known),
        view.stale.message if view.stale is not None else None)


def sources_rows(view: SourcesView) -> list[str]:
    """The facts a plan rests on, as a Markdown table (also docs/sources.md's)."""
    rows = [[fact.basis, f"{fact.last_verified} ({age_text(fact.age_days(view.today))})",
             f"{fact.what} `{fact.id}`", fact.source] for fact in view.facts]
    return table_lines(["Basis", "Checked", "Fact", "Source"], rows)


def sources_markdown_view(view: SourcesView) -> str:
    out = [f"# Match {view.plan.match_year}: what the plan rests on", "",
           sources_heading(view), ""]
    if view.stale is not None:
        out += [f"**{view.stale.message}**", ""]
    out += [*sources_rows(view), "", f"_{DISCLAIMER}_", ""]
    return "\n".join(out)
