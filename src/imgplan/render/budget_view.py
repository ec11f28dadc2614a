"""The budget: each fee on the day the plan pays it, the total, and month by month.

Every amount says how sure it is (official, secondary, estimated, not stored) and where it
comes from; the person's total leaves out what someone else usually pays (an H-1B petition's
fees), which is listed apart.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from imgplan.core.dates import short_date

if TYPE_CHECKING:
    from rich.console import Console

    from imgplan.core.budget import Line
    from imgplan.render.views import BudgetView

BASIS_STYLES = {"official": "green", "secondary": "cyan", "estimated": "yellow",
                "not stored": "red"}


def money(amount: int | None, text: str | None = None) -> str:
    if amount is None:
        return text or "not stored"
    return f"${amount:,}"


def summary_lines(view: BudgetView) -> list[str]:
    budget = view.budget
    counts = " and ".join(f"{n} ({s})" if s else str(n) for s, n in budget.programs.items())
    lines = [f"Your total for Match {budget.match_year} (visa {budget.visa}): "
             f"{money(budget.total_usd)}, of which {money(budget.to_pay_usd)} is still to pay; "
             f"applying to {counts} programs ({budget.programs_from})."]
    unpriced = [line for line in budget.unpriced if line.amount_text is None]
    if unpriced:
        lines.append("Not in the total, as no stored source prices them: "
                     + ", ".join(line.name for line in unpriced) + ".")
    foreign = [line for line in budget.unpriced if line.amount_text is not None]
    if foreign:
        lines.append("Not in the total, as imgplan stores no exchange rate: " + ", ".join(
            f"{line.name} ({line.amount_text})" for line in foreign) + ".")
    others = [line for line in budget.lines if not line.yours]
    if others:
        lines.append("Usually paid by others, not in your total: " + "; ".join(
            f"{line.name} {money(line.amount_usd, line.amount_text)} ({line.payer})"
            for line in others) + ".")
    return lines


def draw_budget(console: Console, view: BudgetView) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from imgplan.render.notes import Notes

    if view.note:
        console.print(Text(view.note, style="dim"))
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, show_lines=True, padding=(0, 1, 0, 0),
                  header_style="bold", title=f"Match {view.budget.match_year}: what it costs",
                  title_justify="left")
    table.add_column("Date", no_wrap=True)
    table.add_column("Fee", overflow="fold", ratio=3)
    table.add_column("Amount", no_wrap=True, justify="right")
    table.add_column("Basis", overflow="fold", ratio=2)
    notes = Notes()
    for line in view.budget.lines:
        what = Text(line.name)
        extra = [w for w in (line.status, line.note, f"paid by: {line.payer}"
                             if line.payer else None) if w]
        what.append("\n" + "; ".join(extra), style="dim")
        basis = Text(line.basis, style=BASIS_STYLES[line.basis])
        if line.source:
            basis.append("\n")
            basis.append_text(notes.cite(line.source))
        table.add_row(short_date(line.date), what, money(line.amount_usd, line.amount_text),
                      basis)
    console.print(table)
    notes.print(console)
    console.print(Text("By month: " + ", ".join(f"{month} {money(amount)}" for month, amount
                                                in view.budget.by_month() if amount)))
    for text in summary_lines(view):
        console.print(Text(text))
    console.print(Text("Fees change every season: confirm each on the site that sets it before "
                       "you pay.", style="dim"))


def _line_json(line: Line) -> dict[str, Any]:
    return {"id": line.id, "name": line.name, "date": line.date.isoformat(),
            "amount_usd": line.amount_usd, "amount_text": line.amount_text,
            "basis": line.basis, "source": line.source, "status": line.status,
            "note": line.note, "payer": line.payer}


def budget_json(view: BudgetView) -> str:
    budget = view.budget
    data = {"match_year": budget.match_year, "visa": budget.visa,
            "today": view.today.isoformat(), "programs": budget.programs,
            "programs_from": budget.programs_from, "total_usd": budget.total_usd,
            "to_pay_usd": budget.to_pay_usd,
            "unpriced": [line.id for line in budget.unpriced],
            "lines": [_line_json(line) for line in budget.lines],
            "by_month": [{"month": month, "amount_usd": amount}
                         for month, amount in budget.by_month()]}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def budget_markdown(view: BudgetView) -> str:
    from imgplan.render.words import made, whose

    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    budget = view.budget
    out = [f"# {whose(view.owner, 'budget', budget.match_year)}", "",
           f"Visa {budget.visa}; {made(view.today)}.", "",
           "| Date | Fee | Amount | Basis | Source |", "|---|---|---:|---|---|"]
    for line in budget.lines:
        name = f"{line.name} ({'; '.join(w for w in (line.status, line.note) if w)})"
        out.append(f"| {short_date(line.date)} | {cell(name)} | "
                   f"{money(line.amount_usd, line.amount_text)} | {line.basis} | "
                   f"{cell(line.source or '')} |")
    out += ["", "By month: " + ", ".join(f"{m} {money(a)}" for m, a in budget.by_month() if a)
            + ".", ""]
    for text in summary_lines(view):
        out += [text, ""]
    out += ["_Fees change every season: confirm each on the site that sets it before you "
            "pay._", ""]
    return "\n".join(out)
