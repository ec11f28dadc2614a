"""What to do now, for a person at a terminal, as JSON and as Markdown."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from imgplan.core.dates import short_date

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from imgplan.core.next_actions import Action
    from imgplan.render.views import NextView

HEADINGS = {"overdue": "Overdue", "now": "Now", "coming": "Coming"}
MARKS = {"overdue": "✗", "now": "→", "coming": "·", "blocked": "○"}


def when(action: Action) -> str:
    if action.status == "scheduled":
        return f"booked for {short_date(action.start)}"
    if action.status == "in_progress":
        return "under way"
    if action.start_by is not None:
        return f"start by {short_date(action.start_by)}"
    return f"starts {short_date(action.start)}"


def why(action: Action) -> str:
    """The deadline an action protects, and its slack."""
    text = f"protects {action.reason}" if action.reason else "keeps the plan on time"
    if action.due is not None:
        text += f", due {short_date(action.due)}"
    if action.slack_days is not None:
        text += f"; slack {action.slack_days} days" if action.slack_days >= 0 else \
            f"; {-action.slack_days} days late"
    return text


def quiet_line(view: NextView) -> str | None:
    """When nothing is due: when the next thing is."""
    found = view.next
    if any(a.kind in ("overdue", "now") for a in found.actions):
        return None
    later = sorted([a for a in found.actions if a.kind == "coming"] + found.blocked,
                   key=lambda a: a.start)
    if not later:
        return f"Nothing due before {found.horizon}, and nothing left to plan."
    first = later[0]
    said = f"when it can start, on {short_date(first.start)}" if first.kind == "blocked" \
        else when(first)
    return f"Nothing due before {found.horizon}; next: {first.label}, {said}."


def draw_next(console: Console, view: NextView) -> None:
    from rich.text import Text

    from imgplan.render.lists import hanging, print_lines

    if view.note:
        console.print(Text(view.note, style="dim"))
    found = view.next
    console.print(Text(f"Match {view.match_year}: what to do, as of {found.today} (now: "
                       f"before {found.horizon})", style="bold"))
    quiet = quiet_line(view)
    if quiet:
        console.print(Text(quiet))
    lines: list[Text] = []
    shown = None
    for action in found.actions:
        if action.kind != shown:
            lines.append(Text(HEADINGS[action.kind], style="bold"))
            shown = action.kind
        lines += _item(console, action)
    if found.blocked:
        lines.append(Text("Waiting", style="bold"))
        for action in found.blocked:
            lines += hanging(console, f"  {MARKS['blocked']} ",
                             Text(f"{action.label}: waits for {action.waits_for}"
                                  f" ({when(action)})"), indent=4)
    print_lines(console, lines)


def _item(console: Console, action: Action) -> list[Text]:
    from rich.text import Text

    from imgplan.render.lists import hanging

    style = "red" if action.kind == "overdue" else ""
    head = Text("  ")
    head.append(MARKS[action.kind], style=style)
    head.append(" ")
    body = Text(f"{action.label}: {when(action)}")
    body.append(f" ({why(action)})", style="dim")
    lines = hanging(console, head, body, indent=4)
    if action.command:
        lines.append(Text(f"      {action.command}", style="bold"))
    return lines


def action_json(action: Action) -> dict[str, Any]:
    return {"kind": action.kind, "stage": action.stage, "label": action.label,
            "status": action.status, "start": action.start.isoformat(),
            "start_by": action.start_by.isoformat() if action.start_by else None,
            "due": action.due.isoformat() if action.due else None,
            "slack_days": action.slack_days, "reason": action.reason, "why": why(action),
            "command": action.command,
            "waits_for": action.waits_for}


def next_json(view: NextView) -> str:
    found = view.next
    data = {"match_year": view.match_year, "today": found.today.isoformat(),
            "horizon": found.horizon.isoformat(), "quiet": quiet_line(view),
            "actions": [action_json(a) for a in found.actions],
            "blocked": [action_json(a) for a in found.blocked]}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def next_markdown(view: NextView) -> str:
    found = view.next
    out = [f"# Match {view.match_year}: what to do", "",
           f"As of {found.today}; now: before {found.horizon}.", ""]
    quiet = quiet_line(view)
    if quiet:
        out += [quiet, ""]
    shown = None
    for action in found.actions:
        if action.kind != shown:
            out += ["", f"## {HEADINGS[action.kind]}", ""] if shown else \
                [f"## {HEADINGS[action.kind]}", ""]
            shown = action.kind
        out.append(f"- {action.label}: {when(action)} ({why(action)})")
        if action.command:
            out.append(f"  `{action.command}`")
    if found.blocked:
        out += ["", "## Waiting", ""]
        out += [f"- {a.label}: waits for {a.waits_for}" for a in found.blocked]
    return "\n".join(out) + "\n"
