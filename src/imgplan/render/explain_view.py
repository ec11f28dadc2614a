"""Terms for a person at a terminal: the name in bold, its sentences wrapped under it."""

from __future__ import annotations

from rich.console import Console
from rich.padding import Padding
from rich.text import Text

from imgplan.core.terms import Term


def draw_terms(console: Console, terms: tuple[Term, ...]) -> None:
    for index, term in enumerate(terms):
        if index:
            console.print()
        heading = Text(term.name, style="bold")
        if len(terms) > 1:
            heading.append(f"  (imgplan explain {term.id})", style="dim")
        console.print(heading)
        console.print(Padding(Text(term.text), (0, 0, 0, 2), expand=False))


def terms_markdown(terms: tuple[Term, ...]) -> str:
    """docs/terms.md: every term, as ``imgplan explain`` says it."""
    lines = ["# Words imgplan uses", "",
             "Generated from `imgplan.core.terms` by docs/generate.py: what "
             "`imgplan explain TERM` prints.", ""]
    for term in terms:
        lines += [f"## {term.name}", "", term.text, "", f"`imgplan explain {term.id}`", ""]
    return "\n".join(lines)
