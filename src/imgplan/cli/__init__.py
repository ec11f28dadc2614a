"""imgplan's command line: one module per command, one error boundary for all of them.

The root group knows each command by name only (``COMMANDS``) and imports its module when it
is run (or listed, for help and completion), through click's own hooks ``list_commands`` and
``get_command``, as pypa/hatch loads its commands. So ``imgplan timeline`` builds one command,
and ``--version`` none. Command modules import only typer, their options and the format
registry (names only) at the top; each command imports the planner, Pydantic and YAML inside
its body.
"""

from __future__ import annotations

import importlib
import os
import sys
import types
from typing import Any, NoReturn

import typer
from typer.core import TyperGroup

from imgplan import __version__
from imgplan.cli import terminal
from imgplan.core.errors import ImgplanError

DEBUG_ENV = "IMGPLAN_DEBUG"

# Every command, in the order --help lists them: its module in imgplan.cli, and the function
# (a command) or typer app (a group of commands) in it.
COMMANDS: dict[str, tuple[str, str]] = {
    "timeline": ("timeline", "timeline"),
    "calendar": ("calendar", "calendar"),
    "compare": ("compare", "compare"),
    "init": ("init", "init"),
    "mark": ("mark", "mark"),
    "confirm": ("confirm", "confirm"),
    "check": ("check", "check"),
    "next": ("next_cmd", "next_"),
    "rules": ("rules", "app"),
    "add": ("add", "app"),
    "remove": ("remove", "app"),
    "undo": ("undo", "undo"),
    "explain": ("explain", "explain"),
    "profile": ("profile_cmd", "app"),
    "programs": ("programs", "app"),
    "budget": ("budget", "budget"),
    "cohort": ("cohort", "cohort"),
}

# click's UsageError (a flag that is not a number or not a choice, an unknown option): the base
# class of typer.BadParameter, found without importing click, which newer typer vendors.
_UsageError: Any = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "UsageError")


def _whole_commands(group: Any, ctx: Any, formatter: Any) -> None:
    """A group's commands with the first sentence of each one's help whole, wrapped by the
    formatter (click cuts it at the terminal's width with "...": found by a new user, every
    command of 'imgplan --help' at 80 columns ended so)."""
    rows = []
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if command is not None and not command.hidden:
            rows.append((name, command.get_short_help_str(limit=1000)))
    if rows:
        with formatter.section("Commands"):
            formatter.write_dl(rows)


class _Group(TyperGroup):
    """The root: commands loaded by name when needed, and every ``ImgplanError`` from any of
    them turned into one line on stderr and its exit code."""

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        _whole_commands(self, ctx, formatter)

    def get_command(self, ctx: Any, name: str) -> Any:
        if name not in COMMANDS:
            return None
        module, attribute = COMMANDS[name]
        found = getattr(importlib.import_module(f"imgplan.cli.{module}"), attribute)
        command: Any
        if isinstance(found, typer.Typer):
            command = typer.main.get_group(found)
            # its own list of subcommands, each said whole too
            command.format_commands = types.MethodType(_whole_commands, command)
        else:
            single = typer.Typer(add_completion=False, rich_markup_mode=None)  # as the root
            single.command(name=name)(found)
            command = typer.main.get_command(single)
        command.name = name
        return command

    # Any: typer's Context type moved between releases (click's, then its own vendored one)
    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        # the root's own options (``imgplan --bogus``): refused in one line like the rest
        try:
            parsed: list[str] = super().parse_args(ctx, args)
        except _UsageError as exc:
            _refuse_usage(exc)
        except OSError as exc:  # --help or --version printed here, to a full or closed stdout
            if terminal.is_output_error(exc) and os.environ.get(DEBUG_ENV) != "1":
                terminal.output_lost(exc)
            raise
        return parsed

    def invoke(self, ctx: Any) -> Any:
        store = sys.modules.get("imgplan.files.profile_store")
        if store is not None:  # a command before this one in the process (tests) saved
            store.saved = None  # type: ignore[attr-defined]  # found in sys.modules: untyped
        try:
            return super().invoke(ctx)
        except ImgplanError as exc:
            if os.environ.get(DEBUG_ENV) == "1":
                raise
            # escaped: a name or a path may hold control characters (an escape sequence)
            typer.echo(f"imgplan: error: {terminal.escaped(str(exc))}", err=True)
            raise typer.Exit(exc.exit_code) from None
        except _UsageError as exc:
            _refuse_usage(exc)
        except KeyboardInterrupt:
            if os.environ.get(DEBUG_ENV) == "1":
                raise
            terminal.interrupted()
        except OSError as exc:
            if terminal.is_output_error(exc) and os.environ.get(DEBUG_ENV) != "1":
                terminal.output_lost(exc)
            raise
        except BaseException:
            if terminal.interrupted_by_signal and os.environ.get(DEBUG_ENV) != "1":
                terminal.interrupted()  # a Ctrl-C that a library turned into its own error
            raise
        finally:
            locking = sys.modules.get("imgplan.files.locking")
            if locking is not None:  # only a command that changed the profile took it
                locking.release_all()


def _refuse_usage(exc: Any) -> NoReturn:
    """A bad flag or command as one line on stderr, like any user error.

    Found by the hostile-input tests: typer printed these as a usage block and a boxed
    message over several lines. A group given no command still shows its help.
    """
    if type(exc).__name__ == "NoArgsIsHelpError" or os.environ.get(DEBUG_ENV) == "1":
        raise exc
    message = " ".join(exc.format_message().split()).replace("Value error, ", "")
    command = exc.ctx.command_path if exc.ctx is not None else "imgplan"
    typer.echo(f"imgplan: error: {terminal.escaped(message)} (see '{command} --help')",
               err=True)
    raise typer.Exit(exc.exit_code) from None


app = typer.Typer(
    cls=_Group,
    name="imgplan",
    rich_markup_mode=None,  # plain help: see docs/performance.md
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

    imgplan timeline --match 2029 works backwards from a Match year to a dated plan,
    forwards from today, and says whether the year is reachable.

    imgplan is a planning aid, not advice from NRMP, AAMC or ECFMG: confirm every date on
    their sites before you act on it.
    """


def main() -> None:
    # The first time a model validates, pydantic looks for plugins in every installed
    # package's entry points (~4 ms); nothing in a run of imgplan has a plugin to serve.
    # typer turns them off the same way while it builds its own validators.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "1")
    terminal.prepare()
    try:
        app(prog_name="imgplan")
    except SystemExit:
        terminal.finish()  # what is still buffered: a full device says so only here
        raise
