"""Showing a command's result: the one way every command prints or writes what it made.

The renderer comes from ``imgplan.render.registry``; this edge only decides where it goes. A
drawing at a terminal goes to the Rich console; everything else is text, printed or written
to ``--output`` (``imgplan.files.exports``: a file replaced atomically, a device or a pipe
written into), never over a file imgplan reads. ``-o -`` arrives here as no ``--output`` at
all (``imgplan.cli.options``): standard output, a drawing included, exactly as without it.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Any

import typer

from imgplan.render.registry import Subject, content, renderer


def show(subject: Subject, format: str, view: Any, *, output: Path | None = None,
         protected: list[Any] | None = None, title: str = "imgplan") -> None:
    """Show ``view`` in ``format`` (a name, or typer's choice of one) on the terminal, or
    write it to ``output``."""
    format = format.value if isinstance(format, Enum) else format
    chosen = renderer(subject, format)
    if output is None and chosen.kind == "draw":
        from imgplan.render.console import make_console

        chosen.load()(make_console(), view)
        return
    made = content(subject, format, view, title=title)
    if output is None:
        typer.echo(made, nl=False)
        return
    from imgplan.files.exports import write_file

    write_file(output, made, protected or [])


def format_option_enum(subject: Subject) -> Any:
    """The ``--format`` choices of a subject, as the Enum typer makes a choice of."""
    from imgplan.render.registry import formats

    return Enum(f"{subject.capitalize()}Format", {name: name for name in formats(subject)},
                type=str)
