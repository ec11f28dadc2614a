"""The words every view of a result shares, without Rich: the verdicts, the status marks, how
urgent an item is. The terminal, Markdown and pictures say the same thing because they take it
from here (so ``--format markdown`` loads no Rich at all)."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from imgplan.core.dates import human_date, short_date
from imgplan.core.programs import APPLIED

if TYPE_CHECKING:
    from imgplan.core.planner import Plan
    from imgplan.core.readiness import Item, Report, Status
    from imgplan.core.rules import Service
    from imgplan.render.views import PlanView, SourcesView

MARKS: dict[Status, str] = {"pass": "✓ pass", "warn": "! warn", "fail": "✗ fail",
                            "todo": "· todo"}


def age_text(days: int) -> str:
    """How long ago, as a person says it: '12 days', '5 months', '2 years'."""
    if days < 60:
        return f"{days} day{'s' if days != 1 else ''}"
    if days < 730:
        return f"{days * 12 // 365} months"
    return f"{days // 365} years"


def sources_heading(view: SourcesView) -> str:
    """The one line above the facts a plan rests on."""
    plan = view.plan
    service = f", applying through {plan.application_service.name}" \
        if plan.application_service is not None else ""
    age = (view.today - view.newest_verified).days
    return (f"Match {plan.match_year} (visa {plan.visa}{service}): {len(view.facts)} facts, "
            f"official first, oldest first in each kind. The newest was checked on "
            f"{view.newest_verified} ({age_text(age)} before {view.today}).")


def whose(owner: str | None, what: str, match_year: int) -> str:
    """Whose a shared file is, in its heading: found by new users, an export said "my plan",
    and a mentor with three of them could not tell them apart."""
    return f"Match {match_year}: {owner}'s {what}" if owner else f"Match {match_year}: {what}"


def made(today: date) -> str:
    """When and by what a shared file was made: its plan holds for that day's data."""
    from imgplan import __version__

    return f"as of {human_date(today)}, made by imgplan {__version__}"


def program_list_line(view: PlanView) -> str | None:
    """What the person's program list says beside the application stage; None without one."""
    if not view.fits:
        return None
    stage = view.plan.stage("eras")
    name = stage.label if stage is not None else "Application"
    eligible = sum(f.eligible for f in view.fits)
    applied = sum(f.program.status in APPLIED for f in view.fits)
    return (f"{name}: {len(view.fits)} programs on your list, {eligible} eligible, {applied} "
            "applied to ('imgplan programs' shows each).")


def service_line(service: Service | None, specialty: str | None, match_year: int, *,
                 known: bool = True) -> str | None:
    """Which application service the dates are for, and why; None for rules without one."""
    if service is None:
        return None
    if specialty is None:
        return (f"Application dates: {service.name}'s, which most specialties use (give "
                "--specialty, or record yours with 'imgplan profile set specialty ID', for "
                "your specialty's service).")
    if not known:
        return (f"imgplan's data does not say which service {specialty} applies through for "
                f"Match {match_year}: {service.name}'s dates are shown. Ask the programs.")
    return (f"Applying through {service.name} ({service.full_name}): {specialty}'s service "
            f"for Match {match_year}.")


