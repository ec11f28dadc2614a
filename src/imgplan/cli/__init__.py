"""imgplan's command line: one module per command, one error boundary for all of them.

Command modules import only typer at the top; each command imports the planner, Pydantic and
YAML inside its body, so ``imgplan --help`` and ``--version`` stay as fast as typer itself.
``main`` also spares typer work a run does not need (docs/performance.md has the figures).
"""

from __future__ import annotations

import copy
import inspect
import os
import sys
import types
from typing import Any

import typer
from typer.core import TyperGroup

from imgplan import __version__
from imgplan.errors import ImgplanError

DEBUG_ENV = "IMGPLAN_DEBUG"

# click's UsageError (a flag that is not a number or not a choice, an unknown option): the base
# class of typer.BadParameter, found without importing click, which newer typer vendors.
_UsageError: Any = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "UsageError")


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
        except _UsageError as exc:
            # Found by the hostile-input tests: typer printed these as a usage block and a
            # boxed message over several lines; a bad flag is one line like any user error.
            # A group given no command still shows its help.
            if type(exc).__name__ == "NoArgsIsHelpError" or os.environ.get(DEBUG_ENV) == "1":
                raise
            message = " ".join(exc.format_message().split()).replace("Value error, ", "")
            command = exc.ctx.command_path if exc.ctx is not None else "imgplan"
            typer.echo(f"imgplan: error: {message} (see '{command} --help')", err=True)
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
    # The first time a model validates, pydantic looks for plugins in every installed
    # package's entry points (~4 ms); nothing in a run of imgplan has a plugin to serve.
    # typer turns them off the same way while it builds its own validators.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "1")
    args = sys.argv[1:]
    if not args or "--help" in args or "-h" in args:
        _import_help_renderer()
    run = _narrowed(args)
    _evaluate_annotations(run)
    run(prog_name="imgplan")


def _narrowed(args: list[str]) -> typer.Typer:
    """``app`` with only the command named first in ``args``, when there is one.

    typer builds every command's options (signatures, type hints) before it runs any: ~9 ms
    for all of imgplan's (~19 ms without ``_evaluate_annotations``), ~2 ms for the one a run
    needs. The command and its errors, help and exit codes are the same either way. Anything
    else gets the whole app: an option first, no command, an unknown name (click suggests the
    near ones), shell completion (it lists them).
    """
    if not args or any(name.startswith("_IMGPLAN_COMPLETE") for name in os.environ):
        return app
    commands = [info for info in app.registered_commands if info.name == args[0]]
    groups = [info for info in app.registered_groups if info.name == args[0]]
    if not commands and not groups:
        return app
    narrowed = copy.copy(app)
    narrowed.registered_commands = commands
    narrowed.registered_groups = groups
    return narrowed


def _evaluate_annotations(typer_app: typer.Typer) -> None:
    """Evaluate the annotations of the functions ``typer_app`` will run, once, before typer.

    The command modules use ``from __future__ import annotations``, so every parameter's
    annotation is a string, and typer evaluates each one four times (inspect.signature and
    get_type_hints, twice per command): ~8 ms of ``imgplan --help``. Evaluated here once,
    the way inspect.signature(eval_str=True) does it, typer finds the same objects ready.
    """
    infos = [*typer_app.registered_commands, typer_app.registered_callback]
    for info in infos:
        function = getattr(info, "callback", None)
        if isinstance(function, types.FunctionType):
            function.__annotations__ = inspect.get_annotations(function, eval_str=True)
    for group in typer_app.registered_groups:
        if group.typer_instance is not None:
            _evaluate_annotations(group.typer_instance)


def _import_help_renderer() -> None:
    """Import typer's help renderer, ``typer.rich_utils``, without two modules it never uses.

    It imports rich.markdown (with markdown-it) and rich.traceback (with pygments) at its top:
    ~45 ms, twice Python's own start-up and as much as the rest of ``imgplan --help``.
    imgplan's help uses neither: its markup mode is "rich", not "markdown", and pretty
    tracebacks are off. So stand-ins take their place for that one import and are removed
    after it: a later ``import rich.markdown`` gets the real module, and should typer ever
    call a stand-in, it builds the real object. Only time is at stake: should this import
    fail (a typer that imports more from these modules), typer imports its renderer itself
    when it needs it, as it does without this.
    """
    if "typer.rich_utils" in sys.modules:
        return
    stand_ins = {"rich.markdown": ("Markdown", _Markdown),
                 "rich.traceback": ("Traceback", _Traceback)}
    added: list[str] = []
    for name, (attribute, stand_in) in stand_ins.items():
        if name not in sys.modules:
            module = types.ModuleType(name)
            setattr(module, attribute, stand_in)
            sys.modules[name] = module
            added.append(name)
    try:
        import typer.rich_utils  # noqa: F401
    except ImportError:
        pass
    finally:
        for name in added:
            del sys.modules[name]


class _Markdown:
    """Stands in for ``rich.markdown.Markdown`` in typer's help renderer (see above)."""

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        from rich.markdown import Markdown

        return Markdown(*args, **kwargs)


class _Traceback:
    """Stands in for ``rich.traceback.Traceback`` in typer's help renderer (see above)."""

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        from rich.traceback import Traceback

        return Traceback(*args, **kwargs)

    @classmethod
    def from_exception(cls, *args: Any, **kwargs: Any) -> Any:
        from rich.traceback import Traceback

        return Traceback.from_exception(*args, **kwargs)
