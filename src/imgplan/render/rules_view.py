"""The rules as a table a person reads: every stage, its durations and its deadlines."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from imgplan.core.rules import Rules
from imgplan.render.notes import Notes
from imgplan.render.words import age_text, sources_heading

if TYPE_CHECKING:
    from imgplan.render.views import RulesView, SourcesView

BASIS_STYLES = {"official": "green", "secondary": "cyan", "estimated": "yellow",
                "heuristic": "yellow"}


def render_rules(console: Console, rules: Rules) -> None:
    # no vertical rules, every cell folded rather than cut: at 80 columns the boxed table cut
    # stage names and deadlines to "…"
    table = Table(title="Stages, in order", title_justify="left", header_style="bold",
                  box=box.SIMPLE_HEAD, show_edge=False, show_lines=True, padding=(0, 1, 0, 0),
                  caption="Duration: at a fast / typical / steady pace", caption_justify="left")
    table.add_column("Stage", overflow="fold")
    table.add_column("Duration", no_wrap=True)
    table.add_column("After", overflow="fold")
    table.add_column("Deadlines", overflow="fold")
    names = {key_date.id: key_date.name for key_date in rules.key_dates}
    for stage in rules.stages:
        if stage.duration is not None:
            durations = " / ".join(str(stage.duration.for_pace(p))
                                   for p in ("fast", "typical", "steady"))
            durations += f"\n({stage.duration.kind})"
        else:
            durations = "its window"
        after = ", ".join(p.stage + (" (result)" if p.wait == "result" else "")
                          for p in stage.after) or "-"
        lines = []
        for deadline in stage.deadlines:
            offset = "" if deadline.offset.is_zero else f" {deadline.offset}"
            lines.append(f"{deadline.level}: {deadline.applies_to} by "
                         f"{names.get(deadline.anchor, deadline.anchor)}{offset}")
        window = stage.window
        if window is not None and (window.opens or window.closes):
            span = " (spans it)" if window.span else ""
            lines.append(f"window: {window.opens or '-'} to {window.closes or '-'}{span}")
        routes = f"\nroutes: {', '.join(stage.routes)}" if stage.routes else ""
        table.add_row(f"{stage.name}\n[dim]{stage.id}[/dim]{routes}", durations, after,
                      "\n".join(lines) or "-")
    console.print(table)


def draw_rules(console: Console, view: RulesView) -> None:
    render_rules(console, view.rules)


def draw_sources(console: Console, view: SourcesView) -> None:
    """The facts a plan rests on: by basis, oldest first, each with its source."""
    console.print(Text(sources_heading(view)))
    if view.stale is not None:
        console.print(Text(view.stale.message, style="bold yellow"))
    table = Table(header_style="bold", box=box.SIMPLE_HEAD, show_edge=False, show_lines=True,
                  padding=(0, 1, 0, 0))
    table.add_column("Basis", no_wrap=True)
    table.add_column("Checked", no_wrap=True)
    # folded, never cut: a source is what a person re-checks
    table.add_column("Fact", overflow="fold")
    table.add_column("Source", overflow="fold")
    notes = Notes()
    for fact in view.facts:
        checked = f"{fact.last_verified}\n{age_text(fact.age_days(view.today))} ago"
        # Text, not markup: a fact may hold brackets ("[S2]") that Rich would read as a style
        what = Text(fact.what)
        what.append(f"\n{fact.id}", style="dim")
        table.add_row(Text(fact.basis, style=BASIS_STYLES.get(fact.basis, "")), checked, what,
                      notes.cite(fact.source))
    console.print(table)
    notes.print(console)