def verdict_lines(plan: Plan) -> list[tuple[str, str]]:
    """The verdict as (text, style) lines, shared by the terminal and Markdown views."""
    year = plan.match_year
    lines: list[tuple[str, str]] = []
    earliest = plan.earliest_feasible_match
    if earliest is None:
        later = "No Match year in imgplan's horizon is feasible with this plan."
    elif earliest == year:
        later = ""
    else:
        later = f"Earliest feasible Match: {earliest}."
    if plan.closed_by is not None:
        lines.append((f"Match {year} is out of reach: the pathway is closed.", "bold red"))
        lines.append((plan.closed_by.message, ""))
        return lines
    if plan.matched_on is not None:
        left = [s.label for s in plan.stages if s.status != "done"]
        lines.append((f"Matched on {plan.matched_on}.", "bold green"))
        if left:
            lines.append((f"Before residency starts on {plan.cycle_ends.date}: "
                          f"{', '.join(left)}.", ""))
        if not plan.feasible and plan.missed:
            first = plan.missed[0]
            at_risk = plan.stage(first.stage_id)
            lines.append((f"At risk: {at_risk.label if at_risk else first.stage_id}, "
                          f"{first.days_late} days late "
                          f"({first.actual} against {first.due}: {first.reason}).", ""))
        return lines
    if plan.feasible:
        critical = [s.label for s in plan.stages if s.critical]
        least = min((s.slack_days for s in plan.stages if s.critical and s.slack_days
                     is not None), default=None)
        lines.append((f"Match {year} is reachable: every deadline is met.", "bold green"))
        if critical and least is not None:
            lines.append((f"Least slack: {least} days, on {', '.join(critical)}.", ""))
    else:
        first = plan.missed[0]
        stage = plan.stage(first.stage_id)
        name = stage.label if stage else first.stage_id
        if plan.eligible:
            lines.append((f"Match {year} is possible but weak: you can enter the Match, but a "
                          "strong application needs more time.", "bold yellow"))
        else:
            lines.append((f"Match {year} is out of reach.", "bold red"))
        lines.append((f"What breaks it: {name}, {first.days_late} days late "
                      f"({first.actual} against {first.due}: {first.reason}).", ""))
        root = plan.late_chain_start
        if root is not None and root.id != first.stage_id:
            lines.append((f"The late chain starts at: {root.label} "
                          f"(slack {root.slack_days} days).", ""))
    if later:
        lines.append((later, "bold"))
    return lines


def verdict(report: Report) -> tuple[str, str]:
    """The one-line answer, and its style."""
    year = report.match_year
    if report.closed_by is not None:
        return (f"Ineligible: no Match can be planned on this road. "
                f"{report.closed_by.message}", "bold red")
    if report.matched_on is not None:
        left = f"still ahead: {', '.join(report.remaining)} ('imgplan timeline' dates them)" \
            if report.remaining else "nothing left before residency starts"
        return f"Matched for {year} (recorded {report.matched_on}): {left}.", "bold green"
    if report.ready:
        if report.count("warn"):
            return (f"Ready for Match {year}, with {report.count('warn')} item(s) to watch.",
                    "bold yellow")
        return f"Ready for Match {year}: every item passes.", "bold green"
    parts = [f"{report.count('fail')} fail"] if report.count("fail") else []
    if report.count("warn"):
        parts.append(f"{report.count('warn')} at risk")
    if report.count("todo"):
        parts.append(f"{report.count('todo')} to do")
    style = "bold red" if report.count("fail") else "bold"
    earliest = report.earliest_feasible_match
    later = f" The earliest Match that works is {earliest}." if earliest is not None \
        and earliest > year else ""
    if report.instead is not None:
        return (f"Match {year} can no longer be made ({', '.join(parts)}). The earliest Match "
                f"that works is {report.instead.match_year}: the next actions are for it.",
                "bold red")
    return f"Not ready for Match {year}: {', '.join(parts)}.{later}", style


def actions_heading(report: Report) -> str:
    if report.instead is not None:
        return f"Next actions for Match {report.instead.match_year}, most urgent first"
    return "Next actions, most urgent first"


def urgency_text(item: Item) -> str:
    """When to start: the item's stage's latest start, as the timeline shows it; or how far
    behind the item is."""
    days = item.start_within
    if days is not None and days < 0:
        return f"{-days} days behind"
    if item.start_by is not None:
        return f"start by {short_date(item.start_by)}"
    return ""




# "...; then: imgplan confirm x", "...; record each: imgplan add lor ...", "... e.g. 'imgplan
# ...'": where an item's advice turns into the command that records it.
_COMMAND = re.compile(r"[;:,.]?\s*(?:then|record it|record each|record them|e\.g\.)?:?\s*"
                      r"'?(imgplan [^']+?)'?\.?\s*$")


def advice_and_command(advice: str) -> tuple[str, str | None]:
    """An item's advice as what to do, and the command that records it, apart: found by a new
    user, a command wrapped inside a sentence ("--date \\nDATE --score N") could not be
    copied whole."""
    found = _COMMAND.search(advice)
    if found is None or found.start() == 0:
        return advice, None
    return advice[:found.start()].rstrip(" ;:,"), found[1].strip()


def breaks_text(plan: Plan) -> str:
    """What breaks a plan, in a few words: the first deadline missed and by how much."""
    check = plan.breaks
    if check is None:
        return "nothing"
    stage = plan.stage(check.stage_id)
    return f"{stage.label if stage else check.stage_id}, {check.days_late} days late"
