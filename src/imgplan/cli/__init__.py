"""imgplan's command line: one module per command, one error boundary for all of them.

Command modules import only typer at the top; each command imports the planner, Pydantic and
YAML inside its body, so ``imgplan --help`` and ``--version`` stay as fast as typer itself.
"""

from __future__ import annotations

import os
from typing import Any

import typer
from typer.core import TyperGroup

from imgplan import __version__
from imgplan.errors import ImgplanError

DEBUG_ENV = "IMGPLAN_DEBUG"


class _Group(TyperGroup):
    """Turns an ``ImgplanError`` from any command into one line on stderr and its exit code."""

    # Any: typer's Context type moved between releases (click's, then its own vendored one)
    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except ImgplanError as exc:
            if os.environ.get(DEBUG_ENV) == "1":
                raise
            typer.echo(f"imgplan: error: {exc}", err=True)
            raise typer.Exit(exc.exit_code) from None


app = typer.Typer(
    cls=_Group,
    name="imgplan",
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=True,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"imgplan {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", "-V", callback=_version, is_eager=True,
        help="Show the version and exit.",
    ),
) -> None:
    """Turn the US residency pathway for International Medical Graduates into dates.

    [bold]imgplan timeline --match 2029[/bold] works backwards from a Match year to a dated plan,
    forwards from today, and says whether the year is reachable.

    imgplan is a planning aid, not advice from NRMP, AAMC or ECFMG: confirm every date on
    their sites before you act on it.
    """


def _register() -> None:
    from imgplan.cli import add, calendar, check, confirm, init, mark, profile_cmd, rules, timeline

    app.command(name="timeline")(timeline.timeline)
    app.command(name="calendar")(calendar.calendar)
    app.add_typer(rules.app, name="rules")
    app.command(name="init")(init.init)
    app.command(name="mark")(mark.mark)
    app.add_typer(add.app, name="add")
    app.command(name="confirm")(confirm.confirm)
    app.add_typer(profile_cmd.app, name="profile")
    app.command(name="check")(check.check)


_register()


def main() -> None:
    app(prog_name="imgplan")
