"""``imgplan rules show`` and ``imgplan rules validate``: the pathway's data, readable and
checkable."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from imgplan.cli.options import RulesFile

app = typer.Typer(help="Show or check the rules: the stages, their durations and deadlines.",
                  no_args_is_help=True, rich_markup_mode=None)


@app.command()
def show(rules: RulesFile = None) -> None:
    """List the stages in order, with durations per pace, predecessors and deadlines."""
    from imgplan.files.rules_file import load_rules
    from imgplan.render.console import make_console
    from imgplan.render.rules_view import render_rules

    render_rules(make_console(), load_rules(rules))


@app.command()
def validate(
    file: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Argument(help="The rules file to check (default: the packaged rules).",
                       show_default=False),
    ] = None,
) -> None:
    """Load a rules file with every check and report every problem (exit 2 if any)."""
    from imgplan.core.errors import RulesError
    from imgplan.files.rules_file import data_path, rules_problems

    path = file or data_path("rules.yaml")
    found = rules_problems(path)
    if found:
        for problem in found:
            typer.echo(f"imgplan: error: {problem}", err=True)
        count = len(found)
        raise RulesError(f"{count} problem{'s' if count != 1 else ''} found", file=path)
    typer.echo(f"{path}: valid")
