"""``imgplan explain [TERM]``: the words imgplan's tables use, in plain sentences."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from imgplan.cli.options import Today


def explain(
    term: Annotated[Optional[str], typer.Argument(  # noqa: UP045 - typer reads it at run time
        help="The word to explain (slack, critical, hard, target, estimated, official, "
        "pathway...); without it, every term.", show_default=False)] = None,
    today: Today = None,
) -> None:
    """Say what a word in imgplan's output means: slack, critical, late chain, hard and target
    deadlines, official, secondary and estimated dates, pace, the Pathway."""
    from imgplan.cli.options import resolve_today
    from imgplan.core.terms import TERMS, Term, lookup, nearest

    resolve_today(today)  # taken like every command's: the words do not change by the day
    if term is None:
        shown: tuple[Term, ...] = TERMS
    else:
        found = lookup(term)
        if found is None:
            from imgplan.core.errors import UsageError, quoted

            close = nearest(term)
            near = f"did you mean {' or '.join(close)}? " if close else ""
            raise UsageError(f"no term {quoted(term)}: {near}known: "
                             f"{', '.join(t.id for t in TERMS)}", field="TERM")
        shown = (found,)
    from imgplan.render.console import make_console
    from imgplan.render.explain_view import draw_terms

    draw_terms(make_console(), shown)
