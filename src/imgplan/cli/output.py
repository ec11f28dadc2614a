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


def picture_title(owner: str | None, command: str, match_year: int, today: Any) -> str:
    """An SVG's title bar: whose, which command and Match, the day and imgplan's release."""
    from imgplan import __version__

    who = f"{owner}: " if owner else ""
    return f"{who}imgplan {command} --match {match_year}, {today} (imgplan {__version__})"


# What a file's name says it holds. A .txt file is the table, as plain text.
EXTENSIONS = {".json": "json", ".md": "markdown", ".markdown": "markdown", ".ics": "ics",
              ".svg": "svg", ".txt": "table", ".csv": "csv", ".html": "html", ".htm": "html"}


def prepare(subject: Subject, format: Any, output: Path | None, *, profile: Path | None,
            rules: Path | None) -> tuple[str, list[Any]]:
    """The format to show ``subject`` in, and the files an output must never replace; the
    output checked, before the command does any work.

    Without ``--format`` the output file's extension picks it (``-o plan.ics`` is a calendar:
    found by a new user, it used to write the table into plan.ics and exit 0); a ``--format``
    the extension contradicts is refused, as is an extension this subject has no format for.
    """
    from imgplan.core.errors import UsageError
    from imgplan.files.exports import check_target, protected_files
    from imgplan.render.registry import formats

    given = format.value if isinstance(format, Enum) else format
    offered = formats(subject)
    suffix = output.suffix if output is not None else ""
    named = EXTENSIONS.get(suffix.lower())
    if named is not None and named not in offered:
        raise UsageError(f"this command cannot write a {suffix} file: its formats are "
                         f"{', '.join(offered)}", file=output, field="--output")
    if given is not None and named is not None and given != named:
        raise UsageError(f"--format {given} does not match the file's extension "
                         f"{suffix} ({named})", file=output, field="--output",
                         hint=f"drop --format, or name the file for {given}")
    chosen = given or named or offered[0]
    protected = protected_files(profile=profile, rules=rules)
    if output is not None:
        check_target(output, protected)
    return chosen, protected


def format_help(subject: Subject) -> str:
    """``--format``'s help: the formats, and the default an output file's name gives."""
    from imgplan.render.registry import formats, formats_help

    offered = formats(subject)
    named = ", ".join(ext for ext, fmt in EXTENSIONS.items() if fmt in offered
                      and ext != ".markdown")
    return (f"{formats_help(subject)} Default: {offered[0]}, or what the --output "
            f"file's extension says ({named}).")


def format_option_enum(subject: Subject) -> Any:
    """The ``--format`` choices of a subject, as the Enum typer makes a choice of."""
    from imgplan.render.registry import formats

    return Enum(f"{subject.capitalize()}Format", {name: name for name in formats(subject)},
                type=str)
